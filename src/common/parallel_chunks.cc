#include "common/parallel_chunks.h"

#include <algorithm>
#include <thread>
#include <vector>

namespace tobops {

void ParallelChunks(size_t n, int threads, const std::function<void(size_t, size_t, int)>& fn, size_t min_chunk) {
  threads = std::max(1, std::min<int>(threads, int(std::max<size_t>(n / std::max<size_t>(min_chunk, 1), 1))));
  if (threads == 1) {
    fn(0, n, 0);
    return;
  }
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) {
    const size_t begin = n * t / threads, end = n * (t + 1) / threads;
    pool.emplace_back([&fn, begin, end, t] { fn(begin, end, t); });
  }
  fn(0, n / threads, 0);  // the first chunk on the caller's thread
  for (auto& th : pool) th.join();
}

}  // namespace tobops
