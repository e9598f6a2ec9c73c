#include "query/answer_table.h"

#include <algorithm>
#include <map>

namespace tobops::query {
namespace {

using nlohmann::json;
using exporting::Table;
using exporting::TableCell;

TableCell Cell(const json& v) {
  if (v.is_number()) return v.get<double>();
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return std::string(v.get<bool>() ? "true" : "false");
  if (v.is_null()) return std::monostate{};
  return v.dump();
}

// Flattens one object into (column, value) pairs in member order.
void Flatten(const json& v, const std::string& prefix, std::vector<std::pair<std::string, TableCell>>* out) {
  if (v.is_object()) {
    for (const auto& [key, member] : v.items()) Flatten(member, prefix.empty() ? key : prefix + "." + key, out);
  } else if (v.is_array()) {
    bool scalars = true;
    for (const auto& item : v) scalars &= !item.is_structured();
    if (!scalars) {
      out->emplace_back(prefix, v.dump());
      return;
    }
    // Strings (path steps, missing roles) read best joined; numbers get a column each.
    bool strings = !v.empty();
    for (const auto& item : v) strings &= item.is_string();
    if (strings) {
      std::string joined;
      for (const auto& item : v) joined += (joined.empty() ? "" : " → ") + item.get<std::string>();
      out->emplace_back(prefix, joined);
      return;
    }
    for (size_t i = 0; i < v.size(); ++i) out->emplace_back(prefix + "." + std::to_string(i), Cell(v[i]));
  } else {
    out->emplace_back(prefix, Cell(v));
  }
}

// Rows from an array of objects; `leading` cells (e.g. the breakdown value) go first.
class TableBuilder {
 public:
  void Add(const json& object, const std::vector<std::pair<std::string, TableCell>>& leading = {}) {
    std::vector<std::pair<std::string, TableCell>> cells = leading;
    Flatten(object, "", &cells);
    std::vector<std::pair<size_t, TableCell>> row;
    for (auto& [name, cell] : cells) {
      auto [it, inserted] = index_.try_emplace(name, table_.columns.size());
      if (inserted) table_.columns.push_back(name);
      row.emplace_back(it->second, std::move(cell));
    }
    pending_.push_back(std::move(row));
  }
  // JSON objects keep their members sorted by name, so identifying columns are moved
  // to the front in a fixed order; the rest keep their (alphabetical) order.
  Table Finish() {
    static const std::vector<std::string> kLeading = {"breakdown", "t", "start", "index", "step", "event",
                                                      "name", "account", "value", "steps", "size", "count"};
    auto rank = [](const std::string& column) {
      auto it = std::find(kLeading.begin(), kLeading.end(), column);
      return it == kLeading.end() ? kLeading.size() : size_t(it - kLeading.begin());
    };
    std::vector<size_t> order(table_.columns.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return rank(table_.columns[a]) < rank(table_.columns[b]); });
    std::vector<size_t> position(order.size());
    Table out;
    for (size_t i = 0; i < order.size(); ++i) {
      position[order[i]] = i;
      out.columns.push_back(table_.columns[order[i]]);
    }
    for (auto& pending : pending_) {
      std::vector<TableCell> row(out.columns.size());
      for (auto& [column, cell] : pending) row[position[column]] = std::move(cell);
      out.rows.push_back(std::move(row));
    }
    return out;
  }

 private:
  Table table_;
  std::map<std::string, size_t> index_;
  std::vector<std::vector<std::pair<size_t, TableCell>>> pending_;
};

// Trend: one row per bucket, one column per series (its label).
Table TrendTable(const json& answer) {
  Table t;
  t.columns.push_back("t");
  const json& series = answer["series"];
  for (const auto& s : series) t.columns.push_back(s.value("label", ""));
  size_t buckets = 0;
  for (const auto& s : series) buckets = std::max(buckets, s.value("points", json::array()).size());
  for (size_t b = 0; b < buckets; ++b) {
    std::vector<TableCell> row;
    row.push_back(std::monostate{});
    for (const auto& s : series) {
      const json& points = s["points"];
      if (b < points.size()) {
        if (std::holds_alternative<std::monostate>(row[0])) row[0] = Cell(points[b].value("t", json()));
        row.push_back(Cell(points[b].value("value", json())));
      } else {
        row.push_back(std::monostate{});
      }
    }
    t.rows.push_back(std::move(row));
  }
  return t;
}

// Rows of `list_key` per breakdown value when the answer has a breakdown, else of the
// answer's own list.
Table BrokenDown(const json& answer, const std::string& list_key) {
  TableBuilder builder;
  if (answer.contains("breakdown") && answer["breakdown"].is_array()) {
    for (const auto& group : answer["breakdown"]) {
      for (const auto& item : group.value(list_key, json::array())) {
        builder.Add(item, {{"breakdown", Cell(group.value("value", json()))}});
      }
    }
  } else {
    for (const auto& item : answer.value(list_key, json::array())) builder.Add(item);
  }
  return builder.Finish();
}

}  // namespace

Result<Table> AnswerToTable(const json& answer) {
  if (!answer.is_object()) return InvalidArgument("the answer is not an object");
  const std::string kind = answer.value("kind", "");
  if (kind == "trend" && answer.contains("series")) return TrendTable(answer);
  if (kind == "funnel") {
    if (answer.contains("entities") && answer["entities"].is_object()) {
      Table t;
      t.columns = {"id"};
      for (const auto& id : answer["entities"].value("ids", json::array())) t.rows.push_back({Cell(id)});
      return t;
    }
    return BrokenDown(answer, "steps");
  }
  if (kind == "retention") return BrokenDown(answer, "cohorts");
  // The main list of the other kinds, in order of preference.
  static const char* kLists[] = {"paths", "buckets", "values", "histogram", "rows", "accounts"};
  for (const char* key : kLists) {
    if (answer.contains(key) && answer[key].is_array()) {
      TableBuilder builder;
      for (const auto& item : answer[key]) {
        if (item.is_object()) builder.Add(item);
      }
      return builder.Finish();
    }
  }
  for (const auto& [key, member] : answer.items()) {
    if (member.is_array() && !member.empty() && member[0].is_object()) {
      TableBuilder builder;
      for (const auto& item : member) {
        if (item.is_object()) builder.Add(item);
      }
      return builder.Finish();
    }
  }
  return InvalidArgument("this answer has no list to export");
}

}  // namespace tobops::query
