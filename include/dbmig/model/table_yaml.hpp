#pragma once
// Reading and writing columns and tables in YAML: shared by models.yaml and by revision files
// (create_table, add_column), so both spell a column the same way.
#include <dbmig/model/schema.hpp>
#include <dbmig/yaml/yaml_util.hpp>

#include <string>

namespace dbmig {

enum class TableSyntax {
  model,      // models.yaml: columns is a mapping name -> column; index, renamed_from allowed
  operation,  // create_table: columns is a list of columns with a name key
};

// Parses one column; inline constraints (primary_key, unique, foreign_key, index) are lifted
// into `table` with convention names.
void parse_column_into(const YamlContext& ctx, const YamlNode& node, const std::string& name, Table& table,
                       TableSyntax syntax, const NamingConvention& naming);
// A bare column (add_column, drop_column's existing): no inline constraints allowed.
Column parse_plain_column(const YamlContext& ctx, const YamlNode& node, const std::string& what, bool needs_name);

// Parses a table body (columns and table-level keys). `extra_keys` are accepted and ignored
// (the caller reads them, e.g. create_table's name).
Table parse_table(const YamlContext& ctx, const YamlNode& node, const std::string& name, TableSyntax syntax,
                  const NamingConvention& naming, std::initializer_list<std::string_view> extra_keys = {});

// An index body: columns and/or expressions (kept as "(expr)" key columns), unique, where, using,
// include. In revision files (names_optional) the caller checks the keys and reads name, table
// and concurrently, and a drop_index may name no columns.
Index parse_index(const YamlContext& ctx, const YamlNode& node, const std::string& name, bool names_optional = false);
bool is_index_expression(const std::string& key);
// "columns: [...], expressions: [...], unique: true, ..." without braces.
std::string index_keys_yaml(const Index& index);

// A materialized view's `indexes: {name: {columns: ...}}` ("" / none when empty); an error for a
// plain view, which cannot have any.
std::vector<Index> parse_view_indexes(const YamlContext& ctx, const YamlNode& node, const std::string& view, bool materialized);
std::string view_indexes_yaml(const std::vector<Index>& indexes);

// A domain body: type, nullable, server_default, and check (one, named <name>_check) or checks
// ({name: sql}). In revision files (keys_checked) the caller checks the keys, with its own.
Domain parse_domain(const YamlContext& ctx, const YamlNode& node, const std::string& name, bool keys_checked = false);
// "type: integer, nullable: false, ..." without braces, as parse_domain reads it.
std::string domain_keys_yaml(const Domain& domain);

// "t(c1, c2)", "t.c", "s.t.c" -> schema, table, columns.
struct Reference {
  std::string schema, table;  // "billing.invoice.id": schema billing ("" when not named)
  std::vector<std::string> columns;
};
Reference parse_reference(const YamlContext& ctx, const YamlNode& node);
std::string normalize_fk_action(const YamlContext& ctx, const YamlNode& node);

// Flow mapping text of a column, e.g. {name: id, type: integer, nullable: false}.
std::string column_yaml(const Column& column, bool with_name);
// Block text of a table body (without the name), each line prefixed with indent.
std::string table_yaml(const Table& table, const std::string& indent);
// "partition_by: ...\npartitions:\n  name: bound\n" at indent ("" for a plain table).
std::string partitioning_yaml(const Table& table, const std::string& indent);
std::string list_yaml(const std::vector<std::string>& items);

}  // namespace dbmig
