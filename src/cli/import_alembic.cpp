// import alembic DIR: an Alembic / Flask-Migrate history becomes dbmig revision files (SPEC §7.4).
#include <dbmig/cli/commands.hpp>
#include <dbmig/config/config.hpp>
#include <dbmig/importers/alembic.hpp>
#include <dbmig/util/output.hpp>

#include <iostream>

namespace dbmig {

int cmd_import_alembic(const Globals& g, const std::string& dir, const std::optional<std::string>& naming_option) {
  Config config = load_config(g.config_file);
  // The project's own convention (dbmig.yaml) as far as the user set one, then the flag: both
  // stand for the MetaData naming convention the Alembic project ran with.
  AlembicNaming naming;
  for (const auto& [key, pattern] : config.naming_convention) naming.patterns[key] = pattern;
  if (naming_option)
    for (const auto& [key, pattern] : parse_naming_option(*naming_option).patterns) naming.patterns[key] = pattern;

  auto versions = config.script_dir() / "versions";
  auto result = import_alembic(dir, versions, naming);
  for (const auto& path : result.written) log_debug("Wrote " + path.string());
  std::cout << "Imported " << result.written.size() << " revision" << (result.written.size() == 1 ? "" : "s") << " from "
            << (std::filesystem::path(dir) / "versions").string() << " into " << versions.string() << "\n";
  if (!result.notes.empty()) {
    std::cout << result.notes.size() << " construct" << (result.notes.size() == 1 ? " was" : "s were")
              << " not converted; each is an `unconverted` op that stops a run before it changes the database "
                 "(convert it by hand):\n";
    for (const auto& n : result.notes) std::cout << "  " << n.file << ":" << n.line << ": " << n.what << "\n";
  }
  return 0;
}

}  // namespace dbmig
