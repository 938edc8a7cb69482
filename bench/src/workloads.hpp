// What the benchmark runs besides the plugin, on a connection of its own: the
// set-based floor, the row-by-row baseline, the plugin's SQL statement by
// statement, and the reads that check one state against another. Everything
// that writes does so in a transaction that is rolled back.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "odbc.hpp"
#include "vocabulary.hpp"

namespace bench {

// The benchmark's batch: every reason but staff, On or Off on every device,
// for the Messenger contacts of every student enrolled in the year.
inline constexpr int kReasonBits = cpb::kReasonBitsNoStaff;
// The batch's options, with `extra` fields added (e.g. "action": "plan", "chunk_rows").
std::string batch_options(bool on, bool dry_run, const nlohmann::ordered_json& extra = nlohmann::ordered_json::object());

struct FloorRun {
  double seconds = 0;  // the two updates, without the rollback
  int64_t contact_rows = 0;
  int64_t household_rows = 0;
};
// `before` runs in the transaction before the updates, `inspect` after them;
// neither is timed.
FloorRun run_floor(cpb::odbc::Connection& db, bool on, const std::function<void()>& before = {},
                   const std::function<void()>& inspect = {});

// The audited floor: what an audited apply cannot leave out, as fast as
// hand-written SQL does it (bench/sql/audited_*.sql): the targets resolved once
// into keyed tables; every asked cell counted in one pass per host table; each
// changed row recorded, masks and stamp before and after, in the plugin's own
// change tables under a batch of its own, with its cpb_batch row; the host rows
// written from that record. `inspect` runs after it, before the rollback, untimed.
struct AuditedFloorRun {
  double seconds = 0;  // all of it, without the rollback
  double resolve_seconds = 0, count_seconds = 0, record_seconds = 0, write_seconds = 0;
  int64_t batch_id = 0;
  int64_t contact_rows = 0, household_rows = 0;  // recorded (and written)
  int64_t contacts_written = 0, households_written = 0;
  // The counts an apply's result gives (CONTRACT 6): persons, households,
  // updated, unchanged, by_reason, by_device, skipped.
  nlohmann::ordered_json counts;
};
AuditedFloorRun run_audited_floor(cpb::odbc::Connection& db, bool on, const std::function<void(const AuditedFloorRun&)>& inspect = {});
// The fields of a result JSON that AuditedFloorRun::counts holds, in its order.
nlohmann::ordered_json result_counts(const nlohmann::ordered_json& result);

// A digest of a batch's change records (both tables, every column but the
// batch id and the stamp's time), to compare two batches' records.
uint64_t change_record(cpb::odbc::Connection& db, int64_t batch_id);

// The bytes the plugin's plan tables (cpb_plan*) take in the database, by
// table (bench/sql/*/plan_storage.sql), and the rows of one plan in cpb_plan_row.
std::map<std::string, int64_t> plan_storage(cpb::odbc::Connection& db);
int64_t plan_rows(cpb::odbc::Connection& db, int64_t plan_id);

struct BaselineRun {
  double read_seconds = 0;    // reading every target contact row
  double update_seconds = 0;  // updating the slice row by row
  int64_t rows_read = 0;
  int64_t rows_sliced = 0;
  int64_t rows_updated = 0;
  int64_t first_person = 0, last_person = 0;  // the slice's span of person ids
};
// Reads every target contact row, then executes one prepared UPDATE per
// changed row of the first `slice`; `inspect` runs before the rollback, untimed.
BaselineRun run_baseline(cpb::odbc::Connection& db, bool on, int64_t slice,
                         const std::function<void(const BaselineRun&)>& inspect = {});

// The plugin's own run of `options_json` (cpb::run_in_transaction, the code
// sis_plugin_run drives, steps and SQL included) on a connection of the
// benchmark's, in a transaction rolled back. Every statement it issues is timed
// through the ODBC layer's observer and named after its sql/plugin file; with
// `plans`, each statement's plan is written there first (PostgreSQL: EXPLAIN
// (ANALYZE, BUFFERS), MariaDB: ANALYZE FORMAT=JSON, each inside a savepoint
// rolled back; SQLite: EXPLAIN QUERY PLAN).
// Also the wall time of the whole run (without the rollback), so that what
// passes between the statements (C++, the driver's fetches) is its difference
// from the statements' sum.
struct Piece {
  std::string name;  // the sql/plugin file, or "(built in C++)"
  double seconds = 0;  // summed over the statements of that name
  int statements = 0;
};
struct PluginSteps {
  std::vector<Piece> pieces;  // in the order the run first issued each
  double seconds = 0;         // cpb::run_in_transaction, start to end
};
PluginSteps run_plugin_steps(cpb::odbc::Connection& db, const std::string& options_json, std::ostream* plans = nullptr);

// A plan's row at the middle of its changes, in the review's order, as a
// plan_rows cursor that starts the page after it ("" when the plan has none).
// With the filters of a plan_rows options JSON (and the total of their first
// page), the cursor of a filtered page starting there.
std::string middle_cursor(cpb::odbc::Connection& db, int64_t plan_id, const std::string& plan_rows_options = "",
                          int64_t filtered_total = 0);

// Digests of what a batch may write and must keep, to compare two states.
uint64_t contact_state(cpb::odbc::Connection& db, int64_t first_person = 0, int64_t last_person = INT64_MAX);
uint64_t household_state(cpb::odbc::Connection& db);

// After seeding, the statistics the engine would have (bench/sql/*/statistics.sql).
void update_statistics(cpb::odbc::Connection& db);

// Snapshot the masks (inside a transaction), then count the cells whose bit changed since.
void snapshot_masks(cpb::odbc::Connection& db);
int64_t changed_cells(cpb::odbc::Connection& db);

struct BatchRows {
  int64_t contacts = 0, households = 0;
};
BatchRows batch_rows(cpb::odbc::Connection& db, int64_t batch_id);

// A trigger on contact and household that counts every row written while installed.
void install_write_probe(cpb::odbc::Connection& db);
int64_t probe_writes(cpb::odbc::Connection& db);
void remove_write_probe(cpb::odbc::Connection& db);

// "SQLite 3.40.1", "PostgreSQL 15.x ..." and the ODBC driver's name and version.
std::string database_version(cpb::odbc::Connection& db);
std::string driver_version(cpb::odbc::Connection& db);

}  // namespace bench
