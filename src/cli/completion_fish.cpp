// The fish completion script: a function that finds the command path typed so far, then one
// `complete` line per command, option and argument, conditioned on that path.
#include <dbmig/cli/completion_shells.hpp>

#include <set>
#include <sstream>

namespace dbmig {
namespace {

// Not `quoted`: std::quoted would win overload resolution by argument-dependent lookup.
std::string fish_quoted(const std::string& s) {
  std::string out = "'";
  for (char ch : s) {
    if (ch == '\'' || ch == '\\') out += '\\';
    out += ch;
  }
  return out + "'";
}

std::string path_key(const std::vector<std::string>& path) {
  std::string out;
  for (const auto& p : path) out += "/" + p;
  return out;
}

std::string arguments(const std::string& program, const CliValue& v) {
  switch (v.kind) {
    case ValueKind::choices: {
      std::string words;
      for (const auto& c : v.choices) words += (words.empty() ? "" : " ") + c;
      return " -f -a " + fish_quoted(words);
    }
    case ValueKind::file: return " -F";
    case ValueKind::directory: return " -f -a '(__fish_complete_directories)'";
    case ValueKind::revision: return " -f -a '(__" + program + "_revisions)'";
    case ValueKind::target: return " -f -a '(__" + program + "_targets)'";
    case ValueKind::text: break;
  }
  return " -f";
}

}  // namespace

std::string fish_completion(const CliCommand& cli) {
  const std::string& name = cli.name;
  auto commands = all_commands(cli);
  std::ostringstream out;
  out << "# fish completion for " << name << "; written by `" << name
      << " completion fish` from its command-line definition.\n\n";

  // Options that take a value, so that value is not read as a command.
  std::set<std::string> valued;
  for (const auto& at : commands)
    for (const CliOption& o : at.options)
      if (o.takes_value)
        for (const auto& n : o.names) valued.insert(n);
  out << "function __" << name << "_path --description 'the " << name << " command typed so far, as /a/b'\n"
      << "    set -l path ''\n    set -l skip 0\n    set -l args 0\n"
      << "    for w in (commandline -opc)[2..-1]\n"
      << "        if test $skip = 1\n            set skip 0\n        else if contains -- $w";
  for (const auto& n : valued) out << " " << n;
  out << "\n            set skip 1\n"
      << "        else if string match -q -- '-*' $w\n"
      << "        else if test $args = 0; and contains -- \"$path/$w\"";
  for (const auto& at : commands)
    if (!at.path.empty()) out << " " << fish_quoted(path_key(at.path));
  out << "\n            set path \"$path/$w\"\n"
      << "        else\n            set args (math $args + 1)\n        end\n"
      << "    end\n    echo $path\nend\n\n";
  out << "function __" << name << "_at --description 'is the command typed so far $argv[1]'\n"
      << "    test (__" << name << "_path) = \"$argv[1]\"\nend\n\n";
  out << "function __" << name << "_config --description '-c FILE as typed on the line'\n"
      << "    set -l words (commandline -opc)\n"
      << "    for i in (seq (count $words))\n"
      << "        if contains -- $words[$i] -c --config; and set -q words[(math $i + 1)]\n"
      << "            printf '%s\\n' -c $words[(math $i + 1)]\n"
      << "        end\n    end\nend\n\n";
  out << "function __" << name << "_revisions\n"
      << "    printf '%s\\n' head heads base\n"
      << "    set -l program (commandline -opc)[1]\n"
      << "    $program (__" << name << "_config) --format json history 2>/dev/null | " << kRevisionIdsFilter << "\nend\n\n";
  out << "function __" << name << "_targets\n"
      << "    set -l config (__" << name << "_config)\n"
      << "    set -q config[2]; or set config -c dbmig.yaml\n"
      << "    awk '" << kTargetsAwk << "' $config[2] 2>/dev/null\nend\n\n";

  out << "complete -c " << name << " -f\n";
  for (const auto& at : commands) {
    std::string when = " -n " + fish_quoted("__" + name + "_at " + path_key(at.path));
    if (at.path.empty()) when = " -n " + fish_quoted("__" + name + "_at ''");
    for (const auto& sub : at.command->commands)
      out << "complete -c " << name << when << " -a " << fish_quoted(sub.name) << " -d " << fish_quoted(sub.description) << "\n";
    for (const CliOption& o : at.options) {
      out << "complete -c " << name << when;
      for (const auto& n : o.names) out << (n.rfind("--", 0) == 0 ? " -l " + n.substr(2) : " -s " + n.substr(1));
      if (o.takes_value) out << " -r" << arguments(name, o.value);
      out << " -d " << fish_quoted(o.description) << "\n";
    }
    for (const auto& p : at.command->positionals)
      out << "complete -c " << name << when << arguments(name, p.value) << " -d " << fish_quoted(p.value.name) << "\n";
  }
  return out.str();
}

}  // namespace dbmig
