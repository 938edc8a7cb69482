#include "audit_support.hpp"

#include <bitset>
#include <ctime>

namespace cpbtest::audit {

namespace {

// Two students (1, 2) of calendar 1 and their Messenger contacts 11-14, with
// masks chosen so that each overwrite policy leaves a different footprint:
//   11 never modified: cell NULL, e-mail 0
//   12 modified by the portal user 4: cell 4, e-mail 6 but no address on record
//   13 modified by portal account 6 (no tool right): cell NULL
//   14 modified by staff user 5: cell 2, work 0
//   household 1 (students 1, 11, 12) modified by portal user 4: phone NULL
//   household 2 (student 2, 13) modified by staff user 5: phone 0
//   household 3 (14) never modified: phone 8
const char* const kFixture = R"(
INSERT INTO school (school_id, name) VALUES (1, 'Lakeside');
INSERT INTO calendar (calendar_id, school_id, name, end_year, start_date, end_date)
  VALUES (1, 1, 'Lakeside 2026-27', 2027, '2026-08-15', '2027-06-10');
INSERT INTO person (person_id, first_name, last_name, student_number, staff_number) VALUES
  (1, 'Ann', 'Pupil', 'S1', NULL), (2, 'Ben', 'Pupil', 'S2', NULL),
  (11, 'Cara', 'Never', NULL, NULL), (12, 'Dan', 'Portal', NULL, NULL), (13, 'Eve', 'Parent', NULL, NULL),
  (14, 'Finn', 'Staffed', NULL, NULL), (20, 'Ada', 'Admin', NULL, 'T1'), (21, 'Vic', 'Viewer', NULL, 'T2'),
  (22, 'Fay', 'Former', NULL, 'T3'), (25, 'Sam', 'Secretary', NULL, 'T5');
INSERT INTO user_account (user_id, person_id, username, is_portal, disabled) VALUES
  (1, 20, 'admin', 0, 0), (2, 21, 'viewer', 0, 0), (3, 22, 'former', 0, 1), (4, 12, 'portaluser', 1, 0),
  (5, 25, 'secretary', 0, 0), (6, 13, 'eveportal', 1, 0);
INSERT INTO user_tool_right (user_id, tool, can_write) VALUES
  (1, 'contact_preferences_batch', 1), (2, 'contact_preferences_batch', 0), (3, 'contact_preferences_batch', 1),
  (4, 'contact_preferences_batch', 1), (5, 'contact_preferences_batch', 1);
INSERT INTO contact (person_id, cell_phone, work_phone, other_phone, email, secondary_email,
                     cell_phone_messenger, work_phone_messenger, other_phone_messenger, email_messenger, secondary_email_messenger,
                     cell_phone_text_messenger, work_phone_text_messenger, other_phone_text_messenger, modified_by_id, modified_date) VALUES
  (1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 3, 3, 3, NULL, NULL),
  (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 3, 3, 3, NULL, NULL),
  (11, '555-0111', NULL, NULL, 'cara@example.org', NULL, NULL, NULL, NULL, 0, NULL, 3, 3, 3, NULL, NULL),
  (12, '555-0112', NULL, NULL, NULL, NULL, 4, NULL, NULL, 6, NULL, 3, 3, 3, 4, '2026-09-01 10:00:00'),
  (13, '555-0113', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 3, 3, 3, 6, '2026-09-02 11:00:00'),
  (14, '555-0114', '555-0214', NULL, NULL, NULL, 2, 0, NULL, NULL, NULL, 3, 3, 3, 5, '2026-09-03 12:00:00');
INSERT INTO household (household_id, name, phone, phone_messenger, phone_text_messenger, modified_by_id, modified_date) VALUES
  (1, 'Pupil A household', '555-1001', NULL, 3, 4, '2026-09-04 09:00:00'),
  (2, 'Pupil B household', '555-1002', 0, 3, 5, '2026-09-05 09:00:00'),
  (3, 'Staffed flat', '555-1003', 8, 3, NULL, NULL);
INSERT INTO household_member (household_id, person_id, start_date, end_date, secondary) VALUES
  (1, 1, '2020-01-01', NULL, 0), (1, 11, '2020-01-01', NULL, 0), (1, 12, '2020-01-01', NULL, 0),
  (2, 2, '2020-01-01', NULL, 0), (2, 13, '2020-01-01', NULL, 0), (3, 14, '2020-01-01', NULL, 0);
INSERT INTO related_pair (pair_id, person_id1, person_id2, relationship, guardian, messenger, start_date, end_date) VALUES
  (1, 1, 11, 'Parent', 1, 1, NULL, NULL), (2, 1, 12, 'Parent', 1, 1, NULL, NULL),
  (3, 2, 13, 'Parent', 1, 1, NULL, NULL), (4, 2, 14, 'Parent', 1, 1, NULL, NULL);
INSERT INTO enrollment (enrollment_id, person_id, calendar_id, service_type, start_date, end_date, no_show) VALUES
  (1, 1, 1, 'P', '2026-08-15', NULL, 0), (2, 2, 1, 'P', '2026-08-15', NULL, 0);
)";

const char* const kContactColumns =
    "cell_phone_messenger, work_phone_messenger, other_phone_messenger, email_messenger, secondary_email_messenger, "
    "modified_by_id, modified_date";
const size_t kContactMasks = 5;

// Moves the rows of a query whose first column is the id into `out`.
void add_rows(cpb::odbc::Connection& db, const std::string& table, const std::string& sql, Snapshot& out) {
  for (Row row : query(db, sql)) {
    const std::string key = table + " " + row.front().value_or("NULL");
    row.erase(row.begin());
    out[key] = std::move(row);
  }
}

int mask(const std::optional<std::string>& v) { return v ? std::stoi(*v) : 0; }

}  // namespace

void load_fixture(const TestDatabase& db) {
  db.init_schema();
  db.execute(kFixture);
}

Snapshot snapshot(cpb::odbc::Connection& db) {
  Snapshot out;
  add_rows(db, "contact", std::string("SELECT person_id, ") + kContactColumns + " FROM contact", out);
  add_rows(db, "household", "SELECT household_id, phone_messenger, modified_by_id, modified_date FROM household", out);
  return out;
}

std::map<std::string, RecordedChange> recorded_changes(cpb::odbc::Connection& db, int64_t batch_id) {
  std::map<std::string, RecordedChange> out;
  const std::string id = std::to_string(batch_id);
  const auto split = [&](const std::string& table, const std::string& sql, size_t width) {
    for (const Row& row : query(db, sql)) {
      const std::string key = table + " " + row.front().value_or("NULL");
      EXPECT_EQ(out.count(key), 0u) << "two change rows for " << key << " in batch " << id;
      out[key] = {Row(row.begin() + 1, row.begin() + 1 + width), Row(row.begin() + 1 + width, row.end())};
    }
  };
  split("contact",
        "SELECT person_id, old_cell_phone_messenger, old_work_phone_messenger, old_other_phone_messenger, old_email_messenger, "
        "old_secondary_email_messenger, old_modified_by_id, old_modified_date, new_cell_phone_messenger, new_work_phone_messenger, "
        "new_other_phone_messenger, new_email_messenger, new_secondary_email_messenger, new_modified_by_id, new_modified_date "
        "FROM cpb_contact_change WHERE batch_id = " + id,
        kContactMasks + 2);
  split("household",
        "SELECT household_id, old_phone_messenger, old_modified_by_id, old_modified_date, new_phone_messenger, new_modified_by_id, "
        "new_modified_date FROM cpb_household_change WHERE batch_id = " + id,
        3);
  return out;
}

std::vector<std::string> changed_rows(const Snapshot& before, const Snapshot& after) {
  std::vector<std::string> out;
  for (const auto& [key, row] : after) {
    const auto old = before.find(key);
    if (old == before.end() || old->second != row) out.push_back(key);
  }
  return out;
}

int64_t changed_bits(const std::string& key, const Row& before, const Row& after) {
  const size_t masks = key.rfind("contact", 0) == 0 ? kContactMasks : 1;
  int64_t n = 0;
  for (size_t i = 0; i < masks; ++i) n += std::bitset<8>(mask(before.at(i)) ^ mask(after.at(i))).count();
  return n;
}

std::string local_now() {
  const std::time_t t = std::time(nullptr);
  std::tm local{};
  localtime_r(&t, &local);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S", &local);
  return text;
}

int64_t count_rows(cpb::odbc::Connection& db, const std::string& table) {
  return scalar(db, "SELECT COUNT(*) FROM " + table).value_or(-1);
}

}  // namespace cpbtest::audit
