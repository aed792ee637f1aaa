// The summary of a fleet run: a table for people, one JSON document for deploy scripts.
#include <dbmig/fleet/runner.hpp>
#include <dbmig/util/output.hpp>

#include <algorithm>
#include <iostream>

namespace dbmig {
namespace {

std::string json_or_null(const std::optional<std::string>& s) { return s ? json_string(*s) : "null"; }

std::string yes_no(std::optional<bool> b) { return !b ? "?" : *b ? "yes" : "no"; }

std::vector<std::string> split(const std::string& joined) {
  std::vector<std::string> out;
  if (joined == "base") return out;
  size_t start = 0;
  for (size_t comma; (comma = joined.find(',', start)) != std::string::npos; start = comma + 1)
    out.push_back(joined.substr(start, comma - start));
  out.push_back(joined.substr(start));
  return out;
}

void print_rows(const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> width;
  for (const auto& row : rows)
    for (size_t c = 0; c < row.size(); ++c) {
      if (width.size() <= c) width.push_back(0);
      width[c] = std::max(width[c], row[c].size());
    }
  for (const auto& row : rows) {
    std::string line;
    for (size_t c = 0; c < row.size(); ++c) {
      line += row[c];
      if (c + 1 < row.size()) line += std::string(width[c] - row[c].size() + 2, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    std::cout << line << "\n";
  }
}

}  // namespace

void print_fleet_summary(const std::vector<TargetResult>& results, const FleetOptions& options) {
  auto head = [&](const TargetResult& r) -> std::optional<bool> {
    if (!r.current || !options.is_head) return std::nullopt;
    return options.is_head(split(*r.current));
  };
  if (options.json) {
    std::vector<std::string> items;
    for (const auto& r : results) {
      std::string item = "{\"target\": " + json_string(r.target) + ", \"from\": " + json_or_null(r.from ? r.from : r.current) +
                         ", \"to\": " + json_or_null(r.to ? r.to : r.current) + ", \"status\": " + json_string(r.status) +
                         ", \"seconds\": " + format_double("%.3f", r.seconds) +
                         ", \"error\": " + (r.error.empty() ? "null" : json_string(r.error));
      if (options.drift_table) {
        auto h = head(r);
        item += ", \"revision\": " + json_or_null(r.current) + ", \"head\": " + (h ? (*h ? "true" : "false") : "null") +
                ", \"clean\": " + (r.clean ? (*r.clean ? "true" : "false") : "null");
      }
      items.push_back(item + "}");
    }
    std::cout << "{\"targets\": " << json_array(items) << "}\n";
    return;
  }
  std::vector<std::vector<std::string>> rows;
  if (options.drift_table) {
    rows.push_back({"target", "revision", "head?", "clean?", "error"});
    for (const auto& r : results)
      rows.push_back({r.target, r.current.value_or("?"), yes_no(head(r)), options.check ? yes_no(r.clean) : "-", r.error});
  } else {
    rows.push_back({"target", "status", "from", "to", "seconds", "error"});
    for (const auto& r : results)
      rows.push_back({r.target, r.status, r.from.value_or("?"), r.to.value_or("?"), format_double("%.2f", r.seconds), r.error});
  }
  print_rows(rows);
}

}  // namespace dbmig
