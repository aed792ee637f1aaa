#pragma once
// Compares the declared model with the inspected database and emits the ops that take the
// database to the model (Alembic's autogenerate compare). The dialect answers the narrow
// questions (same type? same default?); downgrades are the exact reverse of the ops.
#include <dbmig/dialects/dialect.hpp>  // a later stage: the differ asks the dialect whether two spellings are the same

#include <string>
#include <vector>

namespace dbmig {

struct SchemaDiff {
  std::vector<Op> upgrade;
  std::vector<std::string> changes;   // "added table 'user'", in order, for logs and `check`
  std::vector<std::string> warnings;  // destructive or unsupported changes
  bool empty() const { return upgrade.empty(); }
};

SchemaDiff compare_schemas(const Schema& model, const Schema& database, const Dialect& dialect);

}  // namespace dbmig
