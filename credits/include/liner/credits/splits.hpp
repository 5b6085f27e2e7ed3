// liner: the splits engine. Exact decimal money (liner::Decimal, 6 places, 128-bit intermediates),
// explicit rounding (royalties round down to the currency's minor unit, the fraction stays in the pool),
// remainders by largest remainder (ties to the first listed), so parts always sum to the whole. Every
// result carries its derivation. Terms and worked examples: docs/splits.md.
#pragma once
#include <cstddef>
#include <cstdint>
#include <liner/credits/agreements.hpp>
#include <liner/credits/decimal.hpp>
#include <liner/credits/diagnostic.hpp>
#include <liner/credits/sheet.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace liner::credits {

// ---- arithmetic ------------------------------------------------------------------------------------
// Decimal places of a currency's minor unit (ISO 4217): 2 for most, 0 for JPY/KRW/..., 3 for BHD/KWD/...
int minor_units(std::string_view currency);
// a * b / c exactly in 128 bits, truncated toward zero to 6 places. Throws liner::Error if c is zero.
Decimal mul_div(Decimal a, Decimal b, Decimal c);
// `percent` % of `amount`, truncated to 6 places.
Decimal percent_of(Decimal amount, Decimal percent);
// Rounds toward zero to `decimals` places (0..6).
Decimal round_down(Decimal d, int decimals);

// Splits `total` in proportion to `weights` at `decimals` places: each part is its exact quota truncated,
// then the leftover minor units go one each to the largest truncated remainders (ties to the first
// listed). The parts always sum to exactly `total`. Zero or empty weights: everything to nobody is not
// possible, so equal weights are used. Negative weights throw liner::Error.
std::vector<Decimal> allocate(Decimal total, std::span<const Decimal> weights, int decimals);

// rate x produced / total (exact to 6 places, truncated): 4 % x 6/12 = 2 %.
Decimal prorated_rate(Decimal rate, const Proration& p);
// A share of one track expressed as a share of a release of `tracks` equal tracks: 40 % / 10 = 4 %.
Decimal release_share(Decimal track_share, int tracks);

// ---- derivation ------------------------------------------------------------------------------------
// The arithmetic behind a result, one human-readable line per step.
struct Derivation {
  std::vector<std::string> lines;
  void add(std::string line) { lines.push_back(std::move(line)); }
  void append(const Derivation& other, std::string_view indent = "  ");
  std::string text(std::string_view indent = "") const;
};

// ---- one agreement ----------------------------------------------------------------------------------
struct Volume {
  Decimal units;   // units sold (downloads, physical)
  Decimal streams; // streams
  Decimal gross;   // gross income
  Decimal net;     // net receipts: gross less distribution fees and deductions
  Volume& operator+=(const Volume& o);
  friend bool operator==(const Volume&, const Volume&) = default;
};

// Income of one stretch of time, in time order. Date escalations compare against `start`.
struct Slice {
  std::string start; // YYYY-MM-DD; empty = no date (date escalations never apply)
  Volume volume;
};

// A royalty agreement applied to cumulative income (everything up to now, slice by slice).
struct Accrual {
  Decimal units;           // effective units: units + streams / streams_per_unit
  Decimal base;            // the royalty base: gross, net receipts or units x unit_price
  Decimal rate;            // the rate in effect at the end, percent (after proration)
  Decimal earned;          // the royalty, rounded down to minor units
  Decimal eligible;        // the part of `earned` that counts towards payment (record-one rule)
  Decimal costs_recouped;  // recording costs credited so far (capped at the costs)
  Decimal costs_balance;   // recording costs still to recoup
  bool recouped = true;    // recording costs recouped (always true without a recoupment)
  Decimal advance_balance; // advance still to recoup from this party's royalties
  Decimal due;             // cumulative amount due before lock-in and vesting
  bool locked = false;
  Decimal vested = Decimal::from_int(100); // percent of `due` that has vested
  Decimal payable; // cumulative amount payable to date (after lock-in and vesting), minor units
};

// Computes the royalty of agreement `a` (not RateBase::Share) on the slices. `as_of` (YYYY-MM-DD or
// empty) is the date used for the lock-in and vesting. `d` (optional) receives the derivation.
Accrual accrue(const Agreement& a, std::span<const Slice> slices, std::string_view as_of, int minor,
               Derivation* d = nullptr);
// Settles a share agreement whose cumulative pool earnings are `earned` (minor units).
Accrual accrue_share(const Agreement& a, Decimal earned, Decimal units, std::string_view as_of, int minor,
                     Derivation* d = nullptr);
// The rate of agreement `a` (percent, before proration) at cumulative volume `v` on `date`.
Decimal rate_at(const Agreement& a, const Volume& v, std::string_view date);
// Whole months from `from` to `to` (both YYYY-MM-DD); 0 when `to` is before `from`.
int months_between(std::string_view from, std::string_view to);
// Percent vested on `date` (100 without vesting).
Decimal vested_percent(const std::optional<Vesting>& v, std::string_view date);

// The terms of an agreement in one line: "4 % of 1 a unit; 4.5 % above 500000 units (prospective); ...".
std::string describe_terms(const Agreement& a);

// ---- a sheet ---------------------------------------------------------------------------------------
// The master shares of track `index` with the sheet's share agreements applied at base rates (at
// volume `v`, when given): share agreements replace the party's plain share; the other plain shares
// scale pro rata to fill the rest. Percent to 6 places, largest remainder: sums to exactly 100 (or is
// empty when the track has no master shares). Without agreements: the plain shares. For DDEX
// RightSharePercentage.
std::vector<Share> effective_master_shares(const Sheet& sheet, std::size_t track_index,
                                           const Volume* v = nullptr, std::string_view date = {});
// Every track's effective master shares at base rates, in track order (one pass: use this for a catalog).
std::vector<std::vector<Share>> effective_master_shares(const Sheet& sheet);

// One party's result for one scenario or statement period.
struct PartyResult {
  std::string party;
  std::string name;
  std::string kind;  // "royalty", "share" or "contribution" (no financial terms)
  std::string terms; // the agreed terms in one line (describe_terms); empty for a plain master share
  Decimal earned;    // contractual earnings on this income
  Decimal allocated; // the part funded from this income (royalties above receipts are not)
  Decimal unfunded;  // earned - allocated: owed by the owners beyond this income
  Accrual before;    // cumulative state before (statements) ...
  Accrual after;     // ... and after this income
  Decimal payable;   // paid out now (before withholding)
  Decimal carried;   // accrued but not paid out yet (lock-in, vesting, payout frequency), carried forward
  Decimal withheld;
  Decimal net; // payable - withheld
  std::vector<std::string> contributions;
  Derivation derivation;
};

struct Scenario {
  std::string name;
  Decimal units;
  Decimal streams;
  std::optional<Decimal> revenue; // gross; default units x unit_price + streams x stream_rate
  Decimal unit_price;
  Decimal stream_rate;
  Decimal fee_percent; // distribution fee, percent of gross
  Decimal deductions;  // other deductions from net receipts
  std::string date;    // as-of date for date escalations, lock-in and vesting; empty = none apply
  std::string currency;
};

struct SplitResult {
  std::string currency;
  Decimal gross, fees, net, royalties, pool;
  std::vector<PartyResult> parties; // royalty parties in agreement order, then share holders
  Diagnostics diagnostics;
  Derivation derivation;
};

// Each party's earnings in one scenario: the income is spread evenly over the tracks.
SplitResult simulate(const Sheet& sheet, const Scenario& scenario);

struct ScenarioLoad {
  std::vector<Scenario> scenarios;
  Diagnostics diagnostics;
};
// TOML: optional top-level `currency`, then [[scenario]] tables with name, units, streams, revenue,
// unit_price, stream_rate, fee, deductions, date. CSV: a header row with the same names.
ScenarioLoad parse_scenarios_toml(std::string_view text, const std::string& path);
ScenarioLoad parse_scenarios_csv(std::string_view text, const std::string& path);
// By extension (.csv, else TOML). Throws liner::Error when the file cannot be read.
ScenarioLoad load_scenarios(const std::string& path);

// An SVG bar chart of each party's earnings across the scenarios (one group per scenario).
std::string earnings_svg(std::span<const SplitResult> results, std::span<const Scenario> scenarios);

// ---- statements ------------------------------------------------------------------------------------
struct RevenueLine {
  std::string period; // "2026-Q1", "2026-03", "2026-H1", "2026"
  std::string id;     // ISRC (a track) or UPC/EAN (the release)
  std::string source; // stream, download, physical, sync, ...
  Decimal units;      // units sold, or streams for source "stream"
  Decimal gross;
  std::optional<Decimal> net; // net receipts; default = gross
  std::string currency;
  std::uint32_t line = 0; // line in the revenue file (for diagnostics)
};

struct RevenueLoad {
  std::vector<RevenueLine> lines;
  Diagnostics diagnostics;
};
inline constexpr std::size_t kMaxRevenueBytes = std::size_t{1} << 30; // 1 GiB
// Columns (header row, any order, case-insensitive): period, isrc / upc / id, source, units, gross,
// currency; optional net. ',' or ';' separated, UTF-8 BOM tolerated.
RevenueLoad parse_revenue_csv(std::string_view text, const std::string& path);
RevenueLoad load_revenue_csv(const std::string& path); // throws liner::Error when unreadable

struct Period {
  std::string label; // as written
  std::string start; // YYYY-MM-DD
  std::string end;   // YYYY-MM-DD, inclusive
};
std::optional<Period> parse_period(std::string_view text);

struct StatementLine {
  std::string isrc, title, source;
  Volume volume;
  Decimal amount; // this party's allocation from the line
};

struct PartyStatement {
  PartyResult result;
  std::vector<StatementLine> lines;
};

struct Statement {
  Period period;
  std::string currency;
  std::string digest; // SHA-256 of the inputs (set by the caller: see statement_digest)
  Decimal gross, fees, net;
  std::size_t revenue_lines = 0; // lines of this period
  std::vector<PartyStatement> parties;
  Diagnostics diagnostics; // errors mean no statement (mixed currencies, unknown ids, ...)
};

// A statement per party for `period`, from every revenue line up to its end (earlier periods count
// for thresholds, recoupment and what was paid before).
// `revenue_path` names the revenue file in diagnostics.
Statement make_statement(const Sheet& sheet, std::span<const RevenueLine> lines, const Period& period,
                         const std::string& revenue_path = {});
// Hex SHA-256 of the given parts, each prefixed by its length (so that boundaries count).
std::string statement_digest(std::span<const std::string_view> parts);
std::string sha256_hex(std::string_view data);

// Text renderings with the derivations.
std::string to_text(const SplitResult& r, bool derivations);
std::string to_text(const Statement& s, bool derivations);

} // namespace liner::credits
