#pragma once
// Operations in revision files: strict parsing with file:line errors, and stable text output.
#include <dbmig/revisions/operations.hpp>
#include <dbmig/yaml/yaml_util.hpp>

namespace dbmig {

std::vector<Op> parse_ops(const YamlContext& ctx, const YamlNode& list, const std::string& what,
                          const NamingConvention& naming);

// Block-sequence text of ops ("  - add_column: {...}\n"), or " []" for none, so that
// "upgrade:" + ops_yaml(ops) is valid YAML.
std::string ops_yaml(const std::vector<Op>& ops);

}  // namespace dbmig
