#include <dbmig/util/clock.hpp>
#include <dbmig/util/error.hpp>
#include <dbmig/run/migrator.hpp>
#include <dbmig/util/output.hpp>
#include <dbmig/util/run_report.hpp>

#include <chrono>
#include <cmath>
#include <optional>
#include <set>
#include <thread>

namespace dbmig {
namespace {

std::string one_line(std::string s) {
  for (auto& c : s)
    if (c == '\n' || c == '\t') c = ' ';
  std::string out;
  for (char c : s)
    if (!(c == ' ' && !out.empty() && out.back() == ' ')) out += c;
  return out;
}


// Raw SQL may change anything, so the ops are rendered in chunks that end at each execute.
template <class Fn>
void for_each_chunk(const std::vector<Op>& ops, Fn fn) {
  std::vector<Op> chunk;
  size_t first = 0;
  for (size_t i = 0; i < ops.size(); ++i) {
    chunk.push_back(ops[i]);
    if (std::holds_alternative<Execute>(ops[i]) || i + 1 == ops.size()) {
      fn(chunk, first);
      chunk.clear();
      first = i + 1;
    }
  }
}

std::string terminated(const std::string& sql) {
  auto end = sql.find_last_not_of(" \t\n");
  if (end != std::string::npos && sql[end] == ';') return sql.substr(0, end + 1);
  return sql + ";";
}

}  // namespace

HistoryEntry Migrator::entry(const Revision& rev, const char* direction, Connection& conn) const {
  HistoryEntry e;
  e.revision = rev.id;
  e.direction = direction;
  e.checksum = rev.checksum;
  e.dbmig_version = DBMIG_VERSION;
  e.db_user = conn.user();
  e.started_at = e.finished_at = iso_utc(std::chrono::system_clock::now(), true);
  return e;
}

void Migrator::verify_checksums(VersionTable& vt, const RevisionSet& heads, bool strict) const {
  auto recorded = vt.applied_checksums();
  if (recorded.empty()) return;
  std::set<std::string> applied;
  for (const Revision* r : graph_.upgrade_path({}, heads)) applied.insert(r->id);
  for (const auto& [id, sum] : recorded) {
    if (!applied.count(id) || !graph_.contains(id)) continue;
    const Revision& r = graph_.get(id);
    if (r.checksum.empty() || r.checksum == sum) continue;
    std::string msg = "revision " + id + " (" + r.path.string() + ") was edited after it was applied (sha256 then " +
                      sum.substr(0, 12) + ", now " + r.checksum.substr(0, 12) + ")";
    if (strict) throw Error(msg + "; nothing was run (--strict)");
    log_warn(msg);
  }
}

void Migrator::refuse_unconverted(const std::vector<const Revision*>& steps, Direction dir) const {
  for (const Revision* r : steps)
    for (const auto& op : ops(*r, dir))
      if (const auto* u = std::get_if<Unconverted>(&op))
        throw Error("revision " + r->id + " (" + r->path.string() + ") cannot run: " + unconverted_message(*u) +
                    "; nothing was run");
}

const std::vector<Op>& Migrator::ops(const Revision& rev, Direction dir) const {
  return dir == Direction::up ? scripts_.upgrade_ops(rev) : scripts_.downgrade_ops(rev);
}

std::string Migrator::progress(const Revision& rev, Direction dir) const {
  if (dir == Direction::up)
    return "Running upgrade " + join(rev.down_revisions) + " -> " + rev.id + ", " + rev.message;
  RevisionSet to = rev.down_revisions;
  return "Running downgrade " + rev.id + " -> " + join(to) + ", " + rev.message;
}

std::vector<Phase> Migrator::phases_of(const Revision& rev, Direction dir) const {
  const auto& list = ops(rev, dir);
  std::vector<Phase> out;
  if (rev.transactional) {
    out = dialect_.phases(list);
  } else {
    out.push_back({Phase::Kind::outside_transaction, list, {}});
    for (size_t i = 0; i < list.size(); ++i) out.back().numbers.push_back(i);
  }
  if (out.empty()) out.emplace_back();  // no ops: one empty transaction
  return out;
}

long Migrator::retry_lock_timeouts(Connection& conn, const std::string& sql, const std::string& table,
                                   const MigrateOptions& options, const std::function<long()>& attempt_once,
                                   const std::function<void()>& undo) const {
  for (int attempt = 0;; ++attempt) {
    try {
      return attempt_once();
    } catch (const DatabaseError& e) {
      if (!dialect_.is_lock_timeout(e)) throw;
      if (undo) undo();
      std::string holder = dialect_.lock_holder(conn, table);
      std::string waited = format_double("%g", options.ddl_lock_timeout) + " s";
      if (attempt >= options.lock_retries)
        throw DatabaseError("could not get the lock" + (table.empty() ? std::string() : " on " + table) + " within " + waited +
                                " (lock_timeout), tried " + std::to_string(attempt + 1) + " times (lock_retries " +
                                std::to_string(options.lock_retries) + "); it is held by " + holder,
                            sql, e.sqlstate());
      double pause = std::min(10.0, 0.25 * std::pow(2.0, attempt));
      log_warn("Waited " + waited + " for the lock" + (table.empty() ? std::string() : " on " + table) + ", held by " + holder +
               "; retry " + std::to_string(attempt + 1) + " of " + std::to_string(options.lock_retries) + " in " +
               format_double("%g", pause) + " s");
      std::this_thread::sleep_for(std::chrono::duration<double>(pause));
    }
  }
}

void Migrator::execute_ddl(Connection& conn, const Statement& s, const std::string& table, const MigrateOptions& options,
                           bool in_transaction) {
  if (options.ddl_lock_timeout <= 0 || dialect_.ddl_lock_timeout_sql(options.ddl_lock_timeout, in_transaction).empty()) {
    dialect_.execute(conn, s);
    return;
  }
  // Inside a transaction a timed-out statement is undone to a savepoint, so the run goes on
  // where it was; what the transaction already holds stays held during the pause. Savepoint,
  // statement and release go in one round trip (on an error the release is skipped).
  const std::string guarded = in_transaction ? "SAVEPOINT dbmig_ddl;\n" + s.sql + "\n;RELEASE SAVEPOINT dbmig_ddl" : s.sql;
  retry_lock_timeouts(
      conn, s.sql, table, options, [&] { return conn.execute(guarded); },
      [&] {
        if (in_transaction) conn.execute("ROLLBACK TO SAVEPOINT dbmig_ddl");
      });
}

void Migrator::run_backfill(Connection& conn, const Backfill& op, const MigrateOptions& options) {
  const std::string timeout_sql = options.ddl_lock_timeout > 0 ? dialect_.ddl_lock_timeout_sql(options.ddl_lock_timeout, true) : "";
  long batches = 0;
  long rows = dialect_.backfill(conn, op, [&](const std::string& sql) {
    ++batches;
    if (log_debug_enabled()) log_debug(sql);
    // A batch that waited too long for a row lock is rolled back whole and tried again.
    return retry_lock_timeouts(
        conn, sql, op.table, options,
        [&] {
          Transaction batch(conn);
          if (!timeout_sql.empty()) conn.execute(timeout_sql);
          long n = conn.execute(sql);
          batch.commit();
          return n;
        },
        {});
  });
  log_info("Backfilled " + std::to_string(rows) + " rows of " + op.table + "." + op.column + " in " + std::to_string(batches) +
           " transactions");
}

void Migrator::run_step(Connection& conn, const Revision& rev, Direction dir, const Phase& phase, SchemaTracker& tracker,
                        const MigrateOptions& options, bool in_transaction) {
  for_each_chunk(phase.ops, [&](const std::vector<Op>& chunk, size_t first) {
    std::vector<Statement> statements;
    try {
      statements = dialect_.render(chunk, tracker);
    } catch (const Error& e) {
      throw Error("revision " + rev.id + " (" + rev.path.string() + "): " + e.what());
    }
    size_t checked = chunk.size();
    bool done = false;
    for (const auto& s : statements) {
      const Op& op = chunk[s.op_index];
      // Outside a transaction an op may have run before an interrupted run stopped.
      if (!in_transaction && s.op_index != checked) {
        checked = s.op_index;
        done = dialect_.already_done(conn, op);
        if (done) log_info("Skipping " + describe(op) + ": already done (by a run that stopped after it)");
      }
      if (done) continue;
      if (log_debug_enabled()) log_debug(one_line(s.sql));
      try {
        if (auto* b = std::get_if<Backfill>(&op); b && !in_transaction) run_backfill(conn, *b, options);
        else execute_ddl(conn, s, op_table(op), options, in_transaction);
      } catch (const DatabaseError& e) {
        size_t number = phase.numbers[first + s.op_index] + 1;
        std::string ops = "op " + std::to_string(number) + " " + describe(op);
        if (s.op_count > 1) {  // a SQLite rebuild that carries several ops
          ops = "ops " + std::to_string(number) + "-" + std::to_string(number + s.op_count - 1) + " (one table rebuild:";
          for (size_t k = s.op_index; k < s.op_index + s.op_count; ++k) ops += (k == s.op_index ? " " : ", ") + describe(chunk[k]);
          ops += ")";
        }
        throw Error("revision " + rev.id + " (" + rev.path.string() + "), " + (dir == Direction::up ? "upgrade " : "downgrade ") +
                    ops + ": " + one_line(e.what()) + " [SQL: " + one_line(s.sql) + "]");
      }
    }
    if (std::holds_alternative<Execute>(chunk.back())) tracker.forget();
  });
}

void Migrator::run_outside_transaction(Connection& conn, const Revision& rev, Direction dir, const Phase& phase,
                                       SchemaTracker& tracker, const MigrateOptions& options) {
  tracker.forget();
  // Autocommit, statement by statement; the session's lock_timeout is put back after.
  std::string session_timeout = options.ddl_lock_timeout > 0 ? dialect_.ddl_lock_timeout_sql(options.ddl_lock_timeout, false) : "";
  if (!session_timeout.empty()) conn.execute(session_timeout);
  const std::string reset = session_timeout.empty() ? "" : dialect_.ddl_lock_timeout_sql(0, false);
  try {
    run_step(conn, rev, dir, phase, tracker, options, false);
  } catch (...) {
    try {
      if (!reset.empty()) conn.execute(reset);
    } catch (const Error&) {  // the run's own error says more
    }
    throw;
  }
  if (!reset.empty()) conn.execute(reset);
}

void Migrator::run_phases(Connection& conn, const Revision& rev, Direction dir, const std::vector<Phase>& phases,
                          VersionTable& vt, SchemaTracker& tracker, const MigrateOptions& options,
                          std::optional<Transaction>& tx, const std::function<void()>& begin) {
  const char* mark = dir == Direction::up ? "up-phase" : "dn-phase";
  const size_t n = phases.size();
  size_t done = 0;
  if (n > 1) {
    auto recorded = vt.phases_done(rev.id, mark);
    for (const auto& sum : recorded)
      if (!sum.empty() && !rev.checksum.empty() && sum != rev.checksum)
        throw Error("revision " + rev.id + " (" + rev.path.string() + ") was edited after " + std::to_string(recorded.size()) +
                    " of its phases ran; put the file back as it was to resume, or finish or undo those phases by hand and "
                    "delete their '" + mark + "' rows from dbmig_history");
    done = std::min(recorded.size(), n - 1);
    if (done)
      log_info("Resuming " + rev.id + " at phase " + std::to_string(done + 1) + " of " + std::to_string(n) +
               " (an earlier run stopped after phase " + std::to_string(done) + ")");
  }
  for (size_t p = done; p < n; ++p) {
    const Phase& phase = phases[p];
    bool outside = phase.kind == Phase::Kind::outside_transaction;
    if (n > 1) {
      std::string what;
      for (const auto& op : phase.ops) what += (what.empty() ? "" : ", ") + describe(op);
      log_info("Phase " + std::to_string(p + 1) + "/" + std::to_string(n) + " of " + rev.id +
               (outside ? " (outside a transaction): " : ": ") + what);
    }
    if (outside) {
      run_outside_transaction(conn, rev, dir, phase, tracker, options);
      begin();
    } else {
      begin();
      run_step(conn, rev, dir, phase, tracker, options, true);
    }
    if (p + 1 < n) {
      vt.record({entry(rev, mark, conn)});
      tx->commit();
      tx.reset();
    }
  }
}

size_t Migrator::run(Connection& conn, Direction dir, const std::string& target, const MigrateOptions& options) {
  // The lock is taken inside every transaction and the version table read after it (SPEC §7.6).
  // Every transaction also bounds its DDL's lock waits (SET LOCAL: gone with the transaction).
  const std::string timeout_sql = options.ddl_lock_timeout > 0 ? dialect_.ddl_lock_timeout_sql(options.ddl_lock_timeout, true) : "";
  auto begin = [&](std::optional<Transaction>& t) {
    t.emplace(conn);
    dialect_.lock_transaction(conn, version_table_, options.lock_timeout_seconds);
    if (!timeout_sql.empty()) conn.execute(timeout_sql);
  };
  std::unique_ptr<Lock> session_lock;
  VersionTable vt(conn, dialect_, version_table_);
  SchemaTracker tracker(dialect_.table_loader(conn));
  std::optional<Transaction> tx;
  RevisionSet heads, goal;
  // The version table and the audit rows are written once, just before each commit: the same
  // rows as one write per revision inside the transaction, for two statements instead of 2N.
  RevisionSet committed;
  std::vector<HistoryEntry> audit;
  std::vector<const Revision*> steps;
  size_t next = 0, done = 0;
  auto plan = [&] {
    steps = dir == Direction::up ? graph_.upgrade_path(heads, goal) : graph_.downgrade_path(heads, goal);
    next = 0;
    scripts_.preload(steps);
    refuse_unconverted(steps, dir);
  };
  auto open = [&] {
    begin(tx);
    auto fresh = vt.read();
    if (fresh != heads) {  // another process moved the database between our transactions
      heads = fresh;
      plan();
    }
    committed = heads;
  };
  auto close = [&] {
    vt.apply(diff_heads(committed, heads));
    vt.record(audit);
    audit.clear();
    dialect_.check_integrity(conn);
    tx->commit();
    tx.reset();
    committed = heads;
  };

  begin(tx);
  vt.ensure();
  heads = committed = vt.read();
  from_ = heads;
  report_from(from_);
  for (const auto& h : heads) graph_.get(h);  // an unknown revision in the table is an error
  verify_checksums(vt, heads, options.strict);
  goal = graph_.resolve(target, heads);
  plan();
  for (const Revision* r : steps) {
    auto phases = phases_of(*r, dir);
    if (dialect_.kind() != DialectKind::postgresql || (phases.size() == 1 && phases[0].kind == Phase::Kind::transaction))
      continue;
    // Between the transactions of a revision run in phases no other run may start, so this run
    // keeps a session lock, which a transaction pooler cannot keep.
    log_warn("revision " + r->id + (r->transactional ? " runs in phases" : " has transactional: false") +
             ", so this run holds a session-level lock between transactions: it needs a direct connection or session "
             "pooling, not PgBouncer's transaction pooling");
    session_lock = dialect_.lock(conn, version_table_, options.lock_timeout_seconds);
    break;
  }
  if (steps.empty()) log_info("Already at " + (heads.empty() ? std::string("base") : join(heads)) + "; nothing to do");
  while (next < steps.size()) {
    const Revision& rev = *steps[next++];
    auto start = std::chrono::steady_clock::now();
    HistoryEntry step = entry(rev, dir == Direction::up ? "upgrade" : "downgrade", conn);
    log_debug(progress(rev, dir) + " ...");
    auto phases = phases_of(rev, dir);
    bool phased = phases.size() > 1 || phases[0].kind == Phase::Kind::outside_transaction;
    if (!phased) {
      if (!tx) {
        open();
        if (next == 0) continue;  // re-planned: start over with the fresh steps
      }
      run_step(conn, rev, dir, phases[0], tracker, options, true);
    } else {
      if (tx) close();
      run_phases(conn, rev, dir, phases, vt, tracker, options, tx, [&] { begin(tx); });
    }
    heads = dir == Direction::up ? graph_.heads_after_upgrade(heads, rev) : graph_.heads_after_downgrade(heads, rev);
    auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    step.finished_at = iso_utc(std::chrono::system_clock::now(), true);
    step.duration_ms = ms;
    audit.push_back(std::move(step));
    if (options.transaction_per_migration || phased) close();
    ++done;
    log_info(progress(rev, dir) + " (" + format_double("%.1f", ms) + " ms)");
  }
  if (tx) close();
  to_ = heads;
  report_to(to_);
  return done;
}

std::string Migrator::script(Direction dir, const RevisionSet& from, const RevisionSet& to, bool per_migration, Connection* live) {
  std::optional<SchemaTracker> tracker;
  if (live) {
    tracker.emplace(dialect_.table_loader(*live));
  } else {
    // Offline: follow every revision from base to `from` to know the tables' shapes.
    tracker.emplace(Schema{});
    for (const Revision* r : graph_.upgrade_path({}, from)) {
      std::vector<Op> known;  // an unconverted op already applied by hand says nothing about shapes
      for (const auto& op : scripts_.upgrade_ops(*r))
        if (!std::holds_alternative<Unconverted>(op)) known.push_back(op);
      dialect_.render(known, *tracker);
    }
  }
  auto name = [](const RevisionSet& s) { return s.empty() ? std::string("<base>") : join(s); };
  // An upgrade range must go up: nothing of `from` may lie outside what `to` includes.
  if (dir == Direction::up && !graph_.upgrade_path(to, from).empty())
    throw Error("Destination " + name(to) + " is not a valid upgrade target from " + name(from) +
                ": the range goes backwards (for a downgrade script use 'downgrade --sql FROM:TO')");
  auto steps = dir == Direction::up ? graph_.upgrade_path(from, to) : graph_.downgrade_path(from, to);
  refuse_unconverted(steps, dir);
  std::string out;
  bool open = false;
  auto begin = [&] {
    if (!open) out += dialect_.begin_sql() + ";\n\n", open = true;
  };
  auto commit = [&] {
    if (open) out += "COMMIT;\n\n", open = false;
  };
  begin();
  if (auto schema = create_version_schema_sql(dialect_, version_table_); from.empty() && dir == Direction::up && !schema.empty())
    out += schema + ";\n\n";
  if (from.empty() && dir == Direction::up)
    out += dialect_.create_version_table_sql(version_table_) + ";\n\n" + create_history_table_sql(dialect_, version_table_) + ";\n\n";
  RevisionSet heads = from;
  for (const Revision* r : steps) {
    auto phases = phases_of(*r, dir);
    bool phased = phases.size() > 1 || phases[0].kind == Phase::Kind::outside_transaction;
    for (size_t p = 0; p < phases.size(); ++p) {
      if (phases[p].kind == Phase::Kind::outside_transaction) commit();
      else begin();
      if (p == 0) out += "-- " + progress(*r, dir) + "\n\n";
      for (const auto& s : dialect_.render(phases[p].ops, *tracker)) out += terminated(s.sql) + "\n\n";
      if (p + 1 < phases.size()) commit();  // each phase commits before the next
    }
    begin();
    RevisionSet after = dir == Direction::up ? graph_.heads_after_upgrade(heads, *r) : graph_.heads_after_downgrade(heads, *r);
    for (const auto& v : version_statements(dialect_, version_table_, diff_heads(heads, after))) out += v.sql + ";\n\n";
    HistoryEntry audit{r->id, dir == Direction::up ? "upgrade" : "downgrade"};
    audit.checksum = r->checksum;
    audit.dbmig_version = DBMIG_VERSION;
    out += history_insert_sql(dialect_, version_table_, {audit}, true) + ";\n\n";
    heads = after;
    if (per_migration || phased) commit();
  }
  commit();
  return out;
}

void Migrator::stamp(Connection& conn, const std::string& target, bool purge, double lock_timeout_seconds) {
  VersionTable vt(conn, dialect_, version_table_);
  Transaction tx(conn);
  dialect_.lock_transaction(conn, version_table_, lock_timeout_seconds);
  vt.ensure();
  RevisionSet heads = vt.read();
  if (purge) {
    vt.purge();
    heads.clear();
  } else {
    for (const auto& h : heads) graph_.get(h);
  }
  RevisionSet goal = graph_.resolve(target, heads);
  auto change = diff_heads(heads, goal);
  vt.apply(change);
  std::vector<HistoryEntry> stamped;
  for (const auto& [_, to] : change.updates) stamped.push_back(entry(graph_.get(to), "stamp", conn));
  for (const auto& id : change.inserts) stamped.push_back(entry(graph_.get(id), "stamp", conn));
  vt.record(stamped);
  tx.commit();
  from_ = heads;
  to_ = goal;
  report_from(from_);
  report_to(to_);
  log_info("Stamped " + (heads.empty() ? std::string("<base>") : join(heads)) + " -> " + (goal.empty() ? std::string("<base>") : join(goal)));
}

RevisionSet Migrator::current(Connection& conn) {
  RevisionSet heads = VersionTable(conn, dialect_, version_table_).read();
  report_current(heads);
  return heads;
}

}  // namespace dbmig
