#include "records/record_validation.h"

#include <gtest/gtest.h>

#include "records/sales_resources.h"

namespace tobops::records {
namespace {

using nlohmann::json;

const ResourceSpec& Spec(const std::string& name) {
  static const std::vector<ResourceSpec> specs = SalesResources();
  for (const auto& s : specs) {
    if (s.name == name) return s;
  }
  ADD_FAILURE() << "no spec " << name;
  return specs[0];
}

TEST(ValidateRecord, NormalizesEachType) {
  auto v = ValidateRecord(Spec("opportunities"),
                          json{{"account_id", "7"},
                               {"name", "  Acme rollout  "},
                               {"stage", "lead"},
                               {"amount", "120000.5"},
                               {"expected_close", "2026-12-31"},
                               {"products", {"analytics", "", "analytics", "crm_sync"}},
                               {"decision_notes", {{{"step", "evaluation"}, {"drivers", {"speed"}}}}}},
                          ValidationMode::kCreate);
  ASSERT_TRUE(v.ok()) << v.status().message();
  EXPECT_EQ((*v)["account_id"], 7);
  EXPECT_EQ((*v)["name"], "Acme rollout");
  EXPECT_DOUBLE_EQ((*v)["amount"].get<double>(), 120000.5);
  EXPECT_EQ((*v)["products"], json({"analytics", "crm_sync"}));  // empty and repeated items dropped
  EXPECT_EQ((*v)["channel"], "direct");                           // default
  EXPECT_EQ((*v)["currency"], "CNY");
  EXPECT_EQ((*v)["decision_notes"][0]["step"], "evaluation");
}

TEST(ValidateRecord, NamesEveryBadField) {
  auto v = ValidateRecord(Spec("opportunities"),
                          json{{"account_id", -1},
                               {"amount", -5},
                               {"expected_close", "31/12/2026"},
                               {"channel", "carrier pigeon"},
                               {"colour", "red"}},
                          ValidationMode::kCreate);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.status().code(), StatusCode::kInvalidArgument);
  const std::string& m = v.status().message();
  for (const char* part : {"account_id: must be a record id", "amount: must be at least 0",
                           "expected_close: must be a date YYYY-MM-DD", "channel: must be one of: direct, partner",
                           "colour: is not a field of opportunity", "name: is required", "stage: is required"}) {
    EXPECT_NE(m.find(part), std::string::npos) << part << " missing in: " << m;
  }
  EXPECT_EQ(v.status().field(), "account_id");
}

TEST(ValidateRecord, ObjectListMembersArePathNamed) {
  auto v = ValidateRecord(Spec("visits"),
                          json{{"attendees", {{{"name", "王芳"}, {"side", "customer"}}, {{"side", "them"}}}}},
                          ValidationMode::kUpdate);
  ASSERT_FALSE(v.ok());
  EXPECT_NE(v.status().message().find("attendees[1].side: must be one of: customer, ours"), std::string::npos)
      << v.status().message();
  EXPECT_NE(v.status().message().find("attendees[1].name: is required"), std::string::npos);
}

TEST(ValidateRecord, UpdateChecksOnlyGivenMembersAndRejectsClearingRequired) {
  EXPECT_TRUE(ValidateRecord(Spec("accounts"), json{{"industry", "fin"}}, ValidationMode::kUpdate).ok());
  auto cleared = ValidateRecord(Spec("accounts"), json{{"name", nullptr}}, ValidationMode::kUpdate);
  ASSERT_FALSE(cleared.ok());
  EXPECT_EQ(cleared.status().field(), "name");
  auto blank = ValidateRecord(Spec("accounts"), json{{"name", "   "}}, ValidationMode::kUpdate);
  EXPECT_FALSE(blank.ok());
}

TEST(ValidateRecord, ReadOnlyOnlyForSystem) {
  const json traits = {{"traits", {{"industry", "fin"}}}};
  EXPECT_FALSE(ValidateRecord(Spec("accounts"), traits, ValidationMode::kUpdate).ok());
  EXPECT_TRUE(ValidateRecord(Spec("accounts"), traits, ValidationMode::kSystem).ok());
  auto id = ValidateRecord(Spec("accounts"), json{{"id", 3}}, ValidationMode::kUpdate);
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.status().field(), "id");
}

TEST(ValidateRecord, TimesAcceptOffsetsEpochAndDays) {
  auto v = ValidateRecord(Spec("visits"), json{{"held_at", "2026-03-01T09:30:00+08:00"}}, ValidationMode::kUpdate);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ((*v)["held_at"], 1772328600000);  // 01:30 UTC
  auto day = ValidateRecord(Spec("visits"), json{{"held_at", "2026-03-01"}}, ValidationMode::kUpdate);
  ASSERT_TRUE(day.ok());
  EXPECT_EQ((*day)["held_at"], 1772323200000);
  EXPECT_FALSE(ValidateRecord(Spec("visits"), json{{"held_at", "yesterday"}}, ValidationMode::kUpdate).ok());
}

TEST(ValidateRecord, TextLimits) {
  auto long_name = ValidateRecord(Spec("accounts"), json{{"name", std::string(201, 'x')}}, ValidationMode::kUpdate);
  ASSERT_FALSE(long_name.ok());
  EXPECT_NE(long_name.status().message().find("at most 200 bytes"), std::string::npos);
  EXPECT_FALSE(ValidateRecord(Spec("accounts"), json{{"name", "a\nb"}}, ValidationMode::kUpdate).ok());
  EXPECT_FALSE(ValidateRecord(Spec("accounts"), json{{"name", "\xff\xfe"}}, ValidationMode::kUpdate).ok());
  EXPECT_TRUE(ValidateRecord(Spec("accounts"), json{{"notes", "line one\nline two"}}, ValidationMode::kUpdate).ok());
}

}  // namespace
}  // namespace tobops::records
