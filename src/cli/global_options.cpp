#include <dbmig/cli/global_options.hpp>
#include <dbmig/util/output.hpp>

#include <unistd.h>

namespace dbmig {
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

void add_global_options(CLI::App& app, GlobalOptions& o) {
  app.description(kDescription);
  app.name("dbmig");
  app.footer(kFooter);
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("dbmig ") + DBMIG_VERSION);
  app.add_option("-c,--config", o.globals.config_file, "configuration file")->capture_default_str();
  app.add_option("--url", o.globals.url, "database URL (overrides DBMIG_DATABASE_URL and dbmig.yaml)");
  auto* v = app.add_flag("-v,--verbose", o.verbose, "show the SQL that runs (-vv: every statement)");
  app.add_flag("-q,--quiet", o.quiet, "print only warnings and errors")->excludes(v);
  app.add_flag("--no-color", o.no_color, "never colour the output (colour is used only on a terminal)");
  app.add_option("--format", o.format, "output of current, heads, history, check")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
}

void apply_output_options(GlobalOptions& o) {
  o.globals.json = o.format == "json";
  set_stdout_color(!o.no_color && isatty(STDOUT_FILENO) && !o.globals.json);
  setup_logging(o.quiet ? -1 : o.verbose, !o.no_color && isatty(STDERR_FILENO));
}

std::optional<std::string> unknown_verb(const CLI::App& app, int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "-c" || a == "--config" || a == "--url" || a == "--format") {
      ++i;
      continue;
    }
    if (a.empty() || a[0] == '-') continue;
    for (const auto* s : app.get_subcommands({}))
      if (s->get_name() == a) return std::nullopt;
    return a;
  }
  return std::nullopt;
}

}  // namespace dbmig
