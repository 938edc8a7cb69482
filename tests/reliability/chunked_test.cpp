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

TEST_P(Chunked, UndoOfAnInterruptedBatchRestoresEveryChunkWritten) {
  TestDatabase db(GetParam());
  db.seed(kStudents);
  const std::string initial = preference_state(db);
  Handle h(db);
  int calls = 0;
  const Outcome stopped = h.run(chunked().dump(), Context{}, cancel_after_first_chunk, &calls);
  ASSERT_EQ(stopped.status, SIS_E_CANCELLED) << stopped.result.dump();
  cpb::odbc::Connection c = db.connect();
  const int64_t batch_id = scalar(c, "SELECT MAX(batch_id) FROM cpb_batch").value_or(0);
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
  int calls = 0;
  const Outcome stopped = h.run(chunked().dump(), Context{}, cancel_after_first_chunk, &calls);
  ASSERT_EQ(stopped.status, SIS_E_CANCELLED) << stopped.result.dump();
  cpb::odbc::Connection c = db.connect();
  const int64_t batch_id = scalar(c, "SELECT MAX(batch_id) FROM cpb_batch").value_or(0);
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

INSTANTIATE_TEST_SUITE_P(Backends, Chunked, testing::ValuesIn(backends()), BackendName());

}  // namespace
}  // namespace cpbtest
