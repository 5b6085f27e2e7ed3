// Internal: the exact source text of a TOML number, so that decimals never pass through binary floating
// point (toml++ stores 33.33 as a double; liner reads the digits the user wrote).
#pragma once
#include <liner/credits/text.hpp>
#include <span>
#include <string>
#include <string_view>
#include <toml++/toml.h>

namespace liner::credits::detail {

// `lines` are the lines of the text the node was parsed from.
inline std::string raw_number(std::span<const std::string_view> lines, const toml::node& n) {
  auto pos = n.source().begin;
  if (pos.line == 0 || pos.line > lines.size()) return {};
  std::string_view line = lines[pos.line - 1];
  std::string out;
  for (std::size_t byte = byte_of_column(line, pos.column); byte < line.size(); ++byte) {
    char c = line[byte];
    if ((c >= '0' && c <= '9') || c == '.' || c == '+' || c == '-' || c == 'e' || c == 'E')
      out += c;
    else if (c != '_')
      break;
  }
  return out;
}

} // namespace liner::credits::detail
