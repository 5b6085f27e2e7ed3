#include <algorithm>
#include <fmt/format.h>
#include <liner/credits/agreements.hpp>
#include <liner/credits/roles.hpp>
#include <liner/credits/text.hpp>
#include <liner/validators/identifiers.hpp>
#include <liner/validators/sheet_rules.hpp>
#include <map>
#include <set>

namespace liner::validators {
using namespace liner::credits;

bool is_iso8601_duration(std::string_view s) {
  if (s.size() < 3 || s[0] != 'P') return false;
  std::size_t i = 1;
  bool in_time = false, any = false;
  std::string allowed = "YMWD"; // designators still allowed, in order
  while (i < s.size()) {
    if (s[i] == 'T') {
      if (in_time) return false;
      in_time = true;
      allowed = "HMS";
      ++i;
      if (i == s.size()) return false;
      continue;
    }
    std::size_t start = i;
    bool dot = false;
    while (i < s.size() && ((s[i] >= '0' && s[i] <= '9') || (s[i] == '.' && !dot)))
      dot |= s[i++] == '.';
    if (i == start || i == s.size()) return false;
    auto pos = allowed.find(s[i]);
    if (pos == std::string::npos) return false;
    if (dot && !(in_time && s[i] == 'S')) return false; // fractions only on seconds
    allowed.erase(0, pos + 1);
    any = true;
    ++i;
  }
  return any;
}

namespace {

class Rules {
public:
  explicit Rules(const Sheet& s) : s_(s) {
    for (const Party& p : s.parties)
      ids_.push_back(p.id);
  }

  Diagnostics run() {
    release();
    parties();
    tracks();
    delivery();
    d_.append(check_agreements(s_)); // backend terms: the splits engine's own rules (docs/splits.md)
    d_.sort();
    return std::move(d_);
  }

private:
  Location at(const std::string& path) const { return s_.where.at(path); }

  void identifier(IdKind kind, const std::string& value, const std::string& path) {
    if (value.empty()) return;
    IdCheck c = check_id(kind, value);
    if (c.ok) return;
    d_.error(c.code, fmt::format("{} '{}': {}", to_string(kind), value, c.message), at(path));
  }

  void reference(const std::string& id, const std::string& path, std::string_view what) {
    if (id.empty() || s_.party(id)) return;
    std::vector<std::string_view> views(ids_.begin(), ids_.end());
    std::string best = nearest(id, views);
    std::string hint =
        best.empty() ? "define it as [parties." + id + "]" : fmt::format("did you mean '{}'?", best);
    d_.error("unknown-party", fmt::format("{} '{}' is not defined in [parties]", what, id), at(path), hint);
  }

  // A value that must belong to a DDEX allowed-value set.
  void allowed(const std::string& v, std::span<const std::string_view> set, std::string_view code,
               std::string_view what, const std::string& path) {
    if (v.empty() || std::find(set.begin(), set.end(), v) != set.end()) return;
    std::string best = nearest(v, set);
    d_.error(std::string(code), fmt::format("'{}' is not a DDEX {}", v, what), at(path),
             best.empty() ? std::string("see the ERN 4.3 allowed-value sets")
                          : fmt::format("did you mean '{}'?", best));
  }

  void date(const std::string& v, const std::string& path) {
    if (!v.empty() && !is_valid_date(v))
      d_.error("invalid-date", fmt::format("'{}' is not a valid date", v), at(path), "write YYYY-MM-DD");
  }

  void credit(const Credit& c, const std::string& path) {
    reference(c.party, path + ".party", "credited party");
    if (c.roles.empty()) d_.error("missing-role", "a credit needs at least one role", at(path + ".roles"));
    if (c.hours && c.hours->is_negative())
      d_.error("invalid-hours", fmt::format("hours {} is negative", c.hours->str()), at(path + ".hours"));
  }

  void release() {
    const Release& r = s_.release;
    if (r.title.empty()) d_.error("missing-title", "the release has no title", at("release.title"));
    if (r.artists.empty())
      d_.error("missing-artist", "the release has no main artist", at("release"),
               "add artists = [\"<party id>\"] to [release]");
    identifier(IdKind::ICPN, r.upc, "release.upc");
    identifier(IdKind::GRid, r.grid, "release.grid");
    reference(r.label, "release.label", "label");
    reference(r.distributor, "release.distributor", "distributor");
    for (std::size_t i = 0; i < r.artists.size(); ++i)
      reference(r.artists[i], fmt::format("release.artists[{}]", i), "artist");
    date(r.release_date, "release.release_date");
    allowed(r.type, release_types(), "unknown-release-type", "ReleaseType", "release.type");
    allowed(r.parental_warning, parental_warning_types(), "unknown-parental-warning", "ParentalWarningType",
            "release.parental_warning");
    for (std::size_t i = 0; i < r.credits.size(); ++i)
      credit(r.credits[i], fmt::format("release.credits[{}]", i));
    for (std::size_t i = 0; i < s_.deals.size(); ++i) {
      const Deal& deal = s_.deals[i];
      std::string p = fmt::format("deals[{}]", i);
      date(deal.start_date, p + ".start_date");
      for (std::size_t k = 0; k < deal.commercial_models.size(); ++k)
        allowed(deal.commercial_models[k], commercial_model_types(), "unknown-commercial-model",
                "CommercialModelType", fmt::format("{}.commercial_models[{}]", p, k));
      for (std::size_t k = 0; k < deal.use_types.size(); ++k)
        allowed(deal.use_types[k], use_types(), "unknown-use-type", "UseType",
                fmt::format("{}.use_types[{}]", p, k));
    }
    for (const auto* line : {&r.p_line, &r.c_line})
      if (*line && ((*line)->year < 1900 || (*line)->year > 2999 || (*line)->owner.empty()))
        d_.error(
            "invalid-line",
            fmt::format("{} needs a year (1900-2999) and an owner", line == &r.p_line ? "p_line" : "c_line"),
            at(line == &r.p_line ? "release.p_line" : "release.c_line"));
  }

  void parties() {
    std::map<std::string, std::size_t> seen_ids;
    std::map<std::string, std::size_t> by_name, by_isni, by_ipi;
    for (std::size_t i = 0; i < s_.parties.size(); ++i) {
      const Party& p = s_.parties[i];
      std::string path = "parties." + p.id;
      if (auto [it, fresh] = seen_ids.emplace(p.id, i); !fresh)
        d_.error("duplicate-party", fmt::format("party id '{}' is defined twice", p.id), at(path));
      if (p.name.empty()) d_.error("missing-name", fmt::format("party '{}' has no name", p.id), at(path));
      identifier(IdKind::ISNI, p.isni, path + ".isni");
      identifier(IdKind::IPIName, p.ipi, path + ".ipi");
      identifier(IdKind::DPID, p.dpid, path + ".dpid");
      // The same person under two ids: same folded name (or latin name), or the same ISNI / IPI.
      auto same = [&](std::map<std::string, std::size_t>& index, const std::string& key,
                      std::string_view why) {
        if (key.empty()) return;
        auto [it, fresh] = index.emplace(key, i);
        if (fresh || s_.parties[it->second].id == p.id) return;
        d_.warning(
            "same-person",
            fmt::format("parties '{}' and '{}' have the same {}", s_.parties[it->second].id, p.id, why),
            at(path), "merge them into one party, or tell them apart in their names");
      };
      same(by_name, fold_name(p.name), "name");
      if (!p.latin_name.empty() && fold_name(p.latin_name) != fold_name(p.name))
        same(by_name, fold_name(p.latin_name), "name");
      if (auto c = check_isni(p.isni); c.ok) same(by_isni, c.normalized, "ISNI");
      if (auto c = check_ipi_name(p.ipi); c.ok) same(by_ipi, c.normalized, "IPI name number");
    }
  }

  void shares(const std::vector<Share>& v, const std::string& path, std::string_view kind, int track) {
    if (v.empty()) {
      d_.warning(fmt::format("no-{}-shares", kind), fmt::format("track {} has no {} splits", track, kind),
                 at(path.substr(0, path.rfind('.'))));
      return;
    }
    Decimal sum;
    std::set<std::pair<std::string, Capacity>> seen;
    for (std::size_t i = 0; i < v.size(); ++i) {
      std::string p = fmt::format("{}[{}]", path, i);
      reference(v[i].party, p + ".party", "share holder");
      if (v[i].percent <= Decimal{})
        d_.error("share-not-positive",
                 fmt::format("{} share of '{}' is {}; shares must be above 0", kind, v[i].party,
                             v[i].percent.str()),
                 at(p + ".percent"));
      if (!seen.emplace(v[i].party, v[i].capacity).second)
        d_.error("duplicate-share",
                 fmt::format("'{}' has two {} shares on track {}", v[i].party, kind, track), at(p),
                 "add them up into one share");
      sum += v[i].percent;
    }
    if (sum != Decimal::from_int(100))
      d_.error(fmt::format("{}-sum", kind),
               fmt::format("{} shares of track {} sum to {}, not 100", kind, track, sum.str()), at(path),
               sum < Decimal::from_int(100)
                   ? fmt::format("{} is unassigned", (Decimal::from_int(100) - sum).str())
                   : fmt::format("{} too much", (sum - Decimal::from_int(100)).str()));
  }

  void tracks() {
    std::map<std::string, std::size_t> isrcs;
    std::map<int, std::vector<std::pair<int, std::size_t>>> by_disc;
    for (std::size_t i = 0; i < s_.tracks.size(); ++i) {
      const Track& t = s_.tracks[i];
      std::string path = fmt::format("tracks[{}]", i);
      int label = t.number ? t.number : static_cast<int>(i + 1);
      if (t.title.empty())
        d_.error("missing-title", fmt::format("track {} has no title", label), at(path + ".title"));
      by_disc[t.disc].push_back({t.number, i});
      if (t.isrc.empty()) {
        d_.warning("missing-isrc", fmt::format("track {} has no ISRC", label), at(path),
                   "DDEX deliveries need one per track");
      } else {
        identifier(IdKind::ISRC, t.isrc, path + ".isrc");
        auto c = check_isrc(t.isrc);
        std::string key = c.ok ? c.normalized : t.isrc;
        if (auto [it, fresh] = isrcs.emplace(key, i); !fresh)
          d_.error("duplicate-isrc",
                   fmt::format("ISRC {} is also on track {}", t.isrc, s_.tracks[it->second].number),
                   at(path + ".isrc"), "every recording has its own ISRC");
      }
      identifier(IdKind::ISWC, t.iswc, path + ".iswc");
      if (!t.duration.empty() && !is_iso8601_duration(t.duration))
        d_.error("invalid-duration", fmt::format("duration '{}' is not ISO 8601", t.duration),
                 at(path + ".duration"), "write it like PT3M41S");
      for (std::size_t k = 0; k < t.artists.size(); ++k)
        reference(t.artists[k], fmt::format("{}.artists[{}]", path, k), "artist");
      for (std::size_t k = 0; k < t.featured.size(); ++k)
        reference(t.featured[k], fmt::format("{}.featured[{}]", path, k), "featured artist");
      std::set<std::string> credited;
      for (std::size_t k = 0; k < t.credits.size(); ++k) {
        std::string cp = fmt::format("{}.credits[{}]", path, k);
        credit(t.credits[k], cp);
        if (!credited.insert(t.credits[k].party).second)
          d_.warning("duplicate-credit",
                     fmt::format("'{}' is credited twice on track {}", t.credits[k].party, label), at(cp),
                     "list all of a party's roles in one credit");
      }
      shares(t.master, path + ".master", "master", label);
      shares(t.publishing, path + ".publishing", "publishing", label);
    }
    for (auto& [disc, list] : by_disc) {
      std::vector<int> numbers;
      for (auto& [n, idx] : list)
        numbers.push_back(n);
      std::sort(numbers.begin(), numbers.end());
      for (std::size_t k = 0; k < numbers.size(); ++k) {
        if (numbers[k] == static_cast<int>(k + 1)) continue;
        // Report at the first track (in file order) whose number breaks 1..N.
        std::size_t idx = list.front().second;
        for (auto& [n, j] : list)
          if (n == numbers[k]) {
            idx = j;
            break;
          }
        d_.error("track-numbering",
                 fmt::format("track numbers on disc {} must run 1..{} without gaps or repeats; found {}",
                             disc, numbers.size(), numbers[k]),
                 at(fmt::format("tracks[{}].number", idx)));
        break;
      }
    }
  }

  void delivery() {
    const Delivery& dl = s_.delivery;
    reference(dl.sender, "delivery.sender", "sender");
    for (std::size_t i = 0; i < dl.recipients.size(); ++i)
      reference(dl.recipients[i], fmt::format("delivery.recipients[{}]", i), "recipient");
    if (!dl.message_control.empty() && dl.message_control != "LiveMessage" &&
        dl.message_control != "TestMessage")
      d_.error("invalid-value",
               fmt::format("message_control '{}' must be LiveMessage or TestMessage", dl.message_control),
               at("delivery.message_control"));
  }

  const Sheet& s_;
  std::vector<std::string> ids_;
  Diagnostics d_;
};

} // namespace

Diagnostics check_sheet(const Sheet& sheet) {
  return Rules(sheet).run();
}

} // namespace liner::validators
