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
       100000},
      {"postgresql", "PostgreSQL", "PostgreSQL Unicode", "PostgreSQL", TransactionControl::odbc_manual_commit,
       // 40001 serialization failure, 40P01 deadlock, 55P03 lock_timeout,
       // 57014 statement_timeout (the plugin never cancels a statement itself).
       {"40001", "40P01", "55P03", "57014"},
       {},
       {},
       {},
       0},
      {"mariadb", "MariaDB", "MariaDB Unicode", "MariaDB", TransactionControl::odbc_manual_commit,
       // 40001 deadlock as Connector/ODBC reports it; HY000 with 1205 lock wait
       // timeout, 1213 deadlock, 1969 max_statement_time exceeded.
       {"40001"},
       {1205, 1213, 1969},
       {},
       {},
       0},
  };
  return all;
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
