// Concurrency: handles in different threads run overlapping batches at the
// same time. Each call succeeds or reports conflict/database; the end state is
// the batches applied one after the other, and each count is what it changed.
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "reliability_support.hpp"

namespace cpbtest {
namespace {

constexpr int64_t kStudents = 120;
constexpr int kRounds = 10;
// to_c() points into the Context, so the one it comes from must outlive the call.
const Context kDefaults;

// Two batches that write many of the same rows: students are often their own
// Messenger contacts, and both set household phones.
struct Batch {
  json options;
  int64_t user_id;
};
const Batch kA = {{{"mode", "students"}, {"preferences", {{"emergency", "on"}, {"attendance", "off"}}}}, 1};
const Batch kB = {{{"mode", "student_messenger_contacts"}, {"preferences", {{"emergency", "off"}, {"general", "on"}}}, {"confirm", {"emergency_off"}}}, 5};

Context context_of(const Batch& b) {
  Context c;
  c.user_id = b.user_id;
  return c;
}

// A start line for threads, so that both calls begin together.
class StartGate {
 public:
  void wait() {
    std::unique_lock<std::mutex> lock(mutex_);
    ready_.wait(lock, [&] { return open_; });
  }
  void open() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      open_ = true;
    }
    ready_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable ready_;
  bool open_ = false;
};

// The two orders, run one after the other on fresh districts.
struct Order {
  int64_t first_updated = 0, first_unchanged = 0, second_updated = 0, second_unchanged = 0;
  std::string after_first, after_both;
};

Order sequential(Backend backend, const Batch& first, const Batch& second) {
  TestDatabase db(backend);
  db.seed(kStudents);
  Handle h(db);
  Order o;
  const Outcome a = h.run(first.options, context_of(first));
  EXPECT_EQ(a.status, SIS_OK) << a.result.dump();
  o.first_updated = a.counts.updated;
  o.first_unchanged = a.counts.unchanged;
  o.after_first = preference_state(db);
  const Outcome b = h.run(second.options, context_of(second));
  EXPECT_EQ(b.status, SIS_OK) << b.result.dump();
  o.second_updated = b.counts.updated;
  o.second_unchanged = b.counts.unchanged;
  o.after_both = preference_state(db);
  return o;
}

bool acceptable(sis_status s) { return s == SIS_OK || s == SIS_E_CONFLICT || s == SIS_E_DATABASE; }

class Concurrency : public testing::TestWithParam<Backend> {};

TEST_P(Concurrency, OverlappingBatchesOnTwoHandlesEndAsIfRunOneAfterTheOther) {
  const Order ab = sequential(GetParam(), kA, kB);
  const Order ba = sequential(GetParam(), kB, kA);
  ASSERT_NE(ab.after_both, ba.after_both) << "the two batches must not commute, or the order goes unseen";
  ASSERT_GT(ab.second_updated, 0);
  ASSERT_GT(ba.second_updated, 0);

  int both_succeeded = 0;
  for (int round = 0; round < kRounds; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    TestDatabase db(GetParam());
    db.seed(kStudents);
    Handle first_open(db);  // the plugin's tables exist before the race
    const std::string fresh = preference_state(db);
    Handle ha(db), hb(db);
    StartGate gate;
    std::optional<Outcome> out_a, out_b;
    std::thread ta([&] {
      gate.wait();
      out_a = ha.run(kA.options, context_of(kA));
    });
    std::thread tb([&] {
      gate.wait();
      out_b = hb.run(kB.options, context_of(kB));
    });
    gate.open();
    ta.join();
    tb.join();
    ASSERT_TRUE(out_a && out_b);
    EXPECT_TRUE(acceptable(out_a->status)) << out_a->result.dump();
    EXPECT_TRUE(acceptable(out_b->status)) << out_b->result.dump();
    const bool a_ok = out_a->status == SIS_OK;
    const bool b_ok = out_b->status == SIS_OK;
    EXPECT_EQ(count_rows(db, "cpb_batch"), int64_t{a_ok} + int64_t{b_ok});
    const std::string now = preference_state(db);
    if (a_ok && b_ok) {
      ++both_succeeded;
      const bool a_first = out_a->result["batch_id"].get<int64_t>() < out_b->result["batch_id"].get<int64_t>();
      const Order& o = a_first ? ab : ba;
      const Outcome& first = a_first ? *out_a : *out_b;
      const Outcome& second = a_first ? *out_b : *out_a;
      EXPECT_EQ(now, o.after_both) << (a_first ? "A then B" : "B then A");
      EXPECT_EQ(first.counts.updated, o.first_updated);
      EXPECT_EQ(first.counts.unchanged, o.first_unchanged);
      EXPECT_EQ(second.counts.updated, o.second_updated);
      EXPECT_EQ(second.counts.unchanged, o.second_unchanged);
    } else if (a_ok) {
      EXPECT_EQ(now, ab.after_first);
      EXPECT_EQ(out_a->counts.updated, ab.first_updated);
    } else if (b_ok) {
      EXPECT_EQ(now, ba.after_first);
      EXPECT_EQ(out_b->counts.updated, ba.first_updated);
    } else {
      EXPECT_EQ(now, fresh);
    }
  }
  // Waiting for the other batch is the designed outcome on both databases.
  EXPECT_EQ(both_succeeded, kRounds);
}

TEST_P(Concurrency, HandlesOpenedAtOnceOnAFreshDatabaseAllWork) {
  TestDatabase db(GetParam());
  db.seed(20);
  constexpr int kHandles = 4;
  std::vector<std::thread> threads;
  std::vector<sis_status> opened(kHandles, SIS_E_INTERNAL), ran(kHandles, SIS_E_INTERNAL);
  std::vector<std::string> errors(kHandles);
  StartGate gate;
  for (int i = 0; i < kHandles; ++i) {
    threads.emplace_back([&, i] {
      gate.wait();
      char error[1024] = {0};
      sis_plugin* p = nullptr;
      opened[i] = plugin().open(db.connection_string().c_str(), &p, error, sizeof error);
      errors[i] = error;
      if (!p) return;
      json dry = kA.options;
      dry["dry_run"] = true;
      const std::string options = dry.dump();
      const sis_toolbar_context ctx = kDefaults.to_c();
      ran[i] = plugin().run(p, &ctx, options.data(), options.size(), nullptr, nullptr, nullptr, nullptr);
      if (ran[i] != SIS_OK) errors[i] = plugin().last_error(p);
      plugin().close(p);
    });
  }
  gate.open();
  for (std::thread& t : threads) t.join();
  for (int i = 0; i < kHandles; ++i) {
    EXPECT_EQ(opened[i], SIS_OK) << errors[i];
    if (opened[i] == SIS_OK) {
      EXPECT_EQ(ran[i], SIS_OK) << errors[i];
    }
  }
}

// An SQLite connection string whose busy timeout (the driver's Timeout=, in
// milliseconds) is `ms`.
std::string with_sqlite_timeout(std::string connection, int ms) {
  const size_t at = connection.find("Timeout=");
  if (at == std::string::npos) throw std::invalid_argument("no Timeout= in " + connection);
  return connection.replace(at, connection.find(';', at) - at, "Timeout=" + std::to_string(ms));
}

// A host transaction holding the rows the batch writes: the batch reports a
// conflict, changes nothing, and succeeds when tried again.
TEST_P(Concurrency, HostWriterHoldingTheRowsGivesConflictAndNothingChanged) {
  TestDatabase db(GetParam());
  db.seed(40);
  const bool sqlite = GetParam() == Backend::sqlite;
  const bool mariadb = GetParam() == Backend::mariadb;
  // SQLite: a short busy timeout, so that the wait for the host's lock ends soon.
  std::string connection = db.connection_string();
  if (sqlite) connection = with_sqlite_timeout(connection, 300);
  // MariaDB: a short lock wait timeout (1205) for the same reason.
  if (mariadb) connection += "InitStmt={SET SESSION innodb_lock_wait_timeout = 1};";
  Handle h(connection);
  const std::string before = database_state(db);
  cpb::odbc::Connection host = db.connect();
  std::optional<Outcome> out;
  if (sqlite) {
    host.execute("BEGIN IMMEDIATE");
    out = h.run(kA.options, context_of(kA));
    host.execute("ROLLBACK");
  } else if (mariadb) {
    // MariaDB: the batch's reads lock (SERIALIZABLE), so it waits for the
    // host's rows instead of reading past them, until its lock wait times out.
    host.set_autocommit(false);
    host.execute("UPDATE contact SET cell_phone = cell_phone");
    out = h.run(kA.options, context_of(kA));
    host.end_transaction(false);
  } else {
    // PostgreSQL: the host changes every contact row and commits while the
    // batch waits for the rows: its snapshot is then stale (40001).
    host.set_autocommit(false);
    host.execute("UPDATE contact SET cell_phone = cell_phone");
    std::thread run([&] { out = h.run(kA.options, context_of(kA)); });
    cpb::odbc::Connection watch = db.connect();
    bool waiting = false;
    for (int i = 0; i < 3000 && !waiting; ++i) {
      waiting = scalar(watch, "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() "
                              "AND wait_event_type = 'Lock'")
                    .value_or(0) > 0;
      if (!waiting) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    host.end_transaction(true);
    run.join();
    EXPECT_TRUE(waiting) << "the batch never waited for the host's rows";
  }
  ASSERT_TRUE(out);
  EXPECT_EQ(out->status, SIS_E_CONFLICT) << out->result.dump();
  EXPECT_EQ(out->error_code(), "conflict");
  EXPECT_EQ(database_state(db), before);
  const Outcome retry = h.run(kA.options, context_of(kA));
  EXPECT_EQ(retry.status, SIS_OK) << retry.result.dump();
}

// A server-side statement timeout (PostgreSQL statement_timeout, 57014;
// MariaDB max_statement_time, 1969) cancelling a batch that waits behind a host
// transaction: conflict (retry later), nothing changed; a retry succeeds.
TEST_P(Concurrency, StatementTimeoutWhileWaitingForALockGivesConflictAndNothingChanged) {
  if (GetParam() == Backend::sqlite) GTEST_SKIP() << "SQLite has no statement timeout; its busy timeout is HostWriterHolding...";
  TestDatabase db(GetParam());
  db.seed(30);
  { Handle create_tables(db); }
  const bool pg = GetParam() == Backend::postgresql;
  const std::string connection =
      db.connection_string() + (pg ? "ConnSettings={SET statement_timeout = 1000};" : "InitStmt={SET SESSION max_statement_time = 1};");
  Handle h(connection);
  const std::string before = database_state(db);
  cpb::odbc::Connection host = db.connect();
  host.set_autocommit(false);
  // What the batch's first statement waits for: the lock that serialises batches.
  host.execute(pg ? "LOCK TABLE cpb_batch IN EXCLUSIVE MODE" : "SELECT lock_id FROM cpb_batch_lock WHERE lock_id = 1 FOR UPDATE");
  const auto started = std::chrono::steady_clock::now();
  const Outcome out = h.run(kA.options, context_of(kA));
  const double waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  host.end_transaction(false);
  EXPECT_EQ(out.status, SIS_E_CONFLICT) << out.result.dump();
  EXPECT_EQ(out.error_code(), "conflict");
  EXPECT_LT(waited, 30.0) << "the statement timeout did not end the wait";
  EXPECT_EQ(database_state(db), before);
  const Outcome retry = h.run(kA.options, context_of(kA));
  EXPECT_EQ(retry.status, SIS_OK) << retry.result.dump();
}

// A page of a plan only reads (begin_read.sql): it neither waits for a batch
// holding the batch lock nor for a host writer holding the rows it lists, and
// it lists what is committed. Under begin.sql it waited for both (MariaDB's
// reads were locking reads, PostgreSQL's and SQLite's took the batch lock).
TEST_P(Concurrency, APageOfAPlanIsReadWhileABatchAndAHostWriterHoldTheirLocks) {
  TestDatabase db(GetParam());
  db.seed(30);
  const bool sqlite = GetParam() == Backend::sqlite;
  const bool pg = GetParam() == Backend::postgresql;
  // Waits that would otherwise last minutes end in a second (a conflict), so
  // that a page that waited fails the test instead of hanging it.
  std::string connection = db.connection_string();
  if (sqlite) {
    connection = with_sqlite_timeout(connection, 1000);
  } else {
    connection += pg ? "ConnSettings={SET statement_timeout = 1000};" : "InitStmt={SET SESSION innodb_lock_wait_timeout = 1};";
  }
  Handle h(connection);
  const Outcome planned = h.run(json{{"action", "plan"}, {"mode", "students"}, {"preferences", {{"general", "on"}}}});
  ASSERT_EQ(planned.status, SIS_OK) << planned.result.dump();
  const json page_options = {{"action", "plan_rows"}, {"plan_id", planned.result["plan_id"]}, {"kind", "changes"}, {"limit", 1000}};
  const Outcome alone = h.run(page_options);
  ASSERT_EQ(alone.status, SIS_OK) << alone.result.dump();
  ASSERT_FALSE(alone.result["rows"].empty()) << alone.result.dump();

  cpb::odbc::Connection batch = db.connect();  // holds what a running batch holds
  cpb::odbc::Connection host = db.connect();   // a parent saving in the portal, not yet committed
  if (sqlite) {
    batch.execute("BEGIN IMMEDIATE");
    batch.execute("UPDATE contact SET cell_phone = 'uncommitted'");
  } else {
    batch.set_autocommit(false);
    batch.execute(pg ? "LOCK TABLE cpb_batch IN EXCLUSIVE MODE" : "SELECT lock_id FROM cpb_batch_lock WHERE lock_id = 1 FOR UPDATE");
    host.set_autocommit(false);
    host.execute("UPDATE contact SET cell_phone = 'uncommitted'");
  }
  const auto started = std::chrono::steady_clock::now();
  const Outcome page = h.run(page_options);
  const double waited = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (sqlite) {
    batch.execute("ROLLBACK");
  } else {
    batch.end_transaction(false);
    host.end_transaction(false);
  }
  EXPECT_EQ(page.status, SIS_OK) << page.result.dump();
  EXPECT_EQ(page.result, alone.result) << "a page while others hold their locks lists what is committed";
  EXPECT_LT(waited, 0.9) << "the page waited for a lock";
}

INSTANTIATE_TEST_SUITE_P(Backends, Concurrency, testing::ValuesIn(backends()), BackendName());

}  // namespace
}  // namespace cpbtest
