// init, revision, merge: commands that write files.
#include <dbmig/cli/commands.hpp>
#include <dbmig/util/error.hpp>
#include <dbmig/util/output.hpp>
#include <dbmig/cli/project.hpp>
#include <dbmig/config/template_files.hpp>

#include <cstring>
#include <fstream>
#include <iostream>

namespace dbmig {
namespace fs = std::filesystem;

int cmd_init(const Globals& g, const std::string& dir) {
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

namespace {

void announce(const fs::path& path) {
  log_info("Generating " + path.string() + " ... done");
  std::cout << path.string() << "\n";
}

}  // namespace

int cmd_revision(const Globals& g, const RevisionOptions& o) {
  Project project(g);
  const auto& graph = project.graph();
  NewRevision rev;
  rev.message = o.message;
  if (o.rev_id) rev.id = *o.rev_id;
  rev.branch_labels = o.branch_labels;
  if (o.head != "base") {
    if (o.head == "head" && graph.heads().size() > 1)
      throw Error("Multiple heads are present (" + join(graph.heads()) +
                  "); please specify --head for the revision to build on, or run 'dbmig merge'");
    rev.down_revisions = graph.resolve(o.head, {});
    for (const auto& parent : rev.down_revisions)
      if (!graph.is_head(parent) && !o.splice)
        throw Error("Revision " + parent + " is not a head revision; use --splice to start a new branch from it");
  }
  for (const auto& d : o.depends_on) rev.depends_on.push_back(graph.resolve_one(d));
  announce(project.scripts().write(rev));
  return 0;
}

int cmd_merge(const Globals& g, const std::string& message, const std::vector<std::string>& revisions,
              const std::optional<std::string>& rev_id) {
  Project project(g);
  const auto& graph = project.graph();
  NewRevision rev;
  rev.message = message;
  if (rev_id) rev.id = *rev_id;
  for (const auto& r : revisions)
    for (const auto& id : graph.resolve(r, {}))
      if (std::find(rev.down_revisions.begin(), rev.down_revisions.end(), id) == rev.down_revisions.end())
        rev.down_revisions.push_back(id);
  if (rev.down_revisions.size() < 2)
    throw Error("merge needs at least two distinct revisions; got " + (rev.down_revisions.empty() ? "none" : join(rev.down_revisions)));
  announce(project.scripts().write(rev));
  return 0;
}

}  // namespace dbmig
