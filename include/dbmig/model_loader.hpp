#pragma once
// models.yaml (or a folder of *.yaml) -> the neutral schema, with every error naming file:line.
#include <dbmig/schema.hpp>

#include <filesystem>

namespace dbmig {

Schema load_models(const std::filesystem::path& path, const NamingConvention& naming);
// One models document given as text; `file` names it in errors.
Schema parse_models(const std::string& text, const std::string& file, const NamingConvention& naming);

}  // namespace dbmig
