#include <dbmig/connection.hpp>
#include <dbmig/error.hpp>

#include <libpq-fe.h>
#include <spdlog/spdlog.h>

namespace dbmig {
namespace {

// libpq messages end in newlines and may span lines ("FATAL:  ...\nDETAIL: ..."): one line.
std::string one_line(std::string msg) {
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
  for (auto& c : msg)
    if (c == '\n') c = ' ';
  return msg;
}

class PostgresConnection : public Connection {
 public:
  PostgresConnection(const DatabaseUrl& url, const ConnectOptions&) : password_(url.password) {
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
    conn_ = PQconnectdbParams(keys.data(), values.data(), 0);
    if (PQstatus(conn_) != CONNECTION_OK) {
      std::string msg = redact(one_line(PQerrorMessage(conn_)), password_);
      PQfinish(conn_);
      conn_ = nullptr;
      throw Error("cannot connect to " + url.masked() + ": " + msg);
    }
    PQsetNoticeProcessor(conn_, [](void*, const char* m) { spdlog::debug("postgres: {}", one_line(m)); }, nullptr);
    // If dbmig is killed mid-statement, the server should notice within a second, roll back and
    // release the migration lock, rather than finish a long statement for nobody (PostgreSQL 14+).
    if (PQserverVersion(conn_) >= 140000) execute("SET client_connection_check_interval = 1000");
    statements_issued_ = 0;
  }
  ~PostgresConnection() override { PQfinish(conn_); }

  DialectKind dialect() const override { return DialectKind::postgresql; }

  long execute(const std::string& sql) override {
    PGresult* res = run(sql, {});
    const char* n = PQcmdTuples(res);
    long changed = n && *n ? std::atol(n) : 0;
    PQclear(res);
    return changed;
  }

  std::vector<Row> query(const std::string& sql, const std::vector<std::string>& params) override {
    PGresult* res = run(sql, params);
    std::vector<Row> rows;
    int n = PQntuples(res), m = PQnfields(res);
    rows.reserve(n);
    for (int r = 0; r < n; ++r) {
      Row row;
      row.reserve(m);
      for (int c = 0; c < m; ++c) {
        if (PQgetisnull(res, r, c)) row.emplace_back(std::nullopt);
        else row.emplace_back(std::string(PQgetvalue(res, r, c), PQgetlength(res, r, c)));
      }
      rows.push_back(std::move(row));
    }
    PQclear(res);
    return rows;
  }

  void begin() override { execute("BEGIN"); }
  std::string user() override { return PQuser(conn_); }

 private:
  // Returns the result, which the caller clears; throws on a failed statement.
  PGresult* run(const std::string& sql, const std::vector<std::string>& params) {
    ++statements_issued_;
    spdlog::trace("SQL: {}", sql);
    PGresult* res;
    if (params.empty()) {
      res = PQexec(conn_, sql.c_str());
    } else {
      std::vector<const char*> values;
      for (const auto& p : params) values.push_back(p.c_str());
      res = PQexecParams(conn_, sql.c_str(), static_cast<int>(values.size()), nullptr, values.data(), nullptr,
                         nullptr, 0);
    }
    auto status = PQresultStatus(res);
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
      std::string msg = one_line(PQresultErrorMessage(res));
      if (msg.empty()) msg = one_line(PQerrorMessage(conn_));
      if (msg.rfind("ERROR:  ", 0) == 0) msg = msg.substr(8);
      PQclear(res);
      throw DatabaseError(redact(msg, password_), sql);
    }
    return res;
  }

  PGconn* conn_ = nullptr;
  std::string password_;
};

}  // namespace

std::unique_ptr<Connection> connect_postgres(const DatabaseUrl& url, const ConnectOptions& options) {
  return std::make_unique<PostgresConnection>(url, options);
}

}  // namespace dbmig
