#include <dbmig/lint/report.hpp>
#include <dbmig/util/output.hpp>

namespace dbmig::lint {

namespace {

// GitHub's workflow-command escaping: data escapes %, CR and LF; properties also : and ,.
std::string gh_data(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '%') out += "%25";
    else if (c == '\r') out += "%0D";
    else if (c == '\n') out += "%0A";
    else out += c;
  }
  return out;
}
std::string gh_property(const std::string& s) {
  std::string out;
  for (char c : gh_data(s)) {
    if (c == ':') out += "%3A";
    else if (c == ',') out += "%2C";
    else out += c;
  }
  return out;
}

std::string where(const Finding& f) {
  std::string out = f.file.string();
  if (f.line > 0) out += ":" + std::to_string(f.line);
  return out;
}

}  // namespace

bool has_errors(const std::vector<Finding>& findings) {
  for (const auto& f : findings)
    if (f.level == Level::error) return true;
  return false;
}

std::string summary(const std::vector<Finding>& findings, size_t revisions) {
  size_t errors = 0;
  for (const auto& f : findings) errors += f.level == Level::error;
  size_t warnings = findings.size() - errors;
  std::string revs = std::to_string(revisions) + (revisions == 1 ? " revision" : " revisions");
  if (findings.empty()) return "no findings in " + revs;
  return std::to_string(errors) + (errors == 1 ? " error, " : " errors, ") + std::to_string(warnings) +
         (warnings == 1 ? " warning" : " warnings") + " in " + revs;
}

std::string format_findings(const std::vector<Finding>& findings, Format format) {
  std::string out;
  if (format == Format::json) {
    std::vector<std::string> items;
    for (const auto& f : findings)
      items.push_back("{\"rule\": " + json_string(f.rule) + ", \"level\": " + json_string(level_name(f.level)) +
                      ", \"revision\": " + json_string(f.revision) + ", \"op\": " + json_string(f.op) +
                      ", \"message\": " + json_string(f.message) + ", \"lock\": " + json_string(f.lock) +
                      ", \"safe\": " + json_string(f.safe) + ", \"file\": " + json_string(f.file.string()) +
                      ", \"line\": " + std::to_string(f.line) + "}");
    return "{\"findings\": " + json_array(items) + "}\n";
  }
  for (const auto& f : findings) {
    if (format == Format::github) {
      out += std::string("::") + level_name(f.level) + " file=" + gh_property(f.file.string());
      if (f.line > 0) out += ",line=" + std::to_string(f.line);
      out += ",title=" + gh_property("dbmig lint " + f.rule + " (" + f.revision + ")") + "::" +
             gh_data(f.op + ": " + f.message + "\nLock: " + f.lock + "\nSafe: " + f.safe) + "\n";
      continue;
    }
    out += where(f) + ": " + level_name(f.level) + " [" + f.rule + "] " + f.revision + " " + f.op + "\n";
    out += "  " + f.message + "\n";
    out += "  lock: " + f.lock + "\n";
    out += "  safe: " + f.safe + "\n";
  }
  return out;
}

}  // namespace dbmig::lint
