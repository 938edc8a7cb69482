// One run of the tool inside its transaction: a direct apply or dry run, a
// plan, an apply of a plan, a page of a plan's rows, an undo or a resume
// (each in a file of its own, see batch.hpp), and the chunks of a chunked batch.
#pragma once

#include "context.hpp"
#include "odbc.hpp"
#include "options.hpp"
#include "outcome.hpp"

namespace cpb {

inline constexpr int64_t kRunSteps = 5;  // validate, targets, count, write, commit

RunOutcome run_in_transaction(odbc::Connection& db, const RunContext& ctx, const Options& o, Progress& progress);

// One chunk of a chunked batch, in the caller's transaction (CONTRACT 11).
struct ChunkProgress {
  bool more = false;     // chunks are left to write
  int64_t written = 0;   // host rows written so far
  int64_t recorded = 0;  // host rows to write in all
};
ChunkProgress write_chunk(odbc::Connection& db, const RunContext& ctx, const Options& o, int64_t batch_id);
// Marks a chunked batch applied and gives its result.
RunOutcome finish_chunked(odbc::Connection& db, const RunContext& ctx, const Options& o, int64_t batch_id);

}  // namespace cpb
