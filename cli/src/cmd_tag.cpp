// `liner tag`, `liner read`, `liner sheet from-files`: credits into audio files and back.
#include "commands.hpp"
#include "common.hpp"
#include "output.hpp"

#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fmt/format.h>
#include <liner/credits/error.hpp>
#include <liner/credits/parallel.hpp>
#include <liner/credits/toml.hpp>
#include <liner/tagging/tagging.hpp>
#include <map>
#include <memory>
#include <mutex>
#include <sys/stat.h>
#include <thread>

namespace liner::cli {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

std::string shown(const std::vector<std::string>& v, std::size_t width = 100) {
  if (v.empty()) return "(none)";
  std::string s;
  for (std::size_t i = 0; i < v.size(); ++i)
    s += (i ? " | " : "") + v[i];
  if (s.size() > width) {
    std::size_t cut = width;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80)
      --cut;
    s = s.substr(0, cut) + "...";
  }
  return s;
}

// A progress line on a terminal: count, rate, ETA. Silent when stderr is not a terminal.
class Progress {
public:
  Progress(std::size_t total, bool enabled)
      : total_(total), enabled_(enabled && total > 1), start_(Clock::now()) {}
  void tick() {
    std::size_t done = ++done_;
    if (!enabled_) return;
    std::lock_guard lock(mutex_);
    auto now = Clock::now();
    if (done != total_ && now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    double secs = std::chrono::duration<double>(now - start_).count();
    double rate = secs > 0 ? static_cast<double>(done) / secs : 0;
    double eta = rate > 0 ? static_cast<double>(total_ - done) / rate : 0;
    int width = 30;
    int filled = static_cast<int>(width * static_cast<double>(done) / static_cast<double>(total_));
    fmt::print(stderr, "\r[{}{}] {}/{} files  {:.0f}/s  ETA {:.0f}s ",
               std::string(static_cast<std::size_t>(filled), '#'),
               std::string(static_cast<std::size_t>(width - filled), '.'), done, total_, rate, eta);
    std::fflush(stderr);
  }
  void finish() {
    if (enabled_) fmt::print(stderr, "\r\033[K");
  }

private:
  std::size_t total_;
  bool enabled_;
  Clock::time_point start_, last_{};
  std::atomic<std::size_t> done_{0};
  std::mutex mutex_;
};

struct TagOptions {
  std::string sheet;
  std::vector<std::string> files;
  bool dry_run = false, in_place = false, preserve_times = false, id3v23 = false, with_splits = false;
  bool verbose = false;
  unsigned jobs = 0;
  std::string format = "text";
};

nlohmann::json result_json(const tagging::TagResult& r) {
  nlohmann::json j = {{"file", r.path}, {"outcome", std::string(tagging::to_string(r.outcome))}};
  if (r.format) j["format"] = std::string(tagging::to_string(*r.format));
  if (!r.error.empty()) j["error"] = r.error;
  nlohmann::json ch = nlohmann::json::array();
  for (const auto& c : r.changes)
    ch.push_back({{"field", c.field}, {"before", c.before}, {"after", c.after}});
  j["changes"] = ch;
  j["bytes_written"] = r.bytes_written;
  j["diagnostics"] = diagnostics_json(r.diagnostics);
  return j;
}

void run_tag(const TagOptions& o, Context& ctx) {
  // A file size limit (ulimit -f) must fail the write, not kill the process.
  std::signal(SIGXFSZ, SIG_IGN);
  const bool json = o.format == "json";
  // The sheet, the plans and the results live until the process exits, on purpose: `liner tag` ends right
  // after this, and freeing a catalog's worth of them one allocation at a time only delays the exit (the
  // kernel takes the memory back at once). Run once per process.
  credits::LoadResult& loaded = *new credits::LoadResult(load_sheet(o.sheet));
  if (loaded.diagnostics.has_errors()) {
    print_diagnostics(loaded.diagnostics, stderr, is_terminal(stderr));
    fmt::print(stderr, "{}: nothing tagged: fix the sheet first\n", o.sheet);
    ctx.raise(kProblems);
    return;
  }
  const credits::Sheet& sheet = loaded.sheet;
  std::vector<std::string> files = o.files.empty() ? tagging::sheet_files(sheet) : o.files;
  Diagnostics problems;
  std::vector<std::string> present;
  {
    // One stat a file, on every core (a catalog has thousands).
    std::vector<int> errors(files.size());
    std::atomic<std::size_t> next{0};
    run_on_threads(thread_count(o.jobs, files.size() / 256), [&] {
      struct stat st {};
      for (std::size_t i = next++; i < files.size(); i = next++)
        errors[i] = ::stat(files[i].c_str(), &st) == 0 ? 0 : errno;
    });
    for (std::size_t i = 0; i < files.size(); ++i) {
      if (!errors[i])
        present.push_back(files[i]);
      else
        problems.error("missing-file", errors[i] == ENOENT ? "no such file" : std::strerror(errors[i]),
                       Location{files[i], 0, 0, {}});
    }
  }
  tagging::MatchResult match = tagging::match_files(sheet, present);
  problems.append(match.diagnostics);
  if (!match.unmatched_files.empty() || problems.has_errors()) ctx.raise(kProblems);

  tagging::PlanOptions popts;
  popts.with_splits = o.with_splits;
  // One plan per matched track, made in parallel (a catalog has thousands).
  auto& plans = *new std::map<std::size_t, tagging::TagPlan>;
  for (const auto& m : match.matched)
    plans[m.track];
  {
    std::vector<std::pair<const std::size_t, tagging::TagPlan>*> todo;
    for (auto& p : plans)
      todo.push_back(&p);
    std::atomic<std::size_t> next{0};
    auto plan_worker = [&] {
      for (std::size_t i = next++; i < todo.size(); i = next++)
        todo[i]->second = tagging::plan_tags(sheet, sheet.tracks[todo[i]->first], popts);
    };
    run_on_threads(thread_count(o.jobs, todo.size() / 16), plan_worker); // threads for 16+ plans each
  }

  tagging::WriteOptions wopts;
  wopts.id3v23 = o.id3v23;
  wopts.dry_run = o.dry_run;
  wopts.in_place = o.in_place;
  wopts.preserve_times = o.preserve_times;

  const std::size_t n = match.matched.size();
  std::vector<tagging::BatchItem> items;
  items.reserve(n);
  for (const auto& m : match.matched)
    items.push_back({m.file, &plans.at(m.track)});
  Progress progress(n, is_terminal(stderr) && !json);
  tagging::BatchOptions bopts;
  bopts.jobs = o.jobs;
  bopts.done = [&](std::size_t, const tagging::TagResult&) { progress.tick(); };
  auto& results = *new std::vector<tagging::TagResult>(tagging::write_tags_batch(items, wopts, bopts));
  progress.finish();

  std::size_t tagged = 0, unchanged = 0, failed = 0, would = 0;
  std::uint64_t bytes = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const auto& r = results[i];
    switch (r.outcome) {
    case tagging::Outcome::Tagged:
      ++tagged;
      break;
    case tagging::Outcome::Unchanged:
      ++unchanged;
      break;
    case tagging::Outcome::WouldChange:
      ++would;
      break;
    case tagging::Outcome::Failed:
      ++failed;
      break;
    }
    bytes += r.bytes_written;
    if (!r.error.empty()) problems.error("tag-failed", r.error, Location{r.path, 0, 0, {}});
    problems.append(r.diagnostics);
  }
  if (failed) ctx.raise(kProblems);

  if (json) {
    auto out = envelope("tag", 1);
    nlohmann::json arr = nlohmann::json::array();
    for (std::size_t i = 0; i < n; ++i) {
      auto j = result_json(results[i]);
      j["track"] = sheet.tracks[match.matched[i].track].number;
      j["matched_by"] = match.matched[i].how;
      arr.push_back(std::move(j));
    }
    out["dry_run"] = o.dry_run;
    out["files"] = arr;
    out["summary"] = {{"tagged", tagged},
                      {"unchanged", unchanged},
                      {"failed", failed},
                      {"would_change", would},
                      {"unmatched", match.unmatched_files.size() + (files.size() - present.size())}};
    out["diagnostics"] = diagnostics_json(problems);
    fmt::print("{}\n", out.dump(2));
    return;
  }
  print_diagnostics(problems, stderr, is_terminal(stderr));
  for (std::size_t i = 0; i < n; ++i) {
    const auto& r = results[i];
    const auto& m = match.matched[i];
    std::string fmt_name = r.format ? std::string(tagging::to_string(*r.format)) : "?";
    if (o.dry_run) {
      if (r.outcome == tagging::Outcome::Unchanged) {
        fmt::print("{} ({}): up to date\n", r.path, fmt_name);
      } else if (r.outcome == tagging::Outcome::WouldChange) {
        fmt::print("{} ({}, track {}, matched by {}): {} field(s) would change\n", r.path, fmt_name,
                   sheet.tracks[m.track].number, m.how, r.changes.size());
        for (const auto& c : r.changes)
          fmt::print("  {}: {} -> {}\n", c.field, shown(c.before), shown(c.after));
      }
    } else if (o.verbose && r.outcome != tagging::Outcome::Failed) {
      fmt::print("{} ({}): {}{}\n", r.path, fmt_name, tagging::to_string(r.outcome),
                 r.outcome == tagging::Outcome::Tagged ? fmt::format(", {} field(s)", r.changes.size()) : "");
    }
  }
  if (o.dry_run)
    fmt::print("dry run: {} would change, {} up to date, {} failed; nothing written\n", would, unchanged,
               failed);
  else
    fmt::print("{} tagged, {} unchanged, {} failed{}{}\n", tagged, unchanged, failed,
               match.unmatched_files.empty() ? ""
                                             : fmt::format(", {} unmatched", match.unmatched_files.size()),
               o.in_place ? " (in place)" : "");
}

nlohmann::json read_json(const tagging::ReadResult& r) {
  nlohmann::json j = {{"file", r.path}};
  j["format"] = r.format ? std::string(tagging::to_string(*r.format)) : std::string();
  j["tags"] = r.tag_version;
  j["fields"] = r.fields;
  nlohmann::json cr = nlohmann::json::array();
  for (const auto& c : r.credits) {
    nlohmann::json x = {{"name", c.name}, {"role", c.role}, {"source", c.source}};
    if (!c.instrument.empty()) x["instrument"] = c.instrument;
    if (!c.also_in.empty()) x["also_in"] = c.also_in;
    cr.push_back(std::move(x));
  }
  j["credits"] = cr;
  if (!r.document.empty()) j["document"] = nlohmann::json::parse(r.document, nullptr, false);
  j["diagnostics"] = diagnostics_json(r.diagnostics);
  return j;
}

void print_read(const tagging::ReadResult& r) {
  fmt::print("{}: {}{}\n", r.path, r.format ? std::string(tagging::to_string(*r.format)) : "not audio",
             r.tag_version.empty() ? "" : ", " + r.tag_version);
  static const char* kOrder[] = {"title",       "artist",     "album",     "albumartist", "tracknumber",
                                 "totaltracks", "discnumber", "date",      "genre",       "isrc",
                                 "iswc",        "label",      "copyright", "barcode",     "catalognumber"};
  for (const char* k : kOrder)
    if (auto it = r.fields.find(k); it != r.fields.end())
      fmt::print("  {:<14} {}\n", k, shown(it->second, 200));
  if (r.credits.empty()) {
    fmt::print("  no credits\n");
    return;
  }
  fmt::print("  credits (DDEX role, name, field):\n");
  for (const auto& c : r.credits) {
    std::string role = c.instrument.empty() ? c.role : c.role + " (" + c.instrument + ")";
    std::string from = c.source;
    if (!c.also_in.empty()) {
      from += "; also ";
      for (std::size_t i = 0; i < c.also_in.size(); ++i)
        from += (i ? ", " : "") + c.also_in[i];
    }
    fmt::print("    {:<32} {:<24} {}\n", role, c.name, from);
  }
}

} // namespace

void register_tagging(CLI::App& app, Context& ctx) {
  // tag
  auto to = std::make_shared<TagOptions>();
  auto* tag = app.add_subcommand(
      "tag",
      "Write the sheet's credits into audio files (FLAC, MP3, WAV/BWF, AIFF, M4A, Ogg Vorbis, Opus).\n"
      "Safe by default: each file is locked and tagged in memory, its audio payload checked byte for byte,\n"
      "then written to a temporary file beside it, fsynced and renamed over the original: a killed run\n"
      "leaves every file untouched or fully tagged. Exit status 1 if any file failed or matched no track.");
  tag->add_option("SHEET", to->sheet, "The attribution sheet (.toml or .csv)")
      ->required()
      ->check(CLI::ExistingFile);
  tag->add_option(
      "FILES", to->files,
      "Audio files (default: the sheet's track files). Matched to tracks by the sheet's path, else the "
      "ISRC in the file, else track number and title in the file name");
  tag->add_flag("-n,--dry-run", to->dry_run, "Print each field's old and new value per file; change nothing");
  tag->add_option(
      "-j,--jobs", to->jobs,
      "Files tagged in parallel (default: the number of cores). Safe writes are made durable in groups: each "
      "tagged copy is written and its write-back started at once, then 64 at a time are fsynced and renamed "
      "over their files. On a slow disk more jobs than cores (e.g. -j 8) can still help");
  tag->add_flag("--id3v2.3", to->id3v23, "ID3v2.3 for old players (IPLS for credits, \"/\" between values)");
  tag->add_flag("--with-splits", to->with_splits,
                "Also write master and publishing splits into the LINER_CREDITS field");
  tag->add_flag("--in-place", to->in_place,
                "Faster: write only the changed bytes into the files themselves (no temporary file, no "
                "fsync). NOT SAFE: "
                "a crash, kill or full disk during a write can destroy a master");
  tag->add_flag("--preserve-times", to->preserve_times,
                "Keep each file's modification time (mode and owner are always kept)");
  tag->add_flag("-v,--verbose", to->verbose, "One line per file");
  tag->add_option("--format", to->format, "Output: text or json")->check(CLI::IsMember({"text", "json"}));
  tag->footer("Examples:\n  liner tag release.toml                       # the files the sheet names\n"
              "  liner tag release.toml masters/*.wav --dry-run\n"
              "  liner tag catalog.toml --jobs 8 --preserve-times\nMapping: docs/tag-mapping.md");
  tag->callback([to, &ctx] { run_tag(*to, ctx); });

  // read
  struct ReadOptions {
    std::vector<std::string> files;
    std::string format = "text";
  };
  auto ro = std::make_shared<ReadOptions>();
  auto* rd =
      app.add_subcommand("read", "Show the credits in audio files, normalised to DDEX roles, with the field "
                                 "each came from (liner's own tags and Picard-style tags from other tools)");
  rd->add_option("FILES", ro->files, "Audio files")->required();
  rd->add_option("--format", ro->format, "Output: text or json")->check(CLI::IsMember({"text", "json"}));
  rd->callback([ro, &ctx] {
    const bool json = ro->format == "json";
    nlohmann::json arr = nlohmann::json::array();
    Diagnostics all;
    for (const auto& f : ro->files) {
      tagging::ReadResult r;
      try {
        r = tagging::read_credits(f);
      } catch (const Error& e) {
        r.path = f;
        r.diagnostics.error("cannot-read", e.what(), Location{f, 0, 0, {}});
      }
      if (r.diagnostics.has_errors()) ctx.raise(kProblems);
      if (json) {
        arr.push_back(read_json(r));
      } else {
        print_diagnostics(r.diagnostics, stderr, is_terminal(stderr));
        if (r.format) print_read(r);
      }
    }
    if (json) {
      auto out = envelope("read", 1);
      out["files"] = arr;
      fmt::print("{}\n", out.dump(2));
    }
  });

  // sheet from-files
  CLI::App* sheet = app.get_subcommand("sheet");
  struct FromOptions {
    std::vector<std::string> files;
    std::string output;
    bool force = false;
  };
  auto fo = std::make_shared<FromOptions>();
  auto* ff =
      sheet->add_subcommand("from-files", "Draft a sheet from already tagged audio files (liner's own tags, "
                                          "or Picard-style tags written by other tools)");
  ff->add_option("FILES", fo->files, "Tagged audio files")->required();
  ff->add_option("-o,--output", fo->output, "The sheet to write (.toml; - for standard output)")->required();
  ff->add_flag("--force", fo->force, "Overwrite an existing file");
  ff->callback([fo, &ctx] {
    if (fo->output != "-" && !fo->force && fs::exists(fo->output))
      throw Error(fo->output, "already exists (use --force to overwrite)");
    std::vector<tagging::ReadResult> reads;
    Diagnostics d;
    for (const auto& f : fo->files) {
      try {
        reads.push_back(tagging::read_credits(f));
        d.append(reads.back().diagnostics);
      } catch (const Error& e) {
        d.error("cannot-read", e.what(), Location{f, 0, 0, {}});
      }
    }
    credits::Sheet s = tagging::draft_sheet(reads, d);
    fs::path base = fo->output == "-" ? fs::current_path() : fs::absolute(fo->output).parent_path();
    for (auto& t : s.tracks)
      t.file = fs::absolute(t.file).lexically_relative(base).generic_string();
    write_output(fo->output, credits::write_sheet_toml(s));
    print_diagnostics(d, stderr, is_terminal(stderr));
    if (d.has_errors()) ctx.raise(kProblems);
    if (fo->output != "-")
      fmt::print(stderr,
                 "wrote {} ({} tracks, {} parties) from {} file(s); check it with `liner sheet check`\n",
                 fo->output, s.tracks.size(), s.parties.size(), reads.size());
  });
}

} // namespace liner::cli
