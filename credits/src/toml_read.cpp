// Reading the sheet's TOML form into the model, with a diagnostic (and a position) for every problem.
#include "strings.hpp"
#include "toml_number.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <fstream>
#include <initializer_list>
#include <liner/credits/error.hpp>
#include <liner/credits/roles.hpp>
#include <liner/credits/toml.hpp>
#include <sstream>
#include <toml++/toml.h>

namespace liner::credits {
namespace {

using detail::nearest;

// Key sets of each table, in canonical order (also the order toml_write.cpp emits).
constexpr std::string_view kTopKeys[] = {"sheet_version", "release", "parties",   "tracks",
                                         "delivery",      "deals",   "agreements"};
constexpr std::string_view kReleaseKeys[] = {
    "title",        "type",  "upc",    "grid",   "catalog_number",   "label",  "distributor", "artists",
    "release_date", "genre", "p_line", "c_line", "parental_warning", "credits"};
constexpr std::string_view kLineKeys[] = {"year", "owner"};
constexpr std::string_view kPartyKeys[] = {"name", "latin_name", "kind", "isni",
                                           "ipi",  "ipn",        "dpid", "notes"};
constexpr std::string_view kTrackKeys[] = {"number",   "disc",     "title",  "version",   "isrc",
                                           "iswc",     "duration", "file",   "artists",   "featured",
                                           "explicit", "credits",  "master", "publishing"};
constexpr std::string_view kCreditKeys[] = {"party",        "roles", "instruments",  "hours",
                                            "deliverables", "tier",  "contributions"};
constexpr std::string_view kShareKeys[] = {"party", "share", "capacity"};
constexpr std::string_view kDeliveryKeys[] = {"sender", "recipients", "message_control", "language"};
constexpr std::string_view kDealKeys[] = {"territories", "start_date", "commercial_models", "use_types"};
constexpr std::string_view kAgreementKeys[] = {
    "party",       "tracks",           "base",      "rate",      "unit_price",
    "escalations", "streams_per_unit", "proration", "advance",   "recoupment",
    "record_one",  "lock_in_until",    "vesting",   "frequency", "currency",
    "withholding", "contributions",    "notes"};
constexpr std::string_view kEscalationKeys[] = {"metric", "threshold", "date", "rate", "mode"};
constexpr std::string_view kRecoupmentKeys[] = {"method", "costs", "artist_rate"};
constexpr std::string_view kProrationKeys[] = {"produced", "total"};
constexpr std::string_view kVestingKeys[] = {"start", "months", "cliff"};

constexpr int kSheetVersion = 1;

std::string type_name(const toml::node& n) {
  switch (n.type()) {
  case toml::node_type::table:
    return "a table";
  case toml::node_type::array:
    return "an array";
  case toml::node_type::string:
    return "a string";
  case toml::node_type::integer:
    return "an integer";
  case toml::node_type::floating_point:
    return "a number with decimals";
  case toml::node_type::boolean:
    return "a boolean";
  case toml::node_type::date:
    return "a date";
  case toml::node_type::time:
    return "a time";
  case toml::node_type::date_time:
    return "a date-time";
  default:
    return "nothing";
  }
}

class Reader {
public:
  Reader(std::string_view text, const std::string& path, LoadResult& out)
      : text_(text), path_(path), out_(out), d_(out.diagnostics), where_(out.sheet.where) {
    where_.set_file(path);
    out.sheet.path = path;
  }

  void run() {
    if (text_.size() > kMaxSheetBytes) {
      d_.error("file-too-large",
               fmt::format("the sheet is {} bytes; the limit is {} bytes", text_.size(), kMaxSheetBytes),
               file_loc());
      return;
    }
    if (text_.find('\0') != std::string_view::npos) {
      d_.error("not-text", "the file contains NUL bytes: it is not a TOML text file", file_loc());
      return;
    }
    if (!valid_utf8(text_)) {
      d_.error("invalid-utf8", "the file is not valid UTF-8", first_invalid_utf8_loc(),
               "save the sheet as UTF-8");
      return;
    }
    std::string_view body = text_;
    if (body.substr(0, 3) == "\xEF\xBB\xBF") body.remove_prefix(3); // tolerate a BOM
    split_lines(body);
    toml::table root;
    try {
      root = toml::parse(body, path_);
    } catch (const toml::parse_error& e) {
      Location l = file_loc();
      l.line = e.source().begin.line;
      l.column = e.source().begin.column;
      d_.error("toml-syntax", std::string(e.description()), l);
      return;
    }
    if (root.empty()) {
      d_.error("empty-sheet", "the sheet is empty", file_loc(), "start from `liner sheet new`");
      return;
    }
    read_root(root);
  }

private:
  // ---- locations -------------------------------------------------------------------------------
  Location file_loc() const {
    Location l;
    l.file = path_;
    return l;
  }
  Location loc(const toml::source_region& r) const {
    Location l = file_loc();
    l.line = r.begin.line;
    l.column = r.begin.column;
    return l;
  }
  Location loc(const toml::node& n) const { return loc(n.source()); }
  Location first_invalid_utf8_loc() const {
    Location l = file_loc();
    std::uint32_t line = 1;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= text_.size(); ++i) {
      if (i == text_.size() || text_[i] == '\n') {
        if (!valid_utf8(text_.substr(start, i - start))) {
          l.line = line;
          l.column = 1;
          return l;
        }
        ++line;
        start = i + 1;
      }
    }
    return l;
  }
  void record(const std::string& path, const toml::node& n) { where_.set(path, loc(n)); }

  void split_lines(std::string_view body) {
    std::size_t start = 0;
    for (std::size_t i = 0; i <= body.size(); ++i)
      if (i == body.size() || body[i] == '\n') {
        lines_.push_back(body.substr(start, i - start));
        start = i + 1;
      }
  }

  // ---- generic helpers ---------------------------------------------------------------------------
  void check_keys(const toml::table& t, std::span<const std::string_view> known, const std::string& where) {
    for (auto&& [k, v] : t) {
      std::string_view key = k.str();
      if (std::find(known.begin(), known.end(), key) != known.end()) continue;
      std::string hint;
      if (auto best = nearest(key, known); !best.empty())
        hint = fmt::format("did you mean '{}'?", best);
      else
        hint = fmt::format("known keys here: {}", fmt::join(known, ", "));
      d_.error("unknown-key", fmt::format("unknown key '{}' in {}", key, where), loc(k.source()), hint);
    }
  }

  void wrong_type(const toml::node& n, const std::string& what, std::string_view expected) {
    d_.error("wrong-type", fmt::format("{} must be {}, not {}", what, expected, type_name(n)), loc(n));
  }

  bool get_string(const toml::table& t, std::string_view key, const std::string& path, std::string& out,
                  bool normalise = true) {
    const toml::node* n = t.get(key);
    if (!n) return false;
    record(path, *n);
    if (auto s = n->value<std::string>(); s && n->is_string()) {
      out = normalise ? nfc(*s) : *s;
      return true;
    }
    wrong_type(*n, fmt::format("'{}'", key), "a string");
    return false;
  }

  bool get_int(const toml::table& t, std::string_view key, const std::string& path, int& out) {
    const toml::node* n = t.get(key);
    if (!n) return false;
    record(path, *n);
    if (n->is_integer()) {
      auto v = n->as_integer()->get();
      if (v < -1'000'000 || v > 1'000'000) {
        d_.error("out-of-range", fmt::format("'{}' = {} is out of range", key, v), loc(*n));
        return false;
      }
      out = static_cast<int>(v);
      return true;
    }
    wrong_type(*n, fmt::format("'{}'", key), "a whole number");
    return false;
  }

  bool get_bool(const toml::table& t, std::string_view key, const std::string& path, bool& out) {
    const toml::node* n = t.get(key);
    if (!n) return false;
    record(path, *n);
    if (n->is_boolean()) {
      out = n->as_boolean()->get();
      return true;
    }
    wrong_type(*n, fmt::format("'{}'", key), "true or false");
    return false;
  }

  // Accepts 50, 33.33 and "33.33". Reports more than 6 decimals precisely.
  std::optional<Decimal> get_decimal(const toml::table& t, std::string_view key, const std::string& path) {
    const toml::node* n = t.get(key);
    if (!n) return std::nullopt;
    record(path, *n);
    std::string text;
    if (n->is_integer() || n->is_floating_point())
      text = detail::raw_number(lines_, *n);
    else if (n->is_string())
      text = std::string(detail::trim(n->as_string()->get()));
    else {
      wrong_type(*n, fmt::format("'{}'", key), "a number such as 50, 33.33 or \"33.33\"");
      return std::nullopt;
    }
    int decimals = 0;
    std::optional<Decimal> d = Decimal::parse(text, &decimals);
    if (d) return d;
    if (decimals > Decimal::kScale) {
      // Keep the value rounded to 6 places so that one typo does not cascade into "shares do not sum".
      auto dot = text.find('.');
      bool up = text[dot + Decimal::kScale + 1] >= '5';
      if (auto cut = Decimal::parse(text.substr(0, dot + Decimal::kScale + 1)))
        d = *cut + Decimal::from_units(up ? (cut->is_negative() ? -1 : 1) : 0);
      d_.error("too-many-decimals",
               fmt::format("'{}' = {} has {} decimals; at most {} are allowed", key, text, decimals,
                           Decimal::kScale),
               loc(*n), "DDEX carries shares with at most 6 decimals");
      return d;
    }
    d_.error("invalid-number", fmt::format("'{}' = {} is not a decimal number", key, text), loc(*n),
             "write it like 50, 33.33 or \"33.33\" (no exponent, no thousands separator)");
    return std::nullopt;
  }

  // A string array; a single string is accepted as a one-element array.
  bool get_strings(const toml::table& t, std::string_view key, const std::string& path,
                   std::vector<std::string>& out) {
    const toml::node* n = t.get(key);
    if (!n) return false;
    record(path, *n);
    out.clear();
    if (n->is_string()) {
      out.push_back(nfc(n->as_string()->get()));
      return true;
    }
    const toml::array* a = n->as_array();
    if (!a) {
      wrong_type(*n, fmt::format("'{}'", key), "a list of strings");
      return false;
    }
    for (std::size_t i = 0; i < a->size(); ++i) {
      const toml::node& e = *a->get(i);
      record(fmt::format("{}[{}]", path, i), e);
      if (!e.is_string()) {
        wrong_type(e, fmt::format("each item of '{}'", key), "a string");
        continue;
      }
      out.push_back(nfc(e.as_string()->get()));
    }
    return true;
  }

  // A date: TOML local date or "YYYY-MM-DD" string; stored as text (validated by the sheet rules).
  bool get_date(const toml::table& t, std::string_view key, const std::string& path, std::string& out) {
    const toml::node* n = t.get(key);
    if (!n) return false;
    record(path, *n);
    if (const auto* dv = n->as_date()) {
      const toml::date& dt = dv->get();
      out = fmt::format("{:04}-{:02}-{:02}", dt.year, dt.month, dt.day);
      return true;
    }
    if (n->is_string()) {
      out = std::string(detail::trim(n->as_string()->get()));
      return true;
    }
    wrong_type(*n, fmt::format("'{}'", key), "a date such as 2026-03-13");
    return false;
  }

  const toml::table* sub_table(const toml::table& t, std::string_view key, const std::string& what) {
    const toml::node* n = t.get(key);
    if (!n) return nullptr;
    if (const toml::table* s = n->as_table()) return s;
    wrong_type(*n, what, "a table");
    return nullptr;
  }

  // Each element of an array of tables, with its index.
  template <class F>
  void each_table(const toml::table& t, std::string_view key, const std::string& path, F&& f) {
    const toml::node* n = t.get(key);
    if (!n) return;
    record(path, *n);
    const toml::array* a = n->as_array();
    if (!a) {
      wrong_type(*n, fmt::format("'{}'", key), fmt::format("an array of tables ([[{}]])", key));
      return;
    }
    for (std::size_t i = 0; i < a->size(); ++i) {
      const toml::node& e = *a->get(i);
      std::string p = fmt::format("{}[{}]", path, i);
      record(p, e);
      if (const toml::table* et = e.as_table())
        f(*et, p, i);
      else
        wrong_type(e, fmt::format("each item of '{}'", key), "a table");
    }
  }

  // ---- the sheet ----------------------------------------------------------------------------------
  void read_root(const toml::table& root) {
    check_keys(root, kTopKeys, "the sheet");
    Sheet& s = out_.sheet;
    int version = kSheetVersion;
    if (get_int(root, "sheet_version", "sheet_version", version) && version != kSheetVersion)
      d_.error("unsupported-version",
               fmt::format("sheet_version {} is not supported; this liner reads version {}", version,
                           kSheetVersion),
               where_.at("sheet_version"));
    if (const toml::table* r = sub_table(root, "release", "[release]")) {
      record("release", *r);
      read_release(*r, s.release);
    } else if (!root.contains("release")) {
      d_.error("missing-release", "the sheet has no [release] table", file_loc());
    }
    if (const toml::table* parties = sub_table(root, "parties", "[parties]")) {
      record("parties", *parties);
      // toml++ iterates keys sorted; keep the file's order of parties instead.
      std::vector<std::pair<const toml::key*, const toml::node*>> ordered;
      for (auto&& [k, v] : *parties)
        ordered.emplace_back(&k, &v);
      std::stable_sort(ordered.begin(), ordered.end(), [](const auto& a, const auto& b) {
        auto pa = a.first->source().begin, pb = b.first->source().begin;
        return pa.line != pb.line ? pa.line < pb.line : pa.column < pb.column;
      });
      for (auto [kp, vp] : ordered) {
        const toml::key& k = *kp;
        const toml::node& v = *vp;
        std::string id(k.str());
        std::string p = "parties." + id;
        where_.set(p, loc(k.source()));
        const toml::table* pt = v.as_table();
        if (!pt) {
          wrong_type(v, fmt::format("party '{}'", id), "a table ([parties." + id + "])");
          continue;
        }
        read_party(*pt, id, p);
      }
    }
    each_table(root, "tracks", "tracks", [&](const toml::table& t, const std::string& p, std::size_t) {
      s.tracks.emplace_back();
      read_track(t, p, s.tracks.back());
    });
    if (const toml::table* dl = sub_table(root, "delivery", "[delivery]")) {
      record("delivery", *dl);
      check_keys(*dl, kDeliveryKeys, "[delivery]");
      s.delivery.present = true;
      get_string(*dl, "sender", "delivery.sender", s.delivery.sender);
      get_strings(*dl, "recipients", "delivery.recipients", s.delivery.recipients);
      get_string(*dl, "message_control", "delivery.message_control", s.delivery.message_control);
      get_string(*dl, "language", "delivery.language", s.delivery.language);
    }
    each_table(root, "deals", "deals", [&](const toml::table& t, const std::string& p, std::size_t) {
      check_keys(t, kDealKeys, "[[deals]]");
      Deal deal;
      get_strings(t, "territories", p + ".territories", deal.territories);
      get_date(t, "start_date", p + ".start_date", deal.start_date);
      get_strings(t, "commercial_models", p + ".commercial_models", deal.commercial_models);
      get_strings(t, "use_types", p + ".use_types", deal.use_types);
      s.deals.push_back(std::move(deal));
    });
    each_table(root, "agreements", "agreements",
               [&](const toml::table& t, const std::string& p, std::size_t) {
                 s.agreements.push_back(read_agreement(t, p));
               });
  }

  // An enumerated term such as base = "per_unit": parsed by `parse`, else an invalid-value diagnostic.
  template <class E, class P>
  void get_enum(const toml::table& t, std::string_view key, const std::string& path, E& out, P parse,
                std::string_view allowed) {
    std::string v;
    if (!get_string(t, key, path, v)) return;
    if (auto e = parse(detail::lower(v)))
      out = *e;
    else
      d_.error("invalid-value", fmt::format("{} '{}' must be one of {}", key, v, allowed), where_.at(path));
  }

  // [[agreements]]: backend terms (agreements.hpp; docs/splits.md).
  Agreement read_agreement(const toml::table& t, const std::string& p) {
    check_keys(t, kAgreementKeys, "[[agreements]]");
    Agreement a;
    if (!get_string(t, "party", p + ".party", a.party) && !t.contains("party"))
      d_.error("missing-field", "an agreement needs 'party'", where_.at(p));
    if (const toml::node* n = t.get("tracks")) {
      record(p + ".tracks", *n);
      if (const toml::array* arr = n->as_array()) {
        for (std::size_t i = 0; i < arr->size(); ++i) {
          const toml::node& e = *arr->get(i);
          record(fmt::format("{}.tracks[{}]", p, i), e);
          if (e.is_integer() && e.as_integer()->get() > 0 && e.as_integer()->get() <= 1'000'000)
            a.tracks.push_back(static_cast<int>(e.as_integer()->get()));
          else
            wrong_type(e, "each item of 'tracks'", "a track number");
        }
      } else {
        wrong_type(*n, "'tracks'", "a list of track numbers");
      }
    }
    get_enum(t, "base", p + ".base", a.base, parse_rate_base, "share, gross, net, per_unit");
    if (auto d = get_decimal(t, "rate", p + ".rate"))
      a.rate = *d;
    else if (!t.contains("rate") && !t.contains("contributions"))
      d_.error("missing-field", "an agreement needs 'rate' (a percentage)", where_.at(p));
    if (auto d = get_decimal(t, "unit_price", p + ".unit_price")) a.unit_price = *d;
    each_table(
        t, "escalations", p + ".escalations", [&](const toml::table& et, const std::string& ep, std::size_t) {
          check_keys(et, kEscalationKeys, "an escalation");
          Escalation e;
          get_enum(et, "metric", ep + ".metric", e.metric, parse_metric, "units, streams, revenue, date");
          if (auto d = get_decimal(et, "threshold", ep + ".threshold")) e.threshold = *d;
          get_date(et, "date", ep + ".date", e.date);
          if (!et.contains("metric") && et.contains("date")) e.metric = Metric::Date;
          if (e.metric == Metric::Date ? !et.contains("date") : !et.contains("threshold"))
            d_.error("missing-field",
                     e.metric == Metric::Date ? "a date escalation needs 'date'"
                                              : "an escalation needs 'threshold'",
                     where_.at(ep));
          if (auto d = get_decimal(et, "rate", ep + ".rate"))
            e.rate = *d;
          else if (!et.contains("rate"))
            d_.error("missing-field", "an escalation needs 'rate'", where_.at(ep));
          get_enum(et, "mode", ep + ".mode", e.mode, parse_escalation_mode, "prospective, retroactive");
          a.escalations.push_back(e);
        });
    if (auto d = get_decimal(t, "streams_per_unit", p + ".streams_per_unit")) a.streams_per_unit = *d;
    if (const toml::table* pt = sub_table(t, "proration", "'proration'")) {
      record(p + ".proration", *pt);
      check_keys(*pt, kProrationKeys, "'proration'");
      Proration pr;
      get_int(*pt, "produced", p + ".proration.produced", pr.produced);
      get_int(*pt, "total", p + ".proration.total", pr.total);
      a.proration = pr;
    }
    if (auto d = get_decimal(t, "advance", p + ".advance")) a.advance = *d;
    if (const toml::table* rt = sub_table(t, "recoupment", "'recoupment'")) {
      record(p + ".recoupment", *rt);
      check_keys(*rt, kRecoupmentKeys, "'recoupment'");
      Recoupment r;
      get_enum(*rt, "method", p + ".recoupment.method", r.method, parse_recoup_method, "combined, net");
      if (auto d = get_decimal(*rt, "costs", p + ".recoupment.costs")) r.costs = *d;
      if (auto d = get_decimal(*rt, "artist_rate", p + ".recoupment.artist_rate")) r.artist_rate = *d;
      a.recoupment = r;
    }
    get_bool(t, "record_one", p + ".record_one", a.record_one);
    get_date(t, "lock_in_until", p + ".lock_in_until", a.lock_in_until);
    if (const toml::table* vt = sub_table(t, "vesting", "'vesting'")) {
      record(p + ".vesting", *vt);
      check_keys(*vt, kVestingKeys, "'vesting'");
      Vesting v;
      get_date(*vt, "start", p + ".vesting.start", v.start);
      get_int(*vt, "months", p + ".vesting.months", v.months);
      get_int(*vt, "cliff", p + ".vesting.cliff", v.cliff);
      a.vesting = v;
    }
    get_enum(t, "frequency", p + ".frequency", a.frequency, parse_frequency,
             "monthly, quarterly, semiannual, annual");
    get_string(t, "currency", p + ".currency", a.currency, false);
    if (auto d = get_decimal(t, "withholding", p + ".withholding")) a.withholding = *d;
    get_strings(t, "contributions", p + ".contributions", a.contributions);
    get_string(t, "notes", p + ".notes", a.notes);
    return a;
  }

  void read_line(const toml::table& t, std::string_view key, const std::string& path,
                 std::optional<CopyrightLine>& out) {
    const toml::table* lt = sub_table(t, key, fmt::format("'{}'", key));
    if (!lt) return;
    record(path, *lt);
    check_keys(*lt, kLineKeys, fmt::format("'{}'", key));
    CopyrightLine l;
    get_int(*lt, "year", path + ".year", l.year);
    get_string(*lt, "owner", path + ".owner", l.owner);
    out = l;
  }

  void read_release(const toml::table& t, Release& r) {
    check_keys(t, kReleaseKeys, "[release]");
    get_string(t, "title", "release.title", r.title);
    get_string(t, "type", "release.type", r.type);
    get_string(t, "upc", "release.upc", r.upc, false);
    get_string(t, "grid", "release.grid", r.grid, false);
    get_string(t, "catalog_number", "release.catalog_number", r.catalog_number);
    get_string(t, "label", "release.label", r.label);
    get_string(t, "distributor", "release.distributor", r.distributor);
    get_strings(t, "artists", "release.artists", r.artists);
    get_date(t, "release_date", "release.release_date", r.release_date);
    get_string(t, "genre", "release.genre", r.genre);
    read_line(t, "p_line", "release.p_line", r.p_line);
    read_line(t, "c_line", "release.c_line", r.c_line);
    get_string(t, "parental_warning", "release.parental_warning", r.parental_warning);
    each_table(t, "credits", "release.credits",
               [&](const toml::table& ct, const std::string& p, std::size_t) {
                 r.credits.push_back(read_credit(ct, p));
               });
  }

  void read_party(const toml::table& t, const std::string& id, const std::string& path) {
    check_keys(t, kPartyKeys, fmt::format("[parties.{}]", id));
    Party p;
    p.id = id;
    get_string(t, "name", path + ".name", p.name);
    get_string(t, "latin_name", path + ".latin_name", p.latin_name);
    std::string kind;
    if (get_string(t, "kind", path + ".kind", kind)) {
      if (auto k = parse_party_kind(kind))
        p.kind = *k;
      else
        d_.error("invalid-value", fmt::format("kind '{}' must be \"person\" or \"organization\"", kind),
                 where_.at(path + ".kind"));
    }
    get_string(t, "isni", path + ".isni", p.isni, false);
    get_string(t, "ipi", path + ".ipi", p.ipi, false);
    get_string(t, "ipn", path + ".ipn", p.ipn, false);
    get_string(t, "dpid", path + ".dpid", p.dpid, false);
    get_string(t, "notes", path + ".notes", p.notes);
    out_.sheet.parties.push_back(std::move(p));
  }

  void read_track(const toml::table& t, const std::string& path, Track& tr) {
    check_keys(t, kTrackKeys, "[[tracks]]");
    get_int(t, "number", path + ".number", tr.number);
    get_int(t, "disc", path + ".disc", tr.disc);
    get_string(t, "title", path + ".title", tr.title);
    get_string(t, "version", path + ".version", tr.version);
    get_string(t, "isrc", path + ".isrc", tr.isrc, false);
    get_string(t, "iswc", path + ".iswc", tr.iswc, false);
    get_string(t, "duration", path + ".duration", tr.duration, false);
    get_string(t, "file", path + ".file", tr.file, false);
    get_strings(t, "artists", path + ".artists", tr.artists);
    get_strings(t, "featured", path + ".featured", tr.featured);
    bool ex = false;
    if (get_bool(t, "explicit", path + ".explicit", ex)) tr.explicit_content = ex;
    each_table(t, "credits", path + ".credits",
               [&](const toml::table& ct, const std::string& p, std::size_t) {
                 tr.credits.push_back(read_credit(ct, p));
               });
    read_shares(t, "master", path + ".master", tr.master, false);
    read_shares(t, "publishing", path + ".publishing", tr.publishing, true);
  }

  std::vector<Term> read_terms(const toml::table& t, std::string_view key, const std::string& path,
                               bool roles) {
    std::vector<std::string> raw;
    std::vector<Term> out;
    if (!get_strings(t, key, path, raw)) return out;
    for (std::size_t i = 0; i < raw.size(); ++i) {
      TermLookup r = roles ? resolve_role(raw[i]) : resolve_instrument(raw[i]);
      std::string p = fmt::format("{}[{}]", path, i);
      if (r.term) {
        if (std::find(out.begin(), out.end(), *r.term) == out.end()) out.push_back(*r.term);
        continue;
      }
      std::string hint;
      if (!r.suggestions.empty())
        hint = fmt::format("did you mean {}?", fmt::join(quoted(r.suggestions), " or "));
      else
        hint = fmt::format("see docs/roles.md; write \"custom:{}\" for a deliberate custom {}", raw[i],
                           roles ? "role" : "instrument");
      d_.error(roles ? "unknown-role" : "unknown-instrument",
               fmt::format("unknown {} '{}'", roles ? "role" : "instrument", raw[i]), where_.at(p), hint);
      out.push_back(Term{raw[i], false});
    }
    return out;
  }

  static std::vector<std::string> quoted(const std::vector<std::string>& v) {
    std::vector<std::string> q;
    for (const auto& s : v)
      q.push_back("'" + s + "'");
    return q;
  }

  Credit read_credit(const toml::table& t, const std::string& path) {
    check_keys(t, kCreditKeys, "a credit");
    Credit c;
    if (!get_string(t, "party", path + ".party", c.party))
      if (!t.contains("party")) d_.error("missing-field", "a credit needs 'party'", where_.at(path));
    c.roles = read_terms(t, "roles", path + ".roles", true);
    if (!t.contains("roles"))
      d_.error("missing-field", "a credit needs 'roles'", where_.at(path), "e.g. roles = [\"producer\"]");
    c.instruments = read_terms(t, "instruments", path + ".instruments", false);
    c.hours = get_decimal(t, "hours", path + ".hours");
    get_strings(t, "deliverables", path + ".deliverables", c.deliverables);
    std::string tier;
    if (get_string(t, "tier", path + ".tier", tier)) {
      if (auto k = parse_tier(tier))
        c.tier = *k;
      else
        d_.error("invalid-value",
                 fmt::format("tier '{}' must be one of primary, co, additional, assistant", tier),
                 where_.at(path + ".tier"));
    }
    get_strings(t, "contributions", path + ".contributions", c.contributions);
    return c;
  }

  void read_shares(const toml::table& t, std::string_view key, const std::string& path,
                   std::vector<Share>& out, bool publishing) {
    each_table(t, key, path, [&](const toml::table& st, const std::string& p, std::size_t) {
      check_keys(st, kShareKeys, fmt::format("a {} share", key));
      Share s;
      if (!get_string(st, "party", p + ".party", s.party) && !st.contains("party"))
        d_.error("missing-field", "a share needs 'party'", where_.at(p));
      if (auto d = get_decimal(st, "share", p + ".percent"))
        s.percent = *d;
      else if (!st.contains("share"))
        d_.error("missing-field", "a share needs 'share' (a percentage)", where_.at(p));
      std::string cap;
      if (get_string(st, "capacity", p + ".capacity", cap)) {
        auto k = parse_capacity(cap);
        if (publishing && k)
          s.capacity = *k;
        else
          d_.error("invalid-value",
                   publishing ? fmt::format("capacity '{}' must be \"writer\" or \"publisher\"", cap)
                              : std::string("master shares take no 'capacity'"),
                   where_.at(p + ".capacity"));
      }
      out.push_back(std::move(s));
    });
  }

  std::string_view text_;
  std::string path_;
  LoadResult& out_;
  Diagnostics& d_;
  SourceMap& where_;
  std::vector<std::string_view> lines_;
};

} // namespace

LoadResult parse_sheet_toml(std::string_view text, const std::string& path) {
  LoadResult r;
  Reader(text, path, r).run();
  return r;
}

std::vector<Agreement> parse_agreements_toml(std::string_view text, const std::string& path,
                                             std::uint32_t first_line, Diagnostics& d) {
  LoadResult r = parse_sheet_toml(text, path);
  const Sheet& s = r.sheet;
  for (Diagnostic x : r.diagnostics) {
    if (x.code == "missing-release" || x.code == "empty-sheet") continue;
    if (x.location.line > 0) x.location.line += first_line - 1;
    d.add(std::move(x));
  }
  if (!s.parties.empty() || !s.tracks.empty() || !s.release.title.empty() || s.delivery.present ||
      !s.deals.empty()) {
    Location l;
    l.file = path;
    l.line = first_line;
    d.error("unknown-key", "an agreements cell holds other tables than [[agreements]]", l);
  }
  return r.sheet.agreements;
}

LoadResult load_sheet_toml(const std::string& path) {
  std::string text = detail::read_file(path, kMaxSheetBytes);
  return parse_sheet_toml(text, path);
}

} // namespace liner::credits
