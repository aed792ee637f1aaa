#include <dbmig/cli/verbs.hpp>

#include <set>
#include <string_view>

namespace dbmig {

CLI::App* VerbRegistry::add(const char* name, const char* help, CLI::App* parent) {
  auto* verb = (parent ? parent : &app_)->add_subcommand(name, help);
  verb->fallthrough();  // global options may follow the verb
  // lint reads the database too, but its own --all (every revision) keeps it to one database.
  static const std::set<std::string_view> database_verbs = {"upgrade", "downgrade", "stamp", "current",
                                                            "check",   "migrate",   "revision", "history"};
  if (!parent && database_verbs.count(name)) add_fleet_options(verb, fleet_);
  return verb;
}

}  // namespace dbmig
