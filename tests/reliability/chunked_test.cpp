// Chunked apply (CONTRACT 11): each chunk of host rows its own transaction, the
// batch in_progress between chunks, resumable after a failure, and undone as
// one batch. The failure between chunks is a cancellation from the progress
// callback, which the plugin sees only after a chunk has committed.
#include <string>
#include <vector>

#include "reliability_support.hpp"

namespace cpbtest {
namespace {

// About 2,200 Messenger contacts: their contact rows make three chunks of 1,000.
constexpr int64_t kStudents = 1500;
const json kBatch = {{"mode", "student_messenger_contacts"},
                     {"preferences", {{"emergency", "on"}, {"general", "off"}, {"attendance", {{"household_phone", "on"}}}}}};

json chunked(int64_t rows = 1000) {
  json o = kBatch;
  o["chunk_rows"] = rows;
  return o;
}

// Cancels at the first report of a written chunk: the sixth call, after the
// five steps of the run that records the batch (validate, targets, count,
// write, commit).
int cancel_after_first_chunk(void* user, const char* phase, int64_t, int64_t) {
  auto* calls = static_cast<int*>(user);
  ++*calls;
  return *calls == 6 && std::string(phase) == "write" ? 1 : 0;
}

std::string batch_status(const TestDatabase& db, int64_t batch_id) {
  cpb::odbc::Connection c = db.connect();
  const auto rows = query(c, "SELECT status FROM cpb_batch WHERE batch_id = " + std::to_string(batch_id));
  return rows.empty() || !rows[0][0] ? std::string("(none)") : *rows[0][0];
}

// Runs the chunked batch of `options` on h and stops it after its first chunk;
// the batch left in progress (0 when the run was not stopped so).
int64_t stop_after_first_chunk(const TestDatabase& db, Handle& h, const json& options = chunked()) {
  int calls = 0;
  const Outcome stopped = h.run(options.dump(), Context{}, cancel_after_first_chunk, &calls);
  EXPECT_EQ(stopped.status, SIS_E_CANCELLED) << stopped.result.dump();
  if (stopped.status != SIS_E_CANCELLED) return 0;
  cpb::odbc::Connection c = db.connect();
  return scalar(c, "SELECT MAX(batch_id) FROM cpb_batch").value_or(0);
}

class Chunked : public testing::TestWithParam<Backend> {};

TEST_P(Chunked, ChunkedApplyWritesWhatOneTransactionWritesWithTheSameCounts) {
  TestDatabase chunks(GetParam()), whole(GetParam());
  chunks.seed(kStudents);
  whole.seed(kStudents);
  Handle hc(chunks), hw(whole);
  const Outcome c = hc.run(chunked());
  const Outcome w = hw.run(kBatch);
  ASSERT_EQ(c.status, SIS_OK) << c.result.dump();
  ASSERT_EQ(w.status, SIS_OK) << w.result.dump();
  EXPECT_GE(c.result.value("chunks", 0), 3) << c.result.dump();
  EXPECT_EQ(c.result.value("conflicts", -1), 0);
  for (const char* key : {"updated", "unchanged", "persons", "households", "by_reason", "by_device", "skipped"})
    EXPECT_EQ(c.result[key], w.result[key]) << key;
  EXPECT_EQ(preference_state(chunks), preference_state(whole));
  EXPECT_EQ(batch_status(chunks, c.result["batch_id"].get<int64_t>()), "applied");
}

TEST_P(Chunked, ChunkRowsBelowTheMinimumAreRefused) {
  TestDatabase db(GetParam());
  db.seed(20);
  Handle h(db);
  const std::string before = database_state(db);
  const Outcome out = h.run(chunked(999));
  EXPECT_EQ(out.status, SIS_E_INVALID_OPTIONS) << out.result.dump();
  EXPECT_EQ(out.error_code(), "invalid_options");
  EXPECT_EQ(out.result.value("error", json::object()).value("path", ""), "/chunk_rows");
  EXPECT_EQ(database_state(db), before);
}

TEST_P(Chunked, AFailureBetweenChunksLeavesTheBatchInProgressAndResumeFinishesIt) {
  TestDatabase db(GetParam()), whole(GetParam());
  db.seed(kStudents);
  whole.seed(kStudents);
  const std::string initial = preference_state(db);
  Handle h(db);
  int calls = 0;
  const Outcome stopped = h.run(chunked().dump(), Context{}, cancel_after_first_chunk, &calls);
  ASSERT_EQ(stopped.status, SIS_E_CANCELLED) << stopped.result.dump();
  EXPECT_NE(stopped.result["error"].value("message", "").find("resume"), std::string::npos) << stopped.result.dump();
  cpb::odbc::Connection c = db.connect();
  const int64_t batch_id = scalar(c, "SELECT MAX(batch_id) FROM cpb_batch").value_or(0);
  ASSERT_GT(batch_id, 0);
  EXPECT_EQ(batch_status(db, batch_id), "in_progress");
  const std::string partial = preference_state(db);
  EXPECT_NE(partial, initial) << "the first chunk stays written";

  const Outcome resumed = h.run(json{{"action", "resume"}, {"batch_id", batch_id}});
  ASSERT_EQ(resumed.status, SIS_OK) << resumed.result.dump();
  EXPECT_EQ(batch_status(db, batch_id), "applied");
  Handle hw(whole);
  const Outcome w = hw.run(kBatch);
  ASSERT_EQ(w.status, SIS_OK) << w.result.dump();
  EXPECT_EQ(preference_state(db), preference_state(whole)) << "resume writes the rows the batch would have written";
  for (const char* key : {"updated", "unchanged", "persons", "households"}) EXPECT_EQ(resumed.result[key], w.result[key]) << key;
  EXPECT_EQ(resumed.result.value("conflicts", -1), 0);

  const Outcome again = h.run(json{{"action", "resume"}, {"batch_id", batch_id}});
  EXPECT_EQ(again.status, SIS_E_NOT_FOUND) << again.result.dump();
}

// CONTRACT 9.3 for a resume as for an undo: another staff user with the tool
// right resumes user 1's batch only with the admin right.
TEST_P(Chunked, ResumingAnotherUsersBatchNeedsTheAdminRight) {
  TestDatabase db(GetParam());
  db.seed(kStudents);
  Handle h(db);
  const int64_t batch_id = stop_after_first_chunk(db, h);
  ASSERT_GT(batch_id, 0);
  const std::string partial = database_state(db);
  Context secretary;
  secretary.user_id = 5;
  const Outcome refused = h.run(json{{"action", "resume"}, {"batch_id", batch_id}}, secretary);
  EXPECT_EQ(refused.status, SIS_E_FORBIDDEN) << refused.result.dump();
  EXPECT_EQ(refused.error_code(), "forbidden");
  EXPECT_EQ(refused.result["error"].value("message", ""),
            "batch " + std::to_string(batch_id) +
                " was run by user 1 (admin); resuming another user's batch needs the right contact_preferences_batch_admin");
  EXPECT_EQ(refused.result["error"].value("path", ""), "/batch_id");
  EXPECT_EQ(database_state(db), partial);
  EXPECT_EQ(batch_status(db, batch_id), "in_progress");
  db.execute("INSERT INTO user_tool_right (user_id, tool, can_write) VALUES (5, 'contact_preferences_batch_admin', 1)");
  const Outcome resumed = h.run(json{{"action", "resume"}, {"batch_id", batch_id}}, secretary);
  ASSERT_EQ(resumed.status, SIS_OK) << resumed.result.dump();
  EXPECT_EQ(batch_status(db, batch_id), "applied");
}

TEST_P(Chunked, UndoOfAnInterruptedBatchRestoresEveryChunkWritten) {
  TestDatabase db(GetParam());
  db.seed(kStudents);
  const std::string initial = preference_state(db);
  Handle h(db);
  const int64_t batch_id = stop_after_first_chunk(db, h);
  ASSERT_GT(batch_id, 0);
  const Outcome undo = h.run(json{{"action", "undo"}, {"batch_id", batch_id}});
  ASSERT_EQ(undo.status, SIS_OK) << undo.result.dump();
  EXPECT_EQ(undo.result.value("restored", 0), 1000) << "one chunk of 1,000 contact rows was written";
  EXPECT_EQ(undo.result.value("conflicts", -1), 0);
  EXPECT_EQ(preference_state(db), initial);
  EXPECT_EQ(batch_status(db, batch_id), "undone");
  const Outcome resume = h.run(json{{"action", "resume"}, {"batch_id", batch_id}});
  EXPECT_EQ(resume.status, SIS_E_NOT_FOUND) << "an undone batch is not resumed: " << resume.result.dump();
}

TEST_P(Chunked, ARowChangedBeforeItsChunkIsAConflictLeftAloneAndCounted) {
  TestDatabase db(GetParam());
  db.seed(kStudents);
  Handle h(db);
  const int64_t batch_id = stop_after_first_chunk(db, h);
  ASSERT_GT(batch_id, 0);
  cpb::odbc::Connection c = db.connect();
  // The last contact row the batch recorded is in a chunk not yet written: a host user edits it.
  const int64_t person =
      scalar(c, "SELECT MAX(person_id) FROM cpb_contact_change WHERE batch_id = " + std::to_string(batch_id)).value_or(0);
  ASSERT_GT(person, 0);
  db.execute("UPDATE contact SET email_messenger = 77, modified_by_id = 2 WHERE person_id = " + std::to_string(person));
  const Outcome resumed = h.run(json{{"action", "resume"}, {"batch_id", batch_id}});
  ASSERT_EQ(resumed.status, SIS_OK) << resumed.result.dump();
  EXPECT_EQ(resumed.result.value("conflicts", -1), 1);
  EXPECT_EQ(scalar(c, "SELECT email_messenger FROM contact WHERE person_id = " + std::to_string(person)), 77);
  EXPECT_EQ(scalar(c, "SELECT modified_by_id FROM contact WHERE person_id = " + std::to_string(person)), 2);
  // The batch did not change that row, so its record does not hold it and an undo leaves it alone.
  EXPECT_EQ(scalar(c, "SELECT COUNT(*) FROM cpb_contact_change WHERE batch_id = " + std::to_string(batch_id) +
                          " AND person_id = " + std::to_string(person)),
            0);
  const Outcome undo = h.run(json{{"action", "undo"}, {"batch_id", batch_id}});
  ASSERT_EQ(undo.status, SIS_OK) << undo.result.dump();
  EXPECT_EQ(undo.result.value("conflicts", -1), 0);
  EXPECT_EQ(scalar(c, "SELECT email_messenger FROM contact WHERE person_id = " + std::to_string(person)), 77);
}

// The cells a change record writes of kBatch's contact reasons (emergency On,
// general Off: bits 1 and 8): each asked bit that changes, or both where the
// mask was never set (written whole, CONTRACT 9.4).
int64_t recorded_contact_cells(cpb::odbc::Connection& c, int64_t batch_id, int64_t person) {
  int64_t cells = 0;
  for (const char* mask : {"cell_phone_messenger", "work_phone_messenger", "other_phone_messenger", "email_messenger",
                           "secondary_email_messenger"}) {
    const auto rows = query(c, std::string("SELECT old_") + mask + ", new_" + mask + " FROM cpb_contact_change WHERE batch_id = " +
                                   std::to_string(batch_id) + " AND person_id = " + std::to_string(person));
    if (rows.empty() || !rows[0][1]) continue;
    if (!rows[0][0]) {
      cells += 2;
      continue;
    }
    const int64_t changed = (std::stoll(*rows[0][0]) ^ std::stoll(*rows[0][1])) & 9;
    cells += (changed & 1) + ((changed & 8) ? 1 : 0);
  }
  return cells;
}

// A chunked batch stopped after its first chunk; the last contact row it
// recorded (in a chunk not yet written) is edited by `edit` ($P: its person_id),
// the batch resumed. Returns the resume and the row's cells the batch recorded.
struct EditedBeforeItsChunk {
  Outcome resumed;
  int64_t batch_id = 0, person = 0, recorded_updated = 0, row_cells = 0;
  std::string row_before, row_after;  // the edited contact row after the edit, and after the resume
};

std::string contact_row(cpb::odbc::Connection& c, int64_t person) {
  std::string out;
  for (const auto& row : query(c, "SELECT cell_phone_messenger, work_phone_messenger, other_phone_messenger, email_messenger, "
                                  "secondary_email_messenger, modified_by_id FROM contact WHERE person_id = " + std::to_string(person)))
    for (const auto& v : row) out += (v ? *v : std::string("NULL")) + " ";
  return out;
}

std::string with_thousands(int64_t n) {
  std::string digits = std::to_string(n);
  for (int at = static_cast<int>(digits.size()) - 3; at > 0; at -= 3) digits.insert(static_cast<size_t>(at), ",");
  return digits;
}
EditedBeforeItsChunk edit_before_its_chunk(TestDatabase& db, Handle& h, const json& options, const std::string& edit) {
  EditedBeforeItsChunk r;
  r.batch_id = stop_after_first_chunk(db, h, options);
  cpb::odbc::Connection c = db.connect();
  r.person = scalar(c, "SELECT MAX(person_id) FROM cpb_contact_change WHERE batch_id = " + std::to_string(r.batch_id)).value_or(0);
  EXPECT_GT(r.person, 0);
  r.recorded_updated = scalar(c, "SELECT updated FROM cpb_batch WHERE batch_id = " + std::to_string(r.batch_id)).value_or(-1);
  r.row_cells = recorded_contact_cells(c, r.batch_id, r.person);
  EXPECT_GT(r.row_cells, 0) << "the edited row writes nothing";
  std::string sql = edit;
  sql.replace(sql.find("$P"), 2, std::to_string(r.person));
  db.execute(sql);
  r.row_before = contact_row(c, r.person);
  r.resumed = h.run(json{{"action", "resume"}, {"batch_id", r.batch_id}});
  r.row_after = contact_row(c, r.person);
  return r;
}

// CONTRACT 12.2: a chunk's conflict is counted in conflicts and nowhere else;
// updated (result, sis_counts, history) is the cells written.
TEST_P(Chunked, ARowLeftAloneAsAConflictIsInNoCountButConflicts) {
  TestDatabase db(GetParam());
  db.seed(kStudents);
  Handle h(db);
  const EditedBeforeItsChunk e =
      edit_before_its_chunk(db, h, chunked(), "UPDATE contact SET email_messenger = 77 WHERE person_id = $P");
  ASSERT_EQ(e.resumed.status, SIS_OK) << e.resumed.result.dump();
  EXPECT_EQ(e.resumed.result.value("conflicts", -1), 1);
  EXPECT_EQ(e.row_after, e.row_before);
  const int64_t updated = e.resumed.result.value("updated", int64_t{-1});
  EXPECT_EQ(updated, e.recorded_updated - e.row_cells) << "the conflicting row's cells are still counted";
  EXPECT_EQ(e.resumed.counts.updated, updated);
  cpb::odbc::Connection c = db.connect();
  EXPECT_EQ(scalar(c, "SELECT updated FROM cpb_batch WHERE batch_id = " + std::to_string(e.batch_id)), updated);
  int64_t by_device = 0, by_reason = 0;
  for (const auto& [name, counts] : e.resumed.result["by_device"].items()) by_device += counts.value("updated", int64_t{0});
  for (const auto& [name, counts] : e.resumed.result["by_reason"].items()) by_reason += counts.value("updated", int64_t{0});
  EXPECT_EQ(by_device, updated);
  EXPECT_EQ(by_reason, updated);
  const std::string summary = e.resumed.result.value("summary", "");
  EXPECT_NE(summary.find(": " + with_thousands(updated) + " preferences changed"), std::string::npos) << summary;
}

// CONTRACT 12.1: with keep_portal, a portal account saving a row (masks
// unchanged) before its chunk makes the row a conflict, left alone.
TEST_P(Chunked, APortalSaveBeforeItsChunkIsAConflictUnderKeepPortal) {
  TestDatabase db(GetParam());
  db.seed(kStudents);
  Handle h(db);
  json options = chunked();
  options["overwrite"] = "keep_portal";
  const EditedBeforeItsChunk e = edit_before_its_chunk(db, h, options, "UPDATE contact SET modified_by_id = 4 WHERE person_id = $P");
  ASSERT_EQ(e.resumed.status, SIS_OK) << e.resumed.result.dump();
  EXPECT_EQ(e.resumed.result.value("conflicts", -1), 1);
  EXPECT_EQ(e.resumed.result.value("updated", int64_t{-1}), e.recorded_updated - e.row_cells);
  EXPECT_EQ(e.row_after, e.row_before) << "the batch wrote over a row a parent saved in the portal";
}

// CONTRACT 12.1 and 4.4: a device cleared before its chunk is no longer on
// record: the row is a conflict, and nothing is written on the blank device.
TEST_P(Chunked, ADeviceClearedBeforeItsChunkIsAConflict) {
  TestDatabase db(GetParam());
  db.seed(kStudents);
  Handle h(db);
  const EditedBeforeItsChunk e = edit_before_its_chunk(
      db, h, chunked(),
      "UPDATE contact SET cell_phone = NULL, work_phone = '  ', other_phone = '', email = NULL, secondary_email = '' WHERE person_id = $P");
  ASSERT_EQ(e.resumed.status, SIS_OK) << e.resumed.result.dump();
  EXPECT_EQ(e.resumed.result.value("conflicts", -1), 1);
  EXPECT_EQ(e.row_after, e.row_before) << "the batch wrote a row whose devices are no longer on record";
}

// A database whose plugin tables version 1.1 created: an open adds the
// columns 1.2 records (own_tables.cpp), and its batches then check them.
TEST_P(Chunked, TablesOfVersion11GetTheColumnsOfVersion12WhenOpened) {
  TestDatabase db(GetParam());
  db.seed(kStudents);
  { Handle first(db); }
  for (const char* drop : {"ALTER TABLE cpb_contact_change DROP COLUMN cell_phone_state",
                           "ALTER TABLE cpb_contact_change DROP COLUMN allowed_bits",
                           "ALTER TABLE cpb_household_change DROP COLUMN household_phone_state",
                           "ALTER TABLE cpb_plan DROP COLUMN left_out_persons"})
    db.execute(drop);
  Handle h(db);
  cpb::odbc::Connection c = db.connect();
  for (const char* column : {"cpb_contact_change.cell_phone_state", "cpb_contact_change.allowed_bits",
                             "cpb_household_change.household_phone_state", "cpb_plan.left_out_persons"}) {
    const std::string name(column);
    const size_t dot = name.find('.');
    EXPECT_NO_THROW(query(c, "SELECT " + name.substr(dot + 1) + " FROM " + name.substr(0, dot) + " WHERE 1 = 0")) << column;
  }
  const Outcome applied = h.run(chunked().dump());
  ASSERT_EQ(applied.status, SIS_OK) << applied.result.dump();
  EXPECT_EQ(applied.result.value("conflicts", -1), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, Chunked, testing::ValuesIn(backends()), BackendName());

}  // namespace
}  // namespace cpbtest
