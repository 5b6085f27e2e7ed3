// Never damage a master: kill -9 at random moments, a full disk (RLIMIT_FSIZE, i.e. `ulimit -f`), read-only,
// truncated and non-audio files, RF64, and two writers on one file.
#include "fixtures.hpp"
#include "internal.hpp"

#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <functional>
#include <liner/credits/error.hpp>
#include <linux/magic.h>
#include <random>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using namespace liner;
using namespace liner::test;
namespace tg = liner::tagging;

namespace {

struct Job {
  std::string file;
  tg::TagPlan plan;
};

std::vector<Job> jobs_for(const fs::path& dir, const credits::Sheet& sheet) {
  std::vector<Job> jobs;
  auto m = tg::match_files(sheet, audio_paths(dir));
  for (const auto& p : m.matched)
    jobs.push_back({p.file, tg::plan_tags(sheet, sheet.tracks[p.track])});
  return jobs;
}

std::vector<std::string> temporaries(const fs::path& dir) {
  std::vector<std::string> v;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().filename().string().find(".liner-tmp-") != std::string::npos) v.push_back(e.path().string());
  return v;
}

void write_bytes(const fs::path& p, const std::string& bytes) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << bytes;
}

} // namespace

namespace {

// Tags `jobs` with `run` in a child process killed with SIGKILL at random moments, >= 110 times: after
// each kill every file is the original or the fully tagged file, and the next run finishes the job and
// leaves no temporary file.
void kill_rounds(const fs::path& dir, const std::vector<Job>& jobs, const std::function<void()>& run) {
  std::map<std::string, std::string> original, tagged;
  for (const auto& j : jobs)
    original[j.file] = slurp(j.file);
  // The reference result, and how long one batch takes.
  auto start = std::chrono::steady_clock::now();
  run();
  auto batch = std::chrono::steady_clock::now() - start;
  for (const auto& j : jobs)
    tagged[j.file] = slurp(j.file);
  for (const auto& j : jobs)
    REQUIRE(tagged[j.file] != original[j.file]);
  auto batch_us = std::max<long>(1000, std::chrono::duration_cast<std::chrono::microseconds>(batch).count());
  MESSAGE("one batch of " << jobs.size() << " files: " << batch_us << " us");

  std::mt19937 rng(20260313);
  int killed_mid_batch = 0, seen_temp = 0, seen_partial = 0;
  long window = batch_us;
  int round = 0;
  for (; killed_mid_batch < 110 && round < 400; ++round) {
    for (const auto& j : jobs)
      write_bytes(j.file, original[j.file]);
    pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      try {
        run();
      } catch (...) {
        ::_exit(3);
      }
      ::_exit(0);
    }
    std::uniform_int_distribution<long> when(0, window);
    std::this_thread::sleep_for(std::chrono::microseconds(when(rng)));
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    // Keep the kill window within a batch's real duration (it varies with the machine's load).
    if (WIFSIGNALED(status)) {
      ++killed_mid_batch;
      window = window * 21 / 20 + 1;
    } else {
      CHECK(WEXITSTATUS(status) == 0);
      window = window * 4 / 5 + 1;
    }
    // Every file is the original or the fully tagged file, byte for byte.
    int done = 0;
    for (const auto& j : jobs) {
      std::string now = slurp(j.file);
      bool ok = now == original[j.file] || now == tagged[j.file];
      CHECK_MESSAGE(ok, "round " << round << ": " << j.file << " is neither untouched nor fully tagged");
      if (now == tagged[j.file]) ++done;
    }
    if (done > 0 && done < static_cast<int>(jobs.size())) ++seen_partial;
    if (!temporaries(dir / "audio").empty()) ++seen_temp;
    // The next run finishes the job and removes what the killed one left.
    for (const auto& j : jobs)
      CHECK(tg::write_tags(j.file, j.plan).outcome != tg::Outcome::Failed);
    CHECK(temporaries(dir / "audio").empty());
    for (const auto& j : jobs)
      CHECK(slurp(j.file) == tagged[j.file]);
  }
  MESSAGE(round << " rounds; killed mid-batch " << killed_mid_batch << " times; a batch was left half done "
                << seen_partial << " times; a temporary file was left " << seen_temp << " times");
  CHECK(killed_mid_batch >= 100);
}

} // namespace

TEST_CASE(
    "kill -9 at >= 110 random moments during a batch: each file untouched or fully tagged, temps cleaned") {
  fs::path dir = scratch_release("kill");
  credits::Sheet sheet = load_sample(dir);
  auto jobs = jobs_for(dir, sheet);
  REQUIRE(jobs.size() == 7);
  SUBCASE("one file after the other (write_tags)") {
    kill_rounds(dir, jobs, [&] {
      for (const auto& j : jobs)
        tg::write_tags(j.file, j.plan);
    });
  }
  SUBCASE("two threads, copies committed in groups of 3 (write_tags_batch, as `liner tag` runs)") {
    std::vector<tg::BatchItem> items;
    for (const auto& j : jobs)
      items.push_back({j.file, &j.plan});
    tg::BatchOptions opts;
    opts.jobs = 2;
    opts.group_files = 3;
    kill_rounds(dir, jobs, [&] {
      for (const auto& r : tg::write_tags_batch(items, {}, opts))
        if (r.outcome == tg::Outcome::Failed) throw std::runtime_error(r.error);
    });
  }
}

TEST_CASE("full disk (RLIMIT_FSIZE): clear error, file unchanged, no temporary left, the batch goes on") {
  fs::path dir = scratch_release("fulldisk");
  credits::Sheet sheet = load_sample(dir);
  auto jobs = jobs_for(dir, sheet);
  std::map<std::string, std::string> original;
  for (const auto& j : jobs)
    original[j.file] = slurp(j.file);
  std::uintmax_t biggest = 0;
  for (const auto& j : jobs)
    biggest = std::max(biggest, fs::file_size(j.file));
  int failures = 0;
  // Limits: below every file (the copy fails), and just above each file (the tags do not fit).
  for (long extra : {-100000L, 200L}) {
    for (const auto& j : jobs) {
      CAPTURE(j.file);
      CAPTURE(extra);
      int pipefd[2];
      REQUIRE(::pipe(pipefd) == 0);
      pid_t pid = ::fork();
      REQUIRE(pid >= 0);
      if (pid == 0) {
        ::close(pipefd[0]);
        std::signal(SIGXFSZ, SIG_IGN);
        long size = static_cast<long>(fs::file_size(j.file));
        rlim_t lim = static_cast<rlim_t>(std::max(1L, size + extra));
        struct rlimit rl {
          lim, lim
        };
        ::setrlimit(RLIMIT_FSIZE, &rl);
        std::string msg;
        int code = 0;
        try {
          auto r = tg::write_tags(j.file, j.plan);
          code = r.outcome == tg::Outcome::Failed ? 2 : 1;
        } catch (const Error& e) {
          msg = e.what();
        }
        if (!msg.empty() && ::write(pipefd[1], msg.data(), msg.size()) < 0) code = 4;
        ::_exit(code);
      }
      ::close(pipefd[1]);
      std::string msg;
      char buf[512];
      ssize_t n = 0;
      while ((n = ::read(pipefd[0], buf, sizeof buf)) > 0)
        msg.append(buf, static_cast<std::size_t>(n));
      ::close(pipefd[0]);
      int status = 0;
      ::waitpid(pid, &status, 0);
      REQUIRE(WIFEXITED(status));
      CHECK(temporaries(dir / "audio").empty());
      if (extra > 0 && WEXITSTATUS(status) == 1) {
        // The tags fitted (FLAC padding): then the file must be fully tagged.
        CHECK(tg::read_credits(j.file).document == j.plan.document);
        write_bytes(j.file, original[j.file]);
        continue;
      }
      ++failures;
      CHECK(WEXITSTATUS(status) == 0); // threw liner::Error
      MESSAGE(msg);
      CHECK(!msg.empty());
      CHECK(slurp(j.file) == original[j.file]);
    }
  }
  (void)biggest;
  CHECK(failures >= 10);
  // With room again, the same batch succeeds.
  for (const auto& j : jobs)
    CHECK(tg::write_tags(j.file, j.plan).outcome == tg::Outcome::Tagged);
}

TEST_CASE("read-only, truncated, non-audio and RF64 files: per-file errors, files unchanged") {
  fs::path dir = scratch_release("bad");
  credits::Sheet sheet = load_sample(dir);
  auto jobs = jobs_for(dir, sheet);

  SUBCASE("read-only") {
    const auto& j = jobs[0];
    ::chmod(j.file.c_str(), 0444);
    std::string before = slurp(j.file);
    CHECK_THROWS_WITH_AS(tg::write_tags(j.file, j.plan), doctest::Contains("read-only"), Error);
    CHECK(slurp(j.file) == before);
    // A dry run still works on it.
    tg::WriteOptions dry;
    dry.dry_run = true;
    CHECK(tg::write_tags(j.file, j.plan, dry).outcome == tg::Outcome::WouldChange);
  }
  SUBCASE("truncated, every format") {
    for (const auto& j : jobs) {
      CAPTURE(j.file);
      std::string full = slurp(j.file);
      for (double keep : {0.6, 0.97}) {
        CAPTURE(keep);
        std::string cut = full.substr(0, static_cast<std::size_t>(static_cast<double>(full.size()) * keep));
        write_bytes(j.file, cut);
        auto r = tg::write_tags(j.file, j.plan);
        CHECK(r.outcome == tg::Outcome::Failed);
        CHECK(r.diagnostics.has_code("truncated"));
        CHECK(slurp(j.file) == cut);
        auto rr = tg::read_credits(j.file);
        CHECK(rr.diagnostics.has_code("truncated"));
      }
      write_bytes(j.file, full);
    }
  }
  SUBCASE("not audio") {
    fs::path text = dir / "audio" / "notes.mp3";
    write_bytes(text, "These are not the droids you are looking for.\n");
    auto r = tg::write_tags(text.string(), jobs[0].plan);
    CHECK(r.outcome == tg::Outcome::Failed);
    CHECK(r.diagnostics.has_code("not-audio"));
    CHECK(slurp(text) == "These are not the droids you are looking for.\n");
    CHECK(tg::read_credits(text.string()).diagnostics.has_code("not-audio"));
    fs::path empty = dir / "audio" / "empty.flac";
    write_bytes(empty, "");
    CHECK(tg::write_tags(empty.string(), jobs[0].plan).diagnostics.has_code("not-audio"));
  }
  SUBCASE("RF64 is refused") {
    const Job* wav = nullptr;
    for (const auto& j : jobs)
      if (j.file.ends_with(".wav")) wav = &j;
    REQUIRE(wav);
    std::string bytes = slurp(wav->file);
    bytes.replace(0, 4, "RF64");
    write_bytes(wav->file, bytes);
    auto r = tg::write_tags(wav->file, wav->plan);
    CHECK(r.outcome == tg::Outcome::Failed);
    CHECK(r.diagnostics.has_code("rf64-unsupported"));
    CHECK(slurp(wav->file) == bytes);
  }
}

TEST_CASE("two writers on one file cannot interleave: the second waits for the lock") {
  fs::path dir = scratch_release("lock");
  credits::Sheet sheet = load_sample(dir);
  auto jobs = jobs_for(dir, sheet);
  const auto& j = jobs[0];
  int fd = ::open(j.file.c_str(), O_RDONLY);
  REQUIRE(fd >= 0);
  REQUIRE(::flock(fd, LOCK_EX) == 0); // as another liner process would hold it
  pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    try {
      ::_exit(tg::write_tags(j.file, j.plan).outcome == tg::Outcome::Tagged ? 0 : 1);
    } catch (...) {
      ::_exit(2);
    }
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  int status = 0;
  CHECK(::waitpid(pid, &status, WNOHANG) == 0); // still waiting
  CHECK(tg::read_credits(j.file).document.empty());
  ::flock(fd, LOCK_UN);
  ::close(fd);
  ::waitpid(pid, &status, 0);
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 0);
  CHECK(tg::read_credits(j.file).document == j.plan.document);
}

TEST_CASE("--in-place: read-only files, no room to grow, symbolic links") {
  fs::path dir = scratch_release("in-place-faults");
  credits::Sheet sheet = load_sample(dir);
  auto jobs = jobs_for(dir, sheet);
  tg::WriteOptions in_place;
  in_place.in_place = true;
  auto job = [&](const std::string& ext) {
    for (const auto& j : jobs)
      if (j.file.ends_with(ext)) return j;
    FAIL("no " << ext << " fixture");
    return jobs[0];
  };

  SUBCASE("read-only: an error when tags would change, none when they would not") {
    const auto j = job(".flac");
    ::chmod(j.file.c_str(), 0444);
    const std::string before = slurp(j.file);
    CHECK_THROWS_WITH_AS(tg::write_tags(j.file, j.plan, in_place), doctest::Contains("read-only"), Error);
    CHECK(slurp(j.file) == before);
    ::chmod(j.file.c_str(), 0644);
    CHECK(tg::write_tags(j.file, j.plan, in_place).outcome == tg::Outcome::Tagged);
    ::chmod(j.file.c_str(), 0444);
    CHECK(tg::write_tags(j.file, j.plan, in_place).outcome == tg::Outcome::Unchanged);
  }
  SUBCASE("an MP3 whose first tag cannot grow the file (ulimit -f): unchanged, a clear error") {
    const auto j = job(".mp3");
    const std::string before = slurp(j.file);
    pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      std::signal(SIGXFSZ, SIG_IGN);
      const auto lim = static_cast<rlim_t>(before.size() + 200);
      struct rlimit rl {
        lim, lim
      };
      ::setrlimit(RLIMIT_FSIZE, &rl);
      try {
        tg::write_tags(j.file, j.plan, in_place);
      } catch (const Error& e) {
        ::_exit(std::string(e.what()).find("file not changed") != std::string::npos ? 0 : 1);
      }
      ::_exit(2);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
    CHECK(slurp(j.file) == before);
    // With room, the same write succeeds and the audio moved by whole 4 KiB blocks (inserted, not copied).
    auto r = tg::write_tags(j.file, j.plan, in_place);
    CHECK(r.outcome == tg::Outcome::Tagged);
    const std::string after = slurp(j.file);
    CHECK((after.size() - before.size()) % 4096 == 0);
    CHECK(after.substr(after.size() - before.size()) == before); // the file had no tag: all of it is audio
    CHECK(r.bytes_written == after.size() - before.size());
  }
  SUBCASE("a file system that cannot insert blocks (tmpfs): the same bytes, by a rewrite") {
    struct statfs fsinfo {};
    if (::statfs("/dev/shm", &fsinfo) != 0 || fsinfo.f_type != TMPFS_MAGIC) {
      MESSAGE("no tmpfs at /dev/shm: skipped");
      return;
    }
    const auto j = job(".mp3");
    const fs::path shm = fs::path("/dev/shm") / ("liner-test-" + std::to_string(::getpid()));
    fs::create_directories(shm);
    const fs::path fast = shm / "in-place.mp3";
    fs::copy_file(j.file, fast);
    auto r = tg::write_tags(fast.string(), j.plan, in_place);
    CHECK(r.outcome == tg::Outcome::Tagged);
    REQUIRE(tg::write_tags(j.file, j.plan).outcome == tg::Outcome::Tagged);
    CHECK(slurp(fast) == slurp(j.file));
    CHECK(r.bytes_written == fs::file_size(fast)); // no insert: everything from the tag on was rewritten
    fs::remove_all(shm);
  }
  SUBCASE("a symbolic link: the file it points to is tagged, the link stays a link") {
    for (bool safe : {false, true}) {
      const auto j = job(safe ? ".wav" : ".flac");
      const fs::path link = dir / (safe ? "link.wav" : "link.flac");
      fs::create_symlink(fs::absolute(j.file), link);
      tg::WriteOptions o;
      o.in_place = !safe;
      CHECK(tg::write_tags(link.string(), j.plan, o).outcome == tg::Outcome::Tagged);
      CHECK(fs::is_symlink(link));
      CHECK(tg::read_credits(j.file).document == j.plan.document);
    }
  }
}

TEST_CASE("a batch removes the stale temporaries of its files (one folder listing), and only theirs") {
  fs::path dir = scratch_release("stale");
  credits::Sheet sheet = load_sample(dir);
  auto jobs = jobs_for(dir, sheet);
  const fs::path other = dir / "audio" / ".not-in-the-batch.flac.liner-tmp-0";
  write_bytes(other, "x");
  for (bool in_place : {false, true}) {
    std::vector<tg::BatchItem> items;
    for (std::size_t i = 0; i < jobs.size(); ++i) {
      const fs::path f(jobs[i].file);
      write_bytes(f.parent_path() / ("." + f.filename().string() + ".liner-tmp-0"), "stale");
      // Half the files named through "./": the listing must find theirs too.
      items.push_back(
          {i % 2 ? (f.parent_path() / "." / f.filename()).string() : jobs[i].file, &jobs[i].plan});
    }
    tg::WriteOptions o;
    o.in_place = in_place;
    for (const auto& r : tg::write_tags_batch(items, o))
      CHECK(r.outcome != tg::Outcome::Failed);
    CHECK(temporaries(dir / "audio") == std::vector<std::string>{other.string()});
  }
}
