// File: app/commands.h
// The `tobops` subcommands. main.cc parses flags with CLI11 and calls one Run*
// function; each returns the process exit code (0 ok, 1 failure, 2 bad usage) and
// prints errors as one clear line on stderr.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace tobops::app {

struct CommonFlags {
  std::string data_dir = "tobops-data";
  std::string project = "default";
};

struct ServeFlags {
  std::string host = "127.0.0.1";
  int port = 8080;
  std::string admin_password;   // empty: generate and print once on first start
  int threads = 16;
  std::string port_file;        // when set, the bound port is written here (tests)
  int jobs_interval_minutes = 60;  // playbooks and lead rescoring (ops/background_jobs.h)
  int64_t column_cache_mb = -1;    // decoded-column cache budget; -1: a quarter of RAM, at most 4 GB
};
int RunServe(const CommonFlags& common, const ServeFlags& flags);

struct ImportFlags {
  std::vector<std::string> files;
  std::string format;                       // ndjson | csv | "" (by extension)
  std::map<std::string, std::string> mapping;  // CSV column → message field
  std::string csv_type = "track";
  size_t batch_size = 2000;
};
int RunImport(const CommonFlags& common, const ImportFlags& flags);

struct QueryFlags {
  std::string json;
  std::string file;
  std::string url;     // run on a server instead of the local data directory
  std::string token;   // read token for --url
  bool pretty = false;
};
int RunQuery(const CommonFlags& common, const QueryFlags& flags);

struct DemoFlags {
  uint64_t events = 2'000'000;
  uint64_t seed = 42;
  int days = 365;
  bool reset = false;  // delete the project's events first
  std::string out;     // write NDJSON here instead of ingesting ("-" = stdout)
  std::string end;     // ISO-8601 end of the story; empty = now
};
int RunDemo(const CommonFlags& common, const DemoFlags& flags);

int RunKeysCreate(const CommonFlags& common, const std::string& kind, const std::string& name);
int RunKeysList(const CommonFlags& common);
int RunKeysRevoke(const CommonFlags& common, const std::string& id);
int RunQuarantineList(const CommonFlags& common, int64_t limit);

// Prints "tobops: <message>" on stderr and returns 1.
int Fail(const std::string& message);

}  // namespace tobops::app
