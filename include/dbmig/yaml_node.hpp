#pragma once
// A YAML document as dbmig reads it: null, text (plain or quoted), lists and mappings, each node
// with the line it starts on. The subset dbmig writes (block mappings and lists, one-line flow
// collections, plain and quoted scalars) is read by a small reader of its own; anything outside
// that subset goes to yaml-cpp, and both give the same tree (a differential fuzz target checks).
// yaml-cpp alone spends ~0.3 ms per kilobyte, more than the DDL of a revision takes to run.
#include <optional>
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
    explicit Entries(const std::vector<YamlNode>& nodes) : nodes_(nodes) {}
    size_t size() const { return nodes_.size() / 2; }
    Entry operator[](size_t i) const { return {nodes_[2 * i], nodes_[2 * i + 1]}; }
    struct iterator {
      const YamlNode* at;
      Entry operator*() const { return {at[0], at[1]}; }
      iterator& operator++() { at += 2; return *this; }
      bool operator!=(const iterator& o) const { return at != o.at; }
    };
    iterator begin() const { return {nodes_.data()}; }
    iterator end() const { return {nodes_.data() + nodes_.size()}; }

   private:
    const std::vector<YamlNode>& nodes_;
  };

  YamlNode() = default;  // undefined: what a missing key gives
  static YamlNode null(int line);
  static YamlNode scalar(std::string text, bool quoted, int line);
  static YamlNode sequence(std::vector<YamlNode> items, int line);
  static YamlNode map(std::vector<YamlNode> keys_and_values, int line);  // key, value, key, value...

  Kind kind() const { return kind_; }
  explicit operator bool() const { return kind_ != Kind::undefined; }
  bool is_null() const { return kind_ == Kind::null; }
  bool is_scalar() const { return kind_ == Kind::scalar; }
  bool is_sequence() const { return kind_ == Kind::sequence; }
  bool is_map() const { return kind_ == Kind::map; }

  const std::string& text() const { return text_; }  // of a scalar
  bool quoted() const { return quoted_; }             // written in quotes: never null, bool or number
  int line() const { return line_; }                  // 0-based; -1 when unknown
  size_t size() const { return is_map() ? children_.size() / 2 : children_.size(); }
  const std::vector<YamlNode>& items() const;  // of a sequence; empty for anything else
  Entries entries() const;                     // of a mapping; empty for anything else
  // The value of the first entry whose key is this text; undefined when there is none.
  const YamlNode& operator[](std::string_view key) const;

  bool operator==(const YamlNode& other) const;

 private:
  Kind kind_ = Kind::undefined;
  bool quoted_ = false;
  int line_ = -1;
  std::string text_;
  std::vector<YamlNode> children_;  // a sequence's items, or a mapping's keys and values in turn
};

// Parses a document; a syntax error becomes dbmig::Error "file:line: invalid YAML: ...".
YamlNode load_yaml(std::string_view text, const std::string& file);

// The two readers behind load_yaml, for tests: the subset reader gives nullopt for any text
// outside its subset; yaml-cpp reads everything.
std::optional<YamlNode> read_yaml_subset(std::string_view text);
YamlNode read_yaml_with_yaml_cpp(std::string_view text, const std::string& file);

// The tree as indented text with line numbers, for test failure messages.
std::string describe(const YamlNode& node);

}  // namespace dbmig
