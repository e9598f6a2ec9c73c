// File: domain/secrets.h
// Random secrets and their hashes, over libsodium: API key and session tokens
// are 32 random bytes (hex after a kind prefix such as "tbw_"); only their
// BLAKE2b-256 hash is stored. A fast hash is right for high-entropy random
// tokens; passwords use argon2id instead (domain/user_repository.h).
// Callers: KeyRepository, UserRepository. Thread-safety: all functions are.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/status.h"

namespace tobops::domain {

// Random bytes per generated secret (256 bits).
inline constexpr size_t kSecretRandomBytes = 32;

// Calls sodium_init() once per process (std::call_once). kInternal if libsodium
// cannot initialise (no entropy source); every later call returns the same answer.
Status EnsureSodium();

// prefix + lower-case hex of kSecretRandomBytes random bytes, e.g. "tbw_3f9a…".
// Precondition: EnsureSodium() returned OK.
std::string GenerateSecret(std::string_view prefix);

// Lower-case hex of n random bytes (ids). Precondition: EnsureSodium() returned OK.
std::string RandomHex(size_t n);

// Lower-case hex of the unkeyed BLAKE2b-256 hash of secret.
// Precondition: EnsureSodium() returned OK.
std::string HashSecret(std::string_view secret);

}  // namespace tobops::domain
