#pragma once
// --target NAME / --all / -j N / --keep-going on the verbs that talk to a database (SPEC §7.6):
// the verb runs once per target, as a child dbmig process (see dbmig/fleet/runner.hpp).
#include <dbmig/cli/globals.hpp>

#include <CLI/CLI.hpp>

#include <optional>
#include <string>
#include <vector>

namespace dbmig {

struct FleetFlags {
  std::vector<std::string> targets;  // --target, repeatable
  bool all = false;
  size_t jobs = 0;  // 0: the number of cores
  bool keep_going = false;
  bool selected() const { return all || !targets.empty(); }
};

void add_fleet_options(CLI::App* verb, FleetFlags& flags);

// Runs `verb` on every selected target with the rest of the command line as given; returns
// the exit code. `command_line` is dbmig's own argv, from which the fleet options are removed.
int run_on_targets(const Globals& g, const FleetFlags& flags, const std::string& verb,
                   const std::vector<std::string>& command_line);

// The command line (argv[1..]) without --target/--all/-j/--keep-going.
std::vector<std::string> without_fleet_options(const std::vector<std::string>& command_line);

}  // namespace dbmig
