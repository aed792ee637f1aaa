// dbmig's command line: the global options, the list of verbs, and errors printed once.
#include <dbmig/cli/global_options.hpp>
#include <dbmig/cli/verbs.hpp>
#include <dbmig/util/error.hpp>

#include <iostream>

using namespace dbmig;

int main(int argc, char** argv) {
  CLI::App app;
  GlobalOptions options;
  add_global_options(app, options);
  VerbRegistry verbs(app, options.globals);
  for (auto add_verb : {add_init, add_revision, add_migrate, add_check, add_merge, add_upgrade, add_downgrade,
                        add_stamp, add_current, add_history, add_heads, add_branches, add_show, add_models, add_import, add_lint,
                        add_completion, add_manpage})
    add_verb(verbs);

  if (auto unknown = unknown_verb(app, argc, argv)) {
    std::cerr << "dbmig: error: unknown command '" << *unknown << "' (run 'dbmig --help' for the list)\n";
    return 2;
  }
  verbs.set_command_line(argc, argv);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "dbmig: error: " << e.what() << " (run 'dbmig --help' for usage)\n";
    return 2;
  }
  try {
    apply_output_options(options);
    return verbs.run();
  } catch (const UsageError& e) {
    std::cerr << "dbmig: error: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "dbmig: error: " << e.what() << "\n";
    return 1;
  }
}
