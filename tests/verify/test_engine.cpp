// The comparison engine on synthetic observations built from the sample sheet.
#include <algorithm>
#include <doctest/doctest.h>
#include <liner/credits/toml.hpp>
#include <liner/verify/verify.hpp>

using namespace liner;
using verify::Status;

namespace {

credits::Sheet sample() {
  auto r = credits::load_sheet_toml(LINER_SOURCE_DIR "/samples/ep.toml");
  REQUIRE(r.ok());
  return r.sheet;
}

// What a perfect source would show: every credit with its party's name and ids, every share.
verify::Observed perfect(const credits::Sheet& s, verify::Source src) {
  verify::Observed o;
  o.source = src;
  o.origin = src == verify::Source::Ddex ? "msg.xml" : "audio";
  for (std::size_t i = 0; i < s.tracks.size(); ++i) {
    const auto& t = s.tracks[i];
    verify::ObservedTrack ot;
    ot.isrc = t.isrc;
    ot.number = t.number;
    ot.title = t.title;
    ot.where = {src == verify::Source::Ddex ? "msg.xml" : t.file,
                {},
                src == verify::Source::Ddex
                    ? "/NewReleaseMessage/ResourceList/SoundRecording[" + std::to_string(i + 1) + "]"
                    : ""};
    int n = 0;
    for (const auto& c : s.effective_credits(t)) {
      const auto* p = s.party(c.party);
      verify::ObservedCredit oc;
      oc.name = p->name;
      oc.latin_name = p->latin_name;
      if (src == verify::Source::Ddex) {
        oc.ids = verify::identifiers_of(*p);
        oc.ids_known = true;
      }
      for (const auto& r : c.roles)
        oc.roles.push_back(r.str());
      for (const auto& r : c.instruments)
        oc.instruments.push_back(r.str());
      oc.where = {ot.where.file, src == verify::Source::Files ? "TXXX:LINER_CREDITS" : "",
                  src == verify::Source::Ddex ? ot.where.xpath + "/Contributor[" + std::to_string(++n) + "]"
                                              : ""};
      ot.credits.push_back(oc);
    }
    verify::merge_same_names(ot);
    auto shares = [&](const std::vector<credits::Share>& v) {
      std::vector<verify::ObservedShare> out;
      for (const auto& sh : v)
        out.push_back(
            {s.party(sh.party)->name, {}, verify::identifiers_of(*s.party(sh.party)), sh.percent, ot.where});
      return out;
    };
    ot.master = shares(t.master);
    if (src == verify::Source::Ddex) ot.publishing = shares(t.publishing);
    o.tracks.push_back(ot);
  }
  return o;
}

const verify::CreditRow& row(const verify::Report& r, int track, std::string_view party) {
  const auto& t = r.tracks.at(static_cast<std::size_t>(track - 1));
  auto it = std::find_if(t.credits.begin(), t.credits.end(), [&](const auto& c) { return c.party == party; });
  REQUIRE(it != t.credits.end());
  return *it;
}

verify::ObservedCredit& credit(verify::Observed& o, int track, std::string_view name) {
  auto& t = o.tracks.at(static_cast<std::size_t>(track - 1));
  auto it = std::find_if(t.credits.begin(), t.credits.end(), [&](const auto& c) { return c.name == name; });
  REQUIRE(it != t.credits.end());
  return *it;
}

} // namespace

TEST_CASE("a perfect delivery is all present") {
  auto s = sample();
  auto r = verify::compare(s, {perfect(s, verify::Source::Files), perfect(s, verify::Source::Ddex)});
  CHECK(r.ok());
  CHECK(r.problem_count() == 0);
  REQUIRE(r.tracks.size() == 4);
  CHECK(r.tracks[0].in_files == Status::Present);
  CHECK(row(r, 1, "ines").ddex.status == Status::Present); // release-level credit on every track
  CHECK(row(r, 4, "tomas").files.status == Status::Present);
  for (const auto& t : r.tracks)
    for (const auto& sh : t.shares) {
      CHECK(sh.ddex.status == Status::Present);
      if (sh.kind == "publishing") CHECK(sh.files.status == Status::NotChecked);
    }
  auto j = verify::to_json(r, s);
  CHECK(j["liner"] == "verify");
  CHECK(j["version"] == 1);
  CHECK(j["ok"] == true);
}

TEST_CASE("each kind of break is reported with party, track and place") {
  auto s = sample();
  auto files = perfect(s, verify::Source::Files);
  auto ddex = perfect(s, verify::Source::Ddex);

  SUBCASE("a credit removed from a file") {
    auto& t = files.tracks[1].credits;
    std::erase_if(t, [](const auto& c) { return c.name == "Zoë Laurent"; });
    auto r = verify::compare(s, {files, ddex});
    CHECK_FALSE(r.ok());
    const auto& z = row(r, 2, "zoe");
    CHECK(z.files.status == Status::Missing);
    CHECK(z.files.where.file == "audio/02 - Paper Lanterns.wav");
    CHECK(z.ddex.status == Status::Present);
    CHECK(r.problem_count() == 1);
  }
  SUBCASE("a credit missing from one of two files of the same track") {
    auto copy = files.tracks[1];
    copy.file = "audio/02 - Paper Lanterns.mp3";
    copy.where.file = copy.file;
    std::erase_if(copy.credits, [](const auto& c) { return c.name == "Zoë Laurent"; });
    for (auto& c : copy.credits)
      c.where.file = copy.file;
    copy.sheet_track = 1;
    files.tracks.push_back(copy);
    auto r = verify::compare(s, {files, ddex});
    CHECK(row(r, 2, "zoe").files.status == Status::Missing);
    CHECK(row(r, 2, "zoe").files.where.file == "audio/02 - Paper Lanterns.mp3");
    REQUIRE(row(r, 2, "aya").files.also.size() == 1);
    CHECK(row(r, 2, "aya").files.also[0].file == "audio/02 - Paper Lanterns.mp3");
    REQUIRE(r.tracks[1].files_copies.size() == 1);
    CHECK(r.tracks[1].files_copies[0].file == "audio/02 - Paper Lanterns.mp3");
    CHECK(r.problem_count() == 1);
  }
  SUBCASE("diacritics dropped in the message") {
    credit(ddex, 2, "Zoë Laurent").name = "Zoe Laurent";
    auto r = verify::compare(s, {files, ddex});
    const auto& z = row(r, 2, "zoe");
    CHECK(z.ddex.status == Status::Near);
    CHECK(z.ddex.observed_name == "Zoe Laurent");
    CHECK(z.ddex.name_reasons == std::vector<std::string>{"diacritics"});
    CHECK(z.ddex.where.xpath.find("SoundRecording[2]/Contributor[") != std::string::npos);
    CHECK(z.ddex.summary() == "near: 'Zoe Laurent' (diacritics dropped)");
    CHECK(r.problem_count() == 1);
  }
  SUBCASE("a misspelled name with its ISNI still right") {
    credit(ddex, 1, "Malik Okafor").name = "Malick Okafor";
    auto r = verify::compare(s, {ddex});
    CHECK(row(r, 1, "malik").ddex.status == Status::Near);
    CHECK(row(r, 1, "malik").ddex.name_reasons == std::vector<std::string>{"spelling"});
  }
  SUBCASE("a latin form in the files") {
    credit(files, 3, "森 彩").name = "Aya Mori";
    auto r = verify::compare(s, {files});
    CHECK(row(r, 3, "aya").files.status == Status::Near);
    CHECK(row(r, 3, "aya").files.name_reasons == std::vector<std::string>{"latin form"});
  }
  SUBCASE("a wrong role and a wrong identifier") {
    auto& m = credit(ddex, 1, "Malik Okafor");
    m.roles = {"StudioProducer", "Composer"};
    credit(ddex, 1, "Priya Raman").ids.isni = "0000000277889900";
    auto r = verify::compare(s, {ddex});
    CHECK(row(r, 1, "malik").ddex.status == Status::Different);
    CHECK(row(r, 1, "malik").ddex.missing_roles == std::vector<std::string>{"Programmer"});
    CHECK(row(r, 1, "priya").ddex.status == Status::Different);
    REQUIRE(row(r, 1, "priya").ddex.id_problems.size() == 1);
    CHECK(row(r, 1, "priya").ddex.id_problems[0] ==
          "ISNI 0000000277889907 in the sheet, 0000000277889900 in ddex");
  }
  SUBCASE("a changed share") {
    (*ddex.tracks[0].master)[2].percent = Decimal::from_int(15);
    auto r = verify::compare(s, {ddex});
    auto& sh = r.tracks[0].shares;
    auto it = std::find_if(sh.begin(), sh.end(),
                           [](const auto& x) { return x.kind == "master" && x.party == "malik"; });
    REQUIRE(it != sh.end());
    CHECK(it->ddex.status == Status::Different);
    CHECK(it->ddex.observed_percent == Decimal::from_int(15));
    CHECK(r.problem_count() == 1);
  }
  SUBCASE("a dropped track") {
    ddex.tracks.erase(ddex.tracks.begin() + 2);
    auto r = verify::compare(s, {files, ddex});
    CHECK(r.tracks[2].in_ddex == Status::Missing);
    CHECK(r.tracks[2].in_files == Status::Present);
    CHECK(row(r, 3, "aya").ddex.status == Status::Missing);
    CHECK(r.tracks[1].in_ddex == Status::Present);
  }
  SUBCASE("credits and tracks that the sheet does not have") {
    verify::ObservedCredit x;
    x.name = "DJ Unknown";
    x.roles = {"Remixer"};
    x.where = {"msg.xml", {}, "/x"};
    ddex.tracks[0].credits.push_back(x);
    verify::ObservedTrack stray;
    stray.isrc = "JPX012600199";
    stray.title = "Bonus";
    ddex.tracks.push_back(stray);
    auto r = verify::compare(s, {ddex});
    REQUIRE(r.tracks[0].extras.size() == 1);
    CHECK(r.tracks[0].extras[0].name == "DJ Unknown");
    CHECK(r.tracks[0].extras[0].similar_party.empty());
    REQUIRE(r.strays.size() == 1);
    CHECK(r.strays[0].isrc == "JPX012600199");
    CHECK(r.problem_count() == 2);
  }
}

TEST_CASE("--party narrows the report to one party") {
  auto s = sample();
  auto ddex = perfect(s, verify::Source::Ddex);
  credit(ddex, 2, "Zoë Laurent").name = "Laurent, Zoe";
  verify::Options o;
  o.party = "Zoe Laurent"; // a name works too
  auto r = verify::compare(s, {ddex}, o);
  CHECK(r.party == "zoe");
  REQUIRE(r.tracks.size() == 1); // zoë is only on track 2
  CHECK(r.tracks[0].number == 2);
  REQUIRE(r.tracks[0].credits.size() == 1);
  CHECK(r.tracks[0].credits[0].ddex.name_reasons == std::vector<std::string>{"order", "diacritics"});
  REQUIRE(r.tracks[0].shares.size() == 1);
  CHECK(r.tracks[0].shares[0].percent == Decimal::from_int(5));
  CHECK(verify::find_party(s, "aya") == s.party("aya"));
  CHECK(verify::find_party(s, "Aya Mori") == s.party("aya"));
  CHECK(verify::find_party(s, "nobody") == nullptr);
}

TEST_CASE("renderers: text, JSON and HTML carry every finding") {
  auto s = sample();
  auto ddex = perfect(s, verify::Source::Ddex);
  credit(ddex, 2, "Zoë Laurent").name = "Zoe Laurent";
  auto r = verify::compare(s, {ddex});
  auto text = verify::render_text(r, s, false);
  CHECK(text.find("Track 2 · Paper Lanterns") != std::string::npos);
  CHECK(text.find("near: 'Zoe Laurent' (diacritics dropped)") != std::string::npos);
  CHECK(text.find("\x1b[") == std::string::npos);
  CHECK(verify::render_text(r, s, true).find("\x1b[") != std::string::npos);
  auto j = verify::to_json(r, s);
  CHECK(j["ok"] == false);
  CHECK(j["tracks"][1]["credits"][1]["ddex"]["status"] == "near");
  auto html = verify::render_html(r, s);
  CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(html.find("<svg") != std::string::npos);
  CHECK(html.find("@media print") != std::string::npos);
  CHECK(html.find("http://") == std::string::npos); // self-contained: nothing fetched
  // Names found in files or messages are untrusted: escaped, never markup.
  verify::ObservedCredit evil;
  evil.name = "<script>alert(1)</script>";
  evil.roles = {"Remixer"};
  ddex.tracks[0].credits.push_back(evil);
  auto html2 = verify::render_html(verify::compare(s, {ddex}), s);
  CHECK(html2.find("<script") == std::string::npos);
  CHECK(html2.find("&lt;script&gt;alert(1)&lt;/script&gt;") != std::string::npos);
  CHECK(html.find("https://") == std::string::npos);
}
