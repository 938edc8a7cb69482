// PostgreSQL stopped with "pg_ctl stop -m immediate" in the middle of a run:
// the call returns an error (no hang, no crash) and, once the server is back,
// nothing of that run is in the database. The test runs its own throwaway
// server (scripts/pg.sh) so that killing it disturbs no one.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "database.hpp"
#include "reliability_support.hpp"

namespace cpbtest {
namespace {

const json kBatch = {{"mode", "student_messenger_contacts"}, {"preferences", {{"emergency", "on"}, {"attendance", "off"}}}};
constexpr int64_t kStudents = 2000;

std::string shell_output(const std::string& command) {
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
  if (!pipe) throw std::runtime_error("cannot run " + command);
  std::string out;
  char buffer[512];
  while (fgets(buffer, sizeof buffer, pipe.get())) out += buffer;
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

void shell(const std::string& command) {
  if (std::system(command.c_str()) != 0) throw std::runtime_error("failed: " + command);
}

// A PostgreSQL server of the test's own, started as scripts/pg.sh starts one.
class ThrowawayServer {
 public:
  ThrowawayServer() : dir_((std::filesystem::temp_directory_path() / ("cpb-rel-loss-" + std::to_string(getpid()))).string()) {
    shell(kScript + " stop " + dir_);  // a folder left by an earlier crash
    connection_string_ = shell_output(kScript + " start " + dir_);
    if (connection_string_.find("Driver=") == std::string::npos) throw std::runtime_error("scripts/pg.sh start failed");
    std::ifstream port_file(dir_ + "/port");
    port_file >> port_;
  }
  ~ThrowawayServer() { std::system((kScript + " stop " + dir_).c_str()); }

  const std::string& connection_string() const { return connection_string_; }

  // What a power cut does to the server: no shutdown checkpoint, connections dropped.
  void kill() const { shell(pg_ctl() + " -m immediate -w stop >/dev/null"); }

  void restart() const {
    shell(pg_ctl() + " -l " + dir_ + "/server.log -w -t 60 -o \"-c listen_addresses=127.0.0.1 -c port=" + port_ +
          " -c unix_socket_directories='" + dir_ + "' -c fsync=off -c max_connections=50\" start >/dev/null");
  }

 private:
  std::string pg_ctl() const {
    const std::string as_owner = geteuid() == 0 ? "runuser -u postgres -- " : "";
    return as_owner + "\"$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)/pg_ctl\" -D " + dir_ + "/data";
  }
  const std::string kScript = CPB_SOURCE_DIR "/scripts/pg.sh";
  std::string dir_;
  std::string connection_string_;
  std::string port_;
};

bool postgresql_requested() {
  const std::vector<Backend> b = backends();
  return std::find(b.begin(), b.end(), Backend::postgresql) != b.end();
}

class ServerLoss : public testing::Test {
 protected:
  void SetUp() override {
    if (!postgresql_requested()) GTEST_SKIP() << "PostgreSQL tests run when CPB_TEST_PG is set";
    server_ = std::make_unique<ThrowawayServer>();
    cpb::odbc::Connection db = connect();
    host::init_schema(db);
    host::seed_district(db, kStudents, 1, 2027);
  }
  cpb::odbc::Connection connect() const { return cpb::odbc::Connection::open(server_->connection_string()); }
  std::string state() const {
    cpb::odbc::Connection db = connect();
    return database_state(db);
  }
  std::unique_ptr<ThrowawayServer> server_;
};

TEST_F(ServerLoss, ServerKilledWhileTheBatchWritesGivesAnErrorAndLeavesNothing) {
  auto h = std::make_unique<Handle>(server_->connection_string());
  const std::string before = state();
  // Holding every household row parks the batch inside its write, after all of
  // its contact rows: the kill then lands in the middle of the transaction.
  cpb::odbc::Connection holder = connect();
  holder.set_autocommit(false);
  holder.execute("SELECT household_id FROM household FOR UPDATE");
  std::optional<Outcome> out;
  std::thread run([&] { out = h->run(kBatch); });
  cpb::odbc::Connection watch = connect();
  bool parked = false;
  for (int i = 0; i < 6000 && !parked; ++i) {
    parked = scalar(watch, "SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%UPDATE household%'")
                 .value_or(0) > 0;
    if (!parked) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (!parked) holder.end_transaction(false);  // let the run end rather than hang
  else server_->kill();
  run.join();
  ASSERT_TRUE(parked) << "the batch never reached its household write";
  ASSERT_TRUE(out);
  EXPECT_EQ(out->status, SIS_E_DATABASE) << out->result.dump();
  EXPECT_EQ(out->error_code(), "database");

  server_->restart();
  EXPECT_EQ(state(), before);
  // The handle's connection is gone: it keeps answering with errors, not crashes.
  const Outcome again = h->run(kBatch);
  EXPECT_EQ(again.status, SIS_E_DATABASE) << again.result.dump();
  h.reset();
  Handle fresh(server_->connection_string());
  const Outcome ok = fresh.run(kBatch);
  EXPECT_EQ(ok.status, SIS_OK) << ok.result.dump();
}

// The callback stops the server at each phase in turn, then lets the run go on.
TEST_F(ServerLoss, ServerKilledAtAnyPhaseGivesAnErrorAndLeavesNothing) {
  Handle(server_->connection_string());  // the plugin's tables, for the state below
  const std::string before = state();
  for (const std::string phase : {"validate", "targets", "count", "write", "commit"}) {
    SCOPED_TRACE(phase);
    struct Killer {
      const ThrowawayServer* server;
      std::string phase;
      bool killed = false;
    } killer{server_.get(), phase};
    const sis_progress_fn fn = [](void* user, const char* now, int64_t, int64_t) {
      auto* k = static_cast<Killer*>(user);
      if (!k->killed && k->phase == now) {
        try {  // nothing may be thrown through the plugin
          k->server->kill();
          k->killed = true;
        } catch (...) {
        }
      }
      return 0;
    };
    Handle h(server_->connection_string());
    const Outcome out = h.run(kBatch.dump(), Context{}, fn, &killer);
    EXPECT_TRUE(killer.killed);
    EXPECT_EQ(out.status, SIS_E_DATABASE) << out.result.dump();
    EXPECT_EQ(out.error_code(), "database");
    server_->restart();
    EXPECT_EQ(state(), before);
  }
}

}  // namespace
}  // namespace cpbtest
