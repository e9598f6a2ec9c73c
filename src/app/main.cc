// tobops: one binary for the server, the CLI, the importer and the demo generator.
#include <cstdio>
#include <iostream>

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include "app/commands.h"

#ifndef TOBOPS_VERSION
#define TOBOPS_VERSION "dev"
#endif

int main(int argc, char** argv) {
  using namespace tobops::app;
  CLI::App app{"tobops — B2B growth-operations analytics: ingest, analyse, act"};
  app.require_subcommand(1);
  app.set_version_flag("--version", TOBOPS_VERSION);
  CommonFlags common;
  auto add_common = [&](CLI::App* cmd) {
    cmd->add_option("--data", common.data_dir, "Data directory")->capture_default_str();
    cmd->add_option("--project", common.project, "Project id")->capture_default_str();
  };

  ServeFlags serve;
  auto* serve_cmd = app.add_subcommand("serve", "Run the HTTP server: ingest, API and web console");
  add_common(serve_cmd);
  serve_cmd->add_option("--port", serve.port, "TCP port (0 picks a free one)")->capture_default_str();
  serve_cmd->add_option("--host", serve.host, "Address to bind; 127.0.0.1 keeps it local")->capture_default_str();
  serve_cmd->add_option("--admin-password", serve.admin_password,
                        "Password of the admin user created on first start (default: generated and printed once)");
  serve_cmd->add_option("--threads", serve.threads, "HTTP worker threads")->capture_default_str();
  serve_cmd->add_option("--port-file", serve.port_file, "Write the bound port to this file");
  serve_cmd
      ->add_option("--jobs-interval", serve.jobs_interval_minutes,
                   "Minutes between background passes that run the playbooks and rescore every lead")
      ->check(CLI::Range(1, 7 * 24 * 60))
      ->capture_default_str();
  serve_cmd
      ->add_option("--column-cache-mb", serve.column_cache_mb,
                   "Memory for decoded event columns that queries reuse (0 turns it off; default: a quarter "
                   "of the machine's memory, at most 4096)")
      ->check(CLI::Range(int64_t(0), int64_t(1) << 40));

  ImportFlags import;
  auto* import_cmd = app.add_subcommand("import", "Load NDJSON or CSV files of Segment messages");
  add_common(import_cmd);
  import_cmd->add_option("files", import.files, "Files (.ndjson/.jsonl or .csv; - for stdin as NDJSON)")->required();
  import_cmd->add_option("--format", import.format, "ndjson or csv (default: by file extension)")
      ->check(CLI::IsMember({"ndjson", "csv"}));
  import_cmd->add_option("--map", import.mapping,
                         "CSV column mapping column=field, e.g. --map user=userId --map when=timestamp "
                         "--map plan=properties.plan");
  import_cmd->add_option("--csv-type", import.csv_type, "Message type of CSV rows without a type column")
      ->capture_default_str();
  import_cmd->add_option("--batch-size", import.batch_size, "Messages per batch")->capture_default_str();

  QueryFlags query;
  auto* query_cmd = app.add_subcommand("query", "Run a JSON query spec and print the JSON answer");
  add_common(query_cmd);
  query_cmd->add_option("--json", query.json, "The query spec, e.g. '{\"kind\":\"trend\",...}'");
  query_cmd->add_option("--file", query.file, "Read the spec from this file");
  query_cmd->add_option("--url", query.url, "Ask a running server, e.g. http://127.0.0.1:8080");
  query_cmd->add_option("--token", query.token, "Read token for --url");
  query_cmd->add_flag("--pretty", query.pretty, "Indent the JSON");

  DemoFlags demo;
  auto* demo_cmd = app.add_subcommand("demo", "Generate the demo B2B SaaS data set through the ingest path");
  add_common(demo_cmd);
  demo_cmd->add_option("--events", demo.events, "About how many messages")->capture_default_str();
  demo_cmd->add_option("--seed", demo.seed, "Random seed (same seed, same data)")->capture_default_str();
  demo_cmd->add_option("--days", demo.days, "Days of history, ending now")->capture_default_str();
  demo_cmd->add_option("--end", demo.end,
                       "End of the story, ISO-8601 (default: now); the same --end and --seed give the same data");
  demo_cmd->add_flag("--reset", demo.reset, "Delete the project's events first");
  demo_cmd->add_option("--out", demo.out,
                       "Write the messages as NDJSON to this file (- for stdout) instead of storing them");

  auto* keys_cmd = app.add_subcommand("keys", "Manage write keys and read tokens");
  keys_cmd->require_subcommand(1);
  std::string key_kind = "write", key_name, key_id;
  auto* keys_create = keys_cmd->add_subcommand("create", "Create a key and print its secret once");
  add_common(keys_create);
  keys_create->add_option("--kind", key_kind, "write (ingest) or read (read API)")
      ->check(CLI::IsMember({"write", "read"}))
      ->capture_default_str();
  keys_create->add_option("--name", key_name, "A label, e.g. website");
  auto* keys_list = keys_cmd->add_subcommand("list", "List keys");
  add_common(keys_list);
  auto* keys_revoke = keys_cmd->add_subcommand("revoke", "Revoke a key");
  add_common(keys_revoke);
  keys_revoke->add_option("id", key_id, "Key id")->required();

  int64_t quarantine_limit = 50;
  auto* quarantine_cmd = app.add_subcommand("quarantine", "Inspect rejected messages");
  quarantine_cmd->require_subcommand(1);
  auto* quarantine_list = quarantine_cmd->add_subcommand("list", "List rejected messages, newest first");
  add_common(quarantine_list);
  quarantine_list->add_option("--limit", quarantine_limit, "How many")->capture_default_str();

  app.add_subcommand("version", "Print the version");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
  if (app.got_subcommand("version")) {
    std::cout << "tobops " << TOBOPS_VERSION << "\n";
    return 0;
  }
  if (app.got_subcommand(serve_cmd)) return RunServe(common, serve);
  if (app.got_subcommand(import_cmd)) return RunImport(common, import);
  if (app.got_subcommand(query_cmd)) return RunQuery(common, query);
  if (app.got_subcommand(demo_cmd)) return RunDemo(common, demo);
  if (keys_create->parsed()) return RunKeysCreate(common, key_kind, key_name);
  if (keys_list->parsed()) return RunKeysList(common);
  if (keys_revoke->parsed()) return RunKeysRevoke(common, key_id);
  if (quarantine_list->parsed()) return RunQuarantineList(common, quarantine_limit);
  return 2;
}
