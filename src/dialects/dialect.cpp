#include <dbmig/dialects/dialect.hpp>

#include <fnmatch.h>

#include <cctype>
#include <cstdlib>
#include <string>

namespace dbmig {

std::unique_ptr<Dialect> make_postgres_dialect();
std::unique_ptr<Dialect> make_sqlite_dialect();

std::unique_ptr<Dialect> make_dialect(DialectKind kind) {
  return kind == DialectKind::postgresql ? make_postgres_dialect() : make_sqlite_dialect();
}

std::string Dialect::quote(const std::string& id) const {
  std::string out = "\"";
  for (char c : id) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string Dialect::literal(const std::string& text) const {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

std::string Dialect::qualified(const std::string& name, const std::optional<std::string>& schema) const {
  return schema && !schema->empty() ? quote(*schema) + "." + quote(name) : quote(name);
}

std::string Dialect::create_version_table_sql(const VersionTableName& t) const {
  return "CREATE TABLE IF NOT EXISTS " + qualified(t.name, t.schema) +
         " (version_num VARCHAR(32) NOT NULL, CONSTRAINT " + quote(t.name + "_pkc") + " PRIMARY KEY (version_num))";
}

std::string Dialect::columns_list(const std::vector<std::string>& cols) const {
  std::string out = "(";
  for (size_t i = 0; i < cols.size(); ++i) out += (i ? ", " : "") + quote(cols[i]);
  return out + ")";
}

std::string Dialect::column_sql(const Column& c) const {
  std::string out = quote(c.name) + " " + type_sql(c.type, c.autoincrement);
  if (!c.nullable) out += " NOT NULL";
  if (c.server_default) out += " DEFAULT " + default_sql(*c.server_default);
  return out;
}

std::string Dialect::foreign_key_clause(const ForeignKey& fk) const {
  std::string out = "FOREIGN KEY " + columns_list(fk.columns) + " REFERENCES " + quote(fk.ref_table) + " " +
                    columns_list(fk.ref_columns);
  if (!fk.on_delete.empty()) out += " ON DELETE " + fk.on_delete;
  if (!fk.on_update.empty()) out += " ON UPDATE " + fk.on_update;
  return out;
}

std::vector<Phase> Dialect::phases(const std::vector<Op>& ops) const {
  Phase all;
  all.ops = ops;
  for (size_t i = 0; i < ops.size(); ++i) all.numbers.push_back(i);
  return {all};
}

std::string Dialect::default_constraint_name(const std::string& table, const std::vector<std::string>& columns,
                                             const std::string& label) const {
  std::string cols;
  for (const auto& c : columns) cols += (cols.empty() ? "" : "_") + c;
  return table + "_" + cols + "_" + label;
}

std::string Dialect::backfill_sql(const Backfill& op) const {
  return "UPDATE " + quote(op.table) + " SET " + quote(op.column) + " = " + default_sql(op.value) + " WHERE " + quote(op.column) +
         " IS NULL";
}

long Dialect::backfill(Connection&, const Backfill& op, const std::function<long(const std::string&)>& run_batch) const {
  return run_batch(backfill_sql(op));
}

std::string Dialect::constraint_name(const std::string& name) const {
  return name.empty() ? std::string() : "CONSTRAINT " + quote(name) + " ";
}

std::string Dialect::create_table_sql(const Table& t, const std::string& name) const {
  std::vector<std::string> parts;
  for (const auto& c : t.columns) parts.push_back(column_sql(c));
  if (!t.primary_key.empty())
    parts.push_back(constraint_name(t.primary_key_name) + "PRIMARY KEY " + columns_list(t.primary_key));
  for (const auto& u : t.uniques) parts.push_back(constraint_name(u.name) + "UNIQUE " + columns_list(u.columns));
  for (const auto& fk : t.foreign_keys) parts.push_back(constraint_name(fk.name) + foreign_key_clause(fk));
  for (const auto& ck : t.checks) parts.push_back(constraint_name(ck.name) + "CHECK (" + ck.sql + ")");
  std::string out = "CREATE TABLE " + qualified(name, t.schema) + " (\n";
  for (size_t i = 0; i < parts.size(); ++i) out += "\t" + parts[i] + (i + 1 < parts.size() ? ",\n" : "\n");
  return out + ")";
}

std::string Dialect::create_index_sql(const std::string& table, const Index& ix) const {
  std::string out = std::string(ix.unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ") + quote(ix.name) + " ON " +
                    quote(table) + " " + columns_list(ix.columns);
  if (!ix.where.empty()) out += " WHERE " + ix.where;
  return out;
}

}  // namespace dbmig

namespace dbmig {

bool InspectOptions::excluded(const std::string& table) const {
  if (table == version_table.name || table == "dbmig_history" || table.rfind("_dbmig_tmp_", 0) == 0) return true;
  for (const auto& pattern : exclude_tables)
    if (fnmatch(pattern.c_str(), table.c_str(), 0) == 0) return true;
  return false;
}

namespace {
const char* kMultiWordTypes[] = {"character varying", "double precision", "timestamp without time zone",
                                 "timestamp with time zone", "time without time zone", "time with time zone",
                                 "bit varying"};

bool ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }
}  // namespace

std::string Dialect::token_form(const std::string& sql) const {
  std::string out;
  bool space = false;
  for (size_t i = 0; i < sql.size(); ++i) {
    char c = sql[i];
    if (c == '\'') {  // string literal, kept as written
      size_t end = sql.find('\'', i + 1);
      while (end != std::string::npos && end + 1 < sql.size() && sql[end + 1] == '\'') end = sql.find('\'', end + 2);
      end = end == std::string::npos ? sql.size() - 1 : end;
      out += sql.substr(i, end + 1 - i);
      i = end;
      space = false;
    } else if (std::isspace(static_cast<unsigned char>(c))) {
      space = true;
    } else {
      // One space survives only between two word characters ("a or b", not "a > 0").
      if (space && !out.empty() && ident_char(out.back()) && ident_char(c)) out += ' ';
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      space = false;
    }
  }
  // One pair of parentheses around the whole expression says nothing.
  if (out.size() > 1 && out.front() == '(' && out.back() == ')') {
    int depth = 0;
    bool wraps = true;
    for (size_t i = 0; i + 1 < out.size() && wraps; ++i) {
      depth += out[i] == '(' ? 1 : out[i] == ')' ? -1 : 0;
      wraps = depth > 0;
    }
    if (wraps) out = out.substr(1, out.size() - 2);
  }
  return out;
}

std::string Dialect::canonical_expression(const std::string& sql) const {
  std::string out;
  for (size_t i = 0; i < sql.size();) {
    char c = sql[i];
    if (c == '\'') {  // string literal, kept as written
      size_t end = i + 1;
      while (end < sql.size() && !(sql[end] == '\'' && (end + 1 >= sql.size() || sql[end + 1] != '\''))) end += sql[end] == '\'' ? 2 : 1;
      out += sql.substr(i, end + 1 - i);
      i = end + 1;
    } else if (c == ':' && i + 1 < sql.size() && sql[i + 1] == ':') {  // a cast: skip the type name
      i += 2;
      while (i < sql.size() && sql[i] == ' ') ++i;
      bool multi = false;
      for (const char* m : kMultiWordTypes) {
        size_t n = std::char_traits<char>::length(m);
        std::string part = sql.substr(i, n);
        for (auto& ch : part) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        if (part == m && (i + n >= sql.size() || !ident_char(sql[i + n]))) {
          i += n;
          multi = true;
          break;
        }
      }
      if (!multi) {
        if (i < sql.size() && sql[i] == '"') i = sql.find('"', i + 1) + 1;
        while (i < sql.size() && (ident_char(sql[i]) || sql[i] == '.')) ++i;
      }
      if (i < sql.size() && sql[i] == '(') i = sql.find(')', i) + 1;
      while (i + 1 < sql.size() && sql[i] == '[' && sql[i + 1] == ']') i += 2;
    } else if (c == '(' || c == ')' || c == '"' || std::isspace(static_cast<unsigned char>(c))) {
      ++i;
    } else {
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      ++i;
    }
  }
  // A quoted number is the number; now() is CURRENT_TIMESTAMP.
  if (out.size() > 2 && out.front() == '\'' && out.back() == '\'') {
    std::string inner = out.substr(1, out.size() - 2);
    char* end = nullptr;
    std::strtod(inner.c_str(), &end);
    if (!inner.empty() && end && *end == '\0') out = inner;
  }
  if (out == "now" || out == "transaction_timestamp") out = "current_timestamp";
  return out;
}

}  // namespace dbmig
