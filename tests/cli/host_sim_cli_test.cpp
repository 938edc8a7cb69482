// sis-host-sim's command line (CONTRACT 8), run as a separate program: exit
// codes, what goes to stdout and stderr, and what lands in the database.
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <utility>
#include <vector>

#include "database.hpp"
#include "test_support.hpp"

namespace cpbtest {
namespace {

namespace fs = std::filesystem;

struct Ran {
  int exit_code = -1;
  std::string out;
  std::string err;
};

std::string quoted(const std::string& s) {
  std::string q = "'";
  for (char ch : s) q += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
  return q + "'";
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

size_t lines(const std::string& s) { return static_cast<size_t>(std::count(s.begin(), s.end(), '\n')); }

const char* const kOptions = R"({"mode": "student_messenger_contacts", "preferences": {"emergency": "on", "attendance": {"cell_phone": "on"}}})";

class HostSimCli : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("cpbcli_" + std::to_string(getpid()) + "_" +
                                        testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(path(name), std::ios::binary) << text;
    return path(name);
  }

  // Runs the simulator with `args` (already quoted), stdin from `input` (or
  // nothing), stdout and stderr to files; `env` is prefixed (NAME=value ...).
  Ran sim(const std::string& args, const std::string& input = {}, const std::string& env = {}) const {
    const std::string in = write("stdin.txt", input);
    const std::string command = env + " " + quoted(SIS_HOST_SIM) + " " + args + " <" + quoted(in) + " >" + quoted(path("stdout.txt")) + " 2>" +
                                quoted(path("stderr.txt"));
    const int status = std::system(command.c_str());
    Ran r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = read_file(path("stdout.txt"));
    r.err = read_file(path("stderr.txt"));
    return r;
  }

  // A seeded embedded database: the path, ready for run.
  std::string seeded(int students = 120) const {
    const std::string db = path("sis.db");
    const Ran init = sim("init --db " + quoted(db));
    EXPECT_EQ(init.exit_code, 0) << init.err;
    const Ran seed = sim("seed --db " + quoted(db) + " --students " + std::to_string(students));
    EXPECT_EQ(seed.exit_code, 0) << seed.err;
    return db;
  }

  static std::string run_args(const std::string& db) { return "run --db " + quoted(db) + " --year 2027 --user 1 --date 2026-10-01"; }

  fs::path dir_;
};

json parse(const Ran& r) {
  const json j = json::parse(r.out, nullptr, false);
  EXPECT_FALSE(j.is_discarded()) << "stdout is not JSON: " << r.out;
  return j;
}

TEST_F(HostSimCli, InitCreatesTheSchemaAndIsIdempotent) {
  const std::string db = path("sis.db");
  const Ran first = sim("init --db " + quoted(db));
  EXPECT_EQ(first.exit_code, 0) << first.err;
  const Ran second = sim("init --db " + quoted(db));
  EXPECT_EQ(second.exit_code, 0) << second.err;
  cpb::odbc::Connection c = cpb::odbc::Connection::open(host::connection_string(db));
  EXPECT_EQ(scalar(c, "SELECT COUNT(*) FROM contact"), 0);
  EXPECT_EQ(scalar(c, "SELECT COUNT(*) FROM adhoc_filter_member"), 0);
}

TEST_F(HostSimCli, SeedPrintsItsSummaryJson) {
  const std::string db = path("sis.db");
  ASSERT_EQ(sim("init --db " + quoted(db)).exit_code, 0);
  const Ran seed = sim("seed --db " + quoted(db) + " --students 120 --seed 3");
  ASSERT_EQ(seed.exit_code, 0) << seed.err;
  const json summary = parse(seed);
  EXPECT_EQ(summary["students"], 120);
  cpb::odbc::Connection c = cpb::odbc::Connection::open(host::connection_string(db));
  EXPECT_EQ(summary["contacts"], scalar(c, "SELECT COUNT(*) FROM person WHERE student_number IS NULL AND staff_number IS NULL").value_or(-1));
  EXPECT_EQ(summary["staff"], scalar(c, "SELECT COUNT(*) FROM person WHERE staff_number IS NOT NULL").value_or(-1));
  EXPECT_EQ(summary["schools"], scalar(c, "SELECT COUNT(*) FROM school").value_or(-1));
  EXPECT_EQ(scalar(c, "SELECT COUNT(*) FROM person WHERE student_number IS NOT NULL"), 120);
}

TEST_F(HostSimCli, RunPrintsTheResultJsonAndExitsZero) {
  const std::string db = seeded();
  const Ran run = sim(run_args(db) + " --options " + quoted(write("options.json", kOptions)));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const json result = parse(run);
  EXPECT_EQ(result["batch_id"], 1);
  EXPECT_EQ(result["mode"], "student_messenger_contacts");
  EXPECT_GT(result["updated"].get<int64_t>(), 0);
  EXPECT_EQ(run.err, "") << "no progress when stderr is not a terminal";
  cpb::odbc::Connection c = cpb::odbc::Connection::open(host::connection_string(db));
  EXPECT_EQ(scalar(c, "SELECT updated FROM cpb_batch WHERE batch_id = 1"), result["updated"].get<int64_t>());
}

TEST_F(HostSimCli, RunShowsProgressOnStderrWhenItIsATerminal) {
  const std::string db = seeded();
  const std::string options = write("options.json", kOptions);
  // script(1) gives the run a terminal; stdout still goes to a file of its own.
  const std::string inner = quoted(SIS_HOST_SIM) + " " + run_args(db) + " --options " + quoted(options) + " >" + quoted(path("stdout.txt"));
  const std::string command = "script -q -e -c " + quoted(inner) + " " + quoted(path("terminal.txt")) + " </dev/null >/dev/null 2>&1";
  const int status = std::system(command.c_str());
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << read_file(path("terminal.txt"));
  const std::string terminal = read_file(path("terminal.txt"));
  for (const std::string phase : {"[1/5] validate", "[2/5] targets", "[3/5] count", "[4/5] write", "[5/5] commit"})
    EXPECT_NE(terminal.find(phase), std::string::npos) << phase << " in: " << terminal;
  const json result = json::parse(read_file(path("stdout.txt")), nullptr, false);
  ASSERT_FALSE(result.is_discarded()) << "stdout holds the result JSON alone";
  EXPECT_EQ(result["batch_id"], 1);
}

TEST_F(HostSimCli, BadRunExitsNonZeroWithErrorJsonOnStdoutAndOneLineOnStderr) {
  const std::string db = seeded();
  const Ran run = sim(run_args(db) + " --options " +
                      quoted(write("options.json", R"({"mode": "students", "preferences": {"bedtime": "on"}})")));
  EXPECT_NE(run.exit_code, 0);
  const json error = parse(run);
  EXPECT_EQ(error["error"]["code"], "invalid_options");
  EXPECT_EQ(error["error"]["path"], "/preferences/bedtime");
  EXPECT_EQ(lines(run.err), 1u) << run.err;
  EXPECT_NE(run.err.find("invalid_options"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("bedtime"), std::string::npos) << run.err;
  cpb::odbc::Connection c = cpb::odbc::Connection::open(host::connection_string(db));
  EXPECT_EQ(scalar(c, "SELECT COUNT(*) FROM cpb_batch"), 0);
}

TEST_F(HostSimCli, RunRefusedByThePluginExitsNonZeroWithItsCode) {
  const std::string db = seeded();
  const Ran run = sim("run --db " + quoted(db) + " --year 2027 --user 2 --date 2026-10-01 --options -", kOptions);
  EXPECT_NE(run.exit_code, 0);
  EXPECT_EQ(parse(run)["error"]["code"], "forbidden");
  EXPECT_EQ(lines(run.err), 1u) << run.err;
}

TEST_F(HostSimCli, RunOnADatabaseThatCannotBeOpenedExitsNonZeroWithErrorJson) {
  const Ran run = sim(run_args(path("missing/folder/sis.db")) + " --options -", kOptions);
  EXPECT_NE(run.exit_code, 0);
  EXPECT_EQ(parse(run)["error"]["code"], "database");
  EXPECT_EQ(lines(run.err), 1u) << run.err;
}

TEST_F(HostSimCli, RunWithMissingArgumentsExitsNonZeroWithErrorJson) {
  const std::string db = path("sis.db");
  const struct {
    std::string args;
    std::string code;
    std::string words;
  } cases[] = {
      {"run --db " + quoted(db) + " --user 1 --options -", "invalid_context", "--year"},
      {"run --db " + quoted(db) + " --year 2027 --options -", "invalid_context", "--user"},
      {"run --db " + quoted(db) + " --year twenty --user 1 --options -", "invalid_context", "whole number"},
      {"run --db " + quoted(db) + " --year 2027 --user 1 --options " + quoted(path("missing.json")), "invalid_options", "cannot read"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.args);
    const Ran r = sim(c.args, kOptions);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(parse(r)["error"]["code"], c.code) << r.out;
    EXPECT_EQ(lines(r.err), 1u) << r.err;
    EXPECT_NE(r.err.find(c.words), std::string::npos) << r.err;
  }
}

TEST_F(HostSimCli, OptionsDashReadsStdin) {
  const std::string db = seeded();
  const Ran run = sim(run_args(db) + " --options -", R"({"mode": "students", "preferences": {"general": "on"}, "dry_run": true})");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const json result = parse(run);
  EXPECT_EQ(result["mode"], "students");
  EXPECT_EQ(result["dry_run"], true);
  EXPECT_GT(result["by_reason"]["general"]["updated"].get<int64_t>() + result["by_reason"]["general"]["unchanged"].get<int64_t>(), 0);
}

TEST_F(HostSimCli, DescribePrintsThePluginsJson) {
  const Ran describe = sim("describe");
  ASSERT_EQ(describe.exit_code, 0) << describe.err;
  const json d = parse(describe);
  EXPECT_EQ(d["name"], "contact_preferences_batch");
  EXPECT_EQ(d, json::parse(plugin().describe())) << "the same JSON the loaded plugin describes";
}

TEST_F(HostSimCli, HistoryListsBatchesAndShowBatchPrintsOneWithItsChanges) {
  const std::string db = seeded();
  const Ran empty = sim("history --db " + quoted(db));
  ASSERT_EQ(empty.exit_code, 0) << empty.err;
  EXPECT_NE(empty.out.find("no batch"), std::string::npos) << empty.out;
  const Ran none = sim("show-batch --db " + quoted(db) + " 1");
  EXPECT_EQ(none.exit_code, 1);
  EXPECT_EQ(none.err, "sis-host-sim: batch 1 does not exist\n");

  ASSERT_EQ(sim(run_args(db) + " --options -", kOptions).exit_code, 0);
  ASSERT_EQ(sim(run_args(db) + " --options -", R"({"action": "undo", "batch_id": 1})").exit_code, 0);
  const Ran history = sim("history --db " + quoted(db));
  ASSERT_EQ(history.exit_code, 0) << history.err;
  EXPECT_EQ(lines(history.out), 3u) << history.out;  // heading and two batches
  std::istringstream rows(history.out);
  std::string heading, first, second;
  std::getline(rows, heading);
  std::getline(rows, first);
  std::getline(rows, second);
  EXPECT_NE(heading.find("batch"), std::string::npos);
  // The heading says what the counts are: cells for an apply, rows for an undo.
  EXPECT_NE(heading.find("unit"), std::string::npos) << heading;
  EXPECT_NE(heading.find("cells = preference cells"), std::string::npos) << heading;
  EXPECT_NE(heading.find("rows = host rows"), std::string::npos) << heading;
  EXPECT_NE(first.find(" cells "), std::string::npos) << first;
  EXPECT_NE(second.find(" rows "), std::string::npos) << second;
  EXPECT_EQ(first.rfind("1 ", 0), 0u) << first;
  EXPECT_NE(first.find("admin"), std::string::npos) << first;
  EXPECT_NE(first.find("student_messenger_contacts"), std::string::npos) << first;
  EXPECT_NE(first.find("undone by 2"), std::string::npos) << first;
  EXPECT_EQ(second.rfind("2 ", 0), 0u) << second;
  EXPECT_NE(second.find("undo"), std::string::npos) << second;
  EXPECT_NE(second.find("undoes 1"), std::string::npos) << second;

  const Ran show = sim("show-batch --db " + quoted(db) + " 1");
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_EQ(show.out.rfind("batch 1: apply, undone\n", 0), 0u) << show.out;
  EXPECT_NE(show.out.find("by        admin"), std::string::npos) << show.out;
  EXPECT_NE(show.out.find("effective 2026-10-01"), std::string::npos) << show.out;
  EXPECT_NE(show.out.find("undone by batch 2"), std::string::npos) << show.out;
  // One line per changed row, naming the person and the reasons turned on.
  cpb::odbc::Connection c = cpb::odbc::Connection::open(host::connection_string(db));
  const std::vector<Row> change = query(
      c, "SELECT ch.person_id, p.first_name, p.last_name FROM cpb_contact_change ch JOIN person p ON p.person_id = ch.person_id "
         "WHERE ch.batch_id = 1 AND ch.old_cell_phone_messenger IS NULL AND ch.new_cell_phone_messenger = 3 ORDER BY ch.person_id");
  ASSERT_FALSE(change.empty());
  const std::string line = "  contact " + change[0][0].value_or("") + " (" + change[0][1].value_or("") + " " + change[0][2].value_or("") +
                           ")  cell_phone: on emergency,attendance";
  EXPECT_NE(show.out.find(line), std::string::npos) << "missing \"" << line << "\" in\n" << show.out;
  const int64_t changed = scalar(c, "SELECT COUNT(*) FROM cpb_contact_change WHERE batch_id = 1").value_or(0) +
                          scalar(c, "SELECT COUNT(*) FROM cpb_household_change WHERE batch_id = 1").value_or(0);
  EXPECT_EQ(static_cast<int64_t>(lines(show.out)), 9 + changed) << show.out;  // an apply lists no conflicts  // 9 lines of header, one per row

  const Ran undo = sim("show-batch --db " + quoted(db) + " 2");
  ASSERT_EQ(undo.exit_code, 0) << undo.err;
  EXPECT_NE(undo.out.find("undoes    batch 1"), std::string::npos) << undo.out;
  EXPECT_NE(undo.out.find("conflicts: 0 rows"), std::string::npos) << undo.out;
  EXPECT_NE(undo.out.find("cell_phone: off emergency,attendance"), std::string::npos) << undo.out;

  const Ran missing = sim("show-batch --db " + quoted(db) + " 42");
  EXPECT_NE(missing.exit_code, 0);
  EXPECT_NE(missing.err.find("batch 42 does not exist"), std::string::npos) << missing.err;
  const Ran malformed = sim("show-batch --db " + quoted(db) + " first");
  EXPECT_EQ(malformed.exit_code, 2);
  EXPECT_NE(malformed.err.find("show-batch takes a batch number, not \"first\""), std::string::npos) << malformed.err;
}

TEST_F(HostSimCli, DemoOnAFreshEmbeddedDatabaseUpdatesPreferences) {
  // Without --db the demo makes its database in the temporary folder.
  const Ran demo = sim("demo --students 150", {}, "TMPDIR=" + quoted(dir_.string()));
  ASSERT_EQ(demo.exit_code, 0) << demo.err;
  const json result = parse(demo);
  EXPECT_EQ(result["batch_id"], 1);
  EXPECT_GT(result["updated"].get<int64_t>(), 0);
  EXPECT_NE(demo.err.find("150 students"), std::string::npos) << demo.err;
  EXPECT_NE(demo.err.find(" at " + dir_.string() + "/sis-host-sim-demo-"), std::string::npos) << demo.err;
  // With --db an existing host database is replaced, not reused.
  const std::string db = seeded();
  const Ran again = sim("demo --db " + quoted(db) + " --students 150");
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(parse(again)["batch_id"], 1);
  EXPECT_EQ(parse(again)["updated"], result["updated"]) << "the same district and batch give the same counts";
  EXPECT_NE(again.err.find("sis-host-sim serve --db " + db), std::string::npos) << "says how to open the wizard: " << again.err;
}

TEST_F(HostSimCli, DemoLeavesAFileThatIsNotAHostDatabaseAlone) {
  const std::string text = "not a database: someone's notes";
  const std::string notes = write("notes.db", text);
  const Ran demo = sim("demo --db " + quoted(notes) + " --students 150");
  EXPECT_NE(demo.exit_code, 0);
  EXPECT_NE(demo.err.find("not a host database"), std::string::npos) << demo.err;
  EXPECT_EQ(read_file(notes), text);
}

TEST_F(HostSimCli, MissingPluginFileGivesAClearMessageAndFails) {
  const std::string missing = path("no/libcontact_prefs_batch.so");
  for (const std::string command : {"describe", "demo", "run --db x.db --year 2027 --user 1 --options -"}) {
    SCOPED_TRACE(command);
    const Ran r = sim(command + " --plugin " + quoted(missing), kOptions);
    EXPECT_NE(r.exit_code, 0);
    if (command.rfind("run", 0) == 0) {  // run answers every failure with error JSON on stdout
      EXPECT_EQ(parse(r)["error"]["code"], "internal") << r.out;
    } else {
      EXPECT_EQ(r.out, "");
    }
    EXPECT_EQ(lines(r.err), 1u) << r.err;
    EXPECT_NE(r.err.find("cannot load the plugin " + missing), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("no such file"), std::string::npos) << r.err;
  }
  EXPECT_FALSE(fs::exists(path("x.db")));
}

TEST_F(HostSimCli, UnknownCommandShowsUsage) {
  const Ran r = sim("frobnicate");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("unknown command \"frobnicate\""), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("usage: sis-host-sim"), std::string::npos) << r.err;
}

// The same command line against a PostgreSQL server, by connection string.
TEST_F(HostSimCli, InitSeedRunUndoAndHistoryOnPostgreSQL) {
  if (!std::getenv("CPB_TEST_PG")) GTEST_SKIP() << "CPB_TEST_PG is not set";
  TestDatabase pg(Backend::postgresql);
  const std::string db = quoted(pg.connection_string());
  ASSERT_EQ(sim("init --db " + db).exit_code, 0);
  const Ran init_again = sim("init --db " + db);
  ASSERT_EQ(init_again.exit_code, 0) << init_again.err;
  const Ran seed = sim("seed --db " + db + " --students 120");
  ASSERT_EQ(seed.exit_code, 0) << seed.err;
  EXPECT_EQ(parse(seed)["students"], 120);
  const Ran empty = sim("history --db " + db);
  ASSERT_EQ(empty.exit_code, 0) << empty.err;
  EXPECT_NE(empty.out.find("no batch"), std::string::npos) << empty.out;
  cpb::odbc::Connection c = pg.connect();
  const std::string original = dump_host_tables(c);

  const Ran run = sim("run --db " + db + " --year 2027 --user 1 --date 2026-10-01 --options -", kOptions);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const json result = parse(run);
  EXPECT_GT(result["updated"].get<int64_t>(), 0);
  const Ran undo = sim("run --db " + db + " --year 2027 --user 1 --options -", R"({"action": "undo", "batch_id": 1})");
  ASSERT_EQ(undo.exit_code, 0) << undo.err;
  EXPECT_EQ(parse(undo)["conflicts"], 0);
  EXPECT_EQ(dump_host_tables(c), original);

  const Ran bad = sim("run --db " + db + " --year 2027 --user 1 --options -", R"({"action": "undo", "batch_id": 1})");
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_EQ(parse(bad)["error"]["code"], "conflict");
  EXPECT_EQ(lines(bad.err), 1u) << bad.err;

  const Ran history = sim("history --db " + db);
  ASSERT_EQ(history.exit_code, 0) << history.err;
  EXPECT_EQ(lines(history.out), 3u) << history.out;
  EXPECT_NE(history.out.find("undone by 2"), std::string::npos) << history.out;
  const Ran show = sim("show-batch --db " + db + " 1");
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_NE(show.out.find("cell_phone: on"), std::string::npos) << show.out;
}


TEST_F(HostSimCli, EveryCommandHasHelp) {
  const Ran top = sim("--help");
  EXPECT_EQ(top.exit_code, 0) << top.err;
  for (const char* name : {"init", "seed", "run", "plan", "plan-rows", "apply", "describe", "demo", "history", "show-batch", "serve"}) {
    const std::string command = name;
    SCOPED_TRACE(command);
    EXPECT_NE(top.out.find("  " + command + " "), std::string::npos) << top.out;
    const Ran help = sim(command + " --help");
    EXPECT_EQ(help.exit_code, 0) << help.err;
    EXPECT_NE(help.out.find("sis-host-sim " + command), std::string::npos) << help.out;
  }
  EXPECT_NE(sim("apply --help").out.find("--exclude-person"), std::string::npos);
  EXPECT_NE(sim("plan-rows --help").out.find("--csv"), std::string::npos);
  EXPECT_NE(sim("serve --help").out.find("--listen"), std::string::npos);
}

// 11.8: a mistyped --db creates nothing; only init and demo create a database.
TEST_F(HostSimCli, CommandsOnAMissingFileCreateNothing) {
  const std::string missing = path("mistyped.db");
  const std::string context = " --year 2027 --user 1 --date 2026-10-01";
  for (const std::string& command :
       {"run --db " + quoted(missing) + context + " --options -", "plan --db " + quoted(missing) + context + " --options -",
        "apply --db " + quoted(missing) + context + " --plan 1", "plan-rows --db " + quoted(missing) + context + " --plan 1",
        "history --db " + quoted(missing), "show-batch --db " + quoted(missing) + " 1", "seed --db " + quoted(missing) + " --students 5",
        "serve --db " + quoted(missing) + " --listen 127.0.0.1:0"}) {
    SCOPED_TRACE(command);
    const Ran r = sim(command, kOptions);
    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE(r.err.find("the database file " + missing + " does not exist"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(missing));
  }
  EXPECT_EQ(sim("init --db " + quoted(missing)).exit_code, 0);
  EXPECT_TRUE(fs::exists(missing));
}

// 11.8: the plugin never opens (and so never writes into) a file that is not a host database.
TEST_F(HostSimCli, AFileThatIsNotAHostDatabaseIsNotWritten) {
  const std::string text = write("notes.txt", "meeting notes, not a database\n");
  const std::string other = path("other.db");
  {
    cpb::odbc::Connection c = cpb::odbc::Connection::open(host::connection_string(other));
    c.execute("CREATE TABLE recipes (name TEXT)");
  }
  const std::string other_before = read_file(other);
  for (const std::string& db : {text, other}) {
    for (const std::string& command : {run_args(db) + " --options -", "history --db " + quoted(db), "show-batch --db " + quoted(db) + " 1",
                                      "seed --db " + quoted(db) + " --students 5"}) {
      SCOPED_TRACE(command);
      const Ran r = sim(command, kOptions);
      EXPECT_NE(r.exit_code, 0);
      EXPECT_NE(r.err.find(db + " is not a host database"), std::string::npos) << r.err;
    }
  }
  EXPECT_EQ(read_file(text), "meeting notes, not a database\n");
  EXPECT_EQ(read_file(other), other_before);
  cpb::odbc::Connection c = cpb::odbc::Connection::open(host::connection_string(other));
  EXPECT_EQ(scalar(c, "SELECT COUNT(*) FROM sqlite_master WHERE name LIKE 'cpb_%'"), 0) << "no plugin table";
  const Ran init = sim("init --db " + quoted(text));
  EXPECT_NE(init.exit_code, 0);
  EXPECT_EQ(read_file(text), "meeting notes, not a database\n");
}

// 11: names from the database reach the terminal with their control characters escaped.
TEST_F(HostSimCli, HistoryAndShowBatchEscapeControlCharactersInNames) {
  const std::string db = seeded();
  {
    cpb::odbc::Connection c = cpb::odbc::Connection::open(host::connection_string(db));
    c.execute("UPDATE user_account SET username = 'ad' || char(27) || ']0;owned' || char(7) || 'min' WHERE user_id = 1");
    c.execute("UPDATE person SET first_name = 'Eve' || char(27) || '[2J', last_name = 'Csi' || char(155) "
              "WHERE person_id IN (SELECT person_id FROM contact WHERE cell_phone IS NOT NULL)");
  }
  ASSERT_EQ(sim(run_args(db) + " --options -", kOptions).exit_code, 0);
  const Ran history = sim("history --db " + quoted(db));
  ASSERT_EQ(history.exit_code, 0) << history.err;
  EXPECT_EQ(history.out.find('\x1b'), std::string::npos) << history.out;
  EXPECT_EQ(history.out.find('\x07'), std::string::npos) << history.out;
  EXPECT_NE(history.out.find("ad\\x1b]0;owned\\x07min"), std::string::npos) << history.out;
  const Ran show = sim("show-batch --db " + quoted(db) + " 1");
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_EQ(show.out.find('\x1b'), std::string::npos);
  EXPECT_EQ(show.out.find("\xc2\x9b"), std::string::npos) << "no C1 control (CSI) either";
  EXPECT_NE(show.out.find("(Eve\\x1b[2J Csi\\u{9b})"), std::string::npos) << show.out;
}

// The plan commands of CONTRACT 9.1; skipped while the plugin does not plan.
class HostSimPlan : public HostSimCli {
 protected:
  void SetUp() override {
    HostSimCli::SetUp();
    db_ = seeded(900);
    {
      cpb::odbc::Connection c = cpb::odbc::Connection::open(host::connection_string(db_));
      before_ = dump_host_tables(c);
    }
    const Ran probe = sim("plan --db " + quoted(std::as_const(db_)) + " --year 2027 --user 1 --date 2026-10-01 --options -", kOptions);
    if (probe.exit_code != 0 && parse(probe).value("/error/path"_json_pointer, std::string()) == "/action")
      GTEST_SKIP() << "the plugin in this build does not plan yet (CONTRACT 9.1)";
    ASSERT_EQ(probe.exit_code, 0) << probe.out << probe.err;
    plan_ = parse(probe);
  }
  std::string context() const { return " --db " + quoted(std::as_const(db_)) + " --year 2027 --user 1 --date 2026-10-01"; }
  // The person_id of every contact row that differs between two reads of the contact table.
  static std::vector<int64_t> changed_contacts(const std::vector<Row>& before, const std::vector<Row>& after) {
    std::vector<int64_t> changed;
    for (size_t i = 0; i < after.size() && i < before.size(); ++i)
      if (after[i] != before[i]) changed.push_back(std::stoll(after[i][0].value_or("0")));
    return changed;
  }
  static constexpr const char* kContacts =
      "SELECT person_id, cell_phone_messenger, work_phone_messenger, other_phone_messenger, email_messenger, "
      "secondary_email_messenger, modified_by_id, modified_date FROM contact ORDER BY person_id";
  std::string db_;
  std::string before_;  // the host tables before the plan
  json plan_;
};

TEST_F(HostSimPlan, PlanPrintsThePlanJsonAndWritesNoHostRow) {
  EXPECT_TRUE(plan_["plan_id"].is_number_integer()) << plan_;
  EXPECT_TRUE(plan_["batch_id"].is_null());
  EXPECT_EQ(plan_["dry_run"], true);
  EXPECT_TRUE(plan_["summary"].is_string());
  EXPECT_TRUE(plan_["warnings"].is_array());
  EXPECT_TRUE(plan_["expires_at"].is_string());
  cpb::odbc::Connection c = cpb::odbc::Connection::open(host::connection_string(db_));
  EXPECT_EQ(dump_host_tables(c), before_) << "a plan writes no host row";
  const Ran undo = sim("plan" + context() + " --options -", R"({"action": "undo", "batch_id": 1})");
  EXPECT_EQ(undo.exit_code, 2);
  EXPECT_EQ(parse(undo)["error"]["code"], "invalid_options");
}

TEST_F(HostSimPlan, PlanRowsPagesThroughEveryRowAsATableAndAsCsv) {
  const std::string plan = std::to_string(plan_["plan_id"].get<int64_t>());
  const Ran csv = sim("plan-rows" + context() + " --plan " + plan + " --csv");
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  const Ran first = sim("run" + context() + " --options -",
                        R"({"action": "plan_rows", "plan_id": )" + plan + R"(, "kind": "changes", "after": null, "limit": 1})");
  ASSERT_EQ(first.exit_code, 0) << first.out;
  const int64_t total = parse(first)["total"].get<int64_t>();
  ASSERT_GT(total, 1000) << "more than one page of 1000";
  EXPECT_EQ(static_cast<int64_t>(lines(csv.out)), total + 1) << "a header line and every row";
  EXPECT_EQ(csv.out.rfind("person_id,", 0), 0u) << csv.out.substr(0, 200);
  const Ran table = sim("plan-rows" + context() + " --plan " + plan);
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_NE(table.out.find("(" + std::to_string(total) + " of " + std::to_string(total) + " changes rows of plan " + plan + ")"),
            std::string::npos);
  const Ran skipped = sim("plan-rows" + context() + " --plan " + plan + " --kind skipped --csv");
  ASSERT_EQ(skipped.exit_code, 0) << skipped.err;
  const Ran bad = sim("plan-rows" + context() + " --plan " + plan + " --kind everything");
  EXPECT_EQ(bad.exit_code, 2);
}

// CONTRACT 12.3 from the command line: --search, --device and --warning reach
// plan_rows as its filters; every page of the filtered list is printed.
TEST_F(HostSimPlan, PlanRowsTakesTheSearchDeviceAndWarningFilters) {
  const std::string plan = std::to_string(plan_["plan_id"].get<int64_t>());
  const auto total_of = [&](const std::string& filters) {
    const Ran first = sim("run" + context() + " --options -",
                          R"({"action": "plan_rows", "plan_id": )" + plan + R"(, "kind": "changes", "limit": 1)" + filters + "}");
    EXPECT_EQ(first.exit_code, 0) << first.out;
    return parse(first).value("total", int64_t{-1});
  };
  const auto column = [](const std::string& header, const std::string& name) {
    std::istringstream in(header);
    size_t at = 0;
    for (std::string field; std::getline(in, field, ','); ++at)
      if (field == name) return at;
    return std::string::npos;
  };
  const auto fields = [](const std::string& line) {
    std::vector<std::string> out;
    std::string field;
    bool quoted = false;
    for (char ch : line) {
      if (ch == '"') quoted = !quoted;
      else if (ch == ',' && !quoted) out.push_back(std::exchange(field, {}));
      else field += ch;
    }
    out.push_back(field);
    return out;
  };
  struct Case {
    std::string flags, filters, column, must_contain;
  };
  for (const Case& c : {Case{" --device cell_phone", R"(, "device": "cell_phone")", "device", "cell_phone"},
                        Case{" --search fAmIlY1", R"(, "search": "fAmIlY1")", "name", "family1"},
                        Case{" --warning reaches_non_targets", R"(, "warning": "reaches_non_targets")", "device", "household_phone"},
                        Case{" --search family1 --device email", R"(, "search": "family1", "device": "email")", "device", "email"}}) {
    SCOPED_TRACE(c.flags);
    const Ran csv = sim("plan-rows" + context() + " --plan " + plan + c.flags + " --csv");
    ASSERT_EQ(csv.exit_code, 0) << csv.err;
    const int64_t total = total_of(c.filters);
    ASSERT_GT(total, 0);
    EXPECT_EQ(static_cast<int64_t>(lines(csv.out)), total + 1) << "a header line and every row that matches";
    std::istringstream in(csv.out);
    std::string header;
    std::getline(in, header);
    const size_t at = column(header, c.column);
    ASSERT_NE(at, std::string::npos) << header;
    for (std::string line; std::getline(in, line);) {
      const std::vector<std::string> row = fields(line);
      ASSERT_GT(row.size(), at) << line;
      std::string value = row[at];
      std::transform(value.begin(), value.end(), value.begin(), [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
      EXPECT_NE(value.find(c.must_contain), std::string::npos) << line;
    }
  }
  // The plugin's refusals, named by path, exit 1.
  for (const char* flags : {" --device fax", " --warning empty_selection", " --search \"  \""}) {
    const Ran bad = sim("plan-rows" + context() + " --plan " + plan + flags);
    EXPECT_EQ(bad.exit_code, 1) << flags << bad.out;
    EXPECT_EQ(parse(bad)["error"]["code"], "invalid_options") << flags;
  }
}

// Names a host user typed reach a CSV file as text: a field a spreadsheet
// would run as a formula (= + - @ first) starts with ' inside quotes.
TEST_F(HostSimPlan, PlanRowsCsvNeverStartsAFieldWithAFormula) {
  {
    cpb::odbc::Connection c = cpb::odbc::Connection::open(host::connection_string(db_));
    c.execute("UPDATE person SET last_name = CASE person_id % 4 WHEN 0 THEN '=HYPERLINK(\"http://x\")' WHEN 1 THEN '+1-2' "
              "WHEN 2 THEN '@SUM(A1)' ELSE '-3' END");
  }
  const Ran plan = sim("plan" + context() + " --options -", kOptions);
  ASSERT_EQ(plan.exit_code, 0) << plan.out << plan.err;
  const std::string id = std::to_string(parse(plan)["plan_id"].get<int64_t>());
  const Ran csv = sim("plan-rows" + context() + " --plan " + id + " --csv");
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  size_t lines_seen = 0;
  for (const char* names : {"'=HYPERLINK(\"\"http://x\"\"), ", "'+1-2, ", "'@SUM(A1), ", "'-3, "})
    EXPECT_NE(csv.out.find(std::string(",\"") + names), std::string::npos) << names << " in\n" << csv.out.substr(0, 600);
  std::istringstream in(csv.out);
  for (std::string line; std::getline(in, line); ++lines_seen) {
    // A field starts after a comma (or at the line's start), possibly after a quote.
    for (size_t at = 0; at != std::string::npos; at = line.find(',', at + 1)) {
      size_t first = at == 0 && line[0] != ',' ? 0 : at + 1;
      if (first < line.size() && line[first] == '"') ++first;
      if (first < line.size()) {
        EXPECT_EQ(std::string("=+@").find(line[first]), std::string::npos) << "line " << lines_seen << ": " << line;
      }
    }
  }
  EXPECT_GT(lines_seen, 1u);
}

TEST_F(HostSimPlan, ApplyWritesThePlanLessTheExcludedPerson) {
  const std::string plan = std::to_string(plan_["plan_id"].get<int64_t>());
  const Ran page = sim("run" + context() + " --options -",
                       R"({"action": "plan_rows", "plan_id": )" + plan + R"(, "kind": "changes", "after": null, "limit": 50})");
  ASSERT_EQ(page.exit_code, 0) << page.out;
  int64_t excluded = 0;
  const json rows = parse(page)["rows"];
  for (const json& row : rows)
    if (row["person_id"].is_number_integer()) excluded = row["person_id"].get<int64_t>();
  ASSERT_NE(excluded, 0);
  cpb::odbc::Connection c = cpb::odbc::Connection::open(host::connection_string(db_));
  const std::string person_row = "contact WHERE person_id = " + std::to_string(excluded);
  const std::vector<Row> before = query(c, "SELECT * FROM " + person_row);
  const std::vector<Row> contacts = query(c, kContacts);
  const Ran apply = sim("apply" + context() + " --plan " + plan + " --exclude-person " + std::to_string(excluded));
  ASSERT_EQ(apply.exit_code, 0) << apply.out << apply.err;
  const json result = parse(apply);
  EXPECT_TRUE(result["batch_id"].is_number_integer());
  EXPECT_LT(result["updated"].get<int64_t>(), plan_["updated"].get<int64_t>());
  EXPECT_EQ(query(c, "SELECT * FROM " + person_row), before);
  EXPECT_FALSE(changed_contacts(contacts, query(c, kContacts)).empty()) << "the others are written";
  const Ran again = sim("apply" + context() + " --plan " + plan);
  EXPECT_NE(again.exit_code, 0);
  EXPECT_EQ(parse(again)["error"]["code"], "not_found") << "a plan is applied at most once";
}

TEST_F(HostSimPlan, ShowBatchListsTheConflictsOfAnUndo) {
  cpb::odbc::Connection c = cpb::odbc::Connection::open(host::connection_string(db_));
  const std::vector<Row> contacts = query(c, kContacts);
  const Ran run = sim("run" + context() + " --options -", kOptions);
  ASSERT_EQ(run.exit_code, 0) << run.out;
  const int64_t batch = parse(run)["batch_id"].get<int64_t>();
  const std::vector<int64_t> written = changed_contacts(contacts, query(c, kContacts));
  ASSERT_FALSE(written.empty());
  const std::optional<int64_t> changed = written.front();
  c.execute("UPDATE contact SET cell_phone_messenger = 255, email_messenger = 255, modified_by_id = 5 WHERE person_id = " +
            std::to_string(*changed));
  const Ran undo = sim("run" + context() + " --options -", R"({"action": "undo", "batch_id": )" + std::to_string(batch) + "}");
  ASSERT_EQ(undo.exit_code, 0) << undo.out;
  const json result = parse(undo);
  EXPECT_EQ(result["conflicts"], 1);
  const Ran show = sim("show-batch --db " + quoted(std::as_const(db_)) + " " + std::to_string(result["batch_id"].get<int64_t>()));
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_NE(show.out.find("conflicts: 1 row changed since the batch, left alone"), std::string::npos) << show.out;
  EXPECT_NE(show.out.find("  person " + std::to_string(*changed) + " ("), std::string::npos) << show.out;
}

// A number a flag's variable cannot hold, or one out of the flag's range, is
// refused naming the flag (exit 2, nothing run or written), never cut to fit:
// a year of 4294969323 is not run as 2026-27.
TEST_F(HostSimCli, NumbersOutOfAFlagsRangeAreRefusedNamingTheFlag) {
  const std::string db = seeded(20);
  cpb::odbc::Connection c = cpb::odbc::Connection::open(host::connection_string(db));
  const std::string before = dump_host_tables(c);
  const std::string options = write("options.json", kOptions);
  for (const auto& [flags, flag] : std::vector<std::pair<std::string, std::string>>{
           {"--year 4294969323 --user 1", "--year"},
           {"--year 2147483648 --user 1", "--year"},
           {"--year 2027 --user 1 --school 18446744073709551615", "--school"},
           {"--year 2027 --user 1 --calendar 99999999999999999999", "--calendar"},
           {"--year 2027 --user 18446744073709551617", "--user"}}) {
    const Ran r = sim("run --db " + quoted(db) + " " + flags + " --date 2026-10-01 --options " + quoted(options));
    EXPECT_EQ(r.exit_code, 2) << flags << "\n" << r.out;
    const json error = parse(r)["error"];
    EXPECT_EQ(error.value("code", ""), "invalid_context") << flags;
    EXPECT_NE(error.value("message", "").find(flag + ": takes a whole number"), std::string::npos) << error.dump();
    EXPECT_EQ(error.value("message", "").find("Could not convert"), std::string::npos) << error.dump();
  }
  for (const auto& [args, flag] : std::vector<std::pair<std::string, std::string>>{
           {"seed --db " + quoted(db) + " --students 99999999999999999999", "--students"},
           {"seed --db " + quoted(db) + " --students 1000001", "--students"},
           {"seed --db " + quoted(db) + " --students 0", "--students"},
           {"seed --db " + quoted(db) + " --students 10 --year 4294969323", "--year"},
           {"seed --db " + quoted(db) + " --students 10 --year 99", "--year"},
           {"demo --db " + quoted(path("demo.db")) + " --students -5", "--students"},
           {"serve --db " + quoted(db) + " --user 0", "--user"},
           {"serve --db " + quoted(db) + " --user 18446744073709551617", "--user"}}) {
    const Ran r = sim(args);
    EXPECT_EQ(r.exit_code, 2) << args << "\n" << r.err;
    EXPECT_NE(r.err.find(flag + ": takes a whole number from"), std::string::npos) << args << "\n" << r.err;
  }
  EXPECT_EQ(dump_host_tables(c), before);
  EXPECT_FALSE(fs::exists(path("demo.db")));
}

}  // namespace
}  // namespace cpbtest
