// `liner splits simulate|statement|shares`: what each party earns under the sheet's agreements, with the
// arithmetic shown (docs/splits.md).
#include "commands.hpp"
#include "common.hpp"
#include "output.hpp"

#include <fmt/format.h>
#include <liner/credits/agreements.hpp>
#include <liner/credits/error.hpp>
#include <liner/credits/splits.hpp>
#include <liner/credits/text.hpp>
#include <memory>
#include <optional>

namespace liner::cli {
namespace {

using liner::Decimal;

std::string csv_cell(std::string_view s) {
  if (s.find_first_of(",\"\n\r") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (char c : s)
    out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// Loads the sheet and checks its agreements; prints problems. Returns nullopt when it cannot be used.
std::optional<credits::Sheet> load_for_splits(const std::string& path, Context& ctx) {
  credits::LoadResult r = load_sheet(path);
  Diagnostics d = r.diagnostics;
  if (!d.has_errors()) d.append(credits::check_agreements(r.sheet));
  d.sort();
  if (!d.empty()) print_diagnostics(d, stderr, is_terminal(stderr));
  if (d.has_errors()) {
    fmt::print(stderr, "{}: fix the errors above first\n", path);
    ctx.raise(kProblems);
    return std::nullopt;
  }
  return std::move(r.sheet);
}

nlohmann::json accrual_json(const credits::Accrual& a, int minor) {
  return {{"units", a.units.str()},
          {"rate", a.rate.str()},
          {"earned", a.earned.str_fixed(minor)},
          {"recouped", a.recouped},
          {"costs_balance", a.costs_balance.str_fixed(minor)},
          {"advance_balance", a.advance_balance.str_fixed(minor)},
          {"due", a.due.str_fixed(minor)},
          {"locked", a.locked},
          {"vested_percent", a.vested.str()},
          {"payable_to_date", a.payable.str_fixed(minor)}};
}

nlohmann::json party_json(const credits::PartyResult& p, int minor, bool statement) {
  nlohmann::json j = {{"party", p.party},
                      {"name", p.name},
                      {"kind", p.kind},
                      {"terms", p.terms},
                      {"earned", p.earned.str_fixed(minor)},
                      {"allocated", p.allocated.str_fixed(minor)},
                      {"unfunded", p.unfunded.str_fixed(minor)},
                      {"payable", p.payable.str_fixed(minor)},
                      {"withheld", p.withheld.str_fixed(minor)},
                      {"net_payable", p.net.str_fixed(minor)},
                      {"contributions", p.contributions},
                      {"derivation", p.derivation.lines}};
  if (statement) {
    j["carried_forward"] = p.carried.str_fixed(minor);
    j["before"] = accrual_json(p.before, minor);
    j["after"] = accrual_json(p.after, minor);
  } else {
    j["state"] = accrual_json(p.after, minor);
  }
  return j;
}

// ---- simulate -------------------------------------------------------------------------------------------
struct SimulateOptions {
  std::string sheet;
  std::vector<std::string> scenario_files;
  std::optional<std::string> units, streams, revenue;
  std::string unit_price, stream_rate, fee, deductions, date, name = "scenario";
  std::string format = "text";
  std::string svg;
  std::string output = "-";
  bool explain = false;
};

std::optional<Decimal> flag_decimal(const std::string& flag, const std::string& text) {
  auto d = Decimal::parse(text);
  if (!d || d->is_negative())
    throw CLI::ValidationError(flag, "'" + text + "' is not a non-negative decimal (at most 6 decimals)");
  return d;
}

void run_simulate(const SimulateOptions& o, Context& ctx) {
  std::vector<credits::Scenario> scenarios;
  Diagnostics d;
  for (const auto& f : o.scenario_files) {
    credits::ScenarioLoad l = credits::load_scenarios(f);
    d.append(l.diagnostics);
    scenarios.insert(scenarios.end(), l.scenarios.begin(), l.scenarios.end());
  }
  if (o.units || o.streams || o.revenue || scenarios.empty()) {
    credits::Scenario s;
    s.name = o.name;
    if (o.units) s.units = *flag_decimal("--units", *o.units);
    if (o.streams) s.streams = *flag_decimal("--streams", *o.streams);
    if (o.revenue) s.revenue = flag_decimal("--revenue", *o.revenue);
    if (!o.unit_price.empty()) s.unit_price = *flag_decimal("--unit-price", o.unit_price);
    if (!o.stream_rate.empty()) s.stream_rate = *flag_decimal("--stream-rate", o.stream_rate);
    if (!o.fee.empty()) s.fee_percent = *flag_decimal("--fee", o.fee);
    if (!o.deductions.empty()) s.deductions = *flag_decimal("--deductions", o.deductions);
    if (!o.date.empty() && !credits::is_valid_date(o.date))
      throw CLI::ValidationError("--date", "'" + o.date + "' is not a date YYYY-MM-DD");
    s.date = o.date;
    scenarios.push_back(s);
  }
  if (d.has_errors()) {
    print_diagnostics(d, stderr, is_terminal(stderr));
    ctx.raise(kProblems);
    return;
  }
  auto sheet = load_for_splits(o.sheet, ctx);
  if (!sheet) return;
  std::vector<credits::SplitResult> results;
  for (const auto& s : scenarios) {
    results.push_back(credits::simulate(*sheet, s));
    Diagnostics& rd = results.back().diagnostics;
    if (!rd.empty()) print_diagnostics(rd, stderr, is_terminal(stderr));
    if (rd.has_errors()) {
      ctx.raise(kProblems);
      return;
    }
  }
  if (!o.svg.empty()) write_output(o.svg, credits::earnings_svg(results, scenarios));
  const std::string currency = results.front().currency;
  const int minor = credits::minor_units(currency);
  std::string out;
  if (o.format == "json") {
    auto j = envelope("splits-simulate", 1);
    j["sheet"] = o.sheet;
    j["currency"] = currency;
    j["scenarios"] = nlohmann::json::array();
    for (std::size_t i = 0; i < results.size(); ++i) {
      const auto& r = results[i];
      const auto& s = scenarios[i];
      nlohmann::json sj = {{"name", s.name},
                           {"units", s.units.str()},
                           {"streams", s.streams.str()},
                           {"date", s.date},
                           {"gross", r.gross.str_fixed(minor)},
                           {"fees", r.fees.str_fixed(minor)},
                           {"net_receipts", r.net.str_fixed(minor)},
                           {"royalties", r.royalties.str_fixed(minor)},
                           {"pool", r.pool.str_fixed(minor)},
                           {"derivation", r.derivation.lines},
                           {"parties", nlohmann::json::array()}};
      for (const auto& p : r.parties)
        sj["parties"].push_back(party_json(p, minor, false));
      j["scenarios"].push_back(sj);
    }
    out = j.dump(2) + "\n";
  } else if (o.format == "csv") {
    out = "scenario,party,name,kind,earned,allocated,unfunded,payable,withheld,net_payable,currency\n";
    for (std::size_t i = 0; i < results.size(); ++i)
      for (const auto& p : results[i].parties)
        out +=
            fmt::format("{},{},{},{},{},{},{},{},{},{},{}\n", csv_cell(scenarios[i].name), csv_cell(p.party),
                        csv_cell(p.name), p.kind, p.earned.str_fixed(minor), p.allocated.str_fixed(minor),
                        p.unfunded.str_fixed(minor), p.payable.str_fixed(minor), p.withheld.str_fixed(minor),
                        p.net.str_fixed(minor), currency);
  } else {
    // A table: one row per party, earned and payable per scenario.
    std::string head = fmt::format("{:<34}", "party");
    for (const auto& s : scenarios)
      head += fmt::format(" | {:>27.27}", s.name);
    out += head + "\n" + fmt::format("{:<34}", "");
    for (std::size_t i = 0; i < scenarios.size(); ++i)
      out += fmt::format(" | {:>13} {:>13}", "earned", "payable");
    out += "\n" + std::string(head.size(), '-') + "\n";
    for (std::size_t k = 0; k < results.front().parties.size(); ++k) {
      const auto& p0 = results.front().parties[k];
      std::string who = p0.name.empty() ? p0.party : p0.name + " (" + p0.party + ")";
      out += fmt::format("{:<34.34}", who + " " + p0.kind);
      for (const auto& r : results)
        out += fmt::format(" | {:>13} {:>13}", r.parties[k].earned.str_fixed(minor),
                           r.parties[k].payable.str_fixed(minor));
      out += "\n";
    }
    out += fmt::format("{:<34}", "gross / net receipts");
    for (const auto& r : results)
      out += fmt::format(" | {:>13} {:>13}", r.gross.str_fixed(minor), r.net.str_fixed(minor));
    out += "\n";
    if (!currency.empty()) out += "amounts in " + currency + "\n";
    for (const auto& p : results.front().parties)
      if (!p.contributions.empty())
        out += fmt::format("{} contributes: {}\n", p.name.empty() ? p.party : p.name, [&] {
          std::string c;
          for (std::size_t i = 0; i < p.contributions.size(); ++i)
            c += (i ? ", " : "") + p.contributions[i];
          return c;
        }());
    if (o.explain)
      for (std::size_t i = 0; i < results.size(); ++i)
        out += fmt::format("\n# {}\n{}", scenarios[i].name, credits::to_text(results[i], true));
  }
  write_output(o.output, out);
}

// ---- statement ------------------------------------------------------------------------------------------
struct StatementOptions {
  std::string sheet, revenue, period, format = "text", output = "-";
  bool brief = false;
};

void run_statement(const StatementOptions& o, Context& ctx) {
  auto period = credits::parse_period(o.period);
  if (!period)
    throw CLI::ValidationError("--period",
                               "'" + o.period + "' is not like 2026-Q1, 2026-03, 2026-H1 or 2026");
  auto sheet = load_for_splits(o.sheet, ctx);
  if (!sheet) return;
  std::string sheet_bytes = credits::read_file(o.sheet, credits::kMaxSheetBytes);
  std::string revenue_bytes = credits::read_file(o.revenue, credits::kMaxRevenueBytes);
  // The digest of the inputs as read; the revenue text is then parsed and released.
  std::string_view parts[] = {"liner-statement-1", sheet_bytes, revenue_bytes, period->label};
  const std::string digest = credits::statement_digest(parts);
  credits::RevenueLoad rev = credits::parse_revenue_csv(revenue_bytes, o.revenue);
  std::string().swap(revenue_bytes);
  if (!rev.diagnostics.empty()) print_diagnostics(rev.diagnostics, stderr, is_terminal(stderr));
  if (rev.diagnostics.has_errors()) {
    ctx.raise(kProblems);
    return;
  }
  credits::Statement st = credits::make_statement(*sheet, rev.lines, *period, o.revenue);
  st.digest = digest;
  if (!st.diagnostics.empty()) print_diagnostics(st.diagnostics, stderr, is_terminal(stderr));
  if (st.diagnostics.has_errors()) {
    ctx.raise(kProblems);
    return;
  }
  const int minor = credits::minor_units(st.currency);
  std::string out;
  if (o.format == "json") {
    auto j = envelope("splits-statement", 1);
    j["period"] = {{"label", st.period.label}, {"start", st.period.start}, {"end", st.period.end}};
    j["currency"] = st.currency;
    j["inputs_sha256"] = st.digest;
    j["revenue_lines"] = st.revenue_lines;
    j["gross"] = st.gross.str_fixed(minor);
    j["fees"] = st.fees.str_fixed(minor);
    j["net_receipts"] = st.net.str_fixed(minor);
    j["parties"] = nlohmann::json::array();
    for (const auto& ps : st.parties) {
      auto pj = party_json(ps.result, minor, true);
      pj["lines"] = nlohmann::json::array();
      for (const auto& l : ps.lines)
        pj["lines"].push_back({{"isrc", l.isrc},
                               {"title", l.title},
                               {"source", l.source},
                               {"units", l.volume.units.str()},
                               {"streams", l.volume.streams.str()},
                               {"gross", l.volume.gross.str_fixed(minor)},
                               {"net", l.volume.net.str_fixed(minor)},
                               {"amount", l.amount.str_fixed(minor)}});
      j["parties"].push_back(pj);
    }
    out = j.dump(2) + "\n";
  } else if (o.format == "csv") {
    out = "period,party,name,kind,isrc,title,source,units,streams,gross,net,amount,currency,inputs_sha256\n";
    for (const auto& ps : st.parties)
      for (const auto& l : ps.lines)
        out += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n", csv_cell(st.period.label),
                           csv_cell(ps.result.party), csv_cell(ps.result.name), ps.result.kind,
                           csv_cell(l.isrc), csv_cell(l.title), csv_cell(l.source), l.volume.units.str(),
                           l.volume.streams.str(), l.volume.gross.str_fixed(minor),
                           l.volume.net.str_fixed(minor), l.amount.str_fixed(minor), st.currency, st.digest);
  } else {
    out = credits::to_text(st, !o.brief);
  }
  write_output(o.output, out);
}

} // namespace

void register_splits(CLI::App& app, Context& ctx) {
  auto* splits = app.add_subcommand(
      "splits", "What each party earns under the sheet's agreements: scenarios and audited statements");
  splits->require_subcommand(1);
  splits->footer("Agreements are [[agreements]] tables in the sheet; terms and examples: docs/splits.md.");

  auto so = std::make_shared<SimulateOptions>();
  auto* sim = splits->add_subcommand(
      "simulate", "Each party's earnings in each scenario (e.g. low / expected / breakout), as a table");
  sim->add_option("SHEET", so->sheet, "The sheet with [[agreements]]")->required()->check(CLI::ExistingFile);
  sim->add_option("--scenario", so->scenario_files, "Scenario file(s): TOML [[scenario]] tables or CSV")
      ->check(CLI::ExistingFile);
  sim->add_option("--units", so->units, "Units sold (a scenario from flags)");
  sim->add_option("--streams", so->streams, "Streams");
  sim->add_option("--revenue", so->revenue,
                  "Gross revenue (default: units x unit price + streams x stream rate)");
  sim->add_option("--unit-price", so->unit_price, "Gross income per unit");
  sim->add_option("--stream-rate", so->stream_rate, "Gross income per stream, e.g. 0.0035");
  sim->add_option("--fee", so->fee, "Distribution fee, percent of gross");
  sim->add_option("--deductions", so->deductions, "Other deductions from net receipts");
  sim->add_option("--date", so->date, "As-of date for date escalations, lock-in and vesting (YYYY-MM-DD)");
  sim->add_option("--name", so->name, "Name of the scenario given by flags");
  sim->add_option("--format", so->format, "text (a table), json or csv")
      ->check(CLI::IsMember({"text", "json", "csv"}));
  sim->add_option("--svg", so->svg, "Also write an SVG chart of earnings per party across scenarios");
  sim->add_option("-o,--output", so->output, "Output file (default: standard output)");
  sim->add_flag("--explain", so->explain, "Text: print each party's derivation");
  sim->footer(
      "Examples:\n  liner splits simulate release.toml --scenario scenarios.toml --svg earnings.svg\n"
      "  liner splits simulate release.toml --units 150000 --unit-price 1 --explain\n"
      "  liner splits simulate release.toml --streams 1000000 --stream-rate 0.0035 --fee 15 --format json");
  sim->callback([so, &ctx] { run_simulate(*so, ctx); });

  auto sto = std::make_shared<StatementOptions>();
  auto* st = splits->add_subcommand(
      "statement", "A statement per party for one period: lines, rates applied, recoupment carried forward, "
                   "withholding, net payable; with a SHA-256 digest of the inputs");
  st->add_option("SHEET", sto->sheet, "The sheet with [[agreements]]")->required()->check(CLI::ExistingFile);
  st->add_option("--revenue", sto->revenue,
                 "Revenue lines (CSV: period, isrc or upc, source, units, gross, currency)")
      ->required()
      ->check(CLI::ExistingFile);
  st->add_option("--period", sto->period, "2026-Q1, 2026-03, 2026-H1 or 2026")->required();
  st->add_option("--format", sto->format, "text, json or csv (one row per party x line)")
      ->check(CLI::IsMember({"text", "json", "csv"}));
  st->add_option("-o,--output", sto->output, "Output file (default: standard output)");
  st->add_flag("--brief", sto->brief, "Text: leave out the derivations");
  st->footer(
      "Earlier periods in the revenue file count for thresholds, recoupment and what was paid before.\n"
      "Example:\n  liner splits statement release.toml --revenue revenue.csv --period 2026-Q1");
  st->callback([sto, &ctx] { run_statement(*sto, ctx); });

  auto shares_sheet = std::make_shared<std::string>();
  auto* sh =
      splits->add_subcommand("shares", "Each track's effective master shares (what DDEX RightSharePercentage "
                                       "carries)");
  sh->add_option("SHEET", *shares_sheet, "The sheet")->required()->check(CLI::ExistingFile);
  sh->callback([shares_sheet, &ctx] {
    auto sheet = load_for_splits(*shares_sheet, ctx);
    if (!sheet) return;
    std::string out;
    auto all = credits::effective_master_shares(*sheet);
    for (std::size_t t = 0; t < sheet->tracks.size(); ++t) {
      out +=
          fmt::format("{} {} {}\n", sheet->tracks[t].number, sheet->tracks[t].isrc, sheet->tracks[t].title);
      for (const auto& s : all[t])
        out += fmt::format("  {:<16} {:>10} %\n", s.party, s.percent.str());
    }
    write_output("-", out);
  });
}

} // namespace liner::cli
