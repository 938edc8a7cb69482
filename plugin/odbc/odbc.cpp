#include "odbc.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <thread>

#include <locale.h>

#include <odbcinst.h>

namespace cpb::odbc {

UnsupportedDatabase::UnsupportedDatabase(const std::string& dbms_name)
    : Error("unsupported database '" + dbms_name + "': the plugin supports " + supported_engines_text(), "HY000", 0) {}

namespace {

std::string diagnostics(SQLSMALLINT handle_type, SQLHANDLE handle, std::string* sqlstate, long* native) {
  std::string message;
  for (SQLSMALLINT i = 1;; ++i) {
    SQLCHAR state[6] = {0};
    SQLINTEGER native_error = 0;
    SQLCHAR text[1024] = {0};
    SQLSMALLINT length = 0;
    const SQLRETURN rc = SQLGetDiagRec(handle_type, handle, i, state, &native_error, text, sizeof text, &length);
    if (!SQL_SUCCEEDED(rc)) break;
    if (i == 1) {
      *sqlstate = reinterpret_cast<const char*>(state);
      *native = native_error;
    }
    if (!message.empty()) message += "; ";
    message += reinterpret_cast<const char*>(text);
  }
  while (!message.empty() && (message.back() == '\n' || message.back() == ' ')) message.pop_back();
  return message;
}

// The attributes of an ODBC connection string (key=value;..., a value in
// braces may hold ';', "}}" is a brace), in order; keys as written.
std::vector<std::pair<std::string, std::string>> attributes(const std::string& text) {
  std::vector<std::pair<std::string, std::string>> out;
  size_t i = 0;
  while (i < text.size()) {
    const size_t eq = text.find('=', i);
    if (eq == std::string::npos) break;
    std::string key = text.substr(i, eq - i);
    std::string value;
    i = eq + 1;
    if (i < text.size() && text[i] == '{') {
      for (++i; i < text.size(); ++i) {
        if (text[i] == '}') {
          if (i + 1 < text.size() && text[i + 1] == '}') { value += '}'; ++i; continue; }
          ++i;
          break;
        }
        value += text[i];
      }
      i = text.find(';', i);
      i = i == std::string::npos ? text.size() : i + 1;
    } else {
      const size_t end = std::min(text.find(';', i), text.size());
      value = text.substr(i, end - i);
      i = end + 1;
    }
    out.emplace_back(std::move(key), std::move(value));
  }
  return out;
}

bool same_key(std::string_view a, std::string_view b) {
  while (!a.empty() && a.front() == ' ') a.remove_prefix(1);
  while (!a.empty() && a.back() == ' ') a.remove_suffix(1);
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y)); });
}

// The C locale on the calling thread while it lives. unixODBC matches the
// connection string's keywords (Driver, Uid, ...) and odbc.ini's with the
// thread's case mapping, and psqlODBC sets the process's LC_CTYPE from the
// environment on its first connect: under tr_TR.UTF-8, where i and I are no
// case pair, every later connect of the process then failed with IM002
// (docs/RELIABILITY.md). The process's locale is left as it is: uselocale
// changes this thread's alone, and is safe while others run.
class CLocaleOnThisThread {
 public:
  CLocaleOnThisThread() : c_(newlocale(LC_ALL_MASK, "C", static_cast<locale_t>(0))) {
    if (c_) before_ = uselocale(c_);
  }
  ~CLocaleOnThisThread() {
    if (!c_) return;
    uselocale(before_);
    freelocale(c_);
  }
  CLocaleOnThisThread(const CLocaleOnThisThread&) = delete;
  CLocaleOnThisThread& operator=(const CLocaleOnThisThread&) = delete;

 private:
  locale_t c_;
  locale_t before_ = static_cast<locale_t>(0);
};

// The value of key in the connection string, else in the odbc.ini entry of its DSN.
std::optional<std::string> connection_attribute(const std::string& connection_string, std::string_view key) {
  std::optional<std::string> dsn;
  for (const auto& [k, v] : attributes(connection_string)) {
    if (same_key(k, key)) return v;
    if (same_key(k, "DSN")) dsn = v;
  }
  if (!dsn) return std::nullopt;
  char value[64] = {0};
  const CLocaleOnThisThread c_locale;
  const int n = SQLGetPrivateProfileString(dsn->c_str(), std::string(key).c_str(), "", value, sizeof value, "odbc.ini");
  if (n <= 0 || value[0] == '\0') return std::nullopt;
  return std::string(value);
}

// The connection string with key set to value (any earlier setting of it dropped).
std::string with_attribute(const std::string& connection_string, std::string_view key, const std::string& value) {
  std::string out;
  for (const auto& [k, v] : attributes(connection_string)) {
    if (same_key(k, key)) continue;
    if (v.find_first_of(";{}") == std::string::npos) {
      out += k + "=" + v + ";";
      continue;
    }
    std::string braced = "{";
    for (char c : v) braced += c == '}' ? std::string("}}") : std::string(1, c);
    out += k + "=" + braced + "};";
  }
  return out + std::string(key) + "=" + value + ";";
}

// What the driver waits per attempt on a connection that bounds its lock waits per call.
constexpr std::chrono::milliseconds kLockWaitAttempt{100};

}  // namespace

void check(SQLRETURN rc, SQLSMALLINT handle_type, SQLHANDLE handle, const char* what, const Engine* engine) {
  if (SQL_SUCCEEDED(rc) || rc == SQL_NO_DATA) return;
  std::string state = "HY000";
  long native = 0;
  std::string message = handle ? diagnostics(handle_type, handle, &state, &native) : std::string();
  if (message.empty()) message = std::string(what) + " failed";
  const bool conflict = engine && is_conflict(*engine, state, native, message);
  throw Error(message, state, native, conflict);
}

const Engine& detect_engine(SQLHDBC dbc) {
  SQLCHAR name[128] = {0};
  SQLSMALLINT length = 0;
  check(SQLGetInfo(dbc, SQL_DBMS_NAME, name, sizeof name, &length), SQL_HANDLE_DBC, dbc, "SQLGetInfo");
  const std::string dbms = reinterpret_cast<const char*>(name);
  const Engine* engine = find_engine(dbms);
  if (!engine) throw UnsupportedDatabase(dbms);
  return *engine;
}

namespace {

bool is_word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// The end of the quoted piece starting at text[at] ('...' or "..."; a doubled
// quote stays inside).
size_t quoted_end(std::string_view text, size_t at) {
  const char quote = text[at];
  for (size_t i = at + 1; i < text.size(); ++i) {
    if (text[i] != quote) continue;
    if (i + 1 < text.size() && text[i + 1] == quote) {
      ++i;
      continue;
    }
    return i + 1;
  }
  return text.size();
}

// The length of the dollar-quote tag at text[at] ("$$", "$body$"), 0 when there is none.
size_t dollar_tag(std::string_view text, size_t at) {
  size_t i = at + 1;
  if (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) return 0;  // $1 is a parameter
  while (i < text.size() && is_word_char(text[i])) ++i;
  return i < text.size() && text[i] == '$' ? i + 1 - at : 0;
}

}  // namespace

std::vector<SqlPiece> lex_sql(std::string_view text) {
  std::vector<SqlPiece> pieces;
  size_t code_start = 0;
  auto push = [&](SqlPiece::Kind kind, size_t from, size_t to) {
    if (from > code_start) pieces.push_back({SqlPiece::Kind::code, text.substr(code_start, from - code_start)});
    pieces.push_back({kind, text.substr(from, to - from)});
    code_start = to;
  };
  for (size_t i = 0; i < text.size();) {
    const char c = text[i];
    const char next = i + 1 < text.size() ? text[i + 1] : '\0';
    size_t end = 0;
    SqlPiece::Kind kind = SqlPiece::Kind::quoted;
    if (c == '\'' || c == '"') {
      end = quoted_end(text, i);
    } else if (c == '$' && (i == 0 || !is_word_char(text[i - 1]))) {
      if (const size_t tag = dollar_tag(text, i)) {
        const size_t close = text.find(text.substr(i, tag), i + tag);
        end = close == std::string_view::npos ? text.size() : close + tag;
      }
    } else if (c == '-' && next == '-') {
      kind = SqlPiece::Kind::comment;
      end = std::min(text.find('\n', i), text.size());
    } else if (c == '/' && next == '*') {
      kind = SqlPiece::Kind::comment;
      const size_t close = text.find("*/", i + 2);
      end = close == std::string_view::npos ? text.size() : close + 2;
    }
    if (end == 0) {
      ++i;
      continue;
    }
    push(kind, i, end);
    i = end;
  }
  if (code_start < text.size()) pieces.push_back({SqlPiece::Kind::code, text.substr(code_start)});
  return pieces;
}

Query Query::parse(std::string_view text) {
  Query q;
  q.sql.reserve(text.size());
  for (const SqlPiece& piece : lex_sql(text)) {
    if (piece.kind == SqlPiece::Kind::comment) {
      if (piece.text.substr(0, 2) == "/*") q.sql += ' ';
      continue;
    }
    if (piece.kind == SqlPiece::Kind::quoted) {
      q.sql.append(piece.text);
      continue;
    }
    const std::string_view code = piece.text;
    for (size_t i = 0; i < code.size();) {
      const char c = code[i];
      const bool cast = !q.sql.empty() && q.sql.back() == ':';
      if (c == ':' && !cast && i + 1 < code.size() && (std::isalpha(static_cast<unsigned char>(code[i + 1])) || code[i + 1] == '_')) {
        size_t end = i + 1;
        while (end < code.size() && is_word_char(code[end])) ++end;
        q.parameters.emplace_back(code.substr(i + 1, end - i - 1));
        q.sql += '?';
        i = end;
      } else {
        q.sql += c;
        ++i;
      }
    }
  }
  return q;
}

std::vector<std::string> split_script(std::string_view script) {
  std::vector<std::string> statements;
  std::string current;
  auto flush = [&] {
    if (current.find_first_not_of(" \t\r\n") != std::string::npos) statements.push_back(current);
    current.clear();
  };
  for (const SqlPiece& piece : lex_sql(script)) {
    switch (piece.kind) {
      case SqlPiece::Kind::comment:
        if (piece.text.substr(0, 2) == "/*") current += ' ';
        break;
      case SqlPiece::Kind::quoted:
        current.append(piece.text);
        break;
      case SqlPiece::Kind::code:
        for (const char c : piece.text) {
          if (c == ';') flush();
          else current += c;
        }
    }
  }
  flush();
  return statements;
}

Connection::Connection(SQLHENV env, SQLHDBC dbc, bool owned)
    : env_(env), dbc_(dbc), owned_(owned), engine_(&detect_engine(dbc)) {}

Connection Connection::open(const std::string& connection_string, LockWaits waits) {
  Connection connection = connect(connection_string);
  const Engine& engine = connection.engine();
  if (waits == LockWaits::per_statement || engine.lock_wait_key.empty()) return connection;
  long budget = engine.default_lock_wait_ms;
  if (const auto value = connection_attribute(connection_string, engine.lock_wait_key)) {
    char* end = nullptr;
    const long parsed = std::strtol(value->c_str(), &end, 10);
    if (end != value->c_str() && parsed >= 0) budget = parsed;
  }
  if (budget <= kLockWaitAttempt.count()) return connection;  // already as short as an attempt
  Connection bounded = connect(with_attribute(connection_string, engine.lock_wait_key, std::to_string(kLockWaitAttempt.count())));
  bounded.lock_wait_budget_ = std::chrono::milliseconds(budget);
  bounded.start_call();
  return bounded;
}

void Connection::start_call() {
  if (lock_wait_budget_) lock_wait_deadline_ = std::chrono::steady_clock::now() + *lock_wait_budget_;
}

bool Connection::wait_for_lock() {
  if (!lock_wait_budget_) return false;
  const auto left = lock_wait_deadline_ - std::chrono::steady_clock::now();
  if (left <= std::chrono::milliseconds(0)) return false;
  std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(left, std::chrono::milliseconds(20)));
  return true;
}

Connection Connection::connect(const std::string& connection_string) {
  SQLHENV env = SQL_NULL_HENV;
  if (!SQL_SUCCEEDED(SQLAllocHandle(SQL_HANDLE_ENV, SQL_NULL_HANDLE, &env))) throw Error("cannot allocate an ODBC environment", "HY001", 0);
  SQLSetEnvAttr(env, SQL_ATTR_ODBC_VERSION, reinterpret_cast<SQLPOINTER>(SQL_OV_ODBC3), 0);
  SQLHDBC dbc = SQL_NULL_HDBC;
  if (!SQL_SUCCEEDED(SQLAllocHandle(SQL_HANDLE_DBC, env, &dbc))) {
    SQLFreeHandle(SQL_HANDLE_ENV, env);
    throw Error("cannot allocate an ODBC connection", "HY001", 0);
  }
  SQLRETURN rc;
  {
    const CLocaleOnThisThread c_locale;
    rc = SQLDriverConnect(dbc, nullptr, reinterpret_cast<SQLCHAR*>(const_cast<char*>(connection_string.c_str())),
                          SQL_NTS, nullptr, 0, nullptr, SQL_DRIVER_NOPROMPT);
  }
  if (!SQL_SUCCEEDED(rc)) {
    std::string state = "08001";
    long native = 0;
    std::string message = diagnostics(SQL_HANDLE_DBC, dbc, &state, &native);
    SQLFreeHandle(SQL_HANDLE_DBC, dbc);
    SQLFreeHandle(SQL_HANDLE_ENV, env);
    throw Error("cannot connect: " + (message.empty() ? std::string("the driver gave no reason") : message), state, native);
  }
  try {
    return Connection(env, dbc, true);
  } catch (...) {
    SQLDisconnect(dbc);
    SQLFreeHandle(SQL_HANDLE_DBC, dbc);
    SQLFreeHandle(SQL_HANDLE_ENV, env);
    throw;
  }
}

Connection Connection::attach(SQLHDBC hdbc) { return Connection(SQL_NULL_HENV, hdbc, false); }

Connection::Connection(Connection&& other) noexcept
    : env_(other.env_),
      dbc_(other.dbc_),
      owned_(other.owned_),
      engine_(other.engine_),
      observer_(other.observer_),
      lock_wait_budget_(other.lock_wait_budget_),
      lock_wait_deadline_(other.lock_wait_deadline_) {
  other.env_ = SQL_NULL_HENV;
  other.dbc_ = SQL_NULL_HDBC;
  other.owned_ = false;
}

Connection::~Connection() {
  if (!owned_) return;
  SQLDisconnect(dbc_);
  SQLFreeHandle(SQL_HANDLE_DBC, dbc_);
  SQLFreeHandle(SQL_HANDLE_ENV, env_);
}

int64_t Connection::execute(const Query& query, const Params& params) {
  Statement statement(*this);
  statement.execute(query, params);
  return statement.rows_affected();
}

void Connection::execute_script(std::string_view script, const Params& params) {
  for (const std::string& sql : split_script(script)) execute(Query::parse(sql), params);
}

bool Connection::autocommit() const {
  SQLULEN value = SQL_AUTOCOMMIT_ON;
  check(SQLGetConnectAttr(dbc_, SQL_ATTR_AUTOCOMMIT, &value, 0, nullptr), SQL_HANDLE_DBC, dbc_, "SQLGetConnectAttr");
  return value == SQL_AUTOCOMMIT_ON;
}

void Connection::set_autocommit(bool on) {
  check(SQLSetConnectAttr(dbc_, SQL_ATTR_AUTOCOMMIT, reinterpret_cast<SQLPOINTER>(static_cast<uintptr_t>(on ? SQL_AUTOCOMMIT_ON : SQL_AUTOCOMMIT_OFF)), 0),
        SQL_HANDLE_DBC, dbc_, "SQLSetConnectAttr(autocommit)", engine_);
}

void Connection::end_transaction(bool commit) {
  check(SQLEndTran(SQL_HANDLE_DBC, dbc_, commit ? SQL_COMMIT : SQL_ROLLBACK), SQL_HANDLE_DBC, dbc_,
        commit ? "commit" : "rollback", engine_);
}

Statement::Statement(Connection& connection) : engine_(&connection.engine()), observer_(connection.observer()) {
  check(SQLAllocHandle(SQL_HANDLE_STMT, connection.handle(), &stmt_), SQL_HANDLE_DBC, connection.handle(), "SQLAllocHandle(statement)");
}

Statement::~Statement() {
  if (stmt_ != SQL_NULL_HSTMT) SQLFreeHandle(SQL_HANDLE_STMT, stmt_);
}

void Statement::bind(const Query& query, const Params& params) {
  SQLFreeStmt(stmt_, SQL_RESET_PARAMS);
  bound_.clear();
  indicators_.assign(query.parameters.size(), 0);
  bound_.reserve(query.parameters.size());  // bound buffers must not move
  for (size_t i = 0; i < query.parameters.size(); ++i) {
    const auto found = params.find(query.parameters[i]);
    if (found == params.end()) throw Error("no value for SQL parameter :" + query.parameters[i], "07002", 0);
    bound_.push_back(found->second);
    Value& v = bound_.back();
    SQLLEN& ind = indicators_[i];
    const auto number = static_cast<SQLUSMALLINT>(i + 1);
    SQLRETURN rc;
    switch (v.kind) {
      case Value::Kind::integer:
      case Value::Kind::null_integer:
        ind = v.kind == Value::Kind::integer ? 0 : SQL_NULL_DATA;
        rc = SQLBindParameter(stmt_, number, SQL_PARAM_INPUT, SQL_C_SBIGINT, SQL_BIGINT, 0, 0, &v.integer, 0, &ind);
        break;
      default: {
        const SQLSMALLINT type = v.kind == Value::Kind::date        ? SQL_TYPE_DATE
                                 : v.kind == Value::Kind::timestamp ? SQL_TYPE_TIMESTAMP
                                                                    : SQL_VARCHAR;
        ind = v.kind == Value::Kind::null_text ? SQL_NULL_DATA : static_cast<SQLLEN>(v.text.size());
        const SQLULEN size = type == SQL_TYPE_DATE ? 10 : type == SQL_TYPE_TIMESTAMP ? 19 : std::max<size_t>(v.text.size(), 1);
        rc = SQLBindParameter(stmt_, number, SQL_PARAM_INPUT, SQL_C_CHAR, type, size, 0, v.text.data(),
                              static_cast<SQLLEN>(v.text.size()), &ind);
      }
    }
    check(rc, SQL_HANDLE_STMT, stmt_, "SQLBindParameter");
  }
}

void Statement::execute(const Query& query, const Params& params) {
  close_cursor();
  bind(query, params);
  if (observer_) observer_->before(query, params);
  const auto started = std::chrono::steady_clock::now();
  const SQLRETURN rc = SQLExecDirect(stmt_, reinterpret_cast<SQLCHAR*>(const_cast<char*>(query.sql.c_str())), SQL_NTS);
  check(rc, SQL_HANDLE_STMT, stmt_, "SQLExecDirect", engine_);
  if (observer_) observer_->after(query, params, std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
}

bool Statement::fetch() {
  const SQLRETURN rc = SQLFetch(stmt_);
  if (rc == SQL_NO_DATA) return false;
  check(rc, SQL_HANDLE_STMT, stmt_, "SQLFetch", engine_);
  return true;
}

std::optional<int64_t> Statement::get_int(int column) {
  SQLBIGINT value = 0;
  SQLLEN ind = 0;
  check(SQLGetData(stmt_, static_cast<SQLUSMALLINT>(column), SQL_C_SBIGINT, &value, 0, &ind), SQL_HANDLE_STMT, stmt_, "SQLGetData");
  if (ind == SQL_NULL_DATA) return std::nullopt;
  return static_cast<int64_t>(value);
}

std::optional<std::string> Statement::get_text(int column) {
  std::string out;
  char buffer[4096];
  for (;;) {
    SQLLEN ind = 0;
    const SQLRETURN rc = SQLGetData(stmt_, static_cast<SQLUSMALLINT>(column), SQL_C_CHAR, buffer, sizeof buffer, &ind);
    if (rc == SQL_NO_DATA) break;
    check(rc, SQL_HANDLE_STMT, stmt_, "SQLGetData");
    if (ind == SQL_NULL_DATA) return std::nullopt;
    const size_t got = (ind == SQL_NO_TOTAL || ind >= static_cast<SQLLEN>(sizeof buffer)) ? sizeof buffer - 1 : static_cast<size_t>(ind);
    out.append(buffer, got);
    if (rc == SQL_SUCCESS) break;
  }
  return out;
}

int64_t Statement::rows_affected() {
  SQLLEN count = -1;
  check(SQLRowCount(stmt_, &count), SQL_HANDLE_STMT, stmt_, "SQLRowCount");
  return count;
}

int Statement::columns() {
  SQLSMALLINT count = 0;
  check(SQLNumResultCols(stmt_, &count), SQL_HANDLE_STMT, stmt_, "SQLNumResultCols");
  return count;
}

std::string Statement::column_name(int column) {
  SQLCHAR name[256] = {0};
  SQLSMALLINT length = 0, type = 0, digits = 0, nullable = 0;
  SQLULEN size = 0;
  check(SQLDescribeCol(stmt_, static_cast<SQLUSMALLINT>(column), name, sizeof name, &length, &type, &size, &digits, &nullable),
        SQL_HANDLE_STMT, stmt_, "SQLDescribeCol");
  std::string out(reinterpret_cast<const char*>(name));
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

namespace {
// Numbers are read as numbers: the driver converts a boolean, a decimal sum or
// a small integer, where their text would be the engine's own spelling.
bool numeric(SQLSMALLINT type) {
  switch (type) {
    case SQL_BIT: case SQL_TINYINT: case SQL_SMALLINT: case SQL_INTEGER: case SQL_BIGINT: case SQL_DECIMAL: case SQL_NUMERIC:
      return true;
    default: return false;
  }
}
}  // namespace

Row Statement::row() {
  if (names_.empty()) {
    for (int i = 1, n = columns(); i <= n; ++i) {
      names_.push_back(column_name(i));
      SQLLEN type = 0;
      check(SQLColAttribute(stmt_, static_cast<SQLUSMALLINT>(i), SQL_DESC_CONCISE_TYPE, nullptr, 0, nullptr, &type), SQL_HANDLE_STMT,
            stmt_, "SQLColAttribute");
      numeric_.push_back(numeric(static_cast<SQLSMALLINT>(type)));
    }
  }
  Row r;
  r.names_ = names_;
  r.values_.reserve(names_.size());
  for (size_t i = 0; i < names_.size(); ++i) {
    const int column = static_cast<int>(i) + 1;
    if (!numeric_[i]) {
      r.values_.push_back(get_text(column));
    } else if (const std::optional<int64_t> n = get_int(column)) {
      r.values_.push_back(std::to_string(*n));
    } else {
      r.values_.push_back(std::nullopt);
    }
  }
  return r;
}

bool Row::has(std::string_view column) const { return std::find(names_.begin(), names_.end(), column) != names_.end(); }

const std::optional<std::string>& Row::value(std::string_view column) const {
  const auto at = std::find(names_.begin(), names_.end(), column);
  if (at == names_.end()) throw std::logic_error("the query has no column \"" + std::string(column) + "\"");
  return values_[static_cast<size_t>(at - names_.begin())];
}

std::optional<std::string> Row::get_text(std::string_view column) const { return value(column); }

std::optional<int64_t> Row::get_int(std::string_view column) const {
  const std::optional<std::string>& v = value(column);
  if (!v) return std::nullopt;
  // Whole numbers; an engine may write an integral sum as a decimal ("12" or "12.000").
  const char* begin = v->c_str();
  char* end = nullptr;
  errno = 0;
  const long long n = std::strtoll(begin, &end, 10);
  const bool fraction_zero = *end == '.' && std::all_of(static_cast<const char*>(end) + 1, begin + v->size(), [](char c) { return c == '0'; });
  if (end == begin || errno != 0 || (*end != '\0' && !fraction_zero))
    throw std::logic_error("the column \"" + std::string(column) + "\" holds \"" + *v + "\", not a whole number");
  return static_cast<int64_t>(n);
}

void Statement::close_cursor() {
  SQLFreeStmt(stmt_, SQL_CLOSE);
  names_.clear();
  numeric_.clear();
}

}  // namespace cpb::odbc
