#include <dbmig/util/clock.hpp>
#include <dbmig/util/error.hpp>
#include <dbmig/revisions/op_yaml.hpp>
#include <dbmig/util/output.hpp>
#include <dbmig/revisions/script_directory.hpp>
#include <dbmig/util/sha256.hpp>
#include <dbmig/yaml/yaml_util.hpp>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstring>
#include <fstream>
#include <thread>
#include <string_view>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>
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

std::vector<std::string> id_list(const YamlContext& ctx, const YamlNode& node, const std::string& what) {
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

RevisionFile parse_revision(const std::string& text, const fs::path& path, const NamingConvention& naming) {
  YamlContext ctx{path.string()};
  auto doc = load_yaml(text, ctx.file);
  const YamlNode& root = doc.root();
  if (!root.is_map()) throw Error(ctx.file + ": a revision file must be a mapping with revision, down_revision, upgrade and downgrade");
  check_keys(ctx, root, "revision file",
             {"revision", "down_revision", "branch_labels", "depends_on", "message", "create_date", "transactional",
              "upgrade", "downgrade", "lint_ignore"},
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
  return {r, parse_ops(ctx, root["upgrade"], "upgrade", naming), parse_ops(ctx, root["downgrade"], "downgrade", naming)};
}

ScriptDirectory::ScriptDirectory(fs::path dir, NamingConvention naming) : dir_(std::move(dir)), naming_(std::move(naming)) {}

namespace {

// The index of revision headers (migrations/.dbmig-cache): one line per file, tab-separated,
// with \t, \n and \\ escaped. Derived data: a missing, old or unreadable index is rebuilt.
const char* kCacheHeader = "dbmig revision index 1";

std::string escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\\') out += "\\\\";
    else if (c == '\t') out += "\\t";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

std::string unescape(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) {
      char n = s[++i];
      out += n == 't' ? '\t' : n == 'n' ? '\n' : n;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::string join_ids(const std::vector<std::string>& ids) {
  std::string out;
  for (const auto& i : ids) out += (out.empty() ? "" : ",") + i;
  return out;
}

std::vector<std::string> split_ids(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < s.size()) {
    auto comma = s.find(',', start);
    out.push_back(s.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

struct FileStamp {
  uintmax_t size = 0;
  int64_t mtime_ns = 0;
  bool operator==(const FileStamp&) const = default;
};

// The *.yaml files of a folder with their size and mtime: POSIX calls relative to the open
// folder, since this runs for every file on every command.
std::vector<std::pair<std::string, FileStamp>> list_revision_files(const fs::path& dir) {
  std::vector<std::pair<std::string, FileStamp>> out;
  DIR* d = opendir(dir.c_str());
  if (!d) throw Error("cannot list " + dir.string() + ": " + std::strerror(errno));
  while (const dirent* e = readdir(d)) {
    std::string_view name = e->d_name;
    if (name.size() <= 5 || name.substr(name.size() - 5) != ".yaml" || name[0] == '.') continue;
    struct stat st {};
    if (fstatat(dirfd(d), e->d_name, &st, 0) != 0 || !S_ISREG(st.st_mode)) continue;
    out.emplace_back(std::string(name), FileStamp{static_cast<uintmax_t>(st.st_size),
                                                  int64_t(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec});
  }
  closedir(d);
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  return out;
}

struct CacheEntry {
  FileStamp stamp;
  Revision revision;
};

std::unordered_map<std::string, CacheEntry> read_cache(const fs::path& p) {
  std::unordered_map<std::string, CacheEntry> out;
  std::ifstream in(p, std::ios::binary);
  std::string line;
  if (!in || !std::getline(in, line) || line != kCacheHeader) return out;
  try {
  while (std::getline(in, line)) {
    std::vector<std::string_view> f;
    size_t start = 0;
    for (size_t tab; (tab = line.find('\t', start)) != std::string::npos; start = tab + 1)
      f.emplace_back(line.data() + start, tab - start);
    f.emplace_back(line.data() + start, line.size() - start);
    if (f.size() != 12) return {};
    CacheEntry e;
    auto number = [](std::string_view v, auto& out) {
      if (std::from_chars(v.data(), v.data() + v.size(), out).ec != std::errc()) throw std::invalid_argument("number");
    };
    number(f[1], e.stamp.size);
    number(f[2], e.stamp.mtime_ns);
    Revision& r = e.revision;
    r.checksum = std::string(f[3]);
    r.id = unescape(f[4]);
    r.down_revisions = split_ids(unescape(f[5]));
    r.depends_on = split_ids(unescape(f[6]));
    r.branch_labels = split_ids(unescape(f[7]));
    r.message = unescape(f[8]);
    r.create_date = unescape(f[9]);
    r.transactional = f[10] == "1";
    out.emplace(unescape(f[0]), std::move(e));
  }
  } catch (const std::exception&) {
    return {};  // a damaged index is rebuilt
  }
  return out;
}

void write_cache(const fs::path& p, const std::vector<std::pair<std::string, CacheEntry>>& entries) {
  std::string text = std::string(kCacheHeader) + "\n";
  for (const auto& [name, e] : entries) {
    const Revision& r = e.revision;
    text += escape(name) + "\t" + std::to_string(e.stamp.size) + "\t" + std::to_string(e.stamp.mtime_ns) + "\t" + r.checksum +
            "\t" + escape(r.id) + "\t" + escape(join_ids(r.down_revisions)) + "\t" + escape(join_ids(r.depends_on)) + "\t" +
            escape(join_ids(r.branch_labels)) + "\t" + escape(r.message) + "\t" + escape(r.create_date) + "\t" +
            (r.transactional ? "1" : "0") + "\t\n";
  }
  // Written aside and renamed, so concurrent runs never see half an index; a read-only folder
  // just means no index.
  auto tmp = p;
  tmp += "." + std::to_string(getpid());
  {
    std::ofstream out(tmp, std::ios::binary);
    if (!out) return;
    out << text;
    if (!out.flush()) {
      std::error_code ec;
      fs::remove(tmp, ec);
      return;
    }
  }
  std::error_code ec;
  fs::rename(tmp, p, ec);
  if (ec) fs::remove(tmp, ec);
}

}  // namespace

std::string ScriptDirectory::read(const fs::path& p) {
  ++files_read_;
  return read_file(p);
}

const RevisionGraph& ScriptDirectory::graph() {
  if (graph_) return *graph_;
  auto versions = versions_dir();
  std::error_code ec;
  if (!fs::is_directory(versions, ec))
    throw Error("no versions folder at " + versions.string() + " (run 'dbmig init' first, or check script_location)");
  const auto files = list_revision_files(versions);

  const fs::path cache_path = dir_ / ".dbmig-cache";
  auto cache = read_cache(cache_path);
  bool stale = cache.size() != files.size();
  std::vector<Revision> revs;
  revs.reserve(files.size());
  for (const auto& [name, stamp] : files) {
    fs::path path = versions / name;
    auto hit = cache.find(name);
    Revision rev;
    if (hit != cache.end() && hit->second.stamp == stamp) {
      rev = std::move(hit->second.revision);
      rev.path = path;
    } else {
      std::string text = read(path);
      RevisionFile file = parse_revision(text, path, naming_);
      file.revision.checksum = sha256_hex(text);
      rev = file.revision;
      parsed_[rev.id] = std::move(file);
      stale = true;
    }
    revs.push_back(std::move(rev));
  }
  log_debug("Loaded " + std::to_string(revs.size()) + " revisions from " + versions.string() + " (" + std::to_string(files_read_) + " files read)");
  graph_.emplace(std::move(revs));  // validates the graph before the index is written
  if (stale) {
    std::vector<std::pair<std::string, CacheEntry>> fresh;
    for (size_t i = 0; i < files.size(); ++i) fresh.emplace_back(files[i].first, CacheEntry{files[i].second, graph_->revisions()[i]});
    write_cache(cache_path, fresh);
  }
  return *graph_;
}

const RevisionFile& ScriptDirectory::parsed(const Revision& rev) {
  auto it = parsed_.find(rev.id);
  if (it != parsed_.end()) return it->second;
  RevisionFile file = parse_revision(read(rev.path), rev.path, naming_);
  file.revision.checksum = rev.checksum;
  return parsed_.emplace(rev.id, std::move(file)).first->second;
}

void ScriptDirectory::preload(const std::vector<const Revision*>& revisions) {
  std::vector<const Revision*> todo;
  for (const Revision* r : revisions)
    if (!parsed_.count(r->id)) todo.push_back(r);
  if (todo.empty()) return;
  size_t workers = std::max<size_t>(1, std::min<size_t>(std::thread::hardware_concurrency(), todo.size() / 8 + 1));
  std::vector<std::optional<RevisionFile>> files(todo.size());
  std::vector<std::exception_ptr> errors(todo.size());
  auto work = [&](size_t first) {
    for (size_t i = first; i < todo.size(); i += workers) {
      try {
        files[i] = parse_revision(read_file(todo[i]->path), todo[i]->path, naming_);
      } catch (...) {
        errors[i] = std::current_exception();
      }
    }
  };
  std::vector<std::thread> threads;
  for (size_t w = 1; w < workers; ++w) threads.emplace_back(work, w);
  work(0);
  for (auto& t : threads) t.join();
  files_read_ += todo.size();
  for (size_t i = 0; i < todo.size(); ++i) {
    if (errors[i]) std::rethrow_exception(errors[i]);
    files[i]->revision.checksum = todo[i]->checksum;
    parsed_.emplace(todo[i]->id, std::move(*files[i]));
  }
}

const std::vector<Op>& ScriptDirectory::upgrade_ops(const Revision& rev) { return parsed(rev).upgrade; }
const std::vector<Op>& ScriptDirectory::downgrade_ops(const Revision& rev) { return parsed(rev).downgrade; }

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
      {"upgrades", " []\n"},
      {"downgrades", " []\n"},
  };
  auto render = [&] {
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
    return out;
  };
  // The operations' text is dbmig's own YAML and stands where the template says; the template
  // is checked with empty lists (cheap even for a revision of thousands of ops).
  for (const char* line : {"upgrade:${upgrades}", "downgrade:${downgrades}"}) {
    auto pos = text.find(line);
    if (pos == std::string::npos || (pos > 0 && text[pos - 1] != '\n'))
      throw Error("the template " + tmpl_path.string() + " must have the lines upgrade:${upgrades} and downgrade:${downgrades}");
  }
  auto slug = slugify(rev.message);
  auto target = versions_dir() / (id + (slug.empty() ? "" : "_" + slug) + ".yaml");
  RevisionFile parsed;
  try {
    parsed = parse_revision(render(), target, naming_);
  } catch (const Error& e) {
    throw Error(std::string("the template ") + tmpl_path.string() + " produced an invalid revision file: " + e.what());
  }
  if (parsed.revision.id != id) throw Error("the template " + tmpl_path.string() + " must set revision: ${revision}");
  values["upgrades"] = ops_yaml(rev.upgrade_ops);
  values["downgrades"] = ops_yaml(rev.downgrade_ops);
  const std::string out = render();

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
  parsed_.clear();
  return target;
}

}  // namespace dbmig
