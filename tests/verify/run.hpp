// Helpers for verify's end-to-end and browser tests: run a command, read its output and exit code.
#pragma once
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/wait.h>

namespace liner::test {

struct Run {
  int code = -1;
  std::string out;
};

// Runs `command` with /bin/sh; standard output is captured, standard error passes through.
inline Run run(const std::string& command) {
  Run r;
  std::FILE* p = ::popen(command.c_str(), "r");
  if (!p) return r;
  std::array<char, 65536> buf{};
  std::size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0)
    r.out.append(buf.data(), n);
  int st = ::pclose(p);
  r.code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

// A path quoted for /bin/sh.
inline std::string q(const std::filesystem::path& p) {
  std::string s = p.string(), out = "'";
  for (char c : s)
    out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline void spit(const std::filesystem::path& p, const std::string& s) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << s;
}

// Headless Chromium with a fresh profile and no network chatter. Empty when it is not installed.
inline std::string chromium_command(const std::filesystem::path& profile) {
  for (const char* exe : {"chromium", "chromium-browser"}) {
    if (run(std::string("command -v ") + exe + " >/dev/null 2>&1 && echo yes").out.rfind("yes", 0) == 0)
      return std::string(exe) +
             " --headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
             "--disable-background-networking"
             " --disable-component-update --disable-sync --user-data-dir=" +
             q(profile);
  }
  return {};
}

} // namespace liner::test
