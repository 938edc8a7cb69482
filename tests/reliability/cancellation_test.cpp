// Cancellation: the progress callback answering non-zero at any of its calls
// stops the run with SIS_E_CANCELLED and nothing changed. Calls are the five
// steps (validate, targets, count, write, commit) and, inside the write of a
// batch or an undo, a "write" report of rows written of rows to write after
// each slice of the write.
#include <algorithm>
#include <string>
#include <vector>

#include "reliability_support.hpp"

namespace cpbtest {
namespace {

const json kBatch = {{"mode", "student_messenger_contacts"}, {"preferences", {{"emergency", "on"}, {"general", "off"}}}};

class Cancellation : public testing::TestWithParam<Backend> {};

// The five steps with the write's row reports (one or more "write" calls after
// the step "write") taken out; fails when a run that writes has none of them.
std::vector<std::string> steps_of(std::vector<std::string> phases, bool writes) {
  const auto write = std::find(phases.begin(), phases.end(), "write");
  if (write == phases.end()) return phases;
  auto reports_end = write + 1;
  while (reports_end != phases.end() && *reports_end == "write") ++reports_end;
  EXPECT_EQ(reports_end - (write + 1) > 0, writes) << "row reports inside the write";
  phases.erase(write + 1, reports_end);
  return phases;
}

const std::vector<std::string> kSteps = {"validate", "targets", "count", "write", "commit"};

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
  EXPECT_EQ(steps_of(phases, true), kSteps);
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
  EXPECT_EQ(phases, kSteps);
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
  EXPECT_EQ(steps_of(phases, true), kSteps);
  cpb::odbc::Connection c = db.connect();
  EXPECT_EQ(scalar(c, "SELECT COUNT(*) FROM cpb_batch WHERE status = 'undone'"), 1);
  EXPECT_EQ(count_rows(c, "cpb_batch"), 2);
}

struct Call {
  std::string phase;
  int64_t done, total;
};
int log_calls(void* user, const char* phase, int64_t done, int64_t total) {
  static_cast<std::vector<Call>*>(user)->push_back({phase, done, total});
  return 0;
}

// The steps count 0..4 of 5; the write's reports count rows written (growing,
// after each slice) of rows to write (the rows the batch recorded), the last
// one all of them.
void expect_steps_and_row_reports(const std::vector<Call>& calls, int64_t rows_to_write, size_t min_reports) {
  std::vector<Call> steps, reports;
  for (size_t i = 0; i < calls.size(); ++i) {
    const bool report = i > 0 && calls[i].phase == "write" && calls[i - 1].phase == "write";
    (report ? reports : steps).push_back(calls[i]);
  }
  ASSERT_EQ(steps.size(), kSteps.size());
  for (size_t i = 0; i < steps.size(); ++i) {
    EXPECT_EQ(steps[i].phase, kSteps[i]);
    EXPECT_EQ(steps[i].done, static_cast<int64_t>(i));
    EXPECT_EQ(steps[i].total, static_cast<int64_t>(kSteps.size()));
  }
  ASSERT_GE(reports.size(), min_reports);
  for (size_t i = 0; i < reports.size(); ++i) {
    EXPECT_EQ(reports[i].total, rows_to_write);
    EXPECT_GT(reports[i].done, i == 0 ? 0 : reports[i - 1].done);
  }
  EXPECT_EQ(reports.back().done, rows_to_write);
}

int64_t recorded_rows(const TestDatabase& db, const json& result) {
  cpb::odbc::Connection c = db.connect();
  const std::string batch = std::to_string(result["batch_id"].get<int64_t>());
  return scalar(c, "SELECT COUNT(*) FROM cpb_contact_change WHERE batch_id = " + batch).value_or(0) +
         scalar(c, "SELECT COUNT(*) FROM cpb_household_change WHERE batch_id = " + batch).value_or(0);
}

TEST_P(Cancellation, ProgressCountsItsStepsAgainstATotalAndTheWriteItsRows) {
  TestDatabase db(GetParam());
  db.seed(20);
  Handle h(db);
  std::vector<Call> calls;
  const Outcome out = h.run(kBatch.dump(), Context{}, log_calls, &calls);
  ASSERT_EQ(out.status, SIS_OK) << out.result.dump();
  expect_steps_and_row_reports(calls, recorded_rows(db, out.result), 1);
}

// A write of a few thousand rows goes in several slices, each reported; a
// cancel between two slices (some rows written in the transaction) changes
// nothing. An undo reports its rows the same way.
TEST_P(Cancellation, AWriteReportsItsRowsSliceBySliceAndACancelBetweenSlicesChangesNothing) {
  TestDatabase db(GetParam());
  db.seed(1500);  // about 2,200 contact rows and 1,000 households to write
  Handle h(db);
  const std::string before = database_state(db);
  const std::string preferences_before = preference_state(db);
  struct CancelAtSecondReport {
    int reports = 0;
    bool in_write = false;
  } cancel;
  const sis_progress_fn second_report = [](void* user, const char* phase, int64_t, int64_t) {
    auto* c = static_cast<CancelAtSecondReport*>(user);
    if (std::string(phase) != "write") return 0;
    if (c->in_write && ++c->reports == 2) return 1;
    c->in_write = true;
    return 0;
  };
  const Outcome cancelled = h.run(kBatch.dump(), Context{}, second_report, &cancel);
  EXPECT_EQ(cancelled.status, SIS_E_CANCELLED) << cancelled.result.dump();
  EXPECT_EQ(cancel.reports, 2);
  EXPECT_TRUE(database_state(db) == before) << "the cancelled write changed the database";

  std::vector<Call> calls;
  const Outcome applied = h.run(kBatch.dump(), Context{}, log_calls, &calls);
  ASSERT_EQ(applied.status, SIS_OK) << applied.result.dump();
  const int64_t rows = recorded_rows(db, applied.result);
  EXPECT_GT(rows, 3000);
  expect_steps_and_row_reports(calls, rows, 4);

  calls.clear();
  const Outcome undone = h.run(json{{"action", "undo"}, {"batch_id", applied.result["batch_id"]}}.dump(), Context{}, log_calls, &calls);
  ASSERT_EQ(undone.status, SIS_OK) << undone.result.dump();
  expect_steps_and_row_reports(calls, undone.result.value("restored", int64_t{0}), 4);
  EXPECT_TRUE(preference_state(db) == preferences_before) << "the undo did not restore every slice";
}

INSTANTIATE_TEST_SUITE_P(Backends, Cancellation, testing::ValuesIn(backends()), BackendName());

}  // namespace
}  // namespace cpbtest
