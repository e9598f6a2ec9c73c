#include "store/segment_writer.h"

#include <zstd.h>

#include <algorithm>
#include <limits>
#include <string_view>
#include <unordered_map>

#include "common/checksum.h"
#include "common/coding.h"
#include "store/block_builder.h"
#include "store/event_codec.h"
#include "store/segment_format.h"

namespace tobops::store {

namespace {

// Sorted unique dictionary with code lookup; codes follow string order.
struct SortedDict {
  std::vector<std::string> values;
  std::unordered_map<std::string_view, uint32_t> codes;

  void Build(std::vector<std::string> all) {
    std::sort(all.begin(), all.end());
    all.erase(std::unique(all.begin(), all.end()), all.end());
    values = std::move(all);
    codes.reserve(values.size());
    for (size_t i = 0; i < values.size(); ++i) codes.emplace(values[i], static_cast<uint32_t>(i));
  }
  uint32_t Code(std::string_view s) const { return codes.at(s); }
};

// First-seen-order dictionary ("" is always code 0).
struct FirstSeenDict {
  std::vector<std::string> values{""};
  std::unordered_map<std::string, uint32_t> codes{{"", 0}};
  uint32_t Code(const std::string& s) {
    auto [it, inserted] = codes.try_emplace(s, static_cast<uint32_t>(values.size()));
    if (inserted) values.push_back(s);
    return it->second;
  }
};

struct PropertyState {
  std::unordered_map<std::string, uint32_t> codes;  // encoded value -> code (1-based)
  std::string dict_raw;                             // encoded values in code order
  uint32_t count = 0;
  std::vector<uint32_t> group_codes;                // codes of the current row group
};

std::string EncodeStringDict(const std::vector<std::string>& values) {
  std::string raw;
  PutVarint64(&raw, values.size());
  for (const std::string& v : values) PutLengthPrefixed(&raw, v);
  return raw;
}

class FileBuilder {
 public:
  explicit FileBuilder(int level) : level_(level), cctx_(ZSTD_createCCtx()) { file_.append(kSegmentMagic); }
  ~FileBuilder() { ZSTD_freeCCtx(cctx_); }

  Result<BlockHandle> AddBlock(std::string_view raw) {
    BlockHandle h;
    h.offset = file_.size();
    h.raw_bytes = raw.size();
    size_t bound = ZSTD_compressBound(raw.size());
    size_t start = file_.size();
    file_.resize(start + bound);
    size_t n = ZSTD_compressCCtx(cctx_, file_.data() + start, bound, raw.data(), raw.size(), level_);
    if (ZSTD_isError(n)) return Internal(std::string("zstd compress: ") + ZSTD_getErrorName(n));
    file_.resize(start + n);
    h.stored_bytes = n;
    h.checksum = Checksum64(file_.data() + start, n);
    return h;
  }
  // Compressed size of `raw`, to choose between candidate encodings of a block.
  size_t CompressedSize(std::string_view raw) {
    scratch_.resize(ZSTD_compressBound(raw.size()));
    size_t n = ZSTD_compressCCtx(cctx_, scratch_.data(), scratch_.size(), raw.data(), raw.size(), level_);
    return ZSTD_isError(n) ? raw.size() : n;
  }
  std::string* file() { return &file_; }

 private:
  int level_;
  ZSTD_CCtx* cctx_;
  std::string file_;
  std::string scratch_;
};

// The shape of one message id (docs/segment_format.md, "message_id").
struct IdShape {
  MessageIdKind kind = MessageIdKind::kEmpty;
  uint8_t width = 0;        // hex digits, kHex only
  std::string_view prefix;  // everything before the coded tail
};

bool IsLowerHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

bool IsCanonicalUuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < 36; ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : !IsLowerHex(s[i])) return false;
  }
  return true;
}

uint8_t HexValue(char c) { return static_cast<uint8_t>(c <= '9' ? c - '0' : c - 'a' + 10); }

// Splits `id` into its shape and, for kHex, its value; for kUuid appends 16 bytes.
IdShape ParseMessageId(std::string_view id, uint64_t* value, std::string* uuid_bytes) {
  IdShape shape;
  if (id.empty()) return shape;
  if (id.size() >= 36 && IsCanonicalUuid(id.substr(id.size() - 36))) {
    shape.kind = MessageIdKind::kUuid;
    shape.prefix = id.substr(0, id.size() - 36);
    std::string_view u = id.substr(id.size() - 36);
    for (size_t i = 0; i < 36;) {
      if (u[i] == '-') {
        ++i;
        continue;
      }
      uuid_bytes->push_back(static_cast<char>(HexValue(u[i]) << 4 | HexValue(u[i + 1])));
      i += 2;
    }
    return shape;
  }
  size_t run = 0;
  while (run < id.size() && run < kMaxHexIdWidth && IsLowerHex(id[id.size() - 1 - run])) ++run;
  if (run == 0) {
    shape.kind = MessageIdKind::kRaw;
    return shape;
  }
  shape.kind = MessageIdKind::kHex;
  shape.width = static_cast<uint8_t>(run);
  shape.prefix = id.substr(0, id.size() - run);
  *value = 0;
  for (char c : id.substr(id.size() - run)) *value = *value << 4 | HexValue(c);
  return shape;
}

// Encodes the message ids of rows [begin, end) as a version 2 message_id block.
// Sections: shapes, one shape code per row, hex values (svarint delta from the
// previous value of the same shape), uuid bytes, raw lp-strings. Sequential ids
// (a client prefix + a counter) thus cost a byte or two; random UUIDs 16 bytes.
std::string EncodeMessageIds(const std::vector<const Event*>& rows, size_t begin, size_t end) {
  struct ShapeKey {
    MessageIdKind kind;
    uint8_t width;
    std::string_view prefix;
    bool operator==(const ShapeKey&) const = default;
  };
  struct ShapeHash {
    size_t operator()(const ShapeKey& k) const {
      return std::hash<std::string_view>()(k.prefix) * 31 + static_cast<size_t>(k.kind) * 17 + k.width;
    }
  };
  std::unordered_map<ShapeKey, uint32_t, ShapeHash> shape_codes;
  std::vector<ShapeKey> shapes;
  std::vector<uint32_t> row_shape;
  std::vector<uint64_t> values;
  std::string uuids;
  row_shape.reserve(end - begin);
  for (size_t i = begin; i < end; ++i) {
    uint64_t value = 0;
    IdShape s = ParseMessageId(rows[i]->message_id, &value, &uuids);
    ShapeKey key{s.kind, s.width, s.prefix};
    auto [it, inserted] = shape_codes.try_emplace(key, static_cast<uint32_t>(shapes.size()));
    if (inserted) shapes.push_back(key);
    row_shape.push_back(it->second);
    values.push_back(value);
  }
  // Ids with no shared shape (e.g. random text) would make one shape per row: then
  // every non-UUID id is stored whole.
  const bool all_raw = shapes.size() > std::max<size_t>(64, (end - begin) / 16);
  if (all_raw) {
    shape_codes.clear();
    shapes.clear();
    std::string_view none;
    for (size_t i = begin; i < end; ++i) {
      const std::string& id = rows[i]->message_id;
      ShapeKey key{id.empty() ? MessageIdKind::kEmpty : MessageIdKind::kRaw, 0, none};
      uint64_t ignored = 0;
      std::string uuid_bytes;
      IdShape s = ParseMessageId(id, &ignored, &uuid_bytes);
      if (s.kind == MessageIdKind::kUuid) key = ShapeKey{s.kind, 0, s.prefix};
      auto [it, inserted] = shape_codes.try_emplace(key, static_cast<uint32_t>(shapes.size()));
      if (inserted) shapes.push_back(key);
      row_shape[i - begin] = it->second;
    }
  }
  std::string out, codes, numbers, raws;
  PutVarint64(&out, shapes.size());
  for (const ShapeKey& k : shapes) {
    out.push_back(static_cast<char>(k.kind));
    out.push_back(static_cast<char>(k.width));
    PutLengthPrefixed(&out, k.prefix);
  }
  std::vector<uint64_t> previous(shapes.size(), 0);
  for (size_t i = begin; i < end; ++i) {
    const uint32_t code = row_shape[i - begin];
    PutVarint32(&codes, code);
    switch (shapes[code].kind) {
      case MessageIdKind::kHex:
        PutVarsint64(&numbers, static_cast<int64_t>(values[i - begin] - previous[code]));
        previous[code] = values[i - begin];
        break;
      case MessageIdKind::kRaw:
        PutLengthPrefixed(&raws, rows[i]->message_id);
        break;
      default:
        break;
    }
  }
  PutLengthPrefixed(&out, codes);
  PutLengthPrefixed(&out, numbers);
  PutLengthPrefixed(&out, uuids);
  out += raws;
  return out;
}

// The part of `person` an anonymous_id can be derived from ("" when none).
std::string_view AnonymousFromPerson(std::string_view person) {
  return person.starts_with(kAnonymousPrefix) ? person.substr(kAnonymousPrefix.size()) : std::string_view();
}

// Version 2 anonymous_id / user_id code (segment_format.h): ids equal to what the
// person implies cost no dictionary entry.
int64_t IdCode(FirstSeenDict* ids, const std::string& id, std::string_view derived) {
  if (id.empty()) return kIdCodeEmpty;
  if (!derived.empty() && id == derived) return kIdCodeFromPerson;
  return 1 + static_cast<int64_t>(ids->Code(id));
}

const char* const kColumnNames[kFixedColumnCount] = {"timestamp",   "type",    "event",     "person",    "account",
                                                     "received_at", "anonymous_id", "user_id", "message_id"};

}  // namespace

Result<SegmentInfo> SegmentWriter::Write(FileSystem* fs, const std::string& path, std::vector<const Event*> rows,
                                         const SegmentWriteOptions& options) {
  SortRows(&rows);
  SegmentInfo info;
  info.rows = rows.size();

  SortedDict events, persons, accounts;
  {
    std::vector<std::string> e, p, a;
    for (const Event* row : rows) {
      e.push_back(row->event);
      p.push_back(row->person);
      a.push_back(row->account);
    }
    events.Build(std::move(e));
    persons.Build(std::move(p));
    accounts.Build(std::move(a));
  }
  std::map<std::string, PropertyState> props;  // sorted by key
  for (const Event* row : rows) {
    for (const Property& p : row->properties) props.try_emplace(p.key);
  }
  std::vector<PropertyState*> prop_order;
  for (auto& [key, state] : props) prop_order.push_back(&state);

  FileBuilder builder(options.zstd_level);
  FirstSeenDict ids;
  int64_t min_ts = rows.empty() ? 0 : std::numeric_limits<int64_t>::max();
  int64_t max_ts = rows.empty() ? 0 : std::numeric_limits<int64_t>::min();
  for (const Event* row : rows) {
    min_ts = std::min(min_ts, row->timestamp_ms);
    max_ts = std::max(max_ts, row->timestamp_ms);
  }

  std::string groups_footer;
  size_t group_count = 0;
  std::string encoded;
  for (size_t begin = 0; begin < rows.size(); begin += kRowGroupRows) {
    const size_t end = std::min(rows.size(), begin + kRowGroupRows);
    const size_t n = end - begin;
    ++group_count;
    std::string col[kFixedColumnCount];
    int64_t prev_ts = 0, g_min = std::numeric_limits<int64_t>::max(), g_max = std::numeric_limits<int64_t>::min();
    int64_t prev_person = 0, prev_account = 0, prev_anon = 0, prev_user = 0, prev_received = 0;
    std::string received_from_ts(1, static_cast<char>(ReceivedAtMode::kFromTimestamp));
    std::string received_from_prev(1, static_cast<char>(ReceivedAtMode::kFromPrevious));
    for (PropertyState* s : prop_order) s->group_codes.assign(n, 0);
    for (size_t i = begin; i < end; ++i) {
      const Event& e = *rows[i];
      g_min = std::min(g_min, e.timestamp_ms);
      g_max = std::max(g_max, e.timestamp_ms);
      PutVarsint64(&col[0], e.timestamp_ms - prev_ts);
      prev_ts = e.timestamp_ms;
      col[1].push_back(static_cast<char>(e.type));
      PutVarint32(&col[2], events.Code(e.event));
      int64_t person = persons.Code(e.person), account = accounts.Code(e.account);
      PutVarsint64(&col[3], person - prev_person);
      PutVarsint64(&col[4], account - prev_account);
      prev_person = person;
      prev_account = account;
      PutVarsint64(&received_from_ts, e.received_at_ms - e.timestamp_ms);
      PutVarsint64(&received_from_prev, e.received_at_ms - prev_received);
      prev_received = e.received_at_ms;
      int64_t anon = IdCode(&ids, e.anonymous_id, AnonymousFromPerson(e.person));
      int64_t user = IdCode(&ids, e.user_id, e.person);
      PutVarsint64(&col[6], anon - prev_anon);
      PutVarsint64(&col[7], user - prev_user);
      prev_anon = anon;
      prev_user = user;
      for (const Property& p : e.properties) {
        PropertyState& s = props.find(p.key)->second;
        encoded.clear();
        EncodePropertyValue(p.value, &encoded);
        auto [it, inserted] = s.codes.try_emplace(encoded, s.count + 1);
        if (inserted) {
          ++s.count;
          s.dict_raw += encoded;
        }
        s.group_codes[i - begin] = it->second;
      }
    }
    // Live ingest has received_at close to the event time; bulk loads of history have
    // it close to the previous row's. Keep whichever compresses better.
    col[5] = builder.CompressedSize(received_from_prev) < builder.CompressedSize(received_from_ts)
                 ? std::move(received_from_prev)
                 : std::move(received_from_ts);
    if (options.store_message_ids) col[8] = EncodeMessageIds(rows, begin, end);
    PutVarint64(&groups_footer, n);
    PutVarsint64(&groups_footer, g_min);
    PutVarsint64(&groups_footer, g_max);
    for (size_t c = 0; c < kFixedColumnCount; ++c) {
      ASSIGN_OR_RETURN(BlockHandle h, builder.AddBlock(col[c]));
      h.EncodeTo(&groups_footer);
      info.column_bytes[kColumnNames[c]] += h.stored_bytes;
    }
    std::string codes;
    for (PropertyState* s : prop_order) {
      codes.clear();
      for (uint32_t code : s->group_codes) PutVarint32(&codes, code);
      ASSIGN_OR_RETURN(BlockHandle h, builder.AddBlock(codes));
      h.EncodeTo(&groups_footer);
      info.column_bytes["properties"] += h.stored_bytes;
    }
  }

  std::string footer;
  PutVarint32(&footer, kSegmentFormatVersion);
  PutVarint64(&footer, rows.size());
  PutVarsint64(&footer, min_ts);
  PutVarsint64(&footer, max_ts);
  PutVarint64(&footer, events.values.size());
  for (const std::string& e : events.values) PutLengthPrefixed(&footer, e);
  struct NamedDict {
    const char* name;
    const std::vector<std::string>* values;
  };
  for (NamedDict d : {NamedDict{"person_dict", &persons.values}, NamedDict{"account_dict", &accounts.values},
                      NamedDict{"id_dict", &ids.values}}) {
    ASSIGN_OR_RETURN(BlockHandle h, builder.AddBlock(EncodeStringDict(*d.values)));
    h.EncodeTo(&footer);
    info.column_bytes[d.name] += h.stored_bytes;
  }
  PutVarint64(&footer, props.size());
  for (auto& [key, s] : props) {
    std::string raw;
    PutVarint64(&raw, s.count);
    raw += s.dict_raw;
    ASSIGN_OR_RETURN(BlockHandle h, builder.AddBlock(raw));
    PutLengthPrefixed(&footer, key);
    h.EncodeTo(&footer);
    info.column_bytes["property_dicts"] += h.stored_bytes;
  }
  PutVarint64(&footer, group_count);
  footer += groups_footer;

  std::string* file = builder.file();
  const uint64_t footer_offset = file->size();
  file->append(footer);
  PutFixed64(file, footer_offset);
  PutFixed32(file, static_cast<uint32_t>(footer.size()));
  PutFixed64(file, Checksum64(footer));
  file->append(kSegmentMagic);
  info.column_bytes["footer"] = footer.size() + kSegmentTrailerBytes;
  info.file_bytes = file->size();

  RETURN_IF_ERROR(fs->WriteFileDurably(path, *file));
  return info;
}

}  // namespace tobops::store
