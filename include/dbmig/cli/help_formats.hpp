#pragma once
// The man page and the shell completions, printed from the command line's own definition.
#include <dbmig/cli/cli_model.hpp>

#include <string>

namespace dbmig {

// dbmig(1) in roff (man(7) macros): NAME, SYNOPSIS, DESCRIPTION, OPTIONS, COMMANDS, then the
// footer's sections of `dbmig --help` (FILES, ENVIRONMENT, EXIT STATUS, EXAMPLES, ...).
std::string man_page(const CliCommand& cli, const std::string& footer, const std::string& version);

// A completion script for "bash", "zsh" or "fish"; a UsageError for any other shell.
std::string completion_script(const CliCommand& cli, const std::string& shell);

}  // namespace dbmig
