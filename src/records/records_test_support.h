// File: records/records_test_support.h
// RecordsTest: a fresh catalog with two projects ("p1", "p2") and the full resource
// catalog on it, for the records tests. Callers: *_test.cc in records/ and ops/.
#pragma once

#include <gtest/gtest.h>

#include <memory>

#include "domain/test_catalog.h"
#include "records/record_store.h"
#include "records/resource_catalog.h"

namespace tobops::records {

class RecordsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = domain::OpenTestCatalog(dir_);
    ASSERT_NE(db_, nullptr);
    ASSERT_TRUE(db_->Run([](domain::SqliteConnection& conn) {
                      return conn.Execute(
                          "INSERT INTO projects (id, name, created_at_ms) VALUES ('p1', 'one', 0), ('p2', 'two', 0)");
                    }).ok());
    catalog_ = std::make_unique<ResourceCatalog>(*db_, AllResources(), clock_.AsClock());
  }

  RecordStore& Store(std::string_view name) { return catalog_->Get(name); }

  // Creates a record or fails the test; returns its id.
  int64_t MustCreate(std::string_view resource, const nlohmann::json& input, const std::string& project = "p1") {
    auto created = Store(resource).Create(project, input);
    EXPECT_TRUE(created.ok()) << created.status().ToString();
    return created.ok() ? (*created)["id"].get<int64_t>() : 0;
  }

  domain::TestDir dir_;
  domain::FakeClock clock_;
  std::unique_ptr<domain::SqliteDatabase> db_;
  std::unique_ptr<ResourceCatalog> catalog_;
};

}  // namespace tobops::records
