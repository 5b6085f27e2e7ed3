// A direct ERN reader for verification: namespace-agnostic (ERN 3.x and 4.x), keeps an XPath for every
// credit and share it reports.
#include <fmt/format.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <liner/credits/error.hpp>
#include <liner/credits/text.hpp>
#include <liner/verify/verify.hpp>
#include <map>
#include <memory>

namespace liner::verify {
namespace {

inline constexpr std::size_t kMaxErnBytes = 256u << 20;

std::string_view local(const xmlNode* n) {
  return n && n->name ? reinterpret_cast<const char*>(n->name) : "";
}

std::vector<const xmlNode*> children(const xmlNode* n, std::string_view name = {}) {
  std::vector<const xmlNode*> out;
  if (!n) return out;
  for (const xmlNode* c = n->children; c; c = c->next)
    if (c->type == XML_ELEMENT_NODE && (name.empty() || local(c) == name)) out.push_back(c);
  return out;
}

const xmlNode* child(const xmlNode* n, std::string_view name) {
  if (!n) return nullptr;
  for (const xmlNode* c = n->children; c; c = c->next)
    if (c->type == XML_ELEMENT_NODE && local(c) == name) return c;
  return nullptr;
}

// Descendants named `name` (depth first, document order), not descending into matches.
void descendants(const xmlNode* n, std::string_view name, std::vector<const xmlNode*>& out) {
  for (const xmlNode* c = n ? n->children : nullptr; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    if (local(c) == name)
      out.push_back(c);
    else
      descendants(c, name, out);
  }
}
const xmlNode* descendant(const xmlNode* n, std::string_view name) {
  std::vector<const xmlNode*> v;
  descendants(n, name, v);
  return v.empty() ? nullptr : v.front();
}

std::string text(const xmlNode* n) {
  if (!n) return {};
  xmlChar* c = xmlNodeGetContent(n);
  std::string s = c ? reinterpret_cast<const char*>(c) : "";
  xmlFree(c);
  return std::string(credits::trim(s));
}

std::string attr(const xmlNode* n, const char* name) {
  if (!n) return {};
  for (const xmlAttr* a = n->properties; a; a = a->next) {
    if (std::string_view(reinterpret_cast<const char*>(a->name)) != name) continue;
    xmlChar* v = xmlNodeListGetString(n->doc, a->children, 1);
    std::string s = v ? reinterpret_cast<const char*>(v) : "";
    xmlFree(v);
    return s;
  }
  return {};
}

// "/NewReleaseMessage/ResourceList/SoundRecording[2]/Contributor[3]": local names, an index when an
// element has same-named siblings.
std::string xpath(const xmlNode* n) {
  std::vector<std::string> parts;
  for (; n && n->type == XML_ELEMENT_NODE; n = n->parent) {
    int index = 0, count = 0;
    for (const xmlNode* s = n->parent ? n->parent->children : nullptr; s; s = s->next) {
      if (s->type != XML_ELEMENT_NODE || local(s) != local(n)) continue;
      ++count;
      if (s == n) index = count;
    }
    parts.push_back(count > 1 ? fmt::format("{}[{}]", local(n), index) : std::string(local(n)));
  }
  std::string out;
  for (auto it = parts.rbegin(); it != parts.rend(); ++it)
    out += "/" + *it;
  return out;
}

struct PartyInfo {
  std::string name, latin;
  Identifiers ids;
  std::string xpath;
};

PartyInfo party_of(const xmlNode* n) {
  PartyInfo p;
  const xmlNode* pn = child(n, "PartyName");
  p.name = text(child(pn, "FullName"));
  p.latin = text(child(pn, "FullNameAsciiTranscribed"));
  if (p.name.empty()) {
    // ERN 3.x allows names in parts.
    std::string given = text(child(pn, "NamesBeforeKeyName")), key = text(child(pn, "KeyName"));
    p.name = given.empty() ? key : given + " " + key;
  }
  for (const xmlNode* id : children(n, "PartyId")) {
    if (auto v = text(child(id, "ISNI")); !v.empty()) p.ids.isni = normalize_id(v);
    if (auto v = text(child(id, "DPID")); !v.empty()) p.ids.dpid = normalize_id(v);
    if (auto v = text(child(id, "IpiNameNumber")); !v.empty()) p.ids.ipi = normalize_id(v);
    if (auto v = text(child(id, "IPN")); !v.empty()) p.ids.ipn = normalize_id(v);
    // ERN 3.x: <PartyId Namespace="...">value</PartyId> or a bare value.
    if (children(id).empty()) {
      std::string ns = attr(id, "Namespace");
      if (ns == "ISNI" || ns.empty()) p.ids.isni = normalize_id(text(id));
    }
  }
  p.xpath = xpath(n);
  return p;
}

std::string term(const xmlNode* n) {
  std::string v = text(n);
  if (v == "UserDefined") {
    std::string u = attr(n, "UserDefinedValue");
    return u.empty() ? v : "custom:" + u;
  }
  return v;
}

void push_unique(std::vector<std::string>& v, const std::string& s) {
  if (!s.empty() && std::find(v.begin(), v.end(), s) == v.end()) v.push_back(s);
}

struct FreeDoc {
  void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};

} // namespace

Observed observe_ern(std::string_view xml, const std::string& name) {
  Observed o;
  o.source = Source::Ddex;
  o.origin = name;
  if (xml.size() > kMaxErnBytes) {
    o.diagnostics.error("verify-ddex-too-large", "the message is larger than 256 MiB",
                        Location{name, 0, 0, {}});
    o.unreadable.push_back(name);
    return o;
  }
  std::unique_ptr<xmlDoc, FreeDoc> doc(
      xmlReadMemory(xml.data(), static_cast<int>(xml.size()), name.c_str(), nullptr,
                    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOBLANKS));
  if (!doc) {
    const xmlError* e = xmlGetLastError();
    Location loc{name, 0, 0, {}};
    std::string msg = "not well-formed XML";
    if (e) {
      loc.line = static_cast<std::uint32_t>(e->line > 0 ? e->line : 0);
      if (e->message) msg += ": " + std::string(credits::trim(e->message));
    }
    o.diagnostics.error("verify-ddex-xml", msg, loc);
    o.unreadable.push_back(name);
    return o;
  }
  const xmlNode* root = xmlDocGetRootElement(doc.get());
  std::string root_name(local(root));
  if (root_name.find("ReleaseMessage") == std::string::npos) {
    o.diagnostics.error("verify-ddex-not-ern",
                        fmt::format("the root element is {}, not an ERN message", root_name),
                        Location{name, 0, 0, "/" + root_name});
    o.unreadable.push_back(name);
    return o;
  }

  // Parties by reference (ERN 4.x PartyList).
  std::map<std::string, PartyInfo, std::less<>> parties;
  for (const xmlNode* p : children(child(root, "PartyList"), "Party")) {
    std::string ref = text(child(p, "PartyReference"));
    if (!ref.empty()) parties.emplace(ref, party_of(p));
  }
  // Track numbers: the main release's ResourceGroupContentItems.
  std::map<std::string, int, std::less<>> numbers;
  {
    const xmlNode* release = descendant(child(root, "ReleaseList"), "Release");
    std::vector<const xmlNode*> items;
    descendants(release, "ResourceGroupContentItem", items);
    for (const xmlNode* item : items) {
      std::string ref = text(child(item, "ReleaseResourceReference"));
      std::string seq = text(child(item, "SequenceNumber"));
      if (ref.empty() || seq.empty()) continue;
      int n = std::atoi(seq.c_str());
      if (n > 0) numbers.emplace(ref, n);
    }
  }

  auto resolve = [&](const xmlNode* holder, const char* ref_element, PartyInfo& out,
                     std::string& where_party) {
    if (const xmlNode* r = child(holder, ref_element)) {
      std::string ref = text(r);
      auto it = parties.find(ref);
      if (it == parties.end()) {
        o.diagnostics.warning("verify-ddex-party-ref",
                              fmt::format("party reference {} is not in the PartyList", ref),
                              Location{name, 0, 0, xpath(r)});
        out.name = ref;
        return false;
      }
      out = it->second;
      where_party = it->second.xpath;
      return true;
    }
    if (child(holder, "PartyName")) {
      out = party_of(holder);
      return true;
    }
    return false;
  };

  std::vector<const xmlNode*> recordings;
  descendants(child(root, "ResourceList"), "SoundRecording", recordings);
  for (const xmlNode* sr : recordings) {
    ObservedTrack t;
    t.isrc = normalize_id(text(descendant(sr, "ISRC")));
    std::string ref = text(child(sr, "ResourceReference"));
    if (auto it = numbers.find(ref); it != numbers.end()) t.number = it->second;
    t.title = text(descendant(sr, "DisplayTitleText"));
    if (t.title.empty()) t.title = text(descendant(sr, "TitleText"));
    t.where = Place{name, {}, xpath(sr)};

    for (const char* el : {"Contributor", "ResourceContributor", "IndirectResourceContributor"}) {
      std::vector<const xmlNode*> cs;
      descendants(sr, el, cs);
      for (const xmlNode* c : cs) {
        ObservedCredit oc;
        PartyInfo p;
        std::string party_xpath;
        resolve(c, std::string_view(el) == "Contributor" ? "ContributorPartyReference" : "PartyReference", p,
                party_xpath);
        oc.name = p.name;
        oc.latin_name = p.latin;
        oc.ids = p.ids;
        oc.ids_known = true;
        oc.where = Place{name, {}, xpath(c)};
        if (!party_xpath.empty()) oc.also.push_back(Place{name, {}, party_xpath});
        for (const xmlNode* r : children(c))
          if (auto n = local(r);
              n == "Role" || n == "ResourceContributorRole" || n == "IndirectResourceContributorRole")
            push_unique(oc.roles, term(r));
        for (const xmlNode* r : children(c, "InstrumentType"))
          push_unique(oc.instruments, term(r));
        if (oc.name.empty()) {
          o.diagnostics.warning("verify-ddex-nameless", "a contributor without a name",
                                Location{name, 0, 0, oc.where.xpath});
          continue;
        }
        t.credits.push_back(std::move(oc));
      }
    }
    merge_same_names(t);

    auto shares = [&](const char* el) {
      std::vector<const xmlNode*> rs;
      descendants(sr, el, rs);
      std::optional<std::vector<ObservedShare>> out;
      for (const xmlNode* r : rs) {
        if (!out) out.emplace();
        ObservedShare s;
        PartyInfo p;
        std::string party_xpath;
        resolve(r, "RightsControllerPartyReference", p, party_xpath);
        s.name = p.name;
        s.latin_name = p.latin;
        s.ids = p.ids;
        s.where = Place{name, {}, xpath(r)};
        std::string pct = text(child(r, "RightSharePercentage"));
        auto d = Decimal::parse(pct);
        if (!d) {
          o.diagnostics.warning("verify-ddex-share",
                                fmt::format("RightSharePercentage '{}' is not a number", pct),
                                Location{name, 0, 0, s.where.xpath});
          continue;
        }
        s.percent = *d;
        out->push_back(std::move(s));
      }
      return out;
    };
    t.master = shares("ResourceRightsController");
    t.publishing = shares("WorkRightsController");
    if (!t.master) t.master.emplace(); // an ERN can carry master shares: none written is a finding
    o.tracks.push_back(std::move(t));
  }
  if (recordings.empty())
    o.diagnostics.warning("verify-ddex-empty", "the message has no SoundRecording",
                          Location{name, 0, 0, "/" + root_name});
  return o;
}

Observed observe_ern_file(const std::string& path) {
  std::string xml = credits::read_file(path, kMaxErnBytes);
  return observe_ern(xml, path);
}

} // namespace liner::verify
