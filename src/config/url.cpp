#include <dbmig/util/error.hpp>
#include <dbmig/config/url.hpp>

#include <cctype>
#include <cstdio>

namespace dbmig {
namespace {

std::string percent_decode(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::string percent_encode(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') out += static_cast<char>(c);
    else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

// Masks the password in a URL text without needing it to parse (used for error messages).
std::string mask_text(const std::string& text) {
  auto scheme_end = text.find("://");
  if (scheme_end == std::string::npos) return text;
  auto auth_start = scheme_end + 3;
  auto at = text.find('@', auth_start);
  auto slash = text.find('/', auth_start);
  if (at == std::string::npos || (slash != std::string::npos && slash < at)) return text;
  auto colon = text.find(':', auth_start);
  if (colon == std::string::npos || colon > at) return text;
  return text.substr(0, colon + 1) + "***" + text.substr(at);
}

}  // namespace

std::string DatabaseUrl::masked() const {
  // The password may also stand elsewhere in the text (percent-encoded or not): never show it.
  std::string out = mask_text(original);
  if (!password.empty()) out = redact(redact(out, password), percent_encode(password));
  if (auto p = params.find("password"); p != params.end() && !p->second.empty()) out = redact(out, p->second);
  return out;
}

std::string redact(std::string text, const std::string& secret) {
  if (secret.empty()) return text;
  for (size_t pos = text.find(secret); pos != std::string::npos; pos = text.find(secret, pos + 3))
    text.replace(pos, secret.size(), "***");
  return text;
}

DatabaseUrl parse_url(const std::string& text) {
  DatabaseUrl url;
  url.original = text;
  auto scheme_end = text.find("://");
  if (scheme_end == std::string::npos)
    throw Error("invalid database URL '" + mask_text(text) +
                "': expected sqlite:///PATH or postgresql://USER@HOST/DB");
  std::string scheme = text.substr(0, scheme_end);
  // Only then is it safe to quote the rest of the URL (masked) in messages.
  if (scheme.empty() || scheme.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-.") != std::string::npos)
    throw Error("invalid database URL: the part before '://' must be a scheme such as sqlite or postgresql");
  if (auto plus = scheme.find('+'); plus != std::string::npos) scheme = scheme.substr(0, plus);
  std::string rest = text.substr(scheme_end + 3);

  if (scheme == "sqlite") {
    url.dialect = DialectKind::sqlite;
    if (rest.empty() || rest[0] != '/')
      throw Error("invalid database URL '" + text + "': use sqlite:///relative.db or sqlite:////absolute.db");
    url.sqlite_path = percent_decode(rest.substr(1));
    if (url.sqlite_path.empty())
      throw Error("invalid database URL '" + text + "': no database file named");
    return url;
  }
  if (scheme != "postgresql" && scheme != "postgres")
    throw Error("unsupported database URL scheme '" + scheme + "' in '" + mask_text(text) +
                "': dbmig supports sqlite and postgresql");

  url.dialect = DialectKind::postgresql;
  std::string query;
  if (auto q = rest.find('?'); q != std::string::npos) {
    query = rest.substr(q + 1);
    rest = rest.substr(0, q);
  }
  std::string authority = rest, path;
  if (auto slash = rest.find('/'); slash != std::string::npos) {
    authority = rest.substr(0, slash);
    path = rest.substr(slash + 1);
  }
  if (auto at = authority.rfind('@'); at != std::string::npos) {
    std::string userinfo = authority.substr(0, at);
    authority = authority.substr(at + 1);
    if (auto colon = userinfo.find(':'); colon != std::string::npos) {
      url.user = percent_decode(userinfo.substr(0, colon));
      url.password = percent_decode(userinfo.substr(colon + 1));
    } else {
      url.user = percent_decode(userinfo);
    }
  }
  if (!authority.empty() && authority[0] == '[') {  // [ipv6]:port
    auto close = authority.find(']');
    if (close == std::string::npos) throw Error("invalid database URL '" + mask_text(text) + "': unclosed '['");
    url.host = authority.substr(1, close - 1);
    if (close + 1 < authority.size() && authority[close + 1] == ':') url.port = authority.substr(close + 2);
  } else if (auto colon = authority.rfind(':'); colon != std::string::npos) {
    url.host = percent_decode(authority.substr(0, colon));
    url.port = authority.substr(colon + 1);
  } else {
    url.host = percent_decode(authority);
  }
  if (!url.port.empty() && url.port.find_first_not_of("0123456789") != std::string::npos)
    throw Error("invalid database URL '" + mask_text(text) + "': port '" + url.port + "' is not a number");
  url.dbname = percent_decode(path);
  while (!query.empty()) {
    auto amp = query.find('&');
    std::string pair = query.substr(0, amp);
    query = amp == std::string::npos ? "" : query.substr(amp + 1);
    if (pair.empty()) continue;
    auto eq = pair.find('=');
    if (eq == std::string::npos)
      throw Error("invalid database URL '" + mask_text(text) + "': query parameter '" + pair + "' has no value");
    url.params[percent_decode(pair.substr(0, eq))] = percent_decode(pair.substr(eq + 1));
  }
  return url;
}

}  // namespace dbmig
