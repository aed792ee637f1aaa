#pragma once
// Strict reading of YAML documents: every error names file:line, unknown and duplicate keys
// are errors, scalars are read as the text written.
#include <dbmig/yaml/yaml_node.hpp>

#include <functional>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace dbmig {

// A node together with the file it came from, so errors can say where.
struct YamlContext {
  std::string file;
  std::string where(const YamlNode& node) const;  // "file:line"
  [[noreturn]] void fail(const YamlNode& node, const std::string& message) const;
};

// What a value is, for error messages: up to two pieces ("column 'id' of table 't'", " type")
// joined only for an error, so reading a valid file builds no message text.
class What {
 public:
  What(const char* text) : a_(text) {}
  What(const std::string& text) : a_(text) {}
  What(std::string_view a, std::string_view b) : a_(a), b_(b) {}
  std::string str() const { return std::string(a_) + std::string(b_); }

 private:
  std::string_view a_, b_;
};

// Checks a mapping: it is a map, has no duplicate keys, no key outside `allowed`, and every
// key of `required`. `what` names the mapping in messages ("column 'id'").
void check_keys(const YamlContext& ctx, const YamlNode& map, What what,
                std::span<const std::string_view> allowed, std::span<const std::string_view> required);
inline void check_keys(const YamlContext& ctx, const YamlNode& map, What what,
                       std::initializer_list<std::string_view> allowed,
                       std::initializer_list<std::string_view> required = {}) {
  check_keys(ctx, map, what, std::span(allowed.begin(), allowed.size()), std::span(required.begin(), required.size()));
}

// Keys that one mapping may carry besides those its reader allows (the lint_ignore of any
// revision op, read by lint), accepted by check_keys on that node only, on this thread, while
// this object lives.
class ExtraKeys {
 public:
  ExtraKeys(const YamlNode& map, std::span<const std::string_view> keys);
  ~ExtraKeys();
  ExtraKeys(const ExtraKeys&) = delete;
  ExtraKeys& operator=(const ExtraKeys&) = delete;
  bool allows(const YamlNode& map, std::string_view key) const;

 private:
  const YamlNode* map_;
  std::span<const std::string_view> keys_;
  const ExtraKeys* outer_;
};

std::string scalar(const YamlContext& ctx, const YamlNode& node, What what);
std::optional<std::string> optional_scalar(const YamlContext& ctx, const YamlNode& node, What what);
bool boolean(const YamlContext& ctx, const YamlNode& node, What what);
long long integer(const YamlContext& ctx, const YamlNode& node, What what);
// A scalar or a sequence of scalars; null gives an empty list.
std::vector<std::string> string_list(const YamlContext& ctx, const YamlNode& node, What what);

// Ordered key/value pairs of a mapping (keys as text).
void for_each_entry(const YamlContext& ctx, const YamlNode& map, const std::string& what,
                    const std::function<void(const std::string&, const YamlNode&)>& fn);

// Quotes a scalar for output when YAML could misread it (numbers, booleans, null, ':' ...).
std::string yaml_quote(const std::string& text);
// Always double-quoted (revision ids, which can look like numbers).
std::string yaml_quote_always(const std::string& text);

}  // namespace dbmig
