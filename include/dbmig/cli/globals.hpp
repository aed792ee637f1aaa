#pragma once
// dbmig's own options, given before the verb, that every verb sees.
#include <optional>
#include <string>

namespace dbmig {

struct Globals {
  std::string config_file = "dbmig.yaml";
  std::optional<std::string> url;
  bool json = false;
};

}  // namespace dbmig
