#pragma once
// What upgrade and downgrade share: their options and the run itself.
#include <dbmig/cli/globals.hpp>
#include <dbmig/run/migrator.hpp>

#include <CLI/CLI.hpp>

#include <optional>

#include <string>
#include <utility>

namespace dbmig {

struct RunOptions {
  std::string target;
  bool sql = false;
  bool dry_run = false;
  double lock_timeout = -1;
  bool strict = false;
  std::optional<double> lock_timeout_ddl;  // overrides dbmig.yaml lock_timeout
};

void add_run_options(CLI::App* verb, RunOptions& o);

int run_revisions(const Globals& g, const RunOptions& o, Direction dir);

// "FROM:TO" as {FROM, TO}; a plain target as {"", target}.
std::pair<std::string, std::string> split_range(const std::string& target);

}  // namespace dbmig
