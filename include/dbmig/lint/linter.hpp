#pragma once
// `dbmig lint` (SPEC §7.5): checks the upgrade ops of revisions, and their `execute` SQL, for
// changes that lock or rewrite a busy table, and names the safe way to make each one.
#include <dbmig/config/url.hpp>
#include <dbmig/lint/change.hpp>
#include <dbmig/lint/rules.hpp>
#include <dbmig/model/schema.hpp>
#include <dbmig/revisions/revision.hpp>

#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace dbmig {
class Dialect;
class SchemaTracker;
}

namespace dbmig::lint {

struct Finding {
  std::string rule;
  Level level = Level::error;
  std::string revision;
  std::string op;       // "create_index ix_user_email on user", or "execute: CREATE INDEX ..."
  std::string message;  // what happens, including whether the table is rewritten or scanned
  std::string lock;     // the lock taken and what it blocks
  std::string safe;     // the safe alternative
  std::filesystem::path file;
  int line = 0;         // 1-based line of the op in the file; 0 when unknown
};

struct LintOptions {
  DialectKind dialect = DialectKind::postgresql;
  // dbmig sets a lock_timeout for every DDL statement it runs (dbmig.yaml lock_timeout > 0).
  bool ddl_lock_timeout = true;
  // transaction_per_migration: revisions run in transactions of their own.
  bool transaction_per_migration = false;
};

class Linter {
 public:
  Linter(LintOptions options, NamingConvention naming);
  ~Linter();

  // Lints one revision file (its upgrade ops). Revisions are linted in upgrade order, so what
  // earlier ones did (column types, validated checks) informs the later ones.
  std::vector<Finding> lint_file(const std::filesystem::path& path);
  std::vector<Finding> lint_text(const std::string& text, const std::filesystem::path& path);

 private:
  struct RevisionState;
  struct Source;
  void check(const Change& c, const Source& src, RevisionState& rev, std::vector<Finding>& out);
  void follow(const Change& c, RevisionState& rev);

  LintOptions options_;
  NamingConvention naming_;
  std::unique_ptr<Dialect> dialect_;
  std::unique_ptr<SchemaTracker> tracker_;  // SQLite: table shapes, for its rebuild decision
  std::map<std::string, std::map<std::string, std::string>> types_;  // table -> column -> normalised type
  std::set<std::pair<std::string, std::string>> validated_not_null_;  // (table, column) with a valid IS NOT NULL check
  std::map<std::string, std::pair<std::string, std::string>> pending_not_null_;  // NOT VALID check name -> (table, column)
};

// Lints these revisions' files in the order given (upgrade order), findings in that order.
std::vector<Finding> lint_revisions(const std::vector<const Revision*>& revisions, const LintOptions& options,
                                    const NamingConvention& naming);

}  // namespace dbmig::lint
