#include "../support.hpp"

#include <chrono>
#include <doctest/doctest.h>
#include <filesystem>
#include <fstream>
#include <liner/credits/error.hpp>
#include <liner/credits/text.hpp>
#include <liner/ddex/ddex.hpp>
#include <sys/resource.h>

using namespace liner;

namespace {

std::string fixture(const std::string& name) {
  return std::string(LINER_SOURCE_DIR) + "/tests/ddex/fixtures/" + name;
}
std::string schemas() {
  return std::string(LINER_SHARED_DIR) + "/ddex/schemas";
}

std::string dump(const Diagnostics& d) {
  std::string s;
  for (const auto& x : d)
    s += x.code + " " + x.location.str() + ": " + x.message + "\n";
  return s;
}

} // namespace

TEST_CASE("the valid fixture passes the XSD and every built-in rule") {
  ddex::Validator v({.schema_dir = schemas(), .rules = true});
  auto r = v.validate_file(fixture("valid-single.xml"));
  REQUIRE(r.version);
  CHECK(r.version->id() == "4.3");
  CHECK(r.schema_checked);
  CHECK_MESSAGE(r.diagnostics.empty(), dump(r.diagnostics));
}

TEST_CASE("invalid-<reason>.xml: one fixture per rule, each reports its code") {
  ddex::Validator v({.schema_dir = "", .rules = true});
  const std::pair<const char*, const char*> cases[] = {
      {"unresolved-party", "ddex-unresolved-reference"},
      {"unresolved-resource", "ddex-unresolved-reference"},
      {"unresolved-release", "ddex-unresolved-reference"},
      {"master-shares-total", "ddex-master-shares-total"},
      {"master-shares-exceed", "ddex-master-shares-exceed"},
      {"duplicate-contributor", "ddex-duplicate-contributor"},
      {"rights-controller-incomplete", "ddex-rights-controller-incomplete"},
      {"multiple-main-artists", "ddex-multiple-main-artists"},
      {"unknown-role", "ddex-unknown-role"},
      {"unknown-instrument", "ddex-unknown-instrument"},
      {"user-defined-value", "ddex-user-defined-value"},
      {"isrc-check", "isrc-"},
      {"icpn-check", "upc-"},
      {"isni-check", "isni-"},
      {"dpid-check", "dpid-"},
      {"grid-check", "grid-"},
      {"iswc-check", "iswc-"},
      {"duration", "ddex-invalid-duration"},
      {"date", "ddex-invalid-date"},
      {"unknown-version", "ddex-unknown-version"},
      {"malformed", "xml-malformed"},
      {"xxe", "xml-doctype"},
      {"billion-laughs", "xml-doctype"},
      {"external-dtd", "xml-doctype"},
  };
  for (const auto& [name, code] : cases) {
    std::string fixture_name = name;
    CAPTURE(fixture_name);
    auto r = v.validate_file(fixture(std::string("invalid-") + name + ".xml"));
    INFO(dump(r.diagnostics));
    // Every rule is an error except the profile advice on incomplete rights controllers (a warning).
    if (std::string(name) == "rights-controller-incomplete")
      CHECK(r.diagnostics.count(Severity::Warning) == 1);
    else
      CHECK(r.diagnostics.has_errors());
    bool found = false;
    for (const auto& d : r.diagnostics)
      if (d.code.rfind(code, 0) == 0) {
        found = true;
        CHECK(d.location.file.find(name) != std::string::npos);
        if (std::string(code).rfind("xml-", 0) != 0 && std::string(code) != "ddex-unknown-version") {
          CHECK(d.location.line > 0);
          CHECK(!d.location.xpath.empty());
        }
      }
    CHECK(found);
  }
}

TEST_CASE("XSD errors carry line numbers; the schema is compiled once and reused") {
  ddex::Validator v({.schema_dir = schemas(), .rules = false});
  auto r = v.validate_file(fixture("invalid-xsd-order.xml"));
  REQUIRE(r.diagnostics.has_code("xsd"));
  CHECK(r.diagnostics.items().front().location.line > 0);
  // A second validator reuses the process-wide compiled schema: fast.
  auto t0 = std::chrono::steady_clock::now();
  ddex::Validator v2({.schema_dir = schemas(), .rules = true});
  for (int i = 0; i < 20; ++i)
    CHECK(v2.validate_file(fixture("valid-single.xml")).ok());
  auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
  CHECK(ms < 2000);
}

TEST_CASE("hostile input never reaches the network or expands entities") {
  ddex::Validator v({.schema_dir = schemas(), .rules = true});
  for (const char* name : {"invalid-xxe.xml", "invalid-billion-laughs.xml", "invalid-external-dtd.xml"}) {
    std::string fixture_name = name;
    CAPTURE(fixture_name);
    auto r = v.validate_file(fixture(name));
    REQUIRE(r.diagnostics.has_code("xml-doctype"));
    CHECK(!r.schema_checked);
    CHECK(r.diagnostics.items().front().message.find("refused") != std::string::npos);
  }
  // The same attacks in UTF-16 (no ASCII "<!DOCTYPE" to spot): refused by the parser hooks.
  std::string ascii = "<?xml version=\"1.0\" encoding=\"UTF-16LE\"?><!DOCTYPE a [<!ENTITY x SYSTEM "
                      "\"http://127.0.0.1:9/\">]><a>&x;</a>";
  std::string utf16 = "\xFF\xFE";
  for (char c : ascii)
    utf16 += c, utf16 += '\0';
  auto r = v.validate(utf16, "utf16.xml");
  CHECK(r.diagnostics.has_errors());
  CHECK(r.diagnostics.has_code("xml-doctype"));
  // Oversized input is refused before parsing.
  std::string huge(ddex::kMaxMessageBytes + 1, ' ');
  CHECK(v.validate(huge, "huge.xml").diagnostics.has_code("xml-too-large"));
}

TEST_CASE("version detection across the registry, and the shared samples") {
  CHECK(ddex::versions().size() == 6);
  for (const auto* ver : ddex::versions()) {
    CHECK(ddex::version_by_namespace(ver->namespace_uri()) == ver);
    CHECK(std::filesystem::exists(schemas() + "/" + std::string(ver->schema_path())));
  }
  ddex::Validator v({.schema_dir = schemas(), .rules = false});
  for (const auto& e :
       std::filesystem::directory_iterator(std::string(LINER_SHARED_DIR) + "/ddex/samples/ern43")) {
    auto r = v.validate_file(e.path().string());
    CAPTURE(e.path().string());
    REQUIRE(r.version);
    CHECK(r.version->id() == "4.3");
  }
  for (const auto& e :
       std::filesystem::directory_iterator(std::string(LINER_SHARED_DIR) + "/ddex/samples/ern382")) {
    auto r = v.validate_file(e.path().string());
    CAPTURE(e.path().string());
    REQUIRE(r.version);
    CHECK(r.version->id() == "3.8.2");
    CHECK_MESSAGE(r.ok(), dump(r.diagnostics));
  }
}

TEST_CASE("schema loading never uses the network") {
  auto dir = test::scratch_dir("ddex-nonet-schema");
  std::filesystem::create_directories(dir / "ern-4.3");
  std::ofstream(dir / "ern-4.3/release-notification.xsd")
      << "<?xml version=\"1.0\"?>\n<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" "
         "targetNamespace=\"http://ddex.net/xml/ern/43\">\n"
         "  <xs:import namespace=\"http://example.com/avs\" "
         "schemaLocation=\"http://10.255.255.1/avs.xsd\"/>\n"
         "  <xs:element name=\"NewReleaseMessage\"/>\n</xs:schema>\n";
  ddex::Validator v({.schema_dir = dir.string(), .rules = false});
  auto t0 = std::chrono::steady_clock::now();
  // The remote import is refused (no connection attempt): the schema either compiles without it or fails
  // to load, quickly.
  try {
    (void)v.validate_file(fixture("valid-single.xml"));
  } catch (const liner::Error&) {
  }
  auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
  CHECK(ms < 1000);
}

TEST_CASE("deeply nested and very long input stays bounded") {
  ddex::Validator v({.schema_dir = "", .rules = true});
  std::string deep = "<?xml version=\"1.0\"?>";
  for (int i = 0; i < 100000; ++i)
    deep += "<a>";
  auto r = v.validate(deep, "deep.xml");
  CHECK(r.diagnostics.has_code("xml-malformed"));
  // A 20 MB text node is beyond libxml2's default limit (no XML_PARSE_HUGE): refused, not buffered.
  std::string big = "<?xml version=\"1.0\"?><a>" + std::string(20u << 20, 'x') + "</a>";
  CHECK(v.validate(big, "big.xml").diagnostics.has_errors());
}

TEST_CASE("a large message is validated in a stream: memory does not grow with the file") {
  std::string base = liner::credits::read_file(fixture("valid-single.xml"), 1 << 20);
  auto a = base.find("<SoundRecording>");
  auto b = base.find("</SoundRecording>") + std::string("</SoundRecording>").size();
  std::string block = base.substr(a, b - a), big = base.substr(0, b);
  big.reserve(40u << 20);
  for (int i = 2; i <= 8000; ++i) {
    std::string copy = block;
    copy.replace(copy.find("<ResourceReference>A1<"), 22, "<ResourceReference>A" + std::to_string(i) + "<");
    big += "\n" + copy;
  }
  big += base.substr(b);
  REQUIRE(big.size() > 30u << 20);
  rusage before{}, after{};
  getrusage(RUSAGE_SELF, &before);
  ddex::Validator v({.schema_dir = schemas(), .rules = true});
  auto r = v.validate(big, "big.xml");
  getrusage(RUSAGE_SELF, &after);
  CHECK_MESSAGE(r.ok(), dump(r.diagnostics));
  // A DOM of this file takes about 300 MB; the stream keeps one resource at a time.
  CHECK((after.ru_maxrss - before.ru_maxrss) / 1024 < 120);
}
