#include <dbmig/run/schema_tracker.hpp>

namespace dbmig {

SchemaTracker::SchemaTracker(const Schema& schema) {
  for (const auto& t : schema.tables) known_[t.name] = t;
}

const Table* SchemaTracker::table(const std::string& name) {
  auto it = known_.find(name);
  if (it == known_.end()) {
    it = known_.emplace(name, loader_ ? loader_(name) : std::nullopt).first;
    if (it->second) apply_dependent_changes(*it->second);
  }
  return it->second ? &*it->second : nullptr;
}

void SchemaTracker::apply_dependent_changes(Table& t) const {
  std::erase_if(t.dependents, [&](Dependent& d) {
    auto change = dependent_changes_.find(d.name);
    if (change == dependent_changes_.end()) return false;
    if (change->second) d.sql = *change->second;
    return !change->second;
  });
}

void SchemaTracker::change_dependent(const std::string& name, std::optional<std::string> sql) {
  dependent_changes_[name] = std::move(sql);
  for (auto& [_, t] : known_)
    if (t) apply_dependent_changes(*t);
}

void SchemaTracker::apply(const Op& op) {
  // Build a small schema of the known tables the op touches, apply, and store back.
  Schema scratch;
  std::vector<std::string> names;
  // Tables are moved into the scratch schema and back, never copied (a table may have
  // thousands of columns, and a run thousands of ops).
  auto take = [&](const std::string& n) {
    auto it = known_.find(n);
    if (it != known_.end() && it->second) scratch.tables.push_back(std::move(*it->second)), names.push_back(n);
  };
  if (auto* v = std::get_if<DropView>(&op)) return change_dependent(v->name, std::nullopt);
  if (auto* d = std::get_if<DropObject>(&op); d && d->kind == "trigger") return change_dependent(d->name, std::nullopt);
  if (auto* c = std::get_if<CreateObject>(&op); c && c->object.kind == "trigger" && c->existing_sql)
    return change_dependent(c->object.name, c->object.sql);
  std::string table = op_table(op);
  // Raw SQL is not followed: an online run forgets what it knew after executing it.
  if (std::holds_alternative<Execute>(op)) return;
  if (table.empty()) return;  // an op on a type, not a table
  if (auto* c = std::get_if<CreateTable>(&op)) {
    known_[c->table.name] = c->table;
    return;
  }
  this->table(table);  // load it first, so the op lands on the table as it stands
  take(table);
  if (scratch.tables.empty()) {
    if (std::holds_alternative<DropTable>(op)) known_[table] = std::nullopt;
    if (auto* r = std::get_if<RenameTable>(&op)) known_.erase(r->new_name), known_[table] = std::nullopt;
    return;
  }
  // Renames reach into other tables' foreign keys: include every known table.
  if (std::holds_alternative<RenameTable>(op) || std::holds_alternative<AlterColumn>(op))
    for (auto& [n, t] : known_)
      if (t && n != table) scratch.tables.push_back(std::move(*t)), names.push_back(n);
  try {
    dbmig::apply(scratch, op);
  } catch (...) {
    for (size_t i = 0; i < names.size(); ++i) known_[names[i]] = std::move(scratch.tables[i]);
    throw;
  }
  for (const auto& n : names) known_[n] = std::nullopt;
  for (auto& t : scratch.tables) known_[t.name] = std::move(t);
}

}  // namespace dbmig
