// What a plan keeps for its review beyond its rows, and plan_rows' page
// cursor (CONTRACT 9.1, 12.3): the cursor is opaque to a host and named here
// so that the benchmark can start a page in the middle of a plan.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "odbc.hpp"
#include "options.hpp"

namespace cpb {

class Batch;

// After the rows of plan plan_id are saved (p names it :plan_id): which rows each warning
// counts (cpb_plan_warned_row) and every filter's total without a search
// (cpb_plan_total).
void save_plan_review(Batch& b, int64_t plan_id, const odbc::Params& p);

// Where a page ended, under which filters, and how many rows they match.
struct PlanRowsCursor {
  PlanRowsKind kind = PlanRowsKind::changes;
  int64_t row_kind = 0;       // 0: a contact row, 1: a household row
  int64_t row_id = INT64_MIN;  // the page starts after this row's device
  int64_t device = -1;        // index in kDevices
  std::optional<int64_t> total;  // the filtered total, carried so later pages need not count again
};

// "c.0.3011.4", and for filtered pages ".f<fingerprint of the filters>.<total>".
std::string encode_cursor(const PlanRowsCursor& c, const PlanRowsFilter& filter);
// Refuses (invalid_options at /after) a cursor of another kind or other filters.
PlanRowsCursor decode_cursor(const std::string& text, PlanRowsKind kind, const PlanRowsFilter& filter);

}  // namespace cpb
