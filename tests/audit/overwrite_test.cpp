// Overwrite policies (CONTRACT 5): which rows a batch may write. On the fixture
// district every mask is known; on a seeded district the rule holds row by row.
#include "audit_support.hpp"

namespace cpbtest::audit {
namespace {

class Overwrite : public testing::TestWithParam<Backend> {
 protected:
  // Emergency On for every device of the Messenger contacts of students 1 and 2.
  Outcome emergency_on(Handle& h, const std::string& overwrite) {
    started_ = local_now();
    Outcome out = h.run(json{{"mode", "student_messenger_contacts"}, {"preferences", {{"emergency", "on"}}}, {"overwrite", overwrite}});
    finished_ = local_now();
    return out;
  }
  // A row the batch wrote: these masks, stamped with user 1 and now.
  void expect_written(const Snapshot& now, const std::string& key, const Row& masks) {
    SCOPED_TRACE(key);
    const Row& row = now.at(key);
    EXPECT_EQ(Row(row.begin(), row.end() - 2), masks);
    EXPECT_EQ(row[row.size() - 2], "1");
    const std::string stamp = row.back().value_or("").substr(0, 19);
    EXPECT_LE(started_, stamp);
    EXPECT_LE(stamp, finished_);
  }
  std::string started_, finished_;
};

const std::nullopt_t null = std::nullopt;

void expect_counts(const Outcome& out, int64_t updated, int64_t protected_cells) {
  ASSERT_EQ(out.status, SIS_OK) << out.result.dump();
  EXPECT_EQ(out.result["persons"], 4);
  EXPECT_EQ(out.result["households"], 3);
  EXPECT_EQ(out.result["updated"], updated);
  EXPECT_EQ(out.result["unchanged"], 0);
  EXPECT_EQ(out.result["skipped"]["protected"], protected_cells);
  // Devices not on record are counted before any policy: 3 + 4 + 4 + 3 cells.
  EXPECT_EQ(out.result["skipped"]["no_device"], 14);
}

TEST_P(Overwrite, AllWritesEveryTargetedCell) {
  TestDatabase db(GetParam());
  load_fixture(db);
  Handle h(db);
  cpb::odbc::Connection c = db.connect();
  const Outcome out = emergency_on(h, "all");
  expect_counts(out, 9, 0);
  const Snapshot now = snapshot(c);
  expect_written(now, "contact 11", {"1", null, null, "1", null});
  expect_written(now, "contact 12", {"5", null, null, "6", null});  // e-mail not on record: 6 stays
  expect_written(now, "contact 13", {"1", null, null, null, null});
  expect_written(now, "contact 14", {"3", "1", null, null, null});
  expect_written(now, "household 1", {"1"});
  expect_written(now, "household 2", {"1"});
  expect_written(now, "household 3", {"9"});
  EXPECT_EQ(recorded_changes(c, 1).size(), 7u);
}

TEST_P(Overwrite, UnsetOnlyWritesOnlyMasksStillNull) {
  TestDatabase db(GetParam());
  load_fixture(db);
  Handle h(db);
  cpb::odbc::Connection c = db.connect();
  const Snapshot before = snapshot(c);
  const Outcome out = emergency_on(h, "unset_only");
  // Left alone: contact 11's e-mail (0), 12's cell (4), 14's cell (2) and work (0), households 2 (0) and 3 (8).
  expect_counts(out, 3, 6);
  const Snapshot now = snapshot(c);
  expect_written(now, "contact 11", {"1", null, null, "0", null});
  expect_written(now, "contact 13", {"1", null, null, null, null});
  expect_written(now, "household 1", {"1"});
  for (const std::string key : {"contact 12", "contact 14", "household 2", "household 3"}) EXPECT_EQ(now.at(key), before.at(key)) << key;
  EXPECT_EQ(recorded_changes(c, 1).size(), 3u);
}

TEST_P(Overwrite, KeepPortalLeavesRowsLastModifiedByAPortalAccount) {
  TestDatabase db(GetParam());
  load_fixture(db);
  Handle h(db);
  cpb::odbc::Connection c = db.connect();
  const Snapshot before = snapshot(c);
  const Outcome out = emergency_on(h, "keep_portal");
  // Left alone: contact 12 (portal user 4), contact 13 (portal account 6), household 1 (portal user 4).
  expect_counts(out, 6, 3);
  const Snapshot now = snapshot(c);
  expect_written(now, "contact 11", {"1", null, null, "1", null});  // never modified
  expect_written(now, "contact 14", {"3", "1", null, null, null});  // modified by staff
  expect_written(now, "household 2", {"1"});                        // modified by staff
  expect_written(now, "household 3", {"9"});                        // never modified
  for (const std::string key : {"contact 12", "contact 13", "household 1"}) EXPECT_EQ(now.at(key), before.at(key)) << key;
  EXPECT_EQ(recorded_changes(c, 1).size(), 4u);
}

const json kMixedPreferences = {
    {"emergency", "on"}, {"attendance", {{"cell_phone", "on"}, {"email", "off"}, {"household_phone", "on"}}}, {"general", "off"}};

TEST_P(Overwrite, KeepPortalNeverWritesAPortalModifiedRowOfADistrict) {
  TestDatabase db(GetParam());
  db.seed(300);
  Handle h(db);
  cpb::odbc::Connection c = db.connect();
  const Snapshot before = snapshot(c);
  std::vector<std::string> portal_rows;
  for (const Row& r : query(c, "SELECT c.person_id FROM contact c JOIN user_account u ON u.user_id = c.modified_by_id WHERE u.is_portal = 1"))
    portal_rows.push_back("contact " + r[0].value_or(""));
  ASSERT_GT(portal_rows.size(), 10u);
  const json options = {{"mode", "student_messenger_contacts"}, {"preferences", kMixedPreferences}, {"overwrite", "keep_portal"}};
  const Outcome kept = h.run(options);
  ASSERT_EQ(kept.status, SIS_OK) << kept.result.dump();
  EXPECT_GT(kept.result["skipped"]["protected"].get<int64_t>(), 0);
  EXPECT_GT(kept.result["updated"].get<int64_t>(), 0);
  const Snapshot after_kept = snapshot(c);
  for (const std::string& key : portal_rows) EXPECT_EQ(after_kept.at(key), before.at(key)) << key;
  // The same batch with "all" does write portal-modified rows: they were real targets.
  json all = options;
  all["overwrite"] = "all";
  ASSERT_EQ(h.run(all).status, SIS_OK);
  const Snapshot after_all = snapshot(c);
  size_t overwritten = 0;
  for (const std::string& key : portal_rows) overwritten += after_all.at(key) != before.at(key);
  EXPECT_GT(overwritten, 0u);
}

TEST_P(Overwrite, UnsetOnlyNeverOverwritesASetMaskOfADistrict) {
  TestDatabase db(GetParam());
  db.seed(300);
  Handle h(db);
  cpb::odbc::Connection c = db.connect();
  const Snapshot before = snapshot(c);
  const Outcome out = h.run(json{{"mode", "student_messenger_contacts"}, {"preferences", kMixedPreferences}, {"overwrite", "unset_only"}});
  ASSERT_EQ(out.status, SIS_OK) << out.result.dump();
  EXPECT_GT(out.result["skipped"]["protected"].get<int64_t>(), 0);
  const Snapshot after = snapshot(c);
  size_t newly_set = 0;
  for (const auto& [key, row] : after) {
    const Row& old = before.at(key);
    const size_t masks = row.size() - 2;
    bool changed = false;
    for (size_t i = 0; i < masks; ++i) {
      if (old[i]) {
        EXPECT_EQ(row[i], old[i]) << key << " mask " << i << " was set and must stay";
      }
      if (!old[i] && row[i]) ++newly_set;
      changed = changed || row[i] != old[i];
    }
    if (!changed) {
      EXPECT_EQ(row, old) << key << ": a row whose masks stay is not stamped";
    }
  }
  EXPECT_GT(newly_set, 0u);
  EXPECT_EQ(static_cast<int64_t>(changed_rows(before, after).size()), static_cast<int64_t>(recorded_changes(c, 1).size()));
}

INSTANTIATE_TEST_SUITE_P(Backends, Overwrite, testing::ValuesIn(backends()), BackendName());

}  // namespace
}  // namespace cpbtest::audit
