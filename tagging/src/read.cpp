// Reading credits back: liner's structured field first, then every Picard-style convention (TIPL, IPLS,
// TMCL, TXXX, PERFORMER=Name (instrument), MP4 freeform items, RIFF INFO), normalised to DDEX roles.
#include "internal.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <liner/credits/error.hpp>
#include <liner/credits/roles.hpp>
#include <liner/credits/text.hpp>
#include <map>
#include <nlohmann/json.hpp>
#include <unistd.h>

namespace liner::tagging {
namespace {

using namespace detail;
namespace fs = std::filesystem;

std::string resolve_instrument_text(const std::string& text) {
  auto r = credits::resolve_instrument(text);
  return r.term ? r.term->str() : text;
}

// "Name (instrument)" -> name, instrument. No parenthesis: instrument empty.
std::pair<std::string, std::string> split_performer(const std::string& s) {
  auto open = s.rfind(" (");
  if (open == std::string::npos || s.empty() || s.back() != ')') return {s, ""};
  return {s.substr(0, open), s.substr(open + 2, s.size() - open - 3)};
}

bool is_vocals(const std::string& instrument) {
  std::string l = credits::lower(instrument);
  return l == "vocals" || l == "vocal" || l == "voice" || l == "lead vocals" || l == "vocalist";
}

// A performer credit from an instrument word and a name.
ReadCredit performer(const std::string& name, const std::string& instrument, std::string source) {
  if (is_vocals(instrument)) return {name, "Vocalist", "", std::move(source), {}};
  return {name, "Musician", resolve_instrument_text(instrument), std::move(source), {}};
}

std::vector<std::string> split(const std::string& s, std::string_view sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    auto p = s.find(sep, start);
    std::string part(credits::trim(s.substr(start, p == std::string::npos ? std::string::npos : p - start)));
    if (!part.empty()) out.push_back(part);
    if (p == std::string::npos) break;
    start = p + sep.size();
  }
  return out;
}

// A role word found in TIPL/IPLS ("producer", "mix", "mastering engineer"): the DDEX role, or nullopt when
// it is not a role (then an IPLS pair is a performer: instrument, name).
std::optional<std::string> involvement_role(const std::string& word) {
  for (const auto& m : mapping_table())
    if (m.credit && m.id3_kind == Id3Kind::Tipl && credits::lower(m.id3) == credits::lower(word))
      return std::string(m.ddex);
  if (auto r = role_for_custom_name(word)) return r;
  auto r = credits::resolve_role(word);
  if (r.term && !credits::resolve_instrument(word).term) return r.term->str();
  return std::nullopt;
}

// Names of basic (non-credit) fields per family, which are never read as credits.
bool basic_key(const std::string& name) {
  for (const auto& m : mapping_table()) {
    if (m.credit) continue;
    if (credits::lower(m.vorbis) == credits::lower(name) || credits::lower(m.id3) == credits::lower(name))
      return true;
  }
  static const char* kOther[] = {"ENCODER",      "COMMENT",  "DESCRIPTION", "ARTISTSORT", "ALBUMARTISTSORT",
                                 "ORGANIZATION", "LANGUAGE", "MOOD",        "BPM",        "KEY",
                                 "SCRIPT",       "MEDIA",    "RELEASETYPE"};
  for (const char* k : kOther)
    if (credits::lower(k) == credits::lower(name)) return true;
  return false;
}

std::string same_row_key(const std::string& role) {
  if (const Mapping* m = row_for_role(role)) return std::string(m->key);
  return role;
}

// Latin-script forms of names (from the structured field): RIFF INFO holds "Aya Mori" for "森 彩".
thread_local std::map<std::string, std::string> t_latin;

void merge(std::vector<ReadCredit>& out, ReadCredit c) {
  std::string name = credits::fold_name(c.name);
  if (auto it = t_latin.find(name); it != t_latin.end()) name = it->second;
  for (auto& e : out) {
    if (credits::fold_name(e.name) != name) continue;
    bool same = !c.instrument.empty()
                    ? e.instrument == c.instrument
                    : e.instrument.empty() &&
                          (e.role == c.role || same_row_key(e.role) == same_row_key(c.role) ||
                           // ComposerLyricist covers composer and lyricist
                           (e.role == "ComposerLyricist" && (c.role == "Composer" || c.role == "Lyricist")));
    if (!same) continue;
    if (e.source != c.source && std::find(e.also_in.begin(), e.also_in.end(), c.source) == e.also_in.end())
      e.also_in.push_back(c.source);
    return;
  }
  out.push_back(std::move(c));
}

void credits_from_document(const std::string& text, const std::string& source, ReadResult& r) {
  nlohmann::json doc = nlohmann::json::parse(text, nullptr, false);
  Location loc{r.path, 0, 0, {}};
  if (doc.is_discarded() || !doc.is_object() || doc.value("liner", "") != "credits") {
    r.diagnostics.warning("bad-credits-field", "the " + source + " field is not a liner credits document",
                          loc);
    return;
  }
  if (doc.value("version", 0) > kDocumentVersion)
    r.diagnostics.warning("newer-credits-field",
                          "the " + source + " field was written by a newer liner (version " +
                              std::to_string(doc.value("version", 0)) + "); reading what this version knows",
                          loc);
  r.document = text;
  if (!doc.contains("credits") || !doc["credits"].is_array()) return;
  for (const auto& c : doc["credits"]) {
    if (!c.is_object()) continue;
    std::string name = c.value("name", "");
    if (c.contains("latin_name") && c["latin_name"].is_string())
      t_latin[credits::fold_name(c["latin_name"].get<std::string>())] = credits::fold_name(name);
    if (c.contains("roles") && c["roles"].is_array())
      for (const auto& role : c["roles"])
        if (role.is_string()) merge(r.credits, {name, role.get<std::string>(), "", source, {}});
    if (c.contains("instruments") && c["instruments"].is_array())
      for (const auto& ins : c["instruments"])
        if (ins.is_string()) merge(r.credits, {name, "Musician", ins.get<std::string>(), source, {}});
  }
}

void basic_fields(const FieldMap& raw, Family family, bool id3v23, ReadResult& r) {
  for (const auto& m : mapping_table()) {
    if (m.credit) continue;
    std::string key = family == Family::Vorbis      ? std::string(m.vorbis)
                      : family == Family::Mp4       ? std::string(m.mp4)
                      : m.id3_kind == Id3Kind::Txxx ? "TXXX:" + std::string(m.id3)
                                                    : std::string(m.id3);
    if (key.empty()) continue;
    auto it = raw.find(key);
    if (it == raw.end() && !m.info.empty()) it = raw.find("INFO:" + std::string(m.info));
    if (it == raw.end() || it->second.empty()) continue;
    std::vector<std::string> v = it->second;
    if ((m.key == "tracknumber" || m.key == "discnumber") && v.front().find('/') != std::string::npos) {
      std::string s = v.front();
      auto slash = s.find('/');
      v = {s.substr(0, slash)};
      std::string total = s.substr(slash + 1);
      if (!total.empty() && total != "0")
        r.fields[m.key == "tracknumber" ? "totaltracks" : "totaldiscs"] = {total};
    }
    if (id3v23 && family == Family::Id3 && (m.key == "artist" || m.key == "artists") && v.size() == 1)
      v = split(v.front(), "/");
    r.fields[std::string(m.key)] = v;
  }
}

void conventional_credits(const FieldMap& raw, Family family, bool id3v23, ReadResult& r) {
  auto names = [&](const std::vector<std::string>& v, bool slash) {
    std::vector<std::string> out;
    for (const auto& s : v)
      for (const auto& part : split(s, "; "))
        for (const auto& n : slash ? split(part, "/") : std::vector<std::string>{part})
          out.push_back(n);
    return out;
  };
  for (const auto& [key, values] : raw) {
    if (key.starts_with("#")) continue;
    if (family == Family::Id3 && (key == "TIPL" || key == "TMCL" || key == "IPLS")) {
      for (std::size_t i = 0; i + 1 < values.size(); i += 2) {
        const std::string& word = values[i];
        std::string source = key + ":" + word;
        if (key == "TMCL") {
          merge(r.credits, performer(values[i + 1], word, source));
          continue;
        }
        if (auto role = involvement_role(word))
          merge(r.credits, {values[i + 1], *role, "", source, {}});
        else if (key == "IPLS")
          merge(r.credits, performer(values[i + 1], word, source));
        else
          merge(r.credits, {values[i + 1], "custom:" + word, "", source, {}});
      }
      continue;
    }
    if (key.starts_with("INFO:")) {
      std::string id = key.substr(5);
      for (const auto& m : mapping_table())
        if (m.credit && m.info == id)
          for (const auto& v : values)
            for (const auto& n : split(v, "; "))
              merge(r.credits, {n, std::string(m.ddex), "", key, {}});
      continue;
    }
    // The field's name as a role: a credit row's key, or a DDEX role written in capitals.
    std::string name;
    bool slash = false;
    if (family == Family::Id3) {
      if (key.starts_with("TXXX:")) {
        name = key.substr(5);
      } else {
        for (const auto& m : mapping_table())
          if (m.credit && m.id3_kind == Id3Kind::Text && m.id3 == key) name = m.vorbis;
        slash = id3v23;
        if (name.empty()) continue;
      }
    } else if (family == Family::Mp4) {
      if (key.starts_with(kMp4Freeform))
        name = key.substr(kMp4Freeform.size());
      else if (key == "\xC2\xA9wrt")
        name = "COMPOSER";
      else
        continue;
    } else {
      name = key;
    }
    if (credits::lower(name) == credits::lower(kDocumentField)) continue;
    if (credits::lower(name) == "performer") {
      for (const auto& v : names(values, slash)) {
        auto [n, ins] = split_performer(v);
        if (!ins.empty()) merge(r.credits, performer(n, ins, key));
      }
      continue;
    }
    if (basic_key(name)) continue;
    auto role = role_for_custom_name(name);
    if (!role) continue;
    for (const auto& n : names(values, slash))
      merge(r.credits, {n, *role, "", key, {}});
  }
}

} // namespace

ReadResult read_credits(const std::string& path) {
  ReadResult r;
  r.path = path;
  Location loc{path, 0, 0, {}};
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw Error(path, std::string("cannot open: ") + std::strerror(errno));
  const FormatRow* row = nullptr;
  try {
    MappedFile map(fd);
    Bytes bytes(map.data(), map.size());
    row = sniff_file(bytes, path);
    if (row) {
      Payload p = row->scan(bytes, true);
      if (!p.problem.empty()) {
        if (p.problem_code == "rf64-unsupported") {
          r.format = row->format;
          r.diagnostics.error(p.problem_code, p.problem, loc);
          ::close(fd);
          return r;
        }
        r.diagnostics.warning(p.problem_code, p.problem, loc);
      }
    }
  } catch (...) {
    ::close(fd);
    throw;
  }
  ::close(fd);
  if (!row) {
    r.diagnostics.error("not-audio",
                        "not an audio file liner can read (FLAC, MP3, WAV, AIFF, MP4, Ogg, Opus)", loc);
    return r;
  }
  r.format = row->format;
  auto h = row->make();
  if (!h->open(path)) {
    r.diagnostics.error("unreadable-tags", "TagLib cannot parse this " + std::string(row->name) + " file",
                        loc);
    return r;
  }
  t_latin.clear();
  r.raw = h->read();
  r.tag_version = h->tag_version();
  bool id3v23 = r.raw.count("#id3v2") && r.raw["#id3v2"].front() == "2.3";
  basic_fields(r.raw, row->family, id3v23, r);
  std::string doc_key = row->family == Family::Vorbis ? std::string(kDocumentField)
                        : row->family == Family::Mp4 ? std::string(kMp4Freeform) + std::string(kDocumentField)
                                                     : "TXXX:" + std::string(kDocumentField);
  if (auto it = r.raw.find(doc_key); it != r.raw.end() && !it->second.empty())
    credits_from_document(it->second.front(), doc_key, r);
  conventional_credits(r.raw, row->family, id3v23, r);
  return r;
}

} // namespace liner::tagging
