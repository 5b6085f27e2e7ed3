// Safe writes: lock, temporary copy in the same folder, tag, check the audio payload is byte-identical,
// fsync, rename. A crash at any moment leaves the original or the fully tagged file, plus at most a
// ".NAME.liner-tmp-XXXXXX" file that the next run removes.
#include "internal.hpp"

#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <deque>
#include <dirent.h>
#include <fcntl.h>
#include <filesystem>
#include <functional>
#include <liner/credits/error.hpp>
#include <liner/credits/parallel.hpp>
#include <linux/falloc.h>
#include <map>
#include <mutex>
#include <optional>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <taglib/tbytevector.h>
#include <thread>
#include <unistd.h>
#include <unordered_set>

namespace liner::tagging {
namespace detail {
namespace {

namespace fs = std::filesystem;

std::string os_error(int e) {
  switch (e) {
  case ENOSPC:
    return "no space left on the device (disk full)";
  case EFBIG:
    return "file size limit reached (disk quota or ulimit -f)";
  case EDQUOT:
    return "disk quota exceeded";
  case EROFS:
    return "the file system is read-only";
  case EACCES:
  case EPERM:
    return "permission denied";
  default:
    return std::strerror(e);
  }
}

[[noreturn]] void fail_errno(const std::string& path, const std::string& what, int e) {
  throw Error(path, what + ": " + os_error(e));
}

// A file descriptor, closed at the end. One holding a flock (locked) unlocks it explicitly before closing:
// a mapping of the file (MappedFile keeps a batch's mappings a while) holds the open file, and with it
// the lock, past the close.
class Fd {
public:
  explicit Fd(int fd = -1, bool locked = false) : fd_(fd), locked_(locked) {}
  ~Fd() { reset(); }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  int release() {
    int f = fd_;
    fd_ = -1;
    locked_ = false;
    return f;
  }
  void reset(int fd = -1, bool locked = false) {
    if (fd_ >= 0) {
      if (locked_) ::flock(fd_, LOCK_UN);
      ::close(fd_);
    }
    fd_ = fd;
    locked_ = locked;
  }

private:
  int fd_;
  bool locked_;
};

// Opens `path` and takes an exclusive flock on it. Another liner process that replaced the file (by
// rename) while we waited is detected by comparing inodes, and we lock the new file instead. `flags`:
// O_RDONLY or O_RDWR, maybe with O_NOFOLLOW. soft: an open that fails returns -errno instead of throwing
// (a symbolic link under O_NOFOLLOW: -ELOOP).
int open_locked(const std::string& path, struct stat& st, int flags = O_RDONLY, bool soft = false) {
  for (int attempt = 0; attempt < 1000; ++attempt) {
    int fd = ::open(path.c_str(), flags | O_CLOEXEC);
    if (fd < 0) {
      if (soft) return -errno;
      fail_errno(path, "cannot open", errno);
    }
    if (::flock(fd, LOCK_EX) != 0) {
      int e = errno;
      ::close(fd);
      fail_errno(path, "cannot lock", e);
    }
    struct stat now {};
    if (::fstat(fd, &st) == 0 && ::stat(path.c_str(), &now) == 0 && now.st_ino == st.st_ino &&
        now.st_dev == st.st_dev)
      return fd;
    ::close(fd);
  }
  throw Error(path, "cannot lock: the file keeps being replaced");
}

// A file's temporaries are named ".NAME" + kTempTag + a number ("0": the one a write uses).
constexpr std::string_view kTempTag = ".liner-tmp-";

// ".NAME.liner-tmp-" (built step by step: g++ 12 warns falsely on the one-expression form).
std::string temp_name_prefix(const fs::path& p) {
  std::string s(1, '.');
  s.append(p.filename().string());
  s.append(kTempTag);
  return s;
}

// With the file's lock held, the file's temporary is stale: its writer held the same lock. Temporaries
// have one fixed name per file, so cleaning is one unlink, with no folder listing.
int remove_stale(const std::string& path) {
  return ::unlink(temp_path(path).c_str()) == 0 ? 1 : 0;
}

void write_all(int fd, Bytes data, off_t offset, const std::string& path) {
  std::size_t done = 0;
  while (done < data.size()) {
    ssize_t w = ::pwrite(fd, data.data() + done, data.size() - done, offset + static_cast<off_t>(done));
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) fail_errno(path, "cannot write (file not changed)", w < 0 ? errno : EIO);
    done += static_cast<std::size_t>(w);
  }
}

// Copies [from, from + n) of src_fd to [to, to + n) of fd in the kernel (copy_file_range: no copy through
// user space, and extents shared where the file system can); falls back to copying through memory.
void copy_range(int src_fd, const FileImage& src, std::uint64_t from, int fd, std::uint64_t to,
                std::uint64_t n, const std::string& path) {
  auto in = static_cast<loff_t>(from), out = static_cast<loff_t>(to);
  std::uint64_t left = n;
  while (left > 0) {
    ssize_t c = ::copy_file_range(src_fd, &in, fd, &out, left, 0);
    if (c > 0) {
      left -= static_cast<std::uint64_t>(c);
      continue;
    }
    if (c < 0 && errno == EINTR) continue;
    if (c < 0 && (errno == EXDEV || errno == EINVAL || errno == ENOSYS || errno == EOPNOTSUPP ||
                  errno == EBADF || errno == ETXTBSY)) {
      constexpr std::uint64_t kChunk = 1 << 20;
      std::vector<std::uint8_t> chunk(static_cast<std::size_t>(std::min(left, kChunk)));
      for (std::uint64_t done = n - left; done < n;) {
        const std::uint64_t k = std::min(n - done, kChunk);
        src.copy(from + done, k, chunk.data());
        write_all(fd, Bytes(chunk.data(), static_cast<std::size_t>(k)), static_cast<off_t>(to + done), path);
        done += k;
      }
      return;
    }
    fail_errno(path, "cannot write (file not changed)", c < 0 ? errno : EIO);
  }
}

// The audio ranges of the original and of the tagged stream hold the same bytes. Stretches the stream
// maps to the very same original bytes are equal by construction; anything else is compared byte by byte.
bool same_payload(const View& a, const Payload& pa, const View& b, const Payload& pb) {
  std::uint64_t na = 0, nb = 0;
  for (const auto& r : pa.ranges)
    na += r.size;
  for (const auto& r : pb.ranges)
    nb += r.size;
  if (na != nb) return false;
  // Walk both range lists (Ogg pages may be cut differently).
  std::size_t ia = 0, ib = 0;
  std::uint64_t oa = 0, ob = 0;
  while (ia < pa.ranges.size() && ib < pb.ranges.size()) {
    const Range& ra = pa.ranges[ia];
    const Range& rb = pb.ranges[ib];
    const std::uint64_t n = std::min(ra.size - oa, rb.size - ob);
    const std::uint64_t at_a = ra.offset + oa, at_b = rb.offset + ob;
    if (!(b.stream() && b.stream()->is_original(at_b, n, at_a))) {
      constexpr std::uint64_t kChunk = 1 << 20;
      for (std::uint64_t done = 0; done < n; done += kChunk) {
        const auto k = static_cast<std::size_t>(std::min(kChunk, n - done));
        // a and b are distinct views: each get() keeps its own copy valid.
        if (std::memcmp(a.get(at_a + done, k), b.get(at_b + done, k), k) != 0) return false;
      }
    }
    oa += n, ob += n;
    if (oa == ra.size) ++ia, oa = 0;
    if (ob == rb.size) ++ib, ob = 0;
  }
  return true;
}

// The fields that differ, over the keys liner manages (`managed`, `previous`) and those it sets (`desired`):
// one walk over the four sorted key lists, nothing copied but the changes.
std::vector<FieldChange> diff(const FieldMap& current, const FieldMap& desired,
                              const std::set<std::string>& managed, const std::set<std::string>& previous) {
  static const std::vector<std::string> kNone;
  std::vector<FieldChange> out;
  auto m = managed.begin();
  auto p = previous.begin();
  auto d = desired.begin();
  auto c = current.begin();
  for (;;) {
    const std::string* k = m != managed.end() ? &*m : nullptr;
    if (p != previous.end() && (!k || *p < *k)) k = &*p;
    if (d != desired.end() && (!k || d->first < *k)) k = &d->first;
    if (!k) break;
    const std::string_view key = *k; // the containers do not change: it stays valid
    while (c != current.end() && c->first < key)
      ++c;
    const auto& before = c != current.end() && c->first == key ? c->second : kNone;
    const auto& after = d != desired.end() && d->first == key ? d->second : kNone;
    const bool differ = before != after;
    const bool users_comment = key == "INFO:ICMT" && !before.empty() && !liners_comment(before.front());
    if (differ && !users_comment && !(key == "#id3v2" && before.empty() && after.empty()))
      out.push_back({std::string(key), before, after});
    if (m != managed.end() && *m == key) ++m;
    if (p != previous.end() && *p == key) ++p;
    if (d != desired.end() && d->first == key) ++d;
  }
  return out;
}

// Keys a previous liner run may have written for roles the new plan no longer has.
void add_previous_keys(const FieldMap& current, Family family, std::set<std::string>& managed) {
  std::string doc_key = family == Family::Vorbis ? std::string(kDocumentField)
                        : family == Family::Mp4  ? std::string(kMp4Freeform) + std::string(kDocumentField)
                                                 : "TXXX:" + std::string(kDocumentField);
  for (const auto& [k, v] : current) {
    std::string name = k;
    if (family == Family::Id3) {
      if (!k.starts_with("TXXX:")) continue;
      name = k.substr(5);
    } else if (family == Family::Mp4) {
      if (!k.starts_with(kMp4Freeform)) continue;
      name = k.substr(kMp4Freeform.size());
    }
    if (k != doc_key && role_for_custom_name(name)) managed.insert(k);
  }
}

} // namespace

std::string temp_prefix(const std::string& path) {
  fs::path p(path);
  return (p.parent_path() / temp_name_prefix(p)).string();
}

std::string temp_path(const std::string& path) {
  return temp_prefix(path) + "0";
}

} // namespace detail

using namespace detail;

std::optional<Format> detect_format(const std::string& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) fail_errno(path, "cannot open", errno);
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) fail_errno(path, "cannot stat", errno);
  const FileImage image(fd.get(), static_cast<std::uint64_t>(st.st_size), path);
  const FormatRow* row = sniff_file(image, path);
  if (!row) return std::nullopt;
  return row->format;
}

int clean_stale_temporaries(const std::string& path) {
  struct stat st {};
  Fd fd(open_locked(path, st), true);
  return remove_stale(path);
}

namespace detail {
namespace {

// A tagged copy, complete on disk beside its file, waiting to be made durable and renamed over it. Holds
// the file's lock until then; dropped uncommitted, it removes the copy and the original stays.
struct Pending {
  std::size_t index = 0;
  std::string given_path, path, tmp_path;
  Fd lock, tmp;
  bool committed = false;
  ~Pending() {
    if (!committed && !tmp_path.empty()) ::unlink(tmp_path.c_str());
  }
};

} // namespace

constexpr std::uint64_t kMaxInPlaceRewrite = std::uint64_t(2) << 30;

namespace {

// A grown tag at the start that pushed the rest of the file (one stretch of the original, to its end)
// towards the end by whole 4 KiB blocks, as MpegHandler arranges: the file system inserts the blocks
// (fallocate INSERT_RANGE: ext4, XFS) and only the new start is written, instead of every byte after it.
// nullopt: not that case, or the file system cannot (nothing changed; the caller rewrites).
std::optional<std::uint64_t> insert_blocks(int fd, const PieceStream& s, const std::string& given_path) {
  constexpr std::uint64_t kBlock = 4096, kMaxHead = 64 << 20;
  const auto& pieces = s.pieces();
  if (pieces.empty() || pieces.back().added) return std::nullopt;
  const auto& tail = pieces.back();
  const std::uint64_t original_size = s.original().size();
  const std::uint64_t at = s.size() - tail.size; // where the tail starts now
  if (tail.src + tail.size != original_size || at <= tail.src || (at - tail.src) % kBlock != 0 ||
      at > kMaxHead)
    return std::nullopt;
  const std::uint64_t delta = at - tail.src, from = tail.src / kBlock * kBlock;
  std::vector<std::uint8_t> head(at); // read before the file moves
  s.copy_out(0, at, head.data());
  // The kernel does not hold an inserted range to the file size limit (ulimit -f) as it holds writes.
  struct rlimit limit {};
  if (::getrlimit(RLIMIT_FSIZE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY && s.size() > limit.rlim_cur)
    fail_errno(given_path, "cannot write (file not changed)", EFBIG);
  const auto off = static_cast<off_t>(from), len = static_cast<off_t>(delta);
  if (::fallocate(fd, FALLOC_FL_INSERT_RANGE, off, len) != 0) {
    // No room (a full disk, a quota, ulimit -f) is the answer for any way of writing: stop here, unchanged.
    if (errno == ENOSPC || errno == EDQUOT || errno == EFBIG)
      fail_errno(given_path, "cannot write (file not changed)", errno);
    return std::nullopt; // the file system cannot insert: the caller rewrites
  }
  // Reserve the inserted blocks, so that a full disk shows now, while the insert can still be undone.
  if (::fallocate(fd, 0, off, len) != 0) {
    const int e = errno;
    if (::fallocate(fd, FALLOC_FL_COLLAPSE_RANGE, off, len) != 0)
      fail_errno(given_path, "cannot write, and could not undo the inserted blocks", e);
    if (e == ENOSPC || e == EDQUOT) fail_errno(given_path, "cannot write (file not changed)", e);
    return std::nullopt;
  }
  // The new blocks first (the audio is behind them, untouched), then the start of the file.
  write_all(fd, Bytes(head).subspan(from), off, given_path);
  write_all(fd, Bytes(head).first(from), 0, given_path);
  return at;
}

} // namespace

// Writes the tagged stream into the file itself: only what changed when the audio stays where it was;
// everything from the first change on when a grown tag moved it (every tool rewrites the file then).
std::uint64_t write_in_place(const std::string& path, const std::string& given_path, const PieceStream& s) {
  Fd wfd(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
  if (wfd.get() < 0) fail_errno(given_path, "cannot open for writing", errno);
  return write_in_place(wfd.get(), given_path, s);
}

std::uint64_t write_in_place(int fd, const std::string& given_path, const PieceStream& s) {
  const FileImage& original = s.original();
  constexpr std::uint64_t kBlock = 4096;
  std::uint64_t written = 0;
  // Writes the 4 KiB blocks of data (at offset `at` of the file) that differ from the original's bytes.
  auto write_changed = [&](Bytes data, std::uint64_t at) {
    std::uint64_t i = 0;
    while (i < data.size()) {
      const std::uint64_t block_end =
          std::min<std::uint64_t>(data.size(), (at + i) / kBlock * kBlock + kBlock - at);
      const std::uint64_t n = block_end - i;
      const bool same =
          at + i + n <= original.size() && std::memcmp(data.data() + i, original.get(at + i, n), n) == 0;
      if (!same) {
        // Extend over the following differing blocks: one write call per run.
        std::uint64_t run_end = block_end;
        while (run_end < data.size()) {
          const std::uint64_t next = std::min<std::uint64_t>(data.size(), run_end + kBlock);
          if (at + next <= original.size() &&
              std::memcmp(data.data() + run_end, original.get(at + run_end, next - run_end),
                          next - run_end) == 0)
            break;
          run_end = next;
        }
        write_all(fd, data.subspan(i, run_end - i), static_cast<off_t>(at + i), given_path);
        written += run_end - i;
        i = run_end;
      } else {
        i = block_end;
      }
    }
  };
  if (auto n = insert_blocks(fd, s, given_path)) return *n;
  // The leading pieces that are the original's bytes in their place stay untouched. After them, each
  // original piece moved by (its offset - its source offset), or not at all.
  std::uint64_t first = 0;
  for (const auto& p : s.pieces()) {
    if (p.added || p.src != first) break;
    first += p.size;
  }
  bool towards_end = false, towards_start = false;
  std::uint64_t at = 0;
  for (const auto& p : s.pieces()) {
    if (!p.added && at >= first) {
      towards_end = towards_end || p.src < at;
      towards_start = towards_start || p.src > at;
    }
    at += p.size;
  }
  if (!towards_end && !towards_start) {
    // The audio stays where it was: only what TagLib wrote, and of that only what changed.
    at = 0;
    for (const auto& p : s.pieces()) {
      if (p.added) write_changed(s.added_bytes(p), at);
      at += p.size;
    }
  } else {
    // The audio moved: everything from `first` on is rewritten, each chunk read (from the mapping, or the
    // file itself for a FileImage read on demand) before it is written. All towards the end: from the end
    // backwards, so a chunk's source is never a part already overwritten; all towards the start: forwards.
    // Both ways (rare): one chunk, read whole first.
    const std::uint64_t total = s.size() - first;
    const bool both = towards_end && towards_start;
    if (both && total > kMaxInPlaceRewrite)
      throw Error(given_path, "the new tags move the audio both ways, which needs the file in memory to be "
                              "rewritten in place; tag it without --in-place");
    const std::uint64_t chunk_size = both ? total : std::min<std::uint64_t>(total, 1 << 20);
    std::unique_ptr<std::uint8_t[]> chunk(new std::uint8_t[chunk_size]); // not zeroed
    const std::uint64_t chunks = (total + chunk_size - 1) / chunk_size;
    for (std::uint64_t k = 0; k < chunks; ++k) {
      const std::uint64_t c = towards_end ? chunks - 1 - k : k;
      const std::uint64_t off = first + c * chunk_size, n = std::min(chunk_size, s.size() - off);
      s.copy_out(off, n, chunk.get());
      write_all(fd, Bytes(chunk.get(), static_cast<std::size_t>(n)), static_cast<off_t>(off), given_path);
      written += n;
    }
  }
  if (s.size() < original.size() && ::ftruncate(fd, static_cast<off_t>(s.size())) != 0)
    fail_errno(given_path, "cannot truncate", errno);
  return written;
}

namespace {

// Everything of a safe or in-place write up to the durable step: on return, a safe write's tagged copy is
// complete beside the file, its write-back started, and `pending` holds it (and the file's lock).
TagResult stage(const std::string& given_path, const TagPlan& plan, const WriteOptions& options,
                std::unique_ptr<Pending>& pending, const std::unordered_set<std::string>* stale = nullptr) {
  TagResult result;
  result.path = given_path;
  // --in-place opens the file for writing at once (falling back to reading, so that an unchanged read-only
  // file is no error).
  std::string path = given_path;
  struct stat st {};
  Fd fd;
  bool writable = false;
  auto resolve_link = [&] {
    std::error_code ec;
    path = fs::canonical(given_path, ec).string();
    if (ec) fail_errno(given_path, "cannot open", ec.value());
  };
  if (options.dry_run) {
    fd.reset(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) fail_errno(given_path, "cannot open", errno);
    ::fstat(fd.get(), &st);
  } else {
    // The file itself, not a symbolic link: the rename must replace the file, not the link.
    auto open_as = [&](int mode) {
      int f = open_locked(path, st, mode | O_NOFOLLOW, true);
      if (f == -ELOOP) {
        resolve_link();
        f = open_locked(path, st, mode, true);
      }
      return f;
    };
    int f = -EACCES;
    if (options.in_place) {
      f = open_as(O_RDWR);
      writable = f >= 0;
    }
    if (f == -EACCES || f == -EPERM || f == -EROFS || f == -ETXTBSY || f == -EISDIR) f = open_as(O_RDONLY);
    if (f < 0) fail_errno(given_path, "cannot open", -f);
    fd.reset(f, true);
    // A killed run's temporary beside the file (we hold the file's lock, so it is stale). A batch lists
    // each folder once and says which files have one.
    if (!stale || path != given_path || stale->count(given_path)) remove_stale(path);
  }
  if (!S_ISREG(st.st_mode)) throw Error(given_path, "not a regular file");

  auto problem = [&](const std::string& code, const std::string& message) {
    result.outcome = Outcome::Failed;
    result.diagnostics.error(code, message, Location{given_path, 0, 0, {}});
    return result;
  };

  // The file is read where the format needs it (FileImage) or mapped whole, as its registry row says.
  const auto size = static_cast<std::uint64_t>(st.st_size);
  std::optional<MappedFile> map;
  std::optional<FileImage> image;
  image.emplace(fd.get(), size, given_path);
  const FormatRow* row = sniff_file(*image, path);
  if (!row)
    return problem("not-audio", "not an audio file liner can tag (FLAC, MP3, WAV, AIFF, MP4, Ogg, Opus)");
  if (!row->on_demand) {
    image.reset();
    map.emplace(fd.get(), size, options.in_place || options.dry_run);
    image.emplace(Bytes(map->data(), map->size()));
  }
  const FileImage& original = *image;
  result.format = row->format;
  const Payload payload = row->scan(original, true);
  if (!payload.problem.empty()) return problem(payload.problem_code, payload.problem);

  // TagLib works on a PieceStream over the mapped file: nothing is copied, and the file on disk is written
  // once, by us, with every error checked.
  PieceStream stream(original, path);
  auto h = row->make();
  if (!h->open(&stream))
    return problem("unreadable-tags", "TagLib cannot parse this " + std::string(row->name) + " file");
  FieldMap desired = concrete_fields(plan, row->family, row->info, options.id3v23);
  {
    FieldMap copy;
    const FieldMap* current = h->fields();
    if (!current) current = &(copy = h->read());
    std::set<std::string> previous;
    add_previous_keys(*current, row->family, previous);
    result.changes = diff(*current, desired, managed_keys(row->family, row->info), previous);
  }
  if (result.changes.empty()) {
    result.outcome = Outcome::Unchanged;
    return result;
  }
  if (options.dry_run) {
    result.outcome = Outcome::WouldChange;
    return result;
  }
  if ((st.st_mode & S_IWUSR) == 0 || (options.in_place ? !writable : ::access(path.c_str(), W_OK) != 0))
    throw Error(given_path, "the file is read-only (not changed)");

  std::set<std::string> remove;
  for (const auto& c : result.changes)
    if (c.after.empty()) remove.insert(c.field);
  FieldMap set;
  for (const auto& c : result.changes)
    if (!c.after.empty()) set[c.field] = c.after;
  // The version pseudo-field changes with the save call; the frames must all be rewritten then.
  if (set.count("#id3v2")) set = desired;
  h->write(set, remove, options.id3v23);
  if (!h->save(options.id3v23)) throw Error(given_path, "TagLib could not render the tags; file not changed");
  h.reset(); // TagLib is done with the stream

  // Check the result: same format, complete, audio payload byte-identical.
  {
    const View tagged(stream);
    const Payload t =
        row->scan(tagged, false); // structure from the format's magic on; same_payload does the rest
    if (!t.problem.empty() || !same_payload(original, payload, tagged, t))
      throw Error(given_path, "tagging would have changed the audio payload; file not changed");
  }

  if (options.in_place) {
    result.bytes_written = write_in_place(fd.get(), given_path, stream);
    if (options.preserve_times) {
      struct timespec times[2] = {st.st_atim, st.st_mtim};
      ::utimensat(AT_FDCWD, path.c_str(), times, 0);
    }
    result.outcome = Outcome::Tagged;
    return result;
  }

  // Temporary file in the same folder, under a fixed name (we hold the lock, so nobody else uses it).
  auto p = std::make_unique<Pending>();
  p->given_path = given_path;
  p->path = path;
  p->tmp_path = temp_path(path);
  // A stale one was removed above (a batch knows which files have one from its folder listing); one left
  // anyway is ours to replace, as we hold the file's lock.
  auto create = [&] { return ::open(p->tmp_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600); };
  int t = create();
  if (t < 0 && errno == EEXIST && ::unlink(p->tmp_path.c_str()) == 0) t = create();
  p->tmp.reset(t);
  if (p->tmp.get() < 0) {
    p->tmp_path.clear(); // not ours to remove
    fail_errno(given_path, "cannot create a temporary file beside it", errno);
  }
  std::uint64_t at = 0;
  for (const auto& piece : stream.pieces()) {
    if (piece.added)
      write_all(p->tmp.get(), stream.added_bytes(piece), static_cast<off_t>(at), given_path);
    else
      copy_range(fd.get(), original, piece.src, p->tmp.get(), at, piece.size, given_path);
    at += piece.size;
  }
  ::fchmod(p->tmp.get(), st.st_mode & 07777);
  if (::fchown(p->tmp.get(), st.st_uid, st.st_gid) != 0) {
    // Keeping the owner needs privileges; a file we own keeps it anyway.
  }
  if (options.preserve_times) {
    struct timespec times[2] = {st.st_atim, st.st_mtim};
    ::futimens(p->tmp.get(), times);
  }
  // Start the write-back now; the commit's fsync then mostly finds it done.
  ::sync_file_range(p->tmp.get(), 0, 0, SYNC_FILE_RANGE_WRITE);
  p->lock.reset(fd.release(), true); // the lock moves into the pending write
  result.bytes_written = stream.size();
  result.outcome = Outcome::Tagged;
  pending = std::move(p);
  return result;
}

} // namespace
} // namespace detail

namespace detail {
namespace {

// Makes a group of tagged copies durable and puts each in its file's place: fsync every copy (their
// write-back was started when they were written, so these mostly wait for nothing), rename each over its
// original, then fsync each folder once. A copy that fails stays out, and its original is untouched.
// The fsyncs of a group run side by side (up to 16 at once): a journaling file system (ext4's jbd2, XFS's
// log) then commits them together instead of one journal commit per file.
void commit(std::vector<std::unique_ptr<Pending>>& group, std::vector<TagResult>& results) {
  std::atomic<std::size_t> next{0};
  auto one = [&] {
    for (std::size_t i = next++; i < group.size(); i = next++) {
      Pending& p = *group[i];
      TagResult& r = results[p.index];
      try {
        if (::fsync(p.tmp.get()) != 0) fail_errno(p.given_path, "cannot flush the tagged copy", errno);
        if (::rename(p.tmp_path.c_str(), p.path.c_str()) != 0)
          fail_errno(p.given_path, "cannot replace the file", errno);
        p.committed = true;
        // The original is no longer linked: closing it frees its blocks (and may discard them, waiting on
        // the disk), so each thread closes its own, and releases the lock, which only guarded the rename.
        p.lock.reset();
        p.tmp.reset();
      } catch (const Error& e) {
        r.outcome = Outcome::Failed;
        r.bytes_written = 0;
        r.error = e.what();
      }
    }
  };
  run_on_threads(static_cast<unsigned>(std::min<std::size_t>(group.size(), 16)), one);
  std::set<std::string> dirs;
  for (const auto& p : group)
    if (p->committed) dirs.insert(fs::path(p->path).parent_path().string());
  for (const auto& dir : dirs) {
    Fd dfd(::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (dfd.get() >= 0) ::fsync(dfd.get());
  }
  group.clear(); // closes the copies and releases the locks
}

} // namespace
} // namespace detail

TagResult write_tags(const std::string& path, const TagPlan& plan, const WriteOptions& options) {
  std::unique_ptr<Pending> pending;
  std::vector<TagResult> results(1);
  results[0] = stage(path, plan, options, pending);
  if (!pending) return results[0];
  std::vector<std::unique_ptr<Pending>> group;
  group.push_back(std::move(pending));
  commit(group, results);
  if (!results[0].error.empty()) throw Error(results[0].error);
  return results[0];
}

std::vector<TagResult> write_tags_batch(const std::vector<BatchItem>& items, const WriteOptions& options,
                                        const BatchOptions& batch) {
  const std::size_t n = items.size();
  std::vector<TagResult> results(n);
  auto finished = [&](std::size_t i) {
    if (batch.done) batch.done(i, results[i]);
  };
  // Full groups go to one committer thread, which waits on the disk while the `jobs` workers go on
  // tagging. At most two groups wait for it: a worker with a third waits (their files stay locked).
  using Group = std::vector<std::unique_ptr<Pending>>;
  std::mutex mutex;
  std::condition_variable changed;
  Group group;
  std::uint64_t group_bytes = 0;
  std::deque<Group> full;
  bool closing = false;
  auto committer = [&] {
    for (;;) {
      Group g;
      {
        std::unique_lock lock(mutex);
        changed.wait(lock, [&] { return !full.empty() || closing; });
        if (full.empty()) return;
        g = std::move(full.front());
        full.pop_front();
      }
      changed.notify_all();
      std::vector<std::size_t> done;
      for (const auto& p : g)
        done.push_back(p->index);
      commit(g, results);
      for (std::size_t i : done)
        finished(i);
    }
  };
  // Stale temporaries (".NAME.liner-tmp-0"): one listing per folder instead of one unlink per file.
  std::unordered_set<std::string> stale;
  if (!options.dry_run) {
    std::map<std::string, std::vector<std::size_t>> by_folder; // the paths' own spelling of the folder
    for (std::size_t i = 0; i < n; ++i) {
      const auto slash = items[i].path.rfind('/');
      by_folder[slash == std::string::npos ? std::string() : items[i].path.substr(0, slash + 1)].push_back(i);
    }
    const std::string suffix = std::string(kTempTag) + "0";
    for (const auto& [folder, indices] : by_folder) {
      DIR* d = ::opendir(folder.empty() ? "." : folder.c_str());
      if (!d) { // cannot list it: every file there removes its own
        for (std::size_t i : indices)
          stale.insert(items[i].path);
        continue;
      }
      while (const dirent* e = ::readdir(d)) {
        std::string_view name(e->d_name);
        if (name.size() > 1 + suffix.size() && name.front() == '.' && name.ends_with(suffix))
          stale.insert(folder + std::string(name.substr(1, name.size() - 1 - suffix.size())));
      }
      ::closedir(d);
    }
  }
  std::atomic<std::size_t> next{0};
  auto worker = [&] {
    for (std::size_t i = next++; i < n; i = next++) {
      std::unique_ptr<Pending> pending;
      try {
        results[i] = stage(items[i].path, *items[i].plan, options, pending, &stale); // a dry run ignores it
      } catch (const std::exception& e) {
        results[i] = TagResult{};
        results[i].outcome = Outcome::Failed;
        results[i].error =
            dynamic_cast<const Error*>(&e) ? std::string(e.what()) : items[i].path + ": " + e.what();
      }
      results[i].path = items[i].path;
      if (!pending) {
        finished(i);
        continue;
      }
      pending->index = i;
      std::unique_lock lock(mutex);
      group_bytes += results[i].bytes_written;
      group.push_back(std::move(pending));
      if (group.size() >= std::max<std::size_t>(1, batch.group_files) || group_bytes >= batch.group_bytes) {
        changed.wait(lock, [&] { return full.size() < 2; });
        full.push_back(std::move(group));
        group = Group();
        group_bytes = 0;
        lock.unlock();
        changed.notify_all();
      }
    }
  };
  std::thread commit_thread(committer);
  run_on_threads(thread_count(batch.jobs, n), worker);
  {
    std::lock_guard lock(mutex);
    if (!group.empty()) full.push_back(std::move(group));
    closing = true;
  }
  changed.notify_all();
  commit_thread.join();
  return results;
}

} // namespace liner::tagging
