#include "ops/campaign_import.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <sstream>
#include <unordered_map>
#include <vector>

#include "common/csv_record.h"
#include "ops/sales_records.h"
#include "records/record_store.h"

namespace tobops::ops {
namespace {

using nlohmann::json;

std::string Trim(const std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Phones compare by their digits ("+86 138-0000-0001" = "8613800000001").
std::string Digits(const std::string& s) {
  std::string d;
  for (char c : s) {
    if (std::isdigit(static_cast<unsigned char>(c))) d += c;
  }
  return d;
}

const std::vector<std::string> kColumns = {"name", "email", "phone", "company", "title", "role", "status"};

}  // namespace

Result<json> ImportCampaignMembers(const OpsContext& ctx, int64_t campaign_id, const std::string& csv) {
  RETURN_IF_ERROR(ctx.records->Get("campaigns").Get(ctx.project_id, campaign_id).status());
  std::istringstream in(csv);
  std::vector<std::string> header;
  size_t lines = 0;
  if (!ParseCsvRecord(in, &header, &lines)) return InvalidArgument("the CSV file is empty", "csv");
  size_t line = lines;
  std::vector<std::string> columns;
  for (auto& h : header) {
    std::string name = Lower(Trim(h));
    if (columns.empty() && name.rfind("\xEF\xBB\xBF", 0) == 0) name = name.substr(3);  // UTF-8 BOM
    if (std::find(kColumns.begin(), kColumns.end(), name) == kColumns.end()) {
      return InvalidArgument("unknown column \"" + name + "\"; columns are name, email, phone, company, title, role, status",
                             "csv");
    }
    columns.push_back(name);
  }
  if (std::find(columns.begin(), columns.end(), "name") == columns.end()) {
    return InvalidArgument("the header must name a \"name\" column", "csv");
  }

  // The CRM to match against, read once.
  ASSIGN_OR_RETURN(std::vector<json> contacts, ListAllRecords(ctx, "contacts", {}));
  ASSIGN_OR_RETURN(std::vector<json> accounts, ListAllRecords(ctx, "accounts", {}));
  std::unordered_map<std::string, const json*> by_email, by_phone;
  for (const auto& c : contacts) {
    const std::string email = Lower(Trim(TextOf(c, "email")));
    const std::string phone = Digits(TextOf(c, "phone"));
    if (!email.empty()) by_email.try_emplace(email, &c);  // the oldest contact wins a tie
    if (!phone.empty()) by_phone.try_emplace(phone, &c);
  }
  std::unordered_map<std::string, int64_t> account_by_name;
  for (const auto& a : accounts) {
    const std::string name = Lower(Trim(TextOf(a, "name")));
    if (!name.empty()) account_by_name.try_emplace(name, a["id"].get<int64_t>());
  }

  json errors = json::array();
  std::vector<json> inputs;
  std::vector<size_t> input_lines;
  std::vector<std::string> fields;
  while (true) {
    const size_t first_line = line + 1;
    size_t used = 0;
    if (!ParseCsvRecord(in, &fields, &used)) break;
    line += used;
    if (fields.size() == 1 && Trim(fields[0]).empty()) continue;  // a blank line
    if (fields.size() != columns.size()) {
      errors.push_back({{"line", first_line},
                        {"field", nullptr},
                        {"message", "expected " + std::to_string(columns.size()) + " values, found " +
                                        std::to_string(fields.size())}});
      continue;
    }
    json member = {{"campaign_id", campaign_id}};
    for (size_t i = 0; i < columns.size(); ++i) {
      std::string value = Trim(fields[i]);
      if (value.empty()) continue;
      if (columns[i] == "status") value = Lower(value);
      member[columns[i]] = value;
    }
    const json* contact = nullptr;
    if (auto it = by_email.find(Lower(TextOf(member, "email"))); member.contains("email") && it != by_email.end()) {
      contact = it->second;
    } else if (auto p = by_phone.find(Digits(TextOf(member, "phone")));
               !Digits(TextOf(member, "phone")).empty() && p != by_phone.end()) {
      contact = p->second;
    }
    if (contact != nullptr) {
      member["contact_id"] = (*contact)["id"];
      if ((*contact).contains("account_id") && (*contact)["account_id"].is_number_integer()) {
        member["account_id"] = (*contact)["account_id"];
      }
      if (!member.contains("role") && !TextOf(*contact, "role").empty()) member["role"] = TextOf(*contact, "role");
    }
    if (!member.contains("account_id")) {
      if (auto a = account_by_name.find(Lower(TextOf(member, "company")));
          member.contains("company") && a != account_by_name.end()) {
        member["account_id"] = a->second;
      }
    }
    inputs.push_back(std::move(member));
    input_lines.push_back(first_line);
  }

  ASSIGN_OR_RETURN(auto results, ctx.records->Get("campaign_members").CreateMany(ctx.project_id, inputs));
  json members = json::array();
  int64_t accepted = 0, matched_contacts = 0, matched_accounts = 0;
  for (size_t i = 0; i < results.size(); ++i) {
    if (!results[i].ok()) {
      const Status& s = results[i].status();
      errors.push_back({{"line", input_lines[i]},
                        {"field", s.field().empty() ? json(nullptr) : json(s.field())},
                        {"message", s.message()}});
      continue;
    }
    ++accepted;
    const json& m = *results[i];
    if (m.contains("contact_id") && !m["contact_id"].is_null()) ++matched_contacts;
    if (m.contains("account_id") && !m["account_id"].is_null()) ++matched_accounts;
    members.push_back(m);
  }
  std::sort(errors.begin(), errors.end(),
            [](const json& a, const json& b) { return a["line"].get<int64_t>() < b["line"].get<int64_t>(); });
  return json{{"accepted", accepted},
              {"rejected", static_cast<int64_t>(errors.size())},
              {"matched_contacts", matched_contacts},
              {"matched_accounts", matched_accounts},
              {"errors", errors},
              {"members", members}};
}

}  // namespace tobops::ops
