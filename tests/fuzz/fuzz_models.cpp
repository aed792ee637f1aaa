// libFuzzer target: the models.yaml loader must turn any input into a schema or a dbmig::Error.
#include <dbmig/util/error.hpp>
#include <dbmig/model/model_loader.hpp>

#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    dbmig::parse_models(std::string(reinterpret_cast<const char*>(data), size), "models.yaml", dbmig::NamingConvention{});
  } catch (const dbmig::Error&) {
  }
  return 0;
}
