// FLAC metadata and its Vorbis comment, read and rendered exactly as TagLib 1.13 (plus FlacHandler's
// padding rule) reads and renders them, for plain FLAC files: "fLaC" at offset 0, no ID3 tags, no pictures,
// one Vorbis comment whose every field TagLib would keep as it is. Anything else is declined (nullopt) and
// goes through TagLib. Why it exists: TagLib's XiphComment costs about 400,000 instructions a file to
// parse, edit and render (wide strings, one allocation per field), which made `liner tag --in-place` on
// FLAC CPU-bound; this costs a few thousand. test_unit.cpp checks it against TagLib byte for byte.
#include "internal.hpp"

#include <algorithm>
#include <cstring>
#include <liner/credits/text.hpp>

namespace liner::tagging::detail {
namespace {

constexpr std::uint8_t kStreamInfo = 0, kPadding = 1, kVorbisComment = 4, kPicture = 6;
constexpr std::uint64_t kMaxBlock = 0xFFFFFF;
constexpr std::uint64_t kMinPadding = 4096; // TagLib's MinPaddingLength

std::uint32_t be24(const std::uint8_t* p) {
  return (std::uint32_t(p[0]) << 16) | (std::uint32_t(p[1]) << 8) | p[2];
}
void put_header(std::vector<std::uint8_t>& out, std::uint8_t code, std::uint64_t len) {
  out.push_back(code);
  out.push_back(static_cast<std::uint8_t>(len >> 16));
  out.push_back(static_cast<std::uint8_t>(len >> 8));
  out.push_back(static_cast<std::uint8_t>(len));
}

// TagLib's Ogg::XiphComment::checkKey: ASCII 0x20 to 0x7D, '=' excluded, not empty.
bool valid_key(std::string_view k) {
  if (k.empty()) return false;
  return std::all_of(k.begin(), k.end(), [](char ch) {
    auto c = static_cast<unsigned char>(ch);
    return c >= 0x20 && c <= 0x7D && c != '=';
  });
}
std::string upper(std::string_view s) { // TagLib's String::upper: a-z only
  std::string o(s);
  for (auto& c : o)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return o;
}
// The number TagLib's Tag::duplicate sees in DATE/YEAR or TRACKNUMBER/TRACKNUM (String::toInt of the first
// value), when it is sure to read it as we do: nullopt for the forms TagLib versions parse differently.
std::optional<long> leading_number(const FieldMap& f, const char* a, const char* b) {
  auto it = f.find(a);
  if (it == f.end() || it->second.empty()) it = f.find(b);
  if (it == f.end() || it->second.empty()) return 0;
  const std::string& s = it->second.front();
  auto c = static_cast<unsigned char>(s.front());
  if (c >= '0' && c <= '9') {
    long v = 0;
    for (std::size_t i = 0; i < s.size() && i < 10 && s[i] >= '0' && s[i] <= '9'; ++i)
      v = v * 10 + (s[i] - '0');
    if (s.size() >= 10 && s[9] >= '0' && s[9] <= '9') return std::nullopt; // would overflow an int
    return v;
  }
  if (c >= 0x80 || c == '+' || c == '-' || std::strchr(" \t\n\v\f\r", c)) return std::nullopt;
  return 0;
}

} // namespace

bool taglib_keeps(std::string_view v) {
  return credits::valid_utf8(v) && v.find('\0') == std::string_view::npos;
}

std::optional<FlacMeta> read_flac_meta(const FileImage& file) {
  if (file.size() < 8 || std::memcmp(file.get(0, 4), "fLaC", 4) != 0) return std::nullopt;
  if (file.size() >= 128 + 4 && std::memcmp(file.get(file.size() - 128, 3), "TAG", 3) == 0)
    return std::nullopt; // an ID3v1 tag: TagLib keeps and rewrites it
  FlacMeta m;
  std::uint64_t pos = 4;
  bool last = false, first = true, have_comment = false;
  while (!last) {
    if (pos + 4 > file.size()) return std::nullopt;
    const std::uint8_t* h = file.get(pos, 4);
    const std::uint8_t type = h[0] & 0x7F;
    last = (h[0] & 0x80) != 0;
    const std::uint64_t len = be24(h + 1);
    const std::uint64_t body = pos + 4;
    if (body + len >= file.size()) return std::nullopt; // TagLib: no audio after the metadata
    if (first != (type == kStreamInfo)) return std::nullopt;
    if (len == 0 || type == kPicture || type == 127) return std::nullopt;
    first = false;
    if (type == kVorbisComment) {
      if (have_comment) return std::nullopt; // TagLib would drop the second one
      have_comment = true;
      // vendor length, vendor, count, then count times (length, "KEY=value").
      const std::uint8_t* d = file.get(body, len);
      std::uint64_t p = 0;
      if (len < 8) return std::nullopt;
      const std::uint64_t vendor_len = le32(d);
      if (4 + vendor_len + 4 > len) return std::nullopt;
      m.vendor.assign(reinterpret_cast<const char*>(d + 4), vendor_len);
      if (!taglib_keeps(m.vendor)) return std::nullopt;
      p = 4 + vendor_len;
      const std::uint64_t count = le32(d + p);
      p += 4;
      if (count > (len - 8) / 4) return std::nullopt;
      for (std::uint64_t i = 0; i < count; ++i) {
        if (p + 4 > len) return std::nullopt;
        const std::uint64_t n = le32(d + p);
        p += 4;
        if (p + n > len) return std::nullopt;
        std::string_view entry(reinterpret_cast<const char*>(d + p), n);
        p += n;
        const auto sep = entry.find('=');
        if (sep == std::string_view::npos || sep == 0) return std::nullopt; // TagLib discards it
        const std::string key = upper(entry.substr(0, sep));
        const std::string_view value = entry.substr(sep + 1);
        if (!valid_key(key) || key == "METADATA_BLOCK_PICTURE" || key == "COVERART") return std::nullopt;
        if (value.empty()) return std::nullopt; // TagLib drops empty values
        if (!taglib_keeps(value)) return std::nullopt;
        m.fields[key].emplace_back(value);
      }
    } else if (type != kPadding) {
      m.blocks.push_back({type, Range{body, len}, file.bytes(body, len)});
    }
    pos = body + len;
  }
  m.audio_start = pos;
  m.file_size = file.size();
  m.had_comment = have_comment;
  return m;
}

bool vorbis_edit(FieldMap& fields, const FieldMap& set, const std::set<std::string>& remove) {
  for (const auto& [k, v] : set) {
    if (!taglib_keeps(k)) return false;
    for (const auto& s : v)
      if (!taglib_keeps(s)) return false;
  }
  auto upper_of = [](const std::string& k) -> std::string {
    return std::any_of(k.begin(), k.end(), [](char c) { return c >= 'a' && c <= 'z'; }) ? upper(k) : k;
  };
  // As xiph_write does through TagLib: removeFields erases the upper-cased key; addField skips invalid keys
  // and empty values.
  for (const auto& k : remove)
    fields.erase(upper_of(k));
  for (const auto& [k, v] : set) {
    std::string key = upper_of(k);
    if (!valid_key(key)) {
      fields.erase(key);
      continue;
    }
    auto& values = fields[std::move(key)];
    values.clear();
    for (const auto& s : v)
      if (!s.empty()) values.push_back(s);
    if (values.empty()) fields.erase(upper_of(k));
  }
  return true;
}

std::optional<std::vector<std::uint8_t>> render_flac_meta(const FlacMeta& meta, const FieldMap& given) {
  const FieldMap* use = &given;
  FieldMap changed; // only for the quirk below
  // For a file without a Vorbis comment, FLAC::File::save first calls Tag::duplicate(tag, xiphComment,
  // false): with no other tag, that clears DATE and YEAR when the year reads as 0, and TRACKNUMBER and
  // TRACKNUM when the track does.
  if (!meta.had_comment) {
    const auto year = leading_number(given, "DATE", "YEAR");
    const auto track = leading_number(given, "TRACKNUMBER", "TRACKNUM");
    if (!year || !track) return std::nullopt;
    if (*year == 0 || *track == 0) {
      changed = given;
      if (*year == 0) changed.erase("DATE"), changed.erase("YEAR");
      if (*track == 0) changed.erase("TRACKNUMBER"), changed.erase("TRACKNUM");
      use = &changed;
    }
  }
  const FieldMap& fields = *use;

  std::vector<std::uint8_t> out;
  out.reserve(meta.audio_start);
  for (const auto& b : meta.blocks) {
    put_header(out, b.type, b.body.size);
    out.insert(out.end(), b.data.begin(), b.data.end());
  }
  // The Vorbis comment, last of the kept blocks.
  const std::size_t comment_header = out.size();
  put_header(out, kVorbisComment, 0);
  append_le32(out, meta.vendor.size());
  out.insert(out.end(), meta.vendor.begin(), meta.vendor.end());
  std::uint64_t count = 0;
  for (const auto& [k, v] : fields)
    count += v.size();
  append_le32(out, count);
  for (const auto& [k, v] : fields)
    for (const auto& s : v) {
      append_le32(out, k.size() + 1 + s.size());
      out.insert(out.end(), k.begin(), k.end());
      out.push_back('=');
      out.insert(out.end(), s.begin(), s.end());
    }
  const std::uint64_t comment_len = out.size() - comment_header - 4;
  if (comment_len > kMaxBlock) return std::nullopt; // TagLib refuses to save it
  out[comment_header + 1] = static_cast<std::uint8_t>(comment_len >> 16);
  out[comment_header + 2] = static_cast<std::uint8_t>(comment_len >> 8);
  out[comment_header + 3] = static_cast<std::uint8_t>(comment_len);

  // TagLib's padding: what is left of the old metadata, unless that is negative (4 KiB) or more than
  // max(4 KiB, 1% of the file) (4 KiB). Then FlacHandler::save resizes it so that the audio stays where it
  // was whenever it fits.
  const std::int64_t original = static_cast<std::int64_t>(meta.audio_start) - 4;
  std::int64_t padding = original - static_cast<std::int64_t>(out.size()) - 4;
  if (padding < 0) {
    padding = kMinPadding;
  } else {
    const auto threshold = std::min<std::int64_t>(
        std::max<std::int64_t>(kMinPadding, static_cast<std::int64_t>(meta.file_size) / 100), kMaxBlock);
    if (padding > threshold) padding = kMinPadding;
  }
  const std::int64_t now = 4 + static_cast<std::int64_t>(out.size()) + 4 + padding;
  if (now != static_cast<std::int64_t>(meta.audio_start)) {
    const std::int64_t want = padding + static_cast<std::int64_t>(meta.audio_start) - now;
    if (want >= 0 && want <= static_cast<std::int64_t>(kMaxBlock)) padding = want;
  }
  put_header(out, kPadding | 0x80, static_cast<std::uint64_t>(padding));
  out.resize(out.size() + static_cast<std::size_t>(padding), 0);
  return out;
}

} // namespace liner::tagging::detail
