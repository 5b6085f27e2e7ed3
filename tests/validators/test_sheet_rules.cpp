// Table-driven: every tests/validators/fixtures/invalid-<code>.toml marks its offending line with
// "# expect: <code>"; the sheet check must report that code on that line, and no error elsewhere.
#include <doctest/doctest.h>
#include <filesystem>
#include <fstream>
#include <liner/credits/toml.hpp>
#include <liner/validators/sheet_rules.hpp>
#include <set>

using namespace liner;
namespace fs = std::filesystem;

namespace {
const fs::path kFixtures = fs::path(LINER_SOURCE_DIR) / "tests/validators/fixtures";

Diagnostics check_file(const fs::path& p) {
  auto r = credits::load_sheet_toml(p.string());
  Diagnostics d = r.diagnostics;
  d.append(validators::check_sheet(r.sheet));
  return d;
}

std::pair<std::string, std::uint32_t> expectation(const fs::path& p) {
  std::ifstream in(p);
  std::string line;
  for (std::uint32_t n = 1; std::getline(in, line); ++n)
    if (auto at = line.find("# expect: "); at != std::string::npos) return {line.substr(at + 10), n};
  return {"", 0};
}
} // namespace

TEST_CASE("the valid fixture and the sample sheet have no diagnostics") {
  for (auto p : {kFixtures / "valid-minimal.toml", fs::path(LINER_SOURCE_DIR) / "samples/ep.toml"}) {
    Diagnostics d = check_file(p);
    for (const auto& x : d)
      MESSAGE(x.location.str() << ": " << x.code << ": " << x.message);
    CHECK(d.empty());
  }
}

TEST_CASE("every invalid-<code> fixture reports its code on the marked line") {
  std::set<std::string> seen;
  for (const auto& entry : fs::directory_iterator(kFixtures)) {
    std::string name = entry.path().filename().string();
    if (name.rfind("invalid-", 0) != 0) continue;
    auto [code, line] = expectation(entry.path());
    CAPTURE(name);
    REQUIRE(line > 0);
    CHECK(name == "invalid-" + code + ".toml");
    Diagnostics d = check_file(entry.path());
    bool found = false;
    for (const auto& x : d) {
      CAPTURE(x.code);
      CAPTURE(x.message);
      if (x.code == code) {
        found = true;
        CHECK(x.location.line == line);
        CHECK(x.location.file == entry.path().string());
      } else if (x.severity == Severity::Error) {
        // A cascade at the same place is fine (a wrong type leaves the field empty); errors elsewhere are
        // not.
        CHECK(x.location.line == line);
      }
    }
    CHECK_MESSAGE(found, name << " did not report " << code);
    seen.insert(code);
  }
  CHECK(seen.size() >= 20);
}

TEST_CASE("ISO 8601 durations") {
  using validators::is_iso8601_duration;
  for (auto ok : {"PT3M41S", "PT1H2M3S", "PT59.5S", "P1D", "P1DT2H", "PT0S"})
    CHECK(is_iso8601_duration(ok));
  for (auto bad : {"", "P", "PT", "3:30", "PT3S2M", "PT3.5M", "P1H", "PTS", "pt3m"}) {
    CAPTURE(bad);
    CHECK_FALSE(is_iso8601_duration(bad));
  }
}
