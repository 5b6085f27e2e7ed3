#include "../support.hpp"

#include <algorithm>
#include <doctest/doctest.h>
#include <liner/credits/csv.hpp>
#include <liner/credits/error.hpp>
#include <liner/credits/toml.hpp>
#include <string>

using namespace liner;
using namespace liner::credits;

namespace {
const std::string kFixtures = std::string(LINER_SOURCE_DIR) + "/tests/credits/fixtures/csv/";
const std::string kSample = std::string(LINER_SOURCE_DIR) + "/samples/ep.toml";

Decimal dec(const char* s) {
  return *Decimal::parse(s);
}

Party person(std::string id, std::string name, std::string latin = "") {
  Party p;
  p.id = std::move(id);
  p.name = std::move(name);
  p.latin_name = std::move(latin);
  return p;
}

Credit credit(std::string party, std::vector<Term> roles) {
  Credit c;
  c.party = std::move(party);
  c.roles = std::move(roles);
  return c;
}

// A realistic release built in code: every field of the model set somewhere.
Sheet realistic() {
  Sheet s;
  Release& r = s.release;
  r.title = "Kintsugi Nights";
  r.type = "EP";
  r.upc = "085963100427";
  r.grid = "A12425GKNT2026001X";
  r.catalog_number = "NLR-0042";
  r.label = "nova";
  r.distributor = "stellar";
  r.artists = {"aya", "zoe"};
  r.release_date = "2026-03-13";
  r.genre = "Electronic";
  r.p_line = CopyrightLine{2026, "Nova Lantern Records"};
  r.c_line = CopyrightLine{2025, "Nova Lantern Records, Tokyo"};
  r.parental_warning = "Explicit";
  Credit mastering = credit("ines", {{"MasteringEngineer", false}});
  mastering.hours = dec("6");
  mastering.deliverables = {"Streaming masters", "Vinyl pre-master; 33 rpm"};
  mastering.tier = Tier::Primary;
  r.credits.push_back(mastering);

  s.parties.push_back(person("aya", "森 彩", "Aya Mori"));
  s.parties.back().isni = "0000000123456789";
  s.parties.back().ipi = "00428531754";
  s.parties.push_back(person("zoe", "Zoë Laurent"));
  s.parties.push_back(person("malik", "Malik Okafor"));
  s.parties.back().ipi = "00517632849";
  s.parties.push_back(person("layla", "ليلى حداد", "Layla Haddad"));
  s.parties.push_back(person("soren", "Søren Kjærgaard"));
  s.parties.back().ipn = "10234567";
  s.parties.push_back(person("priya", "Priya Raman"));
  s.parties.push_back(person("ines", "Inès Moreau"));
  s.parties.back().notes = "Mastering at \"Studio Ume\", Tokyo\nsecond line";
  s.parties.push_back(person("nova", "Nova Lantern Records"));
  s.parties.back().kind = PartyKind::Organization;
  s.parties.back().dpid = "PADPIDA2026NOVA01L";
  s.parties.push_back(person("stellar", "Stellar Distribution"));
  s.parties.back().kind = PartyKind::Organization;
  s.parties.back().dpid = "PADPIDA2026STEL02R";

  Track t1;
  t1.number = 1;
  t1.title = "Golden Seams, Part 1";
  t1.version = "Radio Edit";
  t1.isrc = "JPX012600101";
  t1.iswc = "T0702549812";
  t1.duration = "PT3M41S";
  t1.file = "audio/01 - Golden Seams.flac";
  t1.featured = {"layla"};
  t1.explicit_content = false;
  Credit aya = credit("aya", {{"ComposerLyricist", false}, {"Vocalist", false}});
  aya.hours = dec("40");
  aya.tier = Tier::Primary;
  aya.contributions = {"mentoring", "session curation"};
  Credit malik = credit("malik", {{"StudioProducer", false}, {"Composer", false}});
  malik.instruments = {{"DrumMachine", false}, {"Synthesizer", false}};
  malik.hours = dec("62.5");
  malik.deliverables = {"Beat", "Stems"};
  malik.tier = Tier::Co;
  Credit priya = credit("priya", {{"Composer", false}, {"Vibe Curator", true}});
  priya.hours = dec("0.000001");
  t1.credits = {aya, malik, priya, credit("layla", {{"MixingEngineer", false}})};
  // Master order differs from the credits order on purpose.
  t1.master = {{"nova", dec("50"), Capacity::Unspecified},
               {"aya", dec("40"), Capacity::Unspecified},
               {"malik", dec("10"), Capacity::Unspecified}};
  t1.publishing = {{"aya", dec("33.34"), Capacity::Writer},
                   {"malik", dec("33.33"), Capacity::Writer},
                   {"priya", dec("33.33"), Capacity::Writer}};
  s.tracks.push_back(t1);

  Track t2;
  t2.number = 2;
  t2.title = "紙の灯籠";
  t2.isrc = "JPX012600102";
  t2.artists = {"zoe"};
  t2.explicit_content = true;
  t2.credits = {credit("zoe", {{"Vocalist", false}}), credit("soren", {{"CoProducer", false}})};
  t2.master = {{"nova", dec("100"), Capacity::Unspecified}};
  t2.publishing = {{"zoe", dec("50"), Capacity::Writer}, {"nova", dec("50"), Capacity::Publisher}};
  s.tracks.push_back(t2);

  Track t3; // a track on disc 2 with nothing but its title yet
  t3.number = 1;
  t3.disc = 2;
  t3.title = "Interlude";
  s.tracks.push_back(t3);

  s.delivery.present = true;
  s.delivery.sender = "stellar";
  s.delivery.recipients = {"harbor", "nova"};
  s.delivery.message_control = "TestMessage";
  Deal deal;
  deal.start_date = "2026-03-13";
  deal.commercial_models = {"SubscriptionModel", "PayAsYouGoModel"};
  deal.use_types = {"Stream"};
  s.deals = {deal, Deal{{"JP", "FR"}, "", {"PayAsYouGoModel"}, {"PermanentDownload"}}};
  return s;
}

void same_sheet(const Sheet& a, const Sheet& b) {
  const Release& x = a.release;
  const Release& y = b.release;
  CHECK(x.title == y.title);
  CHECK(x.type == y.type);
  CHECK(x.upc == y.upc);
  CHECK(x.grid == y.grid);
  CHECK(x.catalog_number == y.catalog_number);
  CHECK(x.label == y.label);
  CHECK(x.distributor == y.distributor);
  CHECK(x.artists == y.artists);
  CHECK(x.release_date == y.release_date);
  CHECK(x.genre == y.genre);
  CHECK(x.p_line == y.p_line);
  CHECK(x.c_line == y.c_line);
  CHECK(x.parental_warning == y.parental_warning);
  CHECK(x.credits == y.credits);
  REQUIRE(a.parties.size() == b.parties.size());
  for (std::size_t i = 0; i < a.parties.size(); ++i) {
    const Party& p = a.parties[i];
    const Party& q = b.parties[i];
    CHECK(p.id == q.id);
    CHECK(p.name == q.name);
    CHECK(p.latin_name == q.latin_name);
    CHECK(p.kind == q.kind);
    CHECK(p.isni == q.isni);
    CHECK(p.ipi == q.ipi);
    CHECK(p.ipn == q.ipn);
    CHECK(p.dpid == q.dpid);
    CHECK(p.notes == q.notes);
  }
  REQUIRE(a.tracks.size() == b.tracks.size());
  for (std::size_t i = 0; i < a.tracks.size(); ++i) {
    const Track& t = a.tracks[i];
    const Track& u = b.tracks[i];
    CHECK(t.number == u.number);
    CHECK(t.disc == u.disc);
    CHECK(t.title == u.title);
    CHECK(t.version == u.version);
    CHECK(t.isrc == u.isrc);
    CHECK(t.iswc == u.iswc);
    CHECK(t.duration == u.duration);
    CHECK(t.file == u.file);
    CHECK(t.artists == u.artists);
    CHECK(t.featured == u.featured);
    CHECK(t.explicit_content == u.explicit_content);
    CHECK(t.credits == u.credits);
    CHECK(t.master == u.master);
    CHECK(t.publishing == u.publishing);
  }
  CHECK(a.delivery.present == b.delivery.present);
  CHECK(a.delivery.sender == b.delivery.sender);
  CHECK(a.delivery.recipients == b.delivery.recipients);
  CHECK(a.delivery.message_control == b.delivery.message_control);
  CHECK(a.delivery.language == b.delivery.language);
  CHECK(a.deals == b.deals);
}

void show(const LoadResult& r) {
  for (const auto& d : r.diagnostics)
    MESSAGE(d.location.str() << ": " << d.code << ": " << d.message << " / " << d.hint);
}

LoadResult parse(const std::string& text) {
  return parse_sheet_csv(text, "t.csv");
}

// Exactly one error, with this code, at row:column.
void expect_error(const std::string& text, std::string_view code, std::uint32_t row, std::uint32_t column) {
  LoadResult r = parse(text);
  show(r);
  REQUIRE(r.diagnostics.count(Severity::Error) == 1);
  const Diagnostic& d = r.diagnostics.items().front();
  CHECK(d.code == code);
  CHECK(d.location.file == "t.csv");
  CHECK(d.location.line == row);
  CHECK(d.location.column == column);
  CHECK(!d.message.empty());
}

const Diagnostic& only_error(const LoadResult& r) {
  REQUIRE(r.diagnostics.count(Severity::Error) >= 1);
  return r.diagnostics.items().front();
}

const std::string H =
    "track,party_id,party,roles,hours,tier,master_share,publishing_share,publishing_capacity\n";
} // namespace

TEST_CASE("the column list is the documented export order") {
  auto cols = csv_columns();
  REQUIRE(cols.size() == 29);
  CHECK(cols.front() == "disc");
  CHECK(cols[1] == "track");
  CHECK(std::find(cols.begin(), cols.end(), "publishing_capacity") != cols.end());
}

TEST_CASE("export then import reproduces a realistic sheet exactly") {
  Sheet s = realistic();
  std::string csv = write_sheet_csv(s);
  LoadResult r = parse_sheet_csv(csv, "ep.csv");
  show(r);
  REQUIRE(r.diagnostics.empty());
  same_sheet(s, r.sheet);
  CHECK(write_sheet_toml(r.sheet) == write_sheet_toml(s));
  // Deterministic, and a fixed point.
  CHECK(write_sheet_csv(s) == csv);
  CHECK(write_sheet_csv(r.sheet) == csv);

  SUBCASE("RFC 4180: comma, CRLF, quotes only where needed, no BOM unless asked") {
    CHECK(csv.substr(0, 3) != "\xEF\xBB\xBF");
    CHECK(csv.find("\r\n") != std::string::npos);
    CHECK(csv.find("\n") == csv.find("\r\n") + 1);
    CHECK(csv.find("#release,title,Kintsugi Nights\r\n") != std::string::npos);
    CHECK(csv.find("\"Mastering at \"\"Studio Ume\"\", Tokyo\nsecond line\"") != std::string::npos);
    CHECK(csv.find("Vinyl pre-master\\; 33 rpm") != std::string::npos);
    CsvWriteOptions bom;
    bom.bom = true;
    std::string with_bom = write_sheet_csv(s, bom);
    CHECK(with_bom == "\xEF\xBB\xBF" + csv);
    LoadResult again = parse(with_bom);
    REQUIRE(again.ok());
    same_sheet(s, again.sheet);
  }
  SUBCASE("shares of a party travel on one row where the list orders allow it") {
    // nova (master only) comes first, then aya with her credit, master and publishing share on one row.
    INFO(csv);
    auto aya = csv.find("\r\n1,1,JPX012600101");
    REQUIRE(aya != std::string::npos);
    CHECK(csv.find(",nova,Nova Lantern Records,,organization,,,,PADPIDA2026NOVA01L,,,,,,,,50,,\r\n") !=
          std::string::npos);
    CHECK(
        csv.find(
            ",aya,森 彩,Aya Mori,person,0000000123456789,00428531754,,,,\"ComposerLyricist; Vocalist\",,40,,"
            "primary,\"mentoring; session curation\",40,33.34,writer\r\n") != std::string::npos);
  }
  SUBCASE("positions of the CSV land in sheet.where under the TOML paths") {
    const SourceMap& w = r.sheet.where;
    Location title = w.at("release.title");
    CHECK(title.file == "ep.csv");
    CHECK(title.line == 2);
    CHECK(title.column == 3);
    Location pub = w.at("tracks[0].publishing[1].percent");
    CHECK(pub.line > title.line);
    CHECK(pub.column == 28);
    CHECK(w.at("tracks[0].credits[1].roles[0]").column == 21);
    CHECK(w.at("tracks[0].isrc").column == 3);
    CHECK(w.at("parties.aya.isni").column == 16);
    CHECK(w.at("release.credits[0].hours").column == 23);
    // A list's own path points at its first row, where the sheet rules report sums.
    CHECK(w.at("tracks[0].master").column == 27);
    CHECK(w.at("tracks[0].master").line == w.at("tracks[0].master[0].percent").line);
    CHECK(w.at("tracks[0].publishing").column == 28);
    CHECK(w.at("tracks[1].credits").column == 12);
  }
}

TEST_CASE("the sample EP survives CSV export and import") {
  LoadResult t = load_sheet_toml(kSample);
  REQUIRE(t.ok());
  std::string csv = write_sheet_csv(t.sheet);
  LoadResult r = parse_sheet_csv(csv, "ep.csv");
  show(r);
  REQUIRE(r.diagnostics.empty());
  same_sheet(t.sheet, r.sheet);
  CHECK(write_sheet_toml(r.sheet) == write_sheet_toml(t.sheet));
}

TEST_CASE("edge cases of the model survive: empty credits, repeated parties, defaults") {
  Sheet s;
  s.release.type = "";             // not the default "Album"
  s.release.parental_warning = ""; // nor "NotExplicit"
  s.parties = {person("a", "A"), person("b", "B")};
  s.release.credits = {credit("a", {})}; // an empty release-level credit
  Track t;
  t.number = 1;
  t.credits = {credit("a", {}), credit("b", {{"Vocalist", false}}), credit("b", {{"Composer", false}})};
  t.master = {{"a", dec("100"), Capacity::Unspecified}};
  t.publishing = {{"b", dec("60"), Capacity::Unspecified}, {"a", dec("40"), Capacity::Publisher}};
  s.tracks = {t};
  s.deals = {Deal{}};
  s.deals[0].territories.clear();
  std::string csv = write_sheet_csv(s);
  LoadResult r = parse(csv);
  show(r);
  REQUIRE(r.ok());
  same_sheet(s, r.sheet);
  CHECK(write_sheet_toml(r.sheet) == write_sheet_toml(s));
}

TEST_CASE("an Excel export: BOM, ';' separator, CRLF, decimal commas, padded rows, no party ids") {
  LoadResult r = load_sheet_csv(kFixtures + "valid-excel-bom-semicolon.csv");
  show(r);
  REQUIRE(r.diagnostics.empty());
  const Sheet& s = r.sheet;
  CHECK(s.release.title == "Kintsugi Nights");
  CHECK(s.release.type == "EP");
  REQUIRE(s.release.p_line);
  CHECK(s.release.p_line->year == 2026);
  REQUIRE(s.parties.size() == 3);
  CHECK(s.parties[0].id == "aya-mori"); // derived from the latin form of a CJK name
  CHECK(s.parties[0].name == "森 彩");
  CHECK(s.parties[1].id == "malik-okafor");
  CHECK(s.parties[2].id == "priya-raman");
  REQUIRE(s.tracks.size() == 2);
  const Track& t1 = s.tracks[0];
  CHECK(t1.title == "Golden Seams");
  CHECK(t1.isrc == "JPX012600101");
  REQUIRE(t1.credits.size() == 3);
  CHECK(t1.credits[0].roles == std::vector<Term>{{"ComposerLyricist", false}, {"Vocalist", false}});
  CHECK(t1.credits[1].hours == dec("62.5"));
  REQUIRE(t1.publishing.size() == 3);
  CHECK(t1.publishing[0].percent == dec("33.34"));
  CHECK(t1.publishing[2].percent == dec("33.33"));
  CHECK(t1.publishing[2].capacity == Capacity::Writer);
  CHECK(t1.master.size() == 2);
  // "Aya Mori" on track 2 is the same party, found by her latin name.
  REQUIRE(s.tracks[1].credits.size() == 1);
  CHECK(s.tracks[1].credits[0].party == "aya-mori");
  // Rows are physical lines (the BOM does not count): track 1's second row is line 8.
  CHECK(s.where.at("tracks[0].credits[1].hours").line == 8);
  CHECK(s.where.at("tracks[0].credits[1].hours").column == 7);
}

TEST_CASE("a LibreOffice export: every text quoted, commas, quotes and newlines in cells") {
  LoadResult r = load_sheet_csv(kFixtures + "valid-libreoffice-quoted-multiline.csv");
  show(r);
  REQUIRE(r.diagnostics.empty());
  const Sheet& s = r.sheet;
  CHECK(s.release.title == "Late Night, Early Light");
  REQUIRE(s.parties.size() == 2);
  CHECK(s.parties[0].notes == "Singer, songwriter.\nPrefers \"Zoë\" with the diaeresis.");
  REQUIRE(s.tracks.size() == 2);
  CHECK(s.tracks[0].title == "Coffee, Black");
  CHECK(s.tracks[1].title == "12\" Remix");
  CHECK(s.tracks[0].credits[1].roles == std::vector<Term>{{"MixingEngineer", false}});
  CHECK(s.tracks[0].publishing[1].capacity == Capacity::Publisher);
  CHECK(s.tracks[1].credits[0].roles == std::vector<Term>{{"Vibe Curator", true}});
  // The row after a two-line record starts on line 6.
  CHECK(s.where.at("tracks[0].credits[1]").line == 6);
  CHECK(s.where.at("tracks[1]").line == 7);
}

TEST_CASE("tolerated inputs") {
  SUBCASE("tab separator, column names in any case, order and spacing, blank cells") {
    LoadResult r = parse("Party Name\tTRACK\t Master Share \trole\n Aya \t1\t100\tvocals\n\t\t\t\n");
    show(r);
    REQUIRE(r.ok());
    CHECK(r.sheet.parties.at(0).id == "aya");
    CHECK(r.sheet.tracks.at(0).master.at(0).percent == dec("100"));
  }
  SUBCASE("Excel's sep= line") {
    LoadResult r = parse("sep=;\ntrack;party;roles;hours\n1;Aya;vocals;2,5\n");
    REQUIRE(r.ok());
    CHECK(r.sheet.tracks[0].credits[0].hours == dec("2.5"));
    CHECK(r.sheet.where.at("tracks[0].credits[0].hours").line == 3);
  }
  SUBCASE("percent signs, comments, lone CR line ends, no final newline") {
    LoadResult r = parse("# exported by hand\rtrack,party,master_share\r1,Aya,50 %\r1,Bo,50%");
    show(r);
    REQUIRE(r.ok());
    CHECK(r.sheet.tracks[0].master[1].percent == dec("50"));
    CHECK(r.sheet.where.at("tracks[0].master[1].percent").line == 4);
  }
  SUBCASE("names are stored NFC and ids derived once per name, unique") {
    LoadResult r =
        parse("track,party,party_id,roles\n1,Zoe\xCC\x88,,vocals\n2,Zo\xC3\xAB,,vocals\n2,Zoe,,composer\n"
              "3,Ana,zoe,composer\n");
    show(r);
    REQUIRE(r.ok());
    REQUIRE(r.sheet.parties.size() == 3);
    CHECK(r.sheet.parties[0].name == "Zo\xC3\xAB");
    CHECK(r.sheet.parties[0].id == "zoe-2"); // "zoe" is taken by an explicit id further down
    CHECK(r.sheet.parties[1].id == "zoe-3"); // plain "Zoe" is another name
    CHECK(r.sheet.parties[2].id == "zoe");
    CHECK(r.sheet.tracks[1].credits[0].party == "zoe-2");
  }
  SUBCASE("a name-only row finds the id that a later row gives to the same name") {
    LoadResult r = parse("track,party_id,party,roles\n1,,Aya Mori,vocals\n2,aya,Aya Mori,vocals\n");
    show(r);
    REQUIRE(r.ok());
    REQUIRE(r.sheet.parties.size() == 1);
    CHECK(r.sheet.parties[0].id == "aya");
    CHECK(r.sheet.parties[0].name == "Aya Mori");
    CHECK(r.sheet.where.at("parties.aya").line == 2);
  }
  SUBCASE("a party row without a track introduces a party; a repeated one is a release credit") {
    LoadResult r =
        parse("track,party_id,party,kind,roles\n,nova,Nova,organization,\n,ines,Inès,,mastering\n");
    show(r);
    REQUIRE(r.ok());
    CHECK(r.sheet.parties.size() == 2);
    CHECK(r.sheet.parties[0].kind == PartyKind::Organization);
    REQUIRE(r.sheet.release.credits.size() == 1);
    CHECK(r.sheet.release.credits[0].party == "ines");
  }
  SUBCASE("directive rows only: a sheet with nothing but a header") {
    LoadResult r = parse(write_sheet_csv(Sheet{}));
    REQUIRE(r.ok());
    CHECK(r.sheet.parties.empty());
  }
}

TEST_CASE("fixture errors point at row and column") {
  SUBCASE("a share that is not a number") {
    LoadResult r = load_sheet_csv(kFixtures + "invalid-share-not-number.csv");
    const Diagnostic& d = only_error(r);
    CHECK(d.code == "invalid-number");
    CHECK(d.location.str() == kFixtures + "invalid-share-not-number.csv:3:5");
  }
  SUBCASE("an unknown column, with the nearest name") {
    LoadResult r = load_sheet_csv(kFixtures + "invalid-unknown-column.csv");
    const Diagnostic& d = only_error(r);
    CHECK(d.code == "unknown-column");
    CHECK(d.location.line == 1);
    CHECK(d.location.column == 3);
    CHECK(d.hint == "did you mean 'roles'?");
  }
  SUBCASE("a party with two ISNIs, with both rows") {
    LoadResult r = load_sheet_csv(kFixtures + "invalid-party-conflict.csv");
    REQUIRE(r.diagnostics.size() == 1);
    const Diagnostic& d = only_error(r);
    CHECK(d.code == "party-conflict");
    CHECK(d.location.line == 4);
    CHECK(d.location.column == 4);
    CHECK(d.message.find("row 2") != std::string::npos);
    CHECK(d.message.find("row 4") != std::string::npos);
  }
  SUBCASE("an unterminated quote, at the row where the record starts") {
    LoadResult r = load_sheet_csv(kFixtures + "invalid-unterminated-quote.csv");
    const Diagnostic& d = only_error(r);
    CHECK(d.code == "csv-syntax");
    CHECK(d.location.line == 3);
    CHECK(d.location.column == 2);
  }
  SUBCASE("invalid UTF-8, with its line") {
    LoadResult r = load_sheet_csv(kFixtures + "invalid-utf8-latin1.csv");
    const Diagnostic& d = only_error(r);
    CHECK(d.code == "invalid-utf8");
    CHECK(d.location.line == 3);
    CHECK(!d.hint.empty());
  }
  SUBCASE("binary garbage") {
    LoadResult r = load_sheet_csv(kFixtures + "invalid-binary-garbage.csv");
    REQUIRE(r.diagnostics.size() == 1);
    CHECK(only_error(r).code == "not-text");
  }
  SUBCASE("an unreadable file is an exception, not a diagnostic") {
    CHECK_THROWS_AS(load_sheet_csv(kFixtures + "does-not-exist.csv"), liner::Error);
  }
}

TEST_CASE("every error path has its code, row and column") {
  SUBCASE("input as a whole") {
    CHECK(only_error(parse("")).code == "empty-sheet");
    CHECK(only_error(parse("\xEF\xBB\xBF \r\n\r\n")).code == "empty-sheet");
    CHECK(only_error(parse("#release,title,X\n")).code == "missing-header");
    CHECK(only_error(parse(std::string(kMaxSheetBytes + 1, 'a'))).code == "file-too-large");
    expect_error("track,party\n1,\xFF\n", "invalid-utf8", 2, 0);
  }
  SUBCASE("syntax") {
    expect_error(H + "1,a,A,\"vocals\"x\n", "csv-syntax", 2, 4);
    expect_error(H + "1,a,A 12\" Mix,vocals\n", "csv-syntax", 2, 3);
    expect_error(H + "1,a,\"A\nB\",\"voc\"als\n", "csv-syntax", 2, 4); // reported at the record's row
  }
  SUBCASE("limits") {
    expect_error(H + "1,a,A," + std::string(kMaxCsvFieldBytes + 1, 'x') + "\n", "field-too-long", 2, 4);
    std::string wide = H + "1,a,A";
    for (std::size_t i = 0; i < kMaxCsvColumns + 10; ++i)
      wide += ",";
    expect_error(wide + "\n", "too-many-columns", 2, kMaxCsvColumns + 1);
    std::string rows = "track,party\n";
    for (std::size_t i = 0; i <= kMaxCsvRows + 5; ++i)
      rows += "1,A\n";
    LoadResult big = parse(rows);
    REQUIRE(big.diagnostics.size() == 1);
    CHECK(big.diagnostics.items()[0].code == "too-many-rows");
    CHECK(big.diagnostics.items()[0].location.line == kMaxCsvRows + 1);
    std::string many = H;
    for (int i = 0; i < 500; ++i)
      many += "1,a,A,nonsense-role-" + std::to_string(i) + "\n";
    LoadResult r = parse(many);
    CHECK(r.diagnostics.size() == kMaxCsvDiagnostics + 1);
    CHECK(r.diagnostics.items().back().code == "too-many-errors");
  }
  SUBCASE("header") {
    expect_error("track,party,rolez\n", "unknown-column", 1, 3);
    expect_error("track,party,Roles,roles\n", "duplicate-column", 1, 4);
    expect_error("party,roles\nAya,vocals\n", "missing-column", 1, 1);
    expect_error("track,roles\n1,vocals\n", "missing-column", 1, 1);
    CHECK(parse("track,tracknumber,party\n").diagnostics.items().at(0).code == "duplicate-column");
  }
  SUBCASE("directives") {
    expect_error("#relaese,title,X\ntrack,party\n", "unknown-key", 1, 1);
    expect_error("#release,titel,X\ntrack,party\n", "unknown-key", 1, 2);
    expect_error("#release,title,Hello, World\ntrack,party\n", "extra-field", 1, 4);
    expect_error("#release,p_line,twenty,Owner\ntrack,party\n", "invalid-number", 1, 3);
    expect_error("#sheet_version,2\ntrack,party\n", "unsupported-version", 1, 2);
    expect_error("#delivery,sendr,x\ntrack,party\n", "unknown-key", 1, 2);
    expect_error("#deal,2,territories,JP\ntrack,party\n", "invalid-value", 1, 2);
    expect_error("#deal,1,teritories,JP\ntrack,party\n", "unknown-key", 1, 3);
    CHECK(only_error(parse("#release,titel,X\ntrack,party\n")).hint == "did you mean 'title'?");
  }
  SUBCASE("track and party cells") {
    expect_error(H + "one,a,A,vocals\n", "invalid-number", 2, 1);
    expect_error("disc,track,party\nB,1,A\n", "invalid-number", 2, 1);
    expect_error("track,party,title\n1,A,X\n1,A,Y\n", "track-conflict", 3, 3);
    expect_error("track,party,explicit\n1,A,maybe\n", "invalid-value", 2, 3);
    expect_error("track,party_id,party\n1,a,Aya\n2,a,Ayla\n", "duplicate-party", 3, 3);
    expect_error("track,party,kind\n1,A,robot\n", "invalid-value", 2, 3);
    expect_error("track,party,kind\n1,A,person\n2,A,organization\n", "party-conflict", 3, 3);
    expect_error("track,party,isni,roles\n1,,0000000123456789,vocals\n", "missing-field", 2, 3);
    expect_error("track,party,roles\n1,,vocals\n", "missing-field", 2, 2);
    expect_error("track,party\n1,A,extra\n", "extra-field", 2, 3);
    expect_error("track,party,,roles\n1,A,x,vocals\n", "extra-field", 2, 3);
  }
  SUBCASE("release-level rows") {
    expect_error("track,party,title,roles\n,A,Song,vocals\n", "missing-field", 2, 1);
    expect_error(H + ",a,A,mastering,,,50,,\n", "unexpected-value", 2, 7);
    expect_error(H + ",,,mastering,,,,,\n", "missing-field", 2, 3);
  }
  SUBCASE("credits and shares") {
    expect_error(H + "1,a,A,prodcuer\n", "unknown-role", 2, 4);
    CHECK(only_error(parse(H + "1,a,A,prodcuer\n")).hint.find("StudioProducer") != std::string::npos);
    expect_error("track,party,instruments\n1,A,kazooo-bass\n", "unknown-instrument", 2, 3);
    expect_error(H + "1,a,A,vocals,ten\n", "invalid-number", 2, 5);
    expect_error(H + "1,a,A,vocals,,boss\n", "invalid-value", 2, 6);
    expect_error(H + "1,a,A,vocals,,,33.3333333\n", "too-many-decimals", 2, 7);
    expect_error(H + "1,a,A,vocals,,,\"33,33\"\n", "invalid-number", 2, 7); // ',' separator: a dot
    expect_error(H + "1,a,A,vocals,,,1e2\n", "invalid-number", 2, 7);
    expect_error(H + "1,a,A,vocals,,,,50,owner\n", "invalid-value", 2, 9);
    expect_error(H + "1,a,A,vocals,,,,,writer\n", "missing-field", 2, 9);
    expect_error(H + "1,,,,,,100,,\n", "missing-field", 2, 3);
    LoadResult r = parse(H + "1,a,A,vocals,,,33.3333335\n");
    CHECK(r.sheet.tracks[0].master[0].percent == dec("33.333334")); // kept rounded: no cascade
  }
}

TEST_CASE("a huge file of one field and random binary never crash") {
  std::string big(kMaxSheetBytes - 100, 'x');
  LoadResult r = parse("track,party,roles\n1,A,\"" + big + "\"\n");
  CHECK(only_error(r).code == "field-too-long");
  std::string noise;
  std::uint32_t x = 12345;
  for (int i = 0; i < 20000; ++i) {
    x = x * 1103515245u + 12345u;
    char c = static_cast<char>((x >> 16) % 96 + 32);
    noise += (x >> 8) % 13 == 0 ? '\n' : (x >> 8) % 11 == 0 ? '"' : c;
  }
  LoadResult n = parse(noise);
  CHECK(n.diagnostics.has_errors());
  CHECK(n.diagnostics.size() <= kMaxCsvDiagnostics + 1);
}

TEST_CASE("agreements survive the CSV round trip (one #agreements row each)") {
  auto toml = liner::credits::load_sheet_toml(std::string(LINER_SOURCE_DIR) +
                                              "/tests/credits/fixtures/splits/ep-agreements.toml");
  REQUIRE(toml.ok());
  REQUIRE(!toml.sheet.agreements.empty());
  std::string csv = liner::credits::write_sheet_csv(toml.sheet);
  CHECK(csv.find("#agreements,") != std::string::npos);
  auto back = liner::credits::parse_sheet_csv(csv, "agreements.csv");
  for (const auto& d : back.diagnostics)
    MESSAGE(d.location.str() << ": " << d.message);
  REQUIRE(back.ok());
  CHECK(back.sheet.agreements.size() == toml.sheet.agreements.size());
  CHECK(liner::credits::write_sheet_toml(back.sheet) == liner::credits::write_sheet_toml(toml.sheet));
}

TEST_CASE("a bad agreement in a CSV row is reported on that row") {
  std::string csv = "#agreements,\"[[agreements]]\nparty = \"\"x\"\"\nbase = \"\"royalty\"\"\n\"\n"
                    "track,party_id\n";
  auto r = liner::credits::parse_sheet_csv(csv, "bad.csv");
  bool found = false;
  for (const auto& d : r.diagnostics)
    if (d.code == "invalid-value") {
      found = true;
      CHECK(d.location.file == "bad.csv");
      CHECK(d.location.line == 3); // line 3 of the file: the base = ... line inside the quoted cell
    }
  CHECK(found);
}
