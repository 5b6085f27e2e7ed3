// Shared helpers for liner's tests.
#pragma once
#include <algorithm>
#include <filesystem>
#include <liner/credits/text.hpp>
#include <string>

namespace liner::test {

// A fresh, empty folder under the build tree for one test (scoped copies of fixtures go there).
inline std::filesystem::path scratch_dir(const std::string& name) {
  auto p = std::filesystem::path(LINER_BINARY_DIR) / "test-scratch" / name;
  std::filesystem::remove_all(p);
  std::filesystem::create_directories(p);
  return p;
}

} // namespace liner::test
