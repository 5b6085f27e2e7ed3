// The splits engine: every worked example of ../shared/docs/splits.md with its exact figures, plus
// vesting, lock-in, withholding, payout frequency, date escalations and currency refusal.
#include <doctest/doctest.h>
#include <liner/credits/agreements.hpp>
#include <liner/credits/error.hpp>
#include <liner/credits/splits.hpp>
#include <string>
#include <vector>

using namespace liner;
using namespace liner::credits;

namespace {

Decimal D(const char* s) {
  return *Decimal::parse(s);
}

std::vector<std::string> dec_strs(const std::vector<Decimal>& v, int places) {
  std::vector<std::string> out;
  for (auto d : v)
    out.push_back(d.str_fixed(places));
  return out;
}

Agreement per_unit(const char* rate, const char* price) {
  Agreement a;
  a.party = "producer";
  a.base = RateBase::PerUnit;
  a.rate = D(rate);
  a.unit_price = D(price);
  return a;
}

Accrual run(const Agreement& a, const char* units, std::string as_of = {}, Derivation* d = nullptr) {
  std::vector<Slice> s{Slice{{}, Volume{D(units), {}, {}, {}}}};
  return accrue(a, s, as_of, 2, d);
}

bool mentions(const Derivation& d, const std::string& what) {
  return d.text().find(what) != std::string::npos;
}

// A one-release sheet with n tracks (ISRC CC-XXX-26-0000n), parties, and master shares label 100.
Sheet small_sheet(int n = 1) {
  Sheet s;
  s.release.title = "R";
  s.release.upc = "036000291452";
  for (const char* id : {"label", "artist", "producer", "mentor"}) {
    Party p;
    p.id = id;
    p.name = std::string(id) + " name";
    s.parties.push_back(p);
  }
  for (int i = 1; i <= n; ++i) {
    Track t;
    t.number = i;
    t.title = "Track " + std::to_string(i);
    t.isrc = "CCXXX260000" + std::to_string(i);
    t.master = {Share{"label", Decimal::from_int(100), Capacity::Unspecified}};
    s.tracks.push_back(t);
  }
  return s;
}

const PartyResult& party(const SplitResult& r, const std::string& id) {
  for (const auto& p : r.parties)
    if (p.party == id) return p;
  throw Error("no party " + id);
}
const PartyResult& party(const Statement& s, const std::string& id) {
  for (const auto& p : s.parties)
    if (p.result.party == id) return p.result;
  throw Error("no party " + id);
}

RevenueLine line(const char* period, const char* id, const char* source, const char* units, const char* gross,
                 const char* currency = "EUR") {
  RevenueLine l;
  l.period = period;
  l.id = id;
  l.source = source;
  l.units = D(units);
  l.gross = D(gross);
  l.currency = currency;
  return l;
}

} // namespace

TEST_CASE("example 1: record one: 10 cents a unit, 10,000 advance, 150,000 units") {
  Agreement a = per_unit("10", "1.00");
  a.advance = D("10000");
  Derivation d;
  Accrual r = run(a, "150000", {}, &d);
  CHECK(r.earned == D("15000"));
  CHECK(r.payable == D("5000"));
  CHECK(r.advance_balance.is_zero());
  CHECK(mentions(d, "earned"));
  CHECK(mentions(d, "advance 10000.00"));
}

TEST_CASE("example 2: recoupment of recording costs, combined vs net rate") {
  Agreement a = per_unit("10", "1.00");
  a.advance = D("10000");
  a.recoupment = Recoupment{RecoupMethod::Combined, D("120000"), D("0.60")};
  Agreement n = a;
  n.recoupment->method = RecoupMethod::Net;

  Derivation dc, dn;
  run(a, "1", {}, &dc);
  run(n, "1", {}, &dn);
  CHECK(mentions(dc, "break-even at 200000 units"));
  CHECK(mentions(dn, "break-even at 240000 units"));
  CHECK(run(a, "200000").recouped);
  CHECK_FALSE(run(a, "199999").recouped);
  CHECK(run(n, "240000").recouped);
  CHECK_FALSE(run(n, "239999").recouped);

  CHECK(run(a, "150000").payable == D("0"));
  CHECK(run(n, "150000").payable == D("0"));
  CHECK(run(a, "220000").payable == D("12000"));
  CHECK(run(n, "220000").payable == D("0"));
  CHECK(run(a, "250000").payable == D("15000"));
  CHECK(run(n, "250000").payable == D("15000"));

  Accrual before = run(a, "150000");
  CHECK(before.costs_balance == D("30000")); // 120,000 - 150,000 x 0.60
  CHECK(before.advance_balance == D("10000"));

  SUBCASE("without record one, only units after break-even are paid") {
    Agreement x = a;
    x.record_one = false;
    x.advance = Decimal();
    CHECK(run(x, "250000").payable == D("5000")); // 50,000 units after 200,000 x 0.10
  }
}

TEST_CASE("example 3: proration by tracks produced") {
  CHECK(prorated_rate(D("4"), Proration{6, 12}) == D("2"));
  CHECK(prorated_rate(D("4"), Proration{3, 11}) == D("1.090909"));
  CHECK(prorated_rate(D("4"), Proration{3, 11}).str_fixed(4) == "1.0909");
  // Applied to income: 4 % of 11,000 gross x 3/11 = 120 exactly (no rounding of the rate first).
  Agreement a;
  a.base = RateBase::Gross;
  a.rate = D("4");
  a.proration = Proration{3, 11};
  std::vector<Slice> s{Slice{{}, Volume{{}, {}, D("11000"), D("11000")}}};
  CHECK(accrue(a, s, {}, 2).earned == D("120"));
}

TEST_CASE("example 4: escalation, prospective and retroactive") {
  Agreement a = per_unit("4", "1.00");
  a.escalations.push_back(Escalation{Metric::Units, D("500000"), {}, D("4.5"), EscalationMode::Prospective});
  Derivation d;
  CHECK(run(a, "800000", {}, &d).earned == D("33500"));
  CHECK(mentions(d, "threshold 500000 units crossed"));
  a.escalations[0].mode = EscalationMode::Retroactive;
  CHECK(run(a, "800000").earned == D("36000"));
  CHECK(run(a, "500000").earned == D("20000")); // "above" 500,000: not crossed at exactly 500,000
  Volume v{D("800000"), {}, {}, {}};
  CHECK(rate_at(a, v, {}) == D("4.5"));
}

TEST_CASE("example 5: streams, distribution fee and deductions; 3 % of gross") {
  Sheet s = small_sheet();
  Agreement a;
  a.party = "producer";
  a.base = RateBase::Gross;
  a.rate = D("3");
  s.agreements.push_back(a);
  Scenario sc;
  sc.name = "streams";
  sc.streams = D("1000000");
  sc.stream_rate = D("0.0035");
  sc.fee_percent = D("15");
  sc.deductions = D("2000");
  SplitResult r = simulate(s, sc);
  REQUIRE_FALSE(r.diagnostics.has_errors());
  CHECK(r.gross == D("3500"));
  CHECK(r.gross - percent_of(r.gross, D("15")) == D("2975"));
  CHECK(r.net == D("975"));
  CHECK(party(r, "producer").earned == D("105"));
  CHECK(party(r, "producer").payable == D("105"));
  CHECK(party(r, "label").earned == D("870")); // 975 - 105: parts sum to the net receipts
  SUBCASE("3 % of net receipts instead") {
    s.agreements[0].base = RateBase::Net;
    CHECK(party(simulate(s, sc), "producer").earned == D("29.25"));
  }
  SUBCASE("streams converted to units for a per-unit royalty") {
    Agreement u = per_unit("10", "1.00");
    u.streams_per_unit = D("1000");
    Accrual x = accrue(u, std::vector<Slice>{Slice{{}, Volume{{}, D("1000000"), {}, {}}}}, {}, 2);
    CHECK(x.units == D("1000"));
    CHECK(x.earned == D("100"));
  }
}

TEST_CASE("example 6: plain split and a track share of a release") {
  std::vector<Decimal> w{D("50"), D("30"), D("20")};
  CHECK(dec_strs(allocate(D("1250"), w, 2), 2) == std::vector<std::string>{"625.00", "375.00", "250.00"});
  CHECK(release_share(D("40"), 10) == D("4"));
  Sheet s = small_sheet();
  s.tracks[0].master = {Share{"label", D("50"), {}}, Share{"artist", D("30"), {}},
                        Share{"producer", D("20"), {}}};
  Scenario sc;
  sc.revenue = D("1250");
  SplitResult r = simulate(s, sc);
  CHECK(party(r, "label").earned == D("625"));
  CHECK(party(r, "artist").earned == D("375"));
  CHECK(party(r, "producer").earned == D("250"));
}

TEST_CASE("example 7: three equal writers, largest remainder, ties to the first listed") {
  std::vector<Decimal> w{D("1"), D("1"), D("1")};
  CHECK(dec_strs(allocate(D("100"), w, 2), 2) == std::vector<std::string>{"33.34", "33.33", "33.33"});
  CHECK(allocate(D("100"), w, 6)[0] == D("33.333334"));
  // Writer share 50 and publisher share 50, each over three: 16.667 % each when rounded ...
  CHECK(mul_div(D("100"), D("1"), D("6")).str_fixed(3) == "16.667");
  // ... and, allocated at 3 places, each half still sums to exactly 50.
  auto writers = allocate(D("50"), w, 3);
  CHECK(dec_strs(writers, 3) == std::vector<std::string>{"16.667", "16.667", "16.666"});
  CHECK(writers[0] + writers[1] + writers[2] == D("50"));
}

TEST_CASE("largest remainder: uneven remainders go to the largest, money sums to the whole") {
  std::vector<Decimal> w{D("1"), D("2"), D("3")};
  auto p = allocate(D("0.05"), w, 2); // quotas .00833 .01666 .025
  CHECK(dec_strs(p, 2) == std::vector<std::string>{"0.01", "0.02", "0.02"});
  CHECK(allocate(D("10"), std::vector<Decimal>{}, 2).empty());
  CHECK(dec_strs(allocate(D("1"), std::vector<Decimal>{D("0"), D("0")}, 2), 2) ==
        std::vector<std::string>{"0.50", "0.50"});
  CHECK_THROWS_AS(allocate(D("1"), std::vector<Decimal>{D("-1")}, 2), Error);
}

TEST_CASE("vesting: nothing before the cliff, then pro rata by whole months") {
  Agreement a = per_unit("10", "1.00");
  a.vesting = Vesting{"2026-01-01", 24, 6};
  CHECK(run(a, "1000", "2026-05-31").payable == D("0"));
  CHECK(run(a, "1000", "2026-07-01").payable == D("25")); // 6/24 of 100
  CHECK(run(a, "1000", "2027-01-01").payable == D("50"));
  CHECK(run(a, "1000", "2028-01-01").payable == D("100"));
  CHECK(run(a, "1000", "2025-12-31").payable == D("0"));
  CHECK(months_between("2026-01-31", "2026-02-28") == 0);
  CHECK(months_between("2026-01-15", "2026-02-15") == 1);
  CHECK(vested_percent(std::nullopt, "2026-01-01") == D("100"));
}

TEST_CASE("lock-in: earnings accrue, nothing is paid before the date") {
  Agreement a = per_unit("10", "1.00");
  a.lock_in_until = "2027-01-01";
  Derivation d;
  Accrual r = run(a, "1000", "2026-12-31", &d);
  CHECK(r.locked);
  CHECK(r.due == D("100"));
  CHECK(r.payable == D("0"));
  CHECK(mentions(d, "locked in until 2027-01-01"));
  CHECK(run(a, "1000", "2027-01-01").payable == D("100"));
}

TEST_CASE("withholding is taken from each payout and shown") {
  Sheet s = small_sheet();
  Agreement a = per_unit("10", "1.00");
  a.advance = D("10000");
  a.withholding = D("30");
  s.agreements.push_back(a);
  Scenario sc;
  sc.units = D("150000");
  sc.unit_price = D("1.00");
  SplitResult r = simulate(s, sc);
  const PartyResult& p = party(r, "producer");
  CHECK(p.payable == D("5000"));
  CHECK(p.withheld == D("1500"));
  CHECK(p.net == D("3500"));
  CHECK(p.derivation.text().find("withholding 30 %") != std::string::npos);
}

TEST_CASE("date escalations: prospective re-rates new income only, retroactive re-rates everything") {
  Agreement a;
  a.party = "producer";
  a.base = RateBase::Gross;
  a.rate = D("4");
  a.escalations.push_back(Escalation{Metric::Date, {}, "2026-04-01", D("5"), EscalationMode::Prospective});
  std::vector<Slice> s{Slice{"2026-01-01", Volume{{}, {}, D("100"), D("100")}},
                       Slice{"2026-04-01", Volume{{}, {}, D("100"), D("100")}}};
  CHECK(accrue(a, s, {}, 2).earned == D("9"));
  a.escalations[0].mode = EscalationMode::Retroactive;
  CHECK(accrue(a, s, {}, 2).earned == D("10"));
  CHECK(accrue(a, std::span(s).first(1), {}, 2).earned == D("4"));
}

TEST_CASE("revenue escalation on gross, prospective") {
  Agreement a;
  a.base = RateBase::Gross;
  a.rate = D("10");
  a.escalations.push_back(Escalation{Metric::Revenue, D("1000"), {}, D("20"), EscalationMode::Prospective});
  std::vector<Slice> s{Slice{{}, Volume{{}, {}, D("1500"), D("1500")}}};
  CHECK(accrue(a, s, {}, 2).earned == D("200")); // 1000 x 10 % + 500 x 20 %
}

TEST_CASE("effective master shares: plain without agreements, share agreements replace and the rest scales") {
  Sheet s = small_sheet();
  s.tracks[0].master = {Share{"label", D("50"), {}}, Share{"artist", D("50"), {}}};
  CHECK(effective_master_shares(s, 0) == s.tracks[0].master);
  Agreement a;
  a.party = "artist";
  a.base = RateBase::Share;
  a.rate = D("60");
  a.escalations.push_back(
      Escalation{Metric::Streams, D("1000000"), {}, D("70"), EscalationMode::Prospective});
  s.agreements.push_back(a);
  auto e = effective_master_shares(s, 0);
  REQUIRE(e.size() == 2);
  // In the sheet's order (label, artist), so a DDEX message only changes where a share does.
  CHECK(e[0].party == "label");
  CHECK(e[0].percent == D("40"));
  CHECK(e[1].party == "artist");
  CHECK(e[1].percent == D("60"));
  Volume v{{}, D("2000000"), {}, {}};
  e = effective_master_shares(s, 0, &v);
  CHECK(e[0].percent == D("30"));
  CHECK(e[1].percent == D("70"));
}

TEST_CASE("non-financial contributions are recorded and shown") {
  Sheet s = small_sheet();
  Agreement a;
  a.party = "mentor";
  a.base = RateBase::Share;
  a.contributions = {"mentoring", "session curation"};
  s.agreements.push_back(a);
  Scenario sc;
  sc.revenue = D("100");
  SplitResult r = simulate(s, sc);
  const PartyResult& p = party(r, "mentor");
  CHECK(p.kind == "contribution");
  CHECK(p.earned.is_zero());
  CHECK(p.contributions == std::vector<std::string>{"mentoring", "session curation"});
  CHECK(to_text(r, false).find("contributions: mentoring, session curation") != std::string::npos);
}

TEST_CASE("periods") {
  auto q = parse_period("2026-Q1");
  REQUIRE(q);
  CHECK(q->start == "2026-01-01");
  CHECK(q->end == "2026-03-31");
  CHECK(parse_period("2024-02")->end == "2024-02-29");
  CHECK(parse_period("2026-H2")->start == "2026-07-01");
  CHECK(parse_period("2026")->end == "2026-12-31");
  CHECK_FALSE(parse_period("2026-Q5"));
  CHECK_FALSE(parse_period("2026-13"));
  CHECK_FALSE(parse_period("Q1"));
}

TEST_CASE("statements: recoupment carried forward, record one, per-line amounts that sum") {
  Sheet s = small_sheet(2);
  Agreement a = per_unit("10", "1.00");
  a.advance = D("100");
  a.recoupment = Recoupment{RecoupMethod::Combined, D("600"), D("0.60")}; // break-even at 1,000 units
  s.agreements.push_back(a);
  std::vector<RevenueLine> lines{
      line("2026-Q1", "CC-XXX-26-00001", "download", "600", "600"),
      line("2026-Q2", "CCXXX2600001", "download", "300", "300"),
      line("2026-Q2", "CCXXX2600002", "download", "300", "300"),
      line("2026-Q2", "036000291452", "sync", "0", "50"),
      line("2026-Q3", "CCXXX2600001", "download", "999", "999"), // after the period: ignored
  };
  Statement q1 = make_statement(s, lines, *parse_period("2026-Q1"));
  REQUIRE_FALSE(q1.diagnostics.has_errors());
  CHECK(party(q1, "producer").earned == D("60"));
  CHECK(party(q1, "producer").payable == D("0"));
  CHECK(party(q1, "producer").after.costs_balance == D("240"));
  CHECK(party(q1, "producer").carried == D("0"));

  Statement q2 = make_statement(s, lines, *parse_period("2026-Q2"));
  REQUIRE_FALSE(q2.diagnostics.has_errors());
  const PartyResult& p = party(q2, "producer");
  CHECK(q2.revenue_lines == 3);
  CHECK(q2.gross == D("650"));
  CHECK(p.before.costs_balance == D("240"));
  CHECK(p.after.costs_balance == D("0"));
  CHECK(p.earned == D("60"));  // 600 units this period x 0.10
  CHECK(p.payable == D("20")); // 1,200 units x 0.10 from record one, less the 100 advance
  CHECK(p.before.advance_balance == D("100"));
  CHECK(p.after.advance_balance == D("0"));
  // The label's pool: net receipts less the royalties funded from them.
  CHECK(party(q2, "label").earned == D("590"));
  Decimal lines_sum;
  for (const auto& ps : q2.parties)
    for (const auto& l : ps.lines)
      lines_sum += l.amount;
  CHECK(lines_sum == q2.net);
  CHECK(to_text(q2, true).find("recording costs balance 240.00 -> 0.00") != std::string::npos);
}

TEST_CASE("statements: payout frequency carries forward; lock-in releases what accrued") {
  Sheet s = small_sheet();
  Agreement a;
  a.party = "producer";
  a.base = RateBase::Gross;
  a.rate = D("10");
  a.frequency = Frequency::Annual;
  s.agreements.push_back(a);
  std::vector<RevenueLine> lines{line("2026-Q1", "CCXXX2600001", "stream", "1000", "100"),
                                 line("2026-Q4", "CCXXX2600001", "stream", "1000", "100")};
  Statement q1 = make_statement(s, lines, *parse_period("2026-Q1"));
  CHECK(party(q1, "producer").payable == D("0"));
  CHECK(party(q1, "producer").carried == D("10"));
  Statement q4 = make_statement(s, lines, *parse_period("2026-Q4"));
  CHECK(party(q4, "producer").payable == D("20"));
  CHECK(party(q4, "producer").carried == D("0"));

  s.agreements[0].frequency = Frequency::Quarterly;
  s.agreements[0].lock_in_until = "2026-10-01";
  q1 = make_statement(s, lines, *parse_period("2026-Q1"));
  CHECK(party(q1, "producer").payable == D("0"));
  CHECK(party(q1, "producer").after.locked);
  q4 = make_statement(s, lines, *parse_period("2026-Q4"));
  CHECK(party(q4, "producer").payable == D("20"));
}

TEST_CASE("statements refuse to mix currencies") {
  Sheet s = small_sheet();
  std::vector<RevenueLine> lines{line("2026-Q1", "CCXXX2600001", "stream", "1000", "100", "EUR"),
                                 line("2026-Q1", "CCXXX2600001", "stream", "1000", "100", "USD")};
  Statement st = make_statement(s, lines, *parse_period("2026-Q1"));
  CHECK(st.diagnostics.has_code("mixed-currencies"));
  CHECK(st.parties.empty());

  Agreement a;
  a.party = "producer";
  a.rate = D("3");
  a.currency = "USD";
  s.agreements.push_back(a);
  lines.pop_back();
  st = make_statement(s, lines, *parse_period("2026-Q1"));
  CHECK(st.diagnostics.has_code("currency-mismatch"));

  Agreement b = a;
  b.currency = "EUR";
  s.agreements.push_back(b);
  CHECK(simulate(s, Scenario{}).diagnostics.has_code("mixed-currencies"));
}

TEST_CASE("statements: unknown ids and straddling periods are diagnostics") {
  Sheet s = small_sheet();
  std::vector<RevenueLine> lines{line("2026-Q1", "XX0000000000", "stream", "1", "1"),
                                 line("2026", "CCXXX2600001", "stream", "1", "1")};
  Statement st = make_statement(s, lines, *parse_period("2026-Q1"));
  CHECK(st.diagnostics.has_code("revenue-unknown-id"));
  CHECK(st.diagnostics.has_code("revenue-period-overlap"));
}

TEST_CASE("revenue CSV") {
  auto r = parse_revenue_csv("\xEF\xBB\xBFPeriod;ISRC;Source;Units;Gross;Currency\r\n"
                             "2026-Q1;CC-XXX-26-00001;stream;1000;3.50;EUR\r\n"
                             "2026-Q1;\"036000291452\";sync;0;\"1,5\";EUR\r\n"
                             "2026-Q1;CCXXX2600001;download;-1;1;EUR\r\n",
                             "rev.csv");
  REQUIRE(r.lines.size() == 1);
  CHECK(r.lines[0].gross == D("3.5"));
  CHECK(r.diagnostics.has_code("revenue-number"));
  CHECK(r.diagnostics.has_code("revenue-negative"));
  CHECK(r.diagnostics.items()[0].location.line == 3);
  auto bad = parse_revenue_csv("period,isrc\n", "x.csv");
  CHECK(bad.diagnostics.has_code("revenue-missing-column"));
}

TEST_CASE("digests: SHA-256, reproducible, sensitive to every part and its boundaries") {
  CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  std::string_view a[] = {"sheet", "revenue", "2026-Q1"};
  std::string_view b[] = {"sheet", "revenue", "2026-Q2"};
  std::string_view c[] = {"sheetr", "evenue", "2026-Q1"};
  CHECK(statement_digest(a) == statement_digest(a));
  CHECK(statement_digest(a) != statement_digest(b));
  CHECK(statement_digest(a) != statement_digest(c));
}

TEST_CASE("minor units and rounding") {
  CHECK(minor_units("EUR") == 2);
  CHECK(minor_units("JPY") == 0);
  CHECK(minor_units("KWD") == 3);
  CHECK(round_down(D("1.239"), 2) == D("1.23"));
  CHECK(round_down(D("-1.239"), 2) == D("-1.23"));
  CHECK_THROWS_AS(mul_div(D("1"), D("1"), D("0")), Error);
}

TEST_CASE("check_agreements") {
  Sheet s = small_sheet(2);
  Agreement ok = per_unit("4", "1.00");
  ok.escalations.push_back(Escalation{Metric::Units, D("500000"), {}, D("4.5"), EscalationMode::Prospective});
  s.agreements.push_back(ok);
  CHECK(check_agreements(s).empty());

  Agreement bad;
  bad.party = "nobody";
  bad.tracks = {7};
  bad.base = RateBase::PerUnit;
  bad.rate = D("120");
  bad.escalations = {Escalation{Metric::Units, D("10"), {}, D("5"), {}},
                     Escalation{Metric::Units, D("5"), {}, D("6"), {}},
                     Escalation{Metric::Streams, D("50"), {}, D("7"), {}},
                     Escalation{Metric::Date, {}, "2026-02-30", D("7"), {}}};
  bad.proration = Proration{5, 4};
  bad.recoupment = Recoupment{RecoupMethod::Net, D("100"), D("0")};
  bad.lock_in_until = "soon";
  bad.vesting = Vesting{"2026-01-01", 0, 3};
  bad.withholding = D("101");
  bad.currency = "euro";
  s.agreements.push_back(bad);
  Agreement s1;
  s1.party = "artist";
  s1.base = RateBase::Share;
  s1.rate = D("70");
  Agreement s2 = s1;
  s2.party = "producer";
  s.agreements.push_back(s1);
  s.agreements.push_back(s2);
  Diagnostics d = check_agreements(s);
  for (const char* code :
       {"agreement-unknown-party", "agreement-unknown-track", "agreement-rate", "agreement-unit-price",
        "agreement-escalation-order", "agreement-escalation-metric", "agreement-date", "agreement-proration",
        "agreement-recoupment", "agreement-vesting", "agreement-withholding", "agreement-currency",
        "agreement-share-sum"})
    CHECK_MESSAGE(d.has_code(code), code);
}

// ---- [[agreements]] in the sheet ---------------------------------------------------------------------
#include <liner/credits/text.hpp>
#include <liner/credits/toml.hpp>

namespace {
std::string fixture(const std::string& name) {
  return std::string(LINER_SOURCE_DIR) + "/tests/credits/fixtures/splits/" + name;
}
} // namespace

TEST_CASE("agreements load from the sheet with every term") {
  LoadResult r = load_sheet_toml(fixture("ep-agreements.toml"));
  for (const auto& d : r.diagnostics)
    MESSAGE(d.location.str() << ": " << d.message);
  REQUIRE(r.ok());
  const Sheet& s = r.sheet;
  REQUIRE(s.agreements.size() == 4);
  const Agreement& p = s.agreements[0];
  CHECK(p.party == "malik");
  CHECK(p.tracks == std::vector<int>{1, 2, 3});
  CHECK(p.base == RateBase::PerUnit);
  CHECK(p.rate == D("4"));
  CHECK(p.unit_price == D("1"));
  REQUIRE(p.escalations.size() == 2);
  CHECK(p.escalations[0].threshold == D("500000"));
  CHECK(p.escalations[0].rate == D("4.5"));
  CHECK(p.escalations[1].metric == Metric::Date);
  CHECK(p.escalations[1].date == "2027-01-01");
  CHECK(p.streams_per_unit == D("1000"));
  CHECK(p.advance == D("2000"));
  REQUIRE(p.recoupment);
  CHECK(p.recoupment->artist_rate == D("0.6"));
  CHECK(p.withholding == D("15"));
  const Agreement& z = s.agreements[1];
  CHECK(z.proration == Proration{2, 4});
  CHECK(z.lock_in_until == "2026-07-01");
  CHECK(z.vesting == Vesting{"2026-01-01", 24, 3});
  CHECK(z.frequency == Frequency::SemiAnnual);
  CHECK(s.agreements[2].contributions == std::vector<std::string>{"session curation"});
  CHECK(s.where.at("agreements[1].rate").line > 0);
  CHECK(check_agreements(s).empty());
}

TEST_CASE("agreements round-trip exactly through the canonical writer") {
  LoadResult r = load_sheet_toml(fixture("ep-agreements.toml"));
  REQUIRE(r.ok());
  std::string once = write_sheet_toml(r.sheet);
  LoadResult again = parse_sheet_toml(once, "again.toml");
  REQUIRE(again.ok());
  CHECK(again.sheet.agreements == r.sheet.agreements);
  CHECK(write_sheet_toml(again.sheet) == once);
  // The fixture is in canonical form.
  CHECK(read_file(fixture("ep-agreements.toml"), 1 << 20) == once);
}

TEST_CASE("bad agreements: unknown keys, bad values and decimals have positions") {
  LoadResult r = load_sheet_toml(fixture("bad-agreements.toml"));
  CHECK(r.diagnostics.has_code("unknown-key"));       // escalation, foo
  CHECK(r.diagnostics.has_code("invalid-value"));     // base = "royalty"
  CHECK(r.diagnostics.has_code("too-many-decimals")); // rate
  for (const auto& d : r.diagnostics)
    CHECK(d.location.line > 0);
  Diagnostics c = check_agreements(r.sheet);
  CHECK(c.has_code("agreement-unknown-party"));
  CHECK(c.has_code("agreement-vesting"));
  for (const auto& d : c)
    CHECK(d.location.line > 0);
}

TEST_CASE("the sample EP with agreements: a scenario and a statement") {
  LoadResult r = load_sheet_toml(fixture("ep-agreements.toml"));
  REQUIRE(r.ok());
  Scenario sc;
  sc.name = "expected";
  sc.units = D("20000");
  sc.streams = D("2000000");
  sc.unit_price = D("1");
  sc.stream_rate = D("0.004");
  sc.date = "2026-12-31";
  SplitResult res = simulate(r.sheet, sc);
  REQUIRE_FALSE(res.diagnostics.has_errors());
  CHECK(res.currency == "EUR");
  CHECK(res.gross == D("28000"));
  Decimal sum;
  for (const auto& p : res.parties)
    sum += p.allocated;
  CHECK(sum == res.net);
  // The effective master shares of track 1 (for DDEX): aya's share agreement 40 % replaces her plain
  // share; nova 50 and malik 10 share the remaining 60 % pro rata.
  auto e = effective_master_shares(r.sheet, 0);
  REQUIRE(e.size() == 3);
  CHECK(e[0].party == "nova"); // the sheet's order
  CHECK(e[0].percent == D("50"));
  CHECK(e[1].party == "aya");
  CHECK(e[1].percent == D("40"));
  CHECK(e[2].party == "malik");
  CHECK(e[2].percent == D("10"));
  auto all = effective_master_shares(r.sheet);
  REQUIRE(all.size() == r.sheet.tracks.size());
  CHECK(all[0] == e);
  for (const auto& track : all) {
    Decimal sum;
    for (const auto& sh : track)
      sum += sh.percent;
    CHECK(sum == D("100"));
  }
}

TEST_CASE("scenario files: TOML and CSV, decimals exact, problems with positions") {
  ScenarioLoad t = load_scenarios(fixture("scenarios.toml"));
  REQUIRE_FALSE(t.diagnostics.has_errors());
  REQUIRE(t.scenarios.size() == 3);
  CHECK(t.scenarios[0].name == "low");
  CHECK(t.scenarios[0].stream_rate == D("0.0035"));
  CHECK(t.scenarios[0].currency == "EUR");
  CHECK(t.scenarios[2].date == "2027-06-30");
  ScenarioLoad c = load_scenarios(fixture("scenarios.csv"));
  REQUIRE_FALSE(c.diagnostics.has_errors());
  REQUIRE(c.scenarios.size() == 2);
  CHECK(c.scenarios[1].units == D("20000"));
  ScenarioLoad bad = parse_scenarios_toml("[[scenario]]\nunits = -5\nstreem = 3\n", "bad.toml");
  CHECK(bad.diagnostics.has_code("invalid-value"));
  CHECK(bad.diagnostics.has_code("unknown-key"));
  CHECK(bad.diagnostics.items()[0].location.line > 0);
  CHECK(parse_scenarios_csv("name,units\nx,1e3\n", "b.csv").diagnostics.has_code("invalid-value"));
}

TEST_CASE("the earnings chart is an SVG with one bar per party and scenario") {
  LoadResult r = load_sheet_toml(fixture("ep-agreements.toml"));
  REQUIRE(r.ok());
  ScenarioLoad t = load_scenarios(fixture("scenarios.toml"));
  std::vector<SplitResult> res;
  for (const auto& s : t.scenarios)
    res.push_back(simulate(r.sheet, s));
  std::string svg = earnings_svg(res, t.scenarios);
  CHECK(svg.rfind("<svg", 0) == 0);
  CHECK(svg.find("breakout") != std::string::npos);
  std::size_t bars = 0;
  for (std::size_t at = svg.find("<rect x"); at != std::string::npos; at = svg.find("<rect x", at + 1))
    ++bars;
  // 7 paid rows x 3 scenarios (aya twice: her share agreement on tracks 1, 3, 4 and her plain share on
  // track 2), plus 6 legend swatches (one per label).
  CHECK(bars == 3 * 7 + 6);
}

TEST_CASE("statement from the fixture revenue file is reproducible and sums") {
  LoadResult r = load_sheet_toml(fixture("ep-agreements.toml"));
  REQUIRE(r.ok());
  RevenueLoad rev = load_revenue_csv(fixture("revenue.csv"));
  REQUIRE_FALSE(rev.diagnostics.has_errors());
  Statement a = make_statement(r.sheet, rev.lines, *parse_period("2026-Q1"));
  REQUIRE_FALSE(a.diagnostics.has_errors());
  CHECK(a.revenue_lines == 6);
  CHECK(a.gross == D("8480"));
  Decimal sum;
  for (const auto& p : a.parties)
    sum += p.result.allocated;
  CHECK(sum == a.net);
  Statement b = make_statement(r.sheet, rev.lines, *parse_period("2026-Q1"));
  CHECK(to_text(a, true) == to_text(b, true));
  // Zoë is locked in until 2026-07-01 and paid semiannually: everything is carried forward.
  CHECK(party(a, "zoe").payable.is_zero());
  CHECK(party(a, "zoe").carried == D("190.80"));
}

TEST_CASE("parsers survive arbitrary bytes") {
  std::uint64_t x = 12345;
  auto next = [&] {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return x;
  };
  const std::string alphabet = "period,isrc;source\"units\n\r gross currency 0123456789.-[]=#scenario name";
  for (int i = 0; i < 2000; ++i) {
    std::string text = i % 2 ? "period,isrc,source,units,gross,currency\n" : "";
    for (std::size_t k = 0, n = next() % 300; k < n; ++k)
      text += i % 3 ? alphabet[next() % alphabet.size()] : static_cast<char>(next() & 0xFF);
    CHECK_NOTHROW(parse_revenue_csv(text, "fuzz.csv"));
    CHECK_NOTHROW(parse_scenarios_csv(text, "fuzz.csv"));
    CHECK_NOTHROW(parse_scenarios_toml(text, "fuzz.toml"));
    CHECK_NOTHROW(parse_period(text));
  }
}

TEST_CASE("check_agreements: share agreements that leave a rest nobody takes") {
  Sheet s = small_sheet(); // master: label 100
  Agreement a;
  a.party = "label";
  a.base = RateBase::Share;
  a.rate = D("60");
  s.agreements.push_back(a);
  CHECK(check_agreements(s).has_code("agreement-share-rest"));
  s.tracks[0].master.push_back(Share{"artist", D("10"), {}});
  CHECK_FALSE(check_agreements(s).has_code("agreement-share-rest"));
  CHECK(effective_master_shares(s, 0)[1].percent == D("40")); // the artist takes the rest
}
