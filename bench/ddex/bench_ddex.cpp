// bench/ddex: build and validate ERN 4.3 messages for a synthetic catalog (default 1,000 releases x 12
// tracks x 10 contributors) in one process, one release at a time. Prints one JSON object with throughput
// and peak memory.
// Usage: bench_ddex SCHEMA_DIR [OUT_DIR] [RELEASES]
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <liner/ddex/ddex.hpp>
#include <liner/validators/identifiers.hpp>
#include <sys/resource.h>

using namespace liner;
using Clock = std::chrono::steady_clock;

namespace {

constexpr const char* kRoles[] = {"ComposerLyricist",  "StudioProducer",   "CoProducer", "MixingEngineer",
                                  "RecordingEngineer", "Vocalist",         "Composer",   "Lyricist",
                                  "Arranger",          "AssistantEngineer"};
constexpr const char* kInstruments[] = {"Synthesizer", "Piano", "ElectricGuitar", "DrumMachine",
                                        "ElectricBassGuitar"};

std::string isni(long n) {
  std::string d = fmt::format("{:015}", 1000000000L + n);
  return d + validators::isni_check_char(d);
}

std::string upc(long n) {
  std::string d = fmt::format("{:011}", 85963000000L + n);
  return d + validators::gtin_check_digit(d);
}

credits::Sheet release(long r) {
  credits::Sheet s;
  auto& rel = s.release;
  rel.title = fmt::format("Catalog Release {}", r);
  rel.type = "Album";
  rel.upc = upc(r);
  rel.label = "label";
  rel.distributor = "dist";
  rel.artists = {"c0"};
  rel.release_date = "2026-03-13";
  rel.genre = "Electronic";
  rel.p_line = credits::CopyrightLine{2026, "Bench Records"};
  rel.c_line = credits::CopyrightLine{2026, "Bench Records"};
  s.delivery.sender = "dist";
  s.delivery.recipients = {"store"};
  s.delivery.present = true;
  auto org = [&](const char* id, const char* name, const char* dpid) {
    credits::Party p;
    p.id = id, p.name = name, p.kind = credits::PartyKind::Organization, p.dpid = dpid;
    s.parties.push_back(p);
  };
  org("label", "Bench Records", "PADPIDA2026NOVA01L");
  org("dist", "Bench Distribution", "PADPIDA2026STEL02R");
  org("store", "Bench Store", "PADPIDA2026HARB03K");
  for (int c = 0; c < 10; ++c) {
    credits::Party p;
    p.id = fmt::format("c{}", c);
    p.name = fmt::format("Contributor {} of {}", c, r);
    p.isni = isni(r * 10 + c);
    s.parties.push_back(p);
  }
  for (int t = 0; t < 12; ++t) {
    credits::Track tr;
    tr.number = t + 1;
    tr.title = fmt::format("Track {} of release {}", t + 1, r);
    tr.isrc = fmt::format("JPX{:02}26{:05}", r % 100, (r * 12 + t) % 100000);
    tr.duration = fmt::format("PT{}M{}S", 2 + t % 4, 10 + t);
    for (int c = 0; c < 10; ++c) {
      credits::Credit cr;
      cr.party = fmt::format("c{}", c);
      cr.roles.push_back({kRoles[c], false});
      if (c % 3 == 1) cr.instruments.push_back({kInstruments[(c + t) % 5], false});
      tr.credits.push_back(cr);
    }
    tr.master = {{"label", Decimal::from_int(50), {}},
                 {"c0", Decimal::from_int(40), {}},
                 {"c1", Decimal::from_int(10), {}}};
    tr.publishing = {{"c0", Decimal::parse("33.34").value(), credits::Capacity::Writer},
                     {"c6", Decimal::parse("33.33").value(), credits::Capacity::Writer},
                     {"c7", Decimal::parse("33.33").value(), credits::Capacity::Writer}};
    s.tracks.push_back(tr);
  }
  s.deals.push_back(credits::Deal{{"Worldwide"}, "2026-03-13", {"SubscriptionModel"}, {"OnDemandStream"}});
  return s;
}

double seconds(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

long peak_rss_kib() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

} // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: bench_ddex SCHEMA_DIR [OUT_DIR] [RELEASES]\n");
    return 2;
  }
  std::string schema_dir = argv[1];
  std::string out_dir = argc > 2 ? argv[2] : "";
  long n = argc > 3 ? std::stol(argv[3]) : 1000;

  ddex::BuildOptions o;
  o.technical_details = false;
  o.created = "2026-03-01T00:00:00Z";
  // Compile the schema once (timed separately), then stream: make the sheet, build, validate (XSD + rules),
  // write, drop. Memory stays bounded by one release.
  ddex::Validator v({.schema_dir = schema_dir, .rules = true});
  auto c0 = Clock::now();
  {
    auto warm = ddex::build_ern43(release(0), o);
    (void)v.validate(warm.xml, "warm-up.xml");
  }
  double compile_s = seconds(c0, Clock::now());
  if (!out_dir.empty()) std::filesystem::create_directories(out_dir);
  std::size_t bytes = 0, contributors = 0, failed_build = 0, invalid = 0;
  double build_s = 0, validate_s = 0;
  for (long r = 0; r < n; ++r) {
    credits::Sheet sheet = release(r);
    auto t0 = Clock::now();
    auto b = ddex::build_ern43(sheet, o);
    auto t1 = Clock::now();
    build_s += seconds(t0, t1);
    if (!b.ok() && failed_build++ == 0)
      for (const auto& d : b.diagnostics)
        std::fprintf(stderr, "build: %s: %s\n", d.code.c_str(), d.message.c_str());
    std::string name = fmt::format("{:04}.xml", r);
    auto res = v.validate(b.xml, name);
    validate_s += seconds(t1, Clock::now());
    if (!res.ok() && invalid++ == 0)
      for (const auto& d : res.diagnostics)
        std::fprintf(stderr, "validate: %s: %s\n", d.code.c_str(), d.message.c_str());
    bytes += b.xml.size();
    for (auto p = b.xml.find("<Contributor "); p != std::string::npos; p = b.xml.find("<Contributor ", p + 1))
      ++contributors;
    if (!out_dir.empty()) std::ofstream(std::filesystem::path(out_dir) / name, std::ios::binary) << b.xml;
  }
  std::printf(
      "{\"tool\": \"liner\", \"releases\": %ld, \"tracks\": %ld, \"contributors\": %zu, \"bytes\": %zu,\n"
      " \"build_s\": %.3f, \"build_releases_per_s\": %.1f, \"build_mb_per_s\": %.1f,\n"
      " \"schema_compile_s\": %.3f, \"validate_s\": %.3f, \"validate_releases_per_s\": %.1f,\n"
      " \"build_failures\": %zu, \"invalid\": %zu, \"peak_rss_mib\": %.1f}\n",
      n, n * 12, contributors, bytes, build_s, static_cast<double>(n) / build_s,
      static_cast<double>(bytes) / 1e6 / build_s, compile_s, validate_s, static_cast<double>(n) / validate_s,
      failed_build, invalid, static_cast<double>(peak_rss_kib()) / 1024.0);
  return failed_build || invalid ? 1 : 0;
}
