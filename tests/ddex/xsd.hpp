// Test helper: validates XML against an official schema with libxml2 directly (independent of liner's
// Validator), so the tests prove validity with the reference implementation.
#pragma once
#include <libxml/parser.h>
#include <libxml/xmlschemas.h>
#include <map>
#include <string>
#include <vector>

namespace liner::test {

inline std::string shared_schema(const std::string& rel) {
  return std::string(LINER_SHARED_DIR) + "/ddex/schemas/" + rel;
}

// Errors ("line N: message"), empty when valid. Each schema is compiled once per test process.
inline std::vector<std::string>
xsd_errors(const std::string& xml, const std::string& schema_rel = "ern-4.3/release-notification.xsd") {
  static std::map<std::string, xmlSchemaPtr> cache;
  std::vector<std::string> errors;
  auto& schema = cache[schema_rel];
  if (!schema) {
    xmlSchemaParserCtxtPtr pc = xmlSchemaNewParserCtxt(shared_schema(schema_rel).c_str());
    schema = xmlSchemaParse(pc);
    xmlSchemaFreeParserCtxt(pc);
    if (!schema) return {"cannot load schema " + schema_rel};
  }
  xmlDocPtr doc =
      xmlReadMemory(xml.data(), static_cast<int>(xml.size()), "message.xml", nullptr, XML_PARSE_NONET);
  if (!doc) return {"not well-formed"};
  xmlSchemaValidCtxtPtr vc = xmlSchemaNewValidCtxt(schema);
  xmlSchemaSetValidStructuredErrors(
      vc,
      [](void* ctx, xmlErrorPtr e) {
        static_cast<std::vector<std::string>*>(ctx)->push_back("line " + std::to_string(e->line) + ": " +
                                                               (e->message ? e->message : ""));
      },
      &errors);
  int rc = xmlSchemaValidateDoc(vc, doc);
  if (rc != 0 && errors.empty()) errors.push_back("invalid (rc " + std::to_string(rc) + ")");
  xmlSchemaFreeValidCtxt(vc);
  xmlFreeDoc(doc);
  return errors;
}

} // namespace liner::test
