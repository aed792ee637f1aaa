#pragma once
// How history, heads, branches, show and current print revisions, as Alembic prints them.
#include <dbmig/cli/globals.hpp>
#include <dbmig/revisions/script_directory.hpp>

#include <string>
#include <vector>

namespace dbmig {

// One line: "1975ea83b712 -> 27c6a30d7c24 (head), add email".
std::string log_line(const RevisionGraph& g, const Revision& r);
// The full entry of --verbose and show.
std::string log_entry(const RevisionGraph& g, const Revision& r);
// The revisions as lines, full entries (verbose) or {"<json_key>": [...]}.
void print_revisions(const Globals& g, const RevisionGraph& graph, const std::vector<const Revision*>& revs, bool verbose,
                     const char* json_key);

}  // namespace dbmig
