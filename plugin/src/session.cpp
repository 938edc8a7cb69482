#include "session.hpp"

#include <algorithm>

#include "errors.hpp"
#include "own_tables.hpp"
#include "run.hpp"
#include "sql_catalog.hpp"
#include "transaction.hpp"

namespace cpb {

void Progress::step(const char* phase) {
  if (fn_ && fn_(user_, phase, done_, total_) != 0) throw cancelled();
  ++done_;
}

void Progress::report(const char* phase, int64_t done, int64_t total) {
  if (fn_ && fn_(user_, phase, done, total) != 0) throw cancelled();
}

Session::Session(odbc::Connection connection) : connection_(std::move(connection)) {
  connection_.start_call();
  connection_.retrying_while_locked([&] { create_missing_own_tables(connection_); });
}

RunOutcome Session::run(const RunContext& context, const Options& options, sis_progress_fn progress_fn, void* progress_user) {
  Progress progress(progress_fn, progress_user, kRunSteps);
  connection_.start_call();
  RunOutcome outcome;
  {
    Transaction tx(connection_, options.only_reads() ? Access::read : Access::write);
    outcome = run_in_transaction(connection_, context, options, progress);
    progress.step("commit");
    tx.commit();
  }
  if (outcome.chunked_batch_id) return write_chunks(context, options, *outcome.chunked_batch_id, progress);
  return outcome;
}

// Each chunk its own transaction; between chunks the batch stays in_progress
// and can be resumed (CONTRACT 11).
RunOutcome Session::write_chunks(const RunContext& context, const Options& options, int64_t batch_id, Progress& progress) {
  const std::string resume = "batch " + std::to_string(batch_id) + " is in progress: resume it with {\"action\": \"resume\", \"batch_id\": " +
                             std::to_string(batch_id) + "} or undo it";
  // From here on the batch is recorded: no failure may say that nothing was changed.
  try {
    // Rows to write, as reported: never less than reported before (a chunk's
    // count may count its own conflicts twice; the progress total must not go down).
    int64_t total = 0;
    for (bool more = true; more;) {
      ChunkProgress done;
      {
        Transaction tx(connection_);
        done = write_chunk(connection_, context, options, batch_id);
        tx.commit();
      }
      more = done.more;
      total = std::max(total, done.recorded);
      progress.report("write", done.written, total);
    }
    Transaction tx(connection_);
    RunOutcome outcome = finish_chunked(connection_, context, options, batch_id);
    tx.commit();
    return outcome;
  } catch (const PluginError& e) {
    const std::string what = e.kind() == ErrorCode::cancelled ? "the run was cancelled between chunks" : e.what();
    throw PluginError(e.kind(), what + "; the chunks written so far stay written: " + resume);
  } catch (const odbc::Error& e) {
    const std::string failure = std::string(e.what()) + " (SQLSTATE " + e.sqlstate() + ")";
    if (e.is_conflict())
      throw conflict("another writer holds the rows of the next chunk (" + failure + "); the chunks written so far stay written: " + resume);
    throw database_error("the database refused a chunk (" + failure + "); the chunks written so far stay written: " + resume);
  }
}

}  // namespace cpb
