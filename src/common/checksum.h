// File: common/checksum.h
// Checksum64: the XXH3 64-bit checksum (Debian's libxxhash) that guards every WAL
// record and every segment block. Callers: store/wal_*, store/segment_*.
// Thread-safety: pure functions, safe from any thread.
#pragma once

#include <xxhash.h>

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace tobops {

// Returns the XXH3-64 checksum (seed 0) of `size` bytes at `data`.
inline uint64_t Checksum64(const void* data, size_t size) { return XXH3_64bits(data, size); }

inline uint64_t Checksum64(std::string_view bytes) { return Checksum64(bytes.data(), bytes.size()); }

}  // namespace tobops
