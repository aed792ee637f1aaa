#pragma once
// The migrations folder: reads every revision file (strictly) and writes new ones from
// script.yaml.tmpl (Alembic's ScriptDirectory).
#include <dbmig/revision.hpp>

#include <filesystem>
#include <optional>
#include <string>

namespace dbmig {

// Parses one revision file's text; errors name path:line.
Revision parse_revision(const std::string& text, const std::filesystem::path& path, const NamingConvention& naming);

struct NewRevision {
  std::string id;  // empty: 12 random hex digits
  std::string message;
  std::vector<std::string> down_revisions;
  std::vector<std::string> branch_labels;
  std::vector<std::string> depends_on;
  std::vector<Op> upgrade_ops, downgrade_ops;
};

class ScriptDirectory {
 public:
  ScriptDirectory(std::filesystem::path dir, NamingConvention naming);
  const std::filesystem::path& dir() const { return dir_; }
  std::filesystem::path versions_dir() const { return dir_ / "versions"; }

  // Loads and validates every revision file (once; later calls reuse the graph).
  const RevisionGraph& graph();

  // Writes a new revision file atomically and returns its path. The file is parsed back
  // before it is put in place, so a broken template never leaves a half-written revision.
  std::filesystem::path write(const NewRevision& rev);

 private:
  std::filesystem::path dir_;
  NamingConvention naming_;
  std::optional<RevisionGraph> graph_;
};

std::string slugify(const std::string& message);
std::string random_rev_id();

}  // namespace dbmig
