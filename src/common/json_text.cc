#include "common/json_text.h"

#include <vector>

#include "common/parallel_chunks.h"

namespace tobops {
namespace {

using nlohmann::json;

// Arrays with at least this many elements are cut into chunks serialized in parallel.
constexpr size_t kParallelElements = 1024;
// Containers nested deeper than this are dumped whole: answers keep their large arrays
// at the top levels, and walking every small object by hand would cost more than it saves.
constexpr int kWalkDepth = 3;

void Dump(const json& value, std::string* out) {
  *out += value.dump(-1, ' ', false, json::error_handler_t::replace);
}

void Append(const json& value, int threads, int depth, std::string* out) {
  if (depth >= kWalkDepth || !value.is_structured()) return Dump(value, out);
  if (value.is_object()) {
    out->push_back('{');
    bool first = true;
    for (const auto& [key, member] : value.items()) {
      if (!first) out->push_back(',');
      first = false;
      Dump(json(key), out);
      out->push_back(':');
      Append(member, threads, depth + 1, out);
    }
    out->push_back('}');
    return;
  }
  const json::array_t& elements = value.get_ref<const json::array_t&>();
  out->push_back('[');
  if (elements.size() < kParallelElements || threads <= 1) {
    for (size_t i = 0; i < elements.size(); ++i) {
      if (i > 0) out->push_back(',');
      Append(elements[i], 1, depth + 1, out);
    }
  } else {
    std::vector<std::string> parts(static_cast<size_t>(threads));
    ParallelChunks(
        elements.size(), threads,
        [&](size_t begin, size_t end, int worker) {
          std::string& part = parts[size_t(worker)];
          for (size_t i = begin; i < end; ++i) {
            if (i > begin) part.push_back(',');
            Append(elements[i], 1, depth + 1, &part);
          }
        },
        kParallelElements / 2);
    bool first = true;
    for (const std::string& part : parts) {
      if (part.empty()) continue;
      if (!first) out->push_back(',');
      first = false;
      *out += part;
    }
  }
  out->push_back(']');
}

}  // namespace

std::string JsonText(const json& body, int threads) {
  std::string out;
  Append(body, threads, 0, &out);
  return out;
}

}  // namespace tobops
