// CONTRACT.md section 6, "Result": the result JSON's fields, and the same
// options giving the same result and the same rows on SQLite and PostgreSQL.
#include <set>
#include <string>
#include <vector>

#include "spec_support.hpp"

namespace cpbtest::spec {
namespace {

class ResultJson : public FixtureTest {};

TEST_P(ResultJson, ResultHoldsExactlyTheContractFields) {
  const Outcome o = run(kContactsEmergencyOn);
  ASSERT_EQ(o.status, SIS_OK) << o.result.dump();
  std::set<std::string> keys;
  for (const auto& [key, value] : o.result.items()) keys.insert(key);
  EXPECT_EQ(keys, (std::set<std::string>{"batch_id", "dry_run", "mode", "persons", "households", "updated", "unchanged", "by_reason",
                                         "by_device", "skipped", "warnings", "summary"}));
  std::set<std::string> reasons, devices, skipped;
  for (const auto& [key, value] : o.result["by_reason"].items()) {
    reasons.insert(key);
    EXPECT_TRUE(value.contains("updated") && value.contains("unchanged") && value.size() == 2) << value.dump();
  }
  for (const auto& [key, value] : o.result["by_device"].items()) {
    devices.insert(key);
    EXPECT_TRUE(value.contains("updated") && value.contains("unchanged") && value.size() == 2) << value.dump();
  }
  for (const auto& [key, value] : o.result["skipped"].items()) skipped.insert(key);
  // Every reason and device of describe (which Abi.DescribeListsReasonsDevicesModesAndTheOptionsSchema holds to the contract's).
  const std::vector<std::string> reason_names = described().reason_names(), device_names = described().device_names();
  EXPECT_EQ(reasons, std::set<std::string>(reason_names.begin(), reason_names.end()));
  EXPECT_EQ(devices, std::set<std::string>(device_names.begin(), device_names.end()));
  EXPECT_EQ(skipped, (std::set<std::string>{"no_device", "not_staff", "protected"}));
  // Successive batches are told apart by their ids.
  const Outcome second = run(kContactsEmergencyOn);
  ASSERT_EQ(second.status, SIS_OK) << second.result.dump();
  EXPECT_NE(second.result["batch_id"], o.result["batch_id"]);
}

TEST_P(ResultJson, HouseholdsCountOnlyWhenTheHouseholdPhoneIsInPlay) {
  // Same targets as the common run, household phone left out: no household counted.
  const Outcome o = run(R"({"mode": "student_messenger_contacts", "preferences": {"emergency": {"cell_phone": "on"}}, "dry_run": true})");
  ASSERT_EQ(o.status, SIS_OK) << o.result.dump();
  EXPECT_EQ(o.result["persons"], 6);
  EXPECT_EQ(o.result["households"], 0);
  EXPECT_EQ(o.counts.households, 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, ResultJson, testing::ValuesIn(backends()), BackendName());

// Every preference row as "masks by modified_by_id stamped?": what must agree across back ends.
std::map<std::string, std::string> comparable(const State& s) {
  std::map<std::string, std::string> out;
  for (const auto& [key, row] : s.rows) {
    const size_t n = row.size();
    out[key] = masks(s, key) + " by " + row[n - 2].value_or("-") + (row[n - 1] ? " stamped" : "");
  }
  return out;
}

TEST(BothBackEnds, SameOptionsGiveTheSameResultsAndRows) {
  if (backends().size() < 2) GTEST_SKIP() << "PostgreSQL is not available (set CPB_TEST_PG)";
  const std::vector<std::pair<std::string, Context>> runs = {
      {kContactsEmergencyOn, {}},
      {R"({"mode": "student_messenger_contacts", "preferences": {"general": "off", "teacher": {"email": "on"}}})", at(1, 0)},
      {R"({"mode": "students", "preferences": {"attendance": "on"}, "overwrite": "unset_only"})", at(0, 10)},
      {R"({"mode": "census_staff", "ad_hoc_filter_id": 2, "preferences": {"staff": "on", "priority": "off"}})", at(2, 20)},
      {R"({"mode": "census_staff", "ad_hoc_filter_id": 5, "preferences": {"food_service": "on", "staff": {"email": "off"}}})", {}},
      {R"({"mode": "student_messenger_contacts", "ad_hoc_filter_id": 1, "preferences": {"behavior": "on"}, "overwrite": "keep_portal"})",
       {}},
      {R"({"mode": "students", "preferences": {"emergency": "off"}, "confirm": ["emergency_off"], "dry_run": true})", {}},
      {R"({"action": "undo", "batch_id": 2})", {}},
  };
  std::vector<std::vector<json>> results;
  std::vector<std::map<std::string, std::string>> rows;
  for (Backend backend : backends()) {
    TestDatabase database(backend);
    database.init_schema();
    database.execute(fixture_sql());
    Handle handle(database);
    results.emplace_back();
    for (const auto& [options, context] : runs) {
      const Outcome o = handle.run(options, context);
      EXPECT_EQ(o.status, SIS_OK) << backend_name(backend) << ": " << options << " -> " << o.result.dump();
      results.back().push_back(o.result);
    }
    cpb::odbc::Connection reader = database.connect();
    rows.push_back(comparable(read_state(reader)));
  }
  for (size_t i = 0; i < runs.size(); ++i)
    EXPECT_EQ(results[0][i], results[1][i]) << runs[i].first << "\nSQLite:     " << results[0][i].dump()
                                            << "\nPostgreSQL: " << results[1][i].dump();
  EXPECT_EQ(rows[0], rows[1]);
}

}  // namespace
}  // namespace cpbtest::spec
