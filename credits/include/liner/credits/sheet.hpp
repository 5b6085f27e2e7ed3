// liner: the attribution sheet model. One sheet per release: parties, tracks, credits, splits.
// The canonical file form is TOML (toml.hpp, docs/sheet-format.md); CSV is the spreadsheet form (csv.hpp).
#pragma once
#include <liner/credits/agreements.hpp>
#include <liner/credits/decimal.hpp>
#include <liner/credits/diagnostic.hpp>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace liner::credits {

enum class PartyKind { Person, Organization };
enum class Tier { Unspecified, Primary, Co, Additional, Assistant };
enum class Capacity { Unspecified, Writer, Publisher }; // for publishing shares

std::string_view to_string(PartyKind);
std::string_view to_string(Tier);
std::string_view to_string(Capacity);
// What the TOML and CSV forms accept (case-insensitive): "person" / "organization" ("organisation",
// "company"); "primary" / "co" / "additional" / "assistant"; "writer" / "publisher".
std::optional<PartyKind> parse_party_kind(std::string_view);
std::optional<Tier> parse_tier(std::string_view);
std::optional<Capacity> parse_capacity(std::string_view);

struct Party {
  std::string id;         // the key of [parties.<id>]; referenced everywhere else
  std::string name;       // as credited, in any script, stored NFC
  std::string latin_name; // optional latin-script form (transliteration)
  PartyKind kind = PartyKind::Person;
  std::string isni; // identifiers as written in the sheet; validators/ normalises and checks them
  std::string ipi;  // IPI name number
  std::string ipn;
  std::string dpid;
  std::string notes;
};

// A role or instrument: a canonical DDEX value (ContributorRole / InstrumentType, ERN 4.3 AVS), or a
// deliberate custom term written "custom:Name" (becomes DDEX UserDefined).
struct Term {
  std::string name;
  bool custom = false;
  std::string str() const { return custom ? "custom:" + name : name; }
  friend bool operator==(const Term&, const Term&) = default;
};

struct Credit {
  std::string party;
  std::vector<Term> roles;       // at least one
  std::vector<Term> instruments; // InstrumentType values
  std::optional<Decimal> hours;
  std::vector<std::string> deliverables;  // "Final stereo mix", "Stems"
  Tier tier = Tier::Unspecified;          // primary / co / additional / assistant
  std::vector<std::string> contributions; // non-financial: "mentoring", "session curation"
  friend bool operator==(const Credit&, const Credit&) = default;
};

struct Share {
  std::string party;
  Decimal percent;                           // 0 < percent <= 100
  Capacity capacity = Capacity::Unspecified; // publishing: writer or publisher
  friend bool operator==(const Share&, const Share&) = default;
};

struct Track {
  int number = 0;
  int disc = 1;
  std::string title;
  std::string version; // subtitle, e.g. "Radio Edit"
  std::string isrc;
  std::string iswc;
  std::string duration;                 // ISO 8601, e.g. "PT3M25S"
  std::string file;                     // audio master, relative to the sheet
  std::vector<std::string> artists;     // display artists (party ids); empty = the release's
  std::vector<std::string> featured;    // featured artists (party ids)
  std::optional<bool> explicit_content; // parental warning override; empty = the release's
  std::vector<Credit> credits;
  std::vector<Share> master;
  std::vector<Share> publishing;
};

struct CopyrightLine {
  int year = 0;
  std::string owner;
  friend bool operator==(const CopyrightLine&, const CopyrightLine&) = default;
};

struct Release {
  std::string title;
  std::string type = "Album"; // DDEX ReleaseType: Single, EP, Album, ...
  std::string upc;            // UPC-A / EAN-13 / GTIN-14 (DDEX ICPN)
  std::string grid;
  std::string catalog_number;
  std::string label;                // party id
  std::string distributor;          // party id (optional)
  std::vector<std::string> artists; // main display artists, party ids
  std::string release_date;         // YYYY-MM-DD
  std::string genre;
  std::optional<CopyrightLine> p_line;
  std::optional<CopyrightLine> c_line;
  std::string parental_warning = "NotExplicit"; // DDEX ParentalWarningType
  std::vector<Credit> credits;                  // apply to every track (e.g. the mastering engineer)
};

// Delivery defaults for DDEX messages ([delivery] and [[deals]]).
struct Deal {
  std::vector<std::string> territories = {"Worldwide"};
  std::string start_date;                     // empty = the release date
  std::vector<std::string> commercial_models; // DDEX CommercialModelType
  std::vector<std::string> use_types;         // DDEX UseType
  friend bool operator==(const Deal&, const Deal&) = default;
};

struct Delivery {
  std::string sender;                  // party id (needs a DPID)
  std::vector<std::string> recipients; // party ids
  std::string message_control;         // "LiveMessage" or "TestMessage"; empty = TestMessage
  std::string language = "en";         // LanguageAndScriptCode
  bool present = false;                // written back only when the sheet had it
};

// Where each field of a loaded sheet came from, keyed by a path such as "release.title",
// "parties.aya.isni", "tracks[0].credits[1].roles[0]", "tracks[2].master[0].percent".
class SourceMap {
public:
  void set(std::string path, Location loc) { map_[std::move(path)] = std::move(loc); }
  // The location of `path`, else of its nearest recorded parent, else the file alone.
  Location at(std::string_view path) const;
  const std::string& file() const { return file_; }
  void set_file(std::string f) { file_ = std::move(f); }
  bool empty() const { return map_.empty(); }

private:
  std::string file_;
  std::map<std::string, Location, std::less<>> map_;
};

struct Sheet {
  std::string path; // the file it was loaded from; empty when built in memory
  Release release;
  std::vector<Party> parties; // in file order; ids unique
  std::vector<Track> tracks;  // in file order
  Delivery delivery;
  std::vector<Deal> deals;
  std::vector<Agreement> agreements; // [[agreements]]: backend terms (agreements.hpp, splits.hpp)
  SourceMap where;

  const Party* party(std::string_view id) const;
  // The track's credits with the release-level credits merged in, one credit per party: a party credited
  // twice (on the track, or again at release level) gets one credit with all its roles, instruments,
  // deliverables and contributions, in first-seen order.
  std::vector<Credit> effective_credits(const Track& t) const;
  // The track's display artists: its own, else the release's.
  const std::vector<std::string>& display_artists(const Track& t) const;
};

// Unicode helpers (utf8proc).
std::string nfc(std::string_view utf8); // NFC normalisation; invalid UTF-8 returned unchanged
std::string fold_name(std::string_view utf8);
std::string strip_marks(std::string_view utf8); // NFC with combining marks removed: "Zoë" -> "Zoe" // NFC +
                                                // case fold + collapsed spaces: for "same person?"
bool valid_utf8(std::string_view s);

// A real calendar date written YYYY-MM-DD (leap years included).
bool is_valid_date(std::string_view yyyy_mm_dd);

} // namespace liner::credits
