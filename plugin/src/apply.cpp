// A direct apply or dry run, the chunks of a chunked batch, and a resume (CONTRACT 4, 11).
#include "batch.hpp"

#include <algorithm>

#include "errors.hpp"
#include "run.hpp"

namespace cpb {

using json = nlohmann::ordered_json;
using odbc::Params;
using odbc::Value;

namespace {

// The batch's own options, as recorded: a chunk's decision is the batch's
// (its overwrite policy above all), whoever resumes it.
struct RecordedBatch {
  Options options;
  nlohmann::ordered_json result;
};
RecordedBatch recorded_batch(Batch& b, int64_t batch_id) {
  odbc::Statement st(b.db);
  st.execute(b.sql("plugin/batch_result"), with(b.params, {{"batch_id", Value::of(batch_id)}}));
  if (!st.fetch()) throw std::logic_error("batch " + std::to_string(batch_id) + " is not recorded");
  const odbc::Row row = st.row();
  RecordedBatch r{recorded_batch_options(row.text_or("options", "{}")), json::parse(row.text_or("result", "{}"))};
  st.close_cursor();
  return r;
}

// Writes the next chunk: up to chunk_rows recorded rows of one host table, in
// key order. The chunk's records whose host row no longer holds what the
// batch's decision read are left alone first: out of the record and out of
// every count but conflicts (CONTRACT 11, 12.1, 12.2).
ChunkProgress next_chunk(Batch& b, int64_t batch_id) {
  const std::optional<ChunkState> state = b.chunk_state(batch_id);
  if (!state) throw std::logic_error("batch " + std::to_string(batch_id) + " has no chunk record");
  RecordedBatch batch = recorded_batch(b, batch_id);
  b.use_options(batch.options);
  struct Table {
    const RecordedTable& record;
    const char* find_conflicts;
    const char* count_conflicts;
    const char* drop_conflicts;
    int64_t after;
  };
  const Table tables[] = {
      {kContactRecord, "plugin/find_contact_chunk_conflicts", "plugin/count_contact_conflicts", "plugin/drop_contact_chunk_conflicts",
       state->contact_after},
      {kHouseholdRecord, "plugin/find_household_chunk_conflicts", "plugin/count_household_conflicts",
       "plugin/drop_household_chunk_conflicts", state->household_after},
  };
  ChunkState next = *state;
  int64_t written = 0, conflicts = 0;
  bool wrote = false;
  for (size_t i = 0; i < 2 && !wrote; ++i) {
    Params p = with(b.params, {{"batch_id", Value::of(batch_id)},
                               {"after_key", Value::of(tables[i].after)},
                               {"chunk_rows", Value::of(state->chunk_rows)}});
    const std::optional<int64_t> last = b.optional_scalar(tables[i].record.slice_end, p);
    if (!last) continue;  // this table is written whole
    p["last_key"] = Value::of(*last);
    if (b.scalar(tables[i].find_conflicts, p) > 0) {
      const Tally left_alone = b.count_groups({tables[i].count_conflicts}, p);
      conflicts = std::max<int64_t>(b.exec(tables[i].drop_conflicts, p), 0);
      left_alone.remove_from(batch.result);
      batch.result["summary"] =
          renumbered_summary(batch.result.value("summary", ""), batch.options, batch.result.value("updated", int64_t{0}),
                             batch.result.value("persons", int64_t{0}), batch.result.value("households", int64_t{0}), Tense::applied);
      b.exec("plugin/update_batch_counts", with(b.params, {{"batch_id", Value::of(batch_id)},
                                                          {"result", Value::of(batch.result.dump())},
                                                          {"updated", Value::of(batch.result.value("updated", int64_t{0}))},
                                                          {"unchanged", Value::of(batch.result.value("unchanged", int64_t{0}))}}));
    }
    written = std::max<int64_t>(b.exec(tables[i].record.write, p), 0);
    (i == 0 ? next.contact_after : next.household_after) = *last;
    wrote = true;
  }
  if (wrote)
    b.exec("plugin/update_batch_chunk", with(b.params, {{"batch_id", Value::of(batch_id)},
                                                        {"contact_after", Value::of(next.contact_after)},
                                                        {"household_after", Value::of(next.household_after)},
                                                        {"written", Value::of(written)},
                                                        {"conflicts", Value::of(conflicts)}}));
  // A conflict moves a row from the record to the conflicts, so the rows to
  // write (recorded at the chunk's start + conflicts before it) never change.
  return {wrote, state->written + written, state->recorded + state->conflicts};
}

RunOutcome finish(Batch& b, int64_t batch_id) {
  const std::optional<ChunkState> state = b.chunk_state(batch_id);
  if (!state) throw std::logic_error("batch " + std::to_string(batch_id) + " has no chunk record");
  json r = recorded_batch(b, batch_id).result;
  r["chunks"] = state->chunks;
  r["conflicts"] = state->conflicts;
  const std::string text = r.dump();
  b.exec("plugin/finish_chunked_batch", with(b.params, {{"batch_id", Value::of(batch_id)}, {"result", Value::of(text)}}));
  return {text, r.value("updated", int64_t{0}), r.value("unchanged", int64_t{0}), r.value("persons", int64_t{0}),
          r.value("households", int64_t{0}), std::nullopt};
}

}  // namespace

RunOutcome apply(Batch& b) {
  b.progress.step("validate");
  b.check_user();
  Selection s = b.check_selection();
  b.progress.step("targets");
  b.stage_targets(s);
  return b.write_staged(s, std::nullopt);
}

// A resume goes on writing the chunks of a chunked batch left in progress.
RunOutcome resume(Batch& b) {
  b.progress.step("validate");
  const Batch::User user = b.check_user();
  const int64_t batch_id = b.o.batch_id;
  const std::string which = "batch " + std::to_string(batch_id);
  const Batch::BatchRecord batch = b.find_batch(batch_id, "");
  if (batch.status != "in_progress" || !b.chunk_state(batch_id))
    throw not_found(which + " is " + batch.status + ", not a chunked batch in progress; there is nothing to resume", "/batch_id");
  b.check_batch_owner(batch_id, batch, user, "resuming");
  RunOutcome outcome;
  outcome.chunked_batch_id = batch_id;
  return outcome;
}

ChunkProgress write_chunk(odbc::Connection& db, const RunContext& ctx, const Options& o, int64_t batch_id) {
  Progress silent(nullptr, nullptr, 0);
  Batch b(db, ctx, o, silent);
  return next_chunk(b, batch_id);
}

RunOutcome finish_chunked(odbc::Connection& db, const RunContext& ctx, const Options& o, int64_t batch_id) {
  Progress silent(nullptr, nullptr, 0);
  Batch b(db, ctx, o, silent);
  return finish(b, batch_id);
}

}  // namespace cpb
