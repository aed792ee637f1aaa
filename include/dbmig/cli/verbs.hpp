#pragma once
// The command line is a list of verbs (src/cli/main.cpp). Each verb lives in its own file in
// src/cli/verbs/: it declares its options on its own CLI11 subcommand and says what runs when it
// is chosen. Errors are thrown (util/error.hpp) and printed once by main.
#include <dbmig/cli/fleet_command.hpp>
#include <dbmig/cli/globals.hpp>

#include <CLI/CLI.hpp>

#include <functional>

namespace dbmig {

// Handed to each verb's add_* function while the command line is built.
class VerbRegistry {
 public:
  VerbRegistry(CLI::App& app, const Globals& globals) : app_(app), globals_(globals) {}

  // A new verb under `parent` (dbmig itself by default). Global options may follow it. A verb
  // that talks to a database also takes --target/--all/-j/--keep-going (SPEC §7.6).
  CLI::App* add(const char* name, const char* help, CLI::App* parent = nullptr);

  // When `verb` is chosen on the command line, main runs `run(globals)` for the exit code, or,
  // with --target/--all, the same command line once per target.
  // Options bound to the verb must outlive parsing: keep them in a shared_ptr that `run` holds.
  template <class Run>
  void on_run(CLI::App* verb, Run run) {
    verb->callback([this, run, verb] {
      action_ = [this, run, verb] {
        if (fleet_.selected()) return run_on_targets(globals_, fleet_, verb->get_name(), command_line_);
        return run(globals_);
      };
    });
  }

  // dbmig's command line, which a fleet run repeats for each target.
  void set_command_line(int argc, char** argv) { command_line_.assign(argv, argv + argc); }

  // The chosen verb's exit code.
  int run() const { return action_(); }

 private:
  CLI::App& app_;
  const Globals& globals_;
  std::function<int()> action_;
  FleetFlags fleet_;
  std::vector<std::string> command_line_;
};

void add_init(VerbRegistry& verbs);
void add_revision(VerbRegistry& verbs);
void add_migrate(VerbRegistry& verbs);
void add_check(VerbRegistry& verbs);
void add_merge(VerbRegistry& verbs);
void add_upgrade(VerbRegistry& verbs);
void add_downgrade(VerbRegistry& verbs);
void add_stamp(VerbRegistry& verbs);
void add_current(VerbRegistry& verbs);
void add_history(VerbRegistry& verbs);
void add_heads(VerbRegistry& verbs);
void add_branches(VerbRegistry& verbs);
void add_show(VerbRegistry& verbs);
void add_completion(VerbRegistry& verbs);
void add_manpage(VerbRegistry& verbs);
void add_models(VerbRegistry& verbs);  // models dump
void add_import(VerbRegistry& verbs);  // import alembic DIR
void add_lint(VerbRegistry& verbs);

}  // namespace dbmig
