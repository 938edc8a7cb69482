// The process that runs the plugin. It is a fresh program image (this program
// executed again), so that its peak memory is the plugin's and the ODBC
// driver's alone: seeding, the floor and the baseline run in the parent.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace bench {

// The toolbar context of every benchmark run (CONTRACT 7).
inline constexpr int32_t kEndYear = 2027;
inline constexpr int64_t kUserId = 1;
inline constexpr const char* kEffectiveDate = "2026-10-01";

struct Memory {
  int64_t peak_kb = 0;      // VmHWM
  int64_t resident_kb = 0;  // VmRSS
};
Memory own_memory();  // of the calling process, from /proc/self/status

struct PluginCall {
  double seconds = 0;  // sis_plugin_run alone
  int status = 0;      // sis_status
  nlohmann::json result;
  // Every progress callback of the run: [phase, done, total, seconds since the call began].
  nlohmann::json progress = nlohmann::json::array();
  // A chunked apply's chunks (CONTRACT 11), each from the end of the one before
  // (the first from the "commit" step of the run's own transaction) to its
  // progress report after its commit: the time its transaction held its rows.
  std::vector<double> chunk_seconds() const;
};

// The parent's end: starts the worker, which loads the plugin with Boost.DLL
// and opens one handle on the database; each run() is one sis_plugin_run.
class PluginWorker {
 public:
  PluginWorker(const std::string& connection_string, const std::string& plugin_path);
  ~PluginWorker();
  PluginWorker(const PluginWorker&) = delete;
  PluginWorker& operator=(const PluginWorker&) = delete;

  PluginCall run(const std::string& options_json);
  Memory memory();                              // the worker's, now
  const Memory& when_ready() const { return ready_; }  // after loading and opening, before any run

 private:
  nlohmann::json request(const nlohmann::json& message);
  pid_t pid_ = -1;
  FILE* to_ = nullptr;
  FILE* from_ = nullptr;
  Memory ready_;
};

// The worker's end ("cpb-bench plugin-worker CONNECTION PLUGIN"): one JSON
// request per line on stdin, one JSON answer per line on stdout.
int plugin_worker_main(const std::string& connection_string, const std::string& plugin_path);

}  // namespace bench
