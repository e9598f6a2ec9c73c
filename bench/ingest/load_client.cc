// tobops-bench-load: drives POST /v1/batch of a tobops server from an NDJSON file of
// Segment messages, with several keep-alive connections, and prints one JSON line:
//   {"sent":N,"accepted":N,"duplicates":N,"rejected":N,"failed_requests":N,
//    "requests":N,"seconds":S,"events_per_s":R}
// The load is bounded: every line of the file is sent once, then the client ends.
// Bodies ({"batch":[line,line,...]}) are cut from the mmap'd file per request.
//
// Usage: tobops-bench-load --file F.ndjson --port P --key WRITE_KEY
//                          [--host 127.0.0.1] [--batch 500] [--conns 8]
#include <httplib.h>

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace {

[[noreturn]] void Die(const std::string& message) {
  std::fprintf(stderr, "tobops-bench-load: %s\n", message.c_str());
  std::exit(1);
}

// Reads the integer after "key": in a JSON answer; 0 when absent.
long long JsonInt(std::string_view body, std::string_view key) {
  std::string needle = "\"" + std::string(key) + "\":";
  size_t pos = body.find(needle);
  if (pos == std::string_view::npos) return 0;
  pos += needle.size();
  while (pos < body.size() && body[pos] == ' ') ++pos;
  return std::strtoll(std::string(body.substr(pos, 24)).c_str(), nullptr, 10);
}

}  // namespace

int main(int argc, char** argv) {
  std::string file, host = "127.0.0.1", key;
  int port = 0, batch = 500, conns = 8;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) Die("missing value for " + arg);
      return argv[++i];
    };
    if (arg == "--file") file = next();
    else if (arg == "--host") host = next();
    else if (arg == "--port") port = std::atoi(next().c_str());
    else if (arg == "--key") key = next();
    else if (arg == "--batch") batch = std::atoi(next().c_str());
    else if (arg == "--conns") conns = std::atoi(next().c_str());
    else Die("unknown argument " + arg);
  }
  if (file.empty() || port <= 0 || key.empty() || batch <= 0 || conns <= 0) {
    Die("usage: --file F --port P --key K [--host H] [--batch 500] [--conns 8]");
  }

  int fd = ::open(file.c_str(), O_RDONLY);
  if (fd < 0) Die("cannot open " + file);
  struct stat st {};
  if (::fstat(fd, &st) != 0) Die("cannot stat " + file);
  size_t size = static_cast<size_t>(st.st_size);
  if (size == 0) Die("empty file " + file);
  auto* data = static_cast<const char*>(::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0));
  if (data == MAP_FAILED) Die("cannot mmap " + file);

  // Index the batches first: the lines of a batch are contiguous in the file, so a body
  // is "{\"batch\":[" + the slice with '\n' turned into ',' + "]}". Bodies are built from
  // the mapped file per request (a memcpy), so the client needs no copy of the data set
  // in memory next to a server that may hold it all.
  struct Slice {
    size_t start, end;
    long long lines;
  };
  std::vector<Slice> batches;
  size_t pos = 0;
  long long total_lines = 0;
  while (pos < size) {
    size_t start = pos;
    int lines = 0;
    while (pos < size && lines < batch) {
      const void* nl = std::memchr(data + pos, '\n', size - pos);
      size_t end = nl ? static_cast<size_t>(static_cast<const char*>(nl) - data) : size;
      if (end > pos) ++lines;  // skip empty lines
      pos = end + 1;
    }
    if (lines == 0) break;
    batches.push_back(Slice{start, std::min(pos, size), lines});
    total_lines += lines;
  }
  auto build_body = [&](const Slice& slice, std::string* body) {
    body->clear();
    body->reserve(slice.end - slice.start + 16);
    *body += "{\"batch\":[";
    bool first = true;
    size_t p = slice.start;
    while (p < slice.end) {
      const void* nl = std::memchr(data + p, '\n', slice.end - p);
      size_t e = nl ? static_cast<size_t>(static_cast<const char*>(nl) - data) : slice.end;
      if (e > p) {
        if (!first) *body += ',';
        body->append(data + p, e - p);
        first = false;
      }
      p = e + 1;
    }
    *body += "]}";
  };
  std::fprintf(stderr, "tobops-bench-load: %lld messages in %zu batches of <= %d, %d connections\n",
               total_lines, batches.size(), batch, conns);

  std::atomic<size_t> next_batch{0};
  std::atomic<long long> accepted{0}, duplicates{0}, rejected{0}, failed{0}, requests{0};
  std::atomic<bool> fatal{false};
  std::string fatal_message;

  auto worker = [&]() {
    httplib::Client cli(host, port);
    cli.set_keep_alive(true);
    cli.set_connection_timeout(10);
    cli.set_read_timeout(300);
    cli.set_write_timeout(300);
    cli.set_basic_auth(key.c_str(), "");
    std::string body;
    while (!fatal.load()) {
      size_t i = next_batch.fetch_add(1);
      if (i >= batches.size()) break;
      build_body(batches[i], &body);
      bool done = false;
      for (int attempt = 0; attempt < 5 && !done; ++attempt) {
        auto res = cli.Post("/v1/batch", body, "application/json");
        requests.fetch_add(1);
        if (res && res->status == 200) {
          accepted.fetch_add(JsonInt(res->body, "accepted"));
          duplicates.fetch_add(JsonInt(res->body, "duplicates"));
          rejected.fetch_add(JsonInt(res->body, "rejected"));
          done = true;
        } else if (res && res->status != 503) {
          failed.fetch_add(1);
          if (!fatal.exchange(true)) {
            fatal_message = "HTTP " + std::to_string(res->status) + ": " + res->body.substr(0, 300);
          }
          return;
        } else {
          // 503 (retry later) or a broken connection: back off and retry the same batch.
          std::this_thread::sleep_for(std::chrono::milliseconds(50 << attempt));
        }
      }
      if (!done) failed.fetch_add(1);
    }
  };

  auto t0 = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (int t = 0; t < conns; ++t) threads.emplace_back(worker);
  // Progress line on stderr every 2 s while the workers run.
  std::atomic<bool> finished{false};
  std::thread progress([&]() {
    auto last = std::chrono::steady_clock::now();
    while (!finished.load()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      auto now = std::chrono::steady_clock::now();
      if (now - last < std::chrono::seconds(2)) continue;
      last = now;
      double s = std::chrono::duration<double>(now - t0).count();
      long long a = accepted.load();
      std::fprintf(stderr, "\r  http: %lld / %lld accepted (%lld%%), %.0f/s   ", a, total_lines,
                   total_lines ? a * 100 / total_lines : 0, a / s);
    }
  });
  for (auto& t : threads) t.join();
  finished.store(true);
  progress.join();
  std::fprintf(stderr, "\n");
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  ::munmap(const_cast<char*>(data), size);
  ::close(fd);
  if (fatal.load()) Die(fatal_message);
  std::printf(
      "{\"sent\":%lld,\"accepted\":%lld,\"duplicates\":%lld,\"rejected\":%lld,"
      "\"failed_requests\":%lld,\"requests\":%lld,\"batch\":%d,\"connections\":%d,"
      "\"seconds\":%.3f,\"events_per_s\":%.1f}\n",
      total_lines, accepted.load(), duplicates.load(), rejected.load(), failed.load(),
      requests.load(), batch, conns, seconds, accepted.load() / seconds);
  return failed.load() > 0 ? 2 : 0;
}
