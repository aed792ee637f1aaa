#include <dbmig/error.hpp>
#include <dbmig/yaml_node.hpp>

#include <yaml-cpp/yaml.h>

namespace dbmig {

YamlNode YamlNode::null(int line) {
  YamlNode n;
  n.kind_ = Kind::null;
  n.line_ = line;
  return n;
}

YamlNode YamlNode::scalar(std::string text, bool quoted, int line) {
  YamlNode n;
  n.kind_ = Kind::scalar;
  n.text_ = std::move(text);
  n.quoted_ = quoted;
  n.line_ = line;
  return n;
}

YamlNode YamlNode::sequence(std::vector<YamlNode> items, int line) {
  YamlNode n;
  n.kind_ = Kind::sequence;
  n.children_ = std::move(items);
  n.line_ = line;
  return n;
}

YamlNode YamlNode::map(std::vector<YamlNode> keys_and_values, int line) {
  YamlNode n;
  n.kind_ = Kind::map;
  n.children_ = std::move(keys_and_values);
  n.line_ = line;
  return n;
}

namespace {
const std::vector<YamlNode> kNone;
}  // namespace

const std::vector<YamlNode>& YamlNode::items() const { return is_sequence() ? children_ : kNone; }

YamlNode::Entries YamlNode::entries() const { return Entries(is_map() ? children_ : kNone); }

const YamlNode& YamlNode::operator[](std::string_view key) const {
  static const YamlNode undefined;
  if (is_map())
    for (size_t i = 0; i < children_.size(); i += 2)
      if (children_[i].is_scalar() && children_[i].text_ == key) return children_[i + 1];
  return undefined;
}

bool YamlNode::operator==(const YamlNode& o) const {
  return kind_ == o.kind_ && quoted_ == o.quoted_ && line_ == o.line_ && text_ == o.text_ && children_ == o.children_;
}

namespace {

// Anchors and aliases share nodes in yaml-cpp but are copied here: a bound keeps a "billion
// laughs" document from taking all memory.
constexpr size_t kMaxNodes = 1'000'000;

YamlNode convert(const YAML::Node& node, size_t& budget, const std::string& file) {
  if (budget-- == 0) throw Error(file + ": the YAML expands to more than a million nodes (anchors and aliases)");
  int line = node.Mark().is_null() ? -1 : node.Mark().line;
  switch (node.Type()) {
    case YAML::NodeType::Scalar:
      return YamlNode::scalar(node.Scalar(), node.Tag() == "!", line);
    case YAML::NodeType::Sequence: {
      std::vector<YamlNode> items;
      items.reserve(node.size());
      for (const auto& item : node) items.push_back(convert(item, budget, file));
      return YamlNode::sequence(std::move(items), line);
    }
    case YAML::NodeType::Map: {
      std::vector<YamlNode> entries;
      entries.reserve(2 * node.size());
      for (auto it = node.begin(); it != node.end(); ++it) {
        entries.push_back(convert(it->first, budget, file));
        entries.push_back(convert(it->second, budget, file));
      }
      return YamlNode::map(std::move(entries), line);
    }
    default:
      return YamlNode::null(line);
  }
}

void describe_into(std::string& out, const YamlNode& node, int depth) {
  out += std::string(depth * 2, ' ') + std::to_string(node.line() + 1) + ": ";
  switch (node.kind()) {
    case YamlNode::Kind::undefined: out += "undefined\n"; break;
    case YamlNode::Kind::null: out += "null\n"; break;
    case YamlNode::Kind::scalar: out += (node.quoted() ? "quoted '" : "plain '") + node.text() + "'\n"; break;
    case YamlNode::Kind::sequence:
      out += "sequence\n";
      for (const auto& item : node.items()) describe_into(out, item, depth + 1);
      break;
    case YamlNode::Kind::map:
      out += "map\n";
      for (auto [key, value] : node.entries()) {
        describe_into(out, key, depth + 1);
        describe_into(out, value, depth + 2);
      }
      break;
  }
}

}  // namespace

YamlNode read_yaml_with_yaml_cpp(std::string_view text, const std::string& file) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    throw Error(file + ":" + std::to_string(e.mark.line + 1) + ": invalid YAML: " + e.msg);
  }
  size_t budget = kMaxNodes;
  return convert(root, budget, file);
}

YamlNode load_yaml(std::string_view text, const std::string& file) {
  if (auto node = read_yaml_subset(text)) return std::move(*node);
  return read_yaml_with_yaml_cpp(text, file);
}

std::string describe(const YamlNode& node) {
  std::string out;
  describe_into(out, node, 0);
  return out;
}

}  // namespace dbmig
