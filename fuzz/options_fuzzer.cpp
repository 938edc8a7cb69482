// Fuzzes what a host sends before any database is asked: the options JSON
// (cpb::parse_options) and the toolbar context (cpb::read_context).
//
// Input: a first line "END_YEAR SCHOOL CALENDAR USER DATE" (fields optional;
// DATE "-" means NULL), then the options bytes. Seeds are in fuzz/corpus/.
//
// Beyond not crashing, every outcome is checked:
// - a refusal is a PluginError of status SIS_E_INVALID_OPTIONS whose code is
//   invalid_options (or invalid_context) and whose path is empty or a pointer;
// - accepted options hold what their action needs (a batch at least one
//   change and, for Emergency Off, the confirmation; ids positive, sorted and
//   unique; chunk_rows at least the minimum), and their canonical JSON parses
//   back to the same options.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <string>
#include <string_view>

#include "context.hpp"
#include "errors.hpp"
#include "options.hpp"

namespace {

[[noreturn]] void fail(const std::string& what) {
  std::fprintf(stderr, "invariant broken: %s\n", what.c_str());
  std::abort();
}

void check_refusal(const cpb::PluginError& e, const char* expected_code) {
  if (e.status() != SIS_E_INVALID_OPTIONS) fail("status " + std::to_string(e.status()) + " for " + e.what());
  if (e.code() != expected_code) fail("code " + e.code() + " for " + e.what());
  if (!e.path().empty() && e.path()[0] != '/') fail("path " + e.path());
  if (std::strlen(e.what()) == 0) fail("empty message");
}

void fuzz_context(std::string_view header) {
  std::istringstream fields{std::string(header)};
  long long year = 2027, school = 0, calendar = 0, user = 1;
  std::string date = "2026-10-01";
  fields >> year >> school >> calendar >> user >> date;
  sis_toolbar_context ctx{};
  ctx.struct_size = sizeof ctx;
  ctx.end_year = static_cast<int32_t>(year);
  ctx.school_id = school;
  ctx.calendar_id = calendar;
  ctx.user_id = user;
  ctx.effective_date = date == "-" ? nullptr : date.c_str();
  try {
    const cpb::RunContext rc = cpb::read_context(ctx);
    if (!cpb::is_iso_date(rc.date)) fail("accepted date " + rc.date);
  } catch (const cpb::PluginError& e) {
    check_refusal(e, "invalid_context");
  }
}

void fuzz_options(std::string_view text) {
  cpb::Options o;
  try {
    o = cpb::parse_options(text);
  } catch (const cpb::PluginError& e) {
    check_refusal(e, "invalid_options");
    return;
  }
  switch (o.action) {
    case cpb::Action::apply:
    case cpb::Action::plan: {
      if (o.applies_plan()) {
        if (o.plan_id <= 0) fail("accepted the apply of plan " + std::to_string(o.plan_id));
        break;
      }
      bool any = false;
      bool emergency_off = false;
      for (const cpb::DeviceChange& d : o.devices) {
        any = any || d.touched() != 0;
        emergency_off = emergency_off || (d.clear & 1) != 0;
        if (d.set & d.clear) fail("a cell both on and off");
      }
      if (!any) fail("accepted options that change nothing");
      if (emergency_off && !o.confirmed(cpb::kConfirmEmergencyOff)) fail("accepted Emergency Off without the confirmation");
      if (o.action == cpb::Action::plan && (o.dry_run || o.chunk_rows)) fail("accepted a plan with dry_run or chunk_rows");
      break;
    }
    case cpb::Action::plan_rows:
      if (o.plan_id <= 0 || o.limit < 1 || o.limit > cpb::kMaxPlanRowsLimit) fail("accepted plan_rows " + o.canonical_json);
      break;
    case cpb::Action::undo:
    case cpb::Action::resume:
      if (o.batch_id <= 0) fail("accepted an undo or resume of batch " + std::to_string(o.batch_id));
      break;
  }
  if (o.chunk_rows != 0 && (o.chunk_rows < cpb::kMinChunkRows || o.dry_run)) fail("accepted chunk_rows " + std::to_string(o.chunk_rows));
  for (const auto* ids : {&o.exclude_person_ids, &o.exclude_household_ids})
    for (size_t i = 0; i < ids->size(); ++i)
      if ((*ids)[i] <= 0 || (i > 0 && (*ids)[i] <= (*ids)[i - 1])) fail("exclusions not positive, sorted and unique: " + o.canonical_json);
  cpb::Options again;
  try {
    again = cpb::parse_options(o.canonical_json);
  } catch (const cpb::PluginError& e) {
    fail("canonical options refused: " + o.canonical_json + ": " + e.what());
  }
  if (again.canonical_json != o.canonical_json) fail("canonical options differ: " + o.canonical_json + " / " + again.canonical_json);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const size_t newline = input.find('\n');
  if (newline == std::string_view::npos) {
    fuzz_options(input);
    return 0;
  }
  fuzz_context(input.substr(0, newline));
  fuzz_options(input.substr(newline + 1));
  return 0;
}
