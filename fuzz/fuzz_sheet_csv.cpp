// libFuzzer target: the CSV (spreadsheet) loader must survive any input.
#include <cstddef>
#include <cstdint>
#include <liner/credits/csv.hpp>
#include <liner/validators/sheet_rules.hpp>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto r = liner::credits::parse_sheet_csv(text, "fuzz.csv");
  (void)liner::validators::check_sheet(r.sheet);
  if (r.ok()) (void)liner::credits::write_sheet_csv(r.sheet);
  return 0;
}
