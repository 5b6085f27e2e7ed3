// Independent readers: mutagen, exiftool, ffprobe and MediaInfo each show, for every format, the producer's
// and the mixing engineer's names, the composer and the ISRC, except the pairs documented in
// docs/tag-mapping.md ("Reader limits") and listed in kCannot below.
#include "fixtures.hpp"

#include <set>

using namespace liner;
using namespace liner::test;
namespace tg = liner::tagging;

namespace {

struct Reader {
  const char* name;
  const char* command; // the file is appended, quoted
};

const Reader kReaders[] = {
    {"mutagen", "/usr/bin/python3 " LINER_TAGGING_TEST_DIR "/mutagen_dump.py"},
    {"exiftool", "exiftool -a -G1 -s"},
    {"ffprobe", "ffprobe -v error -show_entries format_tags:stream_tags -of flat"},
    {"mediainfo", "mediainfo"},
};

// Reader x format x item that cannot be shown, and why (docs/tag-mapping.md).
struct Cannot {
  const char* reader;
  const char* extension;
  const char* item;
};
const Cannot kCannot[] = {
    // exiftool 12.57 shows MP4 freeform values that are not plain ASCII as "(Binary data N bytes)".
    {"exiftool", ".m4a", "mixing engineer"},
};

bool cannot(const std::string& reader, const std::string& ext, const std::string& item) {
  for (const auto& c : kCannot)
    if (reader == c.reader && ext == c.extension && item == c.item) return true;
  return false;
}

} // namespace

TEST_CASE("mutagen, exiftool, ffprobe and MediaInfo show producer, mixing engineer, composer and ISRC") {
  fs::path dir = scratch_release("readers");
  credits::Sheet sheet = load_sample(dir);
  auto m = tg::match_files(sheet, audio_paths(dir));
  REQUIRE(m.matched.size() == 7);
  for (const auto& p : m.matched)
    REQUIRE(tg::write_tags(p.file, tg::plan_tags(sheet, sheet.tracks[p.track])).outcome ==
            tg::Outcome::Tagged);
  // Names as the sample sheet has them, with the latin forms RIFF INFO (CP1252) falls back to.
  struct Item {
    const char* item;
    std::vector<std::string> any_of;
  };
  for (const auto& p : m.matched) {
    const auto& track = sheet.tracks[p.track];
    std::string ext = fs::path(p.file).extension().string();
    std::vector<Item> items = {
        {"producer", {"Malik Okafor"}},
        {"mixing engineer", {"ليلى حداد", "Layla Haddad"}},
        {"composer", {"森 彩", "Aya Mori"}},
        {"ISRC", {track.isrc}},
    };
    for (const auto& r : kReaders) {
      int rc = 0;
      std::string out = run(std::string(r.command) + " " + shell_quote(p.file) + " 2>&1", &rc);
      CAPTURE(p.file);
      CAPTURE(r.name);
      CHECK(rc == 0);
      for (const auto& it : items) {
        bool shown = false;
        for (const auto& name : it.any_of)
          shown = shown || out.find(name) != std::string::npos;
        if (cannot(r.name, ext, it.item)) {
          if (shown)
            MESSAGE(r.name << " now shows the " << it.item << " in " << ext
                           << ": update kCannot and the doc");
          continue;
        }
        CHECK_MESSAGE(shown, r.name << " does not show the " << it.item << " of " << p.file << "\n" << out);
      }
    }
  }
}
