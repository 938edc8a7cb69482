// sis-host-sim history / show-batch: the plugin's batch record, for a person.
#pragma once

#include <cstdint>
#include <ostream>

#include "odbc.hpp"

namespace host {
int print_history(cpb::odbc::Connection& db, std::ostream& out);
int print_batch(cpb::odbc::Connection& db, int64_t batch_id, std::ostream& out);
}  // namespace host
