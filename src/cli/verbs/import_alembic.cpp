// import alembic DIR: an Alembic / Flask-Migrate history becomes dbmig revision files (SPEC §7.4).
#include <dbmig/cli/verbs.hpp>
#include <dbmig/config/config.hpp>
#include <dbmig/importers/alembic.hpp>
#include <dbmig/util/output.hpp>

#include <iostream>
#include <memory>

namespace dbmig {
namespace {

struct ImportOptions {
  std::string dir;
  std::optional<std::string> naming_convention;
};

int import_alembic_verb(const Globals& g, const ImportOptions& o) {
  Config config = load_config(g.config_file);
  // The convention the Alembic project's MetaData had: the one set in dbmig.yaml, then the flag.
  AlembicNaming naming;
  for (const auto& [key, pattern] : config.naming_convention) naming.patterns[key] = pattern;
  if (o.naming_convention)
    for (const auto& [key, pattern] : parse_naming_option(*o.naming_convention).patterns) naming.patterns[key] = pattern;

  auto versions = config.script_dir() / "versions";
  auto result = import_alembic(o.dir, versions, naming);
  for (const auto& path : result.written) log_debug("Wrote " + path.string());
  std::cout << "Imported " << result.written.size() << " revision" << (result.written.size() == 1 ? "" : "s") << " from "
            << (std::filesystem::path(o.dir) / "versions").string() << " into " << versions.string() << "\n";
  if (!result.notes.empty()) {
    std::cout << result.notes.size() << " construct" << (result.notes.size() == 1 ? " was" : "s were")
              << " not converted; each is an `unconverted` op that stops a run before it changes the database "
                 "(convert it by hand):\n";
    for (const auto& n : result.notes) std::cout << "  " << n.file << ":" << n.line << ": " << n.what << "\n";
  }
  return 0;
}

}  // namespace

void add_import(VerbRegistry& verbs) {
  auto* import = verbs.add("import", "convert another tool's migration history into dbmig revisions");
  import->require_subcommand(1);
  auto o = std::make_shared<ImportOptions>();
  auto* v = verbs.add("alembic", "convert an Alembic / Flask-Migrate history (DIR holds env.py and versions/)", import);
  v->add_option("DIR", o->dir, "the Alembic folder (e.g. migrations/ of a Flask-Migrate project)")->required();
  v->add_option("--naming-convention", o->naming_convention,
                "the naming convention of the project's MetaData, e.g. '{uq: \"uq_%(table_name)s_%(column_0_name)s\"}'");
  verbs.on_run(v, [o](const Globals& g) { return import_alembic_verb(g, *o); });
}

}  // namespace dbmig
