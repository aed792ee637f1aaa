#include <dbmig/util/error.hpp>
#include <dbmig/yaml/yaml_node.hpp>

#include <yaml-cpp/yaml.h>

#include <algorithm>

namespace dbmig {

std::span<const YamlNode> YamlNode::items() const {
  return is_sequence() ? std::span<const YamlNode>(children_, count_) : std::span<const YamlNode>();
}

YamlNode::Entries YamlNode::entries() const {
  return Entries(is_map() ? std::span<const YamlNode>(children_, count_) : std::span<const YamlNode>());
}

const YamlNode& YamlNode::operator[](std::string_view key) const {
  static const YamlNode undefined;
  if (is_map())
    for (uint32_t i = 0; i < count_; i += 2)
      if (children_[i].is_scalar() && children_[i].text_ == key) return children_[i + 1];
  return undefined;
}

bool YamlNode::operator==(const YamlNode& o) const {
  if (kind_ != o.kind_ || quoted_ != o.quoted_ || line_ != o.line_ || text_ != o.text_ || count_ != o.count_)
    return false;
  return std::equal(children_, children_ + count_, o.children_);
}

YamlBuilder::YamlBuilder(std::string_view text) {
  doc_.storage_->text = std::string(text);
  // Every node takes at least two characters ("a,"), so this is enough for any text the subset
  // reader takes: the array never moves while growing. Pages not written cost nothing.
  doc_.storage_->nodes.reserve(text.size() / 2 + 16);
}

void YamlBuilder::push(YamlNode node) { stack_.push_back(node); }

void YamlBuilder::push_null(int line) {
  YamlNode n;
  n.kind_ = YamlNode::Kind::null;
  n.line_ = line;
  push(n);
}

void YamlBuilder::push_scalar(std::string_view piece_of_text, bool quoted, int line) {
  YamlNode n;
  n.kind_ = YamlNode::Kind::scalar;
  n.text_ = piece_of_text;
  n.quoted_ = quoted;
  n.line_ = line;
  push(n);
}

void YamlBuilder::push_decoded(std::string text, bool quoted, int line) {
  push_scalar(doc_.storage_->decoded.emplace_back(std::move(text)), quoted, line);
}

void YamlBuilder::push_collection(YamlNode::Kind kind, size_t mark, int line) {
  auto& nodes = doc_.storage_->nodes;
  YamlNode n;
  n.kind_ = kind;
  n.line_ = line;
  n.first_ = static_cast<uint32_t>(nodes.size());
  n.count_ = static_cast<uint32_t>(stack_.size() - mark);
  nodes.insert(nodes.end(), stack_.begin() + static_cast<long>(mark), stack_.end());
  stack_.resize(mark);
  push(n);
}

YamlDocument YamlBuilder::finish() {
  auto& storage = *doc_.storage_;
  // The node array is complete: children can now point into it.
  auto resolve = [&](YamlNode& n) {
    if (n.count_) n.children_ = storage.nodes.data() + n.first_;
  };
  for (auto& n : storage.nodes) resolve(n);
  storage.root = stack_.at(0);  // each reader pushes exactly one root node
  resolve(storage.root);
  stack_.clear();
  return std::move(doc_);
}

namespace {

// Anchors and aliases share nodes in yaml-cpp but are copied here: a bound keeps a "billion
// laughs" document from taking all memory.
constexpr size_t kMaxNodes = 1'000'000;

void convert(const YAML::Node& node, YamlBuilder& out, size_t& budget, const std::string& file) {
  if (budget-- == 0) throw Error(file + ": the YAML expands to more than a million nodes (anchors and aliases)");
  int line = node.Mark().is_null() ? -1 : node.Mark().line;
  switch (node.Type()) {
    case YAML::NodeType::Scalar:
      out.push_decoded(node.Scalar(), node.Tag() == "!", line);
      return;
    case YAML::NodeType::Sequence: {
      size_t mark = out.mark();
      for (const auto& item : node) convert(item, out, budget, file);
      out.push_collection(YamlNode::Kind::sequence, mark, line);
      return;
    }
    case YAML::NodeType::Map: {
      size_t mark = out.mark();
      for (auto it = node.begin(); it != node.end(); ++it) {
        convert(it->first, out, budget, file);
        convert(it->second, out, budget, file);
      }
      out.push_collection(YamlNode::Kind::map, mark, line);
      return;
    }
    default:
      out.push_null(line);
  }
}

void describe_into(std::string& out, const YamlNode& node, int depth) {
  out += std::string(depth * 2, ' ') + std::to_string(node.line() + 1) + ": ";
  switch (node.kind()) {
    case YamlNode::Kind::undefined: out += "undefined\n"; break;
    case YamlNode::Kind::null: out += "null\n"; break;
    case YamlNode::Kind::scalar:
      out += (node.quoted() ? "quoted '" : "plain '");
      out += node.text();
      out += "'\n";
      break;
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

YamlDocument read_yaml_with_yaml_cpp(std::string_view text, const std::string& file) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    throw Error(file + ":" + std::to_string(e.mark.line + 1) + ": invalid YAML: " + e.msg);
  }
  YamlBuilder out("");  // yaml-cpp's scalars are copies: the text is not needed
  size_t budget = kMaxNodes;
  convert(root, out, budget, file);
  return out.finish();
}

YamlDocument load_yaml(std::string_view text, const std::string& file) {
  if (auto doc = read_yaml_subset(text)) return std::move(*doc);
  return read_yaml_with_yaml_cpp(text, file);
}

std::string describe(const YamlNode& node) {
  std::string out;
  describe_into(out, node, 0);
  return out;
}

}  // namespace dbmig
