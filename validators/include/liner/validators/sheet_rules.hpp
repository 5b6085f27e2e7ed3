// liner: the rules `liner sheet check` applies to a loaded sheet (docs/diagnostics.md lists every code).
#pragma once
#include <liner/credits/diagnostic.hpp>
#include <liner/credits/sheet.hpp>

namespace liner::validators {

// Identifier check characters, references, splits, numbering, dates... Locations come from sheet.where,
// so they point into the TOML or CSV file the sheet was loaded from.
Diagnostics check_sheet(const credits::Sheet& sheet);

// ISO 8601 duration as DDEX uses it: PnDTnHnMnS with optional fractional seconds, e.g. "PT3M41S".
bool is_iso8601_duration(std::string_view s);

} // namespace liner::validators
