#include <dbmig/dialects/dialect.hpp>
#include <dbmig/util/error.hpp>
#include <dbmig/util/output.hpp>
#include <dbmig/util/overloaded.hpp>
#include <dbmig/dialects/postgres/postgres_catalog.hpp>
#include <dbmig/model/types.hpp>

#include <algorithm>
#include <cctype>
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
    if (auto e = parse_enum_type(model_type)) return enum_type_name(e->name);
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

  bool has_online_forms() const override { return true; }

  // makeObjectName: table_columns_label, the longer of the first two parts cut until the whole
  // fits in NAMEDATALEN - 1 bytes.
  std::string default_constraint_name(const std::string& table, const std::vector<std::string>& columns,
                                      const std::string& label) const override {
    std::string cols;
    for (const auto& c : columns) cols += (cols.empty() ? "" : "_") + c;
    const size_t room = 63 - label.size() - 2;
    size_t a = table.size(), b = cols.size();
    while (a + b > room) (a > b ? a : b) -= 1;
    return table.substr(0, a) + "_" + cols.substr(0, b) + "_" + label;
  }

  std::vector<Phase> phases(const std::vector<Op>& ops) const override {
    std::vector<Phase> out;
    bool open = false;  // whether the last phase is a transaction more ops may join
    auto add = [&](Phase::Kind kind, Op op, size_t number, bool joinable) {
      if (!(open && kind == Phase::Kind::transaction)) out.push_back(Phase{kind, {}, {}});
      out.back().ops.push_back(std::move(op));
      out.back().numbers.push_back(number);
      open = kind == Phase::Kind::transaction && joinable;
    };
    for (size_t i = 0; i < ops.size(); ++i) {
      const Op& op = ops[i];
      auto* unique = std::get_if<CreateUniqueConstraint>(&op);
      auto* index = std::get_if<CreateIndex>(&op);
      auto* drop = std::get_if<DropIndex>(&op);
      if (unique && unique->concurrently) {
        add(Phase::Kind::outside_transaction, concurrent_unique_index(*unique), i, false);
        CreateUniqueConstraint from_index = *unique;
        from_index.concurrently = false;
        from_index.using_index = unique->constraint.name;
        add(Phase::Kind::transaction, from_index, i, true);
      } else if ((index && index->concurrently) || (drop && drop->concurrently) || std::holds_alternative<Backfill>(op)) {
        add(Phase::Kind::outside_transaction, op, i, false);
      } else if (std::holds_alternative<ValidateConstraint>(op)) {
        open = false;  // after the commit of what added the constraint, and alone: the scan holds no lock writes wait for
        add(Phase::Kind::transaction, op, i, false);
      } else {
        add(Phase::Kind::transaction, op, i, true);
      }
    }
    return out;
  }

  bool already_done(Connection& conn, const Op& op) const override {
    const std::string* name = nullptr;
    if (auto* c = std::get_if<CreateIndex>(&op); c && c->concurrently) name = &c->index.name;
    if (auto* d = std::get_if<DropIndex>(&op); d && d->concurrently) name = &d->name;
    if (!name) return false;
    const std::string index = qualified(*name, op_schema(op));
    auto rows = conn.query("SELECT i.indisvalid FROM pg_catalog.pg_index i WHERE i.indexrelid = pg_catalog.to_regclass($1)", {index});
    if (std::holds_alternative<DropIndex>(op)) return rows.empty();
    if (rows.empty()) return false;
    if (rows[0][0] == std::optional<std::string>("t")) return true;
    log_warn("Index " + *name + " is invalid (a concurrent build of it failed or was interrupted); dropping it to build it again");
    conn.execute("DROP INDEX CONCURRENTLY IF EXISTS " + index);
    return false;
  }

  // Batches by ranges of the table's pages (a TID range scan, PostgreSQL 14+), so each batch
  // reads only its pages; then one pass for rows written into new pages meanwhile.
  long backfill(Connection& conn, const Backfill& op, const std::function<long(const std::string&)>& run_batch) const override {
    auto size = conn.query(
        "SELECT pg_catalog.pg_relation_size(c.oid) / pg_catalog.current_setting('block_size')::bigint, c.reltuples::bigint "
        "FROM pg_catalog.pg_class c WHERE c.oid = $1::regclass",
        {qualified(op.table, op.schema)});
    long pages = size.empty() ? 0 : std::stol(size[0][0].value_or("0"));
    long tuples = size.empty() ? 0 : std::max(0L, std::stol(size[0][1].value_or("0")));
    long rows_per_page = pages > 0 && tuples > 0 ? std::max(1L, tuples / pages) : 100;
    long step = std::max(1L, op.batch_size / rows_per_page);
    long changed = 0;
    for (long first = 0; first < pages; first += step)
      changed += run_batch(backfill_sql(op) + " AND ctid >= '(" + std::to_string(first) + ",0)'::tid AND ctid < '(" +
                           std::to_string(first + step) + ",0)'::tid");
    return changed + run_batch(backfill_sql(op));
  }

  void lock_transaction(Connection& conn, const VersionTableName& t, double timeout) const override {
    uint64_t h = lock_key(t);
    std::string key = std::to_string(static_cast<int64_t>(h));
    // The setting is read in the same statement so a wait can restore it afterwards.
    auto got = conn.query("SELECT pg_try_advisory_xact_lock($1::bigint), current_setting('lock_timeout')", {key});
    if (!got.empty() && got[0][0] == "t") return;
    std::string previous = got.empty() ? "0" : got[0][1].value_or("0");
    log_info("Waiting for the migration lock on " + t.name + " held by " + describe_holder(conn, h));
    // A savepoint keeps the transaction usable after a timeout, to name the holder. SET LOCAL
    // (set_config(..., true)) ends with the transaction, as a pooler needs.
    conn.execute("SAVEPOINT dbmig_lock");
    try {
      conn.query("SELECT set_config('lock_timeout', $1, true)", {std::to_string(timeout >= 0 ? static_cast<long>(timeout * 1000) : 0)});
      conn.query("SELECT pg_advisory_xact_lock($1::bigint)", {key});
    } catch (const DatabaseError&) {
      conn.execute("ROLLBACK TO SAVEPOINT dbmig_lock");
      throw Error("could not get the migration lock on " + t.name + " within " + format_double("%g", timeout) +
                  " seconds (--lock-timeout); it is held by " + describe_holder(conn, h));
    }
    conn.query("SELECT set_config('lock_timeout', $1, true)", {previous});
    conn.execute("RELEASE SAVEPOINT dbmig_lock");
  }

  std::unique_ptr<Lock> lock(Connection& conn, const VersionTableName& t, double timeout) const override {
    uint64_t h = lock_key(t);
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

  std::vector<UnmodelledObject> unmodelled(Connection& conn, const InspectOptions& options) const override {
    return unmodelled_postgres(conn, options);
  }

  std::optional<Schema> stored_spelling(Connection& conn, const Schema& model, const Schema& database) const override {
    return spell_postgres(conn, model, database, *this);
  }

  bool supports_comments() const override { return true; }
  bool supports_schema_objects() const override { return true; }

  std::optional<std::string> cut_by_type(const std::string& column, const std::string& from, const std::string& to) const override {
    auto f = parse_type(canonical_type(from, false)), t = parse_type(canonical_type(to, false));
    if ((t.base == "character varying" || t.base == "character") && !t.args.empty())
      return "char_length(" + column + "::text) > " + t.args;
    static const std::map<std::string, std::string> ranges = {{"smallint", "-32768 AND 32767"},
                                                              {"integer", "-2147483648 AND 2147483647"}};
    auto range = ranges.find(t.base);
    bool numeric_from = f.base == "smallint" || f.base == "integer" || f.base == "bigint" || f.base == "numeric" ||
                        f.base == "double precision" || f.base == "real";
    if (range != ranges.end() && numeric_from && f.base != t.base)
      return column + " NOT BETWEEN " + range->second + (f.base == "bigint" || f.base == "smallint" || f.base == "integer" ? "" : " OR " + column + " <> round(" + column + ")");
    if (range != ranges.end() && !numeric_from)  // text and the like: what is not an integer
      return column + "::text !~ '^\\s*[-+]?[0-9]+\\s*$'";
    if (t.base == "numeric" && !t.args.empty() && numeric_from) {  // digits left of the point that no longer fit
      auto comma = t.args.find(',');
      int precision = std::atoi(t.args.c_str()), scale = comma == std::string::npos ? 0 : std::atoi(t.args.c_str() + comma + 1);
      return "abs(" + column + "::numeric) >= 1e" + std::to_string(precision - scale);
    }
    return std::nullopt;
  }

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
  static uint64_t lock_key(const VersionTableName& t) { return fnv1a64("dbmig:" + t.schema.value_or("") + "." + t.name); }

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

  std::string enum_type_name(const std::string& name) const {
    bool plain = !name.empty() && !std::isdigit(static_cast<unsigned char>(name[0]));
    for (char c : name) plain = plain && (std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '_');
    return plain ? name : quote(name);
  }

  // SQLAlchemy creates an Enum's type with the table that uses it, unless it exists already.
  void create_enum_types(const std::vector<Column>& columns, std::vector<std::string>& out) const {
    for (const auto& c : columns) {
      auto e = parse_enum_type(c.type);
      if (!e) continue;
      std::string values;
      for (const auto& v : e->values) values += (values.empty() ? "" : ", ") + literal(v);
      out.push_back("DO $dbmig$ BEGIN CREATE TYPE " + enum_type_name(e->name) + " AS ENUM (" + values +
                    "); EXCEPTION WHEN duplicate_object THEN NULL; END $dbmig$");
    }
  }

  std::string comment_sql(const std::string& table, const std::string& schema, const std::string& column,
                          const std::optional<std::string>& c) const {
    return "COMMENT ON COLUMN " + qualified(table, schema) + "." + quote(column) + " IS " + (c ? literal(*c) : "NULL");
  }

  static std::string sequence_options(const Sequence& s) {
    return " INCREMENT BY " + std::to_string(s.increment) + " START WITH " + std::to_string(s.start);
  }

  // A partition lives in its parent's schema.
  std::string create_partition_sql(const std::string& table, const std::string& schema, const Partition& p) const {
    return "CREATE TABLE " + qualified(p.name, schema) + " PARTITION OF " + qualified(table, schema) + " " + p.bound;
  }
  // Default and NOT NULL as they differ; a check whose text differs is dropped and added again.
  std::vector<std::string> alter_domain_sql(const AlterDomain& o) const {
    const Domain &to = o.domain, &from = o.existing;
    const std::string alter = "ALTER DOMAIN " + quote(to.name) + " ";
    std::vector<std::string> out;
    if (to.server_default != from.server_default)
      out.push_back(alter + (to.server_default ? "SET DEFAULT " + default_sql(*to.server_default) : "DROP DEFAULT"));
    if (to.nullable != from.nullable) out.push_back(alter + (to.nullable ? "DROP NOT NULL" : "SET NOT NULL"));
    auto has = [](const Domain& d, const CheckConstraint& ck) { return std::find(d.checks.begin(), d.checks.end(), ck) != d.checks.end(); };
    for (const auto& ck : from.checks)
      if (!has(to, ck)) out.push_back(alter + "DROP CONSTRAINT " + quote(ck.name));
    for (const auto& ck : to.checks)
      if (!has(from, ck)) out.push_back(alter + "ADD CONSTRAINT " + quote(ck.name) + " CHECK (" + ck.sql + ")");
    return out;
  }

  std::string create_enum_sql(const std::string& name, const std::vector<std::string>& values) const {
    std::string out = "CREATE TYPE " + quote(name) + " AS ENUM (";
    for (size_t i = 0; i < values.size(); ++i) out += (i ? ", " : "") + literal(values[i]);
    return out + ")";
  }

  // Renames first; then new labels are added in place when every remaining label keeps its
  // order, and otherwise (a label removed or moved) the type is swapped: a new type, every
  // column that uses the old one cast to it (defaults dropped and set again), the old dropped.
  std::vector<std::string> alter_enum_sql(const AlterEnum& o) const {
    std::vector<std::string> out;
    std::vector<std::string> now = o.existing_values;
    for (const auto& [label, before] : o.renamed) {
      auto it = std::find(now.begin(), now.end(), before);
      if (it == now.end()) continue;
      out.push_back("ALTER TYPE " + quote(o.name) + " RENAME VALUE " + literal(before) + " TO " + literal(label));
      *it = label;
    }
    std::vector<std::string> kept;  // the target's labels that exist now, in the target's order
    for (const auto& v : o.values)
      if (std::find(now.begin(), now.end(), v) != now.end()) kept.push_back(v);
    if (kept == now) {
      for (size_t i = 0; i < o.values.size(); ++i) {
        const auto& v = o.values[i];
        if (std::find(now.begin(), now.end(), v) != now.end()) continue;
        std::string where = i > 0 ? " AFTER " + literal(o.values[i - 1]) : now.empty() ? "" : " BEFORE " + literal(now.front());
        out.push_back("ALTER TYPE " + quote(o.name) + " ADD VALUE " + literal(v) + where);
      }
      return out;
    }
    std::string old_name = o.name + "__dbmig_old";
    out.push_back("ALTER TYPE " + quote(o.name) + " RENAME TO " + quote(old_name));
    out.push_back(create_enum_sql(o.name, o.values));
    out.push_back(
        "DO $dbmig$ DECLARE r record; BEGIN\n"
        "  FOR r IN SELECT a.attrelid::regclass AS rel, a.attname AS col, pg_catalog.pg_get_expr(d.adbin, d.adrelid) AS def\n"
        "    FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid AND c.relkind IN ('r', 'p')\n"
        "    LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum\n"
        "    WHERE a.atttypid = " + literal(quote(old_name)) + "::regtype AND a.attnum > 0 AND NOT a.attisdropped LOOP\n"
        "    IF r.def IS NOT NULL THEN EXECUTE format('ALTER TABLE %s ALTER COLUMN %I DROP DEFAULT', r.rel, r.col); END IF;\n"
        "    EXECUTE format('ALTER TABLE %s ALTER COLUMN %I TYPE %I USING %I::text::%I', r.rel, r.col, " + literal(o.name) +
        ", r.col, " + literal(o.name) + ");\n"
        "    IF r.def IS NOT NULL THEN EXECUTE format('ALTER TABLE %s ALTER COLUMN %I SET DEFAULT %s', r.rel, r.col,\n"
        "      replace(r.def, '::' || " + literal(quote(old_name)) + "::regtype::text, '::' || " + literal(quote(o.name)) +
        "::regtype::text)); END IF;\n"
        "  END LOOP;\nEND $dbmig$");
    out.push_back("DROP TYPE " + quote(old_name));
    return out;
  }

  // The first step of a concurrent unique constraint: its index, under the constraint's name.
  static CreateIndex concurrent_unique_index(const CreateUniqueConstraint& o) {
    Index ix;
    ix.name = o.constraint.name;
    ix.columns = o.constraint.columns;
    ix.unique = true;
    return CreateIndex{o.table, ix, true, o.schema};
  }

  std::vector<std::string> render_one(const Op& op) const {
    // Every table an op names is in the op's schema.
    const std::string& schema = op_schema(op);
    auto table = [&](const std::string& name) { return qualified(name, schema); };
    auto alter = [&](const std::string& name) { return "ALTER TABLE " + table(name) + " "; };
    return std::visit(
        overloaded{
            [&](const CreateTable& o) {
              std::vector<std::string> out;
              create_enum_types(o.table.columns, out);
              out.push_back(create_table_sql(o.table, o.table.name));
              for (const auto& p : o.table.partitions) out.push_back(create_partition_sql(o.table.name, schema, p));
              for (const auto& ix : o.table.indexes) out.push_back(create_index_sql(o.table.name, ix, schema));
              if (o.table.comment) out.push_back("COMMENT ON TABLE " + table(o.table.name) + " IS " + literal(*o.table.comment));
              for (const auto& c : o.table.columns)
                if (c.comment) out.push_back(comment_sql(o.table.name, schema, c.name, c.comment));
              return out;
            },
            [&](const DropTable& o) { return std::vector<std::string>{"DROP TABLE " + table(o.name)}; },
            [&](const RenameTable& o) {
              return std::vector<std::string>{alter(o.name) + "RENAME TO " + quote(o.new_name)};
            },
            [&](const AddColumn& o) {
              std::vector<std::string> out;
              create_enum_types({o.column}, out);
              out.push_back(alter(o.table) + "ADD COLUMN " + column_sql(o.column));
              if (o.column.comment) out.push_back(comment_sql(o.table, schema, o.column.name, o.column.comment));
              return out;
            },
            [&](const DropColumn& o) { return std::vector<std::string>{alter(o.table) + "DROP COLUMN " + quote(o.name)}; },
            [&](const AlterColumn& o) {
              std::vector<std::string> out;
              std::string col = "ALTER COLUMN " + quote(o.name) + " ";
              // An identity goes before NOT NULL is dropped and comes after it is set.
              if (o.identity && o.identity->empty()) out.push_back(alter(o.table) + col + "DROP IDENTITY");
              if (o.type) create_enum_types({Column{o.name, *o.type}}, out);
              if (o.type) out.push_back(alter(o.table) + col + "TYPE " + type_sql(*o.type, false));
              // NOT NULL over NULLs: the fill, or the default the column gets or has, first (SPEC §7.1).
              if (o.nullable == false) {
                std::optional<std::string> fill = o.fill;
                if (!fill && o.server_default) fill = *o.server_default;
                if (!fill && !o.server_default && o.existing_server_default) fill = *o.existing_server_default;
                if (fill)
                  out.push_back("UPDATE " + table(o.table) + " SET " + quote(o.name) + " = " + default_sql(*fill) + " WHERE " +
                                quote(o.name) + " IS NULL");
              }
              if (o.nullable) out.push_back(alter(o.table) + col + (*o.nullable ? "DROP NOT NULL" : "SET NOT NULL"));
              if (o.identity && !o.identity->empty()) {
                std::string kind = *o.identity == "always" ? "ALWAYS" : "BY DEFAULT";
                if (!o.existing_identity.empty()) {
                  out.push_back(alter(o.table) + col + "SET GENERATED " + kind);
                } else {  // numbering starts after the rows already there
                  out.push_back(alter(o.table) + col + "ADD GENERATED " + kind + " AS IDENTITY");
                  out.push_back("SELECT pg_catalog.setval(pg_catalog.pg_get_serial_sequence(" + literal(table(o.table)) + ", " +
                                literal(o.name) + "), COALESCE(max(" + quote(o.name) + "), 0) + 1, false) FROM " + table(o.table));
                }
              }
              if (o.server_default)
                out.push_back(alter(o.table) + col +
                              (*o.server_default ? "SET DEFAULT " + default_sql(**o.server_default) : "DROP DEFAULT"));
              if (o.comment) out.push_back(comment_sql(o.table, schema, o.name, *o.comment));
              if (o.new_name) out.push_back(alter(o.table) + "RENAME COLUMN " + quote(o.name) + " TO " + quote(*o.new_name));
              return out;
            },
            [&](const CreateIndex& o) {
              std::string sql = create_index_sql(o.table, o.index, schema);
              if (o.concurrently) sql.insert(sql.find("INDEX ") + 6, "CONCURRENTLY ");
              return std::vector<std::string>{sql};
            },
            [&](const DropIndex& o) {
              return std::vector<std::string>{(o.concurrently ? "DROP INDEX CONCURRENTLY " : "DROP INDEX ") + table(o.name)};
            },
            [&](const CreateUniqueConstraint& o) {
              std::vector<std::string> out;
              std::string index = o.using_index;
              if (o.concurrently) {  // outside a transaction: both steps here (phases() splits them otherwise)
                index = o.constraint.name;
                out.push_back(render_one(concurrent_unique_index(o))[0]);
              }
              out.push_back(alter(o.table) + "ADD " + constraint_name(o.constraint.name) + "UNIQUE " +
                            (index.empty() ? columns_list(o.constraint.columns) : "USING INDEX " + quote(index)));
              return out;
            },
            [&](const CreateForeignKey& o) {
              return std::vector<std::string>{alter(o.table) + "ADD " + constraint_name(o.constraint.name) +
                                              foreign_key_clause(o.constraint) + (o.not_valid ? " NOT VALID" : "")};
            },
            [&](const CreateCheckConstraint& o) {
              return std::vector<std::string>{alter(o.table) + "ADD " + constraint_name(o.constraint.name) + "CHECK (" +
                                              o.constraint.sql + ")" + (o.not_valid ? " NOT VALID" : "")};
            },
            [&](const CreatePrimaryKey& o) {
              return std::vector<std::string>{alter(o.table) + "ADD " + constraint_name(o.name) + "PRIMARY KEY " +
                                              columns_list(o.columns)};
            },
            [&](const DropConstraint& o) {
              return std::vector<std::string>{alter(o.table) + "DROP CONSTRAINT " + quote(o.name)};
            },
            [&](const CreateEnum& o) { return std::vector<std::string>{create_enum_sql(o.type.name, o.type.values)}; },
            [&](const DropEnum& o) { return std::vector<std::string>{"DROP TYPE " + quote(o.name)}; },
            [&](const CreateExtension& o) { return std::vector<std::string>{"CREATE EXTENSION IF NOT EXISTS " + quote(o.name)}; },
            [&](const DropExtension& o) { return std::vector<std::string>{"DROP EXTENSION IF EXISTS " + quote(o.name)}; },
            [&](const CreateSchema& o) { return std::vector<std::string>{"CREATE SCHEMA " + quote(o.name)}; },
            [&](const DropSchema& o) { return std::vector<std::string>{"DROP SCHEMA " + quote(o.name)}; },  // only if empty
            [&](const CreateSequence& o) {
              return std::vector<std::string>{"CREATE SEQUENCE " + quote(o.sequence.name) + sequence_options(o.sequence)};
            },
            [&](const DropSequence& o) { return std::vector<std::string>{"DROP SEQUENCE " + quote(o.name)}; },
            [&](const CreatePartition& o) { return std::vector<std::string>{create_partition_sql(o.table, schema, o.partition)}; },
            [&](const DropPartition& o) { return std::vector<std::string>{"DROP TABLE " + table(o.name)}; },
            [&](const CreateDomain& o) { return std::vector<std::string>{postgres_create_domain_sql(*this, o.domain, quote(o.domain.name))}; },
            [&](const DropDomain& o) { return std::vector<std::string>{"DROP DOMAIN " + quote(o.name)}; },
            [&](const AlterDomain& o) { return alter_domain_sql(o); },
            [&](const CreateView& o) {
              std::vector<std::string> out{std::string(o.view.materialized ? "CREATE MATERIALIZED VIEW " : "CREATE VIEW ") +
                                           quote(o.view.name) + " AS " + o.view.sql};
              for (const auto& ix : o.view.indexes) out.push_back(create_index_sql(o.view.name, ix));
              return out;
            },
            [&](const DropView& o) {
              return std::vector<std::string>{std::string(o.materialized ? "DROP MATERIALIZED VIEW " : "DROP VIEW ") + quote(o.name)};
            },
            [&](const CreateObject& o) {
              const SqlObject& x = o.object;
              if (!o.existing_sql) return std::vector<std::string>{x.sql};
              // A function is replaced in place (its triggers and callers stay); a trigger, which
              // may be a constraint trigger that OR REPLACE refuses, is dropped and created.
              if (x.kind == "function") return std::vector<std::string>{postgres_or_replace(x.sql)};
              return std::vector<std::string>{"DROP TRIGGER IF EXISTS " + quote(x.name) + " ON " + quote(x.table), x.sql};
            },
            [&](const DropObject& o) {
              // DROP ROUTINE takes a function or a procedure; a modelled name is not overloaded.
              if (o.kind == "function") return std::vector<std::string>{"DROP ROUTINE " + quote(o.name)};
              return std::vector<std::string>{"DROP TRIGGER " + quote(o.name) + " ON " + quote(o.table)};
            },
            [&](const AlterSequence& o) {
              // No RESTART: the numbers already handed out stay behind the current value.
              return std::vector<std::string>{"ALTER SEQUENCE " + quote(o.sequence.name) + sequence_options(o.sequence)};
            },
            [&](const AlterEnum& o) { return alter_enum_sql(o); },
            [&](const ValidateConstraint& o) {
              return std::vector<std::string>{alter(o.table) + "VALIDATE CONSTRAINT " + quote(o.name)};
            },
            [&](const Backfill& o) { return std::vector<std::string>{backfill_sql(o)}; },
            [&](const Execute& o) {
              if (o.per_dialect.empty()) return std::vector<std::string>{o.sql};
              auto it = o.per_dialect.find("postgresql");
              return it == o.per_dialect.end() ? std::vector<std::string>{} : std::vector<std::string>{it->second};
            },
            [&](const Unconverted& o) -> std::vector<std::string> { throw Error(unconverted_message(o)); },
        },
        op);
  }
};

}  // namespace

std::unique_ptr<Dialect> make_postgres_dialect() { return std::make_unique<PostgresDialect>(); }

}  // namespace dbmig
