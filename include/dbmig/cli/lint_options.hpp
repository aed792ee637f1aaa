#pragma once
// The lint settings a project implies (dialect from its URL, dbmig.yaml's lock_timeout), shared
// by `lint` and by `upgrade`, which lints what it is about to run.
#include <dbmig/cli/project.hpp>
#include <dbmig/lint/linter.hpp>

namespace dbmig {

lint::LintOptions lint_options(Project& project);

}  // namespace dbmig
