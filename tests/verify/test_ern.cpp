// The direct ERN reader: parties, contributors, shares and XPaths.
#include <algorithm>
#include <doctest/doctest.h>
#include <liner/credits/error.hpp>
#include <liner/verify/verify.hpp>

using namespace liner;

namespace {
constexpr const char* kErn = R"(<?xml version="1.0" encoding="UTF-8"?>
<ern:NewReleaseMessage xmlns:ern="http://ddex.net/xml/ern/43">
  <PartyList>
    <Party><PartyReference>Paya</PartyReference>
      <PartyName><FullName>森 彩</FullName><FullNameAsciiTranscribed>Aya Mori</FullNameAsciiTranscribed></PartyName>
      <PartyId><ISNI>0000000123456789</ISNI><IpiNameNumber>00428531754</IpiNameNumber></PartyId></Party>
    <Party><PartyReference>Ptomas</PartyReference><PartyName><FullName>Tomáš Novák</FullName></PartyName></Party>
    <Party><PartyReference>Pnova</PartyReference><PartyName><FullName>Nova Lantern Records</FullName></PartyName></Party>
  </PartyList>
  <ResourceList>
    <SoundRecording>
      <ResourceReference>A1</ResourceReference>
      <SoundRecordingEdition><ResourceId><ISRC>JPX012600101</ISRC></ResourceId></SoundRecordingEdition>
      <DisplayTitleText>Golden Seams</DisplayTitleText>
      <Contributor SequenceNumber="1"><ContributorPartyReference>Paya</ContributorPartyReference>
        <Role>ComposerLyricist</Role><Role>Vocalist</Role></Contributor>
      <Contributor SequenceNumber="2"><ContributorPartyReference>Ptomas</ContributorPartyReference>
        <Role>AssistantEngineer</Role><Role UserDefinedValue="Session Curator">UserDefined</Role>
        <InstrumentType>Piano</InstrumentType></Contributor>
      <ResourceRightsController SequenceNumber="1"><RightsControllerPartyReference>Pnova</RightsControllerPartyReference>
        <RightSharePercentage>50</RightSharePercentage></ResourceRightsController>
      <ResourceRightsController SequenceNumber="2"><RightsControllerPartyReference>Paya</RightsControllerPartyReference>
        <RightSharePercentage>40.5</RightSharePercentage></ResourceRightsController>
    </SoundRecording>
  </ResourceList>
  <ReleaseList><Release><ResourceGroup><ResourceGroupContentItem><SequenceNumber>3</SequenceNumber>
    <ReleaseResourceReference>A1</ReleaseResourceReference></ResourceGroupContentItem></ResourceGroup></Release></ReleaseList>
</ern:NewReleaseMessage>)";
}

TEST_CASE("ERN 4.3: contributors with their party, roles, identifiers and XPaths") {
  auto o = verify::observe_ern(kErn, "msg.xml");
  CHECK(o.diagnostics.empty());
  REQUIRE(o.tracks.size() == 1);
  const auto& t = o.tracks[0];
  CHECK(t.isrc == "JPX012600101");
  CHECK(t.number == 3);
  CHECK(t.title == "Golden Seams");
  CHECK(t.where.xpath == "/NewReleaseMessage/ResourceList/SoundRecording");
  REQUIRE(t.credits.size() == 2);
  CHECK(t.credits[0].name == "森 彩");
  CHECK(t.credits[0].latin_name == "Aya Mori");
  CHECK(t.credits[0].ids.isni == "0000000123456789");
  CHECK(t.credits[0].ids.ipi == "00428531754");
  CHECK(t.credits[0].roles == std::vector<std::string>{"ComposerLyricist", "Vocalist"});
  CHECK(t.credits[0].where.xpath == "/NewReleaseMessage/ResourceList/SoundRecording/Contributor[1]");
  REQUIRE(t.credits[0].also.size() == 1);
  CHECK(t.credits[0].also[0].xpath == "/NewReleaseMessage/PartyList/Party[1]");
  CHECK(t.credits[1].roles == std::vector<std::string>{"AssistantEngineer", "custom:Session Curator"});
  CHECK(t.credits[1].instruments == std::vector<std::string>{"Piano"});
  REQUIRE(t.master);
  REQUIRE(t.master->size() == 2);
  CHECK((*t.master)[1].name == "森 彩");
  CHECK((*t.master)[1].percent == *Decimal::parse("40.5"));
  CHECK((*t.master)[1].where.xpath ==
        "/NewReleaseMessage/ResourceList/SoundRecording/ResourceRightsController[2]");
  CHECK_FALSE(t.publishing);
}

TEST_CASE("ERN reader: bad input gives diagnostics, not exceptions") {
  auto o = verify::observe_ern("<NewReleaseMessage><oops>", "bad.xml");
  CHECK(o.diagnostics.has_code("verify-ddex-xml"));
  CHECK(o.unreadable.size() == 1);
  o = verify::observe_ern("<html/>", "page.xml");
  CHECK(o.diagnostics.has_code("verify-ddex-not-ern"));
  // An external entity is never fetched or expanded.
  o = verify::observe_ern(R"(<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<NewReleaseMessage><PartyList><Party><PartyReference>P</PartyReference><PartyName><FullName>&x;</FullName></PartyName></Party></PartyList>
<ResourceList><SoundRecording><Contributor><ContributorPartyReference>P</ContributorPartyReference><Role>Composer</Role></Contributor></SoundRecording></ResourceList></NewReleaseMessage>)",
                          "xxe.xml");
  for (const auto& t : o.tracks)
    for (const auto& c : t.credits)
      CHECK(c.name.find("root:") == std::string::npos);
  CHECK_THROWS_AS(verify::observe_ern_file("/nonexistent/msg.xml"), liner::Error);
}

TEST_CASE("ERN samples from DDEX: 4.3 with a PartyList, 3.8.2 with inline parties") {
  const std::string shared = LINER_SHARED_DIR "/ddex/samples/";
  auto o = verify::observe_ern_file(shared + "ern43/1 Audio.xml");
  CHECK_FALSE(o.diagnostics.has_errors());
  REQUIRE(o.tracks.size() == 21);
  CHECK(o.tracks[0].isrc == "JPTO09404900");
  REQUIRE_FALSE(o.tracks[0].credits.empty());
  CHECK(o.tracks[0].credits[0].name == "Saeko Shu");
  CHECK(o.tracks[0].credits[0].roles == std::vector<std::string>{"Artist"});

  o = verify::observe_ern_file(shared + "ern382/Profile_AudioAlbumMusicOnly.xml");
  CHECK_FALSE(o.diagnostics.has_errors());
  REQUIRE(o.tracks.size() == 6);
  CHECK(o.tracks[0].isrc == "CASE00000001");
  const auto& cs = o.tracks[0].credits;
  auto has = [&](const std::string& name, const std::string& role) {
    return std::any_of(cs.begin(), cs.end(), [&](const auto& c) {
      return c.name == name && std::find(c.roles.begin(), c.roles.end(), role) != c.roles.end();
    });
  };
  CHECK(has("Steve Albino", "Producer"));
  CHECK(has("Bob Black", "Composer"));
}
