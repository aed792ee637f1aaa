// init: dbmig.yaml, models.yaml (if absent) and the migrations folder from the template.
#include <dbmig/cli/verbs.hpp>
#include <dbmig/config/template_files.hpp>
#include <dbmig/util/error.hpp>
#include <dbmig/util/output.hpp>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

namespace dbmig {
namespace {
namespace fs = std::filesystem;

int init(const Globals& g, const std::string& dir) {
  fs::path config_path = g.config_file;
  fs::path base = config_path.parent_path().empty() ? fs::path(".") : config_path.parent_path();
  fs::path script_dir = (base / dir).lexically_normal();
  std::error_code ec;
  if (fs::exists(script_dir, ec) && !(fs::is_directory(script_dir, ec) && fs::is_empty(script_dir, ec)))
    throw Error("directory " + script_dir.string() + " already exists and is not empty");
  if (fs::exists(config_path, ec)) throw Error(config_path.string() + " already exists; remove it or pass -c FILE");

  // Everything is prepared first and written after, so a failure leaves nothing behind.
  std::vector<std::pair<fs::path, std::string>> files;
  std::vector<fs::path> dirs{script_dir};
  for (const auto& f : template_files()) {
    std::string rel = f.path;
    fs::path target;
    if (rel.rfind("script/", 0) == 0) target = script_dir / rel.substr(7);
    else if (rel == "dbmig.yaml") target = config_path;
    else target = base / rel;
    if (rel.back() == '/') {
      dirs.push_back(target);
      continue;
    }
    std::string content = f.content;
    if (rel == "dbmig.yaml") {
      auto pos = content.find("script_location: migrations");
      if (pos != std::string::npos) content.replace(pos, 27, "script_location: " + dir);
    }
    if (rel == "models.yaml" && fs::exists(target, ec)) continue;  // keep the user's models
    files.emplace_back(target.lexically_normal(), content);
  }
  std::vector<fs::path> created;
  try {
    for (const auto& d : dirs) {
      if (!fs::exists(d)) created.push_back(d);
      fs::create_directories(d);
    }
    for (const auto& [path, content] : files) {
      std::ofstream out(path, std::ios::binary);
      if (!out) throw Error("cannot write " + path.string() + ": " + std::strerror(errno));
      created.push_back(path);
      out << content;
      if (!out.flush()) throw Error("cannot write " + path.string());
    }
  } catch (const std::exception& e) {
    for (auto it = created.rbegin(); it != created.rend(); ++it) fs::remove_all(*it, ec);
    throw Error(std::string(e.what()).find("cannot") == 0 ? e.what() : "cannot create " + script_dir.string() + ": " + e.what());
  }
  for (const auto& [path, _] : files) log_info("Generating " + path.string() + " ... done");
  std::cout << "Please edit " << config_path.string() << " (database_url) and models.yaml, then run: dbmig migrate -m \"initial\"\n";
  return 0;
}

}  // namespace

void add_init(VerbRegistry& verbs) {
  auto dir = std::make_shared<std::string>("migrations");
  auto* v = verbs.add("init", "create dbmig.yaml, models.yaml (if absent) and the migrations folder");
  v->add_option("DIR", *dir, "folder for the migration scripts")->capture_default_str();
  verbs.on_run(v, [dir](const Globals& g) { return init(g, *dir); });
}

}  // namespace dbmig
