// AnswerToTable on hand-written answers of each shape (docs/analytics/<kind>.md).
#include "query/answer_table.h"

#include <gtest/gtest.h>

namespace tobops::query {
namespace {

using nlohmann::json;
using exporting::TableCell;

std::string Text(const TableCell& cell) {
  if (const auto* s = std::get_if<std::string>(&cell)) return *s;
  if (const auto* d = std::get_if<double>(&cell)) return std::to_string(int64_t(*d));
  return "∅";
}

TEST(AnswerTable, TrendPivotsSeriesIntoColumns) {
  json answer = json::parse(R"({"kind":"trend","series":[
    {"label":"注册","points":[{"t":"2026-03-01T00:00:00+08:00","value":2},{"t":"2026-03-02T00:00:00+08:00","value":3}]},
    {"label":"购买","points":[{"t":"2026-03-01T00:00:00+08:00","value":0},{"t":"2026-03-02T00:00:00+08:00","value":1}]}]})");
  auto t = AnswerToTable(answer);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->columns, (std::vector<std::string>{"t", "注册", "购买"}));
  ASSERT_EQ(t->rows.size(), 2u);
  EXPECT_EQ(Text(t->rows[1][0]), "2026-03-02T00:00:00+08:00");
  EXPECT_EQ(Text(t->rows[1][1]), "3");
  EXPECT_EQ(Text(t->rows[1][2]), "1");
}

TEST(AnswerTable, FunnelBreakdownRowsCarryTheValueAndFlattenNestedMembers) {
  json answer = json::parse(R"({"kind":"funnel","steps":[],"breakdown":[
    {"value":"制造业","steps":[{"index":0,"name":"signup","count":5,"time_to_convert":null},
                              {"index":1,"name":"purchase","count":2,"time_to_convert":{"median_ms":60000}}]},
    {"value":null,"steps":[{"index":0,"name":"signup","count":1,"time_to_convert":null}]}]})");
  auto t = AnswerToTable(answer);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->columns, (std::vector<std::string>{"breakdown", "index", "name", "count", "time_to_convert",
                                                  "time_to_convert.median_ms"}));
  ASSERT_EQ(t->rows.size(), 3u);
  EXPECT_EQ(Text(t->rows[1][0]), "制造业");
  EXPECT_EQ(Text(t->rows[1][5]), "60000");
  EXPECT_EQ(Text(t->rows[2][0]), "∅");
  EXPECT_EQ(Text(t->rows[2][5]), "∅");  // a column the row lacks stays empty
}

TEST(AnswerTable, FunnelEntitiesExportTheIds) {
  json answer = json::parse(R"({"kind":"funnel","steps":[],"entities":{"step":1,"ids":["u1","u2"]}})");
  auto t = AnswerToTable(answer);
  ASSERT_TRUE(t.ok());
  ASSERT_EQ(t->rows.size(), 2u);
  EXPECT_EQ(Text(t->rows[1][0]), "u2");
}

TEST(AnswerTable, RetentionValuesBecomeNumberedColumnsAndPathsJoinSteps) {
  auto r = AnswerToTable(json::parse(
      R"({"kind":"retention","cohorts":[{"start":"2026-03-02","size":4,"values":[4,2,1]}]})"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->columns, (std::vector<std::string>{"start", "size", "values.0", "values.1", "values.2"}));
  auto p = AnswerToTable(json::parse(R"({"kind":"paths","nodes":[],"paths":[{"steps":["试用","登录"],"count":7}]})"));
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(Text(p->rows[0][0]), "试用 → 登录");
  EXPECT_EQ(Text(p->rows[0][1]), "7");
}

TEST(AnswerTable, AnswersWithoutAListAreRejected) {
  EXPECT_FALSE(AnswerToTable(json::parse(R"({"kind":"x","total":3})")).ok());
  EXPECT_FALSE(AnswerToTable(json::array()).ok());
}

}  // namespace
}  // namespace tobops::query
