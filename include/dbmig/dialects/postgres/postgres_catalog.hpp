#pragma once
// Reading PostgreSQL's catalog (pg_catalog) into the neutral schema with a fixed number of
// queries, whatever the number of tables.
#include <dbmig/dialects/dialect.hpp>

namespace dbmig {

Schema inspect_postgres(Connection& conn, const InspectOptions& options, const Dialect& dialect);
std::vector<UnmodelledObject> unmodelled_postgres(Connection& conn, const InspectOptions& options);

// Two select-list columns for pg_index row `i`: its key columns (an expression as "(text)") and
// its INCLUDE columns, each joined by chr(31); split_names reads them.
std::string postgres_index_keys_sql(const std::string& i);
// Arrays of names come back joined with the unit separator, which no sane name contains.
std::vector<std::string> split_names(const std::optional<std::string>& text);

// "CREATE [OR REPLACE] FUNCTION ..." as "CREATE OR REPLACE FUNCTION ..." (any CREATE statement).
std::string postgres_or_replace(const std::string& create_sql);

// CREATE DOMAIN `qualified_name` with the domain's type, default, NOT NULL and named checks.
std::string postgres_create_domain_sql(const Dialect& dialect, const Domain& domain, const std::string& qualified_name);

// A text[] literal ({"public","app"}) for a query parameter, e.g. the schemas to inspect.
std::string postgres_text_array(const std::vector<std::string>& schemas);

// The model with its defaults, checks and partial-index predicates as the server stores them,
// for the tables the database has (see Dialect::stored_spelling); nullopt when nothing needed the server.
std::optional<Schema> spell_postgres(Connection& conn, const Schema& model, const Schema& database, const Dialect& dialect);

}  // namespace dbmig
