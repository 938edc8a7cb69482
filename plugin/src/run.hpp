// One run of the tool inside its transaction: a direct apply or dry run, a
// plan, an apply of a plan, a page of a plan's rows, or an undo.
#pragma once

#include "context.hpp"
#include "odbc.hpp"
#include "options.hpp"
#include "session.hpp"

namespace cpb {

inline constexpr int64_t kRunSteps = 5;  // validate, targets, count, write, commit

RunOutcome run_in_transaction(odbc::Connection& db, const RunContext& ctx, const Options& o, Progress& progress);

}  // namespace cpb
