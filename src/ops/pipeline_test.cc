// Stage validation, the pipeline board and the forecast on a small hand-worked set of
// opportunities (records only; no events needed).
#include <gtest/gtest.h>

#include "ops/pipeline_board.h"
#include "ops/pipeline_forecast.h"
#include "ops/pipeline_stages.h"
#include "ops/ops_test_world.h"

namespace tobops::ops {
namespace {

using nlohmann::json;

class PipelineTest : public OpsTestWorld {
 protected:
  void SetUp() override {
    OpsTestWorld::SetUp();
    InstallPipelineHooks(*catalog_);
    ASSERT_TRUE(EnsureDefaultStages(*catalog_, "p1").ok());
    account_ = MustCreate("accounts", {{"name", "Acme"}});
  }

  int64_t Opportunity(const std::string& name, const std::string& stage, json amount,
                      const std::string& owner, json expected_close) {
    json input = {{"account_id", account_}, {"name", name}, {"stage", stage}, {"owner", owner}};
    if (!amount.is_null()) input["amount"] = amount;
    if (!expected_close.is_null()) input["expected_close"] = expected_close;
    return MustCreate("opportunities", input);
  }

  // The six opportunities of the board and forecast tests.
  void CreateSix() {
    Opportunity("o1", "lead", 1000, "li", "2026-12-10");
    Opportunity("o2", "lead", 250.5, "wang", "2026-12-31");
    Opportunity("o3", "solution", 4000, "li", "2027-01-15");
    Opportunity("o4", "negotiation", nullptr, "li", nullptr);
    Opportunity("o5", "won", 9000, "wang", "2026-11-01");
    Opportunity("o6", "lost", 3000, "li", "2026-10-01");
  }

  const json& Column(const json& board, const std::string& key) {
    for (const auto& c : board["stages"]) {
      if (c["key"] == key) return c;
    }
    static const json none;
    ADD_FAILURE() << "no column " << key;
    return none;
  }

  int64_t account_ = 0;
};

TEST_F(PipelineTest, SeedsDefaultStagesOnce) {
  ASSERT_TRUE(EnsureDefaultStages(*catalog_, "p1").ok());  // second call adds nothing
  auto stages = LoadStages(*catalog_, "p1");
  ASSERT_TRUE(stages.ok());
  ASSERT_EQ(stages->size(), 6u);
  EXPECT_EQ((*stages)[0].key, "lead");
  EXPECT_EQ((*stages)[0].probability, 10);
  EXPECT_EQ((*stages)[3].key, "negotiation");
  EXPECT_EQ((*stages)[3].probability, 75);
  EXPECT_EQ((*stages)[4].outcome, "won");
  EXPECT_EQ((*stages)[5].outcome, "lost");
  records::RecordQuery all;
  EXPECT_EQ(Store("pipeline_stages").List("p1", all)->total, 6);
}

TEST_F(PipelineTest, RejectsAnUnknownStageListingTheKeys) {
  auto created = Store("opportunities")
                     .Create("p1", {{"account_id", account_}, {"name", "x"}, {"stage", "closing"}});
  ASSERT_FALSE(created.ok());
  EXPECT_EQ(created.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(created.status().field(), "stage");
  EXPECT_NE(created.status().message().find("lead, qualified, solution, negotiation, won, lost"),
            std::string::npos)
      << created.status().message();

  const int64_t id = Opportunity("o1", "lead", 100, "li", nullptr);
  auto moved = Store("opportunities").Update("p1", id, {{"stage", "bogus"}});
  ASSERT_FALSE(moved.ok());
  EXPECT_EQ(moved.status().field(), "stage");
  EXPECT_EQ((*Store("opportunities").Get("p1", id))["stage"], "lead");  // rolled back
  ASSERT_TRUE(Store("opportunities").Update("p1", id, {{"stage", "qualified"}}).ok());
  // Other edits do not re-check an unchanged stage.
  ASSERT_TRUE(Store("opportunities").Update("p1", id, {{"amount", 200}}).ok());
}

TEST_F(PipelineTest, ProjectWithoutStagesUsesTheDefaults) {
  const int64_t other = MustCreate("accounts", {{"name", "Beta"}}, "p2");
  EXPECT_TRUE(Store("opportunities")
                  .Create("p2", {{"account_id", other}, {"name", "x"}, {"stage", "lead"}})
                  .ok());
  auto bad = Store("opportunities")
                 .Create("p2", {{"account_id", other}, {"name", "y"}, {"stage", "pilot"}});
  EXPECT_EQ(bad.status().field(), "stage");
}

TEST_F(PipelineTest, CustomStagesReplaceTheKeys) {
  MustCreate("pipeline_stages",
             {{"key", "pilot"}, {"position", 7}, {"probability", 60}, {"outcome", "open"}});
  EXPECT_EQ(Opportunity("p", "pilot", 10, "li", nullptr) > 0, true);
  auto bad = Store("opportunities")
                 .Create("p1", {{"account_id", account_}, {"name", "y"}, {"stage", "trial"}});
  EXPECT_NE(bad.status().message().find("won, lost, pilot"), std::string::npos)
      << bad.status().message();
}

TEST_F(PipelineTest, RefusesToDeleteOrRenameAStageInUse) {
  Opportunity("o3", "solution", 4000, "li", nullptr);
  Opportunity("o4", "solution", 1, "li", nullptr);
  auto stage = Store("pipeline_stages").FindBy("p1", "key", "solution");
  ASSERT_TRUE(stage.ok());
  const int64_t id = (*stage)["id"].get<int64_t>();
  Status deleted = Store("pipeline_stages").Delete("p1", id);
  EXPECT_EQ(deleted.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(deleted.message().find("used by 2 opportunities"), std::string::npos)
      << deleted.message();
  auto renamed = Store("pipeline_stages").Update("p1", id, {{"key", "proposal"}});
  EXPECT_EQ(renamed.status().code(), StatusCode::kFailedPrecondition);
  // Relabelling keeps the key: allowed.
  EXPECT_TRUE(Store("pipeline_stages").Update("p1", id, {{"label", "方案"}}).ok());
  // An unused stage goes.
  auto qualified = Store("pipeline_stages").FindBy("p1", "key", "qualified");
  EXPECT_TRUE(Store("pipeline_stages").Delete("p1", (*qualified)["id"].get<int64_t>()).ok());
}

TEST_F(PipelineTest, BoardGroupsCardsWithTotalsAndWeightedSums) {
  CreateSix();
  auto board = BuildPipelineBoard(Context(), {});
  ASSERT_TRUE(board.ok()) << board.status().ToString();
  ASSERT_EQ((*board)["stages"].size(), 6u);
  EXPECT_EQ((*board)["stages"][0]["key"], "lead");
  // lead: 1000 + 250.5 = 1250.5; weighted 1000·10% + 250.5·10% = 100 + 25.05 = 125.05
  const json& lead = Column(*board, "lead");
  EXPECT_EQ(lead["count"], 2);
  EXPECT_DOUBLE_EQ(lead["amount"].get<double>(), 1250.5);
  EXPECT_DOUBLE_EQ(lead["weighted_amount"].get<double>(), 125.05);
  EXPECT_EQ(lead["opportunities"].size(), 2u);
  EXPECT_EQ(lead["opportunities"][0]["account_name"], "Acme");
  EXPECT_EQ(Column(*board, "qualified")["count"], 0);
  // solution: 4000 · 50% = 2000
  EXPECT_DOUBLE_EQ(Column(*board, "solution")["weighted_amount"].get<double>(), 2000);
  // negotiation: one card without an amount counts 0
  EXPECT_EQ(Column(*board, "negotiation")["count"], 1);
  EXPECT_DOUBLE_EQ(Column(*board, "negotiation")["amount"].get<double>(), 0);
  // won 9000 · 100%; lost 3000 · 0%
  EXPECT_DOUBLE_EQ(Column(*board, "won")["weighted_amount"].get<double>(), 9000);
  EXPECT_DOUBLE_EQ(Column(*board, "lost")["amount"].get<double>(), 3000);
  EXPECT_DOUBLE_EQ(Column(*board, "lost")["weighted_amount"].get<double>(), 0);

  // owner li: o1, o3, o4, o6
  auto li = BuildPipelineBoard(Context(), {"li", ""});
  ASSERT_TRUE(li.ok());
  EXPECT_EQ(Column(*li, "lead")["count"], 1);
  EXPECT_DOUBLE_EQ(Column(*li, "lead")["weighted_amount"].get<double>(), 100);
  EXPECT_EQ(Column(*li, "won")["count"], 0);
  EXPECT_EQ(Column(*li, "lost")["count"], 1);
  // q matches names
  auto o2 = BuildPipelineBoard(Context(), {"", "o2"});
  EXPECT_EQ(Column(*o2, "lead")["count"], 1);
  EXPECT_EQ(Column(*o2, "lead")["opportunities"][0]["name"], "o2");
}

TEST_F(PipelineTest, ForecastByStageMonthAndTotals) {
  CreateSix();
  auto forecast = BuildPipelineForecast(Context(), {});
  ASSERT_TRUE(forecast.ok()) << forecast.status().ToString();
  const json& f = *forecast;
  ASSERT_EQ(f["by_stage"].size(), 6u);
  EXPECT_EQ(f["by_stage"][2]["key"], "solution");
  EXPECT_EQ(f["by_stage"][2]["count"], 1);
  // Open opportunities by expected-close month: Dec 2026 = o1 + o2 (1250.5, weighted
  // 125.05); Jan 2027 = o3 (4000, 2000); no date = o4 (0). Won/lost are not forecast.
  ASSERT_EQ(f["by_month"].size(), 3u);
  EXPECT_EQ(f["by_month"][0]["month"], "2026-12");
  EXPECT_EQ(f["by_month"][0]["count"], 2);
  EXPECT_DOUBLE_EQ(f["by_month"][0]["amount"].get<double>(), 1250.5);
  EXPECT_DOUBLE_EQ(f["by_month"][0]["weighted_amount"].get<double>(), 125.05);
  EXPECT_EQ(f["by_month"][1]["month"], "2027-01");
  EXPECT_DOUBLE_EQ(f["by_month"][1]["weighted_amount"].get<double>(), 2000);
  EXPECT_TRUE(f["by_month"][2]["month"].is_null());
  EXPECT_EQ(f["by_month"][2]["count"], 1);
  // open 1250.5 + 4000 + 0 = 5250.5; weighted 125.05 + 2000 + 0 = 2125.05
  EXPECT_DOUBLE_EQ(f["totals"]["open_amount"].get<double>(), 5250.5);
  EXPECT_DOUBLE_EQ(f["totals"]["weighted_amount"].get<double>(), 2125.05);
  EXPECT_DOUBLE_EQ(f["totals"]["won_amount"].get<double>(), 9000);
  EXPECT_DOUBLE_EQ(f["totals"]["lost_amount"].get<double>(), 3000);

  exporting::Table table = ForecastToTable(f);
  ASSERT_EQ(table.columns.size(), 5u);
  EXPECT_EQ(table.rows.size(), 6u + 3u + 3u);  // stages, months, totals
  EXPECT_EQ(std::get<std::string>(table.rows[6][1]), "2026-12");
  EXPECT_DOUBLE_EQ(std::get<double>(table.rows[9][4]), 2125.05);
}

}  // namespace
}  // namespace tobops::ops
