// Observations from tagged audio files, through liner::tagging's reader.
#include <algorithm>
#include <filesystem>
#include <fmt/format.h>
#include <liner/credits/error.hpp>
#include <liner/verify/verify.hpp>
#include <set>

#ifdef LINER_VERIFY_HAVE_TAGGING
#include <liner/tagging/tagging.hpp>
#endif

namespace fs = std::filesystem;

namespace liner::verify {

std::vector<std::string> audio_files_in(const std::string& dir) {
  static const std::set<std::string> exts = {".flac", ".mp3",  ".wav",  ".wave", ".bwf",
                                             ".aif",  ".aiff", ".aifc", ".m4a",  ".mp4",
                                             ".aac",  ".alac", ".ogg",  ".oga",  ".opus"};
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw Error(dir, "not a folder");
  std::vector<std::string> out;
  for (fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end;
       !ec && it != end; it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    std::string name = it->path().filename().string();
    if (name.empty() || name[0] == '.') continue; // temporaries, hidden files
    std::string ext = it->path().extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (exts.count(ext)) out.push_back(it->path().string());
  }
  if (ec) throw Error(dir, ec.message());
  std::sort(out.begin(), out.end());
  return out;
}

#ifdef LINER_VERIFY_HAVE_TAGGING

bool have_tagging() {
  return true;
}

namespace {

std::optional<std::vector<ObservedShare>> doc_shares(const nlohmann::json& doc, const char* kind,
                                                     const std::string& path, const std::string& field) {
  if (!doc.is_object() || !doc.contains("splits") || !doc["splits"].is_object()) return std::nullopt;
  const auto& s = doc["splits"];
  if (!s.contains(kind) || !s[kind].is_array()) return std::nullopt;
  std::vector<ObservedShare> out;
  std::size_t i = 0;
  for (const auto& j : s[kind]) {
    ++i;
    if (!j.is_object()) continue;
    ObservedShare sh;
    sh.name = j.value("name", std::string());
    std::string pct =
        j.contains("percent") && j["percent"].is_string() ? j["percent"].get<std::string>() : "";
    auto d = Decimal::parse(pct);
    if (sh.name.empty() || !d) continue;
    sh.percent = *d;
    sh.where = Place{path, fmt::format("{} splits.{}[{}]", field, kind, i - 1), {}};
    out.push_back(std::move(sh));
  }
  return out;
}

} // namespace

Observed observe_files(const credits::Sheet& sheet, const std::vector<std::string>& files) {
  Observed o;
  o.source = Source::Files;
  auto match = tagging::match_files(sheet, files);
  o.diagnostics.append(match.diagnostics);
  std::map<std::string, std::size_t> track_of;
  for (const auto& p : match.matched)
    track_of[p.file] = p.track;
  // The sheet's own file of each track first: it is the one a track's header shows.
  std::vector<std::string> ordered = files;
  std::stable_partition(ordered.begin(), ordered.end(), [&](const std::string& f) {
    return std::any_of(match.matched.begin(), match.matched.end(),
                       [&](const auto& p) { return p.file == f && p.how == "sheet path"; });
  });
  for (const auto& path : ordered) {
    tagging::ReadResult rd;
    try {
      rd = tagging::read_credits(path);
    } catch (const Error& e) {
      o.diagnostics.error("verify-file-unreadable", e.what(), Location{path, 0, 0, {}});
      o.unreadable.push_back(path);
      continue;
    }
    o.diagnostics.append(rd.diagnostics);
    ObservedTrack t;
    if (auto it = track_of.find(path); it != track_of.end()) t.sheet_track = it->second;
    auto first = [&](const char* f) -> std::string {
      auto it = rd.fields.find(f);
      return it == rd.fields.end() || it->second.empty() ? std::string() : it->second.front();
    };
    t.isrc = normalize_id(first("isrc"));
    t.number = std::atoi(first("tracknumber").c_str());
    t.title = first("title");
    t.file = path;
    t.where = Place{path, {}, {}};
    nlohmann::json doc;
    if (!rd.document.empty()) doc = nlohmann::json::parse(rd.document, nullptr, false);
    std::string doc_field;
    for (const auto& [field, values] : rd.raw)
      if (field.size() >= tagging::kDocumentField.size() &&
          field.compare(field.size() - tagging::kDocumentField.size(), std::string::npos,
                        tagging::kDocumentField) == 0)
        doc_field = field;
    if (doc_field.empty()) doc_field = std::string(tagging::kDocumentField);
    for (const auto& rc : rd.credits) {
      ObservedCredit c;
      c.name = rc.name;
      // The reader reports "plays X" as role Musician with instrument X (docs/tag-mapping.md): the
      // instrument is the credit; Musician is kept only for someone credited with nothing else.
      bool plays = !rc.instrument.empty() && rc.role == "Musician";
      if (!rc.role.empty() && !plays) c.roles.push_back(rc.role);
      if (!rc.instrument.empty()) c.instruments.push_back(rc.instrument);
      c.where = Place{path, rc.source, {}};
      for (const auto& a : rc.also_in)
        c.also.push_back(Place{path, a, {}});
      // Identifiers and the latin form come from the structured document, when it names this person.
      if (doc.is_object() && doc.contains("credits") && doc["credits"].is_array())
        for (const auto& j : doc["credits"])
          if (j.is_object() && j.value("name", std::string()) == rc.name) {
            c.latin_name = j.value("latin_name", std::string());
            c.ids.isni = normalize_id(j.value("isni", std::string()));
            c.ids.ipi = normalize_id(j.value("ipi", std::string()));
            c.ids.ipn = normalize_id(j.value("ipn", std::string()));
          }
      t.credits.push_back(std::move(c));
    }
    merge_same_names(t);
    for (auto& c : t.credits)
      if (c.roles.empty() && !c.instruments.empty()) c.roles.push_back("Musician");
    t.master = doc_shares(doc, "master", path, doc_field);
    t.publishing = doc_shares(doc, "publishing", path, doc_field);
    o.tracks.push_back(std::move(t));
  }
  return o;
}

#else

bool have_tagging() {
  return false;
}

Observed observe_files(const credits::Sheet&, const std::vector<std::string>&) {
  throw Error("liner was built without audio tag support (the tagging module)");
}

#endif

} // namespace liner::verify
