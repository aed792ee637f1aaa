#pragma once
// The man page and the shell completions, printed from the command line's own definition.
#include <dbmig/cli/cli_model.hpp>

#include <functional>
#include <string>

namespace CLI {
class App;
}

namespace dbmig {

// Adds `completion SHELL` and the hidden `manpage` to the program's App.
void add_completion_verbs(CLI::App& app, std::function<int()>& action);

// dbmig(1) in roff (man(7) macros): NAME, SYNOPSIS, DESCRIPTION, OPTIONS, COMMANDS, then the
// footer's sections of `dbmig --help` (FILES, ENVIRONMENT, EXIT STATUS, EXAMPLES, ...).
std::string man_page(const CliCommand& cli, const std::string& footer, const std::string& version);

// A completion script for "bash", "zsh" or "fish"; a UsageError for any other shell.
std::string completion_script(const CliCommand& cli, const std::string& shell);

}  // namespace dbmig
