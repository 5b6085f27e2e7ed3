// liner: the credits spreadsheet form (one row per track x party). Tolerates what Excel and LibreOffice
// write: UTF-8 BOM, ';' ',' or tab separators, quoted fields with separators and newlines, CRLF.
// The layout (directive rows, party rows, release-level credits, track rows) is in docs/csv-format.md.
#pragma once
#include <cstddef>
#include <liner/credits/sheet.hpp>
#include <liner/credits/toml.hpp>
#include <span>
#include <string>
#include <string_view>

namespace liner::credits {

// Hard limits for untrusted spreadsheets (the whole file is also bounded by kMaxSheetBytes).
inline constexpr std::size_t kMaxCsvColumns = 64;          // fields per row
inline constexpr std::size_t kMaxCsvRows = 50'000;         // non-blank rows
inline constexpr std::size_t kMaxCsvFieldBytes = 64 << 10; // bytes per cell (Excel's own limit is 32767)
inline constexpr std::size_t kMaxCsvDiagnostics = 200;     // then one "too-many-errors" and stop

// The column names, in export order (docs/csv-format.md).
std::span<const std::string_view> csv_columns();

struct CsvWriteOptions {
  bool bom = false; // start with a UTF-8 byte order mark (helps Excel pick UTF-8 when opening the file)
};

// RFC 4180: comma separator, CRLF line ends, fields quoted only when needed; deterministic.
// Release-level data travels in leading `#release` / `#delivery` / `#deal` rows, parties in rows without
// a track number, then one row per track x party. parse_sheet_csv(write_sheet_csv(s)) reproduces s.
std::string write_sheet_csv(const Sheet& sheet, const CsvWriteOptions& options = {});
// Locations are file:row:column (row = physical line where the record starts, column = 1-based field
// index). Positions are also recorded in sheet.where under the same paths as the TOML loader.
LoadResult parse_sheet_csv(std::string_view text, const std::string& path);
LoadResult load_sheet_csv(const std::string& path); // throws liner::Error when unreadable

} // namespace liner::credits
