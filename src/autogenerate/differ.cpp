#include <dbmig/autogenerate/differ.hpp>
#include <dbmig/revisions/revision.hpp>
#include <dbmig/model/table_yaml.hpp>
#include <dbmig/model/types.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <string_view>
#include <unordered_map>

namespace dbmig {
namespace {

std::string list(const std::vector<std::string>& cols) { return "(" + join(cols) + ")"; }

class Differ {
 public:
  Differ(const Schema& model, const Schema& database, const Dialect& dialect, const std::optional<Schema>& stored)
      : model_(model), db_(database), d_(dialect), stored_(stored) {}

  SchemaDiff run() {
    create_schemas();          // the schemas the model's tables live in, before anything goes there
    create_extensions();       // extensions first: types, functions and defaults may come from them
    create_and_alter_sequences();
    // Views and triggers are dropped here, before anything they rest on changes (an enum swap
    // casts the columns that views read).
    const size_t table_ops = out_.upgrade.size();
    create_and_alter_enums();  // types before the tables that use them
    create_and_alter_domains();  // after the enums a domain may be over
    create_and_replace_functions(false);  // those the tables' defaults, checks and indexes call
    rename_tables();
    // Renames were the last change to db_: tables are looked up by name from here on.
    for (const auto& t : db_.tables) db_index_.emplace(t.name, &t);
    for (const auto& t : model_.tables) model_index_.emplace(t.name, &t);
    if (stored_)
      for (const auto& t : stored_->tables) stored_index_.emplace(t.name, &t);
    create_tables();
    for (const auto& m : model_.tables)
      if (const Table* t = in_db(m.name); t && !created_.count(m.name)) {
        if (m.schema != t->schema)
          warn("table '" + m.name + "' is in schema '" + schema_name(t->schema) + "' in the database and '" + schema_name(m.schema) +
               "' in models.yaml: dbmig does not move tables; run ALTER TABLE ... SET SCHEMA by hand");
        alter_table(m, *t);
        partitions(m, *t);
      }
    for (auto& fk : deferred_) add(std::move(fk.first), std::move(fk.second));
    drop_tables();
    create_and_replace_functions(true);  // the others: a body or result may name the tables
    views(table_ops);
    triggers(table_ops);  // after the views: a trigger may be on one
    drop_functions();
    drop_domains();
    drop_enums();  // after the tables that used them
    drop_sequences();
    drop_extensions();
    for (auto& op : out_.upgrade) name_schema(op);
    // What a kind the model does not declare holds is left alone, and named for check --verbose.
    if (!model_.extensions && db_.extensions)
      for (const auto& e : *db_.extensions) out_.undeclared.push_back({"extension", e});
    if (!model_.sequences && db_.sequences)
      for (const auto& q : *db_.sequences) out_.undeclared.push_back({"sequence", q.name});
    if (!model_.domains && db_.domains)
      for (const auto& d : *db_.domains) out_.undeclared.push_back({"domain", d.name});
    if (!model_.views && db_.views)
      for (const auto& v : *db_.views) out_.undeclared.push_back({v.materialized ? "materialized view" : "view", v.name});
    if (!model_.functions && db_.functions)
      for (const auto& f : *db_.functions) out_.undeclared.push_back({"function", f.name});
    if (!model_.triggers && db_.triggers)
      for (const auto& t : *db_.triggers) out_.undeclared.push_back({"trigger", t.table + "." + t.name});
    return std::move(out_);
  }

 private:
  void add(Op op, std::string change) {
    out_.upgrade.push_back(std::move(op));
    out_.changes.push_back(std::move(change));
  }
  void warn(std::string w) { out_.warnings.push_back(std::move(w)); }

  using TableIndex = std::unordered_map<std::string_view, const Table*>;
  static const Table* find(const TableIndex& index, const std::string& name) {
    auto it = index.find(name);
    return it == index.end() ? nullptr : it->second;
  }
  const Table* in_db(const std::string& name) const { return find(db_index_, name); }
  static std::string schema_name(const std::string& schema) { return schema.empty() ? "(default)" : schema; }

  void create_schemas() {
    std::set<std::string> missing;
    for (const auto& t : model_.tables)
      if (!t.schema.empty() && !has(db_.namespaces, t.schema)) missing.insert(t.schema);
    for (const auto& s : missing) add(CreateSchema{s}, "added schema '" + s + "'");
  }
  // An op on a table carries the table's schema: the model's, or the database's for a table the
  // model no longer has (a rename's is the new name's).
  void name_schema(Op& op) const {
    if (!op_schema(op).empty()) return;
    const auto* rename = std::get_if<RenameTable>(&op);
    const std::string name = rename ? rename->new_name : op_table(op);
    if (name.empty()) return;
    const Table* t = in_model(name);
    if (!t) t = in_db(name);
    if (t && !t->schema.empty()) set_op_schema(op, t->schema);
  }
  const Table* in_model(const std::string& name) const { return find(model_index_, name); }
  // The model's table as the database would store it: same shape, the server's text.
  const Table& stored(const Table& m) const {
    const Table* s = find(stored_index_, m.name);
    return s ? *s : m;
  }
  // A check of the model (`m`, spelled `ms` by the server) against the database's: by the
  // server's text where it gave one, else as written (case and spaces folded).
  bool same_check_sql(const CheckConstraint& m, const CheckConstraint& ms, const CheckConstraint& d) const {
    if (ms.sql == d.sql) return true;
    return ms.sql == m.sql && d_.token_form(m.sql) == d_.token_form(d.sql);
  }

  bool same_index(const Index& m, const Index& d) const {
    return m.columns == d.columns && m.unique == d.unique && m.method == d.method && m.include == d.include &&
           d_.canonical_expression(m.where) == d_.canonical_expression(d.where) && (!m.name_given || m.name == d.name);
  }
  // A materialized view's indexes: a change is a new view (dropped and created with them).
  bool same_indexes(const std::vector<Index>& m, const std::vector<Index>& d) const {
    return m.size() == d.size() && std::all_of(m.begin(), m.end(), [&](const Index& mi) {
             return std::any_of(d.begin(), d.end(), [&](const Index& di) { return same_index(mi, di); });
           });
  }
  static bool same_unique(const UniqueConstraint& m, const UniqueConstraint& d) {
    return m.columns == d.columns && (!m.name_given || m.name == d.name);
  }
  static bool same_fk(const ForeignKey& m, const ForeignKey& d) {
    return m.columns == d.columns && m.ref_table == d.ref_table && m.ref_schema == d.ref_schema && m.ref_columns == d.ref_columns &&
           m.on_delete == d.on_delete && m.on_update == d.on_update && (!m.name_given || m.name == d.name);
  }

  static bool has(const std::vector<std::string>& v, const std::string& s) { return std::find(v.begin(), v.end(), s) != v.end(); }

  void create_and_alter_enums() {
    for (const auto& m : model_.enums) {
      const EnumType* d = db_.enum_type(m.name);
      if (!d) {
        add(CreateEnum{EnumType{m.name, m.values}}, "added enum '" + m.name + "' " + list(m.values));
        continue;
      }
      AlterEnum a{m.name, m.values, d->values, {}};
      std::vector<std::string> now = d->values, what;
      for (const auto& [label, before] : m.renamed_from) {
        auto it = std::find(now.begin(), now.end(), before);
        if (it == now.end() || has(now, label)) continue;  // renamed already, or a stale renamed_from
        a.renamed[label] = before;
        *it = label;
        what.push_back("renamed value '" + before + "' to '" + label + "'");
      }
      if (now == m.values && a.renamed.empty()) continue;
      std::vector<std::string> added, removed;
      for (const auto& v : m.values)
        if (!has(now, v)) added.push_back(v);
      for (const auto& v : now)
        if (!has(m.values, v)) removed.push_back(v);
      if (!added.empty()) what.push_back("added value(s) " + list(added));
      if (!removed.empty()) {
        what.push_back("removed value(s) " + list(removed));
        warn("removing value(s) " + list(removed) + " from enum '" + m.name +
             "' recreates the type; rows that hold them make the upgrade fail");
      }
      if (added.empty() && removed.empty() && now != m.values) what.push_back("reordered values");
      add(a, "enum '" + m.name + "': " + join(what, ", "));
    }
  }

  // Extensions and sequences are compared only when the model declares the key (SPEC §7.2: an
  // undeclared kind is the database's business).
  void create_extensions() {
    if (!model_.extensions || !db_.extensions) return;
    for (const auto& e : *model_.extensions)
      if (!has(*db_.extensions, e)) add(CreateExtension{e}, "added extension '" + e + "'");
  }
  void drop_extensions() {
    if (!model_.extensions || !db_.extensions) return;
    for (const auto& e : *db_.extensions)
      if (!has(*model_.extensions, e)) {
        warn("dropping extension '" + e + "' drops what it provides; objects that use it make the upgrade fail");
        add(DropExtension{e}, "removed extension '" + e + "'");
      }
  }
  void create_and_alter_sequences() {
    if (!model_.sequences || !db_.sequences) return;
    for (const auto& m : *model_.sequences) {
      auto d = std::find_if(db_.sequences->begin(), db_.sequences->end(), [&](const Sequence& s) { return s.name == m.name; });
      if (d == db_.sequences->end()) add(CreateSequence{m}, "added sequence '" + m.name + "'");
      else if (!(*d == m)) add(AlterSequence{m, *d}, "changed sequence '" + m.name + "'");
    }
  }
  void drop_sequences() {
    if (!model_.sequences || !db_.sequences) return;
    for (const auto& d : *db_.sequences)
      if (std::none_of(model_.sequences->begin(), model_.sequences->end(), [&](const Sequence& m) { return m.name == d.name; }))
        add(DropSequence{d.name, d}, "removed sequence '" + d.name + "'");
  }

  // Views (when the model declares them) are dropped before the table changes, at `at`, and
  // created after them: a new or changed view, and a kept one that reads a table whose columns
  // change, which PostgreSQL would otherwise refuse to change.
  void views(size_t at) {
    if (!model_.views || !db_.views) return;
    std::set<std::string> touched;
    for (size_t i = at; i < out_.upgrade.size(); ++i) {
      const Op& op = out_.upgrade[i];
      bool reshapes = std::holds_alternative<DropColumn>(op) || std::holds_alternative<DropTable>(op) ||
                      std::holds_alternative<RenameTable>(op);
      if (auto* a = std::get_if<AlterColumn>(&op)) reshapes = a->type || a->new_name;
      if (reshapes) touched.insert(op_table(op));
      // An enum change other than renames swaps the type one way or the other (the downgrade of
      // an added label removes it), casting every column of it.
      if (auto* e = std::get_if<AlterEnum>(&op); e && !only_renames(*e))
        for (const auto& t : model_.tables)
          if (std::any_of(t.columns.begin(), t.columns.end(), [&](const Column& c) { return mentions(c.type, e->name); }))
            touched.insert(t.name);
    }
    const auto& spelled = stored_ && stored_->views ? *stored_->views : *model_.views;
    struct Step {
      View view;
      std::string why;
    };
    std::vector<Step> dropped, created;
    for (size_t i = 0; i < model_.views->size(); ++i) {
      const View& m = (*model_.views)[i];
      auto d = std::find_if(db_.views->begin(), db_.views->end(), [&](const View& v) { return v.name == m.name; });
      if (d == db_.views->end()) {
        created.push_back({m, "added view '" + m.name + "'"});
      } else if (d->materialized != m.materialized || !same_indexes(m.indexes, d->indexes) ||
                 (spelled[i].sql != d->sql && d_.canonical_expression(m.sql) != d_.canonical_expression(d->sql))) {
        dropped.push_back({*d, "changed view '" + m.name + "' (dropped)"});
        created.push_back({m, "changed view '" + m.name + "' (created again)"});
      } else if (std::any_of(touched.begin(), touched.end(), [&](const std::string& t) { return mentions(d->sql, t); })) {
        dropped.push_back({*d, "view '" + m.name + "' dropped while its tables change"});
        created.push_back({m, "view '" + m.name + "' created again after its tables changed"});
      }
    }
    for (const auto& d : *db_.views)
      if (std::none_of(model_.views->begin(), model_.views->end(), [&](const View& v) { return v.name == d.name; }))
        dropped.push_back({d, "removed view '" + d.name + "'"});
    // A view that reads another is created after it and dropped before it.
    auto in_order = [&](std::vector<Step> steps) {
      std::vector<Step> out;
      while (!steps.empty()) {
        auto ready = [&](const Step& s) {
          return std::none_of(steps.begin(), steps.end(), [&](const Step& o) { return &o != &s && mentions(s.view.sql, o.view.name); });
        };
        auto next = std::find_if(steps.begin(), steps.end(), ready);
        if (next == steps.end()) next = steps.begin();  // names that only look like a cycle: the model's order
        out.push_back(std::move(*next));
        steps.erase(next);
      }
      return out;
    };
    dropped = in_order(std::move(dropped));
    std::reverse(dropped.begin(), dropped.end());
    for (size_t i = 0; i < dropped.size(); ++i) {
      const View& v = dropped[i].view;
      out_.upgrade.insert(out_.upgrade.begin() + at + i, DropView{v.name, v.materialized, v.sql, v.indexes});
      out_.changes.insert(out_.changes.begin() + at + i, dropped[i].why);
    }
    for (auto& step : in_order(std::move(created))) add(CreateView{step.view}, step.why);
  }
  // A default of the model (`m`, spelled `ms` by the server) against the database's (`d`).
  bool same_default(const std::optional<std::string>& m, const std::optional<std::string>& ms, const std::optional<std::string>& d) const {
    if (!m || !d) return !m && !d;
    if (ms && *ms != *m) return *ms == *d;
    return d_.canonical_expression(*m) == d_.canonical_expression(*d);
  }
  void create_and_alter_domains() {
    if (!model_.domains || !db_.domains) return;
    const auto& spelled = stored_ && stored_->domains ? *stored_->domains : *model_.domains;
    for (size_t i = 0; i < model_.domains->size(); ++i) {
      const Domain &m = (*model_.domains)[i], &ms = spelled[i];
      auto d = std::find_if(db_.domains->begin(), db_.domains->end(), [&](const Domain& x) { return x.name == m.name; });
      if (d == db_.domains->end()) {
        add(CreateDomain{m}, "added domain '" + m.name + "'");
        continue;
      }
      if (d_.canonical_type(m.type, false) != d_.canonical_type(d->type, false)) {
        warn("domain '" + m.name + "' changes its type, which PostgreSQL cannot alter: it is dropped and created again, "
             "and columns of that domain make the upgrade fail");
        add(DropDomain{d->name, *d}, "changed domain '" + m.name + "' (dropped: another type)");
        add(CreateDomain{m}, "changed domain '" + m.name + "' (created again)");
        continue;
      }
      // The model as the database holds it: the live text wherever the definition is the same.
      Domain want = m;
      want.type = d->type;
      if (same_default(m.server_default, ms.server_default, d->server_default)) want.server_default = d->server_default;
      for (size_t j = 0; j < want.checks.size(); ++j) {
        auto live = std::find_if(d->checks.begin(), d->checks.end(), [&](const CheckConstraint& c) { return c.name == m.checks[j].name; });
        if (live != d->checks.end() && same_check_sql(m.checks[j], ms.checks[j], *live)) want.checks[j].sql = live->sql;
      }
      auto by_name = [](std::vector<CheckConstraint> v) {
        std::sort(v.begin(), v.end(), [](const CheckConstraint& a, const CheckConstraint& b) { return a.name < b.name; });
        return v;
      };
      if (want.nullable != d->nullable || want.server_default != d->server_default || by_name(want.checks) != by_name(d->checks))
        add(AlterDomain{want, *d}, "changed domain '" + m.name + "'");
    }
  }
  void drop_domains() {
    if (!model_.domains || !db_.domains) return;
    for (const auto& d : *db_.domains)
      if (std::none_of(model_.domains->begin(), model_.domains->end(), [&](const Domain& m) { return m.name == d.name; }))
        add(DropDomain{d.name, d}, "removed domain '" + d.name + "'");
  }

  // A function or trigger of the model against the database's: by the server's text where it
  // gave one (`spelled`), else as written with case and spaces folded.
  bool same_definition(const SqlObject& m, const SqlObject& spelled, const SqlObject& d) const {
    if (spelled.sql != m.sql) return spelled.sql == d.sql;
    return d_.canonical_expression(m.sql) == d_.canonical_expression(d.sql);
  }
  static const SqlObject* find_object(const std::vector<SqlObject>& in, const SqlObject& like) {
    auto it = std::find_if(in.begin(), in.end(), [&](const SqlObject& x) { return x.name == like.name && x.table == like.table; });
    return it == in.end() ? nullptr : &*it;
  }
  // Whether a table's default, computed column, check or index calls the function: such a
  // function is created before the tables, any other after them (a SQL-language body is checked
  // against the tables it reads, and a result or argument may be a table's row type).
  bool tables_call(const std::string& function) const {
    for (const auto& t : model_.tables) {
      for (const auto& c : t.columns)
        if ((c.server_default && mentions(*c.server_default, function)) || (c.computed && mentions(*c.computed, function))) return true;
      for (const auto& ck : t.checks)
        if (mentions(ck.sql, function)) return true;
      for (const auto& ix : t.indexes)
        if (mentions(ix.where, function) || std::any_of(ix.columns.begin(), ix.columns.end(), [&](const std::string& k) {
              return is_index_expression(k) && mentions(k, function);
            }))
          return true;
    }
    return false;
  }
  void create_and_replace_functions(bool late) {
    if (!model_.functions || !db_.functions) return;
    const auto& spelled = stored_ && stored_->functions ? *stored_->functions : *model_.functions;
    for (size_t i = 0; i < model_.functions->size(); ++i) {
      const SqlObject& m = (*model_.functions)[i];
      if (tables_call(m.name) == late) continue;
      const SqlObject* d = find_object(*db_.functions, m);
      if (!d) {
        add(CreateObject{m, std::nullopt}, "added function '" + m.name + "'");
      } else if (same_definition(m, spelled[i], *d)) {
        continue;
      } else if (spelled[i].sql != m.sql && head(spelled[i].sql) != head(d->sql)) {
        // Other arguments or result: OR REPLACE would add an overload or refuse.
        add(DropObject{d->kind, d->name, "", d->sql}, "changed function '" + m.name + "' (dropped: other arguments or result)");
        add(CreateObject{m, std::nullopt}, "changed function '" + m.name + "' (created again)");
      } else {
        add(CreateObject{m, d->sql}, "changed function '" + m.name + "' (replaced)");
      }
    }
  }
  // pg_get_functiondef's first two lines: the name with its arguments, and RETURNS.
  static std::string head(const std::string& def) {
    size_t first = def.find('\n');
    return def.substr(0, first == std::string::npos ? first : def.find('\n', first + 1));
  }
  void drop_functions() {
    if (!model_.functions || !db_.functions) return;
    for (const auto& d : *db_.functions)
      if (!find_object(*model_.functions, d)) add(DropObject{d.kind, d.name, "", d.sql}, "removed function '" + d.name + "'");
  }
  // Triggers are dropped before the table changes (at `at`) and created after them and the
  // views; a kept trigger on a view dropped above goes with it and is created again.
  void triggers(size_t at) {
    if (!model_.triggers || !db_.triggers) return;
    std::set<std::string> dropped_views;
    for (const auto& op : out_.upgrade)
      if (auto* v = std::get_if<DropView>(&op)) dropped_views.insert(v->name);
    const auto& spelled = stored_ && stored_->triggers ? *stored_->triggers : *model_.triggers;
    std::vector<std::pair<Op, std::string>> drops;
    for (size_t i = 0; i < model_.triggers->size(); ++i) {
      const SqlObject& m = (*model_.triggers)[i];
      const SqlObject* d = find_object(*db_.triggers, m);
      const std::string what = "trigger '" + m.name + "' on '" + m.table + "'";
      if (!d) {
        add(CreateObject{m, std::nullopt}, "added " + what);
      } else if (dropped_views.count(m.table)) {
        drops.emplace_back(DropObject{d->kind, d->name, d->table, d->sql}, what + " dropped with its view");
        add(CreateObject{m, std::nullopt}, what + " created again with its view");
      } else if (!same_definition(m, spelled[i], *d)) {
        add(CreateObject{m, d->sql}, "changed " + what + " (replaced)");
      }
    }
    for (const auto& d : *db_.triggers)
      if (!find_object(*model_.triggers, d))
        drops.emplace_back(DropObject{d.kind, d.name, d.table, d.sql}, "removed trigger '" + d.name + "' on '" + d.table + "'");
    for (size_t i = 0; i < drops.size(); ++i) {
      out_.upgrade.insert(out_.upgrade.begin() + at + i, std::move(drops[i].first));
      out_.changes.insert(out_.changes.begin() + at + i, std::move(drops[i].second));
    }
  }
  static bool only_renames(const AlterEnum& e) {
    std::vector<std::string> before = e.values;
    for (auto& v : before)
      if (auto it = e.renamed.find(v); it != e.renamed.end()) v = it->second;
    return before == e.existing_values;
  }
  // Whether SQL text names `name` as a whole word (any case), e.g. a view reading a table.
  static bool mentions(const std::string& sql, const std::string& name) {
    auto lower = [](std::string x) {
      for (auto& c : x) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      return x;
    };
    const std::string text = lower(sql), word = lower(name);
    auto ident = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
    for (size_t at = text.find(word); at != std::string::npos; at = text.find(word, at + 1))
      if ((at == 0 || !ident(text[at - 1])) && (at + word.size() == text.size() || !ident(text[at + word.size()]))) return true;
    return false;
  }

  void drop_enums() {
    for (const auto& d : db_.enums)
      if (!std::any_of(model_.enums.begin(), model_.enums.end(), [&](const EnumType& m) { return m.name == d.name; }))
        add(DropEnum{d.name, d.values}, "removed enum '" + d.name + "'");
  }

  void rename_tables() {
    for (const auto& m : model_.tables) {
      if (!m.renamed_from || db_.table(m.name) || !db_.table(*m.renamed_from)) continue;
      add(RenameTable{*m.renamed_from, m.name}, "renamed table '" + *m.renamed_from + "' to '" + m.name + "'");
      dbmig::apply(db_, out_.upgrade.back());
    }
  }

  // New tables in foreign-key order; a cycle is broken by creating one of its keys afterwards.
  void create_tables() {
    std::vector<const Table*> pending;
    for (const auto& m : model_.tables)
      if (!in_db(m.name)) pending.push_back(&m);
    auto ready = [&](const Table& t) {
      return std::all_of(t.foreign_keys.begin(), t.foreign_keys.end(), [&](const ForeignKey& fk) {
        return fk.ref_table == t.name || in_db(fk.ref_table) || created_.count(fk.ref_table);
      });
    };
    while (!pending.empty()) {
      auto it = std::find_if(pending.begin(), pending.end(), [&](const Table* t) { return ready(*t); });
      Table t = **(it == pending.end() ? pending.begin() : it);
      if (it == pending.end()) {  // every pending table waits on another: detach the waiting keys
        it = pending.begin();
        std::vector<ForeignKey> keep;
        for (auto& fk : t.foreign_keys) {
          if (fk.ref_table == t.name || in_db(fk.ref_table) || created_.count(fk.ref_table)) keep.push_back(fk);
          else deferred_.emplace_back(CreateForeignKey{t.name, fk}, "added foreign key " + list(fk.columns) + " on '" + t.name +
                                                                           "' referencing '" + fk.ref_table + "'");
        }
        t.foreign_keys = keep;
      }
      pending.erase(it);
      t.renamed_from.reset();
      for (auto& c : t.columns) c.renamed_from.reset();
      created_.insert(t.name);
      add(CreateTable{t}, "added table '" + t.name + "'");  // with its indexes
    }
  }

  // A partitioned table's partitions by name; its key cannot change in place.
  void partitions(const Table& m, const Table& d) {
    const Table& ms = stored(m);
    if (ms.partition_by != d.partition_by && d_.canonical_expression(m.partition_by) != d_.canonical_expression(d.partition_by)) {
      warn("table '" + m.name + "' is partitioned " + (d.partition_by.empty() ? "not at all" : "by " + d.partition_by) +
           " in the database and " + (m.partition_by.empty() ? "not at all" : "by " + m.partition_by) +
           " in models.yaml: PostgreSQL cannot change that in place; create the table anew by hand");
      return;
    }
    auto bound_of = [](const Table& t, const std::string& name) -> const std::string* {
      for (const auto& p : t.partitions)
        if (p.name == name) return &p.bound;
      return nullptr;
    };
    for (size_t i = 0; i < m.partitions.size(); ++i) {
      const Partition& p = m.partitions[i];
      const std::string* live = bound_of(d, p.name);
      const std::string& spelled = i < ms.partitions.size() ? ms.partitions[i].bound : p.bound;
      if (live && (spelled == *live || d_.canonical_expression(p.bound) == d_.canonical_expression(*live))) continue;
      if (live) {
        warn("partition '" + p.name + "' of '" + m.name + "' changes its bound: it is dropped with its rows and created again");
        add(DropPartition{m.name, p.name, *live}, "changed partition '" + p.name + "' of '" + m.name + "' (dropped)");
      }
      add(CreatePartition{m.name, p}, (live ? "changed partition '" : "added partition '") + p.name + "' of '" + m.name + "'");
    }
    for (const auto& p : d.partitions)
      if (!bound_of(m, p.name)) {
        warn("dropping partition '" + p.name + "' of '" + m.name + "' drops its rows");
        add(DropPartition{m.name, p.name, p.bound}, "removed partition '" + p.name + "' of '" + m.name + "'");
      }
  }

  void alter_table(const Table& m, const Table& original) {
    Table d = original;
    const std::string& tn = m.name;
    const Table& ms = stored(m);
    auto model_index_like = [&](const Index& di) {
      for (size_t i = 0; i < m.indexes.size(); ++i)
        if (same_index(ms.indexes[i], di)) return true;
      return false;
    };
    // Model check i against a database check: by name and definition; a check the database
    // keeps without a name (SQLite) by definition alone.
    auto check_matches = [&](size_t i, const CheckConstraint& dk) {
      if (m.checks[i].name == dk.name) return same_check_sql(m.checks[i], ms.checks[i], dk);
      return dk.name.empty() && d_.canonical_expression(m.checks[i].sql) == d_.canonical_expression(dk.sql);
    };
    auto check_kept = [&](const CheckConstraint& dk) {
      for (size_t i = 0; i < m.checks.size(); ++i)
        if (check_matches(i, dk)) return true;
      return false;
    };
    // Column renames first, so everything below compares by the new names.
    for (const auto& mc : m.columns) {
      if (!mc.renamed_from || d.column(mc.name) || !d.column(*mc.renamed_from)) continue;
      AlterColumn a;
      a.table = tn;
      a.name = *mc.renamed_from;
      a.new_name = mc.name;
      add(a, "renamed column '" + tn + "." + *mc.renamed_from + "' to '" + mc.name + "'");
      Schema one{{d}};
      dbmig::apply(one, a);
      d = one.tables[0];
    }
    // Drop what the model no longer has, before columns change under it.
    for (const auto& ix : d.indexes) {
      // SQLite's expression index (a key with no name): not modelled there.
      if (std::any_of(ix.columns.begin(), ix.columns.end(), [](const std::string& c) { return c.empty(); })) continue;
      if (!model_index_like(ix)) add(DropIndex{tn, ix.name, ix}, "removed index '" + ix.name + "' on '" + tn + "'");
    }
    for (const auto& u : d.uniques) {
      if (std::any_of(m.uniques.begin(), m.uniques.end(), [&](const UniqueConstraint& mu) { return same_unique(mu, u); })) continue;
      DropConstraint op{tn, u.name, ConstraintType::unique};
      op.columns = u.columns;
      add(op, "removed unique constraint '" + u.name + "' on '" + tn + "' " + list(u.columns));
    }
    for (const auto& fk : d.foreign_keys) {
      if (std::any_of(m.foreign_keys.begin(), m.foreign_keys.end(), [&](const ForeignKey& mf) { return same_fk(mf, fk); }))
        continue;
      add(reverse(CreateForeignKey{tn, fk}), "removed foreign key '" + fk.name + "' on '" + tn + "' " + list(fk.columns));
    }
    for (const auto& ck : d.checks) {
      if (check_kept(ck)) continue;
      bool named = std::any_of(m.checks.begin(), m.checks.end(), [&](const CheckConstraint& mc) { return mc.name == ck.name; });
      add(reverse(CreateCheckConstraint{tn, ck}),
          std::string(named ? "changed" : "removed") + " check constraint '" + ck.name + "' on '" + tn + "'");
    }
    const bool new_key = m.primary_key != d.primary_key;
    if (new_key && !d.primary_key.empty())
      add(reverse(CreatePrimaryKey{tn, d.primary_key_name, d.primary_key}),
          "removed primary key '" + d.primary_key_name + "' on '" + tn + "' " + list(d.primary_key));
    // Columns: added, changed, removed.
    for (const auto& mc : m.columns) {
      const Column* dc = d.column(mc.name);
      if (!dc) {
        Column c = mc;
        c.renamed_from.reset();
        if (!c.nullable && !c.server_default)
          warn("column '" + tn + "." + c.name + "' is added NOT NULL without a server_default; this fails on a table with rows");
        add(AddColumn{tn, c}, "added column '" + tn + "." + c.name + "'");
        continue;
      }
      const Column& msc = *ms.column(mc.name);
      if (msc.computed.has_value() != dc->computed.has_value() ||
          d_.canonical_expression(msc.computed.value_or("")) != d_.canonical_expression(dc->computed.value_or(""))) {
        // PostgreSQL cannot change a generation expression in place: the column is added again.
        if (!dc->computed) warn("column '" + tn + "." + mc.name + "' becomes computed; its stored values are replaced");
        if (!mc.computed) warn("column '" + tn + "." + mc.name + "' is no longer computed; it is added again, empty");
        Column c = mc;
        c.renamed_from.reset();
        add(DropColumn{tn, dc->name, *dc}, "removed column '" + tn + "." + dc->name + "' (its computed expression changed)");
        add(AddColumn{tn, c}, "added column '" + tn + "." + c.name + "' (computed " + c.computed.value_or("no longer") + ")");
        continue;
      }
      alter_column(tn, mc, msc, *dc);
    }
    for (const auto& dc : d.columns) {
      if (m.column(dc.name)) continue;
      warn("dropping column '" + tn + "." + dc.name + "' loses its data");
      add(DropColumn{tn, dc.name, dc}, "removed column '" + tn + "." + dc.name + "'");
    }
    if (new_key && !m.primary_key.empty())
      add(CreatePrimaryKey{tn, m.primary_key_name, m.primary_key},
          "added primary key '" + m.primary_key_name + "' on '" + tn + "' " + list(m.primary_key));
    // Create what the model adds.
    for (const auto& u : m.uniques)
      if (std::none_of(d.uniques.begin(), d.uniques.end(), [&](const UniqueConstraint& du) { return same_unique(u, du); }))
        add(CreateUniqueConstraint{tn, u}, "added unique constraint '" + u.name + "' on '" + tn + "' " + list(u.columns));
    for (size_t i = 0; i < m.checks.size(); ++i) {
      const auto& ck = m.checks[i];
      if (std::none_of(d.checks.begin(), d.checks.end(), [&](const CheckConstraint& dk) { return check_matches(i, dk); }))
        add(CreateCheckConstraint{tn, ck}, "added check constraint '" + ck.name + "' on '" + tn + "'");
    }
    for (size_t i = 0; i < m.indexes.size(); ++i)
      if (std::none_of(d.indexes.begin(), d.indexes.end(), [&](const Index& di) { return same_index(ms.indexes[i], di); }))
        add(CreateIndex{tn, m.indexes[i]}, "added index '" + m.indexes[i].name + "' on '" + tn + "' " + list(m.indexes[i].columns));
    for (const auto& fk : m.foreign_keys)
      if (std::none_of(d.foreign_keys.begin(), d.foreign_keys.end(), [&](const ForeignKey& df) { return same_fk(fk, df); }))
        add(CreateForeignKey{tn, fk}, "added foreign key " + list(fk.columns) + " on '" + tn + "' referencing '" + fk.ref_table + "'");
  }

  // `ms` is the model column as the database would store it (its default in the server's text).
  void alter_column(const std::string& tn, const Column& m, const Column& ms, const Column& d) {
    AlterColumn a;
    a.table = tn;
    a.name = m.name;
    a.existing_type = d.type;
    a.existing_nullable = d.nullable;
    a.existing_server_default = d.server_default;
    a.existing_autoincrement = d.autoincrement;
    a.existing_identity = d.identity;
    if (d_.supports_comments()) a.existing_comment = d.comment;
    std::vector<std::string> what;
    // A serial on one side and an identity on the other number rows alike; turning one into the
    // other moves a sequence, which is left to a hand-written revision.
    const bool serial_and_identity = m.identity.empty() != d.identity.empty() && (m.autoincrement || d.autoincrement);
    if (serial_and_identity)
      warn("column '" + tn + "." + m.name + "' is " + (d.autoincrement ? "a serial" : "an identity column") + " in the database and " +
           (m.autoincrement ? "a serial" : "an identity column") + " in the model; dbmig does not convert one into the other");
    else if (m.identity != d.identity) {
      a.identity = m.identity;
      what.push_back((m.identity.empty() ? "dropped identity" : "identity " + m.identity) + " on column '" + tn + "." + m.name + "'");
    }
    const bool numbered = !serial_and_identity;
    std::string old_type = d_.canonical_type(d.type, d.autoincrement && numbered),
                new_type = d_.canonical_type(m.type, m.autoincrement && numbered);
    if (old_type != new_type) {
      a.type = m.type;
      what.push_back("type change from " + old_type + " to " + new_type + " on '" + tn + "." + m.name + "'");
      if (narrows(old_type, new_type)) warn("the type change of '" + tn + "." + m.name + "' from " + old_type + " to " + new_type + " may lose data");
    }
    if (m.nullable != d.nullable && !d.autoincrement) {
      a.nullable = m.nullable;
      what.push_back(std::string(m.nullable ? "NULL" : "NOT NULL") + " on column '" + tn + "." + m.name + "'");
    }
    if (!m.autoincrement && !d.autoincrement &&
        d_.canonical_expression(ms.server_default.value_or("")) != d_.canonical_expression(d.server_default.value_or(""))) {
      a.server_default = m.server_default;
      what.push_back("server default change on column '" + tn + "." + m.name + "'");
    }
    if (d_.supports_comments() && m.comment != d.comment) {
      a.comment = m.comment;
      what.push_back("column comment change on '" + tn + "." + m.name + "'");
    }
    if (what.empty()) return;
    // Keep the existing_* the inverse needs; drop the ones it does not, for a readable file.
    if (!a.type) a.existing_type = d.type;
    if (!a.server_default && !d.server_default) a.existing_server_default.reset();
    if (!a.comment) a.existing_comment.reset();
    add(a, join(what, "; "));
  }

  // A length or precision that gets smaller, or text becoming something narrower.
  static bool narrows(const std::string& from, const std::string& to) {
    auto f = parse_type(from), t = parse_type(to);
    if (f.base != t.base) return true;
    auto num = [](const std::string& args) { return args.empty() ? 1L << 30 : std::atol(args.c_str()); };
    return num(t.args) < num(f.args);
  }

  void drop_tables() {
    std::vector<const Table*> doomed;
    for (const auto& t : db_.tables)
      if (!in_model(t.name)) doomed.push_back(&t);
    // Drop a table only once no other doomed table still references it; cycles lose a key first.
    std::set<std::string> dropped;
    while (!doomed.empty()) {
      auto referenced = [&](const Table* t) {
        return std::any_of(doomed.begin(), doomed.end(), [&](const Table* o) {
          return o != t && std::any_of(o->foreign_keys.begin(), o->foreign_keys.end(),
                                       [&](const ForeignKey& fk) { return fk.ref_table == t->name; });
        });
      };
      auto it = std::find_if(doomed.begin(), doomed.end(), [&](const Table* t) { return !referenced(t); });
      Table t = **(it == doomed.end() ? doomed.begin() : it);
      if (it == doomed.end()) {
        it = doomed.begin();
        for (const auto& fk : t.foreign_keys)
          add(reverse(CreateForeignKey{t.name, fk}), "removed foreign key '" + fk.name + "' on '" + t.name + "'");
        t.foreign_keys.clear();
      }
      doomed.erase(it);
      warn("dropping table '" + t.name + "' loses its data");
      // The definition carries the indexes, so the downgrade recreates them too.
      add(DropTable{t.name, t}, "removed table '" + t.name + "'");
    }
  }

  const Schema& model_;
  Schema db_;  // a copy: renames are applied to it as they are emitted
  const Dialect& d_;
  const std::optional<Schema>& stored_;
  SchemaDiff out_;
  std::set<std::string> created_;
  TableIndex db_index_, model_index_, stored_index_;  // after the renames
  std::vector<std::pair<Op, std::string>> deferred_;
};

}  // namespace

SchemaDiff compare_schemas(const Schema& model, const Schema& database, const Dialect& dialect,
                           const std::optional<Schema>& stored) {
  return Differ(model, database, dialect, stored).run();
}

}  // namespace dbmig
