// sis-host-sim history / show-batch: the plugin's batch record, for a person.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "odbc.hpp"

namespace host {

// One row of the batch record, as history shows it.
struct BatchSummary {
  int64_t batch_id = 0;
  std::string finished_at, user, action, mode, status;
  int64_t persons = 0, households = 0, updated = 0, unchanged = 0;
  int64_t undoes = 0, undone_by = 0;  // 0: none
  // What updated/unchanged count: "cells" (an apply) or "rows" (an undo: restored / in conflict).
  const char* unit() const;
};
// Every batch, oldest first; none on a database the plugin never opened.
std::vector<BatchSummary> list_batches(cpb::odbc::Connection& db);

int print_history(cpb::odbc::Connection& db, std::ostream& out);
// `describe` is the plugin's describe JSON: the reasons and devices it names.
int print_batch(cpb::odbc::Connection& db, const nlohmann::json& describe, int64_t batch_id, std::ostream& out);
}  // namespace host
