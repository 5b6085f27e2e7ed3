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

// A commented template for contributors to fill in (`liner sheet new`).
std::string sheet_template();

} // namespace liner::credits
