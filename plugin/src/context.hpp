// The toolbar context of a run, checked and with its date resolved.
#pragma once

#include <cstdint>
#include <string>

#include "sis_plugin.h"

namespace cpb {

struct RunContext {
  int32_t end_year = 0;
  int64_t school_id = 0;
  int64_t calendar_id = 0;
  int64_t user_id = 0;
  std::string date;  // effective date, YYYY-MM-DD
};

// Checks the fields that need no database; throws PluginError (invalid_context).
RunContext read_context(const sis_toolbar_context& ctx);

bool is_iso_date(const std::string& s);
std::string today_local();
std::string now_local();  // YYYY-MM-DD HH:MM:SS

}  // namespace cpb
