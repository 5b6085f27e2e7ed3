#include <liner/credits/json.hpp>

namespace liner::credits {
namespace {
nlohmann::json terms(const std::vector<Term>& v) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto& t : v)
    a.push_back(t.str());
  return a;
}
void put(nlohmann::json& j, const char* k, const std::string& v) {
  if (!v.empty()) j[k] = v;
}
nlohmann::json line(const std::optional<CopyrightLine>& l) {
  if (!l) return nullptr;
  return {{"year", l->year}, {"owner", l->owner}};
}
} // namespace

nlohmann::json to_json(const Party& p) {
  nlohmann::json j = {{"id", p.id}, {"name", p.name}, {"kind", std::string(to_string(p.kind))}};
  put(j, "latin_name", p.latin_name);
  put(j, "isni", p.isni);
  put(j, "ipi", p.ipi);
  put(j, "ipn", p.ipn);
  put(j, "dpid", p.dpid);
  put(j, "notes", p.notes);
  return j;
}

nlohmann::json to_json(const Credit& c) {
  nlohmann::json j = {{"party", c.party}, {"roles", terms(c.roles)}};
  if (!c.instruments.empty()) j["instruments"] = terms(c.instruments);
  if (c.hours) j["hours"] = c.hours->str();
  if (!c.deliverables.empty()) j["deliverables"] = c.deliverables;
  if (c.tier != Tier::Unspecified) j["tier"] = std::string(to_string(c.tier));
  if (!c.contributions.empty()) j["contributions"] = c.contributions;
  return j;
}

nlohmann::json to_json(const Share& s) {
  nlohmann::json j = {{"party", s.party}, {"share", s.percent.str()}};
  if (s.capacity != Capacity::Unspecified) j["capacity"] = std::string(to_string(s.capacity));
  return j;
}

nlohmann::json to_json(const Agreement& a) {
  nlohmann::json j = {{"party", a.party},
                      {"base", std::string(to_string(a.base))},
                      {"rate", a.rate.str()},
                      {"record_one", a.record_one},
                      {"frequency", std::string(to_string(a.frequency))}};
  if (!a.tracks.empty()) j["tracks"] = a.tracks;
  if (!a.unit_price.is_zero()) j["unit_price"] = a.unit_price.str();
  if (!a.escalations.empty()) {
    j["escalations"] = nlohmann::json::array();
    for (const Escalation& e : a.escalations) {
      nlohmann::json x = {{"metric", std::string(to_string(e.metric))},
                          {"rate", e.rate.str()},
                          {"mode", std::string(to_string(e.mode))}};
      if (e.metric == Metric::Date)
        x["date"] = e.date;
      else
        x["threshold"] = e.threshold.str();
      j["escalations"].push_back(x);
    }
  }
  if (!a.streams_per_unit.is_zero()) j["streams_per_unit"] = a.streams_per_unit.str();
  if (a.proration) j["proration"] = {{"produced", a.proration->produced}, {"total", a.proration->total}};
  if (!a.advance.is_zero()) j["advance"] = a.advance.str();
  if (a.recoupment)
    j["recoupment"] = {{"method", std::string(to_string(a.recoupment->method))},
                       {"costs", a.recoupment->costs.str()},
                       {"artist_rate", a.recoupment->artist_rate.str()}};
  put(j, "lock_in_until", a.lock_in_until);
  if (a.vesting)
    j["vesting"] = {{"start", a.vesting->start}, {"months", a.vesting->months}, {"cliff", a.vesting->cliff}};
  put(j, "currency", a.currency);
  if (!a.withholding.is_zero()) j["withholding"] = a.withholding.str();
  if (!a.contributions.empty()) j["contributions"] = a.contributions;
  put(j, "notes", a.notes);
  return j;
}

nlohmann::json to_json(const Sheet& s) {
  const Release& r = s.release;
  nlohmann::json rel = {
      {"title", r.title}, {"type", r.type}, {"artists", r.artists}, {"parental_warning", r.parental_warning}};
  put(rel, "upc", r.upc);
  put(rel, "grid", r.grid);
  put(rel, "catalog_number", r.catalog_number);
  put(rel, "label", r.label);
  put(rel, "distributor", r.distributor);
  put(rel, "release_date", r.release_date);
  put(rel, "genre", r.genre);
  if (r.p_line) rel["p_line"] = line(r.p_line);
  if (r.c_line) rel["c_line"] = line(r.c_line);
  rel["credits"] = nlohmann::json::array();
  for (const auto& c : r.credits)
    rel["credits"].push_back(to_json(c));

  nlohmann::json parties = nlohmann::json::array();
  for (const auto& p : s.parties)
    parties.push_back(to_json(p));

  nlohmann::json tracks = nlohmann::json::array();
  for (const Track& t : s.tracks) {
    nlohmann::json j = {{"number", t.number}, {"disc", t.disc}, {"title", t.title}};
    put(j, "version", t.version);
    put(j, "isrc", t.isrc);
    put(j, "iswc", t.iswc);
    put(j, "duration", t.duration);
    put(j, "file", t.file);
    j["artists"] = s.display_artists(t);
    if (!t.featured.empty()) j["featured"] = t.featured;
    if (t.explicit_content) j["explicit"] = *t.explicit_content;
    j["credits"] = nlohmann::json::array();
    for (const auto& c : s.effective_credits(t))
      j["credits"].push_back(to_json(c));
    j["master"] = nlohmann::json::array();
    for (const auto& x : t.master)
      j["master"].push_back(to_json(x));
    j["publishing"] = nlohmann::json::array();
    for (const auto& x : t.publishing)
      j["publishing"].push_back(to_json(x));
    tracks.push_back(std::move(j));
  }

  nlohmann::json out = {{"liner", "sheet"},
                        {"version", kSheetJsonVersion},
                        {"release", rel},
                        {"parties", parties},
                        {"tracks", tracks}};
  if (s.delivery.present) {
    nlohmann::json d = {{"recipients", s.delivery.recipients}, {"language", s.delivery.language}};
    put(d, "sender", s.delivery.sender);
    put(d, "message_control", s.delivery.message_control);
    out["delivery"] = d;
  }
  if (!s.agreements.empty()) {
    out["agreements"] = nlohmann::json::array();
    for (const Agreement& a : s.agreements)
      out["agreements"].push_back(to_json(a));
  }
  if (!s.deals.empty()) {
    out["deals"] = nlohmann::json::array();
    for (const Deal& d : s.deals) {
      nlohmann::json j = {{"territories", d.territories},
                          {"commercial_models", d.commercial_models},
                          {"use_types", d.use_types}};
      put(j, "start_date", d.start_date);
      out["deals"].push_back(j);
    }
  }
  return out;
}

} // namespace liner::credits
