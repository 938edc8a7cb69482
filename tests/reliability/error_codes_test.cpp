// The error table (plugin/src/errors.hpp): every code has one status, the
// table and docs/INTEGRATION.md section 6 list the same pairs, and every code
// a host can meet comes out of the loaded plugin with its status.
#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <utility>

#include "errors.hpp"
#include "reliability_support.hpp"

namespace cpbtest {
namespace {

using cpb::ErrorCode;
using cpb::kErrors;

// The names of sis_plugin.h's statuses, as the documentation writes them.
const std::map<std::string, sis_status>& status_names() {
  static const std::map<std::string, sis_status> names = {
      {"SIS_E_INVALID_ARGUMENT", SIS_E_INVALID_ARGUMENT}, {"SIS_E_ABI_MISMATCH", SIS_E_ABI_MISMATCH},
      {"SIS_E_INVALID_OPTIONS", SIS_E_INVALID_OPTIONS},   {"SIS_E_FORBIDDEN", SIS_E_FORBIDDEN},
      {"SIS_E_NOT_FOUND", SIS_E_NOT_FOUND},               {"SIS_E_DATABASE", SIS_E_DATABASE},
      {"SIS_E_CANCELLED", SIS_E_CANCELLED},               {"SIS_E_CONFLICT", SIS_E_CONFLICT},
      {"SIS_E_OUT_OF_MEMORY", SIS_E_OUT_OF_MEMORY},       {"SIS_E_INTERNAL", SIS_E_INTERNAL}};
  return names;
}

// The `quoted` words of one cell of a Markdown table.
std::vector<std::string> backquoted(const std::string& cell) {
  std::vector<std::string> words;
  for (size_t open = cell.find('`'); open != std::string::npos; open = cell.find('`', open + 1)) {
    const size_t close = cell.find('`', open + 1);
    if (close == std::string::npos) break;
    words.push_back(cell.substr(open + 1, close - open - 1));
    open = close;
  }
  return words;
}

// The (code, status) pairs of the error table of a document's section (the
// section whose heading starts with `heading`): the rows whose first cell names
// a status and whose second names codes. Only SIS_E_ABI_MISMATCH, the host's
// own, may have none.
std::set<std::pair<std::string, sis_status>> documented_errors(const std::string& document, const std::string& heading) {
  std::ifstream in(std::string(CPB_SOURCE_DIR) + "/" + document);
  EXPECT_TRUE(in) << document << " cannot be read";
  std::set<std::pair<std::string, sis_status>> pairs;
  bool in_section = false;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("## ", 0) == 0) in_section = line.rfind(heading, 0) == 0;
    if (!in_section || line.rfind("| `SIS_", 0) != 0) continue;
    std::vector<std::string> cells;
    std::stringstream row(line.substr(1));
    for (std::string cell; std::getline(row, cell, '|');) cells.push_back(cell);
    EXPECT_GE(cells.size(), 2u) << line;
    if (cells.size() < 2) continue;
    const std::vector<std::string> codes = backquoted(cells[1]);
    if (codes.empty() && line.rfind("| `SIS_E_ABI_MISMATCH` |", 0) == 0) continue;
    EXPECT_FALSE(codes.empty()) << "a row of the error table names no code: " << line;
    for (const std::string& status : backquoted(cells[0])) {
      const auto known = status_names().find(status);
      EXPECT_NE(known, status_names().end()) << status << " is no status of sis_plugin.h: " << line;
      if (known == status_names().end()) continue;
      for (const std::string& code : codes) pairs.insert({code, known->second});
    }
  }
  return pairs;
}

TEST(ErrorTable, EveryCodeHasOneStatusAndNoStatusIsSis_Ok) {
  std::set<std::string> names;
  for (const cpb::ErrorKind& e : kErrors) {
    EXPECT_TRUE(names.insert(std::string(e.name)).second) << e.name << " is listed twice";
    EXPECT_NE(e.status, SIS_OK) << e.name;
    EXPECT_NE(e.status, SIS_E_ABI_MISMATCH) << e.name << ": that status is the host's to return";
    EXPECT_EQ(&cpb::error_kind(e.code), &e) << e.name;
    EXPECT_EQ(cpb::PluginError(e.code, "m").status(), e.status) << e.name;
    EXPECT_EQ(cpb::PluginError(e.code, "m").code(), e.name) << e.name;
  }
  // Every status a plugin returns has a code.
  std::set<sis_status> statuses;
  for (const cpb::ErrorKind& e : kErrors) statuses.insert(e.status);
  for (const auto& [name, status] : status_names()) {
    if (status == SIS_E_ABI_MISMATCH) continue;
    EXPECT_EQ(statuses.count(status), 1u) << name << " has no code";
  }
}

TEST(ErrorTable, TheHelpersTakeTheMessageThenThePath) {
  for (const cpb::PluginError& e : {cpb::invalid_options("m", "/p"), cpb::invalid_context("m", "/p"), cpb::forbidden("m", "/p"),
                                    cpb::not_found("m", "/p"), cpb::conflict("m", "/p")}) {
    EXPECT_STREQ(e.what(), "m") << e.code();
    EXPECT_EQ(e.path(), "/p") << e.code();
  }
  EXPECT_EQ(cpb::invalid_options("m").kind(), ErrorCode::invalid_options);
  EXPECT_EQ(cpb::invalid_context("m").kind(), ErrorCode::invalid_context);
  EXPECT_EQ(cpb::invalid_argument("m").kind(), ErrorCode::invalid_argument);
  EXPECT_EQ(cpb::database_error("m").kind(), ErrorCode::database);
  EXPECT_EQ(cpb::cancelled().kind(), ErrorCode::cancelled);
}

TEST(ErrorTable, TheDocumentsListExactlyTheCodesAndStatusesOfTheTable) {
  std::set<std::pair<std::string, sis_status>> table;
  for (const cpb::ErrorKind& e : kErrors) table.insert({std::string(e.name), e.status});
  for (const auto& [document, heading] : {std::pair<std::string, std::string>{"docs/INTEGRATION.md", "## 6. Results and errors"},
                                          {"docs/RELIABILITY.md", "## What a host should do with each error"}}) {
    SCOPED_TRACE(document);
    const std::set<std::pair<std::string, sis_status>> documented = documented_errors(document, heading);
    for (const auto& [code, status] : table) EXPECT_EQ(documented.count({code, status}), 1u) << code << " is not documented with its status";
    for (const auto& [code, status] : documented) EXPECT_EQ(table.count({code, status}), 1u) << code << " is documented but not in kErrors";
  }
}

// What one provoked failure returned.
struct Returned {
  sis_status status = SIS_OK;
  std::string json;  // the error JSON
};

std::string code_of(const std::string& error_json) {
  const json j = json::parse(error_json, nullptr, false);
  return j.is_object() && j.contains("error") && j["error"].is_object() ? j["error"].value("code", "") : "";
}

int cancel_at_once(void*, const char*, int64_t, int64_t) { return 1; }

class ErrorCodes : public testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    db_ = std::make_unique<TestDatabase>(GetParam());
    db_->seed(20);
  }
  Returned run(const std::string& options, const Context& context = {}, sis_progress_fn progress = nullptr) {
    Handle h(*db_);
    const Outcome out = h.run(options, context, progress);
    return {out.status, out.result.dump()};
  }
  Returned open(const std::string& connection_string) {
    char error[2048] = {0};
    sis_plugin* p = nullptr;
    const sis_status s = plugin().open(connection_string.c_str(), &p, error, sizeof error);
    if (p) plugin().close(p);
    return {s, error};
  }
  // Runs on an attached connection on which the host has uncommitted work.
  Returned run_in_host_transaction() {
    cpb::odbc::Connection host = db_->connect();
    sis_plugin* p = nullptr;
    EXPECT_EQ(plugin().open_attached(host.handle(), &p, nullptr, 0), SIS_OK);
    const bool sqlite = GetParam() == Backend::sqlite;
    if (sqlite) host.execute("BEGIN");
    else host.set_autocommit(false);
    host.execute("UPDATE school SET name = 'Renamed by the host' WHERE school_id = 1");
    const Context context;
    const sis_toolbar_context ctx = context.to_c();
    const char* result = nullptr;
    const sis_status s = plugin().run(p, &ctx, kApply.data(), kApply.size(), nullptr, nullptr, nullptr, &result);
    Returned r{s, result ? result : ""};
    if (sqlite) host.execute("ROLLBACK");
    else host.end_transaction(false);
    plugin().close(p);
    return r;
  }
  const std::string kApply = R"({"mode": "students", "preferences": {"emergency": "on"}})";
  std::unique_ptr<TestDatabase> db_;
};

TEST_P(ErrorCodes, EveryCodeOfTheTableComesOutOfThePluginWithItsStatus) {
  Context no_user;
  no_user.user_id = 987654;
  Context bad_date;
  bad_date.effective_date = "the first of October";
  const std::map<ErrorCode, std::function<Returned()>> provoke = {
      {ErrorCode::invalid_argument, [&] { return run(""); }},
      {ErrorCode::host_transaction_open, [&] { return run_in_host_transaction(); }},
      {ErrorCode::invalid_options, [&] { return run(R"({"mode": "students", "preferences": {"emergency": "loud"}})"); }},
      {ErrorCode::invalid_context, [&] { return run(kApply, bad_date); }},
      {ErrorCode::forbidden, [&] { return run(kApply, no_user); }},
      {ErrorCode::not_found, [&] { return run(R"({"action": "undo", "batch_id": 987654})"); }},
      {ErrorCode::conflict,
       [&] {
         Handle h(*db_);
         const Outcome applied = h.run(kApply);
         EXPECT_EQ(applied.status, SIS_OK) << applied.result.dump();
         const std::string undo = json{{"action", "undo"}, {"batch_id", applied.result["batch_id"]}}.dump();
         EXPECT_EQ(h.run(undo).status, SIS_OK);
         const Outcome again = h.run(undo);
         return Returned{again.status, again.result.dump()};
       }},
      {ErrorCode::database, [&] { return open("Driver=NoSuchDriver;Database=x"); }},
      {ErrorCode::cancelled, [&] { return run(kApply, Context{}, cancel_at_once); }},
  };
  // What no test database can bring about: another engine (tests/odbc/engine_test.cpp
  // covers its refusal), running out of memory, a defect.
  const std::set<ErrorCode> beyond_reach = {ErrorCode::unsupported_database, ErrorCode::out_of_memory, ErrorCode::internal};
  for (const cpb::ErrorKind& e : kErrors) {
    SCOPED_TRACE(std::string(e.name));
    const auto how = provoke.find(e.code);
    if (how == provoke.end()) {
      EXPECT_EQ(beyond_reach.count(e.code), 1u) << "a code of the table that this test does not provoke";
      continue;
    }
    EXPECT_EQ(beyond_reach.count(e.code), 0u);
    const Returned r = how->second();
    EXPECT_EQ(r.status, e.status) << r.json;
    EXPECT_EQ(code_of(r.json), e.name) << r.json;
  }
}

// The refusals that need no database carry the code of their status too.
TEST(ErrorCodesWithoutADatabase, ANullHandleIsAnInvalidArgumentEverywhere) {
  const cpb::ErrorKind& kind = cpb::error_kind(ErrorCode::invalid_argument);
  const char* result = nullptr;
  EXPECT_EQ(plugin().run(nullptr, nullptr, "{}", 2, nullptr, nullptr, nullptr, &result), kind.status);
  ASSERT_NE(result, nullptr);
  EXPECT_EQ(code_of(result), kind.name) << result;
  EXPECT_EQ(code_of(plugin().last_error(nullptr)), kind.name);
  char error[512] = {0};
  sis_plugin* p = nullptr;
  EXPECT_EQ(plugin().open(nullptr, &p, error, sizeof error), kind.status);
  EXPECT_EQ(code_of(error), kind.name) << error;
  EXPECT_EQ(plugin().open("Driver=SQLite3;Database=:memory:", nullptr, error, sizeof error), kind.status);
  EXPECT_EQ(code_of(error), kind.name) << error;
  EXPECT_EQ(plugin().open_attached(nullptr, &p, error, sizeof error), kind.status);
  EXPECT_EQ(code_of(error), kind.name) << error;
  EXPECT_EQ(p, nullptr);
}

INSTANTIATE_TEST_SUITE_P(Backends, ErrorCodes, testing::ValuesIn(backends()), BackendName());

}  // namespace
}  // namespace cpbtest
