#pragma once
// Lint findings as the user reads them: text, JSON ({"findings": [...]}) or GitHub Actions
// annotations.
#include <dbmig/lint/linter.hpp>

#include <string>
#include <vector>

namespace dbmig::lint {

enum class Format { text, json, github };

std::string format_findings(const std::vector<Finding>& findings, Format format);
// "2 errors, 1 warning in 3 revisions" / "no findings in 3 revisions".
std::string summary(const std::vector<Finding>& findings, size_t revisions);
bool has_errors(const std::vector<Finding>& findings);

}  // namespace dbmig::lint
