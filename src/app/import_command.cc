// `tobops import FILE…`: NDJSON and CSV files through the ingest pipeline, with a
// progress line on stderr and a final count.
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "app/batch_ingest.h"
#include "app/commands.h"
#include "ingest/csv_message_reader.h"
#include "ops/record_sync.h"
#include "server/workspace.h"

namespace tobops::app {
namespace {

class Progress {
 public:
  explicit Progress(std::string label) : label_(std::move(label)), start_(Clock::now()) {}
  // `bytes_read` is called only when a line is printed (tellg costs a system call).
  template <typename BytesRead>
  void Update(uint64_t done, BytesRead bytes_read, uint64_t total_bytes, bool final = false) {
    const auto now = Clock::now();
    if (!final && now - last_ < std::chrono::milliseconds(500)) return;
    last_ = now;
    const uint64_t total_bytes_read = bytes_read();
    const double seconds = std::chrono::duration<double>(now - start_).count();
    std::fprintf(stderr, "\r%s: %llu messages", label_.c_str(), static_cast<unsigned long long>(done));
    if (total_bytes > 0) {
      std::fprintf(stderr, " (%.0f%%)", 100.0 * double(total_bytes_read) / double(total_bytes));
    }
    if (seconds > 0) std::fprintf(stderr, ", %.0f/s", double(done) / seconds);
    std::fprintf(stderr, final ? "\n" : "   ");
    std::fflush(stderr);
  }
  double Seconds() const { return std::chrono::duration<double>(Clock::now() - start_).count(); }

 private:
  using Clock = std::chrono::steady_clock;
  std::string label_;
  Clock::time_point start_;
  Clock::time_point last_{};
};

std::string FormatOf(const std::string& file, const std::string& flag) {
  if (!flag.empty()) return flag;
  const std::string ext = std::filesystem::path(file).extension().string();
  return ext == ".csv" ? "csv" : "ndjson";
}

}  // namespace

int RunImport(const CommonFlags& common, const ImportFlags& flags) {
  server::WorkspaceOptions options;
  options.data_dir = common.data_dir;
  auto ws = server::Workspace::Open(options);
  if (!ws.ok()) return Fail(ws.status().message());
  auto runtime = (*ws)->Project(common.project);
  if (!runtime.ok()) return Fail(runtime.status().message());
  BatchIngester ingester((*runtime)->pipeline.get(), flags.batch_size);
  Progress progress("import");
  for (const std::string& file : flags.files) {
    std::ifstream file_stream;
    std::istream* in = &std::cin;
    uint64_t size = 0;
    if (file != "-") {
      file_stream.open(file, std::ios::binary);
      if (!file_stream) return Fail("cannot open " + file);
      std::error_code ec;
      size = std::filesystem::file_size(file, ec);
      in = &file_stream;
    }
    auto bytes_read = [&]() -> uint64_t {
      auto pos = in->tellg();
      return pos < 0 ? size : static_cast<uint64_t>(pos);
    };
    if (FormatOf(file, flags.format) == "csv") {
      ingest::CsvMessageReader reader(in, flags.mapping, flags.csv_type);
      Status started = reader.Start();
      if (!started.ok()) return Fail(file + ": " + started.message());
      std::string message;
      size_t line = 0;
      Status row_status;
      while (reader.Next(&message, &line, &row_status)) {
        Status s = row_status.ok() ? ingester.Add(std::move(message), line)
                                   : ingester.AddRejected(std::move(message), line, row_status);
        if (!s.ok()) return Fail(file + ": " + s.message());
        progress.Update(ingester.read(), bytes_read, size);
      }
    } else {
      std::string line;
      uint64_t line_number = 0;
      while (std::getline(*in, line)) {
        ++line_number;
        if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
        Status s = ingester.Add(std::move(line), line_number);
        if (!s.ok()) return Fail(file + ": " + s.message());
        progress.Update(ingester.read(), bytes_read, size);
      }
    }
    Status s = ingester.Flush();
    if (!s.ok()) return Fail(file + ": " + s.message());
  }
  const IngestTotals t = ingester.totals();
  progress.Update(t.read, [] { return uint64_t{1}; }, 1, true);
  // Contacts and accounts follow the imported identify / group calls (each batch is
  // synced as it lands; this reconciles the whole graph once more).
  if (auto ops = (*ws)->OpsContextFor(common.project, 1); ops.ok()) {
    auto synced = ops::RecordSync::SyncAll(*ops);
    if (!synced.ok()) std::fprintf(stderr, "record sync failed: %s\n", synced.status().ToString().c_str());
  }
  Status closed = (*ws)->Close();
  if (!closed.ok()) return Fail(closed.message());
  std::printf("imported %llu messages in %.1f s: %llu stored, %llu duplicates, %llu rejected\n",
              static_cast<unsigned long long>(t.read), progress.Seconds(),
              static_cast<unsigned long long>(t.accepted), static_cast<unsigned long long>(t.duplicates),
              static_cast<unsigned long long>(t.rejected));
  for (const auto& e : t.first_errors) std::printf("  rejected %s\n", e.c_str());
  if (t.rejected > t.first_errors.size()) {
    std::printf("  … see `tobops quarantine list` for all rejected messages\n");
  }
  return 0;
}

}  // namespace tobops::app
