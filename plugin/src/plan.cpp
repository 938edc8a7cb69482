// A plan: what an apply would write, kept for review (CONTRACT 9.1).
#include "batch.hpp"

#include <algorithm>
#include <ctime>

#include "errors.hpp"
#include "plan_review.hpp"

namespace cpb {

using json = nlohmann::ordered_json;
using odbc::Params;
using odbc::Value;

namespace {

constexpr int kPlanHours = 24;

std::string plus_hours(int hours) {
  const std::time_t t = std::time(nullptr) + static_cast<std::time_t>(hours) * 3600;
  std::tm local{};
  localtime_r(&t, &local);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%d %H:%M:%S", &local);
  return buffer;
}


}  // namespace

RunOutcome plan(Batch& b) {
  b.progress.step("validate");
  b.check_user();
  Selection s = b.check_selection();
  b.script("plugin/expire_plans");
  b.progress.step("targets");
  b.stage_targets(s);
  b.progress.step("count");
  const Tally t = b.count();
  const WarningCounts w = b.warnings(t);
  b.progress.step("write");
  const int64_t plan_id = b.scalar("plugin/next_plan_id");
  const Params p = with(b.params, {{"plan_id", Value::of(plan_id)}});
  b.exec("plugin/save_plan_contacts", p);
  b.exec("plugin/save_plan_households", p);
  b.exec("plugin/save_plan_members", p);
  save_plan_review(b, plan_id, p);
  const odbc::Row sums = b.row_of("plugin/plan_totals", p);
  const std::string expires_at = plus_hours(kPlanHours);
  json r = b.result(std::nullopt, t, s, w, Tense::planned);
  r["plan_id"] = plan_id;
  r["expires_at"] = expires_at;
  const std::string text = r.dump();
  b.exec("plugin/insert_plan", with(p, {{"options", Value::of(b.o.canonical_json)},
                                      {"result", Value::of(text)},
                                      {"changes_total", Value::of(sums.int_or("changes", 0))},
                                      {"skipped_total", Value::of(sums.int_or("skipped", 0))},
                                      {"expires_at", Value::timestamp(expires_at)},
                                      {"left_out_persons", Value::of(s.left_out_persons)},
                                      {"left_out_households", Value::of(s.left_out_households)}}));
  return {text, t.updated(), t.unchanged(), t.persons, t.households, std::nullopt};
}

}  // namespace cpb
