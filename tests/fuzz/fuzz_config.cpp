// libFuzzer target: dbmig.yaml and database URLs; a password never survives into a message.
#include <dbmig/config/config.hpp>
#include <dbmig/util/error.hpp>

#include <cstdint>
#include <cstdlib>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  try {
    auto config = dbmig::parse_config(text, "dbmig.yaml");
    if (config.database_url) dbmig::resolve_database_url(config, std::nullopt).masked();
  } catch (const dbmig::Error&) {
  }
  try {
    auto url = dbmig::parse_url(text);
    if (!url.password.empty() && url.password.size() > 3 && url.masked().find(":" + url.password + "@") != std::string::npos)
      std::abort();  // the masked form must not show the password
  } catch (const dbmig::Error&) {
  }
  return 0;
}
