// The mapping table and the plan, without audio files.
#include "fixtures.hpp"
#include "internal.hpp"

#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <liner/credits/error.hpp>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <taglib/tbytevectorstream.h>
#include <taglib/unknownframe.h>
#include <unistd.h>

using namespace liner;
using namespace liner::test;
namespace tg = liner::tagging;
namespace td = liner::tagging::detail;

namespace {
credits::Sheet sample() {
  auto r = credits::load_sheet_toml(std::string(LINER_SOURCE_DIR) + "/samples/ep.toml");
  REQUIRE(r.ok());
  return r.sheet;
}
} // namespace

TEST_CASE("the mapping table: Picard's conventions, one row per field") {
  CHECK(td::mapping_for_key("producer")->id3 == "producer");
  CHECK(td::mapping_for_key("producer")->id3_kind == td::Id3Kind::Tipl);
  CHECK(td::mapping_for_key("mixer")->id3 == "mix");
  CHECK(td::mapping_for_key("composer")->vorbis == "COMPOSER");
  CHECK(td::mapping_for_key("composer")->info == "IMUS");
  CHECK(td::mapping_for_key("isrc")->mp4 == "----:com.apple.iTunes:ISRC");
  CHECK(td::row_for_role("StudioProducer")->key == "producer");
  CHECK(td::row_for_role("MixingEngineer")->key == "mixer");
  CHECK(td::row_for_role("MasteringEngineer") == nullptr);
  CHECK(td::fallback_name("MasteringEngineer", false) == "MASTERING ENGINEER");
  CHECK(td::fallback_name("MasteringEngineer", true) == "MASTERINGENGINEER");
  CHECK(td::fallback_name("custom:Session Curator", false) == "SESSION CURATOR");
  CHECK(td::role_for_custom_name("MASTERING ENGINEER") == std::optional<std::string>("MasteringEngineer"));
  CHECK(td::role_for_custom_name("MIXER") == std::optional<std::string>("MixingEngineer"));
  CHECK(td::role_for_custom_name("ARTISTS") == std::nullopt);
  CHECK(td::instrument_words("ElectricBassGuitar") == "electric bass guitar");
  // Every TIPL role is lower case except Picard's own "DJ-mix".
  for (const auto& m : td::mapping_table())
    if (m.id3_kind == td::Id3Kind::Tipl && m.id3 != "DJ-mix") CHECK(credits::lower(m.id3) == m.id3);
}

TEST_CASE("a plan: fields, credits, the structured document; concrete fields per family") {
  credits::Sheet s = sample();
  tg::TagPlan plan = tg::plan_tags(s, s.tracks[0]);
  CHECK(plan.fields["title"] == std::vector<std::string>{"Golden Seams"});
  CHECK(plan.fields["tracknumber"] == std::vector<std::string>{"1"});
  CHECK(plan.fields["totaltracks"] == std::vector<std::string>{"4"});
  CHECK(plan.fields["copyright"] == std::vector<std::string>{"\xE2\x84\x97 2026 Nova Lantern Records"});
  auto doc = nlohmann::json::parse(plan.document);
  CHECK(doc["liner"] == "credits");
  CHECK(doc["version"] == tg::kDocumentVersion);
  CHECK(!doc.contains("splits"));
  CHECK(doc["credits"].size() == s.effective_credits(s.tracks[0]).size());

  auto id3 = td::concrete_fields(plan, td::Family::Id3, false, false);
  // TIPL: lower-case roles, one pair per person; mirrored into TXXX.
  std::vector<std::string> tipl = id3["TIPL"];
  REQUIRE(tipl.size() % 2 == 0);
  CHECK(std::find(tipl.begin(), tipl.end(), "producer") != tipl.end());
  CHECK(id3["TXXX:PRODUCER"] == std::vector<std::string>{"Malik Okafor; Søren Kjærgaard"});
  CHECK(id3["TXXX:MIXER"] == std::vector<std::string>{"ليلى حداد"});
  CHECK(id3.count("TMCL"));
  CHECK(id3["TXXX:MASTERING ENGINEER"] == std::vector<std::string>{"Inès Moreau"});
  CHECK(id3["#id3v2"] == std::vector<std::string>{"2.4"});

  auto v23 = td::concrete_fields(plan, td::Family::Id3, false, true);
  CHECK(v23.count("TIPL") == 0);
  CHECK(v23.count("TMCL") == 0);
  CHECK(v23["IPLS"].size() == id3["TIPL"].size() + id3["TMCL"].size());
  CHECK(v23["TCOM"].size() == 1);

  auto vorbis = td::concrete_fields(plan, td::Family::Vorbis, false, false);
  CHECK(vorbis["PRODUCER"] == std::vector<std::string>{"Malik Okafor", "Søren Kjærgaard"});
  CHECK(std::find(vorbis["PERFORMER"].begin(), vorbis["PERFORMER"].end(), "Priya Raman (piano)") !=
        vorbis["PERFORMER"].end());

  auto mp4 = td::concrete_fields(plan, td::Family::Mp4, false, false);
  CHECK(mp4["trkn"] == std::vector<std::string>{"1/4"});
  CHECK(mp4.count("----:com.apple.iTunes:PRODUCER"));

  // RIFF INFO in CP1252: names it cannot hold fall back to their latin form.
  auto wav = td::concrete_fields(plan, td::Family::Id3, true, false);
  CHECK(wav["INFO:IMUS"] == std::vector<std::string>{"Aya Mori; Malik Okafor; Priya Raman"});
  CHECK(wav["INFO:ICOP"] == std::vector<std::string>{"(P) 2026 Nova Lantern Records"});
  CHECK(td::cp1252_representable("Tomáš Novák €"));
  CHECK(!td::cp1252_representable("森 彩"));
}

TEST_CASE("payload scanners refuse what is not whole") {
  std::vector<std::uint8_t> junk(100, 0x41);
  td::Bytes b(junk.data(), junk.size());
  CHECK(td::scan_flac(b).problem_code == "not-audio");
  CHECK(td::scan_wav(b).problem_code == "not-audio");
  CHECK(td::scan_mp4(b).problem_code == "not-audio");
  CHECK(td::scan_mpeg(b).problem_code == "not-audio");
  std::string rf64 = std::string("RF64\xff\xff\xff\xffWAVE", 12);
  CHECK(
      td::scan_wav(td::Bytes(reinterpret_cast<const std::uint8_t*>(rf64.data()), rf64.size())).problem_code ==
      "rf64-unsupported");
  CHECK(td::sniff(b, ".mp3") == nullptr);
}

// The PieceStream must behave exactly like TagLib's own memory stream for every operation TagLib uses:
// random reads, writes, inserts, removals, truncations and seeks, checked against ByteVectorStream.
// The document is written without a JSON tree; it must be exactly what nlohmann::json would dump (sorted
// keys, its escapes), so that files tagged before keep their bytes and stay "unchanged".
TEST_CASE("a plan's document is canonical JSON, for every track, with splits, with awkward names") {
  credits::Sheet s = sample();
  // Every special character at every offset within the writer's 8-byte steps.
  for (int pad = 0; pad < 16; ++pad)
    for (bool splits : {false, true})
      for (const auto& t : s.tracks) {
        s.parties.front().name = std::string(static_cast<std::size_t>(pad), 'a') +
                                 "Q\"uote \\ back\tslash\n\x01\x1f \xE6\xA3\xAE \x7f";
        tg::PlanOptions o;
        o.with_splits = splits;
        const std::string doc = tg::plan_tags(s, t, o).document;
        CAPTURE(doc);
        CHECK(nlohmann::json::parse(doc).dump() == doc);
        CHECK(nlohmann::json::parse(doc).contains("splits") == splits);
      }
}

// ID3v2.4 text frames handed to TagLib as bytes must make the very tag its frame classes make.
TEST_CASE("ID3v2.4: raw text frames render the same tag as TagLib's frame classes") {
  credits::Sheet s = sample();
  std::vector<tg::FieldMap> sets;
  for (const auto& t : s.tracks)
    for (bool info : {false, true}) {
      tg::FieldMap m = td::concrete_fields(tg::plan_tags(s, t), td::Family::Id3, info, false);
      for (auto it = m.begin(); it != m.end();)
        it = it->first.starts_with("INFO:") ? m.erase(it) : std::next(it);
      sets.push_back(m);
    }
  sets.push_back({{"TIT2", {"a", "", "b"}},
                  {"TXXX:", {"x"}},
                  {"TXXX:\xC3\x9C"
                   "ber",
                   {"\xC3\xBC", ""}},
                  {"TCON", {""}},
                  {"TXXX:D", {}},
                  {"TPE1", {"bad \xFF utf-8"}},
                  {"WXXX", {"x"}},
                  {"TPE2", {std::string(300, 'x')}},
                  {"TXXX:E", {"\xF0\x9F\x8E\xB5", "\xE6\xA3\xAE"}}});
  for (const auto& set : sets) {
    TagLib::ID3v2::Tag raw, classes;
    td::id3_write(&raw, set, {}, false, true);
    td::id3_write(&classes, set, {}, false, false);
    const TagLib::ByteVector a = raw.render(TagLib::ID3v2::v4), b = classes.render(TagLib::ID3v2::v4);
    CHECK(std::string(a.data(), a.size()) == std::string(b.data(), b.size()));
    int unknown = 0;
    for (auto* f : raw.frameList())
      unknown += dynamic_cast<TagLib::ID3v2::UnknownFrame*>(f) != nullptr;
    CHECK(unknown > 0);
  }
}

TEST_CASE("PieceStream: the same bytes as TagLib's ByteVectorStream under random edits") {
  std::mt19937 rng(20261122);
  for (int round = 0; round < 200; ++round) {
    std::vector<std::uint8_t> original(std::uniform_int_distribution<std::size_t>(0, 3000)(rng));
    for (auto& b : original)
      b = static_cast<std::uint8_t>(rng());
    td::PieceStream pieces(td::Bytes(original.data(), original.size()), "x");
    TagLib::ByteVectorStream oracle(TagLib::ByteVector(reinterpret_cast<const char*>(original.data()),
                                                       static_cast<unsigned>(original.size())));
    auto bytes = [&](std::size_t n) {
      TagLib::ByteVector v(static_cast<unsigned>(n), '\0');
      for (auto& c : v)
        c = static_cast<char>(rng());
      return v;
    };
    auto any = [&](unsigned long hi) { return std::uniform_int_distribution<unsigned long>(0, hi)(rng); };
    for (int op = 0; op < 60; ++op) {
      const auto len = static_cast<unsigned long>(oracle.length());
      switch (any(5)) {
      case 0: {
        long at = static_cast<long>(any(len + 20));
        pieces.seek(at), oracle.seek(at);
        auto d = bytes(any(300));
        pieces.writeBlock(d), oracle.writeBlock(d);
        break;
      }
      case 1: {
        unsigned long at = any(len), replace = any(len - at);
        auto d = bytes(any(400));
        pieces.insert(d, at, replace), oracle.insert(d, at, replace);
        break;
      }
      case 2: {
        unsigned long at = any(len);
        unsigned long n = any(len - at);
        pieces.removeBlock(at, n), oracle.removeBlock(at, n);
        break;
      }
      case 3: {
        long to = static_cast<long>(any(len + 100));
        pieces.truncate(to), oracle.truncate(to);
        break;
      }
      default: {
        long at = static_cast<long>(any(len + 5));
        pieces.seek(at), oracle.seek(at);
        unsigned long n = any(600);
        REQUIRE(pieces.readBlock(n) == oracle.readBlock(n));
        break;
      }
      }
      REQUIRE(pieces.length() == oracle.length());
      REQUIRE(pieces.tell() == oracle.tell());
    }
    std::vector<std::uint8_t> all(pieces.size());
    pieces.copy_out(0, all.size(), all.data());
    REQUIRE(std::memcmp(all.data(), oracle.data()->data(), all.size()) == 0);
    // is_original() answers for stretches that still map to the same original bytes, and only for them.
    std::uint64_t at = 0;
    for (const auto& p : pieces.pieces()) {
      if (!p.added) CHECK(pieces.is_original(at, p.size, p.src));
      if (p.added && p.size) CHECK(!pieces.is_original(at, p.size, at));
      at += p.size;
    }
    // The scanners' view reads the same bytes, across piece borders too.
    td::View view(pieces);
    for (int k = 0; k < 20 && all.size() > 1; ++k) {
      std::uint64_t off = any(all.size() - 1);
      std::size_t n = static_cast<std::size_t>(any(all.size() - off));
      REQUIRE(std::memcmp(view.get(off, n), all.data() + off, n) == 0);
    }
  }
}

TEST_CASE("PieceStream: a grown tag at the start keeps the rest as one stretch of the original") {
  std::vector<std::uint8_t> original(100000, 7);
  td::PieceStream s(td::Bytes(original.data(), original.size()), "x");
  s.insert(TagLib::ByteVector(5000, 'T'), 0, 1000); // a 1,000-byte tag becomes 5,000 bytes
  CHECK(s.size() == 104000);
  CHECK(s.pieces().size() == 2);
  CHECK(s.is_original(5000, 99000, 1000));
  CHECK(!s.is_original(5000, 99000, 999));
  CHECK(!s.is_original(0, 5000, 0));
}

// write_in_place reads every original byte it needs before overwriting it, whichever way the data moves
// (a grown tag pushes it towards the end, a shrunk one towards the start, both in one file).
TEST_CASE("write_in_place: the file ends up as the stream says, under random edits") {
  std::mt19937 rng(7);
  fs::path dir = fs::path(LINER_BINARY_DIR) / "test-scratch" / "write-in-place";
  fs::create_directories(dir);
  const std::string path = (dir / "f.bin").string();
  auto any = [&](std::uint64_t hi) { return std::uniform_int_distribution<std::uint64_t>(0, hi)(rng); };
  for (int round = 0; round < 60; ++round) {
    std::vector<std::uint8_t> original(static_cast<std::size_t>(1 + any(3 << 20)));
    for (auto& b : original)
      b = static_cast<std::uint8_t>(rng());
    {
      std::ofstream out(path, std::ios::binary | std::ios::trunc);
      out.write(reinterpret_cast<const char*>(original.data()),
                static_cast<std::streamsize>(original.size()));
    }
    int fd = ::open(path.c_str(), O_RDONLY);
    REQUIRE(fd >= 0);
    // Odd rounds read the original on demand (FileImage), as FLAC files are: moved audio is read back from
    // the file itself then.
    std::optional<td::MappedFile> map;
    std::optional<td::FileImage> image;
    if (round % 2 == 0) {
      map.emplace(fd);
      image.emplace(td::Bytes(map->data(), map->size()));
    } else {
      image.emplace(fd, original.size(), path);
    }
    td::PieceStream s(*image, path);
    for (int k = 0, edits = static_cast<int>(1 + any(3)); k < edits; ++k) {
      const std::uint64_t at = any(s.size());
      const std::uint64_t remove = any(std::min<std::uint64_t>(s.size() - at, 300000));
      TagLib::ByteVector data(static_cast<unsigned>(any(300000)), 'x');
      s.insert(data, static_cast<unsigned long>(at), static_cast<unsigned long>(remove));
    }
    std::vector<std::uint8_t> want(s.size());
    s.copy_out(0, want.size(), want.data());
    td::write_in_place(path, path, s);
    ::close(fd);
    CHECK(slurp(path) == std::string(want.begin(), want.end()));
  }
}

TEST_CASE("FileImage: a file read on demand gives the file's bytes, and never another file's") {
  std::mt19937 rng(11);
  fs::path dir = fs::path(LINER_BINARY_DIR) / "test-scratch" / "file-image";
  fs::create_directories(dir);
  auto make = [&](const std::string& name, std::size_t size) {
    std::string bytes(size, '\0');
    for (auto& b : bytes)
      b = static_cast<char>(rng());
    const std::string path = (dir / name).string();
    std::ofstream(path, std::ios::binary | std::ios::trunc)
        .write(bytes.data(), static_cast<std::streamsize>(size));
    return std::pair{path, bytes};
  };
  auto at = [](const std::uint8_t* p, std::size_t n) {
    return std::string(reinterpret_cast<const char*>(p), n);
  };
  const auto [a_path, a] = make("a.bin", (1 << 20) + 123);
  const auto [b_path, b] = make("b.bin", (1 << 20) + 123);
  int a_fd = ::open(a_path.c_str(), O_RDONLY), b_fd = ::open(b_path.c_str(), O_RDONLY);
  REQUIRE(a_fd >= 0);
  REQUIRE(b_fd >= 0);
  {
    td::FileImage image(a_fd, a.size(), a_path);
    CHECK(!image.in_memory());
    for (int k = 0; k < 500; ++k) {
      const std::size_t off = std::uniform_int_distribution<std::size_t>(0, a.size())(rng);
      const std::size_t n =
          std::uniform_int_distribution<std::size_t>(0, std::min<std::size_t>(a.size() - off, 70000))(rng);
      REQUIRE(at(image.get(off, n), n) == a.substr(off, n));
    }
    // A second image while the first is in use on this thread gets its own buffer.
    td::FileImage other(b_fd, b.size(), b_path);
    CHECK(at(other.get(4000, 9000), 9000) == b.substr(4000, 9000));
    CHECK(at(image.get(4000, 9000), 9000) == a.substr(4000, 9000));
    // Large stretches are copied out, not kept.
    CHECK(image.peek(10, td::FileImage::kKeep + 1) == nullptr);
    std::string big(600000, '\0');
    image.copy(300000, big.size(), reinterpret_cast<std::uint8_t*>(big.data()));
    CHECK(big == a.substr(300000, big.size()));
    CHECK(at(image.all().data(), a.size()) == a);
  }
  {
    // The thread's buffer held a's bytes: b's image shows b's, wherever a's were loaded.
    td::FileImage image(b_fd, b.size(), b_path);
    CHECK(at(image.all().data(), b.size()) == b);
  }
  {
    // A file shortened behind liner's back is an error, not zeros or stale bytes.
    td::FileImage image(a_fd, a.size(), a_path);
    CHECK(at(image.get(0, 100), 100) == a.substr(0, 100));
    REQUIRE(::truncate(a_path.c_str(), 5000) == 0);
    CHECK_THROWS_WITH_AS(image.get(a.size() - 10, 10), doctest::Contains("shortened"), Error);
    CHECK_THROWS_WITH_AS(image.get(4000, 2000), doctest::Contains("shortened"), Error);
  }
  ::close(a_fd);
  ::close(b_fd);
}

// MPEG completeness: proven from the tail when three frames end there; otherwise every frame is walked,
// which accepts junk after the last frame (as before) and refuses a frame cut short.
TEST_CASE("scan_mpeg: complete, junk at the end, cut inside a frame") {
  std::string mp3 = slurp(audio_fixtures() / "03 - Koenji Night Bus.mp3");
  auto scan = [](const std::string& bytes) {
    return td::scan_mpeg(td::Bytes(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
  };
  auto whole = scan(mp3);
  REQUIRE(whole.problem.empty());
  CHECK(whole.ranges.back().offset + whole.ranges.back().size == mp3.size());
  CHECK(scan(mp3 + std::string(700, '\x55')).problem.empty());
  CHECK(scan(mp3.substr(0, mp3.size() - 100)).problem_code == "truncated");
}

// Every scanner, over a file read on demand, finds what it finds over the bytes in memory: whole files,
// files cut short, and files with junk after them.
TEST_CASE("payload scanners: the same answer over a FileImage as over the bytes in memory") {
  fs::path dir = fs::path(LINER_BINARY_DIR) / "test-scratch" / "scan-on-demand";
  fs::create_directories(dir);
  for (const auto& name : fixture_names()) {
    const std::string whole = slurp(audio_fixtures() / name);
    for (const std::string& bytes : {whole, whole.substr(0, whole.size() / 2),
                                     whole.substr(0, whole.size() - 3), whole + std::string(777, 'j')}) {
      CAPTURE(name);
      CAPTURE(bytes.size());
      const std::string path = (dir / name).string();
      std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
      const td::Bytes memory(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
      const auto* row = td::sniff(memory, fs::path(name).extension().string());
      REQUIRE(row);
      CHECK(tg::detect_format(path) == row->format);
      int fd = ::open(path.c_str(), O_RDONLY);
      REQUIRE(fd >= 0);
      {
        td::FileImage image(fd, bytes.size(), path);
        CHECK(td::sniff(td::View(image, 1 << 16), fs::path(name).extension().string()) == row);
        for (bool deep : {true, false}) {
          const td::Payload a = row->scan(memory, deep), b = row->scan(image, deep);
          CHECK(a.problem_code == b.problem_code);
          REQUIRE(a.ranges.size() == b.ranges.size());
          for (std::size_t i = 0; i < a.ranges.size(); ++i) {
            CHECK(a.ranges[i].offset == b.ranges[i].offset);
            CHECK(a.ranges[i].size == b.ranges[i].size);
          }
          if (a.problem.empty()) CHECK(td::payload_digest(memory, a) == td::payload_digest(image, b));
        }
      }
      ::close(fd);
    }
  }
}
