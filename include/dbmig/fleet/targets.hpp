#pragma once
// The databases a fleet command runs on (SPEC §7.6): entries of `targets:` in dbmig.yaml, with
// tenant sets expanded to one target per schema, named SET/schema.
#include <dbmig/config/config.hpp>

#include <string>
#include <vector>

namespace dbmig {

struct FleetTarget {
  std::string name;    // "shard_01", or "tenants/tenant_01"
  std::string url;     // ${VAR} expanded; may hold a password, so it is never printed as is
  std::string schema;  // a tenant's schema; empty for a whole database
  std::string error;   // why the target could not even be listed (its tenant query failed)
};

// Every entry with `all`, else those `names` picks (an entry, a whole tenant set, or one
// member SET/schema), in the order of `targets:`. A tenant set given by a query is listed by
// running it; if that fails, the set stands as one target carrying the error. An unknown name
// is a UsageError.
std::vector<FleetTarget> select_targets(const Config& config, const std::vector<std::string>& names, bool all);

}  // namespace dbmig
