// What differs per database engine, in one place: one Engine per supported
// engine, with the words its DDL differs by (Dialect). Everything else that
// differs is SQL, in sql/<area>/<engine>/ folders found through Engine::name
// (docs/ENGINES.md: adding an engine).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cpb::odbc {

class Error;

// How a run's transaction is started and ended.
enum class TransactionControl {
  // Autocommit stays on; sql/plugin/<engine>/begin.sql, commit.sql and
  // rollback.sql start and end it (SQLite: BEGIN IMMEDIATE takes the write lock first).
  sql_statements,
  // ODBC manual commit (autocommit off, SQLEndTran); begin.sql runs first inside it.
  odbc_manual_commit,
};

// The words an engine's DDL differs by, so that the plugin's own tables, its
// working tables and the host schema are each written once
// (sql/plugin/own_tables.sql, sql/plugin/temp_tables.sql,
// sql/schema/tables.sql) with these as $ variables (dialect_variables).
struct Dialect {
  // $key_integer: the type of a whole-number key the engine numbers or looks up
  // by (the host's ids, a run's working sets). SQLite's INTEGER makes a single
  // key column the table's rowid; BIGINT elsewhere.
  std::string_view key_integer;
  // $date_type, $timestamp_type: a date and a date with time of day. SQLite
  // keeps ISO-8601 text; MariaDB says DATETIME (its TIMESTAMP column changes on
  // its own on UPDATE).
  std::string_view date_type;
  std::string_view timestamp_type;
  // $keyed_text: a text column in a key or an index read in order. MariaDB
  // indexes only a prefix of a TEXT, which gives no order: VARCHAR(700), whose
  // 700 characters of utf8mb4 keep a key under InnoDB's 3,072 bytes (the names
  // are cut there: person_sort_name.sql, member_names.sql).
  std::string_view keyed_text;
  // $create_temp_table: the words that begin a temporary table's CREATE.
  std::string_view create_temp_table;
  // $own_table_options, $temp_table_options, $host_table_options: what
  // follows the closing parenthesis of a CREATE TABLE of the plugin's own
  // tables, of its working tables, of the host schema. MariaDB: InnoDB, and
  // the plugin's tables in utf8mb4 with its binary collation whatever the
  // database's default (a latin1 database would refuse any name outside
  // Latin-1, SQLSTATE 22007), ordered as SQLite orders (upgrade_statements.sql
  // converts tables an older version made); the host's in the database's
  // default, as a host's are. PostgreSQL empties its working tables at commit.
  std::string_view own_table_options;
  std::string_view temp_table_options;
  std::string_view host_table_options;
  // $catalog_tables: a subquery of one column, table_name, listing the tables
  // of the connection's database or schema (the host simulator's checks).
  std::string_view catalog_tables;
};

struct Engine {
  std::string_view name;          // "sqlite": also the folder of its SQL overrides, sql/<area>/<name>/
  std::string_view display_name;  // "SQLite", for messages
  std::string_view odbc_driver;   // the unixODBC driver name the tests and docs use
  // Detection: SQLGetInfo(SQL_DBMS_NAME) contains this text.
  std::string_view dbms_name;
  TransactionControl transaction;
  // Errors that mean "another writer holds the rows or the lock; retry later"
  // (the JSON code `conflict`): by SQLSTATE, by the driver's native code, or
  // by a text in the message (drivers that report them as HY000 only).
  std::vector<std::string_view> conflict_sqlstates;
  std::vector<long> conflict_native_errors;
  std::vector<std::string_view> conflict_messages;
  // Engines whose driver waits for another writer's lock on every statement
  // (SQLite: libsqliteodbc's `Timeout=`, in ms): the connection-string key and
  // the driver's default. A connection opened with LockWaits::bounded_per_call
  // reads the budget from it and waits at most that long per call in total
  // (Connection::retrying_while_locked). Empty: the server bounds each wait.
  std::string_view lock_wait_key;
  long default_lock_wait_ms = 0;
  // The harnesses' server (tests/support, bench/): empty for an engine with
  // none (SQLite: a file). Environment variables holding a server's ODBC
  // connection string (its Database= is replaced by each run's own database):
  // the tests', the one that makes a missing server an error, the benchmark's
  // (else the tests'); and what follows DROP DATABASE name.
  std::string_view test_server_variable;
  std::string_view require_server_variable;
  std::string_view bench_server_variable;
  std::string_view drop_database_options;
  Dialect dialect;
};

// The dialect as the SQL files' $ variables: {"key_integer", "BIGINT"}, ...
std::vector<std::pair<std::string, std::string>> dialect_variables(const Engine& engine);

// The SQL files an engine's folder sql/plugin/<engine>/ may hold besides
// overrides of standard sql/plugin/ files: the hooks whose presence or text is
// the engine's way of doing a step. Each is named here once; the plugin asks
// for no other optional file (sql_exists refuses an undeclared name), and
// tests/odbc checks every engine's folder against this list.
struct SqlHook {
  enum class Need {
    required,                  // every engine provides it
    required_for_sql_control,  // engines with TransactionControl::sql_statements
    optional,                  // present: the step is run; absent: skipped
  };
  std::string_view name;  // "begin": sql/plugin/<engine>/begin.sql
  Need need;
  std::string_view purpose;
};
const std::vector<SqlHook>& sql_hooks();
// The hook of that name; NULL when none is declared.
const SqlHook* find_sql_hook(std::string_view name);

// The supported engines, in the order the docs list them.
const std::vector<Engine>& engines();
// The engine whose dbms_name the DBMS name contains; NULL when none.
const Engine* find_engine(std::string_view dbms_name);
// "SQLite, PostgreSQL and MariaDB".
std::string supported_engines_text();
// True when the error is one of the engine's conflicts.
bool is_conflict(const Engine& engine, const std::string& sqlstate, long native_error, std::string_view message);

}  // namespace cpb::odbc
