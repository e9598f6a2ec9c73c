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
  std::string* file() { return &file_; }

 private:
  int level_;
  ZSTD_CCtx* cctx_;
  std::string file_;
};

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
    int64_t prev_person = 0, prev_account = 0, prev_anon = 0, prev_user = 0, prev_msg = 0;
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
      PutVarsint64(&col[5], e.received_at_ms - e.timestamp_ms);
      int64_t anon = ids.Code(e.anonymous_id), user = ids.Code(e.user_id);
      PutVarsint64(&col[6], anon - prev_anon);
      PutVarsint64(&col[7], user - prev_user);
      prev_anon = anon;
      prev_user = user;
      if (options.store_message_ids) {
        int64_t msg = ids.Code(e.message_id);
        PutVarsint64(&col[8], msg - prev_msg);
        prev_msg = msg;
      }
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
