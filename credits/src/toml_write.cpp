// The canonical TOML form of a sheet: deterministic, fields in a fixed order, empty optional fields left out.
#include <fmt/format.h>
#include <liner/credits/toml.hpp>

namespace liner::credits {
namespace {

std::string quote(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    switch (c) {
    case '"':
      out += "\\\"";
      break;
    case '\\':
      out += "\\\\";
      break;
    case '\n':
      out += "\\n";
      break;
    case '\t':
      out += "\\t";
      break;
    case '\r':
      out += "\\r";
      break;
    default:
      if (c < 0x20 || c == 0x7F)
        out += fmt::format("\\u{:04X}", c);
      else
        out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

std::string key(std::string_view k) {
  bool bare = !k.empty();
  for (char c : k)
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
      bare = false;
  return bare ? std::string(k) : quote(k);
}

std::string list(const std::vector<std::string>& v) {
  std::string out = "[";
  for (std::size_t i = 0; i < v.size(); ++i)
    out += (i ? ", " : "") + quote(v[i]);
  return out + "]";
}

std::string terms(const std::vector<Term>& v) {
  std::vector<std::string> s;
  for (const auto& t : v)
    s.push_back(t.str());
  return list(s);
}

class Writer {
public:
  std::string out;

  void str(std::string_view k, const std::string& v) {
    if (!v.empty()) out += fmt::format("{} = {}\n", k, quote(v));
  }
  void strs(std::string_view k, const std::vector<std::string>& v) {
    if (!v.empty()) out += fmt::format("{} = {}\n", k, list(v));
  }
  void date(std::string_view k, const std::string& v) {
    if (v.empty()) return;
    out += fmt::format("{} = {}\n", k, is_valid_date(v) ? v : quote(v));
  }
  void line(std::string_view k, const std::optional<CopyrightLine>& l) {
    if (!l) return;
    out += fmt::format("{} = {{ year = {}, owner = {} }}\n", k, l->year, quote(l->owner));
  }

  void credit(std::string_view header, const Credit& c) {
    out += fmt::format("\n[[{}]]\n", header);
    str("party", c.party);
    out += fmt::format("roles = {}\n", terms(c.roles));
    if (!c.instruments.empty()) out += fmt::format("instruments = {}\n", terms(c.instruments));
    if (c.hours) out += fmt::format("hours = {}\n", decimal(*c.hours));
    strs("deliverables", c.deliverables);
    if (c.tier != Tier::Unspecified) str("tier", std::string(to_string(c.tier)));
    strs("contributions", c.contributions);
  }

  static std::string decimal(Decimal d) {
    std::string s = d.str();
    return s;
  }

  static std::string date_value(const std::string& v) { return is_valid_date(v) ? v : quote(v); }

  // [[agreements]]: every term the model has; defaults left out.
  void agreement(const Agreement& a) {
    out += "\n[[agreements]]\n";
    str("party", a.party);
    if (!a.tracks.empty()) {
      out += "tracks = [";
      for (std::size_t i = 0; i < a.tracks.size(); ++i)
        out += fmt::format("{}{}", i ? ", " : "", a.tracks[i]);
      out += "]\n";
    }
    out += fmt::format("base = {}\n", quote(to_string(a.base)));
    out += fmt::format("rate = {}\n", decimal(a.rate));
    if (!a.unit_price.is_zero()) out += fmt::format("unit_price = {}\n", decimal(a.unit_price));
    if (!a.escalations.empty()) {
      out += "escalations = [\n";
      for (const Escalation& e : a.escalations) {
        out += fmt::format("  {{ metric = {}", quote(to_string(e.metric)));
        if (e.metric == Metric::Date)
          out += fmt::format(", date = {}", date_value(e.date));
        else
          out += fmt::format(", threshold = {}", decimal(e.threshold));
        out += fmt::format(", rate = {}, mode = {} }},\n", decimal(e.rate), quote(to_string(e.mode)));
      }
      out += "]\n";
    }
    if (!a.streams_per_unit.is_zero())
      out += fmt::format("streams_per_unit = {}\n", decimal(a.streams_per_unit));
    if (a.proration)
      out += fmt::format("proration = {{ produced = {}, total = {} }}\n", a.proration->produced,
                         a.proration->total);
    if (!a.advance.is_zero()) out += fmt::format("advance = {}\n", decimal(a.advance));
    if (a.recoupment)
      out += fmt::format("recoupment = {{ method = {}, costs = {}, artist_rate = {} }}\n",
                         quote(to_string(a.recoupment->method)), decimal(a.recoupment->costs),
                         decimal(a.recoupment->artist_rate));
    if (!a.record_one) out += "record_one = false\n";
    date("lock_in_until", a.lock_in_until);
    if (a.vesting)
      out += fmt::format("vesting = {{ start = {}, months = {}, cliff = {} }}\n",
                         date_value(a.vesting->start), a.vesting->months, a.vesting->cliff);
    if (a.frequency != Frequency::Quarterly)
      out += fmt::format("frequency = {}\n", quote(to_string(a.frequency)));
    str("currency", a.currency);
    if (!a.withholding.is_zero()) out += fmt::format("withholding = {}\n", decimal(a.withholding));
    strs("contributions", a.contributions);
    str("notes", a.notes);
  }

  void shares(std::string_view k, const std::vector<Share>& v) {
    if (v.empty()) return;
    out += fmt::format("{} = [\n", k);
    for (const Share& s : v) {
      out += fmt::format("  {{ party = {}, share = {}", quote(s.party), decimal(s.percent));
      if (s.capacity != Capacity::Unspecified)
        out += fmt::format(", capacity = {}", quote(to_string(s.capacity)));
      out += " },\n";
    }
    out += "]\n";
  }
};

} // namespace

std::string write_agreements_toml(const std::vector<Agreement>& agreements) {
  Writer w;
  for (const Agreement& a : agreements)
    w.agreement(a);
  return w.out.size() > 0 && w.out[0] == '\n' ? w.out.substr(1) : w.out;
}

std::string write_sheet_toml(const Sheet& s) {
  Writer w;
  w.out = "# liner attribution sheet (format: docs/sheet-format.md)\nsheet_version = 1\n";

  const Release& r = s.release;
  w.out += "\n[release]\n";
  w.str("title", r.title);
  w.str("type", r.type);
  w.str("upc", r.upc);
  w.str("grid", r.grid);
  w.str("catalog_number", r.catalog_number);
  w.str("label", r.label);
  w.str("distributor", r.distributor);
  w.strs("artists", r.artists);
  w.date("release_date", r.release_date);
  w.str("genre", r.genre);
  w.line("p_line", r.p_line);
  w.line("c_line", r.c_line);
  w.str("parental_warning", r.parental_warning);
  for (const Credit& c : r.credits)
    w.credit("release.credits", c);

  if (s.delivery.present) {
    w.out += "\n[delivery]\n";
    w.str("sender", s.delivery.sender);
    w.strs("recipients", s.delivery.recipients);
    w.str("message_control", s.delivery.message_control);
    w.str("language", s.delivery.language);
  }
  for (const Deal& d : s.deals) {
    w.out += "\n[[deals]]\n";
    w.strs("territories", d.territories);
    w.date("start_date", d.start_date);
    w.strs("commercial_models", d.commercial_models);
    w.strs("use_types", d.use_types);
  }

  for (const Party& p : s.parties) {
    w.out += fmt::format("\n[parties.{}]\n", key(p.id));
    w.str("name", p.name);
    w.str("latin_name", p.latin_name);
    w.str("kind", std::string(to_string(p.kind)));
    w.str("isni", p.isni);
    w.str("ipi", p.ipi);
    w.str("ipn", p.ipn);
    w.str("dpid", p.dpid);
    w.str("notes", p.notes);
  }

  for (const Track& t : s.tracks) {
    w.out += "\n[[tracks]]\n";
    w.out += fmt::format("number = {}\n", t.number);
    if (t.disc != 1) w.out += fmt::format("disc = {}\n", t.disc);
    w.str("title", t.title);
    w.str("version", t.version);
    w.str("isrc", t.isrc);
    w.str("iswc", t.iswc);
    w.str("duration", t.duration);
    w.str("file", t.file);
    w.strs("artists", t.artists);
    w.strs("featured", t.featured);
    if (t.explicit_content) w.out += fmt::format("explicit = {}\n", *t.explicit_content);
    w.shares("master", t.master);
    w.shares("publishing", t.publishing);
    for (const Credit& c : t.credits)
      w.credit("tracks.credits", c);
  }
  for (const Agreement& a : s.agreements)
    w.agreement(a);
  return w.out;
}

} // namespace liner::credits

namespace liner::credits {

std::string sheet_template() {
  return R"(# liner attribution sheet: who did what on each track, and the agreed splits.
# Fill in every "" below, add one [parties.<id>] per person or company and one [[tracks]] per track,
# then run `liner sheet check this-file.toml`. Every field is described in docs/sheet-format.md.
sheet_version = 1

[release]
title = ""                      # as it will appear in stores
type = "Single"                 # DDEX ReleaseType: Single, EP, Album, ...
upc = ""                        # UPC-A (12 digits) or EAN-13, e.g. "036000291452"
catalog_number = ""             # optional
label = "label"                 # a party id from [parties] below
artists = ["artist"]            # main artist(s), party ids
release_date = 2026-01-01       # YYYY-MM-DD
genre = ""
p_line = { year = 2026, owner = "" }   # (P) sound recording copyright
c_line = { year = 2026, owner = "" }   # (C) artwork/text copyright
parental_warning = "NotExplicit"       # or "Explicit"

# Credits that apply to every track, e.g. the mastering engineer.
[[release.credits]]
party = "mastering"
roles = ["mastering engineer"]

[parties.artist]
name = ""                       # as credited, in any script; add latin_name = "" for another script
kind = "person"                 # person or organization
isni = ""                       # optional: 16 characters, e.g. "0000 0001 2281 955X"
ipi = ""                        # optional: IPI name number (writers, publishers)

[parties.producer]
name = ""
kind = "person"

[parties.mastering]
name = ""
kind = "person"

[parties.label]
name = ""
kind = "organization"
dpid = ""                       # optional: DDEX party id, e.g. "PADPIDA2013020802I"

[[tracks]]
number = 1
title = ""
isrc = ""                       # e.g. "US-SKG-19-12345"
duration = "PT3M30S"            # ISO 8601
file = ""                       # the audio master, relative to this sheet
# Master shares (the recording) and publishing shares (the song) each sum to exactly 100.
master = [
  { party = "label", share = 50 },
  { party = "artist", share = 50 },
]
publishing = [
  { party = "artist", share = 50, capacity = "writer" },
  { party = "producer", share = 50, capacity = "writer" },
]

[[tracks.credits]]
party = "artist"
roles = ["vocals", "songwriter"]  # what people type is fine: see docs/roles.md

[[tracks.credits]]
party = "producer"
roles = ["producer", "songwriter"]
instruments = ["synthesizer"]
hours = 40                        # optional: hours contributed
deliverables = ["Stems"]          # optional
tier = "primary"                  # primary, co, additional or assistant
)";
}

} // namespace liner::credits
