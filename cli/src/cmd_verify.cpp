// `liner verify SHEET [--audio DIR | FILES...] [--ddex FILE.xml...]`: every credit, where it appears and
// where it was lost (docs/verify.md).
#include "commands.hpp"
#include "common.hpp"
#include "output.hpp"

#include <fmt/format.h>
#include <liner/credits/error.hpp>
#include <liner/verify/verify.hpp>
#include <memory>

namespace liner::cli {
namespace {

struct VerifyOptions {
  std::string sheet;
  std::vector<std::string> files;
  std::vector<std::string> audio_dirs;
  std::vector<std::string> ddex;
  std::string party;
  std::string format = "text";
  std::string html;
  std::string color = "auto";
};

void run_verify(const VerifyOptions& o, Context& ctx) {
  if (o.files.empty() && o.audio_dirs.empty() && o.ddex.empty()) {
    fmt::print(
        stderr,
        "liner verify: nothing to check: give audio files (FILES or --audio DIR) and/or --ddex FILE.xml\n");
    ctx.raise(kUsage);
    return;
  }
  auto loaded = load_sheet(o.sheet); // throws liner::Error: exit 2
  if (loaded.diagnostics.has_errors()) {
    print_diagnostics(loaded.diagnostics, stderr, is_terminal(stderr));
    fmt::print(stderr, "liner verify: {}: the sheet has errors; fix them first (liner sheet check)\n",
               o.sheet);
    ctx.raise(kUsage);
    return;
  }
  const auto& sheet = loaded.sheet;
  if (!o.party.empty() && !verify::find_party(sheet, o.party)) {
    fmt::print(stderr, "liner verify: no party '{}' in {} (give a party id or a name)\n", o.party, o.sheet);
    ctx.raise(kUsage);
    return;
  }

  std::vector<verify::Observed> observations;
  std::vector<std::string> files = o.files;
  std::string file_origin;
  for (const auto& dir : o.audio_dirs) {
    auto found = verify::audio_files_in(dir);
    files.insert(files.end(), found.begin(), found.end());
    file_origin += (file_origin.empty() ? "" : ", ") + dir;
  }
  if (!o.files.empty())
    file_origin += (file_origin.empty() ? "" : ", ") +
                   fmt::format("{} file{}", o.files.size(), o.files.size() == 1 ? "" : "s");
  if (!o.files.empty() || !o.audio_dirs.empty()) {
    if (!verify::have_tagging()) {
      fmt::print(
          stderr,
          "liner verify: this liner was built without audio tag support; only --ddex can be checked\n");
      ctx.raise(kUsage);
      return;
    }
    auto obs = verify::observe_files(sheet, files);
    obs.origin = file_origin;
    if (!obs.unreadable.empty()) ctx.raise(kUsage);
    observations.push_back(std::move(obs));
  }
  for (const auto& x : o.ddex) {
    auto obs = verify::observe_ern_file(x); // throws liner::Error when unreadable: exit 2
    if (!obs.unreadable.empty()) ctx.raise(kUsage);
    observations.push_back(std::move(obs));
  }

  verify::Options vo;
  vo.party = o.party;
  vo.only_given_files = o.audio_dirs.empty();
  auto report = verify::compare(sheet, observations, vo);

  if (!o.html.empty()) {
    write_output(o.html, verify::render_html(report, sheet));
    fmt::print(stderr, "liner verify: HTML report written to {}\n", o.html);
  }
  if (o.format == "json") {
    fmt::print("{}\n", verify::to_json(report, sheet).dump(2));
  } else {
    bool color = o.color == "always" || (o.color == "auto" && is_terminal(stdout));
    fmt::print("{}", verify::render_text(report, sheet, color));
  }
  if (!report.ok()) ctx.raise(kProblems);
}

} // namespace

void register_verify(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<VerifyOptions>();
  auto* cmd =
      app.add_subcommand("verify", "Show every contributor where their credit appears (audio tags, DDEX) "
                                   "and where it was lost");
  cmd->add_option("SHEET", o->sheet, "The attribution sheet")->required()->check(CLI::ExistingFile);
  cmd->add_option("FILES", o->files, "Tagged audio files to check")->check(CLI::ExistingFile);
  cmd->add_option("--audio", o->audio_dirs, "A folder of tagged audio files (searched recursively)")
      ->check(CLI::ExistingDirectory);
  cmd->add_option("--ddex", o->ddex, "An ERN message to check (repeatable)")->check(CLI::ExistingFile);
  cmd->add_option("--party", o->party,
                  "Only this party (id or name): what they are credited with, where, which share");
  cmd->add_option("--format", o->format,
                  "Output: text (grouped by track) or json (versioned, docs/verify.md)")
      ->check(CLI::IsMember({"text", "json"}));
  cmd->add_option("--html", o->html, "Also write a self-contained HTML report to this file");
  cmd->add_option("--color", o->color, "Colour the text output: auto, always, never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  cmd->callback([o, &ctx] { run_verify(*o, ctx); });
}

} // namespace liner::cli
