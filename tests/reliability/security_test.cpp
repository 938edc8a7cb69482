// Security: values reach SQL only as bound parameters, refusals come before
// any write, and the plugin's own tables give no one any right.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "engine.hpp"
#include "reliability_support.hpp"

namespace cpbtest {
namespace {

const json kBatch = {{"mode", "student_messenger_contacts"}, {"preferences", {{"emergency", "on"}, {"general", "off"}}}};
const std::string kInjection = "x'); DROP TABLE contact; DROP TABLE cpb_batch; --";

std::vector<std::filesystem::path> plugin_sql_files() {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(CPB_SOURCE_DIR "/sql/plugin"))
    if (entry.path().extension() == ".sql") files.push_back(entry.path());
  return files;
}

std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(SecurityStatic, PluginSqlGrantsNothingToAnyone) {
  const std::vector<std::filesystem::path> files = plugin_sql_files();
  ASSERT_GT(files.size(), 10u);
  const std::regex grant(R"(\b(GRANT|REVOKE|ALTER\s+DEFAULT\s+PRIVILEGES|OWNER\s+TO|SECURITY\s+DEFINER|CREATE\s+ROLE|CREATE\s+USER)\b)",
                         std::regex::icase);
  const std::regex comment("--[^\n]*");
  for (const auto& f : files) EXPECT_FALSE(std::regex_search(std::regex_replace(read_file(f), comment, ""), grant)) << f;
}

// Values travel as :name parameters; the only text spliced into SQL is the
// catalog's own: {{includes}}, the $device/$value/$mask/$row of a device
// taken from the fixed vocabulary, and the fixed words of the engine
// manifest's dialect ($key_integer, $own_table_options, ...).
TEST(SecurityStatic, PluginSqlSplicesOnlyVocabularyNamesIntoText) {
  const std::regex placeholder(R"(\$([A-Za-z_]+))");
  for (const auto& f : plugin_sql_files()) {
    const std::string text = read_file(f);
    for (auto it = std::sregex_iterator(text.begin(), text.end(), placeholder); it != std::sregex_iterator(); ++it) {
      // The catalog's variables (sql_catalog.cpp): names and numbers from
      // vocabulary.hpp only; "$device_new" is $device followed by "_new",
      // "$table_stage" $table followed by "_stage".
      static const std::set<std::string> variables = {"device", "value", "mask", "mask_column", "row", "table", "key", "reason", "bit"};
      static const std::set<std::string> dialect = [] {
        std::set<std::string> names;
        for (const auto& [name, text] : cpb::odbc::dialect_variables(cpb::odbc::engines().front())) names.insert(name);
        return names;
      }();
      const std::string name = (*it)[1];
      EXPECT_TRUE(variables.count(name) || dialect.count(name) || name.rfind("device_", 0) == 0 || name.rfind("table_", 0) == 0) << f << ": $" << name;
    }
  }
}

class Security : public testing::TestWithParam<Backend> {};

// Hostile text already in the host's data is read and written around, inert.
TEST_P(Security, HostileTextInHostRowsIsTreatedAsData) {
  TestDatabase db(GetParam());
  db.seed(30);
  cpb::odbc::Connection c = db.connect();
  // A student enrolled in this year's calendar of school 1, still on the rolls.
  const int64_t target =
      scalar(c, "SELECT MIN(e.person_id) FROM enrollment e JOIN calendar k ON k.calendar_id = e.calendar_id "
                "WHERE k.end_year = 2027 AND e.no_show = 0 AND e.end_date IS NULL")
          .value_or(0);
  ASSERT_GT(target, 0);
  cpb::odbc::Params p = {{"text", cpb::odbc::Value::of(kInjection)}, {"id", cpb::odbc::Value::of(target)}};
  c.execute("UPDATE contact SET email = :text, email_messenger = 0 WHERE person_id = :id", p);
  c.execute("UPDATE adhoc_filter SET name = :text", p);
  c.execute("UPDATE household SET name = :text", p);
  Handle h(db);
  const Outcome out = h.run(json{{"mode", "students"}, {"preferences", {{"emergency", "on"}, {"general", "off"}}}});
  ASSERT_EQ(out.status, SIS_OK) << out.result.dump();
  EXPECT_EQ(query(c, "SELECT email FROM contact WHERE person_id = " + std::to_string(target)).at(0).at(0), kInjection);
  EXPECT_EQ(scalar(c, "SELECT email_messenger FROM contact WHERE person_id = " + std::to_string(target)), 1)
      << "the contact with hostile text as address is on record like any other";
  EXPECT_EQ(count_rows(c, "cpb_batch"), 1);
}

TEST_P(Security, HostileFilterTypeIsQuotedInTheErrorNotRun) {
  TestDatabase db(GetParam());
  db.seed(20);
  cpb::odbc::Connection c = db.connect();
  cpb::odbc::Params p = {{"text", cpb::odbc::Value::of(kInjection)}};
  c.execute("UPDATE adhoc_filter SET filter_type = :text WHERE filter_id = 1", p);
  Handle h(db);
  const std::string before = database_state(db);
  const Outcome out = h.run(json{{"mode", "students"}, {"ad_hoc_filter_id", 1}, {"preferences", {{"emergency", "on"}}}});
  EXPECT_EQ(out.status, SIS_E_INVALID_OPTIONS) << out.result.dump();
  EXPECT_EQ(out.result["error"]["path"], "/ad_hoc_filter_id");
  EXPECT_NE(out.result["error"]["message"].get<std::string>().find(kInjection), std::string::npos);
  EXPECT_EQ(database_state(db), before);
}

TEST_P(Security, InjectionTextInOptionsAndDateIsRefusedAndTablesSurvive) {
  TestDatabase db(GetParam());
  db.seed(20);
  Handle h(db);
  const std::string before = database_state(db);
  for (const json& options :
       {json{{"mode", kInjection}, {"preferences", {{"emergency", "on"}}}},
        json{{"mode", "students"}, {"preferences", {{kInjection, "on"}}}},
        json{{"mode", "students"}, {"preferences", {{"emergency", {{kInjection, "on"}}}}}},
        json{{"mode", "students"}, {"preferences", {{"emergency", kInjection}}}},
        json{{"mode", "students"}, {"overwrite", kInjection}, {"preferences", {{"emergency", "on"}}}},
        json{{"mode", "students"}, {"ad_hoc_filter_id", kInjection}, {"preferences", {{"emergency", "on"}}}},
        json{{"action", "undo"}, {"batch_id", kInjection}}}) {
    const Outcome out = h.run(options);
    EXPECT_EQ(out.error_code(), "invalid_options") << options.dump();
  }
  Context date;
  date.effective_date = "2026-10-01'; DROP TABLE contact; --";
  EXPECT_EQ(h.run(kBatch.dump(), date).error_code(), "invalid_context");
  EXPECT_EQ(database_state(db), before);  // dumps every host and plugin table: all still there
}

// Every write the plugin could make, turned into a distinct failure: a
// refusal that still comes back as "forbidden" was decided before any write.
void install_tripwires(const TestDatabase& db) {
  const std::vector<std::pair<std::string, std::string>> writes = {
      {"contact", "INSERT OR UPDATE OR DELETE"}, {"household", "INSERT OR UPDATE OR DELETE"}, {"cpb_batch", "INSERT OR UPDATE OR DELETE"},
      {"cpb_contact_change", "INSERT OR UPDATE OR DELETE"}, {"cpb_household_change", "INSERT OR UPDATE OR DELETE"}};
  if (db.backend() == Backend::postgresql) {
    execute_whole(db, "CREATE FUNCTION tripwire() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                      "RAISE EXCEPTION 'tripwire: write to %', TG_TABLE_NAME; END $$");
    for (const auto& [table, events] : writes)
      execute_whole(db, "CREATE TRIGGER tripwire_" + table + " BEFORE " + events + " ON " + table +
                            " FOR EACH ROW EXECUTE FUNCTION tripwire()");
    return;
  }
  const bool mariadb = db.backend() == Backend::mariadb;
  for (const auto& [table, unused] : writes)
    for (const char* event : {"INSERT", "UPDATE", "DELETE"})
      execute_whole(db, "CREATE TRIGGER tripwire_" + table + "_" + event + " BEFORE " + event + " ON " + table +
                            (mariadb ? " FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'tripwire: write to " + table + "'"
                                     : " BEGIN SELECT RAISE(ABORT, 'tripwire: write to " + table + "'); END"));
}

TEST_P(Security, PermissionRefusalComesBeforeAnyWrite) {
  TestDatabase db(GetParam());
  db.seed(30);
  Handle h(db);
  install_tripwires(db);
  const std::string before = database_state(db);
  // The tripwires fire: a run that gets past the checks fails as "database".
  EXPECT_EQ(h.run(kBatch).error_code(), "database");
  struct Refusal {
    int64_t user;
    json options;
  };
  const json own_filter_of_5 = {{"mode", "students"}, {"ad_hoc_filter_id", 3}, {"preferences", {{"emergency", "on"}}}};
  for (const Refusal& r : {Refusal{2, kBatch}, Refusal{3, kBatch}, Refusal{4, kBatch}, Refusal{999, kBatch}, Refusal{1, own_filter_of_5}}) {
    SCOPED_TRACE("user " + std::to_string(r.user) + " " + r.options.dump());
    Context c;
    c.user_id = r.user;
    ProgressLog log;
    const Outcome out = h.run(r.options.dump(), c, record_progress, &log);
    EXPECT_EQ(out.status, SIS_E_FORBIDDEN) << out.result.dump();
    EXPECT_EQ(out.error_code(), "forbidden");
    EXPECT_EQ(log.phases, std::vector<std::string>{"validate"}) << "the refusal must come in the validate phase";
  }
  // The same for an undo by a user without the right.
  Context viewer;
  viewer.user_id = 2;
  EXPECT_EQ(h.run(json{{"action", "undo"}, {"batch_id", 1}}.dump(), viewer).error_code(), "forbidden");
  EXPECT_EQ(database_state(db), before);
}

// CONTRACT 10: the plugin's account needs no right to create tables once the
// cpb_ tables exist. An account with SELECT, INSERT, UPDATE and DELETE on every
// table (and temporary tables) but no CREATE opens, runs and undoes.
TEST_P(Security, AccountWithoutCreateRightRunsOnceThePluginTablesExist) {
  if (GetParam() == Backend::sqlite) GTEST_SKIP() << "SQLite has no roles: a file's rights are the file system's";
  TestDatabase db(GetParam());
  db.seed(30);
  { Handle create_tables(db); }
  const bool pg = GetParam() == Backend::postgresql;
  const std::string account = "cpb_least_" + std::to_string(getpid());
  cpb::odbc::Connection admin = db.connect();
  if (pg) {
    admin.execute_script("CREATE ROLE " + account + " LOGIN; REVOKE CREATE ON SCHEMA public FROM PUBLIC; "
                         "GRANT USAGE ON SCHEMA public TO " + account + "; "
                         "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO " + account);
  } else {
    admin.execute_script("CREATE USER '" + account + "'@'127.0.0.1'; GRANT SELECT, INSERT, UPDATE, DELETE, CREATE TEMPORARY TABLES ON " +
                         db.name() + ".* TO '" + account + "'@'127.0.0.1'");
  }
  std::string connection = db.connection_string();
  const size_t at = connection.find("Uid=");
  ASSERT_NE(at, std::string::npos) << connection;
  connection.replace(at, connection.find(';', at) - at, "Uid=" + account);
  sis_status opened = SIS_E_INTERNAL, ran = SIS_E_INTERNAL, undone = SIS_E_INTERNAL;
  std::string error;
  try {
    char buffer[2048] = {0};
    sis_plugin* p = nullptr;
    opened = plugin().open(connection.c_str(), &p, buffer, sizeof buffer);
    error = buffer;
    if (opened == SIS_OK) {
      plugin().close(p);
      Handle h(connection);
      const Outcome out = h.run(kBatch);
      ran = out.status;
      error = out.result.dump();
      undone = h.run(json{{"action", "undo"}, {"batch_id", out.result.value("batch_id", 0)}}).status;
    }
  } catch (const std::exception& e) {
    error = e.what();
  }
  if (pg) admin.execute_script("DROP OWNED BY " + account + "; DROP ROLE " + account);
  else admin.execute("DROP USER '" + account + "'@'127.0.0.1'");
  EXPECT_EQ(opened, SIS_OK) << error;
  EXPECT_EQ(ran, SIS_OK) << error;
  EXPECT_EQ(undone, SIS_OK);
}

TEST_P(Security, PluginTablesGiveAnotherRoleNoRights) {
  if (GetParam() != Backend::postgresql) GTEST_SKIP() << "PostgreSQL only: SQLite has no roles; MariaDB's grants are not checked here yet";
  TestDatabase db(GetParam());
  db.seed(20);
  Handle h(db);
  ASSERT_EQ(h.run(kBatch).status, SIS_OK);
  const std::string role = "cpb_other_" + std::to_string(getpid());
  cpb::odbc::Connection c = db.connect();
  c.execute("CREATE ROLE " + role + " LOGIN");
  int64_t rights = -1, tables = -1;
  try {
    tables = scalar(c, "SELECT COUNT(*) FROM pg_class WHERE relname LIKE 'cpb\\_%' AND relkind = 'r' AND relpersistence = 'p'").value_or(-1);
    rights = scalar(c, "SELECT COUNT(*) FROM pg_class t CROSS JOIN (VALUES ('SELECT'), ('INSERT'), ('UPDATE'), ('DELETE'), "
                       "('TRUNCATE'), ('REFERENCES'), ('TRIGGER')) AS p(privilege) "
                       "WHERE t.relname LIKE 'cpb\\_%' AND t.relkind = 'r' AND t.relpersistence = 'p' "
                       "AND has_table_privilege('" + role + "', t.oid, p.privilege)")
                 .value_or(-1);
  } catch (...) {
    c.execute("DROP ROLE " + role);
    throw;
  }
  c.execute("DROP ROLE " + role);
  EXPECT_EQ(tables, 9) << "cpb_batch, cpb_contact_change, cpb_household_change, cpb_batch_chunk, cpb_plan, cpb_plan_row, cpb_plan_member, "
                          "cpb_plan_warned_row, cpb_plan_total";
  EXPECT_EQ(rights, 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, Security, testing::ValuesIn(backends()), BackendName());

}  // namespace
}  // namespace cpbtest
