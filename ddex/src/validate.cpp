// liner ddex: ERN validation. The official XSD (compiled once per process per schema file, reused) plus
// built-in rules the XSD cannot express. Every diagnostic code is listed in docs/ddex.md.
#include "common.hpp"
#include "xml.hpp"

#include <algorithm>
#include <filesystem>
#include <fmt/format.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlschemas.h>
#include <liner/credits/error.hpp>
#include <liner/credits/sheet.hpp>
#include <liner/ddex/ddex.hpp>
#include <liner/validators/identifiers.hpp>
#include <liner/validators/sheet_rules.hpp>
#include <map>
#include <mutex>
#include <optional>
#include <set>

namespace liner::ddex {
namespace {

using namespace detail;
namespace fs = std::filesystem;

// Process-wide cache of compiled schemas, keyed by absolute path. Compiled schemas are read-only
// during validation and may be shared by validation contexts.
struct SchemaCache {
  std::mutex mu;
  std::map<std::string, xmlSchemaPtr> schemas;
  ~SchemaCache() {
    for (auto& [k, s] : schemas)
      xmlSchemaFree(s);
  }
};

SchemaCache& cache() {
  static SchemaCache c;
  return c;
}

xmlSchemaPtr compiled_schema(const std::string& path) {
  auto& c = cache();
  std::lock_guard lock(c.mu);
  if (auto it = c.schemas.find(path); it != c.schemas.end()) return it->second;
  std::error_code ec;
  if (!fs::is_regular_file(path, ec))
    throw Error(path, "schema not found (check --schema-dir / LINER_DDEX_SCHEMAS)");
  SchemaLoadScope scope;
  std::string errors;
  xmlSetStructuredErrorFunc(&errors, [](void* ctx, xmlErrorPtr e) {
    auto* s = static_cast<std::string*>(ctx);
    if (e && e->message && s->size() < 2000) *s += e->message;
  });
  xmlSchemaParserCtxtPtr pc = xmlSchemaNewParserCtxt(path.c_str());
  xmlSchemaPtr schema = pc ? xmlSchemaParse(pc) : nullptr;
  if (pc) xmlSchemaFreeParserCtxt(pc);
  xmlSetStructuredErrorFunc(nullptr, nullptr);
  if (!schema) throw Error(path, "cannot compile schema: " + errors);
  c.schemas.emplace(path, schema);
  return schema;
}

bool digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
}

// ddex_IsoDate: YYYY, YYYY-MM or YYYY-MM-DD (a real calendar date).
bool iso_date(std::string_view s) {
  if (s.size() == 4) return digits(s);
  if (s.size() == 7) {
    if (!digits(s.substr(0, 4)) || s[4] != '-' || !digits(s.substr(5))) return false;
    int m = (s[5] - '0') * 10 + (s[6] - '0');
    return m >= 1 && m <= 12;
  }
  return s.size() == 10 && credits::is_valid_date(s);
}

bool iso_datetime(std::string_view s) {
  if (s.size() < 19 || s[10] != 'T') return false;
  if (!credits::is_valid_date(s.substr(0, 10))) return false;
  auto t = s.substr(11, 8);
  return std::isdigit(static_cast<unsigned char>(t[0])) && t[2] == ':' && t[5] == ':';
}

class Rules {
public:
  Rules(const ErnVersion* v, const std::string& name, Diagnostics& d) : v_(v), name_(name), d_(d) {}

  // Streaming use: root() once, visit() for every child of the root's children (a Party, a SoundRecording,
  // a Release, a ReleaseDeal...), finish() at the end to resolve references.
  void root(xmlNode* root) { classical_ = attr(root, "ReleaseProfileVariantVersionId") == "Classical"; }

  void visit(std::string_view section, xmlNode* n) {
    define(n);
    collect(n);
    check(n);
    walk(n);
    if (section == "ResourceList") resource(n);
    if (section == "ReleaseList") main_artists(n);
  }

  const std::set<std::string>& defs(char kind) const {
    return kind == 'P' ? parties_ : kind == 'A' ? resources_ : kind == 'R' ? releases_ : visibilities_;
  }

  void finish() {
    for (const auto& p : pending_) {
      if (defs(p.kind).count(p.value)) continue;
      const char* what = p.kind == 'P'   ? "Party"
                         : p.kind == 'A' ? "resource"
                         : p.kind == 'R' ? "release"
                                         : "ReleaseVisibility";
      d_.error("ddex-unresolved-reference",
               fmt::format("{} '{}' refers to no {} in the message", p.element, p.value, what), p.loc);
    }
  }

private:
  void define(xmlNode* c) {
    std::string_view ln = local(c), parent = c->parent ? local(c->parent) : std::string_view();
    if (ln == "PartyReference" && parent == "Party")
      parties_.insert(text(c));
    else if (ln == "ResourceReference" && c->parent && c->parent->parent &&
             is(c->parent->parent, "ResourceList"))
      resources_.insert(text(c));
    else if (ln == "ReleaseReference" &&
             (parent == "Release" || parent == "TrackRelease" || parent == "ClipRelease"))
      releases_.insert(text(c));
    else if (ln == "VisibilityReference")
      visibilities_.insert(text(c));
  }

  void collect(xmlNode* n) {
    for (xmlNode* c = n->children; c; c = c->next) {
      if (c->type != XML_ELEMENT_NODE) continue;
      define(c);
      collect(c);
    }
  }

  // References are resolved at the end: in a stream, a definition may come after its use.
  void reference(xmlNode* n, char kind, const std::string& value) {
    if (defs(kind).count(value)) return;
    pending_.push_back({kind, value, std::string(local(n)), where(name_, n)});
  }

  void identifier(xmlNode* n, validators::IdKind kind) {
    std::string v = text(n);
    auto c = validators::check_id(kind, v);
    if (!c.ok)
      d_.error(c.code.empty() ? "ddex-identifier" : c.code,
               fmt::format("{} '{}': {}", validators::to_string(kind), v, c.message), where(name_, n));
  }

  void walk(xmlNode* n) {
    for (xmlNode* c = n->children; c; c = c->next) {
      if (c->type != XML_ELEMENT_NODE) continue;
      check(c);
      walk(c);
    }
  }

  void check(xmlNode* c) {
    {
      std::string_view ln = local(c), parent = c->parent ? local(c->parent) : std::string_view();
      bool leaf = !xmlFirstElementChild(c);
      if (leaf) {
        std::string v = text(c);
        // References (resolved in finish()).
        if (v_ && v_->has_party_list() && ln != "PartyReference" && ln.size() > 14 &&
            ln.substr(ln.size() - 14) == "PartyReference")
          reference(c, 'P', v);
        else if (v_ && v_->has_party_list() && ln == "ReleaseLabelReference")
          reference(c, 'P', v);
        else if (ln == "ReleaseResourceReference" || ln == "LinkedReleaseResourceReference")
          reference(c, 'A', v);
        else if (ln == "DealReleaseReference" || ln == "ResourceGroupReleaseReference")
          reference(c, 'R', v);
        else if (ln == "ReleaseVisibilityReference")
          reference(c, 'V', v);
        // Identifiers.
        if (ln == "ISRC")
          identifier(c, validators::IdKind::ISRC);
        else if (ln == "ICPN")
          identifier(c, validators::IdKind::ICPN);
        else if (ln == "ISNI")
          identifier(c, validators::IdKind::ISNI);
        else if (ln == "ISWC")
          identifier(c, validators::IdKind::ISWC);
        else if (ln == "GRid")
          identifier(c, validators::IdKind::GRid);
        else if (ln == "DPID" ||
                 (ln == "PartyId" &&
                  (parent == "MessageSender" || parent == "MessageRecipient" || parent == "SentOnBehalfOf")))
          identifier(c, validators::IdKind::DPID);
        else if (ln == "IpiNameNumber")
          identifier(c, validators::IdKind::IPIName);
        // Durations and dates.
        if ((ln == "Duration" || ln == "DurationUsed") && !validators::is_iso8601_duration(v))
          d_.error("ddex-invalid-duration", fmt::format("{} '{}' is not an ISO 8601 duration", ln, v),
                   where(name_, c), "write PnDTnHnMnS, e.g. PT3M41S");
        if ((ln == "StartDate" || ln == "EndDate" || ln == "ReleaseDate" || ln == "OriginalReleaseDate") &&
            !iso_date(v) && !iso_datetime(v))
          d_.error("ddex-invalid-date", fmt::format("{} '{}' is not an ISO 8601 date", ln, v),
                   where(name_, c), "write YYYY-MM-DD");
        if (ln == "MessageCreatedDateTime" && !iso_datetime(v))
          d_.error("ddex-invalid-date",
                   fmt::format("MessageCreatedDateTime '{}' is not an ISO 8601 date-time", v),
                   where(name_, c));
        // Vocabulary.
        bool role = (ln == "Role" && parent == "Contributor") || ln == "ResourceContributorRole" ||
                    ln == "IndirectResourceContributorRole" || ln == "ArtisticRole";
        bool instrument = ln == "InstrumentType";
        if (v_ && role && !v_->allowed_role(v))
          d_.error("ddex-unknown-role", fmt::format("'{}' is not a ContributorRole of ERN {}", v, v_->id()),
                   where(name_, c), "use UserDefined with a UserDefinedValue attribute");
        if (v_ && instrument && !v_->allowed_instrument(v))
          d_.error("ddex-unknown-instrument",
                   fmt::format("'{}' is not an InstrumentType of ERN {}", v, v_->id()), where(name_, c),
                   "use UserDefined with a UserDefinedValue attribute");
        if ((role || instrument) && v == "UserDefined" && attr(c, "UserDefinedValue").empty())
          d_.error("ddex-user-defined-value", fmt::format("{} is UserDefined without a UserDefinedValue", ln),
                   where(name_, c));
      }
    }
  }

  void main_artists(xmlNode* owner) {
    // The classical variant credits composer, ensemble, conductor and soloists as main artists.
    if (classical_ || attr(owner, "ApplyClassicalProfileVariant") == "true") return;
    int main = 0;
    for (xmlNode* a : children(owner, "DisplayArtist"))
      if (child_text(a, "DisplayArtistRole") == "MainArtist" && ++main == 2)
        d_.error("ddex-multiple-main-artists",
                 fmt::format("{} has more than one DisplayArtist with the role MainArtist", local(owner)),
                 where(name_, a), "list further main artists with the role Artist");
  }

  void resource(xmlNode* r) {
    main_artists(r);
    // One Contributor per party.
    std::set<std::string> seen;
    for (xmlNode* c : children(r, "Contributor")) {
      std::string p = child_text(c, "ContributorPartyReference");
      if (!p.empty() && !seen.insert(p).second)
        d_.error("ddex-duplicate-contributor",
                 fmt::format("party '{}' has more than one Contributor on this resource", p), where(name_, c),
                 "merge the roles and instruments into one Contributor");
    }
    // Master shares: the rights controllers of one owner element sum to 100 and never exceed it.
    shares(r);
  }

  void shares(xmlNode* owner) {
    std::vector<xmlNode*> rcs = children(owner, "ResourceRightsController");
    auto more = children(owner, "RightsController"); // ERN 3.8.2
    rcs.insert(rcs.end(), more.begin(), more.end());
    if (!rcs.empty()) {
      Decimal sum;
      bool unknown = false, any = false;
      for (xmlNode* rc : rcs) {
        // DDEX profile rule: a rights controller states its role and its share (or that it is unknown).
        if (is(rc, "ResourceRightsController") &&
            (!child(rc, "RightsControlType") ||
             (!child(rc, "RightSharePercentage") && !child(rc, "RightShareUnknown"))))
          d_.warning(
              "ddex-rights-controller-incomplete",
              "a ResourceRightsController should give its RightsControlType and its RightSharePercentage",
              where(name_, rc));
        if (child_text(rc, "RightShareUnknown") == "true") unknown = true;
        xmlNode* p = child(rc, "RightSharePercentage");
        if (!p) continue;
        auto v = Decimal::parse(text(p));
        if (!v) continue; // the XSD reports a malformed decimal
        if (attr(p, "HasMaxValueOfOne") == "true") *v = v->mul(Decimal::from_int(100));
        sum += *v;
        any = true;
      }
      if (any && sum > Decimal::from_int(100))
        d_.error("ddex-master-shares-exceed",
                 fmt::format("the RightSharePercentage values of {} add up to {}%, more than 100%",
                             local(owner), sum.str()),
                 where(name_, rcs.front()));
      else if (any && !unknown && sum != Decimal::from_int(100))
        d_.error("ddex-master-shares-total",
                 fmt::format("the RightSharePercentage values of {} add up to {}%, not 100%", local(owner),
                             sum.str()),
                 where(name_, rcs.front()));
    }
    // ERN 3.8.2 nests rights controllers per territory.
    for (xmlNode* c = owner->children; c; c = c->next)
      if (c->type == XML_ELEMENT_NODE && local(c).find("DetailsByTerritory") != std::string_view::npos)
        shares(c);
  }

  const ErnVersion* v_;
  const std::string& name_;
  Diagnostics& d_;
  std::set<std::string> parties_, resources_, releases_, visibilities_;
  struct Pending {
    char kind; // P party, A resource, R release, V visibility
    std::string value, element;
    Location loc;
  };
  std::vector<Pending> pending_;
  bool classical_ = false;
};

} // namespace

std::string schema_dir_from_env() {
  const char* e = std::getenv("LINER_DDEX_SCHEMAS");
  return e ? e : "";
}

Validator::Validator(ValidateOptions options) : options_(std::move(options)) {
  install_loader();
}
Validator::~Validator() = default;

ValidationResult Validator::validate_file(const std::string& path) const {
  return validate(read_bounded(path), path);
}

namespace {

struct ReaderDeleter {
  void operator()(xmlTextReader* r) const { xmlFreeTextReader(r); }
};
using Reader = std::unique_ptr<xmlTextReader, ReaderDeleter>;

constexpr int kReaderOptions = XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_NOCDATA;

// Reader errors: well-formedness (xml-malformed) and, relayed by the reader, schema validity (xsd).
struct StreamState {
  Diagnostics* d;
  const std::string* name;
  int xsd = 0, xml = 0;
};

void on_stream_error(void* ctx, xmlErrorPtr e) {
  auto* st = static_cast<StreamState*>(ctx);
  if (!e) return;
  bool schema = e->domain == XML_FROM_SCHEMASV || e->domain == XML_FROM_SCHEMASP;
  if (++(schema ? st->xsd : st->xml) > 200) return;
  std::string msg = e->message ? e->message : "XML error";
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ' || msg.back() == '.'))
    msg.pop_back();
  Location loc = e->node ? where(*st->name, static_cast<const xmlNode*>(e->node)) : Location{};
  loc.file = *st->name;
  if (loc.line == 0 && e->line > 0) loc.line = static_cast<std::uint32_t>(e->line);
  if (!schema && e->int2 > 0) loc.column = static_cast<std::uint32_t>(e->int2);
  if (e->level == XML_ERR_WARNING)
    st->d->warning(schema ? "xsd-warning" : "xml-warning", msg, loc);
  else
    st->d->error(schema ? "xsd" : "xml-malformed", msg, loc);
}

void refuse_doctype(Diagnostics& d, const std::string& name, int line) {
  Location loc;
  loc.file = name;
  loc.line = static_cast<std::uint32_t>(line > 0 ? line : 0);
  d.error("xml-doctype",
          "DOCTYPE declaration refused: DDEX messages need no DTD, and DTDs/entities enable XXE and "
          "entity-expansion attacks",
          loc, "remove the <!DOCTYPE ...> declaration");
}

// The root element's namespace, read from the start of the document only. Empty when there is none.
std::string root_namespace(std::string_view xml, const std::string& name, Diagnostics& d, bool& refused) {
  Reader r(
      xmlReaderForMemory(xml.data(), static_cast<int>(xml.size()), name.c_str(), nullptr, kReaderOptions));
  if (!r) throw Error("cannot allocate an XML reader");
  xmlTextReaderSetStructuredErrorHandler(
      r.get(), [](void*, xmlErrorPtr) {}, nullptr);
  while (xmlTextReaderRead(r.get()) == 1) {
    int type = xmlTextReaderNodeType(r.get());
    if (type == XML_READER_TYPE_DOCUMENT_TYPE) {
      refuse_doctype(d, name, xmlTextReaderGetParserLineNumber(r.get()));
      refused = true;
      return {};
    }
    if (type == XML_READER_TYPE_ELEMENT) {
      const xmlChar* ns = xmlTextReaderConstNamespaceUri(r.get());
      return ns ? reinterpret_cast<const char*>(ns) : "";
    }
  }
  return {};
}

} // namespace

// One streaming pass (xmlTextReader): the XSD validates as the reader goes, and each child of the root's
// sections (a Party, a SoundRecording, a Release, a ReleaseDeal...) is expanded, checked by the rules,
// then freed. Memory stays bounded by the largest such element, whatever the file size.
ValidationResult Validator::validate(std::string_view xml, const std::string& name) const {
  ValidationResult r;
  Location file_loc;
  file_loc.file = name;
  if (xml.size() > kMaxMessageBytes) {
    r.diagnostics.error("xml-too-large",
                        fmt::format("the file is larger than {} MiB", kMaxMessageBytes >> 20), file_loc);
    return r;
  }
  if (auto p = xml.find("<!DOCTYPE"); p != std::string_view::npos) {
    refuse_doctype(
        r.diagnostics, name,
        static_cast<int>(1 + std::count(xml.begin(), xml.begin() + static_cast<std::ptrdiff_t>(p), '\n')));
    return r;
  }
  bool refused = false;
  std::string ns = root_namespace(xml, name, r.diagnostics, refused);
  if (refused) return r;
  r.version = version_by_namespace(ns);
  Reader reader(
      xmlReaderForMemory(xml.data(), static_cast<int>(xml.size()), name.c_str(), nullptr, kReaderOptions));
  if (!reader) throw Error("cannot allocate an XML reader");
  StreamState st{&r.diagnostics, &name};
  xmlSchemaValidCtxtPtr vc = nullptr;
  if (r.version && !options_.schema_dir.empty()) {
    xmlSchemaPtr schema =
        compiled_schema((fs::path(options_.schema_dir) / r.version->schema_path()).string());
    vc = xmlSchemaNewValidCtxt(schema);
    if (!vc || xmlTextReaderSchemaValidateCtxt(reader.get(), vc, 0) != 0) {
      if (vc) xmlSchemaFreeValidCtxt(vc);
      throw Error("cannot start schema validation");
    }
    r.schema_checked = true;
  }
  xmlTextReaderSetStructuredErrorHandler(reader.get(), on_stream_error, &st);
  std::optional<Rules> rules;
  if (options_.rules && r.version) rules.emplace(r.version, name, r.diagnostics);
  std::string section;
  bool root_seen = false;
  int ret = xmlTextReaderRead(reader.get());
  while (ret == 1) {
    int type = xmlTextReaderNodeType(reader.get());
    int depth = xmlTextReaderDepth(reader.get());
    if (type == XML_READER_TYPE_DOCUMENT_TYPE) {
      refuse_doctype(r.diagnostics, name, xmlTextReaderGetParserLineNumber(reader.get()));
      r.schema_checked = false;
      break;
    }
    if (type == XML_READER_TYPE_ELEMENT && depth == 0 && !root_seen) {
      root_seen = true;
      xmlNode* root = xmlTextReaderCurrentNode(reader.get());
      if (!r.version) {
        r.diagnostics.error(
            "ddex-unknown-version",
            fmt::format("root <{}> in namespace '{}' is not a supported ERN version", local(root), ns),
            where(name, root), "supported: ERN 3.8.2, 4.1, 4.1.1, 4.2, 4.3, 4.3.2");
        // Keep reading: well-formedness is still worth reporting.
      }
      if (rules) rules->root(root);
    } else if (type == XML_READER_TYPE_ELEMENT && depth == 1) {
      section = reinterpret_cast<const char*>(xmlTextReaderConstLocalName(reader.get()));
    } else if (type == XML_READER_TYPE_ELEMENT && depth == 2 && rules) {
      xmlNode* n = xmlTextReaderExpand(reader.get());
      if (!n) break;
      rules->visit(section, n);
      ret = xmlTextReaderNext(reader.get());
      continue;
    }
    ret = xmlTextReaderRead(reader.get());
  }
  if (ret < 0 && st.xml == 0)
    r.diagnostics.error("xml-malformed", "not a well-formed XML document", file_loc);
  if (r.schema_checked && st.xml == 0 && st.xsd == 0 && ret == 0 && xmlTextReaderIsValid(reader.get()) != 1)
    r.diagnostics.error("xsd", "the message is not valid against the schema", file_loc);
  if (st.xsd > 200)
    r.diagnostics.note("xsd-truncated", fmt::format("{} more schema errors not shown", st.xsd - 200),
                       file_loc);
  if (st.xml > 0 || !root_seen) r.schema_checked = r.schema_checked && st.xml == 0 && root_seen;
  if (rules && st.xml == 0) rules->finish();
  reader.reset();
  if (vc) xmlSchemaFreeValidCtxt(vc);
  if (!root_seen && !r.diagnostics.has_errors())
    r.diagnostics.error("xml-malformed", "not a well-formed XML document", file_loc);
  return r;
}

} // namespace liner::ddex
