#pragma once
// What migrate, revision --autogenerate and check share: the models compared with the live catalog.
#include <dbmig/autogenerate/differ.hpp>
#include <dbmig/cli/project.hpp>

#include <optional>
#include <string>

namespace dbmig {

struct AutogenerateOptions {
  std::string message;
  std::optional<std::string> rev_id;
  std::string head = "head";
  bool allow_empty = false;
  bool from_empty = false;
  bool dry_run = false;
  bool online = false;  // --online (or online: true in dbmig.yaml)
};

// migrate, which revision --autogenerate also runs: writes the revision (or prints it, --dry-run).
int migrate(const Globals& g, const AutogenerateOptions& o);

// What the inspector reads: the configured schemas, without exclude_tables and the version table.
InspectOptions inspect_options(Project& project);

// Throws "Target database is not up to date" unless the database stands exactly at `want`.
void require_database_at(Project& project, RevisionSet want, const std::string& hint);

// The models against the database (or against nothing, for --from-empty), each change logged,
// with the warnings of what the rows there will do.
SchemaDiff diff_models(Project& project, bool from_empty);

// `"changes": [...], "warnings": [...], "data_warnings": [...]` for the JSON output of migrate and check.
std::string json_changes(const SchemaDiff& diff);

}  // namespace dbmig
