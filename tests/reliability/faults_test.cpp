// Atomicity under faults: a trigger of the test's own makes the database refuse
// the Nth row a run writes, at every stage of the write. The run must fail as
// "database" with the database's own message and leave nothing behind.
#include <string>
#include <vector>

#include "reliability_support.hpp"

namespace cpbtest {
namespace {

const json kBatch = {{"mode", "student_messenger_contacts"}, {"preferences", {{"emergency", "on"}, {"attendance", "off"}}}};

// A write the fault trigger watches: the table and the statement kind.
struct Watched {
  std::string table;
  std::string event;  // UPDATE or INSERT
};
const std::vector<Watched> kWatched = {
    {"contact", "UPDATE"}, {"household", "UPDATE"}, {"cpb_contact_change", "INSERT"}, {"cpb_household_change", "INSERT"}, {"cpb_batch", "INSERT"}};

std::string fault_message(const std::string& table) { return "fault injected into " + table; }

// Counts the rows written to each watched table and fails the one numbered
// fail_at (0: never). The counter is written in the run's transaction too.
void install_faults(const TestDatabase& db) {
  db.execute("CREATE TABLE fault_counter (tbl VARCHAR(40) PRIMARY KEY, written INTEGER NOT NULL, fail_at INTEGER NOT NULL)");
  for (const Watched& w : kWatched) db.execute("INSERT INTO fault_counter VALUES ('" + w.table + "', 0, 0)");
  if (db.backend() == Backend::postgresql) {
    execute_whole(db, R"(CREATE FUNCTION fault_on_nth_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE fault_counter SET written = written + 1 WHERE tbl = TG_TABLE_NAME;
  IF EXISTS (SELECT 1 FROM fault_counter WHERE tbl = TG_TABLE_NAME AND written = fail_at) THEN
    RAISE EXCEPTION 'fault injected into % at row %', TG_TABLE_NAME,
      (SELECT written FROM fault_counter WHERE tbl = TG_TABLE_NAME);
  END IF;
  RETURN NEW;
END $$)");
    for (const Watched& w : kWatched)
      execute_whole(db, "CREATE TRIGGER fault_" + w.table + " BEFORE " + w.event + " ON " + w.table +
                            " FOR EACH ROW EXECUTE FUNCTION fault_on_nth_row()");
    return;
  }
  if (db.backend() == Backend::mariadb) {
    for (const Watched& w : kWatched)
      execute_whole(db, "CREATE TRIGGER fault_" + w.table + " BEFORE " + w.event + " ON " + w.table + " FOR EACH ROW BEGIN "
                            "UPDATE fault_counter SET written = written + 1 WHERE tbl = '" + w.table + "'; "
                            "IF EXISTS (SELECT 1 FROM fault_counter WHERE tbl = '" + w.table + "' AND written = fail_at) THEN "
                            "SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = '" + fault_message(w.table) + "'; END IF; END");
    return;
  }
  // SQLite: BEFORE triggers fire before AFTER ones, so row k sees k - 1 counted.
  for (const Watched& w : kWatched) {
    execute_whole(db, "CREATE TRIGGER fault_count_" + w.table + " AFTER " + w.event + " ON " + w.table +
                          " BEGIN UPDATE fault_counter SET written = written + 1 WHERE tbl = '" + w.table + "'; END");
    execute_whole(db, "CREATE TRIGGER fault_" + w.table + " BEFORE " + w.event + " ON " + w.table +
                          " WHEN (SELECT written + 1 FROM fault_counter WHERE tbl = '" + w.table +
                          "') = (SELECT fail_at FROM fault_counter WHERE tbl = '" + w.table + "')" +
                          " BEGIN SELECT RAISE(ABORT, '" + fault_message(w.table) + "'); END");
  }
}

void drop_faults(const TestDatabase& db) {
  for (const Watched& w : kWatched) {
    if (db.backend() == Backend::postgresql) {
      db.execute("DROP TRIGGER fault_" + w.table + " ON " + w.table);
    } else if (db.backend() == Backend::mariadb) {
      db.execute("DROP TRIGGER fault_" + w.table);
    } else {
      db.execute("DROP TRIGGER fault_" + w.table);
      db.execute("DROP TRIGGER fault_count_" + w.table);
    }
  }
}

// What the batch writes on a district no one touched: rows per table.
struct Reference {
  int64_t contacts = 0;
  int64_t households = 0;
  int64_t updated = 0;
  std::string preferences;
};

Reference reference_run(Backend backend, int64_t students) {
  TestDatabase db(backend);
  db.seed(students);
  Handle h(db);
  const Outcome out = h.run(kBatch);
  EXPECT_EQ(out.status, SIS_OK) << out.result.dump();
  Reference r;
  r.contacts = count_rows(db, "cpb_contact_change");
  r.households = count_rows(db, "cpb_household_change");
  r.updated = out.counts.updated;
  r.preferences = preference_state(db);
  return r;
}

class Faults : public testing::TestWithParam<Backend> {};

TEST_P(Faults, DatabaseRefusingAnyRowOfTheRunRollsBackEverythingAndTheSameRunLaterSucceeds) {
  constexpr int64_t kStudents = 60;
  const Reference ref = reference_run(GetParam(), kStudents);
  ASSERT_GT(ref.contacts, 3);
  ASSERT_GT(ref.households, 1);

  TestDatabase db(GetParam());
  db.seed(kStudents);
  Handle h(db);  // creates the plugin's tables, which the faults watch too
  install_faults(db);
  const std::string before = database_state(db);

  // Every stage of the write, the first row, the middle and the last one.
  const std::vector<std::pair<std::string, int64_t>> faults = {
      {"contact", 1},       {"contact", 2},         {"contact", ref.contacts / 2}, {"contact", ref.contacts},
      {"household", 1},     {"household", ref.households},                         {"cpb_contact_change", 1},
      {"cpb_contact_change", ref.contacts},         {"cpb_household_change", ref.households},
      {"cpb_batch", 1}};
  for (const auto& [table, n] : faults) {
    SCOPED_TRACE(table + " row " + std::to_string(n));
    db.execute("UPDATE fault_counter SET fail_at = " + std::to_string(n) + " WHERE tbl = '" + table + "'");
    const Outcome out = h.run(kBatch);
    EXPECT_EQ(out.status, SIS_E_DATABASE) << out.result.dump();
    EXPECT_EQ(out.error_code(), "database");
    EXPECT_NE(out.result["error"]["message"].get<std::string>().find(fault_message(table)), std::string::npos)
        << "the database's own message is missing: " << out.result.dump();
    EXPECT_EQ(database_state(db), before);
    EXPECT_EQ(count_rows(db, "cpb_batch"), 0);
    // The trigger's own counting was rolled back with the run.
    {
      cpb::odbc::Connection c = db.connect();
      EXPECT_EQ(scalar(c, "SELECT SUM(written) FROM fault_counter"), 0);
    }
    db.execute("UPDATE fault_counter SET fail_at = 0 WHERE tbl = '" + table + "'");
  }

  drop_faults(db);
  const Outcome out = h.run(kBatch);
  ASSERT_EQ(out.status, SIS_OK) << out.result.dump();
  EXPECT_EQ(out.counts.updated, ref.updated);
  EXPECT_EQ(count_rows(db, "cpb_contact_change"), ref.contacts);  // so the last row above was the last write
  EXPECT_EQ(count_rows(db, "cpb_household_change"), ref.households);
  EXPECT_EQ(count_rows(db, "cpb_batch"), 1);
  EXPECT_EQ(preference_state(db), ref.preferences);
}

TEST_P(Faults, UndoRefusedByTheDatabaseLeavesTheBatchAppliedAndCanRunAgain) {
  TestDatabase db(GetParam());
  db.seed(40);
  Handle h(db);
  const Outcome applied = h.run(kBatch);
  ASSERT_EQ(applied.status, SIS_OK) << applied.result.dump();
  const int64_t batch = applied.result["batch_id"].get<int64_t>();
  install_faults(db);
  const std::string before = database_state(db);
  const json undo = {{"action", "undo"}, {"batch_id", batch}};
  for (const char* table : {"contact", "household", "cpb_batch"}) {
    SCOPED_TRACE(table);
    db.execute(std::string("UPDATE fault_counter SET fail_at = 1 WHERE tbl = '") + table + "'");
    const Outcome out = h.run(undo);
    EXPECT_EQ(out.status, SIS_E_DATABASE) << out.result.dump();
    EXPECT_EQ(out.error_code(), "database");
    EXPECT_EQ(database_state(db), before);
    db.execute(std::string("UPDATE fault_counter SET fail_at = 0 WHERE tbl = '") + table + "'");
  }
  drop_faults(db);
  const Outcome out = h.run(undo);
  ASSERT_EQ(out.status, SIS_OK) << out.result.dump();
  EXPECT_EQ(out.result["conflicts"], 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, Faults, testing::ValuesIn(backends()), BackendName());

}  // namespace
}  // namespace cpbtest
