// `tobops demo`: the seeded B2B SaaS story (demo/) written through the ingest path.
#include <chrono>
#include <cstdio>
#include <filesystem>

#include "app/batch_ingest.h"
#include "app/commands.h"
#include "common/time_format.h"
#include "demo/demo_generator.h"
#include "ops/demo_growth_records.h"
#include "ops/demo_records.h"
#include "server/workspace.h"

namespace tobops::app {

namespace {

// The story's options from the flags; --end fixes the last moment (default: now).
Result<demo::DemoOptions> OptionsOf(const DemoFlags& flags) {
  demo::DemoOptions options;
  options.seed = flags.seed;
  options.target_events = flags.events;
  options.days = flags.days;
  if (!flags.end.empty()) {
    auto end = ParseIso8601Ms(flags.end);
    if (!end.ok()) return InvalidArgument("--end: " + end.status().message(), "end");
    options.end_ms = *end;
  }
  return options;
}

// Writes the story as NDJSON (one Segment message per line) for other tools and peers.
int WriteDemoNdjson(const DemoFlags& flags) {
  auto demo_options = OptionsOf(flags);
  if (!demo_options.ok()) return Fail(demo_options.status().message());
  demo::DemoGenerator generator(*demo_options);
  std::FILE* out = flags.out == "-" ? stdout : std::fopen(flags.out.c_str(), "wb");
  if (!out) return Fail("cannot write " + flags.out);
  std::vector<std::string> batch;
  const auto start = std::chrono::steady_clock::now();
  auto last = start;
  uint64_t written = 0;
  const uint64_t expected = std::max<uint64_t>(1, generator.expected_total());
  while (generator.NextBatch(10000, &batch)) {
    for (const auto& message : batch) {
      std::fwrite(message.data(), 1, message.size(), out);
      std::fputc('\n', out);
    }
    written += batch.size();
    const auto now = std::chrono::steady_clock::now();
    if (now - last > std::chrono::milliseconds(500)) {
      last = now;
      std::fprintf(stderr, "\rdemo: %llu / %llu messages (%.0f%%)   ",
                   static_cast<unsigned long long>(written), static_cast<unsigned long long>(expected),
                   100.0 * double(written) / double(expected));
    }
  }
  if (out != stdout && std::fclose(out) != 0) return Fail("cannot finish writing " + flags.out);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::fprintf(stderr, "\rdemo: wrote %llu messages in %.1f s                \n",
               static_cast<unsigned long long>(written), seconds);
  return 0;
}

}  // namespace

int RunDemo(const CommonFlags& common, const DemoFlags& flags) {
  if (flags.events == 0) return Fail("--events must be at least 1");
  if (!flags.out.empty()) return WriteDemoNdjson(flags);
  if (flags.reset) {
    std::error_code ec;
    std::filesystem::remove_all(std::filesystem::path(common.data_dir) / "projects" / common.project, ec);
    if (ec) return Fail("cannot reset the project's events: " + ec.message());
  }
  server::WorkspaceOptions options;
  options.data_dir = common.data_dir;
  auto ws = server::Workspace::Open(options);
  if (!ws.ok()) return Fail(ws.status().message());
  auto runtime = (*ws)->Project(common.project);
  if (!runtime.ok()) return Fail(runtime.status().message());

  auto demo_options = OptionsOf(flags);
  if (!demo_options.ok()) return Fail(demo_options.status().message());
  demo::DemoGenerator generator(*demo_options);
  BatchIngester ingester((*runtime)->pipeline.get(), 5000);
  const auto start = std::chrono::steady_clock::now();
  auto last = start;
  std::vector<std::string> batch;
  const uint64_t expected = std::max<uint64_t>(1, generator.expected_total());
  uint64_t line = 0;
  while (generator.NextBatch(5000, &batch)) {
    for (auto& message : batch) {
      Status s = ingester.Add(std::move(message), ++line);
      if (!s.ok()) return Fail("demo ingest failed: " + s.message());
    }
    batch.clear();
    const auto now = std::chrono::steady_clock::now();
    if (now - last > std::chrono::milliseconds(500)) {
      last = now;
      const double seconds = std::chrono::duration<double>(now - start).count();
      std::fprintf(stderr, "\rdemo: %llu / ~%llu messages (%.0f%%), %.0f/s   ",
                   static_cast<unsigned long long>(line), static_cast<unsigned long long>(expected),
                   std::min(100.0, 100.0 * double(line) / double(expected)), double(line) / seconds);
      std::fflush(stderr);
    }
  }
  Status s = ingester.Flush();
  if (!s.ok()) return Fail("demo ingest failed: " + s.message());
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::fprintf(stderr, "\rdemo: %llu messages in %.1f s (%.0f/s)                    \n",
               static_cast<unsigned long long>(line), seconds, double(line) / seconds);
  // The sales workspace's records of the story (opportunities, visits, follow-ups, …),
  // written with their historical times so their timeline events land in the story.
  auto ops_ctx = (*ws)->OpsContextFor(common.project, 2);
  if (!ops_ctx.ok()) return Fail(ops_ctx.status().message());
  ops::DemoRecordsOptions records_options;
  records_options.seed = demo_options->seed;
  records_options.end_ms = demo_options->end_ms;
  records_options.replace = flags.reset;
  records_options.progress = [](const std::string& line) {
    std::fprintf(stderr, "\rdemo: %s                    ", line.c_str());
    std::fflush(stderr);
  };
  const auto records_start = std::chrono::steady_clock::now();
  auto records = ops::GenerateDemoRecords(*ops_ctx, (*ws)->catalog(), records_options);
  if (!records.ok()) return Fail("demo records failed: " + records.status().message());
  const double records_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - records_start).count();
  if (records->skipped) {
    std::fprintf(stderr,
                 "\rdemo: sales records kept (the project already has opportunities; --reset "
                 "replaces them)\n");
  } else {
    std::string counts;
    for (const auto& [resource, n] : records->created) {
      counts += (counts.empty() ? "" : ", ") + std::to_string(n) + " " + resource;
    }
    std::fprintf(stderr, "\rdemo: sales records in %.1f s: %s                    \n",
                 records_seconds, counts.c_str());
  }
  // The marketing, success and partner workspace's records of the same story
  // (campaigns, members, leads, content, renewals, playbooks, partners' ledgers, goals).
  ops::DemoGrowthOptions growth_options;
  growth_options.seed = demo_options->seed;
  growth_options.end_ms = demo_options->end_ms;
  growth_options.replace = flags.reset;
  growth_options.progress = records_options.progress;
  const auto growth_start = std::chrono::steady_clock::now();
  auto growth = ops::GenerateDemoGrowthRecords(*ops_ctx, (*ws)->catalog(), growth_options);
  if (!growth.ok()) return Fail("demo growth records failed: " + growth.status().message());
  if (growth->skipped) {
    std::fprintf(stderr,
                 "\rdemo: growth records kept (the project already has campaigns; --reset "
                 "replaces them)\n");
  } else {
    std::string counts;
    for (const auto& [resource, n] : growth->created) {
      counts += (counts.empty() ? "" : ", ") + std::to_string(n) + " " + resource;
    }
    std::fprintf(stderr, "\rdemo: growth records in %.1f s: %s                    \n",
                 std::chrono::duration<double>(std::chrono::steady_clock::now() - growth_start).count(),
                 counts.c_str());
  }
  Status closed = (*ws)->Close();
  if (!closed.ok()) return Fail(closed.message());
  const IngestTotals& t = ingester.totals();
  std::printf("demo data: %llu stored, %llu duplicates, %llu rejected; %zu accounts, %zu people\n",
              static_cast<unsigned long long>(t.accepted),
              static_cast<unsigned long long>(t.duplicates),
              static_cast<unsigned long long>(t.rejected), generator.account_count(),
              generator.person_count());
  for (const auto& e : t.first_errors) std::printf("  rejected %s\n", e.c_str());
  return t.rejected == 0 ? 0 : 1;
}

}  // namespace tobops::app
