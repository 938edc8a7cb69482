// sis-host-sim: a host SIS in miniature, for integrators and tests. It loads
// the plugin with Boost.DLL and drives it through the C ABI alone.
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "database.hpp"
#include "history.hpp"
#include "plugin_loader.hpp"

namespace {

using json = nlohmann::ordered_json;

constexpr const char* kUsage = R"(usage: sis-host-sim COMMAND [OPTIONS]

Commands:
  init       --db DB                       create the host schema (idempotent)
  seed       --db DB --students N [--seed S] [--year Y]
                                           a synthetic district (replaces the tables' rows)
  run        --db DB --year Y [--school S] [--calendar C] --user U
             [--date YYYY-MM-DD] --options FILE|-
                                           run a batch; result JSON on stdout
  describe                                 the plugin's describe JSON
  demo       [--db FILE] [--students N]    init + seed + a sample run on a fresh embedded database
  history    --db DB                       the batches run so far
  show-batch --db DB N                     one batch and the rows it changed

DB is an ODBC connection string (it contains '='), or the path of an embedded
SQLite database. --plugin PATH loads another build of the plugin (default: the
one built beside this program).
)";

struct Args {
  std::string command;
  std::map<std::string, std::string> flags;
  std::vector<std::string> positional;

  bool has(const std::string& name) const { return flags.count(name) != 0; }
  std::string get(const std::string& name, const std::string& fallback = {}) const {
    const auto it = flags.find(name);
    return it == flags.end() ? fallback : it->second;
  }
  std::string required(const std::string& name) const {
    if (!has(name)) throw std::invalid_argument(command + " needs --" + name);
    return get(name);
  }
  int64_t integer(const std::string& name, int64_t fallback) const {
    if (!has(name)) return fallback;
    const std::string text = get(name);
    size_t used = 0;
    int64_t value = 0;
    try {
      value = std::stoll(text, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != text.size() || text.empty()) throw std::invalid_argument("--" + name + " takes a whole number, not \"" + text + "\"");
    return value;
  }
};

Args parse_args(int argc, char** argv) {
  Args args;
  if (argc < 2) throw std::invalid_argument("no command given");
  args.command = argv[1];
  for (int i = 2; i < argc; ++i) {
    std::string a = argv[i];
    if (a.rfind("--", 0) == 0) {
      const size_t eq = a.find('=');
      if (eq != std::string::npos) {
        args.flags[a.substr(2, eq - 2)] = a.substr(eq + 1);
      } else if (i + 1 < argc) {
        args.flags[a.substr(2)] = argv[++i];
      } else {
        throw std::invalid_argument(a + " needs a value");
      }
    } else {
      args.positional.push_back(a);
    }
  }
  return args;
}

std::string read_options(const std::string& source) {
  if (source == "-") return std::string(std::istreambuf_iterator<char>(std::cin), {});
  std::ifstream in(source, std::ios::binary);
  if (!in) throw std::invalid_argument("cannot read the options file " + source);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

int show_progress(void*, const char* phase, int64_t done, int64_t total) {
  std::fprintf(stderr, "\r[%lld/%lld] %-10s", static_cast<long long>(done + 1), static_cast<long long>(total), phase);
  std::fflush(stderr);
  return 0;
}

int print_run_error(const char* code, const std::string& message, int exit_code) {
  std::cout << json{{"error", {{"code", code}, {"message", message}}}}.dump(2) << "\n";
  std::cerr << "sis-host-sim: " << code << ": " << message << "\n";
  return exit_code;
}

struct RunRequest {
  std::string db;
  int32_t year = 0;
  int64_t school = 0, calendar = 0, user = 0;
  std::string date;  // empty: today
  std::string options;
};

// Opens the plugin on the database, runs one batch and prints the result.
int run_batch(const host::PluginApi& api, const RunRequest& r) {
  sis_plugin* plugin = nullptr;
  char error[2048] = {0};
  const sis_status opened = api.open(host::connection_string(r.db).c_str(), &plugin, error, sizeof error);
  if (opened != SIS_OK) {
    std::cout << error << "\n";
    std::cerr << "sis-host-sim: cannot open the database: " << json::parse(error, nullptr, false).value("/error/message"_json_pointer, std::string(error)) << "\n";
    return 1;
  }
  sis_toolbar_context ctx{};
  ctx.struct_size = sizeof ctx;
  ctx.end_year = r.year;
  ctx.school_id = r.school;
  ctx.calendar_id = r.calendar;
  ctx.user_id = r.user;
  ctx.effective_date = r.date.empty() ? nullptr : r.date.c_str();
  sis_counts counts{};
  counts.struct_size = sizeof counts;
  const char* result = nullptr;
  const bool tty = isatty(STDERR_FILENO);
  const sis_status status = api.run(plugin, &ctx, r.options.data(), r.options.size(), tty ? show_progress : nullptr, nullptr, &counts, &result);
  if (tty) std::fprintf(stderr, "\r%40s\r", "");
  std::cout << json::parse(result).dump(2) << "\n";
  if (status != SIS_OK) {
    const json e = json::parse(api.last_error(plugin));
    std::cerr << "sis-host-sim: " << e["error"].value("code", "error") << ": " << e["error"].value("message", "") << "\n";
  }
  api.close(plugin);
  return status == SIS_OK ? 0 : 1;
}

int demo(const host::PluginApi& api, const Args& args) {
  std::string path = args.get("db");
  if (path.empty()) {
    const auto dir = std::filesystem::temp_directory_path() / ("sis-host-sim-demo-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir);
    path = (dir / "demo.db").string();
  }
  std::filesystem::remove(path);
  const int64_t students = args.integer("students", 2000);
  const int year = 2027;
  {
    cpb::odbc::Connection db = cpb::odbc::Connection::open(host::connection_string(path));
    host::init_schema(db);
    const host::SeedSummary s = host::seed_district(db, students, 1, year);
    std::cerr << "demo: a district of " << s.students << " students, " << s.contacts << " contacts, " << s.staff << " staff in "
              << s.schools << " schools at " << path << "\n";
  }
  RunRequest r;
  r.db = path;
  r.year = year;
  r.user = 1;
  r.date = "2026-10-01";
  r.options = R"({"mode": "student_messenger_contacts",
  "preferences": {"emergency": "on", "attendance": {"cell_phone": "on", "email": "off", "household_phone": "on"}, "general": "no_change"}})";
  std::cerr << "demo: turning emergency On everywhere and attendance On for cell and household phones, Off for e-mail,\n"
               "      for the Messenger contacts of every enrolled student in 2026-27 (as of 2026-10-01):\n";
  return run_batch(api, r);
}

// `run` answers every failure the same way: error JSON on stdout, one line on stderr.
int run_command(const Args& args) {
  RunRequest r;
  try {
    r.db = args.required("db");
    if (!args.has("year")) throw std::invalid_argument("run needs --year Y (2027 for 2026-27)");
    r.year = static_cast<int32_t>(args.integer("year", 0));
    r.school = args.integer("school", 0);
    r.calendar = args.integer("calendar", 0);
    if (!args.has("user")) throw std::invalid_argument("run needs --user U (the user_account running the tool)");
    r.user = args.integer("user", 0);
    r.date = args.get("date");
  } catch (const std::invalid_argument& e) {
    return print_run_error("invalid_context", e.what(), 2);
  }
  try {
    r.options = read_options(args.required("options"));
  } catch (const std::invalid_argument& e) {
    return print_run_error("invalid_options", e.what(), 2);
  }
  try {
    const host::LoadedPlugin plugin(args.get("plugin", host::default_plugin_path()));
    return run_batch(plugin.api(), r);
  } catch (const std::exception& e) {
    return print_run_error("internal", e.what(), 1);
  }
}

int dispatch(const Args& args) {
  const std::string& c = args.command;
  if (c == "init" || c == "seed") {
    cpb::odbc::Connection db = cpb::odbc::Connection::open(host::connection_string(args.required("db")));
    if (c == "init") {
      host::init_schema(db);
      return 0;
    }
    const int64_t students = args.integer("students", -1);
    if (students < 1) throw std::invalid_argument("seed needs --students N with N >= 1");
    const host::SeedSummary s = host::seed_district(db, students, args.integer("seed", 1), static_cast<int>(args.integer("year", 2027)));
    std::cout << json{{"students", s.students}, {"contacts", s.contacts}, {"staff", s.staff}, {"schools", s.schools}}.dump() << "\n";
    return 0;
  }
  if (c == "history" || c == "show-batch") {
    cpb::odbc::Connection db = cpb::odbc::Connection::open(host::connection_string(args.required("db")));
    if (c == "history") return host::print_history(db, std::cout);
    if (args.positional.size() != 1) throw std::invalid_argument("show-batch needs the batch number: show-batch --db DB N");
    const std::string& number = args.positional[0];
    if (number.empty() || number.size() > 18 || number.find_first_not_of("0123456789") != std::string::npos)
      throw std::invalid_argument("show-batch takes a batch number, not \"" + number + "\"");
    return host::print_batch(db, std::stoll(number), std::cout);
  }
  if (c == "run") return run_command(args);
  const host::LoadedPlugin plugin(args.get("plugin", host::default_plugin_path()));
  if (c == "describe") {
    std::cout << json::parse(plugin.api().describe()).dump(2) << "\n";
    return 0;
  }
  if (c == "demo") return demo(plugin.api(), args);
  throw std::invalid_argument("unknown command \"" + c + "\"");
}

}  // namespace

int main(int argc, char** argv) {
  try {
    if (argc >= 2 && (std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "-h") == 0 || std::strcmp(argv[1], "help") == 0)) {
      std::cout << kUsage;
      return 0;
    }
    return dispatch(parse_args(argc, argv));
  } catch (const std::invalid_argument& e) {
    std::cerr << "sis-host-sim: " << e.what() << "\n\n" << kUsage;
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "sis-host-sim: " << e.what() << "\n";
    return 1;
  }
}
