#include "run.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <optional>

#include <nlohmann/json.hpp>

#include "errors.hpp"
#include "sql_catalog.hpp"
#include "summary.hpp"
#include "tally.hpp"

namespace cpb {

using json = nlohmann::ordered_json;
using odbc::Params;
using odbc::Value;

namespace {

constexpr int kPlanHours = 24;
constexpr int kConflictRowsShown = 100;
constexpr int64_t kNoKey = INT64_MIN;  // before every host row key
// A batch's record is written back in one transaction in about this many
// slices of at least kMinWriteSlice rows, one statement each, with a progress
// report (rows written of rows to write) after each.
constexpr int64_t kWriteSlices = 20;
constexpr int64_t kMinWriteSlice = 1000;

// A host table's recorded rows, written back in key order a slice (or a chunk) at a time.
struct RecordedTable {
  const char* name;
  const char* slice_end;  // the last key of the next slice: :after_key, :chunk_rows
  const char* write;      // the recorded rows with keys in (:after_key, :last_key]
};
constexpr RecordedTable kContactRecord{"contact", "plugin/chunk_end_contact", "plugin/write_contact_changes"};
constexpr RecordedTable kHouseholdRecord{"household", "plugin/chunk_end_household", "plugin/write_household_changes"};

std::string plus_hours(int hours) {
  const std::time_t t = std::time(nullptr) + static_cast<std::time_t>(hours) * 3600;
  std::tm local{};
  localtime_r(&t, &local);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%d %H:%M:%S", &local);
  return buffer;
}

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
              {"emergency_bit", Value::of(int64_t{kEmergencyBit})}};
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

class Run {
 public:
  Run(odbc::Connection& db, const RunContext& ctx, const Options& o, Progress& progress)
      : db_(db), ctx_(ctx), o_(o), progress_(progress), params_(run_params(ctx, o)) {}

  RunOutcome apply();  // direct apply or dry run
  RunOutcome plan();
  RunOutcome apply_plan();
  RunOutcome plan_rows();
  RunOutcome undo();
  RunOutcome resume();
  ChunkProgress write_chunk(int64_t batch_id);
  RunOutcome finish_chunked(int64_t batch_id);

 private:
  struct ChunkState {
    int64_t chunk_rows = 0, contact_after = kNoKey, household_after = kNoKey, chunks = 0, written = 0, conflicts = 0, recorded = 0;
  };
  std::optional<ChunkState> chunk_state(int64_t batch_id);
  odbc::Query sql(std::string_view name) const { return sql_query(name, db_.engine()); }
  int64_t exec(std::string_view name, const Params& p) { return db_.execute(sql(name), p); }
  int64_t exec(std::string_view name) { return exec(name, params_); }
  void script(std::string_view name) { db_.execute_script(sql_text(name, db_.engine()), params_); }
  void script_if_exists(std::string_view name) {
    if (sql_exists(name, db_.engine())) script(name);
  }
  int64_t scalar(std::string_view name, const Params& p) {
    odbc::Statement st(db_);
    st.execute(sql(name), p);
    return st.fetch() ? st.get_int(1).value_or(0) : 0;
  }
  int64_t scalar(std::string_view name) { return scalar(name, params_); }
  // The first column of the first row; none for no row or NULL.
  std::optional<int64_t> optional_scalar(std::string_view name, const Params& p) {
    odbc::Statement st(db_);
    st.execute(sql(name), p);
    return st.fetch() ? st.get_int(1) : std::nullopt;
  }
  int64_t write_recorded(const RecordedTable& table, const Params& p, int64_t done, int64_t total);

  struct User {
    std::string name;
    bool admin = false;
  };
  User check_user();
  // The records of a plan and of a batch, as find_plan.sql and find_batch.sql read them.
  struct PlanRecord {
    std::string status;  // planned, applied, expired
    int64_t user_id = 0, end_year = 0, school_id = 0, calendar_id = 0;
    std::string date, options, expires_at;
    int64_t changes_total = 0, skipped_total = 0;
    std::optional<int64_t> applied_batch_id;
    bool expired = false;
  };
  PlanRecord find_plan(int64_t plan_id);
  struct BatchRecord {
    std::string tool, status;
    std::optional<int64_t> undone_by;
    int64_t user_id = 0;
    std::optional<std::string> username;
  };
  BatchRecord find_batch(int64_t batch_id, const std::string& missing);
  Selection check_selection();
  void fill_exclusions();
  void stage_targets();
  Tally count();
  WarningCounts warnings(const Tally& t);
  void record_and_write(int64_t batch_id, const Tally& t, bool write);
  void record_batch(int64_t batch_id, const std::string& action, const std::string& result, const Tally* t, int64_t updated,
                    int64_t unchanged, std::optional<int64_t> undone_batch_id, const char* status = "applied");
  json result(std::optional<int64_t> batch_id, const Tally& t, const Selection& s, const WarningCounts& w, Tense tense) const;
  RunOutcome write_staged(const Selection& s, std::optional<int64_t> plan_id);

  odbc::Connection& db_;
  const RunContext& ctx_;
  Options o_;  // an apply of a plan takes the plan's
  Progress& progress_;
  Params params_;
  std::string started_at_ = now_local();
};

Run::User Run::check_user() {
  odbc::Statement st(db_);
  st.execute(sql("plugin/check_user"), params_);
  if (!st.fetch()) throw forbidden("user " + std::to_string(ctx_.user_id) + " does not exist", "/user_id");
  const bool disabled = st.get_int(1).value_or(0) != 0;
  const bool portal = st.get_int(2).value_or(0) != 0;
  const bool can_write = st.get_int(3).value_or(0) != 0;
  const bool admin = st.get_int(4).value_or(0) != 0;
  const std::string who = named("user", ctx_.user_id, st.get_text(5));
  if (disabled) throw forbidden(who + " is disabled", "/user_id");
  if (portal) throw forbidden(who + " is a portal account; only staff accounts may run this tool", "/user_id");
  if (!can_write) throw forbidden(who + " lacks the write right on the tool contact_preferences_batch", "/user_id");
  return {who, admin};
}

Run::PlanRecord Run::find_plan(int64_t plan_id) {
  odbc::Statement st(db_);
  st.execute(sql("plugin/find_plan"), with(params_, {{"plan_id", Value::of(plan_id)}}));
  if (!st.fetch()) throw not_found("plan " + std::to_string(plan_id) + " does not exist", "/plan_id");
  PlanRecord r;
  r.status = st.get_text(1).value_or("");
  r.user_id = st.get_int(2).value_or(0);
  r.end_year = st.get_int(3).value_or(0);
  r.school_id = st.get_int(4).value_or(0);
  r.calendar_id = st.get_int(5).value_or(0);
  r.date = st.get_text(6).value_or("").substr(0, 10);
  r.options = st.get_text(7).value_or("");
  r.changes_total = st.get_int(8).value_or(0);
  r.skipped_total = st.get_int(9).value_or(0);
  r.applied_batch_id = st.get_int(10);
  r.expires_at = st.get_text(11).value_or("");
  r.expired = st.get_int(12).value_or(0) != 0;
  return r;
}

// `missing` completes "batch N does not exist" for the action at hand.
Run::BatchRecord Run::find_batch(int64_t batch_id, const std::string& missing) {
  odbc::Statement st(db_);
  st.execute(sql("plugin/find_batch"), with(params_, {{"batch_id", Value::of(batch_id)}}));
  if (!st.fetch()) throw not_found("batch " + std::to_string(batch_id) + " does not exist" + missing, "/batch_id");
  BatchRecord r;
  r.tool = st.get_text(1).value_or("");
  r.status = st.get_text(2).value_or("");
  r.undone_by = st.get_int(3);
  r.user_id = st.get_int(4).value_or(0);
  r.username = st.get_text(6);
  return r;
}

Selection Run::check_selection() {
  Selection s;
  if (ctx_.school_id != 0) {
    odbc::Statement st(db_);
    st.execute(sql("plugin/check_school"), params_);
    if (!st.fetch()) throw invalid_context("/school_id", "school " + std::to_string(ctx_.school_id) + " does not exist");
    s.school = st.get_text(1).value_or("");
  }
  if (ctx_.calendar_id != 0) {
    odbc::Statement st(db_);
    st.execute(sql("plugin/check_calendar"), params_);
    if (!st.fetch()) throw invalid_context("/calendar_id", "calendar " + std::to_string(ctx_.calendar_id) + " does not exist");
    const int64_t school = st.get_int(1).value_or(0);
    const int64_t year = st.get_int(2).value_or(0);
    s.calendar = st.get_text(3).value_or("");
    const std::string which = named("calendar", ctx_.calendar_id, s.calendar);
    if (year != ctx_.end_year)
      throw invalid_context("/calendar_id", which + " belongs to the school year " + year_label(static_cast<int32_t>(year)) +
                                                " (end_year " + std::to_string(year) + "), not " + year_label(ctx_.end_year));
    if (ctx_.school_id != 0 && school != ctx_.school_id)
      throw invalid_context("/calendar_id", which + " belongs to school " + std::to_string(school) + ", not to " +
                                                named("school", ctx_.school_id, s.school));
  }
  if (o_.ad_hoc_filter_id != 0) {
    odbc::Statement st(db_);
    st.execute(sql("plugin/check_filter"), params_);
    if (!st.fetch())
      throw not_found("ad hoc filter " + std::to_string(o_.ad_hoc_filter_id) + " does not exist", "/ad_hoc_filter_id");
    const std::string type = st.get_text(1).value_or("");
    const std::optional<int64_t> owner = st.get_int(2);
    const bool shared = st.get_int(3).value_or(0) != 0;
    s.filter = st.get_text(4).value_or("");
    const std::string which = named("ad hoc filter", o_.ad_hoc_filter_id, s.filter);
    const ModeInfo& mode = mode_info(o_.mode);
    if (type != mode.filter_type)
      throw invalid_options("/ad_hoc_filter_id", which + " is a " + type + " filter; " + std::string(mode.name) + " mode takes a " +
                                                     std::string(mode.filter_type) + " filter");
    if (!shared && owner != ctx_.user_id)
      throw forbidden(which + " belongs to another user and is not shared", "/ad_hoc_filter_id");
  }
  return s;
}

// The left-out ids into their working tables, a few hundred per statement. The
// ids are whole numbers from the parsed options, written as literals.
void Run::fill_exclusions() {
  const auto fill = [&](const std::vector<int64_t>& ids, const char* table, const char* column) {
    constexpr size_t kPerStatement = 500;
    for (size_t at = 0; at < ids.size(); at += kPerStatement) {
      std::string text = std::string("INSERT INTO ") + table + " (" + column + ") VALUES ";
      for (size_t i = at; i < std::min(ids.size(), at + kPerStatement); ++i)
        text += (i == at ? "(" : ", (") + std::to_string(ids[i]) + ")";
      db_.execute(text);
    }
  };
  fill(o_.exclude_person_ids, "cpb_tmp_exclude_person", "person_id");
  fill(o_.exclude_household_ids, "cpb_tmp_exclude_household", "household_id");
}

// Targets, their households and the stages of their rows (CONTRACT 4.1-4.5).
void Run::stage_targets() {
  script("plugin/temp_tables");
  fill_exclusions();
  switch (o_.mode) {
    case Mode::students: exec("plugin/targets_students"); break;
    case Mode::student_messenger_contacts: exec("plugin/targets_student_messenger_contacts"); break;
    case Mode::census_staff: exec("plugin/targets_census_staff"); break;
  }
  if (!o_.exclude_person_ids.empty()) exec("plugin/exclude_targets");
  script_if_exists("plugin/analyze_targets");
  exec("plugin/target_members");
  exec("plugin/target_households");
  script_if_exists("plugin/analyze_households");
  exec("plugin/stage_contacts");
  exec("plugin/stage_households");
  script_if_exists("plugin/analyze_stage");
}

// The stage's cells in groups (count_group.sql), each given its fate here.
Tally Run::count() {
  Tally t;
  for (const char* query : {"plugin/count_contacts", "plugin/count_households"}) {
    odbc::Statement st(db_);
    st.execute(sql(query), params_);
    while (st.fetch()) {
      CellGroup g;
      const std::string device = st.get_text(1).value_or("");
      g.device = device_index(device);
      if (g.device == kDevices.size()) throw std::logic_error("the count names no device \"" + device + "\"");
      const int64_t state = st.get_int(2).value_or(-1);
      if (state < 0 || state > static_cast<int64_t>(CellState::protected_row))
        throw std::logic_error("the count gives " + device + " the unknown cell state " + std::to_string(state));
      g.state = static_cast<CellState>(state);
      g.allowed_bits = static_cast<int>(st.get_int(3).value_or(0));
      g.old_mask = st.get_int(4);
      g.new_mask = st.get_int(5);
      g.rows = st.get_int(6).value_or(0);
      t.add_group(o_, g);
    }
  }
  return t;
}

WarningCounts Run::warnings(const Tally& t) {
  WarningCounts w;
  w.empty_selection = t.persons == 0;
  if (w.empty_selection) return w;
  w.no_emergency_channel = scalar("plugin/warn_no_emergency_channel");
  w.reaches_non_targets = scalar("plugin/warn_reaches_non_targets");
  return w;
}

json Run::result(std::optional<int64_t> batch_id, const Tally& t, const Selection& s, const WarningCounts& w, Tense tense) const {
  json r = {{"batch_id", batch_id ? json(*batch_id) : json(nullptr)}, {"dry_run", !batch_id}};
  r.update(t.counts_json(o_));
  r["warnings"] = warnings_json(w);
  r["summary"] = summary_sentence(o_, ctx_, s, t, tense);
  return r;
}

void Run::record_batch(int64_t batch_id, const std::string& action, const std::string& result, const Tally* t, int64_t updated,
                       int64_t unchanged, std::optional<int64_t> undone_batch_id, const char* status) {
  Params p = with(params_, {{"batch_id", Value::of(batch_id)},
                            {"status", Value::of(std::string(status))},
                            {"action", Value::of(action)},
                            {"undone_batch_id", undone_batch_id ? Value::of(*undone_batch_id) : Value::null()},
                            {"mode", undone_batch_id ? Value{Value::Kind::null_text, 0, {}} : Value::of(std::string(mode_info(o_.mode).name))},
                            {"options", Value::of(o_.canonical_json)},
                            {"result", Value::of(result)},
                            {"persons", Value::of(t ? t->persons : 0)},
                            {"households", Value::of(t ? t->households : 0)},
                            {"updated", Value::of(updated)},
                            {"unchanged", Value::of(unchanged)},
                            {"started_at", Value::timestamp(started_at_)},
                            {"finished_at", Value::timestamp(now_local())}});
  exec("plugin/insert_batch", p);
}

// Records the staged rows that change and, unless the batch is chunked, writes
// them back; a table with nothing to update is not read again.
void Run::record_and_write(int64_t batch_id, const Tally& t, bool write) {
  const Params p = with(params_, {{"batch_id", Value::of(batch_id)}});
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
int64_t Run::write_recorded(const RecordedTable& table, const Params& p, int64_t done, int64_t total) {
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
    progress_.report("write", done + written, total);
    after = *last;
  }
  return unknown ? -1 : written;
}

// Counts the stage and, unless this is a dry run or a plan, writes it.
RunOutcome Run::write_staged(const Selection& s, std::optional<int64_t> plan_id) {
  progress_.step("count");
  const Tally t = count();
  const WarningCounts w = warnings(t);
  progress_.step("write");
  const bool writes = !o_.dry_run && o_.action == Action::apply;
  if (writes && w.empty_selection)
    throw not_found("nobody is selected: no target matches the school year, school, calendar, mode and filter chosen; "
                    "nothing was recorded");
  std::optional<int64_t> batch_id;
  const bool chunked = writes && o_.chunk_rows > 0;
  if (writes) {
    batch_id = scalar("plugin/next_batch_id");
    record_and_write(*batch_id, t, !chunked);
  }
  json r = result(batch_id, t, s, w, writes ? Tense::applied : Tense::planned);
  if (plan_id) r["plan_id"] = *plan_id;
  const std::string text = r.dump();
  RunOutcome outcome{text, t.updated(), t.unchanged(), t.persons, t.households, std::nullopt};
  if (!batch_id) return outcome;
  record_batch(*batch_id, "apply", text, &t, t.updated(), t.unchanged(), std::nullopt, chunked ? "in_progress" : "applied");
  if (chunked) {
    exec("plugin/insert_batch_chunk",
         with(params_, {{"batch_id", Value::of(*batch_id)}, {"chunk_rows", Value::of(o_.chunk_rows)}, {"no_key", Value::of(kNoKey)}}));
    outcome.chunked_batch_id = batch_id;
  }
  return outcome;
}

RunOutcome Run::apply() {
  progress_.step("validate");
  check_user();
  const Selection s = check_selection();
  progress_.step("targets");
  stage_targets();
  return write_staged(s, std::nullopt);
}

RunOutcome Run::plan() {
  progress_.step("validate");
  check_user();
  const Selection s = check_selection();
  script("plugin/expire_plans");
  progress_.step("targets");
  stage_targets();
  progress_.step("count");
  const Tally t = count();
  const WarningCounts w = warnings(t);
  progress_.step("write");
  const int64_t plan_id = scalar("plugin/next_plan_id");
  const Params p = with(params_, {{"plan_id", Value::of(plan_id)}});
  exec("plugin/save_plan_contacts", p);
  exec("plugin/save_plan_households", p);
  exec("plugin/save_plan_members", p);
  odbc::Statement totals(db_);
  totals.execute(sql("plugin/plan_totals"), p);
  const auto sums = totals.fetch() ? totals.get_named_ints() : std::map<std::string, int64_t, std::less<>>{};
  totals.close_cursor();
  const std::string expires_at = plus_hours(kPlanHours);
  json r = result(std::nullopt, t, s, w, Tense::planned);
  r["plan_id"] = plan_id;
  r["expires_at"] = expires_at;
  const std::string text = r.dump();
  exec("plugin/insert_plan", with(p, {{"options", Value::of(o_.canonical_json)},
                                      {"result", Value::of(text)},
                                      {"changes_total", Value::of(sums.count("changes") ? sums.at("changes") : 0)},
                                      {"skipped_total", Value::of(sums.count("skipped") ? sums.at("skipped") : 0)},
                                      {"expires_at", Value::timestamp(expires_at)}}));
  return {text, t.updated(), t.unchanged(), t.persons, t.households, std::nullopt};
}

RunOutcome Run::apply_plan() {
  progress_.step("validate");
  script("plugin/expire_plans");
  const int64_t plan_id = o_.plan_id;
  const std::string which = "plan " + std::to_string(plan_id);
  const PlanRecord plan = find_plan(plan_id);
  if (plan.status == "applied")
    throw not_found(which + " was applied already" +
                        (plan.applied_batch_id ? " as batch " + std::to_string(*plan.applied_batch_id) : std::string()) +
                        "; a plan applies once",
                    "/plan_id");
  if (plan.status != "planned") throw not_found(which + " expired at " + plan.expires_at + "; plan again", "/plan_id");
  check_user();
  if (plan.user_id != ctx_.user_id)
    throw forbidden(which + " belongs to user " + std::to_string(plan.user_id) + "; only the user who planned it may apply it",
                    "/plan_id");
  if (plan.end_year != ctx_.end_year || plan.school_id != ctx_.school_id || plan.calendar_id != ctx_.calendar_id ||
      plan.date != ctx_.date)
    throw invalid_context("", which + " was made for the school year " + year_label(static_cast<int32_t>(plan.end_year)) +
                                  ", school " + std::to_string(plan.school_id) + ", calendar " + std::to_string(plan.calendar_id) +
                                  " on " + plan.date + "; apply it with the same toolbar selection and date");
  // The plan's options; the people and households left out are this apply's
  // (the plan's own are not in its rows already).
  Options planned = parse_options(plan.options);
  planned.action = Action::apply;
  planned.plan_id = plan_id;
  planned.chunk_rows = o_.chunk_rows;
  planned.exclude_person_ids = o_.exclude_person_ids;
  planned.exclude_household_ids = o_.exclude_household_ids;
  json canonical = json::parse(planned.canonical_json);
  canonical["plan_id"] = plan_id;
  if (!o_.exclude_person_ids.empty()) canonical["apply_exclude_person_ids"] = o_.exclude_person_ids;
  if (!o_.exclude_household_ids.empty()) canonical["apply_exclude_household_ids"] = o_.exclude_household_ids;
  o_ = std::move(planned);
  o_.canonical_json = canonical.dump();
  params_ = run_params(ctx_, o_);
  params_["plan_id"] = Value::of(plan_id);
  const Selection s = check_selection();
  progress_.step("targets");
  script("plugin/temp_tables");
  fill_exclusions();
  script("plugin/load_plan");
  script_if_exists("plugin/analyze_stage");
  const int64_t changed = scalar("plugin/plan_conflicts");
  if (changed > 0)
    throw conflict(which + ": " + std::to_string(changed) + " of its rows changed since the plan; nothing was written. Plan again",
                   "/plan_id");
  RunOutcome outcome = write_staged(s, plan_id);
  const int64_t batch_id = nlohmann::json::parse(outcome.result_json).at("batch_id").get<int64_t>();
  exec("plugin/mark_plan_applied", with(params_, {{"plan_id", Value::of(plan_id)}, {"batch_id", Value::of(batch_id)}}));
  return outcome;
}

RunOutcome Run::plan_rows() {
  progress_.step("validate");
  const User user = check_user();
  const int64_t plan_id = o_.plan_id;
  const std::string which = "plan " + std::to_string(plan_id);
  const Params p = with(params_, {{"plan_id", Value::of(plan_id)}});
  const PlanRecord plan = find_plan(plan_id);
  if (plan.status != "planned" || plan.expired)
    throw not_found(which + (plan.status == "applied" ? " was applied already" : " expired") + "; its rows are no longer kept",
                    "/plan_id");
  if (plan.user_id != ctx_.user_id && !user.admin)
    throw forbidden(which + " belongs to user " + std::to_string(plan.user_id) + "; only its user may review it", "/plan_id");
  const Options planned = parse_options(plan.options);
  const bool changes = o_.rows_kind == PlanRowsKind::changes;

  Cursor from;
  from.kind = o_.rows_kind;
  std::string after_name;
  if (o_.after) {
    from = decode(*o_.after, o_.rows_kind);
    odbc::Statement name(db_);
    name.execute(sql("plugin/plan_row_name"),
                 with(p, {{"after_kind", Value::of(from.row_kind)}, {"after_id", Value::of(from.row_id)}}));
    if (!name.fetch()) throw invalid_options("/after", "\"after\" names no row of " + which);
    after_name = name.get_text(1).value_or("");
  }
  progress_.step("targets");
  json rows = json::array();
  std::optional<Cursor> last;
  bool more = false;
  odbc::Statement page(db_);
  page.execute(sql(changes ? "plugin/plan_changes_page" : "plugin/plan_skipped_page"),
               with(p, {{"after_name", Value::of(after_name)},
                        {"after_id", Value::of(from.row_id)},
                        {"after_kind", Value::of(from.row_kind)},
                        {"limit", Value::of(o_.limit + 2)}}));  // the cursor's own row, then one more than fits
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
      if (row_kind == from.row_kind && row_id == from.row_id && static_cast<int64_t>(d) <= from.device && o_.after) continue;
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
      if (!rows.empty() && static_cast<int64_t>(rows.size() + emitted.size()) > o_.limit) {
        more = true;
        break;
      }
      for (json& row : emitted) rows.push_back(std::move(row));
      last = Cursor{o_.rows_kind, row_kind, row_id, static_cast<int64_t>(d)};
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


std::optional<Run::ChunkState> Run::chunk_state(int64_t batch_id) {
  odbc::Statement st(db_);
  st.execute(sql("plugin/find_batch_chunk"), with(params_, {{"batch_id", Value::of(batch_id)}}));
  if (!st.fetch()) return std::nullopt;
  const auto c = st.get_named_ints();
  return ChunkState{c.at("chunk_rows"), c.at("contact_after"), c.at("household_after"), c.at("chunks"),
                    c.at("written"),    c.at("conflicts"),     c.at("recorded")};
}

// Writes the next chunk: up to chunk_rows recorded rows of one host table, in key order.
ChunkProgress Run::write_chunk(int64_t batch_id) {
  const std::optional<ChunkState> state = chunk_state(batch_id);
  if (!state) throw std::logic_error("batch " + std::to_string(batch_id) + " has no chunk record");
  struct Table {
    const char* end;
    const char* write;
    const char* drop_conflicts;
    int64_t after;
  };
  const Table tables[] = {
      {kContactRecord.slice_end, "plugin/write_contact_chunk", "plugin/drop_contact_chunk_conflicts", state->contact_after},
      {kHouseholdRecord.slice_end, "plugin/write_household_chunk", "plugin/drop_household_chunk_conflicts", state->household_after},
  };
  ChunkState next = *state;
  int64_t written = 0, conflicts = 0;
  bool wrote = false;
  for (size_t i = 0; i < 2 && !wrote; ++i) {
    Params p = with(params_, {{"batch_id", Value::of(batch_id)},
                              {"after_key", Value::of(tables[i].after)},
                              {"chunk_rows", Value::of(state->chunk_rows)}});
    const std::optional<int64_t> last = optional_scalar(tables[i].end, p);
    if (!last) continue;  // this table is written whole
    p["last_key"] = Value::of(*last);
    written = exec(tables[i].write, p);
    conflicts = exec(tables[i].drop_conflicts, p);
    (i == 0 ? next.contact_after : next.household_after) = *last;
    wrote = true;
  }
  if (wrote)
    exec("plugin/update_batch_chunk", with(params_, {{"batch_id", Value::of(batch_id)},
                                                     {"contact_after", Value::of(next.contact_after)},
                                                     {"household_after", Value::of(next.household_after)},
                                                     {"written", Value::of(written)},
                                                     {"conflicts", Value::of(conflicts)}}));
  // The record loses a chunk's conflicts, so rows to write = rows recorded now + conflicts so far.
  const int64_t all_conflicts = state->conflicts + conflicts;
  return {wrote, state->written + written, state->recorded + all_conflicts};
}

RunOutcome Run::finish_chunked(int64_t batch_id) {
  const std::optional<ChunkState> state = chunk_state(batch_id);
  odbc::Statement st(db_);
  st.execute(sql("plugin/batch_result"), with(params_, {{"batch_id", Value::of(batch_id)}}));
  if (!st.fetch() || !state) throw std::logic_error("batch " + std::to_string(batch_id) + " is not recorded");
  json r = json::parse(st.get_text(1).value_or("{}"));
  st.close_cursor();
  r["chunks"] = state->chunks;
  r["conflicts"] = state->conflicts;
  const std::string text = r.dump();
  exec("plugin/finish_chunked_batch", with(params_, {{"batch_id", Value::of(batch_id)}, {"result", Value::of(text)}}));
  return {text, r.value("updated", int64_t{0}), r.value("unchanged", int64_t{0}), r.value("persons", int64_t{0}),
          r.value("households", int64_t{0}), std::nullopt};
}

// A resume goes on writing the chunks of a chunked batch left in progress.
RunOutcome Run::resume() {
  progress_.step("validate");
  const User user = check_user();
  const int64_t batch_id = o_.batch_id;
  const std::string which = "batch " + std::to_string(batch_id);
  const BatchRecord batch = find_batch(batch_id, "");
  if (batch.status != "in_progress" || !chunk_state(batch_id))
    throw not_found(which + " is " + batch.status + ", not a chunked batch in progress; there is nothing to resume", "/batch_id");
  if (batch.user_id != ctx_.user_id && !user.admin)
    throw forbidden(which + " was run by " + named("user", batch.user_id, batch.username) +
                        "; resuming another user's batch needs the right contact_preferences_batch_admin",
                    "/batch_id");
  RunOutcome outcome;
  outcome.chunked_batch_id = batch_id;
  return outcome;
}

RunOutcome Run::undo() {
  progress_.step("validate");
  const User user = check_user();
  const int64_t undone = o_.batch_id;
  const std::string which = "batch " + std::to_string(undone);
  const BatchRecord batch = find_batch(undone, " (a dry run or a plan is not recorded and cannot be undone)");
  if (batch.tool != kToolName) throw invalid_options("/batch_id", which + " was made by the tool " + batch.tool + ", not by this one");
  if (batch.status == "undone")
    throw conflict(which + " was already undone" + (batch.undone_by ? " by batch " + std::to_string(*batch.undone_by) : std::string()),
                   "/batch_id");
  if (batch.user_id != ctx_.user_id && !user.admin)
    throw forbidden(which + " was run by " + named("user", batch.user_id, batch.username) +
                        "; undoing another user's batch needs the right contact_preferences_batch_admin",
                    "/batch_id");
  const bool undone_in_progress = batch.status == "in_progress";
  progress_.step("targets");
  progress_.step("count");
  const int64_t batch_id = scalar("plugin/next_batch_id");
  const Params p = with(params_, {{"batch_id", Value::of(batch_id)}, {"undone_batch_id", Value::of(undone)}});
  if (undone_in_progress) {  // chunks never written leave the record; the undo restores every chunk written
    const ChunkState state = *chunk_state(undone);
    db_.execute_script(sql_text("plugin/drop_unwritten_changes", db_.engine()),
                       with(p, {{"contact_after", Value::of(state.contact_after)}, {"household_after", Value::of(state.household_after)}}));
  }
  progress_.step("write");
  const int64_t contact_rows = std::max<int64_t>(exec("plugin/undo_stage_contact", p), 0);
  const int64_t household_rows = std::max<int64_t>(exec("plugin/undo_stage_household", p), 0);
  const int64_t restored = contact_rows + household_rows;
  if (contact_rows > 0) write_recorded(kContactRecord, p, 0, restored);
  if (household_rows > 0) write_recorded(kHouseholdRecord, p, contact_rows, restored);
  odbc::Statement counts(db_);
  counts.execute(sql("plugin/count_batch_rows"), p);
  const auto totals = counts.fetch() ? counts.get_named_ints() : std::map<std::string, int64_t, std::less<>>{};
  counts.close_cursor();
  const int64_t conflicts = totals.count("recorded") ? totals.at("recorded") - totals.at("restored") : 0;

  json conflict_rows = json::array();
  for (const auto& [query, household] : {std::pair{"plugin/undo_conflict_contacts", false}, std::pair{"plugin/undo_conflict_households", true}}) {
    odbc::Statement st(db_);
    st.execute(sql(query), p);
    while (static_cast<int>(conflict_rows.size()) < kConflictRowsShown && st.fetch()) {
      const int64_t id = st.get_int(1).value_or(0);
      const std::string name = st.get_text(2).value_or("");
      const std::string why = st.get_text(3).value_or("");
      int column = 4;
      for (const Device& d : kDevices) {
        if ((d.table == "household") != household) continue;
        const std::optional<std::string> value = st.get_text(column);
        const std::optional<int64_t> old_mask = st.get_int(column + 1);
        const std::optional<int64_t> new_mask = st.get_int(column + 2);
        const std::optional<int64_t> now_mask = st.get_int(column + 3);
        column += 4;
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
  exec("plugin/mark_undone", with(p, {{"status", Value::of(std::string(conflicts > 0 ? "partially_undone" : "undone"))}}));
  const std::string result = json{{"batch_id", batch_id},
                                  {"undone_batch_id", undone},
                                  {"restored", restored},
                                  {"conflicts", conflicts},
                                  {"conflict_rows", conflict_rows}}
                                 .dump();
  record_batch(batch_id, "undo", result, nullptr, restored, conflicts, undone);
  return {result, restored, conflicts, 0, 0, std::nullopt};
}

}  // namespace

RunOutcome run_in_transaction(odbc::Connection& db, const RunContext& ctx, const Options& o, Progress& progress) {
  Run run(db, ctx, o, progress);
  switch (o.action) {
    case Action::undo: return run.undo();
    case Action::plan: return run.plan();
    case Action::plan_rows: return run.plan_rows();
    case Action::resume: return run.resume();
    default: return o.applies_plan() ? run.apply_plan() : run.apply();
  }
}

ChunkProgress write_chunk(odbc::Connection& db, const RunContext& ctx, const Options& o, int64_t batch_id) {
  Progress silent(nullptr, nullptr, 0);
  return Run(db, ctx, o, silent).write_chunk(batch_id);
}

RunOutcome finish_chunked(odbc::Connection& db, const RunContext& ctx, const Options& o, int64_t batch_id) {
  Progress silent(nullptr, nullptr, 0);
  return Run(db, ctx, o, silent).finish_chunked(batch_id);
}

}  // namespace cpb
