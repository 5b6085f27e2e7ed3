// liner: verify that every credit of a sheet reached the audio files and the DDEX message (docs/verify.md).
//
// Three layers:
//  - observations: what a source (tagged audio files, an ERN message) credits, format-neutral (Observed);
//    adapters fill them from files (tagging's reader) and from ERN XML (a direct, namespace-agnostic reader);
//  - the comparison engine: sheet + observations -> Report (per track, per credit, per share, plus extras
//    and tracks missing on either side), with near-miss name matching that says why two names differ;
//  - renderers: text (optionally coloured), versioned JSON, a self-contained HTML page.
// Nothing here prints or exits. Problems in inputs are Diagnostics; I/O failures throw liner::Error.
#pragma once
#include <liner/credits/decimal.hpp>
#include <liner/credits/diagnostic.hpp>
#include <liner/credits/sheet.hpp>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace liner::verify {

// ---------------------------------------------------------------------------------------------------
// Name matching

enum class NameMatch { None, Near, Exact };

struct NameComparison {
  NameMatch match = NameMatch::None;
  // Why a near match is not exact, in a stable vocabulary: "case", "diacritics", "order", "initial",
  // "latin form", "spelling", "punctuation".
  std::vector<std::string> reasons;
  std::string compared_with; // the sheet spelling that matched best (name or latin_name)
};

// Compares a name as found in a source with one spelling from the sheet.
NameComparison compare_names(std::string_view sheet_name, std::string_view observed);
// Compares against a party: its name, then its latin form (adds the reason "latin form").
NameComparison compare_party(const credits::Party& party, std::string_view observed);
// "case, diacritics" -> "case differs, diacritics dropped": one readable phrase per reason.
std::string describe_reasons(const std::vector<std::string>& reasons);
// Lower case, marks stripped (utf8proc decomposition), ø/æ/ß/ł... spelled out in ASCII, spaces collapsed.
std::string name_key(std::string_view name);

// ---------------------------------------------------------------------------------------------------
// Observations

enum class Source { Files, Ddex };
std::string_view to_string(Source s);

// Where something was found: a file and a field (audio tags) or an XPath (XML).
struct Place {
  std::string file;
  std::string field; // "TXXX:LINER_CREDITS", "TIPL:producer", "PERFORMER"...
  std::string xpath; // "/NewReleaseMessage/ResourceList/SoundRecording[2]/Contributor[3]"
  bool empty() const { return file.empty() && field.empty() && xpath.empty(); }
  std::string str() const; // "file [field]", "file (xpath)", "file"
};

struct Identifiers {
  std::string isni, ipi, ipn, dpid; // normalised: digits and capital letters only
  bool empty() const { return isni.empty() && ipi.empty() && ipn.empty() && dpid.empty(); }
};
// Drops spaces, hyphens and dots and upper-cases, so "0000 0001 2345 6789" equals "0000000123456789".
std::string normalize_id(std::string_view id);
Identifiers identifiers_of(const credits::Party& p);

struct ObservedCredit {
  std::string name;       // as found
  std::string latin_name; // a transliteration the source carries too (ERN FullNameAsciiTranscribed)
  Identifiers ids;
  bool ids_known = false;         // the source can carry identifiers (ERN): their absence is then a finding
  std::vector<std::string> roles; // DDEX ContributorRole names or "custom:X"
  std::vector<std::string> instruments; // DDEX InstrumentType names or "custom:X"
  Place where;
  std::vector<Place> also; // other places showing the same credit
};

struct ObservedShare {
  std::string name;
  std::string latin_name;
  Identifiers ids;
  Decimal percent;
  Place where;
};

struct ObservedTrack {
  std::optional<std::size_t> sheet_track; // set when the adapter already knows the sheet track
  std::string isrc;
  int number = 0;
  std::string title;
  std::string file;
  Place where; // the audio file, or the SoundRecording element
  std::vector<ObservedCredit> credits;
  std::optional<std::vector<ObservedShare>> master;     // nullopt: the source carries no master splits
  std::optional<std::vector<ObservedShare>> publishing; // nullopt: the source carries no publishing splits
};

struct Observed {
  Source source = Source::Files;
  std::string origin; // folder or message path, for messages
  std::vector<ObservedTrack> tracks;
  std::vector<std::string> unreadable; // inputs that could not be used (see diagnostics)
  Diagnostics diagnostics;
};

// Adds credits with the same name (exactly) together: roles/instruments merged, places kept in `also`.
void merge_same_names(ObservedTrack& t);

// ERN (3.x and 4.x, any namespace prefix): SoundRecordings, their Contributors (PartyList references or
// inline parties), ResourceRightsController (master) and WorkRightsController (publishing) shares.
// Never throws for bad content (diagnostics); observe_ern_file throws liner::Error when it cannot read.
Observed observe_ern(std::string_view xml, const std::string& name);
Observed observe_ern_file(const std::string& path);

// Tagged audio files through liner::tagging's reader (false when liner was built without it).
bool have_tagging();
// Reads every file and matches it to a sheet track (sheet path, ISRC, number and title). Unmatched
// files become observed tracks without a sheet track. Throws liner::Error without tagging support.
Observed observe_files(const credits::Sheet& sheet, const std::vector<std::string>& files);
// The audio files in a folder (recursively), sorted; by extension.
std::vector<std::string> audio_files_in(const std::string& dir);

// ---------------------------------------------------------------------------------------------------
// The report

enum class Status { NotChecked, Present, Near, Different, Missing };
std::string_view to_string(Status s);
bool is_problem(Status s); // Near, Different, Missing

// One credit (or share) in one source.
struct Check {
  Status status = Status::NotChecked;
  std::string observed_name;
  std::vector<std::string> name_reasons;
  std::vector<std::string> missing_roles, extra_roles;
  std::vector<std::string> missing_instruments, extra_instruments;
  std::vector<std::string> id_problems; // "ISNI 0000000123456789 in the sheet, 0000000123456780 in ddex"
  std::optional<Decimal> observed_percent;
  Place where;
  std::vector<Place> also;
  std::string summary() const; // one line: "missing", "near: 'Zoe Laurent' (diacritics dropped)"...
};

struct CreditRow {
  std::string party; // sheet party id
  std::string name;
  std::vector<std::string> roles, instruments;
  Check files, ddex;
};

struct ShareRow {
  std::string kind; // "master" or "publishing"
  std::string party;
  std::string name;
  std::string capacity; // publishing: "writer" / "publisher" / ""
  Decimal percent;
  Check files, ddex;
};

struct Extra {
  Source source;
  std::string kind; // "credit", "master", "publishing"
  std::string name;
  std::vector<std::string> roles;
  std::optional<Decimal> percent;
  Place where;
  std::string similar_party; // a sheet party with a related name, when there is one
};

struct TrackReport {
  std::size_t index = 0;
  int number = 0;
  int disc = 1;
  std::string title, isrc, file;
  // Where the track was found; NotChecked when that source was not given, Missing when not found.
  Status in_files = Status::NotChecked, in_ddex = Status::NotChecked;
  Place files_where, ddex_where;
  std::vector<Place> files_copies, ddex_copies; // further copies of the track (other formats, messages)
  bool files_carry_master = false, files_carry_publishing = false;
  std::vector<CreditRow> credits;
  std::vector<ShareRow> shares;
  std::vector<Extra> extras;
};

// A track found in a source that the sheet does not have.
struct StrayTrack {
  Source source;
  std::string isrc, title, file;
  int number = 0;
  Place where;
};

struct Report {
  std::string sheet;
  std::string release_title;
  bool files_checked = false, ddex_checked = false;
  std::vector<std::string> file_inputs, ddex_inputs;
  std::string party; // --party filter (party id), empty = everyone
  std::vector<TrackReport> tracks;
  std::vector<StrayTrack> strays;
  Diagnostics diagnostics; // from reading the sources

  std::size_t problem_count() const;
  bool ok() const { return problem_count() == 0; }
};

struct Options {
  std::string party; // a party id, or a name (exact or near): narrows the report to that party
  // Files were picked one by one: sheet tracks without a file among them are "not checked" in files
  // instead of "missing" (a whole folder, --audio, reports them missing).
  bool only_given_files = false;
};

// The sheet party for an id or a name; nullptr when none (or when a name is ambiguous).
const credits::Party* find_party(const credits::Sheet& sheet, std::string_view id_or_name);

// `files` and `ddex`: observations of each kind (several messages may be given).
Report compare(const credits::Sheet& sheet, const std::vector<Observed>& observations,
               const Options& options = {});

// ---------------------------------------------------------------------------------------------------
// Rendering

inline constexpr int kReportJsonVersion = 1;
// {"liner":"verify","version":1,...}: the schema is documented in docs/verify.md.
nlohmann::json to_json(const Report& r, const credits::Sheet& sheet);
std::string render_text(const Report& r, const credits::Sheet& sheet, bool color);
// A single self-contained HTML page: no external assets, responsive, printable.
std::string render_html(const Report& r, const credits::Sheet& sheet);

} // namespace liner::verify
