// Text renderings of scenario results and statements, with their derivations.
#include <fmt/format.h>
#include <liner/credits/splits.hpp>

namespace liner::credits {
namespace {

std::string contributions(const std::vector<std::string>& c) {
  std::string out;
  for (std::size_t i = 0; i < c.size(); ++i)
    out += (i ? ", " : "") + c[i];
  return out;
}

std::string who(const PartyResult& p) {
  return p.name.empty() || p.name == p.party ? p.party : fmt::format("{} ({})", p.name, p.party);
}

} // namespace

std::string to_text(const SplitResult& r, bool derivations) {
  const int minor = minor_units(r.currency);
  auto m = [&](Decimal d) { return d.str_fixed(minor); };
  std::string out;
  out += fmt::format("gross {}  fees and deductions {}  net receipts {}  royalties {}  pool {}{}\n",
                     m(r.gross), m(r.fees), m(r.net), m(r.royalties), m(r.pool),
                     r.currency.empty() ? "" : "  " + r.currency);
  if (derivations) out += r.derivation.text("  ");
  for (const PartyResult& p : r.parties) {
    out +=
        fmt::format("{:<28} {:<12} earned {:>14}  payable {:>14}", who(p), p.kind, m(p.earned), m(p.payable));
    if (!p.withheld.is_zero()) out += fmt::format("  withheld {}  net {}", m(p.withheld), m(p.net));
    if (!p.unfunded.is_zero()) out += fmt::format("  unfunded {}", m(p.unfunded));
    out += '\n';
    if (!p.contributions.empty()) out += fmt::format("  contributions: {}\n", contributions(p.contributions));
    if (derivations && !p.terms.empty()) out += fmt::format("    terms: {}\n", p.terms);
    if (derivations) out += p.derivation.text("    ");
  }
  return out;
}

std::string to_text(const Statement& s, bool derivations) {
  const int minor = minor_units(s.currency);
  auto m = [&](Decimal d) { return d.str_fixed(minor); };
  std::string out;
  out += fmt::format("Statement {} ({} to {}), {}\n", s.period.label, s.period.start, s.period.end,
                     s.currency.empty() ? "no currency" : s.currency);
  out += fmt::format("inputs sha256 {}\n", s.digest);
  out += fmt::format("{} revenue lines: gross {}, fees {}, net receipts {}\n", s.revenue_lines, m(s.gross),
                     m(s.fees), m(s.net));
  for (const PartyStatement& ps : s.parties) {
    const PartyResult& p = ps.result;
    out += fmt::format("\n== {} [{}]\n", who(p), p.kind);
    if (!p.terms.empty()) out += fmt::format("terms: {}\n", p.terms);
    if (p.kind == "royalty") out += fmt::format("rate in effect: {} %\n", p.after.rate.str());
    if (!p.contributions.empty()) out += fmt::format("contributions: {}\n", contributions(p.contributions));
    for (const StatementLine& l : ps.lines)
      out += fmt::format("  {:<15} {:<24.24} {:<10} units {:>12} streams {:>12} gross {:>12} -> {:>12}\n",
                         l.isrc, l.title, l.source, l.volume.units.str(), l.volume.streams.str(),
                         m(l.volume.gross), m(l.amount));
    out += fmt::format("earned this period {}  (from this income {}", m(p.earned), m(p.allocated));
    if (!p.unfunded.is_zero()) out += fmt::format(", unfunded {}", m(p.unfunded));
    out += ")\n";
    if (p.kind != "share" || !p.before.costs_balance.is_zero() || !p.after.advance_balance.is_zero()) {
      if (!p.before.costs_balance.is_zero() || !p.after.costs_balance.is_zero())
        out += fmt::format("recording costs balance {} -> {}\n", m(p.before.costs_balance),
                           m(p.after.costs_balance));
      if (!p.before.advance_balance.is_zero() || !p.after.advance_balance.is_zero())
        out += fmt::format("advance balance {} -> {}\n", m(p.before.advance_balance),
                           m(p.after.advance_balance));
    }
    out += fmt::format("payable {}  withheld {}  net payable {}  carried forward {}\n", m(p.payable),
                       m(p.withheld), m(p.net), m(p.carried));
    if (derivations) out += p.derivation.text("  | ");
  }
  return out;
}

} // namespace liner::credits
