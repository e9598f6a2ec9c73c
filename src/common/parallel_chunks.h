// File: common/parallel_chunks.h
// ParallelChunks: the simplest data parallelism — [0, n) cut into at most `threads`
// contiguous chunks, each run on its own thread (the caller's thread when one chunk).
// Used for per-entity work after a scan (sorting timelines, building answer rows) and
// for serializing large answers.
// Thread-safety: fn runs concurrently on disjoint ranges; it must not share unguarded
// state across chunks except through the `worker` index (0 .. threads - 1).
#pragma once

#include <cstddef>
#include <functional>

namespace tobops {

// Runs fn(begin, end, worker) over [0, n) in contiguous chunks of at least `min_chunk`
// items (fewer threads when n is small); returns when every chunk is done.
void ParallelChunks(size_t n, int threads, const std::function<void(size_t begin, size_t end, int worker)>& fn,
                    size_t min_chunk = 256);

}  // namespace tobops
