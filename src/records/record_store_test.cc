#include "records/record_store.h"

#include <gtest/gtest.h>

#include "records/records_test_support.h"

namespace tobops::records {
namespace {

using nlohmann::json;

class RecordStoreTest : public RecordsTest {};

TEST_F(RecordStoreTest, CreateGetUpdateDeleteRoundTrip) {
  const int64_t account = MustCreate("accounts", {{"name", "Acme 制造"}, {"industry", "mfg"}, {"arr", 120000}});
  const int64_t opp = MustCreate("opportunities", {{"account_id", account}, {"name", "Acme rollout"}, {"stage", "lead"},
                                                   {"amount", 50000}, {"products", {"analytics"}}});
  auto got = Store("opportunities").Get("p1", opp);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ((*got)["account_name"], "Acme 制造");  // reference display name joined
  EXPECT_EQ((*got)["products"], json({"analytics"}));
  EXPECT_EQ((*got)["created_at"], "2023-11-14T22:13:20.000Z");

  clock_.now->store(1'700'000'100'000);
  auto updated = Store("opportunities").Update("p1", opp, {{"stage", "qualified"}, {"amount", nullptr}});
  ASSERT_TRUE(updated.ok()) << updated.status().ToString();
  EXPECT_EQ((*updated)["stage"], "qualified");
  EXPECT_TRUE((*updated)["amount"].is_null());
  EXPECT_EQ((*updated)["name"], "Acme rollout");  // untouched
  EXPECT_EQ((*updated)["updated_at"], "2023-11-14T22:15:00.000Z");

  // The account is referenced: it cannot go before the opportunity.
  Status blocked = Store("accounts").Delete("p1", account);
  EXPECT_EQ(blocked.code(), StatusCode::kFailedPrecondition) << blocked.ToString();
  ASSERT_TRUE(Store("opportunities").Delete("p1", opp).ok());
  ASSERT_TRUE(Store("accounts").Delete("p1", account).ok());
  EXPECT_EQ(Store("accounts").Get("p1", account).status().code(), StatusCode::kNotFound);
}

TEST_F(RecordStoreTest, ProjectsDoNotSeeEachOther) {
  const int64_t theirs = MustCreate("accounts", {{"name", "Other Co"}}, "p2");
  EXPECT_EQ(Store("accounts").Get("p1", theirs).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(Store("accounts").Update("p1", theirs, {{"name", "x"}}).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(Store("accounts").Delete("p1", theirs).code(), StatusCode::kNotFound);
  // A reference to another project's record is named as missing.
  auto opp = Store("opportunities").Create("p1", {{"account_id", theirs}, {"name", "n"}, {"stage", "lead"}});
  ASSERT_FALSE(opp.ok());
  EXPECT_EQ(opp.status().field(), "account_id");
  EXPECT_NE(opp.status().message().find("no account"), std::string::npos);
  auto page = Store("accounts").List("p1", {});
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->total, 0);
}

TEST_F(RecordStoreTest, ReferencesInsideObjectListsAreChecked) {
  const int64_t account = MustCreate("accounts", {{"name", "Acme"}});
  auto visit = Store("visits").Create(
      "p1", {{"account_id", account}, {"title", "kick-off"}, {"held_at", "2026-03-01"},
             {"attendees", {{{"name", "李雷"}, {"contact_id", 999}}}}});
  ASSERT_FALSE(visit.ok());
  EXPECT_EQ(visit.status().field(), "attendees[0].contact_id");
}

TEST_F(RecordStoreTest, UniqueFieldClashNamesTheField) {
  MustCreate("accounts", {{"name", "A"}, {"group_id", "acc-1"}});
  auto clash = Store("accounts").Create("p1", {{"name", "B"}, {"group_id", "acc-1"}});
  ASSERT_FALSE(clash.ok());
  EXPECT_EQ(clash.status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(clash.status().field(), "group_id");
  // The same group id in another project is fine.
  MustCreate("accounts", {{"name", "B"}, {"group_id", "acc-1"}}, "p2");
}

TEST_F(RecordStoreTest, ListFiltersSearchSortsAndPages) {
  const int64_t a = MustCreate("accounts", {{"name", "Acme"}});
  for (int i = 0; i < 12; ++i) {
    MustCreate("opportunities", {{"account_id", a},
                                 {"name", "deal " + std::to_string(i)},
                                 {"stage", i % 3 == 0 ? "won" : "lead"},
                                 {"amount", 1000 * i},
                                 {"products", i % 2 ? json{"crm_sync"} : json{"analytics"}},
                                 {"expected_close", "2026-0" + std::to_string(1 + i % 9) + "-15"}});
  }
  RecordStore& opps = Store("opportunities");
  auto query = opps.ParseQuery({{"stage", "lead"}, {"amount_from", "3000"}, {"sort", "amount"}, {"order", "asc"},
                                {"limit", "3"}, {"offset", "1"}},
                               {});
  ASSERT_TRUE(query.ok()) << query.status().ToString();
  auto page = opps.List("p1", *query);
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  // lead and amount >= 3000: i in {4,5,7,8,10,11} → amounts 4000,5000,7000,8000,...
  EXPECT_EQ(page->total, 6);
  ASSERT_EQ(page->records.size(), 3u);
  EXPECT_EQ(page->records[0]["amount"], 5000.0);
  EXPECT_EQ(page->records[2]["amount"], 8000.0);

  auto by_product = opps.List("p1", *opps.ParseQuery({{"products", "crm_sync"}, {"q", "deal 1"}}, {}));
  ASSERT_TRUE(by_product.ok());
  // odd i whose name contains "deal 1": 1, 11
  EXPECT_EQ(by_product->total, 2);

  auto bad = opps.ParseQuery({{"stage_colour", "x"}, {"amount_from", "lots"}, {"order", "up"}}, {});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("stage_colour: is not a filter"), std::string::npos);
  EXPECT_NE(bad.status().message().find("amount_from: must be a number"), std::string::npos);
  EXPECT_NE(bad.status().message().find("order: must be asc or desc"), std::string::npos);
  EXPECT_FALSE(opps.List("p1", *opps.ParseQuery({{"sort", "notes"}}, {})).ok());
}

TEST_F(RecordStoreTest, ManualEditsSurviveSystemUpdatesUntilReleased) {
  RecordStore& accounts = Store("accounts");
  auto synced = accounts.UpsertByKey("p1", "group_id",
                                     {{{"group_id", "acc-7"}, {"name", "Acme"}, {"industry", "mfg"}, {"arr", 100}}},
                                     false);
  ASSERT_TRUE(synced.ok()) << synced.status().ToString();
  EXPECT_EQ(*synced, 1u);
  auto acme = accounts.FindBy("p1", "group_id", "acc-7");
  ASSERT_TRUE(acme.ok());
  const int64_t id = (*acme)["id"];
  EXPECT_EQ((*acme)["manual_fields"], json::array());

  ASSERT_TRUE(accounts.Update("p1", id, {{"industry", "fin"}}).ok());  // a person's edit
  auto again = accounts.UpsertByKey("p1", "group_id",
                                    {{{"group_id", "acc-7"}, {"name", "Acme Group"}, {"industry", "retail"}}}, false);
  ASSERT_TRUE(again.ok());
  auto after = accounts.Get("p1", id);
  EXPECT_EQ((*after)["industry"], "fin");         // manual edit kept
  EXPECT_EQ((*after)["name"], "Acme Group");      // trait applied
  EXPECT_EQ((*after)["arr"], 100.0);              // absent trait leaves the value
  EXPECT_EQ((*after)["manual_fields"], json({"industry"}));

  // Unchanged traits change nothing.
  auto same = accounts.UpsertByKey("p1", "group_id", {{{"group_id", "acc-7"}, {"name", "Acme Group"}}}, false);
  EXPECT_EQ(*same, 0u);

  ASSERT_TRUE(accounts.ReleaseManual("p1", id, {"industry"}).ok());
  ASSERT_TRUE(accounts.UpsertByKey("p1", "group_id", {{{"group_id", "acc-7"}, {"industry", "retail"}}}, false).ok());
  EXPECT_EQ((*accounts.Get("p1", id))["industry"], "retail");
  // override_manual writes through a manual edit.
  ASSERT_TRUE(accounts.Update("p1", id, {{"industry", "edu"}}).ok());
  ASSERT_TRUE(accounts.UpsertByKey("p1", "group_id", {{{"group_id", "acc-7"}, {"industry", "fin"}}}, true).ok());
  EXPECT_EQ((*accounts.Get("p1", id))["industry"], "fin");
}

TEST_F(RecordStoreTest, ChangeHookSeesBeforeAndAfterAndCanVeto) {
  RecordStore& accounts = Store("accounts");
  std::vector<std::pair<json, json>> seen;
  accounts.AddChangeHook([&](domain::SqliteConnection&, const std::string&, const json* before, const json* after) {
    seen.emplace_back(before ? *before : json(), after ? *after : json());
    if (after && (*after)["name"] == "veto") return InvalidArgument("vetoed", "name");
    return Status::Ok();
  });
  const int64_t id = MustCreate("accounts", {{"name", "A"}});
  ASSERT_TRUE(accounts.Update("p1", id, {{"name", "B"}}).ok());
  EXPECT_FALSE(accounts.Update("p1", id, {{"name", "veto"}}).ok());
  EXPECT_EQ((*accounts.Get("p1", id))["name"], "B");  // rolled back
  ASSERT_GE(seen.size(), 3u);
  EXPECT_TRUE(seen[0].first.is_null());
  EXPECT_EQ(seen[1].first["name"], "A");
  EXPECT_EQ(seen[1].second["name"], "B");
}

TEST_F(RecordStoreTest, AppendOnlyLedgersRefuseUpdatesAndDeletes) {
  const int64_t partner = MustCreate("partners", {{"name", "华信集成"}});
  const int64_t entry = MustCreate("point_entries", {{"partner_id", partner}, {"kind", "quote"}, {"points", 30},
                                                     {"idempotency_key", "q-1"}});
  EXPECT_EQ(Store("point_entries").Update("p1", entry, {{"points", 3000}}).status().code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(Store("point_entries").Delete("p1", entry).code(), StatusCode::kFailedPrecondition);
  // The same idempotency key cannot add a second entry.
  auto again = Store("point_entries").Create("p1", {{"partner_id", partner}, {"kind", "quote"}, {"points", 30},
                                                    {"idempotency_key", "q-1"}});
  EXPECT_EQ(again.status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ((*Store("point_entries").Get("p1", entry))["points"], 30);
}

TEST_F(RecordStoreTest, EveryDeclaredFieldHasItsColumn) {
  for (const auto& spec : catalog_->specs()) {
    std::set<std::string> columns;
    ASSERT_TRUE(db_->Run([&](domain::SqliteConnection& conn) -> Status {
                      ASSIGN_OR_RETURN(auto stmt, conn.Prepare("PRAGMA table_info(" + spec.name + ")"));
                      while (true) {
                        ASSIGN_OR_RETURN(bool row, stmt.Step());
                        if (!row) break;
                        columns.insert(stmt.ColumnText(1));
                      }
                      return Status::Ok();
                    }).ok());
    ASSERT_FALSE(columns.empty()) << "no table " << spec.name;
    for (const auto& f : spec.fields) EXPECT_TRUE(columns.count(f.name)) << spec.name << "." << f.name;
    for (const char* system : {"id", "project_id", "created_at_ms", "updated_at_ms"}) {
      EXPECT_TRUE(columns.count(system)) << spec.name << "." << system;
    }
    EXPECT_EQ(columns.count("manual_fields") == 1, spec.tracks_manual_edits) << spec.name;
    for (const auto& f : spec.fields) {
      if (!f.references.empty()) {
        EXPECT_NE(catalog_->FindSpec(f.references), nullptr) << spec.name << "." << f.name;
      }
      for (const auto& sub : f.item_fields) {
        if (!sub.references.empty()) {
          EXPECT_NE(catalog_->FindSpec(sub.references), nullptr);
        }
      }
    }
  }
}

}  // namespace
}  // namespace tobops::records
