// Undo (CONTRACT 5-6): a batch of its own that restores, row by row, what an
// earlier batch changed, leaving alone and counting the rows changed since.
#include "audit_support.hpp"

namespace cpbtest::audit {
namespace {

class Undo : public testing::TestWithParam<Backend> {};

const json kMixedBatch = {
    {"mode", "student_messenger_contacts"},
    {"preferences",
     {{"emergency", "on"}, {"attendance", {{"cell_phone", "on"}, {"email", "off"}, {"household_phone", "on"}}}, {"general", "off"}}}};

json undo_of(int64_t batch_id) { return {{"action", "undo"}, {"batch_id", batch_id}}; }

int cancel_at(void* phase, const char* now, int64_t, int64_t) { return std::string(now) == static_cast<const char*>(phase); }

// Applies kMixedBatch on a seeded district and returns its batch id.
int64_t apply_batch(Handle& h) {
  const Outcome out = h.run(kMixedBatch);
  EXPECT_EQ(out.status, SIS_OK) << out.result.dump();
  EXPECT_GT(out.result["updated"].get<int64_t>(), 0);
  return out.result["batch_id"].get<int64_t>();
}

void expect_refused(const Outcome& out, sis_status status, const std::string& code, const std::string& path) {
  EXPECT_EQ(out.status, status) << out.result.dump();
  EXPECT_EQ(out.error_code(), code) << out.result.dump();
  EXPECT_EQ(out.result["error"].value("path", ""), path) << out.result.dump();
}

TEST_P(Undo, UndoRestoresEveryHostTableExactlyAndReportsRowsRestored) {
  TestDatabase db(GetParam());
  db.seed(300);
  Handle h(db);
  cpb::odbc::Connection c = db.connect();
  const std::string original = dump_host_tables(c);
  const Snapshot before = snapshot(c);
  const int64_t applied = apply_batch(h);
  const size_t rows_changed = changed_rows(before, snapshot(c)).size();
  ASSERT_GT(rows_changed, 20u);
  ASSERT_NE(dump_host_tables(c), original);

  const Outcome undo = h.run(undo_of(applied));
  ASSERT_EQ(undo.status, SIS_OK) << undo.result.dump();
  EXPECT_EQ(dump_host_tables(c), original);
  const json expected = {{"batch_id", applied + 1}, {"undone_batch_id", applied}, {"restored", rows_changed}, {"conflicts", 0}};
  EXPECT_EQ(undo.result, expected);
  // sis_counts of an undo: updated = restored, unchanged = conflicts (sis_plugin.h).
  EXPECT_EQ(undo.counts.updated, static_cast<int64_t>(rows_changed));
  EXPECT_EQ(undo.counts.unchanged, 0);

  // Both batches say what happened to them.
  const std::vector<Row> rows =
      query(c, "SELECT batch_id, action, status, undone_batch_id, undone_by_batch_id, user_id, updated, unchanged, result "
               "FROM cpb_batch ORDER BY batch_id");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0][1], "apply");
  EXPECT_EQ(rows[0][2], "undone");
  EXPECT_EQ(rows[0][4], std::to_string(applied + 1));
  EXPECT_EQ(rows[1][1], "undo");
  EXPECT_EQ(rows[1][2], "applied");
  EXPECT_EQ(rows[1][3], std::to_string(applied));
  EXPECT_EQ(rows[1][5], "1");
  EXPECT_EQ(rows[1][6], std::to_string(rows_changed));
  EXPECT_EQ(rows[1][7], "0");
  EXPECT_EQ(json::parse(rows[1][8].value_or("null")), expected);
  // The undo's own change rows go from what the batch wrote back to what was there.
  const std::map<std::string, RecordedChange> forward = recorded_changes(c, applied);
  const std::map<std::string, RecordedChange> backward = recorded_changes(c, applied + 1);
  ASSERT_EQ(backward.size(), forward.size());
  for (const auto& [key, change] : forward) {
    SCOPED_TRACE(key);
    ASSERT_EQ(backward.count(key), 1u);
    EXPECT_EQ(backward.at(key).before, change.after);
    EXPECT_EQ(backward.at(key).after, change.before);
  }
}

TEST_P(Undo, RowsEditedSinceTheBatchAreKeptAsEditedAndCountedAsConflicts) {
  TestDatabase db(GetParam());
  db.seed(300);
  Handle h(db);
  cpb::odbc::Connection c = db.connect();
  const Snapshot before = snapshot(c);
  const int64_t applied = apply_batch(h);
  const std::map<std::string, RecordedChange> recorded = recorded_changes(c, applied);
  std::vector<std::string> contacts, households;
  for (const auto& [key, change] : recorded) (key.rfind("contact", 0) == 0 ? contacts : households).push_back(key);
  ASSERT_GE(contacts.size(), 3u);
  ASSERT_GE(households.size(), 2u);
  const auto id = [](const std::string& key) { return key.substr(key.find(' ') + 1); };
  // The host edits four rows after the batch: a mask, only the modification
  // date, only the modifying user, and a household's phone mask.
  db.execute("UPDATE contact SET email_messenger = 77 WHERE person_id = " + id(contacts[0]) + ";\n" +
             "UPDATE contact SET modified_date = '2031-01-02 03:04:05' WHERE person_id = " + id(contacts[1]) + ";\n" +
             "UPDATE contact SET modified_by_id = 5 WHERE person_id = " + id(contacts[2]) + ";\n" +
             "UPDATE household SET phone_messenger = 99 WHERE household_id = " + id(households[0]));
  const Snapshot edited = snapshot(c);
  const std::vector<std::string> conflicts = {contacts[0], contacts[1], contacts[2], households[0]};

  const Outcome undo = h.run(undo_of(applied));
  ASSERT_EQ(undo.status, SIS_OK) << undo.result.dump();
  EXPECT_EQ(undo.result["conflicts"], 4);
  EXPECT_EQ(undo.result["restored"].get<int64_t>(), static_cast<int64_t>(recorded.size()) - 4);
  EXPECT_EQ(undo.counts.updated, static_cast<int64_t>(recorded.size()) - 4);
  EXPECT_EQ(undo.counts.unchanged, 4);
  const Snapshot now = snapshot(c);
  for (const auto& [key, row] : now) {
    SCOPED_TRACE(key);
    const bool conflicting = std::find(conflicts.begin(), conflicts.end(), key) != conflicts.end();
    EXPECT_EQ(row, conflicting ? edited.at(key) : before.at(key));
  }
  // Only the restored rows are in the undo's own record.
  const std::map<std::string, RecordedChange> undone = recorded_changes(c, undo.result["batch_id"].get<int64_t>());
  EXPECT_EQ(undone.size(), recorded.size() - 4);
  for (const std::string& key : conflicts) EXPECT_EQ(undone.count(key), 0u) << key;
}

TEST_P(Undo, RowsALaterBatchChangedAreConflicts) {
  TestDatabase db(GetParam());
  load_fixture(db);
  Handle h(db);
  cpb::odbc::Connection c = db.connect();
  const Snapshot before = snapshot(c);
  // Emergency on everywhere: contacts 11-14 and households 1-3 change.
  const Outcome first = h.run(json{{"mode", "student_messenger_contacts"}, {"preferences", {{"emergency", "on"}}}});
  ASSERT_EQ(first.status, SIS_OK) << first.result.dump();
  ASSERT_EQ(recorded_changes(c, 1).size(), 7u);
  // Then behavior on the cell phone of student 2's contacts only (13 and 14).
  db.execute("UPDATE related_pair SET messenger = 0 WHERE person_id1 = 1");
  const Outcome second = h.run(json{{"mode", "student_messenger_contacts"}, {"preferences", {{"behavior", {{"cell_phone", "on"}}}}}});
  ASSERT_EQ(second.status, SIS_OK) << second.result.dump();
  ASSERT_EQ(second.result["updated"], 2);
  const Snapshot after_second = snapshot(c);

  const Outcome undo = h.run(undo_of(1));
  ASSERT_EQ(undo.status, SIS_OK) << undo.result.dump();
  EXPECT_EQ(undo.result["restored"], 5);
  EXPECT_EQ(undo.result["conflicts"], 2);
  const Snapshot now = snapshot(c);
  for (const std::string key : {"contact 11", "contact 12", "household 1", "household 2", "household 3"})
    EXPECT_EQ(now.at(key), before.at(key)) << key;
  for (const std::string key : {"contact 13", "contact 14"}) EXPECT_EQ(now.at(key), after_second.at(key)) << key;
  EXPECT_EQ(now.at("contact 13")[0], "5");  // emergency from batch 1, behavior from batch 2
}

TEST_P(Undo, AnUndoIsABatchAndCanItselfBeUndone) {
  TestDatabase db(GetParam());
  db.seed(300);
  Handle h(db);
  cpb::odbc::Connection c = db.connect();
  const std::string original = dump_host_tables(c);
  const int64_t applied = apply_batch(h);
  const std::string applied_state = dump_host_tables(c);
  const int64_t rows = static_cast<int64_t>(recorded_changes(c, applied).size());

  const Outcome undo = h.run(undo_of(applied));
  ASSERT_EQ(undo.status, SIS_OK) << undo.result.dump();
  ASSERT_EQ(dump_host_tables(c), original);
  const int64_t undo_id = undo.result["batch_id"].get<int64_t>();

  const Outcome redo = h.run(undo_of(undo_id));
  ASSERT_EQ(redo.status, SIS_OK) << redo.result.dump();
  EXPECT_EQ(redo.result, (json{{"batch_id", undo_id + 1}, {"undone_batch_id", undo_id}, {"restored", rows}, {"conflicts", 0}}));
  EXPECT_EQ(dump_host_tables(c), applied_state) << "undoing the undo re-applies what was undone, stamps included";
  EXPECT_EQ(query(c, "SELECT status, undone_by_batch_id FROM cpb_batch WHERE batch_id = " + std::to_string(undo_id)),
            (std::vector<Row>{{"undone", std::to_string(undo_id + 1)}}));
  // And the re-application can be taken back in turn.
  const Outcome again = h.run(undo_of(undo_id + 1));
  ASSERT_EQ(again.status, SIS_OK) << again.result.dump();
  EXPECT_EQ(again.result["restored"], rows);
  EXPECT_EQ(dump_host_tables(c), original);
}

TEST_P(Undo, UndoingTheSameBatchTwiceIsAConflict) {
  TestDatabase db(GetParam());
  db.seed(200);
  Handle h(db);
  cpb::odbc::Connection c = db.connect();
  const int64_t applied = apply_batch(h);
  ASSERT_EQ(h.run(undo_of(applied)).status, SIS_OK);
  const std::string host_after_undo = dump_host_tables(c);
  const std::string batches = dump_table(c, "cpb_batch");
  const Outcome twice = h.run(undo_of(applied));
  expect_refused(twice, SIS_E_CONFLICT, "conflict", "/batch_id");
  EXPECT_EQ(dump_host_tables(c), host_after_undo);
  EXPECT_EQ(dump_table(c, "cpb_batch"), batches);
}

TEST_P(Undo, UndoOfAnUnknownBatchOrOfADryRunIsNotFound) {
  TestDatabase db(GetParam());
  db.seed(200);
  Handle h(db);
  json dry = kMixedBatch;
  dry["dry_run"] = true;
  const Outcome dry_run = h.run(dry);
  ASSERT_EQ(dry_run.status, SIS_OK) << dry_run.result.dump();
  ASSERT_TRUE(dry_run.result["batch_id"].is_null());
  // A dry run is not recorded: there is no batch 1 to take back.
  expect_refused(h.run(undo_of(1)), SIS_E_NOT_FOUND, "not_found", "/batch_id");
  const int64_t applied = apply_batch(h);
  expect_refused(h.run(undo_of(applied + 41)), SIS_E_NOT_FOUND, "not_found", "/batch_id");
  cpb::odbc::Connection c = db.connect();
  EXPECT_EQ(count_rows(c, "cpb_batch"), 1);
}

TEST_P(Undo, UndoOfAnotherToolsBatchIsRefused) {
  TestDatabase db(GetParam());
  db.seed(200);
  Handle h(db);  // creates the plugin's tables
  db.execute(
      "INSERT INTO cpb_batch (batch_id, tool, action, status, user_id, end_year, school_id, calendar_id, effective_date, options, "
      "result, persons, households, updated, unchanged, started_at, finished_at) VALUES (7, 'other_tool', 'apply', 'applied', 1, "
      "2027, 0, 0, '2026-10-01', '{}', '{}', 0, 0, 0, 0, '2026-10-01 08:00:00', '2026-10-01 08:00:01')");
  cpb::odbc::Connection c = db.connect();
  const std::string host_before = dump_host_tables(c);
  expect_refused(h.run(undo_of(7)), SIS_E_INVALID_OPTIONS, "invalid_options", "/batch_id");
  EXPECT_EQ(dump_host_tables(c), host_before);
  EXPECT_EQ(query(c, "SELECT status FROM cpb_batch WHERE batch_id = 7"), (std::vector<Row>{{"applied"}}));
  EXPECT_EQ(count_rows(c, "cpb_batch"), 1);
}

TEST_P(Undo, UndoNeedsTheToolRightOfItsUser) {
  TestDatabase db(GetParam());
  db.seed(200);
  Handle h(db);
  cpb::odbc::Connection c = db.connect();
  const int64_t applied = apply_batch(h);
  const std::string host_before = dump_host_tables(c);
  // Read-only right, disabled, portal account, no such user.
  for (const int64_t user : {2, 3, 4, 999}) {
    SCOPED_TRACE("user " + std::to_string(user));
    Context ctx;
    ctx.user_id = user;
    expect_refused(h.run(undo_of(applied), ctx), SIS_E_FORBIDDEN, "forbidden", "/user_id");
  }
  EXPECT_EQ(dump_host_tables(c), host_before);
  EXPECT_EQ(count_rows(c, "cpb_batch"), 1);
  // Another staff user holding the right may take the batch back.
  Context secretary;
  secretary.user_id = 5;
  const Outcome undo = h.run(undo_of(applied), secretary);
  ASSERT_EQ(undo.status, SIS_OK) << undo.result.dump();
  EXPECT_EQ(scalar(c, "SELECT user_id FROM cpb_batch WHERE action = 'undo'"), 5);
}

TEST_P(Undo, CancelledUndoChangesNothing) {
  TestDatabase db(GetParam());
  db.seed(200);
  Handle h(db);
  cpb::odbc::Connection c = db.connect();
  const int64_t applied = apply_batch(h);
  const std::string host_before = dump_host_tables(c);
  const std::string batches = dump_table(c, "cpb_batch");
  char commit[] = "commit";
  const Outcome out = h.run(undo_of(applied).dump(), Context{}, cancel_at, commit);
  ASSERT_EQ(out.status, SIS_E_CANCELLED) << out.result.dump();
  EXPECT_EQ(dump_host_tables(c), host_before);
  EXPECT_EQ(dump_table(c, "cpb_batch"), batches);
  EXPECT_EQ(scalar(c, "SELECT COUNT(*) FROM cpb_contact_change WHERE batch_id <> " + std::to_string(applied)), 0);
  // The batch can still be taken back afterwards.
  EXPECT_EQ(h.run(undo_of(applied)).status, SIS_OK);
}

INSTANTIATE_TEST_SUITE_P(Backends, Undo, testing::ValuesIn(backends()), BackendName());

}  // namespace
}  // namespace cpbtest::audit
