#include <dbmig/dialects/connection.hpp>
#include <dbmig/util/error.hpp>
#include <dbmig/util/output.hpp>

#include <dlfcn.h>
#include <libpq-fe.h>

namespace dbmig {
namespace {

// libpq is loaded on the first PostgreSQL connection, not at start-up: it brings some twenty
// libraries (TLS, Kerberos, LDAP) whose loading would otherwise dominate the few milliseconds
// that current, heads and history take, and SQLite users never need it.
struct Libpq {
#define DBMIG_LIBPQ(X)                                                                                           \
  X(PQconnectdbParams) X(PQstatus) X(PQerrorMessage) X(PQfinish) X(PQsetNoticeProcessor) X(PQserverVersion) \
  X(PQexec) X(PQexecParams) X(PQresultStatus) X(PQresultErrorMessage) X(PQclear) X(PQntuples) X(PQnfields)  \
  X(PQgetisnull) X(PQgetvalue) X(PQgetlength) X(PQcmdTuples) X(PQuser) X(PQresultErrorField)
#define DBMIG_DECLARE(name) decltype(&::name) name = nullptr;
  DBMIG_LIBPQ(DBMIG_DECLARE)
#undef DBMIG_DECLARE

  static const Libpq& get() {
    static const Libpq lib = load();
    return lib;
  }

 private:
  static Libpq load() {
    void* handle = dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL);
    if (!handle) throw Error(std::string("PostgreSQL needs libpq (Debian package libpq5): ") + dlerror());
    Libpq lib;
#define DBMIG_RESOLVE(name)                                                          \
  lib.name = reinterpret_cast<decltype(&::name)>(dlsym(handle, #name));              \
  if (!lib.name) throw Error("libpq.so.5 lacks " #name "; install a newer libpq5");
    DBMIG_LIBPQ(DBMIG_RESOLVE)
#undef DBMIG_RESOLVE
    return lib;
  }
};

// libpq messages end in newlines and may span lines ("FATAL:  ...\nDETAIL: ..."): one line.
std::string one_line(std::string msg) {
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
  for (auto& c : msg)
    if (c == '\n') c = ' ';
  return msg;
}

class PostgresConnection : public Connection {
 public:
  PostgresConnection(const DatabaseUrl& url, const ConnectOptions& options) : password_(url.password) {
    std::vector<std::pair<std::string, std::string>> kv;
    auto add = [&](const char* k, const std::string& v) {
      if (!v.empty()) kv.emplace_back(k, v);
    };
    add("host", url.host);
    add("port", url.port);
    add("user", url.user);
    add("password", url.password);
    add("dbname", url.dbname);
    for (const auto& [k, v] : url.params) kv.emplace_back(k, v);
    kv.emplace_back("application_name", "dbmig");
    std::vector<const char*> keys, values;
    for (const auto& [k, v] : kv) keys.push_back(k.c_str()), values.push_back(v.c_str());
    keys.push_back(nullptr);
    values.push_back(nullptr);
    conn_ = pq_.PQconnectdbParams(keys.data(), values.data(), 0);
    if (pq_.PQstatus(conn_) != CONNECTION_OK) {
      std::string msg = redact(one_line(pq_.PQerrorMessage(conn_)), password_);
      pq_.PQfinish(conn_);
      conn_ = nullptr;
      throw Error("cannot connect to " + url.masked() + ": " + msg);
    }
    pq_.PQsetNoticeProcessor(conn_, [](void*, const char* m) { log_debug("postgres: " + one_line(m)); }, nullptr);
    // Settings live in each transaction (SET LOCAL), never in the session: behind PgBouncer's
    // transaction pooling the next transaction may run on another server connection, and a
    // session SET would stay behind on this one for other clients (SPEC §7.6).
    // If dbmig is killed mid-statement, the server should notice within a second, roll back and
    // release the migration lock, rather than finish a long statement for nobody (PostgreSQL 14+).
    begin_sql_ = "BEGIN";
    if (pq_.PQserverVersion(conn_) >= 140000) begin_sql_ += "; SET LOCAL client_connection_check_interval = 1000";
    if (!options.search_path.empty()) {
      search_path_ = quote_identifier(options.search_path);
      begin_sql_ += "; SET LOCAL search_path TO " + search_path_;
    }
  }
  ~PostgresConnection() override { pq_.PQfinish(conn_); }

  DialectKind dialect() const override { return DialectKind::postgresql; }

  long execute(const std::string& sql) override {
    // Statements outside a transaction (a transactional: false revision) need the tenant's
    // schema too; such runs already need a session of their own (see Dialect::lock).
    if (!in_transaction_ && !search_path_.empty() && !session_search_path_) {
      session_search_path_ = true;
      pq_.PQclear(run("SET search_path TO " + search_path_, {}));
    }
    PGresult* res = run(sql, {});
    const char* n = pq_.PQcmdTuples(res);
    long changed = n && *n ? std::atol(n) : 0;
    pq_.PQclear(res);
    return changed;
  }

  std::vector<Row> query(const std::string& sql, const std::vector<std::string>& params) override {
    PGresult* res = run(sql, params);
    std::vector<Row> rows;
    int n = pq_.PQntuples(res), m = pq_.PQnfields(res);
    rows.reserve(n);
    for (int r = 0; r < n; ++r) {
      Row row;
      row.reserve(m);
      for (int c = 0; c < m; ++c) {
        if (pq_.PQgetisnull(res, r, c)) row.emplace_back(std::nullopt);
        else row.emplace_back(std::string(pq_.PQgetvalue(res, r, c), pq_.PQgetlength(res, r, c)));
      }
      rows.push_back(std::move(row));
    }
    pq_.PQclear(res);
    return rows;
  }

  void each_row(const std::string& sql, const std::vector<std::string>& params, const std::function<void(const Row&)>& fn) override {
    PGresult* res = run(sql, params);
    int n = pq_.PQntuples(res), m = pq_.PQnfields(res);
    Row row(m);
    try {
      for (int r = 0; r < n; ++r) {
        for (int c = 0; c < m; ++c) {
          if (pq_.PQgetisnull(res, r, c)) row[c].reset();
          else row[c].emplace(pq_.PQgetvalue(res, r, c), pq_.PQgetlength(res, r, c));
        }
        fn(row);
      }
    } catch (...) {
      pq_.PQclear(res);
      throw;
    }
    pq_.PQclear(res);
  }

  void begin() override {
    in_transaction_ = true;
    pq_.PQclear(run(begin_sql_, {}));
  }
  void commit() override {
    in_transaction_ = false;
    pq_.PQclear(run("COMMIT", {}));
  }
  void rollback() override {
    in_transaction_ = false;
    pq_.PQclear(run("ROLLBACK", {}));
  }
  std::string user() override { return pq_.PQuser(conn_); }

 private:
  // Returns the result, which the caller clears; throws on a failed statement.
  PGresult* run(const std::string& sql, const std::vector<std::string>& params) {
    ++statements_issued_;
    if (log_trace_enabled()) log_trace("SQL: " + sql);
    PGresult* res;
    if (params.empty()) {
      res = pq_.PQexec(conn_, sql.c_str());
    } else {
      std::vector<const char*> values;
      for (const auto& p : params) values.push_back(p.c_str());
      res = pq_.PQexecParams(conn_, sql.c_str(), static_cast<int>(values.size()), nullptr, values.data(), nullptr,
                         nullptr, 0);
    }
    auto status = pq_.PQresultStatus(res);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      std::string msg = one_line(pq_.PQresultErrorMessage(res));
      if (msg.empty()) msg = one_line(pq_.PQerrorMessage(conn_));
      if (msg.rfind("ERROR:  ", 0) == 0) msg = msg.substr(8);
      const char* state = res ? pq_.PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
      std::string sqlstate = state ? state : "";
      pq_.PQclear(res);
      throw DatabaseError(redact(msg, password_), sql, sqlstate);
    }
    return res;
  }

  static std::string quote_identifier(const std::string& name) {
    std::string out = "\"";
    for (char c : name) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
  }

  const Libpq& pq_ = Libpq::get();
  PGconn* conn_ = nullptr;
  std::string password_;
  std::string begin_sql_, search_path_;
  bool in_transaction_ = false, session_search_path_ = false;
};

}  // namespace

std::unique_ptr<Connection> connect_postgres(const DatabaseUrl& url, const ConnectOptions& options) {
  return std::make_unique<PostgresConnection>(url, options);
}

}  // namespace dbmig
