// What a run reports while it goes (Progress) and what it returns (RunOutcome).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "sis_plugin.h"

namespace cpb {

// Calls the host's progress callback; a non-zero answer cancels the run.
class Progress {
 public:
  Progress(sis_progress_fn fn, void* user, int64_t total) : fn_(fn), user_(user), total_(total) {}
  void step(const char* phase);  // throws PluginError (cancelled)
  // Reports progress within a phase (rows done of rows to do) without taking a step.
  void report(const char* phase, int64_t done, int64_t total);  // throws PluginError (cancelled)

 private:
  sis_progress_fn fn_;
  void* user_;
  int64_t total_;
  int64_t done_ = 0;
};

struct RunOutcome {
  std::string result_json;
  int64_t updated = 0;
  int64_t unchanged = 0;
  int64_t persons = 0;
  int64_t households = 0;
  // A chunked apply or a resume: the batch whose chunks are to be written, each
  // in a transaction of its own, after this run's transaction (CONTRACT 11).
  std::optional<int64_t> chunked_batch_id;
};

}  // namespace cpb
