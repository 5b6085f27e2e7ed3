// liner: the role and instrument vocabulary (DDEX ERN 4.3 ContributorRole / InstrumentType) and the alias
// table of what people actually type. docs/roles.md documents the alias tables; tests/credits/test_roles.cpp
// checks that the documented tables and the ones below are the same.
#include <algorithm>
#include <cstddef>
#include <limits>
#include <liner/credits/roles.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace liner::credits {

namespace {

#include "vocabulary_data.inc"

// An alias as written in docs/roles.md; the lookup key is normalize_term(written).
struct AliasRow {
  std::string_view written;
  std::string_view canonical;
};

// Role aliases, in the order of docs/roles.md. Only rows that the canonical names do not already cover:
// "co-producer", "executive producer", "mastering engineer" resolve as spellings of CoProducer,
// ExecutiveProducer, MasteringEngineer and need no row.
constexpr AliasRow kRoleAliasRows[] = {
    // Production
    {"producer", "StudioProducer"},
    {"produced by", "StudioProducer"},
    {"prod", "StudioProducer"},
    {"prod by", "StudioProducer"},
    {"production", "StudioProducer"},
    {"record producer", "StudioProducer"},
    {"music producer", "StudioProducer"},
    {"beatmaker", "StudioProducer"},
    {"beats", "StudioProducer"},
    {"beats by", "StudioProducer"},
    {"co-produced by", "CoProducer"},
    {"co-production", "CoProducer"},
    {"exec producer", "ExecutiveProducer"},
    {"executive produced by", "ExecutiveProducer"},
    {"executive production", "ExecutiveProducer"},
    {"vocal production", "VocalProducer"},
    {"vocals produced by", "VocalProducer"},
    {"additional producer", "AdditionalStudioProducer"},
    {"additional production", "AdditionalStudioProducer"},
    // Mixing
    {"mix engineer", "MixingEngineer"},
    {"mixer", "MixingEngineer"},
    {"mixed by", "MixingEngineer"},
    {"mix", "MixingEngineer"},
    {"mixing", "MixingEngineer"},
    {"mix assistant", "MixingSecondEngineer"},
    {"assistant mix engineer", "MixingSecondEngineer"},
    {"assistant mixing engineer", "MixingSecondEngineer"},
    {"additional mixing", "AdditionalMixingEngineer"},
    {"immersive mix", "ImmersiveMixingEngineer"},
    {"atmos mix", "ImmersiveMixingEngineer"},
    {"dolby atmos mix", "ImmersiveMixingEngineer"},
    {"surround mix", "SurroundMixingEngineer"},
    // Mastering
    {"mastered by", "MasteringEngineer"},
    {"mastering", "MasteringEngineer"},
    {"mastering assistant", "MasteringSecondEngineer"},
    {"assistant mastering engineer", "MasteringSecondEngineer"},
    // Recording and engineering
    {"recorded by", "RecordingEngineer"},
    {"recording", "RecordingEngineer"},
    {"recording assistant", "RecordingSecondEngineer"},
    {"assistant recording engineer", "RecordingSecondEngineer"},
    {"tracked by", "TrackingEngineer"},
    {"tracking", "TrackingEngineer"},
    {"engineered by", "Engineer"},
    {"engineering", "Engineer"},
    {"sound engineer", "Engineer"},
    {"audio engineer", "Engineer"},
    {"studio engineer", "Engineer"},
    {"additional engineering", "AdditionalEngineer"},
    {"vocals recorded by", "VocalEngineer"},
    {"vocal recording", "VocalEngineer"},
    {"vocal editing", "VocalEditingEngineer"},
    {"vocal editor", "VocalEditingEngineer"},
    {"vocal tuning", "VocalEditingEngineer"},
    {"daw engineer", "DigitalAudioWorkstationEngineer"},
    {"pro tools engineer", "DigitalAudioWorkstationEngineer"},
    {"tape op", "TapeOperator"},
    {"sound design", "SoundDesigner"},
    // Writing
    {"writer", "ComposerLyricist"},
    {"songwriter", "ComposerLyricist"},
    {"written by", "ComposerLyricist"},
    {"songwriting", "ComposerLyricist"},
    {"words and music", "ComposerLyricist"},
    {"music and lyrics", "ComposerLyricist"},
    {"composer and lyricist", "ComposerLyricist"},
    {"topliner", "ComposerLyricist"},
    {"composed by", "Composer"},
    {"music by", "Composer"},
    {"composition", "Composer"},
    {"lyrics", "Lyricist"},
    {"lyrics by", "Lyricist"},
    {"words by", "Lyricist"},
    {"lyric writer", "Lyricist"},
    // Arranging, remixing, programming
    {"arranged by", "Arranger"},
    {"arrangement", "Arranger"},
    {"arrangements", "Arranger"},
    {"orchestration", "Arranger"},
    {"orchestrated by", "Arranger"},
    {"vocal arrangement", "VocalArranger"},
    {"vocals arranged by", "VocalArranger"},
    {"remixed by", "Remixer"},
    {"remix", "Remixer"},
    {"programming", "Programmer"},
    {"programmed by", "Programmer"},
    {"drum programming", "Programmer"},
    // Performing
    {"vocals", "Vocalist"},
    {"vocal", "Vocalist"},
    {"vox", "Vocalist"},
    {"singer", "Vocalist"},
    {"rapper", "Vocalist"},
    {"rap", "Vocalist"},
    {"rap vocals", "Vocalist"},
    {"lead vocals", "LeadVocalist"},
    {"lead vocal", "LeadVocalist"},
    {"lead singer", "LeadVocalist"},
    {"backing vocals", "BackgroundVocalist"},
    {"backing vocalist", "BackgroundVocalist"},
    {"backing singer", "BackgroundVocalist"},
    {"background vocals", "BackgroundVocalist"},
    {"bgv", "BackgroundVocalist"},
    {"session musician", "StudioMusician"},
    {"session player", "StudioMusician"},
    {"instrumentalist", "Musician"},
    {"instruments", "Musician"},
    {"all instruments", "Musician"},
    {"conducted by", "Conductor"},
    {"deejay", "DJ"},
    {"disc jockey", "DJ"},
    // Around the record
    {"publisher", "MusicPublisher"},
    {"published by", "MusicPublisher"},
    {"artwork", "CoverDesigner"},
    {"cover art", "CoverDesigner"},
    {"artwork by", "CoverDesigner"},
    {"art direction", "ArtDirector"},
    {"photography", "Photographer"},
    {"photos by", "Photographer"},
    {"graphic design", "GraphicDesigner"},
};

// Instrument aliases, in the order of docs/roles.md.
constexpr AliasRow kInstrumentAliasRows[] = {
    // Guitars
    {"guitars", "Guitar"},
    {"gtr", "Guitar"},
    {"lead guitar", "Guitar"},
    {"rhythm guitar", "Guitar"},
    {"electric guitars", "ElectricGuitar"},
    {"e-guitar", "ElectricGuitar"},
    {"acoustic guitars", "AcousticGuitar"},
    {"classical guitar", "NylonStringGuitar"},
    {"nylon guitar", "NylonStringGuitar"},
    {"spanish guitar", "NylonStringGuitar"},
    {"12-string", "12-StringGuitar"},
    {"lap steel", "LapSteelGuitar"},
    {"pedal steel", "PedalSteelGuitar"},
    {"steel guitar", "PedalSteelGuitar"},
    {"dobro", "DobroGuitar"},
    {"uke", "Ukulele"},
    // Bass
    {"bass guitar", "ElectricBassGuitar"},
    {"electric bass", "ElectricBassGuitar"},
    {"fretless bass", "FretlessBassGuitar"},
    {"contrabass", "DoubleBass"},
    {"bass synth", "SynthBass"},
    // Keyboards
    {"keys", "Keyboard"},
    {"keyboards", "Keyboard"},
    {"e-piano", "ElectricPiano"},
    {"wurlitzer", "ElectricPiano"},
    {"wurli", "ElectricPiano"},
    {"fender rhodes", "Rhodes"},
    {"hammond", "HammondOrgan"},
    {"hammond b3", "HammondOrgan"},
    {"b3", "HammondOrgan"},
    {"clav", "Clavinet"},
    {"celeste", "Celesta"},
    // Synthesizers and machines
    {"synth", "Synthesizer"},
    {"synths", "Synthesizer"},
    {"synthesizers", "Synthesizer"},
    {"synthesiser", "Synthesizer"},
    {"moog", "Synthesizer"},
    {"modular", "Synthesizer"},
    {"pads", "SynthPad"},
    {"lead synth", "SynthLead"},
    {"arp", "ArpeggiatingSynth"},
    {"omnisphere", "SpectrasonicsOmnisphere"},
    {"808", "DrumMachine"},
    {"808s", "DrumMachine"},
    {"tr-808", "DrumMachine"},
    {"909", "DrumMachine"},
    {"tr-909", "DrumMachine"},
    {"mpc", "DrumMachine"},
    {"beat machine", "DrumMachine"},
    {"turntables", "Turntable"},
    {"decks", "Turntable"},
    {"scratches", "Turntable"},
    {"scratching", "Turntable"},
    // Drums and percussion
    {"drums", "DrumKit"},
    {"drum set", "DrumKit"},
    {"percussion", "PercussionInstrument"},
    {"perc", "PercussionInstrument"},
    {"kick", "BassDrum(Kick)"},
    {"kick drum", "BassDrum(Kick)"},
    {"snare", "SnareDrum"},
    {"hi-hat", "HiHatCymbal"},
    {"claps", "HandClaps"},
    {"clapping", "HandClaps"},
    {"snaps", "FingerSnaps"},
    {"shakers", "Shaker"},
    {"conga", "Congas"},
    {"bongo", "Bongos"},
    {"vibes", "Vibraphone"},
    {"glock", "Glockenspiel"},
    {"breakbeats", "Breakbeat"},
    {"beatbox", "MouthPercussion"},
    {"beatboxing", "MouthPercussion"},
    // Winds and brass
    {"sax", "Saxophone"},
    {"saxes", "Saxophone"},
    {"tenor sax", "TenorSaxophone"},
    {"alto sax", "AltoSaxophone"},
    {"baritone sax", "BaritoneSaxophone"},
    {"bari sax", "BaritoneSaxophone"},
    {"soprano sax", "SopranoSaxophone"},
    {"horn", "FrenchHorn"},
    {"horns", "BrassInstrument"},
    {"brass", "BrassInstrument"},
    {"horn section", "BrassInstrument"},
    {"trumpets", "Trumpet"},
    {"flugel", "Flugelhorn"},
    {"woodwinds", "WindInstrument"},
    {"blues harp", "Harmonica"},
    // Strings
    {"violins", "Violin"},
    {"cellos", "Cello"},
    {"violoncello", "Cello"},
    {"strings", "StringSection"},
    {"string quartet", "StringSection"},
    // Voice and other
    {"vocals", "Voice"},
    {"vocal", "Voice"},
    {"vox", "Voice"},
    {"lead vocals", "LeadVocalist"},
    {"lead vocal", "LeadVocalist"},
    {"fx", "SoundEffects"},
    {"sfx", "SoundEffects"},
    {"other", "OtherInstrument"},
};

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

std::string_view trim_ascii(std::string_view s) {
  while (!s.empty() && is_space(s.front()))
    s.remove_prefix(1);
  while (!s.empty() && is_space(s.back()))
    s.remove_suffix(1);
  return s;
}

// "custom:Name" (prefix in any case): the trimmed name, possibly empty. Not a custom term: nullopt.
std::optional<std::string_view> custom_name(std::string_view text) {
  constexpr std::string_view prefix = "custom:";
  if (text.size() < prefix.size()) return std::nullopt;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    char c = text[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != prefix[i]) return std::nullopt;
  }
  return trim_ascii(text.substr(prefix.size()));
}

// Optimal string alignment distance (adjacent transpositions count as one edit), or limit + 1 when the
// distance is larger than `limit`. `rows` is scratch space, reused between calls.
std::size_t osa_distance(std::string_view a, std::string_view b, std::size_t limit,
                         std::vector<std::size_t>& rows) {
  const std::size_t n = a.size(), m = b.size();
  if ((n > m ? n - m : m - n) > limit) return limit + 1;
  rows.assign(3 * (m + 1), 0);
  std::size_t* prev2 = rows.data();
  std::size_t* prev = prev2 + (m + 1);
  std::size_t* cur = prev + (m + 1);
  for (std::size_t j = 0; j <= m; ++j)
    prev[j] = j;
  for (std::size_t i = 1; i <= n; ++i) {
    cur[0] = i;
    std::size_t row_min = cur[0];
    for (std::size_t j = 1; j <= m; ++j) {
      std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      std::size_t d = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d = std::min(d, prev2[j - 2] + 1);
      cur[j] = d;
      row_min = std::min(row_min, d);
    }
    if (row_min > limit) return limit + 1;
    std::size_t* old = prev2;
    prev2 = prev;
    prev = cur;
    cur = old;
  }
  return prev[m];
}

class Vocabulary {
public:
  Vocabulary(std::span<const std::string_view> canonical, std::span<const AliasRow> rows)
      : canonical_(canonical) {
    // The string_views below point into keys_, which is sized once and never reallocated.
    keys_.reserve(canonical.size() + rows.size());
    for (std::string_view c : canonical) {
      exact_.insert(c);
      keys_.push_back(normalize_term(c));
      by_key_.emplace(keys_.back(), c);
      candidates_.emplace_back(keys_.back(), c);
    }
    aliases_.reserve(rows.size());
    for (const AliasRow& row : rows) {
      keys_.push_back(normalize_term(row.written));
      aliases_.push_back(Alias{keys_.back(), row.canonical});
      alias_by_key_.emplace(keys_.back(), row.canonical);
      candidates_.emplace_back(keys_.back(), row.canonical);
    }
    for (const std::string& k : keys_)
      max_key_ = std::max(max_key_, k.size());
  }

  std::span<const std::string_view> canonical() const { return canonical_; }
  std::span<const Alias> aliases() const { return aliases_; }
  bool contains(std::string_view canonical) const { return exact_.contains(canonical); }

  TermLookup resolve(std::string_view text) const {
    TermLookup out;
    text = trim_ascii(text);
    if (std::optional<std::string_view> custom = custom_name(text)) {
      if (!custom->empty()) out.term = Term{std::string(*custom), true};
      return out; // "custom:" with nothing after it is not a term
    }
    if (exact_.contains(text)) { // verbatim canonical names always win (round trip of written sheets)
      out.term = Term{std::string(text), false};
      return out;
    }
    const std::string key = normalize_term(text);
    if (key.empty()) return out;
    if (auto it = alias_by_key_.find(key); it != alias_by_key_.end()) {
      out.term = Term{std::string(it->second), false};
      out.via_alias = true;
      return out;
    }
    if (auto it = by_key_.find(key); it != by_key_.end()) {
      out.term = Term{std::string(it->second), false};
      return out;
    }
    out.suggestions = suggest(key);
    return out;
  }

private:
  // Up to three canonical names near `query` (a normalised, unresolved key), best first. Scores are in
  // tenths of an edit: a typo within a third of the word costs 10 per edit; a key that starts with the
  // query costs 5 plus one per missing character; a key containing the query (or contained in it) costs
  // 15 plus one per extra character.
  std::vector<std::string> suggest(std::string_view query) const {
    constexpr std::size_t kNone = std::numeric_limits<std::size_t>::max();
    const std::size_t allowed = std::clamp<std::size_t>(query.size() / 3, 1, 4);
    std::unordered_map<std::string_view, std::size_t> best; // canonical -> score
    std::vector<std::size_t> rows;
    rows.reserve(3 * (max_key_ + 1));
    for (const auto& [key, target] : candidates_) {
      std::size_t score = kNone;
      std::size_t d = osa_distance(query, key, allowed, rows);
      // Two or more edits only count when the first letter is right (fewer far-fetched matches).
      if (d <= allowed && d < key.size() && (d < 2 || key.front() == query.front())) score = 10 * d;
      if (query.size() >= 3 && key.size() > query.size() && key.starts_with(query))
        score = std::min(score, 5 + (key.size() - query.size()));
      else if (query.size() >= 4 && key.size() > query.size() && key.find(query) != std::string_view::npos)
        score = std::min(score, 15 + (key.size() - query.size()));
      else if (key.size() >= 5 && query.size() > key.size() && query.find(key) != std::string_view::npos)
        score = std::min(score, 15 + (query.size() - key.size()));
      if (score == kNone) continue;
      auto [it, inserted] = best.emplace(target, score);
      if (!inserted) it->second = std::min(it->second, score);
    }
    std::vector<std::pair<std::size_t, std::string_view>> ranked;
    ranked.reserve(best.size());
    for (const auto& [target, score] : best)
      ranked.emplace_back(score, target);
    std::sort(ranked.begin(), ranked.end());
    std::vector<std::string> out;
    for (std::size_t i = 0; i < ranked.size() && i < 3; ++i)
      out.emplace_back(ranked[i].second);
    return out;
  }

  std::span<const std::string_view> canonical_;
  std::vector<std::string> keys_;
  std::vector<Alias> aliases_;
  std::unordered_set<std::string_view> exact_;
  std::unordered_map<std::string_view, std::string_view> by_key_;         // normalised canonical -> canonical
  std::unordered_map<std::string_view, std::string_view> alias_by_key_;   // normalised alias -> canonical
  std::vector<std::pair<std::string_view, std::string_view>> candidates_; // for suggestions
  std::size_t max_key_ = 0;
};

const Vocabulary& roles() {
  static const Vocabulary v(kContributorRoles, kRoleAliasRows);
  return v;
}

const Vocabulary& instruments() {
  static const Vocabulary v(kInstrumentTypes, kInstrumentAliasRows);
  return v;
}

} // namespace

std::string normalize_term(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    if (c >= 'A' && c <= 'Z')
      out.push_back(static_cast<char>(c - 'A' + 'a'));
    else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80)
      out.push_back(ch);
    else if (c == '&')
      out += "and";
  }
  return out;
}

std::string_view vocabulary_avs_version() {
  return kAvsVersionId;
}

TermLookup resolve_role(std::string_view text) {
  return roles().resolve(text);
}
TermLookup resolve_instrument(std::string_view text) {
  return instruments().resolve(text);
}

std::span<const std::string_view> contributor_roles() {
  return roles().canonical();
}
std::span<const std::string_view> instrument_types() {
  return instruments().canonical();
}
bool is_contributor_role(std::string_view canonical) {
  return roles().contains(canonical);
}
bool is_instrument_type(std::string_view canonical) {
  return instruments().contains(canonical);
}

std::span<const std::string_view> release_types() {
  return kReleaseTypes;
}
std::span<const std::string_view> parental_warning_types() {
  return kParentalWarningTypes;
}
std::span<const std::string_view> commercial_model_types() {
  return kCommercialModelTypes;
}
std::span<const std::string_view> use_types() {
  return kUseTypes;
}

std::span<const Alias> role_aliases() {
  return roles().aliases();
}
std::span<const Alias> instrument_aliases() {
  return instruments().aliases();
}

} // namespace liner::credits
