#include "report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
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
  std::set<std::string> databases;
  for (const json& r : runs) databases.insert(r["database"].get<std::string>() + " through " + r["driver"].get<std::string>());
  out << "Machine: " << m["cpus"] << " CPUs (" << m["cpu"].get<std::string>() << "), " << fixed(m["memory_kb"].get<double>() / 1048576, 1)
      << " GiB of memory.  \nDatabases: ";
  bool first = true;
  for (const std::string& d : databases) {
    out << (first ? "" : "; ") << d;
    first = false;
  }
  out << ".  \nEach column: " << runs.front()["repetitions"] << " timed repetitions, medians; the row-by-row baseline reads every target row and updates the first "
      << thousands(runs.front()["slice"].get<int64_t>()) << ", extrapolated per row to every row in play.\n\n";

  std::vector<std::string> heads;
  for (const json& r : runs) heads.push_back(title(r));
  table_row(out, "median", heads);
  out << "|---";
  for (size_t i = 0; i < runs.size(); ++i) out << "|--:";
  out << "|\n";
  auto row = [&](const std::string& label, auto&& cell) {
    std::vector<std::string> cells;
    for (const json& r : runs) cells.push_back(cell(r));
    table_row(out, label, cells);
  };
  row("seeding (not part of the benchmark)", [](const json& r) { return r.contains("seed_seconds") ? seconds(r["seed_seconds"]) : "-"; });
  row("persons / households in play", [](const json& r) {
    return thousands(r["work"]["persons"].get<int64_t>()) + " / " + thousands(r["work"]["households"].get<int64_t>());
  });
  row("rows written by an apply (contact + household)", [](const json& r) {
    return thousands(r["work"]["contact_rows"].get<int64_t>()) + " + " + thousands(r["work"]["household_rows"].get<int64_t>());
  });
  row("cells updated by an apply", [](const json& r) { return thousands(r["work"]["updated"].get<int64_t>()); });
  row("**apply**", [](const json& r) { return "**" + seconds(r["median_seconds"]["apply"]) + "**"; });
  row("floor (hand-written set-based SQL)", [](const json& r) { return seconds(r["median_seconds"]["floor"]); });
  row("re-run (nothing to change)", [](const json& r) { return seconds(r["median_seconds"]["rerun"]); });
  row("dry run", [](const json& r) { return seconds(r["median_seconds"]["dry_run"]); });
  row("row-by-row baseline, extrapolated", [](const json& r) { return seconds(r["median_seconds"]["baseline"]); });
  row("  of which reading the targets (measured)", [](const json& r) { return seconds(r["median_seconds"]["baseline_read"]); });
  row("  updating the slice row by row (measured)", [](const json& r) {
    return seconds(r["median_seconds"]["baseline_slice"]) + " / " + thousands(r["work"]["baseline_rows_sliced"].get<int64_t>()) + " rows";
  });
  row("peak memory of the plugin process (VmHWM)", [](const json& r) { return mib(r["memory_kb"]["peak"]); });
  row("  of which after loading and opening", [](const json& r) { return mib(r["memory_kb"]["after_open"]); });
  row("checks", [](const json& r) {
    const json& c = r["checks"];
    return c["failed"].empty() ? "all " + std::to_string(c["verified"].size()) + " passed"
                               : "**" + std::to_string(c["failed"].size()) + " failed**";
  });

  out << "\n### Targets\n\n";
  table_row(out, "target", heads);
  out << "|---";
  for (size_t i = 0; i < runs.size(); ++i) out << "|---";
  out << "|\n";
  row("apply within 1.3x the floor", [](const json& r) {
    const double v = r["ratios"]["apply_floor"].get<double>();
    return fixed(v, 2) + "x " + verdict(v <= 1.3);
  });
  row("re-run at most 0.25x an apply, writing no row", [](const json& r) {
    const double v = r["ratios"]["rerun_apply"].get<double>();
    bool wrote_nothing = true;
    for (const json& f : r["checks"]["failed"])
      if (f.get<std::string>().find("re-run") != std::string::npos) wrote_nothing = false;
    return fixed(v, 2) + "x, " + (wrote_nothing ? "no row written" : "rows written") + " " + verdict(v <= 0.25 && wrote_nothing);
  });
  row("dry run at most 0.5x an apply", [](const json& r) {
    const double v = r["ratios"]["dry_apply"].get<double>();
    return fixed(v, 2) + "x " + verdict(v <= 0.5);
  });
  row("at least 20x faster than row by row", [](const json& r) {
    const double v = r["ratios"]["baseline_apply"].get<double>();
    return fixed(v, 1) + "x " + verdict(v >= 20);
  });
  row("peak memory under 64 MiB", [](const json& r) { return mib(r["memory_kb"]["peak"]) + " " + verdict(r["memory_kb"]["peak"].get<double>() < 65536); });
  // Within 10% between the smallest and the largest size of the same back end.
  std::map<std::string, std::pair<const json*, const json*>> span;
  for (const json& r : runs) {
    auto& [small, large] = span[r["backend"].get<std::string>()];
    if (!small || r["students"] < (*small)["students"]) small = &r;
    if (!large || r["students"] > (*large)["students"]) large = &r;
  }
  row("peak memory within 10% from the smallest to the largest size", [&](const json& r) {
    const auto& [small, large] = span[r["backend"].get<std::string>()];
    if (small == large) return std::string("-");
    if (&r != large) return std::string("(see " + title(*large) + ")");
    const double a = (*small)["memory_kb"]["peak"].get<double>(), b = (*large)["memory_kb"]["peak"].get<double>();
    const double change = (b - a) / a * 100;
    return (change >= 0 ? "+" : "") + fixed(change, 1) + "% " + verdict(std::fabs(change) <= 10);
  });

  out << "\n### The apply statement by statement\n\n"
         "The plugin's own statements (sql/plugin/, as `Run::apply` issues them for this batch) run one by one on a\n"
         "connection of the benchmark's, in a transaction rolled back, between the applies; medians in seconds.\n"
         "\"SELECT alone\" is the stage statement's SELECT, counted instead of inserted: the stage minus it is the\n"
         "cost of writing the audit rows (`cpb_contact_change`, `cpb_household_change`).\n\n";
  table_row(out, "statement", heads);
  out << "|---";
  for (size_t i = 0; i < runs.size(); ++i) out << "|--:";
  out << "|\n";
  // Every run's statements in the order issued; one back end's extra statements go after their predecessor.
  std::vector<std::string> names;
  for (const json& r : runs) {
    auto after = names.begin();
    for (const json& p : r["plugin_statements"]) {
      const std::string name = p["statement"];
      const auto found = std::find(names.begin(), names.end(), name);
      after = found != names.end() ? found + 1 : names.insert(after, name) + 1;
    }
  }
  for (const std::string& name : names) {
    row("`" + name + "`", [&](const json& r) {
      for (const json& p : r["plugin_statements"])
        if (p["statement"] == name) return fixed(p["median_seconds"].get<double>(), 3);
      return std::string("-");
    });
  }
  row("sum (apply without validation, batch record and commit)", [](const json& r) {
    double sum = 0;
    for (const json& p : r["plugin_statements"])
      if (p["statement"].get<std::string>().find("SELECT alone") == std::string::npos) sum += p["median_seconds"].get<double>();
    return fixed(sum, 3);
  });
  row("audit rows written (stage minus SELECT alone), share of apply", [](const json& r) {
    std::map<std::string, double> t;
    for (const json& p : r["plugin_statements"]) t[p["statement"].get<std::string>()] = p["median_seconds"].get<double>();
    const double audit = t["stage contacts (stage_contact_changes)"] - t["stage contacts, SELECT alone"] +
                         t["stage households (stage_household_changes)"] - t["stage households, SELECT alone"];
    return fixed(audit, 3) + " (" + fixed(100 * audit / r["median_seconds"]["apply"].get<double>(), 0) + "%)";
  });
}

}  // namespace bench
