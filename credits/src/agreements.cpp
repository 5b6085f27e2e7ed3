// [[agreements]]: names of the terms and the sheet rules for them.
#include <algorithm>
#include <fmt/format.h>
#include <liner/credits/agreements.hpp>
#include <liner/credits/sheet.hpp>
#include <liner/credits/splits.hpp>
#include <map>

namespace liner::credits {

std::string_view to_string(RateBase b) {
  switch (b) {
  case RateBase::Share:
    return "share";
  case RateBase::Gross:
    return "gross";
  case RateBase::Net:
    return "net";
  case RateBase::PerUnit:
    return "per_unit";
  }
  return "";
}
std::string_view to_string(Metric m) {
  switch (m) {
  case Metric::Units:
    return "units";
  case Metric::Streams:
    return "streams";
  case Metric::Revenue:
    return "revenue";
  case Metric::Date:
    return "date";
  }
  return "";
}
std::string_view to_string(EscalationMode m) {
  return m == EscalationMode::Retroactive ? "retroactive" : "prospective";
}
std::string_view to_string(RecoupMethod m) {
  return m == RecoupMethod::Net ? "net" : "combined";
}
std::string_view to_string(Frequency f) {
  switch (f) {
  case Frequency::Monthly:
    return "monthly";
  case Frequency::Quarterly:
    return "quarterly";
  case Frequency::SemiAnnual:
    return "semiannual";
  case Frequency::Annual:
    return "annual";
  }
  return "";
}

namespace {
template <class E, std::size_t N> std::optional<E> parse_enum(std::string_view s, const E (&all)[N]) {
  for (E e : all)
    if (to_string(e) == s) return e;
  return std::nullopt;
}
} // namespace

std::optional<RateBase> parse_rate_base(std::string_view s) {
  if (s == "per-unit" || s == "unit") return RateBase::PerUnit;
  if (s == "net_receipts" || s == "net-receipts") return RateBase::Net;
  static constexpr RateBase all[] = {RateBase::Share, RateBase::Gross, RateBase::Net, RateBase::PerUnit};
  return parse_enum(s, all);
}
std::optional<Metric> parse_metric(std::string_view s) {
  static constexpr Metric all[] = {Metric::Units, Metric::Streams, Metric::Revenue, Metric::Date};
  return parse_enum(s, all);
}
std::optional<EscalationMode> parse_escalation_mode(std::string_view s) {
  static constexpr EscalationMode all[] = {EscalationMode::Prospective, EscalationMode::Retroactive};
  return parse_enum(s, all);
}
std::optional<RecoupMethod> parse_recoup_method(std::string_view s) {
  if (s == "combined-rate" || s == "combined_rate") return RecoupMethod::Combined;
  if (s == "net-rate" || s == "net_rate") return RecoupMethod::Net;
  static constexpr RecoupMethod all[] = {RecoupMethod::Combined, RecoupMethod::Net};
  return parse_enum(s, all);
}
std::optional<Frequency> parse_frequency(std::string_view s) {
  if (s == "semi-annual" || s == "semi_annual" || s == "half-yearly") return Frequency::SemiAnnual;
  if (s == "yearly") return Frequency::Annual;
  static constexpr Frequency all[] = {Frequency::Monthly, Frequency::Quarterly, Frequency::SemiAnnual,
                                      Frequency::Annual};
  return parse_enum(s, all);
}

Diagnostics check_agreements(const Sheet& s) {
  Diagnostics d;
  const Decimal hundred = Decimal::from_int(100);
  auto at = [&](std::size_t i, std::string_view field) {
    return s.where.at(field.empty() ? fmt::format("agreements[{}]", i)
                                    : fmt::format("agreements[{}].{}", i, field));
  };
  std::map<int, Decimal> share_sum;   // track number -> sum of share agreements
  std::map<int, Decimal> royalty_sum; // track number -> sum of gross/net royalty rates
  for (std::size_t i = 0; i < s.agreements.size(); ++i) {
    const Agreement& a = s.agreements[i];
    const std::string who = a.party.empty() ? fmt::format("agreement {}", i + 1) : "'" + a.party + "'";
    if (a.party.empty())
      d.error("agreement-missing-party", fmt::format("agreement {} names no party", i + 1), at(i, ""),
              "add party = \"<party id>\"");
    else if (!s.party(a.party))
      d.error("agreement-unknown-party", fmt::format("agreement for unknown party '{}'", a.party),
              at(i, "party"), "declare it as [parties." + a.party + "]");
    for (std::size_t k = 0; k < a.tracks.size(); ++k) {
      int n = a.tracks[k];
      if (std::none_of(s.tracks.begin(), s.tracks.end(), [&](const Track& t) { return t.number == n; }))
        d.error("agreement-unknown-track",
                fmt::format("agreement for {} covers track {}, which is not on the sheet", who, n),
                at(i, fmt::format("tracks[{}]", k)));
    }
    if (a.rate.is_negative() || a.rate > hundred)
      d.error("agreement-rate", fmt::format("rate {} of {} is not between 0 and 100", a.rate.str(), who),
              at(i, "rate"));
    if (a.base == RateBase::PerUnit && !(a.unit_price > Decimal()))
      d.error("agreement-unit-price",
              fmt::format("the per-unit royalty of {} needs a unit_price above 0", who), at(i, "unit_price"),
              "e.g. unit_price = 1.00 (the royalty base of one unit)");
    if (a.base != RateBase::PerUnit && !a.unit_price.is_zero())
      d.warning("agreement-unit-price",
                fmt::format("unit_price of {} is ignored: the base is {}", who, to_string(a.base)),
                at(i, "unit_price"));
    // Escalations: one volume metric, thresholds rising, valid dates.
    std::optional<Metric> metric;
    Decimal last_threshold, last_rate = a.rate;
    for (std::size_t k = 0; k < a.escalations.size(); ++k) {
      const Escalation& e = a.escalations[k];
      std::string f = fmt::format("escalations[{}]", k);
      if (e.rate.is_negative() || e.rate > hundred)
        d.error("agreement-rate",
                fmt::format("escalated rate {} of {} is not between 0 and 100", e.rate.str(), who),
                at(i, f + ".rate"));
      if (e.metric == Metric::Date) {
        if (!is_valid_date(e.date))
          d.error("agreement-date",
                  fmt::format("escalation date '{}' of {} is not a date YYYY-MM-DD", e.date, who),
                  at(i, f + ".date"));
        continue;
      }
      if (metric && *metric != e.metric)
        d.error("agreement-escalation-metric",
                fmt::format("escalations of {} mix {} and {} thresholds", who, to_string(*metric),
                            to_string(e.metric)),
                at(i, f), "use one measure (units, streams or revenue) per agreement, plus dates");
      if (!(e.threshold > last_threshold))
        d.error("agreement-escalation-order",
                fmt::format("escalation threshold {} of {} must be above 0 and above the previous one",
                            e.threshold.str(), who),
                at(i, f + ".threshold"));
      if (e.rate < last_rate)
        d.warning(
            "agreement-escalation-lower",
            fmt::format("escalation of {} lowers the rate from {} to {}", who, last_rate.str(), e.rate.str()),
            at(i, f + ".rate"));
      metric = e.metric;
      last_threshold = e.threshold;
      last_rate = e.rate;
    }
    if (a.streams_per_unit.is_negative())
      d.error("agreement-negative", fmt::format("streams_per_unit of {} is negative", who),
              at(i, "streams_per_unit"));
    if (a.proration) {
      const Proration& p = *a.proration;
      if (p.total <= 0 || p.produced <= 0 || p.produced > p.total)
        d.error("agreement-proration",
                fmt::format("proration {}/{} of {}: need 0 < produced <= total", p.produced, p.total, who),
                at(i, "proration"));
      else if (!s.tracks.empty() && p.total != static_cast<int>(s.tracks.size()))
        d.warning(
            "agreement-proration",
            fmt::format("proration of {} counts {} tracks; the sheet has {}", who, p.total, s.tracks.size()),
            at(i, "proration"));
    }
    if (a.advance.is_negative())
      d.error("agreement-negative", fmt::format("advance of {} is negative", who), at(i, "advance"));
    if (a.recoupment) {
      const Recoupment& r = *a.recoupment;
      if (r.costs.is_negative())
        d.error("agreement-negative", fmt::format("recording costs of {} are negative", who),
                at(i, "recoupment"));
      if (!(r.artist_rate > Decimal()))
        d.error("agreement-recoupment", fmt::format("recoupment of {} needs artist_rate above 0", who),
                at(i, "recoupment"), "the artist's all-in royalty per unit, e.g. artist_rate = 0.60");
      else if (r.method == RecoupMethod::Net && a.base == RateBase::PerUnit &&
               !(r.artist_rate > percent_of(a.unit_price, a.rate)))
        d.error(
            "agreement-recoupment",
            fmt::format(
                "net-rate recoupment of {} never recoups: the artist rate {} does not exceed this royalty",
                who, r.artist_rate.str()),
            at(i, "recoupment"));
    }
    if (!a.record_one && !a.recoupment)
      d.warning("agreement-record-one",
                fmt::format("record_one = false for {} has no effect without a recoupment", who),
                at(i, "record_one"));
    if (!a.lock_in_until.empty() && !is_valid_date(a.lock_in_until))
      d.error("agreement-date",
              fmt::format("lock_in_until '{}' of {} is not a date YYYY-MM-DD", a.lock_in_until, who),
              at(i, "lock_in_until"));
    if (a.vesting) {
      const Vesting& v = *a.vesting;
      if (!is_valid_date(v.start))
        d.error("agreement-date",
                fmt::format("vesting start '{}' of {} is not a date YYYY-MM-DD", v.start, who),
                at(i, "vesting"));
      if (v.months <= 0 || v.cliff < 0 || v.cliff > v.months)
        d.error("agreement-vesting",
                fmt::format("vesting of {}: need months > 0 and 0 <= cliff <= months (got {} and {})", who,
                            v.months, v.cliff),
                at(i, "vesting"));
    }
    if (a.withholding.is_negative() || a.withholding > hundred)
      d.error("agreement-withholding",
              fmt::format("withholding {} of {} is not between 0 and 100", a.withholding.str(), who),
              at(i, "withholding"));
    if (!a.currency.empty() &&
        (a.currency.size() != 3 ||
         !std::all_of(a.currency.begin(), a.currency.end(), [](char c) { return c >= 'A' && c <= 'Z'; })))
      d.error("agreement-currency",
              fmt::format("currency '{}' of {} is not an ISO 4217 code", a.currency, who), at(i, "currency"),
              "e.g. \"EUR\", \"USD\", \"JPY\"");
    // Per-track sums.
    std::vector<int> covered = a.tracks;
    if (covered.empty() || a.proration)
      for (const Track& t : s.tracks)
        covered.push_back(t.number);
    std::sort(covered.begin(), covered.end());
    covered.erase(std::unique(covered.begin(), covered.end()), covered.end());
    for (int n : covered) {
      if (a.base == RateBase::Share)
        share_sum[n] += a.rate;
      else if (a.base == RateBase::Gross || a.base == RateBase::Net)
        royalty_sum[n] += a.rate;
    }
  }
  for (auto& [n, sum] : share_sum)
    if (sum > hundred)
      d.error("agreement-share-sum",
              fmt::format("share agreements on track {} add up to {} %, over 100", n, sum.str()),
              s.where.at("agreements"));
  for (auto& [n, sum] : share_sum) {
    if (sum > hundred || sum.is_zero()) continue;
    auto t = std::find_if(s.tracks.begin(), s.tracks.end(), [&](const Track& x) { return x.number == n; });
    if (t == s.tracks.end()) continue;
    bool rest_taken = std::any_of(t->master.begin(), t->master.end(), [&](const Share& sh) {
      return std::none_of(s.agreements.begin(), s.agreements.end(), [&](const Agreement& a) {
        return a.base == RateBase::Share && a.party == sh.party &&
               (a.tracks.empty() || a.proration ||
                std::find(a.tracks.begin(), a.tracks.end(), n) != a.tracks.end());
      });
    });
    if (sum < hundred && !rest_taken)
      d.warning("agreement-share-rest",
                fmt::format(
                    "share agreements on track {} add up to {} % and no other master share holder takes the "
                    "rest: the shares are scaled up to 100 %",
                    n, sum.str()),
                s.where.at("agreements"), "add the remaining holder to the track's master shares");
  }
  for (auto& [n, sum] : royalty_sum)
    if (sum > hundred)
      d.warning("agreement-royalty-sum",
                fmt::format("royalties of gross and net on track {} add up to {} %, over 100", n, sum.str()),
                s.where.at("agreements"));
  return d;
}

} // namespace liner::credits
