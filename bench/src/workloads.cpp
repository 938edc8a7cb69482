#include "workloads.hpp"

#include <array>
#include <chrono>
#include <map>
#include <optional>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "bench_sql.hpp"
#include "context.hpp"
#include "plugin_worker.hpp"
#include "sql_catalog.hpp"
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

// The plugin's parameters, as Run's constructor builds them for this batch.
Params plugin_params(bool on) {
  Params p = {{"user_id", Value::of(kUserId)},       {"end_year", Value::of(int64_t{kEndYear})},
              {"school_id", Value::of(int64_t{0})},  {"calendar_id", Value::of(int64_t{0})},
              {"date", Value::date(kEffectiveDate)}, {"filter_id", Value::of(int64_t{0})},
              {"now", Value::timestamp(cpb::now_local())}, {"keep_portal", Value::of(int64_t{0})},
              {"unset_only", Value::of(int64_t{0})}};
  for (const cpb::Device& d : cpb::kDevices) {
    p["set_" + std::string(d.name)] = Value::of(int64_t{on ? kReasonBits : 0});
    p["clear_" + std::string(d.name)] = Value::of(int64_t{on ? 0 : kReasonBits});
  }
  return p;
}

// The SELECT that an INSERT ... SELECT stage statement writes, counted: the
// stage's work without the audit rows.
std::string select_part(const std::string& insert_select) {
  const size_t at = insert_select.find("\nSELECT ");
  if (at == std::string::npos) throw std::logic_error("a stage statement is no longer INSERT ... SELECT");
  return "SELECT COUNT(*) FROM (" + insert_select.substr(at + 1) + ") q";
}

void write_plan(Connection& db, const std::string& name, const std::string& sql, const Params& params, std::ostream& out) {
  out << "-- " << name << "\n";
  Statement st(db);
  if (db.engine().name == "postgresql") {
    st.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params);
    while (st.fetch()) out << st.get_text(1).value_or("") << "\n";
  } else {
    st.execute("EXPLAIN QUERY PLAN " + sql, params);
    std::map<int64_t, int> depth;
    while (st.fetch()) {
      const int64_t id = st.get_int(1).value_or(0);
      const int64_t parent = st.get_int(2).value_or(0);
      depth[id] = parent == 0 ? 0 : depth[parent] + 1;
      out << std::string(2 * static_cast<size_t>(depth[id]), ' ') << st.get_text(4).value_or("") << "\n";
    }
  }
  out << "\n";
}

}  // namespace

std::string batch_options(bool on, bool dry_run) {
  nlohmann::ordered_json preferences = nlohmann::ordered_json::object();
  for (const cpb::Reason& r : cpb::kReasons)
    if (r.bit & kReasonBits) preferences[std::string(r.name)] = on ? "on" : "off";
  nlohmann::ordered_json options{{"mode", "student_messenger_contacts"}, {"preferences", preferences}, {"dry_run", dry_run}};
  if (!on && (kReasonBits & 1)) options["confirm"] = {"emergency_off"};  // Emergency Off needs saying twice (CONTRACT 9.2)
  return options.dump();
}

FloorRun run_floor(Connection& db, bool on, const std::function<void()>& before, const std::function<void()>& inspect) {
  const Params params = batch_params(on);
  const Query contacts = Query::parse(bench_sql("floor_contacts", db.engine()));
  const Query households = Query::parse(bench_sql("floor_households", db.engine()));
  FloorRun run;
  cpb::Transaction tx(db);
  if (before) before();
  const auto started = Clock::now();
  run.contact_rows = db.execute(contacts, params);
  run.household_rows = db.execute(households, params);
  run.seconds = since(started);
  if (inspect) inspect();
  return run;  // rolled back
}

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

std::vector<Piece> run_plugin_pieces(Connection& db, bool on, std::ostream* plans) {
  using cpb::sql_text;
  const cpb::odbc::Engine& engine = db.engine();
  Params params = plugin_params(on);
  std::vector<Piece> pieces;
  auto timed = [&](const std::string& name, const std::function<int64_t()>& work) {
    const auto started = Clock::now();
    const int64_t rows = work();
    pieces.push_back({name, since(started), rows});
  };
  // One statement: its plan when asked (on PostgreSQL the EXPLAIN ANALYZE is the run), else just run.
  auto statement = [&](const std::string& name, const std::string& sql) {
    if (plans && engine.name == "postgresql") {
      timed(name, [&] {
        write_plan(db, name, sql, params, *plans);
        return int64_t{-1};
      });
      return;
    }
    if (plans) write_plan(db, name, sql, params, *plans);
    timed(name, [&] { return db.execute(sql, params); });
  };
  auto query = [&](const std::string& name, const std::string& sql) {
    if (plans) write_plan(db, name, sql, params, *plans);
    timed(name, [&] {
      Statement st(db);
      st.execute(sql, params);
      int64_t rows = 0;
      while (st.fetch()) ++rows;
      return rows;
    });
  };
  auto script_if_exists = [&](const std::string& name, const std::string& file) {
    if (cpb::sql_exists(file, engine)) timed(name, [&] {
        db.execute_script(sql_text(file, engine));
        return int64_t{-1};
      });
  };

  cpb::Transaction tx(db);
  timed("temp tables", [&] {
    db.execute_script(sql_text("plugin/temp_tables", engine));
    return int64_t{-1};
  });
  statement("targets (targets_student_messenger_contacts)", sql_text("plugin/targets_student_messenger_contacts", engine));
  script_if_exists("analyze targets", "plugin/analyze_targets");
  statement("households (target_households)", sql_text("plugin/target_households", engine));
  script_if_exists("analyze households", "plugin/analyze_households");
  query("count contacts (count_contacts)", sql_text("plugin/count_contacts", engine));
  query("count households (count_households)", sql_text("plugin/count_households", engine));
  params["batch_id"] = Value::of(scalar(db, cpb::sql_query("plugin/next_batch_id", engine).sql));
  const std::string stage_contacts = sql_text("plugin/stage_contact_changes", engine);
  const std::string stage_households = sql_text("plugin/stage_household_changes", engine);
  query("stage contacts, SELECT alone", select_part(stage_contacts));
  statement("stage contacts (stage_contact_changes)", stage_contacts);
  statement("write contacts (write_contact_changes)", sql_text("plugin/write_contact_changes", engine));
  query("stage households, SELECT alone", select_part(stage_households));
  statement("stage households (stage_household_changes)", stage_households);
  statement("write households (write_household_changes)", sql_text("plugin/write_household_changes", engine));
  return pieces;  // rolled back
}

uint64_t contact_state(Connection& db, int64_t first_person, int64_t last_person) {
  return digest(db, bench_sql("contact_state", db.engine()), {{"lo", Value::of(first_person)}, {"hi", Value::of(last_person)}});
}

uint64_t household_state(Connection& db) { return digest(db, bench_sql("household_state", db.engine()), {}); }

void snapshot_masks(Connection& db) { run_bench_script(db, "snapshot"); }

int64_t changed_cells(Connection& db) { return scalar(db, bench_sql("changed_cells", db.engine())); }

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
