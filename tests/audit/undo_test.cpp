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
  const json expected = {{"batch_id", applied + 1}, {"undone_batch_id", applied}, {"restored", rows_changed}, {"conflicts", 0},
                         {"conflict_rows", json::array()}};
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
  // The host edits four rows after the batch, each a change in the sense of
  // 9.3 (masks or modified_by_id): a mask, another mask with a new
  // modification date, only the modifying user, and a household's phone mask.
  // (An edit of the date alone is no change: EditThatKeepsTheMasksAndTheUserIsNoConflict.)
  db.execute("UPDATE contact SET email_messenger = 77 WHERE person_id = " + id(contacts[0]) + ";\n" +
             "UPDATE contact SET secondary_email_messenger = 123, modified_date = '2031-01-02 03:04:05' WHERE person_id = " +
             id(contacts[1]) + ";\n" +
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
  EXPECT_EQ(redo.result, (json{{"batch_id", undo_id + 1}, {"undone_batch_id", undo_id}, {"restored", rows}, {"conflicts", 0},
                               {"conflict_rows", json::array()}}));
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
  // 9.3: another staff user holding the tool right but not the admin right may
  // not take back user 1's batch; with the admin right they may.
  Context secretary;
  secretary.user_id = 5;
  const Outcome refused = h.run(undo_of(applied), secretary);
  EXPECT_EQ(refused.status, SIS_E_FORBIDDEN) << refused.result.dump();
  EXPECT_EQ(refused.error_code(), "forbidden") << refused.result.dump();
  EXPECT_EQ(refused.result["error"].value("message", ""),
            "batch " + std::to_string(applied) +
                " was run by user 1 (admin); undoing another user's batch needs the right contact_preferences_batch_admin");
  EXPECT_EQ(refused.result["error"].value("path", ""), "/batch_id");
  EXPECT_EQ(dump_host_tables(c), host_before);
  EXPECT_EQ(count_rows(c, "cpb_batch"), 1);
  db.execute("INSERT INTO user_tool_right (user_id, tool, can_write) VALUES (5, 'contact_preferences_batch_admin', 1)");
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

// ---- CONTRACT 9.3: undo, amended ----

// Emergency On for the Messenger contacts of the audit fixture: contacts 11
// (cell NULL -> 1, email 0 -> 1), 12 (cell 4 -> 5), 13 (cell NULL -> 1), 14
// (cell 2 -> 3, work 0 -> 1) and households 1 (NULL -> 1), 2 (0 -> 1), 3 (8 -> 9):
// seven host rows.
const json kEmergencyOn = {{"mode", "student_messenger_contacts"}, {"preferences", {{"emergency", "on"}}}};
const std::vector<std::string> kEmergencyOnRows = {"contact 11",  "contact 12",  "contact 13", "contact 14",
                                                   "household 1", "household 2", "household 3"};

int64_t apply_emergency_on(Handle& h, const Context& ctx = {}) {
  const Outcome out = h.run(kEmergencyOn, ctx);
  EXPECT_EQ(out.status, SIS_OK) << out.result.dump();
  // cells: cell 11, 12, 13, 14; email 11; work 14; households 1, 2, 3.
  EXPECT_EQ(out.result.value("updated", int64_t{-1}), 4 + 1 + 1 + 3) << out.result.dump();
  return out.result.value("batch_id", int64_t{-1});
}

std::string batch_status(cpb::odbc::Connection& c, int64_t batch_id) {
  const std::vector<Row> rows = query(c, "SELECT status FROM cpb_batch WHERE batch_id = " + std::to_string(batch_id));
  return rows.size() == 1 && rows[0][0] ? *rows[0][0] : "(no batch " + std::to_string(batch_id) + ")";
}

TEST_P(Undo, AnEditThatKeepsTheMasksAndTheModifyingUserIsNoConflict) {
  // 9.3: a row is its masks with modified_by_id; modified_date is not part of it.
  TestDatabase db(GetParam());
  load_fixture(db);
  Handle h(db);
  cpb::odbc::Connection c = db.connect();
  const Snapshot before = snapshot(c);
  const int64_t applied = apply_emergency_on(h);
  ASSERT_EQ(recorded_changes(c, applied).size(), kEmergencyOnRows.size());
  // The host re-saves two rows as they are, with a new date and the same user.
  db.execute(
      "UPDATE contact SET modified_date = '2031-01-02 03:04:05' WHERE person_id = 11;\n"
      "UPDATE household SET phone_messenger = phone_messenger, modified_by_id = 1, modified_date = '2031-01-02 03:04:05' "
      "WHERE household_id = 3");
  const Outcome undo = h.run(undo_of(applied));
  ASSERT_EQ(undo.status, SIS_OK) << undo.result.dump();
  EXPECT_EQ(undo.result["restored"], 7) << undo.result.dump();
  EXPECT_EQ(undo.result["conflicts"], 0) << undo.result.dump();
  EXPECT_EQ(undo.result["conflict_rows"], json::array()) << undo.result.dump();
  EXPECT_EQ(snapshot(c), before) << "both re-saved rows are restored, stamps included";
  EXPECT_EQ(batch_status(c, applied), "undone");
}

TEST_P(Undo, ARowALaterRecordedBatchChangedIsAConflictEvenWhenItHoldsWhatTheBatchWrote) {
  // Three batches by one user within one second: Attendance on the cell
  // phone On, Off, On. Batch 1 writes 11 (NULL -> 2), 12 (4 -> 6), 13 (NULL ->
  // 2); 14 (2) is unchanged. Batch 2 writes 11, 12, 13, 14 Off; batch 3 On
  // again, so 11, 12, 13 hold exactly what batch 1 wrote (masks, user 1 and,
  // within the second, the date). Batch 2 recorded a change of each of them:
  // undoing batch 1 restores none of them, so the undo restores nothing.
  TestDatabase db(GetParam());
  load_fixture(db);
  Handle h(db);
  cpb::odbc::Connection c = db.connect();
  const auto attendance_cell = [](const char* value) {
    return json{{"mode", "student_messenger_contacts"}, {"preferences", {{"attendance", {{"cell_phone", value}}}}}};
  };
  const Outcome first = h.run(attendance_cell("on"));
  const Outcome second = h.run(attendance_cell("off"));
  const Outcome third = h.run(attendance_cell("on"));
  ASSERT_EQ(first.status, SIS_OK) << first.result.dump();
  ASSERT_EQ(second.status, SIS_OK) << second.result.dump();
  ASSERT_EQ(third.status, SIS_OK) << third.result.dump();
  EXPECT_EQ(first.result["updated"], 3);
  EXPECT_EQ(second.result["updated"], 4);
  EXPECT_EQ(third.result["updated"], 4);
  const int64_t batch1 = first.result["batch_id"].get<int64_t>();
  const std::map<std::string, RecordedChange> written = recorded_changes(c, batch1);
  ASSERT_EQ(written.size(), 3u);
  const Snapshot now = snapshot(c);
  for (const auto& [key, change] : written) {
    // Masks and user as batch 1 left them (the date may be a second later).
    EXPECT_EQ(Row(now.at(key).begin(), now.at(key).end() - 1), Row(change.after.begin(), change.after.end() - 1)) << key;
  }
  const std::string host_before = dump_host_tables(c);
  const std::string batches = dump_table(c, "cpb_batch");
  const Outcome undo = h.run(undo_of(batch1));
  expect_refused(undo, SIS_E_CONFLICT, "conflict", "/batch_id");
  EXPECT_EQ(dump_host_tables(c), host_before);
  EXPECT_EQ(dump_table(c, "cpb_batch"), batches);
  EXPECT_EQ(batch_status(c, batch1), "applied");
}

TEST_P(Undo, AnUndoThatRestoresNothingIsAConflictRecordsNoBatchAndLeavesTheStatus) {
  TestDatabase db(GetParam());
  load_fixture(db);
  Handle h(db);
  cpb::odbc::Connection c = db.connect();
  const int64_t applied = apply_emergency_on(h);
  // The secretary (user 5) re-saves every row the batch wrote: modified_by_id changes.
  db.execute("UPDATE contact SET modified_by_id = 5 WHERE person_id IN (11, 12, 13, 14);\n"
             "UPDATE household SET modified_by_id = 5 WHERE household_id IN (1, 2, 3)");
  const std::string host_before = dump_host_tables(c);
  const std::string batches = dump_table(c, "cpb_batch");
  const Outcome undo = h.run(undo_of(applied));
  expect_refused(undo, SIS_E_CONFLICT, "conflict", "/batch_id");
  EXPECT_EQ(dump_host_tables(c), host_before);
  EXPECT_EQ(dump_table(c, "cpb_batch"), batches) << "no undo batch recorded, status left as it was";
  EXPECT_EQ(count_rows(c, "cpb_batch"), 1);
  EXPECT_EQ(batch_status(c, applied), "applied");
  EXPECT_EQ(scalar(c, "SELECT COUNT(*) FROM cpb_contact_change WHERE batch_id <> " + std::to_string(applied)), 0);
}

TEST_P(Undo, APartialUndoMarksTheBatchPartiallyUndoneAndUndoingAgainRetriesTheRowsInConflict) {
  TestDatabase db(GetParam());
  load_fixture(db);
  Handle h(db);
  cpb::odbc::Connection c = db.connect();
  const Snapshot before = snapshot(c);
  const int64_t applied = apply_emergency_on(h);
  const RecordedChange written13 = recorded_changes(c, applied).at("contact 13");
  // A parent's later edit of contact 13 (cell 1 -> 100): a conflict.
  db.execute("UPDATE contact SET cell_phone_messenger = 100 WHERE person_id = 13");
  const Outcome partial = h.run(undo_of(applied));
  ASSERT_EQ(partial.status, SIS_OK) << partial.result.dump();
  EXPECT_EQ(partial.result["restored"], 6) << partial.result.dump();
  EXPECT_EQ(partial.result["conflicts"], 1) << partial.result.dump();
  // conflict_rows: as plan rows, with why. The batch wrote only 13's cell phone.
  ASSERT_TRUE(partial.result["conflict_rows"].is_array()) << partial.result.dump();
  ASSERT_EQ(partial.result["conflict_rows"].size(), 1u) << partial.result.dump();
  const json& row = partial.result["conflict_rows"][0];
  EXPECT_EQ(row.value("person_id", json()), 13) << row.dump();
  EXPECT_TRUE(row.value("household_id", json(0)).is_null()) << row.dump();
  EXPECT_EQ(row.value("name", ""), "Parent, Eve") << row.dump();
  EXPECT_EQ(row.value("device", ""), "cell_phone") << row.dump();
  EXPECT_TRUE(row.contains("why") && row["why"].is_string() && !row["why"].get<std::string>().empty()) << row.dump();
  EXPECT_EQ(batch_status(c, applied), "partially_undone");
  const Snapshot after_partial = snapshot(c);
  for (const std::string& key : kEmergencyOnRows) {
    if (key != "contact 13") {
      EXPECT_EQ(after_partial.at(key), before.at(key)) << key;
    }
  }

  // The parent's edit is taken back to what the batch wrote: the retry restores it.
  db.execute("UPDATE contact SET cell_phone_messenger = 1, modified_by_id = 1, modified_date = '" +
             written13.after.back().value_or("") + "' WHERE person_id = 13");
  const Outcome retry = h.run(undo_of(applied));
  ASSERT_EQ(retry.status, SIS_OK) << retry.result.dump();
  EXPECT_EQ(retry.result["restored"], 1) << retry.result.dump();
  EXPECT_EQ(retry.result["conflicts"], 0) << retry.result.dump();
  EXPECT_EQ(retry.result["conflict_rows"], json::array()) << retry.result.dump();
  EXPECT_EQ(snapshot(c), before);
  EXPECT_EQ(batch_status(c, applied), "undone");
}

TEST_P(Undo, ConflictRowsListAtMostAHundredRowsWithWhyAndConflictsTheirTotal) {
  TestDatabase db(GetParam());
  db.seed(600);
  Handle h(db);
  cpb::odbc::Connection c = db.connect();
  const int64_t applied = apply_batch(h);
  const std::map<std::string, RecordedChange> recorded = recorded_changes(c, applied);
  std::vector<std::string> contacts;
  for (const auto& [key, change] : recorded)
    if (key.rfind("contact ", 0) == 0) contacts.push_back(key.substr(8));
  ASSERT_GT(contacts.size(), 102u) << "the seeded batch must conflict on more than 100 rows";
  // Every contact row but the first is re-saved by user 5: a change of modified_by_id.
  std::string ids;
  for (size_t i = 1; i < contacts.size(); ++i) ids += (ids.empty() ? "" : ", ") + contacts[i];
  db.execute("UPDATE contact SET modified_by_id = 5 WHERE person_id IN (" + ids + ")");
  const int64_t conflicts = static_cast<int64_t>(contacts.size()) - 1;
  const Outcome undo = h.run(undo_of(applied));
  ASSERT_EQ(undo.status, SIS_OK) << undo.result.dump().substr(0, 2000);
  EXPECT_EQ(undo.result["conflicts"], conflicts);
  EXPECT_EQ(undo.result["restored"].get<int64_t>(), static_cast<int64_t>(recorded.size()) - conflicts);
  ASSERT_TRUE(undo.result["conflict_rows"].is_array());
  EXPECT_EQ(undo.result["conflict_rows"].size(), 100u);
  for (const json& row : undo.result["conflict_rows"]) {
    EXPECT_TRUE(row.contains("person_id") && row["person_id"].is_number_integer()) << row.dump();
    EXPECT_NE(row.value("person_id", int64_t{0}), std::stoll(contacts[0])) << "the restored row is no conflict";
    EXPECT_TRUE(row.contains("why") && row["why"].is_string() && !row["why"].get<std::string>().empty()) << row.dump();
    EXPECT_TRUE(row.contains("name") && row["name"].is_string()) << row.dump();
    EXPECT_TRUE(row.contains("device") && row["device"].is_string()) << row.dump();
  }
  EXPECT_EQ(batch_status(c, applied), "partially_undone");
}

TEST_P(Undo, UndoOfAnotherUsersBatchNeedsTheAdminRight) {
  TestDatabase db(GetParam());
  load_fixture(db);
  Handle h(db);
  cpb::odbc::Connection c = db.connect();
  Context secretary;
  secretary.user_id = 5;
  const int64_t applied = apply_emergency_on(h, secretary);
  const Snapshot host_before = snapshot(c);
  // User 1 holds the tool right but not the admin right; then the admin right
  // read-only. (The contract names no path for this refusal.)
  const auto expect_forbidden = [](const Outcome& out) {
    EXPECT_EQ(out.status, SIS_E_FORBIDDEN) << out.result.dump();
    EXPECT_EQ(out.error_code(), "forbidden") << out.result.dump();
  };
  expect_forbidden(h.run(undo_of(applied)));
  db.execute("INSERT INTO user_tool_right (user_id, tool, can_write) VALUES (1, 'contact_preferences_batch_admin', 0)");
  expect_forbidden(h.run(undo_of(applied)));
  EXPECT_EQ(snapshot(c), host_before);
  EXPECT_EQ(count_rows(c, "cpb_batch"), 1);
  EXPECT_EQ(batch_status(c, applied), "applied");
  // Its own user may always take it back.
  const Outcome own = h.run(undo_of(applied), secretary);
  ASSERT_EQ(own.status, SIS_OK) << own.result.dump();
  EXPECT_EQ(own.result["restored"], 7);
  // And a user with the admin right may take back another's batch (the undo, by user 5).
  db.execute("UPDATE user_tool_right SET can_write = 1 WHERE user_id = 1 AND tool = 'contact_preferences_batch_admin'");
  const Outcome admin = h.run(undo_of(own.result["batch_id"].get<int64_t>()));
  ASSERT_EQ(admin.status, SIS_OK) << admin.result.dump();
  EXPECT_EQ(admin.result["restored"], 7);
}

TEST_P(Undo, UndoWorksWhenModifiedDateIsADate) {
  TestDatabase db(GetParam());
  load_fixture(db);
  // On PostgreSQL the host's modified_date becomes a DATE; SQLite has no date
  // type and stores the dates as text.
  if (GetParam() == Backend::postgresql)
    db.execute("ALTER TABLE contact ALTER COLUMN modified_date TYPE DATE;\n"
               "ALTER TABLE household ALTER COLUMN modified_date TYPE DATE");
  Handle h(db);
  cpb::odbc::Connection c = db.connect();
  const std::string original = dump_host_tables(c);
  const Snapshot before = snapshot(c);
  const int64_t applied = apply_emergency_on(h);
  ASSERT_GT(applied, 0);
  EXPECT_EQ(changed_rows(before, snapshot(c)).size(), kEmergencyOnRows.size());
  const Outcome undo = h.run(undo_of(applied));
  ASSERT_EQ(undo.status, SIS_OK) << undo.result.dump();
  EXPECT_EQ(undo.result["restored"], 7) << undo.result.dump();
  EXPECT_EQ(undo.result["conflicts"], 0) << undo.result.dump();
  EXPECT_EQ(dump_host_tables(c), original);
  EXPECT_EQ(batch_status(c, applied), "undone");
}

INSTANTIATE_TEST_SUITE_P(Backends, Undo, testing::ValuesIn(backends()), BackendName());

}  // namespace
}  // namespace cpbtest::audit
