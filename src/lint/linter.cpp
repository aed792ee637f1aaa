#include <dbmig/dialects/dialect.hpp>
#include <dbmig/lint/linter.hpp>
#include <dbmig/lint/op_changes.hpp>
#include <dbmig/lint/sql_changes.hpp>
#include <dbmig/revisions/script_directory.hpp>
#include <dbmig/run/schema_tracker.hpp>
#include <dbmig/util/error.hpp>
#include <dbmig/yaml/yaml_util.hpp>

#include <fstream>
#include <sstream>

namespace dbmig::lint {

namespace {

std::string q(const std::string& name) { return "\"" + name + "\""; }

std::string shortened(const std::string& sql) {
  std::string one_line;
  for (char c : sql) {
    bool space = c == '\n' || c == '\t' || c == '\r' || c == ' ';
    if (space && (one_line.empty() || one_line.back() == ' ')) continue;
    one_line += space ? ' ' : c;
  }
  return one_line.size() > 100 ? one_line.substr(0, 97) + "..." : one_line;
}

// lint_ignore: [RULE, ...], every rule named checked against the catalogue.
std::vector<std::string> ignore_list(const YamlContext& ctx, const YamlNode& node) {
  if (!node) return {};
  auto ids = string_list(ctx, node, "lint_ignore");
  for (const auto& id : ids)
    if (!find_rule(id)) {
      std::string known;
      for (const auto& r : rules()) known += (known.empty() ? "" : ", ") + std::string(r.id);
      ctx.fail(node, "lint_ignore names no rule '" + id + "' (rules: " + known + ")");
    }
  return ids;
}

bool contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

}  // namespace

// What one op (or one statement of its execute SQL) is called in findings and where it is.
struct Linter::Source {
  const Revision* revision;
  std::string label;
  int line;
  const std::vector<std::string>* ignore_op;
  const std::vector<std::string>* ignore_revision;
};

// What is known inside one revision as its ops are followed.
struct Linter::RevisionState {
  bool transactional = true;
  std::set<std::string> new_tables;       // created by this revision: empty, nothing to block
  std::set<std::string> new_indexes;
  std::set<std::string> not_valid_added;  // constraints added NOT VALID in this revision
  std::optional<bool> timeout_on;         // set by SQL in this revision
  bool timeout_reported = false;
};

Linter::Linter(LintOptions options, NamingConvention naming)
    : options_(options), naming_(std::move(naming)), dialect_(make_dialect(options.dialect)),
      tracker_(std::make_unique<SchemaTracker>(Schema{})) {}

Linter::~Linter() = default;

std::vector<Finding> Linter::lint_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error("cannot read " + path.string());
  std::stringstream text;
  text << in.rdbuf();
  return lint_text(text.str(), path);
}

std::vector<Finding> Linter::lint_text(const std::string& text, const std::filesystem::path& path) {
  RevisionFile file = parse_revision(text, path, naming_);  // validates the whole file
  const Revision& rev = file.revision;
  YamlContext ctx{path.string()};
  auto doc = load_yaml(text, ctx.file);
  const YamlNode& root = doc.root();
  const auto revision_ignore = ignore_list(ctx, root["lint_ignore"]);

  RevisionState state;
  state.transactional = rev.transactional;
  std::vector<Finding> out;
  const auto items = root["upgrade"].items();
  for (size_t i = 0; i < file.upgrade.size(); ++i) {
    const Op& op = file.upgrade[i];
    const YamlNode& body = i < items.size() ? items[i].entries()[0].value : YamlNode();
    const auto op_ignore = body.is_map() ? ignore_list(ctx, body["lint_ignore"]) : std::vector<std::string>{};
    const int line = i < items.size() ? items[i].line() + 1 : 0;

    if (const auto* exec = std::get_if<Execute>(&op)) {
      if (options_.dialect != DialectKind::postgresql) {
        tracker_->forget();
        continue;
      }
      auto it = exec->per_dialect.find("postgresql");
      const std::string& sql = exec->per_dialect.empty() ? exec->sql : it == exec->per_dialect.end() ? std::string() : it->second;
      if (sql.empty()) continue;
      ParsedSql parsed = parse_postgres_sql(sql);
      if (!parsed.error.empty()) {
        Source src{&rev, "execute: " + shortened(sql), line, &op_ignore, &revision_ignore};
        if (!contains(op_ignore, "sql-syntax") && !contains(revision_ignore, "sql-syntax"))
          out.push_back({"sql-syntax", Level::error, rev.id, src.label, "PostgreSQL's parser rejects it: " + parsed.error,
                         "none: the statement fails", "fix the SQL", path, line});
        continue;
      }
      for (const auto& stmt : parsed.statements) {
        Source src{&rev, "execute: " + shortened(stmt.text), line, &op_ignore, &revision_ignore};
        for (const auto& change : stmt.changes) {
          check(change, src, state, out);
          follow(change, state);
        }
      }
      continue;
    }

    Source src{&rev, describe(op), line, &op_ignore, &revision_ignore};
    std::vector<Change> changes = op_changes(op);
    if (options_.dialect == DialectKind::sqlite) {
      // Rebuilds are the dialect's decision, made on the table's shape before the op.
      const std::string table = op_table(op);
      bool rebuilds = false;
      try {
        rebuilds = !state.new_tables.count(table) && dialect_->rebuilds_table(op, *tracker_);
      } catch (const Error&) {
      }
      if (rebuilds && !contains(op_ignore, "sqlite-table-rebuild") && !contains(revision_ignore, "sqlite-table-rebuild"))
        out.push_back({"sqlite-table-rebuild", Level::warning, rev.id, src.label,
                       "SQLite cannot do this with ALTER TABLE: the table " + q(table) +
                           " is rebuilt (new table, every row copied, old one dropped)",
                       "the database's write lock (SQLite locks the whole file) while every row is copied",
                       "run it when writes can pause, or reach the same schema with ops SQLite does in place "
                       "(add_column nullable or with a constant default, create_index, rename)",
                       path, line});
    }
    for (const auto& change : changes) {
      check(change, src, state, out);
      follow(change, state);
    }
    try {
      tracker_->apply(op);
    } catch (const Error&) {
      tracker_->forget();  // a table this lint never saw created: its shape is unknown from here
    }
  }
  return out;
}

void Linter::check(const Change& c, const Source& src, RevisionState& rev, std::vector<Finding>& out) {
  const bool pg = options_.dialect == DialectKind::postgresql;
  const bool fresh = rev.new_tables.count(c.table) > 0;  // created in this revision: empty
  auto report = [&](const char* rule, std::string message, std::string lock, std::string safe) {
    if (contains(*src.ignore_op, rule) || contains(*src.ignore_revision, rule)) return;
    out.push_back({rule, find_rule(rule)->level, src.revision->id, src.label, std::move(message), std::move(lock),
                   std::move(safe), src.revision->path, src.line});
  };
  const std::string t = q(c.table);

  // Renames and drops break the running code on every database.
  if (!fresh && (c.kind == ChangeKind::rename_table || c.kind == ChangeKind::rename_column))
    report("rename-breaks-code",
           c.kind == ChangeKind::rename_table ? "renames table " + t + " to " + q(c.name) + " while the running code still uses the old name"
                                              : "renames column " + t + "." + q(c.name) + " while the running code still uses the old name",
           pg ? "ACCESS EXCLUSIVE on " + t + " (brief); no rewrite" : "the database write lock (brief)",
           "add the new column or table, write to both, backfill, deploy code that reads the new one, then drop the old "
           "one in a later revision (for a table, a view under the old name bridges the deploy)");
  if (!fresh && (c.kind == ChangeKind::drop_table || c.kind == ChangeKind::drop_column))
    report("drop-breaks-code",
           c.kind == ChangeKind::drop_table ? "drops table " + t + " while the running code may still use it"
                                            : "drops column " + t + "." + q(c.name) + " while the running code may still select or insert it",
           pg ? "ACCESS EXCLUSIVE on " + t + " (brief); no rewrite" : "the database write lock",
           "deploy code that no longer uses it first, then drop it in a later revision and mark that op "
           "lint_ignore: [drop-breaks-code]");
  if (!pg) return;

  // Any lock on an existing table waits behind running transactions, and every query queues behind it.
  const bool takes_table_lock =
      !fresh && c.kind != ChangeKind::data && c.kind != ChangeKind::set_lock_timeout && c.kind != ChangeKind::create_table &&
      !((c.kind == ChangeKind::create_index || c.kind == ChangeKind::drop_index) && c.concurrently);
  if (takes_table_lock && !rev.timeout_reported && !rev.timeout_on.value_or(options_.ddl_lock_timeout)) {
    rev.timeout_reported = true;
    report("missing-lock-timeout",
           "DDL on " + (c.table.empty() ? std::string("a table") : t) +
               " runs without a lock timeout: if a long transaction holds the table, this statement waits for it and "
               "every query on the table queues behind it",
           "waits without bound for its lock, blocking every later query on the table",
           "keep dbmig's lock_timeout (dbmig.yaml lock_timeout, default 2 s, retried lock_retries times), or "
           "SET LOCAL lock_timeout = '2s' before the statement");
  }

  switch (c.kind) {
    case ChangeKind::create_index:
      if (c.concurrently && rev.transactional && !c.own_phase)
        report("concurrently-in-transaction",
               "CREATE INDEX CONCURRENTLY in a transactional revision: PostgreSQL refuses it (cannot run inside a "
               "transaction block)",
               "none: the statement fails", "the create_index op with concurrently: true (dbmig runs it outside the transaction)");
      if (!c.concurrently && !fresh)
        report("index-not-concurrent",
               "CREATE " + std::string(c.unique ? "UNIQUE " : "") + "INDEX " + q(c.name) + " on existing table " + t +
                   " without CONCURRENTLY: reads the whole table while writes wait",
               "SHARE on " + t + ": blocks INSERT, UPDATE and DELETE for the whole build",
               "create_index with concurrently: true (CREATE INDEX CONCURRENTLY, run outside the revision's transaction)");
      break;
    case ChangeKind::drop_index:
      if (c.concurrently && rev.transactional && !c.own_phase)
        report("concurrently-in-transaction",
               "DROP INDEX CONCURRENTLY in a transactional revision: PostgreSQL refuses it (cannot run inside a "
               "transaction block)",
               "none: the statement fails", "the drop_index op with concurrently: true (dbmig runs it outside the transaction)");
      if (!c.concurrently && !fresh && !rev.new_indexes.count(c.name))
        report("drop-index-not-concurrent", "DROP INDEX " + q(c.name) + " without CONCURRENTLY",
               "ACCESS EXCLUSIVE on the index's table " + (c.table.empty() ? std::string() : t + " ") +
                   "(brief, but it queues behind every running query and blocks all after it)",
               "drop_index with concurrently: true (DROP INDEX CONCURRENTLY, run outside the revision's transaction)");
      break;
    case ChangeKind::add_constraint:
      if (fresh) break;
      if (c.constraint == ConstraintKind::foreign_key || c.constraint == ConstraintKind::check) {
        bool fk = c.constraint == ConstraintKind::foreign_key;
        if (!c.not_valid)
          report("constraint-not-valid",
                 std::string(fk ? "foreign key " : "check constraint ") + q(c.name) + " added to existing table " + t +
                     " without NOT VALID: scans every row to validate it while the lock is held",
                 fk ? "SHARE ROW EXCLUSIVE on " + t + " and " + q(c.ref_table) + ": blocks writes to both during the scan"
                    : "ACCESS EXCLUSIVE on " + t + ": blocks reads and writes during the scan",
                 std::string(fk ? "create_foreign_key" : "create_check_constraint") +
                     " with not_valid: true, then a validate_constraint op, which dbmig runs in a transaction of its own "
                     "(VALIDATE takes only SHARE UPDATE EXCLUSIVE)");
      } else if (!c.using_index) {
        report("unique-not-using-index",
               std::string(c.constraint == ConstraintKind::unique ? "unique" : "primary key") + " constraint " + q(c.name) +
                   " on existing table " + t + " builds its index while the table is locked (reads the whole table)",
               "ACCESS EXCLUSIVE on " + t + ": blocks reads and writes for the whole index build",
               c.constraint == ConstraintKind::unique
                   ? "create_unique_constraint with concurrently: true (a unique index built CONCURRENTLY, then ADD "
                     "CONSTRAINT ... UNIQUE USING INDEX)"
                   : "create_index unique: true, concurrently: true, then ALTER TABLE ... ADD CONSTRAINT ... PRIMARY KEY "
                     "USING INDEX");
      }
      break;
    case ChangeKind::validate_constraint:
      if (rev.not_valid_added.count(c.name) && rev.transactional && !fresh && !c.own_phase)
        report("validate-same-transaction",
               "constraint " + q(c.name) + " is validated in the transaction that added it NOT VALID: the scan runs "
               "while the lock taken by the add is still held",
               "the ADD CONSTRAINT's lock on " + t + " (ACCESS EXCLUSIVE or SHARE ROW EXCLUSIVE) for the whole scan",
               "a validate_constraint op, which dbmig runs in a transaction of its own");
      break;
    case ChangeKind::set_not_null:
      if (!fresh && !validated_not_null_.count({c.table, c.name}))
        report("set-not-null-scan",
               "SET NOT NULL on " + t + "." + q(c.name) + " scans the whole table to check for NULLs while it is locked",
               "ACCESS EXCLUSIVE on " + t + ": blocks reads and writes during the scan",
               "create_check_constraint (" + q(c.name) + " IS NOT NULL) with not_valid: true, VALIDATE CONSTRAINT in a "
               "later transaction, then SET NOT NULL (PostgreSQL 12+ uses the valid check and skips the scan), then "
               "drop the check");
      break;
    case ChangeKind::add_column:
      if (fresh) break;
      if (c.volatile_default)
        report("volatile-default",
               "column " + t + "." + q(c.name) + " is added with a volatile default: every existing row is rewritten "
               "(a constant default does not rewrite since PostgreSQL 11)",
               "ACCESS EXCLUSIVE on " + t + ": blocks reads and writes while the whole table is rewritten",
               "add the column without a default, set the default with alter_column (new rows only), then backfill the "
               "existing rows in batches");
      if (c.not_null && !c.has_default)
        report("not-null-without-default",
               "column " + t + "." + q(c.name) + " is added NOT NULL without a default: fails on a table with rows",
               "ACCESS EXCLUSIVE on " + t, "add it nullable (or with a constant default), backfill, then make it NOT NULL");
      break;
    case ChangeKind::alter_type: {
      if (fresh) break;
      std::optional<std::string> before = c.old_type;
      if (!before)
        if (auto ti = types_.find(c.table); ti != types_.end())
          if (auto ci = ti->second.find(c.name); ci != ti->second.end()) before = ci->second;
      if (before && !type_change_rewrites(*before, c.type)) break;
      report("type-change-rewrite",
             "column " + t + "." + q(c.name) + " changes type " + (before ? "from " + *before + " " : "(type before unknown) ") +
                 "to " + c.type + ": PostgreSQL rewrites the table and its indexes (a narrowing varchar only scans)",
             "ACCESS EXCLUSIVE on " + t + ": blocks reads and writes while the whole table is rewritten",
             "add a new column of the new type, backfill it in batches, move the code to it, then drop the old column "
             "(widening a varchar, varchar to text, or raising numeric precision does not rewrite)");
      break;
    }
    default:
      break;
  }
}

void Linter::follow(const Change& c, RevisionState& rev) {
  switch (c.kind) {
    case ChangeKind::create_table: {
      rev.new_tables.insert(c.table);
      auto& cols = types_[c.table];
      cols.clear();
      for (const auto& [name, type] : c.columns) cols[name] = type;
      break;
    }
    case ChangeKind::drop_table: types_.erase(c.table); break;
    case ChangeKind::rename_table:
      if (auto it = types_.find(c.table); it != types_.end()) {
        auto cols = std::move(it->second);
        types_.erase(it);
        types_[c.name] = std::move(cols);
      }
      if (rev.new_tables.erase(c.table)) rev.new_tables.insert(c.name);
      break;
    case ChangeKind::add_column: types_[c.table][c.name] = c.type; break;
    case ChangeKind::alter_type: types_[c.table][c.name] = c.type; break;
    case ChangeKind::drop_column: types_[c.table].erase(c.name); break;
    case ChangeKind::create_index: rev.new_indexes.insert(c.name); break;
    case ChangeKind::add_constraint:
      if (c.not_valid) rev.not_valid_added.insert(c.name);
      if (!c.not_null_of.empty()) {
        if (c.not_valid) pending_not_null_[c.name] = {c.table, c.not_null_of};
        else validated_not_null_.insert({c.table, c.not_null_of});
      }
      break;
    case ChangeKind::validate_constraint:
      if (auto it = pending_not_null_.find(c.name); it != pending_not_null_.end()) {
        validated_not_null_.insert(it->second);
        pending_not_null_.erase(it);
      }
      break;
    case ChangeKind::set_lock_timeout: rev.timeout_on = !c.timeout_off; break;
    default: break;
  }
}

std::vector<Finding> lint_revisions(const std::vector<const Revision*>& revisions, const LintOptions& options,
                                    const NamingConvention& naming) {
  Linter linter(options, naming);
  std::vector<Finding> out;
  for (const Revision* rev : revisions) {
    auto found = linter.lint_file(rev->path);
    out.insert(out.end(), std::make_move_iterator(found.begin()), std::make_move_iterator(found.end()));
  }
  return out;
}

}  // namespace dbmig::lint
