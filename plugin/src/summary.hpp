// The plain-English sentence and the warnings of a result (CONTRACT 9.2).
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "context.hpp"
#include "options.hpp"
#include "tally.hpp"

namespace cpb {

// The names of what the toolbar and the options selected; empty: all.
struct Selection {
  std::string school;
  std::string calendar;
  std::string filter;
  // The people and households the exclusions really left out (ids that
  // select nobody are not counted; an apply of a plan adds the plan's; CONTRACT 12.2).
  int64_t left_out_persons = 0;
  int64_t left_out_households = 0;
};

std::string year_label(int32_t end_year);  // 2027 -> "2026-27"
std::string thousands(int64_t n);          // 2706 -> "2,706"

enum class Tense { planned, applied };
std::string summary_sentence(const Options& o, const RunContext& ctx, const Selection& s, const Tally& t, Tense tense);
// A sentence of summary_sentence with its numbers given again (a chunked batch
// whose chunks left rows alone).
std::string renumbered_summary(const std::string& sentence, const Options& o, int64_t updated, int64_t persons, int64_t households,
                               Tense tense);

// What the warnings of a run are computed from.
struct WarningCounts {
  int64_t no_emergency_channel = 0;  // targets left without an emergency channel
  int64_t reaches_non_targets = 0;   // people reached through a household phone who are not targets
  bool empty_selection = false;
};
nlohmann::ordered_json warnings_json(const WarningCounts& w);

}  // namespace cpb
