// The one mapping table (role -> ID3 frame / TIPL role / TXXX, Vorbis key, MP4 item, RIFF INFO field), the
// plan built from a sheet, and the concrete fields a plan becomes in each tag family.
#include "internal.hpp"

#include <algorithm>
#include <cstring>
#include <liner/credits/roles.hpp>
#include <liner/credits/splits.hpp>
#include <liner/credits/text.hpp>
#include <unordered_map>

namespace liner::tagging::detail {
namespace {

using K = Id3Kind;
#define FF "----:com.apple.iTunes:"

// Picard's conventions (docs/tag-mapping.md). Basic fields first, then credits.
constexpr Mapping kTable[] = {
    // key, credit, ddex, from, id3 kind, id3, vorbis, mp4, info
    {"title", false, "", {}, K::Text, "TIT2", "TITLE", "\xC2\xA9nam", "INAM"},
    {"artist",
     false,
     "",
     {},
     K::Text,
     "TPE1",
     "ARTIST",
     "\xC2\xA9"
     "ART",
     "IART"},
    {"artists", false, "", {}, K::Txxx, "ARTISTS", "ARTISTS", FF "ARTISTS", ""},
    {"album",
     false,
     "",
     {},
     K::Text,
     "TALB",
     "ALBUM",
     "\xC2\xA9"
     "alb",
     "IPRD"},
    {"albumartist", false, "", {}, K::Text, "TPE2", "ALBUMARTIST", "aART", ""},
    {"tracknumber", false, "", {}, K::Text, "TRCK", "TRACKNUMBER", "trkn", "ITRK"},
    {"totaltracks", false, "", {}, K::None, "", "TRACKTOTAL", "", ""},
    {"discnumber", false, "", {}, K::Text, "TPOS", "DISCNUMBER", "disk", ""},
    {"totaldiscs", false, "", {}, K::None, "", "DISCTOTAL", "", ""},
    {"date",
     false,
     "",
     {},
     K::Text,
     "TDRC",
     "DATE",
     "\xC2\xA9"
     "day",
     "ICRD"},
    {"genre", false, "", {}, K::Text, "TCON", "GENRE", "\xC2\xA9gen", "IGNR"},
    {"isrc", false, "", {}, K::Text, "TSRC", "ISRC", FF "ISRC", ""},
    {"label", false, "", {}, K::Text, "TPUB", "LABEL", FF "LABEL", ""},
    {"copyright", false, "", {}, K::Text, "TCOP", "COPYRIGHT", "cprt", "ICOP"},
    {"barcode", false, "", {}, K::Txxx, "BARCODE", "BARCODE", FF "BARCODE", ""},
    {"catalognumber", false, "", {}, K::Txxx, "CATALOGNUMBER", "CATALOGNUMBER", FF "CATALOGNUMBER", ""},
    {"iswc", false, "", {}, K::Txxx, "ISWC", "ISWC", FF "ISWC", ""},
    // Credits. `from`: the DDEX roles written into the row; `ddex`: what the row reads back as.
    {"composer",
     true,
     "Composer",
     {"Composer", "ComposerLyricist"},
     K::Text,
     "TCOM",
     "COMPOSER",
     "\xC2\xA9wrt",
     "IMUS"},
    {"lyricist",
     true,
     "Lyricist",
     {"Lyricist", "ComposerLyricist", "Librettist"},
     K::Text,
     "TEXT",
     "LYRICIST",
     FF "LYRICIST",
     ""},
    {"writer", true, "Author", {"Author"}, K::Txxx, "Writer", "WRITER", FF "WRITER", "IWRI"},
    {"arranger",
     true,
     "Arranger",
     {"Arranger", "MusicArranger"},
     K::Tipl,
     "arranger",
     "ARRANGER",
     FF "ARRANGER",
     ""},
    {"conductor", true, "Conductor", {"Conductor"}, K::Text, "TPE3", "CONDUCTOR", FF "CONDUCTOR", ""},
    {"producer",
     true,
     "Producer",
     {"Producer", "StudioProducer", "CoProducer"},
     K::Tipl,
     "producer",
     "PRODUCER",
     FF "PRODUCER",
     "IPRO"},
    {"engineer",
     true,
     "Engineer",
     {"Engineer", "RecordingEngineer", "BalanceEngineer"},
     K::Tipl,
     "engineer",
     "ENGINEER",
     FF "ENGINEER",
     "IENG"},
    {"mixer", true, "MixingEngineer", {"MixingEngineer", "Mixer"}, K::Tipl, "mix", "MIXER", FF "MIXER", ""},
    {"djmixer", true, "DJ", {"DJ"}, K::Tipl, "DJ-mix", "DJMIXER", FF "DJMIXER", ""},
    {"remixer", true, "Remixer", {"Remixer"}, K::Text, "TPE4", "REMIXER", FF "REMIXER", ""},
};

std::string upper(std::string_view s) {
  std::string o(s);
  for (char& c : o)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return o;
}

// "MasteringEngineer" -> {"Mastering", "Engineer"}; "DJ" stays one word; custom names split on spaces.
std::vector<std::string> words(std::string_view term) {
  std::vector<std::string> out;
  if (term.starts_with("custom:")) {
    term.remove_prefix(7);
    std::string cur;
    for (char c : term) {
      if (c == ' ' || c == '_' || c == '-') {
        if (!cur.empty()) out.push_back(cur);
        cur.clear();
      } else {
        cur += c;
      }
    }
    if (!cur.empty()) out.push_back(cur);
    return out;
  }
  std::string cur;
  for (std::size_t i = 0; i < term.size(); ++i) {
    char c = term[i];
    bool upper_c = c >= 'A' && c <= 'Z';
    bool prev_lower = i > 0 && term[i - 1] >= 'a' && term[i - 1] <= 'z';
    bool next_lower = i + 1 < term.size() && term[i + 1] >= 'a' && term[i + 1] <= 'z';
    bool prev_upper = i > 0 && term[i - 1] >= 'A' && term[i - 1] <= 'Z';
    if (upper_c && !cur.empty() && (prev_lower || (prev_upper && next_lower))) {
      out.push_back(cur);
      cur.clear();
    }
    cur += c;
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

std::string join(const std::vector<std::string>& v, std::string_view sep) {
  std::string o;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i) o += sep;
    o += v[i];
  }
  return o;
}

void add_unique(std::vector<std::string>& v, const std::string& s) {
  if (std::find(v.begin(), v.end(), s) == v.end()) v.push_back(s);
}

// Decodes one UTF-8 code point; returns false on invalid input.
bool next_cp(std::string_view s, std::size_t& i, char32_t& cp) {
  auto b = static_cast<unsigned char>(s[i]);
  int n = b < 0x80 ? 0 : (b >> 5) == 6 ? 1 : (b >> 4) == 14 ? 2 : (b >> 3) == 30 ? 3 : -1;
  if (n < 0) return false;
  cp = n == 0 ? b : (b & (0x3F >> n));
  for (int k = 1; k <= n; ++k) {
    if (i + static_cast<std::size_t>(k) >= s.size()) return false;
    cp = (cp << 6) | (static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]) & 0x3F);
  }
  i += static_cast<std::size_t>(n) + 1;
  return true;
}

constexpr char16_t kCp1252High[32] = {0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
                                      0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
                                      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
                                      0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

bool cp1252_char(char32_t cp) {
  if (cp < 0x80 || (cp >= 0xA0 && cp <= 0xFF)) return true;
  for (char16_t h : kCp1252High)
    if (h != 0 && h == cp) return true;
  return false;
}

std::string info_text(const std::string& name, const std::string& latin) {
  if (cp1252_representable(name) || latin.empty()) return name;
  return latin;
}

} // namespace

std::span<const Mapping> mapping_table() {
  return kTable;
}

const Mapping* mapping_for_key(std::string_view key) {
  for (const auto& m : kTable)
    if (m.key == key) return &m;
  return nullptr;
}

const Mapping* row_for_role(std::string_view role) {
  for (const auto& m : kTable)
    if (m.credit && std::find(m.from.begin(), m.from.end(), role) != m.from.end()) return &m;
  return nullptr;
}

std::string fallback_name(std::string_view role, bool vorbis) {
  return upper(join(words(role), vorbis ? "" : " "));
}

std::optional<std::string> role_for_custom_name(std::string_view name) {
  // Folded names (no spaces, '_' or '-', lower case) -> role: the table's rows first (PRODUCER, MIXER,
  // DJMIXER, Writer...), then every DDEX role. Built once.
  static const std::unordered_map<std::string, std::string> kNames = [] {
    std::unordered_map<std::string, std::string> m;
    for (const auto& row : kTable) {
      if (!row.credit) continue;
      m.emplace(credits::lower(row.vorbis), std::string(row.ddex));
      m.emplace(credits::lower(row.id3), std::string(row.ddex));
    }
    for (std::string_view r : credits::contributor_roles())
      m.emplace(credits::lower(r), std::string(r));
    return m;
  }();
  std::string folded;
  for (char c : name)
    if (c != ' ' && c != '_' && c != '-') folded += c;
  auto it = kNames.find(credits::lower(folded));
  if (it == kNames.end()) return std::nullopt;
  return it->second;
}

std::string instrument_words(std::string_view instrument) {
  return credits::lower(join(words(instrument), " "));
}

std::string_view performer_word(std::string_view role) {
  if (role == "Vocalist") return "vocals";
  return {};
}

bool cp1252_representable(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    char32_t cp = 0;
    if (!next_cp(s, i, cp) || !cp1252_char(cp)) return false;
  }
  return true;
}

FieldMap concrete_fields(const TagPlan& plan, Family family, bool info, bool id3v23) {
  FieldMap out;
  auto put = [&](const std::string& key, const std::vector<std::string>& values) {
    if (values.empty()) return;
    auto& v = out[key];
    for (const auto& x : values)
      add_unique(v, x);
  };
  auto mp4_key = [](const Mapping& m) { return std::string(m.mp4); };
  auto id3_key = [](const Mapping& m) {
    return m.id3_kind == Id3Kind::Txxx ? "TXXX:" + std::string(m.id3) : std::string(m.id3);
  };
  static const std::vector<std::string> kNone;
  auto field = [&](std::string_view key) -> const std::vector<std::string>& {
    auto it = plan.fields.find(std::string(key));
    return it == plan.fields.end() ? kNone : it->second;
  };
  auto first = [&](std::string_view key) {
    const auto& v = field(key);
    return v.empty() ? std::string() : v.front();
  };

  // Basic fields.
  for (const auto& m : kTable) {
    if (m.credit) continue;
    const auto& values = field(m.key);
    if (values.empty()) continue;
    std::string k(m.key);
    if (family == Family::Vorbis) {
      put(std::string(m.vorbis), values);
    } else if (family == Family::Mp4) {
      if (k == "tracknumber" || k == "discnumber") {
        std::string total = first(k == "tracknumber" ? "totaltracks" : "totaldiscs");
        put(std::string(m.mp4), {values.front() + "/" + (total.empty() ? "0" : total)});
      } else if (!m.mp4.empty()) {
        put(mp4_key(m), values);
      }
    } else if (m.id3_kind != Id3Kind::None) {
      if (k == "tracknumber" || k == "discnumber") {
        std::string total = first(k == "tracknumber" ? "totaltracks" : "totaldiscs");
        put(id3_key(m), {values.front() + (total.empty() ? "" : "/" + total)});
      } else if (k == "date" && id3v23) {
        put(id3_key(m), {values.front().substr(0, 4)});
      } else {
        put(id3_key(m), id3v23 ? std::vector<std::string>{join(values, "/")} : values);
      }
    }
  }

  // Credits: role fields, TIPL pairs, performers, fallbacks.
  std::map<const Mapping*, std::vector<std::string>> by_row;
  std::vector<std::string> tipl, tmcl, performers;
  std::map<std::string, std::vector<std::string>> fallback; // role -> names
  std::vector<std::string> fallback_order;
  for (const auto& c : plan.credits) {
    for (const auto& role : c.roles) {
      if (auto w = performer_word(role); !w.empty()) {
        tmcl.push_back(std::string(w));
        tmcl.push_back(c.name);
        performers.push_back(c.name + " (" + std::string(w) + ")");
        continue;
      }
      // ComposerLyricist goes to two rows.
      bool any = false;
      for (const auto& m : kTable) {
        if (!m.credit || std::find(m.from.begin(), m.from.end(), role) == m.from.end()) continue;
        any = true;
        auto& names = by_row[&m];
        if (std::find(names.begin(), names.end(), c.name) != names.end()) continue;
        names.push_back(c.name);
        if (m.id3_kind == Id3Kind::Tipl) {
          tipl.push_back(std::string(m.id3));
          tipl.push_back(c.name);
        }
      }
      if (!any) {
        if (!fallback.count(role)) fallback_order.push_back(role);
        add_unique(fallback[role], c.name);
      }
    }
    for (const auto& ins : c.instruments) {
      std::string w = instrument_words(ins);
      tmcl.push_back(w);
      tmcl.push_back(c.name);
      performers.push_back(c.name + " (" + w + ")");
    }
  }
  for (const auto& [m, names] : by_row) {
    if (family == Family::Vorbis) {
      put(std::string(m->vorbis), names);
    } else if (family == Family::Mp4) {
      put(mp4_key(*m), names);
    } else if (m->id3_kind == Id3Kind::Tipl) {
      // Mirror of the TIPL pairs, for readers that show only TIPL's first string (ffprobe, MediaInfo).
      // One value: those readers also show only the first value of a multi-valued frame.
      put("TXXX:" + std::string(m->vorbis), {join(names, "; ")});
    } else {
      put(id3_key(*m), id3v23 ? std::vector<std::string>{join(names, "/")} : names);
    }
  }
  for (const auto& role : fallback_order) {
    const auto& names = fallback[role];
    if (family == Family::Vorbis)
      put(fallback_name(role, true), names);
    else if (family == Family::Mp4)
      put(std::string(kMp4Freeform) + fallback_name(role, false), names);
    else
      put("TXXX:" + fallback_name(role, false), {join(names, "; ")});
  }
  if (family == Family::Vorbis) {
    put("PERFORMER", performers);
    put(std::string(kDocumentField), {plan.document});
  } else if (family == Family::Mp4) {
    put(std::string(kMp4Freeform) + "PERFORMER", performers);
    put(std::string(kMp4Freeform) + std::string(kDocumentField), {plan.document});
  } else {
    if (id3v23) {
      std::vector<std::string> ipls = tipl;
      ipls.insert(ipls.end(), tmcl.begin(), tmcl.end());
      if (!ipls.empty()) out["IPLS"] = ipls;
    } else {
      if (!tipl.empty()) out["TIPL"] = tipl;
      if (!tmcl.empty()) out["TMCL"] = tmcl;
    }
    if (!performers.empty()) put("TXXX:PERFORMER", {join(performers, "; ")});
    put("TXXX:" + std::string(kDocumentField), {plan.document});
    out["#id3v2"] = {id3v23 ? "2.3" : "2.4"};
  }

  if (info) {
    // RIFF INFO: one string per field; names that CP1252 cannot hold fall back to their latin form.
    std::map<std::string, std::string> latin;
    for (const auto& c : plan.credits)
      latin[c.name] = c.latin_name;
    auto names_text = [&](const std::vector<std::string>& names) {
      std::vector<std::string> t;
      for (const auto& n : names)
        t.push_back(info_text(n, latin[n]));
      return join(t, "; ");
    };
    for (const auto& m : kTable) {
      if (m.info.empty()) continue;
      std::string key = "INFO:" + std::string(m.info);
      if (m.credit) {
        auto it = by_row.find(&m);
        if (it != by_row.end()) out[key] = {names_text(it->second)};
      } else if (auto v = field(m.key); !v.empty()) {
        std::string text = join(v, "; ");
        if (m.key == "artist") text = first("artist_latin").empty() ? text : first("artist_latin");
        if (m.key == "copyright" && text.starts_with("\xE2\x84\x97")) text = "(P)" + text.substr(3);
        out[key] = {text};
      }
    }
    // ICMT: a readable credit list, for readers that show only INFO (Explorer, ffprobe).
    std::vector<std::string> lines;
    for (const auto& c : plan.credits) {
      std::vector<std::string> what;
      for (const auto& r : c.roles)
        what.push_back(join(words(r), " "));
      for (const auto& i : c.instruments)
        what.push_back(instrument_words(i));
      lines.push_back(info_text(c.name, c.latin_name) + " (" + join(what, ", ") + ")");
    }
    if (auto isrc = first("isrc"); !isrc.empty()) lines.push_back("ISRC " + isrc);
    if (!lines.empty()) out["INFO:ICMT"] = {std::string(kCreditsComment) + join(lines, "; ")};
  }
  return out;
}

namespace {
std::set<std::string> make_managed_keys(Family family, bool info) {
  std::set<std::string> keys;
  for (const auto& m : kTable) {
    if (family == Family::Vorbis) {
      keys.insert(std::string(m.vorbis));
    } else if (family == Family::Mp4) {
      if (m.mp4.empty()) continue;
      keys.insert(std::string(m.mp4));
    } else {
      if (m.id3_kind == Id3Kind::Txxx)
        keys.insert("TXXX:" + std::string(m.id3));
      else if (m.id3_kind == Id3Kind::Text)
        keys.insert(std::string(m.id3));
      else if (m.id3_kind == Id3Kind::Tipl)
        keys.insert("TXXX:" + std::string(m.vorbis));
    }
    if (info && !m.info.empty()) keys.insert("INFO:" + std::string(m.info));
  }
  if (family == Family::Vorbis) {
    keys.insert("PERFORMER");
    keys.insert(std::string(kDocumentField));
  } else if (family == Family::Mp4) {
    keys.insert(std::string(kMp4Freeform) + "PERFORMER");
    keys.insert(std::string(kMp4Freeform) + std::string(kDocumentField));
  } else {
    for (const char* k : {"TIPL", "TMCL", "IPLS", "#id3v2"})
      keys.insert(k);
    keys.insert("TXXX:PERFORMER");
    keys.insert("TXXX:" + std::string(kDocumentField));
  }
  return keys;
}
} // namespace

const std::set<std::string>& managed_keys(Family family, bool info) {
  // Made once per family (the table does not change); the vorbis/mp4/id3 x info combinations.
  static const std::set<std::string> kKeys[3][2] = {
      {make_managed_keys(Family::Id3, false), make_managed_keys(Family::Id3, true)},
      {make_managed_keys(Family::Vorbis, false), make_managed_keys(Family::Vorbis, true)},
      {make_managed_keys(Family::Mp4, false), make_managed_keys(Family::Mp4, true)}};
  return kKeys[static_cast<int>(family)][info ? 1 : 0];
}

} // namespace liner::tagging::detail

namespace liner::tagging {

using namespace detail;

namespace {

// Compact JSON as nlohmann::json::dump() writes it (ensure_ascii off): the caller gives keys in sorted order.
class JsonWriter {
public:
  JsonWriter() { s_.reserve(2048); }
  JsonWriter& open(char c) {
    comma();
    s_ += c;
    first_ = true;
    return *this;
  }
  JsonWriter& close(char c) {
    s_ += c;
    first_ = false;
    return *this;
  }
  // k: a literal that needs no escaping.
  JsonWriter& key(std::string_view k) {
    comma();
    s_ += '"';
    s_.append(k);
    s_.append("\":", 2);
    first_ = true; // the value that follows takes no comma
    return *this;
  }
  JsonWriter& string(std::string_view v) {
    comma();
    quoted(v);
    return *this;
  }
  JsonWriter& strings(const std::vector<std::string>& v) {
    open('[');
    for (const auto& x : v)
      string(x);
    return close(']');
  }
  JsonWriter& number(long long n) {
    comma();
    s_ += std::to_string(n);
    return *this;
  }
  std::string take() { return std::move(s_); }

private:
  void comma() {
    if (!first_) s_ += ',';
    first_ = false;
  }
  void quoted(std::string_view v) {
    static constexpr char kHex[] = "0123456789abcdef";
    s_ += '"';
    std::size_t run = 0; // start of the characters not yet appended (they need no escape)
    for (std::size_t i = 0; i < v.size(); ++i) {
      // Eight bytes at a time while none is a control character, '"' or '\\' (the usual case).
      while (i + 8 <= v.size() && clean(v.data() + i))
        i += 8;
      if (i == v.size()) break;
      const auto c = static_cast<unsigned char>(v[i]);
      if (c >= 0x20 && c != '"' && c != '\\') continue;
      s_.append(v.data() + run, i - run);
      run = i + 1;
      switch (c) {
      case '"':
        s_ += "\\\"";
        break;
      case '\\':
        s_ += "\\\\";
        break;
      case '\b':
        s_ += "\\b";
        break;
      case '\f':
        s_ += "\\f";
        break;
      case '\n':
        s_ += "\\n";
        break;
      case '\r':
        s_ += "\\r";
        break;
      case '\t':
        s_ += "\\t";
        break;
      default:
        s_ += "\\u00";
        s_ += kHex[c >> 4];
        s_ += kHex[c & 15];
      }
    }
    s_.append(v.data() + run, v.size() - run);
    s_ += '"';
  }
  // No byte below 0x20, no '"' and no '\\' among the 8 at p (the "has less than" and "has zero byte"
  // word tests: exact as to whether any byte matches).
  static bool clean(const char* p) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    constexpr std::uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;
    const std::uint64_t quote = w ^ (kOnes * '"'), backslash = w ^ (kOnes * '\\');
    const std::uint64_t hits =
        ((w - kOnes * 0x20) & ~w) | ((quote - kOnes) & ~quote) | ((backslash - kOnes) & ~backslash);
    return (hits & kHigh) == 0;
  }
  std::string s_;
  bool first_ = true;
};

void write_parties(JsonWriter& doc, const credits::Sheet& sheet, const std::vector<std::string>& ids) {
  doc.open('[');
  for (const auto& id : ids) {
    const credits::Party* p = sheet.party(id);
    doc.open('{');
    if (p && !p->ipi.empty()) doc.key("ipi").string(p->ipi);
    if (p && !p->isni.empty()) doc.key("isni").string(p->isni);
    if (p && !p->latin_name.empty()) doc.key("latin_name").string(p->latin_name);
    doc.key("name").string(p ? p->name : id);
    doc.key("party").string(id);
    doc.close('}');
  }
  doc.close(']');
}

} // namespace

TagPlan plan_tags(const credits::Sheet& sheet, const credits::Track& track, const PlanOptions& options) {
  TagPlan plan;
  auto name_of = [&](const std::string& id) {
    const credits::Party* p = sheet.party(id);
    return p ? p->name : id;
  };
  auto set = [&](const char* key, std::vector<std::string> v) {
    v.erase(std::remove(v.begin(), v.end(), std::string()), v.end());
    if (!v.empty()) plan.fields[key] = std::move(v);
  };
  const auto& rel = sheet.release;
  std::vector<std::string> artists, featured, latin_artists;
  for (const auto& id : sheet.display_artists(track)) {
    artists.push_back(name_of(id));
    const credits::Party* p = sheet.party(id);
    latin_artists.push_back(p && !p->latin_name.empty() ? p->latin_name : name_of(id));
  }
  for (const auto& id : track.featured)
    featured.push_back(name_of(id));
  std::vector<std::string> latin_featured;
  for (const auto& id : track.featured) {
    const credits::Party* p = sheet.party(id);
    latin_featured.push_back(p && !p->latin_name.empty() ? p->latin_name : name_of(id));
  }
  auto display = [](const std::vector<std::string>& a, const std::vector<std::string>& f) {
    std::string s;
    for (std::size_t i = 0; i < a.size(); ++i)
      s += (i ? (i + 1 == a.size() ? " & " : ", ") : "") + a[i];
    if (!f.empty()) {
      s += " feat. ";
      for (std::size_t i = 0; i < f.size(); ++i)
        s += (i ? (i + 1 == f.size() ? " & " : ", ") : "") + f[i];
    }
    return s;
  };
  std::string title = track.title;
  if (!track.version.empty()) title += " (" + track.version + ")";
  set("title", {title});
  set("artist", {display(artists, featured)});
  if (display(latin_artists, latin_featured) != display(artists, featured))
    set("artist_latin", {display(latin_artists, latin_featured)});
  std::vector<std::string> all_artists = artists;
  all_artists.insert(all_artists.end(), featured.begin(), featured.end());
  if (all_artists.size() > 1) set("artists", all_artists);
  set("album", {rel.title});
  std::vector<std::string> album_artists;
  for (const auto& id : rel.artists)
    album_artists.push_back(name_of(id));
  set("albumartist", {display(album_artists, {})});
  int total_tracks = 0, total_discs = 1;
  for (const auto& t : sheet.tracks) {
    if (t.disc == track.disc) ++total_tracks;
    total_discs = std::max(total_discs, t.disc);
  }
  if (track.number > 0) set("tracknumber", {std::to_string(track.number)});
  if (total_tracks > 0) set("totaltracks", {std::to_string(total_tracks)});
  set("discnumber", {std::to_string(track.disc)});
  set("totaldiscs", {std::to_string(total_discs)});
  set("date", {rel.release_date});
  set("genre", {rel.genre});
  set("isrc", {track.isrc});
  set("iswc", {track.iswc});
  if (!rel.label.empty()) set("label", {name_of(rel.label)});
  if (rel.p_line)
    set("copyright", {"\xE2\x84\x97 " + std::to_string(rel.p_line->year) + " " + rel.p_line->owner});
  set("barcode", {rel.upc});
  set("catalognumber", {rel.catalog_number});

  // Credits (release-level ones merged in), and the structured document. The document is written
  // directly, keys in sorted order: the same bytes as nlohmann::json's dump() of the same object (a test
  // checks it), without building a tree per track.
  JsonWriter doc;
  doc.open('{');
  doc.key("artists");
  write_parties(doc, sheet, sheet.display_artists(track));
  doc.key("credits");
  doc.open('[');
  for (const auto& c : sheet.effective_credits(track)) {
    const credits::Party* p = sheet.party(c.party);
    PlanCredit pc;
    pc.name = p ? p->name : c.party;
    pc.latin_name = p ? p->latin_name : "";
    for (const auto& r : c.roles)
      pc.roles.push_back(r.str());
    for (const auto& i : c.instruments)
      pc.instruments.push_back(i.str());
    doc.open('{');
    if (!pc.instruments.empty()) doc.key("instruments").strings(pc.instruments);
    if (p && !p->ipi.empty()) doc.key("ipi").string(p->ipi);
    if (p && !p->ipn.empty()) doc.key("ipn").string(p->ipn);
    if (p && !p->isni.empty()) doc.key("isni").string(p->isni);
    if (p) doc.key("kind").string(credits::to_string(p->kind));
    if (p && !p->latin_name.empty()) doc.key("latin_name").string(p->latin_name);
    doc.key("name").string(pc.name);
    doc.key("party").string(c.party);
    doc.key("roles").strings(pc.roles);
    if (c.tier != credits::Tier::Unspecified) doc.key("tier").string(credits::to_string(c.tier));
    doc.close('}');
    plan.credits.push_back(std::move(pc));
  }
  doc.close(']');
  if (!track.featured.empty()) {
    doc.key("featured");
    write_parties(doc, sheet, track.featured);
  }
  doc.key("liner").string("credits");
  doc.key("release").open('{');
  if (!rel.label.empty()) doc.key("label").string(name_of(rel.label));
  doc.key("title").string(rel.title);
  if (!rel.upc.empty()) doc.key("upc").string(rel.upc);
  doc.close('}');
  if (options.with_splits) {
    auto shares = [&](const std::vector<credits::Share>& v) {
      doc.open('[');
      for (const auto& sh : v) {
        doc.open('{');
        if (sh.capacity != credits::Capacity::Unspecified)
          doc.key("capacity").string(credits::to_string(sh.capacity));
        doc.key("name").string(name_of(sh.party));
        doc.key("party").string(sh.party);
        doc.key("percent").string(sh.percent.str());
        doc.close('}');
      }
      doc.close(']');
    };
    // The agreed master split: share agreements applied (as DDEX RightSharePercentage carries it).
    std::vector<credits::Share> master = track.master;
    if (&track >= sheet.tracks.data() && &track < sheet.tracks.data() + sheet.tracks.size())
      master =
          credits::effective_master_shares(sheet, static_cast<std::size_t>(&track - sheet.tracks.data()));
    doc.key("splits").open('{');
    doc.key("master");
    shares(master);
    doc.key("publishing");
    shares(track.publishing);
    doc.close('}');
  }
  doc.key("track").open('{');
  doc.key("disc").number(track.disc);
  if (!track.isrc.empty()) doc.key("isrc").string(track.isrc);
  if (!track.iswc.empty()) doc.key("iswc").string(track.iswc);
  doc.key("number").number(track.number);
  doc.key("title").string(track.title);
  if (!track.version.empty()) doc.key("version").string(track.version);
  doc.close('}');
  doc.key("version").number(kDocumentVersion);
  doc.close('}');
  plan.document = doc.take();
  return plan;
}

} // namespace liner::tagging
