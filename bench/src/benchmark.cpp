#include "benchmark.hpp"

#include <algorithm>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "database.hpp"
#include "odbc_transaction.hpp"
#include "plugin_worker.hpp"
#include "sql_files.hpp"
#include "workloads.hpp"

namespace bench {

using json = nlohmann::ordered_json;
using cpb::odbc::Connection;

namespace {

// Checks of one run: a failure is recorded and reported, and the run goes on.
class Checks {
 public:
  void expect(bool ok, const std::string& what, const std::string& detail = {}) {
    if (ok) {
      passed_.push_back(what);
    } else {
      failed_.push_back(what + (detail.empty() ? "" : " (" + detail + ")"));
      std::cerr << "cpb-bench: CHECK FAILED: " << failed_.back() << "\n";
    }
  }
  template <typename T>
  void equal(const T& got, const T& want, const std::string& what) {
    std::ostringstream detail;
    detail << "got " << got << ", expected " << want;
    expect(got == want, what, got == want ? "" : detail.str());
  }
  json to_json() const { return {{"passed", failed_.empty()}, {"verified", passed_}, {"failed", failed_}}; }

 private:
  std::vector<std::string> passed_, failed_;
};

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

std::string direction(bool on) { return on ? "On" : "Off"; }

int64_t count_of(const json& result, const char* key) { return result.is_object() ? result.value(key, int64_t{-1}) : -1; }

PluginCall plugin_run(PluginWorker& worker, bool on, bool dry_run, Checks& checks, const std::string& what) {
  PluginCall call = worker.run(batch_options(on, dry_run));
  checks.expect(call.status == 0, what + " succeeds", call.result.dump());
  return call;
}

std::string machine_cpu() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("model name", 0) == 0) return line.substr(line.find(':') + 2);
  return "unknown";
}

int64_t machine_memory_kb() {
  std::ifstream in("/proc/meminfo");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("MemTotal:", 0) == 0) return std::stoll(line.substr(9));
  return 0;
}

// The search index an administrator may add (Settings::search_index), once
// the plugin has made its tables.
void add_search_index(const Settings& s, Connection& db) {
  if (!s.search_index) return;
  if (std::string(db.engine().name) != "postgresql")
    throw std::invalid_argument("--search-index is PostgreSQL's (sql/host/postgresql/search_index.sql)");
  db.execute_script(cpb::host_sql_file("host/search_index", db.engine()));
}

// The first and the middle page of each filter of kFilteredPages (key -> seconds of both).
std::map<std::string, std::pair<double, double>> time_filtered_pages(PluginWorker& worker, Connection& db, int64_t plan_id, int64_t students,
                                                                     Checks& checks, const std::string& rep) {
  std::map<std::string, std::pair<double, double>> filtered_seconds;
  for (const FilteredPage& f : kFilteredPages) {
    json options = {{"action", "plan_rows"}, {"plan_id", plan_id}, {"kind", "changes"}, {"limit", 1000}};
    const std::string key = f.key;
    // "family1234" names a dozen families (Family1234, Family12340...): a rare match, read through the whole plan;
    // a district too small to have them (the self-check) searches "family1".
    if (key == "search_name") options["search"] = students >= 20000 ? "family1234" : "family1";
    if (key == "search_id") options["search"] = std::to_string(students / 2);
    if (key == "device") options["device"] = "cell_phone";
    if (key == "warning") options["warning"] = "reaches_non_targets";
    const PluginCall first = worker.run(options.dump());
    const int64_t total = first.result.is_object() ? first.result.value("total", int64_t{-1}) : -1;
    options["after"] = middle_cursor(db, plan_id, options.dump(), total);
    const PluginCall middle_filtered = worker.run(options.dump());
    checks.expect(first.status == 0 && middle_filtered.status == 0 && total > 0, std::string("filtered plan_rows pages succeed: ") + f.label + rep,
                  first.result.dump().substr(0, 300) + " " + middle_filtered.result.dump().substr(0, 300));
    filtered_seconds[key] = {first.seconds, middle_filtered.seconds};
  }
  return filtered_seconds;
}
// One profiled action's samples over the repetitions: each statement's (by
// name, in the order first seen) and the whole run's.
struct Profile {
  std::vector<std::string> order;
  std::map<std::string, std::vector<double>> statements;
  std::vector<double> runs;
  void add(const PluginSteps& steps) {
    for (const Piece& p : steps.pieces) {
      if (!statements.count(p.name)) order.push_back(p.name);
      statements[p.name].push_back(p.seconds);
    }
    runs.push_back(steps.seconds);
  }
};

}  // namespace

json run_benchmark(const Settings& s) {
  Checks checks;
  json out;
  Connection db = Connection::open(s.connection_string);
  out["backend"] = std::string(db.engine().display_name);
  out["students"] = s.students;
  out["repetitions"] = s.repetitions;
  out["slice"] = s.slice;
  out["command"] = s.command;
  out["database"] = database_version(db);
  out["driver"] = driver_version(db);
  out["machine"] = {{"cpus", std::thread::hardware_concurrency()}, {"cpu", machine_cpu()}, {"memory_kb", machine_memory_kb()}};

  if (s.seed) {
    std::cerr << "cpb-bench: seeding " << s.students << " students (" << out["backend"].get<std::string>() << ")...\n";
    const auto started = std::chrono::steady_clock::now();
    host::init_schema(db);
    const host::SeedSummary seeded = host::seed_district(db, s.students, s.seed_number, kEndYear);
    update_statistics(db);
    out["seed_seconds"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    out["district"] = {{"students", seeded.students}, {"contacts", seeded.contacts}, {"staff", seeded.staff}, {"schools", seeded.schools}};
  }

  PluginWorker worker(s.connection_string, s.plugin_path);
  std::cerr << "cpb-bench: warm-up apply (On)...\n";
  const PluginCall warm = plugin_run(worker, true, false, checks, "the warm-up apply");
  checks.expect(count_of(warm.result, "updated") > 0, "the warm-up apply changes preferences");
  add_search_index(s, db);
  out["search_index"] = s.search_index;

  // Once, untimed beyond the plugin's own runs: every run does exactly what the floor does.
  {
    const bool on = false;
    std::cerr << "cpb-bench: verifying (Off)...\n";
    const uint64_t contacts_before = contact_state(db);
    const uint64_t households_before = household_state(db);
    uint64_t baseline_slice_state = 0;
    const BaselineRun baseline = run_baseline(db, on, s.slice, [&](const BaselineRun& b) {
      baseline_slice_state = contact_state(db, b.first_person, b.last_person);
    });
    checks.equal(contact_state(db), contacts_before, "the baseline's rollback leaves contacts as they were");
    uint64_t floor_contacts = 0, floor_households = 0, floor_slice_state = 0;
    int64_t floor_cells = -1;
    const FloorRun floor = run_floor(
        db, on, [&] { snapshot_masks(db); },
        [&] {
          floor_contacts = contact_state(db);
          floor_households = household_state(db);
          floor_slice_state = contact_state(db, baseline.first_person, baseline.last_person);
          floor_cells = changed_cells(db);
        });
    checks.expect(floor.contact_rows > 0 && floor.household_rows > 0, "the floor has rows to change");
    checks.equal(floor_slice_state, baseline_slice_state, "the baseline leaves its slice as the floor does");
    checks.equal(contact_state(db), contacts_before, "the floor's rollback leaves contacts as they were");
    checks.equal(household_state(db), households_before, "the floor's rollback leaves households as they were");

    // The audited floor, on the same state: its host state, record and counts are the apply's.
    uint64_t audited_contacts = 0, audited_households = 0, audited_record = 0;
    const AuditedFloorRun audited = run_audited_floor(db, on, [&](const AuditedFloorRun& a) {
      audited_contacts = contact_state(db);
      audited_households = household_state(db);
      audited_record = change_record(db, a.batch_id);
    });
    checks.expect(audited.contact_rows > 0 && audited.household_rows > 0, "the audited floor has rows to record");
    checks.equal(audited.contacts_written, audited.contact_rows, "the audited floor writes every contact row it records");
    checks.equal(audited.households_written, audited.household_rows, "the audited floor writes every household row it records");
    checks.equal(audited.contact_rows, floor.contact_rows, "the audited floor records the contact rows the floor writes");
    checks.equal(audited.household_rows, floor.household_rows, "the audited floor records the household rows the floor writes");
    checks.equal(audited.counts["updated"].get<int64_t>(), floor_cells, "the audited floor counts the cells the floor changes");
    checks.equal(audited_contacts, floor_contacts, "the audited floor leaves contacts as the floor does");
    checks.equal(audited_households, floor_households, "the audited floor leaves households as the floor does");
    checks.equal(contact_state(db), contacts_before, "the audited floor's rollback leaves contacts as they were");

    const PluginCall dry = plugin_run(worker, on, true, checks, "the verification dry run");
    checks.expect(dry.result.is_object() && dry.result.value("batch_id", json()).is_null(), "a dry run records no batch");
    checks.equal(count_of(dry.result, "updated"), floor_cells, "a dry run counts the cells the floor changes");
    checks.equal(contact_state(db), contacts_before, "a dry run writes no contact");
    checks.equal(household_state(db), households_before, "a dry run writes no household");

    const PluginCall apply = plugin_run(worker, on, false, checks, "the verification apply");
    const BatchRows rows = batch_rows(db, count_of(apply.result, "batch_id"));
    checks.equal(count_of(apply.result, "updated"), floor_cells, "an apply updates the cells the floor changes");
    checks.equal(rows.contacts, floor.contact_rows, "an apply writes the contact rows the floor writes");
    checks.equal(rows.households, floor.household_rows, "an apply writes the household rows the floor writes");
    checks.equal(contact_state(db), floor_contacts, "an apply leaves contacts as the floor does");
    checks.equal(household_state(db), floor_households, "an apply leaves households as the floor does");
    checks.equal(contact_state(db), audited_contacts, "an apply leaves contacts as the audited floor does");
    checks.equal(household_state(db), audited_households, "an apply leaves households as the audited floor does");
    checks.equal(rows.contacts, audited.contact_rows, "an apply records the contact rows the audited floor records");
    checks.equal(rows.households, audited.household_rows, "an apply records the household rows the audited floor records");
    checks.equal(change_record(db, count_of(apply.result, "batch_id")), audited_record,
                 "an apply's change records are the audited floor's (rows, masks before and after, stamps, states)");
    // Compared with the keys in one order (a plugin result's are sorted).
    const std::string audited_counts = nlohmann::json::parse(audited.counts.dump()).dump();
    checks.equal(nlohmann::json::parse(result_counts(apply.result).dump()).dump(), audited_counts, "an apply's counts are the audited floor's");
    checks.equal(nlohmann::json::parse(result_counts(dry.result).dump()).dump(), audited_counts, "a dry run's counts are the audited floor's");

    install_write_probe(db);
    {
      // The probe counts: one row touched in a transaction rolled back (by tx's end).
      cpb::odbc::Transaction tx(db);
      db.execute("UPDATE contact SET modified_by_id = modified_by_id WHERE person_id = (SELECT MIN(person_id) FROM contact)");
      checks.equal(probe_writes(db), int64_t{1}, "the write probe counts a written row");
    }
    const PluginCall rerun = plugin_run(worker, on, false, checks, "the verification re-run");
    checks.equal(count_of(rerun.result, "updated"), int64_t{0}, "a re-run has nothing to update");
    checks.equal(probe_writes(db), int64_t{0}, "a re-run writes no contact or household row");
    const BatchRows rerun_rows = batch_rows(db, count_of(rerun.result, "batch_id"));
    checks.equal(rerun_rows.contacts + rerun_rows.households, int64_t{0}, "a re-run records no changed row");
    remove_write_probe(db);
    checks.equal(contact_state(db), floor_contacts, "a re-run leaves contacts as they were");
  }

  // A plan's footprint: what one plan (On, everything to do) adds to the plan
  // tables, measured by the database before and after it.
  const std::map<std::string, int64_t> storage_before = plan_storage(db);
  const PluginCall measured_plan = worker.run(batch_options(true, false, {{"action", "plan"}}));
  checks.expect(measured_plan.status == 0, "the measured plan succeeds", measured_plan.result.dump());
  {
    const std::map<std::string, int64_t> storage_after = plan_storage(db);
    const int64_t rows = plan_rows(db, count_of(measured_plan.result, "plan_id"));
    json tables = json::object();
    int64_t bytes = 0;
    for (const auto& [table, size] : storage_after) {
      const auto was = storage_before.find(table);
      const int64_t added = size - (was == storage_before.end() ? 0 : was->second);
      tables[table] = added;
      bytes += added;
    }
    checks.expect(rows > 0 && bytes > 0, "the measured plan stores rows", std::to_string(rows) + " rows, " + std::to_string(bytes) + " bytes");
    out["plan_footprint"] = {{"plan_rows", rows},
                             {"bytes_per_plan", bytes},
                             {"bytes_per_plan_row", rows > 0 ? static_cast<double>(bytes) / static_cast<double>(rows) : 0.0},
                             {"bytes_by_table", tables}};
  }

  // On a small district, once: paging a plan through gives exactly its totals, each row once.
  if (s.students <= 5000) {
    const PluginCall& plan = measured_plan;
    for (const char* kind : {"changes", "skipped"}) {
      std::set<std::string> seen;
      int64_t rows = 0, total = -1, duplicates = 0;
      json after = nullptr;
      for (int page = 0; page < 1000; ++page) {
        const PluginCall p = worker.run(
            json{{"action", "plan_rows"}, {"plan_id", count_of(plan.result, "plan_id")}, {"kind", kind}, {"after", after}, {"limit", 1000}}.dump());
        if (p.status != 0 || !p.result.contains("rows")) break;
        total = p.result.value("total", int64_t{-1});
        for (const json& row : p.result["rows"]) {
          ++rows;
          if (!seen.insert(row.value("person_id", json()).dump() + "/" + row.value("household_id", json()).dump() + "/" +
                           row.value("device", std::string()) + "/" + row.value("why", std::string())).second)
            ++duplicates;
        }
        after = p.result.value("next", json());
        if (after.is_null()) break;
      }
      checks.equal(rows, total, std::string("paging a plan's ") + kind + " gives its total");
      checks.equal(duplicates, int64_t{0}, std::string("paging a plan's ") + kind + " gives each row once");
    }
  }

  // Timed repetitions. Repetition r runs direction d (On first: the verification
  // left everything Off) on a state where d has everything to do, and leaves
  // the state at d for the next, which runs the other direction:
  //   the plugin's apply, dry run and plan step by step (each rolled back),
  //   the floor (rolled back), a dry run, a plan, its first and middle pages,
  //   the apply of the plan step by step (rolled back), the apply of the plan
  //   (state d), a re-run step by step (rolled back), the floor re-run and a
  //   re-run (nothing to change), a direct apply of the other direction
  //   (state !d; its floor is d's, the work is symmetric), then a chunked
  //   apply of d (state d).
  std::map<std::string, std::vector<double>> samples;
  std::map<std::string, Profile> profiles;  // by ProfiledAction::key
  auto profile = [&](const char* key, const std::string& options) { profiles[key].add(run_plugin_steps(db, options)); };
  json work;
  const json chunk = {{"chunk_rows", s.chunk_rows}};
  for (int r = 0; r < s.repetitions; ++r) {
    const bool on = r % 2 == 0;
    const std::string rep = " (repetition " + std::to_string(r + 1) + ")";
    std::cerr << "cpb-bench: repetition " << r + 1 << "/" << s.repetitions << " (" << direction(on) << ")...\n";
    profile("apply", batch_options(on, false));
    profile("dry_run", batch_options(on, true));
    profile("plan", batch_options(on, false, {{"action", "plan"}}));
    const FloorRun floor = run_floor(db, on);
    uint64_t audited_record = 0;
    const AuditedFloorRun audited = run_audited_floor(db, on, [&](const AuditedFloorRun& a) { audited_record = change_record(db, a.batch_id); });
    checks.equal(audited.contact_rows, floor.contact_rows, "the audited floor records the floor's contact rows" + rep);
    checks.equal(audited.household_rows, floor.household_rows, "the audited floor records the floor's household rows" + rep);
    const PluginCall dry = plugin_run(worker, on, true, checks, "a dry run");
    const PluginCall plan = worker.run(batch_options(on, false, {{"action", "plan"}}));
    checks.expect(plan.status == 0, "a plan succeeds" + rep, plan.result.dump());
    const int64_t plan_id = count_of(plan.result, "plan_id");
    const PluginCall first_page = worker.run(json{{"action", "plan_rows"}, {"plan_id", plan_id}, {"kind", "changes"}, {"limit", 1000}}.dump());
    const std::string middle = middle_cursor(db, plan_id);
    const PluginCall middle_page =
        worker.run(json{{"action", "plan_rows"}, {"plan_id", plan_id}, {"kind", "changes"}, {"after", middle}, {"limit", 1000}}.dump());
    checks.expect(first_page.status == 0 && middle_page.status == 0, "plan_rows pages succeed" + rep,
                  first_page.result.dump().substr(0, 300) + " " + middle_page.result.dump().substr(0, 300));
    const size_t page_rows = first_page.result.is_object() && first_page.result.contains("rows") ? first_page.result["rows"].size() : 0;
    const size_t middle_rows = middle_page.result.is_object() && middle_page.result.contains("rows") ? middle_page.result["rows"].size() : 0;
    checks.expect(page_rows > 0 && page_rows <= 1000 && middle_rows > 0, "plan_rows pages hold rows" + rep,
                  std::to_string(page_rows) + " and " + std::to_string(middle_rows));
    const std::map<std::string, std::pair<double, double>> filtered_seconds = time_filtered_pages(worker, db, plan_id, s.students, checks, rep);
    const std::string apply_plan_options = json{{"action", "apply"}, {"plan_id", plan_id}}.dump();
    if (plan.status == 0) profile("apply_plan", apply_plan_options);
    const PluginCall apply_plan = worker.run(apply_plan_options);
    checks.expect(apply_plan.status == 0, "the apply of a plan succeeds" + rep, apply_plan.result.dump());
    profile("rerun", batch_options(on, false));
    const FloorRun floor_rerun = run_floor(db, on);
    const PluginCall rerun = plugin_run(worker, on, false, checks, "a re-run");
    const PluginCall apply = plugin_run(worker, !on, false, checks, "an apply");
    const PluginCall chunked = worker.run(batch_options(on, false, chunk));
    checks.expect(chunked.status == 0, "a chunked apply succeeds" + rep, chunked.result.dump());

    const BatchRows plan_rows = batch_rows(db, count_of(apply_plan.result, "batch_id"));
    const BatchRows rows = batch_rows(db, count_of(apply.result, "batch_id"));
    const BatchRows chunked_rows = batch_rows(db, count_of(chunked.result, "batch_id"));
    const BatchRows rerun_rows = batch_rows(db, count_of(rerun.result, "batch_id"));
    checks.equal(count_of(plan.result, "updated"), count_of(dry.result, "updated"), "the plan counts what the dry run counts" + rep);
    checks.equal(plan_rows.contacts, floor.contact_rows, "the apply of the plan writes the floor's contact rows" + rep);
    checks.equal(change_record(db, count_of(apply_plan.result, "batch_id")), audited_record,
                 "the apply of the plan records what the audited floor records" + rep);
    const std::string audited_counts = nlohmann::json::parse(audited.counts.dump()).dump();
    checks.equal(nlohmann::json::parse(result_counts(apply_plan.result).dump()).dump(), audited_counts,
                 "the apply of the plan counts what the audited floor counts" + rep);
    checks.equal(nlohmann::json::parse(result_counts(plan.result).dump()).dump(), audited_counts,
                 "the plan counts what the audited floor counts" + rep);
    checks.equal(plan_rows.households, floor.household_rows, "the apply of the plan writes the floor's household rows" + rep);
    checks.equal(floor_rerun.contact_rows + floor_rerun.household_rows, int64_t{0}, "the floor re-run writes no row" + rep);
    checks.equal(rows.contacts, floor.contact_rows, "the apply writes the floor's contact rows" + rep);
    checks.equal(rows.households, floor.household_rows, "the apply writes the floor's household rows" + rep);
    checks.equal(chunked_rows.contacts, floor.contact_rows, "the chunked apply writes the floor's contact rows" + rep);
    checks.equal(chunked_rows.households, floor.household_rows, "the chunked apply writes the floor's household rows" + rep);
    checks.equal(count_of(chunked.result, "updated"), count_of(apply.result, "updated"), "the chunked apply counts what the apply updates" + rep);
    checks.equal(count_of(dry.result, "updated"), count_of(apply.result, "updated"), "the dry run counts what the apply updates" + rep);
    checks.equal(count_of(rerun.result, "updated"), int64_t{0}, "the re-run updates nothing" + rep);
    checks.equal(rerun_rows.contacts + rerun_rows.households, int64_t{0}, "the re-run records no changed row" + rep);
    checks.expect(count_of(apply.result, "updated") > 0, "the apply has work" + rep);
    const std::vector<double> chunks = chunked.chunk_seconds();
    const auto chunks_of = [&](int64_t rows) { return (rows + s.chunk_rows - 1) / s.chunk_rows; };
    checks.equal(static_cast<int64_t>(chunks.size()), chunks_of(floor.contact_rows) + chunks_of(floor.household_rows),
                 "the chunked apply writes in chunks of chunk_rows per host table at most" + rep);

    samples["apply"].push_back(apply.seconds);
    samples["floor"].push_back(floor.seconds);
    samples["audited_floor"].push_back(audited.seconds);
    samples["audited_floor_resolve"].push_back(audited.resolve_seconds);
    samples["audited_floor_count"].push_back(audited.count_seconds);
    samples["audited_floor_record"].push_back(audited.record_seconds);
    samples["audited_floor_write"].push_back(audited.write_seconds);
    samples["floor_rerun"].push_back(floor_rerun.seconds);
    samples["rerun"].push_back(rerun.seconds);
    samples["dry_run"].push_back(dry.seconds);
    samples["plan"].push_back(plan.seconds);
    samples["first_page"].push_back(first_page.seconds);
    samples["middle_page"].push_back(middle_page.seconds);
    for (const auto& [key, times] : filtered_seconds) {
      samples["first_page_" + key].push_back(times.first);
      samples["middle_page_" + key].push_back(times.second);
    }
    samples["apply_plan"].push_back(apply_plan.seconds);
    samples["chunked_apply"].push_back(chunked.seconds);
    samples["longest_chunk"].push_back(chunks.empty() ? 0 : *std::max_element(chunks.begin(), chunks.end()));
    work = {{"persons", count_of(apply.result, "persons")},
            {"households", count_of(apply.result, "households")},
            {"updated", count_of(apply.result, "updated")},
            {"contact_rows", rows.contacts},
            {"household_rows", rows.households},
            {"chunk_rows", s.chunk_rows},
            {"chunks", chunks.size()}};
  }
  out["work"] = work;

  json medians = json::object(), all = json::object();
  for (const auto& [key, values] : samples) {
    medians[key] = median(values);
    all[key] = values;
  }
  out["median_seconds"] = medians;
  out["samples_seconds"] = all;
  auto ratio = [&](const char* a, const char* b) {
    const double x = medians.value(a, 0.0), y = medians.value(b, 0.0);
    return y > 0 ? x / y : 0.0;
  };
  out["ratios"] = {{"apply_floor", ratio("apply", "floor")},
                   {"apply_audited_floor", ratio("apply", "audited_floor")},
                   {"audited_floor_floor", ratio("audited_floor", "floor")},
                   {"rerun_floor_rerun", ratio("rerun", "floor_rerun")},
                   {"dry_floor_rerun", ratio("dry_run", "floor_rerun")},
                   {"plan_dry", ratio("plan", "dry_run")},
                   {"plan_floor", ratio("plan", "floor")},
                   {"plan_audited_floor", ratio("plan", "audited_floor")},
                   {"apply_plan_floor", ratio("apply_plan", "floor")},
                   {"apply_plan_audited_floor", ratio("apply_plan", "audited_floor")},
                   {"chunked_apply", ratio("chunked_apply", "apply")},
                   {"longest_chunk_apply", ratio("longest_chunk", "apply")}};
  json profile_seconds = json::object();
  for (const ProfiledAction& a : kProfiledActions) {
    Profile& p = profiles[a.key];
    json pieces = json::array();
    double sum = 0;
    for (const std::string& name : p.order) {
      const double seconds = median(p.statements[name]);
      pieces.push_back({{"statement", name}, {"median_seconds", seconds}});
      sum += seconds;
    }
    out[a.statements] = pieces;
    profile_seconds[a.key] = {{"statements_seconds", sum}, {"run_seconds", median(p.runs)}};
  }
  out["plugin_profiles"] = profile_seconds;

  if (s.explain) {
    // The plans of an apply's and a plan's statements, on a state where both have everything to do.
    const bool on = s.repetitions % 2 == 0;
    std::ostringstream plans;
    plans << "==== apply\n\n";
    run_plugin_steps(db, batch_options(on, false), &plans);
    plans << "==== plan\n\n";
    run_plugin_steps(db, batch_options(on, false, {{"action", "plan"}}), &plans);
    out["plans"] = plans.str();
  }
  const Memory ready = worker.when_ready();
  const Memory end = worker.memory();
  out["memory_kb"] = {{"after_open", ready.peak_kb}, {"peak", end.peak_kb}};
  checks.expect(end.peak_kb > 0, "the plugin process's peak memory is known");
  out["checks"] = checks.to_json();
  return out;
}

void print_summary(const json& r, std::ostream& out) {
  const json& m = r["median_seconds"];
  const json& q = r["ratios"];
  const json& w = r["work"];
  char line[256];
  out << "cpb-bench: " << r["database"].get<std::string>() << " (" << r["driver"].get<std::string>() << "), " << r["students"] << " students, "
      << r["repetitions"] << " repetitions\n";
  out << "  each apply: " << w["persons"] << " persons, " << w["households"] << " households; writes " << w["contact_rows"] << " contact and "
      << w["household_rows"] << " household rows, " << w["updated"] << " cells\n";
  // An empty label: another ratio of the row above, its time not repeated.
  auto row = [&](const char* label, const char* key, const char* ratio, const char* note) {
    if (*label) std::snprintf(line, sizeof line, "  %-34s %9.3f s", label, m.value(key, 0.0));
    else std::snprintf(line, sizeof line, "  %-34s %11s", "", "");
    out << line;
    if (ratio) {
      std::snprintf(line, sizeof line, "   %-22s %.2f  %s", note, q.value(ratio, 0.0), "");
      out << line;
    }
    out << "\n";
  };
  row("apply (audit included)", "apply", "apply_audited_floor", "apply/audited floor (<= 1.15)");
  row("", "apply", "apply_floor", "apply/floor");
  row("floor (hand-written SQL)", "floor", nullptr, "");
  row("audited floor (record included)", "audited_floor", "audited_floor_floor", "audited floor/floor");
  std::snprintf(line, sizeof line, "    resolve %.3f s, count %.3f s, record %.3f s, write %.3f s\n", m.value("audited_floor_resolve", 0.0),
                m.value("audited_floor_count", 0.0), m.value("audited_floor_record", 0.0), m.value("audited_floor_write", 0.0));
  out << line;
  row("floor re-run (nothing to write)", "floor_rerun", nullptr, "");
  row("re-run (nothing to change)", "rerun", "rerun_floor_rerun", "re-run/floor re-run (<= 1.2)");
  row("dry run", "dry_run", "dry_floor_rerun", "dry/floor re-run (<= 1.2)");
  row("plan", "plan", "plan_audited_floor", "plan/audited floor (<= 1.2)");
  row("", "plan", "plan_floor", "plan/floor");
  row("", "plan", "plan_dry", "plan/dry run");
  row("plan_rows, first page of 1,000", "first_page", nullptr, "");
  row("plan_rows, middle page of 1,000", "middle_page", nullptr, "");
  for (const FilteredPage& f : kFilteredPages) {
    const std::string first = std::string("first_page_") + f.key, middle = std::string("middle_page_") + f.key;
    std::snprintf(line, sizeof line, "    %-32s %9.3f s first, %.3f s middle\n", f.label, m.value(first, 0.0), m.value(middle, 0.0));
    out << line;
  }
  row("apply of the plan", "apply_plan", "apply_plan_audited_floor", "apply plan/audited (<= 1.15)");
  row("", "apply_plan", "apply_plan_floor", "apply plan/floor");
  if (r.contains("plan_footprint")) {
    const json& f = r["plan_footprint"];
    std::snprintf(line, sizeof line, "  a plan's footprint: %.1f KiB per plan (%" PRId64 " plan rows), %.0f bytes per plan row\n",
                  f["bytes_per_plan"].get<double>() / 1024, f["plan_rows"].get<int64_t>(), f["bytes_per_plan_row"].get<double>());
    out << line;
  }
  row("chunked apply", "chunked_apply", "chunked_apply", "chunked/apply");
  row("longest chunk transaction", "longest_chunk", "longest_chunk_apply", "longest chunk/apply");
  std::snprintf(line, sizeof line, "  plugin process peak memory (VmHWM): %.1f MiB (%.1f MiB after loading and opening)\n",
                r["memory_kb"]["peak"].get<double>() / 1024, r["memory_kb"]["after_open"].get<double>() / 1024);
  out << line;
  for (const ProfiledAction& a : kProfiledActions) {
    if (!r.contains(a.statements)) continue;
    out << "  the plugin's own " << a.label << ", statement by statement (median):\n";
    // Statements under a millisecond (a script's table definitions, the checks) are summed on one line.
    int quick = 0;
    double quick_seconds = 0;
    for (const json& p : r[a.statements]) {
      const double seconds = p["median_seconds"].get<double>();
      if (seconds < 0.001) {
        ++quick;
        quick_seconds += seconds;
        continue;
      }
      std::snprintf(line, sizeof line, "    %-46s %8.3f s\n", p["statement"].get<std::string>().c_str(), seconds);
      out << line;
    }
    if (quick > 0) {
      std::snprintf(line, sizeof line, "    %-46s %8.3f s\n", (std::to_string(quick) + " statements under 1 ms each").c_str(), quick_seconds);
      out << line;
    }
    if (!r.contains("plugin_profiles") || !r["plugin_profiles"].contains(a.key)) continue;
    const json& p = r["plugin_profiles"][a.key];
    const double statements = p["statements_seconds"].get<double>(), run = p["run_seconds"].get<double>();
    std::snprintf(line, sizeof line, "    %-46s %8.3f s\n", "sum of the statements", statements);
    out << line;
    std::snprintf(line, sizeof line, "    %-46s %8.3f s   %.3f s between the statements (C++, fetches)\n", "the profiled run, start to end", run,
                  run - statements);
    out << line;
    std::snprintf(line, sizeof line, "    %-46s %8.3f s   (through the plugin's ABI, commit included)\n",
                  (std::string("the ") + a.label + " as timed above").c_str(), m.value(a.key, 0.0));
    out << line;
  }
  const json& c = r["checks"];
  out << "  checks: " << c["verified"].size() << " passed, " << c["failed"].size() << " failed\n";
  for (const json& f : c["failed"]) out << "    FAILED: " << f.get<std::string>() << "\n";
}

}  // namespace bench

namespace bench {

void run_plan_pages(const Settings& s, std::ostream& out) {
  Checks checks;
  Connection db = Connection::open(s.connection_string);
  if (s.seed) {
    std::cerr << "cpb-bench: seeding " << s.students << " students...\n";
    host::init_schema(db);
    host::seed_district(db, s.students, s.seed_number, kEndYear);
    update_statistics(db);
  }
  PluginWorker worker(s.connection_string, s.plugin_path);
  char line[256];
  const auto print = [&](const char* label, double seconds) {
    std::snprintf(line, sizeof line, "  %-34s %9.3f s\n", label, seconds);
    out << line;
  };
  const PluginCall dry = plugin_run(worker, true, true, checks, "a dry run");
  add_search_index(s, db);
  const PluginCall plan = worker.run(batch_options(true, false, {{"action", "plan"}}));
  checks.expect(plan.status == 0, "a plan succeeds", plan.result.dump());
  const int64_t plan_id = count_of(plan.result, "plan_id");
  out << "cpb-bench: " << database_version(db) << ", " << s.students << " students, a plan and its pages (On)\n";
  print("dry run", dry.seconds);
  print("plan", plan.seconds);
  const PluginCall first_page = worker.run(json{{"action", "plan_rows"}, {"plan_id", plan_id}, {"kind", "changes"}, {"limit", 1000}}.dump());
  const PluginCall middle_page = worker.run(
      json{{"action", "plan_rows"}, {"plan_id", plan_id}, {"kind", "changes"}, {"after", middle_cursor(db, plan_id)}, {"limit", 1000}}.dump());
  checks.expect(first_page.status == 0 && middle_page.status == 0, "plan_rows pages succeed");
  print("plan_rows, first page of 1,000", first_page.seconds);
  print("plan_rows, middle page of 1,000", middle_page.seconds);
  for (const auto& [key, times] : time_filtered_pages(worker, db, plan_id, s.students, checks, "")) {
    std::snprintf(line, sizeof line, "    %-32s %9.3f s first, %.3f s middle\n", key.c_str(), times.first, times.second);
    out << line;
  }
  out << "  the plugin's own plan, statement by statement:\n";
  for (const Piece& p : run_plugin_steps(db, batch_options(true, false, {{"action", "plan"}})).pieces) {
    std::snprintf(line, sizeof line, "    %-46s %8.3f s\n", p.name.c_str(), p.seconds);
    out << line;
  }
  const json c = checks.to_json();
  out << "  checks: " << c["verified"].size() << " passed, " << c["failed"].size() << " failed\n";
}

}  // namespace bench
