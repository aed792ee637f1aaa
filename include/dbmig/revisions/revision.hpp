#pragma once
// Revisions and the revision graph (Alembic's RevisionMap): pure, in memory, no database.
#include <dbmig/revisions/operations.hpp>

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

namespace dbmig {

struct Revision {
  std::string id;
  std::vector<std::string> down_revisions;  // versioned parents; several for a merge
  std::vector<std::string> depends_on;      // extra ordering dependencies, not versioned
  std::vector<std::string> branch_labels;
  std::string message;
  std::string create_date;
  bool transactional = true;
  std::filesystem::path path;  // "" for revisions built in tests
  std::string checksum;        // sha256 of the file, for the audit history
};

// An ordered set of revision ids; empty means base.
using RevisionSet = std::vector<std::string>;

class RevisionGraph {
 public:
  // Validates the graph: duplicate ids or labels, missing parents or dependencies, cycles.
  explicit RevisionGraph(std::vector<Revision> revisions);

  const Revision& get(const std::string& id) const;
  bool contains(const std::string& id) const { return index_.count(id) > 0; }
  const std::vector<Revision>& revisions() const { return revisions_; }
  const RevisionSet& heads() const { return heads_; }
  RevisionSet bases() const;
  const std::vector<std::string>& children(const std::string& id) const;
  bool is_head(const std::string& id) const;
  bool is_branch_point(const std::string& id) const { return children(id).size() > 1; }
  bool is_merge_point(const std::string& id) const { return get(id).down_revisions.size() > 1; }

  // Resolves a target (SPEC §2) against the database's current heads.
  RevisionSet resolve(const std::string& target, const RevisionSet& current) const;
  // A full id, unique prefix or branch label; errors name the ambiguous candidates.
  std::string resolve_one(const std::string& id_or_prefix) const;

  // Revisions to run, in order, to go from `from` to `to` (both as heads sets).
  std::vector<const Revision*> upgrade_path(const RevisionSet& from, const RevisionSet& to) const;
  std::vector<const Revision*> downgrade_path(const RevisionSet& from, const RevisionSet& to) const;

  // Every revision, parents before children (ties broken by file order).
  std::vector<const Revision*> topological() const;

  // The heads after applying (up) or reverting (down) one revision.
  RevisionSet heads_after_upgrade(const RevisionSet& heads, const Revision& rev) const;
  RevisionSet heads_after_downgrade(const RevisionSet& heads, const Revision& rev) const;

 private:
  // Ids of `set` and everything they depend on (down_revisions and depends_on), inclusive.
  std::set<size_t> closure(const RevisionSet& set) const;
  std::vector<size_t> ordered(const std::set<size_t>& subset) const;  // parents first
  size_t idx(const std::string& id) const { return index_.at(id); }
  std::string relative(const RevisionSet& start, long steps, const std::string& target) const;
  RevisionSet relative_set(const RevisionSet& start, long steps, const std::string& target) const;

  std::vector<Revision> revisions_;
  std::unordered_map<std::string, size_t> index_;
  std::vector<std::vector<std::string>> children_;
  std::vector<std::vector<size_t>> all_parents_;  // down_revisions + depends_on, as indexes
  std::map<std::string, std::string> labels_;     // label -> revision id
  RevisionSet heads_;
};

// "a, b" for messages.
std::string join(const std::vector<std::string>& items, const std::string& sep = ", ");

}  // namespace dbmig
