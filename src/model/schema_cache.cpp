#include <dbmig/model/schema_cache.hpp>

#include <algorithm>
#include <sstream>
#include <string_view>

namespace dbmig {
namespace {

// Fields are separated by tabs, list items by \x1f; an absent optional is "\x02", and text is
// escaped so that no field can contain a separator.
const std::string kAbsent = "\x02";

std::string esc(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\x1f': out += "\\u"; break;
      case '\x02': out += "\\a"; break;
      default: out += c;
    }
  }
  return out;
}
std::string unesc(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\' || i + 1 == s.size()) {
      out += s[i];
      continue;
    }
    char n = s[++i];
    out += n == 't' ? '\t' : n == 'n' ? '\n' : n == 'u' ? '\x1f' : n == 'a' ? '\x02' : n;
  }
  return out;
}
std::string opt(const std::optional<std::string>& o) { return o ? esc(*o) : kAbsent; }
std::optional<std::string> unopt(std::string_view s) {
  if (s == kAbsent) return std::nullopt;
  return unesc(s);
}
std::string list(const std::vector<std::string>& v) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) out += (i ? "\x1f" : "") + esc(v[i]);
  return out;
}
std::vector<std::string> unlist(std::string_view s) {
  std::vector<std::string> out;
  if (s.empty()) return out;
  size_t start = 0;
  for (size_t sep; (sep = s.find('\x1f', start)) != std::string_view::npos; start = sep + 1) out.push_back(unesc(s.substr(start, sep - start)));
  out.push_back(unesc(s.substr(start)));
  return out;
}
std::vector<std::string_view> fields(std::string_view line) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (size_t tab; (tab = line.find('\t', start)) != std::string_view::npos; start = tab + 1) out.push_back(line.substr(start, tab - start));
  out.push_back(line.substr(start));
  return out;
}
const char* b(bool v) { return v ? "1" : "0"; }

}  // namespace

std::string serialize_schema(const Schema& schema) {
  std::string out;
  auto line = [&](std::initializer_list<std::string> f) {
    bool first = true;
    for (const auto& x : f) out += (first ? "" : "\t") + x, first = false;
    out += "\n";
  };
  auto index_line = [&](const char* kind, const Index& i) {  // a table's (I) or a materialized view's (J)
    line({kind, esc(i.name), b(i.name_given), b(i.unique), esc(i.where), list(i.columns), esc(i.method), list(i.include)});
  };
  for (const auto& t : schema.tables) {
    std::vector<std::string> partitions;  // name, bound, name, bound, ...
    for (const auto& p : t.partitions) partitions.push_back(p.name), partitions.push_back(p.bound);
    line({"T", esc(t.name), esc(t.schema), opt(t.comment), opt(t.renamed_from), esc(t.primary_key_name), list(t.primary_key),
          esc(t.partition_by), list(partitions)});
    for (const auto& c : t.columns)
      line({"C", esc(c.name), esc(c.type), b(c.nullable), b(c.autoincrement), opt(c.server_default), opt(c.comment), opt(c.renamed_from),
            esc(c.identity), opt(c.computed)});
    for (const auto& u : t.uniques) line({"U", esc(u.name), b(u.name_given), list(u.columns)});
    for (const auto& f : t.foreign_keys)
      line({"F", esc(f.name), b(f.name_given), list(f.columns), esc(f.ref_table), list(f.ref_columns), esc(f.on_delete), esc(f.on_update), esc(f.ref_schema)});
    for (const auto& k : t.checks) line({"K", esc(k.name), b(k.name_given), esc(k.sql)});
    for (const auto& i : t.indexes) index_line("I", i);
  }
  for (const auto& e : schema.enums) {
    std::vector<std::string> renames;  // label, old label, label, old label, ...
    for (const auto& [label, before] : e.renamed_from) renames.push_back(label), renames.push_back(before);
    line({"E", esc(e.name), esc(e.defined_at), list(e.values), list(renames)});
  }
  if (schema.extensions) line({"X", list(*schema.extensions)});
  if (schema.sequences) {
    line({"Q"});
    for (const auto& q : *schema.sequences) line({"S", esc(q.name), std::to_string(q.start), std::to_string(q.increment)});
  }
  if (schema.domains) {
    line({"M"});
    for (const auto& d : *schema.domains) {
      std::vector<std::string> checks;  // name, sql, name, sql, ...
      for (const auto& ck : d.checks) checks.push_back(ck.name), checks.push_back(ck.sql);
      line({"N", esc(d.name), esc(d.type), b(d.nullable), opt(d.server_default), list(checks)});
    }
  }
  if (schema.views) {
    line({"W"});
    for (const auto& v : *schema.views) {
      line({"V", esc(v.name), esc(v.sql), b(v.materialized)});
      for (const auto& i : v.indexes) index_line("J", i);
    }
  }
  for (const auto* objects : {&schema.functions, &schema.triggers}) {
    if (!*objects) continue;
    line({objects == &schema.functions ? "P" : "R"});
    for (const auto& o : **objects) line({"O", esc(o.kind), esc(o.name), esc(o.table), esc(o.sql)});
  }
  return out;
}

std::optional<Schema> deserialize_schema(const std::string& text) {
  Schema s;
  std::istringstream in(text);
  std::string raw;
  while (std::getline(in, raw)) {
    auto f = fields(raw);
    const std::string_view kind = f[0];
    // Lines of the whole schema; the others (a column, an index ...) belong to the last table.
    static constexpr std::string_view kTopLevel[] = {"T", "E", "X", "Q", "S", "M", "N", "W", "V", "P", "R", "O"};
    auto need = [&](size_t n) {
      return f.size() == n && (std::find(std::begin(kTopLevel), std::end(kTopLevel), kind) != std::end(kTopLevel) || !s.tables.empty());
    };
    if (kind == "T" && need(9)) {
      Table t;
      t.name = unesc(f[1]), t.schema = unesc(f[2]), t.comment = unopt(f[3]), t.renamed_from = unopt(f[4]);
      t.primary_key_name = unesc(f[5]), t.primary_key = unlist(f[6]), t.partition_by = unesc(f[7]);
      auto partitions = unlist(f[8]);
      for (size_t i = 0; i + 1 < partitions.size(); i += 2) t.partitions.push_back({partitions[i], partitions[i + 1]});
      s.tables.push_back(std::move(t));
    } else if (kind == "C" && need(10)) {
      Column c;
      c.name = unesc(f[1]), c.type = unesc(f[2]), c.nullable = f[3] == "1", c.autoincrement = f[4] == "1";
      c.server_default = unopt(f[5]), c.comment = unopt(f[6]), c.renamed_from = unopt(f[7]);
      c.identity = unesc(f[8]), c.computed = unopt(f[9]);
      s.tables.back().columns.push_back(std::move(c));
    } else if (kind == "U" && need(4)) {
      s.tables.back().uniques.push_back({unesc(f[1]), unlist(f[3]), f[2] == "1"});
    } else if (kind == "F" && need(9)) {
      s.tables.back().foreign_keys.push_back(
          {unesc(f[1]), unlist(f[3]), unesc(f[4]), unlist(f[5]), unesc(f[6]), unesc(f[7]), f[2] == "1", unesc(f[8])});
    } else if (kind == "K" && need(4)) {
      s.tables.back().checks.push_back({unesc(f[1]), unesc(f[3]), f[2] == "1"});
    } else if ((kind == "I" && need(8)) || (kind == "J" && f.size() == 8 && s.views && !s.views->empty())) {
      auto& indexes = kind == "I" ? s.tables.back().indexes : s.views->back().indexes;  // a table's or a view's
      indexes.push_back({unesc(f[1]), unlist(f[5]), f[3] == "1", unesc(f[4]), f[2] == "1", unesc(f[6]), unlist(f[7])});
    } else if (kind == "E" && need(5)) {
      EnumType e{unesc(f[1]), unlist(f[3]), {}, unesc(f[2])};
      auto renames = unlist(f[4]);
      for (size_t i = 0; i + 1 < renames.size(); i += 2) e.renamed_from[renames[i]] = renames[i + 1];
      s.enums.push_back(std::move(e));
    } else if (kind == "X" && need(2)) {
      s.extensions = unlist(f[1]);
    } else if (kind == "Q" && need(1)) {
      s.sequences.emplace();
    } else if (kind == "W" && need(1)) {
      s.views.emplace();
    } else if (kind == "M" && need(1)) {
      s.domains.emplace();
    } else if (kind == "N" && need(6) && s.domains) {
      Domain d{unesc(f[1]), unesc(f[2]), f[3] == "1", unopt(f[4])};
      auto checks = unlist(f[5]);
      for (size_t i = 0; i + 1 < checks.size(); i += 2) d.checks.push_back({checks[i], checks[i + 1]});
      s.domains->push_back(std::move(d));
    } else if (kind == "P" && need(1)) {
      s.functions.emplace();
    } else if (kind == "R" && need(1)) {
      s.triggers.emplace();
    } else if (kind == "V" && need(4) && s.views) {
      s.views->push_back({unesc(f[1]), unesc(f[2]), f[3] == "1"});
    } else if (kind == "O" && need(5) && (f[1] == "function" ? s.functions : s.triggers)) {
      (f[1] == "function" ? s.functions : s.triggers)->push_back({unesc(f[1]), unesc(f[2]), unesc(f[3]), unesc(f[4])});
    } else if (kind == "S" && need(4) && s.sequences) {
      s.sequences->push_back({unesc(f[1]), std::stoll(std::string(f[2])), std::stoll(std::string(f[3]))});
    } else {
      return std::nullopt;
    }
  }
  shrink_to_fit(s);
  return s;
}

}  // namespace dbmig
