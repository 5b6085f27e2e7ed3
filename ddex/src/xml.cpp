// liner ddex: hardened libxml2 parsing. DOCTYPE and entity declarations are refused outright (XXE,
// "billion laughs", external DTD fetches), the network is never used (XML_PARSE_NONET plus an entity
// loader that refuses every non-file URL), and input size is bounded.
#include "xml.hpp"

#include <algorithm>
#include <cstring>
#include <fmt/format.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlerror.h>
#include <liner/credits/error.hpp>
#include <liner/credits/text.hpp>
#include <liner/ddex/ddex.hpp>
#include <mutex>

namespace liner::ddex::detail {
namespace {

thread_local int g_schema_scope = 0;

xmlParserInputPtr refusing_loader(const char* url, const char* id, xmlParserCtxtPtr ctxt) {
  std::string_view u = url ? url : "";
  bool local_file = u.find("://") == std::string_view::npos || u.rfind("file://", 0) == 0;
  if (g_schema_scope > 0 && local_file) return xmlNoNetExternalEntityLoader(url, id, ctxt);
  return nullptr; // refused: messages never load anything, schemas never from the network
}

struct ParseState {
  Diagnostics* d;
  std::string name;
  bool refused = false;
  int errors = 0;
};

void on_error(void* ctx, xmlErrorPtr e) {
  auto* st = static_cast<ParseState*>(ctx);
  if (!e || st->refused) return;
  if (++st->errors > 50) return;
  std::string msg = e->message ? e->message : "XML error";
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ' || msg.back() == '.'))
    msg.pop_back();
  Location loc;
  loc.file = st->name;
  loc.line = static_cast<std::uint32_t>(e->line > 0 ? e->line : 0);
  loc.column = static_cast<std::uint32_t>(e->int2 > 0 ? e->int2 : 0);
  if (e->level == XML_ERR_WARNING)
    st->d->warning("xml-warning", msg, loc);
  else
    st->d->error("xml-malformed", msg, loc);
}

void refuse(void* user, const char* what) {
  auto* ctxt = static_cast<xmlParserCtxtPtr>(user);
  auto* st = static_cast<ParseState*>(ctxt->_private);
  if (!st->refused) {
    Location loc;
    loc.file = st->name;
    loc.line = static_cast<std::uint32_t>(xmlSAX2GetLineNumber(ctxt));
    st->d->error("xml-doctype",
                 fmt::format("{} refused: DDEX messages need no DTD, and DTDs/entities enable XXE and "
                             "entity-expansion attacks",
                             what),
                 loc, "remove the <!DOCTYPE ...> declaration");
  }
  st->refused = true;
  xmlStopParser(ctxt);
}

void on_internal_subset(void* ctx, const xmlChar*, const xmlChar*, const xmlChar*) {
  refuse(ctx, "DOCTYPE declaration");
}
void on_external_subset(void* ctx, const xmlChar*, const xmlChar*, const xmlChar*) {
  refuse(ctx, "external DTD");
}
void on_entity_decl(void* ctx, const xmlChar*, int, const xmlChar*, const xmlChar*, xmlChar*) {
  refuse(ctx, "entity declaration");
}

} // namespace

void install_loader() {
  static std::once_flag once;
  std::call_once(once, [] {
    xmlInitParser();
    xmlSetExternalEntityLoader(refusing_loader);
  });
}

SchemaLoadScope::SchemaLoadScope() {
  install_loader();
  ++g_schema_scope;
}
SchemaLoadScope::~SchemaLoadScope() {
  --g_schema_scope;
}

std::string read_bounded(const std::string& path) {
  return credits::read_file(path, kMaxMessageBytes);
}

Doc safe_parse(std::string_view xml, const std::string& name, Diagnostics& d) {
  install_loader();
  Location file_loc;
  file_loc.file = name;
  if (xml.size() > kMaxMessageBytes) {
    d.error("xml-too-large", fmt::format("the file is larger than {} MiB", kMaxMessageBytes >> 20), file_loc);
    return nullptr;
  }
  // Quick refusal for the common (UTF-8) spelling; the SAX hooks below catch every encoding.
  if (auto p = xml.find("<!DOCTYPE"); p != std::string_view::npos) {
    Location loc = file_loc;
    loc.line = static_cast<std::uint32_t>(
        1 + std::count(xml.begin(), xml.begin() + static_cast<std::ptrdiff_t>(p), '\n'));
    d.error("xml-doctype",
            "DOCTYPE declaration refused: DDEX messages need no DTD, and DTDs/entities enable XXE and "
            "entity-expansion attacks",
            loc, "remove the <!DOCTYPE ...> declaration");
    return nullptr;
  }
  xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
  if (!ctxt) throw Error("cannot allocate an XML parser");
  ParseState st{&d, name};
  ctxt->_private = &st;
  ctxt->sax->internalSubset = on_internal_subset;
  ctxt->sax->externalSubset = on_external_subset;
  ctxt->sax->entityDecl = on_entity_decl;
  xmlSetStructuredErrorFunc(&st, on_error);
  int opts = XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_NOCDATA;
  xmlDoc* doc =
      xmlCtxtReadMemory(ctxt, xml.data(), static_cast<int>(xml.size()), name.c_str(), nullptr, opts);
  xmlSetStructuredErrorFunc(nullptr, nullptr);
  xmlFreeParserCtxt(ctxt);
  Doc out(doc);
  if (st.refused || (out && (out->intSubset || out->extSubset))) {
    if (!st.refused) d.error("xml-doctype", "DOCTYPE declaration refused", file_loc);
    return nullptr;
  }
  if (!out || !xmlDocGetRootElement(out.get())) {
    if (!d.has_errors()) d.error("xml-malformed", "not a well-formed XML document", file_loc);
    return nullptr;
  }
  return out;
}

std::string_view local(const xmlNode* n) {
  return n && n->name ? std::string_view(reinterpret_cast<const char*>(n->name)) : std::string_view();
}
bool is(const xmlNode* n, std::string_view name) {
  return n && n->type == XML_ELEMENT_NODE && local(n) == name;
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
  xmlChar* c = xmlGetProp(n, reinterpret_cast<const xmlChar*>(name));
  std::string s = c ? reinterpret_cast<const char*>(c) : "";
  xmlFree(c);
  return s;
}

xmlNode* child(const xmlNode* n, std::string_view name) {
  if (!n) return nullptr;
  for (xmlNode* c = n->children; c; c = c->next)
    if (is(c, name)) return c;
  return nullptr;
}

std::vector<xmlNode*> children(const xmlNode* n, std::string_view name) {
  std::vector<xmlNode*> out;
  if (!n) return out;
  for (xmlNode* c = n->children; c; c = c->next)
    if (is(c, name)) out.push_back(c);
  return out;
}

std::string child_text(const xmlNode* n, std::string_view name) {
  return text(child(n, name));
}

Location where(const std::string& file, const xmlNode* n) {
  Location loc;
  loc.file = file;
  if (!n) return loc;
  loc.line = static_cast<std::uint32_t>(xmlGetLineNo(n) > 0 ? xmlGetLineNo(n) : 0);
  if (xmlChar* p = xmlGetNodePath(n)) {
    loc.xpath = reinterpret_cast<const char*>(p);
    xmlFree(p);
  }
  return loc;
}

} // namespace liner::ddex::detail
