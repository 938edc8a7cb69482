// One call of sis_plugin_run as a host makes it: open a handle on the
// database, pass the toolbar context and the options, read the result, close.
// Shared by the command line and the wizard's server.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "plugin_loader.hpp"

namespace host {

// The host's toolbar selection and the user running the tool.
struct Toolbar {
  int32_t year = 0;
  int64_t school = 0;    // 0: all schools
  int64_t calendar = 0;  // 0: all calendars
  int64_t user = 0;
  std::string date;  // "YYYY-MM-DD"; empty: today
};

struct PluginOutcome {
  sis_status status = SIS_OK;
  nlohmann::ordered_json json;  // the result JSON, or the error JSON ({"error": {...}})
  bool ok() const { return status == SIS_OK; }
  std::string error_code() const;
  std::string error_message() const;
};

// Opens the plugin on `connection_string`, runs `options` once with the
// toolbar context and closes it. Failures to open come back as an outcome too.
PluginOutcome run_plugin(const PluginApi& api, const std::string& connection_string, const Toolbar& toolbar,
                         const std::string& options, sis_progress_fn progress = nullptr, void* progress_user = nullptr);

}  // namespace host
