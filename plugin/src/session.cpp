#include "session.hpp"

#include <array>
#include <optional>

#include <nlohmann/json.hpp>

#include "errors.hpp"
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

  int64_t updated() const {
    int64_t n = 0;
    for (const auto& device : cells)
      for (const CellCounts& c : device) n += c.updated;
    return n;
  }
  int64_t unchanged() const {
    int64_t n = 0;
    for (const auto& device : cells)
      for (const CellCounts& c : device) n += c.unchanged;
    return n;
  }
};

// One group of count_*_device: `n` cells of a device that share their fate.
void tally_group(const Options& o, size_t device, bool on_record, int allowed_bits, bool protected_row,
                 std::optional<int64_t> mask, int64_t n, Tally& tally) {
  const DeviceChange& change = o.devices[device];
  if (device == kHouseholdPhone && on_record) tally.households += n;
  for (size_t r = 0; r < kReasons.size(); ++r) {
    const int bit = kReasons[r].bit;
    if (!(change.touched() & bit)) continue;
    if (!on_record) {
      tally.no_device += n;
    } else if (!(allowed_bits & bit)) {
      tally.not_staff += n;
    } else if (protected_row || (o.overwrite == Overwrite::unset_only && mask)) {
      tally.protected_cells += n;
    } else {
      const bool has = (mask.value_or(0) & bit) != 0;
      const bool wants = (change.set & bit) != 0;
      (has == wants ? tally.cells[device][r].unchanged : tally.cells[device][r].updated) += n;
    }
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
      : db_(db), ctx_(ctx), o_(o), progress_(progress), dialect_(db.dialect()) {
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
  int64_t exec(std::string_view name) { return db_.execute(sql_query(name, dialect_), params_); }
  void exec_if_exists(std::string_view name) {
    if (sql_exists(name, dialect_)) db_.execute_script(sql_text(name, dialect_));
  }
  int64_t scalar(std::string_view name) {
    odbc::Statement st(db_);
    st.execute(sql_query(name, dialect_), params_);
    return st.fetch() ? st.get_int(1).value_or(0) : 0;
  }
  void check_user();
  void check_calendar();
  void check_filter();
  void resolve_targets();
  void count(Tally& tally);
  void record_batch(const std::string& action, const std::string& result, const Tally* tally, int64_t updated, int64_t unchanged);

  odbc::Connection& db_;
  const RunContext& ctx_;
  const Options& o_;
  Progress& progress_;
  odbc::Dialect dialect_;
  Params params_;
  std::string started_at_ = now_local();
};

void Run::check_user() {
  odbc::Statement st(db_);
  st.execute(sql_query("plugin/check_user", dialect_), params_);
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
    st.execute(sql_query("plugin/check_school", dialect_), params_);
    if (!st.fetch()) throw invalid_context("/school_id", "school " + std::to_string(ctx_.school_id) + " does not exist");
  }
  if (ctx_.calendar_id == 0) return;
  odbc::Statement st(db_);
  st.execute(sql_query("plugin/check_calendar", dialect_), params_);
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
  st.execute(sql_query("plugin/check_filter", dialect_), params_);
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
  db_.execute_script(sql_text("plugin/temp_tables", dialect_));
  exec("plugin/targets_" + std::string(mode_info(o_.mode).name));
  exec_if_exists("plugin/analyze_targets");
  if (o_.touches(kHouseholdPhone)) {
    exec("plugin/target_households");
    exec_if_exists("plugin/analyze_households");
  }
}

void Run::count(Tally& tally) {
  tally.persons = scalar("plugin/count_persons");
  for (size_t d = 0; d < kDevices.size(); ++d) {
    if (!o_.touches(d)) continue;
    odbc::Statement st(db_);
    const char* name = d == kHouseholdPhone ? "plugin/count_household_phone" : "plugin/count_contact_device";
    st.execute(odbc::Query::parse(sql_text(name, dialect_, &kDevices[d])), params_);
    while (st.fetch()) {
      tally_group(o_, d, st.get_int(2).value_or(0) != 0, static_cast<int>(st.get_int(3).value_or(0)), st.get_int(4).value_or(0) != 0,
                  st.get_int(5), st.get_int(6).value_or(0), tally);
    }
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
  db_.execute(sql_query("plugin/insert_batch", dialect_), p);
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
    if (o_.touches_contacts()) {
      exec("plugin/stage_contact_changes");
      exec("plugin/write_contact_changes");
    }
    if (o_.touches(kHouseholdPhone)) {
      exec("plugin/stage_household_changes");
      exec("plugin/write_household_changes");
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
    st.execute(sql_query("plugin/find_batch", dialect_), p);
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
  params_["batch_id"] = Value::of(o_.batch_id);
  const int64_t recorded = scalar("plugin/count_batch_rows");
  params_["batch_id"] = Value::of(batch_id);
  progress_.step("write");
  const int64_t restored = exec("plugin/undo_stage_contact") + exec("plugin/undo_stage_household");
  exec("plugin/write_contact_changes");
  exec("plugin/write_household_changes");
  exec("plugin/mark_undone");
  const int64_t conflicts = recorded - restored;
  const std::string result =
      json{{"batch_id", batch_id}, {"undone_batch_id", o_.batch_id}, {"restored", restored}, {"conflicts", conflicts}}.dump();
  record_batch("undo", result, nullptr, restored, conflicts);
  return {result, restored, conflicts, 0, 0};
}

}  // namespace

Session::Session(odbc::Connection connection) : connection_(std::move(connection)) {
  // The plugin's own tables, created when missing; each statement commits on its own.
  const bool autocommit = connection_.autocommit();
  if (!autocommit) connection_.set_autocommit(true);
  try {
    connection_.execute_script(sql_text("plugin/own_tables", connection_.dialect()));
  } catch (...) {
    if (!autocommit) connection_.set_autocommit(false);
    throw;
  }
  if (!autocommit) connection_.set_autocommit(false);
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
