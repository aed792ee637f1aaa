// The bash completion script: tables of commands, options and value kinds per command path, and
// one function that walks the words typed so far.
#include <dbmig/cli/completion_shells.hpp>

#include <sstream>

namespace dbmig {
namespace {

std::string path_key(const std::vector<std::string>& path) {
  std::string out;
  for (const auto& p : path) out += " " + p;
  return out;
}

std::string kind_word(const CliValue& v) {
  switch (v.kind) {
    case ValueKind::choices: {
      std::string out = "choices";
      for (const auto& c : v.choices) out += " " + c;
      return out;
    }
    case ValueKind::file: return "file";
    case ValueKind::directory: return "directory";
    case ValueKind::revision: return "revision";
    case ValueKind::target: return "target";
    case ValueKind::text: break;
  }
  return "text";
}

}  // namespace

std::string bash_completion(const CliCommand& cli) {
  const std::string& name = cli.name;
  auto commands = all_commands(cli);
  std::ostringstream out;
  out << "# bash completion for " << name << "; written by `" << name
      << " completion bash` from its command-line definition.\n\n";

  out << "_" << name << "_subcommands() {\n  case \"$1\" in\n";
  for (const auto& at : commands) {
    if (at.command->commands.empty()) continue;
    out << "    \"" << path_key(at.path) << "\") echo \"";
    for (size_t i = 0; i < at.command->commands.size(); ++i) out << (i ? " " : "") << at.command->commands[i].name;
    out << "\" ;;\n";
  }
  out << "  esac\n}\n\n";

  out << "_" << name << "_options() {\n  case \"$1\" in\n";
  for (const auto& at : commands) {
    out << "    \"" << path_key(at.path) << "\") echo \"";
    bool first = true;
    for (const CliOption& o : at.options)
      for (const auto& n : o.names) out << (first ? "" : " ") << n, first = false;
    out << "\" ;;\n";
  }
  out << "  esac\n}\n\n";

  out << "# The kind of value an option takes (nothing for a flag).\n";
  out << "_" << name << "_option_value() {\n  case \"$1|$2\" in\n";
  for (const auto& at : commands)
    for (const CliOption& o : at.options) {
      if (!o.takes_value) continue;
      out << "    ";
      for (size_t i = 0; i < o.names.size(); ++i) out << (i ? "|" : "") << "\"" << path_key(at.path) << "|" << o.names[i] << "\"";
      out << ") echo \"" << kind_word(o.value) << "\" ;;\n";
    }
  out << "  esac\n}\n\n";

  out << "# The kind of the Nth (from 0) argument after the command.\n";
  out << "_" << name << "_positional() {\n  case \"$1|$2\" in\n";
  for (const auto& at : commands) {
    const auto& ps = at.command->positionals;
    for (size_t i = 0; i < ps.size(); ++i)
      out << "    \"" << path_key(at.path) << "|" << i << "\"" << (ps[i].many ? "|\"" + path_key(at.path) + "|\"*" : "")
          << ") echo \"" << kind_word(ps[i].value) << "\" ;;\n";
  }
  out << "  esac\n}\n\n";

  out << "_" << name << "_values() {  # KIND CUR DBMIG [-c FILE]\n"
      << "  local kind=$1 cur=$2 prog=$3\n  shift 3\n"
      << "  case \"$kind\" in\n"
      << "    file) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- \"$cur\")) ;;\n"
      << "    directory) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -d -- \"$cur\")) ;;\n"
      << "    revision) COMPREPLY=($(compgen -W \"head heads base $(\"$prog\" \"$@\" --format json history 2>/dev/null | "
      << kRevisionIdsFilter << ")\" -- \"$cur\")) ;;\n"
      << "    target) COMPREPLY=($(compgen -W \"$(awk '" << kTargetsAwk
      << "' \"${2:-dbmig.yaml}\" 2>/dev/null)\" -- \"$cur\")) ;;\n"
      << "    choices\\ *) COMPREPLY=($(compgen -W \"${kind#choices }\" -- \"$cur\")) ;;\n"
      << "  esac\n}\n\n";

  out << "_" << name << "() {\n"
      << "  local cur words cword\n"
      << "  if declare -F _get_comp_words_by_ref >/dev/null; then\n"
      << "    _get_comp_words_by_ref -n =: cur words cword\n"
      << "  else\n"
      << "    words=(\"${COMP_WORDS[@]}\"); cword=$COMP_CWORD; cur=${COMP_WORDS[COMP_CWORD]}\n"
      << "  fi\n"
      << "  COMPREPLY=()\n"
      << "  local path=\"\" npos=0 i=1 w kind config=()\n"
      << "  while (( i < cword )); do\n"
      << "    w=${words[i]}\n"
      << "    if [[ $w == -* ]]; then\n"
      << "      kind=$(_" << name << "_option_value \"$path\" \"$w\")\n"
      << "      if [[ -n $kind ]]; then\n"
      << "        if (( i + 1 == cword )); then\n"
      << "          _" << name << "_values \"$kind\" \"$cur\" \"${words[0]}\" \"${config[@]}\"\n"
      << "          return\n"
      << "        fi\n"
      << "        [[ $w == -c || $w == --config ]] && config=(-c \"${words[i+1]}\")\n"
      << "        (( i++ ))\n"
      << "      fi\n"
      << "    elif (( npos == 0 )) && [[ \" $(_" << name << "_subcommands \"$path\") \" == *\" $w \"* ]]; then\n"
      << "      path=\"$path $w\"\n"
      << "    else\n"
      << "      (( npos++ ))\n"
      << "    fi\n"
      << "    (( i++ ))\n"
      << "  done\n"
      << "  if [[ $cur == --*=* ]]; then\n"
      << "    kind=$(_" << name << "_option_value \"$path\" \"${cur%%=*}\")\n"
      << "    [[ -n $kind ]] && _" << name << "_values \"$kind\" \"${cur#*=}\" \"${words[0]}\" \"${config[@]}\"\n"
      << "    local j\n"
      << "    for j in \"${!COMPREPLY[@]}\"; do COMPREPLY[j]=\"${cur%%=*}=${COMPREPLY[j]}\"; done\n"
      << "    return\n"
      << "  fi\n"
      << "  if [[ $cur == -* ]]; then\n"
      << "    COMPREPLY=($(compgen -W \"$(_" << name << "_options \"$path\")\" -- \"$cur\"))\n"
      << "    return\n"
      << "  fi\n"
      << "  local subcommands=$(_" << name << "_subcommands \"$path\")\n"
      << "  if [[ -n $subcommands ]] && (( npos == 0 )); then\n"
      << "    COMPREPLY=($(compgen -W \"$subcommands\" -- \"$cur\"))\n"
      << "    return\n"
      << "  fi\n"
      << "  kind=$(_" << name << "_positional \"$path\" \"$npos\")\n"
      << "  [[ -n $kind ]] && _" << name << "_values \"$kind\" \"$cur\" \"${words[0]}\" \"${config[@]}\"\n"
      << "}\n\n"
      << "complete -F _" << name << " " << name << "\n";
  return out.str();
}

}  // namespace dbmig
