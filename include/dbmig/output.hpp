#pragma once
// Terminal output: log set-up (progress on stderr, as Alembic prints it), colour only on a
// terminal, and a small JSON writer for --format json.
#include <string>
#include <vector>

namespace dbmig {

// verbosity: -1 quiet (warnings and errors), 0 normal, 1 verbose (SQL), 2 trace.
void setup_logging(int verbosity, bool color);

// Wraps text in an ANSI style when colour is on (stdout is a terminal and --no-color not given).
std::string bold(const std::string& text);
std::string green(const std::string& text);
void set_stdout_color(bool on);

std::string json_string(const std::string& text);
std::string json_array(const std::vector<std::string>& json_items);  // items already JSON
std::string json_string_array(const std::vector<std::string>& strings);

}  // namespace dbmig
