#include "../support.hpp"

#include <doctest/doctest.h>
#include <liner/credits/error.hpp>
#include <liner/credits/roles.hpp>
#include <liner/credits/toml.hpp>

using namespace liner;
using namespace liner::credits;

namespace {
const std::string kSample = std::string(LINER_SOURCE_DIR) + "/samples/ep.toml";

std::string minimal(const std::string& extra_release = "", const std::string& extra_track = "") {
  return "sheet_version = 1\n[release]\ntitle = \"T\"\nartists = [\"a\"]\n" + extra_release +
         "\n[parties.a]\nname = \"A\"\n\n[[tracks]]\nnumber = 1\ntitle = \"One\"\n" + extra_track;
}

const Diagnostic* find(const Diagnostics& d, std::string_view code) {
  for (const auto& x : d)
    if (x.code == code) return &x;
  return nullptr;
}
} // namespace

TEST_CASE("the sample sheet loads cleanly with every field") {
  LoadResult r = load_sheet_toml(kSample);
  for (const auto& d : r.diagnostics)
    MESSAGE(d.location.str() << ": " << d.message);
  REQUIRE(r.ok());
  const Sheet& s = r.sheet;
  CHECK(s.release.title == "Kintsugi Nights");
  CHECK(s.release.type == "EP");
  CHECK(s.release.release_date == "2026-03-13");
  REQUIRE(s.release.p_line);
  CHECK(s.release.p_line->year == 2026);
  CHECK(s.parties.size() >= 10);
  CHECK(s.party("aya")->name == "森 彩");
  CHECK(s.party("aya")->latin_name == "Aya Mori");
  CHECK(s.party("layla")->name == "ليلى حداد");
  CHECK(s.party("nova")->kind == PartyKind::Organization);
  REQUIRE(s.tracks.size() == 4);
  const Track& t1 = s.tracks[0];
  CHECK(t1.publishing.size() == 3);
  CHECK(t1.publishing[0].percent == *Decimal::parse("33.34"));
  CHECK(t1.publishing[1].percent == *Decimal::parse("33.33"));
  CHECK(t1.publishing[0].capacity == Capacity::Writer);
  CHECK(t1.credits[1].hours == *Decimal::parse("62.5"));
  // The release-level mastering credit is merged into every track.
  for (const Track& t : s.tracks) {
    auto credits = s.effective_credits(t);
    CHECK(std::count_if(credits.begin(), credits.end(), [](const Credit& c) { return c.party == "ines"; }) ==
          1);
  }
  CHECK(s.tracks[3].credits.back().roles.back() == Term{"Session Curator", true});
  CHECK(s.delivery.present);
  CHECK(s.deals.size() == 1);
}

TEST_CASE("write then read reproduces the sheet, and fmt is idempotent") {
  LoadResult r = load_sheet_toml(kSample);
  REQUIRE(r.ok());
  std::string once = write_sheet_toml(r.sheet);
  LoadResult again = parse_sheet_toml(once, "again.toml");
  REQUIRE(again.ok());
  CHECK(write_sheet_toml(again.sheet) == once);
  // The sample is itself in canonical form.
  CHECK(once == liner::credits::read_file(kSample, kMaxSheetBytes));
}

TEST_CASE("shares are read exactly from integers, decimals and strings") {
  auto r =
      parse_sheet_toml(minimal("", "master = [{ party = \"a\", share = 33.333333 }, { party = \"a\", share = "
                                   "\"66.666667\" }, { party = \"a\", share = 0 }]\n"),
                       "s.toml");
  REQUIRE(r.ok());
  CHECK(r.sheet.tracks[0].master[0].percent.units() == 33'333'333);
  CHECK(r.sheet.tracks[0].master[1].percent.units() == 66'666'667);
  CHECK(r.sheet.tracks[0].master[2].percent.units() == 0);
}

TEST_CASE("more than 6 decimals is an error at the value") {
  auto r = parse_sheet_toml(minimal("", "master = [{ party = \"a\", share = 33.3333333 }]\n"), "s.toml");
  const Diagnostic* d = find(r.diagnostics, "too-many-decimals");
  REQUIRE(d);
  CHECK(d->location.line == 12);
  CHECK(d->location.column == 34);
}

TEST_CASE("unknown keys are reported with a suggestion and a position") {
  auto r = parse_sheet_toml(minimal("titel = \"x\"\n"), "s.toml");
  const Diagnostic* d = find(r.diagnostics, "unknown-key");
  REQUIRE(d);
  CHECK(d->location.line == 5);
  CHECK(d->location.column == 1);
  CHECK(d->hint.find("title") != std::string::npos);
}

TEST_CASE("wrong types are reported") {
  auto r = parse_sheet_toml(minimal("genre = 5\n"), "s.toml");
  const Diagnostic* d = find(r.diagnostics, "wrong-type");
  REQUIRE(d);
  CHECK(d->message.find("'genre' must be a string") != std::string::npos);
  CHECK(d->location.line == 5);
}

TEST_CASE("roles: aliases resolve, unknown ones suggest, custom ones pass") {
  auto r = parse_sheet_toml(minimal("", "[[tracks.credits]]\nparty = \"a\"\nroles = [\"producer\", \"Mix "
                                        "Engineer\", \"custom:Vibe Curator\"]\n"),
                            "s.toml");
  REQUIRE(r.ok());
  auto& roles = r.sheet.tracks[0].credits[0].roles;
  REQUIRE(roles.size() == 3);
  CHECK(roles[0] == Term{"StudioProducer", false});
  CHECK(roles[1] == Term{"MixingEngineer", false});
  CHECK(roles[2] == Term{"Vibe Curator", true});

  auto bad = parse_sheet_toml(
      minimal("", "[[tracks.credits]]\nparty = \"a\"\nroles = [\"Mixing Enginer\"]\n"), "s.toml");
  const Diagnostic* d = find(bad.diagnostics, "unknown-role");
  REQUIRE(d);
  CHECK(d->location.line == 14);
  CHECK(d->location.column == 10);
  CHECK(d->hint.find("MixingEngineer") != std::string::npos);
}

TEST_CASE("names are stored NFC") {
  // "Zoe" + combining diaeresis (NFD) becomes the precomposed "Zoë".
  auto r = parse_sheet_toml(
      "[release]\ntitle = \"T\"\nartists = [\"z\"]\n[parties.z]\nname = \"Zoe\xCC\x88 Laurent\"\n", "s.toml");
  REQUIRE(r.ok());
  CHECK(r.sheet.parties[0].name == "Zo\xC3\xAB Laurent");
}

TEST_CASE("bad input never crashes and says what is wrong") {
  CHECK(parse_sheet_toml("", "e.toml").diagnostics.has_code("empty-sheet"));
  CHECK(parse_sheet_toml(std::string("\x7F"
                                     "ELF\0\0\x01",
                                     7),
                         "b.toml")
            .diagnostics.has_code("not-text"));
  auto bad_utf8 = parse_sheet_toml("[release]\ntitle = \"\xC3\x28\"\n", "u.toml");
  REQUIRE(bad_utf8.diagnostics.has_code("invalid-utf8"));
  CHECK(bad_utf8.diagnostics.items()[0].location.line == 2);
  CHECK(parse_sheet_toml("[release\n", "x.toml").diagnostics.has_code("toml-syntax"));
  std::string deep = "x = " + std::string(5000, '[') + std::string(5000, ']') + "\n";
  CHECK(parse_sheet_toml(deep, "deep.toml").diagnostics.has_errors());
  std::string huge(kMaxSheetBytes + 10, '#');
  CHECK(parse_sheet_toml(huge, "huge.toml").diagnostics.has_code("file-too-large"));
  CHECK_THROWS_AS(load_sheet_toml("/nonexistent/sheet.toml"), liner::Error);
}

TEST_CASE("effective credits: one per party, duplicates and release credits merged in order") {
  auto r = parse_sheet_toml(minimal("[[release.credits]]\nparty = \"a\"\nroles = [\"MasteringEngineer\"]\n",
                                    "[[tracks.credits]]\nparty = \"a\"\nroles = [\"producer\"]\n"
                                    "[[tracks.credits]]\nparty = \"a\"\nroles = [\"mixer\", \"producer\"]\n"
                                    "instruments = [\"keys\"]\n"),
                            "s.toml");
  REQUIRE(r.ok());
  auto credits = r.sheet.effective_credits(r.sheet.tracks[0]);
  REQUIRE(credits.size() == 1);
  REQUIRE(credits[0].roles.size() == 3);
  CHECK(credits[0].roles[0].name == "StudioProducer");
  CHECK(credits[0].roles[1].name == "MixingEngineer");
  CHECK(credits[0].roles[2].name == "MasteringEngineer");
  CHECK(credits[0].instruments.size() == 1);
}

// valid_utf8 skips ASCII eight bytes at a time: a bad byte must be found at any offset, after any run.
TEST_CASE("valid_utf8: invalid bytes found after ASCII runs of every length") {
  const std::vector<std::pair<std::string, bool>> middles = {
      {"", true},          {"\xC3\xA9", true},     {"\xE6\xA3\xAE", true}, {"\xF0\x9F\x8E\xB5", true},
      {"\xFF", false},     {"\xC3", false},        {"\xE6\xA3", false},    {"\x80", false},
      {"\xC0\xAF", false}, {"\xED\xA0\x80", false}};
  for (std::size_t before = 0; before < 20; ++before)
    for (std::size_t after = 0; after < 12; ++after)
      for (const auto& [middle, valid] : middles) {
        const std::string s = std::string(before, 'a') + middle + std::string(after, 'b');
        CAPTURE(before);
        CAPTURE(after);
        CHECK(liner::credits::valid_utf8(s) == valid);
      }
}
