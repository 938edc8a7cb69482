// The apply of a plan: exactly the planned rows less those left out, or nothing (CONTRACT 9.1, 12.1).
#include "batch.hpp"

#include <algorithm>

#include "errors.hpp"

namespace cpb {

using json = nlohmann::ordered_json;
using odbc::Params;
using odbc::Value;

RunOutcome apply_plan(Batch& b) {
  b.progress.step("validate");
  b.script("plugin/expire_plans");
  const int64_t plan_id = b.o.plan_id;
  const std::string which = "plan " + std::to_string(plan_id);
  const Batch::PlanRecord plan = b.find_plan(plan_id);
  if (plan.status == "applied")
    throw not_found(which + " was applied already" +
                        (plan.applied_batch_id ? " as batch " + std::to_string(*plan.applied_batch_id) : std::string()) +
                        "; a plan applies once",
                    "/plan_id");
  if (plan.status != "planned") throw not_found(which + " expired at " + plan.expires_at + "; plan again", "/plan_id");
  b.check_user();
  if (plan.user_id != b.ctx.user_id)
    throw forbidden(which + " belongs to user " + std::to_string(plan.user_id) + "; only the user who planned it may apply it",
                    "/plan_id");
  if (plan.end_year != b.ctx.end_year || plan.school_id != b.ctx.school_id || plan.calendar_id != b.ctx.calendar_id ||
      plan.date != b.ctx.date)
    throw invalid_context(which + " was made for the school year " + year_label(static_cast<int32_t>(plan.end_year)) + ", school " +
                          std::to_string(plan.school_id) + ", calendar " + std::to_string(plan.calendar_id) + " on " + plan.date +
                          "; apply it with the same toolbar selection and date");
  b.use_options(plan_apply_options(plan.options, b.o));
  b.params["plan_id"] = Value::of(plan_id);
  Selection s = b.check_selection();
  b.progress.step("targets");
  b.create_working_tables();
  // Left out: the plan's own and, of the plan's rows, this apply's (CONTRACT 12.2).
  const odbc::Row own = b.row_of("plugin/count_plan_left_out", b.params);
  s.left_out_persons = plan.left_out_persons + own.int_or("persons", 0);
  s.left_out_households = plan.left_out_households + own.int_or("households", 0);
  b.script("plugin/load_plan");
  b.script_if_exists("plugin/analyze_stage");
  const int64_t changed = b.scalar("plugin/plan_conflicts");
  if (changed > 0)
    throw conflict(which + ": " + std::to_string(changed) + " of its rows changed since the plan; nothing was written. Plan again",
                   "/plan_id");
  std::optional<int64_t> batch_id;
  RunOutcome outcome = b.write_staged(s, plan_id, &batch_id);
  b.exec("plugin/mark_plan_applied", with(b.params, {{"plan_id", Value::of(plan_id)}, {"batch_id", Value::of(*batch_id)}}));
  return outcome;
}

}  // namespace cpb
