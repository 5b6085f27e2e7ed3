// Report renderers: versioned JSON, text (optionally coloured), one self-contained HTML page.
#include <fmt/format.h>
#include <liner/credits/text.hpp>
#include <liner/verify/verify.hpp>
#include <map>

namespace liner::verify {
namespace {

using nlohmann::json;

json place_json(const Place& p) {
  json j = json::object();
  j["file"] = p.file;
  if (!p.field.empty()) j["field"] = p.field;
  if (!p.xpath.empty()) j["xpath"] = p.xpath;
  return j;
}

json check_json(const Check& c) {
  json j = {{"status", std::string(to_string(c.status))}, {"summary", c.summary()}};
  if (c.status == Status::NotChecked) return j;
  if (!c.observed_name.empty()) j["observed_name"] = c.observed_name;
  if (!c.name_reasons.empty()) j["name_reasons"] = c.name_reasons;
  if (!c.missing_roles.empty()) j["missing_roles"] = c.missing_roles;
  if (!c.extra_roles.empty()) j["extra_roles"] = c.extra_roles;
  if (!c.missing_instruments.empty()) j["missing_instruments"] = c.missing_instruments;
  if (!c.extra_instruments.empty()) j["extra_instruments"] = c.extra_instruments;
  if (!c.id_problems.empty()) j["id_problems"] = c.id_problems;
  if (c.observed_percent) j["observed_percent"] = c.observed_percent->str();
  if (!c.where.empty()) j["where"] = place_json(c.where);
  if (!c.also.empty()) {
    j["also"] = json::array();
    for (const auto& p : c.also)
      j["also"].push_back(place_json(p));
  }
  return j;
}

json diagnostics_json(const Diagnostics& d) {
  json a = json::array();
  for (const auto& x : d) {
    json loc = {{"file", x.location.file}};
    if (x.location.line) loc["line"] = x.location.line;
    if (x.location.column) loc["column"] = x.location.column;
    if (!x.location.xpath.empty()) loc["xpath"] = x.location.xpath;
    json j = {{"code", x.code},
              {"severity", std::string(to_string(x.severity))},
              {"message", x.message},
              {"location", loc}};
    if (!x.hint.empty()) j["hint"] = x.hint;
    a.push_back(std::move(j));
  }
  return a;
}

std::string esc(std::string_view s) { return credits::xml_escape(s); }

std::string join(const std::vector<std::string>& v, std::string_view sep = ", ") {
  std::string out;
  for (const auto& s : v) {
    if (!out.empty()) out += sep;
    out += s;
  }
  return out;
}

std::string track_label(const TrackReport& t) {
  std::string s = t.disc > 1 ? fmt::format("{}-{}", t.disc, t.number) : fmt::format("{}", t.number);
  return s;
}

struct Counts {
  std::size_t present = 0, near = 0, different = 0, missing = 0;
  void add(Status s) {
    if (s == Status::Present) ++present;
    if (s == Status::Near) ++near;
    if (s == Status::Different) ++different;
    if (s == Status::Missing) ++missing;
  }
};

Counts count(const Report& r) {
  Counts c;
  for (const auto& t : r.tracks) {
    for (const auto& x : t.credits) {
      c.add(x.files.status);
      c.add(x.ddex.status);
    }
    for (const auto& x : t.shares) {
      c.add(x.files.status);
      c.add(x.ddex.status);
    }
  }
  return c;
}

std::string where_text(const Check& c) {
  if (c.where.empty()) return {};
  return c.where.str();
}

} // namespace

// ---------------------------------------------------------------------------------------------------
// JSON

json to_json(const Report& r, const credits::Sheet& sheet) {
  json j = {{"liner", "verify"}, {"version", kReportJsonVersion}};
  j["sheet"] = r.sheet;
  j["release"] = {{"title", sheet.release.title}, {"upc", sheet.release.upc}};
  j["ok"] = r.ok();
  j["problems"] = r.problem_count();
  j["checked"] = {{"files", r.files_checked},
                  {"ddex", r.ddex_checked},
                  {"file_inputs", r.file_inputs},
                  {"ddex_inputs", r.ddex_inputs}};
  j["party"] = r.party.empty() ? json(nullptr) : json(r.party);
  json tracks = json::array();
  for (const auto& t : r.tracks) {
    json tj = {
        {"number", t.number}, {"disc", t.disc}, {"title", t.title}, {"isrc", t.isrc}, {"file", t.file}};
    tj["files"] = {{"status", std::string(to_string(t.in_files))}};
    if (!t.files_where.empty()) tj["files"]["where"] = place_json(t.files_where);
    for (const auto& c : t.files_copies)
      tj["files"]["copies"].push_back(place_json(c));
    tj["ddex"] = {{"status", std::string(to_string(t.in_ddex))}};
    if (!t.ddex_where.empty()) tj["ddex"]["where"] = place_json(t.ddex_where);
    for (const auto& c : t.ddex_copies)
      tj["ddex"]["copies"].push_back(place_json(c));
    json cs = json::array();
    for (const auto& c : t.credits)
      cs.push_back({{"party", c.party},
                    {"name", c.name},
                    {"roles", c.roles},
                    {"instruments", c.instruments},
                    {"files", check_json(c.files)},
                    {"ddex", check_json(c.ddex)}});
    tj["credits"] = cs;
    json ss = json::array();
    for (const auto& s : t.shares) {
      json sj = {{"kind", s.kind},
                 {"party", s.party},
                 {"name", s.name},
                 {"percent", s.percent.str()},
                 {"files", check_json(s.files)},
                 {"ddex", check_json(s.ddex)}};
      if (!s.capacity.empty()) sj["capacity"] = s.capacity;
      ss.push_back(std::move(sj));
    }
    tj["shares"] = ss;
    json es = json::array();
    for (const auto& e : t.extras) {
      json ej = {{"source", std::string(to_string(e.source))},
                 {"kind", e.kind},
                 {"name", e.name},
                 {"where", place_json(e.where)}};
      if (!e.roles.empty()) ej["roles"] = e.roles;
      if (e.percent) ej["percent"] = e.percent->str();
      ej["similar_party"] = e.similar_party.empty() ? json(nullptr) : json(e.similar_party);
      es.push_back(std::move(ej));
    }
    tj["extras"] = es;
    tracks.push_back(std::move(tj));
  }
  j["tracks"] = tracks;
  json strays = json::array();
  for (const auto& s : r.strays)
    strays.push_back({{"source", std::string(to_string(s.source))},
                      {"isrc", s.isrc},
                      {"title", s.title},
                      {"file", s.file},
                      {"number", s.number},
                      {"where", place_json(s.where)}});
  j["stray_tracks"] = strays;
  j["diagnostics"] = diagnostics_json(r.diagnostics);
  return j;
}

// ---------------------------------------------------------------------------------------------------
// Text

std::string render_text(const Report& r, const credits::Sheet& sheet, bool color) {
  auto paint = [&](const char* code, const std::string& s) {
    return color ? fmt::format("\x1b[{}m{}\x1b[0m", code, s) : s;
  };
  auto status_word = [&](Status s) {
    switch (s) {
    case Status::Present:
      return paint("32", "present");
    case Status::Near:
      return paint("33", "near");
    case Status::Different:
      return paint("31", "different");
    case Status::Missing:
      return paint("31;1", "MISSING");
    case Status::NotChecked:
      return paint("2", "not checked");
    }
    return std::string();
  };
  std::string out;
  out += paint("1", fmt::format("liner verify: {}", sheet.release.title)) + "\n";
  if (r.files_checked) out += fmt::format("  audio files: {}\n", join(r.file_inputs));
  if (r.ddex_checked) out += fmt::format("  DDEX: {}\n", join(r.ddex_inputs));
  if (!r.party.empty()) {
    const auto* p = sheet.party(r.party);
    out += fmt::format("  party: {} ({})\n", p ? p->name : r.party, r.party);
  }
  for (const auto& d : r.diagnostics)
    out += fmt::format("  {}: {}: {} [{}]\n", d.location.str(), to_string(d.severity), d.message, d.code);

  auto source_line = [&](const char* label, const Check& c) {
    std::string line = fmt::format("        {:<6} {}", label,
                                   c.status == Status::Present      ? status_word(c.status)
                                   : c.status == Status::NotChecked ? status_word(c.status)
                                   : c.status == Status::Missing
                                       ? status_word(c.status)
                                       : paint(c.status == Status::Near ? "33" : "31", c.summary()));
    if (c.status == Status::Missing && !c.where.empty())
      line += fmt::format("  (looked in {})", c.where.str());
    else if (!c.where.empty())
      line += fmt::format("  at {}", where_text(c));
    return line + "\n";
  };

  for (const auto& t : r.tracks) {
    out += '\n';
    out += paint("1", fmt::format("Track {} · {}", track_label(t), t.title));
    if (!t.isrc.empty()) out += fmt::format(" ({})", t.isrc);
    out += "\n";
    if (r.files_checked)
      out += fmt::format("  file: {}\n", t.in_files == Status::Missing
                                             ? paint("31;1", "MISSING — no audio file for this track")
                                         : t.in_files == Status::NotChecked
                                             ? paint("2", "not among the files given")
                                             : t.files_where.str());
    for (const auto& c : t.files_copies)
      out += fmt::format("  file: {}\n", c.str());
    if (r.ddex_checked)
      out += fmt::format("  ddex: {}\n", t.in_ddex == Status::Missing
                                             ? paint("31;1", "MISSING — not in the message")
                                             : t.ddex_where.str());
    for (const auto& c : t.ddex_copies)
      out += fmt::format("  ddex: {}\n", c.str());
    for (const auto& c : t.credits) {
      bool bad = is_problem(c.files.status) || is_problem(c.ddex.status);
      std::string mark = bad ? paint("31", "✗") : paint("32", "✓");
      std::string what = join(c.roles);
      if (!c.instruments.empty()) what += " · " + join(c.instruments);
      out += fmt::format("  {} {} ({}): {}\n", mark, c.name, c.party, what);
      // With --party every place is listed: "where am I credited".
      if (bad || !r.party.empty()) {
        if (r.files_checked) out += source_line("files", c.files);
        if (r.ddex_checked) out += source_line("ddex", c.ddex);
      }
    }
    for (const auto& s : t.shares) {
      bool bad = is_problem(s.files.status) || is_problem(s.ddex.status);
      std::string mark = bad ? paint("31", "✗") : paint("32", "✓");
      out += fmt::format("  {} {} share {}%: {} ({}){}\n", mark, s.kind, s.percent.str(), s.name, s.party,
                         s.capacity.empty() ? "" : ", " + s.capacity);
      if (bad || !r.party.empty()) {
        if (r.files_checked && s.files.status != Status::NotChecked) out += source_line("files", s.files);
        if (r.ddex_checked && s.ddex.status != Status::NotChecked) out += source_line("ddex", s.ddex);
      }
    }
    for (const auto& e : t.extras) {
      std::string what = e.kind == "credit"
                             ? join(e.roles)
                             : fmt::format("{} share {}%", e.kind, e.percent ? e.percent->str() : "?");
      out += fmt::format("  {} not in the sheet: {} ({}) in {} at {}", paint("31", "+"), e.name, what,
                         to_string(e.source), e.where.str());
      if (!e.similar_party.empty()) out += fmt::format(" — similar to {}", e.similar_party);
      out += "\n";
    }
  }
  for (const auto& s : r.strays)
    out += fmt::format("\n{} track not in the sheet: {} {} in {} at {}\n", paint("31", "+"),
                       s.isrc.empty() ? "-" : s.isrc, s.title, to_string(s.source), s.where.str());
  Counts c = count(r);
  out += "\n";
  if (r.ok())
    out += paint("32;1", fmt::format("all {} checks present and equal", c.present)) + "\n";
  else
    out += paint("31;1",
                 fmt::format(
                     "{} problem{}: {} missing, {} different, {} near, {} extra; {} present",
                     r.problem_count(), r.problem_count() == 1 ? "" : "s", c.missing, c.different, c.near,
                     [&] {
                       std::size_t n = r.strays.size();
                       for (const auto& t : r.tracks)
                         n += t.extras.size();
                       return n;
                     }(),
                     c.present)) +
           "\n";
  return out;
}

// ---------------------------------------------------------------------------------------------------
// HTML

namespace {

constexpr const char* kPalette[] = {"#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#76b7b2",
                                    "#edc948", "#e15759", "#9c755f", "#bab0ac", "#ff9da7"};

const char* css_class(Status s) {
  switch (s) {
  case Status::Present:
    return "ok";
  case Status::Near:
    return "near";
  case Status::Different:
  case Status::Missing:
    return "bad";
  case Status::NotChecked:
    return "na";
  }
  return "na";
}

// The short form of a place inside a cell: the tag field or the XPath (the file is in the title).
std::string short_place(const Place& p) {
  if (!p.field.empty()) return p.field;
  if (!p.xpath.empty()) return p.xpath;
  auto slash = p.file.find_last_of('/');
  return slash == std::string::npos ? p.file : p.file.substr(slash + 1);
}

std::string cell(const Check& c, bool checked, const std::string& sheet_name = {}) {
  if (!checked) return "<td class=\"na\" data-status=\"not-checked\">not checked</td>";
  std::string label = c.status == Status::Present   ? "✓ present"
                      : c.status == Status::Missing ? "✗ missing"
                                                    : c.summary();
  if (c.status == Status::Near)
    label = "≈ " + label;
  else if (c.status == Status::Different)
    label = "✗ " + label;
  std::string out = fmt::format("<td class=\"{}\" data-status=\"{}\"><span class=\"st\">{}</span>",
                                css_class(c.status), to_string(c.status), esc(label));
  if ((c.status == Status::Near || c.status == Status::Different) && !c.observed_name.empty() &&
      c.observed_name != sheet_name) {
    // Both spellings side by side.
    out += "<div class=\"pair\">";
    if (!sheet_name.empty()) out += fmt::format("sheet <q>{}</q> · ", esc(sheet_name));
    out += fmt::format("found <q>{}</q></div>", esc(c.observed_name));
  }
  if (!c.where.empty())
    out += fmt::format("<div class=\"where\" title=\"{}\">{}{}</div>", esc(c.where.str()),
                       c.status == Status::Missing ? "looked in " : "", esc(short_place(c.where)));
  return out + "</td>";
}

std::string bar_chart(const TrackReport& t, const std::string& kind,
                      const std::map<std::string, std::size_t>& colors) {
  std::vector<const ShareRow*> rows;
  for (const auto& s : t.shares)
    if (s.kind == kind) rows.push_back(&s);
  if (rows.empty())
    return fmt::format(
        "<figure class=\"chart\"><figcaption>{} splits: none in the sheet</figcaption></figure>", esc(kind));
  // Widths in thousandths of the bar, from exact decimals.
  std::int64_t total = 0;
  for (const auto* s : rows)
    total += s->percent.units();
  std::string svg = fmt::format(
      "<svg viewBox=\"0 0 1000 40\" preserveAspectRatio=\"none\" role=\"img\" aria-label=\"{} splits\">",
      esc(kind));
  std::int64_t x = 0;
  std::string legend;
  for (const auto* s : rows) {
    std::int64_t w =
        total > 0 ? s->percent.units() * 1000 / std::max<std::int64_t>(total, 100 * Decimal::kOne) : 0;
    const char* col = kPalette[colors.at(s->party) % std::size(kPalette)];
    svg += fmt::format(
        "<rect x=\"{}\" y=\"0\" width=\"{}\" height=\"40\" fill=\"{}\"><title>{} {}%</title></rect>", x, w,
        col, esc(s->name), s->percent.str());
    x += w;
    Status st = is_problem(s->ddex.status) ? s->ddex.status : s->files.status;
    legend += fmt::format("<li class=\"{}\"><span class=\"sw\" style=\"background:{}\"></span>{} {}%{}</li>",
                          is_problem(st) ? "bad" : "", col, esc(s->name), s->percent.str(),
                          s->capacity.empty() ? "" : " (" + esc(s->capacity) + ")");
  }
  svg += "</svg>";
  return fmt::format(
      "<figure class=\"chart\"><figcaption>{} splits</figcaption>{}<ul class=\"legend\">{}</ul></figure>",
      esc(kind), svg, legend);
}

constexpr const char* kCss = R"(
:root{--ok:#d7f5dd;--okf:#11602a;--bad:#fddede;--badf:#9b1111;--near:#fff0c2;--nearf:#7a5300;--na:#eee;--naf:#666}
*{box-sizing:border-box}
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Noto Sans CJK JP","Noto Sans Arabic",sans-serif;margin:0;padding:1rem;color:#1b1b1b;background:#fff}
h1{font-size:1.5rem;margin:.2rem 0}h2{font-size:1.2rem;margin:1.6rem 0 .4rem}h3{font-size:1rem;margin:1rem 0 .3rem}
.summary{padding:.6rem .8rem;border-radius:6px;font-weight:600}
.summary.ok{background:var(--ok);color:var(--okf)}.summary.bad{background:var(--bad);color:var(--badf)}
.meta{color:#555;font-size:.9rem}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch}
table{border-collapse:collapse;width:100%;margin:.4rem 0;font-size:.92rem}
th,td{border:1px solid #ccc;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#f4f4f4}
td.ok{background:var(--ok);color:var(--okf)}td.bad{background:var(--bad);color:var(--badf)}
td.near{background:var(--near);color:var(--nearf)}td.na{background:var(--na);color:var(--naf)}
td.sheet{background:#fff}
.where{font:12px/1.3 ui-monospace,Menlo,Consolas,monospace;color:#444;word-break:break-all;margin-top:.2rem}
.pair q{font-weight:600}
.track{page-break-inside:avoid;break-inside:avoid;border-top:2px solid #ddd;margin-top:1rem}
.charts{display:flex;flex-wrap:wrap;gap:1rem}
figure.chart{margin:.3rem 0;flex:1 1 18rem;min-width:14rem}
figure.chart svg{width:100%;height:28px;display:block;border:1px solid #bbb}
figcaption{font-weight:600;font-size:.9rem;text-transform:capitalize}
ul.legend{list-style:none;padding:0;margin:.3rem 0;font-size:.85rem}
ul.legend li{display:inline-block;margin-right:.8rem}
ul.legend li.bad{color:var(--badf);font-weight:600}
.sw{display:inline-block;width:.8rem;height:.8rem;margin-right:.3rem;vertical-align:-1px;border:1px solid #777}
.extras li,.strays li{color:var(--badf)}
code{word-break:break-all}
@media (max-width:640px){body{padding:.5rem;font-size:14px}table{font-size:.82rem}th,td{padding:.25rem .3rem}
 .where{font-size:11px}td.ok .where{display:none}h1{font-size:1.2rem}}
@media print{body{padding:0;font-size:10pt}*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
 .scroll{overflow:visible}a{color:inherit;text-decoration:none}h2{page-break-after:avoid;break-after:avoid}}
)";

} // namespace

std::string render_html(const Report& r, const credits::Sheet& sheet) {
  std::map<std::string, std::size_t> colors;
  for (std::size_t i = 0; i < sheet.parties.size(); ++i)
    colors[sheet.parties[i].id] = i;
  for (const auto& t : r.tracks)
    for (const auto& s : t.shares)
      if (!colors.count(s.party)) colors[s.party] = colors.size();
  Counts c = count(r);
  std::string h;
  h += "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">";
  h += fmt::format("<title>liner verify: {}</title><style>{}</style></head><body>\n",
                   esc(sheet.release.title), kCss);
  h += fmt::format("<header><h1>Credits check: {}</h1>", esc(sheet.release.title));
  h += fmt::format("<p class=\"meta\">Sheet <code>{}</code>", esc(r.sheet));
  if (r.files_checked) h += fmt::format(" · audio files: <code>{}</code>", esc(join(r.file_inputs)));
  if (r.ddex_checked) h += fmt::format(" · DDEX: <code>{}</code>", esc(join(r.ddex_inputs)));
  if (!r.party.empty()) {
    const auto* p = sheet.party(r.party);
    h += fmt::format(" · only <strong>{}</strong>", esc(p ? p->name : r.party));
  }
  h += "</p>";
  if (r.ok())
    h +=
        fmt::format("<p class=\"summary ok\" id=\"summary\">All {} checks present and equal.</p>", c.present);
  else
    h += fmt::format("<p class=\"summary bad\" id=\"summary\">{} problems: {} missing, {} different, {} near "
                     "matches; {} present.</p>",
                     r.problem_count(), c.missing, c.different, c.near, c.present);
  h += "</header>\n";
  if (!r.diagnostics.empty()) {
    h += "<section><h2>Reading the sources</h2><ul>";
    for (const auto& d : r.diagnostics)
      h += fmt::format("<li>{}: {}: {} <code>[{}]</code></li>", esc(d.location.str()), to_string(d.severity),
                       esc(d.message), esc(d.code));
    h += "</ul></section>";
  }

  h += "<main><h2>By track</h2>\n";
  for (const auto& t : r.tracks) {
    h += fmt::format("<section class=\"track\" id=\"track-{}\"><h3>Track {} · {}{}</h3>", t.index + 1,
                     esc(track_label(t)), esc(t.title),
                     t.isrc.empty() ? "" : " <small>(" + esc(t.isrc) + ")</small>");
    {
      std::string where;
      if (r.files_checked && t.in_files == Status::Present)
        where += fmt::format("Audio file <code>{}</code>", esc(t.files_where.str()));
      for (const auto& c : t.files_copies)
        where += fmt::format(", <code>{}</code>", esc(c.str()));
      if (r.ddex_checked && t.in_ddex == Status::Present)
        where += fmt::format("{}DDEX <code>{}</code>", where.empty() ? "" : " · ", esc(t.ddex_where.str()));
      for (const auto& c : t.ddex_copies)
        where += fmt::format(", <code>{}</code>", esc(c.str()));
      if (!where.empty()) h += "<p class=\"meta\">" + where + "</p>";
    }
    if (r.files_checked && t.in_files == Status::Missing)
      h += "<p class=\"summary bad\">No audio file for this track.</p>";
    if (r.ddex_checked && t.in_ddex == Status::Missing)
      h += "<p class=\"summary bad\">This track is not in the DDEX message.</p>";
    h += "<div class=\"scroll\"><table><thead><tr><th>Credit</th><th>Sheet</th><th>Audio "
         "file</th><th>DDEX</th></tr></thead><tbody>";
    for (const auto& cr : t.credits) {
      std::string what = join(cr.roles);
      if (!cr.instruments.empty()) what += " · " + join(cr.instruments);
      h += fmt::format("<tr data-party=\"{}\"><th scope=\"row\">{}</th><td class=\"sheet\">{}</td>{}{}</tr>",
                       esc(cr.party), esc(cr.name), esc(what), cell(cr.files, r.files_checked, cr.name),
                       cell(cr.ddex, r.ddex_checked, cr.name));
    }
    for (const auto& s : t.shares) {
      h += fmt::format(
          "<tr data-party=\"{}\"><th scope=\"row\">{}</th><td class=\"sheet\">{} share {}%{}</td>{}{}</tr>",
          esc(s.party), esc(s.name), esc(s.kind), s.percent.str(),
          s.capacity.empty() ? "" : " (" + esc(s.capacity) + ")",
          cell(s.files, r.files_checked && s.files.status != Status::NotChecked, s.name),
          cell(s.ddex, r.ddex_checked && s.ddex.status != Status::NotChecked, s.name));
    }
    for (const auto& e : t.extras) {
      std::string what = e.kind == "credit"
                             ? join(e.roles)
                             : fmt::format("{} share {}%", e.kind, e.percent ? e.percent->str() : "?");
      std::string found = fmt::format(
          "<td class=\"bad\" data-status=\"extra\">✗ not in the sheet: {}<div class=\"where\">{}</div></td>",
          esc(what), esc(e.where.str()));
      h += fmt::format(
          "<tr class=\"extra\"><th scope=\"row\">{}{}</th><td class=\"bad\">not in the sheet</td>{}{}</tr>",
          esc(e.name), e.similar_party.empty() ? "" : " <small>(like " + esc(e.similar_party) + ")</small>",
          e.source == Source::Files ? found : "<td class=\"na\"></td>",
          e.source == Source::Ddex ? found : "<td class=\"na\"></td>");
    }
    h += "</tbody></table></div>";
    h += "<div class=\"charts\">" + bar_chart(t, "master", colors) + bar_chart(t, "publishing", colors) +
         "</div>";
    h += "</section>\n";
  }
  if (!r.strays.empty()) {
    h += "<section><h2>Tracks not in the sheet</h2><ul class=\"strays\">";
    for (const auto& s : r.strays)
      h += fmt::format("<li>{} {} in {} at <code>{}</code></li>", esc(s.isrc), esc(s.title),
                       to_string(s.source), esc(s.where.str()));
    h += "</ul></section>";
  }

  // Per party: what each person or company is credited with, where, and with which share.
  h += "<h2>By party</h2>\n";
  for (const auto& p : sheet.parties) {
    std::string rows;
    for (const auto& t : r.tracks) {
      for (const auto& cr : t.credits)
        if (cr.party == p.id)
          rows += fmt::format("<tr><td>{} · {}</td><td class=\"sheet\">{}</td>{}{}</tr>", esc(track_label(t)),
                              esc(t.title), esc(join(cr.roles)), cell(cr.files, r.files_checked, cr.name),
                              cell(cr.ddex, r.ddex_checked, cr.name));
      for (const auto& s : t.shares)
        if (s.party == p.id)
          rows += fmt::format("<tr><td>{} · {}</td><td class=\"sheet\">{} {}%</td>{}{}</tr>",
                              esc(track_label(t)), esc(t.title), esc(s.kind), s.percent.str(),
                              cell(s.files, r.files_checked && s.files.status != Status::NotChecked, s.name),
                              cell(s.ddex, r.ddex_checked && s.ddex.status != Status::NotChecked, s.name));
    }
    if (rows.empty()) continue;
    std::string label = esc(p.name);
    if (!p.latin_name.empty()) label += " <small>(" + esc(p.latin_name) + ")</small>";
    h += fmt::format("<section class=\"party\" id=\"party-{}\"><h3>{}</h3><div "
                     "class=\"scroll\"><table><thead><tr><th>Track</th>"
                     "<th>Sheet</th><th>Audio "
                     "file</th><th>DDEX</th></tr></thead><tbody>{}</tbody></table></div></section>\n",
                     esc(p.id), label, rows);
  }
  h += "</main><footer class=\"meta\"><p>Generated by liner verify (report version "
       "1).</p></footer></body></html>\n";
  return h;
}

} // namespace liner::verify
