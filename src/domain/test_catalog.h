// File: domain/test_catalog.h
// TestCatalog: a fresh data directory with an open catalog, for domain tests.
// Callers: *_test.cc in domain/. Thread-safety: the fixture itself is not shared.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <string>
#include <unistd.h>

#include "domain/clock.h"
#include "domain/sqlite_database.h"

namespace tobops::domain {

// A unique directory under the test temp dir, removed on destruction.
class TestDir {
 public:
  TestDir() {
    static std::atomic<int> counter{0};
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    path_ = std::filesystem::path(::testing::TempDir()) /
            ("tobops_domain_" + std::string(info->test_suite_name()) + "_" + info->name() + "_" +
             std::to_string(::getpid()) + "_" + std::to_string(counter++));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TestDir() { std::filesystem::remove_all(path_); }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Opens <dir>/catalog.sqlite, failing the test if it cannot.
inline std::unique_ptr<SqliteDatabase> OpenTestCatalog(const TestDir& dir) {
  auto db = SqliteDatabase::OpenCatalog(dir.path());
  EXPECT_TRUE(db.ok()) << db.status().ToString();
  return db.ok() ? std::move(db).value() : nullptr;
}

// Fake clock: tests move time by assigning now_ms.
struct FakeClock {
  std::shared_ptr<std::atomic<int64_t>> now = std::make_shared<std::atomic<int64_t>>(1'700'000'000'000);
  Clock AsClock() const {
    return [n = now] { return n->load(); };
  }
};

}  // namespace tobops::domain
