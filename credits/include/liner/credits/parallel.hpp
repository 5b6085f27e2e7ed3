// Small helpers for the batch commands: how many threads, and running a worker on them.
#pragma once
#include <algorithm>
#include <cstddef>
#include <functional>
#include <thread>
#include <vector>

namespace liner {

// `wanted` threads, or one per core when 0; never more than `tasks`, never fewer than 1.
inline unsigned thread_count(unsigned wanted, std::size_t tasks) {
  unsigned n = wanted ? wanted : std::max(1u, std::thread::hardware_concurrency());
  return static_cast<unsigned>(std::max<std::size_t>(1, std::min<std::size_t>(n, tasks)));
}

// Runs `worker` on `threads` threads (the calling thread is one of them) and waits for all of them.
inline void run_on_threads(unsigned threads, const std::function<void()>& worker) {
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t)
    pool.emplace_back(worker);
  worker();
  for (auto& t : pool)
    t.join();
}

} // namespace liner
