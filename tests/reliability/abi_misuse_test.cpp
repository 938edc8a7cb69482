// ABI misuse: NULLs, wrong struct sizes, empty or unterminated options, bad
// connection strings, small error buffers. Each gives a status and an error
// JSON, never a crash, and the plugin writes nothing past what it knows.
#include <algorithm>
#include <cstring>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "reliability_support.hpp"

namespace cpbtest {
namespace {

const std::string kOptions = R"({"mode":"students","preferences":{"emergency":"on"}})";
constexpr unsigned char kCanary = 0xA5;
// to_c() points into the Context, so the one it comes from must outlive the call.
const Context kDefaults;

std::string error_code_of(const char* error_json) {
  const json j = json::parse(error_json);
  return j["error"]["code"].get<std::string>();
}

TEST(AbiMisuse, NullHandleIsRefusedByEveryFunction) {
  const host::PluginApi& api = plugin();
  const sis_toolbar_context ctx = kDefaults.to_c();
  const char* result = nullptr;
  sis_counts counts{};
  counts.struct_size = sizeof counts;
  EXPECT_EQ(api.run(nullptr, &ctx, kOptions.data(), kOptions.size(), nullptr, nullptr, &counts, &result), SIS_E_INVALID_ARGUMENT);
  ASSERT_NE(result, nullptr);
  EXPECT_FALSE(error_code_of(result).empty());
  EXPECT_EQ(api.run(nullptr, nullptr, nullptr, 0, nullptr, nullptr, nullptr, nullptr), SIS_E_INVALID_ARGUMENT);
  const char* last = api.last_error(nullptr);
  ASSERT_NE(last, nullptr);
  EXPECT_FALSE(error_code_of(last).empty());
  api.close(nullptr);
}

TEST(AbiMisuse, OpenRefusesNullArgumentsWithAnErrorJson) {
  const host::PluginApi& api = plugin();
  char error[512];
  sis_plugin* p = reinterpret_cast<sis_plugin*>(&error);  // must be reset to NULL
  std::memset(error, 'x', sizeof error);
  EXPECT_EQ(api.open(nullptr, &p, error, sizeof error), SIS_E_INVALID_ARGUMENT);
  EXPECT_EQ(p, nullptr);
  EXPECT_FALSE(error_code_of(error).empty());
  EXPECT_EQ(api.open("Driver=SQLite3;Database=:memory:", nullptr, error, sizeof error), SIS_E_INVALID_ARGUMENT);
  EXPECT_FALSE(error_code_of(error).empty());
  EXPECT_EQ(api.open(nullptr, nullptr, nullptr, 0), SIS_E_INVALID_ARGUMENT);
  p = reinterpret_cast<sis_plugin*>(&error);
  EXPECT_EQ(api.open_attached(nullptr, &p, error, sizeof error), SIS_E_INVALID_ARGUMENT);
  EXPECT_EQ(p, nullptr);
  EXPECT_FALSE(error_code_of(error).empty());
  EXPECT_EQ(api.open_attached(nullptr, nullptr, nullptr, 0), SIS_E_INVALID_ARGUMENT);
}

TEST(AbiMisuse, BadConnectionStringGivesDatabaseErrorJsonAndNoHandle) {
  const host::PluginApi& api = plugin();
  for (const char* bad : {"", "Driver=NoSuchDriver;Database=x", "Driver={PostgreSQL Unicode};Server=127.0.0.1;Port=1;Database=x;Uid=x;",
                          "Driver=SQLite3;Database=/nonexistent/folder/x.db", "not a connection string at all",
                          "Driver=SQLite3;Database=/nonexistent/x.db;Driver=SQLite3;;;==;"}) {
    SCOPED_TRACE(bad);
    char error[2048];
    std::memset(error, 'x', sizeof error);
    sis_plugin* p = reinterpret_cast<sis_plugin*>(&error);
    const sis_status s = api.open(bad, &p, error, sizeof error);
    EXPECT_EQ(s, SIS_E_DATABASE);
    EXPECT_EQ(p, nullptr);
    ASSERT_NE(std::memchr(error, '\0', sizeof error), nullptr);
    EXPECT_EQ(error_code_of(error), "database");
  }
}

TEST(AbiMisuse, SmallErrorBufferIsTruncatedAndAlwaysTerminated) {
  const host::PluginApi& api = plugin();
  const char* bad = "Driver=NoSuchDriver;Database=x";
  char full[4096];
  sis_plugin* p = nullptr;
  ASSERT_NE(api.open(bad, &p, full, sizeof full), SIS_OK);
  const std::string whole = full;
  ASSERT_GT(whole.size(), 20u);
  for (size_t len : {size_t{1}, size_t{2}, size_t{16}, whole.size(), whole.size() + 1}) {
    SCOPED_TRACE(len);
    std::vector<unsigned char> buffer(len + 8, kCanary);
    EXPECT_NE(api.open(bad, &p, reinterpret_cast<char*>(buffer.data()), len), SIS_OK);
    const std::string got(reinterpret_cast<const char*>(buffer.data()));
    EXPECT_EQ(got, whole.substr(0, len - 1));
    for (size_t i = len; i < buffer.size(); ++i) EXPECT_EQ(buffer[i], kCanary) << "written past errbuf_len at " << i;
  }
  // A zero length leaves the buffer alone, even a non-NULL one.
  unsigned char untouched[8];
  std::memset(untouched, kCanary, sizeof untouched);
  EXPECT_NE(api.open(bad, &p, reinterpret_cast<char*>(untouched), 0), SIS_OK);
  for (unsigned char b : untouched) EXPECT_EQ(b, kCanary);
  EXPECT_NE(api.open(bad, &p, nullptr, 100), SIS_OK);
}

TEST(AbiMisuse, FunctionsWithoutAHandleAreSafeFromManyThreads) {
  const host::PluginApi& api = plugin();
  const std::string expected = api.describe();
  std::vector<std::thread> threads;
  std::vector<int> good(8, 0);
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i)
        good[t] += std::string(api.describe()) == expected && api.abi_version() == SIS_PLUGIN_ABI_VERSION &&
                   api.last_error(nullptr) != nullptr;
    });
  for (std::thread& th : threads) th.join();
  for (int g : good) EXPECT_EQ(g, 200);
}

class AbiMisuseRun : public testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    db_ = std::make_unique<TestDatabase>(GetParam());
    db_->seed(20);
    handle_ = std::make_unique<Handle>(*db_);
    before_ = database_state(*db_);
  }
  sis_plugin* p() const { return handle_->get(); }
  std::unique_ptr<TestDatabase> db_;
  std::unique_ptr<Handle> handle_;
  std::string before_;
};

TEST_P(AbiMisuseRun, FreshHandleReportsNoErrorAndLastErrorIsNeverNull) {
  const char* last = plugin().last_error(p());
  ASSERT_NE(last, nullptr);
  EXPECT_EQ(json::parse(last), json::parse(R"({"error":null})"));
  const sis_toolbar_context ctx = kDefaults.to_c();
  EXPECT_EQ(plugin().run(p(), &ctx, "{", 1, nullptr, nullptr, nullptr, nullptr), SIS_E_INVALID_OPTIONS);
  ASSERT_NE(plugin().last_error(p()), nullptr);
  EXPECT_EQ(error_code_of(plugin().last_error(p())), "invalid_options");
}

TEST_P(AbiMisuseRun, NullOrUndersizedContextIsAnInvalidArgument) {
  const char* result = nullptr;
  EXPECT_EQ(plugin().run(p(), nullptr, kOptions.data(), kOptions.size(), nullptr, nullptr, nullptr, &result), SIS_E_INVALID_ARGUMENT);
  EXPECT_EQ(error_code_of(result), "invalid_argument");
  for (uint32_t size : {uint32_t{0}, uint32_t{1}, uint32_t{4}, SIS_TOOLBAR_CONTEXT_SIZE_V1 - 1}) {
    SCOPED_TRACE(size);
    sis_toolbar_context ctx = kDefaults.to_c();
    ctx.struct_size = size;
    EXPECT_EQ(plugin().run(p(), &ctx, kOptions.data(), kOptions.size(), nullptr, nullptr, nullptr, &result), SIS_E_INVALID_ARGUMENT);
    EXPECT_EQ(error_code_of(result), "invalid_argument");
  }
  EXPECT_EQ(database_state(*db_), before_);
}

TEST_P(AbiMisuseRun, LargerContextOfALaterVersionIsAccepted) {
  struct Later {
    sis_toolbar_context v1;
    int64_t added_later[4];
  } later{};
  later.v1 = kDefaults.to_c();
  later.v1.struct_size = sizeof later;
  std::fill(std::begin(later.added_later), std::end(later.added_later), int64_t{-7});
  const char* result = nullptr;
  EXPECT_EQ(plugin().run(p(), &later.v1, kOptions.data(), kOptions.size(), nullptr, nullptr, nullptr, &result), SIS_OK) << result;
  // Only the version 1.0 fields are read, whatever struct_size claims.
  sis_toolbar_context claims_more = kDefaults.to_c();
  claims_more.struct_size = 0xFFFFFFFFu;
  EXPECT_EQ(plugin().run(p(), &claims_more, kOptions.data(), kOptions.size(), nullptr, nullptr, nullptr, &result), SIS_OK) << result;
}

TEST_P(AbiMisuseRun, UndersizedCountsAreAnInvalidArgument) {
  for (uint32_t size : {uint32_t{0}, uint32_t{4}, SIS_COUNTS_SIZE_V1 - 1}) {
    SCOPED_TRACE(size);
    sis_counts counts{};
    counts.struct_size = size;
    const sis_toolbar_context ctx = kDefaults.to_c();
    const char* result = nullptr;
    EXPECT_EQ(plugin().run(p(), &ctx, kOptions.data(), kOptions.size(), nullptr, nullptr, &counts, &result), SIS_E_INVALID_ARGUMENT);
    EXPECT_FALSE(error_code_of(result).empty());
    EXPECT_EQ(counts.updated, 0);
  }
  EXPECT_EQ(database_state(*db_), before_);
}

TEST_P(AbiMisuseRun, LargerCountsGetTheKnownFieldsAndNothingPastThem) {
  struct Later {
    sis_counts v1;
    unsigned char tail[32];
  } later;
  std::memset(&later, kCanary, sizeof later);
  later.v1.struct_size = sizeof later;
  const sis_toolbar_context ctx = kDefaults.to_c();
  const char* result = nullptr;
  ASSERT_EQ(plugin().run(p(), &ctx, kOptions.data(), kOptions.size(), nullptr, nullptr, &later.v1, &result), SIS_OK) << result;
  const json r = json::parse(result);
  EXPECT_EQ(later.v1.updated, r["updated"].get<int64_t>());
  EXPECT_EQ(later.v1.unchanged, r["unchanged"].get<int64_t>());
  EXPECT_EQ(later.v1.persons, r["persons"].get<int64_t>());
  EXPECT_EQ(later.v1.households, r["households"].get<int64_t>());
  EXPECT_EQ(later.v1.struct_size, sizeof later) << "struct_size is the caller's";
  for (unsigned char b : later.tail) EXPECT_EQ(b, kCanary) << "written past the version 1.0 fields";
}

TEST_P(AbiMisuseRun, FailedRunLeavesTheCountsAlone) {
  sis_counts counts;
  std::memset(&counts, kCanary, sizeof counts);
  counts.struct_size = sizeof counts;
  const sis_counts untouched = counts;
  const sis_toolbar_context ctx = kDefaults.to_c();
  EXPECT_EQ(plugin().run(p(), &ctx, "[]", 2, nullptr, nullptr, &counts, nullptr), SIS_E_INVALID_OPTIONS);
  EXPECT_EQ(std::memcmp(&counts, &untouched, sizeof counts), 0);
}

TEST_P(AbiMisuseRun, EmptyOrNullOptionsAreAnInvalidArgument) {
  const sis_toolbar_context ctx = kDefaults.to_c();
  const char* result = nullptr;
  EXPECT_EQ(plugin().run(p(), &ctx, kOptions.data(), 0, nullptr, nullptr, nullptr, &result), SIS_E_INVALID_ARGUMENT);
  EXPECT_EQ(error_code_of(result), "invalid_argument");
  EXPECT_EQ(plugin().run(p(), &ctx, nullptr, 0, nullptr, nullptr, nullptr, &result), SIS_E_INVALID_ARGUMENT);
  EXPECT_EQ(plugin().run(p(), &ctx, nullptr, 40, nullptr, nullptr, nullptr, &result), SIS_E_INVALID_ARGUMENT);
  EXPECT_EQ(error_code_of(result), "invalid_argument");
  EXPECT_EQ(database_state(*db_), before_);
}

TEST_P(AbiMisuseRun, OptionsAreReadExactlyToOptionsLenWithoutATerminator) {
  // A heap block of exactly options_len bytes: reading one byte more is a
  // heap overflow that the sanitizer build reports.
  std::unique_ptr<char[]> exact(new char[kOptions.size()]);
  std::memcpy(exact.get(), kOptions.data(), kOptions.size());
  const sis_toolbar_context ctx = kDefaults.to_c();
  const char* result = nullptr;
  EXPECT_EQ(plugin().run(p(), &ctx, exact.get(), kOptions.size(), nullptr, nullptr, nullptr, &result), SIS_OK) << result;
  // Bytes after options_len are not part of the options.
  const std::string with_garbage = kOptions + "garbage that is not JSON";
  EXPECT_EQ(plugin().run(p(), &ctx, with_garbage.data(), kOptions.size(), nullptr, nullptr, nullptr, &result), SIS_OK) << result;
}

TEST_P(AbiMisuseRun, ResultPointerOfTheLastCallHoldsThatCallsResult) {
  const sis_toolbar_context ctx = kDefaults.to_c();
  const char* first = nullptr;
  ASSERT_EQ(plugin().run(p(), &ctx, kOptions.data(), kOptions.size(), nullptr, nullptr, nullptr, &first), SIS_OK);
  const json first_result = json::parse(first);  // copied before the next call invalidates it
  const std::string undo = json{{"action", "undo"}, {"batch_id", first_result["batch_id"]}}.dump();
  const char* second = nullptr;
  ASSERT_EQ(plugin().run(p(), &ctx, undo.data(), undo.size(), nullptr, nullptr, nullptr, &second), SIS_OK);
  const json second_result = json::parse(second);
  EXPECT_EQ(second_result["undone_batch_id"], first_result["batch_id"]);
  const char* third = nullptr;
  EXPECT_EQ(plugin().run(p(), &ctx, undo.data(), undo.size(), nullptr, nullptr, nullptr, &third), SIS_E_CONFLICT);
  EXPECT_EQ(error_code_of(third), "conflict");
  EXPECT_STREQ(third, plugin().last_error(p()));
  // A success after a failure returns its own result; last_error keeps the failure.
  const char* fourth = nullptr;
  ASSERT_EQ(plugin().run(p(), &ctx, kOptions.data(), kOptions.size(), nullptr, nullptr, nullptr, &fourth), SIS_OK);
  EXPECT_TRUE(json::parse(fourth).contains("batch_id"));
  EXPECT_EQ(error_code_of(plugin().last_error(p())), "conflict");
}

TEST_P(AbiMisuseRun, NullResultAndNullCountsAreFine) {
  const sis_toolbar_context ctx = kDefaults.to_c();
  EXPECT_EQ(plugin().run(p(), &ctx, kOptions.data(), kOptions.size(), nullptr, nullptr, nullptr, nullptr), SIS_OK);
  EXPECT_EQ(count_rows(*db_, "cpb_batch"), 1);
  EXPECT_EQ(plugin().run(p(), &ctx, "{}", 2, nullptr, nullptr, nullptr, nullptr), SIS_E_INVALID_OPTIONS);
}

TEST_P(AbiMisuseRun, NullEffectiveDateMeansToday) {
  Context c;
  c.effective_date.reset();
  const Outcome out = handle_->run(kOptions, c);
  EXPECT_EQ(out.status, SIS_OK) << out.result.dump();
}

INSTANTIATE_TEST_SUITE_P(Backends, AbiMisuseRun, testing::ValuesIn(backends()), BackendName());

// ---- Re-entrancy (CONTRACT 9.5, issue 11.4) ----
// A progress callback that calls back into the handle of its own run: before
// 1.1 a nested run shared the outer transaction and, on PostgreSQL, its commit
// committed the outer batch, which then reported "cancelled, nothing changed".

const std::string kOuter = R"({"mode":"student_messenger_contacts","preferences":{"emergency":"on","general":"off"}})";
const std::string kNested = R"({"mode":"students","preferences":{"teacher":"on","food_service":"off"}})";

// What the callback does at one phase, and what it saw.
struct Reentry {
  const host::PluginApi* api = nullptr;
  sis_plugin* handle = nullptr;
  std::string at_phase;     // the phase at which to call back
  bool nested_run = false;  // sis_plugin_run on the same handle
  bool close = false;       // sis_plugin_close on the same handle
  bool cancel = false;      // then cancel the outer run
  std::vector<std::string> phases;
  sis_status nested_status = SIS_OK;
  std::string nested_result;
  sis_counts nested_counts{};
  std::string last_error_inside;
};

int call_back_into_the_handle(void* user, const char* phase, int64_t, int64_t) {
  auto* r = static_cast<Reentry*>(user);
  r->phases.emplace_back(phase);
  if (r->at_phase != phase) return 0;
  const Context c;
  const sis_toolbar_context ctx = c.to_c();
  r->last_error_inside = r->api->last_error(r->handle);
  if (r->nested_run) {
    const char* result = nullptr;
    std::memset(&r->nested_counts, kCanary, sizeof r->nested_counts);
    r->nested_counts.struct_size = sizeof r->nested_counts;
    r->nested_status = r->api->run(r->handle, &ctx, kNested.data(), kNested.size(), nullptr, nullptr, &r->nested_counts, &result);
    r->nested_result = result ? result : "(null)";
  }
  if (r->close) r->api->close(r->handle);
  return r->cancel ? 1 : 0;
}

class Reentrancy : public testing::TestWithParam<Backend> {
 protected:
  // The state the outer batch alone leaves on a twin database: what the
  // database must show after an outer run whose callback called back.
  std::string outer_alone() {
    TestDatabase twin(GetParam());
    twin.seed(40);
    Handle h(twin);
    const Outcome out = h.run(kOuter);
    EXPECT_EQ(out.status, SIS_OK) << out.result.dump();
    return preference_state(twin);
  }
};

TEST_P(Reentrancy, ARunFromInsideTheProgressCallbackOfARunOnTheSameHandleIsRefusedAndTheOuterBatchCompletesAlone) {
  const std::string expected = outer_alone();
  for (const char* phase : {"validate", "targets", "count", "write", "commit"}) {
    SCOPED_TRACE(phase);
    TestDatabase db(GetParam());
    db.seed(40);
    Handle h(db);
    Reentry r;
    r.api = &plugin();
    r.handle = h.get();
    r.at_phase = phase;
    r.nested_run = true;
    const Outcome outer = h.run(kOuter, Context{}, call_back_into_the_handle, &r);
    EXPECT_EQ(r.nested_status, SIS_E_INVALID_ARGUMENT);
    EXPECT_EQ(error_code_of(r.nested_result.c_str()), "invalid_argument") << r.nested_result;
    EXPECT_NE(r.nested_result.find("progress callback"), std::string::npos) << r.nested_result;
    EXPECT_EQ(r.nested_counts.updated, static_cast<int64_t>(0xA5A5A5A5A5A5A5A5ull)) << "the refused run wrote its counts";
    ASSERT_EQ(outer.status, SIS_OK) << outer.result.dump();
    // The five steps; the write's row reports repeat "write" (every one of them called back too).
    std::vector<std::string> steps = r.phases;
    steps.erase(std::unique(steps.begin(), steps.end()), steps.end());
    EXPECT_EQ(steps, (std::vector<std::string>{"validate", "targets", "count", "write", "commit"}));
    EXPECT_EQ(count_rows(db, "cpb_batch"), 1) << "only the outer batch is recorded";
    EXPECT_EQ(preference_state(db), expected) << "the database shows other than the outer batch alone";
    EXPECT_EQ(json::parse(plugin().last_error(h.get())), json::parse(R"({"error":null})")) << "the refusal touched the handle";
  }
}

TEST_P(Reentrancy, ARunFromInsideTheProgressCallbackThenACancelLeavesTheDatabaseExactlyAsItWas) {
  for (const char* phase : {"validate", "targets", "count", "write", "commit"}) {
    SCOPED_TRACE(phase);
    TestDatabase db(GetParam());
    db.seed(40);
    Handle h(db);
    const std::string before = database_state(db);
    Reentry r;
    r.api = &plugin();
    r.handle = h.get();
    r.at_phase = phase;
    r.nested_run = true;
    r.cancel = true;
    const Outcome outer = h.run(kOuter, Context{}, call_back_into_the_handle, &r);
    EXPECT_EQ(r.nested_status, SIS_E_INVALID_ARGUMENT);
    EXPECT_EQ(outer.status, SIS_E_CANCELLED) << outer.result.dump();
    EXPECT_EQ(outer.error_code(), "cancelled");
    EXPECT_EQ(database_state(db), before) << "a cancelled run that said nothing was changed changed something";
    // The handle is sound afterwards: the same outer batch runs.
    EXPECT_EQ(h.run(kOuter).status, SIS_OK);
  }
}

TEST_P(Reentrancy, CloseFromInsideTheProgressCallbackOfItsOwnRunDoesNothingAndTheRunCompletes) {
  TestDatabase db(GetParam());
  db.seed(40);
  Handle h(db);
  Reentry r;
  r.api = &plugin();
  r.handle = h.get();
  r.at_phase = "count";
  r.close = true;
  const Outcome outer = h.run(kOuter, Context{}, call_back_into_the_handle, &r);
  ASSERT_EQ(outer.status, SIS_OK) << outer.result.dump();
  EXPECT_EQ(count_rows(db, "cpb_batch"), 1);
  // The handle is still open (the sanitizer build would see a use after free).
  EXPECT_EQ(h.run(kNested).status, SIS_OK);
}

TEST_P(Reentrancy, LastErrorFromInsideTheProgressCallbackReturnsTheErrorOfTheCallBeforeTheRun) {
  TestDatabase db(GetParam());
  db.seed(40);
  Handle h(db);
  ASSERT_EQ(h.run(std::string("[]")).status, SIS_E_INVALID_OPTIONS);
  const std::string before_run = plugin().last_error(h.get());
  Reentry r;
  r.api = &plugin();
  r.handle = h.get();
  r.at_phase = "write";
  const Outcome outer = h.run(kOuter, Context{}, call_back_into_the_handle, &r);
  ASSERT_EQ(outer.status, SIS_OK) << outer.result.dump();
  EXPECT_EQ(r.last_error_inside, before_run);
  EXPECT_EQ(error_code_of(r.last_error_inside.c_str()), "invalid_options");
}

INSTANTIATE_TEST_SUITE_P(Backends, Reentrancy, testing::ValuesIn(backends()), BackendName());

}  // namespace
}  // namespace cpbtest
