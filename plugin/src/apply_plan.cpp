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
    throw invalid_context("", which + " was made for the school year " + year_label(static_cast<int32_t>(plan.end_year)) +
                                  ", school " + std::to_string(plan.school_id) + ", calendar " + std::to_string(plan.calendar_id) +
                                  " on " + plan.date + "; apply it with the same toolbar selection and date");
  // The plan's options; the people and households left out are this apply's
  // (the plan's own are not in its rows already).
  Options planned = parse_options(plan.options);
  planned.action = Action::apply;
  planned.plan_id = plan_id;
  planned.chunk_rows = b.o.chunk_rows;
  planned.exclude_person_ids = b.o.exclude_person_ids;
  planned.exclude_household_ids = b.o.exclude_household_ids;
  json canonical = json::parse(planned.canonical_json);
  canonical["plan_id"] = plan_id;
  if (!b.o.exclude_person_ids.empty()) canonical["apply_exclude_person_ids"] = b.o.exclude_person_ids;
  if (!b.o.exclude_household_ids.empty()) canonical["apply_exclude_household_ids"] = b.o.exclude_household_ids;
  planned.canonical_json = canonical.dump();
  b.use_options(std::move(planned));
  b.params["plan_id"] = Value::of(plan_id);
  const Selection s = b.check_selection();
  b.progress.step("targets");
  b.create_working_tables();
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
