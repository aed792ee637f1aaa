#pragma once
// Terminal output: log set-up (progress on stderr, as Alembic prints it), colour only on a
// terminal, and a small JSON writer for --format json.
#include <string>
#include <vector>

namespace dbmig {

// verbosity: -1 quiet (warnings and errors), 0 normal, 1 verbose (SQL), 2 trace.
void setup_logging(int verbosity, bool color);

// Messages on stderr as Alembic prints them ("INFO  [dbmig] ..."), shown at the verbosity set
// up: warnings always, info unless -q, debug with -v, trace with -vv. spdlog is behind them,
// and only output.cpp includes it (it is compiled header-only, so once is enough).
void log_trace(const std::string& message);
void log_debug(const std::string& message);
void log_info(const std::string& message);
void log_warn(const std::string& message);
// Whether -v (debug) or -vv (trace) is on: per-statement messages are built only then.
bool log_debug_enabled();
bool log_trace_enabled();

// A number as printf's `format` prints it ("%g", "%.1f").
std::string format_double(const char* format, double value);

// Wraps text in an ANSI style when colour is on (stdout is a terminal and --no-color not given).
std::string bold(const std::string& text);
std::string green(const std::string& text);
void set_stdout_color(bool on);

std::string json_string(const std::string& text);
std::string json_array(const std::vector<std::string>& json_items);  // items already JSON
std::string json_string_array(const std::vector<std::string>& strings);

}  // namespace dbmig
