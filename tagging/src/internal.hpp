// liner tagging internals: the mapping table, the format registry, payload scanning.
#pragma once
#include <algorithm>
#include <array>
#include <cstdint>
#include <liner/tagging/tagging.hpp>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <taglib/id3v2tag.h>
#include <taglib/tiostream.h>
#include <vector>

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
const std::set<std::string>& managed_keys(Family family, bool info);
// RIFF INFO's comment (ICMT) is liner's when it starts with this; any other comment is the user's and is
// neither replaced nor removed.
inline constexpr std::string_view kCreditsComment = "Credits: ";
inline bool liners_comment(std::string_view icmt) {
  return icmt.starts_with(kCreditsComment);
}
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
using Bytes = std::span<const std::uint8_t>;
// A read-only view of a whole file (mmap).
class MappedFile {
public:
  explicit MappedFile(int fd); // throws liner::Error
  // The size known from an fstat already made. grouped: unmapped later, with other files of this thread
  // (payload.cpp); the open file, and so its disk space if it is replaced meanwhile, lives until then.
  MappedFile(int fd, std::uint64_t size, bool grouped = false);
  ~MappedFile();
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  const std::uint8_t* data() const { return data_; }
  std::uint64_t size() const { return size_; }

private:
  const std::uint8_t* data_ = nullptr;
  std::uint64_t size_ = 0;
};
// The original file's bytes for a write: a buffer in memory (a mapped file, a test's bytes), or the file read
// on demand (pread) into a buffer the thread reuses. On demand suits the formats whose tags and structure
// lie in a few stretches of the file (FLAC: the metadata blocks and the last frame): mapping a file and
// faulting in its pages costs several times more than reading those stretches. Every access names the bytes
// it needs, so nothing ever reads a byte that was not read from this file.
class FileImage {
public:
  FileImage(Bytes b) : flat_(b), size_(b.size()) {} // NOLINT: implicit, a buffer is an image
  // Reads the file open as `fd` (of `size` bytes) on demand; `path` names it in errors.
  FileImage(int fd, std::uint64_t size, std::string path);
  ~FileImage();
  FileImage(const FileImage&) = delete;
  FileImage& operator=(const FileImage&) = delete;
  std::uint64_t size() const { return size_; }
  bool in_memory() const { return base_ == nullptr; }
  // [off, off + n), within the file; valid as long as the image. Throws liner::Error when the file cannot
  // be read (it shrank meanwhile).
  const std::uint8_t* get(std::uint64_t off, std::uint64_t n) const;
  Bytes bytes(std::uint64_t off, std::uint64_t n) const { return {get(off, n), static_cast<std::size_t>(n)}; }
  Bytes all() const { return bytes(0, size_); }
  // get() for up to kKeep bytes (or a buffer in memory), else nullptr: large stretches are copied out.
  const std::uint8_t* peek(std::uint64_t off, std::uint64_t n) const;
  // Copies [off, off + n) into out; large stretches of a file read on demand are not kept.
  void copy(std::uint64_t off, std::uint64_t n, std::uint8_t* out) const;
  static constexpr std::uint64_t kKeep = std::uint64_t(256) << 10;

private:
  void load(std::uint64_t first_page, std::uint64_t end_page) const;
  Bytes flat_;
  std::uint64_t size_ = 0;
  int fd_ = -1;
  std::string path_;
  std::uint8_t* base_ = nullptr;              // on demand: the buffer, file offsets as they are
  std::uint64_t capacity_ = 0;                // of base_ when it is our own mapping (0: the thread's buffer)
  mutable std::vector<std::uint64_t> loaded_; // one bit per 4 KiB page
  mutable std::uint64_t loaded_bytes_ = 0;
  mutable std::uint64_t next_ = ~std::uint64_t(0), ahead_ = 0; // read-ahead for sequential reads (pages)
};
// A little-endian 32-bit number at p (RIFF sizes, Vorbis comment lengths, APE footers).
inline std::uint32_t le32(const std::uint8_t* p) {
  return std::uint32_t(p[0]) | (std::uint32_t(p[1]) << 8) | (std::uint32_t(p[2]) << 16) |
         (std::uint32_t(p[3]) << 24);
}
// An ID3v2 "syncsafe" size at p: 28 bits, 7 to a byte (the top bit of each byte ignored).
inline std::uint32_t syncsafe32(const std::uint8_t* p) {
  return (std::uint32_t(p[0] & 0x7F) << 21) | (std::uint32_t(p[1] & 0x7F) << 14) |
         (std::uint32_t(p[2] & 0x7F) << 7) | std::uint32_t(p[3] & 0x7F);
}
// Appends v as 4 little-endian bytes (its low 32 bits) to a byte string or vector.
template <class Out> void append_le32(Out& out, std::uint64_t v) {
  for (int i = 0; i < 4; ++i)
    out.push_back(static_cast<typename Out::value_type>(v >> (8 * i)));
}

// A TagLib stream over a file that never copies it (piece_stream.cpp): the file TagLib writes is a list
// of pieces, each a stretch of the original (mapped read-only) or bytes TagLib wrote.
class PieceStream final : public TagLib::IOStream {
public:
  struct Piece {
    std::uint64_t size = 0;
    std::uint64_t src = 0; // offset in the original, or in the written bytes when `added`
    bool added = false;
  };
  PieceStream(Bytes original, std::string name);
  PieceStream(const FileImage& original, std::string name); // the image outlives the stream

  TagLib::FileName name() const override { return name_.c_str(); }
  TagLib::ByteVector readBlock(unsigned long length) override;
  void writeBlock(const TagLib::ByteVector& data) override;
  void insert(const TagLib::ByteVector& data, unsigned long start = 0, unsigned long replace = 0) override;
  void removeBlock(unsigned long start = 0, unsigned long length = 0) override;
  bool readOnly() const override { return false; }
  bool isOpen() const override { return true; }
  void seek(long offset, Position p = Beginning) override;
  long tell() const override { return pos_; }
  long length() override { return static_cast<long>(size_); }
  void truncate(long length) override;

  // Replaces [start, start + remove) with n bytes of data.
  void replace(std::uint64_t start, std::uint64_t remove, const std::uint8_t* data, std::uint64_t n);
  std::uint64_t size() const { return size_; }
  const FileImage& original() const { return *original_; }
  const std::vector<Piece>& pieces() const { return pieces_; }
  // An added piece's bytes (the original's pieces are read through the image).
  Bytes added_bytes(const Piece& p) const;
  void copy_out(std::uint64_t off, std::uint64_t n, std::uint8_t* out) const;
  // n bytes at off when they lie in one piece, else nullptr.
  const std::uint8_t* contiguous(std::uint64_t off, std::uint64_t n) const;
  // [off, off + n) is the original's [original_off, original_off + n), by construction (no byte compared).
  bool is_original(std::uint64_t off, std::uint64_t n, std::uint64_t original_off) const;

private:
  std::size_t locate(std::uint64_t off, std::uint64_t& piece_start) const;
  FileImage own_{Bytes{}};
  const FileImage* original_ = &own_;
  std::string name_;
  std::vector<std::uint8_t> added_;
  std::vector<Piece> pieces_;
  mutable std::vector<std::uint64_t> starts_;
  mutable bool dirty_ = true;
  std::uint64_t size_ = 0;
  long pos_ = 0;
};

// Random access to a file for the scanners: a buffer in memory (a mapped file) or a PieceStream.
class View {
public:
  View(Bytes b) : flat_(b), size_(b.size()) {}              // NOLINT: implicit, a buffer is a view
  View(const FileImage& f) : image_(&f), size_(f.size()) {} // NOLINT: implicit
  View(const FileImage& f, std::uint64_t size) : image_(&f), size_(std::min(size, f.size())) {} // its start
  explicit View(const PieceStream& s) : stream_(&s), size_(s.size()) {}
  std::uint64_t size() const { return size_; }
  // n bytes at off (off + n <= size()): a pointer into the file's memory, or into a copy that stays
  // valid until the next get() on this view.
  const std::uint8_t* get(std::uint64_t off, std::size_t n) const;
  std::uint8_t operator[](std::uint64_t off) const { return *get(off, 1); }
  bool at(std::uint64_t off, std::string_view magic) const;
  const PieceStream* stream() const { return stream_; }

private:
  Bytes flat_;
  const FileImage* image_ = nullptr;
  const PieceStream* stream_ = nullptr;
  std::uint64_t size_ = 0;
  mutable std::vector<std::uint8_t> scratch_;
};

// deep = false: the structure only, without the completeness checks that read the audio (the last FLAC
// frame's CRC, the walk over MPEG frames), for a tagged file whose audio is then proven identical to an
// original that passed them.
Payload scan_flac(const View& b, bool deep = true);
Payload scan_mpeg(const View& b, bool deep = true);
// The file starts with an MPEG audio frame (valid header) followed by another, or ending at the end.
bool mpeg_frames_at_start(const View& b);
// Where the ID3v2 tags starting at `pos` end (pos itself when there is none).
std::uint64_t id3v2_end(const View& b, std::uint64_t pos);
Payload scan_wav(const View& b, bool deep = true);
Payload scan_aiff(const View& b, bool deep = true);
Payload scan_mp4(const View& b, bool deep = true);
Payload scan_ogg_vorbis(const View& b, bool deep = true);
Payload scan_ogg_opus(const View& b, bool deep = true);
// A text TagLib's UTF-8 round trip (String(ByteVector, UTF8) then data(UTF8)) keeps byte for byte: valid
// UTF-8 without NUL. The native paths (FLAC, ID3v2.4 frames) render only such texts, else go through TagLib.
bool taglib_keeps(std::string_view v);
// ---------------------------------------------------------------------------------------------------
// FLAC metadata without TagLib (flac_meta.cpp), for plain files, rendered as TagLib + FlacHandler would.
struct FlacMeta {
  struct Block {
    std::uint8_t type = 0;
    Range body; // in the file
    Bytes data; // its bytes (in the FileImage read, which outlives this)
  };
  std::uint64_t file_size = 0;
  std::uint64_t audio_start = 0; // where the frames start
  std::vector<Block> blocks;     // every block but PADDING and the Vorbis comment, in order
  bool had_comment = false;      // the file has a Vorbis comment block
  std::string vendor;            // the Vorbis comment's vendor string
  FieldMap fields;               // upper-case keys in TagLib's order
};
// nullopt: not a plain FLAC file (ID3 tags, pictures, fields TagLib would change or drop...).
std::optional<FlacMeta> read_flac_meta(const FileImage& file);
// Edits `fields` as xiph_write does through TagLib; false (nothing changed) for values it cannot mirror.
bool vorbis_edit(FieldMap& fields, const FieldMap& set, const std::set<std::string>& remove);
// The bytes that replace [4, audio_start): the kept blocks, the Vorbis comment, the padding. nullopt: TagLib
// would not save it, or would read a field differently (then the caller uses TagLib).
std::optional<std::vector<std::uint8_t>> render_flac_meta(const FlacMeta& meta, const FieldMap& fields);

// SHA-256 of the payload ranges, in order.
std::string payload_digest(const View& b, const Payload& p);

// ---------------------------------------------------------------------------------------------------
// One class per format (formats.cpp), behind one registry table.
class Handler {
public:
  virtual ~Handler() = default;
  // Opens with TagLib; false when TagLib cannot parse it.
  virtual bool open(const std::string& path) = 0;
  // Opens a stream (a PieceStream): writes change the stream only.
  virtual bool open(TagLib::IOStream* stream) = 0;
  // Every field present, by concrete name (pseudo-fields start with '#', e.g. "#id3v2").
  virtual FieldMap read() = 0;
  // The same fields without a copy, for a handler that holds them as a FieldMap (else nullptr). Valid
  // until the next write().
  virtual const FieldMap* fields() { return nullptr; }
  // Removes `remove`, then sets `set`.
  virtual void write(const FieldMap& set, const std::set<std::string>& remove, bool id3v23) = 0;
  virtual bool save(bool id3v23) = 0;
  virtual std::string tag_version() = 0;
};

struct FormatRow {
  Format format;
  std::string_view name;
  Family family;
  bool info;      // also a RIFF INFO list
  bool on_demand; // read with pread where needed (FileImage), not mapped: tags and structure in a few places
  bool (*sniff)(const View& head, std::string_view extension);
  Payload (*scan)(const View& whole, bool deep);
  std::unique_ptr<Handler> (*make)();
};
// FLAC's handler; native = false: always through TagLib (the tests compare both).
std::unique_ptr<Handler> make_flac_handler(bool native);
// MP3's handler; native = false: a first tag through TagLib too (the tests compare both).
std::unique_ptr<Handler> make_mpeg_handler(bool native);
// A WAV file without tags, in a layout liner renders the first tags of itself (formats.cpp).
bool wav_without_tags(Bytes b);
// WAV's handler; native = false: a file without tags through TagLib too.
std::unique_ptr<Handler> make_wav_handler(bool native);
// ID3v2 frames liner manages: `remove` and the keys of `set` removed, then `set` added. raw_frames: v2.4
// text frames given to TagLib as the bytes its frame classes would render (the tests compare both).
void id3_write(TagLib::ID3v2::Tag* tag, const FieldMap& set, const std::set<std::string>& remove, bool v23,
               bool raw_frames = true);
std::span<const FormatRow> registry();
// RIFF INFO text as CP1252 (TagLib's string handler is global: installed once).
void install_info_handler();
const FormatRow& row_for(Format f);
// Detects from the first bytes (>= 64 when the file has them) and the extension.
const FormatRow* sniff(const View& head, std::string_view extension);
// The format of a whole file, from its first 64 KiB at most (of a file read on demand, only the bytes the
// sniffers look at are read) and its name's extension.
const FormatRow* sniff_file(const FileImage& f, const std::string& path);

// ---------------------------------------------------------------------------------------------------
// Locks and files (safe_write.cpp).
std::string temp_prefix(const std::string& path); // "DIR/.NAME.liner-tmp-"
std::string temp_path(const std::string& path);   // "DIR/.NAME.liner-tmp-0": the one temporary of a file
// --in-place: writes the tagged stream `s` (made over the mapping of `path`) into `path` itself, only what
// changed. Returns the bytes written.
std::uint64_t write_in_place(const std::string& path, const std::string& given_path, const PieceStream& s);
// The same into `fd`, the file open for writing.
std::uint64_t write_in_place(int fd, const std::string& given_path, const PieceStream& s);

} // namespace liner::tagging::detail
