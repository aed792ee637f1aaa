// models dump: the live catalog written as models.yaml (SPEC §7.3), the way into dbmig for a
// database that already exists.
#include <dbmig/cli/model_diff.hpp>
#include <dbmig/cli/verbs.hpp>
#include <dbmig/model/model_loader.hpp>
#include <dbmig/model/model_writer.hpp>
#include <dbmig/util/error.hpp>
#include <dbmig/util/output.hpp>

#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <set>

namespace dbmig {
namespace fs = std::filesystem;
namespace {

struct DumpOptions {
  std::optional<std::string> output;  // a file, or a folder for one file per table; none: stdout
  std::vector<std::string> schemas;   // PostgreSQL; empty: the config's `schemas`
  bool strict = false;                // what the model cannot express is an error
};

void write_file(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  if (!out || !(out << text) || !out.flush()) throw Error("cannot write " + path.string() + ": " + std::strerror(errno));
}

// A table's file in `-o DIR`: its name, made safe as a file name.
std::string file_name(const Table& t) {
  std::string name = (t.schema.empty() ? "" : t.schema + ".") + t.name;
  for (auto& c : name)
    if (c == '/' || c == '\\' || c == '\0') c = '_';
  if (name.front() == '.') name.insert(0, "_");
  return name + ".yaml";
}

// Writes through a temporary file and a rename, so an error leaves the old file as it was.
void write_models_file(const fs::path& path, const std::string& text) {
  fs::path tmp = path;
  tmp += ".dbmig-tmp-" + std::to_string(getpid());
  try {
    write_file(tmp, text);
    fs::rename(tmp, path);
  } catch (const std::exception& e) {
    std::error_code ec;
    fs::remove(tmp, ec);
    throw Error(std::string(e.what()).rfind("cannot", 0) == 0 ? e.what() : "cannot write " + path.string() + ": " + e.what());
  }
}

// One file per table in DIR. Every file is written into a temporary folder first; a DIR that
// holds other models is refused, since they would define tables twice or keep dropped ones.
void write_models_dir(const fs::path& dir, const std::vector<std::pair<std::string, std::string>>& files) {
  std::error_code ec;
  std::set<std::string> ours;
  for (const auto& [name, _] : files) ours.insert(name);
  if (fs::exists(dir, ec)) {
    for (const auto& e : fs::directory_iterator(dir, ec)) {
      auto ext = e.path().extension();
      if ((ext == ".yaml" || ext == ".yml") && !ours.count(e.path().filename().string()))
        throw Error(dir.string() + " already holds " + e.path().filename().string() +
                    ", which is not one of the dumped tables; dump into an empty folder");
    }
  }
  fs::path parent = dir.parent_path().empty() ? fs::path(".") : dir.parent_path();
  fs::path tmp = parent / ("." + dir.filename().string() + ".dbmig-tmp-" + std::to_string(getpid()));
  try {
    fs::create_directories(tmp);
    for (const auto& [name, text] : files) write_file(tmp / name, text);
    if (!fs::exists(dir)) {
      fs::rename(tmp, dir);
      return;
    }
    for (const auto& [name, _] : files) fs::rename(tmp / name, dir / name);
    fs::remove_all(tmp);
  } catch (const std::exception& e) {
    fs::remove_all(tmp, ec);
    throw Error(std::string(e.what()).rfind("cannot", 0) == 0 ? e.what() : "cannot write " + dir.string() + ": " + e.what());
  }
}

bool names_a_folder(const std::string& output) {
  std::error_code ec;
  return output.back() == '/' || fs::is_directory(output, ec);
}

int dump(const Globals& g, const DumpOptions& o) {
  Project project(g);
  const Dialect& dialect = project.dialect();
  InspectOptions io = inspect_options(project);
  if (!o.schemas.empty()) io.schemas = o.schemas;
  Connection& conn = project.connect({.read_only = true});
  const Schema schema = dialect.inspect(conn, io);
  const auto left_out = dialect.unmodelled(conn, io);

  ModelWriterOptions wo;
  wo.naming = project.naming();
  // The cast in `'new'::character varying` is to the type of a string(20) column, length aside.
  wo.same_type = [&](const std::string& column_type, const std::string& cast_type) {
    std::string own = dialect.canonical_type(column_type, false);
    if (auto open = own.find('('), close = own.find(')'); open != std::string::npos && close != std::string::npos)
      own.erase(open, close - open + 1);
    return own == dialect.canonical_type(cast_type, false);
  };
  const std::string text = models_yaml(schema, wo);

  for (const auto& u : left_out) log_warn(u.kind + " " + u.name + ": models.yaml cannot express it; left out");
  size_t problems = left_out.size();
  // What the loader would refuse (a column of an enum type, a type name it does not know) is said
  // now, not at the next migrate.
  try {
    parse_models(text, o.output.value_or("models.yaml"), wo.naming);
  } catch (const Error& e) {
    log_warn(std::string("the dumped models do not load as they are: ") + e.what());
    ++problems;
  }
  const NamingConvention& naming = wo.naming;
  // SQLite names no constraint by itself, so only PostgreSQL's own names can follow a convention.
  if (auto hint = dialect.kind() == DialectKind::postgresql ? suggested_naming_convention(schema, naming) : "";
      !hint.empty())
    log_info("Most constraint names follow PostgreSQL's own convention; with 'naming_convention: " + hint +
             "' in dbmig.yaml the dump leaves them out");
  if (o.strict && problems > 0)
    throw Error(std::to_string(problems) + " object(s) of the database cannot be expressed in models.yaml (--strict); nothing written");

  if (!o.output) {
    std::cout << text;
  } else if (names_a_folder(*o.output)) {
    std::vector<std::pair<std::string, std::string>> files;
    for (const Table* t : dependency_order(schema)) files.emplace_back(file_name(*t), "tables:\n" + model_table_yaml(*t, wo, schema.triggers));
    if (auto objects = schema_objects_yaml(schema), views = views_yaml(schema); !objects.empty() || !views.empty())
      files.emplace_back("_objects.yaml", objects + "tables: {}\n" + views);
    fs::path dir = *o.output;
    if (dir.filename().empty()) dir = dir.parent_path();  // "models/"
    write_models_dir(dir, files);
    log_info("Wrote " + std::to_string(files.size()) + " table(s) to " + *o.output);
  } else {
    write_models_file(*o.output, text);
    log_info("Wrote " + std::to_string(schema.tables.size()) + " table(s) to " + *o.output);
  }
  return 0;
}

}  // namespace

// `models` holds verbs about models.yaml; `dump` is the first.
void add_models(VerbRegistry& verbs) {
  auto* models = verbs.add("models", "work with models.yaml (see 'dbmig models dump --help')");
  models->require_subcommand(1);
  auto o = std::make_shared<DumpOptions>();
  auto* v = verbs.add("dump", "write models.yaml from the live database", models);
  v->add_option("-o,--output", o->output, "write to FILE, or one file per table into DIR (default: stdout)");
  v->add_option("--schema", o->schemas, "PostgreSQL schema to dump (repeatable; default: schemas in dbmig.yaml)");
  v->add_flag("--strict", o->strict, "fail, writing nothing, when the database holds what models.yaml cannot express");
  verbs.on_run(v, [o](const Globals& g) { return dump(g, *o); });
}

}  // namespace dbmig
