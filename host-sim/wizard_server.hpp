// sis-host-sim serve: the tool's reference wizard, a web page over a small
// JSON API. The API runs the plugin through the C ABI (sis_plugin_run) and
// makes the reads a host makes for its toolbar (years, schools, calendars, the
// user's ad hoc filters, users). The page and its assets are embedded.
//
// Security: loopback unless told otherwise; state changes are POST with the
// server run's page token and a JSON body of bounded size (counted as it is
// read, chunked or not); each request has a deadline and each connection a
// thread of its own, so slow clients cannot starve the page; the page shows every name
// from the database as text; errors carry the plugin's message, never a stack
// or SQL.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>

#include "plugin_loader.hpp"

namespace host {

struct WizardConfig {
  std::string db;            // as --db
  std::string listen;        // "ADDRESS:PORT"; port 0 picks a free one
  std::string date;          // effective date of every run; empty: today
  int progress_delay_ms = 0;  // simulator: pause at each progress step, to watch progress and try Cancel
  // Non-zero: every request runs as this user_account (a host's session user);
  // a request naming another user is refused. 0: the page picks the user.
  int64_t user = 0;
};

// Serves until the process is stopped. Prints "wizard: http://ADDRESS:PORT/"
// on `out` once listening. Throws std::runtime_error when it cannot listen.
int serve_wizard(const PluginApi& api, const WizardConfig& config, std::ostream& out);

}  // namespace host
