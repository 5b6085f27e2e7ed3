#include "../support.hpp"
#include "xsd.hpp"

#include <doctest/doctest.h>
#include <fstream>
#include <liner/credits/toml.hpp>
#include <liner/ddex/ddex.hpp>

using namespace liner;

namespace {

credits::Sheet sample_sheet() {
  auto r = credits::load_sheet_toml(std::string(LINER_SOURCE_DIR) + "/samples/ep.toml");
  REQUIRE(r.ok());
  return r.sheet;
}

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v)
    s += x + "\n";
  return s;
}

} // namespace

TEST_CASE("sample EP builds a schema-valid ERN 4.3 message") {
  auto sheet = sample_sheet();
  ddex::BuildOptions o;
  o.technical_details = false;
  auto r = ddex::build_ern43(sheet, o);
  std::string diag;
  for (const auto& d : r.diagnostics)
    diag += d.code + ": " + d.message + "\n";
  INFO(diag);
  REQUIRE(r.ok());
  std::ofstream(test::scratch_dir("ddex-build") / "ep.xml") << r.xml;
  auto errors = test::xsd_errors(r.xml);
  CHECK_MESSAGE(errors.empty(), join(errors));
}

TEST_CASE("output is deterministic and the created time comes from the option") {
  auto sheet = sample_sheet();
  ddex::BuildOptions o;
  o.technical_details = false;
  o.created = "2026-02-01T10:00:00Z";
  auto a = ddex::build_ern43(sheet, o), b = ddex::build_ern43(sheet, o);
  REQUIRE(a.ok());
  CHECK(a.xml == b.xml);
  CHECK(a.xml.find("<MessageCreatedDateTime>2026-02-01T10:00:00Z</MessageCreatedDateTime>") !=
        std::string::npos);
  sheet.tracks[0].title = "Golden Seams (changed)";
  auto c = ddex::build_ern43(sheet, o);
  auto id = [](const std::string& x) {
    auto p = x.find("<MessageId>");
    return x.substr(p, 40);
  };
  CHECK(id(a.xml) != id(c.xml));
}

TEST_CASE("credits: custom roles are UserDefined, featured artist, mastering on every track, shares") {
  auto sheet = sample_sheet();
  ddex::BuildOptions o;
  o.technical_details = false;
  auto r = ddex::build_ern43(sheet, o);
  REQUIRE(r.ok());
  CHECK(r.xml.find("<Role UserDefinedValue=\"Session Curator\">UserDefined</Role>") != std::string::npos);
  CHECK(r.xml.find("<DisplayArtistRole>FeaturedArtist</DisplayArtistRole>") != std::string::npos);
  CHECK(r.xml.find("<HasMadeFeaturedContribution>true</HasMadeFeaturedContribution>") != std::string::npos);
  std::size_t n = 0;
  for (auto p = r.xml.find("<Role>MasteringEngineer</Role>"); p != std::string::npos;
       p = r.xml.find("<Role>MasteringEngineer</Role>", p + 1))
    ++n;
  CHECK(n == sheet.tracks.size());
  CHECK(r.xml.find("<RightSharePercentage>33.34</RightSharePercentage>") != std::string::npos);
  CHECK(r.xml.find("<RightsControllerType>OriginalOwner</RightsControllerType>") != std::string::npos);
  CHECK(r.xml.find("ReleaseProfileVersionId=\"Audio\"") != std::string::npos);
  CHECK(r.xml.find("<ICPN>" + sheet.release.upc + "</ICPN>") != std::string::npos);
  CHECK(r.xml.find("<Role>Producer</Role>") == std::string::npos);
}

TEST_CASE("a one-track sheet uses the single profile; a plain Producer becomes UserDefined; discs group") {
  auto sheet = sample_sheet();
  sheet.tracks.resize(1);
  sheet.agreements.clear(); // backend terms may name the other tracks
  sheet.release.type = "Single";
  sheet.tracks[0].credits[1].roles.push_back(credits::Term{"Producer", false});
  ddex::BuildOptions o;
  o.technical_details = false;
  auto r = ddex::build_ern43(sheet, o);
  REQUIRE(r.ok());
  CHECK(r.xml.find("ReleaseProfileVersionId=\"SimpleAudioSingle\"") != std::string::npos);
  CHECK(r.xml.find("<Role UserDefinedValue=\"Producer\">UserDefined</Role>") != std::string::npos);
  CHECK(test::xsd_errors(r.xml).empty());

  auto multi = sample_sheet();
  multi.agreements.clear(); // backend terms name tracks by number
  multi.tracks[2].disc = 2, multi.tracks[2].number = 1;
  multi.tracks[3].disc = 2, multi.tracks[3].number = 2;
  auto m = ddex::build_ern43(multi, o);
  REQUIRE(m.ok());
  CHECK(m.xml.find("<ResourceGroup ResourceGroupType=\"Component\">") != std::string::npos);
  auto errors = test::xsd_errors(m.xml);
  CHECK_MESSAGE(errors.empty(), join(errors));
}

TEST_CASE("a sheet that cannot make a valid message gets diagnostics and no XML") {
  ddex::BuildOptions o;
  o.technical_details = false;
  {
    auto s = sample_sheet();
    s.tracks[1].isrc.clear();
    auto r = ddex::build_ern43(s, o);
    CHECK(!r.ok());
    CHECK(r.xml.empty());
    CHECK(r.diagnostics.has_code("ddex-missing-isrc"));
  }
  {
    auto s = sample_sheet();
    s.release.upc.clear();
    auto r = ddex::build_ern43(s, o);
    CHECK(!r.ok());
    CHECK(r.diagnostics.has_code("ddex-missing-upc"));
  }
  {
    auto s = sample_sheet();
    s.tracks[0].master[0].percent = Decimal::from_int(60);
    auto r = ddex::build_ern43(s, o);
    CHECK(!r.ok());
    CHECK(r.diagnostics.has_code("ddex-master-shares"));
  }
  {
    auto s = sample_sheet();
    s.tracks[0].duration.clear();
    auto r = ddex::build_ern43(s, o);
    CHECK(!r.ok());
    CHECK(r.diagnostics.has_code("ddex-missing-duration"));
  }
}

TEST_CASE("a sheet built in code, no deals, sender from options") {
  credits::Sheet s;
  s.release.title = "Tiny & <Odd> \"Title\"";
  s.release.type = "Single";
  s.release.upc = "085963100424";
  s.release.label = "lab";
  s.release.artists = {"a"};
  s.release.release_date = "2026-05-01";
  s.release.genre = "Pop";
  s.parties.push_back({.id = "a",
                       .name = "Ann",
                       .latin_name = "",
                       .kind = credits::PartyKind::Person,
                       .isni = "",
                       .ipi = "",
                       .ipn = "",
                       .dpid = "",
                       .notes = ""});
  s.parties.push_back({.id = "lab",
                       .name = "Lab",
                       .latin_name = "",
                       .kind = credits::PartyKind::Organization,
                       .isni = "",
                       .ipi = "",
                       .ipn = "",
                       .dpid = "PADPIDA2026NOVA01L",
                       .notes = ""});
  credits::Track t;
  t.number = 1;
  t.title = "One";
  t.version = "Radio Edit";
  t.isrc = "JPX012600101";
  t.duration = "PT2M";
  t.credits.push_back({.party = "a",
                       .roles = {{"Vocalist", false}},
                       .instruments = {{"Nose Flute", true}},
                       .hours = {},
                       .deliverables = {},
                       .tier = {},
                       .contributions = {}});
  t.master.push_back({.party = "lab", .percent = Decimal::from_int(100)});
  s.tracks.push_back(t);
  ddex::BuildOptions o;
  o.technical_details = false;
  o.sender = "PADPIDA2026STEL02R=Stellar";
  o.recipients = {"PADPIDA2026HARB03K"};
  o.live = true;
  auto r = ddex::build_ern43(s, o);
  std::string diag;
  for (const auto& d : r.diagnostics)
    diag += d.code + ": " + d.message + "\n";
  INFO(diag);
  REQUIRE(r.ok());
  CHECK(r.xml.find("<MessageControlType>LiveMessage</MessageControlType>") != std::string::npos);
  CHECK(r.xml.find("Tiny &amp; &lt;Odd&gt; \"Title\"") != std::string::npos);
  CHECK(r.xml.find("<InstrumentType UserDefinedValue=\"Nose Flute\">UserDefined</InstrumentType>") !=
        std::string::npos);
  CHECK(r.xml.find("<SubTitle SubTitleType=\"Version\">Radio Edit</SubTitle>") != std::string::npos);
  CHECK(r.xml.find("<CommercialModelType>SubscriptionModel</CommercialModelType>") != std::string::npos);
  auto errors = test::xsd_errors(r.xml);
  CHECK_MESSAGE(errors.empty(), join(errors));
}

TEST_CASE("iso durations") {
  CHECK(ddex::iso_duration(221000) == "PT3M41S");
  CHECK(ddex::iso_duration(221500) == "PT3M41.5S");
  CHECK(ddex::iso_duration(3600000) == "PT1H");
  CHECK(ddex::iso_duration(0) == "PT0S");
}

TEST_CASE("golden: the sample EP message") {
  auto sheet = sample_sheet();
  ddex::BuildOptions o;
  o.technical_details = false;
  o.created = "2026-03-01T09:00:00Z";
  auto r = ddex::build_ern43(sheet, o);
  REQUIRE(r.ok());
  auto golden = std::filesystem::path(LINER_SOURCE_DIR) / "tests/ddex/golden/ep.xml";
  if (std::getenv("LINER_UPDATE_GOLDEN")) std::ofstream(golden, std::ios::binary) << r.xml;
  auto expected = credits::read_file(golden.string(), 1 << 24);
  CHECK(r.xml == expected);
  // A one-track cut of the sample: the base of the invalid-<reason>.xml fixtures.
  sheet.tracks.resize(1);
  sheet.agreements.clear(); // backend terms may name the other tracks
  auto one = ddex::build_ern43(sheet, o);
  REQUIRE(one.ok());
  std::ofstream(test::scratch_dir("ddex-golden") / "one.xml", std::ios::binary) << one.xml;
}

TEST_CASE("a malformed --created is refused") {
  auto sheet = sample_sheet();
  ddex::BuildOptions o;
  o.technical_details = false;
  o.created = "yesterday";
  auto r = ddex::build_ern43(sheet, o);
  CHECK(!r.ok());
  CHECK(r.diagnostics.has_code("ddex-invalid-created"));
  o.created = "2026-03-01T12:00:00+09:00";
  CHECK(ddex::build_ern43(sheet, o).ok());
}

TEST_CASE("RightSharePercentage carries the effective master shares of share agreements") {
  auto sheet = sample_sheet();
  // aya's share agreement now covers track 2 too, where her plain share is 35: the message must say 40
  // for her, and scale the other holders (nova 50, zoe 5, malik 10) into the remaining 60.
  for (auto& a : sheet.agreements)
    if (a.party == "aya") a.tracks.clear();
  ddex::BuildOptions o;
  o.technical_details = false;
  auto r = ddex::build_ern43(sheet, o);
  for (const auto& d : r.diagnostics)
    MESSAGE(d.code << ": " << d.message);
  REQUIRE(r.ok());
  auto sr2 = r.xml.find("<ResourceReference>A2</ResourceReference>");
  auto sr3 = r.xml.find("<ResourceReference>A3</ResourceReference>");
  REQUIRE(sr2 != std::string::npos);
  std::string track2 = r.xml.substr(sr2, sr3 - sr2);
  CHECK(track2.find("<RightSharePercentage>40</RightSharePercentage>") != std::string::npos);
  CHECK(track2.find("<RightSharePercentage>35</RightSharePercentage>") == std::string::npos);
  CHECK(track2.find("<RightSharePercentage>46.153846</RightSharePercentage>") != std::string::npos);
}
