#include <doctest/doctest.h>
#include <liner/credits/decimal.hpp>
#include <liner/credits/error.hpp>

using liner::Decimal;

TEST_CASE("Decimal parses the forms shares are written in") {
  CHECK(Decimal::parse("50")->units() == 50'000'000);
  CHECK(Decimal::parse("33.33")->units() == 33'330'000);
  CHECK(Decimal::parse("0.000001")->units() == 1);
  CHECK(Decimal::parse("-2.5")->units() == -2'500'000);
  CHECK(Decimal::parse("+1.5")->units() == 1'500'000);
  CHECK(Decimal::parse("100.000000")->str() == "100");
}

TEST_CASE("Decimal rejects what it cannot hold exactly") {
  int decimals = 0;
  CHECK_FALSE(Decimal::parse("33.3333333", &decimals));
  CHECK(decimals == 7);
  CHECK_FALSE(Decimal::parse(""));
  CHECK_FALSE(Decimal::parse("."));
  CHECK_FALSE(Decimal::parse("5."));
  CHECK_FALSE(Decimal::parse(".5"));
  CHECK_FALSE(Decimal::parse("1e3"));
  CHECK_FALSE(Decimal::parse("1,5"));
  CHECK_FALSE(Decimal::parse("12abc"));
  CHECK_FALSE(Decimal::parse("99999999999999999999"));
}

TEST_CASE("Decimal arithmetic is exact where binary floating point is not") {
  // 0.1 + 0.2 == 0.3 exactly.
  CHECK(*Decimal::parse("0.1") + *Decimal::parse("0.2") == *Decimal::parse("0.3"));
  // Three writers at 33.33 / 33.33 / 33.34 make exactly 100.
  Decimal sum = *Decimal::parse("33.33") + *Decimal::parse("33.33") + *Decimal::parse("33.34");
  CHECK(sum == Decimal::from_int(100));
  CHECK(Decimal::parse("4")->mul(*Decimal::parse("0.5")).str() == "2");
  CHECK(Decimal::from_int(100).div(Decimal::from_int(3)).str() == "33.333333");
  CHECK_THROWS_AS(Decimal::from_int(1).div(Decimal{}), liner::Error);
}

TEST_CASE("Decimal formatting and rounding") {
  CHECK(Decimal::parse("33.333333")->str_fixed(2) == "33.33");
  CHECK(Decimal::parse("16.6665")->str_fixed(3) == "16.667");
  CHECK(Decimal::parse("-0.005")->str_fixed(2) == "-0.01");
  CHECK(Decimal::parse("2.5")->rounded(0).str() == "3");
  CHECK(Decimal{}.str() == "0");
  CHECK(Decimal::parse("1.10")->str() == "1.1");
}
