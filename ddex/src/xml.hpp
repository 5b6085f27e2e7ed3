// liner ddex: hardened libxml2 parsing and small DOM helpers (internal).
#pragma once
#include <libxml/tree.h>
#include <liner/credits/diagnostic.hpp>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace liner::ddex::detail {

struct DocDeleter {
  void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};
using Doc = std::unique_ptr<xmlDoc, DocDeleter>;

// Parses untrusted XML: no network, no DTD (internal or external), no entity declarations, size-bounded.
// Returns nullptr (and errors in `d`) when refused or not well-formed.
Doc safe_parse(std::string_view xml, const std::string& name, Diagnostics& d);

// Reads a file bounded by kMaxMessageBytes. Throws liner::Error when it cannot be read.
std::string read_bounded(const std::string& path);

// While alive on this thread, the entity loader may read local schema files (never the network).
class SchemaLoadScope {
public:
  SchemaLoadScope();
  ~SchemaLoadScope();
  SchemaLoadScope(const SchemaLoadScope&) = delete;
  SchemaLoadScope& operator=(const SchemaLoadScope&) = delete;
};
void install_loader(); // idempotent: refuse every external load except local files in a SchemaLoadScope

std::string_view local(const xmlNode* n);
bool is(const xmlNode* n, std::string_view name);
std::string text(const xmlNode* n);
std::string attr(const xmlNode* n, const char* name);
xmlNode* child(const xmlNode* n, std::string_view name);
std::vector<xmlNode*> children(const xmlNode* n, std::string_view name);
std::string child_text(const xmlNode* n, std::string_view name);
Location where(const std::string& file, const xmlNode* n);

} // namespace liner::ddex::detail
