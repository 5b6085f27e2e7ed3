// liner: music identifiers. Algorithms and test vectors: ../shared/docs/identifiers.md; user-facing
// summary of accepted forms and diagnostic codes: docs/identifiers.md.
#include <algorithm>
#include <array>
#include <cstdint>
#include <fmt/format.h>
#include <initializer_list>
#include <liner/validators/identifiers.hpp>

namespace liner::validators {
namespace {

// ISO 3166-1 alpha-2, the 249 officially assigned codes (Debian iso-codes 4.15.0), sorted.
constexpr std::array<std::string_view, 249> kIso3166 = {
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ", "BA",
    "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS", "BT", "BV",
    "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN", "CO", "CR", "CU",
    "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE", "EG", "EH", "ER", "ES",
    "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF", "GG", "GH", "GI", "GL", "GM",
    "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM", "HN", "HR", "HT", "HU", "ID", "IE",
    "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM", "JO", "JP", "KE", "KG", "KH", "KI", "KM",
    "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC", "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY",
    "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK", "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT",
    "MU", "MV", "MW", "MX", "MY", "MZ", "NA", "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU",
    "NZ", "OM", "PA", "PE", "PF", "PG", "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA",
    "RE", "RO", "RS", "RU", "RW", "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM",
    "SN", "SO", "SR", "SS", "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL",
    "TM", "TN", "TO", "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE",
    "VG", "VI", "VN", "VU", "WF", "WS", "YE", "YT", "ZA", "ZM", "ZW"};

// Prefixes the International ISRC Agency allocates besides ISO 3166-1 codes (its "valid characters"
// list, as summarised by ISRC Bulletin 2015/01 and python-stdnum), sorted.
constexpr std::array<std::string_view, 19> kIsrcSpecial = {
    "BC", // Brazil (Pro-Música Brasil)
    "BK", // Brazil
    "BP", // Brazil
    "BX", // Brazil
    "CB", // Canada (Connect)
    "CP", // reserved by the agency for overflow
    "DG", // reserved by the agency for overflow
    "FX", // France (SCPP)
    "GX", // United Kingdom (PPL)
    "KS", // South Korea (KMCA)
    "QM", // United States (RIAA), after US codes ran out
    "QN", // International ISRC Agency
    "QT", // United States (RIAA), new registrants since 2024
    "QZ", // United States (RIAA)
    "UK", // United Kingdom (PPL)
    "XK", // Kosovo (International ISRC Agency)
    "YU", // former Yugoslavia, before 2006
    "ZB", // South Africa (RISA)
    "ZZ", // International ISRC Agency
};

bool in_sorted(std::string_view code, const auto& table) {
  return std::binary_search(table.begin(), table.end(), code);
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_upper(char c) {
  return c >= 'A' && c <= 'Z';
}
bool is_alnum(char c) {
  return is_digit(c) || is_upper(c);
}
bool all_digits(std::string_view s) {
  return std::all_of(s.begin(), s.end(), is_digit);
}
bool all_alnum(std::string_view s) {
  return std::all_of(s.begin(), s.end(), is_alnum);
}
char upper(char c) {
  return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
}

// One UTF-8 code point at s[i]; length 0 when the bytes there are not valid UTF-8.
struct CodePoint {
  std::uint32_t value = 0;
  std::size_t length = 0;
};

CodePoint decode_utf8(std::string_view s, std::size_t i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char b = byte(i);
  std::size_t n = b < 0x80 ? 1 : (b & 0xE0) == 0xC0 ? 2 : (b & 0xF0) == 0xE0 ? 3 : (b & 0xF8) == 0xF0 ? 4 : 0;
  if (n == 0 || i + n > s.size()) return {};
  if (n == 1) return {b, 1};
  std::uint32_t cp = b & (0x7F >> n);
  for (std::size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return {};
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  static constexpr std::uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return {};
  return {cp, n};
}

// Separators people write inside identifiers: ASCII space, tab, hyphen and dot, and the Unicode spaces
// and dashes that word processors substitute for them.
bool is_separator(std::uint32_t cp) {
  switch (cp) {
  case ' ':
  case '\t':
  case '-':
  case '.':
  case 0x00A0: // no-break space
  case 0x2009: // thin space
  case 0x202F: // narrow no-break space
  case 0x2010: // hyphen
  case 0x2011: // non-breaking hyphen
  case 0x2012: // figure dash
  case 0x2013: // en dash
  case 0x2212: // minus sign
    return true;
  default:
    return false;
  }
}

bool is_edge_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

std::string describe(std::uint32_t cp) {
  if (cp >= 0x21 && cp < 0x7F) return fmt::format("'{}'", static_cast<char>(cp));
  return fmt::format("U+{:04X}", cp);
}

// The identifier with separators removed and letters upper-cased, or why that is impossible.
struct Cleaned {
  std::string chars;
  std::string code;    // "<id>-empty" or "<id>-shape" on failure
  std::string message; // on failure
  bool ok() const { return code.empty(); }
};

// labels: words that may precede the identifier followed by ':' or a space ("ISRC US-SKG-19-12345").
Cleaned clean(std::string_view in, std::string_view id, std::initializer_list<std::string_view> labels) {
  Cleaned r;
  std::size_t begin = 0, end = in.size();
  while (begin < end && is_edge_space(in[begin]))
    ++begin;
  while (end > begin && is_edge_space(in[end - 1]))
    --end;
  for (std::string_view label : labels) {
    if (end - begin <= label.size()) continue;
    bool same = true;
    for (std::size_t k = 0; k < label.size() && same; ++k)
      same = upper(in[begin + k]) == label[k];
    char next = in[begin + label.size()];
    if (same && (next == ':' || next == ' ' || next == '\t')) {
      begin += label.size() + 1;
      break;
    }
  }
  bool any = false;
  // Everything skipped so far is ASCII, so the 1-based character position starts at begin + 1.
  for (std::size_t i = begin, position = begin + 1; i < end; ++position) {
    CodePoint cp = decode_utf8(in, i);
    if (cp.length == 0) {
      r.code = std::string(id) + "-shape";
      r.message = fmt::format("byte 0x{:02X} at position {} is not valid UTF-8",
                              static_cast<unsigned char>(in[i]), position);
      return r;
    }
    i += cp.length;
    any = true;
    if (is_separator(cp.value)) continue;
    if (cp.value < 0x80 && is_alnum(upper(static_cast<char>(cp.value)))) {
      r.chars += upper(static_cast<char>(cp.value));
      continue;
    }
    r.code = std::string(id) + "-shape";
    r.message = fmt::format("unexpected character {} at position {}", describe(cp.value), position);
    return r;
  }
  if (r.chars.empty()) {
    r.code = std::string(id) + "-empty";
    r.message = any ? "has no letters or digits, only separators" : "is empty";
  }
  return r;
}

IdCheck fail(std::string code, std::string message) {
  IdCheck c;
  c.code = std::move(code);
  c.message = std::move(message);
  return c;
}

IdCheck fail(Cleaned&& c) {
  return fail(std::move(c.code), std::move(c.message));
}

IdCheck pass(std::string normalized, std::string display) {
  IdCheck c;
  c.ok = true;
  c.normalized = std::move(normalized);
  c.display = std::move(display);
  return c;
}

// The first character of s that is not a digit, described for a message.
std::string first_non_digit(std::string_view s) {
  auto it = std::find_if_not(s.begin(), s.end(), is_digit);
  return fmt::format("'{}'", it == s.end() ? '?' : *it);
}

std::string plural(std::size_t n, std::string_view word) {
  return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s");
}

char value_char(int v) {
  return static_cast<char>(v < 10 ? '0' + v : 'A' + v - 10);
}

// ISWC and IPI base number: S = start + sum(i * d_i, i = 1..9); C = (10 - S mod 10) mod 10.
char weighted_mod10(std::string_view nine_digits, int start) {
  if (nine_digits.size() != 9 || !all_digits(nine_digits)) return '\0';
  int s = start;
  for (std::size_t i = 0; i < 9; ++i)
    s += static_cast<int>(i + 1) * (nine_digits[i] - '0');
  return value_char((10 - s % 10) % 10);
}

// "T" + 9 digits + check (ISWC) or "I" + 9 digits + check (IPI base number).
IdCheck check_letter_nine_check(std::string_view in, std::string_view id, std::string_view label, char letter,
                                int start, const char* form) {
  Cleaned c = clean(in, id, {label});
  if (!c.ok()) return fail(std::move(c));
  const std::string& s = c.chars;
  auto shape = [&](std::string msg) {
    return fail(std::string(id) + "-shape", fmt::format("{} ({})", msg, form));
  };
  if (s[0] != letter) return shape(fmt::format("starts with '{}', expected '{}'", s[0], letter));
  std::string_view digits = std::string_view(s).substr(1);
  if (!all_digits(digits))
    return shape(fmt::format("{} after '{}' is not a digit", first_non_digit(digits), letter));
  if (digits.size() != 10)
    return shape(fmt::format("has {} after '{}', expected 10", plural(digits.size(), "digit"), letter));
  char expected = weighted_mod10(digits.substr(0, 9), start);
  if (digits[9] != expected)
    return fail(std::string(id) + "-check",
                fmt::format("check digit is {}, expected {}", digits[9], expected));
  return pass(s, "");
}

} // namespace

std::string_view to_string(IdKind kind) {
  switch (kind) {
  case IdKind::ISRC:
    return "ISRC";
  case IdKind::ISWC:
    return "ISWC";
  case IdKind::ISNI:
    return "ISNI";
  case IdKind::IPIName:
    return "IPI name number";
  case IdKind::IPIBase:
    return "IPI base number";
  case IdKind::ICPN:
    return "UPC/EAN";
  case IdKind::GRid:
    return "GRid";
  case IdKind::DPID:
    return "DPID";
  }
  return "identifier";
}

bool is_isrc_country(std::string_view code) {
  return in_sorted(code, kIso3166) || in_sorted(code, kIsrcSpecial);
}

char iswc_check_digit(std::string_view nine_digits) {
  return weighted_mod10(nine_digits, 1);
}

char ipi_base_check_digit(std::string_view nine_digits) {
  return weighted_mod10(nine_digits, 2);
}

std::string ipi_name_check_digits(std::string_view nine_digits) {
  if (nine_digits.size() != 9 || !all_digits(nine_digits)) return "";
  int r = 0;
  for (std::size_t i = 0; i < 9; ++i)
    r += (nine_digits[i] - '0') * static_cast<int>(10 - i); // weights 10..2
  r %= 101;
  int check = r == 0 ? 0 : (101 - r) % 100;
  return fmt::format("{:02}", check);
}

char isni_check_char(std::string_view fifteen_digits) {
  if (fifteen_digits.size() != 15 || !all_digits(fifteen_digits)) return '\0';
  int p = 0;
  for (char d : fifteen_digits)
    p = (p + (d - '0')) * 2 % 11;
  int c = (12 - p % 11) % 11;
  return c == 10 ? 'X' : value_char(c);
}

char gtin_check_digit(std::string_view data_digits) {
  if (data_digits.empty() || !all_digits(data_digits)) return '\0';
  int sum = 0, weight = 3;
  for (auto it = data_digits.rbegin(); it != data_digits.rend(); ++it, weight = 4 - weight)
    sum += (*it - '0') * weight;
  return value_char((10 - sum % 10) % 10);
}

char mod37_36_check_char(std::string_view chars) {
  if (chars.empty()) return '\0';
  int p = 36;
  for (char ch : chars) {
    char u = upper(ch);
    if (!is_alnum(u)) return '\0';
    int v = is_digit(u) ? u - '0' : u - 'A' + 10;
    int s = (p + v) % 36;
    if (s == 0) s = 36;
    p = 2 * s % 37;
  }
  return value_char((37 - p) % 36); // (1 - p) mod 36, p in 1..36
}

IdCheck check_isrc(std::string_view in) {
  Cleaned c = clean(in, "isrc", {"ISRC"});
  if (!c.ok()) return fail(std::move(c));
  const std::string& s = c.chars;
  auto shape = [](std::string msg) { return fail("isrc-shape", msg + " (CC-XXX-YY-NNNNN)"); };
  if (s.size() != 12) return shape(fmt::format("has {}, expected 12", plural(s.size(), "character")));
  std::string_view v(s);
  std::string_view country = v.substr(0, 2), registrant = v.substr(2, 3), year = v.substr(5, 2),
                   designation = v.substr(7);
  if (!is_upper(country[0]) || !is_upper(country[1]))
    return shape(fmt::format("country code '{}' must be two letters", country));
  if (!all_alnum(registrant))
    return shape(fmt::format("registrant code '{}' must be letters or digits", registrant));
  if (!all_digits(year)) return shape(fmt::format("year '{}' must be two digits", year));
  if (!all_digits(designation))
    return shape(fmt::format("designation '{}' must be five digits", designation));
  if (!is_isrc_country(country))
    return fail("isrc-country",
                fmt::format("'{}' is not an ISO 3166-1 country code or an ISRC agency prefix", country));
  return pass(s, fmt::format("{}-{}-{}-{}", country, registrant, year, designation));
}

IdCheck check_iswc(std::string_view in) {
  IdCheck r = check_letter_nine_check(in, "iswc", "ISWC", 'T', 1, "T-DDD.DDD.DDD-C");
  if (r.ok) {
    const std::string& s = r.normalized;
    r.display = fmt::format("T-{}.{}.{}-{}", s.substr(1, 3), s.substr(4, 3), s.substr(7, 3), s.substr(10));
  }
  return r;
}

IdCheck check_ipi_base(std::string_view in) {
  IdCheck r = check_letter_nine_check(in, "ipi-base", "IPI", 'I', 2, "I-DDDDDDDDD-C");
  if (r.ok) r.display = fmt::format("I-{}-{}", r.normalized.substr(1, 9), r.normalized.substr(10));
  return r;
}

IdCheck check_isni(std::string_view in) {
  Cleaned c = clean(in, "isni", {"ISNI"});
  if (!c.ok()) return fail(std::move(c));
  const std::string& s = c.chars;
  auto shape = [](std::string msg) { return fail("isni-shape", msg + " (15 digits and a check character)"); };
  std::string_view data = std::string_view(s).substr(0, std::min<std::size_t>(s.size(), 15));
  if (!all_digits(data)) return shape(fmt::format("{} is not a digit", first_non_digit(data)));
  if (s.size() > 15 && !is_digit(s[15]) && s[15] != 'X')
    return shape(fmt::format("check character '{}' must be a digit or X", s[15]));
  if (s.size() != 16) return shape(fmt::format("has {}, expected 16", plural(s.size(), "character")));
  char expected = isni_check_char(data);
  if (s[15] != expected)
    return fail("isni-check", fmt::format("check character is {}, expected {}", s[15], expected));
  return pass(s, fmt::format("{} {} {} {}", s.substr(0, 4), s.substr(4, 4), s.substr(8, 4), s.substr(12)));
}

IdCheck check_ipi_name(std::string_view in) {
  Cleaned c = clean(in, "ipi", {"IPI"});
  if (!c.ok()) return fail(std::move(c));
  const std::string& s = c.chars;
  auto shape = [](std::string msg) { return fail("ipi-shape", msg + " (up to 11 digits)"); };
  if (!all_digits(s)) return shape(fmt::format("{} is not a digit", first_non_digit(s)));
  if (s.size() > 11) return shape(fmt::format("has {}, expected at most 11", plural(s.size(), "digit")));
  std::string padded = std::string(11 - s.size(), '0') + s;
  if (padded == "00000000000") return fail("ipi-shape", "is all zeros, a placeholder rather than a number");
  std::string expected = ipi_name_check_digits(std::string_view(padded).substr(0, 9));
  if (padded.compare(9, 2, expected) != 0)
    return fail("ipi-check", fmt::format("check digits are {}, expected {}", padded.substr(9), expected));
  return pass(padded, padded);
}

IdCheck check_icpn(std::string_view in) {
  Cleaned c = clean(in, "upc", {"UPC", "EAN", "GTIN", "ICPN"});
  if (!c.ok()) return fail(std::move(c));
  const std::string& s = c.chars;
  auto shape = [](std::string msg) {
    return fail("upc-shape", msg + " (12 digits for UPC-A, 13 for EAN-13, 14 for GTIN-14)");
  };
  if (!all_digits(s)) return shape(fmt::format("{} is not a digit", first_non_digit(s)));
  if (s.size() < 12 || s.size() > 14) return shape(fmt::format("has {}", plural(s.size(), "digit")));
  char expected = gtin_check_digit(std::string_view(s).substr(0, s.size() - 1));
  if (s.back() != expected)
    return fail("upc-check", fmt::format("check digit is {}, expected {}", s.back(), expected));
  return pass(s, s);
}

IdCheck check_grid(std::string_view in) {
  Cleaned c = clean(in, "grid", {"GRID"});
  if (!c.ok()) return fail(std::move(c));
  const std::string& s = c.chars;
  auto shape = [](std::string msg) { return fail("grid-shape", msg + " (A1-XXXXX-XXXXXXXXXX-C)"); };
  if (s.size() != 18) return shape(fmt::format("has {}, expected 18", plural(s.size(), "character")));
  if (s.compare(0, 2, "A1") != 0)
    return shape(fmt::format("starts with '{}', expected 'A1'", s.substr(0, 2)));
  char expected = mod37_36_check_char(std::string_view(s).substr(0, 17));
  if (s[17] != expected)
    return fail("grid-check", fmt::format("check character is {}, expected {}", s[17], expected));
  return pass(s, fmt::format("A1-{}-{}-{}", s.substr(2, 5), s.substr(7, 10), s.substr(17)));
}

IdCheck check_dpid(std::string_view in) {
  Cleaned c = clean(in, "dpid", {"DPID"});
  if (!c.ok()) return fail(std::move(c));
  const std::string& s = c.chars;
  auto shape = [](std::string msg) { return fail("dpid-shape", msg + " (PADPIDA + 10 characters + check)"); };
  if (s.compare(0, 7, "PADPIDA") != 0)
    return shape(fmt::format("starts with '{}', expected 'PADPIDA'", s.substr(0, 7)));
  if (s.size() != 18) return shape(fmt::format("has {}, expected 18", plural(s.size(), "character")));
  char expected = mod37_36_check_char(std::string_view(s).substr(0, 17));
  if (s[17] != expected)
    return fail("dpid-check", fmt::format("check character is {}, expected {}", s[17], expected));
  return pass(s, s);
}

IdCheck check_id(IdKind kind, std::string_view in) {
  switch (kind) {
  case IdKind::ISRC:
    return check_isrc(in);
  case IdKind::ISWC:
    return check_iswc(in);
  case IdKind::ISNI:
    return check_isni(in);
  case IdKind::IPIName:
    return check_ipi_name(in);
  case IdKind::IPIBase:
    return check_ipi_base(in);
  case IdKind::ICPN:
    return check_icpn(in);
  case IdKind::GRid:
    return check_grid(in);
  case IdKind::DPID:
    return check_dpid(in);
  }
  return fail("id-kind", "unknown identifier kind");
}

} // namespace liner::validators
