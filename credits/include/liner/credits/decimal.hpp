// liner: exact decimal numbers for shares, hours and money. Never binary floating point.
#pragma once
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace liner {

// A fixed-point decimal with exactly 6 fractional digits (DDEX allows up to 6), stored as a signed
// 64-bit count of millionths: range about +-9.2e12.
class Decimal {
public:
  static constexpr int kScale = 6;
  static constexpr std::int64_t kOne = 1'000'000;

  constexpr Decimal() = default;
  static constexpr Decimal from_units(std::int64_t micro) {
    Decimal d;
    d.v_ = micro;
    return d;
  }
  static constexpr Decimal from_int(std::int64_t i) { return from_units(i * kOne); }

  // Parses "50", "-3", "33.33", "0.000001", "+1.5". No exponent, no thousands separators.
  // Fails (nullopt) on bad syntax, more than 6 decimals, or overflow. `decimals` receives the count of
  // fractional digits written (so callers can report "more than 6 decimals" precisely).
  static std::optional<Decimal> parse(std::string_view text, int* decimals = nullptr);

  constexpr std::int64_t units() const { return v_; }
  // Shortest exact form: "50", "33.33", "0.000001", "-2.5".
  std::string str() const;
  // Fixed number of decimals (0..6), rounding half away from zero.
  std::string str_fixed(int decimals) const;
  // Rounded to `decimals` (0..6), half away from zero.
  Decimal rounded(int decimals) const;

  constexpr bool is_zero() const { return v_ == 0; }
  constexpr bool is_negative() const { return v_ < 0; }

  friend constexpr Decimal operator+(Decimal a, Decimal b) { return from_units(a.v_ + b.v_); }
  friend constexpr Decimal operator-(Decimal a, Decimal b) { return from_units(a.v_ - b.v_); }
  constexpr Decimal operator-() const { return from_units(-v_); }
  constexpr Decimal& operator+=(Decimal o) {
    v_ += o.v_;
    return *this;
  }
  constexpr Decimal& operator-=(Decimal o) {
    v_ -= o.v_;
    return *this;
  }
  // Exact product truncated toward zero to 6 places (computed in 128 bits).
  Decimal mul(Decimal o) const;
  // Quotient truncated toward zero to 6 places; throws liner::Error on division by zero.
  Decimal div(Decimal o) const;

  friend constexpr auto operator<=>(Decimal, Decimal) = default;
  friend constexpr bool operator==(Decimal, Decimal) = default;

private:
  std::int64_t v_ = 0;
};

} // namespace liner
