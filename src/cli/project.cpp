#include <dbmig/cli/project.hpp>
#include <dbmig/util/error.hpp>
#include <dbmig/util/output.hpp>

#include <iostream>

namespace dbmig {

NamingConvention naming_from(const Config& config) {
  NamingConvention n;
  for (const auto& [key, pattern] : config.naming_convention) {
    if (key == "ix") n.ix = pattern;
    else if (key == "uq") n.uq = pattern;
    else if (key == "fk") n.fk = pattern;
    else if (key == "ck") n.ck = pattern;
    else if (key == "pk") n.pk = pattern;
  }
  return n;
}

Project::Project(const Globals& globals)
    : globals_(globals), config_(load_config(globals.config_file)), scripts_(config_.script_dir(), naming_from(config_)) {
  if (globals_.schema) config_.schemas = {*globals_.schema};  // autogenerate compares the tenant's schema
}

void announce_generated(const std::filesystem::path& path) {
  log_info("Generating " + path.string() + " ... done");
  std::cout << path.string() << "\n";
}

NamingConvention Project::naming() const { return naming_from(config_); }

const DatabaseUrl& Project::url() {
  if (!url_) url_ = resolve_database_url(config_, globals_.url);
  return *url_;
}

const Dialect& Project::dialect() {
  if (!dialect_) {
    if (globals_.schema && url().dialect != DialectKind::postgresql)
      throw UsageError("--schema needs a PostgreSQL database (SQLite has no schemas)");
    if (config_.version_table_schema && !config_.version_table_schema->empty() && url().dialect != DialectKind::postgresql)
      throw Error(globals_.config_file + ": version_table_schema needs a PostgreSQL database (SQLite has no schemas)");
    dialect_ = make_dialect(url().dialect);
  }
  return *dialect_;
}

Connection& Project::connect(const ConnectOptions& options) {
  if (!conn_) {
    ConnectOptions o = options;
    if (globals_.schema) o.search_path = *globals_.schema;
    conn_ = dbmig::connect(url(), o);
  }
  return *conn_;
}

}  // namespace dbmig
