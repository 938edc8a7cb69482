// cpb-bench: times the plugin, loaded as a host loads it, against a
// hand-written set-based SQL floor, a re-run, a dry run and a row-by-row
// baseline, checking on the way that each does what it should.
#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "benchmark.hpp"
#include "database.hpp"
#include "odbc.hpp"
#include "plugin_loader.hpp"
#include "plugin_worker.hpp"
#include "report.hpp"

namespace {

using json = nlohmann::ordered_json;

constexpr const char* kUsage = R"(usage: cpb-bench [OPTIONS]
       cpb-bench --self-check --backend sqlite|postgresql|mariadb [--students N]
       cpb-bench report RESULT.json...

Seeds a district, then measures in one run, alternating On and Off batches:
the plugin's apply, the hand-written SQL floor and its re-run, a re-run, a dry
run, a plan, two pages of it, the apply of the plan, a chunked apply and the
plugin's own apply, dry run, re-run, plan and apply of a plan statement by
statement; prints medians and ratios (docs/BENCHMARKS.md).

Options:
  --students N        district size (default 300000)
  --backend B         sqlite: a temporary database file (default);
                      postgresql: a new database on the server named by
                      CPB_BENCH_PG or CPB_TEST_PG (an ODBC connection string), dropped after;
                      mariadb: the same on the server named by CPB_BENCH_MARIADB
                      or CPB_TEST_MARIADB
  --db DB             instead of --backend: an SQLite file or an ODBC connection
                      string; its host tables are replaced by the seed
  --repetitions R     timed repetitions (default 5)
  --slice ROWS        rows the row-by-row baseline runs on (default 5000)
  --chunk-rows N       chunk_rows of the chunked apply (default 50000)
  --seed S            the district's seed (default 1)
  --no-seed           use the district already in --db
  --plugin PATH       the plugin (default: the one built beside this program)
  --json FILE         also write every figure as JSON (for `cpb-bench report`)
  --explain           add each plugin statement's plan to the JSON
  --keep              keep the temporary database
  --plan-pages        only a dry run, a plan and its pages (unfiltered and each
                      filter, first and middle), once each, and the plan statement
                      by statement; no other workload
  --search-index      PostgreSQL: add the search index an administrator may add
                      (sql/host/postgresql/search_index.sql) before the plan
  --self-check        a small district, every check, no timing asserted:
                      exits 0 when all hold, 1 when one fails, 77 when the
                      back end is not available
)";

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

// The engine --backend names (plugin/odbc/engine.cpp's engines()); NULL when none.
const cpb::odbc::Engine* backend_engine(const std::string& backend) {
  for (const cpb::odbc::Engine& e : cpb::odbc::engines())
    if (backend == e.name) return &e;
  return nullptr;
}

// An engine's server, which the benchmark does not start: an ODBC connection
// string (whose Database= is replaced by the run's own) in the engine's
// bench_server_variable, else its test_server_variable.
std::string server_of(const cpb::odbc::Engine& e) {
  const std::string bench = env(std::string(e.bench_server_variable).c_str());
  return !bench.empty() ? bench : env(std::string(e.test_server_variable).c_str());
}
bool has_server(const cpb::odbc::Engine* e) { return e && !e->test_server_variable.empty(); }

// "sqlite, postgresql or mariadb".
std::string backend_names() {
  std::string out;
  const auto& all = cpb::odbc::engines();
  for (size_t i = 0; i < all.size(); ++i) out += (i == 0 ? "" : i + 1 == all.size() ? " or " : ", ") + std::string(all[i].name);
  return out;
}

// A database for one run: a temporary SQLite file, a fresh database on a server, or the one given.
class Target {
 public:
  Target(const std::string& backend, const std::string& db, bool keep) : keep_(keep) {
    if (!db.empty()) {
      connection_string_ = host::connection_string(db);
    } else if (const cpb::odbc::Engine* engine = backend_engine(backend); engine && !has_server(engine)) {
      folder_ = (std::filesystem::temp_directory_path() / ("cpb-bench-" + std::to_string(getpid()))).string();
      std::filesystem::create_directories(folder_);
      connection_string_ = host::connection_string(folder_ + "/bench.db");
    } else if (has_server(engine)) {
      server_ = engine;
      const std::string server = server_of(*server_);
      if (server.empty())
        throw std::invalid_argument("--backend " + backend + " needs " + std::string(server_->bench_server_variable) + " or " +
                                    std::string(server_->test_server_variable) + " (an ODBC connection string)");
      const size_t at = server.find("Database=");
      if (at == std::string::npos) throw std::invalid_argument("the " + std::string(server_->display_name) + " server's connection string must name a Database=");
      const std::string name = "cpb_bench_" + std::to_string(getpid());
      connection_string_ = server;
      connection_string_.replace(at, server.find(';', at) - at, "Database=" + name);
      cpb::odbc::Connection admin = cpb::odbc::Connection::open(server);
      admin.execute("DROP DATABASE IF EXISTS " + name);
      admin.execute("CREATE DATABASE " + name);
      name_ = name;  // from here on the destructor drops it
    } else {
      throw std::invalid_argument("--backend takes " + backend_names() + ", not \"" + backend + "\"");
    }
  }
  ~Target() {
    if (keep_) {
      if (!folder_.empty() || !name_.empty()) std::cerr << "cpb-bench: kept " << connection_string_ << "\n";
      return;
    }
    try {
      if (!folder_.empty()) std::filesystem::remove_all(folder_);
      if (!name_.empty()) {
        cpb::odbc::Connection admin = cpb::odbc::Connection::open(server_of(*server_));
        admin.execute("DROP DATABASE IF EXISTS " + name_ + std::string(server_->drop_database_options));
      }
    } catch (const std::exception& e) {
      std::cerr << "cpb-bench: cannot remove the temporary database: " << e.what() << "\n";
    }
  }
  Target(const Target&) = delete;
  Target& operator=(const Target&) = delete;
  const std::string& connection_string() const { return connection_string_; }

 private:
  bool keep_;
  const cpb::odbc::Engine* server_ = nullptr;  // the engine whose server holds name_
  std::string connection_string_, folder_, name_;
};

struct Args {
  std::map<std::string, std::string> values;
  std::vector<std::string> positional;
  bool has(const std::string& k) const { return values.count(k) != 0; }
  std::string get(const std::string& k, const std::string& fallback = {}) const { return has(k) ? values.at(k) : fallback; }
  int64_t number(const std::string& k, int64_t fallback, int64_t minimum) const {
    if (!has(k)) return fallback;
    size_t used = 0;
    int64_t v = 0;
    try {
      v = std::stoll(values.at(k), &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used == 0 || used != values.at(k).size() || v < minimum)
      throw std::invalid_argument("--" + k + " takes a whole number of at least " + std::to_string(minimum));
    return v;
  }
};

Args parse(int argc, char** argv, int from) {
  static const char* const kSwitches[] = {"no-seed", "explain", "keep", "self-check", "plan-pages", "search-index"};
  Args a;
  for (int i = from; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.rfind("--", 0) != 0) {
      a.positional.push_back(arg);
      continue;
    }
    const std::string key = arg.substr(2);
    if (std::find(std::begin(kSwitches), std::end(kSwitches), key) != std::end(kSwitches)) {
      a.values[key] = "1";
    } else if (i + 1 < argc) {
      a.values[key] = argv[++i];
    } else {
      throw std::invalid_argument(arg + " needs a value");
    }
  }
  return a;
}

std::string command_line(int argc, char** argv) {
  std::string c = "cpb-bench";
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    c += " " + (a.find_first_of(" ;=") == std::string::npos ? a : "'" + a + "'");
  }
  return c;
}

int report(const Args& args) {
  std::vector<json> runs;
  for (const std::string& file : args.positional) {
    std::ifstream in(file);
    if (!in) throw std::invalid_argument("cannot read " + file);
    runs.push_back(json::parse(in));
  }
  bench::write_markdown(runs, std::cout);
  return 0;
}

int benchmark(const Args& args, const std::string& command) {
  const bool self_check = args.has("self-check");
  const std::string backend = args.get("backend", "sqlite");
  const cpb::odbc::Engine* engine = backend_engine(backend);
  if (self_check && has_server(engine) && server_of(*engine).empty() && !args.has("db")) {
    if (!env(std::string(engine->require_server_variable).c_str()).empty()) {
      std::cerr << "cpb-bench: " << engine->require_server_variable << " is set but " << engine->test_server_variable << " is not\n";
      return 1;
    }
    std::cerr << "cpb-bench: no " << engine->display_name << " server (" << engine->test_server_variable << "): skipped\n";
    return 77;
  }
  bench::Settings s;
  s.students = args.number("students", self_check ? 600 : 300000, 1);
  s.repetitions = static_cast<int>(args.number("repetitions", self_check ? 2 : 5, 1));
  s.slice = args.number("slice", self_check ? 150 : 5000, 1);
  s.chunk_rows = args.number("chunk-rows", self_check ? 1000 : 50000, 1000);
  s.seed_number = args.number("seed", 1, 0);
  s.seed = !args.has("no-seed");
  s.plugin_path = args.get("plugin", host::default_plugin_path());
  s.explain = args.has("explain") || self_check;
  s.search_index = args.has("search-index");
  s.command = command;
  const Target target(backend, args.get("db"), args.has("keep"));
  s.connection_string = target.connection_string();
  if (args.has("plan-pages")) {
    bench::run_plan_pages(s, std::cout);
    return 0;
  }
  const json results = bench::run_benchmark(s);
  bench::print_summary(results, std::cout);
  if (args.has("json")) {
    std::ofstream out(args.get("json"));
    out << results.dump(2) << "\n";
    if (!out) throw std::runtime_error("cannot write " + args.get("json"));
  }
  const bool passed = results["checks"]["passed"].get<bool>();
  if (self_check) std::cout << "self-check " << (passed ? "passed" : "FAILED") << " on " << results["backend"].get<std::string>() << "\n";
  return passed ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  signal(SIGPIPE, SIG_IGN);  // a worker that dies is reported, not fatal
  try {
    if (argc >= 2 && std::strcmp(argv[1], "plugin-worker") == 0) {
      if (argc != 4) throw std::invalid_argument("plugin-worker CONNECTION PLUGIN");
      return bench::plugin_worker_main(argv[2], argv[3]);
    }
    if (argc >= 2 && (std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0)) {
      std::cout << kUsage;
      return 0;
    }
    if (argc >= 2 && std::strcmp(argv[1], "report") == 0) return report(parse(argc, argv, 2));
    const Args args = parse(argc, argv, 1);
    if (!args.positional.empty()) throw std::invalid_argument("unexpected argument \"" + args.positional.front() + "\"");
    return benchmark(args, command_line(argc, argv));
  } catch (const std::invalid_argument& e) {
    std::cerr << "cpb-bench: " << e.what() << "\n\n" << kUsage;
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "cpb-bench: " << e.what() << "\n";
    return 1;
  }
}
