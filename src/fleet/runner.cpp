#include <dbmig/fleet/child_process.hpp>
#include <dbmig/fleet/runner.hpp>
#include <dbmig/util/error.hpp>
#include <dbmig/util/run_report.hpp>

#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <thread>

namespace dbmig {
namespace {

volatile sig_atomic_t g_interrupted = 0;
extern "C" void on_interrupt(int) { g_interrupted = 1; }

// Ctrl-C (or SIGTERM) stops starting targets; the children get the signal too (from the
// terminal, or forwarded) and die, so the server rolls their open transactions back.
class InterruptGuard {
 public:
  InterruptGuard() {
    g_interrupted = 0;
    struct sigaction sa {};
    sa.sa_handler = on_interrupt;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;  // no SA_RESTART: poll() returns at once
    sigaction(SIGINT, &sa, &old_int_);
    sigaction(SIGTERM, &sa, &old_term_);
  }
  ~InterruptGuard() {
    sigaction(SIGINT, &old_int_, nullptr);
    sigaction(SIGTERM, &old_term_, nullptr);
  }

 private:
  struct sigaction old_int_ {}, old_term_ {};
};

// A private folder for the children's report files, removed at the end.
class ReportDir {
 public:
  ReportDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "dbmig-fleet.XXXXXX").string();
    if (!mkdtemp(tmpl.data())) throw Error("cannot create a temporary folder in " + std::filesystem::temp_directory_path().string());
    path_ = tmpl;
  }
  ~ReportDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::filesystem::path file(size_t i) const { return path_ / (std::to_string(i) + ".report"); }

 private:
  std::filesystem::path path_;
};

struct Running {
  size_t index;
  std::unique_ptr<ChildProcess> child;
  std::string last_error;  // the child's "dbmig: error: ..." line
};

std::string revisions_or_base(const std::string& joined) { return joined.empty() ? "base" : joined; }

void read_report(const std::filesystem::path& file, TargetResult& r) {
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    auto tab = line.find('\t');
    if (tab == std::string::npos) continue;
    std::string key = line.substr(0, tab), value = revisions_or_base(line.substr(tab + 1));
    if (key == "from" && !r.from) r.from = value;  // the first run's start, the last run's end
    else if (key == "to") r.to = value;
    else if (key == "current" && !r.current) r.current = value;
  }
}

}  // namespace

int run_fleet(const std::vector<FleetTarget>& targets, const FleetOptions& options) {
  InterruptGuard guard;
  ReportDir reports;
  const std::string self = self_executable();
  size_t jobs = options.jobs ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
  bool keep_going = options.keep_going || options.drift_table;
  std::vector<TargetResult> results(targets.size());
  for (size_t i = 0; i < targets.size(); ++i) results[i].target = targets[i].name;
  std::vector<Running> running;
  size_t next = 0;
  bool stop = false, forwarded = false;

  auto finish = [&](Running& run) {
    TargetResult& r = results[run.index];
    int code = run.child->wait();
    r.seconds = run.child->seconds();
    read_report(reports.file(run.index), r);
    if (code == 0) {
      r.status = "ok";
      if (options.check) r.clean = true;
    } else {
      r.status = "failed";
      if (!run.last_error.empty()) r.error = run.last_error;
      else if (options.check && code == 1) r.error = "models and database differ", r.clean = false;
      else if (code > 128) r.error = g_interrupted ? "interrupted" : "killed by signal " + std::to_string(code - 128);
      else r.error = "exited with code " + std::to_string(code);
      if (!keep_going) stop = true;
    }
  };
  auto start = [&](size_t i) {
    const FleetTarget& t = targets[i];
    if (!t.error.empty()) {
      results[i].status = "failed";
      results[i].error = t.error;
      std::cerr << "[" << t.name << "] dbmig: error: " << t.error << "\n";
      if (!keep_going) stop = true;
      return;
    }
    std::vector<std::string> args;
    if (!t.schema.empty()) args = {"--schema", t.schema};
    args.insert(args.end(), options.child_args.begin(), options.child_args.end());
    std::map<std::string, std::string> env{{"DBMIG_DATABASE_URL", t.url}, {kFleetReportEnv, reports.file(i).string()}};
    running.push_back({i, std::make_unique<ChildProcess>(self, args, env), ""});
  };

  while (true) {
    while (!stop && !g_interrupted && running.size() < jobs && next < targets.size()) start(next++);
    if (running.empty()) break;
    if (g_interrupted && !forwarded) {
      forwarded = true;
      for (auto& run : running) kill(run.child->pid(), SIGINT);
    }
    std::vector<pollfd> fds;
    std::vector<size_t> owner;
    for (size_t k = 0; k < running.size(); ++k)
      for (int fd : {running[k].child->out_fd(), running[k].child->err_fd()})
        if (fd >= 0) fds.push_back({fd, POLLIN, 0}), owner.push_back(k);
    if (poll(fds.data(), fds.size(), 500) < 0) continue;  // EINTR: look at the flag again
    for (size_t f = 0; f < fds.size(); ++f) {
      if (!(fds[f].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      Running& run = running[owner[f]];
      const std::string& name = targets[run.index].name;
      run.child->read(fds[f].fd, [&](int stream, const std::string& line) {
        if (stream == 1) {
          if (line.rfind("dbmig: error: ", 0) == 0) run.last_error = line.substr(14);
          std::cerr << "[" << name << "] " << line << "\n";
        } else if (!options.json && (!options.drift_table || options.check)) {
          std::cout << "[" << name << "] " << line << "\n";
        }
      });
    }
    std::cout.flush();
    for (size_t k = 0; k < running.size();) {
      if (running[k].child->finished_output()) {
        finish(running[k]);
        running.erase(running.begin() + static_cast<long>(k));
      } else {
        ++k;
      }
    }
  }
  for (auto& r : results)
    if (r.status == "skipped")
      r.error = g_interrupted ? "not started: interrupted" : "not started: an earlier target failed (--keep-going runs the rest)";
  print_fleet_summary(results, options);
  if (g_interrupted) return 130;
  for (const auto& r : results)
    if (r.status == "failed") return 1;
  return 0;
}

}  // namespace dbmig
