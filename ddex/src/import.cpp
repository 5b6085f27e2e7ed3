// liner ddex: ERN message -> sheet. ERN 4.x (PartyList + references) and ERN 3.8.2 (inline parties,
// details by territory) share one reader: `Reader::party_of` resolves either form. Mapping: docs/ddex.md.
#include "common.hpp"
#include "xml.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <liner/credits/roles.hpp>
#include <liner/credits/text.hpp>
#include <liner/ddex/ddex.hpp>
#include <map>
#include <set>

namespace liner::ddex {
namespace {

using namespace detail;
using credits::Credit;
using credits::Party;
using credits::Share;
using credits::Term;

// The first descendant element named `name` (depth-first, document order).
xmlNode* find(const xmlNode* n, std::string_view name) {
  if (!n) return nullptr;
  for (xmlNode* c = n->children; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    if (local(c) == name) return c;
    if (xmlNode* f = find(c, name)) return f;
  }
  return nullptr;
}

// For ERN 3.8.2: the first <...DetailsByTerritory> child, where most resource/release fields live.
xmlNode* details(const xmlNode* n) {
  for (xmlNode* c = n ? n->children : nullptr; c; c = c->next)
    if (c->type == XML_ELEMENT_NODE && local(c).find("DetailsByTerritory") != std::string_view::npos)
      return c;
  return nullptr;
}

int to_int(const std::string& s, int fallback) {
  try {
    return s.empty() ? fallback : std::stoi(s);
  } catch (...) {
    return fallback;
  }
}

class Reader {
public:
  Reader(const ErnVersion* v, const std::string& name, ImportResult& r)
      : v_(v), name_(name), r_(r), s_(r.sheet) {}

  void run(xmlNode* root) {
    s_.delivery.language = attr(root, "LanguageAndScriptCode");
    if (s_.delivery.language.empty()) s_.delivery.language = "en";
    parties(child(root, "PartyList"));
    resources_ = child(root, "ResourceList");
    for (xmlNode* sr : children(resources_, "SoundRecording"))
      recordings_[child_text(sr, "ResourceReference")] = sr;
    header(child(root, "MessageHeader"));
    xmlNode* releases = child(root, "ReleaseList");
    xmlNode* main = main_release(releases);
    if (!main) {
      r_.diagnostics.error("ddex-import-no-release", "the message has no release",
                           where(name_, releases ? releases : root));
      return;
    }
    release(main);
    tracks(main);
    hoist_release_credits();
    deals(child(root, "DealList"), child_text(main, "ReleaseReference"));
    classify_parties();
    if (s_.tracks.empty())
      r_.diagnostics.note(
          "ddex-import-no-sound-recordings",
          "the main release has no sound recordings (video or other resources are not imported)",
          where(name_, main));
  }

private:
  // --- parties ---
  std::string unique_id(std::string base) {
    std::string id;
    for (char c : base) {
      unsigned char u = static_cast<unsigned char>(c);
      if (std::isalnum(u) || c == '-' || c == '_')
        id += c;
      else if (c == ' ' && !id.empty() && id.back() != '-')
        id += '-';
    }
    while (!id.empty() && id.back() == '-')
      id.pop_back();
    if (id.empty()) id = "party";
    std::string out = id;
    for (int i = 2; ids_.count(out); ++i)
      out = fmt::format("{}-{}", id, i);
    ids_.insert(out);
    return out;
  }

  void parties(xmlNode* list) {
    for (xmlNode* p : children(list, "Party")) {
      Party party;
      std::string ref = child_text(p, "PartyReference");
      party.id = unique_id(ref.size() > 1 && ref[0] == 'P' ? ref.substr(1) : ref);
      xmlNode* pn = child(p, "PartyName");
      party.name = child_text(pn, "FullName");
      party.latin_name = child_text(pn, "FullNameAsciiTranscribed");
      for (xmlNode* id : children(p, "PartyId")) {
        if (party.isni.empty()) party.isni = child_text(id, "ISNI");
        if (party.dpid.empty()) party.dpid = child_text(id, "DPID");
        if (party.ipi.empty()) party.ipi = child_text(id, "IpiNameNumber");
        if (party.ipn.empty()) party.ipn = child_text(id, "IPN");
      }
      if (party.name.empty()) party.name = party.latin_name.empty() ? party.id : party.latin_name;
      by_ref_[ref] = party.id;
      s_.parties.push_back(std::move(party));
    }
  }

  // A party by inline name (ERN 3.8.2, MessageHeader), created once per folded name.
  std::string party_by_name(const std::string& name, const std::string& dpid = {}) {
    if (!dpid.empty())
      for (const auto& p : s_.parties)
        if (p.dpid == dpid) return p.id;
    std::string key = credits::fold_name(name.empty() ? dpid : name);
    if (auto it = by_name_.find(key); it != by_name_.end()) return it->second;
    Party p;
    p.id = unique_id(credits::lower(name.empty() ? dpid : name));
    p.name = name.empty() ? dpid : name;
    if (dpid.rfind("PADPIDA", 0) == 0) p.dpid = dpid;
    by_name_[key] = p.id;
    s_.parties.push_back(p);
    return p.id;
  }

  // The party an element refers to: a <...PartyReference> child (ERN 4) or an inline <PartyName>.
  std::string party_of(const xmlNode* n) {
    for (xmlNode* c = n->children; c; c = c->next) {
      if (c->type != XML_ELEMENT_NODE) continue;
      std::string_view ln = local(c);
      if (ln.size() >= 14 && ln.substr(ln.size() - 14) == "PartyReference") {
        std::string ref = text(c);
        if (auto it = by_ref_.find(ref); it != by_ref_.end()) return it->second;
        r_.diagnostics.warning("ddex-unresolved-reference",
                               fmt::format("party '{}' is not in the PartyList", ref), where(name_, c));
        return party_by_name(ref);
      }
    }
    if (xmlNode* pn = child(n, "PartyName")) return party_by_name(child_text(pn, "FullName"));
    return {};
  }

  void header(xmlNode* h) {
    if (!h) return;
    auto messaging = [&](xmlNode* m) {
      return party_by_name(child_text(child(m, "PartyName"), "FullName"), child_text(m, "PartyId"));
    };
    if (xmlNode* snd = child(h, "MessageSender")) s_.delivery.sender = messaging(snd);
    for (xmlNode* rc : children(h, "MessageRecipient"))
      s_.delivery.recipients.push_back(messaging(rc));
    s_.delivery.message_control = child_text(h, "MessageControlType");
    if (s_.delivery.message_control.empty()) s_.delivery.message_control = "TestMessage";
    s_.delivery.present = true;
  }

  // --- release ---
  xmlNode* main_release(xmlNode* list) {
    if (!list) return nullptr;
    auto all = children(list, "Release");
    for (xmlNode* r : all)
      if (attr(r, "IsMainRelease") == "true") return r;
    return all.empty() ? nullptr : all.front();
  }

  std::string title_of(const xmlNode* n, std::string* version = nullptr) {
    const xmlNode* d = details(n);
    for (const xmlNode* where : {n, d}) {
      if (!where) continue;
      if (xmlNode* t = child(where, "DisplayTitle")) {
        if (version) *version = child_text(t, "SubTitle");
        return child_text(t, "TitleText");
      }
      for (xmlNode* t : children(where, "Title"))
        if (attr(t, "TitleType") == "DisplayTitle") {
          if (version) *version = child_text(t, "SubTitle");
          return child_text(t, "TitleText");
        }
    }
    if (std::string t = child_text(n, "DisplayTitleText"); !t.empty()) return t;
    if (xmlNode* t = child(n, "ReferenceTitle")) return child_text(t, "TitleText");
    return {};
  }

  // Display artists in SequenceNumber order: main (MainArtist/Artist) and featured.
  void artists_of(const xmlNode* n, std::vector<std::string>& main, std::vector<std::string>& featured) {
    std::vector<std::pair<int, xmlNode*>> list;
    for (const xmlNode* where : {n, static_cast<const xmlNode*>(details(n))})
      if (where && list.empty())
        for (xmlNode* a : children(where, "DisplayArtist"))
          list.emplace_back(to_int(attr(a, "SequenceNumber"), static_cast<int>(list.size()) + 1), a);
    std::stable_sort(list.begin(), list.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto& [seq, a] : list) {
      std::string role = child_text(a, "DisplayArtistRole");
      if (role.empty()) role = child_text(a, "ArtistRole");
      std::string id = party_of(a);
      if (id.empty()) continue;
      if (role == "FeaturedArtist")
        featured.push_back(id);
      else if (role == "MainArtist" || role == "Artist" || role.empty())
        main.push_back(id);
    }
  }

  std::optional<credits::CopyrightLine> line_of(const xmlNode* n, const char* name) {
    const xmlNode* l = child(n, name);
    if (!l && details(n)) l = child(details(n), name);
    if (!l) return std::nullopt;
    credits::CopyrightLine c;
    c.year = to_int(child_text(l, "Year"), 0);
    c.owner = child_text(l, std::string(name) + "Company");
    if (c.owner.empty()) {
      std::string t = child_text(l, std::string(name) + "Text");
      for (std::string_view p : {"(P)", "(C)", "\xE2\x84\x97", "\xC2\xA9"})
        if (t.rfind(p, 0) == 0) t = std::string(credits::trim(std::string_view(t).substr(p.size())));
      std::string y = std::to_string(c.year);
      if (c.year > 0 && t.rfind(y, 0) == 0)
        t = std::string(credits::trim(std::string_view(t).substr(y.size())));
      c.owner = t;
    }
    return c;
  }

  std::string field(const xmlNode* n, std::string_view name) {
    std::string v = child_text(n, name);
    if (v.empty() && details(n)) v = child_text(details(n), name);
    return v;
  }

  void release(xmlNode* rel) {
    auto& r = s_.release;
    r.title = title_of(rel);
    if (xmlNode* t = child(rel, "ReleaseType")) {
      r.type = text(t);
      if (r.type == "UserDefined" && !attr(t, "UserDefinedValue").empty())
        r.type = attr(t, "UserDefinedValue");
    }
    xmlNode* id = child(rel, "ReleaseId");
    r.upc = child_text(id, "ICPN");
    r.grid = child_text(id, "GRid");
    r.catalog_number = child_text(id, "CatalogNumber");
    std::vector<std::string> feat;
    artists_of(rel, r.artists, feat);
    if (xmlNode* l = child(rel, "ReleaseLabelReference")) {
      auto it = by_ref_.find(text(l));
      if (it != by_ref_.end()) r.label = it->second;
    } else if (std::string ln = field(rel, "LabelName"); !ln.empty()) {
      r.label = party_by_name(ln);
    }
    if (!r.label.empty()) labels_.insert(r.label);
    if (!s_.delivery.sender.empty() && s_.delivery.sender != r.label) r.distributor = s_.delivery.sender;
    r.release_date = field(rel, "ReleaseDate");
    if (r.release_date.empty()) r.release_date = field(rel, "OriginalReleaseDate");
    if (r.release_date.size() > 10) r.release_date = r.release_date.substr(0, 10);
    xmlNode* g = child(rel, "Genre");
    if (!g && details(rel)) g = child(details(rel), "Genre");
    r.genre = child_text(g, "GenreText");
    r.p_line = line_of(rel, "PLine");
    r.c_line = line_of(rel, "CLine");
    std::string pw = field(rel, "ParentalWarningType");
    if (!pw.empty()) r.parental_warning = pw;
  }

  // --- tracks ---
  void group(xmlNode* g, int disc, bool nested) {
    int running = 0;
    for (xmlNode* c = g->children; c; c = c->next) {
      if (is(c, "ResourceGroup")) {
        int d = to_int(child_text(c, "SequenceNumber"), disc);
        group(c, nested ? disc : d, true);
      } else if (is(c, "ResourceGroupContentItem")) {
        ++running;
        std::string ref = child_text(c, "ReleaseResourceReference");
        auto it = recordings_.find(ref);
        if (it == recordings_.end()) continue;
        if (!used_.insert(ref).second) continue;
        track(it->second, disc, to_int(child_text(c, "SequenceNumber"), running));
      }
    }
  }

  void tracks(xmlNode* rel) {
    xmlNode* g = child(rel, "ResourceGroup");
    if (!g && details(rel)) g = child(details(rel), "ResourceGroup");
    if (g) group(g, 1, false);
    if (s_.tracks.empty()) {
      int n = 0;
      for (xmlNode* sr : children(resources_, "SoundRecording"))
        track(sr, 1, ++n);
    }
  }

  Term term(xmlNode* n, bool instrument) {
    std::string v = text(n);
    if (v == "UserDefined") return Term{attr(n, "UserDefinedValue"), true};
    auto look = instrument ? credits::resolve_instrument(v) : credits::resolve_role(v);
    if (look.term && !look.via_alias) return *look.term;
    return Term{v, true};
  }

  void contributors(xmlNode* holder, credits::Track& t) {
    auto add = [&](xmlNode* c, std::string_view role_name) {
      std::string party = party_of(c);
      if (party.empty()) return;
      auto it =
          std::find_if(t.credits.begin(), t.credits.end(), [&](const Credit& x) { return x.party == party; });
      if (it == t.credits.end()) {
        t.credits.push_back(Credit{});
        it = std::prev(t.credits.end());
        it->party = party;
      }
      for (xmlNode* r : children(c, role_name)) {
        Term tm = term(r, false);
        if (std::find(it->roles.begin(), it->roles.end(), tm) == it->roles.end()) it->roles.push_back(tm);
      }
      for (xmlNode* r : children(c, "InstrumentType")) {
        Term tm = term(r, true);
        if (std::find(it->instruments.begin(), it->instruments.end(), tm) == it->instruments.end())
          it->instruments.push_back(tm);
      }
    };
    std::vector<std::pair<int, std::pair<xmlNode*, std::string_view>>> list;
    for (xmlNode* c : children(holder, "Contributor"))
      list.push_back({to_int(attr(c, "SequenceNumber"), static_cast<int>(list.size()) + 1), {c, "Role"}});
    for (xmlNode* c : children(holder, "ResourceContributor"))
      list.push_back({to_int(attr(c, "SequenceNumber"), static_cast<int>(list.size()) + 1),
                      {c, "ResourceContributorRole"}});
    std::stable_sort(list.begin(), list.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto& [seq, e] : list)
      add(e.first, e.second);
    for (xmlNode* c : children(holder, "IndirectResourceContributor"))
      add(c, "IndirectResourceContributorRole");
  }

  void track(xmlNode* sr, int disc, int number) {
    credits::Track t;
    t.disc = disc;
    t.number = number;
    t.title = title_of(sr, &t.version);
    if (xmlNode* isrc = find(sr, "ISRC")) t.isrc = text(isrc);
    if (xmlNode* iswc = find(sr, "ISWC")) t.iswc = text(iswc);
    t.duration = child_text(sr, "Duration");
    if (xmlNode* uri = find(sr, "URI"))
      t.file = text(uri);
    else if (xmlNode* fn = find(sr, "FileName"))
      t.file = text(fn);
    artists_of(sr, t.artists, t.featured);
    if (t.artists == s_.release.artists) t.artists.clear();
    std::string pw = field(sr, "ParentalWarningType");
    if (!pw.empty() && pw != s_.release.parental_warning) {
      if (pw == "Explicit")
        t.explicit_content = true;
      else if (pw == "NotExplicit")
        t.explicit_content = false;
    }
    contributors(sr, t);
    if (xmlNode* d = details(sr)) contributors(d, t);
    for (auto& c : t.credits)
      if (c.roles.empty()) {
        // The sheet needs a role per credit; ERN allows a Contributor without one.
        c.roles.push_back(credits::is_contributor_role("Unknown") ? Term{"Unknown", false}
                                                                  : Term{"Unknown", true});
        r_.diagnostics.note(
            "ddex-import-no-role",
            fmt::format("contributor '{}' on '{}' has no Role; imported as Unknown", c.party, t.title),
            where(name_, sr));
      }
    auto shares = [&](xmlNode* holder, const char* element, std::vector<Share>& out, bool work) {
      for (xmlNode* rc : children(holder, element)) {
        xmlNode* pct = child(rc, "RightSharePercentage");
        if (!pct) continue;
        auto v = Decimal::parse(text(pct));
        if (!v) continue;
        if (attr(pct, "HasMaxValueOfOne") == "true") *v = v->mul(Decimal::from_int(100));
        Share sh;
        sh.party = party_of(rc);
        sh.percent = *v;
        if (work) {
          std::string type = child_text(rc, "RightsControllerType");
          if (type == "OriginalOwner")
            sh.capacity = credits::Capacity::Writer;
          else if (type == "SuccessorInTitle" || type == "ExclusiveLicensee")
            sh.capacity = credits::Capacity::Publisher;
        }
        if (!sh.party.empty()) out.push_back(sh);
      }
    };
    shares(sr, "ResourceRightsController", t.master, false);
    shares(sr, "WorkRightsController", t.publishing, true);
    if (xmlNode* d = details(sr)) shares(d, "RightsController", t.master, false);
    for (const auto& sh : t.master)
      controllers_.insert(sh.party);
    s_.tracks.push_back(std::move(t));
  }

  // Contributors listed last, identically, on every track were release-level credits (the builder appends
  // those after each track's own): move them back to [[release.credits]].
  void hoist_release_credits() {
    if (s_.tracks.size() < 2) return;
    auto& first = s_.tracks.front().credits;
    std::size_t k = 0;
    while (k < first.size()) {
      const Credit& c = first[first.size() - 1 - k];
      bool everywhere = std::all_of(s_.tracks.begin(), s_.tracks.end(), [&](const credits::Track& t) {
        if (t.credits.size() <= k) return false;
        const Credit& x = t.credits[t.credits.size() - 1 - k];
        // A party credited elsewhere on the track is not a pure release-level credit.
        auto same = std::count_if(t.credits.begin(), t.credits.end(),
                                  [&](const Credit& y) { return y.party == c.party; });
        return x == c && same == 1;
      });
      if (!everywhere || k + 1 >= first.size()) break;
      ++k;
    }
    if (k == 0) return;
    s_.release.credits.assign(first.end() - static_cast<std::ptrdiff_t>(k), first.end());
    for (auto& t : s_.tracks)
      t.credits.resize(t.credits.size() - k);
  }

  // --- deals ---
  void deals(xmlNode* list, const std::string& main_ref) {
    if (!list) return;
    for (xmlNode* rd : children(list, "ReleaseDeal")) {
      bool main = false;
      for (xmlNode* ref : children(rd, "DealReleaseReference"))
        main |= text(ref) == main_ref;
      if (!main) continue;
      for (xmlNode* d : children(rd, "Deal")) {
        xmlNode* terms = child(d, "DealTerms");
        if (!terms) continue;
        credits::Deal deal;
        deal.territories.clear();
        for (xmlNode* t : children(terms, "TerritoryCode"))
          deal.territories.push_back(text(t));
        if (xmlNode* vp = child(terms, "ValidityPeriod")) {
          deal.start_date = child_text(vp, "StartDate");
          if (deal.start_date.empty()) deal.start_date = child_text(vp, "StartDateTime").substr(0, 10);
        }
        for (xmlNode* m : children(terms, "CommercialModelType"))
          deal.commercial_models.push_back(text(m));
        for (xmlNode* u : children(terms, "UseType"))
          deal.use_types.push_back(text(u));
        if (xmlNode* usage = child(terms, "Usage"))
          for (xmlNode* u : children(usage, "UseType"))
            deal.use_types.push_back(text(u));
        if (deal.territories.empty()) deal.territories = {"Worldwide"};
        // Merge deals that differ only by territory (ERN often repeats one deal per country).
        auto same = std::find_if(s_.deals.begin(), s_.deals.end(), [&](const credits::Deal& x) {
          return x.start_date == deal.start_date && x.commercial_models == deal.commercial_models &&
                 x.use_types == deal.use_types;
        });
        if (same == s_.deals.end())
          s_.deals.push_back(std::move(deal));
        else
          for (auto& t : deal.territories)
            if (std::find(same->territories.begin(), same->territories.end(), t) == same->territories.end())
              same->territories.push_back(t);
      }
    }
  }

  // ERN has no person/organisation flag: parties with a DPID, labels and the message parties are
  // organisations; everyone else is a person.
  void classify_parties() {
    std::set<std::string> orgs = labels_;
    orgs.insert(s_.delivery.sender);
    for (const auto& r : s_.delivery.recipients)
      orgs.insert(r);
    if (!s_.release.distributor.empty()) orgs.insert(s_.release.distributor);
    for (auto& p : s_.parties)
      p.kind = (!p.dpid.empty() || orgs.count(p.id)) ? credits::PartyKind::Organization
                                                     : credits::PartyKind::Person;
  }

  [[maybe_unused]] const ErnVersion* v_;
  const std::string& name_;
  ImportResult& r_;
  credits::Sheet& s_;
  xmlNode* resources_ = nullptr;
  std::map<std::string, xmlNode*> recordings_;
  std::map<std::string, std::string> by_ref_, by_name_;
  std::set<std::string> ids_, used_, labels_, controllers_;
};

} // namespace

ImportResult import_ern(std::string_view xml, const std::string& name) {
  ImportResult r;
  Doc doc = safe_parse(xml, name, r.diagnostics);
  if (!doc) return r;
  xmlNode* root = xmlDocGetRootElement(doc.get());
  std::string ns = root->ns && root->ns->href ? reinterpret_cast<const char*>(root->ns->href) : "";
  r.version = version_by_namespace(ns);
  if (!r.version || local(root) != "NewReleaseMessage") {
    r.diagnostics.error(
        "ddex-unknown-version",
        fmt::format("<{}> in namespace '{}' is not an ERN NewReleaseMessage liner reads", local(root), ns),
        where(name, root));
    return r;
  }
  r.sheet.path.clear();
  Reader(r.version, name, r).run(root);
  return r;
}

ImportResult import_ern_file(const std::string& path) {
  return import_ern(read_bounded(path), path);
}

} // namespace liner::ddex
