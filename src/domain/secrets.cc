#include "domain/secrets.h"

#include <sodium.h>

#include <mutex>
#include <vector>

namespace tobops::domain {
namespace {

std::string ToHex(const unsigned char* data, size_t size) {
  std::string hex(size * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), data, size);
  hex.pop_back();  // the NUL sodium_bin2hex writes
  return hex;
}

}  // namespace

Status EnsureSodium() {
  static std::once_flag once;
  static int rc = -1;
  std::call_once(once, [] { rc = sodium_init(); });
  // 0: initialised now; 1: already initialised (by another library); -1: failure.
  if (rc < 0) return Internal("libsodium could not be initialised");
  return Status::Ok();
}

std::string RandomHex(size_t n) {
  std::vector<unsigned char> bytes(n);
  randombytes_buf(bytes.data(), bytes.size());
  std::string hex = ToHex(bytes.data(), bytes.size());
  sodium_memzero(bytes.data(), bytes.size());
  return hex;
}

std::string GenerateSecret(std::string_view prefix) {
  std::string secret(prefix);
  secret += RandomHex(kSecretRandomBytes);
  return secret;
}

std::string HashSecret(std::string_view secret) {
  unsigned char hash[crypto_generichash_BYTES];  // 32 bytes: BLAKE2b-256
  crypto_generichash(hash, sizeof hash, reinterpret_cast<const unsigned char*>(secret.data()), secret.size(),
                     nullptr, 0);
  return ToHex(hash, sizeof hash);
}

}  // namespace tobops::domain
