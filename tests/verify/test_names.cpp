// Name matching: exact, near misses with reasons, and unrelated names.
#include <doctest/doctest.h>
#include <liner/verify/verify.hpp>

using namespace liner;
using liner::verify::NameMatch;

namespace {
std::vector<std::string> reasons(std::string_view a, std::string_view b) {
  auto c = verify::compare_names(a, b);
  REQUIRE(c.match == NameMatch::Near);
  return c.reasons;
}
credits::Party party(std::string name, std::string latin = {}) {
  credits::Party p;
  p.id.assign(1, 'x');
  p.name = std::move(name);
  p.latin_name = std::move(latin);
  return p;
}
using V = std::vector<std::string>;
} // namespace

TEST_CASE("exact names, including different Unicode normal forms and spacing") {
  CHECK(verify::compare_names("Zoë Laurent", "Zoë Laurent").match == NameMatch::Exact);
  CHECK(verify::compare_names("Zoë Laurent", "Zoe\xCC\x88 Laurent").match == NameMatch::Exact); // NFD
  CHECK(verify::compare_names("Malik Okafor", "  Malik   Okafor ").match == NameMatch::Exact);
  CHECK(verify::compare_names("森 彩", "森 彩").match == NameMatch::Exact);
}

TEST_CASE("near matches say why") {
  CHECK(reasons("Zoë Laurent", "Zoe Laurent") == V{"diacritics"});
  CHECK(reasons("José Ángel Núñez", "Jose Angel Nunez") == V{"diacritics"});
  CHECK(reasons("Søren Kjærgaard", "Soren Kjaergaard") == V{"diacritics"});
  CHECK(reasons("Malik Okafor", "malik okafor") == V{"case"});
  CHECK(reasons("Malik Okafor", "MALIK OKAFOR") == V{"case"});
  CHECK(reasons("Inès Moreau", "INES MOREAU") == V{"diacritics", "case"});
  CHECK(reasons("Malik Okafor", "Okafor Malik") == V{"order"});
  CHECK(reasons("Malik Okafor", "Okafor, Malik") == V{"order"});
  CHECK(reasons("Malik Okafor", "M. Okafor") == V{"initial"});
  CHECK(reasons("Malik Okafor", "M Okafor") == V{"initial"});
  CHECK(reasons("Malik Okafor", "Okafor, M.") == V{"order", "initial"});
  CHECK(reasons("Malik Okafor", "Malik Okafr") == V{"spelling"});
  CHECK(reasons("Priya Raman", "Priya Ramen") == V{"spelling"});
  CHECK(reasons("José Ángel Núñez", "José-Ángel Núñez") == V{"punctuation"});
}

TEST_CASE("unrelated names do not match") {
  CHECK(verify::compare_names("Malik Okafor", "Priya Raman").match == NameMatch::None);
  CHECK(verify::compare_names("Malik Okafor", "M. O.").match == NameMatch::None);
  CHECK(verify::compare_names("Malik Okafor", "Malik").match == NameMatch::None);
  CHECK(verify::compare_names("Aya Mori", "Ana Mora").match == NameMatch::None);
  CHECK(verify::compare_names("Malik Okafor", "").match == NameMatch::None);
}

TEST_CASE("a latin form instead of the original script") {
  auto aya = party("森 彩", "Aya Mori");
  CHECK(verify::compare_party(aya, "森 彩").match == NameMatch::Exact);
  auto c = verify::compare_party(aya, "Aya Mori");
  CHECK(c.match == NameMatch::Near);
  CHECK(c.reasons == V{"latin form"});
  CHECK(c.compared_with == "Aya Mori");
  c = verify::compare_party(aya, "Mori Aya");
  CHECK(c.reasons == V{"latin form", "order"});
  c = verify::compare_party(party("ليلى حداد", "Layla Haddad"), "layla haddad");
  CHECK(c.reasons == V{"latin form", "case"});
  CHECK(verify::compare_party(aya, "Priya Raman").match == NameMatch::None);
}

TEST_CASE("reasons read as phrases; keys and identifiers normalise") {
  CHECK(verify::describe_reasons({"latin form", "order"}) ==
        "latin form instead of the original script, name order swapped");
  CHECK(verify::describe_reasons({"diacritics"}) == "diacritics dropped");
  CHECK(verify::name_key("Søren  KJÆRGAARD") == "soren kjaergaard");
  CHECK(verify::name_key("Zoë") == "zoe");
  CHECK(verify::normalize_id("0000 0001 2345 6789") == "0000000123456789");
  CHECK(verify::normalize_id("padpida2026nova01l") == "PADPIDA2026NOVA01L");
}
