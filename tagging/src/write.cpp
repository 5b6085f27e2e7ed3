// Safe writes: lock, temporary copy in the same folder, tag, check the audio payload is byte-identical,
// fsync, rename. A crash at any moment leaves the original or the fully tagged file, plus at most a
// ".NAME.liner-tmp-XXXXXX" file that the next run removes.
#include "internal.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <liner/credits/error.hpp>
#include <sys/file.h>
#include <sys/stat.h>
#include <taglib/tbytevector.h>
#include <taglib/tbytevectorstream.h>
#include <unistd.h>

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

class Fd {
public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  ~Fd() { reset(); }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  void reset(int fd = -1) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }

private:
  int fd_;
};

// Opens `path` and takes an exclusive flock on it. Another liner process that replaced the file (by
// rename) while we waited is detected by comparing inodes, and we lock the new file instead.
int open_locked(const std::string& path, struct stat& st) {
  for (int attempt = 0; attempt < 1000; ++attempt) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) fail_errno(path, "cannot open", errno);
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

// ".NAME.liner-tmp-" (built step by step: g++ 12 warns falsely on the one-expression form).
std::string temp_name_prefix(const fs::path& p) {
  std::string s(1, '.');
  s.append(p.filename().string());
  s.append(".liner-tmp-");
  return s;
}

// With the file's lock held, the file's temporary is stale: its writer held the same lock. Temporaries
// have one fixed name per file, so cleaning is one unlink, with no folder listing.
int remove_stale(const std::string& path) {
  return ::unlink(temp_path(path).c_str()) == 0 ? 1 : 0;
}

constexpr std::uint64_t kMaxInMemory = std::uint64_t(2) << 30;
constexpr unsigned int kSlack = 1u << 20;

void write_all(int fd, Bytes data, off_t offset, const std::string& path) {
  std::size_t done = 0;
  while (done < data.size()) {
    ssize_t w = ::pwrite(fd, data.data() + done, data.size() - done, offset + static_cast<off_t>(done));
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) fail_errno(path, "cannot write (file not changed)", w < 0 ? errno : EIO);
    done += static_cast<std::size_t>(w);
  }
}

// The audio ranges of two versions of a file hold the same bytes.
bool same_payload(Bytes a, const Payload& pa, Bytes b, const Payload& pb) {
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
    std::uint64_t n = std::min(ra.size - oa, rb.size - ob);
    if (std::memcmp(a.data() + ra.offset + oa, b.data() + rb.offset + ob, n) != 0) return false;
    oa += n, ob += n;
    if (oa == ra.size) ++ia, oa = 0;
    if (ob == rb.size) ++ib, ob = 0;
  }
  return true;
}

struct Scanned {
  const FormatRow* row = nullptr;
  Payload payload;
};

Scanned scan_file(Bytes b, const std::string& path) {
  Scanned s;
  s.row = sniff(b.first(std::min<std::size_t>(b.size(), 1 << 16)), fs::path(path).extension().string());
  if (s.row) s.payload = s.row->scan(b);
  return s;
}

std::vector<FieldChange> diff(const FieldMap& current, const FieldMap& desired,
                              const std::set<std::string>& managed) {
  std::vector<FieldChange> out;
  std::set<std::string> keys = managed;
  for (const auto& [k, v] : desired)
    keys.insert(k);
  for (const auto& k : keys) {
    auto c = current.find(k);
    auto d = desired.find(k);
    std::vector<std::string> before = c == current.end() ? std::vector<std::string>{} : c->second;
    std::vector<std::string> after = d == desired.end() ? std::vector<std::string>{} : d->second;
    if (k == "INFO:ICMT" && !before.empty() && !before.front().starts_with("Credits: ")) continue; // user's
    if (k == "#id3v2" && before.empty() && after.empty()) continue;
    if (before != after) out.push_back({k, std::move(before), std::move(after)});
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
  MappedFile m(fd.get());
  const FormatRow* row =
      sniff(Bytes(m.data(), std::min<std::uint64_t>(m.size(), 1 << 16)), fs::path(path).extension().string());
  if (!row) return std::nullopt;
  return row->format;
}

int clean_stale_temporaries(const std::string& path) {
  struct stat st {};
  Fd fd(open_locked(path, st));
  return remove_stale(path);
}

TagResult write_tags(const std::string& given_path, const TagPlan& plan, const WriteOptions& options) {
  TagResult result;
  result.path = given_path;
  // Follow symbolic links: the rename must replace the file, not the link.
  std::error_code ec;
  std::string path = fs::canonical(given_path, ec).string();
  if (ec) fail_errno(given_path, "cannot open", ec.value());

  struct stat st {};
  Fd fd;
  if (options.dry_run) {
    fd.reset(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) fail_errno(given_path, "cannot open", errno);
    ::fstat(fd.get(), &st);
  } else {
    fd.reset(open_locked(path, st));
    remove_stale(path);
  }
  if (!S_ISREG(st.st_mode)) throw Error(given_path, "not a regular file");

  auto problem = [&](const std::string& code, const std::string& message) {
    result.outcome = Outcome::Failed;
    result.diagnostics.error(code, message, Location{given_path, 0, 0, {}});
    return result;
  };

  MappedFile map(fd.get());
  Bytes original(map.data(), map.size());
  if (original.size() > kMaxInMemory)
    throw Error(given_path, "larger than 2 GiB: liner tags files in memory and refuses this one");
  Scanned s = scan_file(original, path);
  if (!s.row)
    return problem("not-audio", "not an audio file liner can tag (FLAC, MP3, WAV, AIFF, MP4, Ogg, Opus)");
  const FormatRow* row = s.row;
  result.format = row->format;
  if (!s.payload.problem.empty()) return problem(s.payload.problem_code, s.payload.problem);

  // TagLib works on a copy in memory: the file on disk is written once, by us, with every error checked.
  // Room to grow: tags appended or grown later fit without reallocating (and copying) the whole file.
  auto stream = [&] {
    const auto size = static_cast<unsigned int>(original.size());
    TagLib::ByteVector bytes(size + kSlack, '\0');
    std::memcpy(bytes.data(), original.data(), size);
    bytes.resize(size); // keeps the capacity
    return std::make_unique<TagLib::ByteVectorStream>(bytes);
  }();
  auto h = row->make();
  if (!h->open(stream.get()))
    return problem("unreadable-tags", "TagLib cannot parse this " + std::string(row->name) + " file");
  FieldMap desired = concrete_fields(plan, row->family, row->info, options.id3v23);
  std::set<std::string> managed = managed_keys(row->family, row->info);
  {
    FieldMap current = h->read();
    add_previous_keys(current, row->family, managed);
    result.changes = diff(current, desired, managed);
  }
  if (result.changes.empty()) {
    result.outcome = Outcome::Unchanged;
    return result;
  }
  if (options.dry_run) {
    result.outcome = Outcome::WouldChange;
    return result;
  }
  if ((st.st_mode & S_IWUSR) == 0 || ::access(path.c_str(), W_OK) != 0)
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

  // Verify in memory: same format, complete, audio payload byte-identical.
  const TagLib::ByteVector& out = *h->memory();
  Bytes tagged(reinterpret_cast<const std::uint8_t*>(out.data()), out.size());
  {
    Scanned t = scan_file(tagged, path);
    if (!t.row || t.row->format != row->format || !t.payload.problem.empty() ||
        !same_payload(original, s.payload, tagged, t.payload))
      throw Error(given_path, "tagging would have changed the audio payload; file not changed");
  }

  if (options.in_place) {
    // Write only the 4 KiB blocks that changed, then whatever lies past the old end (a grown tag at the
    // start shifts everything, so then every block changed).
    Fd wfd(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
    if (wfd.get() < 0) fail_errno(given_path, "cannot open for writing", errno);
    constexpr std::size_t kBlock = 4096;
    std::size_t common = std::min(original.size(), tagged.size()), written = 0;
    std::size_t run_start = 0;
    bool in_run = false;
    for (std::size_t off = 0; off <= common; off += kBlock) {
      std::size_t n = std::min(kBlock, common - std::min(common, off));
      bool differs = n > 0 && std::memcmp(original.data() + off, tagged.data() + off, n) != 0;
      if (differs && !in_run) run_start = off, in_run = true;
      if ((!differs || n == 0) && in_run) {
        write_all(wfd.get(), tagged.subspan(run_start, off - run_start), static_cast<off_t>(run_start),
                  given_path);
        written += off - run_start;
        in_run = false;
      }
      if (n < kBlock) break;
    }
    if (in_run) {
      write_all(wfd.get(), tagged.subspan(run_start, common - run_start), static_cast<off_t>(run_start),
                given_path);
      written += common - run_start;
    }
    if (tagged.size() > common) {
      write_all(wfd.get(), tagged.subspan(common), static_cast<off_t>(common), given_path);
      written += tagged.size() - common;
    }
    if (tagged.size() < original.size() && ::ftruncate(wfd.get(), static_cast<off_t>(tagged.size())) != 0)
      fail_errno(given_path, "cannot truncate", errno);
    if (options.preserve_times) {
      struct timespec times[2] = {st.st_atim, st.st_mtim};
      ::futimens(wfd.get(), times);
    }
    result.bytes_written = written;
    result.outcome = Outcome::Tagged;
    return result;
  }

  // Temporary file in the same folder, under a fixed name (we hold the lock, so nobody else uses it).
  std::string tmp_path = temp_path(path);
  ::unlink(tmp_path.c_str());
  Fd tmp(::open(tmp_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600));
  if (tmp.get() < 0) fail_errno(given_path, "cannot create a temporary file beside it", errno);
  struct Remover {
    std::string path;
    bool keep = false;
    ~Remover() {
      if (!keep) ::unlink(path.c_str());
    }
  } remover{tmp_path};
  write_all(tmp.get(), tagged, 0, given_path);
  ::fchmod(tmp.get(), st.st_mode & 07777);
  if (::fchown(tmp.get(), st.st_uid, st.st_gid) != 0) {
    // Keeping the owner needs privileges; a file we own keeps it anyway.
  }
  if (options.preserve_times) {
    struct timespec times[2] = {st.st_atim, st.st_mtim};
    ::futimens(tmp.get(), times);
  }
  if (::fsync(tmp.get()) != 0) fail_errno(given_path, "cannot flush the tagged copy", errno);
  if (::rename(tmp_path.c_str(), path.c_str()) != 0) fail_errno(given_path, "cannot replace the file", errno);
  remover.keep = true;
  std::string dir = fs::path(path).parent_path().string();
  Fd dfd(::open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (dfd.get() >= 0) ::fsync(dfd.get());
  result.bytes_written = tagged.size();
  result.outcome = Outcome::Tagged;
  return result;
}

} // namespace liner::tagging
