// `liner ddex build|validate|import|package`: DDEX ERN deliveries (docs/ddex.md).
#include "commands.hpp"
#include "common.hpp"
#include "output.hpp"

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fmt/format.h>
#include <liner/credits/error.hpp>
#include <liner/credits/parallel.hpp>
#include <liner/credits/toml.hpp>
#include <liner/ddex/ddex.hpp>
#include <liner/validators/sheet_rules.hpp>
#include <memory>
#include <thread>

namespace liner::cli {
namespace {

struct BuildFlags {
  std::string sheet, output, sender, created, audio, schema_dir, hash = "sha256";
  std::vector<std::string> recipients;
  bool test = false, live = false, no_audio = false;
};

void add_build_flags(CLI::App* c, BuildFlags& f) {
  c->add_option("--sender", f.sender,
                "Message sender: a party id of the sheet, or DPID[=Name] (default: [delivery])");
  c->add_option("--recipient", f.recipients, "Message recipient(s): party id or DPID[=Name] (repeatable)");
  c->add_option(
      "--created", f.created,
      "MessageCreatedDateTime, e.g. 2026-03-01T12:00:00Z (default: SOURCE_DATE_EPOCH, else the release "
      "date at midnight UTC)");
  auto* t = c->add_flag("--test", f.test, "Mark the message TestMessage");
  auto* l = c->add_flag("--live", f.live, "Mark the message LiveMessage");
  t->excludes(l);
  c->add_option("--audio", f.audio, "Folder with the audio masters (default: paths relative to the sheet)");
  c->add_flag("--no-audio", f.no_audio, "Do not read audio files (no TechnicalDetails)");
  c->add_option("--hash", f.hash, "HashSum algorithm for delivery files")
      ->check(CLI::IsMember({"sha256", "md5"}));
  c->add_option(
      "--schema-dir", f.schema_dir,
      "Validate the result against the official XSD in DIR (layout of shared/ddex/schemas; default: "
      "$LINER_DDEX_SCHEMAS)");
}

ddex::BuildOptions build_options(const BuildFlags& f) {
  ddex::BuildOptions o;
  o.sender = f.sender;
  o.recipients = f.recipients;
  o.created = f.created;
  if (f.test) o.live = false;
  if (f.live) o.live = true;
  o.audio_dir = f.audio;
  o.technical_details = !f.no_audio;
  o.hash_algorithm = f.hash == "md5" ? "MD5" : "SHA-256";
  return o;
}

std::string schema_dir(const std::string& flag) {
  return flag.empty() ? ddex::schema_dir_from_env() : flag;
}

// Loads a sheet; prints load errors. nullopt when it cannot be used.
std::optional<credits::Sheet> load(const std::string& path, Context& ctx) {
  credits::LoadResult r = load_sheet(path);
  if (r.diagnostics.has_errors()) {
    print_diagnostics(r.diagnostics, stderr, is_terminal(stderr));
    fmt::print(stderr, "{}: nothing written\n", path);
    ctx.raise(kProblems);
    return std::nullopt;
  }
  return std::move(r.sheet);
}

std::size_t contributor_count(const credits::Sheet& s) {
  std::size_t n = 0;
  for (const auto& t : s.tracks)
    n += s.effective_credits(t).size();
  return n;
}

void run_build(const BuildFlags& f, Context& ctx) {
  auto sheet = load(f.sheet, ctx);
  if (!sheet) return;
  ddex::BuildResult r = ddex::build_ern43(*sheet, build_options(f));
  r.diagnostics.sort();
  print_diagnostics(r.diagnostics, stderr, is_terminal(stderr));
  if (!r.ok()) {
    fmt::print(stderr, "{}: no message written ({})\n", f.sheet, summary(r.diagnostics));
    ctx.raise(kProblems);
    return;
  }
  if (auto dir = schema_dir(f.schema_dir); !dir.empty()) {
    ddex::Validator v({.schema_dir = dir, .rules = true});
    auto vr = v.validate(r.xml, f.output);
    if (!vr.ok()) {
      print_diagnostics(vr.diagnostics, stderr, is_terminal(stderr));
      fmt::print(stderr, "{}: the generated message is not valid; nothing written\n", f.sheet);
      ctx.raise(kProblems);
      return;
    }
  }
  write_output(f.output, r.xml);
  std::size_t audio = 0;
  for (const auto& a : r.audio)
    audio += a.path.empty() ? 0 : 1;
  if (f.output != "-")
    fmt::print(stderr, "{}: wrote {} (ERN 4.3, {} tracks, {} parties, {} contributors, {} audio files){}\n",
               f.sheet, f.output, sheet->tracks.size(), sheet->parties.size(), contributor_count(*sheet),
               audio, r.diagnostics.empty() ? "" : "; " + summary(r.diagnostics));
}

struct ValidateFlags {
  std::vector<std::string> files;
  std::string schema_dir, format = "text";
  bool no_rules = false, quiet = false;
  int jobs = 0;
};

void run_validate(const ValidateFlags& f, Context& ctx) {
  const bool json = f.format == "json";
  std::string dir = schema_dir(f.schema_dir);
  // Validate in parallel (the compiled schema is shared, read-only), report in the order given.
  std::vector<ddex::ValidationResult> results(f.files.size());
  std::vector<int> io_error(f.files.size(), 0);
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    ddex::Validator v({.schema_dir = dir, .rules = !f.no_rules});
    for (std::size_t i = next++; i < f.files.size(); i = next++) {
      try {
        results[i] = v.validate_file(f.files[i]);
      } catch (const Error& e) {
        Diagnostic io{Severity::Error, "cannot-read", e.what(), Location{f.files[i], 0, 0, {}}, {}};
        results[i].diagnostics.add(io);
        io_error[i] = 1;
      }
    }
  };
  {
    // Each schema is compiled once: the first thread to need it compiles, the others wait for it.
    run_on_threads(thread_count(f.jobs > 0 ? static_cast<unsigned>(f.jobs) : 0, f.files.size()), worker);
  }
  nlohmann::json files = nlohmann::json::array();
  Diagnostics all;
  for (std::size_t i = 0; i < f.files.size(); ++i) {
    const auto& path = f.files[i];
    ddex::ValidationResult& r = results[i];
    if (io_error[i]) ctx.raise(kUsage);
    if (r.diagnostics.has_errors()) ctx.raise(kProblems);
    if (json) {
      files.push_back({{"file", path},
                       {"ok", r.ok()},
                       {"ern", r.version ? std::string(r.version->id()) : std::string()},
                       {"schema_checked", r.schema_checked},
                       {"errors", r.diagnostics.count(Severity::Error)},
                       {"warnings", r.diagnostics.count(Severity::Warning)}});
      all.append(r.diagnostics);
      continue;
    }
    print_diagnostics(r.diagnostics, stdout, is_terminal(stdout));
    if (f.quiet) continue;
    std::string what =
        r.version ? fmt::format("ERN {}{}", r.version->id(), r.schema_checked ? ", XSD" : "") : "";
    if (r.diagnostics.empty())
      fmt::print("{}: ok ({}{})\n", path, what, f.no_rules ? "" : ", rules");
    else
      fmt::print("{}: {}{}\n", path, summary(r.diagnostics), what.empty() ? "" : " (" + what + ")");
  }
  if (json) {
    auto out = envelope("ddex-validate", 1);
    out["schema_dir"] = dir;
    out["files"] = files;
    out["diagnostics"] = diagnostics_json(all);
    fmt::print("{}\n", out.dump(2));
  }
}

} // namespace

void register_ddex(CLI::App& app, Context& ctx) {
  auto* ddex = app.add_subcommand("ddex", "Build, validate, import and package DDEX ERN deliveries");
  ddex->require_subcommand(1);

  // build
  auto bf = std::make_shared<BuildFlags>();
  auto* build = ddex->add_subcommand(
      "build",
      "Build an ERN 4.3 NewReleaseMessage from a sheet: every party, credit, role, instrument and master\n"
      "share; publishing shares as WorkRightsController. A sheet that cannot make a valid message gets\n"
      "diagnostics and no file.\nExit status: 0 written, 1 problems in the sheet, 2 usage or I/O error.");
  build->add_option("SHEET", bf->sheet, "The sheet (.toml or .csv)")->required()->check(CLI::ExistingFile);
  build->add_option("-o,--output", bf->output, "The message to write (- for standard output)")->required();
  add_build_flags(build, *bf);
  build->footer("Examples:\n  liner ddex build samples/ep.toml -o ep.xml --audio samples/audio\n"
                "  SOURCE_DATE_EPOCH=1767225600 liner ddex build ep.toml -o - --no-audio\n"
                "Mapping and defaults: docs/ddex.md.");
  build->callback([bf, &ctx] { run_build(*bf, ctx); });

  // validate
  auto vf = std::make_shared<ValidateFlags>();
  auto* validate = ddex->add_subcommand(
      "validate",
      "Validate ERN messages (3.8.2, 4.1, 4.1.1, 4.2, 4.3, 4.3.2, detected from the namespace) against\n"
      "the official XSD (with --schema-dir or $LINER_DDEX_SCHEMAS; each schema compiled once) and\n"
      "liner's built-in rules (references, shares, contributors, vocabulary, identifiers, dates).\n"
      "DOCTYPE/entities are refused; the network is never used.\n"
      "Exit status: 0 valid, 1 problems found, 2 usage or I/O error.");
  validate->add_option("FILES", vf->files, "Messages to validate")->required();
  validate->add_option("--schema-dir", vf->schema_dir,
                       "Folder with the official schemas (ern-4.3/..., ern-3.8.2/...)");
  validate->add_option("--format", vf->format, "Output: text or json")
      ->check(CLI::IsMember({"text", "json"}));
  validate->add_flag("--no-rules", vf->no_rules, "Only the XSD, not the built-in rules");
  validate->add_flag("-q,--quiet", vf->quiet, "Print only problems");
  validate->add_option("-j,--jobs", vf->jobs, "Files validated in parallel (default: one per CPU)");
  validate->footer("Examples:\n  liner ddex validate --schema-dir ../shared/ddex/schemas out/*.xml\n"
                   "  LINER_DDEX_SCHEMAS=../shared/ddex/schemas liner ddex validate --format json ep.xml");
  validate->callback([vf, &ctx] { run_validate(*vf, ctx); });

  // import
  struct ImportFlags {
    std::string file, output;
    bool force = false;
  };
  auto imf = std::make_shared<ImportFlags>();
  auto* im =
      ddex->add_subcommand("import", "Read an ERN message (4.3; 4.1/4.2/3.8.2 where the structure allows) "
                                     "back into a sheet");
  im->add_option("FILE", imf->file, "The ERN message")->required()->check(CLI::ExistingFile);
  im->add_option("-o,--output", imf->output, "The sheet to write (.toml, - for standard output)")->required();
  im->add_flag("--force", imf->force, "Overwrite an existing file");
  im->callback([imf, &ctx] {
    if (imf->output != "-" && !imf->force && std::filesystem::exists(imf->output))
      throw Error(imf->output, "already exists (use --force to overwrite)");
    ddex::ImportResult r = ddex::import_ern_file(imf->file);
    if (!r.ok()) {
      print_diagnostics(r.diagnostics, stderr, is_terminal(stderr));
      fmt::print(stderr, "{}: nothing written\n", imf->file);
      ctx.raise(kProblems);
      return;
    }
    write_output(imf->output, credits::write_sheet_toml(r.sheet));
    Diagnostics d = r.diagnostics;
    d.append(validators::check_sheet(r.sheet));
    print_diagnostics(d, stderr, is_terminal(stderr));
    fmt::print(stderr, "{}: wrote {} (ERN {}, {} tracks, {} parties){}\n", imf->file, imf->output,
               r.version ? r.version->id() : "?", r.sheet.tracks.size(), r.sheet.parties.size(),
               d.empty() ? "" : "; " + summary(d));
  });

  // package
  auto pf = std::make_shared<BuildFlags>();
  auto* pk = ddex->add_subcommand(
      "package",
      "Lay out a delivery folder: OUT/<UPC>/<UPC>.xml plus OUT/<UPC>/resources/ with every audio master\n"
      "(hard-linked or copied), names, sizes and SHA-256 hashes matching the message");
  pk->add_option("SHEET", pf->sheet, "The sheet")->required()->check(CLI::ExistingFile);
  pk->add_option("-o,--output", pf->output, "The delivery folder")->required();
  add_build_flags(pk, *pf);
  pk->callback([pf, &ctx] {
    auto sheet = load(pf->sheet, ctx);
    if (!sheet) return;
    ddex::PackageResult r = ddex::package(*sheet, build_options(*pf), pf->output);
    r.diagnostics.sort();
    print_diagnostics(r.diagnostics, stderr, is_terminal(stderr));
    if (!r.ok()) {
      fmt::print(stderr, "{}: nothing delivered ({})\n", pf->sheet, summary(r.diagnostics));
      ctx.raise(kProblems);
      return;
    }
    if (auto dir = schema_dir(pf->schema_dir); !dir.empty()) {
      ddex::Validator v({.schema_dir = dir, .rules = true});
      auto vr = v.validate_file(r.message_path);
      print_diagnostics(vr.diagnostics, stderr, is_terminal(stderr));
      if (!vr.ok()) ctx.raise(kProblems);
    }
    fmt::print("{}\n", r.message_path);
    for (const auto& f : r.files)
      fmt::print("{}\n", f);
  });
}

} // namespace liner::cli
