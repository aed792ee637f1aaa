#pragma once
// What a run of one target found and left, for the fleet runner that started it as a child
// process (SPEC §7.6): written to the file named by DBMIG_FLEET_REPORT, and nowhere otherwise.
#include <string>
#include <vector>

namespace dbmig {

// The environment variable through which the fleet runner names the report file.
inline constexpr const char* kFleetReportEnv = "DBMIG_FLEET_REPORT";

// upgrade, downgrade, stamp: the heads found once the lock was taken, and those left at the end.
void report_from(const std::vector<std::string>& heads);
void report_to(const std::vector<std::string>& heads);
// current, check, migrate: the heads the database is at.
void report_current(const std::vector<std::string>& heads);

}  // namespace dbmig
