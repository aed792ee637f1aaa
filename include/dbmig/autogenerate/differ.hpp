#pragma once
// Compares the declared model with the inspected database and emits the ops that take the
// database to the model (Alembic's autogenerate compare). The dialect answers the narrow
// questions (same type? same default?); downgrades are the exact reverse of the ops.
#include <dbmig/autogenerate/data_checks.hpp>
#include <dbmig/dialects/dialect.hpp>  // a later stage: the differ asks the dialect whether two spellings are the same

#include <optional>
#include <string>
#include <vector>

namespace dbmig {

struct SchemaDiff {
  std::vector<Op> upgrade;
  std::vector<std::string> changes;   // "added table 'user'", in order, for logs and `check`
  std::vector<std::string> warnings;  // destructive or unsupported changes
  std::vector<DataWarning> data_warnings;  // what the rows will do (check_data), filled by the caller
  // Extensions, sequences and views of a kind models.yaml does not declare: left alone.
  std::vector<UnmodelledObject> undeclared;
  bool empty() const { return upgrade.empty(); }
};

// `stored` is the model spelled as the database stores it (Dialect::stored_spelling), when the
// dialect has one: checks are then compared by that text, defaults and predicates by its
// canonical form.
SchemaDiff compare_schemas(const Schema& model, const Schema& database, const Dialect& dialect,
                           const std::optional<Schema>& stored = std::nullopt);

}  // namespace dbmig
