// dbmig's command line: parses arguments with CLI11, calls one command, prints errors once.
#include <dbmig/cli/commands.hpp>
#include <dbmig/util/error.hpp>
#include <dbmig/util/output.hpp>

#include <CLI/CLI.hpp>
#include <unistd.h>

#include <iostream>

using namespace dbmig;

namespace {

const char* kDescription =
    "dbmig - schema migrations for PostgreSQL and SQLite, in the spirit of Alembic and Flask-Migrate.\n\n"
    "Declare the data model in models.yaml; 'dbmig migrate -m MSG' compares it with the database and writes\n"
    "a revision file into migrations/versions/; 'dbmig upgrade head' applies pending revisions in a\n"
    "transaction and records the database's revision in the alembic_version table.";

const char* kFooter =
    "\nTARGETS\n"
    "  head, heads, base, a revision id or unique prefix, +N / -N (relative to the database),\n"
    "  REV+N / REV-N, label@head. With --sql, FROM:TO ranges.\n\n"
    "DATABASE URL\n"
    "  --url, then DBMIG_DATABASE_URL, then database_url in dbmig.yaml (${VAR} read from the environment).\n"
    "  sqlite:///relative.db  sqlite:////absolute.db  postgresql://user:password@host:5432/dbname\n\n"
    "EXIT STATUS\n"
    "  0 success; 1 an error you can fix (configuration, revision file, database, differences found by check);\n"
    "  2 command-line usage error.\n\n"
    "EXAMPLES\n"
    "  dbmig init\n"
    "  dbmig migrate -m \"create users\"\n"
    "  dbmig revision -m \"backfill emails\"\n"
    "  dbmig upgrade head\n"
    "  dbmig downgrade -1\n"
    "  dbmig upgrade --sql base:head > upgrade.sql\n"
    "  dbmig history --verbose\n";

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{kDescription, "dbmig"};
  app.footer(kFooter);
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("dbmig ") + DBMIG_VERSION);

  Globals g;
  int verbose = 0;
  bool quiet = false, no_color = false;
  std::string format = "text";
  app.add_option("-c,--config", g.config_file, "configuration file")->capture_default_str();
  app.add_option("--url", g.url, "database URL (overrides DBMIG_DATABASE_URL and dbmig.yaml)");
  auto* v = app.add_flag("-v,--verbose", verbose, "show the SQL that runs (-vv: every statement)");
  app.add_flag("-q,--quiet", quiet, "print only warnings and errors")->excludes(v);
  app.add_flag("--no-color", no_color, "never colour the output (colour is used only on a terminal)");
  app.add_option("--format", format, "output of current, heads, history, check")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();

  std::function<int()> action;
  auto sub = [&](const char* name, const char* help) {
    auto* s = app.add_subcommand(name, help);
    s->fallthrough();
    return s;
  };

  std::string init_dir = "migrations";
  auto* init = sub("init", "create dbmig.yaml, models.yaml (if absent) and the migrations folder");
  init->add_option("DIR", init_dir, "folder for the migration scripts")->capture_default_str();
  init->callback([&] { action = [&] { return cmd_init(g, init_dir); }; });

  RevisionOptions ro;
  bool autogenerate = false;
  auto* revision = sub("revision", "write a new, empty revision file to fill in by hand");
  revision->add_option("-m,--message", ro.message, "what the revision does")->required();
  revision->add_option("--rev-id", ro.rev_id, "use this revision id instead of a random one");
  revision->add_option("--head", ro.head, "the revision to build on (base starts a new branch)")->capture_default_str();
  revision->add_flag("--splice", ro.splice, "allow --head to name a revision that is not a head");
  revision->add_option("--branch-label", ro.branch_labels, "label the new revision's branch");
  revision->add_option("--depends-on", ro.depends_on, "revisions this one depends on");
  revision->add_flag("--autogenerate", autogenerate, "compare models.yaml with the database (same as migrate)");
  revision->callback([&] {
    action = [&] {
      if (!autogenerate) return cmd_revision(g, ro);
      if (ro.splice || !ro.branch_labels.empty() || !ro.depends_on.empty())
        throw UsageError("--autogenerate takes -m, --rev-id and --head; --splice, --branch-label and --depends-on need a hand-written revision");
      return cmd_migrate(g, {.message = ro.message, .rev_id = ro.rev_id, .head = ro.head});
    };
  });

  AutogenerateOptions mo;
  auto* migrate = sub("migrate", "write a revision from the difference between models.yaml and the database");
  migrate->add_option("-m,--message", mo.message, "what the revision does")->required();
  migrate->add_option("--rev-id", mo.rev_id, "use this revision id instead of a random one");
  migrate->add_option("--head", mo.head, "the revision to build on; the database must be there")->capture_default_str();
  migrate->add_flag("--allow-empty", mo.allow_empty, "write a revision even when nothing changed");
  migrate->add_flag("--from-empty", mo.from_empty, "compare with an empty database (a baseline of an existing one)");
  migrate->add_flag("--dry-run", mo.dry_run, "print the operations instead of writing a file");
  migrate->callback([&] { action = [&] { return cmd_migrate(g, mo); }; });

  auto* check = sub("check", "exit 1 and list the changes when models.yaml and the database differ");
  check->callback([&] { action = [&] { return cmd_check(g); }; });

  std::string merge_msg;
  std::vector<std::string> merge_revs;
  std::optional<std::string> merge_id;
  auto* merge = sub("merge", "write a revision that joins several heads");
  merge->add_option("-m,--message", merge_msg, "what the merge does")->required();
  merge->add_option("--rev-id", merge_id, "use this revision id instead of a random one");
  merge->add_option("REVISIONS", merge_revs, "the revisions to merge (e.g. heads)")->required();
  merge->callback([&] { action = [&] { return cmd_merge(g, merge_msg, merge_revs, merge_id); }; });

  RunOptions up{.target = "head"}, down{.target = "-1"};
  auto run_options = [&](CLI::App* s, RunOptions& o, const char* help) {
    s->add_option("TARGET", o.target, help)->capture_default_str();
    s->add_flag("--sql", o.sql, "print the SQL script instead of connecting (FROM:TO ranges allowed)");
    s->add_flag("--dry-run", o.dry_run, "connect, print the SQL that would run, change nothing");
    s->add_option("--lock-timeout", o.lock_timeout, "give up waiting for another migration after SECONDS");
    s->add_flag("--strict", o.strict, "treat an edited, already applied revision file as an error");
  };
  auto* upgrade = sub("upgrade", "apply revisions up to TARGET");
  run_options(upgrade, up, "where to go");
  upgrade->callback([&] { action = [&] { return cmd_upgrade(g, up); }; });
  auto* downgrade = sub("downgrade", "revert revisions down to TARGET");
  run_options(downgrade, down, "where to go");
  downgrade->callback([&] { action = [&] { return cmd_downgrade(g, down); }; });

  std::string stamp_target;
  bool purge = false, stamp_sql = false;
  double stamp_lock_timeout = -1;
  auto* stamp = sub("stamp", "set the version table to TARGET without running any revision");
  stamp->add_option("TARGET", stamp_target, "the revision(s) to record")->required();
  stamp->add_flag("--purge", purge, "delete every row of the version table first");
  stamp->add_flag("--sql", stamp_sql, "print the SQL instead of connecting");
  stamp->add_option("--lock-timeout", stamp_lock_timeout, "give up waiting for another migration after SECONDS");
  stamp->callback([&] { action = [&] { return cmd_stamp(g, stamp_target, purge, stamp_sql, stamp_lock_timeout); }; });

  bool current_verbose = false;
  auto* current = sub("current", "show the revision(s) the database is at");
  current->add_flag("--verbose", current_verbose, "show each revision in full");
  current->callback([&] { action = [&] { return cmd_current(g, current_verbose); }; });

  std::string range;
  bool history_verbose = false, history_applied = false;
  auto* history = sub("history", "list revisions, newest first");
  history->add_option("-r,--rev-range", range, "START:END, e.g. base:head, -3:current");
  history->add_flag("--verbose", history_verbose, "show each revision in full");
  history->add_flag("--applied", history_applied, "list what was applied, reverted or stamped (the dbmig_history table)");
  history->callback([&] { action = [&] { return cmd_history(g, range, history_verbose, history_applied); }; });

  bool heads_verbose = false;
  auto* heads = sub("heads", "show the current head revisions of the scripts");
  heads->add_flag("--verbose", heads_verbose, "show each revision in full");
  heads->callback([&] { action = [&] { return cmd_heads(g, heads_verbose); }; });

  bool branches_verbose = false;
  auto* branches = sub("branches", "show the branch points of the revision graph");
  branches->add_flag("--verbose", branches_verbose, "show each revision in full");
  branches->callback([&] { action = [&] { return cmd_branches(g, branches_verbose); }; });

  std::string show_rev;
  auto* show = sub("show", "show one revision in full");
  show->add_option("REV", show_rev, "revision id, prefix, head or label")->required();
  show->callback([&] { action = [&] { return cmd_show(g, show_rev); }; });

  std::string import_dir;
  std::optional<std::string> import_naming;
  auto* import = sub("import", "convert another tool's migration history into dbmig revisions");
  import->require_subcommand(1);
  auto* import_alembic = import->add_subcommand("alembic", "convert an Alembic / Flask-Migrate history (DIR holds env.py and versions/)");
  import_alembic->add_option("DIR", import_dir, "the Alembic folder (e.g. migrations of a Flask-Migrate project)")->required();
  import_alembic->add_option("--naming-convention", import_naming,
                             "the MetaData naming convention the project ran with, e.g. '{uq: \"uq_%(table_name)s_%(column_0_name)s\"}'");
  import_alembic->callback([&] { action = [&] { return cmd_import_alembic(g, import_dir, import_naming); }; });

  // An unknown command would otherwise read as "A subcommand is required".
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "-c" || a == "--config" || a == "--url" || a == "--format") {
      ++i;
      continue;
    }
    if (a.empty() || a[0] == '-') continue;
    bool known = false;
    for (const auto* s : app.get_subcommands({})) known = known || s->get_name() == a;
    if (!known) {
      std::cerr << "dbmig: error: unknown command '" << a << "' (run 'dbmig --help' for the list)\n";
      return 2;
    }
    break;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::string msg = e.what();
    std::cerr << "dbmig: error: " << msg << " (run 'dbmig --help' for usage)\n";
    return 2;
  }

  g.json = format == "json";
  bool color = !no_color && isatty(STDERR_FILENO);
  set_stdout_color(!no_color && isatty(STDOUT_FILENO) && !g.json);
  setup_logging(quiet ? -1 : verbose, color);
  try {
    return action();
  } catch (const UsageError& e) {
    std::cerr << "dbmig: error: " << e.what() << "\n";
    return 2;
  } catch (const Error& e) {
    std::cerr << "dbmig: error: " << e.what() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "dbmig: error: " << e.what() << "\n";
    return 1;
  }
}
