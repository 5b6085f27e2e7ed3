#include "../support.hpp"

#include <algorithm>
#include <doctest/doctest.h>
#include <filesystem>
#include <fstream>
#include <liner/credits/toml.hpp>
#include <liner/ddex/ddex.hpp>
#include <liner/validators/sheet_rules.hpp>

using namespace liner;

namespace {

credits::Sheet sample_sheet() {
  auto r = credits::load_sheet_toml(std::string(LINER_SOURCE_DIR) + "/samples/ep.toml");
  REQUIRE(r.ok());
  return r.sheet;
}

// What ERN 4.3 carries of a sheet (docs/ddex.md): drops hours, deliverables, tiers, contributions, notes,
// audio paths and source positions; parties in id order.
credits::Sheet carried(credits::Sheet s) {
  s.path.clear();
  s.where = {};
  s.agreements.clear(); // backend terms: not an ERN concept
  for (auto& p : s.parties)
    p.notes.clear();
  std::sort(s.parties.begin(), s.parties.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  auto strip = [](std::vector<credits::Credit>& v) {
    for (auto& c : v)
      c.hours.reset(), c.deliverables.clear(), c.tier = credits::Tier::Unspecified, c.contributions.clear();
  };
  strip(s.release.credits);
  for (auto& t : s.tracks) {
    t.file.clear();
    strip(t.credits);
  }
  return s;
}

} // namespace

TEST_CASE("sheet -> ERN 4.3 -> sheet gives back everything ERN carries") {
  auto sheet = sample_sheet();
  ddex::BuildOptions o;
  o.technical_details = false;
  auto built = ddex::build_ern43(sheet, o);
  REQUIRE(built.ok());
  auto im = ddex::import_ern(built.xml, "ep.xml");
  std::string diag;
  for (const auto& d : im.diagnostics)
    diag += d.code + ": " + d.message + "\n";
  INFO(diag);
  REQUIRE(im.ok());
  REQUIRE(im.version);
  CHECK(im.version->id() == "4.3");
  auto a = carried(sheet), b = carried(im.sheet);
  // Compare through the canonical TOML form: every field, readable diff on failure.
  auto ta = credits::write_sheet_toml(a), tb = credits::write_sheet_toml(b);
  CHECK(ta == tb);
  if (ta != tb) {
    auto dir = test::scratch_dir("ddex-roundtrip");
    std::ofstream(dir / "original.toml") << ta;
    std::ofstream(dir / "imported.toml") << tb;
  }
  // And the imported sheet builds the same message again.
  auto again = ddex::build_ern43(im.sheet, o);
  REQUIRE(again.ok());
  CHECK(again.xml == built.xml);
}

TEST_CASE("all nine DDEX ERN 4.3 samples import without error") {
  int n = 0;
  for (const auto& e :
       std::filesystem::directory_iterator(std::string(LINER_SHARED_DIR) + "/ddex/samples/ern43")) {
    ++n;
    auto r = ddex::import_ern_file(e.path().string());
    std::string diag;
    for (const auto& d : r.diagnostics)
      diag += d.code + ": " + d.message + "\n";
    CAPTURE(e.path().filename().string());
    INFO(diag);
    CHECK(r.ok());
    CHECK(!r.sheet.release.title.empty());
    CHECK(!r.sheet.parties.empty());
    // The written sheet loads again.
    auto toml = credits::write_sheet_toml(r.sheet);
    auto back = credits::parse_sheet_toml(toml, "imported.toml");
    std::string diag2;
    for (const auto& d : back.diagnostics)
      diag2 += d.code + ": " + d.message + "\n";
    INFO(diag2);
    CHECK(back.ok());
  }
  CHECK(n == 9);
}

TEST_CASE("ERN 3.8.2 samples import where the structure allows") {
  for (const auto& e :
       std::filesystem::directory_iterator(std::string(LINER_SHARED_DIR) + "/ddex/samples/ern382")) {
    auto r = ddex::import_ern_file(e.path().string());
    CAPTURE(e.path().filename().string());
    CHECK(r.ok());
    REQUIRE(r.version);
    CHECK(r.version->id() == "3.8.2");
    CHECK(!r.sheet.tracks.empty());
    CHECK(!r.sheet.tracks[0].isrc.empty());
    CHECK(!r.sheet.tracks[0].credits.empty());
  }
}

TEST_CASE("import refuses hostile input") {
  auto r = ddex::import_ern_file(std::string(LINER_SOURCE_DIR) + "/tests/ddex/fixtures/invalid-xxe.xml");
  CHECK(r.diagnostics.has_code("xml-doctype"));
  CHECK(r.sheet.tracks.empty());
}

TEST_CASE("import reads ERN 4.2/4.1 namespaces where the structure is the same") {
  auto sheet = sample_sheet();
  ddex::BuildOptions o;
  o.technical_details = false;
  auto built = ddex::build_ern43(sheet, o);
  REQUIRE(built.ok());
  for (const char* ns :
       {"http://ddex.net/xml/ern/42", "http://ddex.net/xml/ern/41", "http://ddex.net/xml/ern/432"}) {
    std::string xml = built.xml;
    xml.replace(xml.find("http://ddex.net/xml/ern/43"), 26, ns);
    auto r = ddex::import_ern(xml, "other.xml");
    CAPTURE(std::string(ns));
    REQUIRE(r.ok());
    REQUIRE(r.version);
    CHECK(r.version->namespace_uri() == ns);
    CHECK(r.sheet.tracks.size() == sheet.tracks.size());
    CHECK(r.sheet.tracks[1].featured == sheet.tracks[1].featured);
    CHECK(r.sheet.tracks[0].master == sheet.tracks[0].master);
  }
}
