// liner ddex: internal helpers shared by the builder, validator and importer.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace liner::ddex {

// "PT3M41S" / "PT1H2M3.5S" / "P1DT2H" -> milliseconds; nullopt when not an ISO 8601 duration.
std::optional<std::int64_t> parse_duration_ms(std::string_view s);

} // namespace liner::ddex
