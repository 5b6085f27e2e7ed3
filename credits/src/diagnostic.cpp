#include <algorithm>
#include <liner/credits/diagnostic.hpp>
#include <tuple>

namespace liner {

std::string_view to_string(Severity s) {
  switch (s) {
  case Severity::Note:
    return "note";
  case Severity::Warning:
    return "warning";
  case Severity::Error:
    return "error";
  }
  return "error";
}

std::string Location::str() const {
  std::string out = file;
  if (line > 0) {
    out += ':' + std::to_string(line);
    if (column > 0) out += ':' + std::to_string(column);
  } else if (!xpath.empty()) {
    out += out.empty() ? xpath : " (" + xpath + ")";
  }
  return out;
}

void Diagnostics::error(std::string code, std::string message, Location loc, std::string hint) {
  add({Severity::Error, std::move(code), std::move(message), std::move(loc), std::move(hint)});
}
void Diagnostics::warning(std::string code, std::string message, Location loc, std::string hint) {
  add({Severity::Warning, std::move(code), std::move(message), std::move(loc), std::move(hint)});
}
void Diagnostics::note(std::string code, std::string message, Location loc, std::string hint) {
  add({Severity::Note, std::move(code), std::move(message), std::move(loc), std::move(hint)});
}
void Diagnostics::append(const Diagnostics& other) {
  items_.insert(items_.end(), other.items_.begin(), other.items_.end());
}
std::size_t Diagnostics::count(Severity s) const {
  return static_cast<std::size_t>(
      std::count_if(items_.begin(), items_.end(), [s](const Diagnostic& d) { return d.severity == s; }));
}
bool Diagnostics::has_code(std::string_view code) const {
  return std::any_of(items_.begin(), items_.end(), [code](const Diagnostic& d) { return d.code == code; });
}
void Diagnostics::sort() {
  std::stable_sort(items_.begin(), items_.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return std::tie(a.location.file, a.location.line, a.location.column) <
           std::tie(b.location.file, b.location.line, b.location.column);
  });
}

} // namespace liner
