#pragma once
// A child process with its stdout and stderr read through pipes, line by line.
#include <sys/types.h>

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace dbmig {

class ChildProcess {
 public:
  // Starts `program` with `args` (argv[1..]) and the environment with `env` set on top; stdin
  // is /dev/null.
  ChildProcess(const std::string& program, const std::vector<std::string>& args, const std::map<std::string, std::string>& env);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  // Open pipe ends to poll (stdout first), -1 once closed.
  int out_fd() const { return fds_[0]; }
  int err_fd() const { return fds_[1]; }
  // Reads what is there on `fd` and calls `line` for each complete line (stream 0 stdout,
  // 1 stderr); at end of file the rest is passed as a last line and the pipe closed.
  void read(int fd, const std::function<void(int stream, const std::string& line)>& line);
  bool finished_output() const { return fds_[0] < 0 && fds_[1] < 0; }
  // Waits for the process; the exit code, or 128 + signal when killed.
  int wait();
  double seconds() const;

 private:
  pid_t pid_ = -1;
  int fds_[2] = {-1, -1};
  std::string pending_[2];
  bool waited_ = false;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now(), ended_;
};

// This program's own executable, to start again.
std::string self_executable();

}  // namespace dbmig
