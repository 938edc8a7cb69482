#include "plugin_worker.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <fstream>
#include <iostream>
#include <stdexcept>
#include <vector>

#include "plugin_loader.hpp"

namespace bench {

using json = nlohmann::json;

Memory own_memory() {
  Memory m;
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmHWM:", 0) == 0) m.peak_kb = std::stoll(line.substr(6));
    if (line.rfind("VmRSS:", 0) == 0) m.resident_kb = std::stoll(line.substr(6));
  }
  return m;
}

namespace {

// The worker's progress callback: every report, timed from the start of the call.
struct ProgressLog {
  std::chrono::steady_clock::time_point started;
  json reports = json::array();
};
int log_progress(void* user, const char* phase, int64_t done, int64_t total) {
  auto* log = static_cast<ProgressLog*>(user);
  log->reports.push_back({phase ? phase : "", done, total,
                          std::chrono::duration<double>(std::chrono::steady_clock::now() - log->started).count()});
  return 0;
}

json memory_json(const Memory& m) { return {{"peak_kb", m.peak_kb}, {"resident_kb", m.resident_kb}}; }
Memory memory_of(const json& j) { return {j.at("peak_kb").get<int64_t>(), j.at("resident_kb").get<int64_t>()}; }

}  // namespace

PluginWorker::PluginWorker(const std::string& connection_string, const std::string& plugin_path) {
  int down[2], up[2];
  if (pipe2(down, O_CLOEXEC) != 0 || pipe2(up, O_CLOEXEC) != 0) throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  std::fflush(nullptr);
  pid_ = fork();
  if (pid_ < 0) throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
  if (pid_ == 0) {
    dup2(down[0], STDIN_FILENO);
    dup2(up[1], STDOUT_FILENO);
    close(down[0]);
    close(down[1]);
    close(up[0]);
    close(up[1]);
    std::vector<std::string> args = {"cpb-bench", "plugin-worker", connection_string, plugin_path};
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv("/proc/self/exe", argv.data());
    std::fprintf(stderr, "cpb-bench: cannot start the plugin worker: %s\n", std::strerror(errno));
    _exit(127);
  }
  close(down[0]);
  close(up[1]);
  to_ = fdopen(down[1], "w");
  from_ = fdopen(up[0], "r");
  const json ready = request(json::object());
  ready_ = memory_of(ready.at("memory"));
}

PluginWorker::~PluginWorker() {
  if (to_) {
    std::fputs("{\"quit\":true}\n", to_);
    std::fclose(to_);
  }
  if (from_) std::fclose(from_);
  if (pid_ > 0) waitpid(pid_, nullptr, 0);
}

json PluginWorker::request(const json& message) {
  if (!message.empty()) {
    const std::string line = message.dump() + "\n";
    if (std::fputs(line.c_str(), to_) < 0 || std::fflush(to_) != 0) throw std::runtime_error("the plugin worker is gone");
  }
  std::string answer;
  for (int c = std::fgetc(from_); c != EOF && c != '\n'; c = std::fgetc(from_)) answer += static_cast<char>(c);
  if (answer.empty()) throw std::runtime_error("the plugin worker stopped without answering");
  json j = json::parse(answer);
  if (j.contains("failure")) throw std::runtime_error("plugin worker: " + j["failure"].get<std::string>());
  return j;
}

PluginCall PluginWorker::run(const std::string& options_json) {
  const json answer = request({{"run", options_json}});
  return {answer.at("seconds").get<double>(), answer.at("status").get<int>(), answer.at("result"), answer.at("progress")};
}

std::vector<double> PluginCall::chunk_seconds() const {
  std::vector<double> chunks;
  double start = -1;
  int64_t written = 0;
  for (const json& p : progress) {
    const std::string phase = p.at(0).get<std::string>();
    const double at = p.at(3).get<double>();
    if (phase == "commit") start = at;
    else if (phase == "write" && start >= 0) {
      // The last transaction finds nothing left to write: not a chunk.
      if (p.at(1).get<int64_t>() > written) chunks.push_back(at - start);
      written = p.at(1).get<int64_t>();
      start = at;
    }
  }
  return chunks;
}

Memory PluginWorker::memory() { return memory_of(request({{"memory", true}}).at("memory")); }

int plugin_worker_main(const std::string& connection_string, const std::string& plugin_path) {
  auto say = [](const json& j) {
    std::cout << j.dump() << "\n";
    std::cout.flush();
  };
  try {
    const host::LoadedPlugin plugin(plugin_path);
    const host::PluginApi& api = plugin.api();
    sis_plugin* handle = nullptr;
    char error[2048] = {0};
    if (api.open(connection_string.c_str(), &handle, error, sizeof error) != SIS_OK)
      throw std::runtime_error(std::string("sis_plugin_open failed: ") + error);
    say({{"memory", memory_json(own_memory())}});
    sis_toolbar_context ctx{};
    ctx.struct_size = sizeof ctx;
    ctx.end_year = kEndYear;
    ctx.user_id = kUserId;
    ctx.effective_date = kEffectiveDate;
    std::string line;
    while (std::getline(std::cin, line)) {
      const json request = json::parse(line);
      if (request.contains("quit")) break;
      if (request.contains("memory")) {
        say({{"memory", memory_json(own_memory())}});
        continue;
      }
      const std::string options = request.at("run").get<std::string>();
      sis_counts counts{};
      counts.struct_size = sizeof counts;
      const char* result = nullptr;
      ProgressLog log;
      log.started = std::chrono::steady_clock::now();
      const sis_status status = api.run(handle, &ctx, options.data(), options.size(), log_progress, &log, &counts, &result);
      const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - log.started).count();
      say({{"seconds", seconds},
           {"status", static_cast<int>(status)},
           {"result", json::parse(result ? result : "null")},
           {"progress", log.reports}});
    }
    api.close(handle);
    return 0;
  } catch (const std::exception& e) {
    say({{"failure", e.what()}});
    return 1;
  }
}

}  // namespace bench
