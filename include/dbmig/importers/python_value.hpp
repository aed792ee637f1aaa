#pragma once
// Static evaluation of the Python expressions Alembic writes: literals, lists and tuples, names
// and dotted names, and calls (kept as calls: the importer knows what sa.Column(...) means).
// Anything else (f-strings, arithmetic, comprehensions...) cannot be known without running the
// module and is reported as NotStatic.
#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace dbmig {

// A call keyword or dict entry. A struct, not std::pair: a pair of a still-incomplete PyValue
// does not compile with clang and libstdc++.
struct PyKeyword;

struct PyValue {
  enum class Kind { none, boolean, integer, floating, string, list, dict, name, call };
  Kind kind = Kind::none;
  bool flag = false;      // boolean value
  std::string text;       // string value, number as written, dotted name, or the called name
  bool f_name = false;    // op.f('name'): a name kept as written, never put through a convention
  bool sql_text = false;  // sa.text('...'): SQL as written, not a string literal
  std::vector<PyValue> items;                              // list/tuple items, call positional arguments
  std::vector<PyKeyword> keywords;  // call keywords, dict entries (keys as text)
  long line = 0;

  bool is_string() const { return kind == Kind::string; }
  bool is_none() const { return kind == Kind::none; }
  // A call's keyword argument, or nullptr.
  const PyValue* keyword(const std::string& name) const;
  // Positional argument i, else keyword `name`, else nullptr.
  const PyValue* arg(size_t i, const std::string& name) const;
  // The last part of a called or dotted name: "sa.Column" -> "Column".
  std::string last_name() const;
};

struct PyKeyword {
  std::string name;
  PyValue value;
};

// An expression that cannot be known statically; `what` says what it is ("an f-string").
struct NotStatic : std::runtime_error {
  NotStatic(const std::string& what, long line) : std::runtime_error(what), line(line) {}
  long line;
};

// Names bound by simple assignments earlier in the module or function (e.g. a sa.table(...)
// for bulk_insert, or a string constant).
using PyScope = std::map<std::string, PyValue>;

PyValue eval_python(const nlohmann::json& node, const PyScope& scope);

// "op.batch_alter_table" for an Attribute/Name chain, "" for anything else.
std::string dotted_name(const nlohmann::json& node);

}  // namespace dbmig
