// completion SHELL: the completion script for bash, zsh or fish; and the hidden `manpage`, which
// CMake runs at build time to write dbmig.1. Both print from the App that parses this very command
// line, so every verb, including ones added later, is in them.
#include <dbmig/cli/help_formats.hpp>

#include <CLI/CLI.hpp>

#include <functional>
#include <iostream>
#include <memory>

namespace dbmig {

void add_completion_verbs(CLI::App& app, std::function<int()>& action) {
  auto shell = std::make_shared<std::string>();
  auto* completion = app.add_subcommand("completion", "print the completion script for bash, zsh or fish");
  completion->fallthrough();
  completion->add_option("SHELL", *shell, "the shell")->required()->check(CLI::IsMember({"bash", "zsh", "fish"}));
  completion->footer(
      "\nInstall: dbmig completion bash > ~/.local/share/bash-completion/completions/dbmig\n"
      "         dbmig completion zsh > \"${fpath[1]}/_dbmig\"\n"
      "         dbmig completion fish > ~/.config/fish/completions/dbmig.fish\n"
      "(the Debian package installs all three).");
  completion->callback([&app, &action, shell] {
    action = [&app, shell] {
      std::cout << completion_script(describe_cli(app), *shell);
      return 0;
    };
  });

  auto* manpage = app.add_subcommand("manpage", "print the man page dbmig(1) in roff");
  manpage->group("");  // hidden: for the build, not for users
  manpage->callback([&app, &action] {
    action = [&app] {
      std::cout << man_page(describe_cli(app), app.get_footer(), DBMIG_VERSION);
      return 0;
    };
  });
}

}  // namespace dbmig
