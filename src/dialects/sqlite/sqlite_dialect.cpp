#include <dbmig/dialects/dialect.hpp>
#include <dbmig/model/table_yaml.hpp>
#include <dbmig/util/error.hpp>
#include <dbmig/util/overloaded.hpp>
#include <dbmig/dialects/sqlite/sqlite_catalog.hpp>
#include <dbmig/model/types.hpp>

#include <algorithm>
#include <map>
#include <string>
#include <cctype>
#include <cstdlib>
#include <chrono>
#include <dbmig/util/output.hpp>

namespace dbmig {
namespace {

// A number, a string or blob literal, NULL, TRUE/FALSE, CURRENT_* or an expression already in
// parentheses: what SQLite accepts after DEFAULT without parentheses.
bool is_plain_default(const std::string& text) {
  auto b = text.find_first_not_of(" \t"), e = text.find_last_not_of(" \t");
  if (b == std::string::npos) return false;
  std::string d = text.substr(b, e - b + 1), up;
  for (char c : d) up += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (const char* kw : {"NULL", "TRUE", "FALSE", "CURRENT_TIMESTAMP", "CURRENT_DATE", "CURRENT_TIME"})
    if (up == kw) return true;
  if (d.front() == '(' && d.back() == ')') return true;
  size_t q = (up[0] == 'X' && d.size() > 1 && d[1] == '\'') ? 1 : 0;
  if (d[q] == '\'' && d.back() == '\'' && d.size() >= q + 2) {
    for (size_t i = q + 1; i + 1 < d.size(); ++i)
      if (d[i] == '\'' && d[++i] != '\'') return false;  // a quote inside must be doubled
    return true;
  }
  char* end = nullptr;
  std::strtod(d.c_str(), &end);
  return end && *end == '\0' && (std::isdigit(static_cast<unsigned char>(d.back())) || d.back() == '.');
}

// What SQLite's ADD COLUMN refuses on a table that holds rows ("Cannot add a column with
// non-constant default"): CURRENT_* and expressions in parentheses. A rebuild adds those.
bool refused_by_add_column(const std::string& sql_default) {
  std::string up;
  for (char c : sql_default)
    if (!std::isspace(static_cast<unsigned char>(c))) up += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return up.front() == '(' || up == "CURRENT_TIMESTAMP" || up == "CURRENT_DATE" || up == "CURRENT_TIME";
}

// Rows copied per statement when a rebuild copies a large table, and the size from which it does.
constexpr long kCopyStep = 100000;

bool mentions(const std::vector<std::string>& cols, const std::string& c) {
  return std::find(cols.begin(), cols.end(), c) != cols.end();
}

// The values a SQL integer type holds, as "low AND high".
std::optional<std::string> integer_range(const std::string& base) {
  if (base == "smallint") return "-32768 AND 32767";
  if (base == "integer" || base == "int") return "-2147483648 AND 2147483647";
  return std::nullopt;
}

class SqliteDialect : public Dialect {
 public:
  DialectKind kind() const override { return DialectKind::sqlite; }
  std::string name() const override { return "sqlite"; }

  std::string type_sql(const std::string& model_type, bool autoincrement) const override {
    auto t = parse_type(model_type);
    const std::string& b = t.base;
    if (autoincrement && (b == "integer" || b == "biginteger" || b == "smallinteger")) return "INTEGER";
    if (b == "integer") return "INTEGER";
    if (b == "biginteger") return "BIGINT";
    if (b == "smallinteger") return "SMALLINT";
    if (b == "string") return t.args.empty() ? "VARCHAR" : "VARCHAR(" + t.args + ")";
    if (b == "text") return "TEXT";
    if (b == "boolean") return "BOOLEAN";
    if (b == "float" || b == "double") return "FLOAT";
    if (b == "numeric") {
      auto comma = t.args.find(',');
      return t.args.empty() ? "NUMERIC"
                            : "NUMERIC(" + (comma == std::string::npos ? t.args : t.args.substr(0, comma) + ", " + t.args.substr(comma + 1)) + ")";
    }
    if (b == "date") return "DATE";
    if (b == "time") return "TIME";
    if (b == "datetime") return "DATETIME";
    if (b == "binary") return "BLOB";
    if (b == "json") return "JSON";
    if (b == "jsonb") throw Error("type jsonb is not supported on SQLite (use json)");
    if (b == "uuid") return "CHAR(32)";
    if (auto e = parse_enum_type(model_type)) {
      size_t longest = 0;
      for (const auto& v : e->values) longest = std::max(longest, v.size());
      return "VARCHAR(" + std::to_string(longest) + ")";
    }
    return model_type;
  }

  // SQLite takes literals and CURRENT_* as they are; any other expression needs parentheses.
  std::string default_sql(const std::string& d) const override { return is_plain_default(d) ? d : "(" + d + ")"; }

  std::vector<Statement> render(const std::vector<Op>& ops, SchemaTracker& schema) const override {
    std::vector<Statement> out;
    for (const auto& op : ops)
      if (!op_schema(op).empty()) throw Error(describe(op) + ": schemas are PostgreSQL only (SQLite has none)");
    size_t i = 0;
    while (i < ops.size()) {
      if (!needs_rebuild(ops[i], schema)) {
        for (auto& sql : render_simple(ops[i])) out.push_back({std::move(sql), i});
        schema.apply(ops[i]);
        ++i;
        continue;
      }
      // Consecutive ops on one table that all need a rebuild share it.
      std::string table = op_table(ops[i]);
      const Table* current = schema.table(table);
      if (!current) throw Error(describe(ops[i]) + ": table '" + table + "' does not exist");
      Table before = *current;
      size_t first = i;
      std::map<std::string, std::string> source;  // new column name -> old column name
      std::map<std::string, std::string> fills;   // new column name -> what its NULLs become
      for (const auto& c : before.columns) source[c.name] = c.name;
      do {
        if (auto* a = std::get_if<AlterColumn>(&ops[i])) {
          std::string now = a->new_name.value_or(a->name);
          if (a->new_name) {
            source[now] = source[a->name];
            source.erase(a->name);
            if (fills.count(a->name)) fills[now] = fills[a->name], fills.erase(a->name);
          }
          if (a->fill) fills[now] = *a->fill;
        }
        schema.apply(ops[i]);
        ++i;
      } while (i < ops.size() && op_table(ops[i]) == table && needs_rebuild(ops[i], schema));
      for (auto& st : rebuild(before, *schema.table(table), source, fills)) {
        st.op_index = first;
        st.op_count = i - first;
        out.push_back(std::move(st));
      }
    }
    return out;
  }

  void check_integrity(Connection& conn) const override {
    auto rows = conn.query("PRAGMA foreign_key_check");
    if (rows.empty()) return;
    const auto& r = rows[0];
    throw Error("foreign key check failed: table " + r[0].value_or("?") + " row " + r[1].value_or("?") +
                " references a missing row in " + r[2].value_or("?") + " (" + std::to_string(rows.size()) +
                " violation(s)); nothing was committed");
  }

  void lock_transaction(Connection&, const VersionTableName&, double) const override {}

  std::unique_ptr<Lock> lock(Connection&, const VersionTableName&, double) const override {
    // BEGIN IMMEDIATE takes the database's write lock with the connection's busy timeout.
    return std::make_unique<Lock>();
  }

  SchemaTracker::Loader table_loader(Connection& conn) const override {
    return [&conn](const std::string& name) {
      auto t = inspect_sqlite_table(conn, name);
      if (t) t->dependents = read_sqlite_dependents(conn, name);
      return t;
    };
  }

  Schema inspect(Connection& conn, const InspectOptions& options) const override {
    Schema schema;
    for (auto& t : inspect_sqlite_tables(conn)) {
      if (options.excluded(t.name)) continue;
      for (auto& c : t.columns) c.type = model_type(c.type);
      schema.tables.push_back(std::move(t));
    }
    read_sqlite_views_and_triggers(conn, schema);
    std::erase_if(*schema.triggers, [&](const SqlObject& t) { return options.excluded(t.table); });
    return schema;
  }

  std::vector<UnmodelledObject> unmodelled(Connection& conn, const InspectOptions& options) const override {
    auto all = unmodelled_sqlite(conn);
    std::erase_if(all, [&](const UnmodelledObject& o) { return options.excluded(o.name.substr(0, o.name.find('.'))); });
    return all;
  }

  bool supports_comments() const override { return false; }
  bool supports_schema_objects() const override { return false; }
  // SQLite has generated columns too, but cannot add a stored one in place: dbmig keeps them
  // PostgreSQL-only.
  std::string cannot_hold(const Table& t) const override {
    for (const auto& c : t.columns) {
      if (!c.identity.empty()) return "identity column '" + c.name + "' is PostgreSQL only (on SQLite write autoincrement)";
      if (c.computed) return "computed column '" + c.name + "' is PostgreSQL only";
    }
    if (!t.partition_by.empty()) return "partitioned tables are PostgreSQL only";
    if (!t.schema.empty()) return "schema '" + t.schema + "': schemas are PostgreSQL only (SQLite has none)";
    for (const auto& ix : t.indexes)
      if (!ix.method.empty() || !ix.include.empty()) return "index '" + ix.name + "': using and include are PostgreSQL only";
    return "";
  }

  // A rebuild's copy of a large table runs in steps of kCopyStep rowids, each step printing the
  // rows copied and the rate; the steps are one statement each in the same transaction.
  long execute(Connection& conn, const Statement& s) const override {
    if (s.copy_from.empty()) return conn.execute(s.sql);
    std::vector<Row> range;
    try {
      range = conn.query("SELECT count(*), min(rowid), max(rowid) FROM " + quote(s.copy_from));
    } catch (const DatabaseError&) {  // a WITHOUT ROWID table: one statement
      return conn.execute(s.sql);
    }
    long rows = std::stol(range[0][0].value_or("0"));
    if (rows <= kCopyStep) return conn.execute(s.sql);
    long long lo = std::stoll(range[0][1].value_or("0")), hi = std::stoll(range[0][2].value_or("0"));
    if ((hi - lo) / kCopyStep > 4 * (rows / kCopyStep) + 10) return conn.execute(s.sql);  // sparse rowids
    auto start = std::chrono::steady_clock::now();
    long copied = 0;
    for (long long at = lo; at <= hi; at += kCopyStep) {
      copied += conn.execute(s.sql + " WHERE rowid >= " + std::to_string(at) + " AND rowid < " + std::to_string(at + kCopyStep));
      double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      log_info("Rebuilding '" + s.copy_from + "': " + std::to_string(copied) + " of " + std::to_string(rows) + " rows copied (" +
               format_double("%.0f", secs > 0 ? copied / secs : 0) + " rows/s)");
    }
    return copied;
  }

  std::optional<std::string> cut_by_type(const std::string& column, const std::string& from, const std::string& to) const override {
    // SQLite keeps any value in any column; the check reports what would not fit the declared type.
    auto f = parse_type(canonical_type(from, false)), t = parse_type(canonical_type(to, false));
    bool text_to = t.base == "varchar" || t.base == "char" || t.base == "character";
    if (text_to && !t.args.empty()) return "length(" + column + ") > " + t.args;
    auto range = integer_range(t.base);
    if (range && integer_range(f.base) != range)
      return "(CAST(" + column + " AS INTEGER) <> " + column + " OR " + column + " NOT BETWEEN " + *range + ")";
    (void)f;
    return std::nullopt;
  }

  // SQLite keeps the declared type text; only case and spacing are folded.
  std::string canonical_type(const std::string& type, bool autoincrement) const override {
    auto t = parse_type(is_model_type(parse_type(type).base) ? type_sql(type, autoincrement) : type);
    return t.base + (t.args.empty() ? "" : "(" + t.args + ")") + t.suffix;
  }

  std::string model_type(const std::string& db) const override {
    auto t = parse_type(db);
    std::string args = t.args.empty() ? "" : "(" + t.args + ")";
    if (!t.suffix.empty()) return db;
    if (t.base == "varchar" && db.rfind("VARCHAR", 0) == 0) return "string" + args;
    if (t.base == "numeric" && db.rfind("NUMERIC", 0) == 0) return "numeric" + args;
    static const std::map<std::string, std::string> same = {
        {"INTEGER", "integer"}, {"BIGINT", "biginteger"}, {"SMALLINT", "smallinteger"}, {"TEXT", "text"},
        {"BOOLEAN", "boolean"}, {"FLOAT", "float"}, {"DATE", "date"}, {"TIME", "time"}, {"DATETIME", "datetime"},
        {"BLOB", "binary"}, {"JSON", "json"}};
    auto it = same.find(db);
    return it == same.end() ? db : it->second;
  }

  bool table_exists(Connection& conn, const VersionTableName& t) const override {
    return !conn.query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?1", {t.name}).empty();
  }
  bool rebuilds_table(const Op& op, SchemaTracker& schema) const override { return needs_rebuild(op, schema); }

 private:
  // Whether SQLite's ALTER TABLE cannot do this op in place.
  bool needs_rebuild(const Op& op, SchemaTracker& schema) const {
    return std::visit(
        overloaded{
            [&](const AlterColumn& o) { return o.type || o.nullable || o.server_default; },
            [&](const AddColumn& o) {
              // ADD COLUMN cannot add NOT NULL without a default, nor a non-constant default.
              const auto& c = o.column;
              if (!c.nullable && !c.server_default) return true;
              return c.server_default && refused_by_add_column(default_sql(*c.server_default));
            },
            [&](const DropColumn& o) {
              const Table* t = schema.table(o.table);
              if (!t) return false;
              auto uses = [&](const auto& list) {
                return std::any_of(list.begin(), list.end(), [&](const auto& x) { return mentions(x.columns, o.name); });
              };
              return mentions(t->primary_key, o.name) || uses(t->uniques) || uses(t->foreign_keys) || uses(t->indexes);
            },
            [](const CreateUniqueConstraint&) { return true; },
            [](const CreateForeignKey&) { return true; },
            [](const CreateCheckConstraint&) { return true; },
            [](const CreatePrimaryKey&) { return true; },
            [](const DropConstraint&) { return true; },
            [](const auto&) { return false; },
        },
        op);
  }

  std::vector<std::string> render_simple(const Op& op) const {
    auto alter = [&](const std::string& table) { return "ALTER TABLE " + quote(table) + " "; };
    using V = std::vector<std::string>;
    return std::visit(
        overloaded{
            [&](const CreateTable& o) {
              V out{create_table_sql(o.table, o.table.name)};
              for (const auto& ix : o.table.indexes) out.push_back(create_index_sql(o.table.name, ix));
              return out;
            },
            [&](const DropTable& o) { return V{"DROP TABLE " + quote(o.name)}; },
            [&](const RenameTable& o) { return V{alter(o.name) + "RENAME TO " + quote(o.new_name)}; },
            [&](const AddColumn& o) { return V{alter(o.table) + "ADD COLUMN " + column_sql(o.column)}; },
            [&](const DropColumn& o) { return V{alter(o.table) + "DROP COLUMN " + quote(o.name)}; },
            [&](const AlterColumn& o) {
              // Only a rename or a comment gets here; SQLite keeps no comments.
              if (!o.new_name) return V{};
              return V{alter(o.table) + "RENAME COLUMN " + quote(o.name) + " TO " + quote(*o.new_name)};
            },
            [&](const CreateIndex& o) { return V{create_index_sql(o.table, o.index)}; },
            [&](const DropIndex& o) { return V{"DROP INDEX " + quote(o.name)}; },
            [&](const ValidateConstraint&) { return V{}; },  // SQLite checks every constraint when it is added
            [&](const Backfill& o) { return V{backfill_sql(o)}; },
            [&](const Execute& o) {
              if (o.per_dialect.empty()) return V{o.sql};
              auto it = o.per_dialect.find("sqlite");
              return it == o.per_dialect.end() ? V{} : V{it->second};
            },
            [&](const CreateEnum&) -> V { throw Error(describe(op) + ": enum types are PostgreSQL only"); },
            [&](const DropEnum&) -> V { throw Error(describe(op) + ": enum types are PostgreSQL only"); },
            [&](const CreateExtension&) -> V { throw Error(describe(op) + ": extensions are PostgreSQL only"); },
            [&](const DropExtension&) -> V { throw Error(describe(op) + ": extensions are PostgreSQL only"); },
            [&](const CreateSchema&) -> V { throw Error(describe(op) + ": schemas are PostgreSQL only"); },
            [&](const DropSchema&) -> V { throw Error(describe(op) + ": schemas are PostgreSQL only"); },
            [&](const CreateSequence&) -> V { throw Error(describe(op) + ": sequences are PostgreSQL only"); },
            [&](const DropSequence&) -> V { throw Error(describe(op) + ": sequences are PostgreSQL only"); },
            [&](const AlterSequence&) -> V { throw Error(describe(op) + ": sequences are PostgreSQL only"); },
            [&](const CreatePartition&) -> V { throw Error(describe(op) + ": partitions are PostgreSQL only"); },
            [&](const DropPartition&) -> V { throw Error(describe(op) + ": partitions are PostgreSQL only"); },
            [&](const CreateDomain&) -> V { throw Error(describe(op) + ": domains are PostgreSQL only"); },
            [&](const DropDomain&) -> V { throw Error(describe(op) + ": domains are PostgreSQL only"); },
            [&](const AlterDomain&) -> V { throw Error(describe(op) + ": domains are PostgreSQL only"); },
            [&](const CreateView& o) -> V {
              if (o.view.materialized) throw Error(describe(op) + ": materialized views are PostgreSQL only");
              return V{"CREATE VIEW " + quote(o.view.name) + " AS " + o.view.sql};
            },
            [&](const DropView& o) -> V {
              if (o.materialized) throw Error(describe(op) + ": materialized views are PostgreSQL only");
              return V{"DROP VIEW " + quote(o.name)};
            },
            [&](const AlterEnum&) -> V { throw Error(describe(op) + ": enum types are PostgreSQL only"); },
            [&](const CreateObject& o) -> V {
              if (o.object.kind != "trigger") throw Error(describe(op) + ": functions are PostgreSQL only");
              if (!o.existing_sql) return V{o.object.sql};
              return V{"DROP TRIGGER IF EXISTS " + quote(o.object.name), o.object.sql};
            },
            [&](const DropObject& o) -> V {
              if (o.kind != "trigger") throw Error(describe(op) + ": functions are PostgreSQL only");
              return V{"DROP TRIGGER " + quote(o.name)};
            },
            [&](const Unconverted& o) -> V { throw Error(unconverted_message(o)); },
            [&](const auto&) -> V { throw Error("internal: " + describe(op) + " needs a table rebuild on SQLite"); },
        },
        op);
  }

  // Alembic's "batch mode": new table, copy the rows, drop the old, rename, recreate indexes,
  // then the views that read the table and the triggers (dropped with the table or view).
  // A column that becomes NOT NULL gets its fill (or its default) where the old row held NULL.
  std::vector<Statement> rebuild(const Table& before, const Table& after, const std::map<std::string, std::string>& source,
                                 const std::map<std::string, std::string>& fills) const {
    std::string tmp = "_dbmig_tmp_" + after.name;
    std::vector<Statement> out;
    auto add = [&](std::string sql, std::string copy_from = "") { out.push_back({std::move(sql), 0, 1, std::move(copy_from)}); };
    add(create_table_sql(after, tmp));
    std::string to, from;
    for (const auto& c : after.columns) {
      auto it = source.find(c.name);
      if (it == source.end() || !before.column(it->second)) continue;  // a new column: its default fills it
      std::string value = quote(it->second);
      if (!c.nullable && before.column(it->second)->nullable) {
        auto fill = fills.find(c.name);
        if (fill != fills.end()) value = "COALESCE(" + value + ", " + fill->second + ")";
        else if (c.server_default) value = "COALESCE(" + value + ", " + default_sql(*c.server_default) + ")";
      }
      to += (to.empty() ? "" : ", ") + quote(c.name);
      from += (from.empty() ? "" : ", ") + value;
    }
    if (!to.empty())
      add("INSERT INTO " + quote(tmp) + " (" + to + ") SELECT " + from + " FROM " + quote(before.name), before.name);
    for (const auto& d : before.dependents)
      if (d.kind == "view") add("DROP VIEW " + quote(d.name));
    add("DROP TABLE " + quote(before.name));
    add("ALTER TABLE " + quote(tmp) + " RENAME TO " + quote(after.name));
    for (const auto& ix : after.indexes) add(create_index_sql(after.name, ix));
    for (const auto& d : before.dependents) add(d.sql);
    return out;
  }
};

}  // namespace

std::unique_ptr<Dialect> make_sqlite_dialect() { return std::make_unique<SqliteDialect>(); }

}  // namespace dbmig
