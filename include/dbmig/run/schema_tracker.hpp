#pragma once
// What is known of the database's tables while a run renders its ops: tables are loaded on
// first use (from the live catalog, or from a simulated schema offline) and then followed
// through every op, so a later op sees the effect of the earlier ones before they run.
#include <dbmig/revisions/operations.hpp>

#include <functional>
#include <map>
#include <optional>

namespace dbmig {

class SchemaTracker {
 public:
  using Loader = std::function<std::optional<Table>(const std::string& name)>;
  explicit SchemaTracker(Loader loader = {}) : loader_(std::move(loader)) {}
  // Starts from a complete schema (offline mode): nothing is loaded.
  explicit SchemaTracker(const Schema& schema);

  // The table as it stands now, or nullptr when there is none.
  const Table* table(const std::string& name);
  // Follows an op; tables never loaded stay unknown (the live catalog will tell later).
  void apply(const Op& op);
  // Forgets everything loaded (after raw SQL, which may have changed anything).
  void forget() { known_.clear(); }

 private:
  // A view or trigger dropped (nullopt) or replaced by an op: a later rebuild of its table must
  // not create it again, or not with its old text.
  void change_dependent(const std::string& name, std::optional<std::string> sql);
  void apply_dependent_changes(Table& t) const;

  Loader loader_;
  std::map<std::string, std::optional<std::string>> dependent_changes_;
  std::map<std::string, std::optional<Table>> known_;  // nullopt: known not to exist
};

}  // namespace dbmig
