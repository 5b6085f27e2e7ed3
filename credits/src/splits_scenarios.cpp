// Scenario files for `liner splits simulate` (TOML or CSV), and the earnings chart (SVG).
#include "strings.hpp"
#include "toml_number.hpp"

#include <algorithm>
#include <filesystem>
#include <fmt/format.h>
#include <liner/credits/error.hpp>
#include <liner/credits/splits.hpp>
#include <map>
#include <toml++/toml.h>

namespace liner::credits {
namespace {

constexpr std::string_view kScenarioKeys[] = {"name",        "units", "streams",    "revenue", "unit_price",
                                              "stream_rate", "fee",   "deductions", "date",    "currency"};
constexpr std::size_t kMaxScenarioBytes = 4u << 20;

// Sets one field of a scenario from text; false when it is not a valid value.
bool set_field(Scenario& s, std::string_view key, std::string_view text, std::string& why) {
  text = trim(text);
  if (key == "name") {
    s.name = std::string(text);
    return true;
  }
  if (key == "date") {
    s.date = std::string(text);
    if (!text.empty() && !is_valid_date(text)) {
      why = "is not a date YYYY-MM-DD";
      return false;
    }
    return true;
  }
  if (key == "currency") {
    s.currency = std::string(text);
    return true;
  }
  if (text.empty()) return true;
  auto d = Decimal::parse(text);
  if (!d) {
    why = "is not a decimal number (at most 6 decimals, no exponent)";
    return false;
  }
  if (d->is_negative()) {
    why = "is negative";
    return false;
  }
  if (key == "units")
    s.units = *d;
  else if (key == "streams")
    s.streams = *d;
  else if (key == "revenue")
    s.revenue = *d;
  else if (key == "unit_price")
    s.unit_price = *d;
  else if (key == "stream_rate")
    s.stream_rate = *d;
  else if (key == "fee")
    s.fee_percent = *d;
  else if (key == "deductions")
    s.deductions = *d;
  return true;
}

} // namespace

ScenarioLoad parse_scenarios_toml(std::string_view text, const std::string& path) {
  ScenarioLoad r;
  auto loc = [&](const toml::source_region& s) { return Location{path, s.begin.line, s.begin.column, {}}; };
  std::vector<std::string_view> lines;
  for (std::size_t start = 0, i = 0; i <= text.size(); ++i)
    if (i == text.size() || text[i] == '\n') {
      lines.push_back(text.substr(start, i - start));
      start = i + 1;
    }
  toml::table root;
  try {
    root = toml::parse(text, path);
  } catch (const toml::parse_error& e) {
    r.diagnostics.error("toml-syntax", std::string(e.description()), loc(e.source()));
    return r;
  }
  std::string currency;
  if (auto c = root["currency"].value<std::string>()) currency = *c;
  for (auto&& [k, v] : root)
    if (k.str() != "currency" && k.str() != "scenario")
      r.diagnostics.error("unknown-key", fmt::format("unknown key '{}' in the scenario file", k.str()),
                          loc(k.source()),
                          "scenarios are [[scenario]] tables; a top-level currency is allowed");
  const toml::array* arr = root["scenario"].as_array();
  if (!arr || arr->empty()) {
    r.diagnostics.error("no-scenarios", "the file has no [[scenario]] tables", Location{path, 0, 0, {}},
                        "[[scenario]]\nname = \"expected\"\nunits = 10000");
    return r;
  }
  for (std::size_t i = 0; i < arr->size(); ++i) {
    const toml::table* t = arr->get(i)->as_table();
    if (!t) {
      r.diagnostics.error("wrong-type", "each scenario must be a table", loc(arr->get(i)->source()));
      continue;
    }
    Scenario s;
    s.name = fmt::format("scenario {}", i + 1);
    s.currency = currency;
    for (auto&& [k, v] : *t) {
      std::string_view key = k.str();
      if (std::find(std::begin(kScenarioKeys), std::end(kScenarioKeys), key) == std::end(kScenarioKeys)) {
        std::string hint;
        if (auto best = nearest(key, kScenarioKeys); !best.empty())
          hint = fmt::format("did you mean '{}'?", best);
        r.diagnostics.error("unknown-key", fmt::format("unknown key '{}' in a scenario", key),
                            loc(k.source()), hint);
        continue;
      }
      std::string val;
      if (v.is_string())
        val = v.as_string()->get();
      else if (v.is_integer() || v.is_floating_point())
        val = detail::raw_number(lines, v);
      else if (const auto* dv = v.as_date()) {
        const toml::date& dt = dv->get();
        val = fmt::format("{:04}-{:02}-{:02}", dt.year, dt.month, dt.day);
      } else {
        r.diagnostics.error("wrong-type", fmt::format("'{}' must be a number, a date or a string", key),
                            loc(v.source()));
        continue;
      }
      std::string why;
      if (!set_field(s, key, val, why))
        r.diagnostics.error("invalid-value", fmt::format("{} = {} {}", key, val, why), loc(v.source()));
    }
    r.scenarios.push_back(std::move(s));
  }
  return r;
}

ScenarioLoad parse_scenarios_csv(std::string_view text, const std::string& path) {
  ScenarioLoad r;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  std::vector<std::vector<std::string>> rows;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    char sep =
        line.find(';') != std::string_view::npos && line.find(',') == std::string_view::npos ? ';' : ',';
    std::vector<std::string> f;
    std::size_t a = 0;
    while (true) {
      std::size_t b = line.find(sep, a);
      std::string_view cell = line.substr(a, b == std::string_view::npos ? std::string_view::npos : b - a);
      cell = trim(cell);
      if (cell.size() >= 2 && cell.front() == '"' && cell.back() == '"')
        cell = cell.substr(1, cell.size() - 2);
      f.emplace_back(cell);
      if (b == std::string_view::npos) break;
      a = b + 1;
    }
    rows.push_back(std::move(f));
    start = end + 1;
  }
  if (rows.empty()) {
    r.diagnostics.error("no-scenarios", "the scenario file is empty", Location{path, 0, 0, {}});
    return r;
  }
  std::vector<std::string> header;
  for (std::size_t i = 0; i < rows[0].size(); ++i) {
    std::string h = lower(rows[0][i]);
    if (h == "fee_percent") h = "fee";
    if (std::find(std::begin(kScenarioKeys), std::end(kScenarioKeys), h) == std::end(kScenarioKeys))
      r.diagnostics.error(
          "unknown-column", fmt::format("unknown column '{}'", rows[0][i]),
          Location{path, 1, static_cast<std::uint32_t>(i + 1), {}},
          "columns: name, units, streams, revenue, unit_price, stream_rate, fee, deductions, date");
    header.push_back(h);
  }
  for (std::size_t row = 1; row < rows.size(); ++row) {
    if (rows[row].size() == 1 && rows[row][0].empty()) continue;
    Scenario s;
    s.name = fmt::format("scenario {}", row);
    for (std::size_t i = 0; i < rows[row].size() && i < header.size(); ++i) {
      std::string why;
      if (!set_field(s, header[i], rows[row][i], why))
        r.diagnostics.error(
            "invalid-value", fmt::format("{} '{}' {}", header[i], rows[row][i], why),
            Location{path, static_cast<std::uint32_t>(row + 1), static_cast<std::uint32_t>(i + 1), {}});
    }
    r.scenarios.push_back(std::move(s));
  }
  if (r.scenarios.empty())
    r.diagnostics.error("no-scenarios", "the scenario file has no rows", Location{path, 0, 0, {}});
  return r;
}

ScenarioLoad load_scenarios(const std::string& path) {
  std::string text = read_file(path, kMaxScenarioBytes);
  if (text.size() > kMaxScenarioBytes) throw Error(path, "the scenario file is larger than 4 MiB");
  std::string ext = lower(std::filesystem::path(path).extension().string());
  return ext == ".csv" ? parse_scenarios_csv(text, path) : parse_scenarios_toml(text, path);
}

// ---- chart -----------------------------------------------------------------------------------------
namespace {
__extension__ typedef __int128 i128;

} // namespace

std::string earnings_svg(std::span<const SplitResult> results, std::span<const Scenario> scenarios) {
  // Parties in first-seen order, one colour each; bars are the earnings per scenario.
  std::vector<std::string> labels;
  std::map<std::string, std::size_t> index;
  std::map<std::string, int> rows_of_party;
  for (const auto& p : results.empty() ? std::vector<PartyResult>{} : results.front().parties)
    if (p.kind != "contribution") ++rows_of_party[p.party];
  for (const auto& r : results)
    for (const auto& p : r.parties) {
      if (p.kind == "contribution") continue;
      std::string label = p.name.empty() ? p.party : p.name;
      if (rows_of_party[p.party] > 1) label += " (" + p.kind + ")";
      if (index.emplace(p.party + "\x1f" + p.kind, labels.size()).second) labels.push_back(label);
    }
  std::int64_t max_units = 1;
  for (const auto& r : results)
    for (const auto& p : r.parties)
      max_units = std::max(max_units, p.earned.units());
  static constexpr const char* kColours[] = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
                                             "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"};
  const int plot_h = 300, top = 40, left = 90, bar_w = 18, gap = 30;
  const int group_w = static_cast<int>(std::max<std::size_t>(labels.size(), 1)) * bar_w + gap;
  const int width = left + static_cast<int>(results.size()) * group_w + 40 + 220;
  const int height = top + plot_h + 70;
  const std::string currency = results.empty() ? std::string() : results.front().currency;
  const int minor = minor_units(currency);
  std::string out = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" viewBox=\"0 0 {} {}\" "
      "font-family=\"sans-serif\" font-size=\"12\">\n",
      width, height, width, height);
  out += fmt::format("<title>Earnings per party across scenarios{}</title>\n",
                     currency.empty() ? "" : " (" + xml_escape(currency) + ")");
  out +=
      fmt::format("<text x=\"{}\" y=\"20\" font-size=\"15\">Earnings per party across scenarios{}</text>\n",
                  left, currency.empty() ? "" : " (" + xml_escape(currency) + ")");
  // Axis and 4 grid lines, labelled with exact decimal values.
  for (int k = 0; k <= 4; ++k) {
    int y = top + plot_h - plot_h * k / 4;
    Decimal v = Decimal::from_units(static_cast<std::int64_t>(static_cast<i128>(max_units) * k / 4));
    out += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#ddd\"/>\n", left, y,
                       left + static_cast<int>(results.size()) * group_w, y);
    out += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>\n", left - 6, y + 4,
                       v.str_fixed(minor));
  }
  for (std::size_t s = 0; s < results.size(); ++s) {
    int x0 = left + static_cast<int>(s) * group_w + gap / 2;
    for (const auto& p : results[s].parties) {
      auto it = index.find(p.party + "\x1f" + p.kind);
      if (it == index.end()) continue;
      int h = static_cast<int>(static_cast<i128>(p.earned.units()) * plot_h / max_units);
      int x = x0 + static_cast<int>(it->second) * bar_w;
      out += fmt::format(
          "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"><title>{}: {} {}</title></rect>\n",
          x, top + plot_h - h, bar_w - 2, h, kColours[it->second % 10], xml_escape(labels[it->second]),
          p.earned.str_fixed(minor), xml_escape(currency));
    }
    std::string name = s < scenarios.size() ? scenarios[s].name : fmt::format("scenario {}", s + 1);
    out += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>\n",
                       x0 + static_cast<int>(labels.size()) * bar_w / 2, top + plot_h + 18, xml_escape(name));
  }
  int lx = left + static_cast<int>(results.size()) * group_w + 20;
  for (std::size_t i = 0; i < labels.size(); ++i) {
    int y = top + static_cast<int>(i) * 18;
    out += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"12\" height=\"12\" fill=\"{}\"/>\n", lx, y,
                       kColours[i % 10]);
    out += fmt::format("<text x=\"{}\" y=\"{}\">{}</text>\n", lx + 18, y + 11, xml_escape(labels[i]));
  }
  out += "</svg>\n";
  return out;
}

} // namespace liner::credits
