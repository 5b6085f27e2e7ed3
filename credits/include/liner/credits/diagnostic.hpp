// liner: problems found in input, as values.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace liner {

enum class Severity { Note, Warning, Error };
std::string_view to_string(Severity s);

// Where a problem is. Text inputs use file:line:column (1-based; 0 = unknown), XML inputs an XPath,
// audio files just the path.
struct Location {
  std::string file;
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  std::string xpath;

  bool has_position() const { return line > 0; }
  // "file:line:col", "file:line", "file (xpath)" or "file".
  std::string str() const;
};

struct Diagnostic {
  Severity severity = Severity::Error;
  std::string code;    // stable, documented in docs/diagnostics.md, e.g. "isrc-check"
  std::string message; // one sentence, no trailing period
  Location location;
  std::string hint; // optional: "did you mean 'MixingEngineer'?"
};

// An ordered list of diagnostics with helpers.
class Diagnostics {
public:
  void add(Diagnostic d) { items_.push_back(std::move(d)); }
  void error(std::string code, std::string message, Location loc, std::string hint = {});
  void warning(std::string code, std::string message, Location loc, std::string hint = {});
  void note(std::string code, std::string message, Location loc, std::string hint = {});
  void append(const Diagnostics& other);

  const std::vector<Diagnostic>& items() const { return items_; }
  std::vector<Diagnostic>& items() { return items_; }
  bool empty() const { return items_.empty(); }
  std::size_t size() const { return items_.size(); }
  std::size_t count(Severity s) const;
  bool has_errors() const { return count(Severity::Error) > 0; }
  bool has_code(std::string_view code) const;
  // Stable order: by file, line, column, then insertion order.
  void sort();

  auto begin() const { return items_.begin(); }
  auto end() const { return items_.end(); }

private:
  std::vector<Diagnostic> items_;
};

} // namespace liner
