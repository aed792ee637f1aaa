#include <dbmig/dialects/connection.hpp>
#include <dbmig/util/output.hpp>

namespace dbmig {

std::unique_ptr<Connection> connect_sqlite(const DatabaseUrl& url, const ConnectOptions& options);
std::unique_ptr<Connection> connect_postgres(const DatabaseUrl& url, const ConnectOptions& options);

std::unique_ptr<Connection> connect(const DatabaseUrl& url, const ConnectOptions& options) {
  log_debug("Connecting to " + url.masked());
  return url.dialect == DialectKind::sqlite ? connect_sqlite(url, options) : connect_postgres(url, options);
}

Transaction::~Transaction() {
  if (!open_) return;
  try {
    conn_.rollback();
  } catch (const std::exception& e) {
    log_debug(std::string("rollback failed: ") + e.what());
  }
}

void Transaction::commit() {
  open_ = false;
  conn_.commit();
}

}  // namespace dbmig
