#include <dbmig/clock.hpp>
#include <dbmig/error.hpp>
#include <dbmig/op_yaml.hpp>
#include <dbmig/script_directory.hpp>
#include <dbmig/sha256.hpp>
#include <dbmig/yaml_util.hpp>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <random>
#include <sstream>

namespace dbmig {
namespace fs = std::filesystem;

namespace {
std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw Error("cannot read " + p.string());
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> id_list(const YamlContext& ctx, const YAML::Node& node, const std::string& what) {
  auto ids = string_list(ctx, node, what);
  for (const auto& id : ids)
    if (id.empty() || id.find_first_of(" \t,:@") != std::string::npos)
      ctx.fail(node, what + " '" + id + "' is not a valid revision id");
  return ids;
}

std::string quoted_list_or_null(const std::vector<std::string>& items) {
  if (items.empty()) return "null";
  if (items.size() == 1) return yaml_quote_always(items[0]);
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + yaml_quote_always(items[i]);
  return out + "]";
}
}  // namespace

Revision parse_revision(const std::string& text, const fs::path& path, const NamingConvention& naming) {
  YamlContext ctx{path.string()};
  auto root = load_yaml(text, ctx.file);
  if (!root.IsMap()) throw Error(ctx.file + ": a revision file must be a mapping with revision, down_revision, upgrade and downgrade");
  check_keys(ctx, root, "revision file",
             {"revision", "down_revision", "branch_labels", "depends_on", "message", "create_date", "transactional",
              "upgrade", "downgrade"},
             {"revision", "down_revision", "upgrade", "downgrade"});
  Revision r;
  r.path = path;
  r.id = scalar(ctx, root["revision"], "revision");
  if (r.id.find_first_of(" \t,:@+") != std::string::npos || r.id == "head" || r.id == "base" || r.id == "heads")
    ctx.fail(root["revision"], "'" + r.id + "' is not a valid revision id");
  r.down_revisions = id_list(ctx, root["down_revision"], "down_revision");
  r.depends_on = id_list(ctx, root["depends_on"], "depends_on");
  r.branch_labels = string_list(ctx, root["branch_labels"], "branch_labels");
  if (auto m = optional_scalar(ctx, root["message"], "message")) r.message = *m;
  if (auto d = optional_scalar(ctx, root["create_date"], "create_date")) r.create_date = *d;
  if (root["transactional"]) r.transactional = boolean(ctx, root["transactional"], "transactional");
  r.upgrade_ops = parse_ops(ctx, root["upgrade"], "upgrade", naming);
  r.downgrade_ops = parse_ops(ctx, root["downgrade"], "downgrade", naming);
  return r;
}

ScriptDirectory::ScriptDirectory(fs::path dir, NamingConvention naming) : dir_(std::move(dir)), naming_(std::move(naming)) {}

const RevisionGraph& ScriptDirectory::graph() {
  if (graph_) return *graph_;
  auto versions = versions_dir();
  std::error_code ec;
  if (!fs::is_directory(versions, ec))
    throw Error("no versions folder at " + versions.string() + " (run 'dbmig init' first, or check script_location)");
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(versions, ec)) {
    const auto& p = entry.path();
    if (p.extension() == ".yaml" && p.filename().string()[0] != '.') files.push_back(p);
  }
  if (ec) throw Error("cannot list " + versions.string() + ": " + ec.message());
  std::sort(files.begin(), files.end());
  std::vector<Revision> revs;
  revs.reserve(files.size());
  for (const auto& f : files) {
    std::string text = read_file(f);
    revs.push_back(parse_revision(text, f, naming_));
    revs.back().checksum = sha256_hex(text);
  }
  spdlog::debug("Loaded {} revision files from {}", revs.size(), versions.string());
  graph_.emplace(std::move(revs));
  return *graph_;
}

std::string slugify(const std::string& message) {
  std::string slug;
  for (unsigned char c : message) {
    char out = std::isalnum(c) ? static_cast<char>(std::tolower(c)) : '_';
    if (out == '_' && !slug.empty() && slug.back() == '_') continue;
    slug += out;
  }
  while (!slug.empty() && slug.back() == '_') slug.pop_back();
  while (!slug.empty() && slug.front() == '_') slug.erase(0, 1);
  if (slug.size() > 40) slug.resize(40);
  while (!slug.empty() && slug.back() == '_') slug.pop_back();
  return slug;
}

std::string random_rev_id() {
  std::random_device rd;
  std::mt19937_64 gen((static_cast<uint64_t>(rd()) << 32) ^ rd() ^
                      static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count()));
  static const char* hex = "0123456789abcdef";
  std::string id;
  for (int i = 0; i < 12; ++i) id += hex[gen() % 16];
  return id;
}

fs::path ScriptDirectory::write(const NewRevision& rev) {
  const auto& g = graph();
  std::string id = rev.id.empty() ? random_rev_id() : rev.id;
  if (id.find_first_of(" \t,:@+/") != std::string::npos || id.size() > 32)
    throw UsageError("invalid revision id '" + id + "': use up to 32 characters without spaces, ',', ':', '@', '+' or '/'");
  if (g.contains(id)) throw Error("revision id '" + id + "' already exists in " + g.get(id).path.string());

  auto tmpl_path = dir_ / "script.yaml.tmpl";
  std::string text = read_file(tmpl_path);
  std::map<std::string, std::string> values = {
      {"message", rev.message},
      {"message_yaml", yaml_quote(rev.message)},
      {"revision", yaml_quote_always(id)},
      {"down_revision", quoted_list_or_null(rev.down_revisions)},
      {"branch_labels", quoted_list_or_null(rev.branch_labels)},
      {"depends_on", quoted_list_or_null(rev.depends_on)},
      {"create_date", iso_utc(std::chrono::system_clock::now())},
      {"upgrades", ops_yaml(rev.upgrade_ops)},
      {"downgrades", ops_yaml(rev.downgrade_ops)},
  };
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '$' && i + 1 < text.size() && text[i + 1] == '{') {
      auto close = text.find('}', i);
      std::string key = close == std::string::npos ? "" : text.substr(i + 2, close - i - 2);
      auto it = values.find(key);
      if (it == values.end()) {
        auto line = std::count(text.begin(), text.begin() + static_cast<long>(i), '\n') + 1;
        throw Error(tmpl_path.string() + ":" + std::to_string(line) + ": unknown placeholder '${" + key +
                    "}' (known: message, message_yaml, revision, down_revision, branch_labels, depends_on, "
                    "create_date, upgrades, downgrades)");
      }
      // ${upgrades} and ${downgrades} end in a newline; the template supplies its own.
      std::string v = it->second;
      if ((key == "upgrades" || key == "downgrades") && close + 1 < text.size() && text[close + 1] == '\n') v.pop_back();
      out += v;
      i = close;
    } else {
      out += text[i];
    }
  }
  auto slug = slugify(rev.message);
  auto target = versions_dir() / (id + (slug.empty() ? "" : "_" + slug) + ".yaml");
  Revision parsed;
  try {
    parsed = parse_revision(out, target, naming_);
  } catch (const Error& e) {
    throw Error(std::string("the template ") + tmpl_path.string() + " produced an invalid revision file: " + e.what());
  }
  if (parsed.id != id) throw Error("the template " + tmpl_path.string() + " must set revision: ${revision}");

  auto tmp = target;
  tmp += ".tmp";
  {
    std::ofstream f(tmp, std::ios::binary);
    if (!f) throw Error("cannot write " + tmp.string() + ": " + std::strerror(errno));
    f << out;
    f.close();
    if (!f) {
      std::error_code ignored;
      fs::remove(tmp, ignored);
      throw Error("cannot write " + target.string());
    }
  }
  std::error_code ec;
  fs::rename(tmp, target, ec);
  if (ec) {
    fs::remove(tmp, ec);
    throw Error("cannot write " + target.string() + ": " + ec.message());
  }
  graph_.reset();
  return target;
}

}  // namespace dbmig
