// Rows with NULL keys (a host schema without NOT NULL on related_pair.person_id2
// or household_member.household_id) name nobody: they are ignored on every
// engine, with the same counts everywhere, and nobody outside the selection is
// written (issue: on SQLite an INTEGER PRIMARY KEY once turned the NULL into a
// made-up rowid).
#include <string>

#include "reliability_support.hpp"

namespace cpbtest {
namespace {

// The same table without its constraints: CREATE TABLE ... AS SELECT keeps
// the columns and rows and makes every column nullable, on every engine.
void drop_not_null(const TestDatabase& db, const std::string& table) {
  // MariaDB's CREATE TABLE ... AS SELECT keeps NOT NULL: its key columns are made nullable instead.
  if (db.backend() == Backend::mariadb) {
    db.execute(table == "related_pair" ? "ALTER TABLE related_pair MODIFY person_id1 BIGINT NULL, MODIFY person_id2 BIGINT NULL"
                                       : "ALTER TABLE " + table + " MODIFY household_id BIGINT NULL, MODIFY person_id BIGINT NULL");
    return;
  }
  db.execute("CREATE TABLE " + table + "_nullable AS SELECT * FROM " + table + "; DROP TABLE " + table + "; ALTER TABLE " +
             table + "_nullable RENAME TO " + table);
}

const json kBatch = {{"mode", "student_messenger_contacts"},
                     {"preferences", {{"emergency", "on"}, {"attendance", {{"household_phone", "on"}}}}},
                     {"dry_run", false}};

class NullKeys : public testing::TestWithParam<Backend> {};

TEST_P(NullKeys, PairsAndMembershipsWithNullKeysAreIgnored) {
  TestDatabase plain(GetParam()), nulls(GetParam());
  plain.seed(60);
  nulls.seed(60);
  for (const TestDatabase* db : {&plain, &nulls}) {
    drop_not_null(*db, "related_pair");
    drop_not_null(*db, "household_member");
  }
  // A Messenger pair of an enrolled student with no contact, and a membership
  // of a target in no household, active on the date.
  nulls.execute(
      "INSERT INTO related_pair (pair_id, person_id1, person_id2, relationship, guardian, messenger) "
      "SELECT 990001, MIN(e.person_id), NULL, 'Guardian', 1, 1 FROM enrollment e;"
      "INSERT INTO household_member (household_id, person_id, start_date, end_date, secondary) "
      "SELECT NULL, MIN(rp.person_id2), NULL, NULL, 0 FROM related_pair rp WHERE rp.messenger = 1 AND rp.person_id2 IS NOT NULL");
  const std::string untouched_before = preference_state(nulls);
  Handle hp(plain), hn(nulls);
  const Outcome p = hp.run(kBatch);
  const Outcome n = hn.run(kBatch);
  ASSERT_EQ(p.status, SIS_OK) << p.result.dump();
  ASSERT_EQ(n.status, SIS_OK) << n.result.dump();
  for (const char* key : {"persons", "households", "updated", "unchanged", "by_reason", "by_device", "skipped"})
    EXPECT_EQ(n.result[key], p.result[key]) << key;
  EXPECT_EQ(preference_state(nulls), preference_state(plain)) << "the same rows are written, and no others";
  EXPECT_NE(preference_state(nulls), untouched_before);
}

INSTANTIATE_TEST_SUITE_P(Backends, NullKeys, testing::ValuesIn(backends()), BackendName());

}  // namespace
}  // namespace cpbtest
