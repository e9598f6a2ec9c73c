#include "records/record_csv.h"

#include <gtest/gtest.h>

#include "records/records_test_support.h"
#include "records/sales_resources.h"

namespace tobops::records {
namespace {

using nlohmann::json;

class RecordCsvTest : public RecordsTest {};

TEST_F(RecordCsvTest, RowsBecomeInputsWithListsSplitAndExportColumnsIgnored) {
  const ResourceSpec& spec = *catalog_->FindSpec("opportunities");
  const std::string csv =
      "\xEF\xBB\xBFid,account_id,account_name,name,stage,amount,products,notes\r\n"
      "9,1,Acme,\"扩容, 二期\",lead,120000,analytics; crm_sync ;,\"line one\nline two\"\r\n"
      "\r\n"
      "10,1,Acme,Pilot,qualified,,,\r\n";
  auto rows = CsvToRecordInputs(spec, csv);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].line, 2u);
  EXPECT_EQ((*rows)[0].input, json({{"account_id", "1"},
                                    {"name", "扩容, 二期"},
                                    {"stage", "lead"},
                                    {"amount", "120000"},
                                    {"products", {"analytics", "crm_sync"}},
                                    {"notes", "line one\nline two"}}));
  // Row two starts after the two-line quoted cell and the blank line: line 5.
  EXPECT_EQ((*rows)[1].line, 5u);
  EXPECT_EQ((*rows)[1].input, json({{"account_id", "1"}, {"name", "Pilot"}, {"stage", "qualified"}}));
}

TEST_F(RecordCsvTest, UnknownOrUnimportableColumnsAreNamed) {
  const ResourceSpec& visits = *catalog_->FindSpec("visits");
  auto unknown = CsvToRecordInputs(visits, "title,colour\nx,red\n");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().field(), "header.colour");
  auto objects = CsvToRecordInputs(visits, "title,attendees\nx,y\n");
  ASSERT_FALSE(objects.ok());
  EXPECT_EQ(objects.status().field(), "header.attendees");
  EXPECT_EQ(CsvToRecordInputs(visits, "").status().field(), "body");
}

TEST_F(RecordCsvTest, CreateManyKeepsGoodRowsAndReportsBadOnes) {
  const int64_t account = MustCreate("accounts", {{"name", "Acme"}, {"group_id", "acc-1"}});
  auto results = Store("accounts").CreateMany(
      "p1", {{{"name", "B"}, {"group_id", "acc-2"}}, {{"name", "C"}, {"group_id", "acc-1"}}, {{"arr", "x"}},
             {{"name", "D"}}});
  ASSERT_TRUE(results.ok()) << results.status().ToString();
  ASSERT_EQ(results->size(), 4u);
  EXPECT_TRUE((*results)[0].ok());
  EXPECT_EQ((*results)[1].status().field(), "group_id");  // clash with the existing acc-1
  EXPECT_EQ((*results)[2].status().field(), "arr");
  EXPECT_TRUE((*results)[3].ok());
  EXPECT_EQ((*(*results)[3])["manual_fields"], json({"name"}));
  auto page = Store("accounts").List("p1", {});
  EXPECT_EQ(page->total, 3);  // Acme, B, D
  (void)account;
}

}  // namespace
}  // namespace tobops::records
