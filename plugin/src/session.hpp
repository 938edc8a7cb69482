// One open plugin handle: its connection and the runs made on it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "context.hpp"
#include "odbc.hpp"
#include "options.hpp"
#include "outcome.hpp"
#include "sis_plugin.h"

namespace cpb {

class Session {
 public:
  explicit Session(odbc::Connection connection);
  RunOutcome run(const RunContext& context, const Options& options, sis_progress_fn progress, void* progress_user);

 private:
  RunOutcome write_chunks(const RunContext& context, const Options& options, int64_t batch_id, Progress& progress);
  odbc::Connection connection_;
};

}  // namespace cpb
