// CONTRACT.md section 4, "Who is updated", rule by rule on the fixture
// district (fixture.sql). Every expected number is derived by hand in the
// comment beside it.
#include <ctime>

#include "spec_support.hpp"

namespace cpbtest::spec {
namespace {

class WhoIsUpdated : public FixtureTest {};

const std::string kStudentsEmergencyCell =
    R"({"mode": "students", "preferences": {"emergency": {"cell_phone": "on"}}})";
const std::string kContactsEmergencyCell =
    R"({"mode": "student_messenger_contacts", "preferences": {"emergency": {"cell_phone": "on"}}})";

std::string dry(const std::string& options) { return options.substr(0, options.size() - 1) + R"(, "dry_run": true})"; }

// Students mode, Emergency On for the cell phone only, counted without writing.
Expected students_cell(int64_t persons, int64_t updated, int64_t unchanged, int64_t no_device) {
  Expected e;
  e.mode = "students";
  e.persons = persons;
  e.updated = updated;
  e.unchanged = unchanged;
  e.by_reason = {{"emergency", {updated, unchanged}}};
  e.by_device = {{"cell_phone", {updated, unchanged}}};
  e.no_device = no_device;
  e.dry_run = true;
  return e;
}

Expected contacts_cell(int64_t persons, int64_t updated, int64_t unchanged, int64_t no_device) {
  Expected e = students_cell(persons, updated, unchanged, no_device);
  e.mode = "student_messenger_contacts";
  return e;
}

// ---- 4.1 Calendars ----

TEST_P(WhoIsUpdated, CalendarIdSelectsThatCalendarOnly) {
  // Calendar 10: 101 (cell NULL), 104 and 108 (no cell); 106 (calendar 20)
  // and 107 (calendar 11) stay out.
  expect_result(run(dry(kStudentsEmergencyCell), at(0, 10)), students_cell(3, 1, 0, 2));
  expect_result(run(dry(kStudentsEmergencyCell), at(1, 10)), students_cell(3, 1, 0, 2));
  // Calendar 11: 101 and 107 (blank cell).
  expect_result(run(dry(kStudentsEmergencyCell), at(1, 11)), students_cell(2, 1, 0, 1));
  // Messenger contacts of calendar 10's students: 201 (cell 1), 101, 211 (no cell).
  expect_result(run(dry(kContactsEmergencyCell), at(0, 10)), contacts_cell(3, 1, 1, 1));

  const State before = read_state(db());
  Expected e = students_cell(3, 1, 0, 2);
  e.dry_run = false;
  expect_result(run(kStudentsEmergencyCell, at(0, 10)), e);
  expect_state(before, read_state(db()), {{"contact 101", "1 - - 0 -"}});
}

TEST_P(WhoIsUpdated, SchoolWithoutCalendarSelectsEveryCalendarOfTheSchoolInTheYear) {
  // School 1 in 2027: calendars 10 and 11 -> 101 (in both, once), 104, 107, 108.
  // Calendar 19 (2026) is not taken: 105 stays out.
  expect_result(run(dry(kStudentsEmergencyCell), at(1, 0)), students_cell(4, 1, 0, 3));
  // Their Messenger contacts: 101, 201 (cell 1), 207 (cell 8), 211 (no cell).
  expect_result(run(dry(kContactsEmergencyCell), at(1, 0)), contacts_cell(4, 2, 1, 1));
  // School 3 has no calendar in 2027: nobody, and that is no error.
  expect_result(run(dry(kStudentsEmergencyCell), at(3, 0)), students_cell(0, 0, 0, 0));
  expect_result(run(dry(kContactsEmergencyCell), at(3, 0)), contacts_cell(0, 0, 0, 0));

  // School 2: 106 (cell 2) only; its contacts 206 (cell NULL) and 213 (no contact row).
  expect_result(run(dry(kContactsEmergencyCell), at(2, 0)), contacts_cell(2, 1, 0, 1));
  const State before = read_state(db());
  Expected e = students_cell(1, 1, 0, 0);
  e.dry_run = false;
  expect_result(run(kStudentsEmergencyCell, at(2, 0)), e);
  expect_state(before, read_state(db()), {{"contact 106", "3 - - - -"}});
}

TEST_P(WhoIsUpdated, NoSchoolNorCalendarSelectsEveryCalendarOfTheYear) {
  // 2027: 101, 104, 106, 107, 108; cells: 101 NULL and 106 2 change, three have none.
  expect_result(run(dry(kStudentsEmergencyCell)), students_cell(5, 2, 0, 3));
  // Contacts: 101 (NULL), 201 (1), 206 (NULL), 207 (8), 211 and 213 (no cell).
  expect_result(run(dry(kContactsEmergencyCell)), contacts_cell(6, 3, 1, 2));
  // The year decides: 2026 has 105 (calendar 19), 2028 has 109 (calendar 30).
  Context y2026;
  y2026.end_year = 2026;
  expect_result(run(dry(kStudentsEmergencyCell), y2026), students_cell(1, 1, 0, 0));
  Context y2028;
  y2028.end_year = 2028;
  expect_result(run(dry(kStudentsEmergencyCell), y2028), students_cell(1, 1, 0, 0));
}

TEST_P(WhoIsUpdated, CalendarOfAnotherSchoolIsInvalidContext) {
  expect_error(run_refused(kContactsEmergencyOn, at(1, 20)), SIS_E_INVALID_OPTIONS, "invalid_context", "/calendar_id");
  expect_error(run_refused(kContactsEmergencyOn, at(2, 10)), SIS_E_INVALID_OPTIONS, "invalid_context", "/calendar_id");
}

TEST_P(WhoIsUpdated, CalendarOfAnotherYearIsInvalidContext) {
  expect_error(run_refused(kContactsEmergencyOn, at(0, 19)), SIS_E_INVALID_OPTIONS, "invalid_context", "/calendar_id");
  expect_error(run_refused(kContactsEmergencyOn, at(1, 19)), SIS_E_INVALID_OPTIONS, "invalid_context", "/calendar_id");
  expect_error(run_refused(kContactsEmergencyOn, at(3, 30)), SIS_E_INVALID_OPTIONS, "invalid_context", "/calendar_id");
  Context y2026 = at(1, 10);
  y2026.end_year = 2026;
  expect_error(run_refused(kContactsEmergencyOn, y2026), SIS_E_INVALID_OPTIONS, "invalid_context", "/calendar_id");
}

TEST_P(WhoIsUpdated, NonexistentSchoolOrCalendarIsInvalidContext) {
  expect_error(run_refused(kContactsEmergencyOn, at(99, 0)), SIS_E_INVALID_OPTIONS, "invalid_context", "/school_id");
  expect_error(run_refused(kContactsEmergencyOn, at(99, 10)), SIS_E_INVALID_OPTIONS, "invalid_context", "/school_id");
  expect_error(run_refused(kContactsEmergencyOn, at(0, 999)), SIS_E_INVALID_OPTIONS, "invalid_context", "/calendar_id");
  expect_error(run_refused(kContactsEmergencyOn, at(-1, 0)), SIS_E_INVALID_OPTIONS, "invalid_context", "/school_id");
  Context no_year;
  no_year.end_year = 0;
  expect_error(run_refused(kContactsEmergencyOn, no_year), SIS_E_INVALID_OPTIONS, "invalid_context", "/end_year");
}

TEST_P(WhoIsUpdated, MalformedEffectiveDateIsInvalidContext) {
  for (const char* date : {"2026-02-30", "2026-1-5", "yesterday", "2027-02-29", "2026-13-01", "2026-00-10", "", "2026-10-01 ",
                           "2026/10/01", "2026-10-01' OR '1'='1", "2026-10-01'; DELETE FROM contact; --"}) {
    Context c;
    c.effective_date = date;
    expect_error(run_refused(kContactsEmergencyOn, c), SIS_E_INVALID_OPTIONS, "invalid_context", "/effective_date");
  }
  // A real leap day is a date.
  Context leap;
  leap.effective_date = "2028-02-29";
  EXPECT_EQ(run(dry(kContactsEmergencyOn), leap).status, SIS_OK);
}

std::string local_date(int days_from_today) {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  localtime_r(&t, &tm);
  tm.tm_hour = 12;  // noon: a day's shift never crosses two dates
  tm.tm_mday += days_from_today;
  std::mktime(&tm);
  char buffer[16];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%d", &tm);
  return buffer;
}

TEST_P(WhoIsUpdated, MissingEffectiveDateMeansToday) {
  const std::string today = local_date(0);
  // 106 gains a Messenger contact from today (220) and one from tomorrow (221).
  execute("INSERT INTO person (person_id, first_name, last_name) VALUES (220, 'Tia', 'Today'), (221, 'Tom', 'Tomorrow');"
          "INSERT INTO contact (person_id, cell_phone, cell_phone_messenger) VALUES (220, '555-0220', 0), (221, '555-0221', 0);"
          "INSERT INTO related_pair (pair_id, person_id1, person_id2, relationship, guardian, messenger, start_date, end_date) VALUES "
          "(50, 106, 220, 'Aunt', 0, 1, '" + today + "', NULL), (51, 106, 221, 'Uncle', 0, 1, '" + local_date(1) + "', NULL)");
  Context no_date;
  no_date.effective_date.reset();
  Context explicit_today;
  explicit_today.effective_date = today;
  const Outcome with_today = run(dry(kContactsEmergencyCell), explicit_today);
  const Outcome without_date = run(dry(kContactsEmergencyCell), no_date);
  if (local_date(0) != today) GTEST_SKIP() << "the date changed during the test";
  ASSERT_EQ(with_today.status, SIS_OK) << with_today.result.dump();
  EXPECT_EQ(without_date.result, with_today.result);

  const Outcome real = run(kContactsEmergencyCell, no_date);
  if (local_date(0) != today) GTEST_SKIP() << "the date changed during the test";
  ASSERT_EQ(real.status, SIS_OK) << real.result.dump();
  const State after = read_state(db());
  EXPECT_EQ(masks(after, "contact 220"), "1 - - - -") << "a relation starting today is active on today";
  EXPECT_EQ(masks(after, "contact 221"), "0 - - - -") << "a relation starting tomorrow is not";
  EXPECT_EQ(masks(after, "contact 101"), "1 - - 0 -");
}

// ---- 4.2 Enrolled students ----

TEST_P(WhoIsUpdated, EnrolledStudentsAreNotNoShowAndNotEndedBeforeTheDate) {
  // Targets 101, 104 (starts after D), 106, 107, 108 (ends on D); not 102
  // (ended), 103 (no-show), 105 (2026), 109 (2028).
  // cell on: 101 NULL -> 1, 106 2 -> 3; 104, 107 (blank), 108 none.
  // email off: 101 0 stays; 104 255 -> 254; 106, 107 (''), 108 none.
  // other on: 108 NULL -> 1; the four others have none.
  const State before = read_state(db());
  Expected e;
  e.mode = "students";
  e.persons = 5;
  e.updated = 4;
  e.unchanged = 1;
  e.by_reason = {{"emergency", {4, 1}}};
  e.by_device = {{"cell_phone", {2, 0}}, {"email", {1, 1}}, {"other_phone", {1, 0}}};
  e.no_device = 3 + 3 + 4;
  expect_result(run(R"({"mode": "students",
                        "preferences": {"emergency": {"cell_phone": "on", "email": "off", "other_phone": "on"}},
                        "confirm": ["emergency_off"]})"),
                e);
  expect_state(before, read_state(db()),
               {{"contact 101", "1 - - 0 -"}, {"contact 104", "- - - 254 -"}, {"contact 106", "3 - - - -"}, {"contact 108", "- - 1 - -"}});
}

TEST_P(WhoIsUpdated, AdHocStudentFilterIntersectsTheEnrolledStudents) {
  // Filter 1 holds 101, 104, 106. With calendar 10: 101, 104 (no cell).
  expect_result(run(dry(R"({"mode": "students", "ad_hoc_filter_id": 1, "preferences": {"emergency": {"cell_phone": "on"}}})"),
                    at(0, 10)),
                students_cell(2, 1, 0, 1));
  // The whole year: 101, 104, 106 (cell 2); 107 and 108 are enrolled but not in the filter.
  expect_result(run(dry(R"({"mode": "students", "ad_hoc_filter_id": 1, "preferences": {"emergency": {"cell_phone": "on"}}})")),
                students_cell(3, 2, 0, 1));
  // Contacts of 101, 104, 106: 101, 201 (cell 1), 206 (NULL), 213 (no row).
  expect_result(run(dry(R"({"mode": "student_messenger_contacts", "ad_hoc_filter_id": 1,
                            "preferences": {"emergency": {"cell_phone": "on"}}})")),
                contacts_cell(4, 2, 1, 1));
  // Filter 4 holds 107, 108 and 102 (enrollment ended): 107 and 108, neither with a cell.
  expect_result(run(dry(R"({"mode": "students", "ad_hoc_filter_id": 4, "preferences": {"emergency": {"cell_phone": "on"}}})")),
                students_cell(2, 0, 0, 2));

  const State before = read_state(db());
  Expected e = students_cell(2, 1, 0, 1);
  e.dry_run = false;
  expect_result(run(R"({"mode": "students", "ad_hoc_filter_id": 1, "preferences": {"emergency": {"cell_phone": "on"}}})", at(0, 10)),
                e);
  expect_state(before, read_state(db()), {{"contact 101", "1 - - 0 -"}});
}

// ---- 4.3 Targets by mode ----

TEST_P(WhoIsUpdated, MessengerContactsAreActiveMessengerRelationsOfEnrolledStudents) {
  // 101 as their own contact, 201 once for two students, 206, 207, 211 (pair
  // ends on D), 213; never 202 (not Messenger), 203 (ended), 204 (not yet
  // started), 208/209/210/212 (their student is not enrolled on D in 2027).
  const State before = read_state(db());
  expect_result(run(kContactsEmergencyOn), contacts_emergency_on());
  const State after = read_state(db());
  expect_state(before, after, contacts_emergency_on_writes());
  for (const char* untouched : {"contact 202", "contact 203", "contact 204", "contact 208", "contact 209", "contact 210", "contact 212"})
    EXPECT_EQ(masks(after, untouched), "0 - - - -") << untouched;
}

TEST_P(WhoIsUpdated, CensusStaffTargetsTheFilterMembersWhateverTheSchoolAndCalendar) {
  // Filter 2: 301 (active assignment, cell 0), 302 (ended, NULL), 303 (future, 0), 105 (not enrolled in 2027, NULL).
  const std::string options = R"({"mode": "census_staff", "ad_hoc_filter_id": 2,
                                  "preferences": {"emergency": {"cell_phone": "on"}, "staff": {"cell_phone": "on"}}})";
  const Outcome everywhere = run(dry(options));
  ASSERT_EQ(everywhere.status, SIS_OK) << everywhere.result.dump();
  EXPECT_EQ(run(dry(options), at(2, 20)).result, everywhere.result);
  EXPECT_EQ(run(dry(options), at(3, 0)).result, everywhere.result);

  const State before = read_state(db());
  Expected e;
  e.mode = "census_staff";
  e.persons = 4;
  e.updated = 5;  // four Emergency bits, one Staff bit (301)
  e.by_reason = {{"emergency", {4, 0}}, {"staff", {1, 0}}};
  e.by_device = {{"cell_phone", {5, 0}}};
  e.not_staff = 3;
  expect_result(run(options, at(1, 10)), e);
  expect_state(before, read_state(db()),
               {{"contact 301", "65 - - 64 -"}, {"contact 302", "1 - - - -"}, {"contact 303", "1 - - - -"}, {"contact 105", "1 - - - -"}});
}

TEST_P(WhoIsUpdated, CensusStaffModeRequiresACensusFilter) {
  expect_error(run_refused(R"({"mode": "census_staff", "preferences": {"emergency": "on"}})"), SIS_E_INVALID_OPTIONS,
               "invalid_options", "/ad_hoc_filter_id");
  expect_error(run_refused(R"({"mode": "census_staff", "ad_hoc_filter_id": null, "preferences": {"emergency": "on"}})"),
               SIS_E_INVALID_OPTIONS, "invalid_options", "/ad_hoc_filter_id");
  expect_error(run_refused(R"({"mode": "census_staff", "ad_hoc_filter_id": 1, "preferences": {"emergency": "on"}})"),
               SIS_E_INVALID_OPTIONS, "invalid_options", "/ad_hoc_filter_id");
}

TEST_P(WhoIsUpdated, StudentModesRequireAStudentFilter) {
  expect_error(run_refused(R"({"mode": "students", "ad_hoc_filter_id": 2, "preferences": {"emergency": "on"}})"),
               SIS_E_INVALID_OPTIONS, "invalid_options", "/ad_hoc_filter_id");
  expect_error(run_refused(R"({"mode": "student_messenger_contacts", "ad_hoc_filter_id": 5, "preferences": {"emergency": "on"}})"),
               SIS_E_INVALID_OPTIONS, "invalid_options", "/ad_hoc_filter_id");
}

TEST_P(WhoIsUpdated, FilterOfAnotherUserMustBeShared) {
  // Filter 3: owner 5, private.
  const std::string private_of_5 = R"({"mode": "students", "ad_hoc_filter_id": 3, "preferences": {"emergency": {"cell_phone": "on"}}})";
  expect_error(run_refused(private_of_5), SIS_E_FORBIDDEN, "forbidden", "/ad_hoc_filter_id");
  Context user5;
  user5.user_id = 5;
  expect_result(run(dry(private_of_5), user5), students_cell(1, 1, 0, 0));  // its owner may: 101
  // Filter 5: census, owner 1, private; user 5 may not.
  expect_error(run_refused(R"({"mode": "census_staff", "ad_hoc_filter_id": 5, "preferences": {"emergency": "on"}})", user5),
               SIS_E_FORBIDDEN, "forbidden", "/ad_hoc_filter_id");
  // Filter 4 (owner 5, shared) and filter 2 (census, owner 5, shared) serve user 1.
  expect_result(run(dry(R"({"mode": "students", "ad_hoc_filter_id": 4, "preferences": {"emergency": {"cell_phone": "on"}}})")),
                students_cell(2, 0, 0, 2));
  const Outcome shared_census =
      run(dry(R"({"mode": "census_staff", "ad_hoc_filter_id": 2, "preferences": {"emergency": {"cell_phone": "on"}}})"));
  ASSERT_EQ(shared_census.status, SIS_OK) << shared_census.result.dump();
  EXPECT_EQ(shared_census.result["persons"], 4);
}

TEST_P(WhoIsUpdated, NonexistentFilterIsNotFound) {
  expect_error(run_refused(R"({"mode": "students", "ad_hoc_filter_id": 999, "preferences": {"emergency": "on"}})"),
               SIS_E_NOT_FOUND, "not_found", "/ad_hoc_filter_id");
  expect_error(run_refused(R"({"mode": "census_staff", "ad_hoc_filter_id": 999, "preferences": {"emergency": "on"}})"),
               SIS_E_NOT_FOUND, "not_found", "/ad_hoc_filter_id");
}

// ---- 4.4 Devices on record ----

TEST_P(WhoIsUpdated, DeviceNotOnRecordIsNeverWrittenOnOrOff) {
  // Off: calendar 11 -> 101 and 107. 107's cell is '   ' (mask 0) and its
  // e-mail '' (mask 1): the Off is not applied. 101: cell NULL on record ->
  // 0 (9.4: an Off over a NULL mask is written and updated), email 0 stays;
  // household 401 (1) -> 0; 403 (phone '   ') is not on record.
  // updated 2 (101 cell, 401), unchanged 1 (101 email).
  State before = read_state(db());
  Expected off;
  off.mode = "students";
  off.persons = 2;
  off.households = 1;
  off.updated = 2;
  off.unchanged = 1;
  off.by_reason = {{"emergency", {2, 1}}};
  off.by_device = {{"cell_phone", {1, 0}}, {"email", {0, 1}}, {"household_phone", {1, 0}}};
  off.no_device = 3 + 5 + 1;
  expect_result(run(R"({"mode": "students", "preferences": {"emergency": "off"}, "confirm": ["emergency_off"]})", at(1, 11)), off);
  expect_state(before, read_state(db()), {{"contact 101", "0 - - 0 -"}, {"household 401", "0"}});

  // On: contacts of school 2 (206: email '   ' NULL; 213: no contact row)
  // and their household 402 (phone NULL). Only 206's cell is on record.
  before = read_state(db());
  Expected on;
  on.mode = "student_messenger_contacts";
  on.persons = 2;
  on.updated = 1;
  on.by_reason = {{"general", {1, 0}}};
  on.by_device = {{"cell_phone", {1, 0}}};
  on.no_device = 4 + 5 + 1;
  expect_result(run(R"({"mode": "student_messenger_contacts", "preferences": {"general": "on"}})", at(2, 0)), on);
  expect_state(before, read_state(db()), {{"contact 206", "8 - - - -"}});
}

// ---- 4.5 Household phone ----

TEST_P(WhoIsUpdated, HouseholdPhoneIsCountedOnceAndReachesEveryMember) {
  // Students 101 and 104 share household 401 (1): one cell. 106's household
  // 402 has no phone and 407 starts after D; 107's 403 is blank; 108 left
  // 405 before D. cell: 101 NULL -> 2, 106 2 stays. email: 101 0 -> 2, 104 255 stays.
  const State before = read_state(db());
  Expected e;
  e.mode = "students";
  e.persons = 5;
  e.households = 1;
  e.updated = 3;
  e.unchanged = 2;
  e.by_reason = {{"attendance", {3, 2}}};
  e.by_device = {{"cell_phone", {1, 1}}, {"email", {1, 1}}, {"household_phone", {1, 0}}};
  e.no_device = 3 + 3 + 2;
  expect_result(run(R"({"mode": "students",
                        "preferences": {"attendance": {"cell_phone": "on", "email": "on", "household_phone": "on"}}})"),
                e);
  expect_state(before, read_state(db()), {{"contact 101", "2 - - 2 -"}, {"household 401", "3"}});
  // 202, never a target, hears it on his household phone all the same.
  EXPECT_EQ(scalar(db(), "SELECT h.phone_messenger FROM household h JOIN household_member m ON m.household_id = h.household_id "
                         "WHERE m.person_id = 202"),
            3);
}

TEST_P(WhoIsUpdated, HouseholdPhoneActsOnEveryActiveHouseholdOfATarget) {
  // Contacts: 101 and 201 in 401 (1 -> 17); 201 (secondary) and 211 in 404
  // (NULL -> 16); 206's 402 has no phone, 207's 403 a blank one.
  const State before = read_state(db());
  Expected e;
  e.mode = "student_messenger_contacts";
  e.persons = 6;
  e.households = 2;
  e.updated = 2;
  e.by_reason = {{"priority", {2, 0}}};
  e.by_device = {{"household_phone", {2, 0}}};
  e.no_device = 2;
  expect_result(run(R"({"mode": "student_messenger_contacts", "preferences": {"priority": {"household_phone": "on"}}})"), e);
  expect_state(before, read_state(db()), {{"household 401", "17"}, {"household 404", "16"}});
}

// ---- 4.6 Staff ----

TEST_P(WhoIsUpdated, StaffIsWrittenOnlyForTargetsWithADistrictAssignmentActiveOnTheDate) {
  // Filter 2: 301 (active) cell 0 -> 64, work NULL -> 64, email 64 stays;
  // 302 (ended), 303 (future), 105 (none): their cells are not_staff.
  // Household 406 (301's) 0 -> 64; 408 (303's) has a blank phone.
  const State before = read_state(db());
  Expected e;
  e.mode = "census_staff";
  e.persons = 4;
  e.households = 1;
  e.updated = 3;
  e.unchanged = 1;
  e.by_reason = {{"staff", {3, 1}}};
  e.by_device = {{"cell_phone", {1, 0}}, {"work_phone", {1, 0}}, {"email", {0, 1}}, {"household_phone", {1, 0}}};
  e.no_device = (20 - 6) + 1;
  e.not_staff = 3;
  expect_result(run(R"({"mode": "census_staff", "ad_hoc_filter_id": 2, "preferences": {"staff": "on"}})"), e);
  expect_state(before, read_state(db()), {{"contact 301", "64 64 - 64 -"}, {"household 406", "64"}});
}

TEST_P(WhoIsUpdated, StaffIsRefusedOutsideCensusStaffMode) {
  for (const char* options : {R"({"mode": "students", "preferences": {"staff": "on"}})",
                              R"({"mode": "students", "preferences": {"emergency": "on", "staff": "off"}})",
                              R"({"mode": "student_messenger_contacts", "preferences": {"staff": {"email": "on"}}})",
                              R"({"mode": "student_messenger_contacts", "ad_hoc_filter_id": 1, "preferences": {"staff": "off"}})"})
    expect_error(run_refused(options), SIS_E_INVALID_OPTIONS, "invalid_options", "/preferences/staff");
}

// ---- Reasons and devices: every bit ----

TEST_P(WhoIsUpdated, EveryReasonWritesItsOwnBitOnEveryDevice) {
  // Filter 5: 301 (active assignment) and 201 (none). All eight reasons On:
  //   301 cell 0 (8 new bits), work NULL (8), email 64 (7 new, staff kept);
  //   201 cell 1 (6 new, emergency kept, staff refused), work 255 (7 kept,
  //   staff refused), email NULL (7 new, staff refused); other and
  //   secondary are not on record for either (2 x 2 x 8 = 32 cells).
  //   Households: 406 (301's) 0 -> 255; 401 (1) and 404 (NULL), 201's, take
  //   no staff bit: 6 + 1 kept, and 7.
  State before = read_state(db());
  Expected all_on;
  all_on.mode = "census_staff";
  all_on.persons = 2;
  all_on.households = 3;
  all_on.updated = 57;
  all_on.unchanged = 10;
  for (const char* r : {"attendance", "behavior", "general", "priority", "teacher", "food_service"}) all_on.by_reason[r] = {8, 1};
  all_on.by_reason["emergency"] = {6, 3};
  all_on.by_reason["staff"] = {3, 1};
  all_on.by_device = {{"cell_phone", {14, 1}}, {"work_phone", {8, 7}}, {"email", {14, 1}}, {"household_phone", {21, 1}}};
  all_on.no_device = 32;
  all_on.not_staff = 5;
  expect_result(run(R"({"mode": "census_staff", "ad_hoc_filter_id": 5,
                        "preferences": {"emergency": "on", "attendance": "on", "behavior": "on", "general": "on",
                                        "priority": "on", "teacher": "on", "staff": "on", "food_service": "on"}})"),
                all_on);
  expect_state(before, read_state(db()),
               {{"contact 301", "255 255 - 255 -"},
                {"contact 201", "191 255 - 191 0"},
                {"household 401", "191"},
                {"household 404", "191"},
                {"household 406", "255"}});

  // Then each reason Off on one device: every bit lands where its reason says.
  //   cell: emergency 1 + priority 16; work: attendance 2 + staff 64 (not 201);
  //   email: behavior 4 + teacher 32; household: general 8 + food_service 128.
  before = read_state(db());
  Expected each_off;
  each_off.mode = "census_staff";
  each_off.persons = 2;
  each_off.households = 3;
  each_off.updated = 17;
  each_off.by_reason = {{"emergency", {2, 0}}, {"priority", {2, 0}}, {"attendance", {2, 0}}, {"staff", {1, 0}},
                        {"behavior", {2, 0}},  {"teacher", {2, 0}},  {"general", {3, 0}},    {"food_service", {3, 0}}};
  each_off.by_device = {{"cell_phone", {4, 0}}, {"work_phone", {3, 0}}, {"email", {4, 0}}, {"household_phone", {6, 0}}};
  each_off.not_staff = 1;
  expect_result(run(R"({"mode": "census_staff", "ad_hoc_filter_id": 5,
                        "preferences": {"emergency": {"cell_phone": "off"}, "priority": {"cell_phone": "off"},
                                        "attendance": {"work_phone": "off"}, "staff": {"work_phone": "off"},
                                        "behavior": {"email": "off"}, "teacher": {"email": "off"},
                                        "general": {"household_phone": "off"}, "food_service": {"household_phone": "off"}},
                        "confirm": ["emergency_off"]})"),
                each_off);
  expect_state(before, read_state(db()),
               {{"contact 301", "238 189 - 219 -"},
                {"contact 201", "174 253 - 155 0"},
                {"household 401", "55"},
                {"household 404", "55"},
                {"household 406", "119"}});
}

// ---- 4.7 Updated, unchanged, written ----

TEST_P(WhoIsUpdated, NullMaskAskedOffIsWrittenAsZeroAndCountsUpdated) {
  // 9.4: General (8) Off for the contacts. The five NULL masks on record are
  // written as 0 and updated (101 cell, 201 email, 206 cell, 211 secondary,
  // household 404); 201 work 255 -> 247 and 207 cell 8 -> 0 change: 5 + 2 = 7.
  // Already Off and not NULL: 101 email 0, 201 cell 1, 207 other 0, 211 email 3,
  // household 401 (1): 5 unchanged.
  const State before = read_state(db());
  Expected e;
  e.mode = "student_messenger_contacts";
  e.persons = 6;
  e.households = 2;
  e.updated = 7;
  e.unchanged = 5;
  e.by_reason = {{"general", {7, 5}}};
  // cell: 101, 206, 207 updated, 201 unchanged; email: 201 updated, 101 and 211 unchanged.
  e.by_device = {{"cell_phone", {3, 1}}, {"work_phone", {1, 0}}, {"other_phone", {0, 1}},
                 {"email", {1, 2}},      {"secondary_email", {1, 0}}, {"household_phone", {1, 1}}};
  e.no_device = 22;
  expect_result(run(R"({"mode": "student_messenger_contacts", "preferences": {"general": "off"}})"), e);
  // Household 401 holds no General bit and is not NULL: not written.
  expect_state(before, read_state(db()),
               {{"contact 101", "0 - - 0 -"},
                {"contact 201", "1 247 - 0 0"},
                {"contact 206", "0 - - - -"},
                {"contact 207", "0 - 0 - -"},
                {"contact 211", "- - - 3 0"},
                {"household 404", "0"}});

  // The explicit Off sticks: an unset_only batch now finds no NULL mask among
  // the 12 cells on record and writes nothing (all 12 protected).
  const State after_off = read_state(db());
  Expected unset;
  unset.mode = "student_messenger_contacts";
  unset.persons = 6;
  unset.households = 2;
  unset.protected_cells = 12;
  unset.no_device = 22;
  expect_result(run(R"({"mode": "student_messenger_contacts", "preferences": {"general": "on"}, "overwrite": "unset_only"})"),
                unset);
  expect_state(after_off, read_state(db()), {});
}

TEST_P(WhoIsUpdated, RunThatChangesNoBitWritesNoRow) {
  expect_result(run(kContactsEmergencyOn), contacts_emergency_on());
  const State before = read_state(db());
  Expected again = contacts_emergency_on();
  again.updated = 0;
  again.unchanged = 12;
  again.by_reason = {{"emergency", {0, 12}}};
  again.by_device = {{"household_phone", {0, 2}}, {"cell_phone", {0, 4}}, {"work_phone", {0, 1}},
                     {"other_phone", {0, 1}},     {"email", {0, 3}},      {"secondary_email", {0, 1}}};
  expect_result(run(kContactsEmergencyOn), again);
  expect_state(before, read_state(db()), {});
}

// ---- 4.8 One transaction ----

struct CancelAt {
  std::string phase;
  bool seen = false;
};

int cancel_at(void* user, const char* phase, int64_t, int64_t) {
  auto* c = static_cast<CancelAt*>(user);
  if (c->phase != phase) return 0;
  c->seen = true;
  return 1;
}

TEST_P(WhoIsUpdated, CancelledRunChangesNothing) {
  const State before = read_state(db());
  for (const char* phase : {"validate", "targets", "count", "write", "commit"}) {
    CancelAt cancel{phase};
    const Outcome o = handle().run(kContactsEmergencyOn, Context{}, cancel_at, &cancel);
    EXPECT_TRUE(cancel.seen) << "no progress call for the phase " << phase;
    expect_error(o, SIS_E_CANCELLED, "cancelled");
    expect_state(before, read_state(db()), {});
  }
  // Nothing of the cancelled runs is left: the real run finds every cell as the fixture has it.
  expect_result(run(kContactsEmergencyOn), contacts_emergency_on());
  expect_state(before, read_state(db()), contacts_emergency_on_writes());
}

// ---- Who may run it ----

TEST_P(WhoIsUpdated, OnlyAnEnabledStaffUserWithTheWriteRightMayRun) {
  // 2 read-only right, 3 disabled, 4 portal, 6 right on another tool only, 99 no such user.
  for (int64_t user : {2, 3, 4, 6, 99}) {
    Context c;
    c.user_id = user;
    expect_error(run_refused(kContactsEmergencyOn, c), SIS_E_FORBIDDEN, "forbidden", "/user_id");
    expect_error(run_refused(dry(kContactsEmergencyOn), c), SIS_E_FORBIDDEN, "forbidden", "/user_id");
  }
}

TEST_P(WhoIsUpdated, WrittenRowsRecordTheRunningUser) {
  Context user5 = at(0, 10);
  user5.user_id = 5;
  const State before = read_state(db());
  Expected e = students_cell(3, 1, 0, 2);
  e.dry_run = false;
  expect_result(run(kStudentsEmergencyCell, user5), e);
  expect_state(before, read_state(db()), {{"contact 101", "1 - - 0 -"}}, 5);
}

INSTANTIATE_TEST_SUITE_P(Backends, WhoIsUpdated, testing::ValuesIn(backends()), BackendName());

}  // namespace
}  // namespace cpbtest::spec
