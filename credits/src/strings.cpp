#include "strings.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <liner/credits/error.hpp>
#include <sys/stat.h>
#include <vector>

namespace liner::credits {

std::string_view trim(std::string_view s) {
  const char* ws = " \t\r\n";
  auto b = s.find_first_not_of(ws);
  if (b == std::string_view::npos) return {};
  auto e = s.find_last_not_of(ws);
  return s.substr(b, e - b + 1);
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string collapse_spaces(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

std::size_t byte_of_column(std::string_view line, std::uint32_t column) {
  std::size_t byte = 0;
  for (std::uint32_t c = 1; c < column && byte < line.size(); ++c) {
    ++byte;
    while (byte < line.size() && (static_cast<unsigned char>(line[byte]) & 0xC0) == 0x80)
      ++byte;
  }
  return byte;
}

std::string xml_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
    case '&':
      out += "&amp;";
      break;
    case '<':
      out += "&lt;";
      break;
    case '>':
      out += "&gt;";
      break;
    case '"':
      out += "&quot;";
      break;
    case '\'':
      out += "&#39;";
      break;
    default:
      out += c;
    }
  }
  return out;
}

std::size_t edit_distance(std::string_view a0, std::string_view b0) {
  std::string a = lower(a0), b = lower(b0);
  const std::size_t n = a.size(), m = b.size();
  std::vector<std::vector<std::size_t>> d(n + 1, std::vector<std::size_t>(m + 1));
  for (std::size_t i = 0; i <= n; ++i)
    d[i][0] = i;
  for (std::size_t j = 0; j <= m; ++j)
    d[0][j] = j;
  for (std::size_t i = 1; i <= n; ++i)
    for (std::size_t j = 1; j <= m; ++j) {
      std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[n][m];
}

std::string nearest(std::string_view word, std::span<const std::string_view> candidates) {
  std::size_t best = std::string_view::npos;
  std::string_view pick;
  for (auto c : candidates) {
    std::size_t dist = edit_distance(word, c);
    if (dist < best) {
      best = dist;
      pick = c;
    }
  }
  // Plausible typo: at most a third of the word wrong (and at least one edit allowed).
  std::size_t allowed = std::max<std::size_t>(1, std::max(word.size(), pick.size()) / 3);
  return best <= allowed ? std::string(pick) : std::string();
}

std::string read_file(const std::string& path, std::size_t limit) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) throw Error(path, std::strerror(errno));
  if (S_ISDIR(st.st_mode)) throw Error(path, "is a directory");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path, "cannot open for reading");
  std::string out;
  out.resize(std::min<std::size_t>(static_cast<std::size_t>(st.st_size), limit) + 1);
  in.read(out.data(), static_cast<std::streamsize>(out.size()));
  if (in.bad()) throw Error(path, "read error");
  out.resize(static_cast<std::size_t>(in.gcount()));
  return out;
}

} // namespace liner::credits
