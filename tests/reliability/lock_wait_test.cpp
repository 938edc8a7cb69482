// SQLite's Timeout= (libsqliteodbc's wait for another writer's lock, in ms)
// bounds a whole call's waits, once, not each statement's: the driver on its
// own waits about twice the value on every statement that meets a lock.
// SQLite only: the servers bound each wait themselves (lock_timeout,
// innodb_lock_wait_timeout), which Concurrency.* covers on every engine.
#include <chrono>
#include <optional>
#include <string>
#include <thread>

#include "reliability_support.hpp"

namespace cpbtest {
namespace {

const json kBatch = {{"mode", "student_messenger_contacts"},
                     {"preferences", {{"emergency", "on"}, {"general", "off"}, {"attendance", {{"household_phone", "on"}}}}}};

std::string with_timeout(const TestDatabase& db, int milliseconds) {
  std::string connection = db.connection_string();
  const size_t at = connection.find("Timeout=");
  if (at == std::string::npos) return connection + ";Timeout=" + std::to_string(milliseconds) + ";";
  connection.replace(at, connection.find(';', at) - at, "Timeout=" + std::to_string(milliseconds));
  return connection;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// The host takes the write lock and lets it go `hold` later, from a thread of its own.
class HostWriter {
 public:
  explicit HostWriter(const TestDatabase& db) : connection_(db.connect()) {}
  ~HostWriter() { release(); }
  void hold_for(std::chrono::milliseconds hold) {
    release();
    connection_.execute("BEGIN IMMEDIATE");
    ++holds_;
    releaser_ = std::thread([this, hold] {
      std::this_thread::sleep_for(hold);
      connection_.execute("ROLLBACK");
    });
  }
  void release() {
    if (releaser_.joinable()) releaser_.join();
  }
  int holds() const { return holds_; }

 private:
  cpb::odbc::Connection connection_;
  std::thread releaser_;
  int holds_ = 0;
};

// A writer that keeps the lock: the run waits Timeout once, not about twice
// (libsqliteodbc's own per-statement wait), and reports a conflict.
TEST(SqliteLockWait, ARunBehindAWriterThatKeepsTheLockWaitsTheTimeoutOnceThenReportsAConflict) {
  TestDatabase db(Backend::sqlite);
  db.seed(40);
  Handle h(with_timeout(db, 1500));
  const std::string before = database_state(db);
  cpb::odbc::Connection host = db.connect();
  host.execute("BEGIN IMMEDIATE");
  const auto started = std::chrono::steady_clock::now();
  const Outcome out = h.run(kBatch);
  const double waited = seconds_since(started);
  host.execute("ROLLBACK");
  EXPECT_EQ(out.status, SIS_E_CONFLICT) << out.result.dump();
  EXPECT_EQ(out.error_code(), "conflict");
  EXPECT_GE(waited, 1.4) << "the run gave up before its Timeout";
  EXPECT_LT(waited, 2.3) << "the run waited past its Timeout of 1.5 s";
  EXPECT_EQ(database_state(db), before);
}

// A writer that lets go within the Timeout: the run waits for it and succeeds.
TEST(SqliteLockWait, ARunBehindAWriterThatFinishesWithinTheTimeoutWaitsAndSucceeds) {
  TestDatabase db(Backend::sqlite);
  db.seed(40);
  Handle h(with_timeout(db, 5000));
  HostWriter host(db);
  host.hold_for(std::chrono::milliseconds(700));
  const auto started = std::chrono::steady_clock::now();
  const Outcome out = h.run(kBatch);
  const double waited = seconds_since(started);
  host.release();
  EXPECT_EQ(out.status, SIS_OK) << out.result.dump();
  EXPECT_GT(out.result.value("updated", 0), 0) << out.result.dump();
  EXPECT_GE(waited, 0.6) << "the run did not wait for the host's lock";
}

// The waits of one call add up against one Timeout. A chunked apply meets the
// host's lock before each of its later chunks, for less than the Timeout each
// time but more in all: the call ends with a conflict that says the chunks
// written stay written (not that nothing changed), the batch stays
// in_progress, and resume finishes it as one transaction would have.
TEST(SqliteLockWait, WaitsOfOneCallAddUpAgainstOneTimeoutAndAChunkedBatchStaysResumable) {
  TestDatabase db(Backend::sqlite), whole(Backend::sqlite);
  db.seed(1500);  // about 2,200 contact rows: three chunks of 1,000
  whole.seed(1500);
  Handle h(with_timeout(db, 1000));
  HostWriter host(db);
  // Between chunks (a "write" report after the run's own "commit" step), the
  // host takes the lock for 0.6 s.
  struct Between {
    HostWriter* host;
    bool recorded = false;
  } between{&host};
  auto between_chunks = [](void* user, const char* phase, int64_t, int64_t) -> int {
    auto* b = static_cast<Between*>(user);
    if (std::string(phase) == "commit") b->recorded = true;
    else if (b->recorded && std::string(phase) == "write") b->host->hold_for(std::chrono::milliseconds(600));
    return 0;
  };
  json options = kBatch;
  options["chunk_rows"] = 1000;
  const auto started = std::chrono::steady_clock::now();
  const Outcome out = h.run(options.dump(), Context{}, between_chunks, &between);
  const double took = seconds_since(started);
  host.release();
  ASSERT_EQ(out.status, SIS_E_CONFLICT) << out.result.dump() << " (the host held the lock " << host.holds() << " times)";
  EXPECT_EQ(out.error_code(), "conflict");
  const std::string message = out.result["error"].value("message", "");
  EXPECT_NE(message.find("stay written"), std::string::npos) << message;
  EXPECT_NE(message.find("resume"), std::string::npos) << message;
  EXPECT_EQ(message.find("nothing was changed"), std::string::npos) << message;
  EXPECT_LT(took, 1000 / 1000.0 + 1.5) << "one Timeout of waiting, plus the chunks' own work";

  cpb::odbc::Connection c = db.connect();
  const int64_t batch_id = scalar(c, "SELECT MAX(batch_id) FROM cpb_batch").value_or(0);
  ASSERT_GT(batch_id, 0);
  EXPECT_EQ(query(c, "SELECT status FROM cpb_batch WHERE batch_id = " + std::to_string(batch_id))[0][0].value_or(""), "in_progress");
  const Outcome resumed = h.run(json{{"action", "resume"}, {"batch_id", batch_id}});
  ASSERT_EQ(resumed.status, SIS_OK) << resumed.result.dump();
  Handle hw(whole);
  ASSERT_EQ(hw.run(kBatch).status, SIS_OK);
  EXPECT_EQ(preference_state(db), preference_state(whole));
}

}  // namespace
}  // namespace cpbtest
