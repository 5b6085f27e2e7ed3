// `liner sheet check|fmt|new|export|import`: the attribution sheet itself.
#include "commands.hpp"
#include "common.hpp"
#include "output.hpp"

#include <filesystem>
#include <fmt/format.h>
#include <liner/credits/csv.hpp>
#include <liner/credits/error.hpp>
#include <liner/credits/json.hpp>
#include <liner/credits/text.hpp>
#include <liner/credits/toml.hpp>
#include <liner/validators/sheet_rules.hpp>
#include <memory>

namespace liner::cli {
namespace {

struct CheckOptions {
  std::vector<std::string> files;
  std::string format = "text";
  bool strict = false;
  bool quiet = false;
};

// Loads and checks one sheet: load diagnostics, then (if it loaded) every sheet rule.
Diagnostics load_and_check(const std::string& path, credits::LoadResult& r) {
  r = load_sheet(path);
  Diagnostics d = r.diagnostics;
  if (!r.diagnostics.has_errors() || !r.sheet.tracks.empty()) d.append(validators::check_sheet(r.sheet));
  d.sort();
  return d;
}

std::size_t count_credits(const credits::Sheet& s) {
  std::size_t n = 0;
  for (const auto& t : s.tracks)
    n += s.effective_credits(t).size();
  return n;
}

void run_check(const CheckOptions& o, Context& ctx) {
  const bool json = o.format == "json";
  const bool color = is_terminal(stdout);
  nlohmann::json files = nlohmann::json::array();
  Diagnostics all;
  for (const auto& path : o.files) {
    credits::LoadResult r;
    Diagnostics d;
    try {
      d = load_and_check(path, r);
    } catch (const Error& e) {
      std::string what = e.what();
      if (!e.path().empty() && what.rfind(e.path() + ": ", 0) == 0) what.erase(0, e.path().size() + 2);
      Diagnostic io{
          Severity::Error, "cannot-read", "cannot read the sheet: " + what, Location{path, 0, 0, {}}, {}};
      d.add(io);
      ctx.raise(kUsage);
    }
    bool failed = d.has_errors() || (o.strict && d.count(Severity::Warning) > 0);
    if (failed) ctx.raise(kProblems);
    if (json) {
      files.push_back({{"file", path},
                       {"ok", !failed},
                       {"errors", d.count(Severity::Error)},
                       {"warnings", d.count(Severity::Warning)},
                       {"tracks", r.sheet.tracks.size()},
                       {"parties", r.sheet.parties.size()},
                       {"credits", count_credits(r.sheet)}});
      all.append(d);
      continue;
    }
    print_diagnostics(d, stdout, color);
    if (o.quiet) continue;
    if (d.empty())
      fmt::print("{}: ok ({} tracks, {} parties, {} credits)\n", path, r.sheet.tracks.size(),
                 r.sheet.parties.size(), count_credits(r.sheet));
    else
      fmt::print("{}: {}\n", path, summary(d));
  }
  if (json) {
    auto out = envelope("check", 1);
    out["files"] = files;
    out["diagnostics"] = diagnostics_json(all);
    fmt::print("{}\n", out.dump(2));
  }
}

struct FmtOptions {
  std::vector<std::string> files;
  bool check = false;
  bool to_stdout = false;
};

void run_fmt(const FmtOptions& o, Context& ctx) {
  for (const auto& path : o.files) {
    credits::LoadResult r = load_sheet(path);
    if (r.diagnostics.has_errors()) {
      print_diagnostics(r.diagnostics, stderr, is_terminal(stderr));
      fmt::print(stderr, "{}: not formatted: fix the errors above first\n", path);
      ctx.raise(kProblems);
      continue;
    }
    std::string canonical = credits::write_sheet_toml(r.sheet);
    if (o.to_stdout) {
      write_output("-", canonical);
      continue;
    }
    std::string current = credits::read_file(path, credits::kMaxSheetBytes);
    if (current == canonical) continue;
    if (o.check) {
      fmt::print("{}: would be reformatted\n", path);
      ctx.raise(kProblems);
      continue;
    }
    write_output(path, canonical);
    fmt::print("{}: reformatted\n", path);
  }
}

void refuse_overwrite(const std::string& path, bool force) {
  if (path != "-" && !force && std::filesystem::exists(path))
    throw Error(path, "already exists (use --force to overwrite)");
}

} // namespace

void register_sheet(CLI::App& app, Context& ctx) {
  auto* sheet = app.add_subcommand("sheet", "Check, format, create and convert attribution sheets");
  sheet->require_subcommand(1);

  // check
  auto co = std::make_shared<CheckOptions>();
  auto* check = sheet->add_subcommand(
      "check",
      "Check sheets: keys and types, identifiers and check digits, party references, splits that sum "
      "to 100, track numbering, dates.\nExit status: 0 clean, 1 problems found, 2 usage or I/O error.");
  check->add_option("SHEET", co->files, "Sheets to check (.toml, or .csv spreadsheets)")->required();
  check->add_option("--format", co->format, "Output: text (like a compiler) or json (versioned, docs/cli.md)")
      ->check(CLI::IsMember({"text", "json"}));
  check->add_flag("--strict", co->strict, "Warnings also make the exit status 1");
  check->add_flag("-q,--quiet", co->quiet, "Print only problems, no per-file summary");
  check->footer(
      "Examples:\n  liner sheet check release.toml\n  liner sheet check --format json *.toml | jq .\n"
      "Diagnostic codes: docs/diagnostics.md. Sheet format: docs/sheet-format.md.");
  check->callback([co, &ctx] { run_check(*co, ctx); });

  // fmt
  auto fo = std::make_shared<FmtOptions>();
  auto* fmtc = sheet->add_subcommand(
      "fmt", "Rewrite sheets in canonical form (fixed key order, canonical role names, exact decimals).\n"
             "Idempotent. A sheet with errors is left untouched.");
  fmtc->add_option("SHEET", fo->files, "Sheets to format")->required()->check(CLI::ExistingFile);
  fmtc->add_flag("--check", fo->check, "Change nothing; exit 1 if a sheet is not in canonical form");
  fmtc->add_flag("--stdout", fo->to_stdout, "Print the canonical form instead of rewriting the file");
  fmtc->footer("Examples:\n  liner sheet fmt release.toml          # rewrite in place (atomically)\n"
               "  liner sheet fmt --check *.toml        # for CI: exit 1 if any would change");
  fmtc->callback([fo, &ctx] { run_fmt(*fo, ctx); });

  // new
  auto out_new = std::make_shared<std::string>("-");
  auto force_new = std::make_shared<bool>(false);
  auto* nw = sheet->add_subcommand(
      "new", "Write a commented sheet template to send to contributors; once filled in it passes `check`");
  nw->add_option("-o,--output", *out_new, "Where to write it (default: standard output)");
  nw->add_flag("--force", *force_new, "Overwrite an existing file");
  nw->callback([out_new, force_new] {
    refuse_overwrite(*out_new, *force_new);
    write_output(*out_new, credits::sheet_template());
  });

  // export
  struct ExportOptions {
    std::string file, to = "csv", output = "-";
  };
  auto eo = std::make_shared<ExportOptions>();
  auto* ex = sheet->add_subcommand("export", "Convert a sheet to a credits spreadsheet (CSV) or to JSON");
  ex->add_option("SHEET", eo->file, "The sheet")->required()->check(CLI::ExistingFile);
  ex->add_option("--to", eo->to, "csv (one row per track x party) or json (versioned document)")
      ->check(CLI::IsMember({"csv", "json", "toml"}));
  ex->add_option("-o,--output", eo->output, "Output file (default: standard output)");
  ex->footer("Examples:\n  liner sheet export release.toml --to csv -o credits.csv   # open in Excel or "
             "LibreOffice\n"
             "  liner sheet export release.toml --to json | jq '.tracks[].credits'\n"
             "CSV columns: docs/csv-format.md. JSON schema: docs/sheet-format.md#json-form.");
  ex->callback([eo, &ctx] {
    credits::LoadResult r = load_sheet(eo->file);
    if (r.diagnostics.has_errors()) {
      print_diagnostics(r.diagnostics, stderr, is_terminal(stderr));
      ctx.raise(kProblems);
      return;
    }
    std::string content = eo->to == "csv"    ? credits::write_sheet_csv(r.sheet)
                          : eo->to == "json" ? credits::to_json(r.sheet).dump(2) + "\n"
                                             : credits::write_sheet_toml(r.sheet);
    write_output(eo->output, content);
  });

  // import
  struct ImportOptions {
    std::string file, output;
    bool force = false;
  };
  auto io = std::make_shared<ImportOptions>();
  auto* im = sheet->add_subcommand(
      "import", "Turn a credits spreadsheet (CSV from Excel or LibreOffice) into a sheet, then check it");
  im->add_option("FILE", io->file, "The CSV file")->required()->check(CLI::ExistingFile);
  im->add_option("-o,--output", io->output, "The sheet to write (.toml)")->required();
  im->add_flag("--force", io->force, "Overwrite an existing file");
  im->footer(
      "Accepts what Excel and LibreOffice write: UTF-8 with BOM, ';' or ',' separators, quoted fields\n"
      "with commas and newlines, CRLF. Errors point at row:column. Columns: docs/csv-format.md.");
  im->callback([io, &ctx] {
    refuse_overwrite(io->output, io->force);
    credits::LoadResult r = credits::load_sheet_csv(io->file);
    if (r.diagnostics.has_errors()) {
      print_diagnostics(r.diagnostics, stderr, is_terminal(stderr));
      fmt::print(stderr, "{}: nothing written\n", io->file);
      ctx.raise(kProblems);
      return;
    }
    write_output(io->output, credits::write_sheet_toml(r.sheet));
    Diagnostics d = validators::check_sheet(r.sheet);
    print_diagnostics(d, stderr, is_terminal(stderr));
    if (d.has_errors()) ctx.raise(kProblems);
    fmt::print(stderr, "{}: wrote {} ({} tracks, {} parties){}\n", io->file, io->output,
               r.sheet.tracks.size(), r.sheet.parties.size(), d.empty() ? "" : "; " + summary(d));
  });
}

} // namespace liner::cli
