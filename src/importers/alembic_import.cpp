// The import as a whole: every module of DIR/versions parsed in one Python run, converted, and
// written as revision files only when all of them parsed and no target file exists.
#include <dbmig/importers/alembic.hpp>
#include <dbmig/revisions/op_yaml.hpp>
#include <dbmig/revisions/script_directory.hpp>
#include <dbmig/util/error.hpp>
#include <dbmig/util/overloaded.hpp>
#include <dbmig/yaml/yaml_util.hpp>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <map>

namespace dbmig {
namespace fs = std::filesystem;

namespace {

std::string id_list(const std::vector<std::string>& ids) {
  if (ids.empty()) return "null";
  if (ids.size() == 1) return yaml_quote_always(ids[0]);
  std::string out = "[";
  for (size_t i = 0; i < ids.size(); ++i) out += (i ? ", " : "") + yaml_quote_always(ids[i]);
  return out + "]";
}

// Alembic reads every *.py of versions/ but __init__.py and editor backups.
std::vector<fs::path> revision_modules(const fs::path& versions) {
  std::error_code ec;
  if (!fs::is_directory(versions, ec))
    throw Error("no versions folder at " + versions.string() + " (DIR is the Alembic folder that holds env.py)");
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(versions)) {
    std::string name = e.path().filename().string();
    if (!e.is_regular_file() || e.path().extension() != ".py" || name == "__init__.py" || name.rfind(".#", 0) == 0) continue;
    out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// drop_index(name) without table_name: the table that the history created the index on.
void fill_index_tables(std::vector<ImportedRevision>& revisions) {
  std::map<std::string, std::string> tables;
  for (const auto& r : revisions)
    for (const auto* ops : {&r.upgrade, &r.downgrade})
      for (const auto& op : *ops) {
        if (const auto* c = std::get_if<CreateIndex>(&op)) tables[c->index.name] = c->table;
        if (const auto* t = std::get_if<CreateTable>(&op))
          for (const auto& ix : t->table.indexes) tables[ix.name] = t->table.name;
      }
  for (auto& r : revisions)
    for (auto* ops : {&r.upgrade, &r.downgrade})
      for (auto& op : *ops)
        if (auto* d = std::get_if<DropIndex>(&op); d && d->table.empty()) {
          auto it = tables.find(d->name);
          if (it != tables.end()) {
            d->table = it->second;
          } else {
            r.notes.push_back({r.revision.path.string(), 0, "drop_index('" + d->name + "') without table_name, of an index the history never created"});
            op = Unconverted{r.revision.path.string(), 0, "op.drop_index('" + d->name + "')"};
          }
        }
}

void write_atomically(const fs::path& target, const std::string& text) {
  auto tmp = target;
  tmp += ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary);
    f << text;
    f.close();
    if (!f) {
      std::error_code ec;
      fs::remove(tmp, ec);
      throw Error("cannot write " + target.string() + ": " + std::strerror(errno));
    }
  }
  std::error_code ec;
  fs::rename(tmp, target, ec);
  if (ec) throw Error("cannot write " + target.string() + ": " + ec.message());
}

}  // namespace

std::string revision_file_text(const ImportedRevision& r) {
  const Revision& rev = r.revision;
  std::string out = "# " + (rev.message.empty() ? rev.id : rev.message.substr(0, rev.message.find('\n'))) + "\n";
  out += "# imported from " + rev.path.filename().string() + " by dbmig import alembic\n";
  out += "revision: " + yaml_quote_always(rev.id) + "\n";
  out += "down_revision: " + id_list(rev.down_revisions) + "\n";
  out += "branch_labels: " + id_list(rev.branch_labels) + "\n";
  out += "depends_on: " + id_list(rev.depends_on) + "\n";
  out += "message: " + yaml_quote_always(rev.message) + "\n";
  out += "create_date: " + (rev.create_date.empty() ? std::string("null") : yaml_quote_always(rev.create_date)) + "\n";
  out += "upgrade:" + ops_yaml(r.upgrade);
  out += "downgrade:" + ops_yaml(r.downgrade);
  return out;
}

ImportResult import_alembic(const fs::path& alembic_dir, const fs::path& versions_out, const AlembicNaming& naming) {
  auto files = revision_modules(alembic_dir / "versions");
  if (files.empty()) throw Error("no revision modules (*.py) in " + (alembic_dir / "versions").string());
  auto modules = parse_python_modules(files);  // throws, naming file:line, before anything is written

  std::vector<ImportedRevision> revisions;
  revisions.reserve(modules.size());
  std::map<std::string, fs::path> seen;
  for (const auto& m : modules) {
    revisions.push_back(convert_alembic_module(m, m.file.string(), naming));
    const auto& id = revisions.back().revision.id;
    if (auto [it, fresh] = seen.emplace(id, m.file); !fresh)
      throw Error("revision " + id + " is defined twice: " + it->second.string() + " and " + m.file.string());
  }
  fill_index_tables(revisions);

  // Every file is checked before the first is written.
  std::vector<std::pair<fs::path, std::string>> outputs;
  NamingConvention dbmig_naming;
  for (const auto& r : revisions) {
    std::string slug = slugify(r.revision.message);
    fs::path target = versions_out / (r.revision.id + (slug.empty() ? "" : "_" + slug) + ".yaml");
    std::error_code ec;
    if (fs::exists(target, ec)) throw Error("refusing to overwrite " + target.string() + "; nothing was imported");
    std::string text = revision_file_text(r);
    try {
      parse_revision(text, target, dbmig_naming);  // what is written must read back
    } catch (const Error& e) {
      throw Error("internal: the revision converted from " + r.revision.path.string() + " does not read back: " + e.what());
    }
    outputs.emplace_back(target, std::move(text));
  }
  std::error_code ec;
  fs::create_directories(versions_out, ec);
  if (ec) throw Error("cannot create " + versions_out.string() + ": " + ec.message());
  ImportResult result;
  for (const auto& [target, text] : outputs) {
    write_atomically(target, text);
    result.written.push_back(target);
  }
  for (const auto& r : revisions) result.notes.insert(result.notes.end(), r.notes.begin(), r.notes.end());
  return result;
}

}  // namespace dbmig
