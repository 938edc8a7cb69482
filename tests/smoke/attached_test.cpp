// sis_plugin_open_attached: the plugin borrows the host's own connection,
// runs its transaction on it, and hands it back as it found it.
#include "test_support.hpp"

namespace cpbtest {
namespace {

class Attached : public testing::TestWithParam<Backend> {};

const char* const kOptions = R"({"mode": "students", "preferences": {"emergency": "on"}})";

TEST_P(Attached, RunsOnTheHostsConnectionAndLeavesItUsable) {
  TestDatabase db(GetParam());
  db.seed(200);
  cpb::odbc::Connection host = db.connect();
  const bool sqlite = GetParam() == Backend::sqlite;
  for (const bool autocommit : {true, false}) {
    host.set_autocommit(autocommit);
    sis_plugin* p = nullptr;
    char error[1024] = {0};
    if (sqlite && !autocommit) {
      // SQLite's driver does not say whether its manual-commit transaction
      // holds the host's work: refused rather than risk ending it.
      EXPECT_EQ(plugin().open_attached(host.handle(), &p, error, sizeof error), SIS_E_INVALID_ARGUMENT);
      EXPECT_EQ(json::parse(error)["error"]["code"], "host_transaction_open") << error;
      host.set_autocommit(true);
      break;
    }
    ASSERT_EQ(plugin().open_attached(host.handle(), &p, error, sizeof error), SIS_OK) << error;
    const Context context;
    const sis_toolbar_context ctx = context.to_c();
    const char* result = nullptr;
    const std::string options = autocommit ? kOptions : R"({"mode": "students", "preferences": {"emergency": "off"}, "confirm": ["emergency_off"]})";
    ASSERT_EQ(plugin().run(p, &ctx, options.data(), options.size(), nullptr, nullptr, nullptr, &result), SIS_OK) << result;
    EXPECT_GT(json::parse(result)["updated"].get<int64_t>(), 0);
    plugin().close(p);
    // The connection is still the host's: open, usable, autocommit as it was.
    EXPECT_EQ(host.autocommit(), autocommit);
    EXPECT_EQ(scalar(host, "SELECT COUNT(*) FROM cpb_batch"), autocommit ? 1 : 2);
    if (!autocommit) host.end_transaction(true);
  }
  // The batch was committed by the plugin: another connection sees it.
  cpb::odbc::Connection other = db.connect();
  EXPECT_EQ(scalar(other, "SELECT COUNT(*) FROM cpb_batch"), sqlite ? 1 : 2);
  if (!sqlite) {
    EXPECT_EQ(scalar(other, "SELECT COUNT(*) FROM contact c JOIN enrollment e ON e.person_id = c.person_id "
                            "WHERE c.email IS NOT NULL AND TRIM(c.email) <> '' AND (c.email_messenger & 1) <> 0 "
                            "AND e.calendar_id <= 1 AND e.no_show = 0 AND e.end_date IS NULL"),
              0);
  }
}

// The host's own uncommitted change on its connection: SQLite through BEGIN
// with autocommit on (its driver's manual-commit mode is refused outright),
// the others in manual-commit mode.
void begin_host_work(cpb::odbc::Connection& host, Backend backend) {
  if (backend == Backend::sqlite) host.execute("BEGIN");
  else host.set_autocommit(false);
  host.execute("UPDATE school SET name = 'Renamed by the host' WHERE school_id = 1");
}

void end_host_work(cpb::odbc::Connection& host, Backend backend, bool commit) {
  if (backend == Backend::sqlite) {
    host.execute(commit ? "COMMIT" : "ROLLBACK");
  } else {
    host.end_transaction(commit);
    host.set_autocommit(true);
  }
}

const char* const kRenamed = "SELECT COUNT(*) FROM school WHERE name = 'Renamed by the host'";

// Never commit or roll back work that is not the plugin's: a run on a
// connection with the host's transaction open is refused and the host's work
// stays pending, the host's to commit.
TEST_P(Attached, RunWithTheHostsTransactionOpenIsRefusedAndLeavesItPending) {
  TestDatabase db(GetParam());
  db.seed(60);
  cpb::odbc::Connection host = db.connect();
  sis_plugin* p = nullptr;
  ASSERT_EQ(plugin().open_attached(host.handle(), &p, nullptr, 0), SIS_OK);
  cpb::odbc::Connection other = db.connect();
  const std::string before = dump_table(other, "contact");
  begin_host_work(host, GetParam());
  const Context context;
  const sis_toolbar_context ctx = context.to_c();
  const char* result = nullptr;
  const std::string options = kOptions;
  EXPECT_EQ(plugin().run(p, &ctx, options.data(), options.size(), nullptr, nullptr, nullptr, &result), SIS_E_INVALID_ARGUMENT);
  EXPECT_EQ(json::parse(result)["error"]["code"], "host_transaction_open") << result;
  // Still pending: the host sees its change, nobody else does yet.
  EXPECT_EQ(scalar(host, kRenamed), 1);
  end_host_work(host, GetParam(), true);
  EXPECT_EQ(scalar(other, kRenamed), 1);
  EXPECT_EQ(dump_table(other, "contact"), before);
  // With the host's transaction ended, the same call runs.
  EXPECT_EQ(plugin().run(p, &ctx, options.data(), options.size(), nullptr, nullptr, nullptr, &result), SIS_OK) << result;
  plugin().close(p);
}

// Opening on a connection with the host's transaction open neither commits
// nor rolls back the host's work (it used to switch autocommit on: a commit).
TEST_P(Attached, OpenWithTheHostsTransactionOpenLeavesItPending) {
  if (GetParam() == Backend::sqlite) GTEST_SKIP() << "SQLite: see RunWithTheHostsTransactionOpenIsRefusedAndLeavesItPending";
  TestDatabase db(GetParam());
  db.seed(30);
  cpb::odbc::Connection host = db.connect();
  begin_host_work(host, GetParam());
  sis_plugin* p = nullptr;
  char error[1024] = {0};
  EXPECT_EQ(plugin().open_attached(host.handle(), &p, error, sizeof error), SIS_E_INVALID_ARGUMENT);
  EXPECT_EQ(json::parse(error)["error"]["code"], "host_transaction_open") << error;
  EXPECT_EQ(scalar(host, kRenamed), 1);
  cpb::odbc::Connection other = db.connect();
  EXPECT_EQ(scalar(other, kRenamed), 0) << "the host's work was committed by the plugin";
  end_host_work(host, GetParam(), false);
  EXPECT_EQ(scalar(other, kRenamed), 0);
}

TEST_P(Attached, AFailedRunRollsBackOnTheHostsConnectionOnly) {
  TestDatabase db(GetParam());
  db.seed(100);
  cpb::odbc::Connection host = db.connect();
  const std::string before = dump_host_tables(host);
  sis_plugin* p = nullptr;
  ASSERT_EQ(plugin().open_attached(host.handle(), &p, nullptr, 0), SIS_OK);
  Context context;
  context.user_id = 3;  // disabled
  const sis_toolbar_context ctx = context.to_c();
  const std::string options = kOptions;
  EXPECT_EQ(plugin().run(p, &ctx, options.data(), options.size(), nullptr, nullptr, nullptr, nullptr), SIS_E_FORBIDDEN);
  plugin().close(p);
  EXPECT_TRUE(host.autocommit());
  EXPECT_EQ(dump_host_tables(host), before);
}

INSTANTIATE_TEST_SUITE_P(Backends, Attached, testing::ValuesIn(backends()), BackendName());

}  // namespace
}  // namespace cpbtest
