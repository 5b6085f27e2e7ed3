// Statements: revenue lines (CSV) into a statement per party for one period, with a digest of the inputs.
#include "splits_ledger.hpp"
#include "strings.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <liner/credits/error.hpp>
#include <map>
#include <memory>
#include <openssl/evp.h>
#include <unordered_map>

namespace liner::credits {

// ---- periods ----------------------------------------------------------------------------------------
namespace {

int days_in_month(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return kDays[m - 1] + (m == 2 && leap ? 1 : 0);
}

std::string ymd(int y, int m, int d) {
  return fmt::format("{:04}-{:02}-{:02}", y, m, d);
}

bool digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The day before a first-of-month date.
std::string day_before(const std::string& first) {
  int y = std::stoi(first.substr(0, 4)), m = std::stoi(first.substr(5, 2));
  if (--m == 0) {
    m = 12;
    --y;
  }
  return ymd(y, m, days_in_month(y, m));
}

// The last payout date on or before `date` (a month end) for a payout frequency.
std::string payout_boundary(const std::string& date, Frequency f) {
  int y = std::stoi(date.substr(0, 4)), m = std::stoi(date.substr(5, 2)), d = std::stoi(date.substr(8, 2));
  if (d != days_in_month(y, m)) --m;
  auto back = [&] {
    if (--m == 0) {
      m = 12;
      --y;
    }
  };
  if (m == 0) {
    m = 12;
    --y;
  }
  int every = f == Frequency::Monthly      ? 1
              : f == Frequency::Quarterly  ? 3
              : f == Frequency::SemiAnnual ? 6
                                           : 12;
  while (m % every != 0)
    back();
  return ymd(y, m, days_in_month(y, m));
}

std::string normalise_id(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '-' || c == ' ' || c == '\t') continue;
    out += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  }
  return out;
}

std::string strip_zeros(std::string s) {
  std::size_t i = s.find_first_not_of('0');
  return i == std::string::npos ? std::string() : s.substr(i);
}

enum class SourceKind { Streams, Units, Other };
SourceKind classify(std::string_view src) {
  std::string s = lower(src);
  if (s.find("stream") != std::string::npos) return SourceKind::Streams;
  static constexpr std::string_view kUnits[] = {"download", "physical", "sale",  "sales",   "cd",
                                                "vinyl",    "unit",     "units", "cassette"};
  if (std::find(std::begin(kUnits), std::end(kUnits), s) != std::end(kUnits)) return SourceKind::Units;
  return SourceKind::Other;
}

} // namespace

std::optional<Period> parse_period(std::string_view t) {
  Period p;
  p.label = std::string(t);
  if (t.size() < 4 || !digits(t.substr(0, 4))) return std::nullopt;
  int y = (t[0] - '0') * 1000 + (t[1] - '0') * 100 + (t[2] - '0') * 10 + (t[3] - '0');
  if (y < 1) return std::nullopt;
  int m0 = 1, m1 = 12;
  if (t.size() == 4) {
  } else if (t.size() == 7 && t[4] == '-' && (t[5] == 'Q' || t[5] == 'q') && t[6] >= '1' && t[6] <= '4') {
    m0 = (t[6] - '1') * 3 + 1;
    m1 = m0 + 2;
  } else if (t.size() == 7 && t[4] == '-' && (t[5] == 'H' || t[5] == 'h') && (t[6] == '1' || t[6] == '2')) {
    m0 = t[6] == '1' ? 1 : 7;
    m1 = m0 + 5;
  } else if (t.size() == 7 && t[4] == '-' && digits(t.substr(5, 2))) {
    m0 = m1 = (t[5] - '0') * 10 + (t[6] - '0');
    if (m0 < 1 || m0 > 12) return std::nullopt;
  } else {
    return std::nullopt;
  }
  p.start = ymd(y, m0, 1);
  p.end = ymd(y, m1, days_in_month(y, m1));
  return p;
}

// ---- revenue CSV ------------------------------------------------------------------------------------
namespace {

// Splits one CSV record starting at `pos` (quotes with "" escapes; newlines inside quotes).
bool next_record(std::string_view text, std::size_t& pos, char sep, std::vector<std::string>& fields,
                 std::uint32_t& line) {
  fields.clear();
  if (pos >= text.size()) return false;
  std::string cur;
  bool quoted = false;
  while (pos < text.size()) {
    char c = text[pos++];
    if (quoted) {
      if (c == '"') {
        if (pos < text.size() && text[pos] == '"') {
          cur += '"';
          ++pos;
        } else
          quoted = false;
      } else {
        if (c == '\n') ++line;
        cur += c;
      }
      continue;
    }
    if (c == '"' && cur.empty())
      quoted = true;
    else if (c == sep) {
      fields.push_back(std::move(cur));
      cur.clear();
    } else if (c == '\n') {
      ++line;
      break;
    } else if (c != '\r')
      cur += c;
  }
  fields.push_back(std::move(cur));
  return true;
}

} // namespace

RevenueLoad parse_revenue_csv(std::string_view text, const std::string& path) {
  RevenueLoad r;
  auto loc = [&](std::uint32_t line, std::uint32_t col) { return Location{path, line, col, {}}; };
  if (text.size() > kMaxRevenueBytes) {
    r.diagnostics.error("file-too-large", "the revenue file is larger than 1 GiB", loc(0, 0));
    return r;
  }
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  std::size_t eol = text.find('\n');
  std::string_view head = text.substr(0, eol);
  char sep =
      std::count(head.begin(), head.end(), ';') > std::count(head.begin(), head.end(), ',') ? ';' : ',';
  std::size_t pos = 0;
  std::uint32_t line = 1;
  std::vector<std::string> f;
  if (!next_record(text, pos, sep, f, line)) {
    r.diagnostics.error("revenue-empty", "the revenue file is empty", loc(0, 0));
    return r;
  }
  enum Col { kPeriod, kId, kSource, kUnits, kGross, kNet, kCurrency, kCount };
  int col[kCount];
  std::fill(std::begin(col), std::end(col), -1);
  for (std::size_t i = 0; i < f.size(); ++i) {
    std::string h = lower(trim(f[i]));
    int c = h == "period"                                                                  ? kPeriod
            : (h == "isrc" || h == "upc" || h == "id" || h == "isrc_or_upc" || h == "ean") ? kId
            : h == "source"                                                                ? kSource
            : (h == "units" || h == "quantity")                                            ? kUnits
            : (h == "gross" || h == "amount")                                              ? kGross
            : h == "net"                                                                   ? kNet
            : h == "currency"                                                              ? kCurrency
                                                                                           : -1;
    if (c >= 0)
      col[c] = static_cast<int>(i);
    else
      r.diagnostics.warning("revenue-unknown-column", fmt::format("column '{}' is ignored", f[i]),
                            loc(1, i + 1));
  }
  static constexpr std::string_view kNames[] = {"period", "isrc (or upc)", "source",  "units",
                                                "gross",  "net",           "currency"};
  for (int c : {kPeriod, kId, kSource, kGross, kCurrency})
    if (col[c] < 0)
      r.diagnostics.error("revenue-missing-column",
                          fmt::format("the revenue file has no '{}' column", kNames[c]), loc(1, 0),
                          "header: period,isrc,source,units,gross,currency");
  if (r.diagnostics.has_errors()) return r;
  std::size_t errors = 0;
  auto err = [&](std::string code, std::string msg, Location l) {
    if (++errors <= 50) r.diagnostics.error(std::move(code), std::move(msg), std::move(l));
  };
  r.lines.reserve(static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1);
  while (true) {
    std::uint32_t at = line;
    if (!next_record(text, pos, sep, f, line)) break;
    if (f.size() == 1 && trim(f[0]).empty()) continue; // blank line
    auto field = [&](int c) -> std::string_view {
      return c >= 0 && static_cast<std::size_t>(c) < f.size() ? trim(f[static_cast<std::size_t>(c)]) : "";
    };
    RevenueLine l;
    l.line = at;
    l.period = std::string(field(col[kPeriod]));
    l.id = std::string(field(col[kId]));
    l.source = std::string(field(col[kSource]));
    l.currency = std::string(field(col[kCurrency]));
    bool ok = true;
    auto num = [&](int c, std::string_view what, Decimal& out) {
      std::string_view s = field(c);
      if (s.empty()) return true;
      auto d = Decimal::parse(s);
      if (!d) {
        err("revenue-number", fmt::format("{} '{}' is not a decimal number", what, s), loc(at, c + 1));
        return ok = false;
      }
      if (d->is_negative()) {
        err("revenue-negative", fmt::format("{} {} is negative (returns are not supported)", what, s),
            loc(at, c + 1));
        return ok = false;
      }
      out = *d;
      return true;
    };
    num(col[kUnits], "units", l.units);
    num(col[kGross], "gross", l.gross);
    if (col[kNet] >= 0 && !field(col[kNet]).empty()) {
      Decimal n;
      if (num(col[kNet], "net", n)) l.net = n;
    }
    if (l.id.empty()) {
      err("revenue-missing-id", "the line names no ISRC or UPC", loc(at, col[kId] + 1));
      ok = false;
    }
    if (l.currency.empty()) {
      err("revenue-missing-currency", "the line has no currency", loc(at, col[kCurrency] + 1));
      ok = false;
    }
    if (ok) r.lines.push_back(std::move(l));
  }
  if (errors > 50)
    r.diagnostics.note("revenue-more-errors", fmt::format("{} more problems not shown", errors - 50),
                       loc(0, 0));
  return r;
}

RevenueLoad load_revenue_csv(const std::string& path) {
  std::string text = read_file(path, kMaxRevenueBytes);
  return parse_revenue_csv(text, path);
}

// ---- digest -----------------------------------------------------------------------------------------

std::string sha256_hex(std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (!EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr)) throw Error("SHA-256 failed");
  std::string out;
  for (unsigned i = 0; i < len; ++i)
    out += fmt::format("{:02x}", md[i]);
  return out;
}

std::string statement_digest(std::span<const std::string_view> parts) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (!ctx || !EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr)) throw Error("SHA-256 failed");
  for (std::string_view p : parts) {
    std::string len = fmt::format("{}:", p.size());
    EVP_DigestUpdate(ctx.get(), len.data(), len.size());
    EVP_DigestUpdate(ctx.get(), p.data(), p.size());
  }
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  if (!EVP_DigestFinal_ex(ctx.get(), md, &n)) throw Error("SHA-256 failed");
  std::string out;
  for (unsigned i = 0; i < n; ++i)
    out += fmt::format("{:02x}", md[i]);
  return out;
}

// ---- the statement ----------------------------------------------------------------------------------

Statement make_statement(const Sheet& sheet, std::span<const RevenueLine> lines, const Period& period,
                         const std::string& revenue_path) {
  auto where = [&](const RevenueLine& l) { return Location{revenue_path, l.line, 0, {}}; };
  using detail_splits::Ledger;
  Statement st;
  st.period = period;
  Diagnostics& d = st.diagnostics;
  const std::size_t n = sheet.tracks.size();
  if (n == 0) {
    d.error("no-tracks", "the sheet has no tracks to earn from", Location{sheet.path, 0, 0, {}});
    return st;
  }
  std::unordered_map<std::string, std::size_t> by_isrc;
  for (std::size_t t = 0; t < n; ++t)
    if (!sheet.tracks[t].isrc.empty()) by_isrc.emplace(normalise_id(sheet.tracks[t].isrc), t);
  const std::string upc = strip_zeros(normalise_id(sheet.release.upc));
  constexpr std::size_t kRelease = static_cast<std::size_t>(-1);

  struct SliceIn {
    Period p;
    std::vector<Volume> tracks;
    Volume release;
    bool current = false;
  };
  std::vector<SliceIn> slices;
  std::unordered_map<std::string, long> slice_of; // period text -> slice index, -1 = future
  std::vector<std::string> sources;
  std::unordered_map<std::string, std::size_t> source_id;
  std::unordered_map<std::size_t, Volume> current_lines;             // track * sources + source -> volume
  std::vector<std::pair<std::size_t, Volume>> current_release_lines; // source -> volume (UPC lines)
  std::size_t unknown = 0, bad_period = 0;
  for (const RevenueLine& l : lines) {
    auto it = slice_of.find(l.period);
    if (it == slice_of.end()) {
      auto p = parse_period(l.period);
      long idx = -1;
      if (!p) {
        if (++bad_period <= 20)
          d.error("revenue-period",
                  fmt::format("period '{}' is not like 2026-Q1, 2026-03, 2026-H1 or 2026", l.period),
                  where(l));
        idx = -2;
      } else if (p->start > period.end) {
        idx = -1;
      } else if (p->end < period.start || (p->start >= period.start && p->end <= period.end)) {
        idx = static_cast<long>(slices.size());
        SliceIn s;
        s.p = *p;
        s.tracks.resize(n);
        s.current = p->start >= period.start;
        slices.push_back(std::move(s));
      } else {
        d.error("revenue-period-overlap",
                fmt::format("period {} straddles the statement period {}", l.period, period.label), where(l),
                "state revenue in periods that fit inside the statement period");
        idx = -2;
      }
      it = slice_of.emplace(l.period, idx).first;
    }
    if (it->second < 0) continue;
    SliceIn& s = slices[static_cast<std::size_t>(it->second)];
    if (st.currency.empty())
      st.currency = l.currency;
    else if (l.currency != st.currency) {
      if (!d.has_code("mixed-currencies"))
        d.error(
            "mixed-currencies",
            fmt::format("revenue in {} and {}: a statement is in one currency; lines are never summed across "
                        "currencies",
                        st.currency, l.currency),
            where(l), "convert the revenue to one currency before making the statement");
      continue;
    }
    std::string id = normalise_id(l.id);
    std::size_t track = kRelease;
    if (auto bi = by_isrc.find(id); bi != by_isrc.end())
      track = bi->second;
    else if (upc.empty() || strip_zeros(id) != upc) {
      if (++unknown <= 20)
        d.error("revenue-unknown-id",
                fmt::format("'{}' is neither an ISRC of a track nor the release UPC", l.id), where(l));
      continue;
    }
    Volume v;
    SourceKind k = classify(l.source);
    if (k == SourceKind::Streams)
      v.streams = l.units;
    else if (k == SourceKind::Units)
      v.units = l.units;
    v.gross = l.gross;
    v.net = l.net ? *l.net : l.gross;
    if (v.net > v.gross) {
      d.error("revenue-net", fmt::format("net {} is above gross {}", v.net.str(), v.gross.str()), where(l));
      continue;
    }
    if (track == kRelease)
      s.release += v;
    else
      s.tracks[track] += v;
    if (s.current) {
      ++st.revenue_lines;
      auto [si, fresh] = source_id.emplace(l.source, sources.size());
      if (fresh) sources.push_back(l.source);
      if (track == kRelease)
        current_release_lines.emplace_back(si->second, v);
      else
        current_lines[track * 64 + si->second] += v;
    }
  }
  if (unknown > 20)
    d.note("revenue-more-errors", fmt::format("{} more lines with unknown ids not shown", unknown - 20),
           Location{revenue_path, 0, 0, {}});
  if (sources.size() > 64)
    d.error("revenue-sources", "more than 64 different sources", Location{revenue_path, 0, 0, {}});
  for (std::size_t i = 0; i < sheet.agreements.size(); ++i) {
    const Agreement& a = sheet.agreements[i];
    if (!a.currency.empty() && !st.currency.empty() && a.currency != st.currency)
      d.error("currency-mismatch",
              fmt::format("the agreement of '{}' is in {}, the revenue in {}: no silent conversion", a.party,
                          a.currency, st.currency),
              sheet.where.at(fmt::format("agreements[{}].currency", i)));
  }
  if (d.has_errors()) return st;
  if (st.currency.empty())
    for (const Agreement& a : sheet.agreements)
      if (!a.currency.empty()) st.currency = a.currency;
  const int minor = minor_units(st.currency);

  // Release-wide lines spread evenly over the tracks.
  for (SliceIn& s : slices) {
    if (s.release == Volume{}) continue;
    std::vector<Decimal> w(n, Decimal::from_int(1));
    auto u = allocate(s.release.units, w, Decimal::kScale),
         sm = allocate(s.release.streams, w, Decimal::kScale);
    auto g = allocate(s.release.gross, w, minor), nt = allocate(s.release.net, w, minor);
    for (std::size_t t = 0; t < n; ++t)
      s.tracks[t] += Volume{u[t], sm[t], g[t], nt[t]};
  }
  for (auto& [src, v] : current_release_lines) {
    std::vector<Decimal> w(n, Decimal::from_int(1));
    auto u = allocate(v.units, w, Decimal::kScale), sm = allocate(v.streams, w, Decimal::kScale);
    auto g = allocate(v.gross, w, minor), nt = allocate(v.net, w, minor);
    for (std::size_t t = 0; t < n; ++t)
      current_lines[t * 64 + src] += Volume{u[t], sm[t], g[t], nt[t]};
  }
  std::stable_sort(slices.begin(), slices.end(), [](const SliceIn& a, const SliceIn& b) {
    return a.p.end != b.p.end ? a.p.end < b.p.end : a.p.start < b.p.start;
  });

  // Run the ledger, keeping a snapshot after each slice.
  Ledger ledger(sheet, minor);
  const std::size_t H = ledger.holders();
  struct Snap {
    std::string end;
    std::vector<Decimal> pool, unfunded;
  };
  std::vector<Snap> snaps;
  snaps.push_back(Snap{"0000-00-00", std::vector<Decimal>(H), std::vector<Decimal>(H)});
  for (const SliceIn& s : slices) {
    ledger.add(s.p.start, s.p.end, s.tracks, s.current);
    Snap sn{s.p.end, {}, {}};
    sn.pool.reserve(H);
    for (std::size_t h = 0; h < H; ++h) {
      sn.pool.push_back(ledger.holder(h).earned_pool);
      sn.unfunded.push_back(ledger.holder(h).unfunded);
    }
    if (s.current) {
      st.gross += [&] {
        Decimal g;
        for (auto& v : s.tracks)
          g += v.gross;
        return g;
      }();
      for (auto& v : s.tracks)
        st.fees += v.gross - v.net;
    }
    snaps.push_back(std::move(sn));
  }
  st.net = st.gross - st.fees;
  auto snap_at = [&](const std::string& date) -> std::size_t { // index of the last snapshot with end <= date
    std::size_t k = 0;
    for (std::size_t i = 1; i < snaps.size(); ++i)
      if (snaps[i].end <= date) k = i;
    return k;
  };
  const std::string before_date = day_before(period.start);
  const std::size_t k_before = snap_at(before_date), k_after = snap_at(period.end);

  for (std::size_t h = 0; h < H; ++h) {
    const auto& Hd = ledger.holder(h);
    PartyStatement ps;
    PartyResult& p = ps.result;
    p.party = Hd.party;
    p.name = Hd.name;
    p.kind = Hd.kind;
    p.contributions = Hd.contributions;
    if (Hd.agreement) p.terms = describe_terms(*Hd.agreement);
    p.before = ledger.settle(h, k_before, snaps[k_before].pool[h], before_date, nullptr);
    p.after = ledger.settle(h, k_after, snaps[k_after].pool[h], period.end, &p.derivation);
    p.earned = p.after.earned - p.before.earned;
    p.unfunded = snaps[k_after].unfunded[h] - snaps[k_before].unfunded[h];
    for (auto& [t, amt] : Hd.track_amounts)
      p.allocated += amt;
    Decimal paid_before, paid_after;
    if (Hd.agreement) {
      std::string b0 = payout_boundary(before_date, Hd.agreement->frequency);
      std::string b1 = payout_boundary(period.end, Hd.agreement->frequency);
      std::size_t k0 = snap_at(b0), k1 = snap_at(b1);
      paid_before = ledger.settle(h, k0, snaps[k0].pool[h], b0, nullptr).payable;
      paid_after = ledger.settle(h, k1, snaps[k1].pool[h], b1, nullptr).payable;
      if (b1 != period.end)
        p.derivation.add(fmt::format("paid {}: the last payout date on or before {} is {}",
                                     to_string(Hd.agreement->frequency), period.end, b1));
    } else {
      paid_before = p.before.payable;
      paid_after = p.after.payable;
    }
    p.payable = paid_after - paid_before;
    if (p.payable.is_negative()) p.payable = Decimal();
    p.carried = p.after.due - paid_after;
    if (p.carried.is_negative()) p.carried = Decimal();
    p.withheld = Hd.agreement && !Hd.agreement->withholding.is_zero()
                     ? percent_of(p.payable, Hd.agreement->withholding).rounded(minor)
                     : Decimal();
    p.net = p.payable - p.withheld;
    p.derivation.add(
        fmt::format("this period: earned {}, paid out {} (paid to date {} of {} due), carried forward {}",
                    p.earned.str_fixed(minor), p.payable.str_fixed(minor), paid_after.str_fixed(minor),
                    p.after.due.str_fixed(minor), p.carried.str_fixed(minor)));
    if (!p.withheld.is_zero())
      p.derivation.add(fmt::format("withholding {} %: {} - {} = {} net payable",
                                   Hd.agreement->withholding.str(), p.payable.str_fixed(minor),
                                   p.withheld.str_fixed(minor), p.net.str_fixed(minor)));
    // Lines: the party's amount on each track, apportioned over the track's sources.
    for (auto& [t, amt] : Hd.track_amounts) {
      std::vector<std::pair<std::size_t, Volume>> srcs;
      for (std::size_t si = 0; si < sources.size(); ++si)
        if (auto it = current_lines.find(t * 64 + si); it != current_lines.end())
          srcs.emplace_back(si, it->second);
      std::vector<Decimal> w;
      for (auto& [si, v] : srcs)
        w.push_back(Hd.agreement && Hd.agreement->base != RateBase::Share
                        ? std::max(detail_splits::base_weight(*Hd.agreement, v), Decimal())
                        : std::max(v.net, Decimal()));
      auto parts = allocate(amt, w, minor);
      for (std::size_t i = 0; i < srcs.size(); ++i)
        ps.lines.push_back(StatementLine{sheet.tracks[t].isrc, sheet.tracks[t].title, sources[srcs[i].first],
                                         srcs[i].second, parts[i]});
    }
    st.parties.push_back(std::move(ps));
  }
  if (!ledger.capped_tracks().empty())
    d.warning("royalties-exceed-receipts",
              fmt::format("royalties exceed the net receipts of {} track(s): the excess is shown as unfunded",
                          ledger.capped_tracks().size()),
              sheet.where.at("agreements"));
  if (!ledger.unshared_tracks().empty())
    d.warning("no-master-shares",
              fmt::format("{} track(s) earned income but have no master share holder",
                          ledger.unshared_tracks().size()),
              sheet.where.at("tracks"));
  return st;
}

} // namespace liner::credits
