// File: domain/clock.h
// Clock: where the domain repositories read "now" (UTC milliseconds), so tests
// can inject a fake clock for expiry and timestamps.
// Callers: repositories in domain/, their tests, app/ wiring.
// Thread-safety: SystemNowMs is thread-safe; an injected Clock must be too.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>

namespace tobops::domain {

// Returns the current time as UTC milliseconds since the Unix epoch.
using Clock = std::function<int64_t()>;

inline int64_t SystemNowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The real clock; the default of every repository.
inline Clock SystemClock() { return &SystemNowMs; }

}  // namespace tobops::domain
