#include "store/embedded_event_store.h"

#include <set>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <span>
#include <unordered_set>

#include "store/block_builder.h"
#include "store/event_codec.h"
#include "store/manifest.h"
#include "store/wal_reader.h"

namespace tobops::store {

namespace {

uint64_t SegmentNumber(const SegmentReader& segment) {
  const std::string& path = segment.path();
  std::string kind;
  uint64_t number = 0;
  bool ok = ParseFileName(path.substr(path.find_last_of('/') + 1), &kind, &number);
  assert(ok && kind == "seg");
  (void)ok;
  return number;
}

}  // namespace

EmbeddedEventStore::EmbeddedEventStore(EmbeddedStoreOptions options)
    : options_(std::move(options)),
      fs_(options_.file_system != nullptr ? options_.file_system : DefaultFileSystem()),
      mem_(std::make_shared<Memtable>()),
      segments_(std::make_shared<SegmentList>()),
      mem_created_(std::chrono::steady_clock::now()) {}

Result<std::unique_ptr<EmbeddedEventStore>> EmbeddedEventStore::Open(const EmbeddedStoreOptions& options) {
  if (options.directory.empty()) return InvalidArgument("event store directory is empty", "directory");
  if (options.memtable_max_events == 0) return InvalidArgument("memtable_max_events must be positive");
  std::unique_ptr<EmbeddedEventStore> store(new EmbeddedEventStore(options));
  RETURN_IF_ERROR(store->Recover());
  if (options.background_thread) store->bg_thread_ = std::thread([s = store.get()] { s->BackgroundLoop(); });
  return store;
}

EmbeddedEventStore::~EmbeddedEventStore() {
  StopBackground();
  std::lock_guard lock(mu_);
  assert(writers_.empty());
  if (wal_) wal_->Close().IgnoreError();
}

Status EmbeddedEventStore::Recover() {
  const std::string& dir = options_.directory;
  RETURN_IF_ERROR(fs_->CreateDirectories(dir));
  Manifest manifest;
  const std::string manifest_path = JoinPath(dir, std::string(kManifestFileName));
  if (fs_->FileExists(manifest_path)) {
    ASSIGN_OR_RETURN(std::string bytes, fs_->ReadFile(manifest_path));
    auto decoded = Manifest::Decode(bytes);
    if (!decoded.ok()) return DataLoss(manifest_path + ": " + decoded.status().message());
    manifest = std::move(decoded).value();
  }
  auto segments = std::make_shared<SegmentList>();
  for (uint64_t number : manifest.segments) {
    auto reader = SegmentReader::Open(fs_, JoinPath(dir, SegmentFileName(number)), options_.column_cache);
    if (!reader.ok()) {
      if (reader.status().code() == StatusCode::kNotFound) {
        return DataLoss("segment " + SegmentFileName(number) + " named by the MANIFEST is missing");
      }
      return reader.status();
    }
    segments->push_back(std::move(reader).value());
  }
  segments_ = segments;
  manifest_wal_floor_ = manifest.wal_floor;
  // The manifest names the newest dedup file; each delta file names the one it extends.
  for (uint64_t number = manifest.dedup_file_number; number != 0;) {
    const std::string path = JoinPath(dir, DedupFileName(number));
    ASSIGN_OR_RETURN(std::string bytes, fs_->ReadFile(path));
    uint64_t previous = 0;
    Status loaded = dedup_.Load(bytes, &previous);
    if (!loaded.ok()) return DataLoss(path + ": " + loaded.message());
    if (previous >= number) return DataLoss(path + ": dedup chain does not go back to older files");
    dedup_chain_.insert(dedup_chain_.begin(), number);
    dedup_file_bytes_ += bytes.size();
    (previous == 0 ? dedup_base_bytes_ : dedup_delta_bytes_) += bytes.size();
    number = previous;
  }
  dedup_file_number_ = manifest.dedup_file_number;

  ASSIGN_OR_RETURN(std::vector<std::string> names, fs_->ListDirectory(dir));
  uint64_t max_number = 0;
  std::vector<uint64_t> wals;
  for (const std::string& name : names) {
    std::string kind;
    uint64_t number;
    if (!ParseFileName(name, &kind, &number)) continue;
    max_number = std::max(max_number, number);
    if (kind == "wal" && number >= manifest.wal_floor) wals.push_back(number);
  }
  next_file_number_ = std::max(manifest.next_file_number, max_number + 1);
  std::sort(wals.begin(), wals.end());
  for (uint64_t number : wals) RETURN_IF_ERROR(ReplayWal(number));
  {
    std::lock_guard lock(mu_);
    RETURN_IF_ERROR(OpenNewWalLocked());
  }
  std::lock_guard maintenance(maintenance_mu_);
  DeleteObsoleteFiles();
  return Status::Ok();
}

Status EmbeddedEventStore::ReplayWal(uint64_t number) {
  const std::string path = JoinPath(options_.directory, WalFileName(number));
  ASSIGN_OR_RETURN(WalReadSummary summary,
                   WalReader::ReadAll(fs_, path, [&](std::string_view payload) -> Status {
                     std::vector<Event> events;
                     if (!DecodeEventBatch(payload, &events)) return DataLoss("WAL " + path + ": malformed batch");
                     // Replayed events were deduplicated when they were appended.
                     for (const Event& e : events) {
                       if (!e.message_id.empty()) dedup_.Insert(DedupIndex::Hash(e.message_id), e.received_at_ms);
                     }
                     mem_->Add(std::move(events));
                     return Status::Ok();
                   }));
  if (summary.dropped_tail) {
    spdlog::warn("event store: dropping {} unacknowledged bytes at the end of {}",
                 summary.file_bytes - summary.valid_bytes, path);
    ASSIGN_OR_RETURN(auto file, fs_->OpenAppendableFile(path));
    RETURN_IF_ERROR(file->Truncate(summary.valid_bytes));
    RETURN_IF_ERROR(file->Sync());
    RETURN_IF_ERROR(file->Close());
  }
  older_wal_bytes_[number] = summary.valid_bytes;
  return Status::Ok();
}

Status EmbeddedEventStore::OpenNewWalLocked() {
  const uint64_t number = next_file_number_++;
  ASSIGN_OR_RETURN(auto wal, WalWriter::Create(fs_, JoinPath(options_.directory, WalFileName(number))));
  if (wal_) {
    wal_->Close().IgnoreError();
    older_wal_bytes_[wal_number_] = current_wal_bytes_;
  }
  wal_ = std::move(wal);
  wal_number_ = number;
  current_wal_bytes_ = wal_->size_bytes();
  return Status::Ok();
}

Status EmbeddedEventStore::RotateLocked() {
  if (mem_->size() == 0) return Status::Ok();
  if (imm_) return FailedPrecondition("previous memtable is still being flushed");
  RETURN_IF_ERROR(OpenNewWalLocked());
  imm_ = mem_;
  imm_wal_floor_ = wal_number_;
  mem_ = std::make_shared<Memtable>();
  mem_created_ = std::chrono::steady_clock::now();
  return Status::Ok();
}

Result<AppendResult> EmbeddedEventStore::Append(std::vector<Event> events) {
  Writer w;
  w.events = &events;
  if (!events.empty()) {
    std::vector<const Event*> ptrs;
    ptrs.reserve(events.size());
    for (const Event& e : events) ptrs.push_back(&e);
    std::string batch;
    EncodeEventBatch(ptrs, &batch);
    EncodeWalPayload(batch, &w.payload);
  }
  RunWriter(&w);
  if (!w.status.ok()) return w.status;
  bool wake = false;
  {
    std::lock_guard lock(mu_);
    wake = options_.background_thread && mem_->size() >= options_.memtable_max_events;
  }
  if (wake) {
    std::lock_guard lock(bg_mu_);
    bg_wake_ = true;
    bg_cv_.notify_one();
  }
  return w.result;
}

void EmbeddedEventStore::RunWriter(Writer* w) {
  std::unique_lock lock(mu_);
  if (closed_) {
    w->status = FailedPrecondition("event store is closed");
    return;
  }
  writers_.push_back(w);
  while (!w->done && w != writers_.front()) w->cv.wait(lock);
  if (w->done) return;
  LeadGroup(lock);
}

void EmbeddedEventStore::LeadGroup(std::unique_lock<std::mutex>& lock) {
  Writer* leader = writers_.front();
  auto finish = [&](std::span<Writer* const> group, const Status& status) {
    for (Writer* w : group) {
      assert(writers_.front() == w);
      writers_.pop_front();
      w->status = status;
      w->done = true;
      if (w != leader) w->cv.notify_one();
    }
    if (!writers_.empty()) writers_.front()->cv.notify_one();
  };
  if (leader->rotate) {
    Writer* one[] = {leader};
    finish(one, RotateLocked());
    return;
  }
  Status status;
  if (!wal_ || wal_->broken()) status = OpenNewWalLocked();
  if (!status.ok()) {
    Writer* one[] = {leader};
    finish(one, status);
    return;
  }

  // Take every queued Append (up to a bound) into this group: one write, one fsync.
  constexpr size_t kMaxGroupEvents = 1 << 16;
  std::vector<Writer*> group;
  size_t group_events = 0;
  for (Writer* w : writers_) {
    if (w->rotate || (!group.empty() && group_events + w->events->size() > kMaxGroupEvents)) break;
    group.push_back(w);
    group_events += w->events->size();
  }

  // Deduplicate against stored ids and within the group, in arrival order. Only the
  // leader touches dedup_, so the decision cannot race with another group.
  std::vector<std::vector<Event>> kept(group.size());
  std::vector<std::pair<uint64_t, int64_t>> new_hashes;
  std::unordered_set<uint64_t> group_hashes;
  for (size_t i = 0; i < group.size(); ++i) {
    Writer* w = group[i];
    for (Event& e : *w->events) {
      if (!e.message_id.empty()) {
        const uint64_t hash = DedupIndex::Hash(e.message_id);
        if (dedup_.Contains(hash, e.received_at_ms, options_.dedup_window_ms) || !group_hashes.insert(hash).second) {
          ++w->result.duplicates;
          continue;
        }
        new_hashes.emplace_back(hash, e.received_at_ms);
      }
      kept[i].push_back(std::move(e));
    }
  }
  WalWriter* wal = wal_.get();
  lock.unlock();

  // One record per writer with kept events; payloads[i] is writer i's (empty when none kept).
  std::vector<std::string> payloads(group.size());
  std::vector<std::string> records;
  for (size_t i = 0; i < group.size(); ++i) {
    if (kept[i].empty()) continue;
    if (group[i]->result.duplicates == 0) {
      payloads[i] = std::move(group[i]->payload);
    } else {
      std::vector<const Event*> ptrs;
      ptrs.reserve(kept[i].size());
      for (const Event& e : kept[i]) ptrs.push_back(&e);
      std::string batch;
      EncodeEventBatch(ptrs, &batch);
      EncodeWalPayload(batch, &payloads[i]);
    }
  }
  {
    size_t n = 0;
    for (const std::string& p : payloads) n += p.empty() ? 0 : 1;
    if (n == 1) {
      for (std::string& p : payloads) {
        if (!p.empty()) status = wal->AddRecords(std::span<const std::string>(&p, 1));
      }
    } else if (n > 1) {
      for (const std::string& p : payloads) {
        if (!p.empty()) records.push_back(p);
      }
      status = wal->AddRecords(records);
    }
  }

  lock.lock();
  current_wal_bytes_ = wal_->size_bytes();
  if (status.ok()) {
    for (const auto& [hash, received] : new_hashes) dedup_.Insert(hash, received);
    for (size_t i = 0; i < group.size(); ++i) {
      group[i]->result.stored = kept[i].size();
      if (!kept[i].empty()) mem_->Add(std::move(kept[i]), std::move(payloads[i]));
    }
  } else {
    for (Writer* w : group) w->result = AppendResult{};
  }
  finish(group, status);
}

Status EmbeddedEventStore::Flush() {
  std::lock_guard maintenance(maintenance_mu_);
  {
    std::lock_guard lock(mu_);
    if (closed_) return Status::Ok();
  }
  return FlushLocked();
}

Status EmbeddedEventStore::FlushLocked() {
  RETURN_IF_ERROR(FlushImmutable());
  Writer w;
  w.rotate = true;
  RunWriter(&w);
  RETURN_IF_ERROR(w.status);
  return FlushImmutable();
}

Status EmbeddedEventStore::FlushImmutable() {
  std::shared_ptr<Memtable> imm;
  uint64_t wal_floor, segment_number, dedup_number;
  std::string dedup_bytes;
  bool full_dedup = false;
  SegmentList segments;
  {
    std::lock_guard lock(mu_);
    if (!imm_) return Status::Ok();
    imm = imm_;
    wal_floor = imm_wal_floor_;
    segment_number = next_file_number_++;
    dedup_number = next_file_number_++;
    // A delta file while the deltas stay smaller than the full file (and the chain
    // short); then a new full file, pruned to the window. Bytes written stay linear in
    // the ids ingested.
    full_dedup = dedup_file_number_ == 0 || dedup_chain_.size() >= 32 || dedup_delta_bytes_ > dedup_base_bytes_;
    if (full_dedup) {
      dedup_.Prune(options_.dedup_window_ms);
      dedup_bytes = dedup_.Encode();
    } else {
      dedup_bytes = dedup_.EncodeDelta(dedup_file_number_);
    }
    segments = *segments_;
  }
  const std::string segment_path = JoinPath(options_.directory, SegmentFileName(segment_number));
  Result<SegmentInfo> written = [&]() -> Result<SegmentInfo> {
    // Decoded only for the write: the compact memtable stays as imm_ until installed.
    std::vector<Event> events;
    RETURN_IF_ERROR(imm->Materialize(&events));
    std::vector<const Event*> rows;
    rows.reserve(events.size());
    for (const Event& e : events) rows.push_back(&e);
    return SegmentWriter::Write(fs_, segment_path, std::move(rows), options_.segment);
  }();
  ASSIGN_OR_RETURN(SegmentInfo info, std::move(written));
  auto reader = SegmentReader::Open(fs_, segment_path, options_.column_cache);
  Status status = reader.status();
  if (status.ok()) {
    status = fs_->WriteFileDurably(JoinPath(options_.directory, DedupFileName(dedup_number)), dedup_bytes);
  }
  if (status.ok()) {
    segments.push_back(reader.value());
    status = WriteManifest(segments, wal_floor, dedup_number);
  }
  if (!status.ok()) {
    // The memtable stays as imm_ (its WAL is intact); a later flush retries.
    fs_->DeleteFile(segment_path).IgnoreError();
    return status;
  }
  {
    std::lock_guard lock(mu_);
    segments_ = std::make_shared<const SegmentList>(std::move(segments));
    imm_.reset();
    dedup_.CommitDelta();
    dedup_file_number_ = dedup_number;
    if (full_dedup) {
      dedup_chain_.clear();
      dedup_base_bytes_ = dedup_bytes.size();
      dedup_delta_bytes_ = 0;
    } else {
      dedup_delta_bytes_ += dedup_bytes.size();
    }
    dedup_chain_.push_back(dedup_number);
    dedup_file_bytes_ = dedup_base_bytes_ + dedup_delta_bytes_;
    std::erase_if(older_wal_bytes_, [&](const auto& entry) { return entry.first < wal_floor; });
  }
  imm_cv_.notify_all();
  spdlog::debug("event store: flushed {} events to {} ({} bytes)", info.rows, segment_path, info.file_bytes);
  DeleteObsoleteFiles();
  return Status::Ok();
}

Status EmbeddedEventStore::WriteManifest(const SegmentList& segments, uint64_t wal_floor, uint64_t dedup_number) {
  Manifest m;
  {
    std::lock_guard lock(mu_);
    m.next_file_number = next_file_number_;
  }
  m.wal_floor = wal_floor;
  m.dedup_file_number = dedup_number;
  for (const auto& s : segments) m.segments.push_back(SegmentNumber(*s));
  RETURN_IF_ERROR(fs_->WriteFileDurably(JoinPath(options_.directory, std::string(kManifestFileName)), m.Encode()));
  manifest_wal_floor_ = wal_floor;
  return Status::Ok();
}

void EmbeddedEventStore::DeleteObsoleteFiles() {
  std::unordered_set<uint64_t> live_segments;
  std::unordered_set<uint64_t> dedup_chain;
  {
    std::lock_guard lock(mu_);
    for (const auto& s : *segments_) live_segments.insert(SegmentNumber(*s));
    dedup_chain.insert(dedup_chain_.begin(), dedup_chain_.end());
  }
  auto names = fs_->ListDirectory(options_.directory);
  if (!names.ok()) return;
  for (const std::string& name : names.value()) {
    std::string kind;
    uint64_t number;
    bool obsolete = false;
    if (name.size() > 4 && name.ends_with(".tmp")) {
      obsolete = true;  // tmp files are only written under maintenance_mu_, which we hold
    } else if (ParseFileName(name, &kind, &number)) {
      obsolete = (kind == "wal" && number < manifest_wal_floor_) ||
                 (kind == "seg" && live_segments.count(number) == 0) || (kind == "dedup" && dedup_chain.count(number) == 0);
    }
    if (obsolete) fs_->DeleteFile(JoinPath(options_.directory, name)).IgnoreError();
  }
}

Status EmbeddedEventStore::CompactOnce(size_t min_segments, bool* did_work) {
  *did_work = false;
  SegmentList segments;
  {
    std::lock_guard lock(mu_);
    segments = *segments_;
  }
  // The first run of adjacent small segments whose merge stays within the row bound.
  const uint64_t small_rows = std::max<uint64_t>(1, options_.compaction_max_rows / 2);
  size_t begin = 0, end = 0;
  for (size_t i = 0; i < segments.size();) {
    uint64_t rows = 0;
    size_t j = i;
    while (j < segments.size() && segments[j]->row_count() < small_rows &&
           rows + segments[j]->row_count() <= options_.compaction_max_rows) {
      rows += segments[j]->row_count();
      ++j;
    }
    if (j - i >= std::max<size_t>(2, min_segments)) {
      begin = i;
      end = j;
      break;
    }
    i = std::max(j, i + 1);
  }
  if (end == begin) return Status::Ok();

  // Older segments first, so the writer's stable sort keeps arrival order among ties.
  std::vector<Event> events;
  for (size_t i = begin; i < end; ++i) RETURN_IF_ERROR(segments[i]->ReadAllEvents(&events));
  std::vector<const Event*> rows;
  rows.reserve(events.size());
  for (const Event& e : events) rows.push_back(&e);
  uint64_t number;
  {
    std::lock_guard lock(mu_);
    number = next_file_number_++;
  }
  const std::string path = JoinPath(options_.directory, SegmentFileName(number));
  ASSIGN_OR_RETURN(SegmentInfo info, SegmentWriter::Write(fs_, path, std::move(rows), options_.segment));
  auto reader = SegmentReader::Open(fs_, path, options_.column_cache);
  if (!reader.ok()) {
    fs_->DeleteFile(path).IgnoreError();
    return reader.status();
  }
  SegmentList merged(segments.begin(), segments.begin() + static_cast<std::ptrdiff_t>(begin));
  merged.push_back(reader.value());
  merged.insert(merged.end(), segments.begin() + static_cast<std::ptrdiff_t>(end), segments.end());
  uint64_t dedup_number;
  {
    std::lock_guard lock(mu_);
    dedup_number = dedup_file_number_;
  }
  Status status = WriteManifest(merged, manifest_wal_floor_, dedup_number);
  if (!status.ok()) {
    fs_->DeleteFile(path).IgnoreError();
    return status;
  }
  {
    std::lock_guard lock(mu_);
    segments_ = std::make_shared<const SegmentList>(std::move(merged));
  }
  spdlog::debug("event store: compacted {} segments into {} ({} rows, {} bytes)", end - begin, path, info.rows,
                info.file_bytes);
  DeleteObsoleteFiles();
  *did_work = true;
  return Status::Ok();
}

Status EmbeddedEventStore::Compact() {
  std::lock_guard maintenance(maintenance_mu_);
  bool did_work = true;
  while (did_work) RETURN_IF_ERROR(CompactOnce(2, &did_work));
  return Status::Ok();
}

Status EmbeddedEventStore::Close() {
  {
    std::lock_guard lock(mu_);
    if (closed_) return Status::Ok();
  }
  StopBackground();
  Status status;
  {
    std::lock_guard maintenance(maintenance_mu_);
    status = FlushLocked();
  }
  std::lock_guard lock(mu_);
  closed_ = true;
  return status;
}

void EmbeddedEventStore::StopBackground() {
  {
    std::lock_guard lock(bg_mu_);
    bg_stop_ = true;
    bg_cv_.notify_all();
  }
  if (bg_thread_.joinable()) bg_thread_.join();
}

void EmbeddedEventStore::BackgroundLoop() {
  const auto tick = std::min<std::chrono::milliseconds>(options_.flush_interval, std::chrono::milliseconds(1000));
  while (true) {
    {
      std::unique_lock lock(bg_mu_);
      bg_cv_.wait_for(lock, tick, [&] { return bg_stop_ || bg_wake_; });
      if (bg_stop_) return;
      bg_wake_ = false;
    }
    std::lock_guard maintenance(maintenance_mu_);
    bool flush;
    {
      std::lock_guard lock(mu_);
      const size_t n = mem_->size();
      flush = imm_ != nullptr || n >= options_.memtable_max_events ||
              (n > 0 && std::chrono::steady_clock::now() - mem_created_ >= options_.flush_interval);
    }
    Status status = flush ? FlushLocked() : Status::Ok();
    bool did_work = false;
    if (status.ok()) status = CompactOnce(options_.compaction_trigger_segments, &did_work);
    if (!status.ok()) spdlog::warn("event store background work failed: {}", status.ToString());
  }
}

Status EmbeddedEventStore::Scan(const ScanRequest& request, const BlockVisitor& visit) const {
  std::shared_ptr<const SegmentList> segments;
  std::shared_ptr<Memtable> memtables[2];
  {
    std::lock_guard lock(mu_);
    segments = segments_;
    memtables[0] = imm_;
    memtables[1] = mem_;
  }
  // Work units: one per segment row group, one per memtable chunk. Memtable chunks are
  // cut in arrival order and each sorted on its own (blocks only promise inner order).
  struct Unit {
    const SegmentReader* segment = nullptr;
    size_t group = 0;
    const Memtable::Chunk* chunk = nullptr;  // decoded and filtered by the unit's worker
    std::span<const Event* const> rows;
  };
  std::vector<Unit> units;
  for (const auto& s : *segments) {
    if (!s->MayMatch(request)) continue;
    for (size_t g = 0; g < s->row_group_count(); ++g) {
      if (s->RowGroupMayMatch(g, request)) units.push_back(Unit{s.get(), g, nullptr, {}});
    }
  }
  std::vector<const Event*> mem_rows[2];
  Memtable::View views[2];
  for (int m = 0; m < 2; ++m) {
    if (!memtables[m]) continue;
    views[m] = memtables[m]->Snapshot();
    for (const auto& chunk : views[m].chunks) {
      if (chunk->max_timestamp_ms < request.from_ms || chunk->min_timestamp_ms >= request.to_ms) continue;
      units.push_back(Unit{nullptr, 0, chunk.get(), {}});
    }
    for (const Event* e : views[m].tail) {
      if (MatchesRequest(*e, request)) mem_rows[m].push_back(e);
    }
    std::span<const Event* const> all(mem_rows[m]);
    for (size_t begin = 0; begin < all.size(); begin += kRowGroupRows) {
      units.push_back(Unit{nullptr, 0, nullptr, all.subspan(begin, std::min(kRowGroupRows, all.size() - begin))});
    }
  }
  if (units.empty()) return Status::Ok();

  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  std::mutex error_mu;
  Status first_error;
  auto work = [&](int worker) {
    while (!failed.load()) {
      const size_t i = next.fetch_add(1);
      if (i >= units.size()) return;
      const Unit& u = units[i];
      Status s;
      std::vector<Event> decoded;  // a memtable chunk's events, for this unit only
      std::vector<const Event*> chunk_rows;
      std::span<const Event* const> unit_rows = u.rows;
      if (u.chunk != nullptr) {
        s = u.chunk->Decode(&decoded);
        for (const Event& e : decoded) {
          if (MatchesRequest(e, request)) chunk_rows.push_back(&e);
        }
        unit_rows = chunk_rows;
        if (!s.ok() || unit_rows.empty()) {
          if (!s.ok()) {
            std::lock_guard lock(error_mu);
            if (first_error.ok()) first_error = s;
            failed.store(true);
          }
          continue;
        }
      }
      // all_properties: materialise every key this unit holds (segment footer keys,
      // or the union of the memtable rows' keys).
      ScanRequest unit_request;
      const ScanRequest* effective = &request;
      if (request.all_properties) {
        unit_request = request;
        unit_request.all_properties = false;
        if (u.segment != nullptr) {
          unit_request.properties = u.segment->property_keys();
        } else {
          std::set<std::string> keys;
          for (const Event* e : unit_rows) {
            for (const Property& p : e->properties) keys.insert(p.key);
          }
          unit_request.properties.assign(keys.begin(), keys.end());
        }
        effective = &unit_request;
      }
      if (u.segment != nullptr) {
        s = u.segment->ScanRowGroup(u.group, *effective, visit, worker);
      } else {
        std::vector<const Event*> rows(unit_rows.begin(), unit_rows.end());
        SortRows(&rows);
        auto block = BuildBlock(rows, *effective);
        s = visit(block->block, worker);
      }
      if (!s.ok()) {
        std::lock_guard lock(error_mu);
        if (first_error.ok()) first_error = s;
        failed.store(true);
      }
    }
  };
  const int threads = static_cast<int>(std::clamp<size_t>(static_cast<size_t>(std::max(1, request.max_threads)), 1,
                                                          units.size()));
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(work, t);
  work(0);
  for (std::thread& t : pool) t.join();
  return first_error;
}

StoreStats EmbeddedEventStore::Stats() const {
  std::lock_guard lock(mu_);
  StoreStats stats;
  bool any = false;
  auto widen = [&](int64_t lo, int64_t hi) {
    stats.min_timestamp_ms = any ? std::min(stats.min_timestamp_ms, lo) : lo;
    stats.max_timestamp_ms = any ? std::max(stats.max_timestamp_ms, hi) : hi;
    any = true;
  };
  for (const auto& s : *segments_) {
    stats.events += s->row_count();
    stats.segment_bytes += s->file_bytes();
    ++stats.segments;
    if (s->row_count() > 0) widen(s->min_timestamp_ms(), s->max_timestamp_ms());
  }
  for (const auto& m : {imm_, mem_}) {
    if (!m) continue;
    const size_t n = m->size();
    stats.events += n;
    stats.memtable_events += n;
    if (n > 0) widen(m->min_timestamp_ms(), m->max_timestamp_ms());
  }
  stats.wal_bytes = current_wal_bytes_;
  for (const auto& [number, bytes] : older_wal_bytes_) stats.wal_bytes += bytes;
  stats.dedup_bytes = dedup_file_bytes_;
  return stats;
}

Status EmbeddedEventStore::VerifyAllSegments() const {
  std::shared_ptr<const SegmentList> segments;
  {
    std::lock_guard lock(mu_);
    segments = segments_;
  }
  for (const auto& s : *segments) RETURN_IF_ERROR(s->VerifyAllBlocks());
  return Status::Ok();
}

}  // namespace tobops::store
