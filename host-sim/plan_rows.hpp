// sis-host-sim plan-rows: every row of a plan (CONTRACT 9.1), paged through
// with the plugin's cursor, as a table for a person or as CSV.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>

#include "plugin_run.hpp"

namespace host {

struct PlanRowsRequest {
  int64_t plan_id = 0;
  std::string kind = "changes";  // or "skipped"
  bool csv = false;
  // plan_rows' filters (CONTRACT 12.3), checked by the plugin; empty: none.
  std::string search, device, warning;
};

// Prints the rows; on a refusal returns the plugin's outcome (nothing printed
// but the rows read before it).
PluginOutcome print_plan_rows(const PluginApi& api, const std::string& connection_string, const Toolbar& toolbar,
                              const PlanRowsRequest& request, std::ostream& out);

}  // namespace host
