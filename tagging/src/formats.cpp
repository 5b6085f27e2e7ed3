// One class per audio format, behind one registry table (adding a format = one row of kRegistry).
// ID3 and MP4 credits are read and written at frame/item level, never through TagLib's PropertyMap
// (TagLib 1.13 loses IPLS, non-standard TIPL roles and MP4 freeform credits there).
#include "internal.hpp"

#include <cstring>
#include <filesystem>
#include <liner/credits/text.hpp>
#include <mutex>
#include <taglib/aifffile.h>
#include <taglib/flacfile.h>
#include <taglib/id3v2framefactory.h>
#include <taglib/id3v2tag.h>
#include <taglib/infotag.h>
#include <taglib/mp4file.h>
#include <taglib/mpegfile.h>
#include <taglib/opusfile.h>
#include <taglib/textidentificationframe.h>
#include <taglib/unknownframe.h>
#include <taglib/vorbisfile.h>
#include <taglib/wavfile.h>
#include <taglib/xiphcomment.h>
#include <type_traits>

namespace liner::tagging::detail {
namespace {

std::string utf8(const TagLib::String& s) {
  return s.to8Bit(true);
}
TagLib::String tl(const std::string& s) {
  return TagLib::String(s, TagLib::String::UTF8);
}
TagLib::StringList tl(const std::vector<std::string>& v) {
  TagLib::StringList l;
  for (const auto& s : v)
    l.append(tl(s));
  return l;
}
std::vector<std::string> values(const TagLib::StringList& l) {
  std::vector<std::string> v;
  for (const auto& s : l)
    v.push_back(utf8(s));
  return v;
}
bool iequals(std::string_view a, std::string_view b) {
  return credits::lower(a) == credits::lower(b);
}

// RIFF INFO text is CP1252 (Windows Explorer, ffprobe and MediaInfo read it so), not UTF-8.
class Cp1252Handler : public TagLib::RIFF::Info::StringHandler {
public:
  TagLib::String parse(const TagLib::ByteVector& data) const override {
    std::wstring w;
    for (char ch : data) {
      auto c = static_cast<unsigned char>(ch);
      if (c == 0) break;
      w += c >= 0x80 && c < 0xA0 && kHigh[c - 0x80] ? static_cast<wchar_t>(kHigh[c - 0x80])
                                                    : static_cast<wchar_t>(c);
    }
    return TagLib::String(w);
  }
  TagLib::ByteVector render(const TagLib::String& s) const override {
    std::string out; // one ByteVector at the end: its append of one char at a time is slow
    out.reserve(s.size());
    for (wchar_t c : s) {
      if (c < 0x80 || (c >= 0xA0 && c <= 0xFF)) {
        out += static_cast<char>(c);
        continue;
      }
      char mapped = '?';
      for (int i = 0; i < 32; ++i)
        if (kHigh[i] && static_cast<wchar_t>(kHigh[i]) == c) mapped = static_cast<char>(0x80 + i);
      out += mapped;
    }
    return TagLib::ByteVector(out.data(), static_cast<unsigned int>(out.size()));
  }

private:
  static constexpr char16_t kHigh[32] = {0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
                                         0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
                                         0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
                                         0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};
};

} // namespace

void install_info_handler() {
  static Cp1252Handler handler;
  static std::once_flag once;
  std::call_once(once, [] { TagLib::RIFF::Info::Tag::setStringHandler(&handler); });
}

namespace {

// ---- ID3v2 at frame level ------------------------------------------------------------------------
void id3_read(TagLib::ID3v2::Tag* tag, FieldMap& m) {
  if (!tag) return;
  bool v3 = tag->header()->majorVersion() == 3;
  for (auto* f : tag->frameList()) {
    std::string id(f->frameID().data(), f->frameID().size());
    if (auto* u = dynamic_cast<TagLib::ID3v2::UserTextIdentificationFrame*>(f)) {
      auto fl = values(u->fieldList());
      if (fl.empty()) continue;
      auto& v = m["TXXX:" + fl.front()];
      v.insert(v.end(), fl.begin() + 1, fl.end());
    } else if (auto* t = dynamic_cast<TagLib::ID3v2::TextIdentificationFrame*>(f)) {
      // TagLib turns a v2.3 IPLS frame into TIPL when it reads it.
      if (v3 && id == "TIPL") id = "IPLS";
      auto& v = m[id];
      auto fl = values(t->fieldList());
      v.insert(v.end(), fl.begin(), fl.end());
    }
  }
  if (!tag->isEmpty()) m["#id3v2"] = {v3 ? "2.3" : "2.4"};
}

void id3_remove(TagLib::ID3v2::Tag* tag, const std::string& key) {
  if (key.starts_with("#")) return;
  if (key.starts_with("TXXX:")) {
    std::string desc = key.substr(5);
    auto frames = tag->frameList("TXXX");
    for (auto* f : frames)
      if (auto* u = dynamic_cast<TagLib::ID3v2::UserTextIdentificationFrame*>(f))
        if (iequals(utf8(u->description()), desc)) tag->removeFrame(f, true);
    return;
  }
  if (key == "IPLS" || key == "TIPL") {
    tag->removeFrames("IPLS");
    tag->removeFrames("TIPL");
    return;
  }
  if (key.size() == 4) tag->removeFrames(TagLib::ByteVector(key.data(), 4));
}

// An ID3v2.4 size: 28 bits, 7 to a byte.
std::string syncsafe(std::size_t n) {
  std::string s;
  for (int shift = 21; shift >= 0; shift -= 7)
    s += static_cast<char>((n >> shift) & 0x7F);
  return s;
}

// The bytes TagLib renders for the v2.4 text frame of `key` ("TXXX:description" as a
// UserTextIdentificationFrame, a 4-character id as a TextIdentificationFrame): header (id, syncsafe size, no
// flags), UTF-8 encoding byte, the strings separated by one NUL. nullopt for a frame that is not text, and
// when TagLib's own string conversion could change a byte (invalid UTF-8, a NUL inside).
std::optional<TagLib::ByteVector> id3v24_frame(const std::string& key,
                                               const std::vector<std::string>& values) {
  const bool txxx = key.starts_with("TXXX:");
  const std::string_view id = txxx ? std::string_view("TXXX") : std::string_view(key);
  std::vector<std::string_view> strings;
  if (txxx) strings.push_back(std::string_view(key).substr(5));
  strings.insert(strings.end(), values.begin(), values.end());
  std::size_t size = 1; // the encoding byte
  for (const auto& v : strings) {
    if (!taglib_keeps(v)) return std::nullopt;
    size += v.size() + 1;
  }
  size -= 1; // no separator after the last string
  if (id.size() != 4 || id[0] != 'T' || size >= (1u << 28)) return std::nullopt;
  std::string f(id);
  f += syncsafe(size);
  f.append(2, '\0');
  f += '\x03'; // UTF-8
  for (std::size_t k = 0; k < strings.size(); ++k) {
    if (k) f += '\0';
    f += strings[k];
  }
  return TagLib::ByteVector(f.data(), static_cast<unsigned int>(f.size()));
}

} // namespace

void id3_write(TagLib::ID3v2::Tag* tag, const FieldMap& set, const std::set<std::string>& remove, bool v23,
               bool raw_frames) {
  for (const auto& k : remove)
    id3_remove(tag, k);
  for (const auto& [k, v] : set)
    id3_remove(tag, k);
  auto enc = v23 ? TagLib::String::UTF16 : TagLib::String::UTF8;
  for (const auto& [key, vals] : set) {
    if (key.starts_with("#") || vals.empty()) continue;
    const bool txxx = key.starts_with("TXXX:");
    if (!txxx && key.size() != 4) continue;
    // ID3v2.4 text frames as the bytes TagLib's frame classes would render, handed over as raw frames:
    // the same tag, without a wide-string round trip and a frame object per field (most of the time
    // TagLib spent on an MP3 or WAV file).
    if (raw_frames && !v23)
      if (auto bytes = id3v24_frame(key, vals)) {
        tag->addFrame(new TagLib::ID3v2::UnknownFrame(*bytes));
        continue;
      }
    if (txxx) {
      auto* f = new TagLib::ID3v2::UserTextIdentificationFrame(enc);
      f->setDescription(tl(key.substr(5)));
      f->setText(tl(vals));
      tag->addFrame(f);
    } else {
      auto* f = new TagLib::ID3v2::TextIdentificationFrame(TagLib::ByteVector(key.data(), 4), enc);
      f->setText(tl(vals));
      tag->addFrame(f);
    }
  }
}

namespace {

// The frames id3_write would add for `set` (ID3v2.4), as bytes; nullopt for anything that TagLib's frame
// classes must render.
std::optional<std::string> id3v24_frames(const FieldMap& set) {
  std::string frames;
  for (const auto& [key, vals] : set) {
    if (key.starts_with("#") || vals.empty()) continue;
    auto f = id3v24_frame(key, vals);
    if (!f) return std::nullopt;
    frames.append(f->data(), f->size());
  }
  return frames;
}

// A new ID3v2.4 tag as TagLib renders it: header, the frames, 1 KiB of padding (MinPaddingSize), plus
// `extra` padding.
std::string id3v24_new_tag(const std::string& frames, std::size_t extra = 0) {
  const std::size_t size = frames.size() + 1024 + extra;
  std::string tag = "ID3\x04";
  tag.append(2, '\0');
  tag += syncsafe(size);
  tag += frames;
  tag.resize(10 + size, '\0');
  return tag;
}

// An unedited PieceStream over a whole file (the native paths render from the original bytes).
PieceStream* pristine(TagLib::IOStream* stream) {
  auto* ps = dynamic_cast<PieceStream*>(stream);
  return ps && ps->size() == ps->original().size() && ps->pieces().size() <= 1 &&
                 (ps->pieces().empty() || !ps->pieces().front().added)
             ? ps
             : nullptr;
}

// ---- Vorbis comments ------------------------------------------------------------------------------
void xiph_read(TagLib::Ogg::XiphComment* c, FieldMap& m) {
  if (!c) return;
  for (const auto& [k, l] : c->fieldListMap())
    m[utf8(k)] = values(l);
}

void xiph_write(TagLib::Ogg::XiphComment* c, const FieldMap& set, const std::set<std::string>& remove) {
  for (const auto& k : remove)
    c->removeFields(tl(k));
  for (const auto& [k, v] : set) {
    c->removeFields(tl(k));
    for (const auto& s : v)
      c->addField(tl(k), tl(s), false);
  }
}

// ---- MP4 items ------------------------------------------------------------------------------------
void mp4_read(TagLib::MP4::Tag* t, FieldMap& m) {
  if (!t) return;
  for (const auto& [k, item] : t->itemMap()) {
    std::string key = utf8(k);
    if (key == "trkn" || key == "disk") {
      auto p = item.toIntPair();
      m[key] = {std::to_string(p.first) + "/" + std::to_string(p.second)};
      continue;
    }
    auto l = item.toStringList();
    if (!l.isEmpty()) m[key] = values(l);
  }
}

void mp4_write(TagLib::MP4::Tag* t, const FieldMap& set, const std::set<std::string>& remove) {
  for (const auto& k : remove)
    t->removeItem(tl(k));
  for (const auto& [k, v] : set) {
    if (v.empty()) continue;
    if (k == "trkn" || k == "disk") {
      const std::string& s = v.front();
      auto slash = s.find('/');
      int a = std::atoi(s.substr(0, slash).c_str());
      int b = slash == std::string::npos ? 0 : std::atoi(s.substr(slash + 1).c_str());
      t->setItem(tl(k), TagLib::MP4::Item(a, b));
    } else {
      t->setItem(tl(k), TagLib::MP4::Item(tl(v)));
    }
  }
}

// ---- RIFF INFO ------------------------------------------------------------------------------------
void info_read(TagLib::RIFF::Info::Tag* t, FieldMap& m) {
  if (!t) return;
  for (const auto& [id, text] : t->fieldListMap()) {
    std::string k(id.data(), id.size());
    m["INFO:" + k] = {utf8(text)};
  }
}

void info_write(TagLib::RIFF::Info::Tag* t, const FieldMap& set, const std::set<std::string>& remove) {
  for (const auto& k : remove) {
    if (!k.starts_with("INFO:") || k.size() != 9) continue;
    if (k == "INFO:ICMT" && !liners_comment(utf8(t->fieldText("ICMT")))) continue; // the user's
    t->removeField(TagLib::ByteVector(k.data() + 5, 4));
  }
  for (const auto& [k, v] : set) {
    if (!k.starts_with("INFO:") || k.size() != 9 || v.empty()) continue;
    if (k == "INFO:ICMT") {
      auto cur = utf8(t->fieldText("ICMT"));
      if (!cur.empty() && !liners_comment(cur)) continue;
    }
    t->setFieldText(TagLib::ByteVector(k.data() + 5, 4), tl(v.front()));
  }
}

FieldMap only(const FieldMap& m, bool info) {
  FieldMap o;
  for (const auto& [k, v] : m)
    if (k.starts_with("INFO:") == info) o[k] = v;
  return o;
}
std::set<std::string> only(const std::set<std::string>& s, bool info) {
  std::set<std::string> o;
  for (const auto& k : s)
    if (k.starts_with("INFO:") == info) o.insert(k);
  return o;
}

// ---- The format classes ---------------------------------------------------------------------------
// Audio properties are never read: liner checks the container itself (payload.cpp).
template <class F> class Base : public Handler {
public:
  bool open(const std::string& path) override {
    install_info_handler();
    file_ = std::make_unique<F>(path.c_str(), false);
    return file_->isValid();
  }
  bool open(TagLib::IOStream* stream) override {
    install_info_handler();
    stream->seek(0);
    if constexpr (std::is_constructible_v<F, TagLib::IOStream*, TagLib::ID3v2::FrameFactory*, bool>)
      file_ = std::make_unique<F>(stream, TagLib::ID3v2::FrameFactory::instance(), false);
    else
      file_ = std::make_unique<F>(stream, false);
    return file_->isValid();
  }

protected:
  std::unique_ptr<F> file_;
};

// Where the audio frames start: after an optional ID3v2 tag, "fLaC" and the metadata blocks.
// Also the offset of the last block's header when it is PADDING (-1 otherwise).
long flac_audio_start(TagLib::File& f, long& padding_header) {
  padding_header = -1;
  long pos = 0, length = f.length();
  f.seek(0);
  TagLib::ByteVector head = f.readBlock(10);
  if (head.startsWith("ID3") && head.size() == 10) {
    const long size = syncsafe32(reinterpret_cast<const std::uint8_t*>(head.data()) + 6);
    pos = 10 + size + ((head[5] & 0x10) ? 10 : 0);
  }
  pos += 4;
  while (pos + 4 <= length) {
    f.seek(pos);
    TagLib::ByteVector h = f.readBlock(4);
    if (h.size() < 4) return -1;
    bool last = static_cast<unsigned char>(h[0]) & 0x80;
    long len = static_cast<long>(h.toUInt(1, 3, true));
    if (last && (static_cast<unsigned char>(h[0]) & 0x7F) == 1) padding_header = pos;
    pos += 4 + len;
    if (last) return pos;
  }
  return -1;
}

// FLAC: plain files (most masters) are read and written by flac_meta.cpp, which renders what TagLib and
// the padding rule below would, byte for byte, at a hundredth of the cost; other files go through TagLib.
class FlacHandler : public Base<TagLib::FLAC::File> {
public:
  explicit FlacHandler(bool native = true) : native_(native) {}
  bool open(TagLib::IOStream* stream) override {
    stream_ = stream;
    if (auto* ps = native_ ? pristine(stream) : nullptr) {
      meta_ = read_flac_meta(ps->original());
      if (meta_) return true;
    }
    return open_taglib();
  }
  const FieldMap* fields() override { return meta_ ? &meta_->fields : nullptr; }
  FieldMap read() override {
    if (meta_) return meta_->fields;
    FieldMap m;
    if (file_->hasXiphComment()) xiph_read(file_->xiphComment(), m);
    return m;
  }
  void write(const FieldMap& set, const std::set<std::string>& remove, bool) override {
    if (meta_) {
      set_ = set, remove_ = remove;
      if (vorbis_edit(meta_->fields, set, remove)) return;
      fall_back();
      return;
    }
    xiph_write(file_->xiphComment(true), set, remove);
  }
  bool save(bool v23) override {
    if (meta_) {
      auto* ps = static_cast<PieceStream*>(stream_);
      if (auto data = render_flac_meta(*meta_, meta_->fields)) {
        ps->replace(4, meta_->audio_start - 4, data->data(), data->size());
        return true;
      }
      fall_back();
      return save(v23);
    }
    if (!file_->save()) return false;
    // TagLib 1.13 resets the padding of small files to 4 KiB, which moves every audio frame. Resize the
    // padding instead so that the frames stay where they were (an in-place write then touches only the
    // metadata, and a first write of a file with enough padding is small).
    long pad = -1;
    long now = flac_audio_start(*file_, pad);
    if (audio_start_ <= 0 || now <= 0 || now == audio_start_ || pad < 0) return true;
    file_->seek(pad);
    TagLib::ByteVector h = file_->readBlock(4);
    long len = static_cast<long>(h.toUInt(1, 3, true));
    long want = len + (audio_start_ - now);
    if (want < 0 || want > 0xFFFFFF) return true;
    if (want > len)
      file_->insert(TagLib::ByteVector(static_cast<unsigned int>(want - len), '\0'), pad + 4 + len, 0);
    else
      file_->removeBlock(static_cast<unsigned long>(pad + 4 + want), static_cast<unsigned long>(len - want));
    TagLib::ByteVector nh;
    nh.append(h[0]);
    nh.append(TagLib::ByteVector::fromUInt(static_cast<unsigned int>(want), true).mid(1, 3));
    file_->seek(pad);
    file_->writeBlock(nh);
    return true;
  }
  std::string tag_version() override { return "Vorbis comment"; }

private:
  bool open_taglib() {
    if (!Base::open(stream_)) return false;
    long pad = 0;
    audio_start_ = flac_audio_start(*file_, pad);
    return true;
  }
  // The native path declined a value: redo the edit through TagLib (the stream is still unedited).
  void fall_back() {
    meta_.reset();
    if (open_taglib()) xiph_write(file_->xiphComment(true), set_, remove_);
  }
  bool native_ = true;
  TagLib::IOStream* stream_ = nullptr;
  std::optional<FlacMeta> meta_;
  FieldMap set_;
  std::set<std::string> remove_;
  long audio_start_ = -1;
};

template <class F> class OggHandler : public Base<F> {
public:
  FieldMap read() override {
    FieldMap m;
    xiph_read(this->file_->tag(), m);
    return m;
  }
  void write(const FieldMap& set, const std::set<std::string>& remove, bool) override {
    xiph_write(this->file_->tag(), set, remove);
  }
  bool save(bool) override { return this->file_->save(); }
  std::string tag_version() override { return "Vorbis comment"; }
};

// MP3. A file with no tag yet (audio frames from the first byte: the masters a release starts from) gets
// its first ID3v2.4 tag rendered here, byte for byte what TagLib and align_audio() below would write; any
// other file goes through TagLib.
class MpegHandler : public Base<TagLib::MPEG::File> {
public:
  explicit MpegHandler(bool native = true) : native_(native) {}
  FieldMap read() override {
    FieldMap m;
    if (!fresh_ && file_->hasID3v2Tag()) id3_read(file_->ID3v2Tag(), m);
    return m;
  }
  void write(const FieldMap& set, const std::set<std::string>& remove, bool v23) override {
    if (fresh_) {
      if (!v23 && render_frames(set)) return;
      fresh_ = false; // not a tag we render: TagLib, on the still unedited stream
      if (!Base::open(stream_)) return;
    }
    id3_write(file_->ID3v2Tag(true), set, remove, v23);
  }
  bool open(TagLib::IOStream* stream) override {
    original_size_ = stream->length();
    stream_ = stream;
    auto* ps = native_ ? pristine(stream) : nullptr;
    fresh_ = ps && mpeg_frames_at_start(ps->original());
    return fresh_ || Base::open(stream);
  }
  bool save(bool v23) override {
    if (fresh_) {
      // TagLib's new tag, then align_audio()'s padding up to a whole number of 4 KiB blocks; inserted in
      // front of the audio.
      constexpr std::size_t kBlock = 4096;
      const std::size_t extra = (kBlock - (10 + frames_.size() + 1024) % kBlock) % kBlock;
      const std::string tag = id3v24_new_tag(frames_, extra);
      static_cast<PieceStream*>(stream_)->replace(0, 0, reinterpret_cast<const std::uint8_t*>(tag.data()),
                                                  tag.size());
      return true;
    }
    // Only the ID3v2 tag: no ID3v1 added, APE and ID3v1 already there are left alone.
    if (!file_->save(TagLib::MPEG::File::ID3v2, TagLib::File::StripNone,
                     v23 ? TagLib::ID3v2::v3 : TagLib::ID3v2::v4, TagLib::File::DoNotDuplicate))
      return false;
    align_audio();
    return true;
  }
  std::string tag_version() override {
    if (fresh_) return "none";
    return file_->hasID3v2Tag() ? "ID3v2." + std::to_string(file_->ID3v2Tag()->header()->majorVersion())
                                : "none";
  }

private:
  // When the new tag moves the audio, more padding makes the move a whole number of 4 KiB blocks: an
  // --in-place write then inserts blocks in front of the audio (fallocate INSERT_RANGE) instead of
  // rewriting the file, and the audio starts on a block boundary. The safe default writes the same bytes.
  void align_audio() {
    constexpr long kBlock = 4096;
    const long delta = file_->length() - original_size_;
    const long pad = (kBlock - ((delta % kBlock) + kBlock) % kBlock) % kBlock;
    if (delta == 0 || pad == 0) return;
    file_->seek(0);
    const TagLib::ByteVector h = file_->readBlock(10);
    if (h.size() != 10 || !h.startsWith("ID3") || (h[3] != 3 && h[3] != 4) || (h[5] & 0x10)) return;
    const auto* hb = reinterpret_cast<const std::uint8_t*>(h.data());
    if (std::any_of(hb + 6, hb + 10, [](std::uint8_t c) { return c & 0x80; })) return; // not syncsafe
    const long size = syncsafe32(hb + 6);
    const long grown = size + pad;
    if (grown >= (1L << 28)) return;
    file_->insert(TagLib::ByteVector(static_cast<unsigned int>(pad), '\0'), 10 + size, 0); // zero padding
    const std::string size_bytes = syncsafe(static_cast<std::size_t>(grown));
    file_->seek(6);
    file_->writeBlock(TagLib::ByteVector(size_bytes.data(), 4));
  }
  bool render_frames(const FieldMap& set) {
    auto f = id3v24_frames(set);
    if (!f || f->empty()) return false;
    frames_ = std::move(*f);
    return true;
  }
  long original_size_ = 0;
  bool native_ = true, fresh_ = false;
  TagLib::IOStream* stream_ = nullptr;
  std::string frames_;
};

class AiffHandler : public Base<TagLib::RIFF::AIFF::File> {
public:
  FieldMap read() override {
    FieldMap m;
    if (file_->hasID3v2Tag()) id3_read(file_->tag(), m);
    return m;
  }
  void write(const FieldMap& set, const std::set<std::string>& remove, bool v23) override {
    id3_write(file_->tag(), set, remove, v23);
  }
  bool save(bool v23) override { return file_->save(v23 ? TagLib::ID3v2::v3 : TagLib::ID3v2::v4); }
  std::string tag_version() override {
    return file_->hasID3v2Tag() ? "ID3v2." + std::to_string(file_->tag()->header()->majorVersion()) : "none";
  }
};

// Walks the chunks of a RIFF file (a TagLib::File or IOStream) from the first one after the form type:
// visit(offset, the chunk's first 12 bytes or fewer, at least 8) returns false to stop.
template <class S, class Visit> void riff_chunks(S& s, Visit visit) {
  const long length = s.length();
  for (long pos = 12; pos + 8 <= length;) {
    s.seek(pos);
    const TagLib::ByteVector h = s.readBlock(12);
    if (h.size() < 8 || !visit(pos, h)) return;
    const long size = static_cast<long>(h.toUInt(4, false));
    pos += 8 + size + (size & 1);
  }
}

// Whether a WAV file has no tags yet, in a layout TagLib reads as we do: "RIFF" size "WAVE", then chunks
// of even sizes with valid names up to the end of the file, no ID3 chunk, and at most one LIST/INFO, before
// the audio data (an encoder's; WavHandler renames it "JUNK" and carries its fields over). `info`: where
// that LIST chunk starts, 0 when there is none.
bool wav_untagged(Bytes b, std::uint64_t& info) {
  info = 0;
  if (b.size() < 12 || std::memcmp(b.data(), "RIFF", 4) != 0 || std::memcmp(b.data() + 8, "WAVE", 4) != 0 ||
      std::uint64_t(le32(b.data() + 4)) + 8 != b.size())
    return false;
  std::uint64_t pos = 12;
  bool data = false;
  while (pos < b.size()) {
    if (pos + 8 > b.size()) return false;
    const std::string_view id(reinterpret_cast<const char*>(b.data() + pos), 4);
    if (std::any_of(id.begin(), id.end(), [](char c) { return c < 32 || c > 126; })) return false;
    const std::uint64_t len = le32(b.data() + pos + 4);
    if ((len & 1) || id == "ID3 " || id == "id3 " || pos + 8 + len > b.size()) return false;
    if (id == "LIST" && len >= 4 && std::memcmp(b.data() + pos + 8, "INFO", 4) == 0) {
      if (data || info) return false;
      info = pos;
    }
    data = data || id == "data";
    pos += 8 + len;
  }
  return pos == b.size();
}

// WAV. A file with no tags yet (the usual master) gets its "id3 " and LIST/INFO chunks rendered here, byte
// for byte what TagLib and the renaming below would write; any other file goes through TagLib.
class WavHandler : public Base<TagLib::RIFF::WAV::File> {
public:
  explicit WavHandler(bool native = true) : native_(native) {}
  bool open(TagLib::IOStream* stream) override {
    stream_ = stream;
    auto* ps = native_ ? pristine(stream) : nullptr;
    fresh_ = ps && wav_untagged(ps->original().all(), info_at_);
    if (!fresh_) return open_taglib();
    info_fields_.clear();
    if (info_at_) {
      // Info::Tag::parse, with the same string handler.
      install_info_handler();
      const Bytes o = ps->original().all();
      const std::uint32_t len = le32(o.data() + info_at_ + 4);
      const TagLib::ByteVector d(reinterpret_cast<const char*>(o.data() + info_at_ + 8),
                                 static_cast<unsigned int>(len));
      for (unsigned int p = 4; p < d.size();) {
        const unsigned int size = d.toUInt(p + 4, false);
        if (size > d.size() - p - 8) break;
        const TagLib::ByteVector id = d.mid(p, 4);
        // Empty texts do not survive the TagLib path's carrying over (setFieldText removes them).
        const TagLib::String text = Cp1252Handler().parse(d.mid(p + 8, size));
        if (std::all_of(id.begin(), id.end(), [](char c) { return c >= 32 && c <= 126; }) && !text.isEmpty())
          info_fields_[std::string(id.data(), 4)] = text;
        p += ((size + 1) & ~1u) + 8;
      }
    }
    return true;
  }
  FieldMap read() override {
    // The TagLib path reads after renaming the encoder's list to JUNK: it shows no fields.
    if (fresh_) return {};
    FieldMap m;
    if (file_->hasID3v2Tag()) id3_read(file_->ID3v2Tag(), m);
    if (file_->hasInfoTag()) info_read(file_->InfoTag(), m);
    return m;
  }
  void write(const FieldMap& set, const std::set<std::string>& remove, bool v23) override {
    if (fresh_) {
      if (!v23) {
        auto frames = id3v24_frames(only(set, false));
        if (frames) {
          frames_ = std::move(*frames);
          info_ = info_list(info_fields_, only(set, true), only(remove, true));
          return;
        }
      }
      fresh_ = false; // through TagLib, on the still unedited stream
      if (!open_taglib()) return;
    }
    id3_write(file_->ID3v2Tag(), only(set, false), only(remove, false), v23);
    info_write(file_->InfoTag(), only(set, true), only(remove, true));
  }
  bool save(bool v23) override {
    if (fresh_) {
      // TagLib appends the ID3 chunk, then the LIST chunk (each padded to an even size), and updates the
      // RIFF size.
      std::string add;
      auto chunk = [&](const char* id, const std::string& data) {
        const auto n = static_cast<std::uint32_t>(data.size());
        add.append(id, 4);
        append_le32(add, n);
        add += data;
        if (n & 1) add += '\0';
      };
      if (!frames_.empty()) chunk("id3 ", id3v24_new_tag(frames_));
      if (!info_.empty()) chunk("LIST", info_);
      auto* ps = static_cast<PieceStream*>(stream_);
      if (info_at_) ps->replace(info_at_, 4, reinterpret_cast<const std::uint8_t*>("JUNK"), 4);
      if (add.empty()) return true;
      const std::uint64_t end = ps->size();
      ps->replace(end, 0, reinterpret_cast<const std::uint8_t*>(add.data()), add.size());
      std::vector<std::uint8_t> riff;
      append_le32(riff, ps->size() - 8);
      ps->replace(4, 4, riff.data(), riff.size());
      return true;
    }
    if (!file_->save(TagLib::RIFF::WAV::File::AllTags, TagLib::File::StripNone,
                     v23 ? TagLib::ID3v2::v3 : TagLib::ID3v2::v4))
      return false;
    // Name the ID3 chunk "id3 ": TagLib, mutagen, FFmpeg and MediaInfo read either case, exiftool 12.57
    // reads only the lower-case one. Same size, so nothing else moves.
    riff_chunks(*file_, [&](long pos, const TagLib::ByteVector& h) {
      if (h.mid(0, 4) != "ID3 ") return true;
      file_->seek(pos);
      file_->writeBlock("id3 ");
      return false;
    });
    return true;
  }
  std::string tag_version() override {
    if (fresh_) return "no ID3";
    std::string v = file_->hasID3v2Tag()
                        ? "ID3v2." + std::to_string(file_->ID3v2Tag()->header()->majorVersion())
                        : "no ID3";
    return v + (file_->hasInfoTag() ? " + RIFF INFO" : "");
  }

private:
  bool open_taglib() {
    if (!Base::open(stream_)) return false;
    // A LIST/INFO chunk before the audio data would be removed by TagLib and a new one appended at the end,
    // moving every byte of audio (a full rewrite). Keep it where it is, renamed "JUNK" (every reader skips
    // JUNK), and let TagLib append the new list after the data; the fields it held are carried over.
    bool renamed = false;
    TagLib::IOStream* stream = stream_;
    riff_chunks(*stream, [&](long pos, const TagLib::ByteVector& h) {
      if (h.mid(0, 4) == "data") return false;
      if (h.mid(0, 4) == "LIST" && h.mid(8, 4) == "INFO") {
        stream->seek(pos);
        stream->writeBlock("JUNK");
        renamed = true;
      }
      return true;
    });
    if (!renamed) return true;
    auto fields = file_->InfoTag()->fieldListMap();
    // TagLib parsed the chunks before the rename: parse them again.
    file_.reset();
    if (!Base::open(stream_)) return false;
    for (const auto& [id, text] : fields)
      file_->InfoTag()->setFieldText(id, text);
    return true;
  }
  // The LIST chunk's data as TagLib's Info::Tag renders it after info_write on an empty tag: "INFO", then
  // each field (ids in order) as id, size, CP1252 text, NUL, padded to an even size. Empty: no chunk.
  static std::string info_list(std::map<std::string, TagLib::String> fields, const FieldMap& set,
                               const std::set<std::string>& remove) {
    install_info_handler();
    auto is_id = [](const std::string& id) {
      return std::all_of(id.begin(), id.end(), [](char c) { return c >= 32 && c <= 126; });
    };
    auto icmt = [&] {
      auto it = fields.find("ICMT");
      return it == fields.end() ? std::string() : utf8(it->second);
    };
    auto users_comment = [&] {
      const std::string c = icmt();
      return !c.empty() && !liners_comment(c);
    };
    // As info_write does: removals, then the new values (ICMT only when it is liner's own).
    for (const auto& k : remove) {
      if (!k.starts_with("INFO:") || k.size() != 9) continue;
      if (k == "INFO:ICMT" && !liners_comment(icmt())) continue;
      fields.erase(k.substr(5));
    }
    for (const auto& [k, v] : set) {
      if (!k.starts_with("INFO:") || k.size() != 9 || v.empty()) continue;
      if (k == "INFO:ICMT" && users_comment()) continue;
      const std::string id = k.substr(5);
      if (!is_id(id)) continue;
      if (v.front().empty())
        fields.erase(id);
      else
        fields[id] = tl(v.front());
    }
    std::string data = "INFO"; // ids in TagLib's (byte) order
    for (const auto& [id, value] : fields) {
      const TagLib::ByteVector t = Cp1252Handler().render(value);
      if (t.isEmpty()) continue;
      const auto n = static_cast<std::uint32_t>(t.size() + 1);
      data += id;
      append_le32(data, n);
      data.append(t.data(), t.size());
      do
        data += '\0';
      while (data.size() & 1);
    }
    return data.size() == 4 ? std::string() : data;
  }
  bool native_ = true, fresh_ = false;
  TagLib::IOStream* stream_ = nullptr;
  std::string frames_, info_;
  std::uint64_t info_at_ = 0;                         // an encoder's LIST/INFO before the data
  std::map<std::string, TagLib::String> info_fields_; // its fields
};

class Mp4Handler : public Base<TagLib::MP4::File> {
public:
  FieldMap read() override {
    FieldMap m;
    mp4_read(file_->tag(), m);
    return m;
  }
  void write(const FieldMap& set, const std::set<std::string>& remove, bool) override {
    mp4_write(file_->tag(), set, remove);
  }
  bool save(bool) override { return file_->save(); }
  std::string tag_version() override { return "MP4 ilst"; }
};

// ---- Sniffing -------------------------------------------------------------------------------------
bool sniff_flac(const View& b, std::string_view) {
  return b.at(id3v2_end(b, 0), "fLaC");
}
bool sniff_mpeg(const View& b, std::string_view ext) {
  std::uint64_t p = id3v2_end(b, 0);
  if (b.at(p, "fLaC")) return false;
  bool sync = b.size() >= p + 2 && b[p] == 0xFF && (b[p + 1] & 0xE0) == 0xE0 && ((b[p + 1] >> 1) & 3) != 0;
  return sync || (p > 0 && (ext == ".mp3" || ext == ".mp2"));
}
bool sniff_wav(const View& b, std::string_view) {
  return (b.at(0, "RIFF") || b.at(0, "RF64") || b.at(0, "BW64")) && b.at(8, "WAVE");
}
bool sniff_aiff(const View& b, std::string_view) {
  return b.at(0, "FORM") && (b.at(8, "AIFF") || b.at(8, "AIFC"));
}
bool sniff_mp4(const View& b, std::string_view) {
  return b.at(4, "ftyp");
}
bool sniff_vorbis(const View& b, std::string_view) {
  return b.at(0, "OggS") && b.at(28, "\x01vorbis");
}
bool sniff_opus(const View& b, std::string_view) {
  return b.at(0, "OggS") && b.at(28, "OpusHead");
}

template <class H> std::unique_ptr<Handler> make() {
  return std::make_unique<H>();
}

// The registry: adding a format is one row (plus its class and payload scanner).
const FormatRow kRegistry[] = {
    {Format::Flac, "FLAC", Family::Vorbis, false, true, sniff_flac, scan_flac, make<FlacHandler>},
    {Format::Mp3, "MP3", Family::Id3, false, true, sniff_mpeg, scan_mpeg, make<MpegHandler>},
    {Format::Wav, "WAV", Family::Id3, true, false, sniff_wav, scan_wav, make<WavHandler>},
    {Format::Aiff, "AIFF", Family::Id3, false, false, sniff_aiff, scan_aiff, make<AiffHandler>},
    {Format::Mp4, "MP4", Family::Mp4, false, false, sniff_mp4, scan_mp4, make<Mp4Handler>},
    {Format::OggVorbis, "Ogg Vorbis", Family::Vorbis, false, false, sniff_vorbis, scan_ogg_vorbis,
     make<OggHandler<TagLib::Ogg::Vorbis::File>>},
    {Format::Opus, "Opus", Family::Vorbis, false, false, sniff_opus, scan_ogg_opus,
     make<OggHandler<TagLib::Ogg::Opus::File>>},
};

} // namespace

std::unique_ptr<Handler> make_flac_handler(bool native) {
  return std::make_unique<FlacHandler>(native);
}

std::unique_ptr<Handler> make_mpeg_handler(bool native) {
  return std::make_unique<MpegHandler>(native);
}

bool wav_without_tags(Bytes b) {
  std::uint64_t info = 0;
  return wav_untagged(b, info);
}

std::unique_ptr<Handler> make_wav_handler(bool native) {
  return std::make_unique<WavHandler>(native);
}

std::span<const FormatRow> registry() {
  return kRegistry;
}

const FormatRow& row_for(Format f) {
  for (const auto& r : kRegistry)
    if (r.format == f) return r;
  return kRegistry[0];
}

const FormatRow* sniff(const View& head, std::string_view extension) {
  std::string ext = credits::lower(extension);
  for (const auto& r : kRegistry)
    if (r.sniff(head, ext)) return &r;
  return nullptr;
}

const FormatRow* sniff_file(const FileImage& f, const std::string& path) {
  return sniff(View(f, 1 << 16), std::filesystem::path(path).extension().string());
}

} // namespace liner::tagging::detail

namespace liner::tagging {

std::string_view to_string(Format f) {
  return detail::row_for(f).name;
}

std::vector<Format> formats() {
  std::vector<Format> v;
  for (const auto& r : detail::registry())
    v.push_back(r.format);
  return v;
}

std::string_view to_string(Outcome o) {
  switch (o) {
  case Outcome::Tagged:
    return "tagged";
  case Outcome::Unchanged:
    return "unchanged";
  case Outcome::WouldChange:
    return "would change";
  case Outcome::Failed:
    return "failed";
  }
  return "failed";
}

} // namespace liner::tagging
