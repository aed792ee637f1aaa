#include <dbmig/cli/completion_shells.hpp>
#include <dbmig/cli/help_formats.hpp>
#include <dbmig/util/error.hpp>

namespace dbmig {

// The keys of the first indented level under a top-level `targets:` mapping.
const char* const kTargetsAwk =
    R"(/^targets:/ {t = 1; ind = 0; next} /^[^ #]/ {t = 0} )"
    R"(t && match($0, /^ +[^ #-][^:]*:/) { n = match($0, /[^ ]/) - 1; if (!ind) ind = n; )"
    R"(if (n == ind) { s = substr($0, n + 1); sub(/:.*/, "", s); gsub(/"/, "", s); print s } })";

const char* const kRevisionIdsFilter = R"(grep -o '"revision": "[^"]*"' | cut -d'"' -f4)";

std::string completion_script(const CliCommand& cli, const std::string& shell) {
  if (shell == "bash") return bash_completion(cli);
  if (shell == "zsh") return zsh_completion(cli);
  if (shell == "fish") return fish_completion(cli);
  throw UsageError("unknown shell '" + shell + "' (bash, zsh or fish)");
}

}  // namespace dbmig
