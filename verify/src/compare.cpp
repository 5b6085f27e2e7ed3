// The comparison engine: sheet + observations -> Report.
#include <algorithm>
#include <fmt/format.h>
#include <liner/credits/splits.hpp>
#include <liner/verify/verify.hpp>
#include <map>
#include <set>

namespace liner::verify {

std::string_view to_string(Source s) {
  return s == Source::Files ? "files" : "ddex";
}

std::string_view to_string(Status s) {
  switch (s) {
  case Status::NotChecked:
    return "not-checked";
  case Status::Present:
    return "present";
  case Status::Near:
    return "near";
  case Status::Different:
    return "different";
  case Status::Missing:
    return "missing";
  }
  return "?";
}

bool is_problem(Status s) {
  return s == Status::Near || s == Status::Different || s == Status::Missing;
}

std::string Place::str() const {
  std::string out = file;
  if (!field.empty()) out += fmt::format("{}[{}]", out.empty() ? "" : " ", field);
  if (!xpath.empty()) out += fmt::format("{}({})", out.empty() ? "" : " ", xpath);
  return out;
}

namespace {
std::string join(const std::vector<std::string>& v, std::string_view sep = ", ") {
  std::string out;
  for (const auto& s : v) {
    if (!out.empty()) out += sep;
    out += s;
  }
  return out;
}
void push_unique(std::vector<std::string>& v, const std::string& s) {
  if (!s.empty() && std::find(v.begin(), v.end(), s) == v.end()) v.push_back(s);
}
} // namespace

std::string Check::summary() const {
  std::vector<std::string> parts;
  switch (status) {
  case Status::NotChecked:
    return "not checked";
  case Status::Missing:
    return "missing";
  case Status::Present:
    parts.push_back("present");
    break;
  case Status::Near:
    parts.push_back(fmt::format("near: '{}' ({})", observed_name, describe_reasons(name_reasons)));
    break;
  case Status::Different:
    if (!name_reasons.empty())
      parts.push_back(fmt::format("as '{}' ({})", observed_name, describe_reasons(name_reasons)));
    break;
  }
  if (!missing_roles.empty()) parts.push_back("without role " + join(missing_roles));
  if (!extra_roles.empty()) parts.push_back("with extra role " + join(extra_roles));
  if (!missing_instruments.empty()) parts.push_back("without instrument " + join(missing_instruments));
  if (!extra_instruments.empty()) parts.push_back("with extra instrument " + join(extra_instruments));
  for (const auto& p : id_problems)
    parts.push_back(p);
  if (observed_percent && status == Status::Different)
    parts.push_back(fmt::format("share {}%", observed_percent->str()));
  return join(parts, "; ");
}

void merge_same_names(ObservedTrack& t) {
  std::vector<ObservedCredit> out;
  for (auto& c : t.credits) {
    auto it = std::find_if(out.begin(), out.end(), [&](const ObservedCredit& x) { return x.name == c.name; });
    if (it == out.end()) {
      out.push_back(std::move(c));
      continue;
    }
    for (const auto& r : c.roles)
      push_unique(it->roles, r);
    for (const auto& r : c.instruments)
      push_unique(it->instruments, r);
    if (it->latin_name.empty()) it->latin_name = c.latin_name;
    if (it->ids.empty()) it->ids = c.ids;
    it->ids_known = it->ids_known || c.ids_known;
    auto same = [&](const Place& a, const Place& b) {
      return a.file == b.file && a.field == b.field && a.xpath == b.xpath;
    };
    for (const Place& p : std::vector<Place>{c.where}) {
      if (!same(p, it->where) &&
          std::none_of(it->also.begin(), it->also.end(), [&](const Place& q) { return same(p, q); }))
        it->also.push_back(p);
    }
    for (const auto& p : c.also)
      if (!same(p, it->where) &&
          std::none_of(it->also.begin(), it->also.end(), [&](const Place& q) { return same(p, q); }))
        it->also.push_back(p);
  }
  t.credits = std::move(out);
}

std::size_t Report::problem_count() const {
  std::size_t n = strays.size() + diagnostics.count(Severity::Error);
  for (const auto& t : tracks) {
    if (t.in_files == Status::Missing) ++n;
    if (t.in_ddex == Status::Missing) ++n;
    for (const auto& c : t.credits)
      n += is_problem(c.files.status) + is_problem(c.ddex.status);
    for (const auto& s : t.shares)
      n += is_problem(s.files.status) + is_problem(s.ddex.status);
    n += t.extras.size();
  }
  return n;
}

const credits::Party* find_party(const credits::Sheet& sheet, std::string_view id_or_name) {
  if (const auto* p = sheet.party(id_or_name)) return p;
  const credits::Party* near = nullptr;
  int nears = 0;
  for (const auto& p : sheet.parties) {
    auto c = compare_party(p, id_or_name);
    if (c.match == NameMatch::Exact) return &p;
    if (c.match == NameMatch::Near) {
      near = &p;
      ++nears;
    }
  }
  return nears == 1 ? near : nullptr;
}

namespace {

struct Candidate {
  int score = 0; // higher is better; 0 = unrelated
  NameComparison name;
};

// How well an observed name (with its latin form and identifiers) fits a sheet party.
Candidate fit(const credits::Party& p, const std::string& name, const std::string& latin,
              const Identifiers& ids) {
  Candidate c;
  c.name = compare_party(p, name);
  if (c.name.match == NameMatch::None && !latin.empty()) {
    auto l = compare_party(p, latin);
    if (l.match != NameMatch::None) {
      c.name = l;
      c.name.match = NameMatch::Near;
      c.name.reasons = {"latin form"};
      if (!p.latin_name.empty() && compare_names(p.latin_name, latin).match == NameMatch::Exact)
        c.name.reasons = {"spelling"};
    }
  }
  Identifiers mine = identifiers_of(p);
  bool same_id = (!mine.isni.empty() && mine.isni == ids.isni) ||
                 (!mine.ipi.empty() && mine.ipi == ids.ipi) || (!mine.ipn.empty() && mine.ipn == ids.ipn) ||
                 (!mine.dpid.empty() && mine.dpid == ids.dpid);
  if (c.name.match == NameMatch::Exact)
    c.score = 1000;
  else if (c.name.match == NameMatch::Near)
    c.score = 500 - 10 * static_cast<int>(c.name.reasons.size());
  else if (same_id) {
    c.score = 100;
    c.name.match = NameMatch::Near;
    c.name.reasons = {"spelling"};
  }
  if (same_id) c.score += 5;
  return c;
}

void id_checks(const credits::Party& p, const ObservedCredit& oc, Source src, std::vector<std::string>& out) {
  if (!oc.ids_known) return;
  Identifiers mine = identifiers_of(p);
  auto one = [&](const char* label, const std::string& a, const std::string& b) {
    if (a.empty()) return;
    if (b.empty())
      out.push_back(fmt::format("{} {} not in {}", label, a, to_string(src)));
    else if (a != b)
      out.push_back(fmt::format("{} {} in the sheet, {} in {}", label, a, b, to_string(src)));
  };
  one("ISNI", mine.isni, oc.ids.isni);
  one("IPI", mine.ipi, oc.ids.ipi);
  one("IPN", mine.ipn, oc.ids.ipn);
  one("DPID", mine.dpid, oc.ids.dpid);
}


// The sheet party whose name is closest to `name` (near match or identifiers), for extras.
std::string similar_party(const credits::Sheet& sheet, const std::string& name, const std::string& latin,
                          const Identifiers& ids) {
  int best = 0;
  std::string id;
  for (const auto& p : sheet.parties) {
    auto c = fit(p, name, latin, ids);
    if (c.score > best) {
      best = c.score;
      id = p.id;
    }
  }
  return id;
}

void check_credits(const credits::Sheet& sheet, TrackReport& tr, const ObservedTrack& ot, Source src) {
  std::vector<bool> used(ot.credits.size(), false);
  // All candidate pairs, best first; each observed credit goes to one sheet credit.
  struct Pair {
    int score;
    std::size_t row, obs;
    NameComparison name;
  };
  std::vector<Pair> pairs;
  for (std::size_t r = 0; r < tr.credits.size(); ++r) {
    const auto* p = sheet.party(tr.credits[r].party);
    if (!p) continue;
    for (std::size_t o = 0; o < ot.credits.size(); ++o) {
      auto c = fit(*p, ot.credits[o].name, ot.credits[o].latin_name, ot.credits[o].ids);
      if (c.score > 0) pairs.push_back({c.score, r, o, c.name});
    }
  }
  std::stable_sort(pairs.begin(), pairs.end(),
                   [](const Pair& a, const Pair& b) { return a.score > b.score; });
  std::vector<bool> done(tr.credits.size(), false);
  for (const auto& pr : pairs) {
    if (done[pr.row] || used[pr.obs]) continue;
    done[pr.row] = used[pr.obs] = true;
    auto& row = tr.credits[pr.row];
    const auto& oc = ot.credits[pr.obs];
    Check& ck = src == Source::Files ? row.files : row.ddex;
    ck.observed_name = oc.name;
    ck.where = oc.where;
    ck.also = oc.also;
    if (pr.name.match == NameMatch::Near) ck.name_reasons = pr.name.reasons;
    for (const auto& r : row.roles)
      if (std::find(oc.roles.begin(), oc.roles.end(), r) == oc.roles.end()) ck.missing_roles.push_back(r);
    for (const auto& r : oc.roles)
      if (std::find(row.roles.begin(), row.roles.end(), r) == row.roles.end()) ck.extra_roles.push_back(r);
    for (const auto& r : row.instruments)
      if (std::find(oc.instruments.begin(), oc.instruments.end(), r) == oc.instruments.end())
        ck.missing_instruments.push_back(r);
    for (const auto& r : oc.instruments)
      if (std::find(row.instruments.begin(), row.instruments.end(), r) == row.instruments.end())
        ck.extra_instruments.push_back(r);
    id_checks(*sheet.party(row.party), oc, src, ck.id_problems);
    bool different = !ck.missing_roles.empty() || !ck.extra_roles.empty() ||
                     !ck.missing_instruments.empty() || !ck.extra_instruments.empty() ||
                     !ck.id_problems.empty();
    ck.status = different                          ? Status::Different
                : pr.name.match == NameMatch::Near ? Status::Near
                                                   : Status::Present;
  }
  for (std::size_t r = 0; r < tr.credits.size(); ++r) {
    if (done[r]) continue;
    Check& ck = src == Source::Files ? tr.credits[r].files : tr.credits[r].ddex;
    ck.status = Status::Missing;
    ck.where = ot.where;
  }
  for (std::size_t o = 0; o < ot.credits.size(); ++o) {
    if (used[o]) continue;
    const auto& oc = ot.credits[o];
    tr.extras.push_back(Extra{src, "credit", oc.name, oc.roles, std::nullopt, oc.where,
                              similar_party(sheet, oc.name, oc.latin_name, oc.ids)});
  }
}

void check_shares(const credits::Sheet& sheet, TrackReport& tr, const ObservedTrack& ot, Source src) {
  for (const char* kind : {"master", "publishing"}) {
    const auto& obs = std::string_view(kind) == "master" ? ot.master : ot.publishing;
    if (src == Source::Files) {
      if (std::string_view(kind) == "master")
        tr.files_carry_master = obs.has_value();
      else
        tr.files_carry_publishing = obs.has_value();
    }
    if (!obs) continue; // the source does not carry these shares
    std::vector<bool> used(obs->size(), false);
    for (auto& row : tr.shares) {
      if (row.kind != kind) continue;
      Check& ck = src == Source::Files ? row.files : row.ddex;
      const auto* p = sheet.party(row.party);
      int best = 0;
      std::size_t at = 0;
      NameComparison name;
      for (std::size_t o = 0; p && o < obs->size(); ++o) {
        if (used[o]) continue;
        auto c = fit(*p, (*obs)[o].name, (*obs)[o].latin_name, (*obs)[o].ids);
        // Prefer the same percentage among equally good names (a party listed twice).
        int score = c.score * 2 + ((*obs)[o].percent == row.percent ? 1 : 0);
        if (c.score > 0 && score > best) {
          best = score;
          at = o;
          name = c.name;
        }
      }
      if (best == 0) {
        ck.status = Status::Missing;
        ck.where = ot.where;
        continue;
      }
      used[at] = true;
      const auto& os = (*obs)[at];
      ck.observed_name = os.name;
      ck.observed_percent = os.percent;
      ck.where = os.where;
      if (name.match == NameMatch::Near) ck.name_reasons = name.reasons;
      ck.status = os.percent != row.percent       ? Status::Different
                  : name.match == NameMatch::Near ? Status::Near
                                                  : Status::Present;
    }
    for (std::size_t o = 0; o < obs->size(); ++o) {
      if (used[o]) continue;
      const auto& os = (*obs)[o];
      tr.extras.push_back(Extra{src,
                                kind,
                                os.name,
                                {},
                                os.percent,
                                os.where,
                                similar_party(sheet, os.name, os.latin_name, os.ids)});
    }
  }
}

int rank(Status s) {
  switch (s) {
  case Status::NotChecked:
    return 0;
  case Status::Present:
    return 1;
  case Status::Near:
    return 2;
  case Status::Different:
    return 3;
  case Status::Missing:
    return 4;
  }
  return 0;
}

// The track's rows with the checks of one source cleared, to check another copy of the track.
TrackReport fresh_copy(const TrackReport& tr, Source src) {
  TrackReport t = tr;
  t.extras.clear();
  for (auto& c : t.credits)
    (src == Source::Files ? c.files : c.ddex) = Check{};
  for (auto& s : t.shares)
    (src == Source::Files ? s.files : s.ddex) = Check{};
  return t;
}

void keep_worst(TrackReport& tr, const TrackReport& again, Source src) {
  auto pick = [&](Check& mine, const Check& other) {
    if (rank(other.status) > rank(mine.status))
      mine = other;
    else if (other.status == Status::Present && mine.status == Status::Present)
      mine.also.push_back(other.where);
  };
  for (std::size_t i = 0; i < tr.credits.size(); ++i)
    pick(src == Source::Files ? tr.credits[i].files : tr.credits[i].ddex,
         src == Source::Files ? again.credits[i].files : again.credits[i].ddex);
  for (std::size_t i = 0; i < tr.shares.size(); ++i)
    pick(src == Source::Files ? tr.shares[i].files : tr.shares[i].ddex,
         src == Source::Files ? again.shares[i].files : again.shares[i].ddex);
  for (const auto& e : again.extras)
    tr.extras.push_back(e);
  if (src == Source::Files) {
    tr.files_carry_master = tr.files_carry_master && again.files_carry_master;
    tr.files_carry_publishing = tr.files_carry_publishing && again.files_carry_publishing;
  }
}

} // namespace

Report compare(const credits::Sheet& sheet, const std::vector<Observed>& observations,
               const Options& options) {
  Report rep;
  rep.sheet = sheet.path;
  rep.release_title = sheet.release.title;
  if (!options.party.empty()) {
    const auto* p = find_party(sheet, options.party);
    rep.party = p ? p->id : options.party;
  }
  // The agreed master split: share agreements applied, as DDEX RightSharePercentage and the files carry it.
  const auto effective_master = credits::effective_master_shares(sheet);
  for (std::size_t i = 0; i < sheet.tracks.size(); ++i) {
    const auto& t = sheet.tracks[i];
    TrackReport tr;
    tr.index = i;
    tr.number = t.number;
    tr.disc = t.disc;
    tr.title = t.title;
    tr.isrc = t.isrc;
    tr.file = t.file;
    for (const auto& c : sheet.effective_credits(t)) {
      CreditRow row;
      row.party = c.party;
      const auto* p = sheet.party(c.party);
      row.name = p ? p->name : c.party;
      for (const auto& r : c.roles)
        row.roles.push_back(r.str());
      for (const auto& r : c.instruments)
        row.instruments.push_back(r.str());
      tr.credits.push_back(std::move(row));
    }
    for (const char* kind : {"master", "publishing"}) {
      for (const auto& s : std::string_view(kind) == "master" ? effective_master[i] : t.publishing) {
        ShareRow row;
        row.kind = kind;
        row.party = s.party;
        const auto* p = sheet.party(s.party);
        row.name = p ? p->name : s.party;
        if (s.capacity != credits::Capacity::Unspecified)
          row.capacity = std::string(credits::to_string(s.capacity));
        row.percent = s.percent;
        tr.shares.push_back(std::move(row));
      }
    }
    rep.tracks.push_back(std::move(tr));
  }

  // Which observed track is which sheet track: the adapter's answer, else ISRC, else file name, else number.
  auto base = [](const std::string& f) {
    auto pos = f.find_last_of('/');
    return pos == std::string::npos ? f : f.substr(pos + 1);
  };
  for (const auto& obs : observations) {
    bool files = obs.source == Source::Files;
    (files ? rep.files_checked : rep.ddex_checked) = true;
    (files ? rep.file_inputs : rep.ddex_inputs).push_back(obs.origin);
    rep.diagnostics.append(obs.diagnostics);
    for (const auto& ot : obs.tracks) {
      std::optional<std::size_t> idx = ot.sheet_track;
      if (!idx && !ot.isrc.empty())
        for (std::size_t i = 0; i < sheet.tracks.size() && !idx; ++i)
          if (normalize_id(sheet.tracks[i].isrc) == ot.isrc) idx = i;
      if (!idx && ot.isrc.empty() && !ot.file.empty())
        for (std::size_t i = 0; i < sheet.tracks.size() && !idx; ++i)
          if (!sheet.tracks[i].file.empty() && base(sheet.tracks[i].file) == base(ot.file)) idx = i;
      if (!idx && ot.isrc.empty() && ot.number > 0)
        for (std::size_t i = 0; i < sheet.tracks.size() && !idx; ++i)
          if (sheet.tracks[i].number == ot.number) idx = i;
      if (!idx || *idx >= rep.tracks.size()) {
        rep.strays.push_back(StrayTrack{obs.source, ot.isrc, ot.title, ot.file, ot.number, ot.where});
        continue;
      }
      auto& tr = rep.tracks[*idx];
      Status& st = files ? tr.in_files : tr.in_ddex;
      if (st == Status::Present) {
        // The same track again: another format of the master (FLAC and MP3...), or a second message.
        // Each copy must carry every credit, so the worst finding of all copies is kept.
        TrackReport again = fresh_copy(tr, obs.source);
        check_credits(sheet, again, ot, obs.source);
        check_shares(sheet, again, ot, obs.source);
        keep_worst(tr, again, obs.source);
        (files ? tr.files_copies : tr.ddex_copies).push_back(ot.where);
        continue;
      }
      st = Status::Present;
      (files ? tr.files_where : tr.ddex_where) = ot.where;
      check_credits(sheet, tr, ot, obs.source);
      check_shares(sheet, tr, ot, obs.source);
    }
  }
  // Tracks not found in a source that was checked: every credit is missing there.
  for (auto& tr : rep.tracks) {
    for (Source src : {Source::Files, Source::Ddex}) {
      bool checked = src == Source::Files ? rep.files_checked : rep.ddex_checked;
      Status& st = src == Source::Files ? tr.in_files : tr.in_ddex;
      if (!checked || st == Status::Present) continue;
      if (src == Source::Files && options.only_given_files) continue; // stays "not checked"
      st = Status::Missing;
      for (auto& c : tr.credits)
        (src == Source::Files ? c.files : c.ddex).status = Status::Missing;
      if (src == Source::Ddex) // a message carries shares; files may not, so they stay "not checked"
        for (auto& s : tr.shares)
          s.ddex.status = Status::Missing;
    }
  }

  // --party: only that party's credits and shares, and extras that look like them.
  if (!rep.party.empty()) {
    std::vector<TrackReport> kept;
    for (auto& tr : rep.tracks) {
      std::erase_if(tr.credits, [&](const CreditRow& c) { return c.party != rep.party; });
      std::erase_if(tr.shares, [&](const ShareRow& s) { return s.party != rep.party; });
      std::erase_if(tr.extras, [&](const Extra& e) { return e.similar_party != rep.party; });
      if (!tr.credits.empty() || !tr.shares.empty() || !tr.extras.empty()) kept.push_back(std::move(tr));
    }
    rep.tracks = std::move(kept);
    rep.strays.clear();
  }
  return rep;
}

} // namespace liner::verify
