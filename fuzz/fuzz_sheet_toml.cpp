// libFuzzer target: the TOML sheet loader and every sheet rule must survive any input.
#include <cstddef>
#include <cstdint>
#include <liner/credits/toml.hpp>
#include <liner/validators/sheet_rules.hpp>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto r = liner::credits::parse_sheet_toml(text, "fuzz.toml");
  (void)liner::validators::check_sheet(r.sheet);
  if (r.ok()) {
    // Whatever loads cleanly must survive a write/read round trip.
    std::string once = liner::credits::write_sheet_toml(r.sheet);
    auto again = liner::credits::parse_sheet_toml(once, "again.toml");
    if (!again.ok() || liner::credits::write_sheet_toml(again.sheet) != once) __builtin_trap();
  }
  return 0;
}
