// liner: the sheet's canonical TOML form. Loading never throws for bad content: it returns diagnostics.
#pragma once
#include <liner/credits/sheet.hpp>
#include <string>
#include <string_view>

namespace liner::credits {

struct LoadResult {
  Sheet sheet;
  Diagnostics diagnostics; // syntax, unknown keys, wrong types, unresolved roles, bad decimals...
  bool ok() const { return !diagnostics.has_errors(); }
};

// Hard limits for untrusted input.
inline constexpr std::size_t kMaxSheetBytes = 16u << 20; // 16 MiB

// Parses sheet text; `path` is used for locations and to resolve relative audio paths.
LoadResult parse_sheet_toml(std::string_view text, const std::string& path);
// Reads and parses a file. Throws liner::Error when the file cannot be read.
LoadResult load_sheet_toml(const std::string& path);

// The canonical, deterministic TOML form. parse(write(s)) == s for every field the model has.
std::string write_sheet_toml(const Sheet& sheet);

// Only [[agreements]] tables, in canonical form (the CSV form carries agreements this way, one per row).
std::string write_agreements_toml(const std::vector<Agreement>& agreements);
// Parses text holding only [[agreements]] tables. Diagnostics are appended to `d` with lines shifted so
// that line 1 of `text` is `first_line` of `path` (the CSV record that holds it).
std::vector<Agreement> parse_agreements_toml(std::string_view text, const std::string& path,
                                             std::uint32_t first_line, Diagnostics& d);

// A commented template for contributors to fill in (`liner sheet new`).
std::string sheet_template();

} // namespace liner::credits
