// Where each asked cell of a run ends up (CONTRACT 4.4-4.7, 9.4): the one
// definition of a cell's fate, applied to the counts of a stage and to the
// skipped rows of a plan.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "options.hpp"
#include "vocabulary.hpp"

namespace cpb {

// The fate of a cell of reason `bit` on a row whose device is in `state` and
// which may receive `allowed_bits`. Fate::updated stands for "writable": the
// masks then tell updated from unchanged.
Fate cell_fate(CellState state, int allowed_bits, int bit);

// The asked cells of one device on one row that are skipped, grouped by fate:
// {fate, reason bits}. Empty when every asked cell is writable.
std::vector<std::pair<Fate, int>> skipped_cells(int asked_bits, CellState state, int allowed_bits);

// The reasons whose bit is set in a mask, by JSON name (NULL reads as none).
nlohmann::ordered_json reason_names(int bits);

const char* fate_name(Fate f);  // its JSON name (kFates)

struct CellCounts {
  int64_t updated = 0;
  int64_t unchanged = 0;
};

// One group of a stage's cells: the rows of one device that share a state,
// the reasons they may receive and the mask before and after (the columns of
// sql/plugin/count_group.sql).
struct CellGroup {
  size_t device = 0;  // index in kDevices
  CellState state = CellState::no_device;
  int allowed_bits = 0;
  std::optional<int64_t> old_mask;
  std::optional<int64_t> new_mask;
  int64_t rows = 0;
};

struct Tally {
  std::array<std::array<CellCounts, kReasons.size()>, kDevices.size()> cells{};  // [device][reason]
  int64_t no_device = 0;
  int64_t not_staff = 0;
  int64_t protected_cells = 0;
  int64_t persons = 0;
  int64_t households = 0;

  // Adds every asked cell of a group, and its rows to persons (the groups of
  // the first contact device cover every staged person once) or households
  // (those whose phone is on record, when the phone is asked).
  void add_group(const Options& o, const CellGroup& g);
  int64_t updated_on(size_t device) const;
  int64_t updated() const;
  int64_t unchanged() const;
  // The apply result of CONTRACT section 6, without batch_id and dry_run.
  nlohmann::ordered_json counts_json(const Options& o) const;
  // Takes these cells out of a result's counts (those of counts_json): the
  // cells of rows a chunked batch left alone (CONTRACT 12.2).
  void remove_from(nlohmann::ordered_json& result) const;
};

}  // namespace cpb
