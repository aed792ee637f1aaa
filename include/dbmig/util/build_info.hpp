#pragma once
// What this binary was built from, for `dbmig --version` and bug reports.

namespace dbmig {

// The git commit (12 hex digits, "-dirty" if tracked files differed), or "unknown" when built
// outside a git checkout. Written by cmake/build_info.cmake at every build.
const char* build_commit();

}  // namespace dbmig
