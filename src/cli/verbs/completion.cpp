// completion SHELL: the completion script for bash, zsh or fish, printed from the App that parses
// this very command line, so every verb, including ones added later, is in it.
#include <dbmig/cli/help_formats.hpp>
#include <dbmig/cli/verbs.hpp>

#include <iostream>
#include <memory>

namespace dbmig {

void add_completion(VerbRegistry& verbs) {
  auto shell = std::make_shared<std::string>();
  auto* v = verbs.add("completion", "print the completion script for bash, zsh or fish");
  v->add_option("SHELL", *shell, "the shell")->required()->check(CLI::IsMember({"bash", "zsh", "fish"}));
  v->footer(
      "\nThe Debian package installs all three. By hand:\n"
      "  dbmig completion bash > ~/.local/share/bash-completion/completions/dbmig\n"
      "  dbmig completion zsh > ~/.zfunc/_dbmig     (with fpath=(~/.zfunc $fpath) before compinit)\n"
      "  dbmig completion fish > ~/.config/fish/completions/dbmig.fish");
  verbs.on_run(v, [shell, v](const Globals&) {
    std::cout << completion_script(describe_cli(program_of(*v)), *shell);
    return 0;
  });
}

}  // namespace dbmig
