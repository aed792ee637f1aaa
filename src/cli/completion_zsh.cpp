// The zsh completion script: one _arguments call per command, nested commands dispatched through
// the `->command` / `->args` states as zsh's own completions do.
#include <dbmig/cli/completion_shells.hpp>

#include <sstream>

namespace dbmig {
namespace {

// Text inside a single-quoted _arguments spec: quotes closed and reopened, brackets and colons
// escaped where they delimit the spec's parts.
std::string spec_text(const std::string& s, bool in_brackets = false) {
  std::string out;
  for (char ch : s) {
    if (ch == '\'') out += "'\\''";
    else if (ch == '[' || ch == ']' || (ch == ':' && !in_brackets)) out += std::string("\\") + ch;
    else out += ch;
  }
  return out;
}

std::string function_name(const std::string& program, const std::vector<std::string>& path) {
  std::string out = "_" + program;
  for (const auto& p : path) {
    out += "__";
    for (char ch : p) out += (ch == '-' ? '_' : ch);
  }
  return out;
}

std::string action(const std::string& program, const CliValue& v) {
  switch (v.kind) {
    case ValueKind::choices: {
      std::string out = "(";
      for (size_t i = 0; i < v.choices.size(); ++i) out += (i ? " " : "") + spec_text(v.choices[i]);
      return out + ")";
    }
    case ValueKind::file: return "_files";
    case ValueKind::directory: return "_files -/";
    case ValueKind::revision: return "_" + program + "_revisions";
    case ValueKind::target: return "_" + program + "_targets";
    case ValueKind::text: break;
  }
  return " ";
}

void option_specs(std::ostringstream& out, const std::string& program, const std::vector<CliOption>& options) {
  for (const CliOption& o : options) {
    std::string exclusive;
    if (o.repeatable) exclusive = "*";
    else if (o.names.size() > 1) {
      exclusive = "(";
      for (size_t i = 0; i < o.names.size(); ++i) exclusive += (i ? " " : "") + o.names[i];
      exclusive += ")";
    }
    for (const auto& n : o.names) {
      out << "    '" << exclusive << n;
      if (o.takes_value) out << (n.rfind("--", 0) == 0 ? "=" : "+");
      out << "[" << spec_text(o.description, true) << "]";
      if (o.takes_value) out << ":" << spec_text(o.value.name) << ":" << action(program, o.value);
      out << "' \\\n";
    }
  }
}

}  // namespace

std::string zsh_completion(const CliCommand& cli) {
  const std::string& name = cli.name;
  std::ostringstream out;
  out << "#compdef " << name << "\n# zsh completion for " << name << "; written by `" << name
      << " completion zsh` from its command-line definition.\n\n";
  // The root function notes the program and any -c FILE on the whole line (nested commands see
  // only their own words), so revisions come from that project.
  out << "_" << name << "_revisions() {\n"
      << "  local -a revisions\n"
      << "  revisions=(head heads base ${(f)\"$(_call_program revisions ${_" << name << "_program:-" << name
      << "} $_" << name << "_config --format json history 2>/dev/null | " << kRevisionIdsFilter << ")\"})\n"
      << "  compadd -a revisions\n"
      << "}\n\n";
  out << "_" << name << "_targets() {\n"
      << "  local -a targets\n"
      << "  targets=(${(f)\"$(awk '" << kTargetsAwk << "' ${_" << name << "_config[2]:-dbmig.yaml} 2>/dev/null)\"})\n"
      << "  compadd -a targets\n"
      << "}\n\n";

  for (const auto& at : all_commands(cli)) {
    const CliCommand& c = *at.command;
    out << function_name(name, at.path) << "() {\n";
    if (at.path.empty()) {
      out << "  local _" << name << "_program=$words[1] i=${words[(I)-c|--config]}\n"
          << "  local -a _" << name << "_config\n"
          << "  (( i )) && _" << name << "_config=(-c ${words[i+1]})\n";
    }
    if (!c.commands.empty()) out << "  local curcontext=$curcontext state line\n  typeset -A opt_args\n";
    out << "  _arguments -s -S" << (c.commands.empty() ? "" : " -C") << " \\\n";
    option_specs(out, name, at.options);
    if (!c.commands.empty()) {
      out << "    ': :->command' \\\n    '*:: :->args'\n";
      out << "  case $state in\n    command)\n      local -a commands\n      commands=(\n";
      for (const auto& sub : c.commands) out << "        '" << spec_text(sub.name) << ":" << spec_text(sub.description) << "'\n";
      out << "      )\n      _describe -t commands '" << name << " command' commands ;;\n";
      out << "    args)\n      case $words[1] in\n";
      for (const auto& sub : c.commands) {
        auto p = at.path;
        p.push_back(sub.name);
        out << "        " << sub.name << ") " << function_name(name, p) << " ;;\n";
      }
      out << "      esac ;;\n  esac\n";
    } else {
      for (size_t i = 0; i < c.positionals.size(); ++i) {
        const auto& p = c.positionals[i];
        out << "    '" << (p.many ? "*" : std::to_string(i + 1)) << (p.required || p.many ? ":" : "::")
            << spec_text(p.value.name + " -- " + p.description) << ":" << action(name, p.value) << "' \\\n";
      }
      out << "    && return 0\n";
    }
    out << "}\n\n";
  }
  out << "if [[ $zsh_eval_context[-1] == loadautofunc ]]; then\n  _" << name << " \"$@\"\nelse\n  compdef _"
      << name << " " << name << "\nfi\n";
  return out.str();
}

}  // namespace dbmig
