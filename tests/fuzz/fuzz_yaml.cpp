// libFuzzer target, differential: whatever the subset reader reads, yaml-cpp must read to the
// same tree (kinds, text, quoting, line numbers). The reader may give up; it may never differ.
#include <dbmig/util/error.hpp>
#include <dbmig/yaml/yaml_node.hpp>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  auto fast = dbmig::read_yaml_subset(text);
  if (!fast) return 0;
  try {
    auto full = dbmig::read_yaml_with_yaml_cpp(text, "f.yaml");
    if (fast->root() == full.root()) return 0;
    std::fprintf(stderr, "differ:\n--- subset\n%s--- yaml-cpp\n%s", dbmig::describe(fast->root()).c_str(),
                 dbmig::describe(full.root()).c_str());
  } catch (const dbmig::Error& e) {
    std::fprintf(stderr, "yaml-cpp rejects what the subset reader read: %s\n", e.what());
  }
  std::abort();
}
