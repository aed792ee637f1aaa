#include <dbmig/importers/python_modules.hpp>
#include <dbmig/util/error.hpp>

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <future>
#include <sstream>
#include <thread>

extern char** environ;

namespace dbmig {
namespace fs = std::filesystem;

namespace {

struct Output {
  int status = -1;
  std::string out, err;
};

// Runs argv[0] from PATH with no stdin; collects stdout and stderr (both read as they come,
// so neither pipe can fill up and stall the child).
Output run(const std::vector<std::string>& args) {
  int out_pipe[2], err_pipe[2];
  // Close-on-exec, so a child started at the same time by another thread does not hold them open.
  if (pipe2(out_pipe, O_CLOEXEC) != 0 || pipe2(err_pipe, O_CLOEXEC) != 0) throw Error(std::string("cannot create a pipe: ") + std::strerror(errno));
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);
  for (int fd : {out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1]}) posix_spawn_file_actions_addclose(&actions, fd);
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(out_pipe[1]);
  close(err_pipe[1]);
  if (rc != 0) {
    close(out_pipe[0]);
    close(err_pipe[0]);
    throw Error("cannot run " + args[0] + " (" + std::strerror(rc) +
                "): 'dbmig import alembic' reads the revision modules with Python's own parser; install python3 "
                "or set DBMIG_PYTHON to a Python 3.8+ interpreter");
  }
  Output result;
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  std::string* sinks[2] = {&result.out, &result.err};
  int open_count = 2;
  char buf[65536];
  while (open_count > 0) {
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      ssize_t n = read(fds[i].fd, buf, sizeof buf);
      if (n > 0) {
        sinks[i]->append(buf, static_cast<size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_count;
      }
    }
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
  result.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw Error("cannot read " + p.string());
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

std::vector<PythonModule> parse_python_modules(const std::vector<fs::path>& files) {
  if (files.empty()) return {};
  const char* python = std::getenv("DBMIG_PYTHON");
  const std::vector<std::string> command = {python && *python ? python : "python3", "-I", "-c", python_ast_script()};
  // Python parses one module after another; a long history is split over the cores (in order,
  // so the modules come back as given), a short one takes one process.
  size_t parts = std::clamp<size_t>(std::thread::hardware_concurrency(), 1, 4);
  parts = std::min(parts, (files.size() + 199) / 200);
  std::vector<std::future<Output>> runs;
  for (size_t k = 0; k < parts; ++k) {
    auto args = command;
    for (size_t i = k * files.size() / parts; i < (k + 1) * files.size() / parts; ++i) args.push_back(files[i].string());
    runs.push_back(std::async(std::launch::async, run, std::move(args)));
  }
  std::vector<PythonModule> modules;
  for (auto& part : runs) {
    Output r = part.get();
    if (r.status != 0) {
      auto last = r.err.find_last_not_of('\n');
      std::string tail = r.err.substr(0, last == std::string::npos ? 0 : last + 1);
      tail = tail.substr(tail.rfind('\n') == std::string::npos ? 0 : tail.rfind('\n') + 1);
      throw Error(command[0] + " failed while parsing the revision modules (exit " + std::to_string(r.status) + "): " + tail);
    }
    nlohmann::json doc;
    try {
      doc = nlohmann::json::parse(r.out);
    } catch (const std::exception& e) {
      throw Error(std::string("cannot read the syntax trees printed by ") + command[0] + ": " + e.what());
    }
    for (auto& m : doc.at("modules")) {
      fs::path file = m.at("file").get<std::string>();
      if (m.contains("error")) {
        const auto& e = m["error"];
        throw Error(file.string() + ":" + std::to_string(e.value("line", 0)) + ": not a valid Python module (" +
                    e.value("message", std::string("invalid syntax")) + "); nothing was imported");
      }
      PythonModule mod;
      mod.file = file;
      mod.source = read_file(file);
      if (m["doc"].is_string()) mod.doc = m["doc"].get<std::string>();
      mod.body = std::move(m["body"]);
      modules.push_back(std::move(mod));
    }
  }
  return modules;
}

}  // namespace dbmig
