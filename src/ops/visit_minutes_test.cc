#include "ops/visit_minutes.h"

#include <gtest/gtest.h>

#include "ops/ops_test_world.h"

namespace tobops::ops {
namespace {

using VisitMinutesTest = SalesViewsTest;

// Visit V: demo "Pilot demo" held 2026-03-18T10:00+08:00 at Acme for "Acme rollout";
// attendees Cat (customer, role from her contact: decision_maker) and Li (ours,
// sales); follow-ups F2 (due 03-22) before F1 (due 03-25); "to" is Cat's e-mail only
// (Li is ours and has no contact).
TEST_F(VisitMinutesTest, TextWithTwoFollowUps) {
  auto answer = VisitMinutes(Context(), V);
  ASSERT_TRUE(answer.ok()) << answer.status().ToString();
  EXPECT_EQ((*answer)["subject"], "demo · Acme · 2026-03-18");
  EXPECT_EQ((*answer)["to"], json({"cat@acme.com"}));
  const std::string expected =
      "Pilot demo\n"
      "Date / 时间: 2026-03-18 10:00 (Asia/Shanghai)\n"
      "Account / 客户: Acme\n"
      "Opportunity / 商机: Acme rollout\n"
      "Stage / 阶段: solution\n"
      "\n"
      "Attendees / 参会人员:\n"
      "- Cat · decision_maker · customer\n"
      "- Li · sales · ours\n"
      "\n"
      "What was done / 工作内容:\n"
      "- demo\n"
      "- negotiation\n"
      "\n"
      "Needs found / 发现的需求:\n"
      "- SSO\n"
      "- audit log\n"
      "\n"
      "Customer feedback / 客户反馈:\n"
      "Likes the dashboards\n"
      "\n"
      "Follow-ups / 后续事项:\n"
      "- Arrange pilot · owner: Wu · due: 2026-03-22\n"
      "- Send proposal · owner: Li · due: 2026-03-25\n"
      "\n"
      "Summary / 总结:\n"
      "Pilot agreed\n";
  EXPECT_EQ((*answer)["body"], expected);
  EXPECT_EQ(MinutesText(*answer), "Subject: demo · Acme · 2026-03-18\nTo: cat@acme.com\n\n" + expected);
}

// V2 (planned meeting, no opportunity stage, needs, feedback or follow-ups): empty
// sections read "—"; both customer attendees: Dan has an e-mail, Eve has no contact.
TEST_F(VisitMinutesTest, EmptySectionsAndDoneFollowUps) {
  MustCreate("follow_ups", {{"visit_id", V2}, {"account_id", A}, {"title", "Book room"}, {"owner", "Li"},
                            {"due_date", "2026-03-24"}, {"status", "done"}});
  auto answer = VisitMinutes(Context(), V2);
  ASSERT_TRUE(answer.ok()) << answer.status().ToString();
  EXPECT_EQ((*answer)["subject"], "meeting · Acme · 2026-03-25");
  EXPECT_EQ((*answer)["to"], json({"dan@acme.com"}));
  const std::string body = (*answer)["body"];
  EXPECT_NE(body.find("Stage / 阶段: —\n"), std::string::npos) << body;
  EXPECT_NE(body.find("- Dan · signer · customer\n- Eve · budget_holder · customer\n"), std::string::npos) << body;
  EXPECT_NE(body.find("What was done / 工作内容:\n—\n"), std::string::npos) << body;
  EXPECT_NE(body.find("- Book room · owner: Li · due: 2026-03-24 (done)\n"), std::string::npos) << body;
  EXPECT_NE(body.find("Summary / 总结:\n—\n"), std::string::npos) << body;
}

TEST_F(VisitMinutesTest, UnknownVisit) {
  EXPECT_EQ(VisitMinutes(Context(), 9999).status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace tobops::ops
