#include "own_tables.hpp"

#include <regex>
#include <string>
#include <vector>

#include "sql_catalog.hpp"
#include "vocabulary.hpp"
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

// Columns version 1.2 added to tables that an earlier version may have created
// without them (own_tables.sql): what a change record's decision read, and
// whom a plan's exclusions left out.
struct AddedColumn {
  std::string table, column;
};
std::vector<AddedColumn> added_columns() {
  std::vector<AddedColumn> columns;
  for (const char* host_table : {"contact", "household"}) {
    const std::string table = std::string("cpb_") + host_table + "_change";
    columns.push_back({table, "allowed_bits"});
    for (const Device& d : kDevices)
      if (d.table == host_table) columns.push_back({table, std::string(d.name) + "_state"});
  }
  columns.push_back({"cpb_plan", "left_out_persons"});
  columns.push_back({"cpb_plan", "left_out_households"});
  return columns;
}

bool column_exists(odbc::Connection& connection, const AddedColumn& c) {
  odbc::Statement st(connection);
  st.execute(sql_query("plugin/column_exists", connection.engine()),
             {{"table", odbc::Value::of(c.table)}, {"column", odbc::Value::of(c.column)}});
  return st.fetch() && st.get_int(1).value_or(0) != 0;
}

}  // namespace

void create_missing_own_tables(odbc::Connection& connection) {
  refuse_host_transaction(connection);
  std::vector<OwnTable> missing;
  for (OwnTable& table : own_tables(connection.engine()))
    if (!table_exists(connection, table.name)) missing.push_back(std::move(table));
  std::vector<AddedColumn> missing_columns;
  for (const AddedColumn& c : added_columns())
    if (table_exists(connection, c.table) && !column_exists(connection, c)) missing_columns.push_back(c);
  // The catalog reads may have begun a transaction: nothing of the host's is in
  // it (just checked), so ending it leaves the connection as it was.
  if (!connection.autocommit()) connection.end_transaction(false);
  if (missing.empty() && missing_columns.empty()) return;
  with_autocommit(connection, [&] {
    for (const AddedColumn& c : missing_columns) {
      try {
        connection.execute("ALTER TABLE " + c.table + " ADD COLUMN " + c.column + " INTEGER");
      } catch (const odbc::Error&) {
        if (!column_exists(connection, c)) throw;  // another handle added it first
      }
    }
    for (const OwnTable& table : missing) {
      try {
        for (const std::string& statement : table.statements) connection.execute(statement);
      } catch (const odbc::Error&) {
        // Handles opened at once race to create it; the loser finds it there.
        if (!table_exists(connection, table.name)) throw;
      }
    }
  });
}

}  // namespace cpb
