#include "session.hpp"

#include <array>
#include <optional>

#include <nlohmann/json.hpp>

#include "errors.hpp"
#include "own_tables.hpp"
#include "sql_catalog.hpp"
#include "transaction.hpp"

namespace cpb {

using json = nlohmann::ordered_json;
using odbc::Params;
using odbc::Value;

void Progress::step(const char* phase) {
  if (fn_ && fn_(user_, phase, done_, total_) != 0) throw cancelled();
  ++done_;
}

namespace {

constexpr int64_t kApplySteps = 5;  // validate, targets, count, write, commit

struct CellCounts {
  int64_t updated = 0;
  int64_t unchanged = 0;
};

// Every cell of a run falls in exactly one of these.
struct Tally {
  std::array<std::array<CellCounts, kReasons.size()>, kDevices.size()> cells{};  // [device][reason]
  int64_t no_device = 0;
  int64_t not_staff = 0;
  int64_t protected_cells = 0;
  int64_t persons = 0;
  int64_t households = 0;

  int64_t updated_on(size_t device) const {
    int64_t n = 0;
    for (const CellCounts& c : cells[device]) n += c.updated;
    return n;
  }
  int64_t updated() const {
    int64_t n = 0;
    for (size_t d = 0; d < kDevices.size(); ++d) n += updated_on(d);
    return n;
  }
  int64_t unchanged() const {
    int64_t n = 0;
    for (const auto& device : cells)
      for (const CellCounts& c : device) n += c.unchanged;
    return n;
  }
};

// One device's cells, from the sums of sql/plugin/count_device.sql.
struct DeviceCells {
  int64_t no_device = 0;
  int64_t not_staff = 0;               // on record, staff reason not allowed
  int64_t protected_cells = 0;         // on record, left alone by the overwrite policy
  int64_t protected_staff_ok = 0;      // the same, among those allowed the staff reason
  int64_t writable = 0;
  int64_t writable_staff_ok = 0;
  std::array<int64_t, kReasons.size()> bit_off{};  // writable cells whose reason bit is off now
};
constexpr int kCountColumns = 5 + static_cast<int>(kReasons.size());

// `rows` is the number of rows the sums ran over (targets or households).
DeviceCells read_device_cells(odbc::Statement& st, int first_column, int64_t rows) {
  auto at = [&](int i) { return st.get_int(first_column + i).value_or(0); };
  DeviceCells c;
  c.no_device = at(0);
  c.not_staff = at(1);
  c.protected_cells = at(2);
  c.protected_staff_ok = at(3);
  c.writable_staff_ok = at(4);
  c.writable = rows - c.no_device - c.protected_cells;
  for (size_t r = 0; r < kReasons.size(); ++r) {
    const int64_t bit_on = at(5 + static_cast<int>(r));
    c.bit_off[r] = (kReasons[r].bit == kStaffBit ? c.writable_staff_ok : c.writable) - bit_on;
  }
  return c;
}

// Every asked cell of one device lands in exactly one count, in this order:
// no device, not staff, protected, then updated or unchanged.
void tally_device(const Options& o, size_t device, const DeviceCells& c, Tally& tally) {
  const DeviceChange& change = o.devices[device];
  for (size_t r = 0; r < kReasons.size(); ++r) {
    const int bit = kReasons[r].bit;
    if (!(change.touched() & bit)) continue;
    const bool staff = bit == kStaffBit;
    tally.no_device += c.no_device;
    if (staff) tally.not_staff += c.not_staff;
    tally.protected_cells += staff ? c.protected_staff_ok : c.protected_cells;
    const int64_t off = c.bit_off[r];
    const int64_t on = (staff ? c.writable_staff_ok : c.writable) - off;
    CellCounts& cell = tally.cells[device][r];
    cell.updated += (change.set & bit) ? off : on;
    cell.unchanged += (change.set & bit) ? on : off;
  }
}

json counts_json(const CellCounts& c) { return {{"updated", c.updated}, {"unchanged", c.unchanged}}; }

json result_json(const Options& o, std::optional<int64_t> batch_id, const Tally& t) {
  json by_reason = json::object();
  for (size_t r = 0; r < kReasons.size(); ++r) {
    CellCounts sum;
    for (size_t d = 0; d < kDevices.size(); ++d) {
      sum.updated += t.cells[d][r].updated;
      sum.unchanged += t.cells[d][r].unchanged;
    }
    by_reason[std::string(kReasons[r].name)] = counts_json(sum);
  }
  json by_device = json::object();
  for (size_t d = 0; d < kDevices.size(); ++d) {
    CellCounts sum;
    for (const CellCounts& c : t.cells[d]) {
      sum.updated += c.updated;
      sum.unchanged += c.unchanged;
    }
    by_device[std::string(kDevices[d].name)] = counts_json(sum);
  }
  return {{"batch_id", batch_id ? json(*batch_id) : json(nullptr)},
          {"dry_run", o.dry_run},
          {"mode", std::string(mode_info(o.mode).name)},
          {"persons", t.persons},
          {"households", t.households},
          {"updated", t.updated()},
          {"unchanged", t.unchanged()},
          {"by_reason", by_reason},
          {"by_device", by_device},
          {"skipped", {{"no_device", t.no_device}, {"not_staff", t.not_staff}, {"protected", t.protected_cells}}}};
}

class Run {
 public:
  Run(odbc::Connection& db, const RunContext& ctx, const Options& o, Progress& progress)
      : db_(db), ctx_(ctx), o_(o), progress_(progress), engine_(db.engine()) {
    params_ = {{"user_id", Value::of(ctx.user_id)},     {"end_year", Value::of(int64_t{ctx.end_year})},
               {"school_id", Value::of(ctx.school_id)}, {"calendar_id", Value::of(ctx.calendar_id)},
               {"date", Value::date(ctx.date)},         {"filter_id", Value::of(o.ad_hoc_filter_id)},
               {"now", Value::timestamp(now_local())},  {"keep_portal", Value::of(int64_t{o.overwrite == Overwrite::keep_portal})},
               {"unset_only", Value::of(int64_t{o.overwrite == Overwrite::unset_only})}};
    for (size_t d = 0; d < kDevices.size(); ++d) {
      params_["set_" + std::string(kDevices[d].name)] = Value::of(int64_t{o.devices[d].set});
      params_["clear_" + std::string(kDevices[d].name)] = Value::of(int64_t{o.devices[d].clear});
    }
  }

  RunOutcome apply();
  RunOutcome undo();

 private:
  int64_t exec(std::string_view name) { return db_.execute(sql_query(name, engine_), params_); }
  void exec_if_exists(std::string_view name) {
    if (sql_exists(name, engine_)) db_.execute_script(sql_text(name, engine_));
  }
  int64_t scalar(std::string_view name) {
    odbc::Statement st(db_);
    st.execute(sql_query(name, engine_), params_);
    return st.fetch() ? st.get_int(1).value_or(0) : 0;
  }
  void check_user();
  void check_calendar();
  void check_filter();
  void resolve_targets();
  void count(Tally& tally);
  int64_t record_and_write(const std::string& stage, const std::string& table);
  void record_batch(const std::string& action, const std::string& result, const Tally* tally, int64_t updated, int64_t unchanged);

  odbc::Connection& db_;
  const RunContext& ctx_;
  const Options& o_;
  Progress& progress_;
  const odbc::Engine& engine_;
  Params params_;
  std::string started_at_ = now_local();
};

void Run::check_user() {
  odbc::Statement st(db_);
  st.execute(sql_query("plugin/check_user", engine_), params_);
  const std::string who = "user " + std::to_string(ctx_.user_id);
  if (!st.fetch()) throw forbidden(who + " does not exist", "/user_id");
  if (st.get_int(1).value_or(0) != 0) throw forbidden(who + " is disabled", "/user_id");
  if (st.get_int(2).value_or(0) != 0) throw forbidden(who + " is a portal account; only staff accounts may run this tool", "/user_id");
  if (st.get_int(3).value_or(0) == 0)
    throw forbidden(who + " lacks the write right on the tool contact_preferences_batch", "/user_id");
}

void Run::check_calendar() {
  if (ctx_.school_id != 0) {
    odbc::Statement st(db_);
    st.execute(sql_query("plugin/check_school", engine_), params_);
    if (!st.fetch()) throw invalid_context("/school_id", "school " + std::to_string(ctx_.school_id) + " does not exist");
  }
  if (ctx_.calendar_id == 0) return;
  odbc::Statement st(db_);
  st.execute(sql_query("plugin/check_calendar", engine_), params_);
  const std::string which = "calendar " + std::to_string(ctx_.calendar_id);
  if (!st.fetch()) throw invalid_context("/calendar_id", which + " does not exist");
  const int64_t school = st.get_int(1).value_or(0);
  const int64_t year = st.get_int(2).value_or(0);
  if (year != ctx_.end_year)
    throw invalid_context("/calendar_id", which + " belongs to the year ending " + std::to_string(year) + ", not " +
                                              std::to_string(ctx_.end_year));
  if (ctx_.school_id != 0 && school != ctx_.school_id)
    throw invalid_context("/calendar_id", which + " belongs to school " + std::to_string(school) + ", not school " +
                                              std::to_string(ctx_.school_id));
}

void Run::check_filter() {
  if (o_.ad_hoc_filter_id == 0) return;
  odbc::Statement st(db_);
  st.execute(sql_query("plugin/check_filter", engine_), params_);
  const std::string which = "ad hoc filter " + std::to_string(o_.ad_hoc_filter_id);
  if (!st.fetch()) throw not_found(which + " does not exist", "/ad_hoc_filter_id");
  const std::string type = st.get_text(1).value_or("");
  const std::optional<int64_t> owner = st.get_int(2);
  const bool shared = st.get_int(3).value_or(0) != 0;
  const ModeInfo& mode = mode_info(o_.mode);
  if (type != mode.filter_type)
    throw invalid_options("/ad_hoc_filter_id", which + " is a " + type + " filter; " + std::string(mode.name) + " mode takes a " +
                                                   std::string(mode.filter_type) + " filter");
  if (!shared && owner != ctx_.user_id)
    throw forbidden(which + " belongs to another user and is not shared", "/ad_hoc_filter_id");
}

void Run::resolve_targets() {
  db_.execute_script(sql_text("plugin/temp_tables", engine_));
  exec("plugin/targets_" + std::string(mode_info(o_.mode).name));
  exec_if_exists("plugin/analyze_targets");
  if (o_.touches(kHouseholdPhone)) {
    exec("plugin/target_households");
    exec_if_exists("plugin/analyze_households");
  }
}

void Run::count(Tally& tally) {
  {
    odbc::Statement st(db_);
    st.execute(sql_query("plugin/count_contacts", engine_), params_);
    if (st.fetch()) {
      tally.persons = st.get_int(1).value_or(0);
      for (size_t d = 0; d < kDevices.size(); ++d) {
        if (d == kHouseholdPhone) continue;
        tally_device(o_, d, read_device_cells(st, 2 + static_cast<int>(d - 1) * kCountColumns, tally.persons), tally);
      }
    }
  }
  if (!o_.touches(kHouseholdPhone)) return;
  odbc::Statement st(db_);
  st.execute(sql_query("plugin/count_households", engine_), params_);
  if (st.fetch()) {
    const int64_t rows = st.get_int(1).value_or(0);
    const DeviceCells cells = read_device_cells(st, 2, rows);
    tally.households = rows - cells.no_device;
    tally_device(o_, kHouseholdPhone, cells, tally);
  }
}

void Run::record_batch(const std::string& action, const std::string& result, const Tally* tally, int64_t updated, int64_t unchanged) {
  Params p = params_;
  p["action"] = Value::of(action);
  p["undone_batch_id"] = action == "undo" ? Value::of(o_.batch_id) : Value::null();
  p["mode"] = action == "undo" ? Value{Value::Kind::null_text, 0, {}} : Value::of(std::string(mode_info(o_.mode).name));
  p["options"] = Value::of(o_.canonical_json);
  p["result"] = Value::of(result);
  p["persons"] = Value::of(tally ? tally->persons : 0);
  p["households"] = Value::of(tally ? tally->households : 0);
  p["updated"] = Value::of(updated);
  p["unchanged"] = Value::of(unchanged);
  p["started_at"] = Value::timestamp(started_at_);
  p["finished_at"] = Value::timestamp(now_local());
  db_.execute(sql_query("plugin/insert_batch", engine_), p);
}

// Runs a stage statement, which records this batch's changing rows of one host
// table, then writes the recorded rows back; returns how many were recorded.
int64_t Run::record_and_write(const std::string& stage, const std::string& table) {
  const int64_t rows = exec(stage);
  if (rows > 0) {
    exec_if_exists("plugin/analyze_" + table + "_changes");
    exec("plugin/write_" + table + "_changes");
  }
  return rows;
}

RunOutcome Run::apply() {
  progress_.step("validate");
  check_user();
  check_calendar();
  check_filter();
  progress_.step("targets");
  resolve_targets();
  progress_.step("count");
  Tally tally;
  count(tally);
  std::optional<int64_t> batch_id;
  progress_.step("write");
  if (!o_.dry_run) {
    batch_id = scalar("plugin/next_batch_id");
    params_["batch_id"] = Value::of(*batch_id);
    const int64_t household_cells = tally.updated_on(kHouseholdPhone);
    for (const auto& [table, cells] : {std::pair{"contact", tally.updated() - household_cells}, std::pair{"household", household_cells}}) {
      if (cells == 0) continue;  // nothing to update: the table is not read again
      const int64_t rows = record_and_write("plugin/stage_" + std::string(table) + "_changes", table);
      if (rows <= 0 || rows > cells)  // the counts and the writes disagree: roll everything back
        throw std::logic_error(std::string("the ") + table + " rows written (" + std::to_string(rows) + ") do not match the " +
                               std::to_string(cells) + " cells counted; nothing was changed");
    }
  }
  const std::string result = result_json(o_, batch_id, tally).dump();
  if (batch_id) record_batch("apply", result, &tally, tally.updated(), tally.unchanged());
  return {result, tally.updated(), tally.unchanged(), tally.persons, tally.households};
}

RunOutcome Run::undo() {
  progress_.step("validate");
  check_user();
  params_["undone_batch_id"] = Value::of(o_.batch_id);
  {
    odbc::Statement st(db_);
    Params p = params_;
    p["batch_id"] = Value::of(o_.batch_id);
    st.execute(sql_query("plugin/find_batch", engine_), p);
    const std::string which = "batch " + std::to_string(o_.batch_id);
    if (!st.fetch()) throw not_found(which + " does not exist (a dry run is not recorded and cannot be undone)", "/batch_id");
    const std::string tool = st.get_text(1).value_or("");
    const std::string status = st.get_text(2).value_or("");
    const std::optional<int64_t> undone_by = st.get_int(3);
    if (tool != kToolName) throw invalid_options("/batch_id", which + " was made by the tool " + tool + ", not by this one");
    if (status == "undone")
      throw conflict(which + " was already undone" + (undone_by ? " by batch " + std::to_string(*undone_by) : std::string()),
                     "/batch_id");
  }
  progress_.step("targets");
  progress_.step("count");
  const int64_t batch_id = scalar("plugin/next_batch_id");
  params_["batch_id"] = Value::of(batch_id);
  const int64_t recorded = scalar("plugin/count_batch_rows");
  progress_.step("write");
  const int64_t restored =
      record_and_write("plugin/undo_stage_contact", "contact") + record_and_write("plugin/undo_stage_household", "household");
  exec("plugin/mark_undone");
  const int64_t conflicts = recorded - restored;
  const std::string result =
      json{{"batch_id", batch_id}, {"undone_batch_id", o_.batch_id}, {"restored", restored}, {"conflicts", conflicts}}.dump();
  record_batch("undo", result, nullptr, restored, conflicts);
  return {result, restored, conflicts, 0, 0};
}

}  // namespace

Session::Session(odbc::Connection connection) : connection_(std::move(connection)) {
  create_missing_own_tables(connection_);
}

RunOutcome Session::run(const RunContext& context, const Options& options, sis_progress_fn progress_fn, void* progress_user) {
  Progress progress(progress_fn, progress_user, kApplySteps);
  Transaction tx(connection_);
  Run run(connection_, context, options, progress);
  RunOutcome outcome = options.action == Action::undo ? run.undo() : run.apply();
  progress.step("commit");
  tx.commit();
  return outcome;
}

}  // namespace cpb
