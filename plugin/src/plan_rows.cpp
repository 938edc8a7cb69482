// A page of a plan's rows, with its cursor (CONTRACT 9.1, 12.3).
#include "batch.hpp"

#include <algorithm>
#include <cstdio>

#include "errors.hpp"

namespace cpb {

using json = nlohmann::ordered_json;
using odbc::Params;
using odbc::Value;

namespace {

// A page cursor: the kind, and the row and device the page ended on.
struct Cursor {
  PlanRowsKind kind = PlanRowsKind::changes;
  int64_t row_kind = 0;
  int64_t row_id = INT64_MIN;
  int64_t device = -1;
};

std::string encode(const Cursor& c) {
  return std::string(c.kind == PlanRowsKind::changes ? "c" : "s") + "." + std::to_string(c.row_kind) + "." +
         std::to_string(c.row_id) + "." + std::to_string(c.device);
}

Cursor decode(const std::string& text, PlanRowsKind kind) {
  Cursor c;
  c.kind = kind;
  const auto bad = [&] { return invalid_options("/after", "\"after\" is not a cursor of this plan's " +
                                                              std::string(kind == PlanRowsKind::changes ? "changes" : "skipped rows") +
                                                              "; pass the \"next\" of the previous page"); };
  const char want = kind == PlanRowsKind::changes ? 'c' : 's';
  if (text.size() < 7 || text[0] != want || text[1] != '.') throw bad();
  long long row_kind = 0, row_id = 0, device = 0;
  int used = 0;
  if (std::sscanf(text.c_str() + 2, "%lld.%lld.%lld%n", &row_kind, &row_id, &device, &used) != 3 ||
      static_cast<size_t>(used) + 2 != text.size() || (row_kind != 0 && row_kind != 1) || device < 0 ||
      device >= static_cast<long long>(kDevices.size()))
    throw bad();
  c.row_kind = row_kind;
  c.row_id = row_id;
  c.device = device;
  return c;
}


}  // namespace

RunOutcome plan_rows(Batch& b) {
  b.progress.step("validate");
  const Batch::User user = b.check_user();
  const int64_t plan_id = b.o.plan_id;
  const std::string which = "plan " + std::to_string(plan_id);
  const Params p = with(b.params, {{"plan_id", Value::of(plan_id)}});
  const Batch::PlanRecord plan = b.find_plan(plan_id);
  if (plan.status != "planned" || plan.expired)
    throw not_found(which + (plan.status == "applied" ? " was applied already" : " expired") + "; its rows are no longer kept",
                    "/plan_id");
  if (plan.user_id != b.ctx.user_id && !user.admin)
    throw forbidden(which + " belongs to user " + std::to_string(plan.user_id) + "; only its user may review it", "/plan_id");
  const Options planned = parse_options(plan.options);
  const bool changes = b.o.rows_kind == PlanRowsKind::changes;

  Cursor from;
  from.kind = b.o.rows_kind;
  std::string after_name;
  if (b.o.after) {
    from = decode(*b.o.after, b.o.rows_kind);
    odbc::Statement name(b.db);
    name.execute(b.sql("plugin/plan_row_name"),
                 with(p, {{"after_kind", Value::of(from.row_kind)}, {"after_id", Value::of(from.row_id)}}));
    if (!name.fetch()) throw invalid_options("/after", "\"after\" names no row of " + which);
    after_name = name.get_text(1).value_or("");
  }
  b.progress.step("targets");
  json rows = json::array();
  std::optional<Cursor> last;
  bool more = false;
  odbc::Statement page(b.db);
  page.execute(b.sql(changes ? "plugin/plan_changes_page" : "plugin/plan_skipped_page"),
               with(p, {{"after_name", Value::of(after_name)},
                        {"after_id", Value::of(from.row_id)},
                        {"after_kind", Value::of(from.row_kind)},
                        {"limit", Value::of(b.o.limit + 2)}}));  // the cursor's own row, then one more than fits
  const int first_device_column = 5;  // row_kind, row_id, sort_name, allowed_bits, then 4 per device in kDevices order
  while (page.fetch()) {
    const int64_t row_kind = page.get_int(1).value_or(0);
    const int64_t row_id = page.get_int(2).value_or(0);
    const std::string name = page.get_text(3).value_or("");
    const int allowed = static_cast<int>(page.get_int(4).value_or(0));
    for (size_t d = 0; d < kDevices.size(); ++d) {
      const int column = first_device_column + static_cast<int>(d) * 4;
      const std::optional<std::string> value = page.get_text(column);
      const std::optional<int64_t> state = page.get_int(column + 1);
      const std::optional<int64_t> old_mask = page.get_int(column + 2);
      const std::optional<int64_t> new_mask = page.get_int(column + 3);
      if (!state) continue;  // not a device of this row's table
      if (row_kind == from.row_kind && row_id == from.row_id && static_cast<int64_t>(d) <= from.device && b.o.after) continue;
      std::vector<json> emitted;
      json base = {{"person_id", row_kind == 0 ? json(row_id) : json(nullptr)},
                   {"name", name},
                   {"household_id", row_kind == 1 ? json(row_id) : json(nullptr)},
                   {"device", std::string(kDevices[d].name)},
                   {"value", value ? json(*value) : json(nullptr)}};
      if (changes) {
        if (old_mask == new_mask) continue;
        base["before"] = reason_names(static_cast<int>(old_mask.value_or(0)));
        base["after"] = reason_names(static_cast<int>(new_mask.value_or(0)));
        emitted.push_back(base);
      } else {
        for (const auto& [fate, bits] : skipped_cells(planned.devices[d].touched(), static_cast<CellState>(*state), allowed)) {
          json row = base;
          row["reasons"] = reason_names(bits);
          row["why"] = fate_name(fate);
          emitted.push_back(row);
        }
      }
      if (emitted.empty()) continue;
      // A device of two skipped fates is listed whole on one page, so a page
      // stops before it when it would not fit (unless the page is empty).
      if (!rows.empty() && static_cast<int64_t>(rows.size() + emitted.size()) > b.o.limit) {
        more = true;
        break;
      }
      for (json& row : emitted) rows.push_back(std::move(row));
      last = Cursor{b.o.rows_kind, row_kind, row_id, static_cast<int64_t>(d)};
    }
    if (more) break;
  }
  page.close_cursor();
  const json result = {{"plan_id", plan_id},
                       {"kind", changes ? "changes" : "skipped"},
                       {"total", changes ? plan.changes_total : plan.skipped_total},
                       {"next", more && last ? json(encode(*last)) : json(nullptr)},
                       {"rows", rows}};
  return {result.dump(), 0, 0, 0, 0, std::nullopt};
}


}  // namespace cpb
