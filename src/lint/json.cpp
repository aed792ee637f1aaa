#include <dbmig/lint/json.hpp>
#include <dbmig/util/error.hpp>

#include <cctype>
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

class JsonReader {
 public:
  explicit JsonReader(std::string_view text) : s_(text) {}

  Json value() {
    skip();
    if (i_ >= s_.size()) fail("unexpected end");
    Json j;
    char c = s_[i_];
    if (c == '{') {
      j.kind_ = Json::Kind::object;
      ++i_;
      skip();
      if (peek('}')) return j;
      do {
        skip();
        std::string key = string();
        skip();
        expect(':');
        j.members_.emplace_back(std::move(key), value());
        skip();
      } while (accept(','));
      expect('}');
    } else if (c == '[') {
      j.kind_ = Json::Kind::array;
      ++i_;
      skip();
      if (peek(']')) return j;
      do j.items_.push_back(value());
      while ((skip(), accept(',')));
      expect(']');
    } else if (c == '"') {
      j.kind_ = Json::Kind::string;
      j.text_ = string();
    } else if (s_.substr(i_, 4) == "true" || s_.substr(i_, 5) == "false") {
      j.kind_ = Json::Kind::boolean;
      j.flag_ = c == 't';
      i_ += j.flag_ ? 4 : 5;
    } else if (s_.substr(i_, 4) == "null") {
      i_ += 4;
    } else {
      size_t start = i_;
      while (i_ < s_.size() && (std::isdigit(static_cast<unsigned char>(s_[i_])) || s_[i_] == '-' || s_[i_] == '+' ||
                                s_[i_] == '.' || s_[i_] == 'e' || s_[i_] == 'E'))
        ++i_;
      if (start == i_) fail("unexpected character");
      j.kind_ = Json::Kind::number;
      j.text_ = std::string(s_.substr(start, i_ - start));
    }
    return j;
  }

  void end() {
    skip();
    if (i_ != s_.size()) fail("trailing text");
  }

 private:
  [[noreturn]] void fail(const char* what) { throw Error("internal: bad JSON from the SQL parser (" + std::string(what) + ")"); }
  void skip() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\n' || s_[i_] == '\t' || s_[i_] == '\r')) ++i_;
  }
  bool peek(char c) {
    if (i_ < s_.size() && s_[i_] == c) {
      ++i_;
      return true;
    }
    return false;
  }
  bool accept(char c) { return peek(c); }
  void expect(char c) {
    if (!accept(c)) fail("unexpected character");
  }
  static void utf8(std::string& out, unsigned cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }
  unsigned hex4() {
    if (i_ + 4 > s_.size()) fail("short \\u escape");
    unsigned v = 0;
    for (int k = 0; k < 4; ++k) {
      char h = s_[i_++];
      v = v * 16 + (h >= '0' && h <= '9' ? h - '0' : h >= 'a' && h <= 'f' ? h - 'a' + 10 : h >= 'A' && h <= 'F' ? h - 'A' + 10 : 0);
    }
    return v;
  }
  std::string string() {
    expect('"');
    std::string out;
    while (i_ < s_.size() && s_[i_] != '"') {
      char c = s_[i_++];
      if (c != '\\') {
        out += c;
        continue;
      }
      if (i_ >= s_.size()) fail("unterminated string");
      char e = s_[i_++];
      switch (e) {
        case 'n': out += '\n'; break;
        case 't': out += '\t'; break;
        case 'r': out += '\r'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'u': {
          unsigned cp = hex4();
          if (cp >= 0xD800 && cp < 0xDC00 && i_ + 6 <= s_.size() && s_[i_] == '\\' && s_[i_ + 1] == 'u') {
            i_ += 2;
            unsigned lo = hex4();
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          }
          utf8(out, cp);
          break;
        }
        default: out += e;
      }
    }
    expect('"');
    return out;
  }

  std::string_view s_;
  size_t i_ = 0;
};

Json Json::parse(std::string_view text) {
  JsonReader r(text);
  Json j = r.value();
  r.end();
  return j;
}

}  // namespace dbmig::lint
