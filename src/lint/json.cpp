#include <dbmig/lint/json.hpp>
#include <dbmig/util/error.hpp>

#include <nlohmann/json.hpp>

#include <cstdlib>

namespace dbmig::lint {

const Json& Json::operator[](std::string_view key) const {
  static const Json null_value;
  for (const auto& [k, v] : members_)
    if (k == key) return v;
  return null_value;
}

bool Json::has(std::string_view key) const {
  for (const auto& m : members_)
    if (m.first == key) return true;
  return false;
}

long Json::integer(long fallback) const {
  if (kind_ != Kind::number) return fallback;
  return std::strtol(text_.c_str(), nullptr, 10);
}

// nlohmann::json reads the text; lint keeps its forgiving view of the tree (an absent key reads
// as null, so the rules can follow libpg_query's paths without a check at every step).
class JsonBuilder {
 public:
  static Json from(const nlohmann::json& in) {
    Json j;
    switch (in.type()) {
      case nlohmann::json::value_t::object:
        j.kind_ = Json::Kind::object;
        j.members_.reserve(in.size());
        for (const auto& [key, value] : in.items()) j.members_.emplace_back(key, from(value));
        break;
      case nlohmann::json::value_t::array:
        j.kind_ = Json::Kind::array;
        j.items_.reserve(in.size());
        for (const auto& value : in) j.items_.push_back(from(value));
        break;
      case nlohmann::json::value_t::string:
        j.kind_ = Json::Kind::string;
        j.text_ = in.get<std::string>();
        break;
      case nlohmann::json::value_t::boolean:
        j.kind_ = Json::Kind::boolean;
        j.flag_ = in.get<bool>();
        break;
      case nlohmann::json::value_t::number_integer:
      case nlohmann::json::value_t::number_unsigned:
      case nlohmann::json::value_t::number_float:
        j.kind_ = Json::Kind::number;
        j.text_ = in.dump();
        break;
      default:
        break;
    }
    return j;
  }
};

Json Json::parse(std::string_view text) {
  try {
    return JsonBuilder::from(nlohmann::json::parse(text));
  } catch (const nlohmann::json::exception& e) {
    throw Error(std::string("malformed JSON from the SQL parser: ") + e.what());
  }
}

}  // namespace dbmig::lint
