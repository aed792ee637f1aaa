#include <dbmig/cli/fleet_command.hpp>
#include <dbmig/cli/project.hpp>
#include <dbmig/fleet/runner.hpp>
#include <dbmig/util/error.hpp>

#include <algorithm>

namespace dbmig {

void add_fleet_options(CLI::App* verb, FleetFlags& flags) {
  verb->add_option("--target", flags.targets, "run on this entry of targets: in dbmig.yaml (repeatable; SET/SCHEMA for one tenant)");
  verb->add_flag("--all", flags.all, "run on every entry of targets: in dbmig.yaml");
  verb->add_option("-j,--jobs", flags.jobs, "targets at once (default: the number of cores)");
  verb->add_flag("--keep-going", flags.keep_going, "start further targets after one failed");
}

std::vector<std::string> without_fleet_options(const std::vector<std::string>& argv) {
  std::vector<std::string> out;
  for (size_t i = 1; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (a == "--") {  // everything after it is positional
      out.insert(out.end(), argv.begin() + static_cast<long>(i), argv.end());
      break;
    }
    if (a == "--all" || a == "--keep-going") continue;
    if (a == "--target" || a == "-j" || a == "--jobs") {
      ++i;
      continue;
    }
    if (a.rfind("--target=", 0) == 0 || a.rfind("--jobs=", 0) == 0 || (a.rfind("-j", 0) == 0 && a.size() > 2)) continue;
    out.push_back(a);
  }
  return out;
}

int run_on_targets(const Globals& g, const FleetFlags& flags, const std::string& verb,
                   const std::vector<std::string>& command_line) {
  if (g.url) throw UsageError("--url names one database; --target/--all pick them from targets: in dbmig.yaml");
  if (g.schema) throw UsageError("--schema names one tenant; --target SET/SCHEMA picks one from targets: in dbmig.yaml");
  auto args = without_fleet_options(command_line);
  if (std::find(args.begin(), args.end(), "--sql") != args.end())
    throw UsageError("--sql prints a script without connecting; it takes no --target/--all");
  auto given = [&](const char* flag) { return std::find(args.begin(), args.end(), flag) != args.end(); };
  if (verb == "revision" && !given("--autogenerate"))
    throw UsageError("revision without --autogenerate does not read a database; it takes no --target/--all");
  if (verb == "history" && !given("--applied"))
    throw UsageError("history reads a database only with --applied; without it, it takes no --target/--all");
  Project project(g);
  auto targets = select_targets(project.config(), flags.targets, flags.all);
  if ((verb == "migrate" || verb == "revision") && targets.size() != 1)
    throw UsageError(verb + " compares the models with one database: pick one with --target (" +
                     std::to_string(targets.size()) + " selected)");
  RevisionSet heads = project.graph().heads();
  std::sort(heads.begin(), heads.end());
  FleetOptions o;
  o.child_args = std::move(args);
  o.jobs = flags.jobs;
  o.keep_going = flags.keep_going;
  o.json = g.json;
  o.drift_table = verb == "current" || verb == "check";
  o.check = verb == "check";
  o.is_head = [heads](std::vector<std::string> revisions) {
    std::sort(revisions.begin(), revisions.end());
    return revisions == heads;
  };
  return run_fleet(targets, o);
}

}  // namespace dbmig
