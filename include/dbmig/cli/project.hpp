#pragma once
// A dbmig project as the commands see it: the configuration, its script directory, and the
// database it points at, each loaded on first use.
#include <dbmig/cli/globals.hpp>
#include <dbmig/config/config.hpp>
#include <dbmig/dialects/connection.hpp>
#include <dbmig/dialects/dialect.hpp>
#include <dbmig/revisions/script_directory.hpp>

#include <memory>
#include <optional>

namespace dbmig {

class Project {
 public:
  explicit Project(const Globals& globals);

  const Config& config() const { return config_; }
  ScriptDirectory& scripts() { return scripts_; }
  const RevisionGraph& graph() { return scripts_.graph(); }
  const DatabaseUrl& url();
  const Dialect& dialect();
  Connection& connect(const ConnectOptions& options = {});
  VersionTableName version_table() const { return {config_.version_table, config_.version_table_schema}; }
  NamingConvention naming() const;

 private:
  Globals globals_;
  Config config_;
  ScriptDirectory scripts_;
  std::optional<DatabaseUrl> url_;
  std::unique_ptr<Dialect> dialect_;
  std::unique_ptr<Connection> conn_;
};

NamingConvention naming_from(const Config& config);

// "Generating PATH ... done" on stderr and the path on stdout, as Alembic reports a new file.
void announce_generated(const std::filesystem::path& path);

}  // namespace dbmig
