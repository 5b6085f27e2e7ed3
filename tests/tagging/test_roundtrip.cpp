// Round trips for every format: tag, reopen, compare every credit; tag twice gives the same file; the
// audio payload is byte-identical (liner's scanner and FFmpeg's packet MD5 both agree).
#include "fixtures.hpp"
#include "internal.hpp"

#include <fcntl.h>
#include <liner/credits/toml.hpp>
#include <nlohmann/json.hpp>
#include <sys/stat.h>
#include <unistd.h>

using namespace liner;
using namespace liner::test;
namespace tg = liner::tagging;

namespace {

std::string payload_of(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY);
  REQUIRE(fd >= 0);
  tg::detail::MappedFile m(fd);
  ::close(fd);
  tg::detail::Bytes b(m.data(), m.size());
  const auto* row = tg::detail::sniff(b, fs::path(path).extension().string());
  REQUIRE(row);
  auto p = row->scan(b, true);
  REQUIRE(p.problem.empty());
  return tg::detail::payload_digest(b, p);
}

const tg::ReadCredit* find_credit(const tg::ReadResult& r, const std::string& name, const std::string& role,
                                  const std::string& instrument = "") {
  for (const auto& c : r.credits)
    if (c.name == name &&
        (instrument.empty() ? c.role == role && c.instrument.empty() : c.instrument == instrument))
      return &c;
  return nullptr;
}

} // namespace

TEST_CASE("every format: tag, reopen, every credit back; tag twice gives the same file; payload intact") {
  fs::path dir = scratch_release("roundtrip");
  credits::Sheet sheet = load_sample(dir);
  auto files = audio_paths(dir);
  auto m = tg::match_files(sheet, files);
  REQUIRE(m.matched.size() == files.size());
  CHECK(m.unmatched_files.empty());
  CHECK(m.unmatched_tracks.empty());
  for (const auto& pair : m.matched) {
    CAPTURE(pair.file);
    const auto& track = sheet.tracks[pair.track];
    tg::TagPlan plan = tg::plan_tags(sheet, track);
    std::string payload = payload_of(pair.file);
    std::string packets = ffmpeg_packets_md5(pair.file);
    CHECK(!packets.empty());

    tg::TagResult res = tg::write_tags(pair.file, plan);
    REQUIRE(res.outcome == tg::Outcome::Tagged);
    CHECK(res.diagnostics.empty());
    CHECK(payload_of(pair.file) == payload);
    CHECK(ffmpeg_packets_md5(pair.file) == packets);

    tg::ReadResult back = tg::read_credits(pair.file);
    CHECK(back.diagnostics.empty());
    CHECK(back.document == plan.document);
    CHECK(back.fields["title"] == std::vector<std::string>{track.title});
    CHECK(back.fields["isrc"] == std::vector<std::string>{track.isrc});
    CHECK(back.fields["tracknumber"] == std::vector<std::string>{std::to_string(track.number)});
    CHECK(back.fields["album"] == std::vector<std::string>{sheet.release.title});
    // Every role and instrument of every credit, exactly as in the sheet, also visible in a conventional
    // field.
    for (const auto& c : sheet.effective_credits(track)) {
      std::string name = sheet.party(c.party)->name;
      for (const auto& role : c.roles) {
        CAPTURE(name);
        CAPTURE(role.str());
        const auto* rc = find_credit(back, name, role.str());
        REQUIRE(rc);
        bool conventional = !rc->also_in.empty();
        if (role.custom) conventional = true; // custom roles live in the structured field (and a custom key)
        CHECK(conventional);
      }
      for (const auto& ins : c.instruments) {
        CAPTURE(name);
        CAPTURE(ins.str());
        const auto* rc = find_credit(back, name, "Musician", ins.str());
        REQUIRE(rc);
        CHECK(!rc->also_in.empty());
      }
    }
    // Nothing found that the sheet does not say.
    for (const auto& rc : back.credits)
      CHECK_MESSAGE(rc.source.find("LINER_CREDITS") != std::string::npos, rc.name);

    std::string once = slurp(pair.file);
    tg::TagResult again = tg::write_tags(pair.file, plan);
    CHECK(again.outcome == tg::Outcome::Unchanged);
    CHECK(slurp(pair.file) == once);
  }
  // No temporary files left behind.
  for (const auto& e : fs::directory_iterator(dir / "audio"))
    CHECK(e.path().filename().string().find("liner-tmp") == std::string::npos);
}

TEST_CASE("ID3v2.3: IPLS, '/' joins, no ID3v1; back to v2.4 on request") {
  fs::path dir = scratch_release("id3v23");
  credits::Sheet sheet = load_sample(dir);
  for (const char* name : {"03 - Koenji Night Bus.mp3", "01 - Golden Seams.aiff"}) {
    std::string file = (dir / "audio" / name).string();
    CAPTURE(file);
    auto m = tg::match_files(sheet, {file});
    REQUIRE(m.matched.size() == 1);
    const auto& track = sheet.tracks[m.matched[0].track];
    auto plan = tg::plan_tags(sheet, track);
    tg::WriteOptions v3;
    v3.id3v23 = true;
    REQUIRE(tg::write_tags(file, plan, v3).outcome == tg::Outcome::Tagged);
    auto back = tg::read_credits(file);
    CHECK(back.tag_version == "ID3v2.3");
    REQUIRE(back.raw.count("IPLS"));
    CHECK(back.raw.count("TIPL") == 0);
    CHECK(back.raw["TCOM"].size() == 1); // one string, "/"-joined
    CHECK(back.raw["TCOM"][0].find('/') != std::string::npos);
    std::string bytes = slurp(file);
    CHECK(bytes.substr(bytes.size() - 128, 3) != "TAG"); // no ID3v1
    const auto* p = find_credit(back, "Malik Okafor", "StudioProducer");
    REQUIRE(p);
    CHECK(std::find(p->also_in.begin(), p->also_in.end(), "IPLS:producer") != p->also_in.end());
    CHECK(find_credit(back, "Priya Raman", "Musician", "Piano"));
    CHECK(tg::write_tags(file, plan, v3).outcome == tg::Outcome::Unchanged);
    // And back to ID3v2.4.
    REQUIRE(tg::write_tags(file, plan).outcome == tg::Outcome::Tagged);
    auto v4 = tg::read_credits(file);
    CHECK(v4.tag_version == "ID3v2.4");
    CHECK(v4.raw.count("TIPL") == 1);
    CHECK(v4.raw.count("IPLS") == 0);
    CHECK(v4.document == plan.document);
  }
}

TEST_CASE("a credit dropped from the sheet disappears from the file; splits only with the option") {
  fs::path dir = scratch_release("changes");
  credits::Sheet sheet = load_sample(dir);
  std::string file = (dir / "audio" / "01 - Golden Seams.flac").string();
  REQUIRE(tg::write_tags(file, tg::plan_tags(sheet, sheet.tracks[0])).outcome == tg::Outcome::Tagged);
  CHECK(tg::read_credits(file).raw.count("MASTERINGENGINEER") == 1);
  CHECK(tg::read_credits(file).document.find("\"splits\"") == std::string::npos);

  credits::Sheet changed = sheet;
  changed.release.credits.clear(); // the mastering engineer
  tg::PlanOptions splits;
  splits.with_splits = true;
  auto res = tg::write_tags(file, tg::plan_tags(changed, changed.tracks[0], splits));
  REQUIRE(res.outcome == tg::Outcome::Tagged);
  auto back = tg::read_credits(file);
  CHECK(back.raw.count("MASTERINGENGINEER") == 0);
  CHECK(find_credit(back, "Inès Moreau", "MasteringEngineer") == nullptr);
  auto doc = nlohmann::json::parse(back.document);
  REQUIRE(doc.contains("splits"));
  CHECK(doc["splits"]["master"].size() == sheet.tracks[0].master.size());
}

TEST_CASE("dry run lists old and new values and writes nothing") {
  fs::path dir = scratch_release("dryrun");
  credits::Sheet sheet = load_sample(dir);
  std::string file = (dir / "audio" / "03 - Koenji Night Bus.mp3").string();
  std::string before = slurp(file);
  tg::WriteOptions dry;
  dry.dry_run = true;
  auto res = tg::write_tags(file, tg::plan_tags(sheet, sheet.tracks[2]), dry);
  CHECK(res.outcome == tg::Outcome::WouldChange);
  CHECK(slurp(file) == before);
  bool saw_title = false;
  for (const auto& c : res.changes)
    if (c.field == "TIT2") {
      saw_title = true;
      CHECK(c.before.empty());
      CHECK(c.after == std::vector<std::string>{"Kōenji Night Bus"});
    }
  CHECK(saw_title);
}

TEST_CASE("matching: sheet path, then ISRC in the file, then number and title; the rest is reported") {
  fs::path dir = scratch_release("matching");
  credits::Sheet sheet = load_sample(dir);
  // A copy of track 1 under a name that says nothing, tagged with its ISRC.
  fs::path anon = dir / "audio" / "master-final-v7.flac";
  fs::copy_file(dir / "audio" / "01 - Golden Seams.flac", anon);
  REQUIRE(tg::write_tags(anon.string(), tg::plan_tags(sheet, sheet.tracks[0])).outcome ==
          tg::Outcome::Tagged);
  fs::path stranger = dir / "audio" / "09 - Something Else.flac";
  fs::copy_file(dir / "audio" / "01 - Golden Seams.flac", stranger);
  auto m =
      tg::match_files(sheet, {(dir / "audio" / "01 - Golden Seams.flac").string(), anon.string(),
                              (dir / "audio" / "03 - Koenji Night Bus.opus").string(), stranger.string()});
  REQUIRE(m.matched.size() == 3);
  CHECK(m.matched[0].how == "sheet path");
  CHECK(m.matched[1].how == "isrc");
  CHECK(m.matched[1].track == 0);
  CHECK(m.matched[2].how == "number and title"); // "Koenji" in the name, "Kōenji" in the sheet
  CHECK(m.matched[2].track == 2);
  REQUIRE(m.unmatched_files.size() == 1);
  CHECK(m.unmatched_files[0] == stranger.string());
  CHECK(m.unmatched_tracks.size() == 2);
  CHECK(m.diagnostics.has_code("unmatched-file"));
}

TEST_CASE("times, mode and Picard-style tags written by another tool") {
  fs::path dir = scratch_release("picard");
  credits::Sheet sheet = load_sample(dir);
  std::string file = (dir / "audio" / "01 - Golden Seams.flac").string();
  ::chmod(file.c_str(), 0640);
  struct timespec old[2] = {{1000000000, 0}, {1000000000, 0}};
  ::utimensat(AT_FDCWD, file.c_str(), old, 0);
  tg::WriteOptions keep;
  keep.preserve_times = true;
  REQUIRE(tg::write_tags(file, tg::plan_tags(sheet, sheet.tracks[0]), keep).outcome == tg::Outcome::Tagged);
  struct stat st {};
  ::stat(file.c_str(), &st);
  CHECK(st.st_mtim.tv_sec == 1000000000);
  CHECK((st.st_mode & 07777) == 0640);

  // Picard-style tags written by mutagen on fresh files: TIPL lower case, TMCL, IPLS (v2.3),
  // PERFORMER=Name (instrument), MP4 freeform items.
  std::string py = R"PY(
import sys, shutil
from mutagen.id3 import ID3, TIPL, TMCL, TCOM, TSRC, TIT2
from mutagen.flac import FLAC
from mutagen.mp4 import MP4, MP4FreeForm
d = sys.argv[1]
t = ID3(); t.add(TIT2(encoding=3, text='X')); t.add(TCOM(encoding=3, text=['Ann Writer']))
t.add(TIPL(encoding=3, people=[['producer', 'Pat Producer'], ['mix', 'Max Mixer'], ['engineer', 'Eve Engineer']]))
t.add(TMCL(encoding=3, people=[['bass guitar', 'Bo Bass']]))
t.save(d + '/p24.mp3', v2_version=4)
t.save(d + '/p23.mp3', v2_version=3)
f = FLAC(d + '/p.flac'); f['PRODUCER'] = ['Pat Producer']; f['MIXER'] = ['Max Mixer']
f['PERFORMER'] = ['Bo Bass (bass guitar)', 'Vi Voice (vocals)']; f['COMPOSER'] = ['Ann Writer']; f.save()
m = MP4(d + '/p.m4a'); m['\xa9wrt'] = ['Ann Writer']
m['----:com.apple.iTunes:PRODUCER'] = [MP4FreeForm(b'Pat Producer')]
m['----:com.apple.iTunes:MIXER'] = [MP4FreeForm(b'Max Mixer')]; m.save()
)PY";
  fs::path pd = dir / "picard";
  fs::create_directories(pd);
  fs::copy_file(audio_fixtures() / "03 - Koenji Night Bus.mp3", pd / "p24.mp3");
  fs::copy_file(audio_fixtures() / "03 - Koenji Night Bus.mp3", pd / "p23.mp3");
  fs::copy_file(audio_fixtures() / "01 - Golden Seams.flac", pd / "p.flac");
  fs::copy_file(audio_fixtures() / "04 - Afterglow.m4a", pd / "p.m4a");
  { std::ofstream(pd / "w.py") << py; }
  int rc = 0;
  run("/usr/bin/python3 " + shell_quote((pd / "w.py").string()) + " " + shell_quote(pd.string()), &rc);
  REQUIRE(rc == 0);
  for (const char* f : {"p24.mp3", "p23.mp3", "p.flac", "p.m4a"}) {
    CAPTURE(f);
    auto r = tg::read_credits((pd / f).string());
    CHECK(find_credit(r, "Pat Producer", "Producer"));
    CHECK(find_credit(r, "Max Mixer", "MixingEngineer"));
    CHECK(find_credit(r, "Ann Writer", "Composer"));
    if (std::string(f) != "p.m4a")
      CHECK(find_credit(r, "Bo Bass", "Musician", "ElectricBassGuitar") != nullptr);
  }
  auto r23 = tg::read_credits((pd / "p23.mp3").string());
  CHECK(r23.tag_version == "ID3v2.3");
  CHECK(find_credit(r23, "Eve Engineer", "Engineer"));
}

TEST_CASE("a sheet drafted from tagged files carries the same credits") {
  fs::path dir = scratch_release("fromfiles");
  credits::Sheet sheet = load_sample(dir);
  auto files = audio_paths(dir);
  auto m = tg::match_files(sheet, files);
  std::vector<tg::ReadResult> reads;
  for (const auto& p : m.matched) {
    REQUIRE(tg::write_tags(p.file, tg::plan_tags(sheet, sheet.tracks[p.track])).outcome ==
            tg::Outcome::Tagged);
    reads.push_back(tg::read_credits(p.file));
  }
  Diagnostics d;
  credits::Sheet draft = tg::draft_sheet(reads, d);
  REQUIRE(draft.tracks.size() == sheet.tracks.size());
  CHECK(draft.release.title == sheet.release.title);
  std::string toml = credits::write_sheet_toml(draft);
  auto reparsed = credits::parse_sheet_toml(toml, (dir / "draft.toml").string());
  for (const auto& x : reparsed.diagnostics)
    if (x.severity == Severity::Error) MESSAGE(x.message);
  CHECK(reparsed.ok());
  for (std::size_t i = 0; i < sheet.tracks.size(); ++i) {
    const auto& want = sheet.tracks[i];
    const auto& got = draft.tracks[i];
    CAPTURE(want.title);
    CHECK(got.title == want.title);
    CHECK(got.isrc == want.isrc);
    auto eff = sheet.effective_credits(want);
    REQUIRE(got.credits.size() == eff.size());
    for (std::size_t k = 0; k < eff.size(); ++k) {
      CHECK(draft.party(got.credits[k].party)->name == sheet.party(eff[k].party)->name);
      CHECK(got.credits[k].roles == eff[k].roles);
      CHECK(got.credits[k].instruments == eff[k].instruments);
    }
  }
}

namespace {
// The chunks of a RIFF file: id -> body.
std::vector<std::pair<std::string, std::string>> riff_chunks(const std::string& b) {
  std::vector<std::pair<std::string, std::string>> out;
  for (std::size_t pos = 12; pos + 8 <= b.size();) {
    std::uint32_t size = static_cast<unsigned char>(b[pos + 4]) |
                         (static_cast<unsigned char>(b[pos + 5]) << 8) |
                         (static_cast<unsigned char>(b[pos + 6]) << 16) |
                         (static_cast<std::uint32_t>(static_cast<unsigned char>(b[pos + 7])) << 24);
    out.emplace_back(b.substr(pos, 4), b.substr(pos + 8, size));
    pos += 8 + size + (size & 1);
  }
  return out;
}
std::string chunk(const std::vector<std::pair<std::string, std::string>>& v, const std::string& id) {
  for (const auto& [k, body] : v)
    if (k == id) return body;
  return "(missing)";
}
} // namespace

TEST_CASE("BWF: bext and iXML chunks are kept byte for byte, INFO is CP1252") {
  fs::path dir = scratch_release("bwf");
  credits::Sheet sheet = load_sample(dir);
  fs::path wav = dir / "audio" / "02 - Paper Lanterns.wav";
  // Insert an iXML chunk before the data chunk, as BWF recorders write it.
  std::string bytes = slurp(wav);
  std::string ixml = "<?xml version=\"1.0\"?><BWFXML><PROJECT>Kintsugi</PROJECT></BWFXML>";
  if (ixml.size() % 2) ixml += ' ';
  std::size_t data = bytes.find("data");
  REQUIRE(data != std::string::npos);
  std::string chunk_bytes = "iXML";
  std::uint32_t n = static_cast<std::uint32_t>(ixml.size());
  for (int i = 0; i < 4; ++i)
    chunk_bytes += static_cast<char>((n >> (8 * i)) & 0xFF);
  bytes.insert(data, chunk_bytes + ixml);
  std::uint32_t riff = static_cast<std::uint32_t>(bytes.size() - 8);
  for (int i = 0; i < 4; ++i)
    bytes[4 + static_cast<std::size_t>(i)] = static_cast<char>((riff >> (8 * i)) & 0xFF);
  { std::ofstream(wav, std::ios::binary | std::ios::trunc) << bytes; }
  auto before = riff_chunks(bytes);
  REQUIRE(tg::write_tags(wav.string(), tg::plan_tags(sheet, sheet.tracks[1])).outcome == tg::Outcome::Tagged);
  auto after = riff_chunks(slurp(wav));
  CHECK(chunk(after, "bext") == chunk(before, "bext"));
  CHECK(chunk(after, "iXML") == ixml);
  CHECK(chunk(after, "data") == chunk(before, "data"));
  CHECK(chunk(after, "id3 ") != "(missing)");
  std::string info = chunk(after, "LIST");
  CHECK(info.starts_with("INFO"));
  CHECK(info.find("Inès") == std::string::npos);           // not UTF-8...
  CHECK(info.find("In\xE8s Moreau") != std::string::npos); // ...but CP1252
  CHECK(info.find("Aya Mori") != std::string::npos);       // the latin form of 森 彩
  auto back = tg::read_credits(wav.string());
  CHECK(back.document == tg::plan_tags(sheet, sheet.tracks[1]).document);
}

// --in-place writes the same bytes as the safe default, for every format, on a first tagging (the tag
// grows, and moves the audio where there is no room) and on a retag that shrinks the tags.
TEST_CASE("every format: --in-place gives byte for byte the file the safe default gives") {
  fs::path safe_dir = scratch_release("inplace-safe");
  fs::path fast_dir = scratch_release("inplace-fast");
  credits::Sheet sheet = load_sample(safe_dir);
  credits::Sheet smaller = sheet;
  smaller.release.credits.clear();
  for (auto& t : smaller.tracks)
    if (t.credits.size() > 1) t.credits.resize(1);
  tg::WriteOptions in_place;
  in_place.in_place = true;
  auto m = tg::match_files(sheet, audio_paths(safe_dir));
  REQUIRE(m.matched.size() == fixture_names().size());
  for (const auto& pair : m.matched) {
    const std::string name = fs::path(pair.file).filename().string();
    CAPTURE(name);
    const std::string fast = (fast_dir / "audio" / name).string();
    const std::string payload = payload_of(pair.file);
    for (const credits::Sheet* s : {&sheet, &smaller}) {
      tg::TagPlan plan = tg::plan_tags(*s, s->tracks[pair.track]);
      REQUIRE(tg::write_tags(pair.file, plan).outcome == tg::Outcome::Tagged);
      auto r = tg::write_tags(fast, plan, in_place);
      REQUIRE(r.outcome == tg::Outcome::Tagged);
      CHECK(r.bytes_written > 0);
      CHECK(r.bytes_written <= fs::file_size(fast));
      CHECK(slurp(fast) == slurp(pair.file));
      CHECK(payload_of(fast) == payload);
      CHECK(tg::read_credits(fast).document == plan.document);
    }
  }
}

// FLAC files are read on demand (FileImage), not mapped. A file without padding: the tags cannot fit, the
// audio moves, and --in-place rewrites it from the bytes it reads back; both modes give the same file.
TEST_CASE("FLAC without padding: the audio moves, --in-place and the safe default give the same file") {
  fs::path safe_dir = scratch_release("flac-nopad-safe");
  fs::path fast_dir = scratch_release("flac-nopad-fast");
  credits::Sheet sheet = load_sample(safe_dir);
  auto m = tg::match_files(sheet, audio_paths(safe_dir));
  const tg::MatchResult::Pair* flac = nullptr;
  for (const auto& pair : m.matched)
    if (pair.file.ends_with(".flac")) flac = &pair;
  REQUIRE(flac);
  const std::string name = fs::path(flac->file).filename().string();
  const std::string fast = (fast_dir / "audio" / name).string();
  // The fixture without its PADDING block.
  const std::string original = slurp(flac->file);
  REQUIRE(original.starts_with("fLaC"));
  std::vector<std::string> blocks;
  std::size_t pos = 4;
  bool last = false, had_padding = false;
  while (!last) {
    const auto* h = reinterpret_cast<const unsigned char*>(original.data() + pos);
    last = h[0] & 0x80;
    const std::size_t len = (std::size_t(h[1]) << 16) | (std::size_t(h[2]) << 8) | h[3];
    if ((h[0] & 0x7F) == 1)
      had_padding = true;
    else
      blocks.push_back(original.substr(pos, 4 + len));
    pos += 4 + len;
  }
  REQUIRE(had_padding);
  std::string bare = "fLaC";
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    std::string b = blocks[i];
    b[0] = static_cast<char>((b[0] & 0x7F) | (i + 1 == blocks.size() ? 0x80 : 0));
    bare += b;
  }
  const std::string frames = original.substr(pos);
  bare += frames;
  std::ofstream(flac->file, std::ios::binary | std::ios::trunc) << bare;
  std::ofstream(fast, std::ios::binary | std::ios::trunc) << bare;
  const std::string payload = payload_of(flac->file);

  tg::TagPlan plan = tg::plan_tags(sheet, sheet.tracks[flac->track]);
  tg::WriteOptions in_place;
  in_place.in_place = true;
  REQUIRE(tg::write_tags(flac->file, plan).outcome == tg::Outcome::Tagged);
  auto r = tg::write_tags(fast, plan, in_place);
  REQUIRE(r.outcome == tg::Outcome::Tagged);
  const std::string tagged = slurp(fast);
  CHECK(tagged == slurp(flac->file));
  CHECK(tagged.size() > bare.size());
  CHECK(tagged.ends_with(frames)); // moved whole
  CHECK(r.bytes_written >= frames.size());
  CHECK(payload_of(fast) == payload);
  CHECK(tg::read_credits(fast).document == plan.document);
  CHECK(tg::write_tags(fast, plan, in_place).outcome == tg::Outcome::Unchanged);
}
