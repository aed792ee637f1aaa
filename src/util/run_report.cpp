#include <dbmig/util/run_report.hpp>

#include <cstdlib>
#include <fstream>

namespace dbmig {
namespace {

// One "key<TAB>revisions" line per call, revisions joined by commas ("" is base).
void write(const char* key, const std::vector<std::string>& revisions) {
  const char* path = std::getenv(kFleetReportEnv);
  if (!path || !*path) return;
  std::ofstream out(path, std::ios::app);
  out << key << '\t';
  for (size_t i = 0; i < revisions.size(); ++i) out << (i ? "," : "") << revisions[i];
  out << '\n';
}

}  // namespace

void report_from(const std::vector<std::string>& heads) { write("from", heads); }
void report_to(const std::vector<std::string>& heads) { write("to", heads); }

void report_current(const std::vector<std::string>& heads) { write("current", heads); }

}  // namespace dbmig
