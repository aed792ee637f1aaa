#pragma once
// A YAML document as dbmig reads it: null, text (plain or quoted), lists and mappings, each node
// with the line it starts on. The subset dbmig writes (block mappings and lists, one-line flow
// collections, plain and quoted scalars) is read by a small reader of its own; anything outside
// that subset goes to yaml-cpp, and both give the same tree (a differential fuzz target checks).
// yaml-cpp alone spends ~0.3 ms per kilobyte, more than the DDL of a revision takes to run.
//
// Nodes live in one array owned by their YamlDocument and point into its text: reading a
// thousand-table revision allocates a handful of times, not once per node.
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace dbmig {

class YamlNode {
 public:
  enum class Kind : unsigned char { undefined, null, scalar, sequence, map };
  struct Entry {
    const YamlNode& key;
    const YamlNode& value;
  };
  // A mapping's entries in the order written (duplicates kept: the checks report them).
  class Entries {
   public:
    explicit Entries(std::span<const YamlNode> nodes) : nodes_(nodes) {}
    size_t size() const { return nodes_.size() / 2; }
    Entry operator[](size_t i) const { return {nodes_[2 * i], nodes_[2 * i + 1]}; }
    struct iterator {
      const YamlNode* at;
      Entry operator*() const { return {at[0], at[1]}; }
      iterator& operator++() {
        at += 2;
        return *this;
      }
      bool operator!=(const iterator& o) const { return at != o.at; }
    };
    iterator begin() const { return {nodes_.data()}; }
    iterator end() const { return {nodes_.data() + nodes_.size()}; }

   private:
    std::span<const YamlNode> nodes_;
  };

  YamlNode() = default;  // undefined: what a missing key gives

  Kind kind() const { return kind_; }
  explicit operator bool() const { return kind_ != Kind::undefined; }
  bool is_null() const { return kind_ == Kind::null; }
  bool is_scalar() const { return kind_ == Kind::scalar; }
  bool is_sequence() const { return kind_ == Kind::sequence; }
  bool is_map() const { return kind_ == Kind::map; }

  std::string_view text() const { return text_; }  // of a scalar
  bool quoted() const { return quoted_; }           // written in quotes: never null, bool or number
  int line() const { return line_; }                // 0-based; -1 when unknown
  size_t size() const { return is_map() ? count_ / 2 : count_; }
  std::span<const YamlNode> items() const;  // of a sequence; empty for anything else
  Entries entries() const;                  // of a mapping; empty for anything else
  // The value of the first entry whose key is this text; undefined when there is none.
  const YamlNode& operator[](std::string_view key) const;

  bool operator==(const YamlNode& other) const;  // same tree, text and lines

 private:
  friend class YamlBuilder;
  Kind kind_ = Kind::undefined;
  bool quoted_ = false;
  int line_ = -1;
  std::string_view text_;
  const YamlNode* children_ = nullptr;  // a sequence's items, or a mapping's keys and values in turn
  uint32_t first_ = 0;                  // where children_ will point in the document, while building
  uint32_t count_ = 0;
};

// Owns the nodes of one document and the text they point into.
class YamlDocument {
 public:
  const YamlNode& root() const { return storage_->root; }

 private:
  friend class YamlBuilder;
  struct Storage {
    std::string text;
    std::deque<std::string> decoded;  // scalars whose text is not a piece of `text` (escapes)
    std::vector<YamlNode> nodes;      // every node but the root; a collection's children adjacent
    YamlNode root;
  };
  std::unique_ptr<Storage> storage_ = std::make_unique<Storage>();
};

// Builds a document: children are pushed on a stack and become one adjacent run of the node
// array when their collection ends. Used by both readers.
class YamlBuilder {
 public:
  explicit YamlBuilder(std::string_view text);
  std::string_view text() const { return doc_.storage_->text; }
  size_t mark() const { return stack_.size(); }  // where the children of a new collection start
  void push_null(int line);
  void push_scalar(std::string_view piece_of_text, bool quoted, int line);
  void push_decoded(std::string text, bool quoted, int line);
  void push_collection(YamlNode::Kind kind, size_t mark, int line);  // the children pushed since mark
  YamlDocument finish();  // the one node left on the stack is the root

 private:
  void push(YamlNode node);
  YamlDocument doc_;
  std::vector<YamlNode> stack_;
};

// Parses a document; a syntax error becomes dbmig::Error "file:line: invalid YAML: ...".
YamlDocument load_yaml(std::string_view text, const std::string& file);

// The two readers behind load_yaml, for tests: the subset reader gives nullopt for any text
// outside its subset; yaml-cpp reads everything.
std::optional<YamlDocument> read_yaml_subset(std::string_view text);
YamlDocument read_yaml_with_yaml_cpp(std::string_view text, const std::string& file);

// The tree as indented text with line numbers, for test failure messages.
std::string describe(const YamlNode& node);

}  // namespace dbmig
