#pragma once
// Runs one dbmig command on many targets (SPEC §7.6). Each target is a child process: dbmig
// itself, started again with the target's URL (in its environment, so no password shows in
// `ps`) and, for a tenant, --schema. A target's run is then exactly a single-database run (its
// own connection, lock, transactions and audit rows), and a crash or a stuck connection in one
// target cannot take the others down. Lines the children print are prefixed with "[target] ".
#include <dbmig/fleet/targets.hpp>

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace dbmig {

struct FleetOptions {
  std::vector<std::string> child_args;  // dbmig's arguments for one target, fleet options removed
  size_t jobs = 0;                      // targets at once; 0: the number of cores
  bool keep_going = false;              // start new targets after one failed
  bool json = false;                    // one summary document on stdout
  // current and check: every target runs (they only read) and the summary is the drift table.
  bool drift_table = false;
  bool check = false;  // check: exit 1 without an error line means "models and database differ"
  std::function<bool(const std::vector<std::string>&)> is_head;  // the revisions are the scripts' heads
};

struct TargetResult {
  std::string target;
  std::string status = "skipped";  // ok | failed | skipped
  std::optional<std::string> from, to, current;  // revisions joined by ",", "base" when none
  double seconds = 0;
  std::string error;
  std::optional<bool> clean;  // check: the models and the database agree
};

// Runs every target and prints the summary; returns the exit code (0, 1 if any failed, 130
// when interrupted by Ctrl-C).
int run_fleet(const std::vector<FleetTarget>& targets, const FleetOptions& options);

// Prints the summary: a table (text) or {"targets": [...]} (json) on stdout.
void print_fleet_summary(const std::vector<TargetResult>& results, const FleetOptions& options);

}  // namespace dbmig
