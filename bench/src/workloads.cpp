#include "workloads.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <cstring>
#include <map>
#include <optional>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "bench_sql.hpp"
#include "context.hpp"
#include "options.hpp"
#include "plan_review.hpp"
#include "plugin_worker.hpp"
#include "run.hpp"
#include "session.hpp"
#include "sql_catalog.hpp"
#include "sql_files.hpp"
#include "transaction.hpp"
#include "vocabulary.hpp"

namespace bench {

using cpb::odbc::Connection;
using cpb::odbc::Params;
using cpb::odbc::Query;
using cpb::odbc::Statement;
using cpb::odbc::Value;
using Clock = std::chrono::steady_clock;

namespace {

double since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

// The parameters of the floor and the baseline: the toolbar context and the bits.
Params batch_params(bool on) {
  return {{"user_id", Value::of(kUserId)},
          {"end_year", Value::of(int64_t{kEndYear})},
          {"date", Value::date(kEffectiveDate)},
          {"now", Value::timestamp(cpb::now_local())},
          {"set", Value::of(int64_t{on ? kReasonBits : 0})},
          {"clear", Value::of(int64_t{on ? 0 : kReasonBits})}};
}

int64_t scalar(Connection& db, std::string_view sql, const Params& params = {}) {
  Statement st(db);
  st.execute(sql, params);
  return st.fetch() ? st.get_int(1).value_or(0) : 0;
}

int64_t scalar_of(Connection& db, const Query& query, const Params& params) {
  Statement st(db);
  st.execute(query, params);
  return st.fetch() ? st.get_int(1).value_or(0) : 0;
}

// FNV-1a over every value of every row, NULL distinct from any text.
uint64_t digest(Connection& db, std::string_view sql, const Params& params) {
  Statement st(db);
  st.execute(sql, params);
  const int columns = st.columns();
  uint64_t h = 14695981039346656037ull;
  auto mix = [&](std::string_view bytes) {
    for (const char c : bytes) {
      h ^= static_cast<unsigned char>(c);
      h *= 1099511628211ull;
    }
  };
  while (st.fetch()) {
    for (int c = 1; c <= columns; ++c) {
      const std::optional<std::string> v = st.get_text(c);
      mix(v ? *v : std::string_view("\x01NULL", 5));
      mix("|");
    }
    mix("\n");
  }
  return h;
}

// An ODBC statement handle freed on scope exit.
class PreparedStatement {
 public:
  PreparedStatement(Connection& db, const std::string& sql) {
    cpb::odbc::check(SQLAllocHandle(SQL_HANDLE_STMT, db.handle(), &stmt_), SQL_HANDLE_DBC, db.handle(), "SQLAllocHandle(statement)");
    cpb::odbc::check(SQLPrepare(stmt_, reinterpret_cast<SQLCHAR*>(const_cast<char*>(sql.c_str())), SQL_NTS), SQL_HANDLE_STMT, stmt_,
                     "SQLPrepare");
  }
  ~PreparedStatement() { SQLFreeHandle(SQL_HANDLE_STMT, stmt_); }
  PreparedStatement(const PreparedStatement&) = delete;
  PreparedStatement& operator=(const PreparedStatement&) = delete;
  SQLHSTMT handle() const { return stmt_; }
  void bind_integer(int number, SQLBIGINT* value, SQLLEN* indicator) {
    cpb::odbc::check(SQLBindParameter(stmt_, static_cast<SQLUSMALLINT>(number), SQL_PARAM_INPUT, SQL_C_SBIGINT, SQL_BIGINT, 0, 0, value, 0,
                                      indicator),
                     SQL_HANDLE_STMT, stmt_, "SQLBindParameter");
  }
  void bind_timestamp(int number, std::string& text, SQLLEN* indicator) {
    *indicator = static_cast<SQLLEN>(text.size());
    cpb::odbc::check(SQLBindParameter(stmt_, static_cast<SQLUSMALLINT>(number), SQL_PARAM_INPUT, SQL_C_CHAR, SQL_TYPE_TIMESTAMP, 19, 0,
                                      text.data(), static_cast<SQLLEN>(text.size()), indicator),
                     SQL_HANDLE_STMT, stmt_, "SQLBindParameter");
  }
  void execute() { cpb::odbc::check(SQLExecute(stmt_), SQL_HANDLE_STMT, stmt_, "SQLExecute"); }

 private:
  SQLHSTMT stmt_ = SQL_NULL_HSTMT;
};

bool on_record(const std::optional<std::string>& value) {
  return value && value->find_first_not_of(' ') != std::string::npos;
}

// The kind of statement under its opening comments: only these can be explained.
bool explainable(const std::string& sql) {
  size_t at = 0;
  while (at < sql.size()) {
    at = sql.find_first_not_of(" \t\r\n", at);
    if (at == std::string::npos) return false;
    if (sql.compare(at, 2, "--") != 0) break;
    at = sql.find('\n', at);
  }
  if (at == std::string::npos) return false;
  std::string word;
  for (; at < sql.size() && std::isalpha(static_cast<unsigned char>(sql[at])); ++at) word += static_cast<char>(std::toupper(sql[at]));
  return word == "SELECT" || word == "INSERT" || word == "UPDATE" || word == "DELETE" || word == "WITH";
}

// The prefix that runs a statement and returns its plan with what each step
// took, one text column (PostgreSQL: a row per line; MariaDB: one JSON row);
// nullptr on SQLite, whose EXPLAIN QUERY PLAN only plans.
const char* measured_plan(const cpb::odbc::Engine& engine) {
  if (engine.name == "postgresql") return "EXPLAIN (ANALYZE, BUFFERS) ";
  if (engine.name == "mariadb") return "ANALYZE FORMAT=JSON ";
  return nullptr;
}

// Names every statement of every sql/plugin file by its file, as the plugin's
// catalog expands it for this engine (scripts statement by statement).
std::map<std::string, std::string> plugin_statement_names(const cpb::odbc::Engine& engine) {
  std::map<std::string, std::string> names;
  const std::string prefix = "plugin/";
  for (const cpb::SqlFile& f : cpb::sql_files()) {
    std::string name(f.name);
    if (name.rfind(prefix, 0) != 0) continue;
    for (const cpb::odbc::Engine& e : cpb::odbc::engines()) {
      const std::string folder = std::string(e.name) + "/";
      if (name.compare(prefix.size(), folder.size(), folder) == 0) name = prefix + name.substr(prefix.size() + folder.size());
    }
    try {
      const std::string text = cpb::sql_text(name, engine);
      const std::string file = name.substr(prefix.size());
      names.emplace(Query::parse(text).sql, file);
      const std::vector<std::string> statements = cpb::odbc::split_script(text);
      for (size_t i = 0; i < statements.size(); ++i)  // a script's statements by their place in it: "save_plan_warned_rows#2"
        names.emplace(Query::parse(statements[i]).sql, statements.size() > 1 ? file + "#" + std::to_string(i + 1) : file);
    } catch (const std::exception&) {
      // a fragment that needs a device, or another engine's file only
    }
  }
  return names;
}

// Times each statement of a plugin run by its file; explains it first when asked.
class StepObserver : public cpb::odbc::StatementObserver {
 public:
  StepObserver(Connection& db, std::ostream* plans) : db_(db), plans_(plans), names_(plugin_statement_names(db.engine())) {}

  void before(const Query& query, const Params& params) override {
    if (!plans_ || !explainable(query.sql)) return;
    db_.set_observer(nullptr);  // the plan's own statements are not the plugin's
    *plans_ << "-- " << name_of(query) << "\n";
    try {
      Statement st(db_);
      if (const char* analyze = measured_plan(db_.engine())) {
        // The statement runs to be measured: inside a savepoint rolled back, so
        // that the real one then runs on the same state.
        db_.execute("SAVEPOINT cpb_bench_explain");
        st.execute(Query{analyze + query.sql, query.parameters}, params);
        while (st.fetch()) *plans_ << st.get_text(1).value_or("") << "\n";
        st.close_cursor();
        db_.execute("ROLLBACK TO SAVEPOINT cpb_bench_explain");
      } else {
        st.execute(Query{"EXPLAIN QUERY PLAN " + query.sql, query.parameters}, params);
        std::map<int64_t, int> depth;
        while (st.fetch()) {
          const int64_t id = st.get_int(1).value_or(0);
          const int64_t parent = st.get_int(2).value_or(0);
          depth[id] = parent == 0 ? 0 : depth[parent] + 1;
          *plans_ << std::string(2 * static_cast<size_t>(depth[id]), ' ') << st.get_text(4).value_or("") << "\n";
        }
      }
    } catch (const std::exception& e) {
      *plans_ << "(no plan: " << e.what() << ")\n";
      if (measured_plan(db_.engine())) db_.execute("ROLLBACK TO SAVEPOINT cpb_bench_explain");
    }
    *plans_ << "\n";
    db_.set_observer(this);
  }

  void after(const Query& query, const Params&, double seconds) override {
    const std::string name = name_of(query);
    auto found = std::find_if(pieces_.begin(), pieces_.end(), [&](const Piece& p) { return p.name == name; });
    if (found == pieces_.end()) found = pieces_.insert(pieces_.end(), Piece{name, 0, 0});
    found->seconds += seconds;
    ++found->statements;
  }

  const std::vector<Piece>& pieces() const { return pieces_; }

 private:
  std::string name_of(const Query& query) const {
    const auto found = names_.find(query.sql);
    return found != names_.end() ? found->second : "(built in C++)";
  }
  Connection& db_;
  std::ostream* plans_;
  std::map<std::string, std::string> names_;
  std::vector<Piece> pieces_;
};

}  // namespace

std::string batch_options(bool on, bool dry_run, const nlohmann::ordered_json& extra) {
  nlohmann::ordered_json preferences = nlohmann::ordered_json::object();
  for (const cpb::Reason& r : cpb::kReasons)
    if (r.bit & kReasonBits) preferences[std::string(r.name)] = on ? "on" : "off";
  nlohmann::ordered_json o = {{"mode", "student_messenger_contacts"}, {"preferences", preferences}, {"dry_run", dry_run}};
  if (!on) o["confirm"] = {"emergency_off"};  // CONTRACT 9.2: Off includes emergency
  for (const auto& [key, value] : extra.items()) o[key] = value;
  if (o.value("action", "") == "plan") o.erase("dry_run");  // a plan takes none: it never writes
  return o.dump();
}

FloorRun run_floor(Connection& db, bool on, const std::function<void()>& before, const std::function<void()>& inspect) {
  const Params params = batch_params(on);
  const Query contacts = Query::parse(bench_sql("floor_contacts", db.engine()));
  const Query households = Query::parse(bench_sql("floor_households", db.engine()));
  // An engine whose floor reads keyed targets (floor_resolve.sql) resolves them first, timed.
  const bool resolves = cpb::find_sql_file(bench_sql_files(), "floor_resolve", db.engine().name) != nullptr;
  FloorRun run;
  cpb::Transaction tx(db);
  if (resolves) run_bench_script(db, "audited_setup");
  if (before) before();
  const auto started = Clock::now();
  if (resolves) run_bench_script(db, "floor_resolve", params);
  run.contact_rows = db.execute(contacts, params);
  run.household_rows = db.execute(households, params);
  run.seconds = since(started);
  if (inspect) inspect();
  return run;  // rolled back
}

namespace {

// The counts of one host table's pass (audited_count_*.sql): its rows, then
// per device of the table the rows on record and the sum of (changing bits &
// bit) per reason. Adds them to `c` as Tally::counts_json has them.
struct FloorCounts {
  std::array<std::array<int64_t, cpb::kReasons.size()>, cpb::kDevices.size()> updated{}, unchanged{};
  int64_t no_device = 0, not_staff = 0, protected_cells = 0, persons = 0, households = 0;
};

void add_pass(Connection& db, const Query& query, const Params& params, const std::string_view table, FloorCounts& c) {
  Statement st(db);
  st.execute(query, params);
  if (!st.fetch()) throw std::logic_error("the audited floor's count of " + std::string(table) + " gives no row");
  const int64_t rows = st.get_int(1).value_or(0);
  const int asked = kReasonBits;  // the benchmark's batch asks these on every device
  const int allowed = cpb::kReasonBitsNoStaff;
  int column = 2;
  for (size_t d = 0; d < cpb::kDevices.size(); ++d) {
    if (cpb::kDevices[d].table != table) continue;
    const int64_t on_record = st.get_int(column++).value_or(0);
    if (d == cpb::kFirstContactDevice) c.persons = rows;
    if (d == cpb::kHouseholdPhone) c.households = on_record;
    for (size_t r = 0; r < cpb::kReasons.size(); ++r, ++column) {
      const int bit = cpb::kReasons[r].bit;
      if (!(asked & bit)) continue;
      c.no_device += rows - on_record;
      if (!(allowed & bit)) {
        c.not_staff += on_record;
        continue;
      }
      c.updated[d][r] = st.get_int(column).value_or(0) / bit;
      c.unchanged[d][r] = on_record - c.updated[d][r];
    }
  }
  if (column - 1 != st.columns())
    throw std::logic_error("the audited floor's count of " + std::string(table) + " has " + std::to_string(st.columns()) + " columns, not " +
                           std::to_string(column - 1));
}

nlohmann::ordered_json counts_json(const FloorCounts& c) {
  using json = nlohmann::ordered_json;
  auto pair = [](int64_t updated, int64_t unchanged) { return json{{"updated", updated}, {"unchanged", unchanged}}; };
  json by_reason = json::object(), by_device = json::object();
  int64_t updated = 0, unchanged = 0;
  for (size_t r = 0; r < cpb::kReasons.size(); ++r) {
    int64_t u = 0, k = 0;
    for (size_t d = 0; d < cpb::kDevices.size(); ++d) u += c.updated[d][r], k += c.unchanged[d][r];
    by_reason[std::string(cpb::kReasons[r].name)] = pair(u, k);
    updated += u;
    unchanged += k;
  }
  for (size_t d = 0; d < cpb::kDevices.size(); ++d) {
    int64_t u = 0, k = 0;
    for (size_t r = 0; r < cpb::kReasons.size(); ++r) u += c.updated[d][r], k += c.unchanged[d][r];
    by_device[std::string(cpb::kDevices[d].name)] = pair(u, k);
  }
  return {{"persons", c.persons},
          {"households", c.households},
          {"updated", updated},
          {"unchanged", unchanged},
          {"by_reason", by_reason},
          {"by_device", by_device},
          {"skipped", {{"no_device", c.no_device}, {"not_staff", c.not_staff}, {"protected", c.protected_cells}}}};
}

}  // namespace

nlohmann::ordered_json result_counts(const nlohmann::ordered_json& result) {
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  for (const char* key : {"persons", "households", "updated", "unchanged", "by_reason", "by_device", "skipped"})
    out[key] = result.is_object() && result.contains(key) ? result[key] : nlohmann::ordered_json();
  return out;
}

AuditedFloorRun run_audited_floor(Connection& db, bool on, const std::function<void(const AuditedFloorRun&)>& inspect) {
  const cpb::odbc::Engine& engine = db.engine();
  Params params = batch_params(on);
  const int clear = on ? 0 : kReasonBits;
  params["asked"] = Value::of(int64_t{kReasonBits});
  params["keep"] = Value::of(int64_t{cpb::kAllReasonBits - clear});
  params["allowed"] = Value::of(int64_t{cpb::kReasonBitsNoStaff});
  params["state_writable"] = Value::of(int64_t{static_cast<int>(cpb::CellState::writable)});
  params["state_no_device"] = Value::of(int64_t{static_cast<int>(cpb::CellState::no_device)});
  const Query next_batch = Query::parse(cpb::sql_text("plugin/next_batch_id", engine));
  const Query insert_batch = Query::parse(cpb::sql_text("plugin/insert_batch", engine));
  auto query = [&](const char* name) { return Query::parse(bench_sql(name, engine)); };
  const Query targets = query("audited_targets"), households = query("audited_households");
  const Query count_contacts = query("audited_count_contacts"), count_households = query("audited_count_households");
  // The record and the write: one file each for both host tables, read for a device of the table.
  const cpb::Device* contact = &cpb::kDevices[cpb::kFirstContactDevice];
  const cpb::Device* household = &cpb::kDevices[cpb::kHouseholdPhone];
  const Query record_contacts = Query::parse(bench_sql("audited_record", engine, contact));
  const Query record_households = Query::parse(bench_sql("audited_record", engine, household));
  const Query write_contacts = Query::parse(bench_sql("audited_write", engine, contact));
  const Query write_households = Query::parse(bench_sql("audited_write", engine, household));
  const bool analyze = cpb::find_sql_file(bench_sql_files(), "audited_analyze", engine.name) != nullptr;

  AuditedFloorRun run;
  cpb::Transaction tx(db);
  run_bench_script(db, "audited_setup");
  const std::string started_at = cpb::now_local();
  const auto started = Clock::now();
  auto lap = Clock::now();
  auto next_lap = [&](double& into) {
    const auto now = Clock::now();
    into = std::chrono::duration<double>(now - lap).count();
    lap = now;
  };
  run.batch_id = scalar_of(db, next_batch, params);
  params["batch_id"] = Value::of(run.batch_id);
  db.execute(targets, params);
  db.execute(households, params);
  if (analyze) run_bench_script(db, "audited_analyze");
  next_lap(run.resolve_seconds);
  FloorCounts counts;
  add_pass(db, count_contacts, params, "contact", counts);
  add_pass(db, count_households, params, "household", counts);
  run.counts = counts_json(counts);
  next_lap(run.count_seconds);
  const int64_t household_cells = run.counts["by_device"][std::string(cpb::kDevices[cpb::kHouseholdPhone].name)]["updated"].get<int64_t>();
  const int64_t contact_cells = run.counts["updated"].get<int64_t>() - household_cells;
  if (contact_cells > 0) run.contact_rows = db.execute(record_contacts, params);
  if (household_cells > 0) run.household_rows = db.execute(record_households, params);
  nlohmann::ordered_json result = {{"batch_id", run.batch_id}, {"dry_run", false}};
  result.update(run.counts);
  Params batch = params;
  batch["action"] = Value::of(std::string("apply"));
  batch["status"] = Value::of(std::string("applied"));
  batch["undone_batch_id"] = Value::null();
  batch["school_id"] = Value::of(int64_t{0});
  batch["calendar_id"] = Value::of(int64_t{0});
  batch["mode"] = Value::of(std::string(cpb::mode_info(cpb::Mode::student_messenger_contacts).name));
  batch["options"] = Value::of(batch_options(on, false));
  batch["result"] = Value::of(result.dump());
  batch["persons"] = Value::of(run.counts["persons"].get<int64_t>());
  batch["households"] = Value::of(run.counts["households"].get<int64_t>());
  batch["updated"] = Value::of(run.counts["updated"].get<int64_t>());
  batch["unchanged"] = Value::of(run.counts["unchanged"].get<int64_t>());
  batch["started_at"] = Value::timestamp(started_at);
  batch["finished_at"] = Value::timestamp(cpb::now_local());
  db.execute(insert_batch, batch);
  next_lap(run.record_seconds);
  if (run.contact_rows > 0) run.contacts_written = db.execute(write_contacts, params);
  if (run.household_rows > 0) run.households_written = db.execute(write_households, params);
  next_lap(run.write_seconds);
  run.seconds = since(started);
  if (inspect) inspect(run);
  return run;  // rolled back
}

uint64_t change_record(Connection& db, int64_t batch_id) {
  const Params p = {{"batch_id", Value::of(batch_id)}};
  const uint64_t contacts = digest(db, bench_sql("change_record_contacts", db.engine()), p);
  const uint64_t households = digest(db, bench_sql("change_record_households", db.engine()), p);
  return contacts * 1099511628211ull ^ households;
}

std::map<std::string, int64_t> plan_storage(Connection& db) {
  if (cpb::find_sql_file(bench_sql_files(), "plan_storage_refresh", db.engine().name)) run_bench_script(db, "plan_storage_refresh");
  std::map<std::string, int64_t> bytes;
  Statement st(db);
  st.execute(bench_sql("plan_storage", db.engine()));
  while (st.fetch()) bytes[st.get_text(1).value_or("")] = st.get_int(2).value_or(0);
  return bytes;
}

int64_t plan_rows(Connection& db, int64_t plan_id) { return scalar(db, bench_sql("plan_row_count", db.engine()), {{"plan_id", Value::of(plan_id)}}); }

BaselineRun run_baseline(Connection& db, bool on, int64_t slice, const std::function<void(const BaselineRun&)>& inspect) {
  const Params params = batch_params(on);
  const Query read = Query::parse(bench_sql("baseline_read", db.engine()));
  const Query update = Query::parse(bench_sql("baseline_update", db.engine()));
  const int set = on ? kReasonBits : 0;
  const int clear = on ? 0 : kReasonBits;
  struct Row {
    int64_t person_id;
    std::array<std::optional<std::string>, 5> values;
    std::array<std::optional<int64_t>, 5> masks;
  };
  BaselineRun run;
  cpb::Transaction tx(db);
  auto started = Clock::now();
  std::vector<Row> rows;
  {
    // Every target row is read, as the row-by-row program must; the first `slice` are kept.
    Statement st(db);
    st.execute(read, params);
    while (st.fetch()) {
      Row r;
      r.person_id = st.get_int(1).value_or(0);
      for (int i = 0; i < 5; ++i) r.values[i] = st.get_text(2 + i);
      for (int i = 0; i < 5; ++i) r.masks[i] = st.get_int(7 + i);
      ++run.rows_read;
      if (static_cast<int64_t>(rows.size()) < slice) rows.push_back(std::move(r));
    }
  }
  run.read_seconds = since(started);
  started = Clock::now();
  PreparedStatement st(db, update.sql);
  std::array<SQLBIGINT, 5> mask_values{};
  std::array<SQLLEN, 5> mask_indicators{};
  SQLBIGINT user = kUserId, person = 0;
  SQLLEN user_indicator = 0, person_indicator = 0, now_indicator = 0;
  std::string now = params.at("now").text;
  static const char* const kMaskParameters[] = {"cell_phone_messenger", "work_phone_messenger", "other_phone_messenger",
                                                "email_messenger", "secondary_email_messenger"};
  for (size_t i = 0; i < update.parameters.size(); ++i) {
    const std::string& name = update.parameters[i];
    const int number = static_cast<int>(i + 1);
    if (name == "user_id") st.bind_integer(number, &user, &user_indicator);
    else if (name == "person_id") st.bind_integer(number, &person, &person_indicator);
    else if (name == "now") st.bind_timestamp(number, now, &now_indicator);
    else {
      const auto m = std::find(std::begin(kMaskParameters), std::end(kMaskParameters), name);
      if (m == std::end(kMaskParameters)) throw std::logic_error("baseline_update.sql names an unknown parameter :" + name);
      const size_t k = static_cast<size_t>(m - std::begin(kMaskParameters));
      st.bind_integer(number, &mask_values[k], &mask_indicators[k]);
    }
  }
  for (const Row& r : rows) {
    bool changed = false;
    for (size_t k = 0; k < 5; ++k) {
      const int64_t old_bits = r.masks[k].value_or(0);
      const int64_t new_bits = (old_bits & ~int64_t{clear}) | set;
      const bool write = on_record(r.values[k]) && new_bits != old_bits;
      changed = changed || write;
      const std::optional<int64_t> kept = write ? std::optional<int64_t>(new_bits) : r.masks[k];
      mask_values[k] = kept.value_or(0);
      mask_indicators[k] = kept ? 0 : SQL_NULL_DATA;
    }
    if (!changed) continue;
    person = r.person_id;
    st.execute();
    ++run.rows_updated;
  }
  run.update_seconds = since(started);
  run.rows_sliced = static_cast<int64_t>(rows.size());
  if (!rows.empty()) {
    run.first_person = rows.front().person_id;
    run.last_person = rows.back().person_id;
  }
  if (inspect) inspect(run);
  return run;  // rolled back
}

PluginSteps run_plugin_steps(Connection& db, const std::string& options_json, std::ostream* plans) {
  const cpb::RunContext ctx{kEndYear, 0, 0, kUserId, kEffectiveDate};
  const cpb::Options options = cpb::parse_options(options_json);
  cpb::Progress progress(nullptr, nullptr, cpb::kRunSteps);
  StepObserver observer(db, plans);
  PluginSteps steps;
  {
    cpb::Transaction tx(db);
    db.set_observer(&observer);
    try {
      const auto started = Clock::now();
      cpb::run_in_transaction(db, ctx, options, progress);
      steps.seconds = since(started);
    } catch (...) {
      db.set_observer(nullptr);
      throw;
    }
    db.set_observer(nullptr);
  }  // rolled back
  steps.pieces = observer.pieces();
  return steps;
}

std::string middle_cursor(Connection& db, int64_t plan_id, const std::string& plan_rows_options, int64_t filtered_total) {
  const int64_t changed = scalar(db, bench_sql("plan_changes_count", db.engine()), {{"plan_id", Value::of(plan_id)}});
  if (changed == 0) return "";
  Statement st(db);
  st.execute(bench_sql("plan_middle_row", db.engine()), {{"plan_id", Value::of(plan_id)}, {"offset", Value::of(changed / 2)}});
  if (!st.fetch()) return "";
  // The plugin's cursor: changes, the row's kind and id, and its last device (the page starts after the row).
  cpb::PlanRowsCursor cursor{cpb::PlanRowsKind::changes, st.get_int(1).value_or(0), st.get_int(2).value_or(0),
                             static_cast<int64_t>(cpb::kDevices.size() - 1), filtered_total};
  const cpb::PlanRowsFilter filter = plan_rows_options.empty() ? cpb::PlanRowsFilter{} : cpb::parse_options(plan_rows_options).filter;
  return cpb::encode_cursor(cursor, filter);
}

uint64_t contact_state(Connection& db, int64_t first_person, int64_t last_person) {
  return digest(db, bench_sql("contact_state", db.engine()), {{"lo", Value::of(first_person)}, {"hi", Value::of(last_person)}});
}

uint64_t household_state(Connection& db) { return digest(db, bench_sql("household_state", db.engine()), {}); }

void update_statistics(Connection& db) { run_bench_script(db, "statistics"); }

void snapshot_masks(Connection& db) { run_bench_script(db, "snapshot"); }

int64_t changed_cells(Connection& db) {
  return scalar(db, bench_sql("changed_cells", db.engine()), {{"all_reasons", Value::of(int64_t{cpb::kAllReasonBits})}});
}

BatchRows batch_rows(Connection& db, int64_t batch_id) {
  Statement st(db);
  st.execute(bench_sql("batch_rows", db.engine()), {{"batch_id", Value::of(batch_id)}});
  BatchRows rows;
  if (st.fetch()) {
    rows.contacts = st.get_int(1).value_or(0);
    rows.households = st.get_int(2).value_or(0);
  }
  return rows;
}

void install_write_probe(Connection& db) { run_bench_script(db, "write_probe_install"); }
int64_t probe_writes(Connection& db) { return scalar(db, bench_sql("write_probe_count", db.engine())); }
void remove_write_probe(Connection& db) { run_bench_script(db, "write_probe_remove"); }

std::string database_version(Connection& db) {
  Statement st(db);
  if (db.engine().name == "postgresql") {
    st.execute("SHOW server_version");
    return "PostgreSQL " + (st.fetch() ? st.get_text(1).value_or("?") : std::string("?"));
  }
  if (db.engine().name == "mariadb") {
    st.execute("SELECT VERSION()");
    return "MariaDB " + (st.fetch() ? st.get_text(1).value_or("?") : std::string("?"));
  }
  st.execute("SELECT sqlite_version()");
  return "SQLite " + (st.fetch() ? st.get_text(1).value_or("?") : std::string("?"));
}

std::string driver_version(Connection& db) {
  SQLCHAR name[128] = {0}, version[64] = {0};
  SQLSMALLINT length = 0;
  SQLGetInfo(db.handle(), SQL_DRIVER_NAME, name, sizeof name, &length);
  SQLGetInfo(db.handle(), SQL_DRIVER_VER, version, sizeof version, &length);
  return std::string(reinterpret_cast<char*>(name)) + " " + reinterpret_cast<char*>(version);
}

}  // namespace bench
