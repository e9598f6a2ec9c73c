// File: ingest/test_ingest.h
// Test helper: a real embedded store in a temp directory plus an identity graph and a
// pipeline without catalog, fed with Segment JSON batches. Tests only.
#pragma once

#include <filesystem>
#include <memory>
#include <random>
#include <string>

#include <gtest/gtest.h>

#include "ingest/identity_graph.h"
#include "ingest/ingest_pipeline.h"
#include "ingest/segment_message_parser.h"
#include "store/embedded_event_store.h"

namespace tobops::ingest {

class TestProject {
 public:
  TestProject() {
    dir_ = std::filesystem::temp_directory_path() /
           ("tobops-test-" + std::to_string(std::random_device{}()) + "-" +
            std::to_string(reinterpret_cast<uintptr_t>(this)));
    Open();
  }
  ~TestProject() {
    Close();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  // Ingests a /v1/batch body; every message must be accepted unless `allow_rejects`.
  IngestOutcome Batch(const std::string& body, int64_t received_at_ms = 1772590500000,
                      bool allow_rejects = false) {
    SegmentMessageParser parser;
    auto parsed = parser.Parse(body, true, store::MessageType::kTrack, received_at_ms);
    EXPECT_TRUE(parsed.ok()) << parsed.status().ToString();
    auto outcome = pipeline_->Ingest(std::move(*parsed), received_at_ms);
    EXPECT_TRUE(outcome.ok()) << outcome.status().ToString();
    if (!allow_rejects) {
      for (const auto& e : outcome->errors) ADD_FAILURE() << e.status.ToString();
    }
    return *outcome;
  }

  // Closes and reopens the store and rebuilds identity from it, as a restart does.
  void Restart() {
    Close();
    Open();
  }

  store::EventStore& store() { return *store_; }
  IdentityGraph& identity() { return *identity_; }

 private:
  void Open() {
    store::EmbeddedStoreOptions options;
    options.directory = dir_.string();
    options.background_thread = false;
    auto opened = store::EmbeddedEventStore::Open(options);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(*opened);
    identity_ = std::make_unique<IdentityGraph>();
    ASSERT_TRUE(identity_->RebuildFrom(*store_).ok());
    pipeline_ = std::make_unique<IngestPipeline>("test", store_.get(), identity_.get(), nullptr, nullptr);
  }
  void Close() {
    pipeline_.reset();
    if (store_) {
      EXPECT_TRUE(store_->Close().ok());
    }
    store_.reset();
  }

  std::filesystem::path dir_;
  std::unique_ptr<store::EmbeddedEventStore> store_;
  std::unique_ptr<IdentityGraph> identity_;
  std::unique_ptr<IngestPipeline> pipeline_;
};

}  // namespace tobops::ingest
