#include <dbmig/fleet/child_process.hpp>
#include <dbmig/util/error.hpp>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>

extern char** environ;

namespace dbmig {

std::string self_executable() {
  char buf[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) throw Error(std::string("cannot find dbmig's own executable: ") + std::strerror(errno));
  return std::string(buf, static_cast<size_t>(n));
}

ChildProcess::ChildProcess(const std::string& program, const std::vector<std::string>& args,
                           const std::map<std::string, std::string>& env) {
  int out[2], err[2];
  if (pipe2(out, O_CLOEXEC) != 0) throw Error(std::string("pipe: ") + std::strerror(errno));
  if (pipe2(err, O_CLOEXEC) != 0) {
    close(out[0]), close(out[1]);
    throw Error(std::string("pipe: ") + std::strerror(errno));
  }
  std::vector<std::string> env_text;
  for (char** e = environ; *e; ++e) {
    std::string kv = *e;
    if (!env.count(kv.substr(0, kv.find('=')))) env_text.push_back(kv);
  }
  for (const auto& [k, v] : env) env_text.push_back(k + "=" + v);
  std::vector<char*> argv{const_cast<char*>(program.c_str())}, envp;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  for (auto& kv : env_text) envp.push_back(kv.data());
  envp.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err[1], 2);
  // The parent ignores nothing the child should inherit: SIGINT stays at its default there.
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t defaults;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGINT);
  sigaddset(&defaults, SIGTERM);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF);
  int rc = posix_spawn(&pid_, program.c_str(), &actions, &attr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  close(out[1]), close(err[1]);
  if (rc != 0) {
    close(out[0]), close(err[0]);
    throw Error("cannot start " + program + ": " + std::strerror(rc));
  }
  fds_[0] = out[0], fds_[1] = err[0];
}

ChildProcess::~ChildProcess() {
  for (int& fd : fds_)
    if (fd >= 0) close(fd);
  if (!waited_ && pid_ > 0) {  // only on an error path: never leave a zombie or an orphan
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
}

void ChildProcess::read(int fd, const std::function<void(int, const std::string&)>& line) {
  int stream = fd == fds_[0] ? 0 : 1;
  char buf[8192];
  ssize_t n = ::read(fd, buf, sizeof buf);
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) return;
  std::string& p = pending_[stream];
  if (n <= 0) {
    if (!p.empty()) line(stream, p);
    p.clear();
    close(fds_[stream]);
    fds_[stream] = -1;
    return;
  }
  p.append(buf, static_cast<size_t>(n));
  size_t start = 0;
  for (size_t nl; (nl = p.find('\n', start)) != std::string::npos; start = nl + 1) line(stream, p.substr(start, nl - start));
  p.erase(0, start);
}

int ChildProcess::wait() {
  int status = 0;
  while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  waited_ = true;
  ended_ = std::chrono::steady_clock::now();
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 1;
}

double ChildProcess::seconds() const {
  auto end = waited_ ? ended_ : std::chrono::steady_clock::now();
  return std::chrono::duration<double>(end - started_).count();
}

}  // namespace dbmig
