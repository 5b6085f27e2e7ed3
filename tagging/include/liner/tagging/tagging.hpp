// liner: credits into audio tags and back (docs/tag-mapping.md).
//
// plan_tags() turns one track of a sheet into a format-neutral TagPlan; write_tags() writes a plan into
// one file (atomically by default: temporary copy, payload check, fsync, rename), write_tags_batch() many;
// read_credits() reads any tagged file (liner's own or Picard-style tags from other tools) back into DDEX
// roles. Problems in the audio files are Diagnostics; operational failures (cannot write, disk full) throw
// liner::Error. Nothing here prints or exits.
#pragma once
#include <cstdint>
#include <functional>
#include <liner/credits/diagnostic.hpp>
#include <liner/credits/sheet.hpp>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace liner::tagging {

enum class Format { Flac, Mp3, Wav, Aiff, Mp4, OggVorbis, Opus };
std::string_view to_string(Format f);
// The formats in registry order.
std::vector<Format> formats();
// Detects a file's format by its content (not its name). nullopt: not an audio file liner can tag.
// Throws liner::Error when the file cannot be read.
std::optional<Format> detect_format(const std::string& path);

// The name of the structured field (TXXX:LINER_CREDITS, LINER_CREDITS, ----:com.apple.iTunes:LINER_CREDITS).
inline constexpr std::string_view kDocumentField = "LINER_CREDITS";
inline constexpr int kDocumentVersion = 1;

struct PlanOptions {
  bool with_splits = false; // write master/publishing splits into the structured field
};

// One contributor as it goes into tags: names plus DDEX roles and instruments (canonical or "custom:X").
struct PlanCredit {
  std::string name;
  std::string latin_name;
  std::vector<std::string> roles;
  std::vector<std::string> instruments;
};

// What liner writes for one track, independent of the format. `fields` uses Picard's names
// ("title", "artist", "tracknumber", ...); credits go through the role mapping table.
struct TagPlan {
  std::map<std::string, std::vector<std::string>> fields;
  std::vector<PlanCredit> credits;
  std::string document; // the LINER_CREDITS JSON (compact, deterministic)
};

TagPlan plan_tags(const credits::Sheet& sheet, const credits::Track& track, const PlanOptions& options = {});

// A concrete field in a given format: "TIPL", "TXXX:PRODUCER", "PRODUCER", "----:com.apple.iTunes:MIXER",
// "INFO:IPRO". Multi-valued fields keep one string per value (TIPL/TMCL: role, name, role, name...).
using FieldMap = std::map<std::string, std::vector<std::string>>;

struct WriteOptions {
  bool id3v23 = false;         // MP3: ID3v2.3 (IPLS, "/" joins) instead of ID3v2.4
  bool dry_run = false;        // compute the changes, write nothing
  bool in_place = false;       // let TagLib rewrite the file itself: faster, not crash-safe
  bool preserve_times = false; // keep the modification time (mode and owner are always kept)
};

enum class Outcome { Tagged, Unchanged, WouldChange, Failed };
std::string_view to_string(Outcome o);

struct FieldChange {
  std::string field;
  std::vector<std::string> before; // empty: absent
  std::vector<std::string> after;  // empty: removed
};

struct TagResult {
  std::string path;
  std::optional<Format> format;
  Outcome outcome = Outcome::Failed;
  std::vector<FieldChange> changes;
  Diagnostics diagnostics;         // problems with the file (not audio, truncated, RF64...)
  std::uint64_t bytes_written = 0; // bytes liner wrote for this file (copy + tags)
  std::string error;               // write_tags_batch: the operational failure write_tags would throw
};

// Writes `plan` into `path`. Input problems give Outcome::Failed with a diagnostic; operational failures
// (read-only file, disk full, payload changed) throw liner::Error after restoring the original.
TagResult write_tags(const std::string& path, const TagPlan& plan, const WriteOptions& options = {});

// Tags many files. Each item's result is at the same index; an operational failure (what write_tags
// throws) becomes Outcome::Failed with `error` set, and the batch goes on with the other files.
// Safe writes share their waits on the disk: each tagged copy is written and its write-back started at
// once, then copies are fsynced and renamed over their originals a group at a time (one folder fsync per
// group, and fsyncs that find the data already written). Every copy is durable before its rename, as
// with write_tags; a group holds its files' locks until it is committed.
struct BatchItem {
  std::string path;
  const TagPlan* plan = nullptr;
};
struct BatchOptions {
  unsigned jobs = 0;                        // threads; 0: one per core
  std::size_t group_files = 64;             // commit when this many copies wait...
  std::uint64_t group_bytes = 256ull << 20; // ...or this many bytes
  // Called once per file when its outcome is final, from any of the batch's threads.
  std::function<void(std::size_t index, const TagResult&)> done;
};
std::vector<TagResult> write_tags_batch(const std::vector<BatchItem>& items, const WriteOptions& options,
                                        const BatchOptions& batch = {});

// Removes the stale temporary file (".NAME.liner-tmp-0") that a killed run left beside `path`.
// Safe while other liner processes run: it takes the file's lock first. Returns how many it removed.
int clean_stale_temporaries(const std::string& path);

// A credit found in a file, normalised to DDEX.
struct ReadCredit {
  std::string name;
  std::string role;       // DDEX ContributorRole (or "custom:X")
  std::string instrument; // DDEX InstrumentType when known, else the text found; empty for non-performers
  std::string source;     // the field it came from: "TXXX:LINER_CREDITS", "TIPL:producer", "PERFORMER"...
  std::vector<std::string> also_in; // other fields that show the same credit
};

struct ReadResult {
  std::string path;
  std::optional<Format> format;
  std::string tag_version; // "ID3v2.4", "Vorbis comment", "MP4 ilst", "ID3v2.4 + RIFF INFO"
  FieldMap fields;         // basic fields by Picard name: title, artist, album, isrc, tracknumber...
  std::vector<ReadCredit> credits;
  std::string document; // the LINER_CREDITS JSON when present
  FieldMap raw;         // every field read, by concrete name
  Diagnostics diagnostics;
};

// Never throws for bad content; throws liner::Error only when the file cannot be opened at all.
ReadResult read_credits(const std::string& path);

// Which file belongs to which track: the sheet's `file` path, else an ISRC already in the file, else track
// number and title in the file name. Nothing is guessed: ambiguous or unmatched files are reported.
struct MatchResult {
  struct Pair {
    std::string file;
    std::size_t track = 0; // index into sheet.tracks
    std::string how;       // "sheet path", "isrc", "number and title"
  };
  std::vector<Pair> matched;
  std::vector<std::string> unmatched_files;
  std::vector<std::size_t> unmatched_tracks;
  Diagnostics diagnostics;
};
MatchResult match_files(const credits::Sheet& sheet, const std::vector<std::string>& files);
// The sheet's own track files (resolved relative to the sheet), for `liner tag SHEET` without files.
std::vector<std::string> sheet_files(const credits::Sheet& sheet);

// Drafts a sheet from already tagged files (`liner sheet from-files`).
credits::Sheet draft_sheet(const std::vector<ReadResult>& files, Diagnostics& diagnostics);

} // namespace liner::tagging
