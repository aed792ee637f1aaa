#pragma once
// The command line as data: read once from the CLI11 App that dbmig parses with, so the man page
// and the shell completions are printed from the same definition as `dbmig --help` and cannot
// drift from it. Verbs added by anyone show up here without being listed anywhere else.
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace dbmig {

// What a value can be completed with. Read from the value's name (see value_kind in cli_model.cpp).
enum class ValueKind { text, choices, file, directory, revision, target };

struct CliValue {
  std::string name;  // as the help shows it: FILE, TEXT, TARGET, ...
  ValueKind kind = ValueKind::text;
  std::vector<std::string> choices;  // for ValueKind::choices
};

struct CliOption {
  std::vector<std::string> names;  // "-c", "--config"
  std::string description;
  bool takes_value = false;
  bool repeatable = false;  // -vv, or a list given as several occurrences
  CliValue value;           // when takes_value
};

struct CliPositional {
  std::string description;
  bool required = false;
  bool many = false;  // takes all the remaining words
  CliValue value;
};

struct CliCommand {
  std::string name;  // "dbmig" for the program itself
  std::string description;
  std::vector<CliOption> options;  // its own, help included
  std::vector<CliPositional> positionals;
  std::vector<CliCommand> commands;
  bool inherits_options = false;  // the parent's options are accepted after this command too
};

// The App a verb belongs to, walked up to the program itself.
const CLI::App& program_of(const CLI::App& verb);

// The visible commands and options of `app` (hidden ones, with an empty group, are left out).
CliCommand describe_cli(const CLI::App& app);

// Every command below `root` with its path ("models dump"), depth first, in definition order.
struct CommandAt {
  std::vector<std::string> path;
  const CliCommand* command;
  std::vector<CliOption> options;  // its own and the ones it inherits
};
std::vector<CommandAt> all_commands(const CliCommand& root);

// The text of the App's footer split at its headings ("EXIT STATUS\n  0 success ..."), for the
// man page: {heading, lines without their two-space indent}.
struct FooterSection {
  std::string heading;
  std::vector<std::string> lines;
};
std::vector<FooterSection> footer_sections(const std::string& footer);

}  // namespace dbmig
