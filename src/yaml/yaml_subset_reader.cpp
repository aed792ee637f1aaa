// The fast reader behind load_yaml. It reads the YAML that dbmig writes and that people usually
// write by hand: block mappings and lists (lists nested in a key indented deeper than the key),
// flow collections that close on their line, plain scalars on one line, single- and double-quoted
// scalars on one line with the common escapes, comments. Anything else (anchors, tags, block
// scalars, multi-line scalars or flows, document markers, tabs, unusual characters, every syntax
// error) makes it give up, and yaml-cpp reads the text instead: it must never return a tree that
// differs from yaml-cpp's (fuzz_yaml checks exactly that).
#include <dbmig/yaml/yaml_node.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace dbmig {
namespace {

// YAML limits an implicit key to 1024 characters, and yaml-cpp enforces it.
constexpr size_t kMaxKey = 1000;

struct Unsupported {};  // thrown inside the reader: the text is outside the subset

[[noreturn]] void give_up() { throw Unsupported{}; }

// Characters that cannot start a plain scalar (YAML's indicators).
struct Indicators {
  bool is[256] = {};
  constexpr Indicators() {
    for (char c : std::string_view("-?:,[]{}#&*!|>'\"%@`")) is[static_cast<unsigned char>(c)] = true;
  }
};
constexpr Indicators kIndicators;
bool is_indicator(char c) { return kIndicators.is[static_cast<unsigned char>(c)]; }
bool is_flow_indicator(char c) { return c == ',' || c == '[' || c == ']' || c == '{' || c == '}'; }

// Characters read in a plain scalar inside a flow collection: those dbmig writes unquoted.
struct FlowPlainCharacters {
  bool ok[256] = {};
  constexpr FlowPlainCharacters() {
    for (int c = 0; c < 256; ++c)
      ok[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80 ||
              c == ' ' || c == '_' || c == '.' || c == '(' || c == ')' || c == '/' || c == '-' || c == '+' || c == '*';
  }
};
constexpr FlowPlainCharacters kFlowPlain;
bool flow_plain_character(char c) { return kFlowPlain.ok[static_cast<unsigned char>(c)]; }

bool null_word(std::string_view s) { return s == "~" || s == "null" || s == "Null" || s == "NULL"; }

// Text yaml-cpp might decode differently: control characters, invalid UTF-8, a byte-order mark,
// and the Unicode line breaks NEL, LS and PS.
bool plain_characters(std::string_view text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  size_t n = text.size();
  for (size_t i = 0; i < n;) {
    unsigned char c = s[i];
    if (c < 0x80) {
      if ((c < 0x20 && c != '\n') || c == 0x7f) return false;
      ++i;
      continue;
    }
    size_t len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 ? 2 : 0;
    if (len == 0 || c > 0xf4 || i + len > n) return false;
    for (size_t k = 1; k < len; ++k)
      if ((s[i + k] & 0xc0) != 0x80) return false;
    if (len == 3 && c == 0xe0 && s[i + 1] < 0xa0) return false;  // overlong
    if (len == 3 && c == 0xed && s[i + 1] >= 0xa0) return false;  // surrogate
    if (len == 4 && c == 0xf0 && s[i + 1] < 0x90) return false;  // overlong
    if (len == 4 && c == 0xf4 && s[i + 1] >= 0x90) return false;  // beyond U+10FFFF
    if (len == 2 && c == 0xc2 && s[i + 1] == 0x85) return false;  // NEL
    if (len == 3 && c == 0xe2 && s[i + 1] == 0x80 && (s[i + 2] == 0xa8 || s[i + 2] == 0xa9)) return false;  // LS, PS
    if (len == 3 && c == 0xef && s[i + 1] == 0xbb && s[i + 2] == 0xbf) return false;  // BOM
    i += len;
  }
  return true;
}

void append_utf8(std::string& out, unsigned long cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xc0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xe0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  }
}

class SubsetReader {
 public:
  explicit SubsetReader(std::string_view text) : out_(text), text_(out_.text()) {
    size_t begin = 0;
    for (;;) {
      size_t end = text_.find('\n', begin);
      if (end == std::string_view::npos) end = text_.size();
      lines_.push_back(text_.substr(begin, end - begin));
      if (end == text_.size()) break;
      begin = end + 1;
    }
  }

  YamlDocument document() {
    for (auto line : lines_) {
      // Directives and document markers.
      if (!line.empty() && line[0] == '%') give_up();
      if ((line.substr(0, 3) == "---" || line.substr(0, 3) == "...") && (line.size() == 3 || line[3] == ' ')) give_up();
    }
    next_content_line(0);
    if (row_ == lines_.size()) {
      out_.push_null(-1);
    } else {
      node_here(col_, static_cast<int>(col_) - 1, false);
      if (row_ != lines_.size()) give_up();  // content left at a shallower indent
    }
    return out_.finish();
  }

 private:
  YamlBuilder out_;
  std::string_view text_;  // the document's own copy: scalars point into it
  std::vector<std::string_view> lines_;
  size_t row_ = 0;  // the current line
  size_t col_ = 0;  // where the current node starts on it
  int depth_ = 0;

  struct DepthGuard {
    explicit DepthGuard(int& d) : depth(d) {
      if (++depth > 200) give_up();
    }
    ~DepthGuard() { --depth; }
    int& depth;
  };

  std::string_view line() const { return lines_[row_]; }
  int row() const { return static_cast<int>(row_); }
  char at(size_t col) const { return col < line().size() ? line()[col] : '\0'; }

  // A blank or comment-only line.
  static bool blank(std::string_view l) {
    size_t i = l.find_first_not_of(' ');
    return i == std::string_view::npos || l[i] == '#';
  }
  // Moves to the first line at or after `from` with content, col_ at its first character.
  void next_content_line(size_t from) {
    row_ = from;
    while (row_ < lines_.size() && blank(lines_[row_])) ++row_;
    col_ = row_ < lines_.size() ? lines_[row_].find_first_not_of(' ') : 0;
  }
  // The line yaml-cpp gives an empty value: that of the next token, or of the end of the text.
  int next_token_row() const { return row_ < lines_.size() ? row() : static_cast<int>(lines_.size()) - 1; }
  // After a value: only spaces and a comment may follow on the line.
  void end_of_line(size_t col) {
    size_t i = col;
    while (at(i) == ' ') ++i;
    if (i < line().size() && !(line()[i] == '#' && i > 0 && line()[i - 1] == ' ')) give_up();
  }
  bool starts_sequence_item(size_t col) const { return at(col) == '-' && (at(col + 1) == ' ' || at(col + 1) == '\0'); }

  // Where a block mapping key ends: the ':' followed by a space or the end of the line, or npos.
  size_t key_colon(size_t col) const {
    std::string_view l = line();
    if (col >= l.size()) return std::string_view::npos;
    char c = l[col];
    if (c == '"' || c == '\'') {
      size_t close = quoted_end(col);
      if (close != std::string_view::npos && close - col <= kMaxKey && at(close + 1) == ':' &&
          (at(close + 2) == ' ' || at(close + 2) == '\0'))
        return close + 1;
      return std::string_view::npos;
    }
    if (is_indicator(c)) return std::string_view::npos;
    for (size_t i = col; i < l.size(); ++i) {
      if (is_flow_indicator(l[i]) || (l[i] == '#' && l[i - 1] == ' ')) return std::string_view::npos;
      if (l[i] == ':' && (i + 1 == l.size() || l[i + 1] == ' ')) return i - col <= kMaxKey ? i : std::string_view::npos;
    }
    return std::string_view::npos;
  }
  // The closing quote of a quoted scalar that starts at col, or npos.
  size_t quoted_end(size_t col) const {
    std::string_view l = line();
    char q = l[col];
    for (size_t i = col + 1; i < l.size(); ++i) {
      if (q == '"' && l[i] == '\\') {
        ++i;
        continue;
      }
      if (l[i] == q) {
        if (q == '\'' && i + 1 < l.size() && l[i + 1] == '\'') {
          ++i;
          continue;
        }
        return i;
      }
    }
    return std::string_view::npos;
  }

  // Each reading function below pushes exactly one node.

  // The node that starts at column `col` of this line; then moves to the next content line,
  // which must not be deeper than `indent` (a deeper one would continue a multi-line scalar).
  // A list or a mapping may start on the line, except as a mapping's value (`in_map`): that is
  // "key: - a" or "key: a: b", which YAML does not allow.
  void node_here(size_t col, int indent, bool in_map) {
    DepthGuard guard(depth_);
    col_ = col;
    if (!in_map && starts_sequence_item(col)) return block_sequence();
    if (!in_map && key_colon(col) != std::string_view::npos) return block_map();
    end_of_line(inline_value(col));
    next_content_line(row_ + 1);
    if (row_ < lines_.size() && static_cast<int>(col_) > indent) give_up();
  }

  // The value after "key:" or "-" when nothing follows on the line: a node on the lines below,
  // indented deeper than `indent`, or null.
  void value_below(int indent, bool in_map) {
    next_content_line(row_ + 1);
    if (row_ == lines_.size() || static_cast<int>(col_) < indent) return out_.push_null(next_token_row());
    if (static_cast<int>(col_) == indent) {
      if (in_map && starts_sequence_item(col_)) give_up();  // a list at its key's own indent
      return out_.push_null(next_token_row());
    }
    node_here(col_, indent, false);
  }

  void block_map() {
    DepthGuard guard(depth_);
    const size_t indent = col_;
    const int start = row();
    const size_t mark = out_.mark();
    for (;;) {
      size_t colon = key_colon(col_);
      if (colon == std::string_view::npos) give_up();
      key_node(col_, colon);
      size_t v = colon + 1;
      while (at(v) == ' ') ++v;
      bool nothing = v >= line().size() || line()[v] == '#';
      if (nothing) value_below(static_cast<int>(indent), true);
      else node_here(v, static_cast<int>(indent), true);
      // Now at the next content line (or the end).
      if (row_ == lines_.size() || col_ < indent) break;
      if (col_ > indent || starts_sequence_item(col_)) give_up();
    }
    out_.push_collection(YamlNode::Kind::map, mark, start);
  }

  void block_sequence() {
    DepthGuard guard(depth_);
    const size_t indent = col_;
    const int start = row();
    const size_t mark = out_.mark();
    for (;;) {
      size_t v = indent + 1;
      while (at(v) == ' ') ++v;
      bool nothing = v >= line().size() || line()[v] == '#';
      if (nothing) value_below(static_cast<int>(indent), false);
      else node_here(v, static_cast<int>(indent), false);
      if (row_ == lines_.size() || col_ < indent) break;
      if (col_ > indent || !starts_sequence_item(col_)) give_up();
    }
    out_.push_collection(YamlNode::Kind::sequence, mark, start);
  }

  void key_node(size_t col, size_t colon) {
    char c = line()[col];
    if (c == '"' || c == '\'') {
      quoted(col);
      return;
    }
    size_t e = colon;
    while (e > col && line()[e - 1] == ' ') --e;
    plain(line().substr(col, e - col));
  }

  // A value that fits on its line: a flow collection, a quoted or a plain scalar. Returns the
  // column after it.
  size_t inline_value(size_t col) {
    char c = at(col);
    if (c == '[' || c == '{') return flow_node(col);
    if (c == '"' || c == '\'') return quoted(col);
    if (is_indicator(c) && !(c == '-' && at(col + 1) != ' ' && at(col + 1) != '\0')) give_up();
    std::string_view l = line();
    size_t i = col;
    while (i < l.size() && !(l[i] == '#' && l[i - 1] == ' ')) {
      if (l[i] == ':' && (i + 1 == l.size() || l[i + 1] == ' ')) give_up();  // "a: b: c"
      ++i;
    }
    size_t end = i;
    while (i > col && l[i - 1] == ' ') --i;
    plain(l.substr(col, i - col));
    return end;
  }

  void plain(std::string_view text) {
    if (null_word(text)) out_.push_null(row());
    else out_.push_scalar(text, false, row());
  }

  // Returns the column after the closing quote.
  size_t quoted(size_t col) {
    std::string_view l = line();
    char q = l[col];
    size_t close = quoted_end(col);
    if (close == std::string_view::npos) give_up();  // continues on the next line
    std::string_view inner = l.substr(col + 1, close - col - 1);
    if (inner.find(q == '"' ? '\\' : '\'') == std::string_view::npos) {
      out_.push_scalar(inner, true, row());
      return close + 1;
    }
    std::string decoded;
    for (size_t i = col + 1; i < close; ++i) {
      if (q == '\'' && l[i] == '\'') ++i;  // '' is one quote
      else if (q == '"' && l[i] == '\\') {
        i = escape(i + 1, decoded);
        continue;
      }
      decoded += l[i];
    }
    out_.push_decoded(std::move(decoded), true, row());
    return close + 1;
  }

  // Decodes the escape after a backslash at col; returns the column of its last character.
  size_t escape(size_t col, std::string& out) const {
    char c = at(col);
    switch (c) {
      case '\\': out += '\\'; return col;
      case '"': out += '"'; return col;
      case '/': out += '/'; return col;
      case 'n': out += '\n'; return col;
      case 't': out += '\t'; return col;
      case 'r': out += '\r'; return col;
      case 'x':
      case 'u':
      case 'U': {
        size_t digits = c == 'x' ? 2 : c == 'u' ? 4 : 8;
        unsigned long cp = 0;
        for (size_t k = 1; k <= digits; ++k) {
          char h = at(col + k);
          int d = h >= '0' && h <= '9' ? h - '0' : h >= 'a' && h <= 'f' ? h - 'a' + 10 : h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1;
          if (d < 0) give_up();
          cp = cp * 16 + static_cast<unsigned long>(d);
        }
        if (cp == 0 || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) give_up();
        append_utf8(out, cp);
        return col + digits;
      }
      default: give_up();
    }
  }

  // [a, b] or {k: v, ...}, closed on this line. Returns the column after it.
  size_t flow_node(size_t col) {
    DepthGuard guard(depth_);
    const bool is_list = at(col) == '[';
    const char close = is_list ? ']' : '}';
    const auto kind = is_list ? YamlNode::Kind::sequence : YamlNode::Kind::map;
    const size_t mark = out_.mark();
    size_t i = col + 1;
    auto skip = [&] {
      while (at(i) == ' ') ++i;
    };
    skip();
    if (at(i) == close) {
      out_.push_collection(kind, mark, row());
      return i + 1;
    }
    for (;;) {
      skip();
      if (is_list) {
        i = flow_value(i);
        skip();
        if (at(i) == ':') give_up();  // [a: b] is a mapping in a list
      } else {
        char c = at(i);
        if (c == '[' || c == '{') give_up();  // a collection as a key
        size_t key_start = i;
        i = flow_value(i);
        if (i - key_start > kMaxKey) give_up();
        skip();
        if (at(i) != ':' || at(i + 1) != ' ') give_up();  // {a} or {a:b}
        ++i;
        skip();
        if (at(i) == ',' || at(i) == '}') {
          out_.push_null(row());
        } else {
          i = flow_value(i);
          skip();
        }
      }
      if (at(i) == close) break;
      if (at(i) != ',') give_up();
      ++i;
      skip();
      if (at(i) == close || at(i) == ',') give_up();  // a trailing or empty entry
    }
    out_.push_collection(kind, mark, row());
    return i + 1;
  }

  // A node inside a flow collection: a nested collection, a quoted or a plain scalar. Returns
  // the column after it.
  size_t flow_value(size_t col) {
    char c = at(col);
    if (c == '[' || c == '{') return flow_node(col);
    if (c == '"' || c == '\'') return quoted(col);
    if (c == '\0' || (is_indicator(c) && !(c == '-' && at(col + 1) != ' ' && !is_flow_indicator(at(col + 1)) &&
                                           at(col + 1) != '\0')))
      give_up();
    std::string_view l = line();
    size_t i = col;
    for (; i < l.size(); ++i) {
      char ch = l[i];
      if (is_flow_indicator(ch)) break;
      if (ch == ':') {
        char next = i + 1 < l.size() ? l[i + 1] : '\0';
        if (next == ' ') break;
        if (next == '\0' || is_flow_indicator(next)) give_up();
        continue;
      }
      // yaml-cpp ends flow scalars at some characters the YAML spec allows ('?'): only the
      // characters dbmig writes unquoted are read here.
      if (!flow_plain_character(ch)) give_up();
    }
    if (i == l.size()) give_up();  // the collection does not close on this line
    size_t end = i;
    while (i > col && l[i - 1] == ' ') --i;
    plain(l.substr(col, i - col));
    return end;
  }
};

}  // namespace

std::optional<YamlDocument> read_yaml_subset(std::string_view text) {
  if (!plain_characters(text)) return std::nullopt;
  try {
    return SubsetReader(text).document();
  } catch (const Unsupported&) {
    return std::nullopt;
  }
}

}  // namespace dbmig
