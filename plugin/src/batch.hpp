// What every action of a run shares: the connection and the run's inputs, the
// checks of the user and of the toolbar's selection, the targets and their
// stage, the count of a stage by the one definition of a cell's fate
// (tally.hpp), the record of a batch and its write-back, and the result.
// Each action lives in a file of its own: apply.cpp (direct apply, dry run,
// chunks, resume), plan.cpp, plan_rows.cpp, apply_plan.cpp, undo.cpp.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "context.hpp"
#include "odbc.hpp"
#include "options.hpp"
#include "outcome.hpp"
#include "sql_catalog.hpp"
#include "summary.hpp"
#include "tally.hpp"

namespace cpb {

inline constexpr int64_t kNoKey = INT64_MIN;  // before every host row key

// A host table's recorded rows, written back in key order a slice (or a chunk) at a time.
struct RecordedTable {
  const char* name;
  const char* slice_end;  // the last key of the next slice: :after_key, :chunk_rows
  const char* write;      // the recorded rows with keys in (:after_key, :last_key]
};
inline constexpr RecordedTable kContactRecord{"contact", "plugin/chunk_end_contact", "plugin/write_contact_changes"};
inline constexpr RecordedTable kHouseholdRecord{"household", "plugin/chunk_end_household", "plugin/write_household_changes"};

// The parameters every statement of a run may name, from the context and the options.
odbc::Params run_params(const RunContext& ctx, const Options& o);
odbc::Params with(odbc::Params p, std::initializer_list<std::pair<const std::string, odbc::Value>> extra);
// "user 4 (Jane Doe)"; without a name "user 4".
std::string named(const std::string& what, int64_t id, const std::optional<std::string>& name);

// How far a chunked batch is written (cpb_batch_chunk).
struct ChunkState {
  int64_t chunk_rows = 0, contact_after = kNoKey, household_after = kNoKey, chunks = 0, written = 0, conflicts = 0, recorded = 0;
};

class Batch {
 public:
  Batch(odbc::Connection& db, const RunContext& ctx, const Options& o, Progress& progress);

  odbc::Query sql(std::string_view name) const { return sql_query(name, db.engine()); }
  int64_t exec(std::string_view name, const odbc::Params& p) { return db.execute(sql(name), p); }
  int64_t exec(std::string_view name) { return exec(name, params); }
  void script(std::string_view name) { script(name, params); }
  void script(std::string_view name, const odbc::Params& p) { db.execute_script(sql_text(name, db.engine()), p); }
  void script_if_exists(std::string_view name) {
    if (sql_exists(name, db.engine())) script(name);
  }
  int64_t scalar(std::string_view name, const odbc::Params& p);
  int64_t scalar(std::string_view name) { return scalar(name, params); }
  // The first column of the first row; none for no row or NULL.
  std::optional<int64_t> optional_scalar(std::string_view name, const odbc::Params& p);
  // The first row, its columns by name; none for no row.
  std::optional<odbc::Row> first_row(std::string_view name, const odbc::Params& p);
  // The one row of an aggregate query (a query that gives none is a defect).
  odbc::Row row_of(std::string_view name, const odbc::Params& p);
  // Takes other options (an apply of a plan takes the plan's), and their parameters.
  void use_options(Options o);

  struct User {
    std::string name;
    bool admin = false;
  };
  User check_user();
  Selection check_selection();

  // The records of a plan and of a batch, as find_plan.sql and find_batch.sql read them.
  struct PlanRecord {
    std::string status;  // planned, applied, expired
    int64_t user_id = 0, end_year = 0, school_id = 0, calendar_id = 0;
    std::string date, options, expires_at;
    int64_t left_out_persons = 0, left_out_households = 0;  // as the plan counted them
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
  // `missing` completes "batch N does not exist" for the action at hand.
  BatchRecord find_batch(int64_t batch_id, const std::string& missing);
  // Refuses (forbidden) batch_id, run by another user than the context's,
  // unless `user` holds the admin right; `doing` names the action for the
  // message ("resuming", "undoing").
  void check_batch_owner(int64_t batch_id, const BatchRecord& batch, const User& user, std::string_view doing) const;

  // A chunked batch's progress; none for a batch that is not chunked.
  std::optional<ChunkState> chunk_state(int64_t batch_id);

  // The working tables, the left-out ids in theirs.
  void create_working_tables();
  // Targets, their households and the stages of their rows (CONTRACT 4.1-4.5);
  // counts into s who the exclusions really left out.
  void stage_targets(Selection& s);
  // The stage's cells in groups (count_group.sql), each given its fate by Tally.
  Tally count();
  // Cells in groups of (device, cell state, allowed bits, mask before, mask
  // after, rows), as count_group.sql and conflict_group.sql give them.
  Tally count_groups(std::initializer_list<const char*> queries, const odbc::Params& p);
  WarningCounts warnings(const Tally& t);
  nlohmann::ordered_json result(std::optional<int64_t> batch_id, const Tally& t, const Selection& s, const WarningCounts& w,
                                Tense tense) const;
  // Counts the stage and, unless this is a dry run or a plan, records and writes it.
  RunOutcome write_staged(const Selection& s, std::optional<int64_t> plan_id, std::optional<int64_t>* batch_id_out = nullptr);
  void record_batch(int64_t batch_id, const std::string& action, const std::string& result, const Tally* t, int64_t updated,
                    int64_t unchanged, std::optional<int64_t> undone_batch_id, const char* status = "applied");
  // Writes one table's recorded rows of p's batch back in key order, in slices
  // with a progress report after each; returns the rows written (-1: the driver did not say).
  int64_t write_recorded(const RecordedTable& table, const odbc::Params& p, int64_t done, int64_t total);

  odbc::Connection& db;
  const RunContext& ctx;
  Options o;
  Progress& progress;
  odbc::Params params;
  const std::string started_at = now_local();

 private:
  void record_and_write(int64_t batch_id, const Tally& t, bool write);
};

// The actions, one file each.
RunOutcome apply(Batch& b);       // apply.cpp: a direct apply or a dry run
RunOutcome resume(Batch& b);      // apply.cpp
RunOutcome plan(Batch& b);        // plan.cpp
RunOutcome plan_rows(Batch& b);   // plan_rows.cpp
RunOutcome apply_plan(Batch& b);  // apply_plan.cpp
RunOutcome undo(Batch& b);        // undo.cpp

}  // namespace cpb
