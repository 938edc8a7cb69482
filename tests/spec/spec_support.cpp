#include "spec_support.hpp"

#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

namespace cpbtest::spec {

namespace {


const char* const kOtherHostTables[] = {"school",       "calendar",        "person",       "user_account",
                                        "household_member", "related_pair", "enrollment", "district_assignment",
                                        "user_tool_right", "adhoc_filter", "adhoc_filter_member"};

const char* const kContactColumns =
    "person_id, cell_phone, work_phone, other_phone, email, secondary_email, "
    "cell_phone_messenger, work_phone_messenger, other_phone_messenger, email_messenger, secondary_email_messenger, "
    "cell_phone_text_messenger, work_phone_text_messenger, other_phone_text_messenger, modified_by_id, modified_date";
const char* const kHouseholdColumns = "household_id, name, phone, phone_messenger, phone_text_messenger, modified_by_id, modified_date";

// Column positions of the two SELECTs above.
constexpr size_t kContactFirstMask = 6, kContactMasks = 5, kContactModifiedBy = 14, kContactModifiedDate = 15;
constexpr size_t kHouseholdMask = 3, kHouseholdModifiedBy = 5, kHouseholdModifiedDate = 6;

// Every modified_date of fixture.sql is earlier than this.
const std::string kFixtureDatesBefore = "2026-06-01";

bool is_contact(const std::string& key) { return key.rfind("contact ", 0) == 0; }

std::string text(const std::optional<std::string>& v) { return v ? *v : "NULL"; }

}  // namespace

const std::string& fixture_sql() {
  static const std::string text = [] {
    std::ifstream in(CPB_SPEC_FIXTURE);
    if (!in) throw std::runtime_error("cannot read " CPB_SPEC_FIXTURE);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }();
  return text;
}

void FixtureTest::SetUp() {
  database_ = std::make_unique<TestDatabase>(GetParam());
  database_->init_schema();
  database_->execute(fixture_sql());
  handle_ = std::make_unique<Handle>(*database_);
  reader_.emplace(database_->connect());
}

void FixtureTest::TearDown() {
  reader_.reset();
  handle_.reset();
  database_.reset();
}

Outcome FixtureTest::run_refused(const std::string& options, const Context& context) {
  const std::string before = dump_host_tables(db());
  Outcome outcome = run(options, context);
  EXPECT_NE(outcome.status, SIS_OK) << outcome.result.dump();
  EXPECT_EQ(dump_host_tables(db()), before) << "a refused run changed the database: " << options;
  return outcome;
}

Context at(int64_t school_id, int64_t calendar_id) {
  Context c;
  c.school_id = school_id;
  c.calendar_id = calendar_id;
  return c;
}

// Targets 101, 201, 206, 207, 211, 213. Contact cells on record (10 of 30):
// 101 cell NULL, email 0; 201 cell 1, work 255, email NULL; 206 cell NULL;
// 207 cell 8, other 0; 211 email 3, secondary NULL. Households: 401 (1) and
// 404 (NULL) on record, 402 (NULL phone) and 403 (blank phone) not.
Expected contacts_emergency_on() {
  Expected e;
  e.mode = "student_messenger_contacts";
  e.persons = 6;
  e.households = 2;
  e.updated = 8;
  e.unchanged = 4;
  e.by_reason = {{"emergency", {8, 4}}};
  e.by_device = {{"household_phone", {1, 1}}, {"cell_phone", {3, 1}}, {"work_phone", {0, 1}},
                 {"other_phone", {1, 0}},     {"email", {2, 1}},      {"secondary_email", {1, 0}}};
  e.no_device = 20 + 2;
  return e;
}

Written contacts_emergency_on_writes() {
  return {{"contact 101", "1 - - 1 -"}, {"contact 201", "1 255 - 1 0"}, {"contact 206", "1 - - - -"},
          {"contact 207", "9 - 1 - -"}, {"contact 211", "- - - 3 1"},   {"household 404", "1"}};
}

json Expected::to_json() const {
  json reasons = json::object();
  for (const std::string& r : described().reason_names()) {
    const auto found = by_reason.find(r);
    const auto c = found == by_reason.end() ? std::pair<int64_t, int64_t>{0, 0} : found->second;
    reasons[r] = {{"updated", c.first}, {"unchanged", c.second}};
  }
  json devices = json::object();
  for (const std::string& d : described().device_names()) {
    const auto found = by_device.find(d);
    const auto c = found == by_device.end() ? std::pair<int64_t, int64_t>{0, 0} : found->second;
    devices[d] = {{"updated", c.first}, {"unchanged", c.second}};
  }
  for (const auto& [name, c] : by_reason)
    if (!reasons.contains(name)) ADD_FAILURE() << "expected counts for an unknown reason " << name;
  for (const auto& [name, c] : by_device)
    if (!devices.contains(name)) ADD_FAILURE() << "expected counts for an unknown device " << name;
  return {{"dry_run", dry_run},
          {"mode", mode},
          {"persons", persons},
          {"households", households},
          {"updated", updated},
          {"unchanged", unchanged},
          {"by_reason", reasons},
          {"by_device", devices},
          {"skipped", {{"no_device", no_device}, {"not_staff", not_staff}, {"protected", protected_cells}}}};
}

void expect_result(const Outcome& outcome, const Expected& expected) {
  ASSERT_EQ(outcome.status, SIS_OK) << outcome.result.dump();
  json actual = outcome.result;
  ASSERT_TRUE(actual.is_object() && actual.contains("batch_id")) << actual.dump();
  if (expected.dry_run) EXPECT_TRUE(actual["batch_id"].is_null()) << actual.dump();
  else EXPECT_TRUE(actual["batch_id"].is_number_integer() && actual["batch_id"].get<int64_t>() > 0) << actual.dump();
  actual.erase("batch_id");
  // Section 9.2: every result has a summary sentence and a list of warnings; their
  // content has tests of its own (plan_test.cpp).
  EXPECT_TRUE(actual.contains("summary") && actual["summary"].is_string() && !actual["summary"].get<std::string>().empty())
      << actual.dump();
  EXPECT_TRUE(actual.contains("warnings") && actual["warnings"].is_array()) << actual.dump();
  actual.erase("summary");
  actual.erase("warnings");
  EXPECT_EQ(actual, expected.to_json()) << "actual:   " << actual.dump() << "\nexpected: " << expected.to_json().dump();
  // The totals are the sums of either breakdown.
  int64_t reason_updated = 0, reason_unchanged = 0, device_updated = 0, device_unchanged = 0;
  for (const auto& [name, c] : expected.by_reason) reason_updated += c.first, reason_unchanged += c.second;
  for (const auto& [name, c] : expected.by_device) device_updated += c.first, device_unchanged += c.second;
  EXPECT_EQ(reason_updated, expected.updated) << "hand-computed by_reason does not add up";
  EXPECT_EQ(reason_unchanged, expected.unchanged) << "hand-computed by_reason does not add up";
  EXPECT_EQ(device_updated, expected.updated) << "hand-computed by_device does not add up";
  EXPECT_EQ(device_unchanged, expected.unchanged) << "hand-computed by_device does not add up";
  // sis_counts carries the same numbers as the JSON.
  EXPECT_EQ(outcome.counts.updated, outcome.result.value("updated", int64_t{-1}));
  EXPECT_EQ(outcome.counts.unchanged, outcome.result.value("unchanged", int64_t{-1}));
  EXPECT_EQ(outcome.counts.persons, outcome.result.value("persons", int64_t{-1}));
  EXPECT_EQ(outcome.counts.households, outcome.result.value("households", int64_t{-1}));
}

void expect_error(const Outcome& outcome, sis_status status, const std::string& code, const std::optional<std::string>& path) {
  EXPECT_EQ(outcome.status, status) << outcome.result.dump();
  ASSERT_TRUE(outcome.result.is_object() && outcome.result.contains("error") && outcome.result["error"].is_object())
      << outcome.result.dump();
  const json& error = outcome.result["error"];
  EXPECT_EQ(error.value("code", ""), code) << outcome.result.dump();
  EXPECT_TRUE(error.contains("message") && error["message"].is_string() && !error["message"].get<std::string>().empty())
      << outcome.result.dump();
  if (path) {
    EXPECT_EQ(error.value("path", std::string("(no path)")), *path) << outcome.result.dump();
  }
}

State read_state(cpb::odbc::Connection& db) {
  State s;
  for (Row& row : query(db, std::string("SELECT ") + kContactColumns + " FROM contact")) s.rows["contact " + *row[0]] = std::move(row);
  for (Row& row : query(db, std::string("SELECT ") + kHouseholdColumns + " FROM household"))
    s.rows["household " + *row[0]] = std::move(row);
  for (const char* t : kOtherHostTables) s.other_tables += dump_table(db, t);
  return s;
}

std::string masks(const State& state, const std::string& key) {
  const auto found = state.rows.find(key);
  if (found == state.rows.end()) return "(no row " + key + ")";
  const Row& row = found->second;
  auto one = [](const std::optional<std::string>& v) { return v ? *v : std::string("-"); };
  if (!is_contact(key)) return one(row[kHouseholdMask]);
  std::string out;
  for (size_t i = 0; i < kContactMasks; ++i) out += (i ? " " : "") + one(row[kContactFirstMask + i]);
  return out;
}

void expect_state(const State& before, const State& after, const Written& written, int64_t user) {
  EXPECT_EQ(after.other_tables, before.other_tables) << "a host table other than contact and household changed";
  std::set<std::string> keys;
  for (const auto& [key, row] : before.rows) keys.insert(key);
  for (const auto& [key, row] : after.rows) keys.insert(key);
  for (const auto& [key, mask] : written)
    if (!keys.count(key)) ADD_FAILURE() << "expected a write to " << key << ", which does not exist";
  for (const std::string& key : keys) {
    const auto b = before.rows.find(key);
    const auto a = after.rows.find(key);
    if (b == before.rows.end() || a == after.rows.end()) {
      ADD_FAILURE() << key << (b == before.rows.end() ? " appeared" : " disappeared");
      continue;
    }
    const Row& old_row = b->second;
    const Row& new_row = a->second;
    const auto w = written.find(key);
    if (w == written.end()) {
      EXPECT_EQ(new_row, old_row) << key << " was written but should not have been: masks " << masks(before, key) << " -> "
                                  << masks(after, key) << ", modified_by_id " << text(old_row[old_row.size() - 2]) << " -> "
                                  << text(new_row[new_row.size() - 2]);
      continue;
    }
    EXPECT_EQ(masks(after, key), w->second) << key << " (before: " << masks(before, key) << ")";
    const bool contact = is_contact(key);
    const size_t by = contact ? kContactModifiedBy : kHouseholdModifiedBy;
    const size_t date = contact ? kContactModifiedDate : kHouseholdModifiedDate;
    EXPECT_EQ(new_row[by], std::optional<std::string>(std::to_string(user))) << key << " modified_by_id";
    // Set to now: a fixture date is always renewed; a date of an earlier run
    // may be the same second.
    EXPECT_TRUE(new_row[date].has_value()) << key << " modified_date not set";
    if (new_row[date]) {
      EXPECT_GE(new_row[date]->size(), 19u) << key << " modified_date " << *new_row[date] << " lacks the time";
      if (!old_row[date] || *old_row[date] < kFixtureDatesBefore) {
        EXPECT_GT(*new_row[date], kFixtureDatesBefore) << key << " modified_date not renewed";
      } else {
        EXPECT_GE(*new_row[date], *old_row[date]) << key << " modified_date went back";
      }
    }
    // Everything but the masks and the stamp stays: ids, numbers, addresses, text masks.
    for (size_t i = 0; i < old_row.size(); ++i) {
      const bool mask = contact ? (i >= kContactFirstMask && i < kContactFirstMask + kContactMasks) : i == kHouseholdMask;
      if (mask || i == by || i == date) continue;
      EXPECT_EQ(new_row[i], old_row[i]) << key << " column " << i << " changed";
    }
  }
}

}  // namespace cpbtest::spec
