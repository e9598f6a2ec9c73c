#include "store/segment_reader.h"

#include <zstd.h>

#include <algorithm>
#include <atomic>

#include "common/checksum.h"
#include "common/coding.h"
#include "store/event_codec.h"

namespace tobops::store {

namespace {

const char* const kColumnNames[kFixedColumnCount] = {"timestamp",   "type",         "event",   "person",    "account",
                                                     "received_at", "anonymous_id", "user_id", "message_id"};
const char* const kDictNames[3] = {"person_dict", "account_dict", "id_dict"};

}  // namespace

Status SegmentReader::Corrupt(const std::string& what) const {
  return DataLoss("segment " + path_ + ": " + what);
}

SegmentReader::~SegmentReader() {
  if (cache_) cache_->EraseSegment(dict_key_);
}

Result<std::shared_ptr<SegmentReader>> SegmentReader::Open(FileSystem* fs, const std::string& path,
                                                           std::shared_ptr<DecodedColumnCache> cache) {
  static std::atomic<uint64_t> next_dict_key{1};
  std::shared_ptr<SegmentReader> r(new SegmentReader());
  r->path_ = path;
  r->dict_key_ = next_dict_key.fetch_add(1);
  r->cache_ = std::move(cache);
  ASSIGN_OR_RETURN(r->file_, fs->NewRandomAccessFile(path));
  r->file_bytes_ = r->file_->Size();
  if (r->file_bytes_ < kSegmentMagic.size() + kSegmentTrailerBytes) return r->Corrupt("file too short");
  std::string trailer;
  RETURN_IF_ERROR(r->file_->Read(r->file_bytes_ - kSegmentTrailerBytes, kSegmentTrailerBytes, &trailer));
  if (std::string_view(trailer).substr(20) != kSegmentMagic) return r->Corrupt("bad trailer magic");
  const uint64_t footer_offset = DecodeFixed64(trailer.data());
  const uint32_t footer_size = DecodeFixed32(trailer.data() + 8);
  const uint64_t footer_checksum = DecodeFixed64(trailer.data() + 12);
  if (footer_offset + footer_size + kSegmentTrailerBytes != r->file_bytes_) return r->Corrupt("bad footer location");
  std::string footer;
  RETURN_IF_ERROR(r->file_->Read(footer_offset, footer_size, &footer));
  if (Checksum64(footer) != footer_checksum) return r->Corrupt("footer checksum mismatch");

  Decoder in(footer);
  uint32_t version;
  uint64_t event_count;
  if (!in.GetVarint32(&version) || (version != kSegmentFormatVersion && version != kSegmentFormatVersionV1)) {
    return r->Corrupt("unsupported format version");
  }
  r->version_ = version;
  if (!in.GetVarint64(&r->row_count_) || !in.GetVarsint64(&r->min_ts_) || !in.GetVarsint64(&r->max_ts_) ||
      !in.GetVarint64(&event_count) || event_count > footer.size()) {
    return r->Corrupt("malformed footer header");
  }
  for (uint64_t i = 0; i < event_count; ++i) {
    std::string_view name;
    if (!in.GetLengthPrefixed(&name)) return r->Corrupt("malformed event dictionary");
    r->event_dict_.emplace_back(name);
  }
  for (BlockHandle& h : r->string_dicts_) {
    if (!h.DecodeFrom(&in)) return r->Corrupt("malformed dictionary handle");
  }
  uint64_t key_count;
  if (!in.GetVarint64(&key_count) || key_count > footer.size()) return r->Corrupt("malformed property keys");
  for (uint64_t i = 0; i < key_count; ++i) {
    std::string_view key;
    BlockHandle h;
    if (!in.GetLengthPrefixed(&key) || !h.DecodeFrom(&in)) return r->Corrupt("malformed property key");
    r->property_keys_.emplace_back(key);
    r->property_dicts_.push_back(h);
  }
  uint64_t group_count;
  if (!in.GetVarint64(&group_count) || group_count > footer.size()) return r->Corrupt("malformed row groups");
  uint64_t total_rows = 0;
  for (uint64_t i = 0; i < group_count; ++i) {
    RowGroup g;
    if (!in.GetVarint64(&g.rows) || !in.GetVarsint64(&g.min_ts) || !in.GetVarsint64(&g.max_ts)) {
      return r->Corrupt("malformed row group " + std::to_string(i));
    }
    for (BlockHandle& h : g.fixed) {
      if (!h.DecodeFrom(&in)) return r->Corrupt("malformed row group " + std::to_string(i));
    }
    g.properties.resize(key_count);
    for (BlockHandle& h : g.properties) {
      if (!h.DecodeFrom(&in)) return r->Corrupt("malformed row group " + std::to_string(i));
    }
    total_rows += g.rows;
    r->groups_.push_back(std::move(g));
  }
  if (!in.empty() || total_rows != r->row_count_) return r->Corrupt("footer row counts disagree");
  return r;
}

Result<std::string> SegmentReader::ReadBlock(const BlockHandle& h, const std::string& what) const {
  if (h.offset + h.stored_bytes > file_bytes_) return Corrupt("block " + what + " lies outside the file");
  std::string stored;
  RETURN_IF_ERROR(file_->Read(h.offset, h.stored_bytes, &stored));
  if (Checksum64(stored) != h.checksum) {
    return Corrupt("checksum mismatch in block " + what + " at offset " + std::to_string(h.offset));
  }
  std::string raw(h.raw_bytes, '\0');
  size_t n = ZSTD_decompress(raw.data(), raw.size(), stored.data(), stored.size());
  if (ZSTD_isError(n) || n != h.raw_bytes) return Corrupt("cannot decompress block " + what);
  return raw;
}

Result<std::shared_ptr<const SegmentReader::StringDict>> SegmentReader::LoadStringDict(int which) const {
  {
    std::lock_guard lock(cache_mu_);
    if (string_dict_cache_[which]) return string_dict_cache_[which];
  }
  ASSIGN_OR_RETURN(std::string raw, ReadBlock(string_dicts_[which], kDictNames[which]));
  auto dict = std::make_shared<StringDict>();
  Decoder in(raw);
  uint64_t count;
  if (!in.GetVarint64(&count) || count > raw.size()) return Corrupt(std::string("malformed ") + kDictNames[which]);
  dict->reserve(count);
  for (uint64_t i = 0; i < count; ++i) {
    std::string_view s;
    if (!in.GetLengthPrefixed(&s)) return Corrupt(std::string("malformed ") + kDictNames[which]);
    dict->emplace_back(s);
  }
  std::lock_guard lock(cache_mu_);
  string_dict_cache_[which] = dict;
  return std::shared_ptr<const StringDict>(dict);
}

Result<std::shared_ptr<const SegmentReader::ValueDict>> SegmentReader::LoadValueDict(size_t key_index) const {
  {
    std::lock_guard lock(cache_mu_);
    auto it = value_dict_cache_.find(key_index);
    if (it != value_dict_cache_.end()) return it->second;
  }
  const std::string what = "property_dict[" + property_keys_[key_index] + "]";
  ASSIGN_OR_RETURN(std::string raw, ReadBlock(property_dicts_[key_index], what));
  auto dict = std::make_shared<ValueDict>();
  Decoder in(raw);
  uint64_t count;
  if (!in.GetVarint64(&count) || count > raw.size()) return Corrupt("malformed " + what);
  dict->resize(count);
  for (PropertyValue& v : *dict) {
    if (!DecodePropertyValue(&in, &v)) return Corrupt("malformed " + what);
  }
  std::lock_guard lock(cache_mu_);
  value_dict_cache_[key_index] = dict;
  return std::shared_ptr<const ValueDict>(dict);
}

Status SegmentReader::DecodeColumn(const RowGroup& g, size_t group, SegmentColumn column, bool delta,
                                   std::vector<uint32_t>* out) const {
  const auto c = static_cast<size_t>(column);
  const std::string what = std::string(kColumnNames[c]) + " of row group " + std::to_string(group);
  ASSIGN_OR_RETURN(std::string raw, ReadBlock(g.fixed[c], what));
  out->assign(g.rows, 0);
  if (raw.empty()) return Status::Ok();  // column not stored (message ids disabled)
  Decoder in(raw);
  int64_t prev = 0;
  for (uint64_t i = 0; i < g.rows; ++i) {
    if (delta) {
      int64_t d;
      if (!in.GetVarsint64(&d)) return Corrupt("malformed " + what);
      prev += d;
      if (prev < 0 || prev > UINT32_MAX) return Corrupt("code out of range in " + what);
      (*out)[i] = static_cast<uint32_t>(prev);
    } else if (!in.GetVarint32(&(*out)[i])) {
      return Corrupt("malformed " + what);
    }
  }
  return Status::Ok();
}

Status SegmentReader::DecodeInt64Column(const RowGroup& g, size_t group, SegmentColumn column,
                                        std::vector<int64_t>* out) const {
  const auto c = static_cast<size_t>(column);
  const std::string what = std::string(kColumnNames[c]) + " of row group " + std::to_string(group);
  ASSIGN_OR_RETURN(std::string raw, ReadBlock(g.fixed[c], what));
  out->resize(g.rows);
  Decoder in(raw);
  int64_t prev = 0;
  for (uint64_t i = 0; i < g.rows; ++i) {
    int64_t d;
    if (!in.GetVarsint64(&d)) return Corrupt("malformed " + what);
    // Timestamps are deltas from the previous row; received_at is relative to the
    // caller-supplied timestamps, which DecodeInt64Column's caller adds.
    prev = column == SegmentColumn::kTimestamp ? prev + d : d;
    (*out)[i] = prev;
  }
  return Status::Ok();
}

template <typename T, typename Decode>
Result<std::shared_ptr<const SegmentReader::Column>> SegmentReader::Cached(size_t group, uint32_t column, bool keep,
                                                                         Decode decode) const {
  if (cache_) {
    if (auto hit = cache_->Find(dict_key_, uint32_t(group), column)) return hit;
  }
  std::vector<T> values;
  RETURN_IF_ERROR(decode(&values));
  auto decoded = std::make_shared<const Column>(std::move(values));
  if (cache_ && keep) cache_->Insert(dict_key_, uint32_t(group), column, decoded);
  return decoded;
}

Result<std::shared_ptr<const SegmentReader::Column>> SegmentReader::Timestamps(size_t group, bool keep) const {
  return Cached<int64_t>(group, uint32_t(SegmentColumn::kTimestamp), keep, [&](std::vector<int64_t>* out) {
    return DecodeInt64Column(groups_[group], group, SegmentColumn::kTimestamp, out);
  });
}

Result<std::shared_ptr<const SegmentReader::Column>> SegmentReader::Types(size_t group, bool keep) const {
  return Cached<MessageType>(group, uint32_t(SegmentColumn::kType), keep, [&](std::vector<MessageType>* out) {
    std::vector<uint32_t> codes;
    RETURN_IF_ERROR(DecodeColumn(groups_[group], group, SegmentColumn::kType, false, &codes));
    out->resize(codes.size());
    for (size_t i = 0; i < codes.size(); ++i) (*out)[i] = static_cast<MessageType>(codes[i] & 0xff);
    return Status::Ok();
  });
}

Result<std::shared_ptr<const SegmentReader::Column>> SegmentReader::Codes(size_t group, SegmentColumn column,
                                                                        size_t dict_size, bool keep) const {
  return Cached<uint32_t>(group, uint32_t(column), keep, [&](std::vector<uint32_t>* out) -> Status {
    const bool delta = column != SegmentColumn::kEvent && column != SegmentColumn::kType;
    RETURN_IF_ERROR(DecodeColumn(groups_[group], group, column, delta, out));
    for (uint32_t code : *out) {
      if (code >= dict_size) {
        return Corrupt(std::string(kColumnNames[size_t(column)]) + " code out of range in row group " +
                       std::to_string(group));
      }
    }
    return Status::Ok();
  });
}

Result<std::shared_ptr<const SegmentReader::Column>> SegmentReader::PropertyCodes(size_t group, size_t key_index,
                                                                                size_t dict_size, bool keep) const {
  return Cached<uint32_t>(group, uint32_t(kFixedColumnCount + key_index), keep, [&](std::vector<uint32_t>* out) -> Status {
    RETURN_IF_ERROR(DecodePropertyCodes(groups_[group], group, key_index, out));
    for (uint32_t code : *out) {  // 0 = absent, else dictionary entry code - 1
      if (code > dict_size) return Corrupt("property code out of range in row group " + std::to_string(group));
    }
    return Status::Ok();
  });
}

Status SegmentReader::DecodePropertyCodes(const RowGroup& g, size_t group, size_t key_index,
                                          std::vector<uint32_t>* out) const {
  const std::string what = "property[" + property_keys_[key_index] + "] of row group " + std::to_string(group);
  ASSIGN_OR_RETURN(std::string raw, ReadBlock(g.properties[key_index], what));
  out->resize(g.rows);
  Decoder in(raw);
  for (uint64_t i = 0; i < g.rows; ++i) {
    if (!in.GetVarint32(&(*out)[i])) return Corrupt("malformed " + what);
  }
  return Status::Ok();
}

Status SegmentReader::DecodeReceivedAt(const RowGroup& g, size_t group, const std::vector<int64_t>& ts,
                                       std::vector<int64_t>* out) const {
  if (version_ == kSegmentFormatVersionV1) {
    RETURN_IF_ERROR(DecodeInt64Column(g, group, SegmentColumn::kReceivedAt, out));
    for (size_t i = 0; i < g.rows; ++i) (*out)[i] += ts[i];
    return Status::Ok();
  }
  const std::string what = "received_at of row group " + std::to_string(group);
  ASSIGN_OR_RETURN(std::string raw, ReadBlock(g.fixed[static_cast<size_t>(SegmentColumn::kReceivedAt)], what));
  Decoder in(raw);
  uint8_t mode;
  if (!in.GetByte(&mode) || mode > static_cast<uint8_t>(ReceivedAtMode::kFromPrevious)) {
    return Corrupt("malformed " + what);
  }
  out->resize(g.rows);
  int64_t prev = 0;
  for (uint64_t i = 0; i < g.rows; ++i) {
    int64_t d;
    if (!in.GetVarsint64(&d)) return Corrupt("malformed " + what);
    prev = mode == static_cast<uint8_t>(ReceivedAtMode::kFromTimestamp) ? ts[i] + d : prev + d;
    (*out)[i] = prev;
  }
  return Status::Ok();
}

Status SegmentReader::DecodeMessageIds(const RowGroup& g, size_t group, std::vector<std::string>* out) const {
  const std::string what = "message_id of row group " + std::to_string(group);
  ASSIGN_OR_RETURN(std::string raw, ReadBlock(g.fixed[static_cast<size_t>(SegmentColumn::kMessageId)], what));
  out->assign(g.rows, std::string());
  if (raw.empty()) return Status::Ok();  // message ids not stored
  Decoder in(raw);
  struct Shape {
    uint8_t kind, width;
    std::string_view prefix;
  };
  uint64_t shape_count;
  if (!in.GetVarint64(&shape_count) || shape_count > raw.size()) return Corrupt("malformed " + what);
  std::vector<Shape> shapes(shape_count);
  for (Shape& s : shapes) {
    if (!in.GetByte(&s.kind) || !in.GetByte(&s.width) || !in.GetLengthPrefixed(&s.prefix) ||
        s.kind > static_cast<uint8_t>(MessageIdKind::kRaw) ||
        (s.kind == static_cast<uint8_t>(MessageIdKind::kHex) && (s.width == 0 || s.width > kMaxHexIdWidth))) {
      return Corrupt("malformed " + what);
    }
  }
  std::string_view codes_raw, numbers_raw, uuids_raw;
  if (!in.GetLengthPrefixed(&codes_raw) || !in.GetLengthPrefixed(&numbers_raw) || !in.GetLengthPrefixed(&uuids_raw)) {
    return Corrupt("malformed " + what);
  }
  Decoder codes(codes_raw), numbers(numbers_raw), uuids(uuids_raw);
  std::vector<uint64_t> previous(shape_count, 0);
  static constexpr char kHex[] = "0123456789abcdef";
  for (uint64_t i = 0; i < g.rows; ++i) {
    uint32_t code;
    if (!codes.GetVarint32(&code) || code >= shape_count) return Corrupt("malformed " + what);
    const Shape& s = shapes[code];
    std::string& id = (*out)[i];
    switch (static_cast<MessageIdKind>(s.kind)) {
      case MessageIdKind::kEmpty:
        break;
      case MessageIdKind::kHex: {
        int64_t d;
        if (!numbers.GetVarsint64(&d)) return Corrupt("malformed " + what);
        const uint64_t value = previous[code] + static_cast<uint64_t>(d);
        previous[code] = value;
        if (s.width < 16 && (value >> (4 * s.width)) != 0) return Corrupt("id value out of range in " + what);
        id.reserve(s.prefix.size() + s.width);
        id.append(s.prefix);
        for (int k = s.width - 1; k >= 0; --k) id.push_back(kHex[(value >> (4 * k)) & 0xf]);
        break;
      }
      case MessageIdKind::kUuid: {
        std::string_view b;
        if (!uuids.GetBytes(16, &b)) return Corrupt("malformed " + what);
        id.reserve(s.prefix.size() + 36);
        id.append(s.prefix);
        for (size_t k = 0; k < 16; ++k) {
          if (k == 4 || k == 6 || k == 8 || k == 10) id.push_back('-');
          const auto byte = static_cast<uint8_t>(b[k]);
          id.push_back(kHex[byte >> 4]);
          id.push_back(kHex[byte & 0xf]);
        }
        break;
      }
      case MessageIdKind::kRaw: {
        std::string_view v;
        if (!in.GetLengthPrefixed(&v)) return Corrupt("malformed " + what);
        id.assign(v);
        break;
      }
    }
  }
  if (!in.empty() || !codes.empty() || !numbers.empty() || !uuids.empty()) return Corrupt("malformed " + what);
  return Status::Ok();
}

std::map<std::string, uint64_t> SegmentReader::ColumnBytes() const {
  std::map<std::string, uint64_t> bytes;
  for (size_t d = 0; d < 3; ++d) bytes[kDictNames[d]] += string_dicts_[d].stored_bytes;
  for (const BlockHandle& h : property_dicts_) bytes["property_dicts"] += h.stored_bytes;
  for (const RowGroup& g : groups_) {
    for (size_t c = 0; c < kFixedColumnCount; ++c) bytes[kColumnNames[c]] += g.fixed[c].stored_bytes;
    for (size_t k = 0; k < g.properties.size(); ++k) bytes["property:" + property_keys_[k]] += g.properties[k].stored_bytes;
  }
  uint64_t blocks = 0;
  for (const auto& [name, b] : bytes) blocks += b;
  bytes["footer"] = file_bytes_ - kSegmentMagic.size() - blocks;
  return bytes;
}

bool SegmentReader::MayMatch(const ScanRequest& request) const {
  if (row_count_ == 0) return false;
  if (max_ts_ < request.from_ms || min_ts_ >= request.to_ms) return false;
  if (request.events.empty()) return true;
  for (const std::string& e : request.events) {
    if (std::binary_search(event_dict_.begin(), event_dict_.end(), e)) return true;
  }
  return false;
}

bool SegmentReader::RowGroupMayMatch(size_t group, const ScanRequest& request) const {
  const RowGroup& g = groups_[group];
  return g.rows > 0 && g.max_ts >= request.from_ms && g.min_ts < request.to_ms;
}

Status SegmentReader::ScanRowGroup(size_t group, const ScanRequest& request, const BlockVisitor& visit,
                                   int worker) const {
  const RowGroup& g = groups_[group];
  const bool keep = request.keep_decoded;
  ASSIGN_OR_RETURN(auto ts_column, Timestamps(group, keep));
  ASSIGN_OR_RETURN(auto type_column, Types(group, keep));
  ASSIGN_OR_RETURN(auto event_column, Codes(group, SegmentColumn::kEvent, event_dict_.size(), keep));
  const auto& ts = std::get<std::vector<int64_t>>(*ts_column);
  const auto& types = std::get<std::vector<MessageType>>(*type_column);
  const auto& event = std::get<std::vector<uint32_t>>(*event_column);

  // Which rows pass the filters. With no event or type filter and the whole group in the
  // time range, all of them: the block then points into the decoded columns, no copy.
  std::vector<uint32_t> selected;
  bool all = request.events.empty() && request.types.empty() && g.min_ts >= request.from_ms &&
             g.max_ts < request.to_ms;
  if (!all) {
    std::vector<char> event_allowed(event_dict_.size(), request.events.empty());
    for (const std::string& e : request.events) {
      auto it = std::lower_bound(event_dict_.begin(), event_dict_.end(), e);
      if (it != event_dict_.end() && *it == e) event_allowed[it - event_dict_.begin()] = true;
    }
    bool type_allowed[256];
    std::fill(std::begin(type_allowed), std::end(type_allowed), request.types.empty());
    for (MessageType t : request.types) type_allowed[static_cast<uint8_t>(t)] = true;
    selected.reserve(g.rows);
    for (uint32_t i = 0; i < g.rows; ++i) {
      if (ts[i] >= request.from_ms && ts[i] < request.to_ms && type_allowed[static_cast<uint8_t>(types[i])] &&
          event_allowed[event[i]]) {
        selected.push_back(i);
      }
    }
    if (selected.empty()) return Status::Ok();
    all = selected.size() == g.rows;
  }
  const size_t rows = all ? g.rows : selected.size();

  ASSIGN_OR_RETURN(auto person_dict, LoadStringDict(0));
  ASSIGN_OR_RETURN(auto account_dict, LoadStringDict(1));
  ASSIGN_OR_RETURN(auto person_column, Codes(group, SegmentColumn::kPerson, person_dict->size(), keep));
  ASSIGN_OR_RETURN(auto account_column, Codes(group, SegmentColumn::kAccount, account_dict->size(), keep));

  // Owned vectors: compacted in place to the selected rows.
  auto compact = [&](auto& v) {
    if (all) return;
    for (size_t j = 0; j < selected.size(); ++j) v[j] = v[selected[j]];
    v.resize(selected.size());
  };
  // Decoded (shared) columns: the selected rows, copied into `copy` unless all are.
  auto pick = [&](const auto& column, auto* copy) {
    if (all) return column.data();
    copy->resize(selected.size());
    for (size_t j = 0; j < selected.size(); ++j) (*copy)[j] = column[selected[j]];
    return static_cast<const decltype(column.data())>(copy->data());
  };
  std::vector<int64_t> ts_copy;
  std::vector<MessageType> type_copy;
  std::vector<uint32_t> event_copy, person_copy, account_copy;

  ColumnBlock block;
  block.rows = rows;
  block.timestamp_ms = pick(ts, &ts_copy);
  block.type = pick(types, &type_copy);
  block.event = pick(event, &event_copy);
  block.person = pick(std::get<std::vector<uint32_t>>(*person_column), &person_copy);
  block.account = pick(std::get<std::vector<uint32_t>>(*account_column), &account_copy);
  block.event_dict = event_dict_;
  block.person_dict = *person_dict;
  block.account_dict = *account_dict;
  block.dict_key = dict_key_;

  std::vector<int64_t> received;
  std::vector<uint32_t> anon, user, msg;
  std::shared_ptr<const StringDict> id_dict;
  std::vector<std::string> block_ids;  // version 2: the block's own id dictionary
  if (request.with_identity_columns) {
    RETURN_IF_ERROR(DecodeReceivedAt(g, group, ts, &received));
    RETURN_IF_ERROR(DecodeColumn(g, group, SegmentColumn::kAnonymousId, true, &anon));
    RETURN_IF_ERROR(DecodeColumn(g, group, SegmentColumn::kUserId, true, &user));
    ASSIGN_OR_RETURN(id_dict, LoadStringDict(2));
    compact(received);
    compact(anon);
    compact(user);
    if (version_ == kSegmentFormatVersionV1) {
      if (request.with_message_id) {
        RETURN_IF_ERROR(DecodeColumn(g, group, SegmentColumn::kMessageId, true, &msg));
        compact(msg);
      }
      for (size_t i = 0; i < anon.size(); ++i) {
        if (anon[i] >= id_dict->size() || user[i] >= id_dict->size() ||
            (!msg.empty() && msg[i] >= id_dict->size())) {
          return Corrupt("id code out of range in row group " + std::to_string(group));
        }
      }
      block.id_dict = *id_dict;
    } else {
      std::vector<std::string> message_ids;
      if (request.with_message_id) RETURN_IF_ERROR(DecodeMessageIds(g, group, &message_ids));
      // Block-local dictionary: "" first, then the anonymous and user ids the selected
      // rows use (each once), then one entry per non-empty message id.
      block_ids.emplace_back();
      std::vector<uint32_t> from_dict(id_dict->size(), 0), from_person_user(person_dict->size(), 0),
          from_person_anon(person_dict->size(), 0);
      auto map_code = [&](uint32_t code, uint32_t person_code, bool anonymous, uint32_t* out) -> bool {
        if (code == kIdCodeEmpty) {
          *out = 0;
          return true;
        }
        if (code == kIdCodeFromPerson) {
          const std::string& p = (*person_dict)[person_code];
          uint32_t& slot = anonymous ? from_person_anon[person_code] : from_person_user[person_code];
          if (slot == 0) {
            if (anonymous && !std::string_view(p).starts_with(kAnonymousPrefix)) return false;
            slot = static_cast<uint32_t>(block_ids.size());
            block_ids.push_back(anonymous ? p.substr(kAnonymousPrefix.size()) : p);
          }
          *out = slot;
          return true;
        }
        const uint32_t entry = code - 1;
        if (entry >= id_dict->size()) return false;
        uint32_t& slot = from_dict[entry];
        if (slot == 0) {
          slot = static_cast<uint32_t>(block_ids.size());
          block_ids.push_back((*id_dict)[entry]);
        }
        *out = slot;
        return true;
      };
      for (size_t i = 0; i < anon.size(); ++i) {
        if (!map_code(anon[i], block.person[i], true, &anon[i]) ||
            !map_code(user[i], block.person[i], false, &user[i])) {
          return Corrupt("id code out of range in row group " + std::to_string(group));
        }
      }
      if (request.with_message_id) msg.assign(rows, 0);
      for (size_t j = 0; j < msg.size(); ++j) {
        std::string& id = message_ids[all ? j : selected[j]];
        if (id.empty()) continue;
        msg[j] = static_cast<uint32_t>(block_ids.size());
        block_ids.push_back(std::move(id));
      }
      block.id_dict = block_ids;
    }
    block.received_at_ms = received.data();
    block.anonymous_id = anon.data();
    block.user_id = user.data();
    block.message_id = msg.empty() ? nullptr : msg.data();
  }

  std::vector<std::vector<uint32_t>> prop_codes(request.properties.size());  // copies, or absent keys' zeros
  std::vector<std::shared_ptr<const Column>> prop_columns(request.properties.size());
  std::vector<std::shared_ptr<const ValueDict>> prop_dicts(request.properties.size());
  for (size_t k = 0; k < request.properties.size(); ++k) {
    auto it = std::lower_bound(property_keys_.begin(), property_keys_.end(), request.properties[k]);
    if (it == property_keys_.end() || *it != request.properties[k]) {
      prop_codes[k].assign(rows, 0);
      block.properties.push_back(PropertyColumn{prop_codes[k].data(), {}});
      continue;
    }
    const size_t key_index = static_cast<size_t>(it - property_keys_.begin());
    ASSIGN_OR_RETURN(prop_dicts[k], LoadValueDict(key_index));
    ASSIGN_OR_RETURN(prop_columns[k], PropertyCodes(group, key_index, prop_dicts[k]->size(), keep));
    const uint32_t* codes = pick(std::get<std::vector<uint32_t>>(*prop_columns[k]), &prop_codes[k]);
    block.properties.push_back(PropertyColumn{codes, *prop_dicts[k]});
  }
  for (const std::string& key : request.properties) block.property_keys.emplace_back(key);
  return visit(block, worker);
}

Status SegmentReader::ReadAllEvents(std::vector<Event>* out) const {
  ScanRequest request;
  request.with_identity_columns = true;
  request.properties = property_keys_;
  request.keep_decoded = false;
  out->reserve(out->size() + row_count_);
  for (size_t group = 0; group < groups_.size(); ++group) {
    RETURN_IF_ERROR(ScanRowGroup(
        group, request,
        [&](const ColumnBlock& b, int) -> Status {
          for (size_t i = 0; i < b.rows; ++i) {
            Event e;
            e.timestamp_ms = b.timestamp_ms[i];
            e.received_at_ms = b.received_at_ms[i];
            e.type = b.type[i];
            e.event = b.event_dict[b.event[i]];
            e.person = b.person_dict[b.person[i]];
            e.account = b.account_dict[b.account[i]];
            e.anonymous_id = b.id_dict[b.anonymous_id[i]];
            e.user_id = b.id_dict[b.user_id[i]];
            e.message_id = b.id_dict[b.message_id[i]];
            for (size_t k = 0; k < b.properties.size(); ++k) {
              uint32_t code = b.properties[k].codes[i];
              if (code != 0) e.properties.push_back(Property{property_keys_[k], b.properties[k].dict[code - 1]});
            }
            out->push_back(std::move(e));
          }
          return Status::Ok();
        },
        0));
  }
  return Status::Ok();
}

Status SegmentReader::VerifyAllBlocks() const {
  for (size_t d = 0; d < 3; ++d) RETURN_IF_ERROR(ReadBlock(string_dicts_[d], kDictNames[d]).status());
  for (size_t k = 0; k < property_dicts_.size(); ++k) {
    RETURN_IF_ERROR(ReadBlock(property_dicts_[k], "property_dict[" + property_keys_[k] + "]").status());
  }
  for (size_t group = 0; group < groups_.size(); ++group) {
    for (size_t c = 0; c < kFixedColumnCount; ++c) {
      RETURN_IF_ERROR(ReadBlock(groups_[group].fixed[c], std::string(kColumnNames[c]) + " of row group " +
                                                             std::to_string(group)).status());
    }
    for (size_t k = 0; k < property_keys_.size(); ++k) {
      RETURN_IF_ERROR(ReadBlock(groups_[group].properties[k], "property[" + property_keys_[k] + "] of row group " +
                                                                  std::to_string(group)).status());
    }
  }
  return Status::Ok();
}

}  // namespace tobops::store
