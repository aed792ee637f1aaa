#include <dbmig/dialects/dialect.hpp>
#include <dbmig/util/error.hpp>
#include <dbmig/util/output.hpp>
#include <dbmig/util/overloaded.hpp>
#include <dbmig/dialects/postgres/postgres_catalog.hpp>
#include <dbmig/model/types.hpp>

#include <algorithm>
#include <map>

namespace dbmig {
namespace {

uint64_t fnv1a64(const std::string& s) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
  return h;
}

class PostgresLock : public Lock {
 public:
  PostgresLock(Connection& conn, std::string key) : conn_(conn), key_(std::move(key)) {}
  ~PostgresLock() override {
    try {
      conn_.query("SELECT pg_advisory_unlock($1::bigint)", {key_});
    } catch (const std::exception& e) {
      log_debug(std::string("releasing the migration lock failed: ") + e.what());
    }
  }

 private:
  Connection& conn_;
  std::string key_;
};

class PostgresDialect : public Dialect {
 public:
  DialectKind kind() const override { return DialectKind::postgresql; }
  std::string name() const override { return "postgresql"; }

  std::string type_sql(const std::string& model_type, bool autoincrement) const override {
    auto t = parse_type(model_type);
    const std::string& b = t.base;
    if (autoincrement) {
      if (b == "integer") return "SERIAL";
      if (b == "biginteger") return "BIGSERIAL";
      if (b == "smallinteger") return "SMALLSERIAL";
    }
    if (b == "integer") return "INTEGER";
    if (b == "biginteger") return "BIGINT";
    if (b == "smallinteger") return "SMALLINT";
    if (b == "string") return t.args.empty() ? "VARCHAR" : "VARCHAR(" + t.args + ")";
    if (b == "text") return "TEXT";
    if (b == "boolean") return "BOOLEAN";
    if (b == "float" || b == "double") return "DOUBLE PRECISION";
    if (b == "numeric") return t.args.empty() ? "NUMERIC" : "NUMERIC(" + with_space(t.args) + ")";
    if (b == "date") return "DATE";
    if (b == "time") return "TIME";
    if (b == "datetime") return t.args == "timezone" ? "TIMESTAMP WITH TIME ZONE" : "TIMESTAMP WITHOUT TIME ZONE";
    if (b == "binary") return "BYTEA";
    if (b == "json") return "JSON";
    if (b == "jsonb") return "JSONB";
    if (b == "uuid") return "UUID";
    return model_type;
  }

  std::vector<Statement> render(const std::vector<Op>& ops, SchemaTracker& schema) const override {
    std::vector<Statement> out;
    for (size_t i = 0; i < ops.size(); ++i) {
      for (auto& sql : render_one(ops[i])) out.push_back({std::move(sql), i});
      schema.apply(ops[i]);
    }
    return out;
  }

  std::unique_ptr<Lock> lock(Connection& conn, const VersionTableName& t, double timeout) const override {
    uint64_t h = fnv1a64("dbmig:" + t.schema.value_or("") + "." + t.name);
    std::string key = std::to_string(static_cast<int64_t>(h));
    auto got = conn.query("SELECT pg_try_advisory_lock($1::bigint)", {key});
    if (!got.empty() && got[0][0] == "t") return std::make_unique<PostgresLock>(conn, key);
    std::string holder = describe_holder(conn, h);
    log_info("Waiting for the migration lock on " + t.name + " held by " + holder);
    if (timeout >= 0) conn.execute("SET lock_timeout = " + std::to_string(static_cast<long>(timeout * 1000)));
    try {
      conn.query("SELECT pg_advisory_lock($1::bigint)", {key});
    } catch (const DatabaseError&) {
      throw Error("could not get the migration lock on " + t.name + " within " + format_double("%g", timeout) +
                  " seconds (--lock-timeout); it is held by " + describe_holder(conn, h));
    }
    if (timeout >= 0) conn.execute("RESET lock_timeout");
    return std::make_unique<PostgresLock>(conn, key);
  }

  SchemaTracker::Loader table_loader(Connection&) const override { return {}; }

  Schema inspect(Connection& conn, const InspectOptions& options) const override {
    return inspect_postgres(conn, options, *this);
  }

  bool supports_comments() const override { return true; }

  std::string canonical_type(const std::string& type, bool autoincrement) const override {
    auto t = parse_type(is_model_type(parse_type(type).base) ? type_sql(type, autoincrement) : type);
    static const std::map<std::string, std::string> synonyms = {
        {"varchar", "character varying"}, {"char", "character"}, {"bpchar", "character"}, {"int", "integer"},
        {"int4", "integer"}, {"int8", "bigint"}, {"int2", "smallint"}, {"bool", "boolean"},
        {"float8", "double precision"}, {"float", "double precision"}, {"float4", "real"}, {"decimal", "numeric"},
        {"timestamp", "timestamp without time zone"}, {"timestamptz", "timestamp with time zone"},
        {"time", "time without time zone"}, {"timetz", "time with time zone"}, {"serial", "integer"},
        {"serial4", "integer"}, {"bigserial", "bigint"}, {"serial8", "bigint"}, {"smallserial", "smallint"},
        {"varbit", "bit varying"}};
    auto it = synonyms.find(t.base);
    std::string base = it == synonyms.end() ? t.base : it->second;
    if (base == "character" && t.args.empty()) t.args = "1";
    return base + (t.args.empty() ? "" : "(" + t.args + ")") + t.suffix;
  }

  std::string model_type(const std::string& db) const override {
    auto t = parse_type(db);
    auto args = t.args.empty() ? "" : "(" + t.args + ")";
    if (!t.suffix.empty()) return db;
    if (t.base == "integer" || t.base == "bigint" || t.base == "smallint")
      return t.base == "integer" ? "integer" : t.base == "bigint" ? "biginteger" : "smallinteger";
    if (t.base == "character varying") return "string" + args;
    if (t.base == "double precision") return "float";
    if (t.base == "numeric") return "numeric" + args;
    if (t.base == "timestamp without time zone" && args.empty()) return "datetime";
    if (t.base == "timestamp with time zone" && args.empty()) return "datetime(timezone)";
    if (t.base == "time without time zone" && args.empty()) return "time";
    if (t.base == "bytea") return "binary";
    for (const char* same : {"text", "boolean", "date", "json", "jsonb", "uuid"})
      if (t.base == same && args.empty()) return same;
    return db;
  }

  bool table_exists(Connection& conn, const VersionTableName& t) const override {
    auto rows = conn.query("SELECT pg_catalog.to_regclass($1) IS NOT NULL", {qualified(t.name, t.schema)});
    return !rows.empty() && rows[0][0] == "t";
  }

  // SET LOCAL inside a transaction ends with it, so a pooler (PgBouncer) never hands the setting
  // to another client; outside one (transactional: false) the session setting is reset after.
  std::string ddl_lock_timeout_sql(double seconds, bool in_transaction) const override {
    if (seconds <= 0 && !in_transaction) return "RESET lock_timeout";
    long ms = seconds > 0 ? std::max(1L, static_cast<long>(seconds * 1000 + 0.5)) : 0;
    return std::string(in_transaction ? "SET LOCAL" : "SET") + " lock_timeout = '" + std::to_string(ms) + "ms'";
  }
  bool is_lock_timeout(const DatabaseError& e) const override { return e.sqlstate() == "55P03"; }

  std::string lock_holder(Connection& conn, const std::string& table) const override {
    try {
      // The session holding a lock on the table (the oldest transaction first); without a
      // table, the oldest open transaction of the database.
      const char* on_table =
          "SELECT a.pid, a.query, to_char(COALESCE(a.xact_start, a.backend_start), 'YYYY-MM-DD HH24:MI:SS'), "
          "a.application_name, COALESCE(host(a.client_addr), 'local socket') "
          "FROM pg_catalog.pg_locks l JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid "
          "WHERE l.relation = pg_catalog.to_regclass($1) AND l.granted AND l.pid <> pg_catalog.pg_backend_pid() "
          "ORDER BY a.xact_start NULLS LAST LIMIT 1";
      const char* oldest =
          "SELECT a.pid, a.query, to_char(a.xact_start, 'YYYY-MM-DD HH24:MI:SS'), a.application_name, "
          "COALESCE(host(a.client_addr), 'local socket') FROM pg_catalog.pg_stat_activity a "
          "WHERE a.datname = pg_catalog.current_database() AND a.pid <> pg_catalog.pg_backend_pid() "
          "AND a.xact_start IS NOT NULL ORDER BY a.xact_start LIMIT 1";
      auto rows = table.empty() ? conn.query(oldest) : conn.query(on_table, {quote(table)});
      if (rows.empty() && !table.empty()) rows = conn.query(oldest);
      if (rows.empty()) return "another session (gone by now)";
      const auto& r = rows[0];
      std::string query = r[1].value_or("");
      for (auto& c : query)
        if (c == '\n' || c == '\t') c = ' ';
      if (query.size() > 200) query = query.substr(0, 197) + "...";
      std::string app = r[3].value_or("");
      return "pid " + r[0].value_or("?") + " (" + (app.empty() ? std::string() : app + " ") + "from " + r[4].value_or("?") +
             ", in transaction since " + r[2].value_or("?") + ", query: " + query + ")";
    } catch (const Error&) {
      return "another session";
    }
  }

 private:
  static std::string with_space(const std::string& args) {
    auto comma = args.find(',');
    return comma == std::string::npos ? args : args.substr(0, comma) + ", " + args.substr(comma + 1);
  }

  std::string describe_holder(Connection& conn, uint64_t key) const {
    try {
      auto rows = conn.query(
          "SELECT a.pid, COALESCE(host(a.client_addr), 'local socket'), a.application_name, "
          "to_char(a.backend_start, 'YYYY-MM-DD HH24:MI:SS') "
          "FROM pg_catalog.pg_locks l JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid "
          "WHERE l.locktype = 'advisory' AND l.granted AND l.classid = $1::oid AND l.objid = $2::oid "
          "AND l.objsubid = 1",
          {std::to_string(key >> 32), std::to_string(key & 0xffffffffu)});
      if (rows.empty()) return "another session";
      const auto& r = rows[0];
      return "pid " + r[0].value_or("?") + " (" + r[2].value_or("") + " from " + r[1].value_or("?") +
             ", connected since " + r[3].value_or("?") + ")";
    } catch (const Error&) {
      return "another session";
    }
  }

  std::string comment_sql(const std::string& table, const std::string& column, const std::optional<std::string>& c) const {
    return "COMMENT ON COLUMN " + quote(table) + "." + quote(column) + " IS " + (c ? literal(*c) : "NULL");
  }

  std::vector<std::string> render_one(const Op& op) const {
    auto alter = [&](const std::string& table) { return "ALTER TABLE " + quote(table) + " "; };
    return std::visit(
        overloaded{
            [&](const CreateTable& o) {
              std::vector<std::string> out{create_table_sql(o.table, o.table.name)};
              for (const auto& ix : o.table.indexes) out.push_back(create_index_sql(o.table.name, ix));
              if (o.table.comment)
                out.push_back("COMMENT ON TABLE " + qualified(o.table.name, o.table.schema) + " IS " + literal(*o.table.comment));
              for (const auto& c : o.table.columns)
                if (c.comment) out.push_back(comment_sql(o.table.name, c.name, c.comment));
              return out;
            },
            [&](const DropTable& o) { return std::vector<std::string>{"DROP TABLE " + quote(o.name)}; },
            [&](const RenameTable& o) {
              return std::vector<std::string>{alter(o.name) + "RENAME TO " + quote(o.new_name)};
            },
            [&](const AddColumn& o) {
              std::vector<std::string> out{alter(o.table) + "ADD COLUMN " + column_sql(o.column)};
              if (o.column.comment) out.push_back(comment_sql(o.table, o.column.name, o.column.comment));
              return out;
            },
            [&](const DropColumn& o) { return std::vector<std::string>{alter(o.table) + "DROP COLUMN " + quote(o.name)}; },
            [&](const AlterColumn& o) {
              std::vector<std::string> out;
              std::string col = "ALTER COLUMN " + quote(o.name) + " ";
              if (o.type) out.push_back(alter(o.table) + col + "TYPE " + type_sql(*o.type, false));
              if (o.nullable) out.push_back(alter(o.table) + col + (*o.nullable ? "DROP NOT NULL" : "SET NOT NULL"));
              if (o.server_default)
                out.push_back(alter(o.table) + col +
                              (*o.server_default ? "SET DEFAULT " + default_sql(**o.server_default) : "DROP DEFAULT"));
              if (o.comment) out.push_back(comment_sql(o.table, o.name, *o.comment));
              if (o.new_name) out.push_back(alter(o.table) + "RENAME COLUMN " + quote(o.name) + " TO " + quote(*o.new_name));
              return out;
            },
            [&](const CreateIndex& o) {
              std::string sql = create_index_sql(o.table, o.index);
              if (o.concurrently) sql.insert(sql.find("INDEX ") + 6, "CONCURRENTLY ");
              return std::vector<std::string>{sql};
            },
            [&](const DropIndex& o) {
              return std::vector<std::string>{(o.concurrently ? "DROP INDEX CONCURRENTLY " : "DROP INDEX ") + quote(o.name)};
            },
            [&](const CreateUniqueConstraint& o) {
              return std::vector<std::string>{alter(o.table) + "ADD CONSTRAINT " + quote(o.constraint.name) + " UNIQUE " +
                                              columns_list(o.constraint.columns)};
            },
            [&](const CreateForeignKey& o) {
              return std::vector<std::string>{alter(o.table) + "ADD CONSTRAINT " + quote(o.constraint.name) + " " +
                                              foreign_key_clause(o.constraint) + (o.not_valid ? " NOT VALID" : "")};
            },
            [&](const CreateCheckConstraint& o) {
              return std::vector<std::string>{alter(o.table) + "ADD CONSTRAINT " + quote(o.constraint.name) + " CHECK (" +
                                              o.constraint.sql + ")" + (o.not_valid ? " NOT VALID" : "")};
            },
            [&](const CreatePrimaryKey& o) {
              return std::vector<std::string>{alter(o.table) + "ADD CONSTRAINT " + quote(o.name) + " PRIMARY KEY " +
                                              columns_list(o.columns)};
            },
            [&](const DropConstraint& o) {
              return std::vector<std::string>{alter(o.table) + "DROP CONSTRAINT " + quote(o.name)};
            },
            [&](const Execute& o) {
              if (o.per_dialect.empty()) return std::vector<std::string>{o.sql};
              auto it = o.per_dialect.find("postgresql");
              return it == o.per_dialect.end() ? std::vector<std::string>{} : std::vector<std::string>{it->second};
            },
        },
        op);
  }
};

}  // namespace

std::unique_ptr<Dialect> make_postgres_dialect() { return std::make_unique<PostgresDialect>(); }

}  // namespace dbmig
