#include "own_tables.hpp"

#include <regex>
#include <string>
#include <vector>

#include "sql_catalog.hpp"
#include "transaction.hpp"

namespace cpb {

namespace {

struct OwnTable {
  std::string name;
  std::vector<std::string> statements;  // its CREATE TABLE and what follows it (indexes, first rows)
};

std::vector<OwnTable> own_tables(const odbc::Engine& engine) {
  static const std::regex create(R"(^\s*CREATE\s+TABLE\s+IF\s+NOT\s+EXISTS\s+(\w+))", std::regex::icase);
  std::vector<OwnTable> tables;
  for (std::string& statement : odbc::split_script(sql_text("plugin/own_tables", engine))) {
    std::smatch m;
    if (std::regex_search(statement, m, create)) tables.push_back({m[1].str(), {}});
    if (tables.empty()) throw std::logic_error("sql/plugin own_tables: a statement before the first CREATE TABLE");
    tables.back().statements.push_back(std::move(statement));
  }
  return tables;
}

bool table_exists(odbc::Connection& connection, const std::string& table) {
  odbc::Statement st(connection);
  st.execute(sql_query("plugin/table_exists", connection.engine()), {{"table", odbc::Value::of(table)}});
  return st.fetch() && st.get_int(1).value_or(0) != 0;
}

// The statements plugin/upgrade_statements (where the engine has it) gives to
// bring tables an older version made up to date.
std::vector<std::string> upgrade_statements(odbc::Connection& connection) {
  std::vector<std::string> out;
  if (!sql_exists("plugin/upgrade_statements", connection.engine())) return out;
  odbc::Statement st(connection);
  st.execute(sql_query("plugin/upgrade_statements", connection.engine()));
  while (st.fetch())
    if (auto statement = st.get_text(1)) out.push_back(std::move(*statement));
  return out;
}

// Runs each missing table's statements, then the upgrades, with autocommit on.
void create(odbc::Connection& connection, const std::vector<OwnTable>& missing, const std::vector<std::string>& upgrades) {
  with_autocommit(connection, [&] {
    for (const OwnTable& table : missing) {
      try {
        for (const std::string& statement : table.statements) connection.execute(statement);
      } catch (const odbc::Error&) {
        // Handles opened at once race to create it; the loser finds it there.
        if (!table_exists(connection, table.name)) throw;
      }
    }
    for (const std::string& statement : upgrades) connection.execute(statement);
  });
}

}  // namespace

void create_missing_own_tables(odbc::Connection& connection) {
  refuse_host_transaction(connection);
  const odbc::Engine& engine = connection.engine();
  std::vector<OwnTable> missing;
  for (OwnTable& table : own_tables(engine))
    if (!table_exists(connection, table.name)) missing.push_back(std::move(table));
  const std::vector<std::string> upgrades = upgrade_statements(connection);
  // The catalog reads may have begun a transaction: nothing of the host's is in
  // it (just checked), so ending it leaves the connection as it was.
  if (!connection.autocommit()) connection.end_transaction(false);
  if (missing.empty() && upgrades.empty()) return;
  // The DDL under the session settings the plugin's SQL is written for
  // (MariaDB: an ORACLE sql_mode would make its DATE columns DATETIME), the
  // host's put back after.
  const bool settings = sql_exists("plugin/own_settings", engine);
  if (settings) connection.execute_script(sql_text("plugin/own_settings", engine));
  try {
    create(connection, missing, upgrades);
  } catch (...) {
    if (settings) {
      try { connection.execute_script(sql_text("plugin/restore_settings", engine)); } catch (...) {}
    }
    throw;
  }
  if (settings) connection.execute_script(sql_text("plugin/restore_settings", engine));
}

}  // namespace cpb
