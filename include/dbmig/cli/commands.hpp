#pragma once
// One function per command-line verb (Alembic's command.py). Each wires the parts together and
// returns the exit code; errors are thrown as dbmig::Error and printed once by main.
#include <optional>
#include <string>
#include <vector>

namespace dbmig {

struct Globals {
  std::string config_file = "dbmig.yaml";
  std::optional<std::string> url;
  bool json = false;
};

struct RevisionOptions {
  std::string message;
  std::optional<std::string> rev_id;
  std::string head = "head";
  bool splice = false;
  std::vector<std::string> branch_labels;
  std::vector<std::string> depends_on;
};

struct AutogenerateOptions {
  std::string message;
  std::optional<std::string> rev_id;
  std::string head = "head";
  bool allow_empty = false;
  bool from_empty = false;
  bool dry_run = false;
};

struct RunOptions {
  std::string target;
  bool sql = false;
  bool dry_run = false;
  double lock_timeout = -1;
  bool strict = false;
};

int cmd_init(const Globals& g, const std::string& dir);
int cmd_revision(const Globals& g, const RevisionOptions& o);
int cmd_merge(const Globals& g, const std::string& message, const std::vector<std::string>& revisions,
              const std::optional<std::string>& rev_id);
int cmd_migrate(const Globals& g, const AutogenerateOptions& o);
int cmd_check(const Globals& g);
int cmd_upgrade(const Globals& g, const RunOptions& o);
int cmd_downgrade(const Globals& g, const RunOptions& o);
int cmd_stamp(const Globals& g, const std::string& target, bool purge, bool sql, double lock_timeout);
int cmd_current(const Globals& g, bool verbose);
int cmd_history(const Globals& g, const std::string& range, bool verbose, bool applied);
int cmd_heads(const Globals& g, bool verbose);
int cmd_branches(const Globals& g, bool verbose);
int cmd_show(const Globals& g, const std::string& revision);
int cmd_import_alembic(const Globals& g, const std::string& dir, const std::optional<std::string>& naming_convention);

}  // namespace dbmig
