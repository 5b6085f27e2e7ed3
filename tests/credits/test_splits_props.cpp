// Property tests over random agreements (seeded, reproducible): payouts are never negative, never more
// than what came in, and the parts always sum exactly to the whole.
#include <cstdint>
#include <doctest/doctest.h>
#include <liner/credits/splits.hpp>
#include <string>
#include <vector>

using namespace liner;
using namespace liner::credits;

namespace doctest {
template <> struct StringMaker<Decimal> {
  static String convert(const Decimal& d) { return d.str().c_str(); }
};
} // namespace doctest

namespace {

// splitmix64: the same sequence on every platform and standard library.
struct Rng {
  std::uint64_t s;
  std::uint64_t next() {
    std::uint64_t z = (s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  std::int64_t in(std::int64_t lo, std::int64_t hi) {
    return lo + static_cast<std::int64_t>(next() % (hi - lo + 1));
  }
  bool coin(int percent = 50) { return in(0, 99) < percent; }
  Decimal dec(std::int64_t lo_units, std::int64_t hi_units) {
    return Decimal::from_units(in(lo_units, hi_units));
  }
};

const char* kParties[] = {"label", "artist", "producer", "mixer", "writer", "mentor"};

Sheet random_sheet(Rng& r, bool sane) {
  Sheet s;
  s.release.upc = "036000291452";
  for (const char* id : kParties) {
    Party p;
    p.id = id;
    s.parties.push_back(p);
  }
  int n = static_cast<int>(r.in(1, 5));
  for (int i = 1; i <= n; ++i) {
    Track t;
    t.number = i;
    t.isrc = "CCXXX2600" + std::to_string(100 + i);
    int holders = static_cast<int>(r.in(1, 3));
    std::vector<Decimal> w;
    for (int k = 0; k < holders; ++k)
      w.push_back(r.dec(1, 1'000'000'000));
    auto pct = allocate(Decimal::from_int(100), w, 2);
    for (int k = 0; k < holders; ++k)
      t.master.push_back(Share{kParties[k], pct[k], {}});
    s.tracks.push_back(t);
  }
  int agreements = static_cast<int>(r.in(0, 4));
  Decimal royalty_budget = Decimal::from_int(100), share_budget = Decimal::from_int(90);
  for (int k = 0; k < agreements; ++k) {
    Agreement a;
    a.party = kParties[r.in(0, 5)];
    a.base = static_cast<RateBase>(r.in(0, 3));
    Decimal cap = a.base == RateBase::Share ? share_budget : royalty_budget;
    if (!sane) cap = Decimal::from_int(100);
    a.rate = Decimal::from_units(r.in(0, cap.units() / 2));
    if (a.base == RateBase::PerUnit) a.unit_price = r.dec(1, 2'000'000); // up to 2.00, the scenario's price
    if (r.coin(40)) {
      Decimal t;
      Metric m = static_cast<Metric>(r.in(0, 2));
      Decimal rate = a.rate;
      for (int e = 0, ne = static_cast<int>(r.in(1, 3)); e < ne; ++e) {
        t += r.dec(1'000'000, 100'000'000'000);
        // Mostly rising, sometimes (written) lower: the engine never lowers a rate.
        Decimal step = Decimal::from_units(r.in(0, (cap - a.rate).units() / 4));
        rate = r.coin(85) ? rate + step : rate - std::min(rate, step);
        a.escalations.push_back(
            Escalation{m, t, {}, rate, r.coin() ? EscalationMode::Retroactive : EscalationMode::Prospective});
      }
    }
    if (r.coin(20))
      a.escalations.push_back(
          Escalation{Metric::Date, {}, "2026-07-01", a.rate, EscalationMode::Prospective});
    Decimal top = a.rate;
    for (auto& e : a.escalations)
      top = std::max(top, e.rate);
    if (a.base == RateBase::Share)
      share_budget -= top;
    else if (a.base != RateBase::PerUnit)
      royalty_budget -= top;
    else
      royalty_budget -= top; // per-unit: price <= scenario price, so the same budget bounds it
    // Converted streams earn a per-unit royalty on income they did not bring: only outside "sane".
    if (r.coin(30) && !(sane && a.base == RateBase::PerUnit))
      a.streams_per_unit = Decimal::from_int(r.in(100, 2000));
    if (r.coin(30))
      a.tracks = {static_cast<int>(r.in(1, n))};
    else if (r.coin(20))
      a.proration = Proration{static_cast<int>(r.in(1, n)), n};
    if (r.coin(30)) a.advance = r.dec(0, 50'000'000'000);
    if (r.coin(30))
      a.recoupment = Recoupment{r.coin() ? RecoupMethod::Combined : RecoupMethod::Net,
                                r.dec(0, 500'000'000'000), r.dec(100'000, 3'000'000)};
    a.record_one = !r.coin(20);
    if (r.coin(20)) a.lock_in_until = r.coin() ? "2026-03-01" : "2027-03-01";
    if (r.coin(20)) a.vesting = Vesting{"2025-06-01", static_cast<int>(r.in(1, 36)), 0};
    if (r.coin(30)) a.withholding = r.dec(0, 50'000'000);
    a.frequency = static_cast<Frequency>(r.in(0, 3));
    s.agreements.push_back(a);
  }
  return s;
}

Scenario random_scenario(Rng& r, bool sane) {
  Scenario sc;
  sc.units = Decimal::from_int(r.in(0, 2'000'000));
  sc.streams = Decimal::from_int(r.in(0, 500'000'000));
  sc.unit_price = Decimal::from_int(2);
  sc.stream_rate = r.dec(0, 8'000);
  if (r.coin(20) && !sane) sc.revenue = r.dec(0, 10'000'000'000'000);
  if (r.coin(50)) sc.fee_percent = r.dec(0, 30'000'000);
  if (r.coin(30)) sc.deductions = r.dec(0, 1'000'000'000);
  if (r.coin(70)) sc.date = r.coin() ? "2026-01-15" : "2027-09-30";
  return sc;
}

void check_result(const SplitResult& res, bool sane) {
  REQUIRE_FALSE(res.diagnostics.has_errors());
  Decimal allocated, payable;
  for (const PartyResult& p : res.parties) {
    CHECK_FALSE(p.earned.is_negative());
    CHECK_FALSE(p.allocated.is_negative());
    CHECK_FALSE(p.unfunded.is_negative());
    CHECK_FALSE(p.payable.is_negative());
    CHECK_FALSE(p.withheld.is_negative());
    CHECK_FALSE(p.net.is_negative());
    CHECK(p.payable <= p.earned);
    CHECK(p.withheld <= p.payable);
    CHECK(p.allocated + p.unfunded == p.earned);
    allocated += p.allocated;
    payable += p.payable;
  }
  // The parts sum exactly to the whole: fees + royalties + pool = gross; allocations = royalties + pool.
  CHECK(res.fees + res.net == res.gross);
  CHECK(allocated == res.royalties + res.pool);
  CHECK(res.royalties + res.pool == res.net);
  CHECK(allocated <= res.net);
  if (sane) CHECK(payable <= res.gross);
}

} // namespace

TEST_CASE("property: allocate sums exactly, parts within one minor unit of their quota") {
  Rng r{42};
  for (int i = 0; i < 3000; ++i) {
    int places = static_cast<int>(r.in(0, 6));
    std::int64_t step = 1;
    for (int k = places; k < 6; ++k)
      step *= 10;
    Decimal total = Decimal::from_units(r.in(0, 1'000'000'000'000'000) / step * step);
    std::vector<Decimal> w;
    for (int k = 0, n = static_cast<int>(r.in(1, 12)); k < n; ++k)
      w.push_back(r.dec(0, 100'000'000));
    auto parts = allocate(total, w, places);
    Decimal sum, wsum;
    for (auto p : parts)
      sum += p;
    for (auto x : w)
      wsum += x;
    CHECK(sum == total);
    for (std::size_t k = 0; k < parts.size(); ++k) {
      CHECK_FALSE(parts[k].is_negative());
      if (wsum.is_zero()) continue;
      Decimal quota = mul_div(total, w[k], wsum);
      Decimal diff = parts[k] - quota;
      CHECK(diff.units() > -step);
      CHECK(diff.units() < step + 1);
    }
  }
}

TEST_CASE("property: random agreements and scenarios") {
  Rng r{20260101};
  for (int i = 0; i < 3000; ++i) {
    bool sane = i % 2 == 0;
    Sheet s = random_sheet(r, sane);
    Scenario sc = random_scenario(r, sane);
    CAPTURE(i);
    check_result(simulate(s, sc), sane);
  }
}

TEST_CASE("property: random statements over several periods") {
  Rng r{7};
  const char* periods[] = {"2025-Q4", "2026-01", "2026-02", "2026-Q1", "2026-Q2", "2026-H2"};
  const char* sources[] = {"stream", "download", "sync", "physical"};
  for (int i = 0; i < 1000; ++i) {
    Sheet s = random_sheet(r, true);
    std::vector<RevenueLine> lines;
    for (int k = 0, n = static_cast<int>(r.in(0, 30)); k < n; ++k) {
      RevenueLine l;
      l.period = periods[r.in(0, 5)];
      l.id = r.coin(15)
                 ? s.release.upc
                 : s.tracks[static_cast<std::size_t>(r.in(0, static_cast<std::int64_t>(s.tracks.size()) - 1))]
                       .isrc;
      l.source = sources[r.in(0, 3)];
      l.units = Decimal::from_int(r.in(0, 100'000));
      l.gross = Decimal::from_units(r.in(0, 10'000'000) * 10'000); // whole cents
      if (r.coin(50)) l.net = Decimal::from_units(l.gross.units() / 10'000 * r.in(0, 100) / 100 * 10'000);
      l.currency = "EUR";
      lines.push_back(l);
    }
    const char* which[] = {"2026-Q1", "2026-Q2", "2026-H2"};
    Period p = *parse_period(which[r.in(0, 2)]);
    CAPTURE(i);
    Statement st = make_statement(s, lines, p);
    REQUIRE_FALSE(st.diagnostics.has_errors());
    Decimal allocated, lines_sum;
    for (const PartyStatement& ps : st.parties) {
      const PartyResult& pr = ps.result;
      CHECK_FALSE(pr.payable.is_negative());
      CHECK_FALSE(pr.withheld.is_negative());
      CHECK_FALSE(pr.allocated.is_negative());
      CHECK_FALSE(pr.carried.is_negative());
      CHECK(pr.after.payable <= pr.after.earned);
      Decimal l;
      for (const auto& x : ps.lines)
        l += x.amount;
      CHECK(l == pr.allocated);
      if (l != pr.allocated) MESSAGE(to_text(st, true));
      allocated += pr.allocated;
    }
    CHECK(st.fees + st.net == st.gross);
    CHECK(allocated == st.net); // every track has master shares: nothing unallocated
    // Reproducible: the same inputs give the same figures.
    Statement again = make_statement(s, lines, p);
    REQUIRE(again.parties.size() == st.parties.size());
    for (std::size_t k = 0; k < st.parties.size(); ++k) {
      CHECK(again.parties[k].result.payable == st.parties[k].result.payable);
      CHECK(again.parties[k].result.allocated == st.parties[k].result.allocated);
    }
  }
}
