#include "test_support.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>

#include "database.hpp"

namespace cpbtest {

namespace {

const char* env(const char* name) {
  const char* v = std::getenv(name);
  return v && *v ? v : nullptr;
}

std::string unique_name() {
  static std::atomic<int> counter{0};
  return "cpbtest_" + std::to_string(getpid()) + "_" + std::to_string(counter++);
}

const char* const kHostTables[] = {"school", "calendar", "person", "user_account", "contact", "household", "household_member",
                                   "related_pair", "enrollment", "district_assignment", "user_tool_right", "adhoc_filter",
                                   "adhoc_filter_member"};

}  // namespace

namespace {

// The server variable of a back end, and the one that makes it required.
const char* server_variable(Backend b) { return b == Backend::mariadb ? "CPB_TEST_MARIADB" : "CPB_TEST_PG"; }

}  // namespace

std::vector<Backend> backends() {
  std::vector<Backend> out{Backend::sqlite};
  if (env("CPB_TEST_PG")) out.push_back(Backend::postgresql);
  else if (env("CPB_TEST_REQUIRE_PG")) throw std::runtime_error("CPB_TEST_REQUIRE_PG is set but CPB_TEST_PG is not");
  if (env("CPB_TEST_MARIADB")) out.push_back(Backend::mariadb);
  else if (env("CPB_TEST_REQUIRE_MARIADB"))
    throw std::runtime_error("CPB_TEST_REQUIRE_MARIADB is set but CPB_TEST_MARIADB is not");
  return out;
}

std::string backend_name(Backend b) {
  switch (b) {
    case Backend::postgresql: return "PostgreSQL";
    case Backend::mariadb: return "MariaDB";
    default: return "SQLite";
  }
}

std::string TestDatabase::server_connection_string() const {
  const char* server = env(server_variable(backend_));
  if (backend_ == Backend::sqlite || !server) throw std::runtime_error("no server for " + backend_name(backend_));
  return server;
}

TestDatabase::TestDatabase(Backend backend) : backend_(backend), name_(unique_name()) {
  if (backend == Backend::sqlite) {
    folder_ = (std::filesystem::temp_directory_path() / name_).string();
    std::filesystem::create_directories(folder_);
    connection_string_ = host::connection_string(folder_ + "/test.db");
  } else {
    const std::string server = server_connection_string();
    cpb::odbc::Connection admin = cpb::odbc::Connection::open(server);
    admin.execute("CREATE DATABASE " + name_);
    connection_string_ = server;
    const size_t at = connection_string_.find("Database=");
    if (at == std::string::npos) throw std::runtime_error(std::string(server_variable(backend)) + " must name a Database=");
    const size_t end = connection_string_.find(';', at);
    connection_string_.replace(at, end - at, "Database=" + name_);
  }
}

TestDatabase::~TestDatabase() {
  try {
    if (backend_ == Backend::sqlite) {
      std::filesystem::remove_all(folder_);
    } else {
      cpb::odbc::Connection admin = cpb::odbc::Connection::open(server_connection_string());
      admin.execute("DROP DATABASE IF EXISTS " + name_ + (backend_ == Backend::postgresql ? " WITH (FORCE)" : ""));
    }
  } catch (const std::exception& e) {
    ADD_FAILURE() << "cannot drop the test database " << name_ << ": " << e.what();
  }
}

void TestDatabase::init_schema() const {
  cpb::odbc::Connection db = connect();
  host::init_schema(db);
}

void TestDatabase::seed(int64_t students, int64_t seed, int end_year) const {
  cpb::odbc::Connection db = connect();
  host::init_schema(db);
  host::seed_district(db, students, seed, end_year);
}

void TestDatabase::execute(const std::string& script) const {
  cpb::odbc::Connection db = connect();
  db.execute_script(script);
}

const host::PluginApi& plugin() {
  static const host::LoadedPlugin loaded(CPB_PLUGIN_PATH);
  return loaded.api();
}

sis_toolbar_context Context::to_c() const {
  sis_toolbar_context c{};
  c.struct_size = sizeof c;
  c.end_year = end_year;
  c.school_id = school_id;
  c.calendar_id = calendar_id;
  c.user_id = user_id;
  c.effective_date = effective_date ? effective_date->c_str() : nullptr;
  return c;
}

std::string Outcome::error_code() const {
  if (status == SIS_OK || !result.contains("error")) return "";
  return result["error"].value("code", "");
}

Handle::Handle(const TestDatabase& db) : Handle(db.connection_string()) {}

Handle::Handle(const std::string& connection_string) {
  char error[2048] = {0};
  const sis_status s = plugin().open(connection_string.c_str(), &handle_, error, sizeof error);
  if (s != SIS_OK) throw std::runtime_error(std::string("sis_plugin_open failed: ") + error);
}

Handle::~Handle() { plugin().close(handle_); }

Outcome Handle::run(const std::string& options, const Context& context, sis_progress_fn progress, void* progress_user) {
  const sis_toolbar_context ctx = context.to_c();
  Outcome out;
  out.counts.struct_size = sizeof out.counts;
  const char* result = nullptr;
  out.status = plugin().run(handle_, &ctx, options.data(), options.size(), progress, progress_user, &out.counts, &result);
  if (!result) throw std::runtime_error("sis_plugin_run returned no result JSON");
  out.result = json::parse(result);
  return out;
}

std::vector<Row> query(cpb::odbc::Connection& db, const std::string& sql) {
  cpb::odbc::Statement st(db);
  st.execute(sql);
  const int columns = st.columns();
  std::vector<Row> rows;
  while (st.fetch()) {
    Row row;
    for (int c = 1; c <= columns; ++c) row.push_back(st.get_text(c));
    rows.push_back(std::move(row));
  }
  return rows;
}

std::optional<int64_t> scalar(cpb::odbc::Connection& db, const std::string& sql) {
  cpb::odbc::Statement st(db);
  st.execute(sql);
  if (!st.fetch()) return std::nullopt;
  return st.get_int(1);
}

std::string dump_table(cpb::odbc::Connection& db, const std::string& table) {
  std::string out = "[" + table + "]\n";
  std::vector<Row> rows = query(db, "SELECT * FROM " + table);
  std::vector<std::string> lines;
  for (const Row& row : rows) {
    std::string line;
    for (const auto& v : row) line += (v ? *v : std::string("NULL")) + "|";
    lines.push_back(line);
  }
  std::sort(lines.begin(), lines.end());
  for (const std::string& l : lines) out += l + "\n";
  return out;
}

std::string dump_host_tables(cpb::odbc::Connection& db) {
  std::string out;
  for (const char* t : kHostTables) out += dump_table(db, t);
  return out;
}

}  // namespace cpbtest
