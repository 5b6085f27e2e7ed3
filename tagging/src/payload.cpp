// Where the audio is in each container, and whether the container is complete. liner hashes these ranges
// before and after tagging: a write that changed one byte of audio is refused.
#include "internal.hpp"

#include <cerrno>
#include <cstring>
#include <liner/credits/error.hpp>
#include <openssl/evp.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace liner::tagging::detail {
namespace {

using u64 = std::uint64_t;

bool at(const View& b, u64 off, std::string_view magic) {
  return b.at(off, magic);
}
std::uint32_t be32(const std::uint8_t* p) {
  return (std::uint32_t(p[0]) << 24) | (std::uint32_t(p[1]) << 16) | (std::uint32_t(p[2]) << 8) | p[3];
}
u64 be64(const std::uint8_t* p) {
  return (u64(be32(p)) << 32) | be32(p + 4);
}

Payload fail(std::string code, std::string message) {
  Payload p;
  p.problem_code = std::move(code);
  p.problem = std::move(message);
  return p;
}

// ---- FLAC -----------------------------------------------------------------------------------------
std::uint8_t crc8(const std::uint8_t* p, std::size_t n) {
  std::uint8_t c = 0;
  for (std::size_t i = 0; i < n; ++i) {
    c ^= p[i];
    for (int k = 0; k < 8; ++k)
      c = static_cast<std::uint8_t>((c & 0x80) ? (c << 1) ^ 0x07 : c << 1);
  }
  return c;
}
struct Crc16Table {
  std::uint16_t t[256];
  Crc16Table() {
    for (int i = 0; i < 256; ++i) {
      std::uint16_t c = static_cast<std::uint16_t>(i << 8);
      for (int k = 0; k < 8; ++k)
        c = static_cast<std::uint16_t>((c & 0x8000) ? (c << 1) ^ 0x8005 : c << 1);
      t[i] = c;
    }
  }
};
std::uint16_t crc16(const std::uint8_t* p, std::size_t n) {
  static const Crc16Table table;
  std::uint16_t c = 0;
  for (std::size_t i = 0; i < n; ++i)
    c = static_cast<std::uint16_t>((c << 8) ^ table.t[((c >> 8) ^ p[i]) & 0xFF]);
  return c;
}

// Parses a FLAC frame header at p (n bytes available). Returns false when it is not one.
bool flac_frame_header(const std::uint8_t* p, std::size_t n, bool& variable, u64& number, u64& block) {
  if (n < 6 || p[0] != 0xFF || (p[1] & 0xFE) != 0xF8) return false;
  variable = p[1] & 1;
  int bs = p[2] >> 4, sr = p[2] & 0xF, ch = p[3] >> 4;
  if (bs == 0 || sr == 15 || ch > 10 || (p[3] & 1)) return false;
  std::size_t i = 4;
  // UTF-8-like coded number.
  std::uint8_t b0 = p[i++];
  int extra = 0;
  if (b0 < 0x80)
    number = b0;
  else if ((b0 & 0xE0) == 0xC0)
    extra = 1, number = b0 & 0x1F;
  else if ((b0 & 0xF0) == 0xE0)
    extra = 2, number = b0 & 0x0F;
  else if ((b0 & 0xF8) == 0xF0)
    extra = 3, number = b0 & 0x07;
  else if ((b0 & 0xFC) == 0xF8)
    extra = 4, number = b0 & 0x03;
  else if ((b0 & 0xFE) == 0xFC)
    extra = 5, number = b0 & 0x01;
  else if (b0 == 0xFE)
    extra = 6, number = 0;
  else
    return false;
  for (int k = 0; k < extra; ++k) {
    if (i >= n || (p[i] & 0xC0) != 0x80) return false;
    number = (number << 6) | (p[i++] & 0x3F);
  }
  if (bs == 6) {
    if (i + 1 > n) return false;
    block = u64(p[i]) + 1, i += 1;
  } else if (bs == 7) {
    if (i + 2 > n) return false;
    block = ((u64(p[i]) << 8) | p[i + 1]) + 1, i += 2;
  } else if (bs == 1) {
    block = 192;
  } else if (bs <= 5) {
    block = u64(576) << (bs - 2);
  } else {
    block = u64(256) << (bs - 8);
  }
  if (sr == 12)
    i += 1;
  else if (sr == 13 || sr == 14)
    i += 2;
  if (i + 1 > n) return false;
  return crc8(p, i) == p[i];
}

// ---- MPEG audio -----------------------------------------------------------------------------------
u64 mpeg_frame_length(const std::uint8_t* h) {
  static constexpr int kRates[2][3][16] = {
      {{0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448, 0},
       {0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384, 0},
       {0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 0}},
      {{0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256, 0},
       {0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, 0},
       {0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160, 0}}};
  static constexpr int kSampleRates[3] = {44100, 48000, 32000};
  if (h[0] != 0xFF || (h[1] & 0xE0) != 0xE0) return 0;
  int version = (h[1] >> 3) & 3, layer = (h[1] >> 1) & 3;
  int bitrate_index = h[2] >> 4, rate_index = (h[2] >> 2) & 3, padding = (h[2] >> 1) & 1;
  if (version == 1 || layer == 0 || bitrate_index == 0 || bitrate_index == 15 || rate_index == 3) return 0;
  bool v1 = version == 3;
  int rate = kSampleRates[rate_index] >> (version == 3 ? 0 : version == 2 ? 1 : 2);
  int kbps = kRates[v1 ? 0 : 1][3 - layer][bitrate_index];
  if (layer == 3) return u64((12 * kbps * 1000 / rate + padding) * 4);
  int factor = (layer == 1 && !v1) ? 72 : 144;
  return u64(factor * kbps * 1000 / rate + padding);
}

} // namespace

bool mpeg_frames_at_start(const View& b) {
  if (b.size() < 4) return false;
  const u64 len = mpeg_frame_length(b.get(0, 4));
  return len && (len == b.size() || (len + 4 <= b.size() && mpeg_frame_length(b.get(len, 4))));
}

namespace {

// A chain of `frames` MPEG frames, each valid and ending where the next begins, ends exactly at `end`
// (and starts at or after `first`).
bool mpeg_chain_ends_at(const View& b, u64 first, u64 end, int frames) {
  constexpr u64 kMaxFrame = 2881; // MPEG 2.5 layer III at 160 kbit/s and 8 kHz, padded; layer I/II less
  if (frames == 0) return true;
  if (end < first + 4) return false;
  const u64 lowest = end - std::min(end - first, kMaxFrame);
  for (u64 q = end - 4 + 1; q-- > lowest;) {
    if (mpeg_frame_length(b.get(q, 4)) == end - q && mpeg_chain_ends_at(b, first, q, frames - 1)) return true;
  }
  return false;
}

// ---- Ogg ------------------------------------------------------------------------------------------
Payload scan_ogg(const View& b, int header_packets) {
  Payload p;
  u64 pos = 0;
  std::uint32_t serial = 0;
  bool first = true, eos = false;
  int packets = 0;
  while (pos < b.size()) {
    if (!at(b, pos, "OggS") || pos + 27 > b.size()) {
      if (first) return fail("not-audio", "not an Ogg stream");
      return fail("truncated",
                  "the Ogg stream is cut short (incomplete page at byte " + std::to_string(pos) + ")");
    }
    int nseg = b[pos + 26];
    if (pos + 27 + u64(nseg) > b.size())
      return fail("truncated",
                  "the Ogg stream is cut short (incomplete page at byte " + std::to_string(pos) + ")");
    const std::uint8_t* h = b.get(pos, 27 + static_cast<std::size_t>(nseg));
    u64 body = 0;
    for (int i = 0; i < nseg; ++i)
      body += h[27 + i];
    u64 start = pos + 27 + u64(nseg);
    if (start + body > b.size())
      return fail("truncated",
                  "the Ogg stream is cut short (incomplete page at byte " + std::to_string(pos) + ")");
    std::uint32_t s = le32(h + 14);
    if (first) serial = s, first = false;
    if (s == serial) {
      if (packets >= header_packets) {
        if (body) p.ranges.push_back({start, body});
      } else {
        for (int i = 0; i < nseg; ++i)
          if (h[27 + i] < 255) ++packets;
      }
      if (h[5] & 4) eos = true;
    }
    pos = start + body;
  }
  if (!eos) return fail("truncated", "the Ogg stream has no end-of-stream page (the file is cut short)");
  if (p.ranges.empty()) return fail("truncated", "the Ogg stream has no audio pages");
  return p;
}

} // namespace

std::uint64_t id3v2_end(const View& b, std::uint64_t pos) {
  while (at(b, pos, "ID3") && b.size() >= pos + 10) {
    const std::uint8_t* h = b.get(pos, 10);
    pos += 10 + u64(syncsafe32(h + 6)) + ((h[5] & 0x10) ? 10 : 0);
  }
  return pos;
}

namespace {

// Unmapping a file costs a TLB flush on every core that runs the process: with one mapping per file and
// worker threads on every core, that was a sixth of a batch's CPU time. So each thread maps its files side
// by side in a reserved stretch of address space and unmaps them together, once no mapping there is in
// use and 64 files or 1 GiB have gone by: one flush per group instead of one per file. Used by --in-place
// writes, where the file stays (a safe write renames over the original, whose disk space a late unmap would
// hold back).
class MapArena {
public:
  ~MapArena() {
    if (base_) ::munmap(base_, kSize);
  }
  // The file mapped read-only, or nullptr when it does not fit (then the caller maps it alone).
  const std::uint8_t* map(int fd, u64 size) {
    const u64 need = (size + kPage - 1) / kPage * kPage;
    if (need > kSize / 4) return nullptr;
    if (used_ + need > kSize || released_ >= kGroup) {
      if (live_ > 0) return nullptr;
      reset();
    }
    if (!base_) {
      void* b = ::mmap(nullptr, kSize, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
      if (b == MAP_FAILED) return nullptr;
      base_ = static_cast<std::uint8_t*>(b);
    }
    void* m = ::mmap(base_ + used_, size, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 0);
    if (m == MAP_FAILED) return nullptr;
    used_ += need;
    ++live_;
    return static_cast<const std::uint8_t*>(m);
  }
  bool owns(const std::uint8_t* p) const { return base_ && p >= base_ && p < base_ + kSize; }
  void release() {
    --live_;
    ++released_;
  }

private:
  // Everything mapped so far goes, in one call; the stretch is reserved again (nothing to flush there).
  void reset() {
    if (base_ && used_ > 0 &&
        ::mmap(base_, used_, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0) ==
            MAP_FAILED) {
      ::munmap(base_, kSize);
      base_ = nullptr;
    }
    used_ = 0;
    released_ = 0;
  }
  static constexpr u64 kSize = u64(1) << 30, kPage = 4096, kGroup = 64;
  std::uint8_t* base_ = nullptr;
  u64 used_ = 0, released_ = 0, live_ = 0;
};

thread_local MapArena arena;

} // namespace

MappedFile::MappedFile(int fd)
    : MappedFile(fd, [fd] {
        struct stat st {};
        if (fstat(fd, &st) != 0) throw Error(std::string("cannot stat: ") + std::strerror(errno));
        return static_cast<u64>(st.st_size);
      }()) {}

MappedFile::MappedFile(int fd, u64 size, bool grouped) : size_(size) {
  if (size_ == 0) return;
  if (grouped && (data_ = arena.map(fd, size_))) return;
  void* m = mmap(nullptr, size_, PROT_READ, MAP_PRIVATE, fd, 0);
  if (m == MAP_FAILED) throw Error(std::string("cannot map the file: ") + std::strerror(errno));
  data_ = static_cast<const std::uint8_t*>(m);
}

MappedFile::~MappedFile() {
  if (!data_) return;
  if (arena.owns(data_))
    arena.release();
  else
    munmap(const_cast<std::uint8_t*>(data_), size_);
}

// ---- FileImage ------------------------------------------------------------------------------------

namespace {

// The buffer a thread reads its files into, reused from file to file: its pages stay allocated, so reading
// into them costs no page faults after the first files. A file larger than the buffer gets a larger one;
// an image made while the thread's buffer is in use gets its own.
struct ImageBuffer {
  ~ImageBuffer() {
    if (base) ::munmap(base, capacity);
  }
  std::uint8_t* base = nullptr;
  u64 capacity = 0;
  bool in_use = false;
};
thread_local ImageBuffer image_buffer;

constexpr u64 kImagePage = 4096;
// After an image that read more than this, the buffer's pages are given back.
constexpr u64 kImageResident = u64(32) << 20;

std::uint8_t* map_buffer(u64 bytes) {
  void* m =
      ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (m == MAP_FAILED)
    throw Error(std::string("cannot reserve memory to read the file: ") + std::strerror(errno));
  return static_cast<std::uint8_t*>(m);
}

// Reads exactly n bytes at off; a file shorter than when it was measured is an error.
void read_exact(int fd, std::uint8_t* out, u64 n, u64 off, const std::string& path) {
  while (n > 0) {
    const ssize_t r = ::pread(fd, out, n, static_cast<off_t>(off));
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) throw Error(path, std::string("cannot read: ") + std::strerror(errno));
    if (r == 0) throw Error(path, "the file was shortened while liner read it (not changed)");
    out += r, off += static_cast<u64>(r), n -= static_cast<u64>(r);
  }
}

} // namespace

FileImage::FileImage(int fd, u64 size, std::string path) : size_(size), fd_(fd), path_(std::move(path)) {
  if (size_ == 0) return;
  const u64 pages = (size_ + kImagePage - 1) / kImagePage;
  ImageBuffer& b = image_buffer;
  if (!b.in_use) {
    if (b.capacity < pages * kImagePage) {
      if (b.base) ::munmap(b.base, b.capacity);
      b.base = nullptr, b.capacity = 0;
      const u64 capacity = std::max<u64>(pages * kImagePage, u64(64) << 20); // address space only
      b.base = map_buffer(capacity);
      b.capacity = capacity;
    }
    b.in_use = true;
    base_ = b.base;
  } else {
    capacity_ = pages * kImagePage;
    base_ = map_buffer(capacity_);
  }
  loaded_.assign((pages + 63) / 64, 0);
}

FileImage::~FileImage() {
  if (!base_) return;
  if (capacity_ > 0) {
    ::munmap(base_, capacity_);
    return;
  }
  if (loaded_bytes_ > kImageResident) ::madvise(base_, image_buffer.capacity, MADV_DONTNEED);
  image_buffer.in_use = false;
}

void FileImage::load(u64 first, u64 end) const {
  const u64 pages = (size_ + kImagePage - 1) / kImagePage;
  for (u64 p = first; p < end;) {
    if (loaded_[p / 64] >> (p % 64) & 1) {
      ++p;
      continue;
    }
    // A read that continues the previous one (a walk over MPEG frames) reads ahead, twice as far each
    // time, up to 256 KiB; any other reads the pages asked for.
    ahead_ = p == next_ ? std::min<u64>(std::max<u64>(ahead_ * 2, 4), 64) : 0;
    u64 q = p + 1;
    while (q < std::min(pages, std::max(end, p + ahead_)) && !(loaded_[q / 64] >> (q % 64) & 1))
      ++q;
    next_ = q;
    const u64 from = p * kImagePage, to = std::min(q * kImagePage, size_);
    read_exact(fd_, base_ + from, to - from, from, path_);
    loaded_bytes_ += to - from;
    for (u64 k = p; k < q; ++k)
      loaded_[k / 64] |= u64(1) << (k % 64);
    p = q;
  }
}

const std::uint8_t* FileImage::get(u64 off, u64 n) const {
  if (!base_) return flat_.data() + off;
  if (n > 0) load(off / kImagePage, (off + n - 1) / kImagePage + 1);
  return base_ + off;
}

const std::uint8_t* FileImage::peek(u64 off, u64 n) const {
  return !base_ || n <= kKeep ? get(off, n) : nullptr;
}

void FileImage::copy(u64 off, u64 n, std::uint8_t* out) const {
  if (n == 0) return;
  if (const std::uint8_t* p = peek(off, n)) {
    std::memcpy(out, p, n);
    return;
  }
  read_exact(fd_, out, n, off, path_);
}

Payload scan_flac(const View& b, bool deep) {
  u64 pos = id3v2_end(b, 0);
  if (!at(b, pos, "fLaC")) return fail("not-audio", "not a FLAC stream");
  pos += 4;
  u64 total_samples = 0, max_block = 0;
  bool last = false;
  while (!last) {
    if (pos + 4 > b.size()) return fail("truncated", "the FLAC metadata is cut short");
    const std::uint8_t* h = b.get(pos, 4);
    last = h[0] & 0x80;
    int type = h[0] & 0x7F;
    u64 len = (u64(h[1]) << 16) | (u64(h[2]) << 8) | h[3];
    if (pos + 4 + len > b.size())
      return fail("truncated", "a FLAC metadata block runs past the end of the file");
    if (type == 0 && len >= 18) {
      const std::uint8_t* s = b.get(pos + 4, 18);
      max_block = (u64(s[2]) << 8) | s[3];
      total_samples = (u64(s[13] & 0x0F) << 32) | be32(s + 14);
    }
    pos += 4 + len;
  }
  u64 end = b.size();
  if (end >= pos + 128 && at(b, end - 128, "TAG")) end -= 128;
  if (end <= pos + 2) return fail("truncated", "the FLAC file has no audio frames");
  if (!deep) {
    Payload p;
    p.ranges.push_back({pos, end - pos});
    return p;
  }
  // The last frame must be complete (its CRC-16 matches) and end at the stream's last sample.
  // Only the file's tail is read: 16 KiB back from the end (more than one frame, almost always), growing
  // to at most 1 MiB when no frame ends there.
  bool ok = false;
  for (u64 want = u64(16) << 10;; want *= 4) {
    const u64 window = std::min<u64>(end - pos, want);
    const std::uint8_t* w = b.get(end - window, static_cast<std::size_t>(window));
    bool found = false;
    for (u64 i = window - 2; i-- > 0;) {
      if (w[i] != 0xFF || (w[i + 1] & 0xFE) != 0xF8) continue;
      bool variable = false;
      u64 number = 0, block = 0;
      if (!flac_frame_header(w + i, window - i, variable, number, block)) continue;
      std::uint16_t crc = static_cast<std::uint16_t>((w[window - 2] << 8) | w[window - 1]);
      if (crc16(w + i, window - 2 - i) != crc) continue;
      u64 first = variable ? number : number * max_block;
      ok = total_samples == 0 || first + block == total_samples;
      found = true;
      break;
    }
    if (found || window == end - pos || window >= (u64(1) << 20)) break;
  }
  if (!ok) return fail("truncated", "the FLAC audio is cut short (its last frame is incomplete or missing)");
  Payload p;
  p.ranges.push_back({pos, end - pos});
  return p;
}

Payload scan_mpeg(const View& b, bool deep) {
  u64 pos = id3v2_end(b, 0);
  if (pos > b.size()) return fail("truncated", "the ID3v2 tag runs past the end of the file");
  u64 end = b.size();
  if (end >= pos + 128 && at(b, end - 128, "TAG")) end -= 128;
  if (end >= pos + 32 && at(b, end - 32, "APETAGEX")) {
    const std::uint8_t* f = b.get(end - 32, 32);
    u64 size = le32(f + 12);
    bool header = le32(f + 20) & 0x80000000u;
    u64 total = size + (header ? 32 : 0);
    if (total <= end - pos) end -= total;
  }
  if (!deep) {
    Payload r;
    r.ranges.push_back({pos, end - pos});
    return r;
  }
  // Find the first frame (some encoders leave a little junk after the tag).
  u64 p = pos;
  u64 limit = std::min(end, pos + 65536);
  while (p + 4 <= limit) {
    u64 len = mpeg_frame_length(b.get(p, 4));
    if (len && (p + len == end || (p + len + 4 <= end && mpeg_frame_length(b.get(p + len, 4))))) break;
    ++p;
  }
  if (p + 4 > limit) return fail("not-audio", "no MPEG audio frames found");
  // The last frame must end at the end of the audio. Quick proof from the tail: a chain of three frames
  // (each header valid, each ending where the next begins) ends exactly there. A false chain needs three
  // frame headers in a row by chance. When there is none (a cut file, junk at the end), walk every frame.
  if (mpeg_chain_ends_at(b, p, end, 3)) {
    Payload r;
    r.ranges.push_back({pos, end - pos});
    return r;
  }
  // Walk the frames: the last one must end at the end of the audio.
  while (p + 4 <= end) {
    u64 len = mpeg_frame_length(b.get(p, 4));
    if (!len) break; // junk or a free-format frame: cannot tell, accept
    if (p + len > end) return fail("truncated", "the MPEG audio is cut short (last frame incomplete)");
    p += len;
  }
  Payload r;
  r.ranges.push_back({pos, end - pos});
  return r;
}

Payload scan_wav(const View& b, bool) {
  if (at(b, 0, "RF64") || at(b, 0, "BW64"))
    return fail("rf64-unsupported",
                "RF64/BW64 files are refused: TagLib 1.13 corrupts them when it writes tags");
  if (!at(b, 0, "RIFF") || !at(b, 8, "WAVE")) return fail("not-audio", "not a RIFF WAVE file");
  u64 pos = 12;
  Payload p;
  while (pos + 8 <= b.size()) {
    u64 size = le32(b.get(pos + 4, 4));
    if (at(b, pos, "data")) {
      if (pos + 8 + size > b.size()) return fail("truncated", "the WAV data chunk is cut short");
      p.ranges.push_back({pos + 8, size});
    }
    pos += 8 + size + (size & 1);
  }
  if (p.ranges.empty()) return fail("truncated", "the WAV file has no data chunk");
  return p;
}

Payload scan_aiff(const View& b, bool) {
  if (!at(b, 0, "FORM") || !(at(b, 8, "AIFF") || at(b, 8, "AIFC")))
    return fail("not-audio", "not an AIFF file");
  u64 pos = 12;
  Payload p;
  while (pos + 8 <= b.size()) {
    u64 size = be32(b.get(pos + 4, 4));
    if (at(b, pos, "SSND")) {
      if (pos + 8 + size > b.size()) return fail("truncated", "the AIFF SSND chunk is cut short");
      p.ranges.push_back({pos + 8, size});
    }
    pos += 8 + size + (size & 1);
  }
  if (p.ranges.empty()) return fail("truncated", "the AIFF file has no SSND chunk");
  return p;
}

Payload scan_mp4(const View& b, bool) {
  if (!at(b, 4, "ftyp")) return fail("not-audio", "not an MP4 file");
  u64 pos = 0;
  bool moov = false;
  Payload p;
  while (pos + 8 <= b.size()) {
    u64 size = be32(b.get(pos, 4)), header = 8;
    if (size == 1) {
      if (pos + 16 > b.size()) return fail("truncated", "the MP4 file is cut short");
      size = be64(b.get(pos + 8, 8)), header = 16;
    } else if (size == 0) {
      size = b.size() - pos;
    }
    if (size < header || pos + size > b.size())
      return fail("truncated", "the MP4 '" +
                                   std::string(reinterpret_cast<const char*>(b.get(pos + 4, 4)), 4) +
                                   "' box runs past the end of the file");
    if (at(b, pos + 4, "moov")) moov = true;
    if (at(b, pos + 4, "mdat")) p.ranges.push_back({pos + header, size - header});
    pos += size;
  }
  if (!moov) return fail("truncated", "the MP4 file has no 'moov' box");
  if (p.ranges.empty()) return fail("truncated", "the MP4 file has no 'mdat' box");
  return p;
}

Payload scan_ogg_vorbis(const View& b, bool) {
  return scan_ogg(b, 3);
}
Payload scan_ogg_opus(const View& b, bool) {
  return scan_ogg(b, 2);
}

std::string payload_digest(const View& b, const Payload& p) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
  constexpr u64 kChunk = u64(1) << 20;
  for (const auto& r : p.ranges)
    for (u64 done = 0; done < r.size; done += kChunk) {
      auto n = static_cast<std::size_t>(std::min(kChunk, r.size - done));
      EVP_DigestUpdate(ctx, b.get(r.offset + done, n), n);
    }
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_DigestFinal_ex(ctx, md, &n);
  EVP_MD_CTX_free(ctx);
  return std::string(reinterpret_cast<const char*>(md), n);
}

} // namespace liner::tagging::detail
