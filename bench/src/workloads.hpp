// What the benchmark runs besides the plugin, on a connection of its own: the
// set-based floor, the row-by-row baseline, the plugin's SQL statement by
// statement, and the reads that check one state against another. Everything
// that writes does so in a transaction that is rolled back.
#pragma once

#include <cstdint>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "odbc.hpp"

namespace bench {

// The benchmark's batch: every reason but staff, On or Off on every device,
// for the Messenger contacts of every student enrolled in the year.
inline constexpr int kReasonBits = 191;
std::string batch_options(bool on, bool dry_run);

struct FloorRun {
  double seconds = 0;  // the two updates, without the rollback
  int64_t contact_rows = 0;
  int64_t household_rows = 0;
};
// `before` runs in the transaction before the updates, `inspect` after them;
// neither is timed.
FloorRun run_floor(cpb::odbc::Connection& db, bool on, const std::function<void()>& before = {},
                   const std::function<void()>& inspect = {});

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

// The plugin's statements for this batch (sql/plugin, as Run::apply issues
// them), each timed, in a transaction rolled back. With `plans`, each
// statement's plan is written there (PostgreSQL: EXPLAIN ANALYZE, which runs it).
struct Piece {
  std::string name;
  double seconds = 0;
  int64_t rows = -1;
};
std::vector<Piece> run_plugin_pieces(cpb::odbc::Connection& db, bool on, std::ostream* plans = nullptr);

// Digests of what a batch may write and must keep, to compare two states.
uint64_t contact_state(cpb::odbc::Connection& db, int64_t first_person = 0, int64_t last_person = INT64_MAX);
uint64_t household_state(cpb::odbc::Connection& db);

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
