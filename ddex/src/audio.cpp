// liner ddex: technical details of audio masters (TagLib for the stream properties, libcrypto for hashes).
#include "common.hpp"

#include <aifffile.h>
#include <algorithm>
#include <cctype>
#include <fileref.h>
#include <filesystem>
#include <flacfile.h>
#include <fmt/format.h>
#include <fstream>
#include <liner/credits/error.hpp>
#include <liner/ddex/ddex.hpp>
#include <memory>
#include <mp4file.h>
#include <mpegfile.h>
#include <openssl/evp.h>
#include <wavfile.h>

namespace liner::ddex {
namespace {

std::string hex(const unsigned char* p, unsigned n) {
  std::string s;
  s.reserve(n * 2);
  for (unsigned i = 0; i < n; ++i)
    s += fmt::format("{:02x}", p[i]);
  return s;
}

struct EvpDeleter {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
using Evp = std::unique_ptr<EVP_MD_CTX, EvpDeleter>;

Evp evp(const EVP_MD* md) {
  Evp c(EVP_MD_CTX_new());
  if (!c || EVP_DigestInit_ex(c.get(), md, nullptr) != 1) throw Error("cannot initialise libcrypto digest");
  return c;
}

std::string finish(EVP_MD_CTX* c) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned n = 0;
  EVP_DigestFinal_ex(c, out, &n);
  return hex(out, n);
}

// Hashes a file with SHA-256 and MD5 in one pass; returns the size.
std::uint64_t hash_file(const std::string& path, std::string* sha, std::string* md5) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path, "cannot open audio file");
  Evp s = evp(EVP_sha256());
  Evp m = md5 ? evp(EVP_md5()) : Evp();
  std::vector<char> buf(1 << 20);
  std::uint64_t total = 0;
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    auto n = static_cast<std::size_t>(in.gcount());
    if (n == 0) break;
    total += n;
    EVP_DigestUpdate(s.get(), buf.data(), n);
    if (m) EVP_DigestUpdate(m.get(), buf.data(), n);
  }
  if (in.bad()) throw Error(path, "cannot read audio file");
  if (sha) *sha = finish(s.get());
  if (md5 && m) *md5 = finish(m.get());
  return total;
}

} // namespace

std::string sha256_hex(std::string_view data) {
  Evp s = evp(EVP_sha256());
  EVP_DigestUpdate(s.get(), data.data(), data.size());
  return finish(s.get());
}

std::string sha256_file(const std::string& path) {
  std::string sha;
  hash_file(path, &sha, nullptr);
  return sha;
}

std::string iso_duration(std::int64_t ms) {
  if (ms < 0) ms = 0;
  std::int64_t s = ms / 1000, frac = ms % 1000;
  std::int64_t h = s / 3600, m = (s / 60) % 60, sec = s % 60;
  std::string out = "PT";
  if (h) out += fmt::format("{}H", h);
  if (m) out += fmt::format("{}M", m);
  if (frac) {
    std::string f = fmt::format("{:03}", frac);
    while (!f.empty() && f.back() == '0')
      f.pop_back();
    out += fmt::format("{}.{}S", sec, f);
  } else if (sec || (!h && !m)) {
    out += fmt::format("{}S", sec);
  }
  return out;
}

std::optional<std::int64_t> parse_duration_ms(std::string_view s) {
  if (s.size() < 3 || s[0] != 'P') return std::nullopt;
  std::size_t i = 1;
  bool in_time = false, any = false;
  std::int64_t total = 0;
  while (i < s.size()) {
    if (s[i] == 'T') {
      if (in_time) return std::nullopt;
      in_time = true;
      ++i;
      continue;
    }
    std::int64_t whole = 0;
    std::size_t start = i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
      whole = whole * 10 + (s[i] - '0');
      if (whole > 100'000'000) return std::nullopt;
      ++i;
    }
    std::int64_t frac_ms = 0;
    bool frac = false;
    if (i < s.size() && (s[i] == '.' || s[i] == ',')) {
      frac = true;
      ++i;
      int digits = 0;
      std::size_t fs = i;
      while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
        if (digits < 3) frac_ms = frac_ms * 10 + (s[i] - '0'), ++digits;
        ++i;
      }
      if (i == fs) return std::nullopt;
      while (digits < 3)
        frac_ms *= 10, ++digits;
    }
    if (i == start || i >= s.size()) return std::nullopt;
    char u = s[i++];
    std::int64_t unit = 0;
    if (!in_time && u == 'D')
      unit = 86'400'000;
    else if (!in_time && u == 'W')
      unit = 7 * 86'400'000LL;
    else if (in_time && u == 'H')
      unit = 3'600'000;
    else if (in_time && u == 'M')
      unit = 60'000;
    else if (in_time && u == 'S')
      unit = 1000;
    else
      return std::nullopt;
    if (frac && u != 'S') return std::nullopt;
    total += whole * unit + (u == 'S' ? frac_ms : 0);
    any = true;
  }
  if (!any || s.back() == 'T') return std::nullopt;
  return total;
}

AudioInfo probe_audio(const std::string& path) {
  AudioInfo a;
  a.path = path;
  a.size = hash_file(path, &a.sha256, &a.md5);
  std::string ext = std::filesystem::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  TagLib::FileRef ref(path.c_str(), true, TagLib::AudioProperties::Accurate);
  if (ref.isNull() || !ref.audioProperties()) throw Error(path, "not a readable audio file");
  const auto* p = ref.audioProperties();
  a.sample_rate = p->sampleRate();
  a.channels = p->channels();
  a.bitrate_kbps = p->bitrate();
  a.duration_ms = p->lengthInMilliseconds();
  if (const auto* f = dynamic_cast<const TagLib::FLAC::Properties*>(p)) {
    a.codec = "FLAC", a.container = "FLAC", a.bits_per_sample = f->bitsPerSample();
  } else if (const auto* w = dynamic_cast<const TagLib::RIFF::WAV::Properties*>(p)) {
    a.codec = "PCM";
    a.container = "WAV";
    a.bits_per_sample = w->bitsPerSample();
  } else if (const auto* ai = dynamic_cast<const TagLib::RIFF::AIFF::Properties*>(p)) {
    a.codec = "PCM", a.container = "AIFF", a.bits_per_sample = ai->bitsPerSample();
  } else if (dynamic_cast<const TagLib::MPEG::Properties*>(p)) {
    a.codec = "MP3", a.container = "MP3";
  } else if (const auto* m = dynamic_cast<const TagLib::MP4::Properties*>(p)) {
    a.container = "MP4";
    if (m->codec() == TagLib::MP4::Properties::ALAC)
      a.codec = "ALAC", a.bits_per_sample = m->bitsPerSample();
    else
      a.codec = "AAC";
  } else {
    a.codec = "Unknown";
    a.container = ext.empty() ? "Unknown" : ext.substr(1);
  }
  // Lossless formats: the bit rate is implied; keep it only for lossy codecs.
  if (a.bits_per_sample > 0) a.bitrate_kbps = 0;
  return a;
}

} // namespace liner::ddex
