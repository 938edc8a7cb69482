// The engine descriptors: which DBMS names are supported, and which errors of
// each engine mean "conflict: retry later" (CONTRACT sections 6 and 10).
#include <gtest/gtest.h>

#include "engine.hpp"
#include "odbc.hpp"

namespace {

using cpb::odbc::find_engine;
using cpb::odbc::is_conflict;

TEST(Engine, TheThreeSupportedEnginesAreDetectedFromTheirDbmsNames) {
  // What SQLGetInfo(SQL_DBMS_NAME) answers through each engine's driver.
  ASSERT_NE(find_engine("SQLite"), nullptr);
  EXPECT_EQ(find_engine("SQLite")->name, "sqlite");
  ASSERT_NE(find_engine("PostgreSQL"), nullptr);
  EXPECT_EQ(find_engine("PostgreSQL")->name, "postgresql");
  ASSERT_NE(find_engine("MariaDB"), nullptr);
  EXPECT_EQ(find_engine("MariaDB")->name, "mariadb");
}

TEST(Engine, AnyOtherDbmsIsUnsupported) {
  for (const char* dbms : {"Microsoft SQL Server", "Oracle", "MySQL", "DB2/LINUXX8664", "ACCESS", ""})
    EXPECT_EQ(find_engine(dbms), nullptr) << dbms;
}

TEST(Engine, UnsupportedDatabaseNamesTheDbmsAndTheSupportedEngines) {
  const cpb::odbc::UnsupportedDatabase e("Oracle");
  const std::string message = e.what();
  EXPECT_NE(message.find("'Oracle'"), std::string::npos) << message;
  EXPECT_NE(message.find("SQLite, PostgreSQL and MariaDB"), std::string::npos) << message;
  EXPECT_FALSE(e.is_conflict());
}

TEST(Engine, PostgreSqlLockAndStatementTimeoutsDeadlocksAndSerializationFailuresAreConflicts) {
  const auto& pg = *find_engine("PostgreSQL");
  for (const char* state : {"40001", "40P01", "55P03", "57014"}) EXPECT_TRUE(is_conflict(pg, state, 7, "ERROR")) << state;
  for (const char* state : {"23505", "42P01", "08006", "HY000"}) EXPECT_FALSE(is_conflict(pg, state, 7, "ERROR")) << state;
}

TEST(Engine, MariaDbLockWaitTimeoutsDeadlocksAndStatementTimeoutsAreConflicts) {
  const auto& maria = *find_engine("MariaDB");
  EXPECT_TRUE(is_conflict(maria, "HY000", 1205, "Lock wait timeout exceeded; try restarting transaction"));
  EXPECT_TRUE(is_conflict(maria, "40001", 1213, "Deadlock found when trying to get lock"));
  EXPECT_TRUE(is_conflict(maria, "HY000", 1969, "Query execution was interrupted (max_statement_time exceeded)"));
  EXPECT_FALSE(is_conflict(maria, "23000", 1062, "Duplicate entry"));
  EXPECT_FALSE(is_conflict(maria, "HY000", 2013, "Lost connection to server during query"));
}

TEST(Engine, SqliteBusyAndLockedAreConflicts) {
  const auto& sqlite = *find_engine("SQLite");
  EXPECT_TRUE(is_conflict(sqlite, "HY000", 5, "database is locked (5)"));
  EXPECT_TRUE(is_conflict(sqlite, "HY000", 6, "database table is locked (6)"));
  EXPECT_FALSE(is_conflict(sqlite, "HY000", 19, "UNIQUE constraint failed"));
}

}  // namespace
