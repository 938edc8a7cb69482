// A handle used from two threads, which the header forbids: a close from
// another thread during a run closes the handle once the run returns (the run
// completes, its result stays readable, the connection is closed, nothing
// leaks); a run from another thread meanwhile is refused and changes nothing.
// And the progress of a chunked write, whose total never goes down.
#include <dirent.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "reliability_support.hpp"

namespace cpbtest {
namespace {

const std::string kBatch = R"({"mode":"student_messenger_contacts","preferences":{"emergency":"on","general":"off"}})";
const std::string kOther = R"({"mode":"students","preferences":{"teacher":"on"}})";

// Connections open on the test database: SQLite files this process holds
// open, or the server's sessions on the database.
int64_t open_connections(const TestDatabase& db) {
  if (db.backend() == Backend::sqlite) {
    const std::string& cs = db.connection_string();
    const size_t at = cs.find("Database=") + 9;
    const std::string file = cs.substr(at, cs.find(';', at) - at);
    int64_t n = 0;
    if (DIR* fds = opendir("/proc/self/fd")) {
      while (const dirent* e = readdir(fds)) {
        char target[4096] = {0};
        const std::string link = std::string("/proc/self/fd/") + e->d_name;
        if (readlink(link.c_str(), target, sizeof target - 1) > 0 && file == target) ++n;
      }
      closedir(fds);
    }
    return n;
  }
  cpb::odbc::Connection admin = cpb::odbc::Connection::open(db.server_connection_string());
  return scalar(admin, db.backend() == Backend::postgresql
                           ? "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = '" + db.name() + "'"
                           : "SELECT COUNT(*) FROM information_schema.processlist WHERE db = '" + db.name() + "'")
      .value_or(-1);
}

// Holds the run in its progress callback at `phase` while another thread
// calls on the handle; the run goes on once that call has returned.
struct Rendezvous {
  const char* phase = "count";
  std::mutex mutex;
  std::condition_variable changed;
  bool in_callback = false, other_done = false;
};

int hold_at_phase(void* user, const char* phase, int64_t, int64_t) {
  auto* r = static_cast<Rendezvous*>(user);
  if (std::strcmp(phase, r->phase) != 0) return 0;
  std::unique_lock<std::mutex> lock(r->mutex);
  r->in_callback = true;
  r->changed.notify_all();
  r->changed.wait_for(lock, std::chrono::seconds(30), [r] { return r->other_done; });
  return 0;
}

// The other thread: waits for the run to be in its callback, calls `call`, lets the run go on.
template <typename Call>
std::thread meanwhile(Rendezvous& r, Call call) {
  return std::thread([&r, call] {
    {
      std::unique_lock<std::mutex> lock(r.mutex);
      r.changed.wait_for(lock, std::chrono::seconds(30), [&r] { return r.in_callback; });
    }
    call();
    std::lock_guard<std::mutex> lock(r.mutex);
    r.other_done = true;
    r.changed.notify_all();
  });
}

class Threads : public testing::TestWithParam<Backend> {};

TEST_P(Threads, CloseFromAnotherThreadDuringARunClosesTheHandleWhenTheRunReturns) {
  TestDatabase db(GetParam());
  db.seed(40);
  const host::PluginApi& api = plugin();
  const int64_t before = open_connections(db);
  sis_plugin* p = nullptr;
  char error[1024] = {0};
  ASSERT_EQ(api.open(db.connection_string().c_str(), &p, error, sizeof error), SIS_OK) << error;
  ASSERT_EQ(open_connections(db), before + 1);
  Rendezvous r;
  std::thread closer = meanwhile(r, [&] { api.close(p); });
  const Context c;
  const sis_toolbar_context ctx = c.to_c();
  sis_counts counts = SIS_COUNTS_INIT;
  const char* result = nullptr;
  const sis_status status = api.run(p, &ctx, kBatch.data(), kBatch.size(), hold_at_phase, &r, &counts, &result);
  closer.join();
  ASSERT_TRUE(r.in_callback);
  // The run completed and its result is still there to read, with its counts.
  ASSERT_EQ(status, SIS_OK) << (result ? result : "(null)");
  ASSERT_NE(result, nullptr);
  const json j = json::parse(result, nullptr, false);
  ASSERT_FALSE(j.is_discarded()) << result;
  EXPECT_EQ(j.value("updated", int64_t{-1}), counts.updated);
  EXPECT_GT(counts.updated, 0);
  EXPECT_EQ(count_rows(db, "cpb_batch"), 1);
  // The handle is gone with its connection (a leaked one would keep it open;
  // a server may take a moment to see a session end).
  int64_t now = open_connections(db);
  for (int i = 0; i < 50 && now != before; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    now = open_connections(db);
  }
  EXPECT_EQ(now, before);
}

TEST_P(Threads, ARunFromAnotherThreadDuringARunIsRefusedAndChangesNothing) {
  TestDatabase db(GetParam());
  db.seed(40);
  Handle h(db);
  const host::PluginApi& api = plugin();
  Rendezvous r;
  sis_status other_status = SIS_OK;
  std::string other_result;
  sis_counts other_counts = SIS_COUNTS_INIT;
  other_counts.updated = 12345;
  std::thread other = meanwhile(r, [&] {
    const Context c;
    const sis_toolbar_context ctx = c.to_c();
    const char* result = nullptr;
    other_status = api.run(h.get(), &ctx, kOther.data(), kOther.size(), nullptr, nullptr, &other_counts, &result);
    other_result = result ? result : "(null)";
  });
  const Outcome outer = h.run(kBatch, Context{}, hold_at_phase, &r);
  other.join();
  EXPECT_EQ(other_status, SIS_E_INVALID_ARGUMENT);
  EXPECT_NE(other_result.find("another thread"), std::string::npos) << other_result;
  EXPECT_EQ(other_counts.updated, 12345) << "the refused run wrote its counts";
  ASSERT_EQ(outer.status, SIS_OK) << outer.result.dump();
  EXPECT_EQ(count_rows(db, "cpb_batch"), 1) << "only the first run's batch";
  // The handle is usable again once the run has returned.
  EXPECT_EQ(h.run(kOther).status, SIS_OK);
}

struct WriteReports {
  std::vector<std::pair<int64_t, int64_t>> rows;  // (done, total) of each row report of the write
};

int record_write_reports(void* user, const char* phase, int64_t done, int64_t total) {
  auto* w = static_cast<WriteReports*>(user);
  if (std::strcmp(phase, "write") == 0 && total != 5) w->rows.emplace_back(done, total);
  return 0;
}

// The sixth call is the first chunk's report, after the five steps of the run that records the batch.
int cancel_after_first_chunk(void* user, const char* phase, int64_t, int64_t) {
  return ++*static_cast<int*>(user) == 6 && std::strcmp(phase, "write") == 0 ? 1 : 0;
}

// A row changed before its chunk is a conflict of that chunk: the total
// reported with the later chunks is never less than before.
TEST_P(Threads, TheTotalOfAChunkedWritesProgressNeverGoesDown) {
  TestDatabase db(GetParam());
  db.seed(1500);  // about 2,200 contact rows: three chunks of 1,000, then the household rows
  Handle h(db);
  json options = json::parse(kBatch);
  options["chunk_rows"] = 1000;
  int reports = 0;
  const Outcome stopped = h.run(options.dump(), Context{}, cancel_after_first_chunk, &reports);
  ASSERT_EQ(stopped.status, SIS_E_CANCELLED) << stopped.result.dump();
  cpb::odbc::Connection c = db.connect();
  const std::string batch = std::to_string(scalar(c, "SELECT MAX(batch_id) FROM cpb_batch").value_or(0));
  // A row of the second contact chunk, and one of the third, change before their chunks.
  const auto persons = query(c, "SELECT DISTINCT person_id FROM cpb_contact_change WHERE batch_id = " + batch + " ORDER BY person_id");
  ASSERT_GT(persons.size(), 2100u);
  for (const size_t at : {size_t{1500}, persons.size() - 1})
    db.execute("UPDATE contact SET email_messenger = 77, modified_by_id = 2 WHERE person_id = " + *persons[at][0]);
  WriteReports w;
  const Outcome resumed = h.run(json{{"action", "resume"}, {"batch_id", std::stoll(batch)}}.dump(), Context{}, record_write_reports, &w);
  ASSERT_EQ(resumed.status, SIS_OK) << resumed.result.dump();
  EXPECT_EQ(resumed.result.value("conflicts", -1), 2);
  ASSERT_GE(w.rows.size(), 2u);
  for (size_t i = 1; i < w.rows.size(); ++i) {
    EXPECT_GE(w.rows[i].second, w.rows[i - 1].second) << "report " << i << ": total " << w.rows[i - 1].second << " -> " << w.rows[i].second;
    EXPECT_GE(w.rows[i].first, w.rows[i - 1].first) << "report " << i;
  }
  for (const auto& [done, total] : w.rows) EXPECT_LE(done, total);
}

INSTANTIATE_TEST_SUITE_P(Backends, Threads, testing::ValuesIn(backends()), BackendName());

}  // namespace
}  // namespace cpbtest
