// liner CLI: shared output helpers (diagnostics as text like a compiler, or versioned JSON).
#pragma once
#include <cstdio>
#include <liner/credits/diagnostic.hpp>
#include <nlohmann/json.hpp>
#include <string>

namespace liner::cli {

enum class Format { Text, Json };

bool is_terminal(std::FILE* f);
// "file:line:col: error: message [code]", then the source line with a caret, then "  hint: ...".
// Source lines are read from the file named in each location (when it is a text file).
void print_diagnostics(const Diagnostics& d, std::FILE* out, bool color);
// {"code", "severity", "message", "hint", "location": {"file","line","column","xpath"}}
nlohmann::json diagnostic_json(const Diagnostic& d);
nlohmann::json diagnostics_json(const Diagnostics& d);
// The envelope every --format json output uses: {"liner": "<kind>", "version": <n>, ...}.
nlohmann::json envelope(const std::string& kind, int version);
// "2 errors, 1 warning" (empty when none).
std::string summary(const Diagnostics& d);

} // namespace liner::cli
