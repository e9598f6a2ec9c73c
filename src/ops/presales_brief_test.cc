#include "ops/presales_brief.h"

#include <gtest/gtest.h>

#include "ops/ops_test_world.h"

namespace tobops::ops {
namespace {

class PresalesBriefTest : public SalesViewsTest {
 protected:
  void SetUp() override {
    SalesViewsTest::SetUp();
    M1 = MustCreate("materials", {{"title", "M1 generic deck"}});
    M2 = MustCreate("materials", {{"title", "M2 signer case"},
                                  {"stages", {"solution"}},
                                  {"roles", {"signer"}},
                                  {"industries", {"manufacturing"}}});
    M3 = MustCreate("materials", {{"title", "M3 negotiation pricing"}, {"stages", {"negotiation"}}});
    M4 = MustCreate("materials", {{"title", "M4 user guide"}, {"roles", {"user"}}});
    M5 = MustCreate("materials", {{"title", "M5 retail case"}, {"industries", {"retail"}}});
    M6 = MustCreate("materials", {{"title", "M6 budget sheet"},
                                  {"stages", {"lead", "solution"}},
                                  {"roles", {"budget_holder", "user"}}});
  }

  static std::vector<std::string> Titles(const json& materials) {
    std::vector<std::string> out;
    for (const auto& m : materials) out.push_back(m["title"]);
    return out;
  }

  int64_t M1 = 0, M2 = 0, M3 = 0, M4 = 0, M5 = 0, M6 = 0;
};

// O is at stage solution, account industry manufacturing; the next planned visit V2
// (03-25, after now) has customer attendees Dan (signer, from his contact) and Eve
// (budget_holder) → attending [signer, budget_holder]. Materials:
//   M1 no conditions → yes; M2 solution/signer/manufacturing → yes;
//   M3 stage negotiation → no; M4 role user only → no; M5 industry retail → no;
//   M6 stages lead|solution, roles budget_holder|user → yes.
TEST_F(PresalesBriefTest, NextPlannedVisitRolesChooseMaterials) {
  auto answer = PresalesBrief(Context(), O);
  ASSERT_TRUE(answer.ok()) << answer.status().ToString();
  EXPECT_EQ((*answer)["attending_roles"], json({"signer", "budget_holder"}));
  EXPECT_EQ((*answer)["attending_from"], "visit");
  EXPECT_EQ((*answer)["next_visit"]["id"], V2);
  EXPECT_EQ(Titles((*answer)["materials"]),
            (std::vector<std::string>{"M1 generic deck", "M2 signer case", "M6 budget sheet"}));
  EXPECT_EQ((*answer)["account"]["name"], "Acme");
  EXPECT_EQ((*answer)["account"]["industry"], "manufacturing");
  EXPECT_TRUE((*answer)["account"]["region"].is_null());
  EXPECT_TRUE((*answer)["brief"].is_null());
  EXPECT_EQ((*answer)["opportunity"]["id"], O);
}

// O2 (stage lead) has no planned visit: its stakeholders' roles, [user], attend.
//   M1 yes; M2 stage solution → no; M3 → no; M4 role user → yes; M5 → no;
//   M6 lead and user → yes. Its brief record is returned.
TEST_F(PresalesBriefTest, WithoutPlannedVisitStakeholderRolesAttend) {
  MustCreate("briefs", {{"opportunity_id", O2}, {"core_needs", {"SSO"}}, {"intent_level", "high"}});
  auto answer = PresalesBrief(Context(), O2);
  ASSERT_TRUE(answer.ok()) << answer.status().ToString();
  EXPECT_EQ((*answer)["attending_roles"], json({"user"}));
  EXPECT_EQ((*answer)["attending_from"], "stakeholders");
  EXPECT_TRUE((*answer)["next_visit"].is_null());
  EXPECT_EQ(Titles((*answer)["materials"]),
            (std::vector<std::string>{"M1 generic deck", "M4 user guide", "M6 budget sheet"}));
  EXPECT_EQ((*answer)["brief"]["core_needs"], json({"SSO"}));
  EXPECT_EQ((*answer)["brief"]["intent_level"], "high");
}

// A planned visit in the past is not "next": after 03-25 10:00, O falls back to its
// stakeholders ([evaluator]); M1 only (M2 signer, M6 budget_holder|user don't fit).
TEST_F(PresalesBriefTest, PastPlannedVisitIsNotNext) {
  now_ = "2026-03-26T12:00:00+08:00";
  auto answer = PresalesBrief(Context(), O);
  ASSERT_TRUE(answer.ok()) << answer.status().ToString();
  EXPECT_EQ((*answer)["attending_roles"], json({"evaluator"}));
  EXPECT_EQ(Titles((*answer)["materials"]), (std::vector<std::string>{"M1 generic deck"}));
}

TEST(MaterialMatches, EmptyListsMatchAnything) {
  const nlohmann::json any = {{"title", "x"}};
  EXPECT_TRUE(MaterialMatches(any, "", {}, ""));
  const nlohmann::json roles = {{"roles", {"signer"}}};
  EXPECT_FALSE(MaterialMatches(roles, "lead", {}, "x"));  // no attending roles share "signer"
  EXPECT_TRUE(MaterialMatches(roles, "lead", {"user", "signer"}, "x"));
  const nlohmann::json industries = {{"industries", {"retail"}}};
  EXPECT_FALSE(MaterialMatches(industries, "lead", {}, ""));  // account without industry
  EXPECT_FALSE(MaterialMatches(industries, "lead", {}, "Retail"));  // exact, case-sensitive
}

TEST_F(PresalesBriefTest, UnknownOpportunity) {
  EXPECT_EQ(PresalesBrief(Context(), 9999).status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace tobops::ops
