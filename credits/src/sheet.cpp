#include <algorithm>
#include <liner/credits/sheet.hpp>
#include <liner/credits/text.hpp>
#include <string>

namespace liner::credits {

std::string_view to_string(PartyKind k) {
  return k == PartyKind::Organization ? "organization" : "person";
}

std::string_view to_string(Tier t) {
  switch (t) {
  case Tier::Primary:
    return "primary";
  case Tier::Co:
    return "co";
  case Tier::Additional:
    return "additional";
  case Tier::Assistant:
    return "assistant";
  case Tier::Unspecified:
    break;
  }
  return "";
}

std::string_view to_string(Capacity c) {
  switch (c) {
  case Capacity::Writer:
    return "writer";
  case Capacity::Publisher:
    return "publisher";
  case Capacity::Unspecified:
    break;
  }
  return "";
}

std::optional<PartyKind> parse_party_kind(std::string_view text) {
  std::string k = lower(text);
  if (k == "person") return PartyKind::Person;
  if (k == "organization" || k == "organisation" || k == "company") return PartyKind::Organization;
  return std::nullopt;
}

std::optional<Tier> parse_tier(std::string_view text) {
  std::string k = lower(text);
  if (k == "primary") return Tier::Primary;
  if (k == "co") return Tier::Co;
  if (k == "additional") return Tier::Additional;
  if (k == "assistant") return Tier::Assistant;
  return std::nullopt;
}

std::optional<Capacity> parse_capacity(std::string_view text) {
  std::string k = lower(text);
  if (k == "writer") return Capacity::Writer;
  if (k == "publisher") return Capacity::Publisher;
  return std::nullopt;
}

Location SourceMap::at(std::string_view path) const {
  std::string p(path);
  while (!p.empty()) {
    if (auto it = map_.find(p); it != map_.end()) return it->second;
    // Walk up: "a.b[2].c" -> "a.b[2]" -> "a.b" -> "a".
    auto cut = p.find_last_of(".[");
    if (cut == std::string::npos) break;
    p.resize(cut);
  }
  Location l;
  l.file = file_;
  return l;
}

bool is_valid_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u})
    if (s[i] < '0' || s[i] > '9') return false;
  int y = std::stoi(std::string(s.substr(0, 4)));
  int m = (s[5] - '0') * 10 + (s[6] - '0');
  int d = (s[8] - '0') * 10 + (s[9] - '0');
  if (y < 1 || m < 1 || m > 12 || d < 1) return false;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return d <= kDays[m - 1] + (m == 2 && leap ? 1 : 0);
}

const Party* Sheet::party(std::string_view id) const {
  auto it = std::find_if(parties.begin(), parties.end(), [&](const Party& p) { return p.id == id; });
  return it == parties.end() ? nullptr : &*it;
}

namespace {
template <class T> void add_missing(std::vector<T>& into, const std::vector<T>& from) {
  for (const auto& x : from)
    if (std::find(into.begin(), into.end(), x) == into.end()) into.push_back(x);
}
} // namespace

std::vector<Credit> Sheet::effective_credits(const Track& t) const {
  // One credit per party: a party credited twice on the track, or again at release level, gets one credit
  // with every role, instrument, deliverable and contribution, in first-seen order.
  std::vector<Credit> out;
  auto merge = [&out](const Credit& c) {
    auto it = std::find_if(out.begin(), out.end(), [&](const Credit& x) { return x.party == c.party; });
    if (it == out.end()) {
      out.push_back(c);
      return;
    }
    add_missing(it->roles, c.roles);
    add_missing(it->instruments, c.instruments);
    add_missing(it->deliverables, c.deliverables);
    add_missing(it->contributions, c.contributions);
  };
  for (const Credit& c : t.credits)
    merge(c);
  for (const Credit& c : release.credits)
    merge(c);
  return out;
}

const std::vector<std::string>& Sheet::display_artists(const Track& t) const {
  return t.artists.empty() ? release.artists : t.artists;
}

} // namespace liner::credits
