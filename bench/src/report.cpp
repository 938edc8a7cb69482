#include "report.hpp"

#include "benchmark.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <vector>
#include <string>

namespace bench {

using json = nlohmann::ordered_json;

namespace {

std::string fixed(double v, int digits) {
  char b[64];
  std::snprintf(b, sizeof b, "%.*f", digits, v);
  return b;
}

std::string thousands(int64_t v) {
  std::string s = std::to_string(v);
  for (int at = static_cast<int>(s.size()) - 3; at > (v < 0 ? 1 : 0); at -= 3) s.insert(static_cast<size_t>(at), ",");
  return s;
}

std::string mib(const json& kb) { return fixed(kb.get<double>() / 1024, 1) + " MiB"; }
std::string seconds(const json& s) { return fixed(s.get<double>(), s.get<double>() < 10 ? 2 : 1) + " s"; }
std::string verdict(bool met) { return met ? "met" : "**missed**"; }

std::string title(const json& r) { return r["backend"].get<std::string>() + " " + thousands(r["students"].get<int64_t>()); }

void table_row(std::ostream& out, const std::string& label, const std::vector<std::string>& cells) {
  out << "| " << label;
  for (const std::string& c : cells) out << " | " << c;
  out << " |\n";
}

}  // namespace

void write_markdown(const std::vector<json>& runs, std::ostream& out) {
  if (runs.empty()) return;
  const json& m = runs.front()["machine"];
  // Each database and driver once, in the order of the columns.
  std::vector<std::string> databases;
  for (const json& r : runs) {
    const std::string d = r["database"].get<std::string>() + " through " + r["driver"].get<std::string>();
    if (std::find(databases.begin(), databases.end(), d) == databases.end()) databases.push_back(d);
  }
  out << "Machine: " << m["cpus"] << " CPUs (" << m["cpu"].get<std::string>() << "), " << fixed(m["memory_kb"].get<double>() / 1048576, 1)
      << " GiB of memory.  \nDatabases: ";
  bool first = true;
  for (const std::string& d : databases) {
    out << (first ? "" : "; ") << d;
    first = false;
  }
  out << ".  \nEach column: " << runs.front()["repetitions"]
      << " timed repetitions, medians; every ratio is of medians of the same run.\n\n";

  std::vector<std::string> heads;
  for (const json& r : runs) heads.push_back(title(r));
  auto header = [&](const std::string& first, const char* align) {
    table_row(out, first, heads);
    out << "|---";
    for (size_t i = 0; i < runs.size(); ++i) out << "|" << align;
    out << "|\n";
  };
  header("median", "--:");
  auto row = [&](const std::string& label, auto&& cell) {
    std::vector<std::string> cells;
    for (const json& r : runs) cells.push_back(cell(r));
    table_row(out, label, cells);
  };
  auto time_of = [](const char* key) {
    return [key](const json& r) { return r["median_seconds"].contains(key) ? seconds(r["median_seconds"][key]) : std::string("-"); };
  };
  auto ms_of = [](const std::string& key) {
    return [key](const json& r) {
      return r["median_seconds"].contains(key) ? fixed(r["median_seconds"][key].get<double>() * 1000, 1) + " ms" : std::string("-");
    };
  };
  row("seeding (not part of the benchmark)", [](const json& r) { return r.contains("seed_seconds") ? seconds(r["seed_seconds"]) : "-"; });
  row("persons / households in play", [](const json& r) {
    return thousands(r["work"]["persons"].get<int64_t>()) + " / " + thousands(r["work"]["households"].get<int64_t>());
  });
  row("rows written by an apply (contact + household)", [](const json& r) {
    return thousands(r["work"]["contact_rows"].get<int64_t>()) + " + " + thousands(r["work"]["household_rows"].get<int64_t>());
  });
  row("cells updated by an apply", [](const json& r) { return thousands(r["work"]["updated"].get<int64_t>()); });
  row("**apply** (audit record included)", [](const json& r) { return "**" + seconds(r["median_seconds"]["apply"]) + "**"; });
  row("floor (hand-written set-based SQL)", time_of("floor"));
  row("audited floor (the floor with counts, record and batch row)", time_of("audited_floor"));
  row("  resolve / count / record / write", [](const json& r) {
    const json& m = r["median_seconds"];
    if (!m.contains("audited_floor")) return std::string("-");
    std::string cells;
    for (const char* step : {"audited_floor_resolve", "audited_floor_count", "audited_floor_record", "audited_floor_write"})
      cells += (cells.empty() ? "" : " / ") + fixed(m.value(step, 0.0), 2);
    return cells + " s";
  });
  row("re-run (nothing to change)", time_of("rerun"));
  row("floor re-run (the floor's scan, nothing to write)", time_of("floor_rerun"));
  row("dry run", time_of("dry_run"));
  row("plan", time_of("plan"));
  row("plan_rows: first page of 1,000", ms_of("first_page"));
  row("plan_rows: a middle page of 1,000", ms_of("middle_page"));
  for (const FilteredPage& f : kFilteredPages) {
    row(std::string("  filtered, ") + f.label + ": first page", ms_of(std::string("first_page_") + f.key));
    row(std::string("  filtered, ") + f.label + ": middle page", ms_of(std::string("middle_page_") + f.key));
  }
  row("apply of the plan", time_of("apply_plan"));
  row("a plan's footprint: bytes stored per plan (preview)", [](const json& r) {
    return r.contains("plan_footprint") ? thousands(r["plan_footprint"]["bytes_per_plan"].get<int64_t>()) + " B (" +
                                              thousands(r["plan_footprint"]["plan_rows"].get<int64_t>()) + " plan rows)"
                                        : std::string("-");
  });
  row("  bytes stored per plan row", [](const json& r) {
    return r.contains("plan_footprint") ? fixed(r["plan_footprint"]["bytes_per_plan_row"].get<double>(), 0) + " B" : std::string("-");
  });
  row("chunked apply (`chunk_rows` as given), whole", [](const json& r) {
    return seconds(r["median_seconds"]["chunked_apply"]) + " (" + std::to_string(r["work"].value("chunks", 0)) + " chunks of " +
           thousands(r["work"].value("chunk_rows", int64_t{0})) + ")";
  });
  row("  longest chunk transaction (rows locked)", time_of("longest_chunk"));
  row("peak memory of the plugin process (VmHWM)", [](const json& r) { return mib(r["memory_kb"]["peak"]); });
  row("  of which after loading and opening", [](const json& r) { return mib(r["memory_kb"]["after_open"]); });
  row("checks", [](const json& r) {
    const json& c = r["checks"];
    return c["failed"].empty() ? "all " + std::to_string(c["verified"].size()) + " passed"
                               : "**" + std::to_string(c["failed"].size()) + " failed**";
  });

  out << "\n### Targets\n\n";
  header("target", "---");
  auto ratio_row = [&](const std::string& label, const char* key, double limit) {
    row(label, [=](const json& r) {
      if (!r["ratios"].contains(key)) return std::string("-");  // a run of an older benchmark
      const double v = r["ratios"].value(key, 0.0);
      return fixed(v, 2) + "x " + verdict(v <= limit);
    });
  };
  auto plain_ratio = [&](const std::string& label, const char* key) {
    row(label, [=](const json& r) { return r["ratios"].contains(key) ? fixed(r["ratios"].value(key, 0.0), 2) + "x" : std::string("-"); });
  };
  ratio_row("apply (audit included) at most 1.15x the audited floor", "apply_audited_floor", 1.15);
  plain_ratio("apply / floor (no target)", "apply_floor");
  plain_ratio("audited floor / floor (no target)", "audited_floor_floor");
  ratio_row("re-run at most 1.2x the floor re-run", "rerun_floor_rerun", 1.2);
  ratio_row("dry run at most 1.2x the floor re-run", "dry_floor_rerun", 1.2);
  ratio_row("plan at most 1.2x the audited floor", "plan_audited_floor", 1.2);
  plain_ratio("plan / floor (no target)", "plan_floor");
  plain_ratio("plan / dry run (no target)", "plan_dry");
  for (const auto& [label, key] : {std::pair{"plan_rows first page under 50 ms", "first_page"}, std::pair{"plan_rows middle page under 50 ms", "middle_page"}})
    row(label, [key = key](const json& r) {
      const double v = r["median_seconds"].value(key, 0.0);
      return fixed(v * 1000, 1) + " ms " + verdict(v < 0.05);
    });
  for (const FilteredPage& f : kFilteredPages)
    for (const char* which : {"first", "middle"})
      row(std::string("plan_rows ") + which + " page filtered by " + f.label + " under 200 ms",
          [key = std::string(which) + "_page_" + f.key](const json& r) {
            if (!r["median_seconds"].contains(key)) return std::string("-");
            const double v = r["median_seconds"].value(key, 0.0);
            return fixed(v * 1000, 1) + " ms " + verdict(v < 0.2);
          });
  ratio_row("apply of the plan at most 1.15x the audited floor", "apply_plan_audited_floor", 1.15);
  plain_ratio("apply of the plan / floor (no target)", "apply_plan_floor");
  row("chunked apply / one-transaction apply (no target)", [](const json& r) { return fixed(r["ratios"].value("chunked_apply", 0.0), 2) + "x"; });
  row("longest chunk / one-transaction apply (no target)", [](const json& r) { return fixed(r["ratios"].value("longest_chunk_apply", 0.0), 2) + "x"; });
  // Flat: within 10% between the smallest and the largest size of the same back end.
  std::map<std::string, std::pair<const json*, const json*>> span;
  for (const json& r : runs) {
    auto& [small, large] = span[r["backend"].get<std::string>()];
    if (!small || r["students"] < (*small)["students"]) small = &r;
    if (!large || r["students"] > (*large)["students"]) large = &r;
  }
  row("peak memory flat (within 10%) from the smallest to the largest size", [&](const json& r) {
    const auto& [small, large] = span[r["backend"].get<std::string>()];
    if (small == large) return std::string("-");
    if (&r != large) return std::string("(see " + title(*large) + ")");
    const double a = (*small)["memory_kb"]["peak"].get<double>(), b = (*large)["memory_kb"]["peak"].get<double>();
    const double change = (b - a) / a * 100;
    return (change >= 0 ? "+" : "") + fixed(change, 1) + "% " + verdict(std::fabs(change) <= 10);
  });

  // Each profiled action's statements, a table each (a run of an older benchmark has only the apply's).
  for (const ProfiledAction& a : kProfiledActions) {
    const std::string key = a.statements;
    if (std::none_of(runs.begin(), runs.end(), [&](const json& r) { return r.contains(key); })) continue;
    const std::string label = a.label;
    out << "\n### The " << label << " statement by statement\n\n";
    if (key == "plugin_statements")
      out << "The plugin's own apply (`cpb::run_in_transaction`, the code `sis_plugin_run` drives) run by the benchmark on a\n"
             "connection of its own, in a transaction rolled back, with every statement timed by the ODBC layer's observer and named\n"
             "after its sql/plugin file; medians in seconds of the statement's execution (summed when a file runs several times).\n\n";
    else
      out << "The plugin's own " << label << ", profiled as the apply is (in a transaction rolled back), on " << a.state
          << "; medians in seconds.\n\n";
    header("statement", "--:");
    std::vector<std::string> names;
    for (const json& r : runs) {
      if (!r.contains(key)) continue;
      auto after = names.begin();
      for (const json& p : r[key]) {
        const std::string name = p["statement"];
        const auto found = std::find(names.begin(), names.end(), name);
        after = found != names.end() ? found + 1 : names.insert(after, name) + 1;
      }
    }
    for (const std::string& name : names) {
      row("`" + name + "`", [&](const json& r) {
        if (r.contains(key))
          for (const json& p : r[key])
            if (p["statement"] == name) return fixed(p["median_seconds"].get<double>(), 3);
        return std::string("-");
      });
    }
    row("sum (the " + label + " less its commit and the driver's fetches)", [&](const json& r) {
      if (!r.contains(key)) return std::string("-");
      double sum = 0;
      for (const json& p : r[key]) sum += p["median_seconds"].get<double>();
      return fixed(sum, 3);
    });
    // The profiled run's own time, and so what passes between its statements.
    auto profiled = [&](const json& r) -> const json* {
      return r.contains("plugin_profiles") && r["plugin_profiles"].contains(a.key) ? &r["plugin_profiles"][a.key] : nullptr;
    };
    row("the profiled run, start to end", [&](const json& r) {
      const json* p = profiled(r);
      return p ? fixed((*p)["run_seconds"].get<double>(), 3) : std::string("-");
    });
    row("  of which between the statements (C++, the driver's fetches)", [&](const json& r) {
      const json* p = profiled(r);
      return p ? fixed((*p)["run_seconds"].get<double>() - (*p)["statements_seconds"].get<double>(), 3) : std::string("-");
    });
    row("the " + label + " as timed above (through the ABI, commit included)", [&](const json& r) {
      return r["median_seconds"].contains(a.key) ? fixed(r["median_seconds"][a.key].get<double>(), 3) : std::string("-");
    });
  }
}

}  // namespace bench
