#pragma once
#include <chrono>
#include <string>

namespace dbmig {

// "2026-11-20T10:31:02Z" (or with milliseconds: "2026-11-20T10:31:02.123Z").
std::string iso_utc(std::chrono::system_clock::time_point t, bool millis = false);

}  // namespace dbmig
