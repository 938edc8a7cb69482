// One benchmark run on one database: seed, then alternate On and Off batches,
// timing the plugin, the floor, a re-run, a dry run and the row-by-row
// baseline, and checking that each did what it should.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace bench {

struct Settings {
  std::string connection_string;  // the database (seeded, replacing its rows, unless seed is false)
  int64_t students = 300000;
  int repetitions = 5;
  int64_t slice = 5000;  // rows the baseline runs on (in the verification)
  int64_t chunk_rows = 50000;  // the chunked apply's chunk_rows
  int64_t seed_number = 1;
  bool seed = true;
  std::string plugin_path;
  bool explain = false;  // record the plan of each plugin statement (in "plans")
  bool plan_pages = false;  // only a plan and its pages, unfiltered and filtered, once (run_plan_pages)
  bool search_index = false;  // PostgreSQL: the search index of sql/host/postgresql/search_index.sql, made before the plan
  std::string command;   // how this run was asked for, for the report
};

// The filtered review pages timed beside the unfiltered ones (CONTRACT 12.3):
// a first and a middle page of 1,000 of each, sampled as first_page_<key> and
// middle_page_<key>.
struct FilteredPage {
  const char* key;
  const char* label;
};
inline constexpr FilteredPage kFilteredPages[] = {{"search_name", "search by a name fragment"},
                                                  {"search_id", "search by an id"},
                                                  {"device", "device (cell_phone)"},
                                                  {"warning", "warning (reaches_non_targets)"}};

// The actions the benchmark also runs statement by statement (the plugin's own
// code on a connection of the benchmark's, in a transaction rolled back; see
// run_plugin_steps), each in the repetitions on the state the timed action of
// `key` (a median_seconds key) runs on. Their statements' medians are in the
// JSON under `statements` ("plugin_statements" for the apply, as before), and
// under plugin_profiles.<key> the sum of those medians and the median wall time
// of the profiled run.
struct ProfiledAction {
  const char* key;
  const char* statements;
  const char* label;
  const char* state;  // what the profiled run finds, for the report
};
inline constexpr ProfiledAction kProfiledActions[] = {
    {"apply", "plugin_statements", "apply", "a state where it has the whole batch to do (the timed apply runs the other direction, on the mirror state)"},
    {"dry_run", "plugin_statements_dry_run", "dry run", "a state where it has the whole batch to do"},
    {"rerun", "plugin_statements_rerun", "re-run (nothing to change)", "the state the apply of the plan leaves, where nothing is to change"},
    {"plan", "plugin_statements_plan", "plan", "a state where it has the whole batch to do"},
    {"apply_plan", "plugin_statements_apply_plan", "apply of a plan", "the repetition's plan, just before the timed apply of it"}};

// Every figure of the run (docs/BENCHMARKS.md describes them), the checks
// that passed and failed, and the plans when asked.
nlohmann::ordered_json run_benchmark(const Settings& settings);

// A district's plan and its review pages only, once each, without the other
// workloads and their checks: the review's figures at a size where the whole
// run is too long. Prints them.
void run_plan_pages(const Settings& settings, std::ostream& out);

// Prints a run's figures for a person.
void print_summary(const nlohmann::ordered_json& results, std::ostream& out);

}  // namespace bench
