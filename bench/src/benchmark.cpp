#include "benchmark.hpp"

#include <algorithm>
#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <thread>

#include "database.hpp"
#include "plugin_worker.hpp"
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
    // What autovacuum would do soon after a bulk load; SQLite keeps no statistics unless asked.
    if (db.engine().name == "postgresql") db.execute("VACUUM ANALYZE");
    out["seed_seconds"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    out["district"] = {{"students", seeded.students}, {"contacts", seeded.contacts}, {"staff", seeded.staff}, {"schools", seeded.schools}};
  }

  PluginWorker worker(s.connection_string, s.plugin_path);
  std::cerr << "cpb-bench: warm-up apply (On)...\n";
  const PluginCall warm = plugin_run(worker, true, false, checks, "the warm-up apply");
  checks.expect(count_of(warm.result, "updated") > 0, "the warm-up apply changes preferences");

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

    install_write_probe(db);
    {
      // The probe counts: one row touched in a transaction rolled back.
      db.set_autocommit(false);
      db.execute("UPDATE contact SET modified_by_id = modified_by_id WHERE person_id = (SELECT MIN(person_id) FROM contact)");
      checks.equal(probe_writes(db), int64_t{1}, "the write probe counts a written row");
      db.end_transaction(false);
      db.set_autocommit(true);
    }
    const PluginCall rerun = plugin_run(worker, on, false, checks, "the verification re-run");
    checks.equal(count_of(rerun.result, "updated"), int64_t{0}, "a re-run has nothing to update");
    checks.equal(probe_writes(db), int64_t{0}, "a re-run writes no contact or household row");
    const BatchRows rerun_rows = batch_rows(db, count_of(rerun.result, "batch_id"));
    checks.equal(rerun_rows.contacts + rerun_rows.households, int64_t{0}, "a re-run records no changed row");
    remove_write_probe(db);
    checks.equal(contact_state(db), floor_contacts, "a re-run leaves contacts as they were");
  }

  std::map<std::string, std::vector<double>> samples;
  std::map<std::string, std::vector<double>> piece_samples;
  std::vector<std::string> piece_order;
  json work;
  for (int r = 0; r < s.repetitions; ++r) {
    const bool on = r % 2 == 0;  // the verification left everything Off
    std::cerr << "cpb-bench: repetition " << r + 1 << "/" << s.repetitions << " (" << direction(on) << ")...\n";
    const FloorRun floor = run_floor(db, on);
    for (const Piece& p : run_plugin_pieces(db, on)) {
      if (!piece_samples.count(p.name)) piece_order.push_back(p.name);
      piece_samples[p.name].push_back(p.seconds);
    }
    const PluginCall dry = plugin_run(worker, on, true, checks, "a dry run");
    const BaselineRun baseline = run_baseline(db, on, s.slice);
    const PluginCall apply = plugin_run(worker, on, false, checks, "an apply");
    const PluginCall rerun = plugin_run(worker, on, false, checks, "a re-run");

    const BatchRows rows = batch_rows(db, count_of(apply.result, "batch_id"));
    const BatchRows rerun_rows = batch_rows(db, count_of(rerun.result, "batch_id"));
    const std::string rep = " (repetition " + std::to_string(r + 1) + ")";
    checks.equal(rows.contacts, floor.contact_rows, "the apply writes the floor's contact rows" + rep);
    checks.equal(rows.households, floor.household_rows, "the apply writes the floor's household rows" + rep);
    checks.equal(count_of(dry.result, "updated"), count_of(apply.result, "updated"), "the dry run counts what the apply updates" + rep);
    checks.equal(count_of(rerun.result, "updated"), int64_t{0}, "the re-run updates nothing" + rep);
    checks.equal(rerun_rows.contacts + rerun_rows.households, int64_t{0}, "the re-run records no changed row" + rep);
    checks.expect(count_of(apply.result, "updated") > 0, "the apply has work" + rep);

    // The read as measured, and the slice's updates per row for every row in play
    // (each target's contact row and each household), as the baseline would go on.
    const int64_t rows_in_play = count_of(apply.result, "persons") + count_of(apply.result, "households");
    const double per_row = baseline.rows_sliced ? baseline.update_seconds / static_cast<double>(baseline.rows_sliced) : 0;
    samples["apply"].push_back(apply.seconds);
    samples["floor"].push_back(floor.seconds);
    samples["rerun"].push_back(rerun.seconds);
    samples["dry_run"].push_back(dry.seconds);
    samples["baseline"].push_back(baseline.read_seconds + per_row * static_cast<double>(rows_in_play));
    samples["baseline_read"].push_back(baseline.read_seconds);
    samples["baseline_slice"].push_back(baseline.update_seconds);
    // The last repetition's work; an apply's is the same in each, On or Off.
    work = {{"persons", count_of(apply.result, "persons")},
            {"households", count_of(apply.result, "households")},
            {"updated", count_of(apply.result, "updated")},
            {"contact_rows", rows.contacts},
            {"household_rows", rows.households},
            {"baseline_rows_read", baseline.rows_read},
            {"baseline_rows_sliced", baseline.rows_sliced},
            {"baseline_rows_updated", baseline.rows_updated}};
  }
  out["work"] = work;

  json medians = json::object(), all = json::object();
  for (const char* key : {"apply", "floor", "rerun", "dry_run", "baseline", "baseline_read", "baseline_slice"}) {
    medians[key] = median(samples[key]);
    all[key] = samples[key];
  }
  out["median_seconds"] = medians;
  out["samples_seconds"] = all;
  const double apply = medians["apply"].get<double>();
  auto ratio = [&](const char* key, bool apply_over) {
    const double other = medians[key].get<double>();
    return apply_over ? (other > 0 ? apply / other : 0) : (apply > 0 ? other / apply : 0);
  };
  out["ratios"] = {{"apply_floor", ratio("floor", true)},
                   {"rerun_apply", ratio("rerun", false)},
                   {"dry_apply", ratio("dry_run", false)},
                   {"baseline_apply", ratio("baseline", false)}};
  json pieces = json::array();
  for (const std::string& name : piece_order) pieces.push_back({{"statement", name}, {"median_seconds", median(piece_samples[name])}});
  out["plugin_statements"] = pieces;

  if (s.explain) {
    std::ostringstream plans;
    run_plugin_pieces(db, s.repetitions % 2 == 0, &plans);
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
  auto row = [&](const char* label, const char* key, const std::string& note) {
    std::snprintf(line, sizeof line, "  %-28s %9.3f s   %s\n", label, m[key].get<double>(), note.c_str());
    out << line;
  };
  auto fmt = [](const char* f, double v) {
    char b[64];
    std::snprintf(b, sizeof b, f, v);
    return std::string(b);
  };
  row("apply", "apply", "");
  row("floor (hand-written SQL)", "floor", fmt("apply/floor    %.2f  (target <= 1.3)", q["apply_floor"].get<double>()));
  row("re-run (nothing to change)", "rerun", fmt("re-run/apply   %.2f  (target <= 0.25)", q["rerun_apply"].get<double>()));
  row("dry run", "dry_run", fmt("dry/apply      %.2f  (target <= 0.5)", q["dry_apply"].get<double>()));
  row("row-by-row, extrapolated", "baseline", fmt("baseline/apply %.1f  (target >= 20)", q["baseline_apply"].get<double>()));
  std::snprintf(line, sizeof line, "  %-28s %9.3f s   %" PRId64 " target rows\n", "  of which the read", m["baseline_read"].get<double>(),
                w["baseline_rows_read"].get<int64_t>());
  out << line;
  std::snprintf(line, sizeof line, "  %-28s %9.3f s   %" PRId64 " rows, %" PRId64 " updated one by one\n", "  measured slice",
                m["baseline_slice"].get<double>(), w["baseline_rows_sliced"].get<int64_t>(), w["baseline_rows_updated"].get<int64_t>());
  out << line;
  std::snprintf(line, sizeof line, "  plugin process peak memory (VmHWM): %.1f MiB (%.1f MiB after loading and opening)\n",
                r["memory_kb"]["peak"].get<double>() / 1024, r["memory_kb"]["after_open"].get<double>() / 1024);
  out << line;
  out << "  the plugin's statements run one by one (median):\n";
  for (const json& p : r["plugin_statements"]) {
    std::snprintf(line, sizeof line, "    %-46s %8.3f s\n", p["statement"].get<std::string>().c_str(), p["median_seconds"].get<double>());
    out << line;
  }
  const json& c = r["checks"];
  out << "  checks: " << c["verified"].size() << " passed, " << c["failed"].size() << " failed\n";
  for (const json& f : c["failed"]) out << "    FAILED: " << f.get<std::string>() << "\n";
}

}  // namespace bench
