#pragma once
// One completion script per shell, each written from the command-line definition. The scripts
// complete commands, options, choices, files, revision ids (from `dbmig --format json history`,
// which reads only the revision index) and target names (the keys of `targets:` in dbmig.yaml).
#include <dbmig/cli/cli_model.hpp>

#include <string>

namespace dbmig {

std::string bash_completion(const CliCommand& cli);
std::string zsh_completion(const CliCommand& cli);
std::string fish_completion(const CliCommand& cli);

// Shell snippets the three scripts share: the awk program that prints the target names of a
// dbmig.yaml, and the pipeline tail that picks revision ids out of `history --format json`.
extern const char* const kTargetsAwk;
extern const char* const kRevisionIdsFilter;

}  // namespace dbmig
