// The C ABI: every exported function catches every exception and turns it into
// a status and an error JSON kept on the handle.
#include "sis_plugin.h"

#include <atomic>
#include <cstring>
#include <new>
#include <optional>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "describe.hpp"
#include "errors.hpp"
#include "session.hpp"

// What a handle is doing, read and changed by every thread that calls on it.
enum class HandleState { idle, running, close_when_run_returns };

struct sis_plugin {
  std::optional<cpb::Session> session;
  std::string result;                          // the last result JSON
  std::string last_error = "{\"error\":null}";  // the last failed call's error JSON
  std::atomic<HandleState> state{HandleState::idle};
  std::atomic<std::thread::id> running_thread{};  // the thread inside sis_plugin_run, while running
};

namespace {

using nlohmann::json;

using cpb::ErrorCode;

std::string error_json(ErrorCode code, const std::string& message, const std::string& path = {}) {
  json error = {{"code", std::string(cpb::error_kind(code).name)}, {"message", message}};
  if (!path.empty()) error["path"] = path;
  return json{{"error", error}}.dump(-1, ' ', false, json::error_handler_t::replace);
}

// What is left when even an error JSON cannot be built.
constexpr const char* kOutOfMemory = "{\"error\":{\"code\":\"out_of_memory\",\"message\":\"out of memory\"}}";
static_assert(cpb::error_kind(ErrorCode::out_of_memory).name == "out_of_memory", "kOutOfMemory carries the code of out_of_memory");

// The error JSONs of refusals that touch no handle: built once, and kept for
// as long as the library is loaded (a caller may hold them past the call).
enum class StaticError { reentrant_call, concurrent_run, null_handle };
const char* static_error(StaticError which) noexcept {
  try {
    // What a call on a handle from inside its own run's progress callback gets:
    // a second run would share the outer run's transaction (and on PostgreSQL
    // its commit would commit the outer batch), a close would free the running
    // handle.
    static const std::string reentrant_call = error_json(
        ErrorCode::invalid_argument,
        "a call on this handle from inside the progress callback of its own run is refused; nothing was changed: call again once "
        "sis_plugin_run has returned, or use another handle");
    // A run on a handle another thread is running on (the header allows one
    // thread at a time): refused, and the other thread's run goes on alone.
    static const std::string concurrent_run = error_json(
        ErrorCode::invalid_argument,
        "a run on this handle is under way in another thread; this one is refused and changed nothing: use one handle per thread");
    static const std::string null_handle = error_json(ErrorCode::invalid_argument, "no plugin handle (NULL)");
    switch (which) {
      case StaticError::reentrant_call: return reentrant_call.c_str();
      case StaticError::concurrent_run: return concurrent_run.c_str();
      case StaticError::null_handle: return null_handle.c_str();
    }
  } catch (...) {
  }
  return kOutOfMemory;
}

// The result of a run whose handle another thread closed meanwhile: the
// handle is gone once the run returns, so the result lives here, until the
// next run on this thread whose handle is closed the same way.
thread_local std::string t_result_of_closed_handle;

// Marks the handle busy for the length of a run, whatever way the run ends;
// tells at the end whether a close came from another thread meanwhile.
class RunningScope {
 public:
  explicit RunningScope(sis_plugin& p) : p_(p) { p_.running_thread = std::this_thread::get_id(); }
  ~RunningScope() {
    if (!finished_ && finish()) delete &p_;  // not reached: every way out of a run calls finish()
  }
  RunningScope(const RunningScope&) = delete;
  RunningScope& operator=(const RunningScope&) = delete;
  // Ends the run: true when the handle is to be closed now.
  bool finish() {
    finished_ = true;
    p_.running_thread = std::thread::id();
    HandleState running = HandleState::running;
    return !p_.state.compare_exchange_strong(running, HandleState::idle);
  }

 private:
  sis_plugin& p_;
  bool finished_ = false;
};

struct Failure {
  sis_status status;
  std::string json;
};

Failure failure(ErrorCode code, const std::string& message, const std::string& path = {}) {
  return Failure{cpb::error_kind(code).status, error_json(code, message, path)};
}

// Runs body and maps whatever it throws to a status and an error JSON; `doing`
// says what failed in a database error ("the database refused the batch").
template <typename Body>
std::optional<Failure> guarded(const char* doing, Body&& body) noexcept {
  try {
    try {
      body();
      return std::nullopt;
    } catch (const cpb::PluginError& e) {
      return failure(e.kind(), e.what(), e.path());
    } catch (const cpb::odbc::UnsupportedDatabase& e) {  // not `database`: retrying cannot help
      return failure(ErrorCode::unsupported_database, e.what());
    } catch (const cpb::odbc::Error& e) {
      if (e.is_conflict())
        return failure(ErrorCode::conflict, std::string("another writer holds the rows; nothing was changed, try again: ") + e.what() +
                                                " (SQLSTATE " + e.sqlstate() + ")");
      return failure(ErrorCode::database, std::string(doing) + ": " + e.what() + " (SQLSTATE " + e.sqlstate() + ")");
    } catch (const std::bad_alloc&) {
      return failure(ErrorCode::out_of_memory, "out of memory");
    } catch (const std::exception& e) {
      return failure(ErrorCode::internal, std::string("internal error: ") + e.what());
    } catch (...) {
      return failure(ErrorCode::internal, "internal error");
    }
  } catch (...) {  // building the error itself failed
    return Failure{cpb::error_kind(ErrorCode::out_of_memory).status, kOutOfMemory};
  }
}

void copy_error(const std::string& text, char* errbuf, size_t errbuf_len) {
  if (!errbuf || errbuf_len == 0) return;
  const size_t n = std::min(text.size(), errbuf_len - 1);
  std::memcpy(errbuf, text.data(), n);
  errbuf[n] = '\0';
}

// `arg` is what `connect` opens; `null_arg` the message when it is NULL.
sis_status open_with(cpb::odbc::Connection (*connect)(void*), void* arg, const char* null_arg, sis_plugin** out, char* errbuf,
                     size_t errbuf_len) {
  if (out) *out = nullptr;
  sis_plugin* plugin = nullptr;
  const auto failure = guarded("cannot open the plugin on the database", [&] {
    if (!arg) throw cpb::invalid_argument(null_arg);
    if (!out) throw cpb::invalid_argument("out must not be NULL");
    auto owned = std::make_unique<sis_plugin>();
    owned->session.emplace(connect(arg));
    plugin = owned.release();
  });
  if (failure) {
    copy_error(failure->json, errbuf, errbuf_len);
    return failure->status;
  }
  *out = plugin;
  copy_error("", errbuf, errbuf_len);
  return SIS_OK;
}

}  // namespace

extern "C" {

SIS_PLUGIN_API uint32_t sis_plugin_abi_version(void) { return SIS_PLUGIN_ABI_VERSION; }

SIS_PLUGIN_API const char* sis_plugin_describe(void) {
  try {
    return cpb::describe_json().c_str();
  } catch (...) {
    return "{}";
  }
}

SIS_PLUGIN_API sis_status sis_plugin_open(const char* odbc_connection_string, sis_plugin** out, char* errbuf, size_t errbuf_len) {
  // SQLite: the connection string's Timeout bounds all of a call's waits for
  // another writer's lock, not each statement's (docs/ENGINES.md).
  return open_with([](void* s) { return cpb::odbc::Connection::open(static_cast<const char*>(s), cpb::odbc::LockWaits::bounded_per_call); },
                   const_cast<char*>(odbc_connection_string), "the connection string must not be NULL", out, errbuf, errbuf_len);
}

SIS_PLUGIN_API sis_status sis_plugin_open_attached(void* sql_hdbc, sis_plugin** out, char* errbuf, size_t errbuf_len) {
  return open_with([](void* h) { return cpb::odbc::Connection::attach(static_cast<SQLHDBC>(h)); }, sql_hdbc, "the SQLHDBC must not be NULL",
                   out, errbuf, errbuf_len);
}

SIS_PLUGIN_API sis_status sis_plugin_run(sis_plugin* p, const sis_toolbar_context* ctx, const char* options_json,
                                         size_t options_len, sis_progress_fn progress, void* progress_user, sis_counts* counts,
                                         const char** result_json) {
  if (!p) {
    if (result_json) *result_json = sis_plugin_last_error(nullptr);
    return cpb::error_kind(ErrorCode::invalid_argument).status;
  }
  HandleState idle = HandleState::idle;
  if (!p->state.compare_exchange_strong(idle, HandleState::running)) {  // leaves the other run's result, last error and transaction alone
    if (result_json) *result_json = static_error(p->running_thread.load() == std::this_thread::get_id() ? StaticError::reentrant_call
                                                                                                   : StaticError::concurrent_run);
    return cpb::error_kind(ErrorCode::invalid_argument).status;
  }
  RunningScope running(*p);
  cpb::RunOutcome outcome;
  const auto failure = guarded("the database refused the batch; nothing was changed", [&] {
    using cpb::invalid_argument;
    if (!ctx) throw invalid_argument("the toolbar context must not be NULL");
    if (ctx->struct_size < SIS_TOOLBAR_CONTEXT_SIZE_V1)
      throw invalid_argument("the toolbar context's struct_size " + std::to_string(ctx->struct_size) + " is smaller than version 1.0's " +
                            std::to_string(SIS_TOOLBAR_CONTEXT_SIZE_V1));
    if (counts && counts->struct_size < SIS_COUNTS_SIZE_V1)
      throw invalid_argument("the counts' struct_size " + std::to_string(counts->struct_size) + " is smaller than version 1.0's " +
                            std::to_string(SIS_COUNTS_SIZE_V1));
    if (!options_json || options_len == 0)
      throw invalid_argument("the options are empty; send a JSON object");
    const cpb::Options options = cpb::parse_options(std::string_view(options_json, options_len));
    const cpb::RunContext context = cpb::read_context(*ctx);
    outcome = p->session->run(context, options, progress, progress_user);
  });
  if (failure) {
    p->last_error = failure->json;
    p->result = failure->json;
  } else {
    p->result = std::move(outcome.result_json);
    if (counts) {  // only the version 1.0 fields; a larger struct's tail is left alone
      counts->updated = outcome.updated;
      counts->unchanged = outcome.unchanged;
      counts->persons = outcome.persons;
      counts->households = outcome.households;
    }
  }
  const sis_status status = failure ? failure->status : SIS_OK;
  const char* result = p->result.c_str();  // p is not touched once the run has finished
  if (running.finish()) {  // closed from another thread during the run: closed now
    t_result_of_closed_handle.swap(p->result);
    delete p;
    result = t_result_of_closed_handle.c_str();
  }
  if (result_json) *result_json = result;
  return status;
}

SIS_PLUGIN_API const char* sis_plugin_last_error(const sis_plugin* p) {
  if (!p) return static_error(StaticError::null_handle);
  return p->last_error.c_str();
}

SIS_PLUGIN_API void sis_plugin_close(sis_plugin* p) {
  if (!p) return;
  for (;;) {
    HandleState state = HandleState::idle;
    if (p->state.compare_exchange_strong(state, HandleState::close_when_run_returns)) {
      delete p;  // no run: closed now (the state keeps a run starting meanwhile out)
      return;
    }
    // A run is under way. From inside its own progress callback: nothing (the
    // run still uses the handle). From another thread: the run closes the
    // handle when it returns.
    if (state == HandleState::close_when_run_returns || p->running_thread.load() == std::this_thread::get_id()) return;
    HandleState running = HandleState::running;
    if (p->state.compare_exchange_strong(running, HandleState::close_when_run_returns)) return;
    // The run returned meanwhile: close now.
  }
}

}  // extern "C"
