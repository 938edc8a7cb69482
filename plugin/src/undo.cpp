// An undo: a batch of its own that restores what a batch wrote over (CONTRACT 9.3).
#include "batch.hpp"

#include <algorithm>

#include "errors.hpp"

namespace cpb {

using json = nlohmann::ordered_json;
using odbc::Params;
using odbc::Value;

namespace {

constexpr int kConflictRowsShown = 100;

}  // namespace

RunOutcome undo(Batch& b) {
  b.progress.step("validate");
  const Batch::User user = b.check_user();
  const int64_t undone = b.o.batch_id;
  const std::string which = "batch " + std::to_string(undone);
  const Batch::BatchRecord batch = b.find_batch(undone, " (a dry run or a plan is not recorded and cannot be undone)");
  if (batch.tool != kToolName) throw invalid_options(which + " was made by the tool " + batch.tool + ", not by this one", "/batch_id");
  if (batch.status == "undone")
    throw conflict(which + " was already undone" + (batch.undone_by ? " by batch " + std::to_string(*batch.undone_by) : std::string()),
                   "/batch_id");
  b.check_batch_owner(undone, batch, user, "undoing");
  const bool undone_in_progress = batch.status == "in_progress";
  b.progress.step("targets");
  b.progress.step("count");
  const int64_t batch_id = b.scalar("plugin/next_batch_id");
  const Params p = with(b.params, {{"batch_id", Value::of(batch_id)}, {"undone_batch_id", Value::of(undone)}});
  if (undone_in_progress) {  // chunks never written leave the record; the undo restores every chunk written
    const ChunkState state = *b.chunk_state(undone);
    b.db.execute_script(sql_text("plugin/drop_unwritten_changes", b.db.engine()),
                       with(p, {{"contact_after", Value::of(state.contact_after)}, {"household_after", Value::of(state.household_after)}}));
  }
  b.progress.step("write");
  const int64_t contact_rows = std::max<int64_t>(b.exec("plugin/undo_stage_contact", p), 0);
  const int64_t household_rows = std::max<int64_t>(b.exec("plugin/undo_stage_household", p), 0);
  const int64_t restored = contact_rows + household_rows;
  if (contact_rows > 0) b.write_recorded(kContactRecord, p, 0, restored);
  if (household_rows > 0) b.write_recorded(kHouseholdRecord, p, contact_rows, restored);
  const odbc::Row totals = b.row_of("plugin/count_batch_rows", p);
  const int64_t conflicts = totals.int_or("recorded", 0) - totals.int_or("restored", 0);

  json conflict_rows = json::array();
  for (const auto& [query, household] : {std::pair{"plugin/undo_conflict_contacts", false}, std::pair{"plugin/undo_conflict_households", true}}) {
    odbc::Statement st(b.db);
    st.execute(b.sql(query), p);
    while (static_cast<int>(conflict_rows.size()) < kConflictRowsShown && st.fetch()) {
      const odbc::Row r = st.row();  // undo_conflict_*.sql's columns
      const int64_t id = r.int_or("row_id", 0);
      const std::string name = r.text_or("name", "");
      const std::string why = r.text_or("why", "");
      for (const Device& d : kDevices) {
        if ((d.table == "household") != household) continue;
        const std::string device(d.name);
        const std::optional<std::string> value = r.get_text(device + "_value");
        const std::optional<int64_t> old_mask = r.get_int(device + "_old");
        const std::optional<int64_t> new_mask = r.get_int(device + "_new");
        const std::optional<int64_t> now_mask = r.get_int(device + "_now");
        if (old_mask == new_mask || static_cast<int>(conflict_rows.size()) >= kConflictRowsShown) continue;
        conflict_rows.push_back({{"person_id", household ? json(nullptr) : json(id)},
                                 {"name", name},
                                 {"household_id", household ? json(id) : json(nullptr)},
                                 {"device", std::string(d.name)},
                                 {"value", value ? json(*value) : json(nullptr)},
                                 {"before", reason_names(static_cast<int>(now_mask.value_or(0)))},
                                 {"after", reason_names(static_cast<int>(old_mask.value_or(0)))},
                                 {"why", why}});
      }
    }
  }
  if (restored == 0)
    throw conflict(which + ": none of its " + std::to_string(conflicts) +
                       " rows still holds what it wrote (each was changed since, or by a later batch); nothing was restored",
                   "/batch_id");
  b.exec("plugin/mark_undone", with(p, {{"status", Value::of(std::string(conflicts > 0 ? "partially_undone" : "undone"))}}));
  const std::string result = json{{"batch_id", batch_id},
                                  {"undone_batch_id", undone},
                                  {"restored", restored},
                                  {"conflicts", conflicts},
                                  {"conflict_rows", conflict_rows}}
                                 .dump();
  b.record_batch(batch_id, "undo", result, nullptr, restored, conflicts, undone);
  return {result, restored, conflicts, 0, 0, std::nullopt};
}

}  // namespace cpb
