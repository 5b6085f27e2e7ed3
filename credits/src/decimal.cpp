#include <cstdlib>
#include <limits>
#include <liner/credits/decimal.hpp>
#include <liner/credits/error.hpp>

namespace liner {
namespace {
__extension__ typedef __int128 i128; // exact intermediate products
constexpr std::int64_t kPow10[] = {1, 10, 100, 1000, 10000, 100000, 1000000};

std::int64_t round_half_away(std::int64_t v, int decimals) {
  const std::int64_t step = kPow10[Decimal::kScale - decimals];
  std::int64_t q = v / step, r = v % step;
  if (2 * (r < 0 ? -r : r) >= step) q += (v < 0 ? -1 : 1);
  return q * step;
}
} // namespace

std::optional<Decimal> Decimal::parse(std::string_view s, int* decimals) {
  if (decimals) *decimals = 0;
  if (s.empty()) return std::nullopt;
  bool neg = false;
  std::size_t i = 0;
  if (s[0] == '+' || s[0] == '-') {
    neg = s[0] == '-';
    ++i;
  }
  i128 ip = 0;
  std::size_t int_digits = 0;
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i, ++int_digits) {
    ip = ip * 10 + (s[i] - '0');
    if (ip > std::numeric_limits<std::int64_t>::max() / kOne) return std::nullopt;
  }
  std::int64_t frac = 0;
  int nfrac = 0;
  if (i < s.size() && s[i] == '.') {
    ++i;
    for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
      ++nfrac;
      if (nfrac <= kScale) frac = frac * 10 + (s[i] - '0');
    }
    if (nfrac == 0) return std::nullopt; // "5." is not a number we accept
  }
  if (i != s.size() || int_digits == 0) return std::nullopt;
  if (decimals) *decimals = nfrac;
  if (nfrac > kScale) return std::nullopt;
  frac *= kPow10[kScale - nfrac];
  i128 v = ip * kOne + frac;
  if (v > std::numeric_limits<std::int64_t>::max()) return std::nullopt;
  return from_units(neg ? -static_cast<std::int64_t>(v) : static_cast<std::int64_t>(v));
}

std::string Decimal::str_fixed(int decimals) const {
  if (decimals < 0) decimals = 0;
  if (decimals > kScale) decimals = kScale;
  std::int64_t v = round_half_away(v_, decimals);
  bool neg = v < 0;
  unsigned long long a = neg ? 0ull - static_cast<unsigned long long>(v) : static_cast<unsigned long long>(v);
  std::string out = std::to_string(a / kOne);
  if (decimals > 0) {
    std::string f = std::to_string(a % kOne);
    f.insert(0, kScale - f.size(), '0');
    out += '.';
    out += f.substr(0, decimals);
  }
  return neg ? "-" + out : out;
}

std::string Decimal::str() const {
  std::string s = str_fixed(kScale);
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0')
      s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  return s == "-0" ? "0" : s;
}

Decimal Decimal::rounded(int decimals) const {
  if (decimals < 0) decimals = 0;
  if (decimals >= kScale) return *this;
  return from_units(round_half_away(v_, decimals));
}

Decimal Decimal::mul(Decimal o) const {
  i128 p = static_cast<i128>(v_) * o.v_ / kOne;
  if (p > std::numeric_limits<std::int64_t>::max() || p < std::numeric_limits<std::int64_t>::min())
    throw Error("decimal overflow in multiplication");
  return from_units(static_cast<std::int64_t>(p));
}

Decimal Decimal::div(Decimal o) const {
  if (o.v_ == 0) throw Error("decimal division by zero");
  i128 q = static_cast<i128>(v_) * kOne / o.v_;
  if (q > std::numeric_limits<std::int64_t>::max() || q < std::numeric_limits<std::int64_t>::min())
    throw Error("decimal overflow in division");
  return from_units(static_cast<std::int64_t>(q));
}

} // namespace liner
