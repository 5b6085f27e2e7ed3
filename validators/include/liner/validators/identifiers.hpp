// liner: music identifiers: parse the forms people write, check shape and check character, normalise,
// and format for display. Algorithms and vectors: ../shared/docs/identifiers.md.
#pragma once
#include <string>
#include <string_view>

namespace liner::validators {

enum class IdKind { ISRC, ISWC, ISNI, IPIName, IPIBase, ICPN, GRid, DPID };
std::string_view to_string(IdKind); // "ISRC", "ISWC", "ISNI", "IPI name number", ...

struct IdCheck {
  bool ok = false;
  std::string normalized; // storage form: "USSKG1912345", "T0345246801", "000000012281955X", "00000000199"
  std::string display;    // "US-SKG-19-12345", "T-034.524.680-1", "0000 0001 2281 955X", ...
  std::string code;       // when !ok: stable diagnostic code, e.g. "isrc-shape", "isrc-country", "iswc-check"
  std::string message;    // when !ok: what is wrong, e.g. "check digit is 3, expected 4"
};

// Accepts spaces, hyphens, dots and lower case.
IdCheck check_isrc(std::string_view);
IdCheck check_iswc(std::string_view);
IdCheck check_isni(std::string_view);
IdCheck check_ipi_name(std::string_view); // 1..11 digits, left-padded to 11
IdCheck check_ipi_base(std::string_view); // I-123456789-3
IdCheck check_icpn(std::string_view);     // UPC-A (12), EAN-13, GTIN-14
IdCheck check_grid(std::string_view);
IdCheck check_dpid(std::string_view);
IdCheck check_id(IdKind, std::string_view);

// Check characters, exposed for tests and tools.
char iswc_check_digit(std::string_view nine_digits);
char isni_check_char(std::string_view fifteen_digits);
char gtin_check_digit(std::string_view data_digits);
char mod37_36_check_char(std::string_view chars); // GRid, DPID
// Added with the implementation. All check functions return '\0' (or "") when their argument is not of
// the stated shape (wrong length, a character outside the alphabet); they never throw.
char ipi_base_check_digit(std::string_view nine_digits);         // as ISWC, but S starts at 2
std::string ipi_name_check_digits(std::string_view nine_digits); // two digits, "00".."99"
// ISO 3166-1 alpha-2 codes and the extra prefixes the International ISRC Agency allocates (QM, QZ, ZZ...).
bool is_isrc_country(std::string_view two_letters);

} // namespace liner::validators
