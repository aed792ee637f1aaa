#pragma once
// Python modules read with Python's own parser: dbmig runs `python3` (or $DBMIG_PYTHON) with a
// small embedded program that prints each module's syntax tree as JSON.
#include <nlohmann/json.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace dbmig {

struct PythonModule {
  std::filesystem::path file;
  std::string source;           // the file's text, for the source of unconverted code
  std::optional<std::string> doc;  // the module docstring
  nlohmann::json body;          // ast.Module.body as JSON: {"_": "Assign", ..., "line": 3, ...}
};

// Parses the files, in order; a long list is split over one Python process per core. A file
// Python cannot parse is an Error naming file:line; so is a missing python3.
std::vector<PythonModule> parse_python_modules(const std::vector<std::filesystem::path>& files);

// The embedded program (python_ast_script.cpp).
const char* python_ast_script();

}  // namespace dbmig
