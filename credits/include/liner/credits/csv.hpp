// liner: the credits spreadsheet form (one row per track x party). Tolerates what Excel and LibreOffice
// write: UTF-8 BOM, ';' or ',' separators, quoted fields with separators and newlines, CRLF.
#pragma once
#include <liner/credits/sheet.hpp>
#include <liner/credits/toml.hpp>

#include <span>
#include <string>
#include <string_view>

namespace liner::credits {

// The column names, in export order (docs/csv-format.md).
std::span<const std::string_view> csv_columns();

// Rows per track x party; release-level data travels in leading `#release` lines... see docs.
std::string write_sheet_csv(const Sheet& sheet);
// Locations are file:row:column (row = CSV record line, column = 1-based field index).
LoadResult parse_sheet_csv(std::string_view text, const std::string& path);
LoadResult load_sheet_csv(const std::string& path); // throws liner::Error when unreadable

} // namespace liner::credits
