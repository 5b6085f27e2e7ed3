// Shared helpers for the tagging tests: generated tone masters, scoped copies, shell commands.
#pragma once
#include "../support.hpp"

#include <array>
#include <cstdio>
#include <cstdlib>
#include <doctest/doctest.h>
#include <filesystem>
#include <fstream>
#include <liner/credits/toml.hpp>
#include <liner/tagging/tagging.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace liner::test {

namespace fs = std::filesystem;

inline const std::vector<std::string>& fixture_names() {
  static const std::vector<std::string> names = {
      "01 - Golden Seams.flac", "02 - Paper Lanterns.wav", "03 - Koenji Night Bus.mp3", "04 - Afterglow.m4a",
      "01 - Golden Seams.aiff", "02 - Paper Lanterns.ogg", "03 - Koenji Night Bus.opus"};
  return names;
}

inline std::string shell_quote(const std::string& s) {
  std::string o = "'";
  for (char c : s)
    o += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return o + "'";
}

// Output of a shell command (stdout), and its exit status.
inline std::string run(const std::string& cmd, int* status = nullptr) {
  std::string out;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) return out;
  std::array<char, 4096> buf{};
  std::size_t n = 0;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0)
    out.append(buf.data(), n);
  int rc = ::pclose(p);
  if (status) *status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
  return out;
}

// The generated tone masters (once per build tree; the script is idempotent and atomic).
inline fs::path audio_fixtures() {
  static const fs::path dir = [] {
    fs::path d = fs::path(LINER_BINARY_DIR) / "test-fixtures" / "audio";
    std::string cmd = shell_quote(std::string(LINER_SOURCE_DIR) + "/scripts/make-sample-audio.sh") + " " +
                      shell_quote(d.string()) + " >/dev/null";
    int rc = std::system(cmd.c_str());
    REQUIRE_MESSAGE(rc == 0, "scripts/make-sample-audio.sh failed (is ffmpeg installed?)");
    return d;
  }();
  return dir;
}

// A fresh folder with a copy of samples/ep.toml and audio/ holding copies of the tone masters.
inline fs::path scratch_release(const std::string& name) {
  fs::path d = scratch_dir(name);
  fs::create_directories(d / "audio");
  for (const auto& n : fixture_names())
    fs::copy_file(audio_fixtures() / n, d / "audio" / n);
  fs::copy_file(fs::path(LINER_SOURCE_DIR) / "samples" / "ep.toml", d / "ep.toml");
  return d;
}

inline std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline credits::Sheet load_sample(const fs::path& dir) {
  auto r = credits::load_sheet_toml((dir / "ep.toml").string());
  for (const auto& d : r.diagnostics)
    if (d.severity == Severity::Error) MESSAGE(d.location.str() << ": " << d.message);
  REQUIRE(r.ok());
  return r.sheet;
}

inline std::vector<std::string> audio_paths(const fs::path& dir) {
  std::vector<std::string> v;
  for (const auto& n : fixture_names())
    v.push_back((dir / "audio" / n).string());
  return v;
}

// MD5 of the decoded-free audio packets as FFmpeg sees them: an independent payload check.
inline std::string ffmpeg_packets_md5(const std::string& file) {
  return run("ffmpeg -nostdin -v error -i " + shell_quote(file) + " -map 0:a -c copy -f md5 - 2>/dev/null");
}

} // namespace liner::test
