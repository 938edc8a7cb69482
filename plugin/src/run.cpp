#include "run.hpp"

#include "batch.hpp"

namespace cpb {

RunOutcome run_in_transaction(odbc::Connection& db, const RunContext& ctx, const Options& o, Progress& progress) {
  Batch b(db, ctx, o, progress);
  switch (o.action) {
    case Action::undo: return undo(b);
    case Action::plan: return plan(b);
    case Action::plan_rows: return plan_rows(b);
    case Action::resume: return resume(b);
    default: return o.applies_plan() ? apply_plan(b) : apply(b);
  }
}

}  // namespace cpb
