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
};

std::string year_label(int32_t end_year);  // 2027 -> "2026-27"
std::string thousands(int64_t n);          // 2706 -> "2,706"

enum class Tense { planned, applied };
std::string summary_sentence(const Options& o, const RunContext& ctx, const Selection& s, const Tally& t, Tense tense);

// What the warnings of a run are computed from.
struct WarningCounts {
  int64_t no_emergency_channel = 0;  // targets left without an emergency channel
  int64_t reaches_non_targets = 0;   // people reached through a household phone who are not targets
  bool empty_selection = false;
};
nlohmann::ordered_json warnings_json(const WarningCounts& w);

}  // namespace cpb
