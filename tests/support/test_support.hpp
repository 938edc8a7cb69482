// What every database test needs: the back ends to run on, a fresh database
// per test, the plugin loaded as a host loads it, and ways to read tables.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "odbc.hpp"
#include "plugin_loader.hpp"
#include "sis_plugin.h"

namespace cpbtest {

using nlohmann::json;

// An engine of the manifest (plugin/odbc/engine.cpp's engines()), by its
// place there: the names let a test target one engine. Everything else of an
// engine (name, server variables) is the manifest's.
enum class Backend { sqlite, postgresql, mariadb };
const cpb::odbc::Engine& engine_of(Backend b);

// Every engine of the manifest: one without a server (SQLite) always, one with
// a server when its test_server_variable (CPB_TEST_PG, CPB_TEST_MARIADB) holds
// the server's ODBC connection string (scripts/test.sh starts them); its
// require_server_variable (CPB_TEST_REQUIRE_PG=1, ...) makes a missing server
// an error instead of a skip.
std::vector<Backend> backends();
std::string backend_name(Backend b);
inline void PrintTo(Backend b, std::ostream* os) { *os << backend_name(b); }
// For INSTANTIATE_TEST_SUITE_P(..., testing::ValuesIn(cpbtest::backends()), cpbtest::BackendName()).
struct BackendName {
  std::string operator()(const testing::TestParamInfo<Backend>& info) const { return backend_name(info.param); }
};

// A fresh, empty database for one test: a SQLite file in a temporary folder, or
// a new database on the PostgreSQL or MariaDB server. Dropped by the destructor.
class TestDatabase {
 public:
  explicit TestDatabase(Backend backend);
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  Backend backend() const { return backend_; }
  const std::string& connection_string() const { return connection_string_; }
  cpb::odbc::Connection connect() const { return cpb::odbc::Connection::open(connection_string_); }
  // init + seed, as sis-host-sim does.
  void init_schema() const;
  void seed(int64_t students, int64_t seed = 1, int end_year = 2027) const;
  // Runs a script of the test's own (statements separated by ';').
  void execute(const std::string& script) const;
  // The server's connection string (PostgreSQL, MariaDB), for administration.
  std::string server_connection_string() const;
  // The database's name on its server (PostgreSQL, MariaDB).
  const std::string& name() const { return name_; }

 private:
  Backend backend_;
  std::string name_;
  std::string folder_;
  std::string connection_string_;
};

// The plugin, loaded once per test program with Boost.DLL from the build tree.
const host::PluginApi& plugin();

// The contact reasons and devices, in describe's order, as the loaded plugin
// describes them: what a test that walks every reason or device reads, as a
// host does (tests/abi/abi_test.cpp holds describe to the contract's list).
struct DescribedDevice {
  std::string name, table, mask_column;  // table: "contact" or "household"
};
struct Described {
  std::vector<std::pair<std::string, int>> reasons;  // name, bit
  std::vector<DescribedDevice> devices;
  int reason_bit(const std::string& name) const;  // throws std::out_of_range for no reason
  std::vector<std::string> reason_names() const;
  std::vector<std::string> device_names(const std::string& table = "") const;  // every device, or those of one table
};
const Described& described();

// The toolbar context, with the defaults of the seeded and fixture districts.
struct Context {
  int32_t end_year = 2027;
  int64_t school_id = 0;
  int64_t calendar_id = 0;
  int64_t user_id = 1;
  std::optional<std::string> effective_date = std::string("2026-10-01");
  sis_toolbar_context to_c() const;  // points into this object
};

struct Outcome {
  sis_status status = SIS_OK;
  json result;        // the result JSON, or the error JSON on failure
  sis_counts counts{};
  std::string error_code() const;  // result["error"]["code"], or "" on success
};

// One open plugin handle (sis_plugin_open on the test database).
class Handle {
 public:
  explicit Handle(const TestDatabase& db);
  explicit Handle(const std::string& connection_string);
  ~Handle();
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  sis_plugin* get() const { return handle_; }

  Outcome run(const std::string& options, const Context& context = {}, sis_progress_fn progress = nullptr,
              void* progress_user = nullptr);
  Outcome run(const json& options, const Context& context = {}) { return run(options.dump(), context); }

 private:
  sis_plugin* handle_ = nullptr;
};

// Reading the database.
using Row = std::vector<std::optional<std::string>>;
std::vector<Row> query(cpb::odbc::Connection& db, const std::string& sql);
std::optional<int64_t> scalar(cpb::odbc::Connection& db, const std::string& sql);
// Every row of a table as text, in a stable order: for "nothing changed" checks.
std::string dump_table(cpb::odbc::Connection& db, const std::string& table);
// Every host table of CONTRACT.md section 3.
std::string dump_host_tables(cpb::odbc::Connection& db);

}  // namespace cpbtest
