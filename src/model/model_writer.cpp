#include <dbmig/model/model_writer.hpp>
#include <dbmig/model/table_yaml.hpp>
#include <dbmig/model/types.hpp>
#include <dbmig/yaml/yaml_util.hpp>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <map>
#include <set>

namespace dbmig {
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

// "SET NULL" -> "set null", as a person writes a foreign key action.
std::string action_yaml(const std::string& action) { return yaml_quote(lower(action)); }

// An inspected name is implied when the convention gives it, or when the database has none
// (SQLite's unnamed constraints), so loading the model names it by the convention.
bool implied(const std::string& name, const std::string& conventional) { return name.empty() || name == conventional; }

// An index the model can hold: columns and expressions by name (SQLite's expression keys have none).
bool modelled(const Index& ix) {
  return !ix.columns.empty() && std::none_of(ix.columns.begin(), ix.columns.end(), [](const std::string& c) { return c.empty(); });
}

// `'new'::character varying` -> `'new'` when the cast is to the column's own type: the database
// adds that cast itself, so the model need not spell it.
std::string default_yaml(const Column& c, const ModelWriterOptions& o) {
  const std::string& d = *c.server_default;
  if (!o.same_type) return d;
  size_t end = 0;
  if (d.rfind("NULL::", 0) == 0) {
    end = 4;
  } else if (!d.empty() && d[0] == '\'') {
    for (end = 1; end < d.size(); ++end) {
      if (d[end] != '\'') continue;
      if (end + 1 < d.size() && d[end + 1] == '\'') { ++end; continue; }
      break;
    }
    if (end >= d.size()) return d;
    ++end;
  } else {
    return d;
  }
  if (d.compare(end, 2, "::") != 0) return d;
  std::string cast = d.substr(end + 2);
  if (cast.find("::") != std::string::npos || cast.find('\'') != std::string::npos) return d;
  if (o.same_type(c.type, cast)) return d.substr(0, end);
  // PostgreSQL keeps `DEFAULT -1` of a bigint column as '-1'::integer: the bare number reads
  // back the same (while `'0'` of a bigint column is '0'::bigint, caught above).
  static const std::set<std::string> numeric = {"integer", "bigint", "smallint", "numeric", "real", "double precision"};
  const std::string inner = d.substr(1, end - 2);
  char* stop = nullptr;
  if (d[0] == '\'' && numeric.count(lower(cast)) && !inner.empty() && (std::strtod(inner.c_str(), &stop), *stop == '\0'))
    return inner;
  return d;
}

// "(a > 0)" -> "a > 0": PostgreSQL wraps a stored predicate in parentheses that a person leaves out.
std::string without_outer_parentheses(const std::string& sql) {
  if (sql.size() < 2 || sql.front() != '(' || sql.back() != ')') return sql;
  int depth = 0;
  bool quoted = false;
  for (size_t i = 0; i < sql.size(); ++i) {
    if (sql[i] == '\'') quoted = !quoted;
    if (quoted) continue;
    if (sql[i] == '(') ++depth;
    if (sql[i] == ')' && --depth == 0 && i + 1 < sql.size()) return sql;  // "(a) AND (b)"
  }
  return sql.substr(1, sql.size() - 2);
}

struct Entry {  // one line of a block mapping: key and flow value
  std::string key, value;
};

std::string aligned(const std::vector<Entry>& entries, const std::string& indent) {
  size_t width = 0;
  for (const auto& e : entries) width = std::max(width, e.key.size());
  std::string out;
  for (const auto& e : entries) out += indent + e.key + ":" + std::string(width - e.key.size() + 1, ' ') + e.value + "\n";
  return out;
}

std::string flow(const std::vector<Entry>& entries) {
  std::string out = "{";
  for (size_t i = 0; i < entries.size(); ++i) out += (i ? ", " : "") + entries[i].key + ": " + entries[i].value;
  return out + "}";
}

std::string reference(const ForeignKey& fk) {
  const std::string table = (fk.ref_schema.empty() ? "" : fk.ref_schema + ".") + fk.ref_table;
  if (fk.ref_columns.size() == 1) return yaml_quote(table + "." + fk.ref_columns[0]);
  std::string ref = table + "(";
  for (size_t i = 0; i < fk.ref_columns.size(); ++i) ref += (i ? ", " : "") + fk.ref_columns[i];
  return yaml_quote(ref + ")");
}

}  // namespace

std::vector<const Table*> dependency_order(const Schema& schema) {
  std::vector<const Table*> pending, out;
  for (const auto& t : schema.tables) pending.push_back(&t);
  std::set<std::string> placed;
  auto ready = [&](const Table& t) {
    return std::all_of(t.foreign_keys.begin(), t.foreign_keys.end(), [&](const ForeignKey& fk) {
      return fk.ref_table == t.name || placed.count(fk.ref_table) || !schema.table(fk.ref_table);
    });
  };
  while (!pending.empty()) {
    auto it = std::find_if(pending.begin(), pending.end(), [&](const Table* t) { return ready(*t); });
    if (it == pending.end()) it = pending.begin();  // a cycle: the loader takes references in any order
    placed.insert((*it)->name);
    out.push_back(*it);
    pending.erase(it);
  }
  return out;
}

std::string model_table_yaml(const Table& t, const ModelWriterOptions& o, const std::optional<std::vector<SqlObject>>& triggers) {
  const NamingConvention& n = o.naming;
  // Which constraints ride on a column (`unique: true`, `index: true`, `foreign_key:`) and which
  // need the table-level keys (several columns, or a name the convention would not give).
  const bool single_pk = t.primary_key.size() == 1;
  const bool pk_on_column = single_pk && implied(t.primary_key_name, n.name(n.pk, t.name, t.primary_key));
  std::set<std::string> unique_cols, index_cols;
  std::map<std::string, const ForeignKey*> fk_of;
  std::vector<const UniqueConstraint*> table_uniques;
  std::vector<const ForeignKey*> table_fks;
  std::vector<const Index*> table_indexes;
  for (const auto& u : t.uniques) {
    if (u.columns.size() == 1 && implied(u.name, n.name(n.uq, t.name, u.columns)) && unique_cols.insert(u.columns[0]).second) continue;
    table_uniques.push_back(&u);
  }
  for (const auto& fk : t.foreign_keys) {
    if (fk.columns.size() == 1 && !fk_of.count(fk.columns[0])) fk_of[fk.columns[0]] = &fk;
    else table_fks.push_back(&fk);
  }
  for (const auto& ix : t.indexes) {
    if (!modelled(ix)) continue;
    if (ix.columns.size() == 1 && !ix.unique && ix.where.empty() && ix.name == n.name(n.ix, t.name, ix.columns) &&
        index_cols.insert(ix.columns[0]).second)
      continue;
    table_indexes.push_back(&ix);
  }

  std::vector<Entry> columns;
  for (const auto& c : t.columns) {
    std::vector<Entry> e{{"type", yaml_quote(c.type)}};
    const bool in_pk = std::find(t.primary_key.begin(), t.primary_key.end(), c.name) != t.primary_key.end();
    if (pk_on_column && in_pk) e.push_back({"primary_key", "true"});
    // What the loader assumes: autoincrement for a single integer key declared on its column.
    const bool default_autoincrement = pk_on_column && in_pk && is_integer_type(c.type);
    if (c.autoincrement != default_autoincrement && c.identity.empty())
      e.push_back({"autoincrement", c.autoincrement ? "true" : "false"});
    if (!in_pk && !c.nullable && c.identity.empty()) e.push_back({"nullable", "false"});
    if (!c.identity.empty()) e.push_back({"identity", c.identity});
    if (c.computed) e.push_back({"computed", yaml_quote(*c.computed)});
    if (unique_cols.count(c.name)) e.push_back({"unique", "true"});
    if (index_cols.count(c.name)) e.push_back({"index", "true"});
    if (auto it = fk_of.find(c.name); it != fk_of.end()) {
      const ForeignKey& fk = *it->second;
      std::vector<Entry> f{{"references", reference(fk)}};
      if (!fk.on_delete.empty()) f.push_back({"on_delete", action_yaml(fk.on_delete)});
      if (!fk.on_update.empty()) f.push_back({"on_update", action_yaml(fk.on_update)});
      if (!implied(fk.name, n.name(n.fk, t.name, fk.columns, fk.ref_table))) f.push_back({"name", yaml_quote(fk.name)});
      e.push_back({"foreign_key", f.size() == 1 ? f[0].value : flow(f)});
    }
    if (c.server_default) e.push_back({"server_default", yaml_quote(default_yaml(c, o))});
    if (c.comment) e.push_back({"comment", yaml_quote(*c.comment)});
    columns.push_back({yaml_quote(c.name), flow(e)});
  }

  const std::string in = "    ";
  std::string out = "  " + yaml_quote(t.name) + ":\n";
  if (!t.schema.empty()) out += in + "schema: " + yaml_quote(t.schema) + "\n";
  if (t.comment) out += in + "comment: " + yaml_quote(*t.comment) + "\n";
  out += in + "columns:\n" + aligned(columns, in + "  ");
  if (!t.primary_key.empty() && !pk_on_column) {
    if (implied(t.primary_key_name, n.name(n.pk, t.name, t.primary_key))) out += in + "primary_key: " + list_yaml(t.primary_key) + "\n";
    else out += in + "primary_key: " + flow({{"name", yaml_quote(t.primary_key_name)}, {"columns", list_yaml(t.primary_key)}}) + "\n";
  }
  if (!table_uniques.empty()) {
    out += in + "unique:\n";
    for (const auto* u : table_uniques) {
      std::vector<Entry> e{{"columns", list_yaml(u->columns)}};
      if (!implied(u->name, n.name(n.uq, t.name, u->columns))) e.push_back({"name", yaml_quote(u->name)});
      out += in + "  - " + flow(e) + "\n";
    }
  }
  if (!table_fks.empty()) {
    out += in + "foreign_keys:\n";
    for (const auto* fk : table_fks) {
      std::vector<Entry> e{{"columns", list_yaml(fk->columns)}, {"references", reference(*fk)}};
      if (fk->ref_columns.size() == 1) e[1].value = yaml_quote(fk->ref_table + "(" + fk->ref_columns[0] + ")");
      if (!fk->on_delete.empty()) e.push_back({"on_delete", action_yaml(fk->on_delete)});
      if (!fk->on_update.empty()) e.push_back({"on_update", action_yaml(fk->on_update)});
      if (!implied(fk->name, n.name(n.fk, t.name, fk->columns, fk->ref_table))) e.push_back({"name", yaml_quote(fk->name)});
      out += in + "  - " + flow(e) + "\n";
    }
  }
  if (!table_indexes.empty()) {
    std::vector<Entry> e;
    for (const auto* ix : table_indexes) {
      Index written = *ix;
      written.where = without_outer_parentheses(ix->where);
      e.push_back({yaml_quote(ix->name), "{" + index_keys_yaml(written) + "}"});
    }
    out += in + "indexes:\n" + aligned(e, in + "  ");
  }
  if (!t.checks.empty()) {
    // The model keys a check by its name; SQLite's unnamed checks get one (ck_<table>_<n>).
    std::set<std::string> taken;
    for (const auto& ck : t.checks) taken.insert(ck.name);
    std::vector<Entry> e;
    int next = 1;
    for (const auto& ck : t.checks) {
      std::string name = ck.name;
      while (name.empty()) {
        name = n.name(n.ck, t.name, {}, "", std::to_string(next++));
        if (!taken.insert(name).second) name.clear();
      }
      e.push_back({yaml_quote(name), yaml_quote(without_outer_parentheses(ck.sql))});
    }
    out += in + "checks:\n" + aligned(e, in + "  ");
  }
  out += partitioning_yaml(t, in);
  std::vector<Entry> own_triggers;
  for (const auto& tr : triggers.value_or(std::vector<SqlObject>{}))
    if (tr.table == t.name) own_triggers.push_back({yaml_quote(tr.name), yaml_quote(tr.sql)});
  if (!own_triggers.empty()) out += in + "triggers:\n" + aligned(own_triggers, in + "  ");
  return out;
}

std::string schema_objects_yaml(const Schema& schema) {
  std::string out;
  if (schema.extensions && !schema.extensions->empty()) out += "extensions: " + list_yaml(*schema.extensions) + "\n";
  if (!schema.enums.empty()) out += "enums:\n";
  for (const auto& e : schema.enums) out += "  " + yaml_quote(e.name) + ": " + list_yaml(e.values) + "\n";
  if (schema.domains && !schema.domains->empty()) out += "domains:\n";
  for (const auto& d : schema.domains.value_or(std::vector<Domain>{})) out += "  " + yaml_quote(d.name) + ": {" + domain_keys_yaml(d) + "}\n";
  if (schema.sequences && !schema.sequences->empty()) out += "sequences:\n";
  for (const auto& q : schema.sequences.value_or(std::vector<Sequence>{}))
    out += "  " + yaml_quote(q.name) + ": {start: " + std::to_string(q.start) + ", increment: " + std::to_string(q.increment) + "}\n";
  if (schema.functions && !schema.functions->empty()) out += "functions:\n";
  for (const auto& f : schema.functions.value_or(std::vector<SqlObject>{})) out += "  " + yaml_quote(f.name) + ": " + yaml_quote(f.sql) + "\n";
  return out;
}

std::string views_yaml(const Schema& schema) {
  std::string out;
  for (const auto& v : schema.views.value_or(std::vector<View>{}))
    out += "  " + yaml_quote(v.name) + ": {sql: " + yaml_quote(v.sql) + (v.materialized ? ", materialized: true" : "") +
           (v.indexes.empty() ? "" : ", indexes: " + view_indexes_yaml(v.indexes)) + "}\n";
  if (!out.empty()) out.insert(0, "views:\n");
  // A trigger on a view has no table entry to sit under.
  std::string on_views;
  for (const auto& t : schema.triggers.value_or(std::vector<SqlObject>{}))
    if (!schema.table(t.table))
      on_views += "  " + yaml_quote(t.table + "." + t.name) + ": {table: " + yaml_quote(t.table) + ", sql: " + yaml_quote(t.sql) + "}\n";
  return on_views.empty() ? out : out + "triggers:\n" + on_views;
}

std::string models_yaml(const Schema& schema, const ModelWriterOptions& options) {
  std::string out = schema_objects_yaml(schema) + "tables:";
  if (schema.tables.empty()) return out + " {}\n" + views_yaml(schema);
  out += "\n";
  bool first = true;
  for (const Table* t : dependency_order(schema)) {
    out += (first ? "" : "\n") + model_table_yaml(*t, options, schema.triggers);
    first = false;
  }
  std::string views = views_yaml(schema);
  return views.empty() ? out : out + "\n" + views;
}

std::string suggested_naming_convention(const Schema& schema, const NamingConvention& current) {
  // PostgreSQL's own names for what is created without one.
  NamingConvention pg;
  pg.pk = "%(table)s_pkey";
  pg.uq = "%(table)s_%(columns)s_key";
  pg.fk = "%(table)s_%(columns)s_fkey";
  pg.ix = "%(table)s_%(columns)s_idx";
  struct Count {
    int total = 0, current = 0, other = 0;
  };
  std::map<std::string, Count> kinds;  // "pk", "uq", "fk", "ix"
  auto count = [&](const std::string& kind, const std::string& name, const std::string& mine, const std::string& theirs) {
    if (name.empty()) return;
    auto& c = kinds[kind];
    ++c.total;
    c.current += name == mine;
    c.other += name == theirs;
  };
  for (const auto& t : schema.tables) {
    if (!t.primary_key.empty())
      count("pk", t.primary_key_name, current.name(current.pk, t.name, t.primary_key), pg.name(pg.pk, t.name, t.primary_key));
    for (const auto& u : t.uniques) count("uq", u.name, current.name(current.uq, t.name, u.columns), pg.name(pg.uq, t.name, u.columns));
    for (const auto& fk : t.foreign_keys)
      count("fk", fk.name, current.name(current.fk, t.name, fk.columns, fk.ref_table), pg.name(pg.fk, t.name, fk.columns, fk.ref_table));
    for (const auto& ix : t.indexes)
      if (modelled(ix)) count("ix", ix.name, current.name(current.ix, t.name, ix.columns), pg.name(pg.ix, t.name, ix.columns));
  }
  std::vector<Entry> keys;
  for (const auto& [kind, pattern] : std::vector<std::pair<std::string, std::string>>{{"pk", pg.pk}, {"uq", pg.uq}, {"fk", pg.fk}, {"ix", pg.ix}}) {
    const Count& c = kinds[kind];
    if (c.other > c.current && 2 * c.other > c.total) keys.push_back({kind, yaml_quote_always(pattern)});
  }
  return keys.empty() ? "" : flow(keys);
}

}  // namespace dbmig
