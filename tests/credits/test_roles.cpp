#include <algorithm>
#include <doctest/doctest.h>
#include <fstream>
#include <liner/credits/roles.hpp>
#include <set>
#include <span>
#include <sstream>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

using namespace liner::credits;

namespace {

std::string role(std::string_view text) {
  TermLookup r = resolve_role(text);
  return r.term ? r.term->str() : std::string("<unresolved>");
}

std::string instrument(std::string_view text) {
  TermLookup r = resolve_instrument(text);
  return r.term ? r.term->str() : std::string("<unresolved>");
}

bool suggests(const TermLookup& r, std::string_view name) {
  return std::find(r.suggestions.begin(), r.suggestions.end(), name) != r.suggestions.end();
}

std::string trim_copy(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return std::string(s);
}

std::string unquote(std::string s) {
  if (s.size() >= 2 && s.front() == '`' && s.back() == '`') return s.substr(1, s.size() - 2);
  return s;
}

// The rows of the markdown table that follows the marker comment `<!-- name -->` in docs/roles.md:
// (written, canonical) from the first two columns, header and separator rows skipped.
std::vector<std::pair<std::string, std::string>> doc_table(const std::string& doc, const std::string& name) {
  std::vector<std::pair<std::string, std::string>> rows;
  std::size_t at = doc.find("<!-- " + name + " -->");
  REQUIRE_MESSAGE(at != std::string::npos, "docs/roles.md has no <!-- " << name << " --> marker");
  std::istringstream in(doc.substr(at));
  std::string line;
  std::getline(in, line); // the marker
  bool in_table = false;
  int row = 0;
  while (std::getline(in, line)) {
    std::string t = trim_copy(line);
    if (t.empty() || t[0] != '|') {
      if (in_table) break;
      continue;
    }
    in_table = true;
    if (row++ < 2) continue; // header, separator
    std::vector<std::string> cells;
    std::string cell;
    for (std::size_t i = 1; i < t.size(); ++i) {
      if (t[i] == '|') {
        cells.push_back(trim_copy(cell));
        cell.clear();
      } else {
        cell += t[i];
      }
    }
    REQUIRE_MESSAGE(cells.size() >= 2, "malformed table row: " << line);
    rows.emplace_back(unquote(cells[0]), unquote(cells[1]));
  }
  return rows;
}

void check_doc_matches(const std::vector<std::pair<std::string, std::string>>& doc,
                       std::span<const Alias> code, const char* which) {
  INFO(which);
  CHECK(doc.size() == code.size());
  for (std::size_t i = 0; i < std::min(doc.size(), code.size()); ++i) {
    INFO("row " << i + 1 << ": docs '" << doc[i].first << "' -> " << doc[i].second << ", code '"
                << code[i].typed << "' -> " << code[i].canonical);
    CHECK(normalize_term(doc[i].first) == code[i].typed);
    CHECK(doc[i].second == code[i].canonical);
  }
}

} // namespace

TEST_CASE("canonical tables are the ERN 4.3 allowed value sets") {
  CHECK(vocabulary_avs_version() == "3");
  CHECK(contributor_roles().size() == 308);
  CHECK(instrument_types().size() == 709);
  CHECK(contributor_roles().front() == "Adapter");
  CHECK(instrument_types().front() == "Accordion");
  CHECK(instrument_types().back() == "UserDefined");
  CHECK(is_contributor_role("UserDefined"));
  CHECK(is_contributor_role("StudioProducer"));
  CHECK(is_contributor_role("Treatment/ProgramProposal"));
  CHECK_FALSE(is_contributor_role("Producer"));       // ERN 3.8 only
  CHECK_FALSE(is_contributor_role("FeaturedArtist")); // a DisplayArtistRole, not a ContributorRole
  CHECK_FALSE(is_contributor_role("studioproducer"));
  CHECK(is_instrument_type("BassDrum(Kick)"));
  CHECK(is_instrument_type("12-StringGuitar"));
  CHECK_FALSE(is_instrument_type("Drums"));
  // No two canonical names of one table share a normalised form (the lookup would be ambiguous).
  for (auto table : {contributor_roles(), instrument_types()}) {
    std::set<std::string> keys;
    for (std::string_view c : table)
      CHECK_MESSAGE(keys.insert(normalize_term(c)).second, c);
  }
}

TEST_CASE("normalize_term") {
  CHECK(normalize_term("Mixing-Engineer") == "mixingengineer");
  CHECK(normalize_term("  mixing_engineer. ") == "mixingengineer");
  CHECK(normalize_term("A&R Coordinator") == "aandrcoordinator");
  CHECK(normalize_term("BassDrum(Kick)") == "bassdrumkick");
  CHECK(normalize_term("12-String Guitar") == "12stringguitar");
  CHECK(normalize_term("Gitarre\xC3\xBC") == "gitarre\xC3\xBC"); // non-ASCII kept
  CHECK(normalize_term("--- ") == "");
}

TEST_CASE("every canonical name resolves to itself, verbatim and respelled") {
  for (std::string_view c : contributor_roles()) {
    TermLookup r = resolve_role(c);
    REQUIRE_MESSAGE(r.term, c);
    CHECK(r.term->name == c);
    CHECK_FALSE(r.term->custom);
    CHECK_FALSE(r.via_alias);
  }
  for (std::string_view c : instrument_types()) {
    TermLookup r = resolve_instrument(c);
    REQUIRE_MESSAGE(r.term, c);
    CHECK(r.term->name == c);
    CHECK_FALSE(r.via_alias);
  }
  // Lower-cased canonical names resolve back, except where an alias deliberately takes the spelling.
  std::set<std::string> role_alias_keys;
  for (const Alias& a : role_aliases())
    role_alias_keys.insert(std::string(a.typed));
  for (std::string_view c : contributor_roles()) {
    std::string k = normalize_term(c);
    if (role_alias_keys.contains(k)) continue;
    CHECK_MESSAGE(role(k) == c, c);
  }
  std::set<std::string> instrument_alias_keys;
  for (const Alias& a : instrument_aliases())
    instrument_alias_keys.insert(std::string(a.typed));
  for (std::string_view c : instrument_types()) {
    std::string k = normalize_term(c);
    if (instrument_alias_keys.contains(k)) continue;
    CHECK_MESSAGE(instrument(k) == c, c);
  }
}

TEST_CASE("case, space, hyphen, underscore and punctuation variants") {
  for (const char* s : {"MixingEngineer", "mixing engineer", "Mixing-Engineer", "MIXINGENGINEER",
                        "mixing_engineer", "  Mixing Engineer  ", "mixing.engineer", "Mixing Engineer:"})
    CHECK_MESSAGE(role(s) == "MixingEngineer", s);
  CHECK(role("studio producer") == "StudioProducer");
  CHECK(role("co-producer") == "CoProducer");
  CHECK(role("Co Producer") == "CoProducer");
  CHECK(role("executive producer") == "ExecutiveProducer");
  CHECK(role("vocal producer") == "VocalProducer");
  CHECK(role("mastering engineer") == "MasteringEngineer");
  CHECK(role("Recording Engineer") == "RecordingEngineer");
  CHECK(role("a&r administrator") == "AAndRAdministrator");
  CHECK(role("treatment / program proposal") == "Treatment/ProgramProposal");
  CHECK(role("dj") == "DJ");
  CHECK(role("lead vocalist") == "LeadVocalist");
  CHECK(instrument("bass drum (kick)") == "BassDrum(Kick)");
  CHECK(instrument("12 string guitar") == "12-StringGuitar");
  CHECK(instrument("DRUM MACHINE") == "DrumMachine");
  TermLookup spelled = resolve_role("mixing engineer");
  CHECK_FALSE(spelled.via_alias);
  CHECK(spelled.suggestions.empty());
}

TEST_CASE("verbatim canonical names win over aliases; aliases win over respellings") {
  // DDEX Mixer ("an Artist who creates an original master album or single mix") is a distinct value; people
  // who type "mixer" mean the mixing engineer.
  CHECK(role("Mixer") == "Mixer");
  CHECK_FALSE(resolve_role("Mixer").via_alias);
  CHECK(role("mixer") == "MixingEngineer");
  CHECK(resolve_role("mixer").via_alias);
  CHECK(role("MIXER") == "MixingEngineer");
}

TEST_CASE("the required role aliases") {
  const std::vector<std::pair<const char*, const char*>> cases = {
      {"producer", "StudioProducer"},
      {"Producer", "StudioProducer"},
      {"produced by", "StudioProducer"},
      {"co-producer", "CoProducer"},
      {"co-produced by", "CoProducer"},
      {"executive producer", "ExecutiveProducer"},
      {"exec producer", "ExecutiveProducer"},
      {"vocal producer", "VocalProducer"},
      {"mix engineer", "MixingEngineer"},
      {"mixer", "MixingEngineer"},
      {"mixed by", "MixingEngineer"},
      {"Mixed By", "MixingEngineer"},
      {"mix", "MixingEngineer"},
      {"mastered by", "MasteringEngineer"},
      {"mastering", "MasteringEngineer"},
      {"mastering engineer", "MasteringEngineer"},
      {"recorded by", "RecordingEngineer"},
      {"recording", "RecordingEngineer"},
      {"tracking engineer", "TrackingEngineer"}, // an ERN 4.3 value of its own
      {"engineer", "Engineer"},
      {"engineered by", "Engineer"},
      {"writer", "ComposerLyricist"},
      {"songwriter", "ComposerLyricist"},
      {"song writer", "ComposerLyricist"},
      {"written by", "ComposerLyricist"},
      {"composer", "Composer"},
      {"composed by", "Composer"},
      {"lyrics", "Lyricist"},
      {"lyricist", "Lyricist"},
      {"lyrics by", "Lyricist"},
      {"beatmaker", "StudioProducer"},
      {"beat maker", "StudioProducer"},
      {"beats", "StudioProducer"},
      {"vocals", "Vocalist"},
      {"vocalist", "Vocalist"},
      {"singer", "Vocalist"},
      {"lead vocals", "LeadVocalist"},
      {"backing vocals", "BackgroundVocalist"},
      {"background vocals", "BackgroundVocalist"},
      {"arranged by", "Arranger"},
      {"arranger", "Arranger"},
      {"remixed by", "Remixer"},
      {"remix", "Remixer"},
      {"remixer", "Remixer"},
      {"programming", "Programmer"},
      {"programmer", "Programmer"},
      {"dj", "DJ"},
      {"DJ", "DJ"},
      {"deejay", "DJ"},
      {"prod.", "StudioProducer"},
      {"Words & Music", "ComposerLyricist"},
      {"publisher", "MusicPublisher"},
  };
  for (const auto& [typed, canonical] : cases) {
    INFO(typed);
    CHECK(role(typed) == canonical);
    CHECK(is_contributor_role(canonical));
  }
  CHECK(resolve_role("producer").via_alias);
  CHECK_FALSE(resolve_role("StudioProducer").via_alias);
}

TEST_CASE("featuring is not a ContributorRole") {
  // ERN 4.3 expresses features as DisplayArtistRole FeaturedArtist: the sheet's track `featured` list.
  for (const char* s : {"featuring", "feat", "feat.", "ft."})
    CHECK_MESSAGE(role(s) == "<unresolved>", s);
}

TEST_CASE("the instrument aliases") {
  const std::vector<std::pair<const char*, const char*>> cases = {
      {"guitar", "Guitar"},
      {"Guitar", "Guitar"},
      {"guitars", "Guitar"},
      {"electric guitar", "ElectricGuitar"},
      {"acoustic guitar", "AcousticGuitar"},
      {"bass", "Bass"},
      {"bass guitar", "ElectricBassGuitar"},
      {"double bass", "DoubleBass"},
      {"keys", "Keyboard"},
      {"keyboards", "Keyboard"},
      {"keyboard", "Keyboard"},
      {"piano", "Piano"},
      {"rhodes", "Rhodes"},
      {"organ", "Organ"},
      {"drums", "DrumKit"},
      {"Drums", "DrumKit"},
      {"drum kit", "DrumKit"},
      {"percussion", "PercussionInstrument"},
      {"synth", "Synthesizer"},
      {"synthesizer", "Synthesizer"},
      {"synthesiser", "Synthesizer"},
      {"synth bass", "SynthBass"},
      {"sax", "Saxophone"},
      {"tenor sax", "TenorSaxophone"},
      {"violin", "Violin"},
      {"cello", "Cello"},
      {"808", "DrumMachine"},
      {"TR-808", "DrumMachine"},
      {"drum machine", "DrumMachine"},
      {"turntables", "Turntable"},
      {"turntable", "Turntable"},
      {"hi hat", "HiHatCymbal"},
      {"kick", "BassDrum(Kick)"},
      {"strings", "StringSection"},
      {"vocals", "Voice"},
      {"lead vocals", "LeadVocalist"},
      {"uke", "Ukulele"},
  };
  for (const auto& [typed, canonical] : cases) {
    INFO(typed);
    CHECK(instrument(typed) == canonical);
    CHECK(is_instrument_type(canonical));
  }
  CHECK(resolve_instrument("drums").via_alias);
  // The tables are separate: a role is not an instrument and the other way round.
  CHECK(instrument("producer") == "<unresolved>");
  CHECK(role("drums") == "<unresolved>");
}

TEST_CASE("custom terms") {
  TermLookup r = resolve_role("custom:Vibe Curator");
  REQUIRE(r.term);
  CHECK(r.term->name == "Vibe Curator");
  CHECK(r.term->custom);
  CHECK(r.term->str() == "custom:Vibe Curator");
  CHECK_FALSE(r.via_alias);
  CHECK(resolve_role("Custom:  Vibe Curator  ").term == Term{"Vibe Curator", true});
  CHECK(resolve_role("CUSTOM:Producer").term == Term{"Producer", true}); // deliberate: not the alias
  CHECK(resolve_role("  custom:x").term == Term{"x", true});
  CHECK(resolve_instrument("custom:Hurdy Gurdy Pedal").term == Term{"Hurdy Gurdy Pedal", true});
  for (const char* s : {"custom:", "custom:   ", "CUSTOM:"}) {
    INFO(s);
    TermLookup e = resolve_role(s);
    CHECK_FALSE(e.term);
    CHECK(e.suggestions.empty());
    CHECK_FALSE(resolve_instrument(s).term);
  }
  // Not the prefix: an ordinary (unknown) term.
  CHECK_FALSE(resolve_role("custom Vibe Curator").term);
}

TEST_CASE("unknown terms are unresolved, with suggestions") {
  TermLookup r = resolve_role("Mixing Enginer");
  CHECK_FALSE(r.term);
  REQUIRE_FALSE(r.suggestions.empty());
  CHECK(r.suggestions.front() == "MixingEngineer");
  CHECK(r.suggestions.size() <= 3);

  r = resolve_role("prodcuer");
  CHECK_FALSE(r.term);
  REQUIRE_FALSE(r.suggestions.empty());
  CHECK(r.suggestions.front() == "StudioProducer");

  r = resolve_role("masterign engineer");
  REQUIRE_FALSE(r.suggestions.empty());
  CHECK(r.suggestions.front() == "MasteringEngineer");

  r = resolve_role("Remixr");
  REQUIRE_FALSE(r.suggestions.empty());
  CHECK(r.suggestions.front() == "Remixer");

  r = resolve_role("songwritter");
  REQUIRE_FALSE(r.suggestions.empty());
  CHECK(r.suggestions.front() == "ComposerLyricist");

  r = resolve_role("executive prod"); // a prefix of a canonical name
  CHECK(suggests(r, "ExecutiveProducer"));

  r = resolve_instrument("guitr");
  REQUIRE_FALSE(r.suggestions.empty());
  CHECK(r.suggestions.front() == "Guitar");

  r = resolve_instrument("synthesizr");
  REQUIRE_FALSE(r.suggestions.empty());
  CHECK(r.suggestions.front() == "Synthesizer");

  r = resolve_instrument("violn");
  CHECK(suggests(r, "Violin"));

  // Nothing close: no suggestions rather than noise.
  CHECK(resolve_role("zzqxv").suggestions.empty());
  CHECK(resolve_instrument("qqqqqqqqqqqq").suggestions.empty());
  CHECK(resolve_role("").suggestions.empty());
  CHECK_FALSE(resolve_role("").term);
  CHECK_FALSE(resolve_role("   ").term);
  CHECK_FALSE(resolve_role("---").term);
  for (const auto& s : resolve_role("Mixing Enginer").suggestions)
    CHECK(is_contributor_role(s));
  for (const auto& s : resolve_instrument("guitr").suggestions)
    CHECK(is_instrument_type(s));
}

TEST_CASE("alias tables are well formed") {
  for (auto [aliases, is_canonical, table] :
       {std::tuple{role_aliases(), &is_contributor_role, "role"},
        std::tuple{instrument_aliases(), &is_instrument_type, "instrument"}}) {
    INFO(table);
    CHECK_FALSE(aliases.empty());
    std::set<std::string_view> typed;
    for (const Alias& a : aliases) {
      INFO(a.typed << " -> " << a.canonical);
      CHECK(is_canonical(a.canonical));          // every target is an ERN 4.3 value
      CHECK(typed.insert(a.typed).second);       // no alias twice
      CHECK(a.typed == normalize_term(a.typed)); // stored normalised
      CHECK_FALSE(a.typed.empty());
      CHECK(a.typed != normalize_term(a.canonical)); // no row the canonical spelling already covers
    }
  }
  // Every alias resolves to its target through the public lookup.
  for (const Alias& a : role_aliases())
    CHECK_MESSAGE(role(a.typed) == a.canonical, a.typed);
  for (const Alias& a : instrument_aliases())
    CHECK_MESSAGE(instrument(a.typed) == a.canonical, a.typed);
  // Where an alias takes a spelling of a canonical name, it is listed here on purpose.
  std::vector<std::string> shadowing;
  for (const Alias& a : role_aliases())
    for (std::string_view c : contributor_roles())
      if (normalize_term(c) == a.typed)
        shadowing.push_back(std::string(a.typed) + "->" + std::string(a.canonical));
  for (const Alias& a : instrument_aliases())
    for (std::string_view c : instrument_types())
      if (normalize_term(c) == a.typed)
        shadowing.push_back(std::string(a.typed) + "->" + std::string(a.canonical));
  CHECK(shadowing == std::vector<std::string>{"mixer->MixingEngineer"});
}

TEST_CASE("docs/roles.md lists exactly the alias tables in code") {
  std::ifstream in(LINER_SOURCE_DIR "/docs/roles.md");
  REQUIRE(in);
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string doc = ss.str();
  check_doc_matches(doc_table(doc, "role-aliases"), role_aliases(), "role aliases");
  check_doc_matches(doc_table(doc, "instrument-aliases"), instrument_aliases(), "instrument aliases");
}

TEST_CASE("lookups are cheap enough to call per cell") {
  // Not a benchmark: a smoke test that repeated lookups work and agree (the index is built once).
  for (int i = 0; i < 2000; ++i) {
    REQUIRE(role("Mixing Engineer") == "MixingEngineer");
    REQUIRE(instrument("keys") == "Keyboard");
  }
}
