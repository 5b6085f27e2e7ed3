// liner: DDEX ERN deliveries. Build an ERN 4.3 NewReleaseMessage from a sheet, validate ERN messages
// (XSD + built-in rules), import them back into a sheet, and lay out a delivery folder.
// The library never prints and never exits: problems in input are Diagnostics, operational failures
// throw liner::Error. See docs/ddex.md for the mapping and every diagnostic code.
#pragma once
#include <cstdint>
#include <liner/credits/diagnostic.hpp>
#include <liner/credits/sheet.hpp>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace liner::ddex {

// ---------------------------------------------------------------------------------------------------
// Versions: one class per ERN version, one registry row each (versions.cpp).

struct RoleValue {
  std::string value;              // the AVS value written in the element
  std::string user_defined_value; // set when value == "UserDefined"
};

class ErnVersion {
public:
  virtual ~ErnVersion() = default;
  virtual std::string_view id() const = 0;            // "4.3"
  virtual std::string_view namespace_uri() const = 0; // "http://ddex.net/xml/ern/43"
  // The main schema, relative to the schema folder (layout of ../shared/ddex/schemas).
  virtual std::string_view schema_path() const = 0;
  // A sheet term as this version's ContributorRole / InstrumentType value.
  virtual RoleValue role(const credits::Term& t) const;
  virtual RoleValue instrument(const credits::Term& t) const;
  // Whether a ContributorRole / InstrumentType value is in this version's allowed-value set.
  virtual bool allowed_role(std::string_view value) const;
  virtual bool allowed_instrument(std::string_view value) const;
  // ERN 3.x writes parties inline (no PartyList / PartyReference).
  virtual bool has_party_list() const { return true; }
};

// Every supported version, oldest first.
std::span<const ErnVersion* const> versions();
const ErnVersion* version_by_id(std::string_view id);
const ErnVersion* version_by_namespace(std::string_view ns);

// ---------------------------------------------------------------------------------------------------
// Audio: technical details read from the file itself (WAV/FLAC/MP3/M4A via TagLib) plus hashes.

struct AudioInfo {
  std::string path;        // as opened
  std::uint64_t size = 0;  // bytes
  std::string codec;       // DDEX AudioCodecType: FLAC, PCM, MP3, AAC, ALAC->UserDefined...
  std::string container;   // "FLAC", "WAV", "MP3", "MP4"
  int sample_rate = 0;     // Hz
  int bits_per_sample = 0; // 0 when the format has none (lossy)
  int channels = 0;
  int bitrate_kbps = 0;
  std::int64_t duration_ms = 0;
  std::string sha256; // lower-case hex
  std::string md5;    // lower-case hex
};
// Throws liner::Error when the file cannot be read.
AudioInfo probe_audio(const std::string& path);
std::string sha256_file(const std::string& path);
std::string sha256_hex(std::string_view data);
// Milliseconds as an ISO 8601 duration: 221000 -> "PT3M41S", 221500 -> "PT3M41.5S".
std::string iso_duration(std::int64_t ms);

// ---------------------------------------------------------------------------------------------------
// Build

struct BuildOptions {
  // Sender / recipients: a sheet party id, or a DPID, optionally "DPID=Name". Empty = the sheet's
  // [delivery] section.
  std::string sender;
  std::vector<std::string> recipients;
  // MessageCreatedDateTime (xs:dateTime, e.g. "2026-03-01T12:00:00Z"). Empty: SOURCE_DATE_EPOCH when
  // set, else the release date at midnight UTC (deterministic either way).
  std::string created;
  std::optional<bool> live;               // overrides [delivery].message_control
  std::string audio_dir;                  // where audio masters are; empty = relative to the sheet's folder
  bool technical_details = true;          // read audio files that exist and write TechnicalDetails
  std::string hash_algorithm = "SHA-256"; // or "MD5"
  std::string uri_prefix = "resources/";  // DeliveryFile/File/URI = prefix + file name
};

struct BuildResult {
  std::string xml; // empty when the sheet cannot make a valid message
  Diagnostics diagnostics;
  std::vector<AudioInfo> audio; // per track, when read (same order as sheet.tracks; empty path = none)
  bool ok() const { return !xml.empty(); }
};

// A full ERN 4.3 NewReleaseMessage for the sheet.
BuildResult build_ern43(const credits::Sheet& sheet, const BuildOptions& options = {});

// ---------------------------------------------------------------------------------------------------
// Validate

inline constexpr std::size_t kMaxMessageBytes = 256u << 20; // 256 MiB: larger files are refused

struct ValidateOptions {
  std::string schema_dir; // empty = no XSD validation (built-in rules only)
  bool rules = true;
};

struct ValidationResult {
  const ErnVersion* version = nullptr; // detected from the root namespace (nullptr = unknown)
  bool schema_checked = false;         // the XSD ran
  Diagnostics diagnostics;
  bool ok() const { return !diagnostics.has_errors(); }
};

// Compiles each schema once (per Validator, shared process-wide) and reuses it for every message.
// Thread-compatible: use one Validator per thread, or guard it.
class Validator {
public:
  explicit Validator(ValidateOptions options = {});
  ~Validator();
  Validator(const Validator&) = delete;
  Validator& operator=(const Validator&) = delete;

  // `name` is used in locations. Never throws for bad content; throws liner::Error when a schema
  // folder is given but the schema cannot be loaded.
  ValidationResult validate(std::string_view xml, const std::string& name) const;
  // Reads the file (bounded by kMaxMessageBytes). Throws liner::Error when it cannot be read.
  ValidationResult validate_file(const std::string& path) const;

private:
  ValidateOptions options_;
};

// The schema folder from LINER_DDEX_SCHEMAS, or empty.
std::string schema_dir_from_env();

// ---------------------------------------------------------------------------------------------------
// Import

struct ImportResult {
  credits::Sheet sheet;
  const ErnVersion* version = nullptr;
  Diagnostics diagnostics; // notes on what could not be carried, errors when the message is unusable
  bool ok() const { return !diagnostics.has_errors(); }
};

ImportResult import_ern(std::string_view xml, const std::string& name);
ImportResult import_ern_file(const std::string& path);

// ---------------------------------------------------------------------------------------------------
// Package: DELIVERY/<ICPN>/<ICPN>.xml plus DELIVERY/<ICPN>/resources/<file>, hard-linked or copied.

struct PackageResult {
  std::string folder;             // the batch folder written
  std::string message_path;       // the XML written
  std::vector<std::string> files; // resources placed
  Diagnostics diagnostics;
  bool ok() const { return !message_path.empty(); }
};
// Throws liner::Error on I/O failure. Writes nothing when the message cannot be built.
PackageResult package(const credits::Sheet& sheet, BuildOptions options, const std::string& out_dir);

} // namespace liner::ddex
