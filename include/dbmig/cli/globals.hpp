#pragma once
// dbmig's own options, given before the verb, that every verb sees.
#include <optional>
#include <string>

namespace dbmig {

struct Globals {
  std::string config_file = "dbmig.yaml";
  std::optional<std::string> url;
  // PostgreSQL schema to run in (a tenant, SPEC §7.6): the version table lives there and
  // search_path is set to it in every transaction.
  std::optional<std::string> schema;
  bool json = false;
};

}  // namespace dbmig
