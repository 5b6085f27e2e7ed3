#include "output.hpp"

#include <algorithm>
#include <cstdlib>
#include <fmt/color.h>
#include <fmt/format.h>
#include <fstream>
#include <liner/credits/text.hpp>
#include <map>
#include <sstream>
#include <unistd.h>
#include <vector>

namespace liner::cli {

bool is_terminal(std::FILE* f) {
  return ::isatty(::fileno(f)) != 0 && std::getenv("NO_COLOR") == nullptr;
}

namespace {

// Source lines of the files diagnostics point into, read once each.
class SourceCache {
public:
  const std::vector<std::string>& lines(const std::string& file) {
    auto it = cache_.find(file);
    if (it != cache_.end()) return it->second;
    std::vector<std::string> v;
    std::ifstream in(file, std::ios::binary);
    std::string line;
    std::size_t total = 0;
    while (in && std::getline(in, line) && total < (16u << 20)) {
      total += line.size();
      if (!line.empty() && line.back() == '\r') line.pop_back();
      v.push_back(std::move(line));
    }
    return cache_.emplace(file, std::move(v)).first->second;
  }

private:
  std::map<std::string, std::vector<std::string>> cache_;
};

} // namespace

void print_diagnostics(const Diagnostics& d, std::FILE* out, bool color) {
  SourceCache cache;
  for (const Diagnostic& x : d) {
    auto sev_style = x.severity == Severity::Error     ? fmt::fg(fmt::terminal_color::bright_red)
                     : x.severity == Severity::Warning ? fmt::fg(fmt::terminal_color::bright_yellow)
                                                       : fmt::fg(fmt::terminal_color::bright_cyan);
    std::string loc = x.location.str();
    std::string sev(to_string(x.severity));
    if (color)
      fmt::print(out, "{}: {}: {} [{}]\n", fmt::styled(loc, fmt::emphasis::bold),
                 fmt::styled(sev, sev_style | fmt::emphasis::bold),
                 fmt::styled(x.message, fmt::emphasis::bold), x.code);
    else
      fmt::print(out, "{}: {}: {} [{}]\n", loc, sev, x.message, x.code);
    if (x.location.line > 0 && !x.location.file.empty()) {
      const auto& lines = cache.lines(x.location.file);
      if (x.location.line <= lines.size()) {
        std::string src = lines[x.location.line - 1];
        std::uint32_t column = x.location.column;
        // A long line (minified XML, a huge cell) shows only a window around the column.
        constexpr std::size_t kWindow = 60;
        std::size_t at = credits::byte_of_column(src, column ? column : 1);
        if (src.size() > 2 * kWindow + 20) {
          std::size_t from = at > kWindow ? at - kWindow : 0;
          while (from > 0 && (static_cast<unsigned char>(src[from]) & 0xC0) == 0x80)
            --from;
          std::size_t to = std::min(src.size(), from + 2 * kWindow);
          while (to < src.size() && (static_cast<unsigned char>(src[to]) & 0xC0) == 0x80)
            ++to;
          std::string shown =
              (from > 0 ? "..." : "") + src.substr(from, to - from) + (to < src.size() ? "..." : "");
          if (column) {
            std::uint32_t skipped = 0; // code points cut off before the window
            for (std::size_t i = 0; i < from; ++i)
              if ((static_cast<unsigned char>(src[i]) & 0xC0) != 0x80) ++skipped;
            column = column - skipped + (from > 0 ? 3 : 0);
          }
          src = std::move(shown);
        }
        std::string num = std::to_string(x.location.line);
        fmt::print(out, " {} | {}\n", num, src);
        if (column > 0) {
          std::size_t b = credits::byte_of_column(src, column);
          std::string pad;
          for (std::size_t i = 0; i < b && i < src.size(); ++i)
            if (src[i] == '\t')
              pad += '\t';
            else if ((static_cast<unsigned char>(src[i]) & 0xC0) != 0x80)
              pad += ' ';
          std::string caret = color ? fmt::format(sev_style | fmt::emphasis::bold, "^") : "^";
          fmt::print(out, " {} | {}{}\n", std::string(num.size(), ' '), pad, caret);
        }
      }
    }
    if (!x.hint.empty()) {
      if (color)
        fmt::print(out, "  {} {}\n", fmt::styled("hint:", fmt::fg(fmt::terminal_color::bright_green)),
                   x.hint);
      else
        fmt::print(out, "  hint: {}\n", x.hint);
    }
  }
}

nlohmann::json diagnostic_json(const Diagnostic& d) {
  nlohmann::json loc = {{"file", d.location.file}};
  if (d.location.line) loc["line"] = d.location.line;
  if (d.location.column) loc["column"] = d.location.column;
  if (!d.location.xpath.empty()) loc["xpath"] = d.location.xpath;
  nlohmann::json j = {{"severity", std::string(to_string(d.severity))},
                      {"code", d.code},
                      {"message", d.message},
                      {"location", loc}};
  if (!d.hint.empty()) j["hint"] = d.hint;
  return j;
}

nlohmann::json diagnostics_json(const Diagnostics& d) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto& x : d)
    a.push_back(diagnostic_json(x));
  return a;
}

nlohmann::json envelope(const std::string& kind, int version) {
  return nlohmann::json{{"liner", kind}, {"version", version}};
}

std::string summary(const Diagnostics& d) {
  auto e = d.count(Severity::Error), w = d.count(Severity::Warning);
  std::vector<std::string> parts;
  if (e) parts.push_back(fmt::format("{} error{}", e, e == 1 ? "" : "s"));
  if (w) parts.push_back(fmt::format("{} warning{}", w, w == 1 ? "" : "s"));
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i)
    out += (i ? ", " : "") + parts[i];
  return out;
}

} // namespace liner::cli
