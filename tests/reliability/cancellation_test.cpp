// Cancellation: the progress callback answering non-zero at any of its calls
// stops the run with SIS_E_CANCELLED and nothing changed.
#include <string>
#include <vector>

#include "reliability_support.hpp"

namespace cpbtest {
namespace {

const json kBatch = {{"mode", "student_messenger_contacts"}, {"preferences", {{"emergency", "on"}, {"general", "off"}}}};

class Cancellation : public testing::TestWithParam<Backend> {};

// Cancels at call 0, 1, 2, ... until a run no longer reaches the cancelling
// call: that run is the normal one, and it tells how many calls there are.
std::vector<std::string> cancel_at_every_call(const TestDatabase& db, Handle& h, const std::string& options, int answer) {
  const std::string before = database_state(db);
  for (int call = 0; call < 50; ++call) {
    SCOPED_TRACE("cancel at call " + std::to_string(call));
    ProgressLog log;
    log.cancel_at = call;
    log.answer = answer;
    const Outcome out = h.run(options, Context{}, record_progress, &log);
    if (static_cast<int>(log.phases.size()) <= call) {  // never asked to cancel: the normal run
      EXPECT_EQ(out.status, SIS_OK) << out.result.dump();
      return log.phases;
    }
    EXPECT_EQ(static_cast<int>(log.phases.size()), call + 1) << "the callback was called again after it cancelled";
    EXPECT_EQ(out.status, SIS_E_CANCELLED) << out.result.dump();
    EXPECT_EQ(out.error_code(), "cancelled");
    EXPECT_EQ(database_state(db), before);
  }
  ADD_FAILURE() << "the run never finished";
  return {};
}

TEST_P(Cancellation, CancellingAtAnyPhaseOfABatchChangesNothing) {
  TestDatabase db(GetParam());
  db.seed(60);
  Handle h(db);
  const std::vector<std::string> phases = cancel_at_every_call(db, h, kBatch.dump(), 1);
  EXPECT_EQ(phases, (std::vector<std::string>{"validate", "targets", "count", "write", "commit"}));
  EXPECT_EQ(count_rows(db, "cpb_batch"), 1);
}

TEST_P(Cancellation, AnyNonZeroAnswerCancels) {
  TestDatabase db(GetParam());
  db.seed(30);
  Handle h(db);
  const std::string before = database_state(db);
  for (int answer : {-1, 2, 0x7fffffff}) {
    ProgressLog log;
    log.cancel_at = 3;  // "write"
    log.answer = answer;
    const Outcome out = h.run(kBatch.dump(), Context{}, record_progress, &log);
    EXPECT_EQ(out.status, SIS_E_CANCELLED) << answer;
    EXPECT_EQ(out.error_code(), "cancelled");
  }
  EXPECT_EQ(database_state(db), before);
}

TEST_P(Cancellation, CancellingADryRunAtAnyPhaseChangesNothing) {
  TestDatabase db(GetParam());
  db.seed(30);
  Handle h(db);
  json dry = kBatch;
  dry["dry_run"] = true;
  const std::string before = database_state(db);
  const std::vector<std::string> phases = cancel_at_every_call(db, h, dry.dump(), 1);
  EXPECT_EQ(phases, (std::vector<std::string>{"validate", "targets", "count", "write", "commit"}));
  EXPECT_EQ(database_state(db), before);  // a dry run writes nothing either way
}

TEST_P(Cancellation, CancellingAnUndoAtAnyPhaseLeavesTheBatchApplied) {
  TestDatabase db(GetParam());
  db.seed(40);
  Handle h(db);
  const Outcome applied = h.run(kBatch);
  ASSERT_EQ(applied.status, SIS_OK) << applied.result.dump();
  const json undo = {{"action", "undo"}, {"batch_id", applied.result["batch_id"]}};
  const std::vector<std::string> phases = cancel_at_every_call(db, h, undo.dump(), 1);
  EXPECT_EQ(phases, (std::vector<std::string>{"validate", "targets", "count", "write", "commit"}));
  cpb::odbc::Connection c = db.connect();
  EXPECT_EQ(scalar(c, "SELECT COUNT(*) FROM cpb_batch WHERE status = 'undone'"), 1);
  EXPECT_EQ(count_rows(c, "cpb_batch"), 2);
}

TEST_P(Cancellation, ProgressCountsItsStepsAgainstATotal) {
  TestDatabase db(GetParam());
  db.seed(20);
  Handle h(db);
  struct Steps {
    std::vector<std::pair<int64_t, int64_t>> seen;
  } steps;
  const sis_progress_fn fn = [](void* user, const char*, int64_t done, int64_t total) {
    static_cast<Steps*>(user)->seen.emplace_back(done, total);
    return 0;
  };
  const Outcome out = h.run(kBatch.dump(), Context{}, fn, &steps);
  ASSERT_EQ(out.status, SIS_OK) << out.result.dump();
  ASSERT_FALSE(steps.seen.empty());
  for (size_t i = 0; i < steps.seen.size(); ++i) {
    EXPECT_EQ(steps.seen[i].first, static_cast<int64_t>(i));
    EXPECT_EQ(steps.seen[i].second, static_cast<int64_t>(steps.seen.size()));
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, Cancellation, testing::ValuesIn(backends()), BackendName());

}  // namespace
}  // namespace cpbtest
