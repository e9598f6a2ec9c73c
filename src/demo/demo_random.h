// File: demo/demo_random.h
// DemoRandom: the small, fast, seedable random source of the demo generator, and
// Mix(), the hash that derives independent streams from (seed, account, day, ...).
// Every random draw of the story comes from a stream derived this way, so the story
// is a pure function of DemoOptions and does not depend on batch sizes.
// Callers: demo_story.cc, message_writer.cc, demo_generator.cc.
// Thread-safety: value type; one instance per thread.
#pragma once

#include <cstdint>

namespace tobops::demo {

// SplitMix64 finaliser: a bijective 64-bit mixer.
inline constexpr uint64_t Mix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

// Derives a stream key from up to four values; different argument tuples give
// statistically independent keys.
inline constexpr uint64_t Mix(uint64_t a, uint64_t b, uint64_t c = 0, uint64_t d = 0) {
  return Mix64(Mix64(Mix64(Mix64(a) ^ b) ^ (c * 0xD6E8FEB86659FD93ULL)) ^ (d * 0xA0761D6478BD642FULL));
}

class DemoRandom {
 public:
  explicit DemoRandom(uint64_t key) : state_(Mix64(key)) {}

  // Uniform 64-bit value (SplitMix64 sequence).
  uint64_t Next() {
    state_ += 0x9E3779B97F4A7C15ULL;
    uint64_t z = state_;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, 1).
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  // Uniform integer in [0, n); n must be > 0.
  uint32_t Below(uint32_t n) { return static_cast<uint32_t>(((Next() >> 32) * n) >> 32); }
  // Uniform integer in [lo, hi]; requires lo <= hi.
  int32_t Between(int32_t lo, int32_t hi) {
    return lo + static_cast<int32_t>(Below(static_cast<uint32_t>(hi - lo + 1)));
  }
  // True with probability p.
  bool Chance(double p) { return Uniform() < p; }
  // Index drawn from cumulative weights `cdf` (size n, last element is the total).
  int Pick(const double* cdf, int n) {
    const double u = Uniform() * cdf[n - 1];
    int i = 0;
    while (i + 1 < n && u >= cdf[i]) ++i;
    return i;
  }

 private:
  uint64_t state_;
};

}  // namespace tobops::demo
