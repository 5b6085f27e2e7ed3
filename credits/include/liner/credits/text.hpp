// liner: small text helpers shared by the libraries (typo suggestions, trimming, bounded file reads).
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace liner::credits {

std::string_view trim(std::string_view s);
std::string lower(std::string_view s); // ASCII lower case
// Runs of spaces, tabs and line breaks become one space; leading and trailing ones go.
std::string collapse_spaces(std::string_view s);
// The byte offset of 1-based code-point column `column` in a UTF-8 line (toml++ and diagnostics count
// columns in code points); the line's size when it is shorter.
std::size_t byte_of_column(std::string_view line, std::uint32_t column);
// Escapes & < > " ' for XML and HTML text and attribute values (SVG charts, HTML reports).
std::string xml_escape(std::string_view s);
// Optimal string alignment distance (Damerau-Levenshtein with adjacent swaps), case-insensitive ASCII.
std::size_t edit_distance(std::string_view a, std::string_view b);
// The closest of `candidates` to `word`, if close enough to be a plausible typo; else empty.
std::string nearest(std::string_view word, std::span<const std::string_view> candidates);
// Reads a whole file. Throws liner::Error when it cannot be opened or read. Reads at most limit + 1 bytes,
// so callers can report "too large" without loading a huge file.
std::string read_file(const std::string& path, std::size_t limit);

} // namespace liner::credits
