// liner ddex: sheet -> ERN 4.3 NewReleaseMessage (mapping in docs/ddex.md).
#include "common.hpp"
#include "xml_writer.hpp"

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fmt/format.h>
#include <liner/credits/error.hpp>
#include <liner/credits/splits.hpp>
#include <liner/ddex/ddex.hpp>
#include <liner/validators/identifiers.hpp>
#include <liner/validators/sheet_rules.hpp>
#include <map>
#include <set>

namespace liner::ddex {
namespace {

namespace fs = std::filesystem;
using credits::Sheet;
using detail::Attrs;
using detail::XmlWriter;

constexpr std::string_view kMessageIdToken = "@@LINER-MESSAGE-ID@@";

// Release types of the ERN 4.3 AVS (ReleaseType_ERN4) that a music sheet plausibly uses.
constexpr std::string_view kReleaseTypes[] = {
    "Album",        "ClassicalAlbum", "DjMix",      "EP",         "KaraokeRelease", "MultimediaAlbum",
    "PlayList",     "Single",         "StemBundle", "VideoAlbum", "VideoSingle",    "SingleResourceRelease",
    "AsPerContract"};

std::string normalized(validators::IdKind kind, const std::string& raw) {
  auto c = validators::check_id(kind, raw);
  if (c.ok && !c.normalized.empty()) return c.normalized;
  std::string s;
  for (char ch : raw)
    if (ch != ' ' && ch != '-' && ch != '.') s += ch;
  return s;
}

std::string iso_from_epoch(long long secs) {
  std::time_t t = static_cast<std::time_t>(secs);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

struct Messaging {
  std::string dpid;
  std::string name;
};

class Builder {
public:
  Builder(const Sheet& s, const BuildOptions& o) : s_(s), o_(o), v_(*version_by_id("4.3")) {}

  BuildResult run() {
    BuildResult r;
    diags_.append(validators::check_sheet(s_));
    assign_refs();
    check();
    read_audio(r);
    if (diags_.has_errors()) {
      r.diagnostics = std::move(diags_);
      return r;
    }
    // RightSharePercentage carries the effective master shares: the sheet's share agreements applied at
    // their base rates (without agreements, the plain shares). docs/splits.md.
    master_ = credits::effective_master_shares(s_);
    write();
    std::string xml = std::move(w_.str());
    std::string id = "LINER-" + sha256_hex(xml).substr(0, 24);
    for (std::size_t p = xml.find(kMessageIdToken); p != std::string::npos; p = xml.find(kMessageIdToken, p))
      xml.replace(p, kMessageIdToken.size(), id);
    r.xml = std::move(xml);
    r.diagnostics = std::move(diags_);
    return r;
  }

private:
  Location at(const std::string& path) const { return s_.where.at(path); }

  void assign_refs() {
    std::set<std::string> used;
    for (std::size_t i = 0; i < s_.parties.size(); ++i) {
      std::string ref = "P";
      for (char c : s_.parties[i].id)
        ref += (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_') ? c : '_';
      if (ref == "P" || used.count(ref)) ref += fmt::format("_{}", i + 1);
      used.insert(ref);
      party_ref_[s_.parties[i].id] = ref;
    }
  }

  std::string pref(const std::string& id) const {
    auto it = party_ref_.find(id);
    return it == party_ref_.end() ? std::string() : it->second;
  }

  Messaging messaging(const std::string& spec, const char* what, const std::string& path) {
    Messaging m;
    if (const auto* p = s_.party(spec)) {
      m.dpid = p->dpid.empty() ? std::string() : normalized(validators::IdKind::DPID, p->dpid);
      m.name = p->name;
      if (m.dpid.empty())
        diags_.error("ddex-no-dpid", fmt::format("the {} '{}' has no DPID", what, spec), at(path),
                     fmt::format("add dpid = \"PADPIDA...\" to [parties.{}]", spec));
      return m;
    }
    auto eq = spec.find('=');
    m.dpid = spec.substr(0, eq);
    if (eq != std::string::npos) m.name = spec.substr(eq + 1);
    if (m.dpid.rfind("PADPIDA", 0) != 0)
      diags_.error("ddex-no-dpid", fmt::format("the {} '{}' is neither a party nor a DPID", what, spec),
                   at(path));
    return m;
  }

  void check() {
    if (s_.tracks.empty()) diags_.error("ddex-no-tracks", "the sheet has no tracks", at("tracks"));
    if (s_.release.upc.empty())
      diags_.error("ddex-missing-upc", "the release has no UPC/EAN (DDEX ICPN is required)", at("release"),
                   "add upc = \"...\" to [release]");
    if (s_.release.label.empty() || !s_.party(s_.release.label))
      diags_.error("ddex-missing-label", "the release has no label party (ReleaseLabelReference is required)",
                   at("release.label"));
    if (s_.release.genre.empty())
      diags_.warning("ddex-missing-genre", "the release has no genre; writing GenreText 'Unknown'",
                     at("release"));
    // Sender and recipients.
    std::string sender = !o_.sender.empty() ? o_.sender : s_.delivery.sender;
    if (sender.empty() && !s_.release.distributor.empty()) sender = s_.release.distributor;
    if (sender.empty()) sender = s_.release.label;
    if (sender.empty())
      diags_.error("ddex-no-sender", "no message sender: set [delivery].sender or --sender", at("delivery"));
    else
      sender_ = messaging(sender, "sender", "delivery.sender");
    const auto& recips = !o_.recipients.empty() ? o_.recipients : s_.delivery.recipients;
    if (recips.empty())
      diags_.error("ddex-no-recipient", "no message recipient: set [delivery].recipients or --recipient",
                   at("delivery"));
    for (std::size_t i = 0; i < recips.size(); ++i)
      recipients_.push_back(messaging(recips[i], "recipient", fmt::format("delivery.recipients[{}]", i)));
    for (std::size_t i = 0; i < s_.tracks.size(); ++i) {
      const auto& t = s_.tracks[i];
      std::string path = fmt::format("tracks[{}]", i);
      if (t.isrc.empty())
        diags_.error("ddex-missing-isrc", fmt::format("track {} has no ISRC (required in ERN)", t.number),
                     at(path), "add isrc = \"CC-XXX-YY-NNNNN\"");
      check_shares(t.master, path + ".master", "master", t.number);
      check_shares(t.publishing, path + ".publishing", "publishing", t.number);
    }
    if (!o_.created.empty()) {
      const std::string& c = o_.created;
      bool ok = c.size() >= 20 && c[10] == 'T' && credits::is_valid_date(c.substr(0, 10)) && c[13] == ':' &&
                c[16] == ':' && (c.back() == 'Z' || c[c.size() - 3] == ':');
      if (!ok)
        diags_.error("ddex-invalid-created",
                     fmt::format("--created '{}' is not an ISO 8601 date-time with a zone", c), Location{},
                     "write e.g. 2026-03-01T12:00:00Z");
    }
    start_date_ = s_.release.release_date;
    for (std::size_t i = 0; i < s_.deals.size(); ++i)
      if (s_.deals[i].start_date.empty() && start_date_.empty())
        diags_.error("ddex-no-start-date", "the deal has no start date and the release no release date",
                     at(fmt::format("deals[{}]", i)));
    if (s_.deals.empty() && start_date_.empty())
      diags_.error("ddex-no-start-date", "the release has no release date (the default deal starts on it)",
                   at("release"));
  }

  void check_shares(const std::vector<credits::Share>& v, const std::string& path, const char* kind,
                    int number) {
    if (v.empty()) return;
    Decimal sum;
    for (const auto& sh : v)
      sum += sh.percent;
    if (sum != Decimal::from_int(100))
      diags_.error(fmt::format("ddex-{}-shares", kind),
                   fmt::format("the {} shares of track {} add up to {}%, not 100%", kind, number, sum.str()),
                   at(path));
  }

  void read_audio(BuildResult& r) {
    r.audio.resize(s_.tracks.size());
    durations_.resize(s_.tracks.size());
    fs::path sheet_dir = s_.path.empty() ? fs::path(".") : fs::path(s_.path).parent_path();
    for (std::size_t i = 0; i < s_.tracks.size(); ++i) {
      const auto& t = s_.tracks[i];
      std::string path = fmt::format("tracks[{}]", i);
      durations_[i] = t.duration;
      if (o_.technical_details && !t.file.empty()) {
        std::vector<fs::path> candidates;
        if (!o_.audio_dir.empty()) {
          candidates.push_back(fs::path(o_.audio_dir) / t.file);
          candidates.push_back(fs::path(o_.audio_dir) / fs::path(t.file).filename());
        } else {
          candidates.push_back(sheet_dir / t.file);
        }
        for (const auto& c : candidates) {
          std::error_code ec;
          if (!fs::is_regular_file(c, ec)) continue;
          try {
            r.audio[i] = probe_audio(c.string());
          } catch (const Error& e) {
            diags_.warning("ddex-audio-unreadable", e.what(), at(path + ".file"));
          }
          break;
        }
        if (r.audio[i].path.empty() && !o_.audio_dir.empty())
          diags_.warning("ddex-audio-missing", fmt::format("audio file '{}' not found", t.file),
                         at(path + ".file"));
      }
      const auto& a = r.audio[i];
      if (durations_[i].empty() && a.duration_ms > 0) durations_[i] = iso_duration(a.duration_ms);
      if (durations_[i].empty())
        diags_.error("ddex-missing-duration",
                     fmt::format("track {} has no duration and no readable audio file", t.number), at(path),
                     "add duration = \"PT3M30S\" or pass --audio DIR");
      else if (a.duration_ms > 0 && !t.duration.empty()) {
        auto ms = parse_duration_ms(t.duration);
        if (ms && std::llabs(*ms - a.duration_ms) > 1000)
          diags_.warning("ddex-duration-mismatch",
                         fmt::format("track {}: the sheet says {}, the audio file lasts {}", t.number,
                                     t.duration, iso_duration(a.duration_ms)),
                         at(path + ".duration"));
      }
    }
    audio_ = &r.audio;
  }

  std::string created() const {
    if (!o_.created.empty()) return o_.created;
    if (const char* e = std::getenv("SOURCE_DATE_EPOCH"); e && *e) {
      char* end = nullptr;
      long long v = std::strtoll(e, &end, 10);
      if (end && *end == '\0') return iso_from_epoch(v);
    }
    if (!s_.release.release_date.empty()) return s_.release.release_date + "T00:00:00Z";
    return "1970-01-01T00:00:00Z";
  }

  std::string party_name(const std::string& id) const {
    const auto* p = s_.party(id);
    return p ? p->name : id;
  }

  std::string artist_line(const std::vector<std::string>& main, const std::vector<std::string>& feat) const {
    std::string out;
    for (std::size_t i = 0; i < main.size(); ++i) {
      if (i > 0) out += (i + 1 == main.size()) ? " & " : ", ";
      out += party_name(main[i]);
    }
    for (std::size_t i = 0; i < feat.size(); ++i) {
      out += i == 0 ? " feat. " : (i + 1 == feat.size() ? " & " : ", ");
      out += party_name(feat[i]);
    }
    return out;
  }

  void display_artists(const std::vector<std::string>& main, const std::vector<std::string>& feat) {
    w_.leaf("DisplayArtistName", artist_line(main, feat));
    int seq = 0;
    for (std::size_t i = 0; i < main.size(); ++i) {
      w_.open("DisplayArtist", {{"SequenceNumber", std::to_string(++seq)}});
      w_.leaf("ArtistPartyReference", pref(main[i]));
      // At most one MainArtist per release/resource (DDEX profile rule): further main artists are Artist.
      w_.leaf("DisplayArtistRole", i == 0 ? "MainArtist" : "Artist");
      w_.close();
    }
    for (const auto& f : feat) {
      w_.open("DisplayArtist", {{"SequenceNumber", std::to_string(++seq)}});
      w_.leaf("ArtistPartyReference", pref(f));
      w_.leaf("DisplayArtistRole", "FeaturedArtist");
      w_.close();
    }
  }

  void titles(const std::string& title, const std::string& version) {
    w_.leaf("DisplayTitleText", version.empty() ? title : title + " (" + version + ")");
    w_.open("DisplayTitle");
    w_.leaf("TitleText", title);
    if (!version.empty()) w_.leaf("SubTitle", version, {{"SubTitleType", "Version"}});
    w_.close();
  }

  void line(const char* name, const std::optional<credits::CopyrightLine>& l) {
    if (!l) return;
    std::string n(name);
    w_.open(n);
    if (l->year > 0) w_.leaf("Year", fmt::format("{:04}", l->year));
    w_.opt(n + "Company", l->owner);
    w_.leaf(n + "Text", l->year > 0 ? fmt::format("{} {}", l->year, l->owner) : l->owner);
    w_.close();
  }

  void messaging_party(const char* element, const Messaging& m) {
    w_.open(element);
    w_.leaf("PartyId", m.dpid);
    if (!m.name.empty()) {
      w_.open("PartyName");
      w_.leaf("FullName", m.name);
      w_.close();
    }
    w_.close();
  }

  void write_header() {
    w_.open("MessageHeader");
    w_.leaf("MessageThreadId", std::string(kMessageIdToken));
    w_.leaf("MessageId", std::string(kMessageIdToken));
    messaging_party("MessageSender", sender_);
    for (const auto& r : recipients_)
      messaging_party("MessageRecipient", r);
    w_.leaf("MessageCreatedDateTime", created());
    std::string control = s_.delivery.message_control.empty() ? "TestMessage" : s_.delivery.message_control;
    if (o_.live) control = *o_.live ? "LiveMessage" : "TestMessage";
    w_.leaf("MessageControlType", control);
    w_.close();
  }

  void write_parties() {
    w_.open("PartyList");
    for (const auto& p : s_.parties) {
      w_.open("Party");
      w_.leaf("PartyReference", pref(p.id));
      w_.open("PartyName");
      w_.leaf("FullName", p.name.empty() ? p.id : p.name);
      w_.opt("FullNameAsciiTranscribed", p.latin_name);
      w_.close();
      if (!p.isni.empty() || !p.dpid.empty() || !p.ipi.empty() || !p.ipn.empty()) {
        w_.open("PartyId");
        if (!p.isni.empty()) w_.leaf("ISNI", normalized(validators::IdKind::ISNI, p.isni));
        if (!p.dpid.empty()) w_.leaf("DPID", normalized(validators::IdKind::DPID, p.dpid));
        if (!p.ipi.empty()) w_.leaf("IpiNameNumber", normalized(validators::IdKind::IPIName, p.ipi));
        if (!p.ipn.empty()) w_.leaf("IPN", p.ipn);
        w_.close();
      }
      w_.close();
    }
    w_.close();
  }

  void technical(std::size_t i) {
    const AudioInfo& a = (*audio_)[i];
    if (a.path.empty()) return;
    w_.open("TechnicalDetails");
    w_.leaf("TechnicalResourceDetailsReference", fmt::format("T{}", i + 1));
    w_.open("DeliveryFile");
    w_.leaf("Type", "AudioFile");
    if (!a.codec.empty()) {
      if (a.codec == "ALAC")
        w_.leaf("AudioCodecType", "UserDefined", {{"UserDefinedValue", "ALAC"}});
      else
        w_.leaf("AudioCodecType", a.codec);
    }
    if (a.bitrate_kbps > 0) w_.leaf("BitRate", std::to_string(a.bitrate_kbps), {{"UnitOfMeasure", "kbps"}});
    if (a.channels > 0) w_.leaf("NumberOfChannels", std::to_string(a.channels));
    if (a.sample_rate > 0) w_.leaf("SamplingRate", std::to_string(a.sample_rate), {{"UnitOfMeasure", "Hz"}});
    if (a.bits_per_sample > 0) w_.leaf("BitsPerSample", std::to_string(a.bits_per_sample));
    if (a.duration_ms > 0) w_.leaf("Duration", iso_duration(a.duration_ms));
    w_.open("File");
    w_.leaf("URI", o_.uri_prefix + fs::path(a.path).filename().string());
    w_.open("HashSum");
    bool md5 = o_.hash_algorithm == "MD5";
    w_.leaf("Algorithm", md5 ? "MD5" : "SHA-256");
    w_.leaf("HashSumValue", md5 ? a.md5 : a.sha256);
    w_.close();
    w_.leaf("FileSize", std::to_string(a.size));
    w_.close();
    w_.close();
    w_.close();
  }

  void write_sound_recording(std::size_t i) {
    const auto& t = s_.tracks[i];
    w_.open("SoundRecording");
    w_.leaf("ResourceReference", fmt::format("A{}", i + 1));
    w_.leaf("Type", "MusicalWorkSoundRecording");
    w_.open("SoundRecordingEdition");
    w_.open("ResourceId");
    w_.leaf("ISRC", normalized(validators::IdKind::ISRC, t.isrc));
    w_.close();
    line("PLine", s_.release.p_line);
    technical(i);
    w_.close();
    if (!t.iswc.empty()) {
      w_.open("WorkId");
      w_.leaf("ISWC", normalized(validators::IdKind::ISWC, t.iswc));
      w_.close();
    }
    titles(t.title, t.version);
    display_artists(s_.display_artists(t), t.featured);
    // Contributors: one per party (effective_credits merges duplicates), every role and instrument.
    const std::vector<credits::Credit> credits = s_.effective_credits(t);
    int seq = 0;
    for (const auto& c : credits) {
      w_.open("Contributor", {{"SequenceNumber", std::to_string(++seq)}});
      w_.leaf("ContributorPartyReference", pref(c.party));
      for (const auto& r : c.roles) {
        auto rv = v_.role(r);
        if (rv.user_defined_value.empty())
          w_.leaf("Role", rv.value);
        else
          w_.leaf("Role", rv.value, {{"UserDefinedValue", rv.user_defined_value}});
      }
      for (const auto& r : c.instruments) {
        auto rv = v_.instrument(r);
        if (rv.user_defined_value.empty())
          w_.leaf("InstrumentType", rv.value);
        else
          w_.leaf("InstrumentType", rv.value, {{"UserDefinedValue", rv.user_defined_value}});
      }
      if (std::find(t.featured.begin(), t.featured.end(), c.party) != t.featured.end())
        w_.leaf("HasMadeFeaturedContribution", "true");
      w_.close();
    }
    seq = 0;
    for (const auto& sh : master_[i]) {
      w_.open("ResourceRightsController", {{"SequenceNumber", std::to_string(++seq)}});
      w_.leaf("RightsControllerPartyReference", pref(sh.party));
      w_.leaf("RightsControlType", "RightsController");
      w_.leaf("RightSharePercentage", sh.percent.str());
      w_.close();
    }
    for (const auto& sh : t.publishing) {
      w_.open("WorkRightsController");
      w_.leaf("RightsControllerPartyReference", pref(sh.party));
      w_.leaf("RightsControlType", "RightsController");
      if (sh.capacity == credits::Capacity::Writer) w_.leaf("RightsControllerType", "OriginalOwner");
      if (sh.capacity == credits::Capacity::Publisher) w_.leaf("RightsControllerType", "SuccessorInTitle");
      w_.leaf("RightSharePercentage", sh.percent.str());
      w_.close();
    }
    w_.leaf("Duration", durations_[i]);
    std::string pw = s_.release.parental_warning.empty() ? "NotExplicit" : s_.release.parental_warning;
    if (t.explicit_content) pw = *t.explicit_content ? "Explicit" : "NotExplicit";
    w_.leaf("ParentalWarningType", pw);
    w_.close();
  }

  void write_release() {
    const auto& r = s_.release;
    w_.open("Release");
    w_.leaf("ReleaseReference", "R0");
    bool known =
        std::find(std::begin(kReleaseTypes), std::end(kReleaseTypes), r.type) != std::end(kReleaseTypes);
    if (known)
      w_.leaf("ReleaseType", r.type);
    else
      w_.leaf("ReleaseType", "UserDefined", {{"UserDefinedValue", r.type.empty() ? "Album" : r.type}});
    w_.open("ReleaseId");
    if (!r.grid.empty()) w_.leaf("GRid", normalized(validators::IdKind::GRid, r.grid));
    w_.leaf("ICPN", normalized(validators::IdKind::ICPN, r.upc));
    if (!r.catalog_number.empty())
      w_.leaf("CatalogNumber", r.catalog_number, {{"Namespace", catalog_namespace()}});
    w_.close();
    titles(r.title, {});
    display_artists(r.artists, {});
    w_.leaf("ReleaseLabelReference", pref(r.label));
    line("PLine", r.p_line);
    line("CLine", r.c_line);
    w_.open("Genre");
    w_.leaf("GenreText", r.genre.empty() ? "Unknown" : r.genre);
    w_.close();
    w_.opt("ReleaseDate", r.release_date);
    w_.leaf("ParentalWarningType", r.parental_warning.empty() ? "NotExplicit" : r.parental_warning);
    // The tracks in order; several discs become one sub-group per disc.
    std::set<int> discs;
    for (const auto& t : s_.tracks)
      discs.insert(t.disc);
    w_.open("ResourceGroup");
    w_.leaf("SequenceNumber", "1");
    auto items = [&](int disc) {
      int seq = 0;
      for (std::size_t i = 0; i < s_.tracks.size(); ++i) {
        if (s_.tracks[i].disc != disc) continue;
        w_.open("ResourceGroupContentItem");
        w_.leaf("SequenceNumber", std::to_string(s_.tracks[i].number > 0 ? s_.tracks[i].number : ++seq));
        w_.leaf("ReleaseResourceReference", fmt::format("A{}", i + 1));
        w_.close();
      }
    };
    if (discs.size() <= 1 && (discs.empty() || *discs.begin() == 1)) {
      items(1);
    } else {
      for (int d : discs) {
        w_.open("ResourceGroup", {{"ResourceGroupType", "Component"}});
        w_.leaf("SequenceNumber", std::to_string(d));
        items(d);
        w_.close();
      }
    }
    w_.close();
    w_.close();
    for (std::size_t i = 0; i < s_.tracks.size(); ++i) {
      const auto& t = s_.tracks[i];
      w_.open("TrackRelease");
      w_.leaf("ReleaseReference", fmt::format("R{}", i + 1));
      w_.open("ReleaseId");
      w_.leaf("ProprietaryId", normalized(validators::IdKind::ISRC, t.isrc), {{"Namespace", sender_.dpid}});
      w_.close();
      titles(t.title, t.version);
      w_.leaf("ReleaseResourceReference", fmt::format("A{}", i + 1));
      w_.leaf("ReleaseLabelReference", pref(r.label));
      w_.open("Genre");
      w_.leaf("GenreText", r.genre.empty() ? "Unknown" : r.genre);
      w_.close();
      w_.close();
    }
  }

  std::string catalog_namespace() const {
    if (const auto* l = s_.party(s_.release.label); l && !l->dpid.empty())
      return normalized(validators::IdKind::DPID, l->dpid);
    return sender_.dpid;
  }

  void write_deals() {
    std::vector<credits::Deal> deals = s_.deals;
    if (deals.empty()) deals.push_back(credits::Deal{});
    w_.open("DealList");
    w_.open("ReleaseDeal");
    w_.leaf("DealReleaseReference", "R0");
    for (std::size_t i = 0; i < s_.tracks.size(); ++i)
      w_.leaf("DealReleaseReference", fmt::format("R{}", i + 1));
    for (const auto& d : deals) {
      w_.open("Deal");
      w_.open("DealTerms");
      if (d.territories.empty()) w_.leaf("TerritoryCode", "Worldwide");
      for (const auto& t : d.territories)
        w_.leaf("TerritoryCode", t);
      w_.open("ValidityPeriod");
      w_.leaf("StartDate", d.start_date.empty() ? start_date_ : d.start_date);
      w_.close();
      static const std::vector<std::string> kModels = {"SubscriptionModel", "AdvertisementSupportedModel",
                                                       "PayAsYouGoModel"};
      static const std::vector<std::string> kUses = {"OnDemandStream", "PermanentDownload"};
      for (const auto& m : d.commercial_models.empty() ? kModels : d.commercial_models)
        w_.leaf("CommercialModelType", m);
      for (const auto& u : d.use_types.empty() ? kUses : d.use_types)
        w_.leaf("UseType", u);
      w_.close();
      w_.close();
    }
    w_.close();
    w_.close();
  }

  void write() {
    w_.declaration();
    w_.open("ern:NewReleaseMessage",
            {{"xmlns:ern", std::string(v_.namespace_uri())},
             {"ReleaseProfileVersionId", s_.tracks.size() == 1 ? "SimpleAudioSingle" : "Audio"},
             {"LanguageAndScriptCode", s_.delivery.language.empty() ? "en" : s_.delivery.language},
             {"AvsVersionId", "3"}});
    write_header();
    write_parties();
    w_.open("ResourceList");
    for (std::size_t i = 0; i < s_.tracks.size(); ++i)
      write_sound_recording(i);
    w_.close();
    w_.open("ReleaseList");
    write_release();
    w_.close();
    write_deals();
    w_.close();
  }

  const Sheet& s_;
  std::vector<std::vector<credits::Share>> master_; // effective master shares, per track
  const BuildOptions& o_;
  const ErnVersion& v_;
  Diagnostics diags_;
  XmlWriter w_;
  std::map<std::string, std::string> party_ref_;
  Messaging sender_;
  std::vector<Messaging> recipients_;
  std::vector<std::string> durations_;
  std::string start_date_;
  const std::vector<AudioInfo>* audio_ = nullptr;
};

} // namespace

BuildResult build_ern43(const credits::Sheet& sheet, const BuildOptions& options) {
  return Builder(sheet, options).run();
}

} // namespace liner::ddex
