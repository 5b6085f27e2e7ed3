// liner: the one exception type for operational failures (cannot open, cannot write, ...).
// Problems *in* the input are never exceptions: they are Diagnostic values (diagnostic.hpp).
#pragma once
#include <stdexcept>
#include <string>

namespace liner {

class Error : public std::runtime_error {
public:
  explicit Error(const std::string& what) : std::runtime_error(what) {}
  Error(const std::string& path, const std::string& what)
      : std::runtime_error(path + ": " + what), path_(path) {}
  // The file the failure concerns, when there is one.
  const std::string& path() const noexcept { return path_; }

private:
  std::string path_;
};

} // namespace liner
