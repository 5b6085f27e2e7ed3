// End to end: build the sample release (audio + tags + DDEX), verify it (all present, exit 0), then break it
// one way at a time and check that `liner verify` reports each break with the right party, track and place
// (exit 1). The HTML report of a broken release is opened in headless Chromium.
#include "../support.hpp"
#include "run.hpp"

#include <doctest/doctest.h>
#include <fmt/format.h>
#include <liner/credits/toml.hpp>
#include <liner/ddex/ddex.hpp>
#include <liner/tagging/tagging.hpp>
#include <nlohmann/json.hpp>

namespace fs = std::filesystem;
using namespace liner;
using nlohmann::json;

namespace {

const fs::path kLiner = fs::path(LINER_BINARY_DIR) / "cli" / "liner";

credits::Sheet load(const fs::path& p) {
  auto r = credits::load_sheet_toml(p.string());
  REQUIRE(r.ok());
  return r.sheet;
}

void tag_all(const credits::Sheet& sheet, const fs::path& dir) {
  for (const auto& t : sheet.tracks) {
    auto plan = tagging::plan_tags(sheet, t, tagging::PlanOptions{true});
    auto res = tagging::write_tags((dir / t.file).string(), plan);
    INFO(res.path);
    REQUIRE(res.outcome != tagging::Outcome::Failed);
  }
}

std::string build_xml(const credits::Sheet& sheet) {
  ddex::BuildOptions o;
  o.technical_details = false;
  auto b = ddex::build_ern43(sheet, o);
  for (const auto& d : b.diagnostics)
    MESSAGE(d.code << ": " << d.message);
  REQUIRE(b.ok());
  return b.xml;
}

// The baseline release, made once: ep.toml, audio/ (tagged), ep.xml.
const fs::path& baseline() {
  static const fs::path dir = [] {
    fs::path d = test::scratch_dir("verify-e2e/baseline");
    fs::copy_file(fs::path(LINER_SOURCE_DIR) / "samples/ep.toml", d / "ep.toml");
    fs::path audio = d / "audio";
    fs::path shared = fs::path(LINER_BINARY_DIR) / "test-scratch" / "verify-e2e-audio";
    auto r = test::run(test::q(fs::path(LINER_SOURCE_DIR) / "scripts/make-sample-audio.sh") + " " +
                       test::q(shared) + " 1 >/dev/null");
    REQUIRE(r.code == 0);
    fs::create_directories(audio);
    auto sheet = load(d / "ep.toml");
    for (const auto& t : sheet.tracks)
      fs::copy_file(shared / fs::path(t.file).filename(), d / t.file);
    tag_all(sheet, d);
    test::spit(d / "ep.xml", build_xml(sheet));
    return d;
  }();
  return dir;
}

// A fresh copy of the baseline to break.
fs::path copy_of(const std::string& name) {
  fs::path d = test::scratch_dir("verify-e2e/" + name);
  fs::copy(baseline(), d, fs::copy_options::recursive | fs::copy_options::overwrite_existing);
  return d;
}

struct Verified {
  int code;
  json report;
};

Verified verify(const fs::path& d, const std::string& extra = {}) {
  auto r = test::run(test::q(kLiner) + " verify " + test::q(d / "ep.toml") + " --audio " +
                     test::q(d / "audio") + " --ddex " + test::q(d / "ep.xml") + " --format json " + extra);
  INFO(r.out);
  json j = json::parse(r.out, nullptr, false);
  REQUIRE_FALSE(j.is_discarded());
  CHECK(j["liner"] == "verify");
  CHECK(j["version"] == 1);
  return {r.code, j};
}

const json& track(const json& rep, int number) {
  for (const auto& t : rep["tracks"])
    if (t["number"] == number) return t;
  FAIL("no track " << number);
  static json none;
  return none;
}

const json& credit(const json& t, const std::string& party) {
  for (const auto& c : t["credits"])
    if (c["party"] == party) return c;
  FAIL("no credit for " << party);
  static json none;
  return none;
}

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

// Every finding that is not "present" (or "not-checked") as "track/party/source/status".
std::vector<std::string> problems(const json& rep) {
  std::vector<std::string> out;
  for (const auto& t : rep["tracks"]) {
    for (const char* src : {"files", "ddex"})
      if (t[src]["status"] == "missing")
        out.push_back(fmt::format("{}/-/{}/missing", t["number"].get<int>(), src));
    for (const char* kind : {"credits", "shares"})
      for (const auto& c : t[kind])
        for (const char* src : {"files", "ddex"}) {
          std::string st = c[src]["status"];
          if (st != "present" && st != "not-checked")
            out.push_back(
                fmt::format("{}/{}/{}/{}", t["number"].get<int>(), c["party"].get<std::string>(), src, st));
        }
    for (const auto& e : t["extras"])
      out.push_back(fmt::format("{}/extra/{}", t["number"].get<int>(), e["name"].get<std::string>()));
  }
  return out;
}

void replace_all(std::string& s, const std::string& from, const std::string& to) {
  for (std::size_t pos = 0; (pos = s.find(from, pos)) != std::string::npos; pos += to.size())
    s.replace(pos, from.size(), to);
}

} // namespace

TEST_CASE("the sample release, tagged and delivered, verifies clean") {
  auto v = verify(baseline());
  INFO(v.report.dump(1));
  CHECK(v.code == 0);
  CHECK(v.report["ok"] == true);
  CHECK(problems(v.report).empty());
  // Files carry the structured document, so their splits are checked too.
  const auto& malik = credit(track(v.report, 1), "malik");
  CHECK(malik["files"]["status"] == "present");
  CHECK(ends_with(malik["files"]["where"]["file"], "01 - Golden Seams.flac"));
  CHECK(malik["ddex"]["where"]["xpath"].get<std::string>().find("/SoundRecording[1]/Contributor[") !=
        std::string::npos);
  for (const auto& s : track(v.report, 2)["shares"])
    CHECK(s["ddex"]["status"] == "present");
}

TEST_CASE("break: a credit removed from one file") {
  fs::path d = copy_of("no-credit");
  auto sheet = load(d / "ep.toml");
  auto broken = sheet;
  std::erase_if(broken.tracks[1].credits, [](const auto& c) { return c.party == "zoe"; });
  auto res = tagging::write_tags((d / sheet.tracks[1].file).string(),
                                 tagging::plan_tags(broken, broken.tracks[1], {true}));
  REQUIRE(res.outcome != tagging::Outcome::Failed);
  auto v = verify(d);
  CHECK(v.code == 1);
  CHECK(problems(v.report) == std::vector<std::string>{"2/zoe/files/missing"});
  const auto& z = credit(track(v.report, 2), "zoe");
  CHECK(ends_with(z["files"]["where"]["file"], "02 - Paper Lanterns.wav"));
  CHECK(z["ddex"]["status"] == "present");
}

TEST_CASE("break: a name misspelled in the message") {
  fs::path d = copy_of("misspelled");
  std::string xml = test::slurp(d / "ep.xml");
  REQUIRE(xml.find("<FullName>Zoë Laurent</FullName>") != std::string::npos);
  replace_all(xml, "<FullName>Zoë Laurent</FullName>", "<FullName>Zoe Laurent</FullName>");
  test::spit(d / "ep.xml", xml);
  auto v = verify(d);
  CHECK(v.code == 1);
  CHECK(problems(v.report) ==
        std::vector<std::string>{"2/zoe/ddex/near", "2/zoe/ddex/near"}); // credit and master share
  const auto& z = credit(track(v.report, 2), "zoe");
  CHECK(z["ddex"]["observed_name"] == "Zoe Laurent");
  CHECK(z["name"] == "Zoë Laurent");
  CHECK(z["ddex"]["name_reasons"] == json::array({"diacritics"}));
  CHECK(z["ddex"]["where"]["xpath"].get<std::string>().find("/ResourceList/SoundRecording[2]/Contributor[") !=
        std::string::npos);
  CHECK(z["files"]["status"] == "present");

  // The same break in the text and HTML reports; the HTML page is opened in a real browser.
  auto text = test::run(test::q(kLiner) + " verify " + test::q(d / "ep.toml") + " --audio " +
                        test::q(d / "audio") + " --ddex " + test::q(d / "ep.xml") + " --html " +
                        test::q(d / "report.html") + " 2>/dev/null");
  CHECK(text.code == 1);
  CHECK(text.out.find("near: 'Zoe Laurent' (diacritics dropped)") != std::string::npos);
  CHECK(text.out.find("\x1b[") == std::string::npos); // not a terminal: no colour
  std::string browser = test::chromium_command(d / "chromium-profile");
  REQUIRE_MESSAGE(!browser.empty(), "headless Chromium is needed (scripts/install-deps.sh test)");
  auto dom = test::run("timeout 60 " + browser + " --dump-dom " +
                       test::q("file://" + (d / "report.html").string()) + " 2>/dev/null");
  REQUIRE(dom.code == 0);
  auto sheet = load(d / "ep.toml");
  for (const auto& t : sheet.tracks)
    CHECK_MESSAGE(dom.out.find("Track " + std::to_string(t.number) + " · " + t.title) != std::string::npos,
                  t.title);
  for (const auto& p : sheet.parties) {
    if (p.kind == credits::PartyKind::Organization && p.id != "nova") continue; // sender/recipient: no credit
    CHECK_MESSAGE(dom.out.find("id=\"party-" + p.id + "\"") != std::string::npos, p.id);
  }
  // One row per credit and per share in the track tables, each rendered.
  std::size_t rows = 0, rendered = 0;
  for (const auto& t : sheet.tracks)
    rows += sheet.effective_credits(t).size() + t.master.size() + t.publishing.size();
  for (std::size_t pos = 0; (pos = dom.out.find("<tr data-party=\"", pos)) != std::string::npos; ++pos)
    ++rendered;
  CHECK(rendered == rows);
  for (const auto& t : sheet.tracks)
    for (const auto& c : sheet.effective_credits(t))
      CHECK(dom.out.find("<tr data-party=\"" + c.party + "\"><th scope=\"row\">" +
                         sheet.party(c.party)->name) != std::string::npos);
  CHECK(dom.out.find("found <q>Zoe Laurent</q>") != std::string::npos);
  CHECK(dom.out.find("diacritics dropped") != std::string::npos);
  CHECK(dom.out.find("<svg") != std::string::npos);
  fs::path shot = fs::path(LINER_BINARY_DIR) / "verify-report.png";
  fs::remove(shot);
  auto sr = test::run("timeout 60 " + browser +
                      " --hide-scrollbars --window-size=1200,2400 --screenshot=" + test::q(shot) + " " +
                      test::q("file://" + (d / "report.html").string()) + " >/dev/null 2>&1");
  CHECK(sr.code == 0);
  CHECK(fs::exists(shot));
  CHECK(fs::file_size(shot) > 10000);
  // Printable: Chromium prints it to PDF.
  fs::path pdf = fs::path(LINER_BINARY_DIR) / "verify-report.pdf";
  fs::remove(pdf);
  sr = test::run("timeout 60 " + browser + " --no-pdf-header-footer --print-to-pdf=" + test::q(pdf) + " " +
                 test::q("file://" + (d / "report.html").string()) + " >/dev/null 2>&1");
  CHECK(sr.code == 0);
  CHECK(fs::exists(pdf));
  // A phone-sized viewport too (the page is responsive).
  fs::path phone = fs::path(LINER_BINARY_DIR) / "verify-report-phone.png";
  fs::remove(phone);
  sr = test::run("timeout 60 " + browser +
                 " --hide-scrollbars --window-size=390,1800 --screenshot=" + test::q(phone) + " " +
                 test::q("file://" + (d / "report.html").string()) + " >/dev/null 2>&1");
  CHECK(sr.code == 0);
  CHECK(fs::exists(phone));
}

TEST_CASE("break: a changed master share in the message") {
  fs::path d = copy_of("share");
  auto sheet = load(d / "ep.toml");
  auto broken = sheet;
  for (auto& s : broken.tracks[0].master) {
    if (s.party == "malik") s.percent = Decimal::from_int(15);
    if (s.party == "nova") s.percent = Decimal::from_int(45);
  }
  test::spit(d / "ep.xml", build_xml(broken));
  auto v = verify(d);
  CHECK(v.code == 1);
  CHECK(problems(v.report) == std::vector<std::string>{"1/nova/ddex/different", "1/malik/ddex/different"});
  for (const auto& s : track(v.report, 1)["shares"]) {
    if (s["kind"] != "master" || s["party"] != "malik") continue;
    CHECK(s["percent"] == "10");
    CHECK(s["ddex"]["observed_percent"] == "15");
    CHECK(s["ddex"]["where"]["xpath"].get<std::string>().find(
              "/SoundRecording[1]/ResourceRightsController[") != std::string::npos);
  }
}

TEST_CASE("break: a track dropped from the message, and its file removed") {
  fs::path d = copy_of("dropped");
  auto sheet = load(d / "ep.toml");
  auto broken = sheet;
  broken.tracks.erase(broken.tracks.begin() + 2);
  broken.agreements.clear();   // they name tracks by number: a 3-track sheet would fail their checks first
  broken.tracks[2].number = 3; // the message stays valid: tracks 1..3
  test::spit(d / "ep.xml", build_xml(broken));
  auto v = verify(d);
  CHECK(v.code == 1);
  CHECK(track(v.report, 3)["ddex"]["status"] == "missing");
  CHECK(track(v.report, 3)["files"]["status"] == "present");
  CHECK(credit(track(v.report, 3), "aya")["ddex"]["status"] == "missing");
  CHECK(track(v.report, 4)["ddex"]["status"] == "present");
  CHECK(credit(track(v.report, 4), "aya")["ddex"]["status"] == "present");

  fs::remove(d / sheet.tracks[2].file);
  v = verify(d);
  CHECK(v.code == 1);
  CHECK(track(v.report, 3)["files"]["status"] == "missing");
  CHECK(credit(track(v.report, 3), "layla")["files"]["status"] == "missing");
}

TEST_CASE("--party: the producer's own check") {
  fs::path d = copy_of("party");
  auto v = verify(d, "--party malik");
  CHECK(v.code == 0);
  CHECK(v.report["party"] == "malik");
  REQUIRE(v.report["tracks"].size() == 4);
  for (const auto& t : v.report["tracks"]) {
    REQUIRE(t["credits"].size() == 1);
    CHECK(t["credits"][0]["party"] == "malik");
    for (const auto& s : t["shares"])
      CHECK(s["party"] == "malik");
  }
  auto bad = test::run(test::q(kLiner) + " verify " + test::q(d / "ep.toml") + " --ddex " +
                       test::q(d / "ep.xml") + " --party nobody 2>/dev/null");
  CHECK(bad.code == 2);
}

TEST_CASE("break: a wrong ISNI in the message") {
  fs::path d = copy_of("isni");
  std::string xml = test::slurp(d / "ep.xml");
  REQUIRE(xml.find("<ISNI>0000000277889907</ISNI>") != std::string::npos);
  replace_all(xml, "<ISNI>0000000277889907</ISNI>", "<ISNI>0000000277889915</ISNI>");
  test::spit(d / "ep.xml", xml);
  auto v = verify(d);
  CHECK(v.code == 1);
  CHECK(problems(v.report) == std::vector<std::string>{"1/priya/ddex/different", "2/priya/ddex/different",
                                                       "3/priya/ddex/different", "4/priya/ddex/different"});
  CHECK(credit(track(v.report, 1), "priya")["ddex"]["id_problems"] ==
        json::array({"ISNI 0000000277889907 in the sheet, 0000000277889915 in ddex"}));
}

TEST_CASE("break: a latin form instead of the original script in one file") {
  fs::path d = copy_of("latin");
  auto sheet = load(d / "ep.toml");
  auto broken = sheet;
  for (auto& p : broken.parties)
    if (p.id == "aya") p.name = "Aya Mori";
  auto res = tagging::write_tags((d / sheet.tracks[0].file).string(),
                                 tagging::plan_tags(broken, broken.tracks[0], tagging::PlanOptions{true}));
  REQUIRE(res.outcome != tagging::Outcome::Failed);
  auto v = verify(d);
  CHECK(v.code == 1);
  // The credit and both of aya's shares in the file's splits.
  CHECK(problems(v.report) ==
        std::vector<std::string>{"1/aya/files/near", "1/aya/files/near", "1/aya/files/near"});
  const auto& a = credit(track(v.report, 1), "aya");
  CHECK(a["files"]["observed_name"] == "Aya Mori");
  CHECK(a["files"]["name_reasons"] == json::array({"latin form"}));
  CHECK(a["name"] == "森 彩");
}

TEST_CASE("usage and I/O errors exit 2") {
  fs::path d = copy_of("errors");
  test::spit(d / "bad.xml", "<NewReleaseMessage><unclosed>");
  auto r = test::run(test::q(kLiner) + " verify " + test::q(d / "ep.toml") + " --ddex " +
                     test::q(d / "bad.xml") + " 2>/dev/null");
  CHECK(r.code == 2);
  CHECK(r.out.find("not well-formed XML") != std::string::npos);
  r = test::run(test::q(kLiner) + " verify " + test::q(d / "ep.toml") + " 2>/dev/null");
  CHECK(r.code == 2);
  r = test::run(test::q(kLiner) + " verify " + test::q(d / "missing.toml") + " --ddex " +
                test::q(d / "ep.xml") + " 2>/dev/null");
  CHECK(r.code == 2);
  r = test::run(test::q(kLiner) + " verify " + test::q(d / "ep.toml") + " --ddex " + test::q(d / "ep.xml") +
                " --format yaml 2>/dev/null");
  CHECK(r.code == 2);
  // --party in text: every place of that party's credits, also the present ones.
  r = test::run(test::q(kLiner) + " verify " + test::q(d / "ep.toml") + " --ddex " + test::q(d / "ep.xml") +
                " --party 'Zoë Laurent'");
  CHECK(r.code == 0);
  CHECK(r.out.find("ddex   present  at") != std::string::npos);
  CHECK(r.out.find("Malik") == std::string::npos);
}

TEST_CASE("a file tagged by another tool: plain fields only, names as that tool wrote them") {
  fs::path d = test::scratch_dir("verify-e2e/other-tool");
  fs::copy_file(fs::path(LINER_SOURCE_DIR) / "samples/ep.toml", d / "ep.toml");
  fs::create_directories(d / "audio");
  fs::path f = d / "audio/01 - Golden Seams.flac";
  auto r = test::run(
      "ffmpeg -nostdin -hide_banner -loglevel error -f lavfi -i sine=frequency=440:duration=1 -c:a flac"
      " -metadata ISRC=JPX012600101 -metadata TITLE='Golden Seams' -metadata COMPOSER='Okafor, Malik'"
      " -metadata MIXER='Layla Haddad' " +
      test::q(f));
  REQUIRE(r.code == 0);
  r = test::run(test::q(kLiner) + " verify " + test::q(d / "ep.toml") + " " + test::q(f) + " --format json");
  CHECK(r.code == 1);
  json j = json::parse(r.out, nullptr, false);
  REQUIRE_FALSE(j.is_discarded());
  const auto& t1 = track(j, 1);
  const auto& malik = credit(t1, "malik")["files"];
  CHECK(malik["status"] == "different"); // only Composer of StudioProducer, Composer, Programmer
  CHECK(malik["observed_name"] == "Okafor, Malik");
  CHECK(malik["name_reasons"] == json::array({"order"}));
  CHECK(malik["where"]["field"] == "COMPOSER");
  CHECK(malik["missing_roles"] == json::array({"StudioProducer", "Programmer"}));
  const auto& layla = credit(t1, "layla")["files"];
  CHECK(layla["status"] == "near");
  CHECK(layla["name_reasons"] == json::array({"latin form"}));
  CHECK(layla["where"]["field"] == "MIXER");
  CHECK(credit(t1, "aya")["files"]["status"] == "missing");
  // Only one file was given: the other tracks are not checked in files, not missing.
  CHECK(track(j, 2)["files"]["status"] == "not-checked");
  CHECK(credit(track(j, 2), "aya")["files"]["status"] == "not-checked");
}

TEST_CASE("break: a file in the folder that is no track of the sheet") {
  fs::path d = copy_of("stray");
  auto sheet = load(d / "ep.toml");
  fs::path bonus = d / "audio/05 - Bonus.flac";
  fs::copy_file(d / sheet.tracks[0].file, bonus);
  auto other = sheet;
  other.tracks[0].isrc = "JPX012600199";
  other.tracks[0].title = "Bonus";
  other.tracks[0].number = 5;
  auto res = tagging::write_tags(bonus.string(),
                                 tagging::plan_tags(other, other.tracks[0], tagging::PlanOptions{true}));
  REQUIRE(res.outcome != tagging::Outcome::Failed);
  auto v = verify(d);
  CHECK(v.code == 1);
  CHECK(problems(v.report).empty());             // every sheet track is fine...
  REQUIRE(v.report["stray_tracks"].size() == 1); // ...but the folder has a track the sheet does not
  const auto& s = v.report["stray_tracks"][0];
  CHECK(s["source"] == "files");
  CHECK(s["isrc"] == "JPX012600199");
  CHECK(ends_with(s["where"]["file"], "05 - Bonus.flac"));
}
