// sis-host-sim: a host SIS in miniature, for integrators and tests. It loads
// the plugin with Boost.DLL and drives it through the C ABI alone.
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "database.hpp"
#include "history.hpp"
#include "plan_rows.hpp"
#include "plugin_loader.hpp"
#include "plugin_run.hpp"
#include "wizard_server.hpp"

namespace {

using json = nlohmann::ordered_json;

// A usage error found after the command line parsed (a value out of range).
struct UsageError : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

// The commands whose every failure is error JSON on stdout and one line on stderr.
bool answers_in_json(const std::string& command) {
  return command == "run" || command == "plan" || command == "apply" || command == "plan-rows";
}

constexpr int64_t kMaxId = std::numeric_limits<int64_t>::max();
constexpr int64_t kMaxSeedStudents = 1000000;  // the largest district seed makes (the benchmark's is 300,000)

// A whole number from minimum to maximum, checked before the flag's variable
// takes it: a value is refused naming the flag, never cut to fit. The toolbar
// flags are checked only against what the C ABI's fields hold: which values
// make sense is the plugin's to say, naming the field.
CLI::Validator whole_number(int64_t minimum = std::numeric_limits<int64_t>::min(), int64_t maximum = kMaxId) {
  const bool bounded = minimum != std::numeric_limits<int64_t>::min() || maximum != kMaxId;
  return CLI::Validator(
      [=](std::string& text) -> std::string {
        size_t used = 0;
        long long value = 0;
        try {
          value = std::stoll(text, &used);
        } catch (const std::exception&) {
          used = 0;
        }
        if (used == text.size() && !text.empty() && value >= minimum && value <= maximum) return {};
        return "takes a whole number" + (bounded ? " from " + std::to_string(minimum) + " to " + std::to_string(maximum) : std::string()) +
               ", not \"" + text + "\"";
      },
      "INTEGER", "whole number");
}

std::string read_options(const std::string& source) {
  if (source == "-") return std::string(std::istreambuf_iterator<char>(std::cin), {});
  std::ifstream in(source, std::ios::binary);
  if (!in) throw std::invalid_argument("cannot read the options file " + source);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// The five steps as "[n/5] phase"; the write's reports after its step (phase
// "write" again: host rows written of rows to write) on the same line.
int show_progress(void*, const char* phase, int64_t done, int64_t total) {
  static std::string last_phase;
  static int64_t last_step = 0, steps = 0;
  if (last_phase == "write" && std::string(phase) == "write") {
    std::fprintf(stderr, "\r[%lld/%lld] write: %lld of %lld rows   ", static_cast<long long>(last_step + 1), static_cast<long long>(steps),
                 static_cast<long long>(done), static_cast<long long>(total));
  } else {
    last_phase = phase;
    last_step = done;
    steps = total;
    std::fprintf(stderr, "\r[%lld/%lld] %-30s", static_cast<long long>(done + 1), static_cast<long long>(total), phase);
  }
  std::fflush(stderr);
  return 0;
}

int print_run_error(const std::string& code, const std::string& message, int exit_code) {
  std::cout << json{{"error", {{"code", code}, {"message", message}}}}.dump(2) << "\n";
  std::cerr << "sis-host-sim: " << code << ": " << message << "\n";
  return exit_code;
}

// What every command may be given; each command registers the flags it takes.
struct Flags {
  std::string db;
  std::string plugin;
  host::Toolbar toolbar;
  std::string options;
  int64_t students = 0, seed = 1, year = 2027;
  std::string batch;
  int64_t plan = 0;
  std::string kind = "changes";
  bool csv = false;
  std::string search, device, warning;  // plan-rows filters
  std::vector<int64_t> exclude_persons, exclude_households;
  int64_t chunk_rows = 0;
  std::string listen = "127.0.0.1:8080";
  std::string serve_date;
  int progress_delay_ms = 0;
  int64_t serve_user = 0;

  std::string plugin_path() const { return plugin.empty() ? host::default_plugin_path() : plugin; }
};

void add_db(CLI::App* command, Flags& f, const char* what) { command->add_option("--db", f.db, what)->required(); }

void add_plugin(CLI::App* command, Flags& f) {
  command->add_option("--plugin", f.plugin, "the plugin to load (default: the one built or installed beside this program)");
}

void add_toolbar(CLI::App* command, Flags& f) {
  add_db(command, f, "the host database: an ODBC connection string, or the path of an existing SQLite file");
  command->add_option("--year", f.toolbar.year, "the toolbar's school year, by its end year (2027 for 2026-27)")
      ->required()
      ->check(whole_number(std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max()));
  command->add_option("--school", f.toolbar.school, "the toolbar's school (default 0: all schools)")->check(whole_number());
  command->add_option("--calendar", f.toolbar.calendar, "the toolbar's calendar (default 0: all calendars)")->check(whole_number());
  command->add_option("--user", f.toolbar.user, "the user_account running the tool")->required()->check(whole_number());
  command->add_option("--date", f.toolbar.date, "the effective date, YYYY-MM-DD (default: today)");
  add_plugin(command, f);
}

// The database is checked before the plugin opens it, since the plugin would
// create its tables in any database: the exit code of a refusal, or none.
std::optional<int> refuse_non_host_database(const std::string& db) {
  try {
    (void)host::open_host_database(db);
  } catch (const host::NotAHostDatabase& e) {
    return print_run_error("database", e.what(), 1);
  }
  return std::nullopt;
}

// Runs one plugin call and prints its JSON; the exit code of `run`.
int run_and_print(const Flags& f, const std::string& options) {
  try {
    const host::LoadedPlugin plugin(f.plugin_path());
    if (const auto refused = refuse_non_host_database(f.db)) return *refused;
    const bool tty = isatty(STDERR_FILENO);
    const host::PluginOutcome outcome =
        host::run_plugin(plugin.api(), host::connection_string(f.db), f.toolbar, options, tty ? show_progress : nullptr, nullptr);
    if (tty) std::fprintf(stderr, "\r%60s\r", "");
    std::cout << outcome.json.dump(2) << "\n";
    if (!outcome.ok()) std::cerr << "sis-host-sim: " << outcome.error_code() << ": " << outcome.error_message() << "\n";
    return outcome.ok() ? 0 : 1;
  } catch (const std::exception& e) {
    return print_run_error("internal", e.what(), 1);
  }
}

std::string read_options_or_throw(const Flags& f, const char* command) {
  if (f.options.empty()) throw std::invalid_argument(std::string(command) + " needs --options FILE|- (the options JSON)");
  return read_options(f.options);
}

int run_command(const Flags& f) {
  std::string options;
  try {
    options = read_options_or_throw(f, "run");
  } catch (const std::invalid_argument& e) {
    return print_run_error("invalid_options", e.what(), 2);
  }
  return run_and_print(f, options);
}

// plan: the options of an apply, planned instead of written.
int plan_command(const Flags& f) {
  json options;
  try {
    options = json::parse(read_options_or_throw(f, "plan"), nullptr, false);
    if (!options.is_object()) throw std::invalid_argument("the options are not a JSON object");
    if (options.contains("action") && options["action"] != "plan" && options["action"] != "apply")
      throw std::invalid_argument("plan takes the options of an apply; \"action\" must be left out");
  } catch (const std::invalid_argument& e) {
    return print_run_error("invalid_options", e.what(), 2);
  }
  options["action"] = "plan";
  return run_and_print(f, options.dump());
}

int apply_command(const Flags& f) {
  json options = {{"action", "apply"}, {"plan_id", f.plan}};
  if (!f.exclude_persons.empty()) options["exclude_person_ids"] = f.exclude_persons;
  if (!f.exclude_households.empty()) options["exclude_household_ids"] = f.exclude_households;
  if (f.chunk_rows) options["chunk_rows"] = f.chunk_rows;
  return run_and_print(f, options.dump());
}

int plan_rows_command(const Flags& f) {
  try {
    const host::LoadedPlugin plugin(f.plugin_path());
    if (const auto refused = refuse_non_host_database(f.db)) return *refused;
    const host::PluginOutcome outcome = host::print_plan_rows(plugin.api(), host::connection_string(f.db), f.toolbar,
                                                              {f.plan, f.kind, f.csv, f.search, f.device, f.warning}, std::cout);
    if (outcome.ok()) return 0;
    std::cout << outcome.json.dump(2) << "\n";
    std::cerr << "sis-host-sim: " << outcome.error_code() << ": " << outcome.error_message() << "\n";
    return 1;
  } catch (const std::exception& e) {
    return print_run_error("internal", e.what(), 1);
  }
}

int demo(const Flags& f) {
  const host::LoadedPlugin plugin(f.plugin_path());
  std::string path = f.db;
  if (path.empty()) {
    const auto dir = std::filesystem::temp_directory_path() / ("sis-host-sim-demo-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir);
    path = (dir / "demo.db").string();
  } else if (host::is_connection_string(path)) {
    throw UsageError("demo takes the path of an SQLite file (it replaces the file), not a connection string");
  } else if (std::filesystem::exists(path)) {
    // The demo starts afresh, but only ever replaces a host database: never someone's other file.
    (void)host::open_host_database(path);
    std::filesystem::remove(path);
  }
  const int64_t students = f.students ? f.students : 2000;
  const int year = 2027;
  {
    cpb::odbc::Connection db = cpb::odbc::Connection::open(host::connection_string(path));
    host::init_schema(db);
    const host::SeedSummary s = host::seed_district(db, students, 1, year);
    std::cerr << "demo: a district of " << s.students << " students, " << s.contacts << " contacts, " << s.staff << " staff in "
              << s.schools << " schools at " << path << "\n";
  }
  Flags run = f;
  run.db = path;
  run.toolbar.year = year;
  run.toolbar.user = 1;
  run.toolbar.date = "2026-10-01";
  std::cerr << "demo: turning emergency On everywhere and attendance On for cell and household phones, Off for e-mail,\n"
               "      for the Messenger contacts of every enrolled student in 2026-27 (as of 2026-10-01):\n";
  std::cerr << "demo: open the wizard on this database with: sis-host-sim serve --db " << path << "\n";
  return run_and_print(run, R"({"mode": "student_messenger_contacts",
  "preferences": {"emergency": "on", "attendance": {"cell_phone": "on", "email": "off", "household_phone": "on"}, "general": "no_change"}})");
}

// init creates a database; it refuses a file that is there but is no SQLite database.
int init_command(const Flags& f) {
  if (!host::is_connection_string(f.db) && std::filesystem::exists(f.db) && std::filesystem::file_size(f.db) > 0) {
    char magic[16] = {0};
    std::ifstream(f.db, std::ios::binary).read(magic, sizeof magic);
    if (std::memcmp(magic, "SQLite format 3", 16) != 0)
      throw std::runtime_error(f.db + " exists and is not an SQLite database; init leaves it alone");
  }
  cpb::odbc::Connection db = cpb::odbc::Connection::open(host::connection_string(f.db));
  host::init_schema(db);
  return 0;
}

int seed_command(const Flags& f) {
  cpb::odbc::Connection db = host::open_host_database(f.db);
  const host::SeedSummary s = host::seed_district(db, f.students, f.seed, static_cast<int>(f.year));
  std::cout << json{{"students", s.students}, {"contacts", s.contacts}, {"staff", s.staff}, {"schools", s.schools}}.dump() << "\n";
  return 0;
}

int show_batch_command(const Flags& f) {
  const std::string& number = f.batch;
  if (number.empty() || number.size() > 18 || number.find_first_not_of("0123456789") != std::string::npos)
    throw UsageError("show-batch takes a batch number, not \"" + number + "\"");
  cpb::odbc::Connection db = host::open_host_database(f.db);
  const host::LoadedPlugin plugin(f.plugin_path());
  return host::print_batch(db, json::parse(plugin.api().describe()), std::stoll(number), std::cout);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"sis-host-sim: a host SIS in miniature that loads the Contact Preferences Batch plugin.\n"
               "DB is an ODBC connection string (it contains '='), or the path of an SQLite file;\n"
               "only init and demo create a database.",
               "sis-host-sim"};
  app.require_subcommand(1);
  app.footer("Run sis-host-sim COMMAND --help for the flags of a command.");
  Flags f;

  CLI::App* init = app.add_subcommand("init", "create the host schema (idempotent; creates the SQLite file)");
  add_db(init, f, "an ODBC connection string, or the path of the SQLite file to create");

  CLI::App* seed = app.add_subcommand("seed", "a synthetic district (replaces the host tables' rows)");
  add_db(seed, f, "the host database (made by init)");
  seed->add_option("--students", f.students, "how many students")->required()->check(whole_number(1, kMaxSeedStudents));
  seed->add_option("--seed", f.seed, "the random seed (default 1)")->check(whole_number());
  // Four-digit years, as the plugin takes them: the district's dates reach ten years back.
  seed->add_option("--year", f.year, "the school year, by its end year (default 2027)")->check(whole_number(1900, 9999));

  CLI::App* run = app.add_subcommand("run", "run a batch (or an undo); the result JSON on stdout");
  add_toolbar(run, f);
  run->add_option("--options", f.options, "the options JSON: a file, or - for stdin");

  CLI::App* plan = app.add_subcommand("plan", "plan a batch: what it would write, to whom; the plan JSON on stdout");
  add_toolbar(plan, f);
  plan->add_option("--options", f.options, "the options JSON of an apply: a file, or - for stdin");

  CLI::App* plan_rows = app.add_subcommand("plan-rows", "every row of a plan: a table, or CSV");
  add_toolbar(plan_rows, f);
  plan_rows->add_option("--plan", f.plan, "the plan_id of the plan")->required()->check(whole_number());
  plan_rows->add_option("--kind", f.kind, "changes (default) or skipped")->check(CLI::IsMember({"changes", "skipped"}));
  plan_rows->add_flag("--csv", f.csv, "CSV with a header line instead of a table");
  plan_rows->add_option("--search", f.search, "only rows whose name contains TEXT (any case); digits also find that person or household id");
  plan_rows->add_option("--device", f.device, "only that device's rows (household_phone, cell_phone, ...)");
  plan_rows->add_option("--warning", f.warning, "only the rows a warning counts: no_emergency_channel or reaches_non_targets");

  CLI::App* apply = app.add_subcommand("apply", "apply a plan, less the people and households excluded; the result JSON on stdout");
  add_toolbar(apply, f);
  apply->add_option("--plan", f.plan, "the plan_id of the plan")->required()->check(whole_number());
  apply->add_option("--exclude-person", f.exclude_persons, "a person to leave out (repeatable)")->check(whole_number());
  apply->add_option("--exclude-household", f.exclude_households, "a household to leave out (repeatable)")->check(whole_number());
  apply->add_option("--chunk-rows", f.chunk_rows, "write in chunks of at most N host rows, each its own transaction (N >= 1000)")
      ->check(whole_number());

  CLI::App* describe = app.add_subcommand("describe", "the plugin's describe JSON");
  add_plugin(describe, f);

  CLI::App* demo_command = app.add_subcommand("demo", "init + seed + a sample run on a fresh SQLite file");
  demo_command->add_option("--db", f.db, "the SQLite file (replaced when it is a host database; default: a new temporary file)");
  demo_command->add_option("--students", f.students, "how many students (default 2000)")->check(whole_number(1, kMaxSeedStudents));
  add_plugin(demo_command, f);

  CLI::App* history = app.add_subcommand("history", "the batches run so far, with their status");
  add_db(history, f, "the host database");

  CLI::App* show_batch = app.add_subcommand("show-batch", "one batch, the rows it changed and an undo's conflicts");
  add_db(show_batch, f, "the host database");
  show_batch->add_option("batch", f.batch, "the batch number")->required();
  add_plugin(show_batch, f);  // its describe names the reasons and devices of the changes

  CLI::App* serve = app.add_subcommand("serve", "the tool's wizard as a web page, over the plugin");
  add_db(serve, f, "the host database");
  serve->add_option("--listen", f.listen, "ADDRESS:PORT to listen on (default 127.0.0.1:8080; port 0: any free port)");
  serve->add_option("--date", f.serve_date, "the effective date of every run, YYYY-MM-DD (default: today)");
  serve->add_option("--progress-delay", f.progress_delay_ms,
                    "simulator only: pause MS milliseconds at each progress step, to watch progress and try Cancel")
      ->check(CLI::Range(0, 60000));
  serve->add_option("--user", f.serve_user,
                    "run every request as this user_account, as a host runs its session's user (default: the page picks one)")
      ->check(whole_number(1));
  add_plugin(serve, f);

  const std::string command = argc >= 2 ? argv[1] : "";
  bool known = false;
  const CLI::App& commands = app;
  for (const CLI::App* sub : commands.get_subcommands(std::function<bool(const CLI::App*)>([](const CLI::App*) { return true; })))
    known = known || sub->get_name() == command;
  if (!command.empty() && command[0] != '-' && !known) {
    std::cerr << "sis-host-sim: unknown command \"" << command << "\"\n\nusage: sis-host-sim COMMAND [OPTIONS]\n" << app.help();
    return 2;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    if (answers_in_json(command)) return print_run_error("invalid_context", e.what(), 2);
    std::cerr << "sis-host-sim: " << e.what() << "\n";
    std::cerr << "usage: " << (command.empty() || command[0] == '-' ? "sis-host-sim COMMAND --help" : "sis-host-sim " + command + " --help")
              << "\n";
    if (command.empty()) std::cerr << "\n" << app.help();
    return 2;
  }

  try {
    if (*init) return init_command(f);
    if (*seed) return seed_command(f);
    if (*run) return run_command(f);
    if (*plan) return plan_command(f);
    if (*plan_rows) return plan_rows_command(f);
    if (*apply) return apply_command(f);
    if (*history) {
      cpb::odbc::Connection db = host::open_host_database(f.db);
      return host::print_history(db, std::cout);
    }
    if (*show_batch) return show_batch_command(f);
    if (*describe) {
      const host::LoadedPlugin plugin(f.plugin_path());
      // One write: a reader that stops at the first match (grep -q) cannot cut the output short.
      const std::string text = json::parse(plugin.api().describe()).dump(2) + "\n";
      std::cout.flush();
      for (size_t written = 0; written < text.size();) {
        const ssize_t n = ::write(STDOUT_FILENO, text.data() + written, text.size() - written);
        if (n < 0) return 1;
        written += static_cast<size_t>(n);
      }
      return 0;
    }
    if (*demo_command) return demo(f);
    if (*serve) {
      (void)host::open_host_database(f.db);
      const host::LoadedPlugin plugin(f.plugin_path());
      return host::serve_wizard(plugin.api(), {f.db, f.listen, f.serve_date, f.progress_delay_ms, f.serve_user}, std::cout);
    }
  } catch (const UsageError& e) {
    std::cerr << "sis-host-sim: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "sis-host-sim: " << e.what() << "\n";
    return 1;
  }
  return 2;
}
