// The options JSON of a run: parsed strictly, every refusal naming its path.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "vocabulary.hpp"

namespace cpb {

// Action and Overwrite are in vocabulary.hpp, with their names.
enum class PlanRowsKind { changes, skipped };

// plan_rows' filters (CONTRACT 12.3), all optional, ANDed.
struct PlanRowsFilter {
  std::optional<std::string> search;  // trimmed, not empty
  std::optional<size_t> device;       // index in kDevices
  const RowWarning* warning = nullptr;  // in kRowWarnings
  bool any() const { return search || device || warning; }
};
const char* overwrite_name(Overwrite o);
const char* action_name(Action a);

// What one device is asked to do: bits to turn on and bits to turn off.
struct DeviceChange {
  int set = 0;
  int clear = 0;
  int touched() const { return set | clear; }
};

// The one guardrail confirmation the options know (CONTRACT 9.2).
inline constexpr std::string_view kConfirmEmergencyOff = "emergency_off";

struct Options {
  Action action = Action::apply;
  // apply, dry run, plan (from the options; an apply of a plan takes them from the plan)
  Mode mode = Mode::student_messenger_contacts;
  int64_t ad_hoc_filter_id = 0;  // 0: none
  std::array<DeviceChange, kDevices.size()> devices{};  // indexed like kDevices
  Overwrite overwrite = Overwrite::all;
  bool dry_run = false;
  std::vector<std::string> confirm;                // e.g. "emergency_off"
  // apply, dry run, plan, apply of a plan: sorted, without duplicates
  std::vector<int64_t> exclude_person_ids;
  std::vector<int64_t> exclude_household_ids;
  // apply of a plan (action apply), plan_rows
  int64_t plan_id = 0;  // 0: none
  // apply (direct or of a plan): 0 means one transaction; else >= 1000 host rows per chunk (CONTRACT 11)
  int64_t chunk_rows = 0;
  // undo, resume
  int64_t batch_id = 0;
  // plan_rows
  PlanRowsKind rows_kind = PlanRowsKind::changes;
  std::optional<std::string> after;  // opaque cursor; nullopt: first page
  int64_t limit = 100;               // 1..1000
  PlanRowsFilter filter;
  // The options as understood, for the batch and plan records.
  std::string canonical_json;

  bool touches(size_t device) const { return devices[device].touched() != 0; }
  bool applies_plan() const { return action == Action::apply && plan_id != 0; }
  // A run that writes nothing: a page of a plan (plan_rows).
  bool only_reads() const { return action == Action::plan_rows; }
  bool confirmed(std::string_view what) const {
    for (const std::string& c : confirm)
      if (c == what) return true;
    return false;
  }
};

// The largest options document accepted, in bytes; larger ones are refused
// with invalid_options before parsing. 4 MiB holds 100,000 excluded ids of
// any width, pretty-printed (about 26 bytes each at worst), with room to spare;
// parsing is linear, so a document of this size takes tens of milliseconds.
inline constexpr size_t kMaxOptionsBytes = size_t{4} << 20;
// chunk_rows: the fewest host rows per chunk (CONTRACT 11).
inline constexpr int64_t kMinChunkRows = 1000;
// plan_rows: rows per page at most, and the longest cursor accepted.
inline constexpr int64_t kMaxPlanRowsLimit = 1000;
inline constexpr size_t kMaxCursorBytes = 200;
// plan_rows: the longest search text, in characters (a name, or a part of one).
inline constexpr size_t kMaxSearchChars = 100;

// Parses and validates options_json. Throws PluginError (invalid_options) with
// the JSON Pointer of the offending element.
Options parse_options(std::string_view options_json);
// The options an apply of plan runs with: the plan's own (plan_options, as the
// plan recorded them), this apply's exclusions and chunk size; its
// canonical_json records both.
Options plan_apply_options(const std::string& plan_options, const Options& apply);
// The options a recorded batch ran with (cpb_batch.options), for the chunks
// written after its first transaction and for a resume.
Options recorded_batch_options(const std::string& batch_options);

}  // namespace cpb
