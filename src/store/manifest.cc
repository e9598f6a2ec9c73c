#include "store/manifest.h"

#include <cstdio>

#include "common/checksum.h"
#include "common/coding.h"

namespace tobops::store {

namespace {
constexpr std::string_view kManifestMagic = "TOBMAN1\n";

std::string NumberedName(const char* prefix, uint64_t number, const char* suffix) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s-%06llu.%s", prefix, static_cast<unsigned long long>(number), suffix);
  return buf;
}
}  // namespace

std::string Manifest::Encode() const {
  std::string out(kManifestMagic);
  PutVarint64(&out, next_file_number);
  PutVarint64(&out, wal_floor);
  PutVarint64(&out, dedup_file_number);
  PutVarint64(&out, segments.size());
  for (uint64_t s : segments) PutVarint64(&out, s);
  PutFixed64(&out, Checksum64(out));
  return out;
}

Result<Manifest> Manifest::Decode(std::string_view bytes) {
  if (bytes.size() < kManifestMagic.size() + 8 || bytes.substr(0, kManifestMagic.size()) != kManifestMagic) {
    return DataLoss("MANIFEST: bad header");
  }
  std::string_view body = bytes.substr(0, bytes.size() - 8);
  if (Checksum64(body) != DecodeFixed64(bytes.data() + body.size())) return DataLoss("MANIFEST: checksum mismatch");
  Decoder in(body.substr(kManifestMagic.size()));
  Manifest m;
  uint64_t count;
  if (!in.GetVarint64(&m.next_file_number) || !in.GetVarint64(&m.wal_floor) ||
      !in.GetVarint64(&m.dedup_file_number) || !in.GetVarint64(&count) || count > body.size()) {
    return DataLoss("MANIFEST: malformed");
  }
  m.segments.resize(count);
  for (uint64_t& s : m.segments) {
    if (!in.GetVarint64(&s)) return DataLoss("MANIFEST: malformed segment list");
  }
  if (!in.empty()) return DataLoss("MANIFEST: trailing bytes");
  return m;
}

std::string WalFileName(uint64_t number) { return NumberedName("wal", number, "log"); }
std::string SegmentFileName(uint64_t number) { return NumberedName("seg", number, "tseg"); }
std::string DedupFileName(uint64_t number) { return NumberedName("dedup", number, "idx"); }

bool ParseFileName(std::string_view name, std::string* kind, uint64_t* number) {
  struct Pattern {
    std::string_view prefix, suffix, kind;
  };
  for (Pattern p : {Pattern{"wal-", ".log", "wal"}, Pattern{"seg-", ".tseg", "seg"}, Pattern{"dedup-", ".idx", "dedup"}}) {
    if (name.size() <= p.prefix.size() + p.suffix.size() || name.substr(0, p.prefix.size()) != p.prefix ||
        name.substr(name.size() - p.suffix.size()) != p.suffix) {
      continue;
    }
    std::string_view digits = name.substr(p.prefix.size(), name.size() - p.prefix.size() - p.suffix.size());
    uint64_t n = 0;
    for (char c : digits) {
      if (c < '0' || c > '9') return false;
      n = n * 10 + static_cast<uint64_t>(c - '0');
    }
    *kind = p.kind;
    *number = n;
    return true;
  }
  return false;
}

}  // namespace tobops::store
