#include "engine.hpp"

#include <algorithm>

namespace cpb::odbc {

const std::vector<Engine>& engines() {
  static const std::vector<Engine> all = {
      {"sqlite", "SQLite", "SQLite3", "SQLite", TransactionControl::sql_statements,
       // libsqliteodbc reports SQLITE_BUSY/SQLITE_LOCKED as HY000 with the text only.
       {},
       {},
       {"database is locked", "database table is locked"},
       "Timeout",
       100000,
       {},
       {},
       {},
       {},
       {"INTEGER", "TEXT", "TEXT", "TEXT", "CREATE TEMP TABLE", "", "", "",
        "(SELECT name AS table_name FROM sqlite_master WHERE type = 'table')"}},
      {"postgresql", "PostgreSQL", "PostgreSQL Unicode", "PostgreSQL", TransactionControl::odbc_manual_commit,
       // 40001 serialization failure, 40P01 deadlock, 55P03 lock_timeout,
       // 57014 statement_timeout (the plugin never cancels a statement itself).
       {"40001", "40P01", "55P03", "57014"},
       {},
       {},
       {},
       0,
       "CPB_TEST_PG",
       "CPB_TEST_REQUIRE_PG",
       "CPB_BENCH_PG",
       // a database with a connection left open cannot be dropped otherwise
       " WITH (FORCE)",
       {"BIGINT", "DATE", "TIMESTAMP", "TEXT", "CREATE TEMP TABLE", "", " ON COMMIT DELETE ROWS", "",
        "(SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema())"}},
      {"mariadb", "MariaDB", "MariaDB Unicode", "MariaDB", TransactionControl::odbc_manual_commit,
       // 40001 deadlock as Connector/ODBC reports it; HY000 with 1205 lock wait
       // timeout, 1213 deadlock, 1969 max_statement_time exceeded.
       {"40001"},
       {1205, 1213, 1969},
       {},
       {},
       0,
       "CPB_TEST_MARIADB",
       "CPB_TEST_REQUIRE_MARIADB",
       "CPB_BENCH_MARIADB",
       "",
       {"BIGINT", "DATE", "DATETIME", "VARCHAR(700)", "CREATE TEMPORARY TABLE",
        " ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin",
        " ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin", " ENGINE = InnoDB",
        "(SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE())"}},
  };
  return all;
}

std::vector<std::pair<std::string, std::string>> dialect_variables(const Engine& engine) {
  const Dialect& d = engine.dialect;
  return {{"key_integer", std::string(d.key_integer)},
          {"date_type", std::string(d.date_type)},
          {"timestamp_type", std::string(d.timestamp_type)},
          {"keyed_text", std::string(d.keyed_text)},
          {"create_temp_table", std::string(d.create_temp_table)},
          {"own_table_options", std::string(d.own_table_options)},
          {"temp_table_options", std::string(d.temp_table_options)},
          {"host_table_options", std::string(d.host_table_options)},
          {"catalog_tables", std::string(d.catalog_tables)}};
}

const std::vector<SqlHook>& sql_hooks() {
  using Need = SqlHook::Need;
  static const std::vector<SqlHook> all = {
      {"table_exists", Need::required, "1 when the own table :table exists"},
      {"column_exists", Need::required, "1 when the own table :table has the column :column (own_tables.cpp adds those 1.2 added)"},
      {"begin", Need::required, "runs first in a run's transaction (isolation, the batch lock)"},
      {"begin_read", Need::required, "runs first in the transaction of a run that only reads (a plan's pages): a snapshot, no batch lock"},
      {"keep_apart", Need::required, "fragment ending a subquery so that it is not merged into the query around it"},
      {"commit", Need::required_for_sql_control, "ends the transaction"},
      {"rollback", Need::required_for_sql_control, "takes the transaction back"},
      {"host_transaction", Need::optional, "1 when the host left a transaction open; absent: only autocommit is safe"},
      {"own_settings", Need::optional, "fragment of begin.sql and the DDL's prelude: the session settings the SQL is written for"},
      {"drop_working_tables", Need::optional,
       "before the transaction ends: the working tables dropped, where taking back their rows costs as much as writing them"},
      {"restore_settings", Need::optional, "after the transaction and the DDL: the session's settings put back (with own_settings)"},
      {"upgrade_statements", Need::optional, "on open: rows of statements that bring older own tables up to date"},
      {"analyze_targets", Need::optional, "planner statistics of the target set"},
      {"analyze_households", Need::optional, "planner statistics of the household set"},
      {"analyze_stage", Need::optional, "planner statistics of the staged rows"},
      {"analyze_plan_rows", Need::optional, "planner statistics of a plan's rows, before its warned rows are chosen from them"},
      {"analyze_plan_review", Need::optional, "planner statistics of a plan's warned rows, before its totals are counted"},
      {"analyze_contact_changes", Need::optional, "planner statistics of the contact change records"},
      {"analyze_household_changes", Need::optional, "planner statistics of the household change records"},
  };
  return all;
}

const SqlHook* find_sql_hook(std::string_view name) {
  for (const SqlHook& h : sql_hooks())
    if (h.name == name) return &h;
  return nullptr;
}

const Engine* find_engine(std::string_view dbms_name) {
  for (const Engine& e : engines())
    if (dbms_name.find(e.dbms_name) != std::string_view::npos) return &e;
  return nullptr;
}

std::string supported_engines_text() {
  std::string out;
  const auto& all = engines();
  for (size_t i = 0; i < all.size(); ++i) {
    if (i > 0) out += i + 1 == all.size() ? " and " : ", ";
    out += all[i].display_name;
  }
  return out;
}

bool is_conflict(const Engine& engine, const std::string& sqlstate, long native_error, std::string_view message) {
  const auto& states = engine.conflict_sqlstates;
  const auto& natives = engine.conflict_native_errors;
  if (std::find(states.begin(), states.end(), sqlstate) != states.end()) return true;
  if (native_error != 0 && std::find(natives.begin(), natives.end(), native_error) != natives.end()) return true;
  for (std::string_view text : engine.conflict_messages)
    if (message.find(text) != std::string_view::npos) return true;
  return false;
}

}  // namespace cpb::odbc
