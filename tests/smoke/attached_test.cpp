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
  for (const bool autocommit : {true, false}) {
    host.set_autocommit(autocommit);
    sis_plugin* p = nullptr;
    char error[1024] = {0};
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
  EXPECT_EQ(scalar(other, "SELECT COUNT(*) FROM cpb_batch"), 2);
  EXPECT_EQ(scalar(other, "SELECT COUNT(*) FROM contact c JOIN enrollment e ON e.person_id = c.person_id "
                          "WHERE c.email IS NOT NULL AND TRIM(c.email) <> '' AND (c.email_messenger & 1) <> 0 "
                          "AND e.calendar_id <= 1 AND e.no_show = 0 AND e.end_date IS NULL"),
            0);
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
