// liner's own renderings against TagLib itself: FLAC metadata (flac_meta.cpp) for random plain FLAC files
// and random edits, and an MP3's first ID3v2.4 tag; the native path must read the same fields and write the
// very same bytes as the TagLib path.
#include "fixtures.hpp"
#include "internal.hpp"

#include <random>

using namespace liner;
using namespace liner::test;
namespace td = liner::tagging::detail;

namespace {

using Blocks = std::vector<std::pair<std::uint8_t, std::string>>;

std::string le32(std::uint32_t v) {
  std::string s(4, '\0');
  for (int i = 0; i < 4; ++i)
    s[static_cast<std::size_t>(i)] = static_cast<char>(v >> (8 * i));
  return s;
}

std::string comment(const std::string& vendor, const std::vector<std::string>& entries) {
  std::string s = le32(static_cast<std::uint32_t>(vendor.size())) + vendor +
                  le32(static_cast<std::uint32_t>(entries.size()));
  for (const auto& e : entries)
    s += le32(static_cast<std::uint32_t>(e.size())) + e;
  return s;
}

std::vector<std::uint8_t> assemble(const Blocks& blocks, const std::string& frames) {
  std::string f = "fLaC";
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    const auto& [type, body] = blocks[i];
    const auto n = body.size();
    f += static_cast<char>(type | (i + 1 == blocks.size() ? 0x80 : 0));
    f += static_cast<char>(n >> 16);
    f += static_cast<char>(n >> 8);
    f += static_cast<char>(n);
    f += body;
  }
  f += frames;
  return {f.begin(), f.end()};
}

struct Written {
  tagging::FieldMap before;
  std::string bytes;
  bool saved = false;
};

Written tag(const std::vector<std::uint8_t>& file, const tagging::FieldMap& set,
            const std::set<std::string>& remove, bool native, char kind = 'f') {
  td::PieceStream s(td::Bytes(file.data(), file.size()), kind == 'm'   ? "x.mp3"
                                                         : kind == 'w' ? "x.wav"
                                                                       : "x.flac");
  auto h = kind == 'm'   ? td::make_mpeg_handler(native)
           : kind == 'w' ? td::make_wav_handler(native)
                         : td::make_flac_handler(native);
  Written w;
  REQUIRE(h->open(&s));
  w.before = h->read();
  h->write(set, remove, false);
  w.saved = h->save(false);
  h.reset();
  w.bytes.resize(s.size());
  s.copy_out(0, s.size(), reinterpret_cast<std::uint8_t*>(w.bytes.data()));
  return w;
}

// The ID3 fields of every sample track's plan, with and without splits (`info`: WAV, with RIFF INFO).
std::vector<tagging::FieldMap> sample_id3_sets(bool info) {
  credits::Sheet sheet = load_sample(fs::path(LINER_SOURCE_DIR) / "samples");
  std::vector<tagging::FieldMap> sets;
  for (const auto& t : sheet.tracks)
    for (bool splits : {false, true}) {
      tagging::PlanOptions o;
      o.with_splits = splits;
      sets.push_back(td::concrete_fields(tagging::plan_tags(sheet, t, o), td::Family::Id3, info, false));
    }
  return sets;
}

// Tags `file` both ways: the same fields read, the same bytes written.
void same_both_ways(const std::vector<std::uint8_t>& file, const tagging::FieldMap& set, char kind) {
  const Written a = tag(file, set, {}, true, kind), b = tag(file, set, {}, false, kind);
  CHECK(a.before == b.before);
  CHECK(a.saved == b.saved);
  CHECK(a.bytes.size() == b.bytes.size());
  CHECK(a.bytes == b.bytes);
}

} // namespace

TEST_CASE("FLAC without TagLib: the same fields and the same bytes as TagLib, for random files and edits") {
  // STREAMINFO and frames from the tone master.
  const std::string master = slurp(audio_fixtures() / "01 - Golden Seams.flac");
  const td::Bytes mb(reinterpret_cast<const std::uint8_t*>(master.data()), master.size());
  auto meta = td::read_flac_meta(mb);
  REQUIRE(meta);
  REQUIRE(!meta->blocks.empty());
  const std::string streaminfo = master.substr(meta->blocks[0].body.offset, meta->blocks[0].body.size);
  const std::string frames = master.substr(meta->audio_start);

  std::mt19937 rng(20261204);
  auto pick = [&](const auto& v) {
    return v[std::uniform_int_distribution<std::size_t>(0, v.size() - 1)(rng)];
  };
  auto chance = [&](int percent) { return std::uniform_int_distribution<int>(0, 99)(rng) < percent; };
  const std::vector<std::string> keys = {"TITLE",       "title",    "Artist",   "DATE",  "YEAR",
                                         "TRACKNUMBER", "TRACKNUM", "PRODUCER", "MIXER", "LINER_CREDITS",
                                         "My Key",      "COMPOSER", "ENCODER"};
  const std::vector<std::string> values = {"x",
                                           "Søren Kjærgaard",
                                           "森 彩",
                                           "2026-05-01",
                                           "1999",
                                           "3/12",
                                           "abc",
                                           "0",
                                           "0000",
                                           " 12",
                                           "+3",
                                           "-4",
                                           "07",
                                           "{\"a\":1}",
                                           std::string(300, 'v')};
  // Rarely, what TagLib drops or changes: the native path declines those files, both go through TagLib.
  const std::vector<std::string> odd = {"=novalue",
                                        "NOSEP",
                                        "EMPTY=",
                                        "BAD\x7F"
                                        "KEY=x",
                                        "ZZ=\xC3",
                                        "A=b\xFF"};

  int native_rounds = 0;
  for (int round = 0; round < 400; ++round) {
    Blocks blocks = {{0, streaminfo}};
    if (chance(30)) blocks.push_back({3, std::string(18 * (1 + round % 3), '\x01')}); // SEEKTABLE
    if (chance(20)) blocks.push_back({1, std::string(1 + round % 50, '\0')});         // PADDING before
    if (chance(20)) blocks.push_back({2, "lnr1" + std::string(10, 'a')});             // APPLICATION
    if (chance(85)) {
      std::vector<std::string> entries;
      for (int i = 0, n = static_cast<int>(rng() % 12); i < n; ++i)
        entries.push_back(pick(keys) + "=" + pick(values));
      if (chance(5)) entries.push_back(pick(odd));
      blocks.push_back({4, comment(chance(90) ? "Lavf59.27.100" : "", entries)});
    }
    if (chance(20)) blocks.push_back({2, "lnr2" + std::string(3, 'b')});
    if (chance(80)) {
      const std::vector<std::size_t> sizes = {1, 10, 700, 1500, 4096, 8192, 40000};
      blocks.push_back({1, std::string(pick(sizes), '\0')});
    }
    const auto file = assemble(blocks, frames);

    tagging::FieldMap set;
    std::set<std::string> remove;
    for (int i = 0, n = static_cast<int>(rng() % 6); i < n; ++i) {
      std::vector<std::string> v;
      for (int j = 0, m = static_cast<int>(1 + rng() % 3); j < m; ++j)
        v.push_back(chance(10) ? std::string() : pick(values));
      if (chance(5)) v = {std::string(3000, 'L')}; // a tag that no longer fits the padding
      set[chance(3) ? "Bad=Key" : pick(keys)] = v;
    }
    for (int i = 0, n = static_cast<int>(rng() % 3); i < n; ++i)
      remove.insert(pick(keys));

    const bool plain = td::read_flac_meta(td::Bytes(file.data(), file.size())).has_value();
    native_rounds += plain;
    CAPTURE(round);
    CAPTURE(plain);
    const Written a = tag(file, set, remove, true), b = tag(file, set, remove, false);
    CHECK(a.before == b.before);
    CHECK(a.saved == b.saved);
    CHECK(a.bytes.size() == b.bytes.size());
    CHECK(a.bytes == b.bytes);
  }
  MESSAGE(native_rounds << " of 400 random files took the native path");
  // TagLib's one quirk the native path copies: a file without a Vorbis comment loses a DATE that does not
  // start with a year (Tag::duplicate), and keeps one that does.
  const auto bare = assemble({{0, streaminfo}}, frames);
  for (const std::string date : {"abc", "0000", "2026-05-01"}) {
    const Written a = tag(bare, {{"DATE", {date}}, {"TITLE", {"t"}}}, {}, true);
    const Written b = tag(bare, {{"DATE", {date}}, {"TITLE", {"t"}}}, {}, false);
    CHECK(a.bytes == b.bytes);
    CHECK((a.bytes.find("DATE=") != std::string::npos) == (date == "2026-05-01"));
  }
  CHECK(native_rounds > 250);
}

TEST_CASE("FLAC without TagLib: files it declines") {
  const std::string master = slurp(audio_fixtures() / "01 - Golden Seams.flac");
  auto bytes = [](const std::string& s) {
    return td::Bytes(reinterpret_cast<const std::uint8_t*>(s.data()), s.size());
  };
  auto meta = td::read_flac_meta(bytes(master));
  REQUIRE(meta);
  const std::string si = master.substr(meta->blocks[0].body.offset, meta->blocks[0].body.size);
  const std::string frames = master.substr(meta->audio_start);
  auto plain = [&](const Blocks& b) {
    auto f = assemble(b, frames);
    return td::read_flac_meta(td::Bytes(f.data(), f.size())).has_value();
  };
  CHECK(plain({{0, si}, {4, comment("v", {"A=b"})}, {1, std::string(100, '\0')}}));
  CHECK(!plain({{0, si}, {6, std::string(40, '\0')}}));                        // a picture
  CHECK(!plain({{0, si}, {4, comment("v", {"A=b"})}, {4, comment("v", {})}})); // two comments
  CHECK(!plain({{0, si}, {4, comment("v", {"A=\xC3("})}}));                    // invalid UTF-8
  CHECK(!plain({{0, si}, {4, comment("v", {"METADATA_BLOCK_PICTURE=AAAA"})}}));
  CHECK(!plain({{4, comment("v", {"A=b"})}, {0, si}}));                         // STREAMINFO not first
  CHECK(!plain({{0, si}, {2, ""}}));                                            // an empty block
  CHECK(!td::read_flac_meta(bytes("ID3\x04" + std::string(6, '\0') + master))); // an ID3v2 tag first
  CHECK(!td::read_flac_meta(bytes(master + "TAG" + std::string(125, ' '))));    // an ID3v1 tag last
  CHECK(!td::read_flac_meta(bytes(master.substr(0, meta->audio_start))));       // no audio
}

TEST_CASE("MP3 without a tag: the first ID3v2.4 tag is the one TagLib writes, byte for byte") {
  const std::string master = slurp(audio_fixtures() / "03 - Koenji Night Bus.mp3");
  REQUIRE(master.substr(0, 3) != "ID3");
  const std::vector<std::uint8_t> file(master.begin(), master.end());
  REQUIRE(td::mpeg_frames_at_start(td::Bytes(file.data(), file.size())));
  std::vector<tagging::FieldMap> sets = sample_id3_sets(false);
  sets.push_back({{"TIT2", {"x"}}});                                       // a tag smaller than its padding
  sets.push_back({{"TIT2", {std::string(5000, 'y')}}});                    // one larger than a block
  sets.push_back({{"TIT2", {"a"}}, {"TXXX:E", {"\xF0\x9F\x8E\xB5", ""}}}); // 4-byte UTF-8, an empty value
  sets.push_back({{"TIT2", {"bad \xFF"}}});                                // invalid UTF-8: through TagLib
  sets.push_back({{"WXXX", {"x"}}, {"TIT2", {"t"}}});                      // not a text frame: through TagLib
  for (const auto& set : sets) {
    same_both_ways(file, set, 'm');
    // The audio moved by whole blocks.
    CHECK((tag(file, set, {}, true, 'm').bytes.size() - master.size()) % 4096 == 0);
  }
  // A file that starts with junk, not a frame: through TagLib (it looks for a tag further on).
  std::vector<std::uint8_t> junk(file);
  junk.insert(junk.begin(), 100, 0x20);
  CHECK(!td::mpeg_frames_at_start(td::Bytes(junk.data(), junk.size())));
}

TEST_CASE("WAV without tags: the id3 and LIST/INFO chunks are the ones TagLib writes, byte for byte") {
  // The tone master's chunks, to build plain files from.
  const std::string master = slurp(audio_fixtures() / "02 - Paper Lanterns.wav");
  std::vector<std::pair<std::string, std::string>> chunks;
  for (std::size_t pos = 12; pos + 8 <= master.size();) {
    const std::uint32_t n = static_cast<std::uint8_t>(master[pos + 4]) |
                            (static_cast<std::uint8_t>(master[pos + 5]) << 8) |
                            (static_cast<std::uint8_t>(master[pos + 6]) << 16) |
                            (static_cast<std::uint32_t>(static_cast<std::uint8_t>(master[pos + 7])) << 24);
    chunks.push_back({master.substr(pos, 4), master.substr(pos + 8, n)});
    pos += 8 + n + (n & 1);
  }
  auto find = [&](const std::string& id) {
    for (const auto& c : chunks)
      if (c.first == id) return c.second;
    FAIL("no " << id << " chunk in the master");
    return std::string();
  };
  auto wav = [](const std::vector<std::pair<std::string, std::string>>& cs) {
    std::string body = "WAVE";
    for (const auto& [id, data] : cs) {
      body += id;
      body += le32(static_cast<std::uint32_t>(data.size()));
      body += data;
      if (data.size() & 1) body += '\0';
    }
    const std::string f = "RIFF" + le32(static_cast<std::uint32_t>(body.size())) + body;
    return std::vector<std::uint8_t>(f.begin(), f.end());
  };
  const std::string fmt = find("fmt "), data = find("data").substr(0, 48000 * 6);
  const std::string encoder_info = std::string("INFOISFT\x0e\0\0\0Lavf59.27.100\0", 26) +
                                   std::string("ICMT\x06\0\0\0mine!\0INAM\x01\0\0\0\0\0", 24);
  const std::vector<std::vector<std::uint8_t>> plain = {
      wav({{"fmt ", fmt}, {"data", data}}),
      wav({{"fmt ", fmt}, {"LIST", encoder_info}, {"data", data}}), // an encoder's list, before the data
      wav({{"fmt ", fmt}, {"bext", std::string(602, 'b')}, {"data", data}, {"JUNK", std::string(10, '\0')}})};
  const std::vector<std::vector<std::uint8_t>> declined = {
      wav({{"fmt ", fmt}, {"iXML", "<odd />"}, {"data", data}}),               // an odd-sized chunk
      wav({{"fmt ", fmt}, {"data", data}, {"LIST", "INFOINAM\x02\0\0\0x\0"}}), // tags after the data
      wav({{"fmt ", fmt}, {"LIST", encoder_info}, {"LIST", encoder_info}, {"data", data}}), // two lists
      wav({{"fmt ", fmt}, {"data", data}, {"id3 ", "ID3\x04\0\0\0\0\0\0"}})};
  for (const auto& f : plain)
    CHECK(td::wav_without_tags(td::Bytes(f.data(), f.size())));
  for (const auto& f : declined)
    CHECK(!td::wav_without_tags(td::Bytes(f.data(), f.size())));

  std::vector<tagging::FieldMap> sets = sample_id3_sets(true);
  sets.push_back({{"INFO:INAM", {"only INFO, \xE2\x82\xAC \xE6\xA3\xAE"}}, {"INFO:ICMT", {""}}});
  sets.push_back({{"TIT2", {"odd"}}, {"INFO:IART", {"ab"}}});
  for (const auto& files : {plain, declined})
    for (const auto& f : files)
      for (const auto& set : sets)
        same_both_ways(f, set, 'w');
}
