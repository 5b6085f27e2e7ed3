// liner: backend agreements in the sheet ([[agreements]]): who is paid what, on which base, how the rate
// rises with success, and when money is actually paid out. The computation lives in splits.hpp; the
// terms are described with examples in docs/splits.md.
#pragma once
#include <liner/credits/decimal.hpp>
#include <liner/credits/diagnostic.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace liner::credits {

struct Sheet;

// What the rate is a percentage of.
enum class RateBase {
  Share,   // a share of the pool left after fees and royalties (like a master share)
  Gross,   // a royalty of gross income
  Net,     // a royalty of net receipts (gross less distribution fees and deductions)
  PerUnit, // a royalty of a per-unit base price (unit_price, e.g. PPD 1.00) on each unit
};
// What an escalation threshold measures.
enum class Metric { Units, Streams, Revenue, Date };
// Prospective: the new rate applies above the threshold only. Retroactive: to everything once crossed.
enum class EscalationMode { Prospective, Retroactive };
// How the artist's recording costs are recouped before a producer is paid (docs/splits.md, example 2).
enum class RecoupMethod { Combined, Net };
enum class Frequency { Monthly, Quarterly, SemiAnnual, Annual };

std::string_view to_string(RateBase);
std::string_view to_string(Metric);
std::string_view to_string(EscalationMode);
std::string_view to_string(RecoupMethod);
std::string_view to_string(Frequency);
std::optional<RateBase> parse_rate_base(std::string_view);
std::optional<Metric> parse_metric(std::string_view);
std::optional<EscalationMode> parse_escalation_mode(std::string_view);
std::optional<RecoupMethod> parse_recoup_method(std::string_view);
std::optional<Frequency> parse_frequency(std::string_view);

struct Escalation {
  Metric metric = Metric::Units;
  Decimal threshold; // units, streams or revenue (in the agreement's currency); unused for Metric::Date
  std::string date;  // YYYY-MM-DD, for Metric::Date
  Decimal rate;      // the new rate (percent)
  EscalationMode mode = EscalationMode::Prospective;
  friend bool operator==(const Escalation&, const Escalation&) = default;
};

struct Recoupment {
  RecoupMethod method = RecoupMethod::Combined;
  Decimal costs;       // the artist's recording costs to recoup
  Decimal artist_rate; // the artist's all-in royalty per unit (including the producer's)
  friend bool operator==(const Recoupment&, const Recoupment&) = default;
};

struct Proration {
  int produced = 0; // tracks this party produced
  int total = 0;    // tracks on the release
  friend bool operator==(const Proration&, const Proration&) = default;
};

struct Vesting {
  std::string start; // YYYY-MM-DD
  int months = 0;    // fully vested after this many whole months
  int cliff = 0;     // nothing vests before this many months
  friend bool operator==(const Vesting&, const Vesting&) = default;
};

struct Agreement {
  std::string party;       // party id
  std::vector<int> tracks; // track numbers covered; empty = every track of the release
  RateBase base = RateBase::Gross;
  Decimal rate;       // percent of the base (Share: percent of the pool)
  Decimal unit_price; // PerUnit: the royalty base of one unit
  std::vector<Escalation> escalations;
  Decimal streams_per_unit; // e.g. 1000: 1,000 streams count as one unit; 0 = streams are not units
  std::optional<Proration> proration;
  Decimal advance; // recoupable from this party's own royalties
  std::optional<Recoupment> recoupment;
  bool record_one = true;         // once recouped, paid on every unit including those before
  std::string lock_in_until;      // YYYY-MM-DD: nothing is paid out before this date (it accrues)
  std::optional<Vesting> vesting; // the share of accrued earnings payable grows over time
  Frequency frequency = Frequency::Quarterly;
  std::string currency;                   // ISO 4217; empty = the currency of the income
  Decimal withholding;                    // percent withheld from each payout (tax)
  std::vector<std::string> contributions; // non-financial: "mentoring", "session curation"
  std::string notes;
  friend bool operator==(const Agreement&, const Agreement&) = default;
};

// The rules `liner sheet check` applies to [[agreements]] (codes in docs/diagnostics.md, agreement-*).
Diagnostics check_agreements(const Sheet& sheet);

} // namespace liner::credits
