// Identifier validators: every vector of ../shared/docs/identifiers.md, plus values computed with the
// algorithms given there (an independent script), display forms, and malformed input.
#include <doctest/doctest.h>
#include <liner/validators/identifiers.hpp>
#include <string>
#include <string_view>

using namespace liner::validators;

namespace {

// Valid: normalized and display forms as given.
void valid(const IdCheck& c, std::string_view normalized, std::string_view display) {
  CHECK(c.ok);
  CHECK(c.normalized == normalized);
  CHECK(c.display == display);
  CHECK(c.code.empty());
  CHECK(c.message.empty());
}

// Invalid: the code, and the message when one is given.
void invalid(const IdCheck& c, std::string_view code, std::string_view message = {}) {
  CHECK_FALSE(c.ok);
  CHECK(c.code == code);
  CHECK_FALSE(c.message.empty());
  if (!message.empty()) CHECK(c.message == message);
  CHECK(c.normalized.empty());
  CHECK(c.display.empty());
}

} // namespace

TEST_CASE("ISRC: vectors from identifiers.md") {
  valid(check_isrc("BRBMG0300729"), "BRBMG0300729", "BR-BMG-03-00729");
  valid(check_isrc("US-SKG-19-12345"), "USSKG1912345", "US-SKG-19-12345");
  invalid(check_isrc("XX-SKG-19-12345"), "isrc-country",
          "'XX' is not an ISO 3166-1 country code or an ISRC agency prefix");
  invalid(check_isrc("USX1X123A567"), "isrc-shape",
          "designation '3A567' must be five digits (CC-XXX-YY-NNNNN)");
}

TEST_CASE("ISRC: AA6Q72000047 (listed as valid in identifiers.md) has no allocated country") {
  // AA-6Q7-20-00047 is the illustrative example from encyclopedias and tag editors. AA is an ISO 3166
  // user-assigned code that neither ISO nor the International ISRC Agency allocates, so a real-table
  // check rejects it; see docs/identifiers.md.
  invalid(check_isrc("AA6Q72000047"), "isrc-country",
          "'AA' is not an ISO 3166-1 country code or an ISRC agency prefix");
  CHECK_FALSE(is_isrc_country("AA"));
}

TEST_CASE("ISRC: special agency prefixes and country table") {
  for (const char* cc : {"QM", "QZ", "QT", "ZZ", "CP", "DG", "UK", "GX", "FX", "XK", "YU"}) {
    CAPTURE(cc);
    CHECK(is_isrc_country(cc));
    CHECK(check_isrc(std::string(cc) + "ABC2400001").ok);
  }
  for (const char* cc : {"US", "GB", "DE", "FR", "JP", "BR", "SS", "CW", "SX", "BQ", "AX"}) {
    CAPTURE(cc);
    CHECK(is_isrc_country(cc));
  }
  for (const char* cc : {"XX", "AA", "QA0", "EU", "UN", "OO", "ZX", "", "u", "us"}) {
    CAPTURE(cc);
    CHECK_FALSE(is_isrc_country(cc));
  }
  valid(check_isrc("QM-24K-26-00001"), "QM24K2600001", "QM-24K-26-00001");
  valid(check_isrc("GBAYE2600001"), "GBAYE2600001", "GB-AYE-26-00001");
  valid(check_isrc("JPX012600101"), "JPX012600101", "JP-X01-26-00101");
}

TEST_CASE("ISRC: accepted spellings") {
  valid(check_isrc("us-skg-19-12345"), "USSKG1912345", "US-SKG-19-12345");
  valid(check_isrc(" US SKG 19 12345 "), "USSKG1912345", "US-SKG-19-12345");
  valid(check_isrc("US.SKG.19.12345"), "USSKG1912345", "US-SKG-19-12345");
  valid(check_isrc("ISRC US-SKG-19-12345"), "USSKG1912345", "US-SKG-19-12345");
  valid(check_isrc("isrc:USSKG1912345"), "USSKG1912345", "US-SKG-19-12345");
  valid(check_isrc("\tUSSKG1912345\r\n"), "USSKG1912345", "US-SKG-19-12345");
  valid(check_isrc("US\u2013SKG\u201319\u201312345"), "USSKG1912345", "US-SKG-19-12345"); // en dashes
  valid(check_isrc("US\u00A0SKG\u00A019\u00A012345"), "USSKG1912345", "US-SKG-19-12345"); // no-break spaces
  // Iceland's ISRCs start with IS: no label is stripped without a following ':' or space.
  valid(check_isrc("ISRCA0100001"), "ISRCA0100001", "IS-RCA-01-00001");
}

TEST_CASE("ISRC: malformed") {
  invalid(check_isrc(""), "isrc-empty", "is empty");
  invalid(check_isrc("   "), "isrc-empty", "is empty");
  invalid(check_isrc(" - . "), "isrc-empty", "has no letters or digits, only separators");
  invalid(check_isrc("USSKG191234"), "isrc-shape", "has 11 characters, expected 12 (CC-XXX-YY-NNNNN)");
  invalid(check_isrc("USSKG19123456"), "isrc-shape", "has 13 characters, expected 12 (CC-XXX-YY-NNNNN)");
  invalid(check_isrc("U5SKG1912345"), "isrc-shape",
          "country code 'U5' must be two letters (CC-XXX-YY-NNNNN)");
  invalid(check_isrc("USSKGA912345"), "isrc-shape", "year 'A9' must be two digits (CC-XXX-YY-NNNNN)");
  invalid(check_isrc("US/SKG/19/12345"), "isrc-shape", "unexpected character '/' at position 3");
  invalid(check_isrc("US_SKG1912345"), "isrc-shape", "unexpected character '_' at position 3");
  invalid(check_isrc("USSKG19\u00E912345"), "isrc-shape", "unexpected character U+00E9 at position 8");
  invalid(check_isrc("\uFF35\uFF33SKG1912345"), "isrc-shape", "unexpected character U+FF35 at position 1");
  invalid(check_isrc("USSKG19\xff"
                     "12345"),
          "isrc-shape", "byte 0xFF at position 8 is not valid UTF-8");
  invalid(check_isrc(std::string_view("USSKG19\0"
                                      "12345",
                                      13)),
          "isrc-shape", "unexpected character U+0000 at position 8");
  invalid(check_isrc("USSKG1912345\xe2\x80"), "isrc-shape", "byte 0xE2 at position 13 is not valid UTF-8");
  invalid(check_isrc("\xc0\xafUSSKG1912345"), "isrc-shape"); // overlong encoding of '/'
  invalid(check_isrc("ISRC"), "isrc-shape");                 // a label alone
}

TEST_CASE("ISWC: vectors from identifiers.md") {
  valid(check_iswc("T-034.524.680-1"), "T0345246801", "T-034.524.680-1");
  valid(check_iswc("T-000.000.001-0"), "T0000000010", "T-000.000.001-0");
  valid(check_iswc("T1234567894"), "T1234567894", "T-123.456.789-4");
  valid(check_iswc("T-335186427-8"), "T3351864278", "T-335.186.427-8");
  invalid(check_iswc("T1234567893"), "iswc-check", "check digit is 3, expected 4");
  invalid(check_iswc("I1234567894"), "iswc-shape", "starts with 'I', expected 'T' (T-DDD.DDD.DDD-C)");
}

TEST_CASE("ISWC: more") {
  CHECK(iswc_check_digit("034524680") == '1');
  CHECK(iswc_check_digit("999999999") == '4');
  CHECK(iswc_check_digit("000000000") == '9');
  CHECK(iswc_check_digit("12345678") == '\0');
  CHECK(iswc_check_digit("12345678X") == '\0');
  valid(check_iswc("T0702549812"), "T0702549812", "T-070.254.981-2");
  valid(check_iswc("T0702549845"), "T0702549845", "T-070.254.984-5");
  valid(check_iswc("t 999 999 999 4"), "T9999999994", "T-999.999.999-4");
  valid(check_iswc("ISWC: T-111.111.111-4"), "T1111111114", "T-111.111.111-4");
  invalid(check_iswc(""), "iswc-empty");
  invalid(check_iswc("0345246801"), "iswc-shape", "starts with '0', expected 'T' (T-DDD.DDD.DDD-C)");
  invalid(check_iswc("T-034.524.680"), "iswc-shape", "has 9 digits after 'T', expected 10 (T-DDD.DDD.DDD-C)");
  invalid(check_iswc("T-034.524.680-12"), "iswc-shape",
          "has 11 digits after 'T', expected 10 (T-DDD.DDD.DDD-C)");
  invalid(check_iswc("T"), "iswc-shape", "has 0 digits after 'T', expected 10 (T-DDD.DDD.DDD-C)");
  invalid(check_iswc("T-034.5O4.680-1"), "iswc-shape", "'O' after 'T' is not a digit (T-DDD.DDD.DDD-C)");
  invalid(check_iswc("T-034.524.680-X"), "iswc-shape");
  invalid(check_iswc("T\u2022034"), "iswc-shape", "unexpected character U+2022 at position 2");
}

TEST_CASE("IPI base number") {
  valid(check_ipi_base("I-123456789-3"), "I1234567893", "I-123456789-3");
  invalid(check_ipi_base("I-123456789-4"), "ipi-base-check", "check digit is 4, expected 3");
  CHECK(ipi_base_check_digit("123456789") == '3');
  CHECK(ipi_base_check_digit("12345") == '\0');
  valid(check_ipi_base("i 000000001 9"), "I0000000019", "I-000000001-9");
  valid(check_ipi_base("I-987654321-3"), "I9876543213", "I-987654321-3");
  valid(check_ipi_base("IPI: I-000000000-8"), "I0000000008", "I-000000000-8");
  invalid(check_ipi_base(""), "ipi-base-empty");
  invalid(check_ipi_base("T-123456789-3"), "ipi-base-shape", "starts with 'T', expected 'I' (I-DDDDDDDDD-C)");
  invalid(check_ipi_base("I-12345678-3"), "ipi-base-shape",
          "has 9 digits after 'I', expected 10 (I-DDDDDDDDD-C)");
  invalid(check_ipi_base("I-1234A6789-3"), "ipi-base-shape", "'A' after 'I' is not a digit (I-DDDDDDDDD-C)");
}

TEST_CASE("IPI name number: vectors from identifiers.md") {
  valid(check_ipi_name("00000000199"), "00000000199", "00000000199");
  invalid(check_ipi_name("00000000100"), "ipi-check", "check digits are 00, expected 99");
}

TEST_CASE("IPI name number: padding, weights 10..2, more") {
  // identifiers.md words the weights as (10 - i) for digits 1..9; its own vectors only work when i counts
  // from 0 (weights 10, 9, ..., 2), as in the open-source implementation it cites.
  CHECK(ipi_name_check_digits("000000001") == "99");
  CHECK(ipi_name_check_digits("004285317") == "54");
  CHECK(ipi_name_check_digits("123456789") == "93");
  CHECK(ipi_name_check_digits("999999999") == "19");
  CHECK(ipi_name_check_digits("000000000") == "00");
  CHECK(ipi_name_check_digits("12345678") == "");
  valid(check_ipi_name("199"), "00000000199", "00000000199");
  valid(check_ipi_name("428531754"), "00428531754", "00428531754");
  valid(check_ipi_name("00517632849"), "00517632849", "00517632849");
  valid(check_ipi_name("638 194 718"), "00638194718", "00638194718");
  valid(check_ipi_name("12345678993"), "12345678993", "12345678993");
  valid(check_ipi_name("IPI 99999999919"), "99999999919", "99999999919");
  valid(check_ipi_name("1234567846"), "01234567846", "01234567846");
  invalid(check_ipi_name(""), "ipi-empty", "is empty");
  invalid(check_ipi_name("0"), "ipi-shape", "is all zeros, a placeholder rather than a number");
  invalid(check_ipi_name("00000000000"), "ipi-shape");
  invalid(check_ipi_name("123456789931"), "ipi-shape",
          "has 12 digits, expected at most 11 (up to 11 digits)");
  invalid(check_ipi_name("0042853175A"), "ipi-shape", "'A' is not a digit (up to 11 digits)");
  invalid(check_ipi_name("I-123456789-3"), "ipi-shape", "'I' is not a digit (up to 11 digits)");
  invalid(check_ipi_name("00428531755"), "ipi-check", "check digits are 55, expected 54");
  invalid(check_ipi_name("99"), "ipi-check", "check digits are 99, expected 00");
}

TEST_CASE("ISNI: vectors from identifiers.md") {
  valid(check_isni("0000 0001 2281 955X"), "000000012281955X", "0000 0001 2281 955X");
  valid(check_isni("0000000121032683"), "0000000121032683", "0000 0001 2103 2683");
  valid(check_isni("000000012146438X"), "000000012146438X", "0000 0001 2146 438X");
  invalid(check_isni("0000 0001 1111 955X"), "isni-check", "check character is X, expected 8");
  invalid(check_isni("0000000000000010"), "isni-check", "check character is 0, expected X");
}

TEST_CASE("ISNI: more") {
  CHECK(isni_check_char("000000012281955") == 'X');
  CHECK(isni_check_char("000000012345678") == '9');
  CHECK(isni_check_char("00000001228195") == '\0');
  CHECK(isni_check_char("00000001228195A") == '\0');
  valid(check_isni("0000000123456789"), "0000000123456789", "0000 0001 2345 6789");
  valid(check_isni("0000-0003-9876-5433"), "0000000398765433", "0000 0003 9876 5433");
  valid(check_isni("0000 0002 1825 0097"), "0000000218250097", "0000 0002 1825 0097");
  valid(check_isni("isni 0000 0001 2281 955x"), "000000012281955X", "0000 0001 2281 955X");
  valid(check_isni("ISNI:0000000073683501"), "0000000073683501", "0000 0000 7368 3501");
  invalid(check_isni(""), "isni-empty");
  invalid(check_isni("0000 0001 2281 955"), "isni-shape",
          "has 15 characters, expected 16 (15 digits and a check character)");
  invalid(check_isni("0000 0001 2281 955X 1"), "isni-shape",
          "has 17 characters, expected 16 (15 digits and a check character)");
  invalid(check_isni("0000 0001 2281 9551 0"), "isni-shape",
          "has 17 characters, expected 16 (15 digits and a check character)");
  invalid(check_isni("0000 0001 2281 955Y"), "isni-shape",
          "check character 'Y' must be a digit or X (15 digits and a check character)");
  invalid(check_isni("X000 0001 2281 9550"), "isni-shape",
          "'X' is not a digit (15 digits and a check character)");
  invalid(check_isni("0000 0001 2281 955\u2717"), "isni-shape", "unexpected character U+2717 at position 19");
  invalid(check_isni("https://isni.org/isni/000000012281955X"), "isni-shape");
}

TEST_CASE("UPC/EAN/GTIN: vectors from identifiers.md") {
  valid(check_icpn("036000291452"), "036000291452", "036000291452");
  valid(check_icpn("4006381333931"), "4006381333931", "4006381333931");
  valid(check_icpn("5901234123457"), "5901234123457", "5901234123457");
  invalid(check_icpn("036000291453"), "upc-check", "check digit is 3, expected 2");
  invalid(check_icpn("4006381333932"), "upc-check", "check digit is 2, expected 1");
}

TEST_CASE("UPC/EAN/GTIN: more") {
  CHECK(gtin_check_digit("03600029145") == '2');
  CHECK(gtin_check_digit("978030640615") == '7');
  CHECK(gtin_check_digit("") == '\0');
  CHECK(gtin_check_digit("03600029145A") == '\0');
  valid(check_icpn("0 36000 29145 2"), "036000291452", "036000291452"); // leading zero kept
  valid(check_icpn("085963100424"), "085963100424", "085963100424");
  valid(check_icpn("978-0-306-40615-7"), "9780306406157", "9780306406157");
  valid(check_icpn("12345678901231"), "12345678901231", "12345678901231");
  valid(check_icpn("00012345678905"), "00012345678905", "00012345678905");
  valid(check_icpn("EAN 4006381333931"), "4006381333931", "4006381333931");
  valid(check_icpn("UPC: 123456789012"), "123456789012", "123456789012");
  invalid(check_icpn(""), "upc-empty");
  invalid(check_icpn("36000291452"), "upc-shape",
          "has 11 digits (12 digits for UPC-A, 13 for EAN-13, 14 for GTIN-14)");
  invalid(check_icpn("036000291452036"), "upc-shape",
          "has 15 digits (12 digits for UPC-A, 13 for EAN-13, 14 for GTIN-14)");
  invalid(check_icpn("03600029145X"), "upc-shape",
          "'X' is not a digit (12 digits for UPC-A, 13 for EAN-13, 14 for GTIN-14)");
  invalid(check_icpn("96385074"), "upc-shape"); // EAN-8 is not a release identifier
  invalid(check_icpn("085963100427"), "upc-check", "check digit is 7, expected 4");
}

TEST_CASE("GRid: vectors from identifiers.md") {
  valid(check_grid("A1-2425G-ABC1234002-M"), "A12425GABC1234002M", "A1-2425G-ABC1234002-M");
  invalid(check_grid("A1-2425G-ABC1234002-Q"), "grid-check", "check character is Q, expected M");
}

TEST_CASE("GRid: more") {
  CHECK(mod37_36_check_char("A12425GABC1234002") == 'M');
  CHECK(mod37_36_check_char("a12425gabc1234002") == 'M');
  CHECK(mod37_36_check_char("A12425G-ABC") == '\0');
  CHECK(mod37_36_check_char("") == '\0');
  valid(check_grid("A12425GKNT2026001X"), "A12425GKNT2026001X", "A1-2425G-KNT2026001-X");
  valid(check_grid("a1-2425g-abc1234002-m"), "A12425GABC1234002M", "A1-2425G-ABC1234002-M");
  valid(check_grid("A1 00000 0000000000 X"), "A1000000000000000X", "A1-00000-0000000000-X");
  valid(check_grid("A1-ZZZZZ-ZZZZZZZZZZ-3"), "A1ZZZZZZZZZZZZZZZ3", "A1-ZZZZZ-ZZZZZZZZZZ-3");
  valid(check_grid("GRid: A1-23456-7890123456-K"), "A1234567890123456K", "A1-23456-7890123456-K");
  invalid(check_grid(""), "grid-empty");
  invalid(check_grid("A1-2425G-ABC1234002"), "grid-shape",
          "has 17 characters, expected 18 (A1-XXXXX-XXXXXXXXXX-C)");
  invalid(check_grid("A2-2425G-ABC1234002-M"), "grid-shape",
          "starts with 'A2', expected 'A1' (A1-XXXXX-XXXXXXXXXX-C)");
  invalid(check_grid("A1-2425G-ABC1234002-M0"), "grid-shape");
  invalid(check_grid("A1-2425G-ABC1234002-\u00D1"), "grid-shape",
          "unexpected character U+00D1 at position 21");
}

TEST_CASE("DPID: vectors from identifiers.md") {
  valid(check_dpid("PADPIDA2013020802I"), "PADPIDA2013020802I", "PADPIDA2013020802I");
  invalid(check_dpid("PADPIDA2013020803I"), "dpid-check", "check character is I, expected G");
}

TEST_CASE("DPID: more") {
  valid(check_dpid("PADPIDA2026HARB03K"), "PADPIDA2026HARB03K", "PADPIDA2026HARB03K");
  valid(check_dpid("PADPIDA2026NOVA01L"), "PADPIDA2026NOVA01L", "PADPIDA2026NOVA01L");
  valid(check_dpid("padpida2026stel02r"), "PADPIDA2026STEL02R", "PADPIDA2026STEL02R");
  valid(check_dpid("DPID: PADPIDA2007040502I"), "PADPIDA2007040502I", "PADPIDA2007040502I");
  invalid(check_dpid(""), "dpid-empty");
  invalid(check_dpid("PADPIDA20140423010F"), "dpid-shape",
          "has 19 characters, expected 18 (PADPIDA + 10 characters + check)");
  invalid(check_dpid("PADPIDA"), "dpid-shape",
          "has 7 characters, expected 18 (PADPIDA + 10 characters + check)");
  invalid(check_dpid("PADPIDB2013020802I"), "dpid-shape",
          "starts with 'PADPIDB', expected 'PADPIDA' (PADPIDA + 10 characters + check)");
  invalid(check_dpid("PA"), "dpid-shape",
          "starts with 'PA', expected 'PADPIDA' (PADPIDA + 10 characters + check)");
  invalid(check_dpid("PADPIDA2013020802I\u200B"), "dpid-shape", "unexpected character U+200B at position 19");
}

TEST_CASE("check_id dispatches and to_string names every kind") {
  CHECK(check_id(IdKind::ISRC, "US-SKG-19-12345").ok);
  CHECK(check_id(IdKind::ISWC, "T-034.524.680-1").ok);
  CHECK(check_id(IdKind::ISNI, "0000000121032683").ok);
  CHECK(check_id(IdKind::IPIName, "00000000199").ok);
  CHECK(check_id(IdKind::IPIBase, "I-123456789-3").ok);
  CHECK(check_id(IdKind::ICPN, "036000291452").ok);
  CHECK(check_id(IdKind::GRid, "A1-2425G-ABC1234002-M").ok);
  CHECK(check_id(IdKind::DPID, "PADPIDA2013020802I").ok);
  CHECK(check_id(IdKind::ISWC, "US-SKG-19-12345").code == "iswc-shape");
  CHECK(check_id(IdKind::IPIName, "00000000100").code == "ipi-check");
  CHECK(to_string(IdKind::ISRC) == "ISRC");
  CHECK(to_string(IdKind::ISWC) == "ISWC");
  CHECK(to_string(IdKind::ISNI) == "ISNI");
  CHECK(to_string(IdKind::IPIName) == "IPI name number");
  CHECK(to_string(IdKind::IPIBase) == "IPI base number");
  CHECK(to_string(IdKind::ICPN) == "UPC/EAN");
  CHECK(to_string(IdKind::GRid) == "GRid");
  CHECK(to_string(IdKind::DPID) == "DPID");
}

TEST_CASE("single-character typos in the data part") {
  // Single-character substitutions are the typos check characters exist for.
  auto typos = [](IdKind kind, const std::string& value, std::size_t first, std::string_view alphabet,
                  auto&& on_missed) {
    REQUIRE(check_id(kind, value).ok);
    int caught = 0, total = 0;
    for (std::size_t i = first; i + 1 < value.size(); ++i)
      for (char ch : alphabet) {
        if (ch == value[i]) continue;
        std::string typo = value;
        typo[i] = ch;
        IdCheck r = check_id(kind, typo);
        ++total;
        if (!r.ok && r.code.ends_with("-check"))
          ++caught;
        else
          on_missed(i, ch);
      }
    return std::pair{caught, total};
  };
  constexpr std::string_view kDigits = "0123456789", kAlnum = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  auto never = [](std::size_t i, char ch) { FAIL_CHECK("missed a typo at " << i << ": " << ch); };

  SUBCASE("MOD 11-2, MOD 37,36 and GS1 catch every one") {
    typos(IdKind::ISNI, "000000012281955X", 0, kDigits, never);
    typos(IdKind::ICPN, "4006381333931", 0, kDigits, never);
    typos(IdKind::ICPN, "036000291452", 0, kDigits, never);
    typos(IdKind::GRid, "A12425GABC1234002M", 2, kAlnum, never);
    typos(IdKind::DPID, "PADPIDA2013020802I", 7, kAlnum, never);
  }
  SUBCASE("ISWC and IPI base: weights 1..9 mod 10 miss a change by 5 at an even weight, or an even change at "
          "weight 5") {
    for (auto [kind, value] :
         {std::pair{IdKind::ISWC, "T0345246801"}, std::pair{IdKind::IPIBase, "I1234567893"}}) {
      std::string v = value;
      auto [caught, total] = typos(kind, v, 1, kDigits, [&](std::size_t i, char ch) {
        CHECK((ch - v[i]) * static_cast<int>(i) % 10 == 0); // weight of digit i is i
      });
      CHECK(total - caught == 8); // digits 2, 4, 6, 8 changed by 5 (4), digit 5 changed by an even amount (4)
    }
  }
  SUBCASE("IPI name number: MOD 101 catches these; its blind spot is r = 0 vs r = 1 (both give 00)") {
    typos(IdKind::IPIName, "00428531754", 0, kDigits, never);
    CHECK(ipi_name_check_digits("000000000") == "00"); // r = 0
    CHECK(ipi_name_check_digits("900000040") == "00"); // r = 102 mod 101 = 1
  }
}
