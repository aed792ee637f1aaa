#pragma once
// libpg_query's parse trees as lint reads them (its JSON output is the stable interface; its
// protobuf headers are not installed by Debian): parsed by nlohmann::json, kept as a tree where an
// absent key reads as null.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace dbmig::lint {

class Json {
 public:
  enum class Kind : unsigned char { null, boolean, number, string, array, object };

  Kind kind() const { return kind_; }
  bool is_object() const { return kind_ == Kind::object; }
  bool is_array() const { return kind_ == Kind::array; }
  // The value under a key of an object; a null value when absent (or not an object).
  const Json& operator[](std::string_view key) const;
  const std::vector<Json>& items() const { return items_; }  // of an array
  const std::vector<std::pair<std::string, Json>>& members() const { return members_; }
  const std::string& str() const { return text_; }  // of a string, or a number's text
  bool truthy() const { return kind_ == Kind::boolean ? flag_ : kind_ != Kind::null; }
  long integer(long fallback = 0) const;
  bool has(std::string_view key) const;

  // Throws dbmig::Error on malformed input.
  static Json parse(std::string_view text);

 private:
  friend class JsonBuilder;
  Kind kind_ = Kind::null;
  bool flag_ = false;
  std::string text_;
  std::vector<Json> items_;
  std::vector<std::pair<std::string, Json>> members_;
};

}  // namespace dbmig::lint
