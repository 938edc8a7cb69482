#include "batch.hpp"

#include <algorithm>

#include "errors.hpp"

namespace cpb {

using json = nlohmann::ordered_json;
using odbc::Params;
using odbc::Value;

namespace {

// A batch's record is written back in one transaction in about this many
// slices of at least kMinWriteSlice rows, one statement each, with a progress
// report (rows written of rows to write) after each.
constexpr int64_t kWriteSlices = 20;
constexpr int64_t kMinWriteSlice = 1000;

// count_group.sql finds a group of a stage's cells by one number,
// (mask before * kGroupUnit + allowed bits * 4 + state) * 2 + (mask NULL), which
// tells every group apart while allowed bits and the state fit below it.
constexpr int64_t kGroupUnit = 1024;
static_assert(kAllReasonBits * 4 + static_cast<int>(CellState::protected_row) < kGroupUnit);


}  // namespace

// The parameters every statement of a run may name, from the context and the options.
Params run_params(const RunContext& ctx, const Options& o) {
  Params p = {{"user_id", Value::of(ctx.user_id)},
              {"end_year", Value::of(int64_t{ctx.end_year})},
              {"school_id", Value::of(ctx.school_id)},
              {"calendar_id", Value::of(ctx.calendar_id)},
              {"date", Value::date(ctx.date)},
              {"filter_id", Value::of(o.ad_hoc_filter_id)},
              {"now", Value::timestamp(now_local())},
              {"keep_portal", Value::of(int64_t{o.overwrite == Overwrite::keep_portal})},
              {"unset_only", Value::of(int64_t{o.overwrite == Overwrite::unset_only})},
              {"state_writable", Value::of(int64_t{static_cast<int>(CellState::writable)})},
              {"state_no_device", Value::of(int64_t{static_cast<int>(CellState::no_device)})},
              {"state_protected", Value::of(int64_t{static_cast<int>(CellState::protected_row)})},
              {"all_reasons", Value::of(int64_t{kAllReasonBits})},
              {"allowed_no_staff", Value::of(int64_t{kReasonBitsNoStaff})},
              {"emergency_bit", Value::of(int64_t{kEmergencyBit})},
              {"group_unit", Value::of(kGroupUnit)}};
  for (size_t d = 0; d < kDevices.size(); ++d) {
    p["set_" + std::string(kDevices[d].name)] = Value::of(int64_t{o.devices[d].set});
    p["clear_" + std::string(kDevices[d].name)] = Value::of(int64_t{o.devices[d].clear});
  }
  return p;
}

Params with(Params p, std::initializer_list<std::pair<const std::string, Value>> extra) {
  for (const auto& [k, v] : extra) p[k] = v;
  return p;
}

std::string named(const std::string& what, int64_t id, const std::optional<std::string>& name) {
  return what + " " + std::to_string(id) + (name && !name->empty() ? " (" + *name + ")" : std::string());
}

Batch::Batch(odbc::Connection& db, const RunContext& ctx, const Options& o, Progress& progress)
    : db(db), ctx(ctx), o(o), progress(progress), params(run_params(ctx, o)) {}

void Batch::use_options(Options other) {
  o = std::move(other);
  params = run_params(ctx, o);
}

int64_t Batch::scalar(std::string_view name, const Params& p) {
  odbc::Statement st(db);
  st.execute(sql(name), p);
  return st.fetch() ? st.get_int(1).value_or(0) : 0;
}

std::optional<int64_t> Batch::optional_scalar(std::string_view name, const Params& p) {
  odbc::Statement st(db);
  st.execute(sql(name), p);
  return st.fetch() ? st.get_int(1) : std::nullopt;
}

std::optional<odbc::Row> Batch::first_row(std::string_view name, const Params& p) {
  odbc::Statement st(db);
  st.execute(sql(name), p);
  if (!st.fetch()) return std::nullopt;
  return st.row();
}

odbc::Row Batch::row_of(std::string_view name, const Params& p) {
  std::optional<odbc::Row> r = first_row(name, p);
  if (!r) throw std::logic_error(std::string(name) + " gave no row");
  return std::move(*r);
}

Batch::User Batch::check_user() {
  odbc::Statement st(db);
  st.execute(sql("plugin/check_user"), params);
  if (!st.fetch()) throw forbidden("user " + std::to_string(ctx.user_id) + " does not exist", "/user_id");
  const odbc::Row row = st.row();
  const bool disabled = row.int_or("disabled", 0) != 0;
  const bool portal = row.int_or("is_portal", 0) != 0;
  const bool can_write = row.int_or("can_write", 0) != 0;
  const bool admin = row.int_or("can_admin", 0) != 0;
  const std::string who = named("user", ctx.user_id, row.get_text("username"));
  if (disabled) throw forbidden(who + " is disabled", "/user_id");
  if (portal) throw forbidden(who + " is a portal account; only staff accounts may run this tool", "/user_id");
  if (!can_write) throw forbidden(who + " lacks the write right on the tool contact_preferences_batch", "/user_id");
  return {who, admin};
}

Batch::PlanRecord Batch::find_plan(int64_t plan_id) {
  odbc::Statement st(db);
  st.execute(sql("plugin/find_plan"), with(params, {{"plan_id", Value::of(plan_id)}}));
  if (!st.fetch()) throw not_found("plan " + std::to_string(plan_id) + " does not exist", "/plan_id");
  const odbc::Row row = st.row();
  PlanRecord r;
  r.status = row.text_or("status", "");
  r.user_id = row.int_or("user_id", 0);
  r.end_year = row.int_or("end_year", 0);
  r.school_id = row.int_or("school_id", 0);
  r.calendar_id = row.int_or("calendar_id", 0);
  r.date = row.text_or("effective_date", "").substr(0, 10);
  r.options = row.text_or("options", "");
  r.changes_total = row.int_or("changes_total", 0);
  r.skipped_total = row.int_or("skipped_total", 0);
  r.applied_batch_id = row.get_int("applied_batch_id");
  r.expires_at = row.text_or("expires_at", "");
  r.expired = row.int_or("expired", 0) != 0;
  r.left_out_persons = row.int_or("left_out_persons", 0);
  r.left_out_households = row.int_or("left_out_households", 0);
  return r;
}

// `missing` completes "batch N does not exist" for the action at hand.
Batch::BatchRecord Batch::find_batch(int64_t batch_id, const std::string& missing) {
  odbc::Statement st(db);
  st.execute(sql("plugin/find_batch"), with(params, {{"batch_id", Value::of(batch_id)}}));
  if (!st.fetch()) throw not_found("batch " + std::to_string(batch_id) + " does not exist" + missing, "/batch_id");
  const odbc::Row row = st.row();
  BatchRecord r;
  r.tool = row.text_or("tool", "");
  r.status = row.text_or("status", "");
  r.undone_by = row.get_int("undone_by_batch_id");
  r.user_id = row.int_or("user_id", 0);
  r.username = row.get_text("username");
  return r;
}

void Batch::check_batch_owner(int64_t batch_id, const BatchRecord& batch, const User& user, std::string_view doing) const {
  if (batch.user_id == ctx.user_id || user.admin) return;
  throw forbidden("batch " + std::to_string(batch_id) + " was run by " + named("user", batch.user_id, batch.username) + "; " +
                      std::string(doing) + " another user's batch needs the right " + std::string(kToolName) + "_admin",
                  "/batch_id");
}

Selection Batch::check_selection() {
  Selection s;
  if (ctx.school_id != 0) {
    odbc::Statement st(db);
    st.execute(sql("plugin/check_school"), params);
    if (!st.fetch()) throw invalid_context("school " + std::to_string(ctx.school_id) + " does not exist", "/school_id");
    s.school = st.row().text_or("name", "");
  }
  if (ctx.calendar_id != 0) {
    odbc::Statement st(db);
    st.execute(sql("plugin/check_calendar"), params);
    if (!st.fetch()) throw invalid_context("calendar " + std::to_string(ctx.calendar_id) + " does not exist", "/calendar_id");
    const odbc::Row row = st.row();
    const int64_t school = row.int_or("school_id", 0);
    const int64_t year = row.int_or("end_year", 0);
    s.calendar = row.text_or("name", "");
    const std::string which = named("calendar", ctx.calendar_id, s.calendar);
    if (year != ctx.end_year)
      throw invalid_context(which + " belongs to the school year " + year_label(static_cast<int32_t>(year)) + " (end_year " +
                                std::to_string(year) + "), not " + year_label(ctx.end_year),
                            "/calendar_id");
    if (ctx.school_id != 0 && school != ctx.school_id)
      throw invalid_context(which + " belongs to school " + std::to_string(school) + ", not to " + named("school", ctx.school_id, s.school),
                            "/calendar_id");
  }
  if (o.ad_hoc_filter_id != 0) {
    odbc::Statement st(db);
    st.execute(sql("plugin/check_filter"), params);
    if (!st.fetch())
      throw not_found("ad hoc filter " + std::to_string(o.ad_hoc_filter_id) + " does not exist", "/ad_hoc_filter_id");
    const odbc::Row row = st.row();
    const std::string type = row.text_or("filter_type", "");
    const std::optional<int64_t> owner = row.get_int("owner_user_id");
    const bool shared = row.int_or("shared", 0) != 0;
    s.filter = row.text_or("name", "");
    const std::string which = named("ad hoc filter", o.ad_hoc_filter_id, s.filter);
    const ModeInfo& mode = mode_info(o.mode);
    if (type != mode.filter_type)
      throw invalid_options(
          which + " is a " + type + " filter; " + std::string(mode.name) + " mode takes a " + std::string(mode.filter_type) + " filter",
          "/ad_hoc_filter_id");
    if (!shared && owner != ctx.user_id)
      throw forbidden(which + " belongs to another user and is not shared", "/ad_hoc_filter_id");
  }
  return s;
}

// The working tables, and the left-out ids in theirs, a few hundred per
// statement. The ids are whole numbers from the parsed options, written as literals.
void Batch::create_working_tables() {
  script("plugin/temp_tables");
  const auto fill = [&](const std::vector<int64_t>& ids, const char* table, const char* column) {
    constexpr size_t kPerStatement = 500;
    for (size_t at = 0; at < ids.size(); at += kPerStatement) {
      std::string text = std::string("INSERT INTO ") + table + " (" + column + ") VALUES ";
      for (size_t i = at; i < std::min(ids.size(), at + kPerStatement); ++i)
        text += (i == at ? "(" : ", (") + std::to_string(ids[i]) + ")";
      db.execute(text);
    }
  };
  fill(o.exclude_person_ids, "cpb_tmp_exclude_person", "person_id");
  fill(o.exclude_household_ids, "cpb_tmp_exclude_household", "household_id");
}

// Targets, their households and the stages of their rows (CONTRACT 4.1-4.5).
void Batch::stage_targets(Selection& s) {
  create_working_tables();
  switch (o.mode) {
    case Mode::students: exec("plugin/targets_students"); break;
    case Mode::student_messenger_contacts: exec("plugin/targets_student_messenger_contacts"); break;
    case Mode::census_staff: exec("plugin/targets_census_staff"); break;
  }
  if (!o.exclude_person_ids.empty()) s.left_out_persons = std::max<int64_t>(exec("plugin/exclude_targets"), 0);
  script_if_exists("plugin/analyze_targets");
  exec("plugin/target_members");
  if (!o.exclude_household_ids.empty()) s.left_out_households = scalar("plugin/count_left_out_households");
  exec("plugin/target_households");
  script_if_exists("plugin/analyze_households");
  exec("plugin/stage_contacts");
  exec("plugin/stage_households");
  script_if_exists("plugin/analyze_stage");
}

// The stage's cells in groups (count_group.sql), each given its fate here.
Tally Batch::count() { return count_groups({"plugin/count_contacts", "plugin/count_households"}, params); }

Tally Batch::count_groups(std::initializer_list<const char*> queries, const Params& p) {
  Tally t;
  for (const char* query : queries) {
    odbc::Statement st(db);
    st.execute(sql(query), p);
    while (st.fetch()) {
      const odbc::Row row = st.row();
      CellGroup g;
      const std::string device = row.text_or("device", "");
      g.device = device_index(device);
      if (g.device == kDevices.size()) throw std::logic_error("the count names no device \"" + device + "\"");
      const int64_t state = row.int_or("cell_state", -1);
      if (state < 0 || state > static_cast<int64_t>(CellState::protected_row))
        throw std::logic_error("the count gives " + device + " the unknown cell state " + std::to_string(state));
      g.state = static_cast<CellState>(state);
      g.allowed_bits = static_cast<int>(row.int_or("allowed_bits", 0));
      g.old_mask = row.get_int("old_mask");
      g.new_mask = row.get_int("new_mask");
      g.rows = row.int_or("row_count", 0);
      t.add_group(o, g);
    }
  }
  return t;
}

WarningCounts Batch::warnings(const Tally& t) {
  WarningCounts w;
  w.empty_selection = t.persons == 0;
  if (w.empty_selection) return w;
  w.no_emergency_channel = scalar("plugin/warn_no_emergency_channel");
  w.reaches_non_targets = scalar("plugin/warn_reaches_non_targets");
  return w;
}

json Batch::result(std::optional<int64_t> batch_id, const Tally& t, const Selection& s, const WarningCounts& w, Tense tense) const {
  json r = {{"batch_id", batch_id ? json(*batch_id) : json(nullptr)}, {"dry_run", !batch_id}};
  r.update(t.counts_json(o));
  r["warnings"] = warnings_json(w);
  r["summary"] = summary_sentence(o, ctx, s, t, tense);
  return r;
}

void Batch::record_batch(int64_t batch_id, const std::string& action, const std::string& result, const Tally* t, int64_t updated,
                       int64_t unchanged, std::optional<int64_t> undone_batch_id, const char* status) {
  Params p = with(params, {{"batch_id", Value::of(batch_id)},
                            {"status", Value::of(std::string(status))},
                            {"action", Value::of(action)},
                            {"undone_batch_id", undone_batch_id ? Value::of(*undone_batch_id) : Value::null()},
                            {"mode", undone_batch_id ? Value{Value::Kind::null_text, 0, {}} : Value::of(std::string(mode_info(o.mode).name))},
                            {"options", Value::of(o.canonical_json)},
                            {"result", Value::of(result)},
                            {"persons", Value::of(t ? t->persons : 0)},
                            {"households", Value::of(t ? t->households : 0)},
                            {"updated", Value::of(updated)},
                            {"unchanged", Value::of(unchanged)},
                            {"started_at", Value::timestamp(started_at)},
                            {"finished_at", Value::timestamp(now_local())}});
  exec("plugin/insert_batch", p);
}

// Records the staged rows that change and, unless the batch is chunked, writes
// them back; a table with nothing to update is not read again.
void Batch::record_and_write(int64_t batch_id, const Tally& t, bool write) {
  const Params p = with(params, {{"batch_id", Value::of(batch_id)}});
  const int64_t household_cells = t.updated_on(kHouseholdPhone);
  struct Table {
    const RecordedTable& record;
    int64_t cells;
    const char* insert;
    const char* analyze;
    int64_t rows = 0;
  };
  Table tables[] = {
      {kContactRecord, t.updated() - household_cells, "plugin/record_contact_changes", "plugin/analyze_contact_changes"},
      {kHouseholdRecord, household_cells, "plugin/record_household_changes", "plugin/analyze_household_changes"},
  };
  int64_t total = 0;
  for (Table& table : tables) {
    if (table.cells == 0) continue;
    table.rows = exec(table.insert, p);
    if (table.rows <= 0 || table.rows > table.cells)  // the counts and the records disagree: roll everything back
      throw std::logic_error(std::string("the ") + table.record.name + " rows recorded (" + std::to_string(table.rows) +
                             ") do not match the " + std::to_string(table.cells) + " cells counted; nothing was changed");
    total += table.rows;
  }
  if (!write) return;  // a chunked batch writes its record chunk by chunk
  int64_t done = 0;
  for (const Table& table : tables) {
    if (table.rows == 0) continue;
    script_if_exists(table.analyze);
    const int64_t written = write_recorded(table.record, p, done, total);
    if (written >= 0 && written != table.rows)  // a row the batch recorded is gone or was written twice
      throw conflict(std::string("the ") + table.record.name + " rows written (" + std::to_string(written) + ") are not the " +
                     std::to_string(table.rows) + " recorded; another writer changed them. Nothing was changed; try again");
    done += table.rows;
  }
}

// Writes one table's recorded rows of p's batch back in key order, in slices
// of about a twentieth of total (one statement each), and reports rows
// written (done before + these) of total after each: a long write shows it
// moves, and a cancel between slices rolls the whole transaction back.
// Returns the rows written (-1: the driver did not say).
int64_t Batch::write_recorded(const RecordedTable& table, const Params& p, int64_t done, int64_t total) {
  int64_t written = 0;
  bool unknown = false;
  const int64_t slice_rows = std::max(kMinWriteSlice, (total + kWriteSlices - 1) / kWriteSlices);
  Params slice = with(p, {{"chunk_rows", Value::of(slice_rows)}});
  for (int64_t after = kNoKey;;) {
    slice["after_key"] = Value::of(after);
    const std::optional<int64_t> last = optional_scalar(table.slice_end, slice);
    if (!last) break;
    slice["last_key"] = Value::of(*last);
    const int64_t rows = exec(table.write, slice);
    if (rows < 0) unknown = true;  // the driver does not say
    written += std::max<int64_t>(rows, 0);
    progress.report("write", done + written, total);
    after = *last;
  }
  return unknown ? -1 : written;
}

// Counts the stage and, unless this is a dry run or a plan, writes it.
RunOutcome Batch::write_staged(const Selection& s, std::optional<int64_t> plan_id, std::optional<int64_t>* batch_id_out) {
  progress.step("count");
  const Tally t = count();
  const WarningCounts w = warnings(t);
  progress.step("write");
  const bool writes = !o.dry_run && o.action == Action::apply;
  if (writes && w.empty_selection)
    throw not_found("nobody is selected: no target matches the school year, school, calendar, mode and filter chosen; "
                    "nothing was recorded");
  std::optional<int64_t> batch_id;
  const bool chunked = writes && o.chunk_rows > 0;
  if (writes) {
    batch_id = scalar("plugin/next_batch_id");
    record_and_write(*batch_id, t, !chunked);
  }
  json r = result(batch_id, t, s, w, writes ? Tense::applied : Tense::planned);
  if (plan_id) r["plan_id"] = *plan_id;
  const std::string text = r.dump();
  RunOutcome outcome{text, t.updated(), t.unchanged(), t.persons, t.households, std::nullopt};
  if (batch_id_out) *batch_id_out = batch_id;
  if (!batch_id) return outcome;
  record_batch(*batch_id, "apply", text, &t, t.updated(), t.unchanged(), std::nullopt, chunked ? "in_progress" : "applied");
  if (chunked) {
    exec("plugin/insert_batch_chunk",
         with(params, {{"batch_id", Value::of(*batch_id)}, {"chunk_rows", Value::of(o.chunk_rows)}, {"no_key", Value::of(kNoKey)}}));
    outcome.chunked_batch_id = batch_id;
  }
  return outcome;
}

std::optional<ChunkState> Batch::chunk_state(int64_t batch_id) {
  const std::optional<odbc::Row> r = first_row("plugin/find_batch_chunk", with(params, {{"batch_id", Value::of(batch_id)}}));
  if (!r) return std::nullopt;
  const auto n = [&](std::string_view column) { return r->int_or(column, 0); };
  return ChunkState{n("chunk_rows"), n("contact_after"), n("household_after"), n("chunks"), n("written"), n("conflicts"), n("recorded")};
}

}  // namespace cpb
