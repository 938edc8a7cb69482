// Rows read by column name (odbc::Row), on every engine through its driver:
// the plugin reads every row of more than one column this way.
#include <gtest/gtest.h>

#include "odbc.hpp"
#include "test_support.hpp"

namespace {

using cpbtest::Backend;

class RowByName : public testing::TestWithParam<Backend> {};

TEST_P(RowByName, ColumnsAreFoundByTheirLowerCaseNamesInAnyOrder) {
  cpbtest::TestDatabase db(GetParam());
  cpb::odbc::Connection c = db.connect();
  cpb::odbc::Statement st(c);
  st.execute("SELECT 7 AS Seven, 'text' AS words, NULL AS empty_text, CAST(NULL AS INTEGER) AS no_number");
  ASSERT_TRUE(st.fetch());
  const cpb::odbc::Row r = st.row();
  EXPECT_EQ(r.get_text("words"), "text");
  EXPECT_EQ(r.get_int("seven"), 7);  // read after a later column: the row was read once, in order
  EXPECT_EQ(r.get_text("empty_text"), std::nullopt);
  EXPECT_EQ(r.get_int("no_number"), std::nullopt);
  EXPECT_EQ(r.int_or("no_number", -1), -1);
  EXPECT_TRUE(r.has("words"));
  EXPECT_FALSE(r.has("Words"));  // names are lower case
  EXPECT_FALSE(st.fetch());
}

TEST_P(RowByName, AnIntegralSumReadsAsAWholeNumberOnEveryEngine) {
  // PostgreSQL and MariaDB give a SUM of integers as a decimal.
  cpbtest::TestDatabase db(GetParam());
  cpb::odbc::Connection c = db.connect();
  cpb::odbc::Statement st(c);
  st.execute("SELECT SUM(n) AS total, COUNT(*) AS row_count FROM (SELECT 2 AS n UNION ALL SELECT 40) x");
  ASSERT_TRUE(st.fetch());
  const cpb::odbc::Row r = st.row();
  EXPECT_EQ(r.get_int("total"), 42);
  EXPECT_EQ(r.get_int("row_count"), 2);
}

TEST_P(RowByName, AColumnTheQueryDoesNotHaveOrTextThatIsNoNumberIsNamedInTheError) {
  cpbtest::TestDatabase db(GetParam());
  cpb::odbc::Connection c = db.connect();
  cpb::odbc::Statement st(c);
  st.execute("SELECT 'twelve' AS word");
  ASSERT_TRUE(st.fetch());
  const cpb::odbc::Row r = st.row();
  try {
    (void)r.get_int("missing");
    FAIL() << "a missing column was read";
  } catch (const std::logic_error& e) {
    EXPECT_NE(std::string(e.what()).find("\"missing\""), std::string::npos) << e.what();
  }
  try {
    (void)r.get_int("word");
    FAIL() << "text was read as a number";
  } catch (const std::logic_error& e) {
    EXPECT_NE(std::string(e.what()).find("twelve"), std::string::npos) << e.what();
  }
}

TEST_P(RowByName, TheNamesOfEachResultAreItsOwn) {
  // A statement run again with other columns does not keep the first one's names.
  cpbtest::TestDatabase db(GetParam());
  cpb::odbc::Connection c = db.connect();
  cpb::odbc::Statement st(c);
  st.execute("SELECT 1 AS first_name");
  ASSERT_TRUE(st.fetch());
  EXPECT_TRUE(st.row().has("first_name"));
  st.execute("SELECT 2 AS second_name");
  ASSERT_TRUE(st.fetch());
  const cpb::odbc::Row r = st.row();
  EXPECT_FALSE(r.has("first_name"));
  EXPECT_EQ(r.get_int("second_name"), 2);
}

INSTANTIATE_TEST_SUITE_P(Engines, RowByName, testing::ValuesIn(cpbtest::backends()), cpbtest::BackendName());

}  // namespace
