// Files <-> tracks, and sheets drafted from tagged files.
#include "internal.hpp"

#include <algorithm>
#include <filesystem>
#include <liner/credits/error.hpp>
#include <liner/credits/roles.hpp>
#include <liner/credits/text.hpp>
#include <map>
#include <nlohmann/json.hpp>
#include <sys/stat.h>
#include <unordered_map>
#include <utf8proc.h>

namespace liner::tagging {
namespace {

namespace fs = std::filesystem;

// Lower case, accents stripped, only letters and digits: "Kōenji Night-Bus" -> "koenjinightbus".
std::string key_text(std::string_view s) {
  utf8proc_uint8_t* out = nullptr;
  auto n = utf8proc_map(
      reinterpret_cast<const utf8proc_uint8_t*>(s.data()), static_cast<utf8proc_ssize_t>(s.size()), &out,
      static_cast<utf8proc_option_t>(UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK | UTF8PROC_CASEFOLD));
  std::string folded =
      n >= 0 ? std::string(reinterpret_cast<char*>(out), static_cast<std::size_t>(n)) : std::string(s);
  std::free(out);
  std::string k;
  for (unsigned char c : folded)
    if (std::isalnum(c) || c >= 0x80) k += static_cast<char>(c);
  return k;
}

std::string norm_isrc(std::string_view s) {
  std::string o;
  for (char c : s)
    if (std::isalnum(static_cast<unsigned char>(c)))
      o += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return o;
}

// Two paths name the same file when they reach the same inode (links and "../" included): one stat, not a
// walk over every component as canonical paths would need. Paths that do not exist compare by their text.
std::string same_file_key(const fs::path& p) {
  struct stat st {};
  if (::stat(p.c_str(), &st) == 0) return std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino);
  std::error_code ec;
  fs::path c = fs::weakly_canonical(p, ec);
  return "?" + (ec ? p.lexically_normal().string() : c.string());
}

fs::path sheet_dir(const credits::Sheet& s) {
  return s.path.empty() ? fs::current_path() : fs::absolute(fs::path(s.path)).parent_path();
}

// (dir / file).lexically_normal() for the sheet's track files, made once per folder. A plain relative name
// ("audio/01 - Intro.flac": no ".", "..", empty or absolute parts) is appended as text, without the cost of
// std::filesystem's component parsing (most of `liner tag`'s set-up time on a catalog).
class TrackPaths {
public:
  explicit TrackPaths(const credits::Sheet& s)
      : dir_(sheet_dir(s)), normal_(dir_.lexically_normal().string()) {
    if (normal_.empty() || normal_.back() != '/') normal_ += '/';
  }
  std::string operator()(const std::string& file) const {
    if (!plain(file)) return (dir_ / file).lexically_normal().string();
    return normal_ + file;
  }

private:
  static bool plain(std::string_view f) {
    if (f.empty() || f.front() == '/' || f.back() == '/') return false;
    for (std::size_t start = 0; start <= f.size();) {
      const std::size_t end = std::min(f.find('/', start), f.size());
      const std::string_view part = f.substr(start, end - start);
      if (part.empty() || part == "." || part == "..") return false;
      start = end + 1;
    }
    return true;
  }
  fs::path dir_;
  std::string normal_;
};

std::string slug(const std::string& name, std::vector<std::string>& taken) {
  std::string base;
  for (char c : key_text(name))
    if (static_cast<unsigned char>(c) < 0x80) base += c;
  if (base.empty()) base = "party";
  std::string id = base;
  for (int i = 2; std::find(taken.begin(), taken.end(), id) != taken.end(); ++i)
    id = base + std::to_string(i);
  taken.push_back(id);
  return id;
}

} // namespace

std::vector<std::string> sheet_files(const credits::Sheet& sheet) {
  std::vector<std::string> out;
  const TrackPaths path_of(sheet);
  for (const auto& t : sheet.tracks)
    if (!t.file.empty()) out.push_back(path_of(t.file));
  return out;
}

MatchResult match_files(const credits::Sheet& sheet, const std::vector<std::string>& files) {
  MatchResult r;
  std::vector<bool> used(sheet.tracks.size(), false);
  // The tracks' files by inode, computed once (a catalog has thousands). Keys are remembered by path, in
  // the spelling sheet_files() gives, so that `liner tag SHEET` stats each file once here, not twice.
  std::unordered_map<std::string, std::string> key_of;
  auto key_for = [&](const std::string& path) -> const std::string& {
    auto it = key_of.find(path);
    if (it == key_of.end()) it = key_of.emplace(path, same_file_key(path)).first;
    return it->second;
  };
  std::map<std::string, std::size_t> by_path;
  const TrackPaths path_of(sheet);
  for (std::size_t i = 0; i < sheet.tracks.size(); ++i)
    if (!sheet.tracks[i].file.empty()) by_path.emplace(key_for(path_of(sheet.tracks[i].file)), i);
  for (const auto& f : files) {
    Location loc{f, 0, 0, {}};
    std::string key = key_for(f);
    std::optional<std::size_t> hit;
    std::string how;
    if (auto it = by_path.find(key); it != by_path.end()) hit = it->second, how = "sheet path";
    if (!hit) {
      std::string isrc;
      try {
        ReadResult rr = read_credits(f);
        if (auto it = rr.fields.find("isrc"); it != rr.fields.end() && !it->second.empty())
          isrc = norm_isrc(it->second.front());
      } catch (const Error&) {
      }
      if (!isrc.empty())
        for (std::size_t i = 0; i < sheet.tracks.size() && !hit; ++i)
          if (norm_isrc(sheet.tracks[i].isrc) == isrc) hit = i, how = "isrc";
    }
    if (!hit) {
      // "03 - Koenji Night Bus.opus": leading number == track number and the title in the name.
      std::string stem = fs::path(f).stem().string();
      std::size_t i = 0;
      while (i < stem.size() && !std::isdigit(static_cast<unsigned char>(stem[i])) && i < 3)
        ++i;
      int number = 0;
      bool has_number = false;
      while (i < stem.size() && std::isdigit(static_cast<unsigned char>(stem[i])))
        number = number * 10 + (stem[i++] - '0'), has_number = true;
      std::string stem_key = key_text(stem);
      std::vector<std::size_t> candidates;
      for (std::size_t t = 0; t < sheet.tracks.size() && has_number; ++t) {
        const auto& tr = sheet.tracks[t];
        std::string title_key = key_text(tr.title);
        if (tr.number == number && !title_key.empty() && stem_key.find(title_key) != std::string::npos)
          candidates.push_back(t);
      }
      if (candidates.size() == 1)
        hit = candidates.front(), how = "number and title";
      else if (candidates.size() > 1)
        r.diagnostics.warning("ambiguous-file", "the file name matches more than one track; not tagged", loc);
    }
    if (hit) {
      r.matched.push_back({f, *hit, how});
      used[*hit] = true;
    } else {
      r.unmatched_files.push_back(f);
      r.diagnostics.warning(
          "unmatched-file",
          "no track matches this file (by sheet path, ISRC, or track number and title in its name)", loc);
    }
  }
  for (std::size_t i = 0; i < sheet.tracks.size(); ++i) {
    if (used[i]) continue;
    r.unmatched_tracks.push_back(i);
    r.diagnostics.note("unmatched-track",
                       "track " + std::to_string(sheet.tracks[i].number) + " \"" + sheet.tracks[i].title +
                           "\" has no file among those given",
                       sheet.where.at("tracks[" + std::to_string(i) + "]"));
  }
  return r;
}

credits::Sheet draft_sheet(const std::vector<ReadResult>& files, Diagnostics& diagnostics) {
  credits::Sheet s;
  std::vector<std::string> taken;
  // Parties by folded name.
  auto party = [&](const std::string& name, const nlohmann::json* info) -> std::string {
    std::string folded = credits::fold_name(name);
    for (auto& p : s.parties)
      if (credits::fold_name(p.name) == folded) return p.id;
    credits::Party p;
    p.name = name;
    std::string wanted = info && info->contains("party") && (*info)["party"].is_string()
                             ? (*info)["party"].get<std::string>()
                             : std::string();
    if (!wanted.empty() && std::find(taken.begin(), taken.end(), wanted) == taken.end()) {
      p.id = wanted;
      taken.push_back(wanted);
    } else {
      p.id = slug(name, taken);
    }
    if (info) {
      p.latin_name = info->value("latin_name", "");
      p.isni = info->value("isni", "");
      p.ipi = info->value("ipi", "");
      p.ipn = info->value("ipn", "");
      if (info->value("kind", "") == "organization") p.kind = credits::PartyKind::Organization;
    }
    s.parties.push_back(p);
    return p.id;
  };
  auto first = [](const ReadResult& r, const char* k) {
    auto it = r.fields.find(k);
    return it == r.fields.end() || it->second.empty() ? std::string() : it->second.front();
  };
  auto term = [](const std::string& t) {
    credits::Term x;
    if (t.starts_with("custom:"))
      x.name = t.substr(7), x.custom = true;
    else
      x.name = t;
    return x;
  };

  for (const auto& r : files) {
    if (!r.format) continue;
    Location loc{r.path, 0, 0, {}};
    credits::Track t;
    t.file = r.path;
    t.title = first(r, "title");
    t.isrc = first(r, "isrc");
    t.iswc = first(r, "iswc");
    t.number = std::atoi(first(r, "tracknumber").c_str());
    t.disc = std::max(1, std::atoi(first(r, "discnumber").c_str()));
    if (s.release.title.empty()) s.release.title = first(r, "album");
    if (s.release.release_date.empty()) {
      std::string d = first(r, "date");
      if (credits::is_valid_date(d)) s.release.release_date = d;
    }
    if (s.release.genre.empty()) s.release.genre = first(r, "genre");
    if (s.release.upc.empty()) s.release.upc = first(r, "barcode");
    if (s.release.catalog_number.empty()) s.release.catalog_number = first(r, "catalognumber");
    if (s.release.label.empty() && !first(r, "label").empty()) {
      nlohmann::json org = {{"kind", "organization"}};
      s.release.label = party(first(r, "label"), &org);
    }
    if (!s.release.p_line) {
      std::string c = first(r, "copyright");
      if (c.starts_with("\xE2\x84\x97 "))
        c = c.substr(4);
      else if (c.starts_with("(P) "))
        c = c.substr(4);
      if (c.size() > 5 && std::isdigit(static_cast<unsigned char>(c[0])) && c[4] == ' ')
        s.release.p_line = credits::CopyrightLine{std::atoi(c.substr(0, 4).c_str()), c.substr(5)};
    }
    nlohmann::json doc =
        r.document.empty() ? nlohmann::json() : nlohmann::json::parse(r.document, nullptr, false);
    bool have_doc = doc.is_object() && doc.contains("credits") && doc["credits"].is_array();
    if (have_doc) {
      auto tr = doc.value("track", nlohmann::json::object());
      if (tr.is_object()) {
        t.title = tr.value("title", t.title);
        t.version = tr.value("version", "");
        t.isrc = tr.value("isrc", t.isrc);
        t.iswc = tr.value("iswc", t.iswc);
        t.number = tr.value("number", t.number);
        t.disc = tr.value("disc", t.disc);
      }
      std::vector<std::string> artists;
      for (const auto& a : doc.value("artists", nlohmann::json::array()))
        if (a.is_object()) artists.push_back(party(a.value("name", ""), &a));
      if (s.release.artists.empty())
        s.release.artists = artists;
      else if (artists != s.release.artists)
        t.artists = artists;
      for (const auto& a : doc.value("featured", nlohmann::json::array()))
        if (a.is_object()) t.featured.push_back(party(a.value("name", ""), &a));
      auto rel = doc.value("release", nlohmann::json::object());
      if (rel.is_object()) {
        if (s.release.title.empty()) s.release.title = rel.value("title", "");
        if (s.release.upc.empty()) s.release.upc = rel.value("upc", "");
      }
      for (const auto& c : doc["credits"]) {
        if (!c.is_object()) continue;
        credits::Credit cr;
        cr.party = party(c.value("name", ""), &c);
        for (const auto& x : c.value("roles", nlohmann::json::array()))
          if (x.is_string()) cr.roles.push_back(term(x.get<std::string>()));
        for (const auto& x : c.value("instruments", nlohmann::json::array()))
          if (x.is_string()) cr.instruments.push_back(term(x.get<std::string>()));
        std::string tier = c.value("tier", "");
        if (tier == "primary")
          cr.tier = credits::Tier::Primary;
        else if (tier == "co")
          cr.tier = credits::Tier::Co;
        else if (tier == "additional")
          cr.tier = credits::Tier::Additional;
        else if (tier == "assistant")
          cr.tier = credits::Tier::Assistant;
        if (!cr.roles.empty()) t.credits.push_back(std::move(cr));
      }
      auto splits = doc.value("splits", nlohmann::json::object());
      auto shares = [&](const char* k, std::vector<credits::Share>& out) {
        for (const auto& x : splits.value(k, nlohmann::json::array())) {
          if (!x.is_object()) continue;
          auto pct = Decimal::parse(x.value("percent", ""));
          if (!pct) continue;
          credits::Share sh;
          sh.party = party(x.value("name", ""), &x);
          sh.percent = *pct;
          std::string cap = x.value("capacity", "");
          sh.capacity = cap == "writer"      ? credits::Capacity::Writer
                        : cap == "publisher" ? credits::Capacity::Publisher
                                             : credits::Capacity::Unspecified;
          out.push_back(sh);
        }
      };
      if (splits.is_object()) {
        shares("master", t.master);
        shares("publishing", t.publishing);
      }
    } else {
      std::string artist = first(r, "artist");
      if (!artist.empty()) {
        std::string main = artist.substr(0, artist.find(" feat. "));
        std::string id = party(main, nullptr);
        if (s.release.artists.empty())
          s.release.artists = {id};
        else if (s.release.artists != std::vector<std::string>{id})
          t.artists = {id};
      }
      // Group the credits found by person.
      for (const auto& c : r.credits) {
        std::string id = party(c.name, nullptr);
        auto it =
            std::find_if(t.credits.begin(), t.credits.end(), [&](const auto& x) { return x.party == id; });
        if (it == t.credits.end()) {
          t.credits.push_back({});
          it = std::prev(t.credits.end());
          it->party = id;
        }
        credits::Term role = term(c.role);
        bool plays = !c.instrument.empty() && c.role == "Musician";
        if (!plays && std::find(it->roles.begin(), it->roles.end(), role) == it->roles.end())
          it->roles.push_back(role);
        if (!c.instrument.empty()) {
          credits::Term ins = term(c.instrument);
          if (!credits::is_instrument_type(ins.name)) ins.custom = true;
          if (std::find(it->instruments.begin(), it->instruments.end(), ins) == it->instruments.end())
            it->instruments.push_back(ins);
        }
      }
      for (auto& c : t.credits)
        if (c.roles.empty()) c.roles.push_back(term("Musician"));
      if (r.credits.empty()) diagnostics.note("no-credits", "no credits found in this file", loc);
    }
    if (t.title.empty()) {
      t.title = fs::path(r.path).stem().string();
      diagnostics.warning("no-title", "no title tag: the file name is used", loc);
    }
    auto dup = std::find_if(s.tracks.begin(), s.tracks.end(), [&](const credits::Track& o) {
      return o.disc == t.disc && o.number == t.number && key_text(o.title) == key_text(t.title);
    });
    if (dup != s.tracks.end()) {
      diagnostics.note("same-track", "same track as " + dup->file + " (another format of the master)", loc);
      continue;
    }
    s.tracks.push_back(std::move(t));
  }
  std::stable_sort(s.tracks.begin(), s.tracks.end(), [](const auto& a, const auto& b) {
    return a.disc != b.disc ? a.disc < b.disc : a.number < b.number;
  });
  if (s.release.title.empty()) s.release.title = "Untitled";
  return s;
}

} // namespace liner::tagging
