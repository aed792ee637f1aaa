#include <dbmig/dialects/sqlite/sqlite_catalog.hpp>

#include <algorithm>
#include <cctype>
#include <map>

namespace dbmig {
namespace {

std::string upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::toupper(c); });
  return s;
}

// Splits SQL text into tokens: identifiers/keywords (quotes removed), strings, punctuation, and
// parenthesised groups kept whole (as one token starting with '(').
struct Token {
  std::string text;
  bool quoted = false;
};

size_t skip_group(const std::string& s, size_t i) {  // s[i] == '(' ; returns index after matching ')'
  int depth = 0;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (c == '\'' || c == '"' || c == '`' || c == '[') {
      char close = c == '[' ? ']' : c;
      for (++i; i < s.size() && s[i] != close; ++i) {}
    } else if (c == '(') {
      ++depth;
    } else if (c == ')') {
      if (--depth == 0) return i + 1;
    }
  }
  return s.size();
}

std::vector<Token> tokenize(const std::string& s) {
  std::vector<Token> out;
  size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
    } else if (c == '-' && i + 1 < s.size() && s[i + 1] == '-') {
      while (i < s.size() && s[i] != '\n') ++i;
    } else if (c == '"' || c == '`' || c == '[') {
      char close = c == '[' ? ']' : c;
      std::string text;
      for (++i; i < s.size(); ++i) {
        if (s[i] == close) {
          if (close != ']' && i + 1 < s.size() && s[i + 1] == close) { text += close; ++i; continue; }
          break;
        }
        text += s[i];
      }
      ++i;
      out.push_back({text, true});
    } else if (c == '\'') {
      size_t start = i;
      for (++i; i < s.size(); ++i) {
        if (s[i] == '\'') {
          if (i + 1 < s.size() && s[i + 1] == '\'') { ++i; continue; }
          break;
        }
      }
      ++i;
      out.push_back({s.substr(start, i - start), false});
    } else if (c == '(') {
      size_t end = skip_group(s, i);
      out.push_back({s.substr(i, end - i), false});
      i = end;
    } else if (std::isalnum(static_cast<unsigned char>(c)) || c == '_') {
      size_t start = i;
      while (i < s.size() && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '_' || s[i] == '$')) ++i;
      out.push_back({s.substr(start, i - start), false});
    } else {
      out.push_back({std::string(1, c), false});
      ++i;
    }
  }
  return out;
}

std::string inner(const std::string& group) {  // "(a, b)" -> "a, b"
  if (group.size() >= 2 && group.front() == '(' && group.back() == ')') return group.substr(1, group.size() - 2);
  return group;
}

std::vector<std::string> column_names(const std::string& group) {
  std::vector<std::string> out;
  auto tokens = tokenize(inner(group));
  bool expect = true;
  for (const auto& t : tokens) {
    if (t.text == ",") { expect = true; continue; }
    if (expect) { out.push_back(t.text); expect = false; }
  }
  return out;
}

bool is_kw(const Token& t, const char* kw) { return !t.quoted && upper(t.text) == kw; }

// Splits text at commas outside quotes and parentheses, each part trimmed.
std::vector<std::string> split_top_level(const std::string& s) {
  std::vector<std::string> out(1);
  for (size_t i = 0; i < s.size();) {
    char c = s[i];
    size_t end = i + 1;
    if (c == '(') {
      end = skip_group(s, i);
    } else if (c == '\'' || c == '"' || c == '`' || c == '[') {
      char close = c == '[' ? ']' : c;
      end = s.find(close, i + 1);
      end = end == std::string::npos ? s.size() : end + 1;
    } else if (c == ',') {
      out.emplace_back();
      ++i;
      continue;
    }
    out.back() += s.substr(i, end - i);
    i = end;
  }
  for (auto& part : out) {
    auto first = part.find_first_not_of(" \t\r\n"), last = part.find_last_not_of(" \t\r\n");
    part = first == std::string::npos ? "" : part.substr(first, last - first + 1);
  }
  return out;
}

}  // namespace

std::string sqlite_view_select(const std::string& sql) {
  auto word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$'; };
  for (size_t i = 0; i < sql.size(); ++i) {
    char c = sql[i];
    if (c == '\'' || c == '"' || c == '`' || c == '[') {
      char close = c == '[' ? ']' : c;
      i = sql.find(close, i + 1);
      if (i == std::string::npos) break;
    } else if (c == '(') {
      i = skip_group(sql, i) - 1;
    } else if ((c == 'a' || c == 'A') && i + 1 < sql.size() && (sql[i + 1] == 's' || sql[i + 1] == 'S') &&
               (i == 0 || !word(sql[i - 1])) && (i + 2 == sql.size() || !word(sql[i + 2]))) {
      return statement_body(sql.substr(i + 2));
    }
  }
  return statement_body(sql);
}

std::vector<std::string> sqlite_index_keys(const std::string& sql) {
  auto tokens = tokenize(sql);
  for (size_t i = 0; i + 2 < tokens.size(); ++i) {
    if (!is_kw(tokens[i], "ON") || tokens[i + 2].text.empty() || tokens[i + 2].text.front() != '(' || tokens[i + 2].quoted) continue;
    std::vector<std::string> keys;
    for (const auto& key : split_top_level(inner(tokens[i + 2].text))) {
      auto parts = tokenize(key);
      bool column = parts.size() == 1 && (parts[0].quoted || std::isalpha(static_cast<unsigned char>(parts[0].text[0])) ||
                                           parts[0].text[0] == '_');
      bool group = parts.size() == 1 && !parts[0].quoted && parts[0].text.front() == '(';
      keys.push_back(column ? parts[0].text : group ? key : "(" + key + ")");
    }
    return keys;
  }
  return {};
}

void read_sqlite_views_and_triggers(Connection& conn, Schema& schema) {
  schema.views.emplace();
  schema.triggers.emplace();
  for (const auto& r : conn.query("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE type IN ('view', 'trigger') "
                                  "AND sql IS NOT NULL ORDER BY rowid")) {
    const std::string name = r[1].value_or(""), sql = r[3].value_or("");
    if (r[0] == "view") schema.views->push_back({name, sqlite_view_select(sql)});
    else schema.triggers->push_back({"trigger", name, r[2].value_or(""), statement_body(sql)});
  }
}

std::vector<ParsedConstraint> parse_create_table_constraints(const std::string& sql) {
  std::vector<ParsedConstraint> out;
  auto open = sql.find('(');
  if (open == std::string::npos) return out;
  auto body = inner(sql.substr(open, skip_group(sql, open) - open));
  // Split the body at top-level commas into column and constraint definitions.
  std::vector<std::vector<Token>> defs(1);
  for (auto& t : tokenize(body)) {
    if (t.text == "," && !t.quoted) defs.emplace_back();
    else defs.back().push_back(std::move(t));
  }
  for (const auto& d : defs) {
    if (d.empty()) continue;
    size_t i = 0;
    bool table_level = is_kw(d[0], "CONSTRAINT") || is_kw(d[0], "PRIMARY") || is_kw(d[0], "UNIQUE") ||
                       is_kw(d[0], "CHECK") || is_kw(d[0], "FOREIGN");
    std::string column = table_level ? "" : d[0].text;
    if (!table_level) i = 1;
    std::string name;
    for (; i < d.size(); ++i) {
      if (is_kw(d[i], "CONSTRAINT") && i + 1 < d.size()) {
        name = d[++i].text;
        continue;
      }
      ParsedConstraint c;
      c.name = name;
      if (is_kw(d[i], "PRIMARY") && i + 2 < d.size() && is_kw(d[i + 1], "KEY")) {
        c.kind = "primary";
        c.columns = table_level ? column_names(d[i + 2].text) : std::vector<std::string>{column};
      } else if (is_kw(d[i], "UNIQUE")) {
        c.kind = "unique";
        c.columns = table_level && i + 1 < d.size() ? column_names(d[i + 1].text) : std::vector<std::string>{column};
      } else if (is_kw(d[i], "CHECK") && i + 1 < d.size()) {
        c.kind = "check";
        c.sql = inner(d[i + 1].text);
      } else if (is_kw(d[i], "FOREIGN") && i + 2 < d.size()) {
        c.kind = "foreignkey";
        c.columns = column_names(d[i + 2].text);
      } else if (is_kw(d[i], "REFERENCES") && !table_level) {
        c.kind = "foreignkey";
        c.columns = {column};
      } else {
        continue;
      }
      out.push_back(c);
      name.clear();
      if (table_level) break;
    }
  }
  return out;
}

SqliteMaster read_sqlite_master(Connection& conn, const std::string& table) {
  SqliteMaster out;
  auto rows = table.empty() ? conn.query("SELECT name, sql FROM sqlite_master WHERE type IN ('table', 'index')")
                            : conn.query("SELECT name, sql FROM sqlite_master WHERE type IN ('table', 'index') AND tbl_name = ?1", {table});
  for (const auto& r : rows) out[r[0].value_or("")] = r[1].value_or("");
  return out;
}

namespace {

// The pragma rows that describe one table. The same queries read one table (?1) or, joined with
// sqlite_master, every table at once: four statements for the whole schema, not four per table.
struct TableRows {
  std::vector<Row> columns;        // cid, name, type, notnull, dflt_value, pk, hidden
  std::vector<Row> foreign_keys;   // id, seq, table, from, to, on_update, on_delete
  std::vector<Row> index_columns;  // seq, name, unique, origin, partial, seqno, column name
};

struct PragmaQuery {
  const char* columns;
  const char* from;  // ?1 stands for the table
  const char* order;
};
const PragmaQuery kColumnsQuery{"p.cid, p.name, p.type, p.\"notnull\", p.dflt_value, p.pk, p.hidden",
                                "pragma_table_xinfo(?1) p", "p.cid"};
const PragmaQuery kForeignKeysQuery{"f.id, f.seq, f.\"table\", f.\"from\", f.\"to\", f.on_update, f.on_delete",
                                    "pragma_foreign_key_list(?1) f", "f.id, f.seq"};
const PragmaQuery kIndexesQuery{"il.seq, il.name, il.\"unique\", il.origin, il.partial, ii.seqno, ii.name",
                                "pragma_index_list(?1) il, pragma_index_info(il.name) ii", "il.seq, ii.seqno"};

std::vector<Row> query_one_table(Connection& conn, const PragmaQuery& q, const std::string& table) {
  return conn.query(std::string("SELECT ") + q.columns + " FROM " + q.from + " ORDER BY " + q.order, {table});
}

// Rows of every table, each led by the table's name.
std::vector<Row> query_every_table(Connection& conn, const PragmaQuery& q) {
  std::string from = q.from;
  from.replace(from.find("?1"), 2, "m.name");
  return conn.query(std::string("SELECT m.name, ") + q.columns + " FROM sqlite_master m, " + from +
                    " WHERE m.type = 'table' ORDER BY m.name, " + q.order);
}

Table build_table(const std::string& name, const std::string& create_sql, const TableRows& rows, const SqliteMaster& master) {
  auto parsed = parse_create_table_constraints(create_sql);
  auto name_of = [&](const std::string& kind, const std::vector<std::string>& cols) {
    for (const auto& p : parsed)
      if (p.kind == kind && p.columns == cols) return p.name;
    return std::string();
  };
  Table t;
  t.name = name;

  std::vector<std::pair<int, std::string>> pk;
  for (const auto& r : rows.columns) {
    if (r[6] && *r[6] != "0") continue;  // generated/hidden columns
    Column c;
    c.name = r[1].value_or("");
    c.type = r[2].value_or("");
    c.nullable = r[3].value_or("0") == "0";
    c.server_default = r[4];
    int pk_pos = std::stoi(r[5].value_or("0"));
    if (pk_pos > 0) pk.emplace_back(pk_pos, c.name);
    t.columns.push_back(c);
  }
  std::sort(pk.begin(), pk.end());
  for (const auto& [_, c] : pk) t.primary_key.push_back(c);
  // A key column reads as NOT NULL, as the model has it: SQLite's leftover NULL in a key column
  // declared without NOT NULL is no difference worth a revision.
  for (const auto& c : t.primary_key) t.column(c)->nullable = false;
  if (!t.primary_key.empty()) {
    t.primary_key_name = name_of("primary", t.primary_key);
    if (t.primary_key.size() == 1) {
      Column* c = t.column(t.primary_key[0]);
      if (upper(c->type) == "INTEGER") c->autoincrement = true, c->nullable = false;  // a rowid alias
    }
  }

  std::map<int, ForeignKey> fks;
  for (const auto& r : rows.foreign_keys) {
    auto& fk = fks[std::stoi(r[0].value_or("0"))];
    fk.ref_table = r[2].value_or("");
    fk.columns.push_back(r[3].value_or(""));
    fk.ref_columns.push_back(r[4].value_or(""));
    auto action = [](const std::optional<std::string>& a) { return !a || *a == "NO ACTION" ? std::string() : *a; };
    fk.on_update = action(r[5]);
    fk.on_delete = action(r[6]);
  }
  for (auto it = fks.rbegin(); it != fks.rend(); ++it) {  // pragma lists them last-declared first
    it->second.name = name_of("foreignkey", it->second.columns);
    t.foreign_keys.push_back(it->second);
  }

  // One row per indexed column, an index's rows together (ordered by the index's seq).
  for (size_t i = 0; i < rows.index_columns.size();) {
    const Row& r = rows.index_columns[i];
    std::vector<std::string> cols;
    for (; i < rows.index_columns.size() && rows.index_columns[i][0] == r[0]; ++i)
      cols.push_back(rows.index_columns[i][6].value_or(""));
    std::string iname = r[1].value_or("");
    std::string origin = r[3].value_or("c");
    if (origin == "pk") continue;
    if (origin == "u") {
      t.uniques.push_back({name_of("unique", cols), cols});
      continue;
    }
    Index ix{iname, cols, r[2].value_or("0") == "1", "", true};
    auto sql = master.find(iname);
    const std::string text = sql == master.end() ? "" : sql->second;
    if (r[4].value_or("0") == "1") {
      auto where = upper(text).rfind(" WHERE ");
      if (where != std::string::npos) ix.where = text.substr(where + 7);
    }
    // An expression key has no name in the pragma: the CREATE INDEX text gives it.
    if (std::any_of(cols.begin(), cols.end(), [](const std::string& c) { return c.empty(); }))
      if (auto keys = sqlite_index_keys(text); keys.size() == cols.size()) ix.columns = keys;
    t.indexes.push_back(ix);
  }
  std::reverse(t.uniques.begin(), t.uniques.end());
  std::reverse(t.indexes.begin(), t.indexes.end());
  for (const auto& p : parsed)
    if (p.kind == "check") t.checks.push_back({p.name, p.sql});
  return t;
}

}  // namespace

std::optional<Table> inspect_sqlite_table(Connection& conn, const std::string& name) {
  auto master = read_sqlite_master(conn, name);
  auto create = master.find(name);
  if (create == master.end()) return std::nullopt;
  TableRows rows{query_one_table(conn, kColumnsQuery, name), query_one_table(conn, kForeignKeysQuery, name),
                 query_one_table(conn, kIndexesQuery, name)};
  return build_table(name, create->second, rows, master);
}

namespace {
// Whether SQL text names an object: the name as a whole word, bare or quoted, in any case.
bool names(const std::string& sql, const std::string& name) {
  const std::string text = upper(sql), n = upper(name);
  auto word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$'; };
  for (size_t at = text.find(n); at != std::string::npos; at = text.find(n, at + 1)) {
    bool starts = at == 0 || !word(text[at - 1]);
    bool ends = at + n.size() == text.size() || !word(text[at + n.size()]);
    if (starts && ends) return true;
  }
  return false;
}
}  // namespace

std::vector<Dependent> read_sqlite_dependents(Connection& conn, const std::string& table) {
  auto rows = conn.query(
      "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE type IN ('view', 'trigger') AND sql IS NOT NULL "
      "ORDER BY rowid");
  std::vector<Dependent> out;
  std::vector<std::string> views;
  for (const auto& r : rows) {
    std::string kind = r[0].value_or(""), name = r[1].value_or(""), on = r[2].value_or(""), sql = r[3].value_or("");
    bool on_ours = upper(on) == upper(table) ||
                   std::any_of(views.begin(), views.end(), [&](const std::string& v) { return upper(v) == upper(on); });
    if (kind == "view" && names(sql, table)) views.push_back(name);
    else if (!(kind == "trigger" && on_ours)) continue;
    out.push_back({kind, name, sql});
  }
  return out;
}

std::vector<Table> inspect_sqlite_tables(Connection& conn) {
  const auto master = read_sqlite_master(conn);
  std::map<std::string, TableRows> by_table;
  auto split = [&](const PragmaQuery& q, std::vector<Row> TableRows::*part) {
    for (auto& r : query_every_table(conn, q)) {
      std::string table = r[0].value_or("");
      r.erase(r.begin());
      (by_table[table].*part).push_back(std::move(r));
    }
  };
  split(kColumnsQuery, &TableRows::columns);
  split(kForeignKeysQuery, &TableRows::foreign_keys);
  split(kIndexesQuery, &TableRows::index_columns);
  std::vector<Table> tables;
  for (const auto& [name, rows] : by_table) {  // in name order
    auto create = master.find(name);
    if (create == master.end() || name.rfind("sqlite_", 0) == 0) continue;
    tables.push_back(build_table(name, create->second, rows, master));
  }
  return tables;
}

}  // namespace dbmig
