// A program outside liner's tree, built against its install tree with find_package(liner).
#include <iostream>
#include <liner/credits/toml.hpp>
#include <liner/ddex/ddex.hpp>
#include <liner/tagging/tagging.hpp>
#include <liner/validators/identifiers.hpp>
#include <liner/validators/sheet_rules.hpp>

int main(int argc, char** argv) {
  if (argc != 2) return 2;
  auto r = liner::credits::load_sheet_toml(argv[1]);
  auto d = liner::validators::check_sheet(r.sheet);
  if (!r.ok() || d.has_errors() || r.sheet.tracks.empty()) return 1;
  auto isrc = liner::validators::check_isrc(r.sheet.tracks[0].isrc);
  auto ern = liner::ddex::build_ern43(r.sheet);
  auto plan = liner::tagging::plan_tags(r.sheet, r.sheet.tracks[0]);
  std::cout << r.sheet.release.title << ": " << r.sheet.tracks.size() << " tracks, ISRC " << isrc.normalized
            << (isrc.ok ? " ok" : " bad") << ", ERN " << (ern.xml.empty() ? "empty" : "built") << ", "
            << (liner::tagging::formats().size()) << " tag formats\n";
  (void)plan;
  return 0;
}
