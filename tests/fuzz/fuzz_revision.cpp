// libFuzzer target: the revision-file loader, and writing back what it read, must never crash.
#include <dbmig/util/error.hpp>
#include <dbmig/revisions/op_yaml.hpp>
#include <dbmig/revisions/script_directory.hpp>

#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    auto rev = dbmig::parse_revision(std::string(reinterpret_cast<const char*>(data), size), "r.yaml", dbmig::NamingConvention{});
    dbmig::ops_yaml(rev.upgrade);
    dbmig::RevisionGraph graph({rev.revision});
    graph.resolve("heads", {});
  } catch (const dbmig::Error&) {
  }
  return 0;
}
