// The audit trail: one cpb_batch row per batch and one change row per host row
// the batch changed, holding exactly what the row held before and after.
#include "audit_support.hpp"

namespace cpbtest::audit {
namespace {

class AuditTrail : public testing::TestWithParam<Backend> {};

const json kMixedBatch = {
    {"mode", "student_messenger_contacts"},
    {"preferences",
     {{"emergency", "on"}, {"attendance", {{"cell_phone", "on"}, {"email", "off"}, {"household_phone", "on"}}}, {"general", "off"}}}};

int64_t batch_rows(cpb::odbc::Connection& c) { return count_rows(c, "cpb_batch"); }
int64_t change_rows(cpb::odbc::Connection& c) { return count_rows(c, "cpb_contact_change") + count_rows(c, "cpb_household_change"); }

// A progress callback that cancels the run when it reaches `phase`.
int cancel_at(void* phase, const char* now, int64_t, int64_t) { return std::string(now) == static_cast<const char*>(phase); }

TEST_P(AuditTrail, EveryBatchWritesOneBatchRowWithUserContextOptionsCountsAndTimes) {
  TestDatabase db(GetParam());
  db.seed(200);
  Handle h(db);
  Context ctx;
  ctx.user_id = 5;
  ctx.school_id = 1;
  json options = kMixedBatch;
  options["overwrite"] = "keep_portal";
  const std::string before = local_now();
  const Outcome first = h.run(options, ctx);
  ASSERT_EQ(first.status, SIS_OK) << first.result.dump();
  // The same batch again changes nothing but is still a batch of its own.
  const Outcome second = h.run(options, ctx);
  ASSERT_EQ(second.status, SIS_OK) << second.result.dump();
  const std::string after = local_now();
  ASSERT_EQ(first.result["batch_id"], 1);
  ASSERT_EQ(second.result["batch_id"], 2);
  ASSERT_EQ(second.result["updated"], 0);

  cpb::odbc::Connection c = db.connect();
  EXPECT_EQ(batch_rows(c), 2);
  const std::vector<Row> rows = query(c,
                                      "SELECT batch_id, tool, action, status, undone_batch_id, undone_by_batch_id, user_id, end_year, "
                                      "school_id, calendar_id, effective_date, mode, options, result, persons, households, updated, "
                                      "unchanged, started_at, finished_at FROM cpb_batch ORDER BY batch_id");
  ASSERT_EQ(rows.size(), 2u);
  for (size_t i = 0; i < rows.size(); ++i) {
    const Row& r = rows[i];
    const json& result = i == 0 ? first.result : second.result;
    SCOPED_TRACE("batch " + r[0].value_or("NULL"));
    EXPECT_EQ(r[0], std::to_string(i + 1));
    EXPECT_EQ(r[1], "contact_preferences_batch");
    EXPECT_EQ(r[2], "apply");
    EXPECT_EQ(r[3], "applied");
    EXPECT_EQ(r[4], std::nullopt);
    EXPECT_EQ(r[5], std::nullopt);
    EXPECT_EQ(r[6], "5");
    EXPECT_EQ(r[7], "2027");
    EXPECT_EQ(r[8], "1");
    EXPECT_EQ(r[9], "0");
    EXPECT_EQ(r[10], "2026-10-01");
    EXPECT_EQ(r[11], "student_messenger_contacts");
    // The options as understood: every device of a one-value reason spelled out.
    const json recorded = json::parse(r[12].value_or("null"));
    EXPECT_EQ(recorded["action"], "apply");
    EXPECT_EQ(recorded["mode"], "student_messenger_contacts");
    EXPECT_EQ(recorded["overwrite"], "keep_portal");
    EXPECT_EQ(recorded["dry_run"], false);
    EXPECT_EQ(recorded["preferences"]["emergency"]["secondary_email"], "on");
    EXPECT_EQ(recorded["preferences"]["attendance"]["email"], "off");
    EXPECT_EQ(recorded["preferences"]["general"]["household_phone"], "off");
    EXPECT_EQ(json::parse(r[13].value_or("null")), result);
    EXPECT_EQ(r[14], std::to_string(result["persons"].get<int64_t>()));
    EXPECT_EQ(r[15], std::to_string(result["households"].get<int64_t>()));
    EXPECT_EQ(r[16], std::to_string(result["updated"].get<int64_t>()));
    EXPECT_EQ(r[17], std::to_string(result["unchanged"].get<int64_t>()));
    const std::string started = r[18].value_or("").substr(0, 19);
    const std::string finished = r[19].value_or("").substr(0, 19);
    EXPECT_LE(before, started);
    EXPECT_LE(started, finished);
    EXPECT_LE(finished, after);
  }
  EXPECT_GT(recorded_changes(c, 1).size(), 0u);
  EXPECT_EQ(recorded_changes(c, 2).size(), 0u) << "a batch that changed no row records no change row";
}

TEST_P(AuditTrail, ChangeRowsHoldEachChangedHostRowExactlyBeforeAndAfter) {
  TestDatabase db(GetParam());
  db.seed(300);
  Handle h(db);
  cpb::odbc::Connection c = db.connect();
  const Snapshot before = snapshot(c);
  const std::string started = local_now();
  const Outcome out = h.run(kMixedBatch);
  const std::string finished = local_now();
  ASSERT_EQ(out.status, SIS_OK) << out.result.dump();
  const Snapshot after = snapshot(c);

  const std::vector<std::string> changed = changed_rows(before, after);
  const std::map<std::string, RecordedChange> recorded = recorded_changes(c, out.result["batch_id"].get<int64_t>());
  ASSERT_GT(changed.size(), 20u);
  std::vector<std::string> recorded_keys;
  for (const auto& [key, change] : recorded) recorded_keys.push_back(key);
  EXPECT_EQ(recorded_keys, changed) << "one change row per host row changed, and none for a row left alone";

  int64_t bits = 0;
  bool saw_household = false;
  for (const std::string& key : changed) {
    SCOPED_TRACE(key);
    const RecordedChange& change = recorded.at(key);
    EXPECT_EQ(change.before, before.at(key));
    EXPECT_EQ(change.after, after.at(key));
    // The stamp of a written row: the context's user, now.
    const Row& now = after.at(key);
    EXPECT_EQ(now[now.size() - 2], "1");
    const std::string stamp = now.back().value_or("").substr(0, 19);
    EXPECT_LE(started, stamp);
    EXPECT_LE(stamp, finished);
    bits += changed_bits(key, change.before, change.after);
    // 9.4: an Off asked on a NULL mask writes 0 and counts as updated without
    // changing a bit. kMixedBatch asks General Off on every device and
    // Attendance Off on the e-mail (contact masks: cell, work, other, email, secondary).
    const size_t masks = key.rfind("household", 0) == 0 ? 1 : 5;
    for (size_t i = 0; i < masks; ++i)
      if (!change.before.at(i) && change.after.at(i)) bits += 1 + (masks == 5 && i == 3 ? 1 : 0);
    saw_household = saw_household || key.rfind("household", 0) == 0;
  }
  EXPECT_TRUE(saw_household);
  EXPECT_EQ(bits, out.result["updated"].get<int64_t>()) << "the bits that changed in the recorded rows, and the Off cells written over a NULL mask, are the cells counted as updated";
}

TEST_P(AuditTrail, DryRunWritesNoAuditRowsAndNoHostRow) {
  TestDatabase db(GetParam());
  db.seed(200);
  Handle h(db);
  cpb::odbc::Connection c = db.connect();
  const std::string host_before = dump_host_tables(c);
  json options = kMixedBatch;
  options["dry_run"] = true;
  const Outcome out = h.run(options);
  ASSERT_EQ(out.status, SIS_OK) << out.result.dump();
  EXPECT_TRUE(out.result["batch_id"].is_null());
  EXPECT_EQ(out.result["dry_run"], true);
  EXPECT_GT(out.result["updated"].get<int64_t>(), 0);
  EXPECT_EQ(batch_rows(c), 0);
  EXPECT_EQ(change_rows(c), 0);
  EXPECT_EQ(dump_host_tables(c), host_before);
}

TEST_P(AuditTrail, RefusedRunWritesNoAuditRows) {
  TestDatabase db(GetParam());
  db.seed(200);
  Handle h(db);
  Context viewer;
  viewer.user_id = 2;  // read-only right
  const Outcome out = h.run(kMixedBatch, viewer);
  ASSERT_EQ(out.status, SIS_E_FORBIDDEN) << out.result.dump();
  cpb::odbc::Connection c = db.connect();
  EXPECT_EQ(batch_rows(c), 0);
  EXPECT_EQ(change_rows(c), 0);
}

// Cancelled at the last step, after its rows and its batch row were written:
// the rollback takes the audit rows with it.
TEST_P(AuditTrail, RunFailingAfterItsWritesLeavesNoAuditRows) {
  TestDatabase db(GetParam());
  db.seed(200);
  Handle h(db);
  cpb::odbc::Connection c = db.connect();
  const std::string host_before = dump_host_tables(c);
  char commit[] = "commit";
  const Outcome out = h.run(kMixedBatch.dump(), Context{}, cancel_at, commit);
  ASSERT_EQ(out.status, SIS_E_CANCELLED) << out.result.dump();
  EXPECT_EQ(batch_rows(c), 0);
  EXPECT_EQ(change_rows(c), 0);
  EXPECT_EQ(dump_host_tables(c), host_before);
  // The next batch that succeeds is number 1: nothing of the failed one remains.
  const Outcome next = h.run(kMixedBatch);
  ASSERT_EQ(next.status, SIS_OK) << next.result.dump();
  EXPECT_EQ(next.result["batch_id"], 1);
  EXPECT_EQ(batch_rows(c), 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, AuditTrail, testing::ValuesIn(backends()), BackendName());

}  // namespace
}  // namespace cpbtest::audit
