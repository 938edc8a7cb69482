// The specification suite's common ground: the hand-made fixture district
// (fixture.sql), the expected result JSON spelled out by hand, and the state of
// the preference rows before and after a run.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "test_support.hpp"

namespace cpbtest::spec {

// fixture.sql, as read from the source tree.
const std::string& fixture_sql();

// A database holding the fixture, a plugin handle on it, and a connection to
// read it. One per test, on the test's back end.
class FixtureTest : public testing::TestWithParam<Backend> {
 protected:
  void SetUp() override;
  void TearDown() override;
  Outcome run(const std::string& options, const Context& context = {}) { return handle_->run(options, context); }
  cpb::odbc::Connection& db() { return *reader_; }
  TestDatabase& database() { return *database_; }
  Handle& handle() { return *handle_; }
  // Runs SQL of the test's own (extra rows, a concurrent edit) and commits it.
  void execute(const std::string& sql) { database_->execute(sql); }
  // A run that must be refused: asserts that no host table changed.
  Outcome run_refused(const std::string& options, const Context& context = {});

 private:
  std::unique_ptr<TestDatabase> database_;
  std::unique_ptr<Handle> handle_;
  std::optional<cpb::odbc::Connection> reader_;
};

// The result JSON of an apply, as CONTRACT.md section 6 spells it. Reasons and
// devices left out of by_reason / by_device are expected at zero.
struct Expected {
  std::string mode;
  int64_t persons = 0;
  int64_t households = 0;
  int64_t updated = 0;
  int64_t unchanged = 0;
  std::map<std::string, std::pair<int64_t, int64_t>> by_reason;  // name -> {updated, unchanged}
  std::map<std::string, std::pair<int64_t, int64_t>> by_device;
  int64_t no_device = 0;
  int64_t not_staff = 0;
  int64_t protected_cells = 0;
  bool dry_run = false;
  json to_json() const;  // without batch_id
};

// Asserts success, the whole result JSON (batch_id a number, or null for a dry
// run), and that sis_counts holds the same numbers.
void expect_result(const Outcome& outcome, const Expected& expected);
// Asserts a refusal: status, error code and, when given, the JSON Pointer path.
void expect_error(const Outcome& outcome, sis_status status, const std::string& code,
                  const std::optional<std::string>& path = std::nullopt);

// Every contact and household row ("contact 101", "household 401") with all
// its columns, and a dump of every other host table.
struct State {
  std::map<std::string, Row> rows;
  std::string other_tables;
};
State read_state(cpb::odbc::Connection& db);

// The rows a run wrote, with their masks after it: "cell work other email
// secondary" for a contact ("-" for NULL), "phone" for a household.
using Written = std::map<std::string, std::string>;

// Asserts the exact state after a run: each written row holds the expected
// masks, its value columns and text masks as before, modified_by_id = user and
// a new modified_date; every other row and table is exactly as before.
void expect_state(const State& before, const State& after, const Written& written, int64_t user = 1);

// The masks of one row in the notation above.
std::string masks(const State& state, const std::string& key);

// The run most tests start from: Emergency On for every device, for the
// Messenger contacts of every enrolled student of 2027 on D.
inline const std::string kContactsEmergencyOn =
    R"({"mode": "student_messenger_contacts", "preferences": {"emergency": "on"}})";
Expected contacts_emergency_on();
Written contacts_emergency_on_writes();

Context at(int64_t school_id, int64_t calendar_id);

}  // namespace cpbtest::spec
