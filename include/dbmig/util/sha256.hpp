#pragma once
// SHA-256 of revision files, for the audit history's checksums.
#include <string>
#include <string_view>

namespace dbmig {

std::string sha256_hex(std::string_view data);

}  // namespace dbmig
