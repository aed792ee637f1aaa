#include <dbmig/cli/verbs.hpp>

namespace dbmig {

CLI::App* VerbRegistry::add(const char* name, const char* help, CLI::App* parent) {
  auto* verb = (parent ? parent : &app_)->add_subcommand(name, help);
  verb->fallthrough();  // global options may follow the verb
  return verb;
}

}  // namespace dbmig
