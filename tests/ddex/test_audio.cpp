#include "../support.hpp"
#include "xsd.hpp"

#include <cstdint>
#include <cstdlib>
#include <doctest/doctest.h>
#include <filesystem>
#include <fstream>
#include <liner/credits/error.hpp>
#include <liner/credits/toml.hpp>
#include <liner/ddex/ddex.hpp>

using namespace liner;
namespace fs = std::filesystem;

namespace {

void put16(std::ofstream& f, std::uint16_t v) {
  f.put(static_cast<char>(v & 0xff)), f.put(static_cast<char>(v >> 8));
}
void put32(std::ofstream& f, std::uint32_t v) {
  for (int i = 0; i < 4; ++i)
    f.put(static_cast<char>((v >> (8 * i)) & 0xff));
}

// A PCM WAV of `seconds` of a quiet ramp.
void write_wav(const fs::path& p, int seconds, int rate = 44100, int bits = 16, int channels = 2) {
  std::ofstream f(p, std::ios::binary);
  std::uint32_t frames = static_cast<std::uint32_t>(seconds * rate);
  std::uint32_t bytes = frames * static_cast<std::uint32_t>(channels * bits / 8);
  f.write("RIFF", 4), put32(f, 36 + bytes), f.write("WAVE", 4);
  f.write("fmt ", 4), put32(f, 16), put16(f, 1), put16(f, static_cast<std::uint16_t>(channels)),
      put32(f, static_cast<std::uint32_t>(rate));
  put32(f, static_cast<std::uint32_t>(rate * channels * bits / 8)),
      put16(f, static_cast<std::uint16_t>(channels * bits / 8)), put16(f, static_cast<std::uint16_t>(bits));
  f.write("data", 4), put32(f, bytes);
  for (std::uint32_t i = 0; i < bytes; ++i)
    f.put(static_cast<char>(i % 7));
}

bool have(const char* tool) {
  return std::system((std::string("command -v ") + tool + " >/dev/null 2>&1").c_str()) == 0;
}

// Audio masters for the sample sheet under dir/audio (WAV always; FLAC/MP3/M4A when ffmpeg is there).
int make_masters(const fs::path& dir, const credits::Sheet& s) {
  fs::create_directories(dir / "audio");
  fs::path wav = dir / "master.wav";
  write_wav(wav, 3);
  int made = 0;
  for (const auto& t : s.tracks) {
    fs::path out = dir / t.file;
    if (out.extension() == ".wav") {
      fs::copy_file(wav, out, fs::copy_options::overwrite_existing), ++made;
      continue;
    }
    if (!have("ffmpeg")) continue;
    std::string cmd = "ffmpeg -loglevel error -y -i '" + wav.string() + "' '" + out.string() + "'";
    if (std::system(cmd.c_str()) == 0) ++made;
  }
  return made;
}

} // namespace

TEST_CASE("probe_audio reads a WAV master and hashes it") {
  auto dir = test::scratch_dir("ddex-audio-probe");
  write_wav(dir / "a.wav", 2, 48000, 24, 2);
  auto a = ddex::probe_audio((dir / "a.wav").string());
  CHECK(a.codec == "PCM");
  CHECK(a.sample_rate == 48000);
  CHECK(a.bits_per_sample == 24);
  CHECK(a.channels == 2);
  CHECK(a.duration_ms == 2000);
  CHECK(a.size == fs::file_size(dir / "a.wav"));
  CHECK(a.sha256.size() == 64);
  CHECK(a.sha256 == ddex::sha256_file((dir / "a.wav").string()));
  CHECK(ddex::sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK_THROWS_AS(ddex::probe_audio((dir / "missing.wav").string()), liner::Error);
}

TEST_CASE("technical details from the audio masters; package lays out a delivery") {
  auto dir = test::scratch_dir("ddex-audio-build");
  auto lr = credits::load_sheet_toml(std::string(LINER_SOURCE_DIR) + "/samples/ep.toml");
  REQUIRE(lr.ok());
  auto sheet = lr.sheet;
  int made = make_masters(dir, sheet);
  REQUIRE(made >= 1);
  ddex::BuildOptions o;
  o.audio_dir = dir.string();
  auto r = ddex::build_ern43(sheet, o);
  REQUIRE(r.ok());
  CHECK(r.xml.find("<TechnicalDetails>") != std::string::npos);
  CHECK(r.xml.find("<Algorithm>SHA-256</Algorithm>") != std::string::npos);
  CHECK(r.xml.find("<URI>resources/02 - Paper Lanterns.wav</URI>") != std::string::npos);
  CHECK(r.xml.find("<AudioCodecType>PCM</AudioCodecType>") != std::string::npos);
  CHECK(r.xml.find("<HashSumValue>" + r.audio[1].sha256 + "</HashSumValue>") != std::string::npos);
  if (made == 4) {
    CHECK(r.xml.find("<AudioCodecType>FLAC</AudioCodecType>") != std::string::npos);
    CHECK(r.xml.find("<AudioCodecType>MP3</AudioCodecType>") != std::string::npos);
    CHECK(r.xml.find("<AudioCodecType>AAC</AudioCodecType>") != std::string::npos);
  }
  auto errors = test::xsd_errors(r.xml);
  std::string all;
  for (const auto& e : errors)
    all += e + "\n";
  CHECK_MESSAGE(errors.empty(), all);
  // Same files -> byte-identical message.
  CHECK(ddex::build_ern43(sheet, o).xml == r.xml);

  if (made == 4) {
    auto out = dir / "delivery";
    auto p = ddex::package(sheet, o, out.string());
    REQUIRE(p.ok());
    CHECK(fs::exists(p.message_path));
    CHECK(p.files.size() == 4);
    for (const auto& f : p.files) {
      auto name = fs::path(f).filename().string();
      CHECK(r.xml.find("<URI>resources/" + name + "</URI>") != std::string::npos);
      CHECK(r.xml.find(ddex::sha256_file(f)) != std::string::npos);
    }
    ddex::Validator v({.schema_dir = std::string(LINER_SHARED_DIR) + "/ddex/schemas", .rules = true});
    CHECK(v.validate_file(p.message_path).ok());
  }
  // A delivery without its audio is refused, nothing written.
  ddex::BuildOptions none;
  none.audio_dir = (dir / "nowhere").string();
  auto p = ddex::package(sheet, none, (dir / "empty").string());
  CHECK(!p.ok());
  CHECK(p.diagnostics.has_code("ddex-package-missing-audio"));
  CHECK(!fs::exists(dir / "empty"));
}
