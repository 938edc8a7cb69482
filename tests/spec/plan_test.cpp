// CONTRACT.md section 9 (version 1.1): plan, plan_rows and the apply of a
// plan; exclusions; the guardrails (emergency Off needs a confirmation,
// warnings, summary, error messages naming things), on the fixture district.
#include <algorithm>
#include <ctime>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "spec_support.hpp"

namespace cpbtest::spec {
namespace {

// A device's place in describe's list: the order of a page's rows.
int device_index(const std::string& device) {
  const std::vector<std::string> names = described().device_names();
  const auto at = std::find(names.begin(), names.end(), device);
  return at == names.end() ? -1 : static_cast<int>(at - names.begin());
}

int mask_of(const json& reasons) {
  int mask = 0;
  if (!reasons.is_array()) return -1;
  for (const json& r : reasons) mask |= described().reason_bit(r.get<std::string>());
  return mask;
}

// "contact 101 email" or "household 404 household_phone".
std::string row_key(const json& row) {
  if (row.value("person_id", json()).is_number_integer())
    return "contact " + std::to_string(row["person_id"].get<int64_t>()) + " " + row.value("device", "");
  return "household " + std::to_string(row.value("household_id", int64_t{0})) + " " + row.value("device", "");
}

json with_action(const std::string& options, const std::string& action) {
  json o = json::parse(options);
  o["action"] = action;
  return o;
}

json plan_of(int64_t plan_id) { return {{"action", "apply"}, {"plan_id", plan_id}}; }

// "YYYY-MM-DD HH:MM:SS" as seconds, read as UTC (only differences matter).
int64_t seconds(const std::string& stamp) {
  std::tm t{};
  if (!strptime(stamp.substr(0, 19).c_str(), "%Y-%m-%d %H:%M:%S", &t)) return -1;
  return static_cast<int64_t>(timegm(&t));
}

bool has_warning(const Outcome& o, const std::string& code) {
  for (const json& w : o.result.value("warnings", json::array()))
    if (w.value("code", "") == code) return true;
  return false;
}

json warning(const Outcome& o, const std::string& code) {
  for (const json& w : o.result.value("warnings", json::array()))
    if (w.value("code", "") == code) return w;
  return json();
}

class Plan : public FixtureTest {
 protected:
  Outcome run(const std::string& options, const Context& context = {}) { return FixtureTest::run(options, context); }
  Outcome run(const char* options, const Context& context = {}) { return FixtureTest::run(options, context); }
  Outcome run(const json& options, const Context& context = {}) { return FixtureTest::run(options.dump(), context); }
  // A plan of the options; asserts success and returns it.
  Outcome plan(const std::string& options, const Context& context = {}) {
    Outcome o = run(with_action(options, "plan").dump(), context);
    EXPECT_EQ(o.status, SIS_OK) << o.result.dump();
    return o;
  }
  static int64_t id_of(const Outcome& planned) { return planned.result.value("plan_id", int64_t{-1}); }

  // Every row of a plan of one kind, page by page with the cursor.
  std::vector<json> page_all(int64_t plan_id, const std::string& kind, int limit, const Context& context = {}) {
    std::vector<json> rows;
    json after = nullptr;
    for (int page = 0; page < 1000; ++page) {
      const Outcome o = run(json{{"action", "plan_rows"}, {"plan_id", plan_id}, {"kind", kind}, {"after", after}, {"limit", limit}}.dump(),
                            context);
      if (o.status != SIS_OK) {
        ADD_FAILURE() << "plan_rows failed: " << o.result.dump();
        break;
      }
      EXPECT_EQ(o.result.value("plan_id", int64_t{-1}), plan_id) << o.result.dump();
      EXPECT_EQ(o.result.value("kind", ""), kind) << o.result.dump();
      if (!o.result.contains("rows") || !o.result["rows"].is_array()) {
        ADD_FAILURE() << "no rows: " << o.result.dump();
        break;
      }
      EXPECT_LE(o.result["rows"].size(), static_cast<size_t>(limit)) << "a page longer than its limit";
      for (const json& r : o.result["rows"]) rows.push_back(r);
      total_ = o.result.value("total", int64_t{-1});
      if (!o.result.contains("next") || o.result["next"].is_null()) break;
      EXPECT_TRUE(o.result["next"].is_string()) << o.result.dump();
      EXPECT_FALSE(o.result["rows"].empty()) << "an empty page before the last";
      after = o.result["next"];
    }
    return rows;
  }
  int64_t total_ = -1;  // "total" of the last page read
};

// Emergency On for the contacts (the common run): counts as
// contacts_emergency_on(), but a dry run.
Expected planned_emergency_on() {
  Expected e = contacts_emergency_on();
  e.dry_run = true;
  return e;
}

// The result of an apply of a plan: an apply result, which may name the plan
// it applied (the contract neither asks nor forbids it); less that name.
Outcome applied_plan(Outcome o, int64_t plan_id) {
  if (o.result.contains("plan_id")) {
    EXPECT_EQ(o.result["plan_id"], plan_id) << o.result.dump();
    o.result.erase("plan_id");
  }
  return o;
}

// The result of a plan, less plan_id and expires_at, as an apply result.
Outcome without_plan_fields(Outcome o) {
  o.result.erase("plan_id");
  o.result.erase("expires_at");
  return o;
}

// ---- 9.1 Plan ----

TEST_P(Plan, APlanWritesNoHostRowAndReturnsTheApplyResultWithPlanIdAndExpiry) {
  const std::string before = dump_host_tables(db());
  const Outcome planned = plan(kContactsEmergencyOn);
  EXPECT_EQ(dump_host_tables(db()), before) << "a plan wrote a host row";
  EXPECT_EQ(scalar(db(), "SELECT COUNT(*) FROM cpb_batch"), 0) << "a plan is no batch";
  ASSERT_TRUE(planned.result.contains("plan_id") && planned.result["plan_id"].is_number_integer()) << planned.result.dump();
  EXPECT_GT(id_of(planned), 0);
  EXPECT_TRUE(planned.result["batch_id"].is_null());
  EXPECT_EQ(planned.result["dry_run"], true);
  expect_result(without_plan_fields(planned), planned_emergency_on());
  // expires_at: 24 h after the plan was made (its created_at), "YYYY-MM-DD HH:MM:SS".
  ASSERT_TRUE(planned.result.contains("expires_at") && planned.result["expires_at"].is_string()) << planned.result.dump();
  const std::string expires = planned.result["expires_at"].get<std::string>();
  EXPECT_TRUE(std::regex_match(expires, std::regex(R"(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2})"))) << expires;
  const std::vector<Row> created = query(db(), "SELECT created_at FROM cpb_plan WHERE plan_id = " + std::to_string(id_of(planned)));
  ASSERT_EQ(created.size(), 1u);
  // (created_at may keep a fraction of a second that expires_at rounds.)
  EXPECT_NEAR(static_cast<double>(seconds(expires) - seconds(created[0][0].value_or(""))), 24.0 * 3600, 1.0)
      << expires << " vs " << created[0][0].value_or("");
  // ... and 24 h after now, by the local clock the plugin stamps with.
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S", &local);
  EXPECT_NEAR(static_cast<double>(seconds(expires) - seconds(text)), 24.0 * 3600, 120.0) << expires << " now " << text;
  // The summary and the warnings of a plan: the apply's.
  EXPECT_TRUE(planned.result["summary"].is_string());
  EXPECT_TRUE(planned.result["warnings"].is_array());
}

TEST_P(Plan, PlanRowsAreRowForRowWhatTheApplyOfThePlanWrites) {
  // The contract's example (see OptionsRules.ReasonsAndDevicesLeftOutOrNoChangeStayAsTheyAre):
  // ten host rows and devices change: 101 cell and email, 201 cell and email,
  // 206 cell, 207 cell and other, 211 email and secondary, household 404.
  const std::string options = R"({"mode": "student_messenger_contacts",
      "preferences": {"emergency": "on", "attendance": {"cell_phone": "on", "email": "off", "household_phone": "no_change"}}})";
  const Outcome planned = plan(options);
  const std::vector<json> rows = page_all(id_of(planned), "changes", 3);
  EXPECT_EQ(total_, 10);
  EXPECT_EQ(rows.size(), 10u);
  std::map<std::string, std::pair<int, int>> planned_rows;
  for (const json& r : rows) {
    EXPECT_EQ(planned_rows.count(row_key(r)), 0u) << "listed twice: " << r.dump();
    planned_rows[row_key(r)] = {mask_of(r["before"]), mask_of(r["after"])};
  }

  const State before = read_state(db());
  const Outcome applied = run(plan_of(id_of(planned)));
  ASSERT_EQ(applied.status, SIS_OK) << applied.result.dump();
  expect_state(before, read_state(db()),
               {{"contact 101", "3 - - 1 -"},
                {"contact 201", "3 255 - 1 0"},
                {"contact 206", "3 - - - -"},
                {"contact 207", "11 - 1 - -"},
                {"contact 211", "- - - 1 1"},
                {"household 404", "1"}});

  // What the batch recorded, per host row and device whose mask it changed.
  const std::string batch = std::to_string(applied.result["batch_id"].get<int64_t>());
  std::map<std::string, std::pair<int, int>> recorded;
  std::string columns;
  std::vector<const DescribedDevice*> contact_devices;
  for (const DescribedDevice& d : described().devices)
    if (d.table == "contact") {
      contact_devices.push_back(&d);
      columns += ", old_" + d.mask_column + ", new_" + d.mask_column;
    }
  for (const Row& r : query(db(), "SELECT person_id" + columns + " FROM cpb_contact_change WHERE batch_id = " + batch)) {
    for (size_t d = 0; d < contact_devices.size(); ++d) {
      const auto& old_mask = r[1 + 2 * d];
      const auto& new_mask = r[2 + 2 * d];
      if (old_mask == new_mask) continue;
      recorded["contact " + *r[0] + " " + contact_devices[d]->name] = {old_mask ? std::stoi(*old_mask) : 0,
                                                                       new_mask ? std::stoi(*new_mask) : 0};
    }
  }
  for (const Row& r : query(db(), "SELECT household_id, old_phone_messenger, new_phone_messenger FROM cpb_household_change "
                                  "WHERE batch_id = " + batch))
    if (r[1] != r[2])
      recorded["household " + *r[0] + " household_phone"] = {r[1] ? std::stoi(*r[1]) : 0, r[2] ? std::stoi(*r[2]) : 0};
  EXPECT_EQ(planned_rows, recorded) << "the plan's rows and the batch's recorded changes differ";
  EXPECT_EQ(recorded.size(), 10u);
}

TEST_P(Plan, PlanRowsComeInAStableOrderAndEveryRowOnceWhateverThePageSize) {
  // Emergency On for the contacts: 8 changes (the 8 cells updated, one reason)
  // and 22 skipped rows (the 22 cells without a device, one reason).
  const Outcome planned = plan(kContactsEmergencyOn);
  for (const auto& [kind, expected_total] : {std::pair<std::string, int64_t>{"changes", 8}, {"skipped", 22}}) {
    SCOPED_TRACE(kind);
    const std::vector<json> all = page_all(id_of(planned), kind, 1000);
    EXPECT_EQ(total_, expected_total);
    EXPECT_EQ(static_cast<int64_t>(all.size()), expected_total);
    for (int limit : {1, 2, 7}) {
      SCOPED_TRACE("limit " + std::to_string(limit));
      EXPECT_EQ(page_all(id_of(planned), kind, limit), all) << "paging changed the rows or their order";
      EXPECT_EQ(total_, expected_total);
    }
    // Name, then id, then device (in the vocabulary's order).
    std::set<std::string> seen;
    for (size_t i = 0; i < all.size(); ++i) {
      EXPECT_TRUE(seen.insert(row_key(all[i])).second) << "listed twice: " << all[i].dump();
      if (i == 0) continue;
      const json& a = all[i - 1];
      const json& b = all[i];
      const auto id = [](const json& r) {
        return r["person_id"].is_number_integer() ? r["person_id"].get<int64_t>() : r.value("household_id", int64_t{0});
      };
      const auto order = [&](const json& r) { return std::make_tuple(r.value("name", ""), id(r), device_index(r.value("device", ""))); };
      EXPECT_LT(order(a), order(b)) << a.dump() << " then " << b.dump();
    }
  }
}

TEST_P(Plan, PlanRowsLimitIsOneToAThousand) {
  const Outcome planned = plan(kContactsEmergencyOn);
  for (int limit : {0, -1, 1001}) {
    const Outcome o = run(json{{"action", "plan_rows"}, {"plan_id", id_of(planned)}, {"kind", "changes"}, {"limit", limit}}.dump());
    expect_error(o, SIS_E_INVALID_OPTIONS, "invalid_options", "/limit");
  }
  const Outcome o = run(json{{"action", "plan_rows"}, {"plan_id", id_of(planned)}, {"kind", "changes"}, {"limit", 1000}}.dump());
  ASSERT_EQ(o.status, SIS_OK) << o.result.dump();
  EXPECT_EQ(o.result["rows"].size(), 8u);
  EXPECT_TRUE(o.result["next"].is_null());
}

TEST_P(Plan, ChangeRowsNameThePersonOrTheHouseholdMembersWithTheDeviceValueAndMasks) {
  const Outcome planned = plan(kContactsEmergencyOn);
  std::map<std::string, json> rows;
  for (const json& r : page_all(id_of(planned), "changes", 1000)) rows[row_key(r)] = r;
  // 207's cell: 8 (general) -> 9.
  ASSERT_EQ(rows.count("contact 207 cell_phone"), 1u);
  const json& cell = rows["contact 207 cell_phone"];
  EXPECT_EQ(cell["name"], "Clark, Gil");
  EXPECT_TRUE(cell["household_id"].is_null());
  EXPECT_EQ(cell["value"], "555-0207");
  EXPECT_EQ(cell["before"], json({"general"}));
  EXPECT_EQ(cell["after"], json({"emergency", "general"}));
  // Household 404 (NULL -> 1): person_id null, its active members named.
  ASSERT_EQ(rows.count("household 404 household_phone"), 1u);
  const json& home = rows["household 404 household_phone"];
  EXPECT_TRUE(home["person_id"].is_null()) << home.dump();
  EXPECT_EQ(home["household_id"], 404);
  EXPECT_EQ(home["value"], "555-0404");
  EXPECT_EQ(home["before"], json::array());
  EXPECT_EQ(home["after"], json({"emergency"}));
  const std::string name = home.value("name", "");
  EXPECT_NE(name.find("Adams, Ann"), std::string::npos) << name;
  EXPECT_NE(name.find("Davis, Dot"), std::string::npos) << name;
}

// Names of any length: a plan keeps them as its review's sort names (MariaDB
// cuts them at the 700 characters its sort index holds) and pages them like any.
TEST_P(Plan, PeopleWithVeryLongNamesArePlannedAndPagedByTheirNames) {
  const std::string long_name(1500, 'L');
  execute("UPDATE person SET last_name = '" + long_name + "' WHERE last_name IN ('Clark', 'Adams', 'Davis')");
  const Outcome planned = plan(kContactsEmergencyOn);
  ASSERT_EQ(planned.status, SIS_OK) << planned.result.dump();
  const std::vector<json> rows = page_all(id_of(planned), "changes", 50);
  EXPECT_EQ(static_cast<int64_t>(rows.size()), total_);
  std::map<std::string, json> by_key;
  for (const json& r : rows) by_key[row_key(r)] = r;
  ASSERT_EQ(by_key.count("contact 207 cell_phone"), 1u);
  EXPECT_EQ(by_key["contact 207 cell_phone"].value("name", "").substr(0, 700), std::string(700, 'L'));
  ASSERT_EQ(by_key.count("household 404 household_phone"), 1u);
  EXPECT_EQ(by_key["household 404 household_phone"].value("name", "").substr(0, 700), std::string(700, 'L'));
}

TEST_P(Plan, SkippedRowsSayWhyAndTheReasonsAsked) {
  // no_device: 213 has no contact row: five devices, Emergency and General asked.
  {
    const Outcome planned = plan(R"({"mode": "student_messenger_contacts", "preferences": {"emergency": "on", "general": "on"}})");
    std::map<std::string, json> rows;
    for (const json& r : page_all(id_of(planned), "skipped", 1000)) rows[row_key(r)] = r;
    for (const std::string& device : described().device_names("contact")) {
      const std::string key = "contact 213 " + device;
      ASSERT_EQ(rows.count(key), 1u) << key;
      EXPECT_EQ(rows[key]["why"], "no_device") << rows[key].dump();
      EXPECT_EQ(rows[key]["name"], "Baker, Fred") << rows[key].dump();
      EXPECT_EQ(rows[key]["reasons"], json({"emergency", "general"})) << rows[key].dump();
    }
    // Household 402 has no phone: a skipped household row.
    ASSERT_EQ(rows.count("household 402 household_phone"), 1u);
    EXPECT_TRUE(rows["household 402 household_phone"]["person_id"].is_null());
    EXPECT_EQ(rows["household 402 household_phone"]["why"], "no_device");
  }
  // not_staff: filter 2, staff On: 302, 303 and 105's cells on record.
  {
    const Outcome planned = plan(R"({"mode": "census_staff", "ad_hoc_filter_id": 2, "preferences": {"staff": "on"}})");
    std::map<std::string, std::string> why;
    for (const json& r : page_all(id_of(planned), "skipped", 1000)) {
      why[row_key(r)] = r.value("why", "");
      EXPECT_EQ(r["reasons"], json({"staff"})) << r.dump();
    }
    for (const char* key : {"contact 302 cell_phone", "contact 303 cell_phone", "contact 105 cell_phone"})
      EXPECT_EQ(why[key], "not_staff") << key;
    EXPECT_EQ(std::count_if(why.begin(), why.end(), [](const auto& w) { return w.second == "not_staff"; }), 3);
  }
  // protected: keep_portal, 201 and household 404 last modified by portal user 4.
  {
    const Outcome planned =
        plan(R"({"mode": "student_messenger_contacts", "preferences": {"emergency": "on"}, "overwrite": "keep_portal"})");
    std::set<std::string> protected_rows;
    for (const json& r : page_all(id_of(planned), "skipped", 1000))
      if (r.value("why", "") == "protected") protected_rows.insert(row_key(r));
    EXPECT_EQ(protected_rows, (std::set<std::string>{"contact 201 cell_phone", "contact 201 work_phone", "contact 201 email",
                                                     "household 404 household_phone"}));
  }
}

// ---- 9.1 Apply of a plan ----

// Emergency On for the contacts without 207 and household 404: 207's cell
// (8 -> 9) and other (0 -> 1) and 404 (NULL -> 1) are no longer updated, 207's
// three devices not on record no longer skipped, nor household 403 (blank
// phone), which no other target lives in. updated 8 - 3 = 5, unchanged 4
// (201 cell, 201 work, 211 email, 401), persons 5, households 1 (401).
Expected emergency_on_without_207_and_404(bool dry_run) {
  Expected e;
  e.mode = "student_messenger_contacts";
  e.dry_run = dry_run;
  e.persons = 5;
  e.households = 1;
  e.updated = 5;
  e.unchanged = 4;
  e.by_reason = {{"emergency", {5, 4}}};
  e.by_device = {{"household_phone", {0, 1}}, {"cell_phone", {2, 1}}, {"work_phone", {0, 1}},
                 {"email", {2, 1}},           {"secondary_email", {1, 0}}};
  e.no_device = 22 - 3 - 1;
  return e;
}
const Written kWritesWithout207And404 = {
    {"contact 101", "1 - - 1 -"}, {"contact 201", "1 255 - 1 0"}, {"contact 206", "1 - - - -"}, {"contact 211", "- - - 3 1"}};

TEST_P(Plan, ApplyOfAPlanLeavesTheExcludedUntouchedAndCountsThemNowhere) {
  const Outcome planned = plan(kContactsEmergencyOn);
  // The same as a direct apply with the same exclusions (its dry run, before the apply).
  json direct = json::parse(kContactsEmergencyOn);
  direct["exclude_person_ids"] = {207};
  direct["exclude_household_ids"] = {404};
  direct["dry_run"] = true;
  const Outcome dry = run(direct);
  expect_result(dry, emergency_on_without_207_and_404(true));
  const State before = read_state(db());
  json apply = plan_of(id_of(planned));
  apply["exclude_person_ids"] = {207};
  apply["exclude_household_ids"] = {404};
  const Outcome applied = run(apply);
  expect_result(applied_plan(applied, id_of(planned)), emergency_on_without_207_and_404(false));
  expect_state(before, read_state(db()), kWritesWithout207And404);
}

TEST_P(Plan, ApplyOfAPlanWithoutExclusionsWritesThePlanAndCountsAsThePlan) {
  const Outcome planned = plan(kContactsEmergencyOn);
  const State before = read_state(db());
  const Outcome applied = run(plan_of(id_of(planned)));
  expect_result(applied_plan(applied, id_of(planned)), contacts_emergency_on());
  expect_state(before, read_state(db()), contacts_emergency_on_writes());
}

TEST_P(Plan, ARowEditedBetweenPlanAndApplyMakesTheApplyAConflictWithNothingWritten) {
  // Each edit is of a planned row: a mask the plan changes (101 email), a mask
  // of a planned row the plan does not change (201 work, 255 -> 127), a household's mask.
  for (const char* edit : {"UPDATE contact SET email_messenger = 4 WHERE person_id = 101",
                           "UPDATE contact SET work_phone_messenger = 127 WHERE person_id = 201",
                           "UPDATE household SET phone_messenger = 2 WHERE household_id = 404"}) {
    SCOPED_TRACE(edit);
    const Outcome planned = plan(kContactsEmergencyOn);
    execute(edit);
    const int64_t batches = scalar(db(), "SELECT COUNT(*) FROM cpb_batch").value_or(-1);
    expect_error(run_refused(plan_of(id_of(planned)).dump()), SIS_E_CONFLICT, "conflict");
    EXPECT_EQ(scalar(db(), "SELECT COUNT(*) FROM cpb_batch"), batches) << "a refused apply recorded a batch";
  }
}

// CONTRACT 12.1: what the plan's decision read besides the masks. Each edit
// leaves every mask as it is.
TEST_P(Plan, APortalSaveOfAPlannedRowUnderKeepPortalMakesTheApplyAConflict) {
  json options = json::parse(kContactsEmergencyOn);
  options["overwrite"] = "keep_portal";
  const Outcome planned = plan(options.dump());
  // 101's cell and e-mail change in the plan; a parent (portal account 4) saves the row.
  execute("UPDATE contact SET modified_by_id = 4 WHERE person_id = 101");
  const std::string before = dump_host_tables(db());
  expect_error(run_refused(plan_of(id_of(planned)).dump()), SIS_E_CONFLICT, "conflict");
  EXPECT_EQ(dump_host_tables(db()), before) << "a refused apply wrote";
}

TEST_P(Plan, ADeviceNoLongerOnRecordMakesTheApplyAConflict) {
  for (const char* edit : {"UPDATE contact SET email = '' WHERE person_id = 101",
                           "UPDATE contact SET email = '   ' WHERE person_id = 101",
                           "UPDATE contact SET email = NULL WHERE person_id = 101",
                           "UPDATE household SET phone = NULL WHERE household_id = 404"}) {
    SCOPED_TRACE(edit);
    // On record as the fixture has them (an earlier edit may have cleared one).
    execute("UPDATE contact SET email = 's101@lincoln.example.org' WHERE person_id = 101;\n"
            "UPDATE household SET phone = '555-0404' WHERE household_id = 404");
    const Outcome planned = plan(kContactsEmergencyOn);
    execute(edit);
    const std::string before = dump_host_tables(db());
    expect_error(run_refused(plan_of(id_of(planned)).dump()), SIS_E_CONFLICT, "conflict");
    EXPECT_EQ(dump_host_tables(db()), before) << "a refused apply wrote";
  }
}

TEST_P(Plan, AnEditOfNothingTheDecisionReadIsNoConflict) {
  const Outcome planned = plan(kContactsEmergencyOn);
  // Another number on the same device, and a stamp by a staff account: the
  // masks, the devices on record and (overwrite all) the protection hold.
  execute("UPDATE contact SET cell_phone = '555-9999', modified_by_id = 5 WHERE person_id = 101");
  const Outcome applied = run(plan_of(id_of(planned)));
  EXPECT_EQ(applied.status, SIS_OK) << applied.result.dump();
}

// CONTRACT 12.2: "left out" counts the people and households really left out.
TEST_P(Plan, TheSummaryCountsOnlyThePeopleAndHouseholdsReallyLeftOut) {
  json nobody = json::parse(kContactsEmergencyOn);
  nobody["dry_run"] = true;
  nobody["exclude_person_ids"] = {9001, 9002, 9003};
  nobody["exclude_household_ids"] = {9004};
  const Outcome none = run(nobody);
  ASSERT_EQ(none.status, SIS_OK) << none.result.dump();
  EXPECT_EQ(none.result.value("summary", "").find("left out"), std::string::npos) << none.result.dump();
  json some = nobody;
  some["exclude_person_ids"] = {207, 9001, 9002};
  some["exclude_household_ids"] = {404, 9004};
  const Outcome real = run(some);
  EXPECT_NE(real.result.value("summary", "").find("(1 person and 1 household left out)"), std::string::npos) << real.result.dump();
  // An apply of a plan counts the plan's exclusions and its own.
  json options = json::parse(kContactsEmergencyOn);
  options["exclude_person_ids"] = {207, 9001};
  const Outcome planned = plan(options.dump());
  EXPECT_NE(planned.result.value("summary", "").find("(1 person left out)"), std::string::npos) << planned.result.dump();
  json apply = plan_of(id_of(planned));
  apply["exclude_person_ids"] = {211, 9002};
  const Outcome applied = run(apply);
  ASSERT_EQ(applied.status, SIS_OK) << applied.result.dump();
  EXPECT_NE(applied.result.value("summary", "").find("(2 people left out)"), std::string::npos) << applied.result.dump();
}

TEST_P(Plan, AnEditOfAnExcludedRowIsNoConflict) {
  const Outcome planned = plan(kContactsEmergencyOn);
  execute("UPDATE contact SET cell_phone_messenger = 100 WHERE person_id = 207;\n"
          "UPDATE household SET phone_messenger = 2 WHERE household_id = 404");
  const State before = read_state(db());
  json apply = plan_of(id_of(planned));
  apply["exclude_person_ids"] = {207};
  apply["exclude_household_ids"] = {404};
  expect_result(applied_plan(run(apply), id_of(planned)), emergency_on_without_207_and_404(false));
  expect_state(before, read_state(db()), kWritesWithout207And404);
}

TEST_P(Plan, APlanIsAppliedAtMostOnce) {
  const Outcome planned = plan(kContactsEmergencyOn);
  ASSERT_EQ(run(plan_of(id_of(planned))).status, SIS_OK);
  expect_error(run_refused(plan_of(id_of(planned)).dump()), SIS_E_NOT_FOUND, "not_found");
  EXPECT_EQ(scalar(db(), "SELECT COUNT(*) FROM cpb_batch"), 1);
}

TEST_P(Plan, ApplyOfAnotherUsersPlanIsForbidden) {
  const Outcome planned = plan(kContactsEmergencyOn);
  Context secretary;
  secretary.user_id = 5;
  expect_error(run_refused(plan_of(id_of(planned)).dump(), secretary), SIS_E_FORBIDDEN, "forbidden");
  EXPECT_EQ(scalar(db(), "SELECT COUNT(*) FROM cpb_batch"), 0);
  // The plan is still there for its user.
  EXPECT_EQ(run(plan_of(id_of(planned))).status, SIS_OK);
}

TEST_P(Plan, ApplyOfAPlanInAnotherToolbarContextIsInvalidContext) {
  const Outcome planned = plan(kContactsEmergencyOn);
  Context later;
  later.effective_date = "2026-10-02";
  for (const Context& other : {at(1, 0), at(1, 10), later}) {
    expect_error(run_refused(plan_of(id_of(planned)).dump(), other), SIS_E_INVALID_OPTIONS, "invalid_context");
  }
  EXPECT_EQ(scalar(db(), "SELECT COUNT(*) FROM cpb_batch"), 0);
}

TEST_P(Plan, ApplyOfAnUnknownPlanIsNotFound) {
  expect_error(run_refused(plan_of(99).dump()), SIS_E_NOT_FOUND, "not_found");
  const Outcome planned = plan(kContactsEmergencyOn);
  expect_error(run_refused(plan_of(id_of(planned) + 1).dump()), SIS_E_NOT_FOUND, "not_found");
}

TEST_P(Plan, ApplyOfAnExpiredPlanIsNotFound) {
  const Outcome planned = plan(kContactsEmergencyOn);
  execute("UPDATE cpb_plan SET expires_at = '2020-01-01 00:00:00' WHERE plan_id = " + std::to_string(id_of(planned)));
  expect_error(run_refused(plan_of(id_of(planned)).dump()), SIS_E_NOT_FOUND, "not_found");
  EXPECT_EQ(scalar(db(), "SELECT COUNT(*) FROM cpb_batch"), 0);
}

TEST_P(Plan, ThePlanRowsOfAppliedAndExpiredPlansAreDeletedByTheNextPlanAndThoseUnderReviewKept) {
  // DECISIONS.md "Plans expire 24 hours after they are made": the next plan
  // deletes the rows of applied and expired plans, and only theirs.
  const auto rows_of = [&](int64_t plan_id) {
    const std::string id = std::to_string(plan_id);
    int64_t rows = 0;
    for (const char* table : {"cpb_plan_row", "cpb_plan_member", "cpb_plan_warned_row", "cpb_plan_total"})
      rows += scalar(db(), std::string("SELECT COUNT(*) FROM ") + table + " WHERE plan_id = " + id).value_or(0);
    return rows;
  };
  const int64_t applied = id_of(plan(kContactsEmergencyOn));
  const int64_t expired = id_of(plan(kContactsEmergencyOn));
  const int64_t kept = id_of(plan(kContactsEmergencyOn));
  ASSERT_GT(rows_of(applied), 0);
  ASSERT_GT(rows_of(expired), 0);
  const Outcome written = run(plan_of(applied));
  ASSERT_EQ(written.status, SIS_OK) << written.result.dump();
  execute("UPDATE cpb_plan SET expires_at = '2020-01-01 00:00:00' WHERE plan_id = " + std::to_string(expired));
  const int64_t next = id_of(plan(kContactsEmergencyOn));
  EXPECT_EQ(rows_of(applied), 0);
  EXPECT_EQ(rows_of(expired), 0);
  EXPECT_GT(rows_of(kept), 0);
  EXPECT_GT(rows_of(next), 0);
  // The plans themselves stay, so that a late apply is told what became of them.
  EXPECT_EQ(scalar(db(), "SELECT COUNT(*) FROM cpb_plan WHERE plan_id IN (" + std::to_string(applied) + ", " + std::to_string(expired) + ")"),
            2);
}

// ---- 9.1 Exclusions on every kind of run ----

TEST_P(Plan, ExcludedPeopleAndHouseholdsAreNoTargetsOfADirectApplyADryRunOrAPlan) {
  json options = json::parse(kContactsEmergencyOn);
  options["exclude_person_ids"] = {207};
  options["exclude_household_ids"] = {404};
  // Dry run.
  json dry = options;
  dry["dry_run"] = true;
  expect_result(run(dry), emergency_on_without_207_and_404(true));
  // Plan: counts and rows leave 207 and 404 out.
  const Outcome planned = plan(options.dump());
  expect_result(without_plan_fields(planned), emergency_on_without_207_and_404(true));
  for (const char* kind : {"changes", "skipped"})
    for (const json& r : page_all(id_of(planned), kind, 1000)) {
      EXPECT_NE(r.value("person_id", json()), 207) << r.dump();
      EXPECT_NE(r.value("household_id", json()), 404) << r.dump();
    }
  // Direct apply.
  const State before = read_state(db());
  expect_result(run(options), emergency_on_without_207_and_404(false));
  expect_state(before, read_state(db()), kWritesWithout207And404);
}

// ---- 9.2 Guardrails ----

const char* const kContactsEmergencyOff = R"({"mode": "student_messenger_contacts", "preferences": {"emergency": "off"}})";

TEST_P(Plan, EmergencyOffWithoutConfirmationIsRefusedAtPreferencesEmergency) {
  for (const std::string& options :
       {std::string(kContactsEmergencyOff),
        std::string(R"({"mode": "students", "preferences": {"emergency": {"cell_phone": "off"}}})"),
        std::string(R"({"mode": "students", "preferences": {"emergency": {"email": "off"}}, "dry_run": true})"),
        std::string(R"({"action": "plan", "mode": "students", "preferences": {"emergency": "off", "general": "on"}})"),
        std::string(R"({"mode": "students", "preferences": {"emergency": "off"}, "confirm": []})")}) {
    SCOPED_TRACE(options);
    const Outcome o = run_refused(options);
    expect_error(o, SIS_E_INVALID_OPTIONS, "invalid_options", "/preferences/emergency");
    const std::string message = o.result["error"].value("message", "");
    EXPECT_NE(message.find("emergency_off"), std::string::npos) << "the message should say how to confirm: " << message;
  }
  EXPECT_EQ(scalar(db(), "SELECT COUNT(*) FROM cpb_batch"), 0);
}

TEST_P(Plan, EmergencyOffWithConfirmationIsApplied) {
  // Targets 101, 201, 206, 207, 211, 213. On record: 101 cell NULL -> 0 and
  // 206 cell NULL -> 0 (9.4), 201 cell 1 -> 0, work 255 -> 254, email NULL -> 0,
  // 211 email 3 -> 2, secondary NULL -> 0, households 401 1 -> 0, 404 NULL -> 0:
  // 9 updated. Already Off: 101 email 0, 207 cell 8, 207 other 0: 3 unchanged.
  const State before = read_state(db());
  Expected e;
  e.mode = "student_messenger_contacts";
  e.persons = 6;
  e.households = 2;
  e.updated = 9;
  e.unchanged = 3;
  e.by_reason = {{"emergency", {9, 3}}};
  e.by_device = {{"household_phone", {2, 0}}, {"cell_phone", {3, 1}}, {"work_phone", {1, 0}},
                 {"other_phone", {0, 1}},     {"email", {2, 1}},      {"secondary_email", {1, 0}}};
  e.no_device = 22;
  json options = json::parse(kContactsEmergencyOff);
  options["confirm"] = {"emergency_off"};
  expect_result(run(options), e);
  expect_state(before, read_state(db()),
               {{"contact 101", "0 - - 0 -"},
                {"contact 201", "0 254 - 0 0"},
                {"contact 206", "0 - - - -"},
                {"contact 211", "- - - 2 0"},
                {"household 401", "0"},
                {"household 404", "0"}});
}

TEST_P(Plan, NoEmergencyChannelCountsTargetsWithoutAnEmergencyDeviceAfterTheBatch) {
  // Emergency On for the contacts: only 213 (no contact row, no household) is left without.
  {
    const Outcome o = plan(kContactsEmergencyOn);
    EXPECT_EQ(warning(o, "no_emergency_channel").value("count", int64_t{-1}), 1) << o.result.dump();
  }
  // General On for the students of school 1 (101, 104, 107, 108): 101's cell
  // (NULL) and email (0) lack the bit but household 401 (1) has it, and counts
  // for him; 104's email 255 has it; 107 (blanks, household 403 blank) and 108
  // (other NULL, left household 405) have none: 2.
  {
    const Outcome o = run(R"({"mode": "students", "preferences": {"general": "on"}, "dry_run": true})", at(1, 0));
    ASSERT_EQ(o.status, SIS_OK) << o.result.dump();
    const json w = warning(o, "no_emergency_channel");
    EXPECT_EQ(w.value("count", int64_t{-1}), 2) << o.result.dump();
    EXPECT_TRUE(w.contains("message") && w["message"].is_string() && !w["message"].get<std::string>().empty()) << w.dump();
  }
  // Emergency On for the students of calendar 10 (101, 104, 108): each has a
  // device with the bit after it: no warning at all (401 already holds it).
  {
    const Outcome o = run(R"({"mode": "students", "preferences": {"emergency": "on"}})", at(1, 10));
    ASSERT_EQ(o.status, SIS_OK) << o.result.dump();
    EXPECT_EQ(o.result["warnings"], json::array()) << o.result.dump();
  }
}

TEST_P(Plan, ReachesNonTargetsCountsActiveMembersOfChangedHouseholdsWhoAreNotTargets) {
  // Attendance On on the household phone for the contacts (101, 201, 206,
  // 207, 211, 213): 401 (1 -> 3) reaches its active members 104 (a student,
  // not a contact) and 202 (a guardian who is not a Messenger contact); 404
  // (NULL -> 2) reaches only targets (201, 211): 2 people.
  const char* options = R"({"mode": "student_messenger_contacts", "preferences": {"attendance": {"household_phone": "on"}}})";
  for (const char* run_kind : {"plan", "dry_run", "apply"}) {
    SCOPED_TRACE(run_kind);
    json o = json::parse(options);
    if (std::string(run_kind) == "plan") o["action"] = "plan";
    if (std::string(run_kind) == "dry_run") o["dry_run"] = true;
    const Outcome out = run(o);
    ASSERT_EQ(out.status, SIS_OK) << out.result.dump();
    EXPECT_EQ(warning(out, "reaches_non_targets").value("count", int64_t{-1}), 2) << out.result.dump();
  }
  // Once applied, the same run changes no household: no warning.
  const Outcome again = run(json::parse(options));
  ASSERT_EQ(again.status, SIS_OK) << again.result.dump();
  EXPECT_FALSE(has_warning(again, "reaches_non_targets")) << again.result.dump();
  // Emergency On for the contacts changes only 404, whose members are all targets.
  EXPECT_FALSE(has_warning(plan(kContactsEmergencyOn), "reaches_non_targets"));
}

// Filter 4 (107, 108, 102) at school 2 (only 106 enrolled): nobody.
const char* const kNobody = R"({"mode": "students", "ad_hoc_filter_id": 4, "preferences": {"emergency": "on"}})";

TEST_P(Plan, EmptySelectionWarnsOnAPlanOrDryRunAndRefusesAnApply) {
  const Context school2 = at(2, 0);
  json dry = json::parse(kNobody);
  dry["dry_run"] = true;
  const Outcome d = run(dry, school2);
  ASSERT_EQ(d.status, SIS_OK) << d.result.dump();
  EXPECT_TRUE(has_warning(d, "empty_selection")) << d.result.dump();
  EXPECT_EQ(d.result["persons"], 0);
  const Outcome p = plan(kNobody, school2);
  EXPECT_TRUE(has_warning(p, "empty_selection")) << p.result.dump();
  // A direct apply and the apply of the plan are refused, and record no batch.
  expect_error(run_refused(kNobody, school2), SIS_E_NOT_FOUND, "not_found");
  expect_error(run_refused(plan_of(id_of(p)).dump(), school2), SIS_E_NOT_FOUND, "not_found");
  EXPECT_EQ(scalar(db(), "SELECT COUNT(*) FROM cpb_batch"), 0);
  // Exclusions that leave nobody are an empty selection too.
  json everyone_excluded = json::parse(R"({"mode": "census_staff", "ad_hoc_filter_id": 5, "preferences": {"general": "on"}})");
  everyone_excluded["exclude_person_ids"] = {301, 201};
  expect_error(run_refused(everyone_excluded.dump()), SIS_E_NOT_FOUND, "not_found");
  EXPECT_EQ(scalar(db(), "SELECT COUNT(*) FROM cpb_batch"), 0);
  // A selection that is not empty has no such warning.
  EXPECT_FALSE(has_warning(plan(kContactsEmergencyOn), "empty_selection"));
}

TEST_P(Plan, SummaryIsOneSentenceNamingSchoolCalendarFilterReasonsDevicesModeAndNumbers) {
  // Filter 1 (101, 104, 106) at calendar 10 (101, 104, 108): 101 and 104.
  // Emergency On everywhere: 101 cell NULL -> 1, email 0 -> 1 (104's email
  // 255 and household 401's 1 hold it); Attendance On on the cell: 101's.
  // 3 preferences change for 2 people.
  const std::string options = R"({"mode": "students", "ad_hoc_filter_id": 1,
      "preferences": {"emergency": "on", "attendance": {"cell_phone": "on"}}})";
  json dry = json::parse(options);
  dry["dry_run"] = true;
  for (const Outcome& o : {plan(options, at(1, 10)), run(dry, at(1, 10)), run(options, at(1, 10))}) {
    ASSERT_EQ(o.status, SIS_OK) << o.result.dump();
    EXPECT_EQ(o.result["updated"], 3);
    EXPECT_EQ(o.result["persons"], 2);
    const std::string s = o.result.value("summary", "");
    SCOPED_TRACE(s);
    for (const char* part : {"Lincoln Elementary", "Lincoln 26-27", "My students", "Emergency", "Attendance", "cell phone", "students"})
      EXPECT_NE(s.find(part), std::string::npos) << "the summary does not name " << part;
    EXPECT_TRUE(std::regex_search(s, std::regex(R"(\b3\b)"))) << "the number of preferences";
    EXPECT_TRUE(std::regex_search(s, std::regex(R"(\b2\b)"))) << "the number of people";
    ASSERT_FALSE(s.empty());
    EXPECT_EQ(s.back(), '.') << "one sentence ends with a full stop";
    EXPECT_EQ(s.find(". "), std::string::npos) << "one sentence, not several";
  }
  // The mode by name: the Messenger contacts, and census staff with the census filter's name.
  const Outcome contacts = plan(kContactsEmergencyOn);
  EXPECT_NE(contacts.result.value("summary", "").find("Messenger contacts"), std::string::npos) << contacts.result.dump();
  const Outcome staff = plan(R"({"mode": "census_staff", "ad_hoc_filter_id": 2, "preferences": {"staff": "on"}})");
  EXPECT_NE(staff.result.value("summary", "").find("Staff and census"), std::string::npos) << staff.result.dump();
}

TEST_P(Plan, ErrorMessagesNameSchoolsCalendarsFiltersAndUsersByNameAndId) {
  struct Case {
    std::string options;
    Context context;
    std::vector<std::string> named;
  };
  Context viewer;
  viewer.user_id = 2;
  const std::vector<Case> cases = {
      // Calendar 20 (Washington) with school 1.
      {kContactsEmergencyOn, at(1, 20), {"Washington 26-27", "20"}},
      // Calendar 19 is of 2026.
      {kContactsEmergencyOn, at(1, 19), {"Lincoln 25-26", "19"}},
      // Filter 3 is user 5's and not shared.
      {R"({"mode": "students", "ad_hoc_filter_id": 3, "preferences": {"emergency": "on"}})", {}, {"Secretary private students", "3"}},
      // Filter 1 is a student filter, census_staff needs a census one.
      {R"({"mode": "census_staff", "ad_hoc_filter_id": 1, "preferences": {"staff": "on"}})", {}, {"My students", "1"}},
      // User 2 has a read-only right.
      {kContactsEmergencyOn, viewer, {"viewer", "2"}},
  };
  for (const Case& c : cases) {
    const Outcome o = run_refused(c.options, c.context);
    const std::string message = o.result.value("error", json::object()).value("message", "");
    SCOPED_TRACE(message);
    for (const std::string& name : c.named) EXPECT_NE(message.find(name), std::string::npos) << "does not name " << name;
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, Plan, testing::ValuesIn(backends()), BackendName());

}  // namespace
}  // namespace cpbtest::spec
