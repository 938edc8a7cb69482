// Each engine's SQL folder against the hooks declared in the engine manifest
// (odbc::sql_hooks): every required hook present, every file a declared hook
// or an override of a standard file; and own_tables.sql against the plugin's
// declared tables.
#include <gtest/gtest.h>

#include <algorithm>
#include <regex>
#include <stdexcept>

#include "engine.hpp"
#include "own_tables.hpp"
#include "sql_catalog.hpp"

namespace {

using cpb::SqlFile;
using cpb::odbc::Engine;
using cpb::odbc::SqlHook;

bool has(const std::vector<SqlFile>& files, const std::string& name) {
  return std::any_of(files.begin(), files.end(), [&](const SqlFile& f) { return f.name == name; });
}

// What is wrong with the engine's folder sql/plugin/<engine>/ among files.
std::vector<std::string> hook_problems(const std::vector<SqlFile>& files, const Engine& engine) {
  std::vector<std::string> problems;
  const std::string folder = "plugin/" + std::string(engine.name) + "/";
  for (const SqlHook& hook : cpb::odbc::sql_hooks()) {
    const bool needed = hook.need == SqlHook::Need::required ||
                        (hook.need == SqlHook::Need::required_for_sql_control &&
                         engine.transaction == cpb::odbc::TransactionControl::sql_statements);
    if (needed && !has(files, folder + std::string(hook.name))) problems.push_back("missing hook " + std::string(hook.name));
  }
  if (has(files, folder + "own_settings") != has(files, folder + "restore_settings"))
    problems.push_back("own_settings and restore_settings go together");
  for (const SqlFile& f : files) {
    if (f.name.substr(0, folder.size()) != folder) continue;
    const std::string base(f.name.substr(folder.size()));
    if (!cpb::odbc::find_sql_hook(base) && !has(files, "plugin/" + base))
      problems.push_back("undeclared file " + base + ": neither a hook of sql_hooks() nor an override of sql/plugin/" + base + ".sql");
  }
  return problems;
}

TEST(SqlHooks, EveryEngineProvidesItsRequiredHooksAndNoUndeclaredFile) {
  for (const Engine& e : cpb::odbc::engines())
    EXPECT_EQ(hook_problems(cpb::sql_files(), e), std::vector<std::string>{}) << e.name;
}

TEST(SqlHooks, AMissingHookAndAnUndeclaredFileAreFound) {
  const Engine& sqlite = cpb::odbc::engines().front();
  ASSERT_EQ(sqlite.name, "sqlite");
  std::vector<SqlFile> files;
  for (const SqlFile& f : cpb::sql_files())
    if (f.name != "plugin/sqlite/rollback") files.push_back(f);
  files.push_back({"plugin/sqlite/after_batch", "SELECT 1"});
  files.push_back({"plugin/sqlite/own_settings", "SELECT 1"});
  EXPECT_EQ(hook_problems(files, sqlite),
            (std::vector<std::string>{"missing hook rollback", "own_settings and restore_settings go together",
                                      "undeclared file after_batch: neither a hook of sql_hooks() nor an override of sql/plugin/after_batch.sql"}));
}

TEST(SqlHooks, ThePluginAsksForNoUndeclaredOptionalFile) {
  const Engine& e = cpb::odbc::engines().front();
  EXPECT_THROW(cpb::sql_exists("plugin/after_batch", e), std::logic_error);
  EXPECT_THROW(cpb::sql_exists("plugin/check_user", e), std::logic_error);  // a statement, not a hook
  EXPECT_NO_THROW(cpb::sql_exists("plugin/analyze_stage", e));
}

// The working tables temp_tables.sql creates on engine e.
std::vector<std::string> working_tables(const Engine& e) {
  const std::string created = cpb::sql_text("plugin/temp_tables", e);
  const std::regex create(R"(CREATE TEMP(ORARY)? TABLE IF NOT EXISTS (\w+))");
  std::vector<std::string> names;
  for (auto m = std::sregex_iterator(created.begin(), created.end(), create); m != std::sregex_iterator(); ++m) names.push_back((*m)[2].str());
  return names;
}

TEST(SqlHooks, AnEngineThatEmptiesItsWorkingTablesAtARunsStartEmptiesEveryOne) {
  int engines_deleting = 0;
  for (const Engine& e : cpb::odbc::engines()) {
    const std::string text = cpb::sql_text("plugin/temp_tables", e);
    if (text.find("DELETE FROM") == std::string::npos) continue;  // PostgreSQL's empty themselves at commit
    ++engines_deleting;
    const std::vector<std::string> tables = working_tables(e);
    EXPECT_GE(tables.size(), 7u) << e.name;
    for (const std::string& t : tables) EXPECT_NE(text.find("DELETE FROM " + t + ";"), std::string::npos) << e.name << ": " << t;
  }
  EXPECT_EQ(engines_deleting, 2);  // SQLite and MariaDB
}

TEST(SqlHooks, AnEngineThatDropsItsWorkingTablesDropsEveryOneTempTablesCreatesAndOnlyTemporaryOnes) {
  int engines_dropping = 0;
  for (const Engine& e : cpb::odbc::engines()) {
    if (!cpb::sql_exists("plugin/drop_working_tables", e)) continue;
    ++engines_dropping;
    const std::string dropped = cpb::sql_text("plugin/drop_working_tables", e);
    // Only DROP TEMPORARY: a DROP TABLE or a TRUNCATE would end the run's transaction on MariaDB.
    EXPECT_NE(dropped.find("DROP TEMPORARY TABLE"), std::string::npos) << e.name;
    EXPECT_EQ(dropped.find("TRUNCATE"), std::string::npos) << e.name;
    const std::vector<std::string> tables = working_tables(e);
    for (const std::string& t : tables) EXPECT_TRUE(std::regex_search(dropped, std::regex("\\b" + t + "\\b"))) << e.name << ": " << t;
    EXPECT_GE(tables.size(), 7u) << e.name;
  }
  EXPECT_EQ(engines_dropping, 1);  // MariaDB, whose InnoDB takes back a temporary table's rows one by one
}

TEST(OwnTables, EachEnginesOwnTablesSqlCreatesTheDeclaredTablesInOrder) {
  for (const Engine& e : cpb::odbc::engines()) {
    std::vector<std::string> names;
    ASSERT_NO_THROW(names = cpb::own_table_names(e)) << e.name;
    ASSERT_FALSE(names.empty()) << e.name;
    EXPECT_EQ(names.front(), "cpb_batch") << e.name;
    EXPECT_EQ(std::count(names.begin(), names.end(), "cpb_batch_lock"), e.name == "mariadb" ? 1 : 0) << e.name;
  }
}

}  // namespace
