// The splits engine over a sheet: who holds which income, period by period (a ledger), scenarios and
// statements.
#include "splits_ledger.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <liner/credits/error.hpp>
#include <map>

namespace liner::credits {
namespace detail_splits {

namespace {
const Decimal kHundred = Decimal::from_int(100);

Decimal weight_of(RateBase b, Decimal streams_per_unit, Decimal unit_price, const Volume& v) {
  switch (b) {
  case RateBase::Gross:
    return v.gross;
  case RateBase::PerUnit: {
    Decimal u = v.units;
    if (streams_per_unit > Decimal()) u += mul_div(v.streams, Decimal::from_int(1), streams_per_unit);
    return u.mul(unit_price);
  }
  case RateBase::Net:
  case RateBase::Share:
    break;
  }
  return v.net;
}
} // namespace

Decimal base_weight(const Agreement& a, const Volume& v) {
  return weight_of(a.base, a.streams_per_unit, a.unit_price, v);
}

Ledger::Ledger(const Sheet& s, int minor) : sheet_(s), minor_(minor) {
  const std::size_t n = s.tracks.size();
  std::map<int, std::size_t> by_number; // the first track with each number
  for (std::size_t t = 0; t < n; ++t)
    by_number.emplace(s.tracks[t].number, t);
  auto covered = [&](const Agreement& a) {
    std::vector<std::size_t> c;
    if (a.tracks.empty() || a.proration) {
      for (std::size_t t = 0; t < n; ++t)
        c.push_back(t);
      return c;
    }
    for (int number : a.tracks)
      if (auto it = by_number.find(number); it != by_number.end()) c.push_back(it->second);
    std::sort(c.begin(), c.end());
    c.erase(std::unique(c.begin(), c.end()), c.end());
    return c;
  };
  for (const Agreement& a : s.agreements) {
    Holder h;
    h.agreement = &a;
    h.party = a.party;
    h.covered = covered(a);
    h.kind = a.base == RateBase::Share ? "share" : "royalty";
    if (a.rate.is_zero() && a.escalations.empty()) h.kind = "contribution";
    (a.base == RateBase::Share ? shares_ : royalties_).push_back(holders_.size());
    holders_.push_back(std::move(h));
  }
  // Plain master share holders: a party's plain share on a track counts unless a share agreement of
  // that party covers the track.
  track_holders_.resize(n);
  for (std::size_t h : shares_)
    for (std::size_t t : holders_[h].covered)
      track_holders_[t].agreements.push_back(h);
  for (auto& th : track_holders_)
    std::sort(th.agreements.begin(), th.agreements.end());
  std::map<std::string, std::size_t> plain_index; // party -> holder index of its plain shares
  for (std::size_t t = 0; t < n; ++t) {
    for (const Share& sh : s.tracks[t].master) {
      bool replaced = std::any_of(track_holders_[t].agreements.begin(), track_holders_[t].agreements.end(),
                                  [&](std::size_t h) { return holders_[h].party == sh.party; });
      if (replaced) continue;
      auto [it, fresh] = plain_index.emplace(sh.party, holders_.size());
      std::size_t idx = it->second;
      if (fresh) {
        Holder h;
        h.party = sh.party;
        h.kind = "share";
        holders_.push_back(std::move(h));
      }
      track_holders_[t].plain.emplace_back(idx, sh.percent);
      holders_[idx].covered.push_back(t);
    }
  }
  for (Holder& h : holders_) {
    if (const Party* p = s.party(h.party)) h.name = p->name;
    if (h.agreement) h.contributions = h.agreement->contributions;
    for (std::size_t t : h.covered)
      for (const Credit& c : s.tracks[t].credits)
        if (c.party == h.party)
          for (const auto& x : c.contributions)
            if (std::find(h.contributions.begin(), h.contributions.end(), x) == h.contributions.end())
              h.contributions.push_back(x);
  }
}

std::vector<std::pair<std::size_t, Decimal>> Ledger::pool_weights(std::size_t t,
                                                                  std::string_view date) const {
  std::vector<std::pair<std::size_t, Decimal>> out;
  const TrackHolders& th = track_holders_[t];
  Decimal taken;
  for (std::size_t h : th.agreements) {
    Decimal r = rate_at(*holders_[h].agreement, holders_[h].cum_volume, date);
    out.emplace_back(h, r);
    taken += r;
  }
  if (!th.plain.empty()) {
    Decimal rest = kHundred - taken;
    if (rest.is_negative()) rest = Decimal();
    std::vector<Decimal> w;
    for (auto& p : th.plain)
      w.push_back(p.second);
    auto scaled = allocate(rest, w, Decimal::kScale);
    for (std::size_t i = 0; i < th.plain.size(); ++i)
      out.emplace_back(th.plain[i].first, scaled[i]);
  }
  return out;
}

void Ledger::add(const std::string& start, const std::string& end, const std::vector<Volume>& per_track,
                 bool record) {
  const std::size_t n = sheet_.tracks.size();
  ++slices_;
  // Cumulative volumes of every agreement.
  for (Holder& h : holders_) {
    if (!h.agreement) continue;
    Volume v;
    for (std::size_t t : h.covered)
      v += per_track[t];
    h.cum_volume += v;
    h.slices.push_back(Slice{start, v});
  }
  // Royalties of this slice, apportioned to the tracks they came from.
  std::vector<std::vector<std::pair<std::size_t, Decimal>>> on_track(n); // track -> (holder, amount)
  for (std::size_t h : royalties_) {
    Holder& H = holders_[h];
    Accrual acc = accrue(*H.agreement, H.slices, {}, minor_);
    Decimal e = acc.earned - H.earned;
    H.earned = acc.earned;
    if (e.is_zero() || H.covered.empty()) continue;
    std::vector<Decimal> w;
    for (std::size_t t : H.covered)
      w.push_back(std::max(base_weight(*H.agreement, per_track[t]), Decimal()));
    auto parts = allocate(e, w, minor_);
    for (std::size_t i = 0; i < H.covered.size(); ++i)
      if (!parts[i].is_zero()) on_track[H.covered[i]].emplace_back(h, parts[i]);
  }
  // Per track: royalties funded from net receipts, the rest is the pool for the share holders.
  for (std::size_t t = 0; t < n; ++t) {
    const Volume& v = per_track[t];
    fees_ += v.gross - v.net;
    gross_ += v.gross;
    net_ += v.net;
    Decimal net = std::max(v.net, Decimal());
    Decimal owed;
    for (auto& [h, amt] : on_track[t])
      owed += amt;
    std::vector<Decimal> funded;
    for (auto& p : on_track[t])
      funded.push_back(p.second);
    if (owed > net) {
      capped_tracks_.push_back(t);
      std::vector<Decimal> w = funded;
      for (auto& x : w)
        x = std::max(x, Decimal());
      funded = allocate(net, w, minor_);
    }
    Decimal paid;
    for (std::size_t i = 0; i < on_track[t].size(); ++i) {
      Holder& H = holders_[on_track[t][i].first];
      H.allocated += funded[i];
      H.unfunded += on_track[t][i].second - funded[i];
      paid += funded[i];
      if (record) H.track_amounts[t] += funded[i];
    }
    royalties_total_ += paid;
    Decimal pool = net - paid;
    auto weights = pool_weights(t, start);
    if (weights.empty()) {
      unallocated_ += pool;
      if (!pool.is_zero()) unshared_tracks_.push_back(t);
      continue;
    }
    pool_total_ += pool;
    std::vector<Decimal> w;
    for (auto& p : weights)
      w.push_back(p.second);
    auto parts = allocate(pool, w, minor_);
    for (std::size_t i = 0; i < weights.size(); ++i) {
      Holder& H = holders_[weights[i].first];
      H.earned_pool += parts[i];
      H.allocated += parts[i];
      if (record && !w[i].is_zero()) H.track_amounts[t] += parts[i];
    }
  }
  (void)end;
}

Accrual Ledger::settle(std::size_t h, std::size_t slices, Decimal pool_earned, std::string_view as_of,
                       Derivation* d) const {
  const Holder& H = holders_[h];
  if (!H.agreement) {
    Accrual a;
    a.earned = a.eligible = a.due = a.payable = pool_earned;
    return a;
  }
  if (H.agreement->base == RateBase::Share) {
    Volume v;
    for (std::size_t k = 0; k < slices && k < H.slices.size(); ++k)
      v += H.slices[k].volume;
    Decimal units = v.units;
    if (H.agreement->streams_per_unit > Decimal())
      units += mul_div(v.streams, Decimal::from_int(1), H.agreement->streams_per_unit);
    return accrue_share(*H.agreement, pool_earned, units, as_of, minor_, d);
  }
  std::span<const Slice> sl(H.slices.data(), std::min(slices, H.slices.size()));
  return accrue(*H.agreement, sl, as_of, minor_, d);
}

} // namespace detail_splits

using detail_splits::Ledger;

namespace {
std::vector<Share> shares_of(const Ledger& l, std::size_t track_index, std::string_view date) {
  std::vector<Share> out;
  auto w = l.pool_weights(track_index, date);
  if (w.empty()) return out;
  std::vector<Decimal> ws;
  for (auto& p : w)
    ws.push_back(p.second);
  auto pct = allocate(Decimal::from_int(100), ws, Decimal::kScale);
  for (std::size_t i = 0; i < w.size(); ++i) {
    Share s;
    s.party = l.holder(w[i].first).party;
    s.percent = pct[i];
    auto it = std::find_if(out.begin(), out.end(), [&](const Share& x) { return x.party == s.party; });
    if (it != out.end())
      it->percent += s.percent;
    else if (!s.percent.is_zero())
      out.push_back(s);
  }
  return out;
}
} // namespace

namespace {
// The sheet's own order first (so that a message only changes where a share does), then any party that
// only an agreement adds.
std::vector<Share> in_sheet_order(const std::vector<Share>& plain, std::vector<Share> eff) {
  std::vector<Share> out;
  out.reserve(eff.size());
  for (const Share& p : plain)
    for (auto it = eff.begin(); it != eff.end(); ++it)
      if (it->party == p.party) {
        out.push_back(*it);
        eff.erase(it);
        break;
      }
  out.insert(out.end(), eff.begin(), eff.end());
  return out;
}
} // namespace

std::vector<Share> effective_master_shares(const Sheet& sheet, std::size_t track_index, const Volume* v,
                                           std::string_view date) {
  if (track_index >= sheet.tracks.size()) return {};
  if (sheet.agreements.empty()) return sheet.tracks[track_index].master;
  Ledger l(sheet, 2);
  if (v) l.set_volume(*v);
  return in_sheet_order(sheet.tracks[track_index].master, shares_of(l, track_index, date));
}

std::vector<std::vector<Share>> effective_master_shares(const Sheet& sheet) {
  std::vector<std::vector<Share>> out;
  out.reserve(sheet.tracks.size());
  if (sheet.agreements.empty()) {
    for (const Track& t : sheet.tracks)
      out.push_back(t.master);
    return out;
  }
  Ledger l(sheet, 2);
  for (std::size_t t = 0; t < sheet.tracks.size(); ++t)
    out.push_back(in_sheet_order(sheet.tracks[t].master, shares_of(l, t, {})));
  return out;
}

namespace {

Decimal withhold(const Agreement* a, Decimal payable, int minor) {
  if (!a || a->withholding.is_zero() || payable.is_zero()) return Decimal();
  return percent_of(payable, a->withholding).rounded(minor);
}

// The spread of a release-wide amount over n tracks (minor units for money, 6 places for counts).
std::vector<Decimal> spread(Decimal total, std::size_t n, int decimals) {
  std::vector<Decimal> w(n, Decimal::from_int(1));
  return allocate(total, w, decimals);
}

} // namespace

SplitResult simulate(const Sheet& sheet, const Scenario& sc) {
  SplitResult r;
  r.currency = sc.currency;
  for (const Agreement& a : sheet.agreements)
    if (!a.currency.empty()) {
      if (r.currency.empty())
        r.currency = a.currency;
      else if (r.currency != a.currency)
        r.diagnostics.error(
            "mixed-currencies",
            fmt::format("agreements in {} and {}: one statement or scenario is in one currency", r.currency,
                        a.currency),
            sheet.where.at("agreements"), "convert the amounts before simulating");
    }
  if (r.diagnostics.has_errors()) return r;
  const int minor = minor_units(r.currency);
  const std::size_t n = sheet.tracks.size();
  if (n == 0) {
    r.diagnostics.error("no-tracks", "the sheet has no tracks to earn from", Location{sheet.path, 0, 0, {}});
    return r;
  }
  Decimal gross = sc.revenue ? *sc.revenue : sc.units.mul(sc.unit_price) + sc.streams.mul(sc.stream_rate);
  gross = round_down(gross, minor);
  Decimal fee = percent_of(gross, sc.fee_percent).rounded(minor);
  Decimal net = gross - fee - sc.deductions;
  if (net.is_negative()) net = Decimal();
  r.derivation.add(fmt::format("scenario '{}': {} units, {} streams{}", sc.name, sc.units.str(),
                               sc.streams.str(), sc.date.empty() ? "" : ", on " + sc.date));
  if (sc.revenue)
    r.derivation.add(fmt::format("gross {}", gross.str_fixed(minor)));
  else
    r.derivation.add(fmt::format("gross: {} x {} + {} x {} = {}", sc.units.str(), sc.unit_price.str(),
                                 sc.streams.str(), sc.stream_rate.str(), gross.str_fixed(minor)));
  r.derivation.add(fmt::format("net receipts: {} - fee {} % ({}) - deductions {} = {}",
                               gross.str_fixed(minor), sc.fee_percent.str(), fee.str_fixed(minor),
                               sc.deductions.str_fixed(minor), net.str_fixed(minor)));
  // Spread evenly over the tracks.
  auto u = spread(sc.units, n, Decimal::kScale), st = spread(sc.streams, n, Decimal::kScale);
  auto g = spread(gross, n, minor), nt = spread(net, n, minor);
  std::vector<Volume> per(n);
  for (std::size_t t = 0; t < n; ++t)
    per[t] = Volume{u[t], st[t], g[t], nt[t]};
  Ledger l(sheet, minor);
  l.add(sc.date, sc.date, per, false);
  r.gross = gross;
  r.fees = gross - net;
  r.net = net;
  r.royalties = l.royalties_total();
  r.pool = l.pool_total();
  if (!l.capped_tracks().empty())
    r.diagnostics.warning("royalties-exceed-receipts",
                          "royalties owed exceed the net receipts: the excess is shown as unfunded",
                          sheet.where.at("agreements"));
  if (!l.unallocated().is_zero())
    r.diagnostics.warning(
        "no-master-shares",
        fmt::format("{} of the pool has no master share holder", l.unallocated().str_fixed(minor)),
        sheet.where.at("tracks"));
  for (std::size_t h = 0; h < l.holders(); ++h) {
    const auto& H = l.holder(h);
    PartyResult p;
    p.party = H.party;
    p.name = H.name;
    p.kind = H.kind;
    p.contributions = H.contributions;
    if (H.agreement) p.terms = describe_terms(*H.agreement);
    p.after = l.settle(h, 1, H.earned_pool, sc.date, &p.derivation);
    p.earned = p.after.earned;
    p.allocated = H.allocated;
    p.unfunded = H.unfunded;
    p.payable = p.after.payable;
    p.withheld = withhold(H.agreement, p.payable, minor);
    p.net = p.payable - p.withheld;
    if (!p.withheld.is_zero())
      p.derivation.add(fmt::format("withholding {} %: {} - {} = {}", H.agreement->withholding.str(),
                                   p.payable.str_fixed(minor), p.withheld.str_fixed(minor),
                                   p.net.str_fixed(minor)));
    r.parties.push_back(std::move(p));
  }
  return r;
}

} // namespace liner::credits
