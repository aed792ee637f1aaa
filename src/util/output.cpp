#include <dbmig/util/output.hpp>

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdio>

namespace dbmig {
namespace {

bool g_color = false;

// Level names as Alembic prints them: "INFO  [dbmig] ...".
class UpperLevel : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&, spdlog::memory_buf_t& dest) override {
    static const char* names[] = {"TRACE", "DEBUG", "INFO ", "WARN ", "ERROR", "FATAL", "     "};
    std::string_view n = names[msg.level];
    dest.append(n.data(), n.data() + n.size());
  }
  std::unique_ptr<custom_flag_formatter> clone() const override { return std::make_unique<UpperLevel>(); }
};

}  // namespace

void setup_logging(int verbosity, bool color) {
  auto sink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>(color ? spdlog::color_mode::automatic
                                                                          : spdlog::color_mode::never);
  auto logger = std::make_shared<spdlog::logger>("dbmig", sink);
  auto formatter = std::make_unique<spdlog::pattern_formatter>();
  formatter->add_flag<UpperLevel>('*').set_pattern("%^%*%$ [dbmig] %v");
  logger->set_formatter(std::move(formatter));
  logger->set_level(verbosity < 0    ? spdlog::level::warn
                    : verbosity == 0 ? spdlog::level::info
                    : verbosity == 1 ? spdlog::level::debug
                                     : spdlog::level::trace);
  spdlog::set_default_logger(logger);
}

void log_trace(const std::string& m) { spdlog::default_logger_raw()->log(spdlog::level::trace, spdlog::string_view_t(m)); }
void log_debug(const std::string& m) { spdlog::default_logger_raw()->log(spdlog::level::debug, spdlog::string_view_t(m)); }
void log_info(const std::string& m) { spdlog::default_logger_raw()->log(spdlog::level::info, spdlog::string_view_t(m)); }
void log_warn(const std::string& m) { spdlog::default_logger_raw()->log(spdlog::level::warn, spdlog::string_view_t(m)); }

std::string format_double(const char* format, double value) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, value);
  return buf;
}

bool log_debug_enabled() { return spdlog::default_logger_raw()->should_log(spdlog::level::debug); }
bool log_trace_enabled() { return spdlog::default_logger_raw()->should_log(spdlog::level::trace); }

void set_stdout_color(bool on) { g_color = on; }
std::string bold(const std::string& t) { return g_color ? "\033[1m" + t + "\033[0m" : t; }
std::string green(const std::string& t) { return g_color ? "\033[32m" + t + "\033[0m" : t; }

std::string json_string(const std::string& text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

std::string json_array(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + items[i];
  return out + "]";
}

std::string json_string_array(const std::vector<std::string>& strings) {
  std::vector<std::string> items;
  for (const auto& s : strings) items.push_back(json_string(s));
  return json_array(items);
}

}  // namespace dbmig
