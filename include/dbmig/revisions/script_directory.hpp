#pragma once
// The migrations folder: reads every revision file (strictly) and writes new ones from
// script.yaml.tmpl (Alembic's ScriptDirectory).
#include <dbmig/revisions/revision.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <unordered_map>

namespace dbmig {

// One revision file, parsed: the header the graph needs, and the operations.
struct RevisionFile {
  Revision revision;
  std::vector<Op> upgrade, downgrade;
};

// Parses one revision file's text; errors name path:line.
RevisionFile parse_revision(const std::string& text, const std::filesystem::path& path, const NamingConvention& naming);

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

  // Loads every revision file's header into the graph (once; later calls reuse it). A file is
  // read and fully validated when it is new or changed since the last run; unchanged files are
  // taken from the index in migrations/.dbmig-cache (size, mtime and checksum per file), so
  // heads, history and current stay fast with thousands of revisions.
  const RevisionGraph& graph();

  // Reads and parses the operations of these revisions now, on every core, so a run finds any
  // broken file before it changes anything and parsing does not add up between statements.
  void preload(const std::vector<const Revision*>& revisions);

  // The operations of one revision, read from its file when first asked for.
  const std::vector<Op>& upgrade_ops(const Revision& rev);
  const std::vector<Op>& downgrade_ops(const Revision& rev);

  // Revision files read since construction (tests assert each is read at most once).
  size_t files_read() const { return files_read_; }

  // Writes a new revision file atomically and returns its path. The file is parsed back
  // before it is put in place, so a broken template never leaves a half-written revision.
  std::filesystem::path write(const NewRevision& rev);

 private:
  const RevisionFile& parsed(const Revision& rev);
  std::string read(const std::filesystem::path& p);

  std::filesystem::path dir_;
  NamingConvention naming_;
  std::optional<RevisionGraph> graph_;
  std::unordered_map<std::string, RevisionFile> parsed_;  // revision id -> its parsed file
  size_t files_read_ = 0;
};

std::string slugify(const std::string& message);
std::string random_rev_id();

}  // namespace dbmig
