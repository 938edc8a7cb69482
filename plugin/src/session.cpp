#include "session.hpp"

#include "errors.hpp"
#include "run.hpp"
#include "sql_catalog.hpp"
#include "transaction.hpp"

namespace cpb {

void Progress::step(const char* phase) {
  if (fn_ && fn_(user_, phase, done_, total_) != 0) throw cancelled();
  ++done_;
}

Session::Session(odbc::Connection connection) : connection_(std::move(connection)) {
  // The plugin's own tables, created when missing; each statement commits on its own.
  const bool autocommit = connection_.autocommit();
  if (!autocommit) connection_.set_autocommit(true);
  try {
    // Handles opened at once race on CREATE TABLE IF NOT EXISTS (PostgreSQL:
    // 23505, 42P07, 42710: already exists); the loser finds the table there
    // on the next try, so one retry per table is enough.
    for (int attempt = 0;; ++attempt) {
      try {
        connection_.execute_script(sql_text("plugin/own_tables", connection_.dialect()));
        break;
      } catch (const odbc::Error& e) {
        const std::string& state = e.sqlstate();
        if (attempt >= 3 || (state != "23505" && state != "42P07" && state != "42710")) throw;
      }
    }
  } catch (...) {
    if (!autocommit) connection_.set_autocommit(false);
    throw;
  }
  if (!autocommit) connection_.set_autocommit(false);
}

RunOutcome Session::run(const RunContext& context, const Options& options, sis_progress_fn progress_fn, void* progress_user) {
  Progress progress(progress_fn, progress_user, kRunSteps);
  Transaction tx(connection_);
  RunOutcome outcome = run_in_transaction(connection_, context, options, progress);
  progress.step("commit");
  tx.commit();
  return outcome;
}

}  // namespace cpb
