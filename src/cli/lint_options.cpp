#include <dbmig/cli/lint_options.hpp>
#include <dbmig/util/error.hpp>

namespace dbmig {

lint::LintOptions lint_options(Project& project) {
  lint::LintOptions o;
  // lint needs no database: without a usable URL it checks for PostgreSQL, where the rules matter.
  try {
    o.dialect = project.url().dialect;
  } catch (const Error&) {
    o.dialect = DialectKind::postgresql;
  }
  o.ddl_lock_timeout = project.config().lock_timeout > 0;
  o.transaction_per_migration = project.config().transaction_per_migration;
  return o;
}

}  // namespace dbmig
