// The splits engine: exact arithmetic, largest-remainder allocation, one agreement on cumulative income.
#include <algorithm>
#include <fmt/format.h>
#include <limits>
#include <liner/credits/error.hpp>
#include <liner/credits/splits.hpp>
#include <numeric>

namespace liner::credits {
namespace {

__extension__ typedef __int128 i128;
constexpr std::int64_t kPow10[] = {1, 10, 100, 1000, 10000, 100000, 1000000};
const Decimal kHundred = Decimal::from_int(100);

std::int64_t narrow(i128 v) {
  if (v > std::numeric_limits<std::int64_t>::max() || v < std::numeric_limits<std::int64_t>::min())
    throw Error("amount out of range (about 9.2 trillion)");
  return static_cast<std::int64_t>(v);
}

std::string money(Decimal d, int minor) {
  return d.str_fixed(minor);
}
std::string pct(Decimal d) {
  return d.str() + " %";
}

} // namespace

// ---- arithmetic -------------------------------------------------------------------------------------

int minor_units(std::string_view c) {
  static constexpr std::string_view kZero[] = {"BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG",
                                               "RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF"};
  static constexpr std::string_view kThree[] = {"BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"};
  if (std::find(std::begin(kZero), std::end(kZero), c) != std::end(kZero)) return 0;
  if (std::find(std::begin(kThree), std::end(kThree), c) != std::end(kThree)) return 3;
  return 2;
}

Decimal mul_div(Decimal a, Decimal b, Decimal c) {
  if (c.is_zero()) throw Error("division by zero in a split");
  // a*b fits in 128 bits (each below 2^63).
  i128 p = static_cast<i128>(a.units()) * b.units();
  return Decimal::from_units(narrow(p / c.units()));
}

Decimal percent_of(Decimal amount, Decimal percent) {
  return mul_div(amount, percent, kHundred);
}

Decimal round_down(Decimal d, int decimals) {
  decimals = std::clamp(decimals, 0, Decimal::kScale);
  std::int64_t step = kPow10[Decimal::kScale - decimals];
  return Decimal::from_units(d.units() / step * step);
}

std::vector<Decimal> allocate(Decimal total, std::span<const Decimal> weights, int decimals) {
  std::vector<Decimal> out(weights.size());
  if (weights.empty()) return out;
  decimals = std::clamp(decimals, 0, Decimal::kScale);
  const std::int64_t step = kPow10[Decimal::kScale - decimals];
  i128 wsum = 0;
  for (Decimal w : weights) {
    if (w.is_negative()) throw Error("negative weight in an allocation");
    wsum += w.units();
  }
  std::vector<i128> w(weights.size());
  for (std::size_t i = 0; i < weights.size(); ++i)
    w[i] = wsum == 0 ? 1 : weights[i].units();
  if (wsum == 0) wsum = static_cast<i128>(weights.size());
  const bool neg = total.is_negative();
  const i128 steps_total = (neg ? -static_cast<i128>(total.units()) : total.units()) / step;
  // The total must be representable at `decimals`; any finer part goes with the last remainder pass.
  const i128 fine = (neg ? -static_cast<i128>(total.units()) : total.units()) % step;
  std::vector<i128> rem(weights.size());
  i128 given = 0;
  std::vector<i128> parts(weights.size());
  for (std::size_t i = 0; i < w.size(); ++i) {
    // steps_total * w[i] can reach ~2^63 * 2^63 = 2^126: fits.
    i128 num = steps_total * w[i];
    parts[i] = num / wsum;
    rem[i] = num % wsum;
    given += parts[i];
  }
  i128 left = steps_total - given;
  std::vector<std::size_t> order(w.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return rem[a] > rem[b]; });
  for (std::size_t k = 0; left > 0; k = (k + 1) % order.size(), --left)
    parts[order[k]] += 1;
  for (std::size_t i = 0; i < w.size(); ++i) {
    i128 v = parts[i] * step + (i == order.front() ? fine : 0);
    out[i] = Decimal::from_units(narrow(neg ? -v : v));
  }
  return out;
}

Decimal prorated_rate(Decimal rate, const Proration& p) {
  if (p.total <= 0) throw Error("proration over zero tracks");
  return mul_div(rate, Decimal::from_int(p.produced), Decimal::from_int(p.total));
}

Decimal release_share(Decimal track_share, int tracks) {
  if (tracks <= 0) throw Error("a release of zero tracks");
  return mul_div(track_share, Decimal::from_int(1), Decimal::from_int(tracks));
}

// ---- derivation -------------------------------------------------------------------------------------

void Derivation::append(const Derivation& other, std::string_view indent) {
  for (const auto& l : other.lines)
    lines.push_back(std::string(indent) + l);
}

std::string Derivation::text(std::string_view indent) const {
  std::string out;
  for (const auto& l : lines) {
    out += indent;
    out += l;
    out += '\n';
  }
  return out;
}

Volume& Volume::operator+=(const Volume& o) {
  units += o.units;
  streams += o.streams;
  gross += o.gross;
  net += o.net;
  return *this;
}

// ---- dates ------------------------------------------------------------------------------------------

int months_between(std::string_view from, std::string_view to) {
  if (!is_valid_date(from) || !is_valid_date(to) || to < from) return 0;
  auto num = [](std::string_view s, std::size_t at, std::size_t n) {
    int v = 0;
    for (std::size_t i = at; i < at + n; ++i)
      v = v * 10 + (s[i] - '0');
    return v;
  };
  int m = (num(to, 0, 4) - num(from, 0, 4)) * 12 + (num(to, 5, 2) - num(from, 5, 2));
  if (num(to, 8, 2) < num(from, 8, 2)) --m;
  return std::max(m, 0);
}

Decimal vested_percent(const std::optional<Vesting>& v, std::string_view date) {
  if (!v || v->months <= 0) return kHundred;
  int m = months_between(v->start, date);
  if (date < std::string_view(v->start) || m < v->cliff) return Decimal();
  if (m >= v->months) return kHundred;
  return mul_div(kHundred, Decimal::from_int(m), Decimal::from_int(v->months));
}

// ---- one agreement ----------------------------------------------------------------------------------
namespace {

Decimal effective_units(const Agreement& a, const Volume& v) {
  Decimal u = v.units;
  if (!a.streams_per_unit.is_zero() && !a.streams_per_unit.is_negative())
    u += mul_div(v.streams, Decimal::from_int(1), a.streams_per_unit);
  return u;
}

Decimal base_of(const Agreement& a, const Volume& v) {
  switch (a.base) {
  case RateBase::Gross:
    return v.gross;
  case RateBase::Net:
    return v.net;
  case RateBase::PerUnit:
    return effective_units(a, v).mul(a.unit_price);
  case RateBase::Share:
    break;
  }
  return v.net;
}

Decimal metric_of(const Agreement& a, Metric m, const Volume& v) {
  switch (m) {
  case Metric::Units:
    return effective_units(a, v);
  case Metric::Streams:
    return v.streams;
  case Metric::Revenue:
    return v.gross;
  case Metric::Date:
    break;
  }
  return Decimal();
}

std::vector<const Escalation*> volume_escalations(const Agreement& a) {
  std::vector<const Escalation*> e;
  for (const auto& x : a.escalations)
    if (x.metric != Metric::Date) e.push_back(&x);
  std::stable_sort(e.begin(), e.end(), [](auto* l, auto* r) { return l->threshold < r->threshold; });
  return e;
}

// The highest rate among date escalations in effect on `date`, and whether one of them is retroactive.
struct DateRate {
  std::optional<Decimal> rate;
  bool retroactive = false;
};
DateRate date_rate(const Agreement& a, std::string_view date) {
  DateRate r;
  if (date.empty()) return r;
  for (const auto& x : a.escalations)
    if (x.metric == Metric::Date && !x.date.empty() && std::string_view(x.date) <= date) {
      if (!r.rate || x.rate > *r.rate) r.rate = x.rate;
      if (x.mode == EscalationMode::Retroactive) r.retroactive = true;
    }
  return r;
}

struct Tiered {
  Decimal amount; // exact, 6 places, before proration
  std::vector<std::string> steps;
};

// The royalty on cumulative volume `v` with the rates in effect on `date`.
Tiered tiered(const Agreement& a, const Volume& v, std::string_view date, bool explain, int minor) {
  Tiered t;
  const Decimal base = base_of(a, v);
  auto esc = volume_escalations(a);
  DateRate dr = date_rate(a, date);
  std::vector<Decimal> rates{a.rate};
  std::vector<Decimal> bounds{Decimal()};
  for (auto* e : esc) {
    rates.push_back(e->rate);
    bounds.push_back(e->threshold);
  }
  const Metric metric = esc.empty() ? Metric::Units : esc.front()->metric;
  const Decimal m = metric_of(a, metric, v);
  // An escalation never lowers the rate (sheet check warns when one is written lower).
  for (std::size_t i = 1; i < rates.size(); ++i)
    rates[i] = std::max(rates[i], rates[i - 1]);
  // Retroactive escalations crossed re-rate every tier below them.
  for (std::size_t i = 1; i < rates.size(); ++i)
    if (m > bounds[i] && esc[i - 1]->mode == EscalationMode::Retroactive)
      for (std::size_t j = 0; j < i; ++j)
        rates[j] = std::max(rates[j], rates[i]);
  if (dr.rate)
    for (auto& r : rates)
      r = std::max(r, *dr.rate);
  const std::string unit = metric == Metric::Revenue ? "" : metric == Metric::Streams ? " streams" : " units";
  for (std::size_t i = 0; i < rates.size(); ++i) {
    if (i > 0 && !(m > bounds[i])) {
      if (explain)
        t.steps.push_back(
            fmt::format("threshold {}{} not crossed ({}{} so far)", bounds[i].str(), unit, m.str(), unit));
      continue;
    }
    Decimal portion;
    if (rates.size() == 1 || m.is_zero())
      portion = i == 0 ? base : Decimal();
    else {
      Decimal hi = i + 1 < bounds.size() ? std::min(m, bounds[i + 1]) : m;
      Decimal seg = hi - bounds[i];
      if (seg.is_negative()) seg = Decimal();
      portion = mul_div(base, seg, m);
    }
    Decimal amt = percent_of(portion, rates[i]);
    t.amount += amt;
    if (explain) {
      std::string what = i == 0 ? "base rate" : fmt::format("above {}{}", bounds[i].str(), unit);
      if (i > 0)
        t.steps.push_back(fmt::format("threshold {}{} crossed ({}{}): {}", bounds[i].str(), unit, m.str(),
                                      unit, to_string(esc[i - 1]->mode)));
      t.steps.push_back(
          fmt::format("{}: {} x {} = {}", what, money(portion, minor), pct(rates[i]), amt.str()));
    }
  }
  if (explain && dr.rate)
    t.steps.push_back(fmt::format("date escalation in effect on {}: rate at least {}{}", date, pct(*dr.rate),
                                  dr.retroactive ? " (retroactive)" : ""));
  return t;
}

Decimal apply_proration(const Agreement& a, Decimal amount) {
  if (!a.proration || a.proration->total <= 0) return amount;
  return mul_div(amount, Decimal::from_int(a.proration->produced), Decimal::from_int(a.proration->total));
}

// Recoupment gate, advance, lock-in and vesting: fills the settlement fields of `r`.
void settle(const Agreement& a, Accrual& r, Decimal earned_exact, std::string_view as_of, int minor,
            Derivation* d) {
  r.eligible = r.earned;
  if (a.recoupment) {
    const Recoupment& rc = *a.recoupment;
    Decimal credit = r.units.mul(rc.artist_rate);
    if (rc.method == RecoupMethod::Net) credit -= earned_exact;
    if (credit.is_negative()) credit = Decimal();
    r.costs_recouped = std::min(credit, rc.costs);
    r.costs_balance = rc.costs - r.costs_recouped;
    r.recouped = credit >= rc.costs;
    // Break-even units at the base rate, for the record and for payment after recoupment only.
    Decimal per_unit = rc.artist_rate;
    if (rc.method == RecoupMethod::Net && a.base == RateBase::PerUnit)
      per_unit -= apply_proration(a, percent_of(a.unit_price, a.rate));
    std::optional<Decimal> breakeven;
    if (!per_unit.is_negative() && !per_unit.is_zero()) {
      Decimal be = mul_div(rc.costs, Decimal::from_int(1), per_unit);
      if (be.mul(per_unit) < rc.costs) be += Decimal::from_units(1);
      breakeven = be;
    }
    if (d) {
      d->add(fmt::format("recording costs {} recouped at the {} rate {} a unit{}: credited {} x {} {}= {}",
                         money(rc.costs, minor), rc.method == RecoupMethod::Net ? "net artist" : "combined",
                         per_unit.str(), rc.method == RecoupMethod::Net ? " (all-in less this royalty)" : "",
                         r.units.str(), rc.artist_rate.str(),
                         rc.method == RecoupMethod::Net ? fmt::format("- {} ", earned_exact.str())
                                                        : std::string(),
                         money(credit, minor)));
      if (breakeven) d->add(fmt::format("break-even at {} units", breakeven->str()));
      d->add(fmt::format("recording costs balance: before {}, after {}{}", money(rc.costs, minor),
                         money(r.costs_balance, minor), r.recouped ? " (recouped)" : " (not recouped)"));
    }
    if (!r.recouped)
      r.eligible = Decimal();
    else if (!a.record_one) {
      if (breakeven && r.units > *breakeven && !r.units.is_zero())
        r.eligible = round_down(mul_div(r.earned, r.units - *breakeven, r.units), minor);
      else
        r.eligible = Decimal();
      if (d) d->add(fmt::format("paid only on units after break-even: {}", money(r.eligible, minor)));
    } else if (d) {
      d->add(fmt::format("recouped: paid from record one on all {} units", r.units.str()));
    }
  }
  r.due = r.eligible - a.advance;
  if (r.due.is_negative()) r.due = Decimal();
  r.advance_balance = a.advance - r.eligible;
  if (r.advance_balance.is_negative()) r.advance_balance = Decimal();
  if (d && !a.advance.is_zero())
    d->add(fmt::format("advance {}: recouped {}, balance {}; due {} - {} = {}", money(a.advance, minor),
                       money(a.advance - r.advance_balance, minor), money(r.advance_balance, minor),
                       money(r.eligible, minor), money(a.advance, minor), money(r.due, minor)));
  r.locked = false;
  if (!a.lock_in_until.empty()) {
    r.locked = as_of.empty() || as_of < std::string_view(a.lock_in_until);
    if (d)
      d->add(r.locked ? fmt::format("locked in until {}: nothing paid out yet, {} accrues", a.lock_in_until,
                                    money(r.due, minor))
                      : fmt::format("lock-in ended {}", a.lock_in_until));
  }
  r.vested = kHundred;
  if (a.vesting) {
    r.vested = as_of.empty() ? Decimal() : vested_percent(a.vesting, as_of);
    if (d)
      d->add(fmt::format("vesting from {} over {} months (cliff {}): {} vested on {}", a.vesting->start,
                         a.vesting->months, a.vesting->cliff, pct(r.vested),
                         as_of.empty() ? "(no date)" : as_of));
  }
  r.payable = r.locked ? Decimal() : round_down(percent_of(r.due, r.vested), minor);
  if (d) d->add(fmt::format("payable to date: {}", money(r.payable, minor)));
}

} // namespace

std::string describe_terms(const Agreement& a) {
  std::string out;
  switch (a.base) {
  case RateBase::Share:
    out = fmt::format("{} of the pool", pct(a.rate));
    break;
  case RateBase::Gross:
    out = fmt::format("{} of gross", pct(a.rate));
    break;
  case RateBase::Net:
    out = fmt::format("{} of net receipts", pct(a.rate));
    break;
  case RateBase::PerUnit:
    out = fmt::format("{} of {} a unit", pct(a.rate), a.unit_price.str());
    break;
  }
  for (const auto& e : a.escalations) {
    if (e.metric == Metric::Date)
      out += fmt::format("; {} from {}", pct(e.rate), e.date);
    else
      out += fmt::format("; {} above {} {}", pct(e.rate), e.threshold.str(), to_string(e.metric));
    out += fmt::format(" ({})", to_string(e.mode));
  }
  if (!a.tracks.empty()) {
    out += "; tracks";
    for (std::size_t i = 0; i < a.tracks.size() && i < 12; ++i)
      out += fmt::format("{}{}", i ? ", " : " ", a.tracks[i]);
    if (a.tracks.size() > 12) out += fmt::format(" ... ({} tracks)", a.tracks.size());
  }
  if (a.proration) out += fmt::format("; prorated {}/{}", a.proration->produced, a.proration->total);
  if (!a.streams_per_unit.is_zero()) out += fmt::format("; {} streams = 1 unit", a.streams_per_unit.str());
  if (!a.advance.is_zero()) out += fmt::format("; advance {}", a.advance.str());
  if (a.recoupment)
    out += fmt::format("; recoup {} costs at the {} rate (artist {} a unit){}", a.recoupment->costs.str(),
                       to_string(a.recoupment->method), a.recoupment->artist_rate.str(),
                       a.record_one ? ", from record one" : ", after break-even only");
  if (!a.lock_in_until.empty()) out += "; locked in until " + a.lock_in_until;
  if (a.vesting)
    out += fmt::format("; vesting {} months from {} (cliff {})", a.vesting->months, a.vesting->start,
                       a.vesting->cliff);
  out += fmt::format("; paid {}", to_string(a.frequency));
  if (!a.withholding.is_zero()) out += fmt::format("; {} withheld", pct(a.withholding));
  if (!a.currency.empty()) out += "; " + a.currency;
  return out;
}

Decimal rate_at(const Agreement& a, const Volume& v, std::string_view date) {
  auto esc = volume_escalations(a);
  Decimal rate = a.rate;
  if (!esc.empty()) {
    Decimal m = metric_of(a, esc.front()->metric, v);
    for (auto* e : esc)
      if (m > e->threshold) rate = std::max(rate, e->rate);
  }
  if (auto dr = date_rate(a, date); dr.rate) rate = std::max(rate, *dr.rate);
  return rate;
}

Accrual accrue(const Agreement& a, std::span<const Slice> slices, std::string_view as_of, int minor,
               Derivation* d) {
  Accrual r;
  Volume cum;
  Decimal exact;
  std::string last_date;
  for (std::size_t k = 0; k < slices.size(); ++k) {
    const Slice& s = slices[k];
    Volume prev = cum;
    cum += s.volume;
    const bool last = k + 1 == slices.size();
    Tiered now = tiered(a, cum, s.start, d && last, minor);
    Decimal before = exact;
    if (date_rate(a, s.start).retroactive || k == 0) {
      exact = now.amount; // everything re-rated (or the first slice)
    } else {
      exact += now.amount - tiered(a, prev, s.start, false, minor).amount;
    }
    // Cumulative earnings never go down: nothing earned is clawed back (this also absorbs the
    // millionth-of-a-unit truncations of the tier portions).
    if (exact < before) exact = before;
    if (d && last) {
      if (slices.size() > 1)
        d->add(fmt::format("cumulative over {} periods: units {}, streams {}, gross {}, net {}",
                           slices.size(), cum.units.str(), cum.streams.str(), money(cum.gross, minor),
                           money(cum.net, minor)));
      else
        d->add(fmt::format("income: units {}, streams {}, gross {}, net {}", cum.units.str(),
                           cum.streams.str(), money(cum.gross, minor), money(cum.net, minor)));
      if (!a.streams_per_unit.is_zero())
        d->add(fmt::format("streams to units: {} / {} = {} units; effective units {}", cum.streams.str(),
                           a.streams_per_unit.str(), (effective_units(a, cum) - cum.units).str(),
                           effective_units(a, cum).str()));
      switch (a.base) {
      case RateBase::Gross:
        d->add(fmt::format("royalty base: gross {}", money(cum.gross, minor)));
        break;
      case RateBase::Net:
        d->add(fmt::format("royalty base: net receipts {}", money(cum.net, minor)));
        break;
      case RateBase::PerUnit:
        d->add(fmt::format("royalty base: {} units x {} = {}", effective_units(a, cum).str(),
                           a.unit_price.str(), money(base_of(a, cum), minor)));
        break;
      case RateBase::Share:
        break;
      }
      for (auto& st : now.steps)
        d->add(st);
    }
    last_date = s.start;
  }
  r.units = effective_units(a, cum);
  r.base = base_of(a, cum);
  r.rate = rate_at(a, cum, last_date);
  Decimal before = exact;
  exact = apply_proration(a, exact);
  if (a.proration) r.rate = prorated_rate(r.rate, *a.proration);
  if (d && a.proration)
    d->add(fmt::format("prorated by tracks produced: {} x {}/{} = {}", before.str(), a.proration->produced,
                       a.proration->total, exact.str()));
  r.earned = round_down(exact, minor);
  if (d) d->add(fmt::format("earned: {} rounded down to {}", exact.str(), money(r.earned, minor)));
  settle(a, r, exact, as_of, minor, d);
  return r;
}

Accrual accrue_share(const Agreement& a, Decimal earned, Decimal units, std::string_view as_of, int minor,
                     Derivation* d) {
  Accrual r;
  r.units = units;
  r.earned = earned;
  r.rate = a.rate;
  if (d) d->add(fmt::format("earned from the pool: {}", money(earned, minor)));
  settle(a, r, earned, as_of, minor, d);
  return r;
}

} // namespace liner::credits
