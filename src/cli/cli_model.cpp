#include <dbmig/cli/cli_model.hpp>

#include <CLI/CLI.hpp>

#include <algorithm>

namespace dbmig {
namespace {

// Completion by what a value is called, so a new verb's TARGET or --head completes revisions
// without anyone listing it. Names are the help's value names, then a few long option names
// whose value is a plain TEXT in CLI11.
ValueKind kind_of(const std::string& value_name, const std::vector<std::string>& long_names) {
  if (value_name == "FILE" || value_name == "PATH") return ValueKind::file;
  if (value_name == "DIR") return ValueKind::directory;
  if (value_name == "TARGET" || value_name == "REV" || value_name == "REVISION" || value_name == "REVISIONS" ||
      value_name == "RANGE")
    return ValueKind::revision;
  for (const auto& n : long_names) {
    if (n == "config") return ValueKind::file;
    if (n == "head" || n == "depends-on" || n == "rev-range") return ValueKind::revision;
    if (n == "target") return ValueKind::target;
  }
  return ValueKind::text;
}

// CLI11 names a value "TEXT:{text,json}" when an IsMember check lists its choices.
CliValue value_of(const std::string& name, const std::string& type_name, const std::vector<std::string>& long_names) {
  CliValue v;
  std::string base = type_name.substr(0, type_name.find(':'));
  v.name = name.empty() ? base : name;
  auto open = type_name.find(":{");
  if (open != std::string::npos && type_name.back() == '}') {
    std::string list = type_name.substr(open + 2, type_name.size() - open - 3);
    for (size_t start = 0; start <= list.size();) {
      size_t comma = std::min(list.find(',', start), list.size());
      std::string item = list.substr(start, comma - start);
      item.erase(0, item.find_first_not_of(' '));
      if (!item.empty()) v.choices.push_back(item);
      start = comma + 1;
    }
    v.kind = ValueKind::choices;
    if (v.name == "TEXT") {
      v.name.clear();
      for (const auto& c : v.choices) v.name += (v.name.empty() ? "" : "|") + c;
    }
    return v;
  }
  v.kind = kind_of(v.name, long_names);
  // CLI11's generic TEXT says less than what the value is.
  if (v.name == "TEXT" && v.kind == ValueKind::file) v.name = "FILE";
  if (v.name == "TEXT" && v.kind == ValueKind::revision) v.name = "REV";
  if (v.name == "TEXT" && v.kind == ValueKind::target) v.name = "NAME";
  return v;
}

bool hidden(const std::string& group) { return group.empty(); }

CliCommand describe(const CLI::App& app, const std::string& name) {
  CliCommand c;
  c.name = name;
  c.description = app.get_description();
  c.inherits_options = app.get_fallthrough();
  for (const CLI::Option* o : app.get_options()) {
    if (hidden(o->get_group())) continue;
    bool many = o->get_items_expected_max() > 1;
    if (o->get_positional() && !o->nonpositional()) {
      c.positionals.push_back({.description = o->get_description(),
                               .required = o->get_required(),
                               .many = many,
                               .value = value_of(o->get_name(true, false), o->get_type_name(), {})});
      continue;
    }
    CliOption opt;
    for (const auto& s : o->get_snames()) opt.names.push_back("-" + s);
    for (const auto& l : o->get_lnames()) opt.names.push_back("--" + l);
    opt.description = o->get_description();
    // A flag expects no value; a counted flag (-vv) keeps every occurrence.
    opt.takes_value = o->get_expected_max() > 0;
    opt.repeatable = many || (!opt.takes_value && o->get_multi_option_policy() == CLI::MultiOptionPolicy::TakeAll);
    if (opt.takes_value) opt.value = value_of("", o->get_type_name(), o->get_lnames());
    c.options.push_back(std::move(opt));
  }
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App* s) { return !hidden(s->get_group()); }))
    c.commands.push_back(describe(*sub, sub->get_name()));
  return c;
}

void collect(const CliCommand& c, std::vector<std::string> path, const std::vector<CliOption>& inherited,
             std::vector<CommandAt>& out) {
  std::vector<CliOption> options;
  if (c.inherits_options) {
    // A name the command defines itself (its own --help, --verbose) is its own, not the parent's.
    for (CliOption o : inherited) {
      std::erase_if(o.names, [&](const std::string& n) {
        return std::any_of(c.options.begin(), c.options.end(),
                           [&](const CliOption& own) { return std::count(own.names.begin(), own.names.end(), n) > 0; });
      });
      if (!o.names.empty()) options.push_back(std::move(o));
    }
  }
  options.insert(options.end(), c.options.begin(), c.options.end());
  out.push_back({path, &c, options});
  for (const auto& sub : c.commands) {
    auto p = path;
    p.push_back(sub.name);
    collect(sub, p, options, out);
  }
}

}  // namespace

const CLI::App& program_of(const CLI::App& verb) {
  const CLI::App* app = &verb;
  while (app->get_parent() != nullptr) app = app->get_parent();
  return *app;
}

CliCommand describe_cli(const CLI::App& app) { return describe(app, app.get_name()); }

std::vector<CommandAt> all_commands(const CliCommand& root) {
  std::vector<CommandAt> out;
  collect(root, {}, {}, out);
  return out;
}

std::vector<FooterSection> footer_sections(const std::string& footer) {
  std::vector<FooterSection> out;
  size_t start = 0;
  while (start < footer.size()) {
    size_t end = footer.find('\n', start);
    if (end == std::string::npos) end = footer.size();
    std::string line = footer.substr(start, end - start);
    start = end + 1;
    if (line.empty()) {
      if (!out.empty() && !out.back().lines.empty()) out.back().lines.push_back("");
    } else if (line[0] != ' ') {
      out.push_back({line, {}});
    } else if (!out.empty()) {
      out.back().lines.push_back(line.substr(std::min<size_t>(2, line.find_first_not_of(' '))));
    }
  }
  for (auto& s : out)
    while (!s.lines.empty() && s.lines.back().empty()) s.lines.pop_back();
  return out;
}

}  // namespace dbmig
