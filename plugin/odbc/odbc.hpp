// A thin RAII layer over the ODBC C API: connection, statement with named
// parameters bound by value, and a transaction that rolls back unless committed.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <sql.h>
#include <sqlext.h>

#include "engine.hpp"

namespace cpb::odbc {

// A failed ODBC call: the SQLSTATE and the driver's message.
class Error : public std::runtime_error {
 public:
  Error(const std::string& message, std::string sqlstate, long native_error, bool conflict = false)
      : std::runtime_error(message), sqlstate_(std::move(sqlstate)), native_error_(native_error), conflict_(conflict) {}
  const std::string& sqlstate() const { return sqlstate_; }
  long native_error() const { return native_error_; }
  // Another writer holds the rows or the lock (the engine's conflict codes:
  // serialization failure, deadlock, lock or statement timeout, SQLite busy):
  // retrying later may succeed.
  bool is_conflict() const { return conflict_; }

 private:
  std::string sqlstate_;
  long native_error_;
  bool conflict_;
};

// The DBMS behind the connection is none of engines().
class UnsupportedDatabase : public Error {
 public:
  explicit UnsupportedDatabase(const std::string& dbms_name);
};

// A value for one named parameter. Dates and timestamps travel as ISO text.
struct Value {
  enum class Kind { integer, text, date, timestamp, null_integer, null_text };
  Kind kind = Kind::null_integer;
  int64_t integer = 0;
  std::string text;

  static Value of(int64_t v) { return {Kind::integer, v, {}}; }
  static Value of(std::string v) { return {Kind::text, 0, std::move(v)}; }
  static Value date(std::string iso) { return {Kind::date, 0, std::move(iso)}; }
  static Value timestamp(std::string iso) { return {Kind::timestamp, 0, std::move(iso)}; }
  static Value null() { return {Kind::null_integer, 0, {}}; }
};
using Params = std::map<std::string, Value, std::less<>>;

// One piece of SQL text as the lexer sees it: code, a quoted literal or
// identifier ('...' or "...", a doubled quote inside it; PostgreSQL's
// $tag$...$tag$), or a comment (-- to the end of the line, /* ... */).
// Backslashes are ordinary characters: the plugin's SQL holds none, values
// travel as parameters.
struct SqlPiece {
  enum class Kind { code, quoted, comment };
  Kind kind;
  std::string_view text;  // a line comment ends before its newline
};
// The pieces of sql, in order; together they are the whole text. An
// unterminated quote or comment runs to the end.
std::vector<SqlPiece> lex_sql(std::string_view sql);

// SQL with ":name" parameters turned into "?" and the names in order; comments
// dropped. A ':' inside quotes or comments, and PostgreSQL's "::" cast, are no
// parameter.
struct Query {
  std::string sql;
  std::vector<std::string> parameters;
  static Query parse(std::string_view sql_with_names);
};

// Sees every statement a connection runs, before and after, with its time: a
// hook for measurement (the benchmark times and explains the plugin's own
// statements through it). A connection has none unless one is set.
class StatementObserver {
 public:
  virtual ~StatementObserver() = default;
  virtual void before(const Query& query, const Params& params) = 0;
  virtual void after(const Query& query, const Params& params, double seconds) = 0;
};

// How long an owned connection waits for another writer's lock, on engines
// whose driver waits on every statement (Engine::lock_wait_key).
enum class LockWaits {
  per_statement,     // as the driver does: each statement waits up to the key's value
  bounded_per_call,  // the key's value is a budget for one call (start_call) in all
};

class Connection {
 public:
  // Connects with SQLDriverConnect; the connection is owned and closed here.
  // bounded_per_call (engines with a lock_wait_key): the driver is given a
  // short wait per attempt, and retrying_while_locked retries until the call's
  // budget (the connection string's or the DSN's value, else the engine's
  // default) is spent.
  static Connection open(const std::string& connection_string, LockWaits waits = LockWaits::per_statement);
  // Borrows a connected SQLHDBC; it is never disconnected or freed here.
  static Connection attach(SQLHDBC hdbc);

  Connection(Connection&& other) noexcept;
  Connection& operator=(Connection&&) = delete;
  Connection(const Connection&) = delete;
  ~Connection();

  const Engine& engine() const { return *engine_; }
  SQLHDBC handle() const { return dbc_; }

  // Runs one statement; returns the number of rows it changed (-1 if none applies).
  int64_t execute(const Query& query, const Params& params = {});
  int64_t execute(std::string_view sql, const Params& params = {}) { return execute(Query::parse(sql), params); }
  // Runs every ';'-separated statement of a script, each with the parameters it names.
  void execute_script(std::string_view script, const Params& params = {});

  // Borrowed; nullptr (the default) observes nothing. Statements made before keep the one they saw.
  void set_observer(StatementObserver* observer) { observer_ = observer; }
  StatementObserver* observer() const { return observer_; }

  bool autocommit() const;
  void set_autocommit(bool on);
  void end_transaction(bool commit);

  // Starts one call's lock-wait budget (bounded_per_call; otherwise nothing).
  void start_call();
  // Runs fn; while it fails with a conflict and the call's budget lasts, waits
  // a little and runs it again. Only for work that is safe to repeat after a
  // lock error: a BEGIN, a COMMIT, statements in autocommit mode.
  template <typename Fn>
  void retrying_while_locked(Fn&& fn) {
    for (;;) {
      try {
        fn();
        return;
      } catch (const Error& e) {
        if (!e.is_conflict() || !wait_for_lock()) throw;
      }
    }
  }

 private:
  Connection(SQLHENV env, SQLHDBC dbc, bool owned);
  static Connection connect(const std::string& connection_string);
  bool wait_for_lock();  // false when the call's budget is spent (or there is none)
  SQLHENV env_ = SQL_NULL_HENV;
  SQLHDBC dbc_ = SQL_NULL_HDBC;
  bool owned_ = false;
  const Engine* engine_ = nullptr;
  StatementObserver* observer_ = nullptr;
  std::optional<std::chrono::milliseconds> lock_wait_budget_;  // bounded_per_call only
  std::chrono::steady_clock::time_point lock_wait_deadline_{};
};

// One statement handle; parameters are bound by value and kept alive here.
// One fetched row, its columns read once in order and looked up by their
// lower-case names (the SQL names each column it is read by with AS).
class Row {
 public:
  // NULL as none. A column the result does not have, or a value that is not a
  // whole number, is a defect of the SQL and throws std::logic_error naming it.
  std::optional<int64_t> get_int(std::string_view column) const;
  std::optional<std::string> get_text(std::string_view column) const;
  int64_t int_or(std::string_view column, int64_t fallback) const { return get_int(column).value_or(fallback); }
  std::string text_or(std::string_view column, std::string fallback) const { return get_text(column).value_or(std::move(fallback)); }
  bool has(std::string_view column) const;

 private:
  friend class Statement;
  const std::optional<std::string>& value(std::string_view column) const;
  std::vector<std::string> names_;
  std::vector<std::optional<std::string>> values_;
};

class Statement {
 public:
  explicit Statement(Connection& connection);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  void execute(const Query& query, const Params& params = {});
  void execute(std::string_view sql, const Params& params = {}) { execute(Query::parse(sql), params); }
  bool fetch();
  std::optional<int64_t> get_int(int column);
  std::optional<std::string> get_text(int column);
  int64_t rows_affected();
  int columns();  // of the current result set
  std::string column_name(int column);  // lower case
  // Every column of the current row, by lower-case column name.
  Row row();
  void close_cursor();

 private:
  void bind(const Query& query, const Params& params);
  SQLHSTMT stmt_ = SQL_NULL_HSTMT;
  const Engine* engine_;
  StatementObserver* observer_ = nullptr;
  std::vector<Value> bound_;
  std::vector<SQLLEN> indicators_;
  std::vector<std::string> names_;  // of the current result set, read at its first row()
  std::vector<bool> numeric_;       // the same columns: read as numbers
};

// Splits a script into statements at ';' outside quotes and comments (as
// lex_sql sees them); comments are dropped, empty statements too.
std::vector<std::string> split_script(std::string_view script);

// Throws Error with the diagnostics of handle when rc is not a success;
// `engine` (when known) says whether it is a conflict.
void check(SQLRETURN rc, SQLSMALLINT handle_type, SQLHANDLE handle, const char* what, const Engine* engine = nullptr);
// The engine of a connected SQLHDBC, from SQLGetInfo(SQL_DBMS_NAME); throws
// UnsupportedDatabase when it is none of engines().
const Engine& detect_engine(SQLHDBC dbc);

}  // namespace cpb::odbc
