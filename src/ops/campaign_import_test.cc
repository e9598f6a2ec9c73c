// CSV attendee import (ops/campaign_import.h) over the campaign test world
// (CampaignWorldTest in ops/ops_test_world.h). Expected values worked out by hand in the comments.
#include "ops/campaign_import.h"

#include <gtest/gtest.h>

#include "ops/ops_test_world.h"
#include "ops/sales_records.h"

namespace tobops::ops {
namespace {

using CampaignImportTest = CampaignWorldTest;

TEST_F(CampaignImportTest, MatchesContactsAndAccountsAndReportsBadLines) {
  // line 1 header; line 2 Ann: email in other case → c1 (account A, role decision_maker
  // from the contact); line 3 Bo: phone digits 8613800000002 = c2's → c2, account B;
  // line 4: no contact, company "gamma " = account Gamma → C; line 5: no match at all;
  // line 6: no name → error (name); line 7: status "maybe" → error (status);
  // lines 8-9: one quoted record over two physical lines: a name must be one line →
  // error at line 8 (name); line 10: two values for seven columns → error (no field).
  // accepted 4, rejected 4, matched contacts 2 (lines 2, 3), matched accounts 3 (2, 3, 4).
  const std::string csv =
      "name,email,phone,company,title,role,status\n"
      "Ann Li,ANN@Acme.com,,,CTO,,attended\n"
      "Bo,,86 138 0000 0002,,,,registered\n"
      "New Person,new@x.com,,gamma ,,,attended\n"
      "Nobody,,,Unknown Co,,,invited\n"
      ",x@y.com,,,,,attended\n"
      "Bad,,,,,,maybe\n"
      "\"Quoted,\nName\",q@z.com,,,,,\n"
      "a,b\n";
  auto answer = ImportCampaignMembers(Context(), K, csv);
  ASSERT_TRUE(answer.ok()) << answer.status().ToString();
  const auto& a = *answer;
  EXPECT_EQ(a["accepted"], 4);
  EXPECT_EQ(a["rejected"], 4);
  EXPECT_EQ(a["matched_contacts"], 2);
  EXPECT_EQ(a["matched_accounts"], 3);
  ASSERT_EQ(a["errors"].size(), 4u) << a["errors"].dump();
  EXPECT_EQ(a["errors"][0]["line"], 6);
  EXPECT_EQ(a["errors"][0]["field"], "name");
  EXPECT_EQ(a["errors"][1]["line"], 7);
  EXPECT_EQ(a["errors"][1]["field"], "status");
  EXPECT_EQ(a["errors"][2]["line"], 8);
  EXPECT_EQ(a["errors"][2]["field"], "name");
  EXPECT_EQ(a["errors"][3]["line"], 10);
  EXPECT_TRUE(a["errors"][3]["field"].is_null());

  const auto& ms = a["members"];
  ASSERT_EQ(ms.size(), 4u);
  EXPECT_EQ(ms[0]["name"], "Ann Li");
  EXPECT_EQ(ms[0]["contact_id"], c1);
  EXPECT_EQ(ms[0]["account_id"], A);
  EXPECT_EQ(ms[0]["role"], "decision_maker");
  EXPECT_EQ(ms[0]["title"], "CTO");
  EXPECT_EQ(ms[0]["status"], "attended");
  EXPECT_EQ(ms[1]["contact_id"], c2);
  EXPECT_EQ(ms[1]["account_id"], B);
  EXPECT_TRUE(ms[2]["contact_id"].is_null());
  EXPECT_EQ(ms[2]["account_id"], C);
  EXPECT_EQ(ms[2]["company"], "gamma");
  EXPECT_TRUE(ms[3]["account_id"].is_null());
  EXPECT_EQ(ms[3]["status"], "invited");
  EXPECT_EQ(ms[3]["campaign_id"], K);

  // Stored: the world's 2 members of K + 4.
  auto stored = ListAllRecords(Context(), "campaign_members", {{"campaign_id", K}});
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->size(), 6u);
}

TEST_F(CampaignImportTest, RefusesBadHeadersAndUnknownCampaigns) {
  auto unknown_column = ImportCampaignMembers(Context(), K, "name,fax\nA,1\n");
  EXPECT_EQ(unknown_column.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(unknown_column.status().field(), "csv");
  auto no_name = ImportCampaignMembers(Context(), K, "email\na@b.c\n");
  EXPECT_EQ(no_name.status().field(), "csv");
  auto empty = ImportCampaignMembers(Context(), K, "");
  EXPECT_EQ(empty.status().field(), "csv");
  EXPECT_EQ(ImportCampaignMembers(Context(), 9999, "name\nA\n").status().code(), StatusCode::kNotFound);
  // Header only: nothing to import, nothing wrong.
  auto header_only = ImportCampaignMembers(Context(), K, "Name,Email\r\n");
  ASSERT_TRUE(header_only.ok());
  EXPECT_EQ((*header_only)["accepted"], 0);
  EXPECT_EQ((*header_only)["rejected"], 0);
}

}  // namespace
}  // namespace tobops::ops
