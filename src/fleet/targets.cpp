#include <dbmig/fleet/targets.hpp>
#include <dbmig/dialects/connection.hpp>
#include <dbmig/util/error.hpp>
#include <dbmig/util/output.hpp>

#include <algorithm>
#include <set>

namespace dbmig {
namespace {

// The schemas of a tenant set: as listed, or the first column of its query's rows.
std::vector<std::string> tenant_schemas(const TargetEntry& entry, const std::string& url) {
  if (!entry.schemas_query) return entry.schemas;
  DatabaseUrl parsed = parse_url(url);
  if (parsed.dialect != DialectKind::postgresql)
    throw Error(entry.where + ": tenant set '" + entry.name + "' needs a PostgreSQL url (schemas are PostgreSQL's)");
  auto conn = connect(parsed, {.read_only = true});
  std::vector<std::string> out;
  try {
    for (const auto& row : conn->query(*entry.schemas_query))
      if (!row.empty() && row[0]) out.push_back(*row[0]);
  } catch (const DatabaseError& e) {
    throw Error(entry.where + ": the schemas query of tenant set '" + entry.name + "' failed: " + e.what());
  }
  std::sort(out.begin(), out.end());  // a query's order is the database's whim; names are stable
  return out;
}

}  // namespace

std::vector<FleetTarget> select_targets(const Config& config, const std::vector<std::string>& names, bool all) {
  if (config.targets.empty())
    throw UsageError(std::string(all ? "--all" : "--target") + " needs a targets: map in " +
                     (config.file.empty() ? std::string("dbmig.yaml") : config.file.string()));
  // What each name asks for: a whole entry, or some members of a tenant set.
  std::set<std::string> whole;
  std::map<std::string, std::set<std::string>> members;
  for (const auto& n : names) {
    auto slash = n.find('/');
    std::string entry = n.substr(0, slash);
    auto it = std::find_if(config.targets.begin(), config.targets.end(), [&](const TargetEntry& t) { return t.name == entry; });
    if (it == config.targets.end() || (slash != std::string::npos && !it->tenant_set)) {
      std::string known;
      for (const auto& t : config.targets) known += (known.empty() ? "" : ", ") + t.name + (t.tenant_set ? "[/SCHEMA]" : "");
      throw UsageError("unknown target '" + n + "' (targets: " + known + ")");
    }
    std::string schema = slash == std::string::npos ? "" : n.substr(slash + 1);
    if (slash != std::string::npos && !it->schemas_query &&
        std::find(it->schemas.begin(), it->schemas.end(), schema) == it->schemas.end())
      throw UsageError("unknown target '" + n + "': tenant set '" + entry + "' lists no schema '" + schema + "'");
    if (slash == std::string::npos) whole.insert(entry);
    else members[entry].insert(n.substr(slash + 1));
  }
  std::vector<FleetTarget> out;
  for (const auto& entry : config.targets) {
    bool everything = all || whole.count(entry.name);
    if (!everything && !members.count(entry.name)) continue;
    std::string url;
    try {
      url = expand_env(entry.url, entry.where + ": url of target '" + entry.name + "'");
    } catch (const Error& e) {
      out.push_back({entry.name, "", "", e.what()});
      continue;
    }
    if (!entry.tenant_set) {
      out.push_back({entry.name, url, "", ""});
      continue;
    }
    std::vector<std::string> schemas;
    if (everything) {
      try {
        schemas = tenant_schemas(entry, url);
      } catch (const Error& e) {
        out.push_back({entry.name, url, "", e.what()});
        continue;
      }
    } else {
      schemas.assign(members[entry.name].begin(), members[entry.name].end());
    }
    for (const auto& s : schemas) out.push_back({entry.name + "/" + s, url, s, ""});
  }
  return out;
}

}  // namespace dbmig
