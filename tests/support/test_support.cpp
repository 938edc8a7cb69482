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

const cpb::odbc::Engine& engine_of(Backend b) {
  const auto& all = cpb::odbc::engines();
  const auto at = static_cast<size_t>(b);
  if (at >= all.size()) throw std::logic_error("Backend " + std::to_string(at) + " is no engine of plugin/odbc/engine.cpp");
  return all[at];
}

std::vector<Backend> backends() {
  std::vector<Backend> out;
  const auto& all = cpb::odbc::engines();
  for (size_t i = 0; i < all.size(); ++i) {
    const cpb::odbc::Engine& e = all[i];
    const bool server = !e.test_server_variable.empty();
    if (!server || env(std::string(e.test_server_variable).c_str())) out.push_back(static_cast<Backend>(i));
    else if (env(std::string(e.require_server_variable).c_str()))
      throw std::runtime_error(std::string(e.require_server_variable) + " is set but " + std::string(e.test_server_variable) + " is not");
  }
  return out;
}

std::string backend_name(Backend b) { return std::string(engine_of(b).display_name); }

std::string TestDatabase::server_connection_string() const {
  const std::string variable(engine_of(backend_).test_server_variable);
  const char* server = variable.empty() ? nullptr : env(variable.c_str());
  if (!server) throw std::runtime_error("no server for " + backend_name(backend_));
  return server;
}

TestDatabase::TestDatabase(Backend backend) : backend_(backend), name_(unique_name()) {
  if (engine_of(backend).test_server_variable.empty()) {  // a file
    folder_ = (std::filesystem::temp_directory_path() / name_).string();
    std::filesystem::create_directories(folder_);
    connection_string_ = host::connection_string(folder_ + "/test.db");
  } else {
    const std::string server = server_connection_string();
    cpb::odbc::Connection admin = cpb::odbc::Connection::open(server);
    admin.execute("CREATE DATABASE " + name_);
    connection_string_ = server;
    const size_t at = connection_string_.find("Database=");
    if (at == std::string::npos) throw std::runtime_error(std::string(engine_of(backend).test_server_variable) + " must name a Database=");
    const size_t end = connection_string_.find(';', at);
    connection_string_.replace(at, end - at, "Database=" + name_);
  }
}

TestDatabase::~TestDatabase() {
  try {
    if (engine_of(backend_).test_server_variable.empty()) {
      std::filesystem::remove_all(folder_);
    } else {
      cpb::odbc::Connection admin = cpb::odbc::Connection::open(server_connection_string());
      admin.execute("DROP DATABASE IF EXISTS " + name_ + std::string(engine_of(backend_).drop_database_options));
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

const Described& described() {
  static const Described d = [] {
    Described out;
    const json j = json::parse(plugin().describe());
    for (const json& r : j.at("reasons")) out.reasons.emplace_back(r.at("name").get<std::string>(), r.at("bit").get<int>());
    for (const json& dev : j.at("devices"))
      out.devices.push_back({dev.at("name").get<std::string>(), dev.at("table").get<std::string>(), dev.at("mask_column").get<std::string>()});
    return out;
  }();
  return d;
}

int Described::reason_bit(const std::string& name) const {
  for (const auto& [n, bit] : reasons)
    if (n == name) return bit;
  throw std::out_of_range("describe names no reason " + name);
}

std::vector<std::string> Described::reason_names() const {
  std::vector<std::string> names;
  for (const auto& r : reasons) names.push_back(r.first);
  return names;
}

std::vector<std::string> Described::device_names(const std::string& table) const {
  std::vector<std::string> names;
  for (const DescribedDevice& d : devices)
    if (table.empty() || d.table == table) names.push_back(d.name);
  return names;
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
