#pragma once
// models.yaml (or a folder of *.yaml) -> the neutral schema, with every error naming file:line.
#include <dbmig/model/schema.hpp>

#include <filesystem>

namespace dbmig {

Schema load_models(const std::filesystem::path& path, const NamingConvention& naming);
// The same, kept in `cache` (derived data) and parsed again only when a models file or the
// naming convention changed.
Schema load_models(const std::filesystem::path& path, const NamingConvention& naming, const std::filesystem::path& cache);
// One models document given as text; `file` names it in errors.
Schema parse_models(const std::string& text, const std::string& file, const NamingConvention& naming);

}  // namespace dbmig
