// manpage (hidden): dbmig(1) in roff, which CMake writes at build time (cmake/packaging.cmake).
#include <dbmig/cli/help_formats.hpp>
#include <dbmig/cli/verbs.hpp>

#include <iostream>

namespace dbmig {

void add_manpage(VerbRegistry& verbs) {
  auto* v = verbs.add("manpage", "print the man page dbmig(1) in roff");
  v->group("");  // hidden: for the build, not for users
  verbs.on_run(v, [v](const Globals&) {
    const CLI::App& program = program_of(*v);
    std::cout << man_page(describe_cli(program), program.get_footer(), DBMIG_VERSION);
    return 0;
  });
}

}  // namespace dbmig
