#pragma once
// The lint rules: stable ids (used in lint_ignore and in every output format), their level, and
// what each one means. Rule logic lives in linter.cpp; this is the catalogue.
#include <string>
#include <string_view>
#include <vector>

namespace dbmig::lint {

enum class Level { warning, error };
const char* level_name(Level level);

struct Rule {
  const char* id;
  Level level;
  const char* summary;  // one line, for docs and `lint --help`-style listings
};

const std::vector<Rule>& rules();
// nullptr for an id no rule has.
const Rule* find_rule(std::string_view id);

}  // namespace dbmig::lint
