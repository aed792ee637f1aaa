#pragma once
// Revision ops as lint changes (execute SQL goes through sql_changes.hpp instead).
#include <dbmig/lint/change.hpp>
#include <dbmig/revisions/operations.hpp>

#include <vector>

namespace dbmig::lint {

std::vector<Change> op_changes(const Op& op);

}  // namespace dbmig::lint
