#pragma once
// The model type vocabulary (SPEC §3), split into name and arguments.
#include <optional>
#include <string>
#include <vector>

namespace dbmig {

struct TypeName {
  std::string base;  // lower case, e.g. "string", "numeric", "character varying"
  std::string args;  // inside the parentheses, spaces removed, e.g. "10,2"; "" for none
  std::string suffix;  // after the parentheses (e.g. "[]"), verbatim
};

TypeName parse_type(const std::string& text);

// SQLAlchemy's Enum as imported from Alembic: "enum(user_status: 'active', 'banned')". A type
// of that name on PostgreSQL (created with the table when missing, as SQLAlchemy does), a
// VARCHAR as long as the longest value on SQLite.
struct InlineEnum {
  std::string name;
  std::vector<std::string> values;
};
std::optional<InlineEnum> parse_enum_type(const std::string& text);
bool is_model_type(const std::string& base);  // part of dbmig's vocabulary
// An integer type (model or database spelling): a single-column key of one autoincrements.
bool is_integer_type(const std::string& type);

}  // namespace dbmig
