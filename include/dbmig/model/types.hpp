#pragma once
// The model type vocabulary (SPEC §3), split into name and arguments.
#include <string>

namespace dbmig {

struct TypeName {
  std::string base;  // lower case, e.g. "string", "numeric", "character varying"
  std::string args;  // inside the parentheses, spaces removed, e.g. "10,2"; "" for none
  std::string suffix;  // after the parentheses (e.g. "[]"), verbatim
};

TypeName parse_type(const std::string& text);
bool is_model_type(const std::string& base);  // part of dbmig's vocabulary
// An integer type (model or database spelling): a single-column key of one autoincrements.
bool is_integer_type(const std::string& type);

}  // namespace dbmig
