#include "store/wal_writer.h"

#include <zstd.h>

#include "common/checksum.h"
#include "common/coding.h"

namespace tobops::store {

void EncodeWalRecord(std::string_view payload, std::string* dst) {
  PutFixed32(dst, static_cast<uint32_t>(payload.size()));
  PutFixed64(dst, XXH3_64bits_withSeed(payload.data(), payload.size(), payload.size()));
  dst->append(payload);
}

void EncodeWalPayload(std::string_view batch, std::string* dst) {
  struct Context {
    ZSTD_CCtx* cctx = ZSTD_createCCtx();
    ~Context() { ZSTD_freeCCtx(cctx); }
  };
  thread_local Context context;
  dst->clear();
  dst->push_back(static_cast<char>(WalCodec::kZstd));
  PutVarint64(dst, batch.size());
  const size_t header = dst->size();
  const size_t bound = ZSTD_compressBound(batch.size());
  dst->resize(header + bound);
  const size_t n = ZSTD_compressCCtx(context.cctx, dst->data() + header, bound, batch.data(), batch.size(), 1);
  if (ZSTD_isError(n) || n >= batch.size()) {
    dst->resize(1);
    (*dst)[0] = static_cast<char>(WalCodec::kRaw);
    dst->append(batch);
    return;
  }
  dst->resize(header + n);
}

Result<std::unique_ptr<WalWriter>> WalWriter::Create(FileSystem* fs, const std::string& path) {
  ASSIGN_OR_RETURN(auto file, fs->NewWritableFile(path));
  Status s = file->Append(kWalMagic);
  if (s.ok()) s = file->Sync();
  if (s.ok()) s = fs->SyncDirectory(DirName(path));
  if (!s.ok()) {
    file->Close().IgnoreError();
    fs->DeleteFile(path).IgnoreError();
    return s;
  }
  return std::unique_ptr<WalWriter>(new WalWriter(path, std::move(file), kWalMagic.size()));
}

Status WalWriter::AddRecords(std::span<const std::string> payloads) {
  if (broken_) return FailedPrecondition("WAL " + path_ + " is unusable after a failed truncate");
  buffer_.clear();
  for (const std::string& payload : payloads) {
    if (payload.size() > UINT32_MAX) return InvalidArgument("WAL record larger than 4 GiB");
    EncodeWalRecord(payload, &buffer_);
  }
  Status s = file_->Append(buffer_);
  if (s.ok()) s = file_->Sync();
  if (s.ok()) {
    good_size_bytes_ += buffer_.size();
    return s;
  }
  // Nothing of this call was acknowledged: cut the file back so a later record does
  // not follow a partial one (which recovery would report as mid-file corruption).
  Status t = file_->Truncate(good_size_bytes_);
  if (t.ok()) t = file_->Sync();
  if (!t.ok()) broken_ = true;
  return s;
}

}  // namespace tobops::store
