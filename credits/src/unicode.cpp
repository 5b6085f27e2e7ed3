#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <liner/credits/sheet.hpp>
#include <liner/credits/text.hpp>
#include <memory>
#include <utf8proc.h>

namespace liner::credits {
namespace {
struct FreeDeleter {
  void operator()(utf8proc_uint8_t* p) const { std::free(p); }
};

std::string map(std::string_view s, int options) {
  utf8proc_uint8_t* out = nullptr;
  auto n =
      utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(s.data()),
                   static_cast<utf8proc_ssize_t>(s.size()), &out, static_cast<utf8proc_option_t>(options));
  std::unique_ptr<utf8proc_uint8_t, FreeDeleter> guard(out);
  if (n < 0) return std::string(s);
  return std::string(reinterpret_cast<char*>(out), static_cast<std::size_t>(n));
}
} // namespace

bool valid_utf8(std::string_view s) {
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(s.data());
  utf8proc_ssize_t left = static_cast<utf8proc_ssize_t>(s.size());
  while (left > 0) {
    if (*p < 0x80) { // ASCII, the bulk of most text: no decoder call, 8 bytes at a time when it can
      std::uint64_t w;
      while (left >= 8 && (std::memcpy(&w, p, 8), (w & 0x8080808080808080ull) == 0))
        p += 8, left -= 8;
      if (left > 0 && *p < 0x80) ++p, --left;
      continue;
    }
    utf8proc_int32_t cp;
    auto n = utf8proc_iterate(p, left, &cp);
    if (n <= 0 || cp < 0) return false;
    p += n;
    left -= n;
  }
  return true;
}

std::string nfc(std::string_view s) {
  return map(s, UTF8PROC_STABLE | UTF8PROC_COMPOSE);
}

std::string strip_marks(std::string_view s) {
  return map(s, UTF8PROC_STABLE | UTF8PROC_STRIPMARK | UTF8PROC_COMPOSE);
}

std::string fold_name(std::string_view s) {
  std::string f = map(s, UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD);
  return collapse_spaces(f);
}

} // namespace liner::credits
