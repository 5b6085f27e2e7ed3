// liner tagging internals: the mapping table, the format registry, payload scanning.
#pragma once
#include <array>
#include <cstdint>
#include <liner/tagging/tagging.hpp>
#include <memory>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace TagLib {
class IOStream;
class ByteVector;
} // namespace TagLib

namespace liner::tagging::detail {

// ---------------------------------------------------------------------------------------------------
// The mapping table (docs/tag-mapping.md). One row per tag convention ("Picard key").
enum class Id3Kind { None, Text, Tipl, Txxx };

struct Mapping {
  std::string_view key;                 // Picard's name
  bool credit;                          // a credit row (else a basic field)
  std::string_view ddex;                // credit rows: the DDEX role this field reads back as
  std::array<std::string_view, 4> from; // credit rows: DDEX roles written into this field
  Id3Kind id3_kind;
  std::string_view id3;    // frame id, TIPL role or TXXX description
  std::string_view vorbis; // Vorbis comment key
  std::string_view mp4;    // MP4 item ("©wrt") or freeform name (written "----:com.apple.iTunes:NAME")
  std::string_view info;   // RIFF INFO field, empty: none
};
std::span<const Mapping> mapping_table();
const Mapping* mapping_for_key(std::string_view key);
// The credit row a DDEX role is written to; nullptr: no convention (custom field, see fallback_name).
const Mapping* row_for_role(std::string_view ddex_role);
// The field name used for a role with no convention: "MASTERING ENGINEER" (ID3 TXXX, MP4), and the
// Vorbis key "MASTERINGENGINEER".
std::string fallback_name(std::string_view role, bool vorbis);
// Reverse of the custom-name rules: a TXXX description / Vorbis key / MP4 freeform name -> DDEX role.
std::optional<std::string> role_for_custom_name(std::string_view name);
// "DrumMachine" -> "drum machine"; "custom:Kalimba" -> "kalimba"
std::string instrument_words(std::string_view instrument);
// The TMCL / PERFORMER instrument word for a performing role ("vocals" for Vocalist), empty otherwise.
std::string_view performer_word(std::string_view ddex_role);

inline constexpr std::string_view kMp4Freeform = "----:com.apple.iTunes:";

enum class Family { Id3, Vorbis, Mp4 };

// The concrete fields a plan becomes in one format, and the keys liner owns in that format (removed
// when the plan does not set them).
FieldMap concrete_fields(const TagPlan& plan, Family family, bool info, bool id3v23);
std::set<std::string> managed_keys(Family family, bool info);
// CP1252 rendering for RIFF INFO: characters outside CP1252 become '?'.
bool cp1252_representable(std::string_view utf8);

// ---------------------------------------------------------------------------------------------------
// Payload: the byte ranges holding the audio, and problems found scanning the container.
struct Range {
  std::uint64_t offset = 0;
  std::uint64_t size = 0;
};
struct Payload {
  std::vector<Range> ranges;
  std::string problem;      // non-empty: the file is damaged (truncated...) or refused (RF64)
  std::string problem_code; // "truncated", "rf64-unsupported", "not-audio"
};
// A read-only view of a whole file (mmap).
class MappedFile {
public:
  explicit MappedFile(int fd); // throws liner::Error
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  const std::uint8_t* data() const { return data_; }
  std::uint64_t size() const { return size_; }

private:
  const std::uint8_t* data_ = nullptr;
  std::uint64_t size_ = 0;
};
using Bytes = std::span<const std::uint8_t>;
Payload scan_flac(Bytes b);
Payload scan_mpeg(Bytes b);
Payload scan_wav(Bytes b);
Payload scan_aiff(Bytes b);
Payload scan_mp4(Bytes b);
Payload scan_ogg_vorbis(Bytes b);
Payload scan_ogg_opus(Bytes b);
// SHA-256 of the payload ranges, in order.
std::string payload_digest(Bytes b, const Payload& p);

// ---------------------------------------------------------------------------------------------------
// One class per format (formats.cpp), behind one registry table.
class Handler {
public:
  virtual ~Handler() = default;
  // Opens with TagLib; false when TagLib cannot parse it.
  virtual bool open(const std::string& path) = 0;
  // Opens a file held in memory (TagLib::ByteVectorStream): writes change the memory only.
  virtual bool open(TagLib::IOStream* stream) = 0;
  // After open(stream) and save(): the file's bytes in memory (the handler may have moved to its own copy).
  virtual const TagLib::ByteVector* memory() const = 0;
  // Every field present, by concrete name (pseudo-fields start with '#', e.g. "#id3v2").
  virtual FieldMap read() = 0;
  // Removes `remove`, then sets `set`.
  virtual void write(const FieldMap& set, const std::set<std::string>& remove, bool id3v23) = 0;
  virtual bool save(bool id3v23) = 0;
  virtual std::string tag_version() = 0;
};

struct FormatRow {
  Format format;
  std::string_view name;
  Family family;
  bool info; // also a RIFF INFO list
  bool (*sniff)(Bytes head, std::string_view extension);
  Payload (*scan)(Bytes whole);
  std::unique_ptr<Handler> (*make)();
};
std::span<const FormatRow> registry();
// RIFF INFO text as CP1252 (TagLib's string handler is global: installed once).
void install_info_handler();
const FormatRow& row_for(Format f);
// Detects from the first bytes (>= 64 when the file has them) and the extension.
const FormatRow* sniff(Bytes head, std::string_view extension);

// ---------------------------------------------------------------------------------------------------
// Locks and files (safe_write.cpp).
std::string temp_prefix(const std::string& path); // "DIR/.NAME.liner-tmp-"
std::string temp_path(const std::string& path);   // "DIR/.NAME.liner-tmp-0": the one temporary of a file

} // namespace liner::tagging::detail
