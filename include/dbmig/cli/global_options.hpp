#pragma once
// dbmig's own options (before the verb), its help text, and the output settings they choose.
#include <dbmig/cli/globals.hpp>

#include <CLI/CLI.hpp>

#include <optional>
#include <string>

namespace dbmig {

struct GlobalOptions {
  Globals globals;
  int verbose = 0;
  bool quiet = false;
  bool no_color = false;
  std::string format = "text";
};

// Description, footer, --version and the global options of `app`.
void add_global_options(CLI::App& app, GlobalOptions& options);

// Logging level and colours from -v/-q/--no-color/--format, once the command line is parsed.
void apply_output_options(GlobalOptions& options);

// The first word that is neither an option nor a verb of `app`: CLI11 would otherwise report an
// unknown command as "A subcommand is required".
std::optional<std::string> unknown_verb(const CLI::App& app, int argc, char** argv);

}  // namespace dbmig
