// Servers and connections with unusual settings (issue 19): the same results
// whatever the MariaDB sql_mode of the host's connection or of the server, the
// plugin's tables in utf8mb4 on a database whose default is latin1.
#include <locale.h>

#include <algorithm>
#include <clocale>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "reliability_support.hpp"

namespace cpbtest {
namespace {

// Blank devices (empty and spaces only), which the on-record test must treat
// as no device whatever the session's sql_mode says of ''.
void blank_some_devices(const TestDatabase& db) {
  db.execute(
      "UPDATE contact SET email = '' WHERE MOD(person_id, 5) = 0 AND email IS NOT NULL;"
      "UPDATE contact SET cell_phone = '   ' WHERE MOD(person_id, 7) = 0 AND cell_phone IS NOT NULL;"
      "UPDATE contact SET email = '  ', cell_phone = '' WHERE MOD(person_id, 11) = 0;"
      "UPDATE household SET phone = ' ' WHERE MOD(household_id, 3) = 0");
}

const json kApply = {{"mode", "student_messenger_contacts"},
                     {"preferences", {{"emergency", "on"}, {"general", "on"}, {"attendance", {{"household_phone", "on"}}}}},
                     {"dry_run", false}};

// The plan of a batch's options.
json plan_of(json options) {
  options.erase("dry_run");
  options["action"] = "plan";
  return options;
}

// What a run's result says of the rows, without what differs between two
// databases by time alone.
json counts_of(const Outcome& o) {
  json out;
  for (const char* key : {"persons", "households", "updated", "unchanged", "no_device", "by_reason", "by_device", "skipped"})
    if (o.result.contains(key)) out[key] = o.result[key];
  return out;
}

// A plan, its first page of change rows, its apply, the undo of that batch,
// then the same batch without a plan: what each gives, and the masks after each writing step.
struct Runs {
  std::vector<json> results;
  std::vector<std::string> states;
};

Runs run_all(sis_plugin* p, const TestDatabase& db) {
  Runs out;
  const Context context;
  const sis_toolbar_context ctx = context.to_c();
  auto call = [&](const json& options) {
    const std::string text = options.dump();
    const char* result = nullptr;
    sis_counts counts{};
    counts.struct_size = sizeof counts;
    const sis_status s = plugin().run(p, &ctx, text.data(), text.size(), nullptr, nullptr, &counts, &result);
    Outcome o;
    o.status = s;
    o.result = json::parse(result ? result : "{}");
    o.counts = counts;
    EXPECT_EQ(s, SIS_OK) << options.dump() << " -> " << o.result.dump();
    return o;
  };
  const json plan = plan_of(kApply);
  const Outcome planned = call(plan);
  out.results.push_back(counts_of(planned));
  const Outcome page = call({{"action", "plan_rows"}, {"plan_id", planned.result.value("plan_id", 0)}, {"kind", "changes"}, {"limit", 50}});
  out.results.push_back(page.result.value("rows", json::array()));
  const Outcome applied = call({{"action", "apply"}, {"plan_id", planned.result.value("plan_id", 0)}});
  out.results.push_back(counts_of(applied));
  out.states.push_back(preference_state(db));
  const Outcome undone = call({{"action", "undo"}, {"batch_id", applied.result.value("batch_id", 0)}});
  out.results.push_back(counts_of(undone));
  out.states.push_back(preference_state(db));
  const Outcome batch = call(kApply);
  out.results.push_back(counts_of(batch));
  out.states.push_back(preference_state(db));
  return out;
}

void expect_same(const Runs& got, const Runs& want, const std::string& what) {
  ASSERT_EQ(got.results.size(), want.results.size()) << what;
  for (size_t i = 0; i < want.results.size(); ++i) EXPECT_EQ(got.results[i], want.results[i]) << what << ", step " << i;
  for (size_t i = 0; i < want.states.size(); ++i) EXPECT_TRUE(got.states[i] == want.states[i]) << what << ": the masks differ after step " << i;
}

std::string session_sql_mode(cpb::odbc::Connection& c) {
  cpb::odbc::Statement st(c);
  st.execute("SELECT @@SESSION.sql_mode");
  return st.fetch() ? st.get_text(1).value_or("") : "";
}

// A plan of kApply on the handle, whose change rows must name `name`; the plan's outcome.
Outcome plan_naming(Handle& h, const std::string& name) {
  const Outcome planned = h.run(plan_of(kApply));
  if (planned.status != SIS_OK) return planned;
  const Outcome page = h.run(json{{"action", "plan_rows"}, {"plan_id", planned.result["plan_id"]}, {"kind", "changes"}, {"limit", 1000}});
  EXPECT_EQ(page.status, SIS_OK) << page.result.dump();
  bool named = false;
  for (const json& row : page.result.value("rows", json::array())) named = named || row.value("name", "").find(name) != std::string::npos;
  EXPECT_TRUE(named) << page.result.dump();
  return planned;
}

class OddMariaDb : public testing::Test {
 protected:
  void SetUp() override {
    const auto all = backends();
    if (std::find(all.begin(), all.end(), Backend::mariadb) == all.end()) GTEST_SKIP() << "no MariaDB server (CPB_TEST_MARIADB)";
  }
};

// Issue 19.4: under EMPTY_STRING_IS_NULL (and ORACLE, whose TRIM gives NULL
// for a blank value) the blank test read blank devices as on record.
TEST_F(OddMariaDb, EverySqlModeGivesTheDefaultModesResultsOnAttachedAndOwnConnections) {
  TestDatabase reference(Backend::mariadb);
  reference.seed(300);
  blank_some_devices(reference);
  Runs want;
  {
    Handle h(reference);
    want = run_all(h.get(), reference);
  }
  ASSERT_GT(want.results.at(2).value("updated", 0), 0);
  for (const std::string mode : {"EMPTY_STRING_IS_NULL", "ORACLE", "ANSI", "TRADITIONAL", "",
                                 "PIPES_AS_CONCAT,ANSI_QUOTES,NO_BACKSLASH_ESCAPES,ONLY_FULL_GROUP_BY,STRICT_ALL_TABLES,"
                                 "NO_ZERO_DATE,NO_ZERO_IN_DATE,EMPTY_STRING_IS_NULL,IGNORE_SPACE,HIGH_NOT_PRECEDENCE"}) {
    SCOPED_TRACE("sql_mode '" + mode + "'");
    {
      // The host's own connection in that mode: the plugin's tables are made
      // on it too, and its mode is the host's again after every call.
      TestDatabase db(Backend::mariadb);
      db.seed(300);
      blank_some_devices(db);
      cpb::odbc::Connection host = db.connect();
      host.execute("SET SESSION sql_mode = '" + mode + "'");
      const std::string before = session_sql_mode(host);
      sis_plugin* p = nullptr;
      char error[1024] = {0};
      ASSERT_EQ(plugin().open_attached(host.handle(), &p, error, sizeof error), SIS_OK) << error;
      EXPECT_EQ(session_sql_mode(host), before) << "open changed the host's sql_mode";
      const Runs got = run_all(p, db);
      plugin().close(p);
      EXPECT_EQ(session_sql_mode(host), before) << "a run changed the host's sql_mode";
      expect_same(got, want, "attached");
      cpb::odbc::Connection check = db.connect();
      EXPECT_EQ(scalar(check, "SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = DATABASE() "
                              "AND table_name = 'cpb_batch' AND column_name = 'effective_date' AND data_type = 'date'"),
                1)
          << "the plugin's DATE column was made in the host's mode";
    }
    {
      // A connection the plugin opens on a server that starts every session in
      // that mode (as a server's global sql_mode would, here per connection).
      TestDatabase db(Backend::mariadb);
      db.seed(300);
      blank_some_devices(db);
      Handle h(db.connection_string() + "InitStmt={SET SESSION sql_mode='" + mode + "'};");
      expect_same(run_all(h.get(), db), want, "own connection");
    }
  }
}

// Issue 19.6: a database whose default character set is latin1, with host
// tables in utf8mb4: the plugin's tables are utf8mb4 all the same, and a name
// outside Latin-1 goes through a plan, its rows and its apply.
TEST_F(OddMariaDb, PlansWorkOnALatin1DatabaseWithANameOutsideLatin1) {
  const std::string name = "Łukasiewicz-Nguyễn 王";
  for (const bool older_tables : {false, true}) {
    SCOPED_TRACE(older_tables ? "the plugin's tables made in latin1 by an older version" : "a new database");
    TestDatabase db(Backend::mariadb);
    db.seed(60);
    db.execute("ALTER DATABASE " + db.name() + " CHARACTER SET latin1 COLLATE latin1_swedish_ci");
    if (older_tables) {
      { Handle first(db); }
      cpb::odbc::Connection c = db.connect();
      for (const Row& row : query(c, "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() "
                                     "AND table_name LIKE 'cpb!_%' ESCAPE '!'"))
        c.execute("ALTER TABLE " + row.at(0).value() + " CONVERT TO CHARACTER SET latin1 COLLATE latin1_swedish_ci");
      ASSERT_GT(scalar(c, "SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = DATABASE() "
                          "AND table_name = 'cpb_plan_row' AND character_set_name = 'latin1'"),
                0);
    }
    {
      cpb::odbc::Connection c = db.connect();
      // Every enrolled student's last name outside Latin-1: the plan's rows name them.
      c.execute("UPDATE person SET last_name = '" + name + "' WHERE person_id IN (SELECT person_id FROM enrollment)");
      ASSERT_EQ(scalar(c, "SELECT COUNT(*) FROM person WHERE last_name = '" + name + "'") > 0, true);
    }
    Handle h(db);
    const Outcome planned = plan_naming(h, name);
    ASSERT_EQ(planned.status, SIS_OK) << planned.result.dump();
    const Outcome applied = h.run(json{{"action", "apply"}, {"plan_id", planned.result["plan_id"]}});
    ASSERT_EQ(applied.status, SIS_OK) << applied.result.dump();
    EXPECT_EQ(applied.result["updated"], planned.result["updated"]);
    cpb::odbc::Connection c = db.connect();
    EXPECT_EQ(scalar(c, "SELECT COUNT(*) FROM information_schema.columns WHERE table_schema = DATABASE() "
                        "AND table_name LIKE 'cpb!_%' ESCAPE '!' AND character_set_name IS NOT NULL AND character_set_name <> 'utf8mb4'"),
              0)
        << "a plugin table is not in utf8mb4";
  }
}

// MariaDB matches a search by a regular expression (plan_search.sql): on a
// server whose sessions start with default_regex_flags EXTENDED, a bare space
// or # in it would be no part of the pattern, and "st. john #2" would find
// nobody. The text is taken literally under those flags too, whatever its case.
TEST_F(OddMariaDb, SearchTakesItsTextLiterallyWhateverTheServersRegexFlags) {
  const std::string name = "St. John #2 (Ölçer)";
  TestDatabase db(Backend::mariadb);
  db.seed(60);
  {
    cpb::odbc::Connection c = db.connect();
    c.execute("UPDATE person SET last_name = '" + name + "' WHERE person_id IN (SELECT MIN(person_id) FROM enrollment)");
  }
  for (const std::string flags : {"EXTENDED", "EXTENDED,UNGREEDY,DOTALL,MULTILINE", ""}) {
    SCOPED_TRACE("default_regex_flags '" + flags + "'");
    Handle h(db.connection_string() + "InitStmt={SET SESSION default_regex_flags='" + flags + "'};");
    const Outcome planned = plan_naming(h, name);
    ASSERT_EQ(planned.status, SIS_OK) << planned.result.dump();
    const auto search = [&](const std::string& text) {
      const Outcome o = h.run(json{{"action", "plan_rows"}, {"plan_id", planned.result["plan_id"]}, {"kind", "changes"}, {"search", text}, {"limit", 1000}});
      EXPECT_EQ(o.status, SIS_OK) << o.result.dump();
      return o;
    };
    for (const std::string text : {"st. john #2 (ÖLÇER)", "JOHN #2", "n #2 (ö"}) {
      const Outcome found = search(text);
      ASSERT_GT(found.result.value("total", 0), 0) << text << ": " << found.result.dump();
      for (const json& row : found.result["rows"]) EXPECT_NE(row.value("name", "").find(name), std::string::npos) << text << ": " << row.dump();
    }
    for (const std::string text : {"st.john", "john#2", "st. john #2 (x"}) EXPECT_EQ(search(text).result.value("total", -1), 0) << text;
  }
}

// The locale environment of a host process (LC_ALL), put back (and the
// process's locale with it) when the test ends.
class LocaleEnvironment {
 public:
  explicit LocaleEnvironment(const char* locale) {
    if (const char* was = std::getenv("LC_ALL")) before_ = was;
    setenv("LC_ALL", locale, 1);
  }
  ~LocaleEnvironment() {
    if (before_) setenv("LC_ALL", before_->c_str(), 1);
    else unsetenv("LC_ALL");
    std::setlocale(LC_ALL, "C");
  }

 private:
  std::optional<std::string> before_;
};

class OddLocale : public testing::TestWithParam<Backend> {};

// Issue 19.7: psqlODBC sets the process's LC_CTYPE from the environment on its
// first connect; under tr_TR.UTF-8 (no i/I case pair) unixODBC then matched no
// Driver= keyword, and every later open failed with IM002. Every engine opens,
// again and again in one process, and names outside ASCII come through whole.
TEST_P(OddLocale, ThePluginOpensAndRunsUnderATurkishLocaleAgainAndAgain) {
  locale_t turkish = newlocale(LC_ALL_MASK, "tr_TR.UTF-8", static_cast<locale_t>(0));
  ASSERT_NE(turkish, static_cast<locale_t>(0)) << "the tr_TR.UTF-8 locale is not installed (scripts/install-deps.sh makes it)";
  freelocale(turkish);
  TestDatabase db(GetParam());
  db.seed(60);
  const std::string name = "Işık-Çağlar İğdır";
  LocaleEnvironment turkish_host("tr_TR.UTF-8");
  for (int open = 0; open < 3; ++open) {
    SCOPED_TRACE("open " + std::to_string(open + 1));
    cpb::odbc::Connection c = db.connect();  // the host's own connect, in the same process
    if (open == 0) c.execute("UPDATE person SET last_name = '" + name + "' WHERE person_id IN (SELECT person_id FROM enrollment)");
    Handle h(db);
    const Outcome planned = plan_naming(h, name);
    ASSERT_EQ(planned.status, SIS_OK) << planned.result.dump();
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, OddLocale, testing::ValuesIn(backends()), BackendName());

}  // namespace
}  // namespace cpbtest
