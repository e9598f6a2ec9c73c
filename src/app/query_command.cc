// `tobops query`: the same JSON spec as POST /api/query, the same JSON answer.
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "app/commands.h"
#include "query/query_json.h"
#include "server/workspace.h"

namespace tobops::app {

int RunQuery(const CommonFlags& common, const QueryFlags& flags) {
  std::string text = flags.json;
  if (!flags.file.empty()) {
    std::ifstream in(flags.file);
    if (!in) return Fail("cannot open " + flags.file);
    std::stringstream buffer;
    buffer << in.rdbuf();
    text = buffer.str();
  }
  if (text.empty()) return Fail("give the query spec with --json '{...}' or --file spec.json");
  nlohmann::json spec;
  try {
    spec = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    return Fail(std::string("the query spec is not valid JSON: ") + e.what());
  }
  const int indent = flags.pretty ? 2 : -1;
  if (!flags.url.empty()) {
    httplib::Client client(flags.url);
    client.set_read_timeout(300, 0);
    httplib::Headers headers;
    if (!flags.token.empty()) headers.emplace("Authorization", "Bearer " + flags.token);
    auto res = client.Post("/api/query", headers, spec.dump(), "application/json");
    if (!res) return Fail("cannot reach " + flags.url + ": " + httplib::to_string(res.error()));
    nlohmann::json body = nlohmann::json::parse(res->body, nullptr, false);
    if (res->status != 200) {
      if (body.is_object() && body.contains("error")) {
        return Fail(body["error"].value("message", res->body));
      }
      return Fail("HTTP " + std::to_string(res->status) + ": " + res->body);
    }
    std::cout << body.dump(indent) << "\n";
    return 0;
  }
  server::WorkspaceOptions options;
  options.data_dir = common.data_dir;
  auto ws = server::Workspace::Open(options);
  if (!ws.ok()) return Fail(ws.status().message());
  auto runtime = (*ws)->Project(common.project);
  if (!runtime.ok()) return Fail(runtime.status().message());
  const int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  auto answer = query::RunQueryJson(spec, (*runtime)->QueryContextNow(threads));
  if (!answer.ok()) {
    const Status& s = answer.status();
    return Fail(s.field().empty() ? s.message() : s.field() + ": " + s.message());
  }
  std::cout << answer->dump(indent, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  return 0;
}

}  // namespace tobops::app
