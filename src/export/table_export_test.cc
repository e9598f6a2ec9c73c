#include <filesystem>

#include <gtest/gtest.h>

#include "export/csv_writer.h"
#include "export/xlsx_writer.h"

namespace tobops::exporting {
namespace {

Table Sample() {
  Table t;
  t.columns = {"行业", "count", "note"};
  t.rows.push_back({std::string("制造业"), 12.0, std::string("a, \"quoted\"\nline")});
  t.rows.push_back({std::monostate{}, 0.25, std::string("plain")});
  return t;
}

TEST(CsvWriter, QuotesWhatNeedsQuotingAndStartsWithABom) {
  const std::string csv = WriteCsv(Sample());
  EXPECT_EQ(csv,
            "\xEF\xBB\xBF"
            "行业,count,note\r\n"
            "制造业,12,\"a, \"\"quoted\"\"\nline\"\r\n"
            ",0.25,plain\r\n");
}

TEST(XlsxWriter, WritesAZipWorkbookAndRemovesItsTempFile) {
  const auto dir = std::filesystem::path(::testing::TempDir()) / "tobops_xlsx_test";
  std::filesystem::create_directories(dir);
  auto bytes = WriteXlsx(Sample(), "漏斗/funnel:[2026]", dir);
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  ASSERT_GT(bytes->size(), 1000u);
  EXPECT_EQ(bytes->substr(0, 2), "PK");  // a zip container, as OOXML is
  EXPECT_TRUE(std::filesystem::is_empty(dir));
  std::filesystem::remove_all(dir);
}

TEST(XlsxWriter, FailsCleanlyWhenTheTempDirIsMissing) {
  auto bytes = WriteXlsx(Sample(), "s", "/nonexistent/tobops");
  EXPECT_FALSE(bytes.ok());
}

}  // namespace
}  // namespace tobops::exporting
