#pragma once
// A neutral schema as compact text, so models.yaml needs parsing only when it changes (like
// Python's __pycache__): it saves about a fifth of a no-op autogenerate at a thousand tables.
#include <dbmig/model/schema.hpp>

#include <optional>
#include <string>

namespace dbmig {

std::string serialize_schema(const Schema& schema);
// nullopt when the text is not a schema this version wrote.
std::optional<Schema> deserialize_schema(const std::string& text);

}  // namespace dbmig
