#include "own_tables.hpp"

#include <cctype>
#include <stdexcept>
#include <string>
#include <vector>

#include "sql_catalog.hpp"
#include "vocabulary.hpp"
#include "transaction.hpp"

namespace cpb {

namespace {

// The plugin's own tables, in the order own_tables.sql creates them; `only`
// names the one engine that has the table (empty: every engine).
struct OwnTableName {
  std::string_view name;
  std::string_view only;
};
constexpr OwnTableName kOwnTables[] = {
    {"cpb_batch", {}},       {"cpb_contact_change", {}}, {"cpb_household_change", {}}, {"cpb_plan", {}},
    {"cpb_plan_row", {}},    {"cpb_plan_member", {}},    {"cpb_plan_warned_row", {}}, {"cpb_plan_total", {}},
    {"cpb_batch_chunk", {}},
    {"cpb_batch_lock", "mariadb"},  // the row whose lock serialises batches (begin.sql)
};

struct OwnTable {
  std::string name;
  std::vector<std::string> statements;  // its CREATE TABLE and what follows it (indexes, first rows)
};

// The words of a statement's code (outside quotes and comments), upper case,
// up to `limit` of them.
std::vector<std::string> leading_words(const std::string& statement, size_t limit) {
  std::vector<std::string> words;
  std::string word;
  auto end_word = [&] {
    if (!word.empty()) words.push_back(word);
    word.clear();
  };
  for (const odbc::SqlPiece& piece : odbc::lex_sql(statement)) {
    if (piece.kind != odbc::SqlPiece::Kind::code) {
      end_word();
      if (piece.kind == odbc::SqlPiece::Kind::quoted) break;  // no table name is quoted
      continue;
    }
    for (const char c : piece.text) {
      if (std::isalnum(static_cast<unsigned char>(c)) || c == '_') word += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      else end_word();
      if (words.size() >= limit) return words;
    }
  }
  end_word();
  return words;
}

// The table a statement creates (CREATE TABLE IF NOT EXISTS name), lower
// case; empty when it creates none.
std::string created_table(const std::string& statement) {
  const std::vector<std::string> w = leading_words(statement, 6);
  if (w.size() < 6 || w[0] != "CREATE" || w[1] != "TABLE" || w[2] != "IF" || w[3] != "NOT" || w[4] != "EXISTS") return {};
  std::string name = w[5];
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return name;
}

// own_tables.sql in groups, one per table of kOwnTables that the engine has;
// a CREATE TABLE of any other name, a table missing or out of order, or a
// statement before the first CREATE TABLE is a build defect.
std::vector<OwnTable> own_tables(const odbc::Engine& engine) {
  std::vector<std::string_view> declared;
  for (const OwnTableName& t : kOwnTables)
    if (t.only.empty() || t.only == engine.name) declared.push_back(t.name);
  std::vector<OwnTable> tables;
  for (std::string& statement : odbc::split_script(sql_text("plugin/own_tables", engine))) {
    const std::string created = created_table(statement);
    if (!created.empty()) {
      if (tables.size() >= declared.size() || declared[tables.size()] != created)
        throw std::logic_error("sql/plugin " + std::string(engine.name) + " own_tables: CREATE TABLE " + created +
                               " is not the next table of kOwnTables (own_tables.cpp)");
      tables.push_back({created, {}});
    }
    if (tables.empty()) throw std::logic_error("sql/plugin own_tables: a statement before the first CREATE TABLE");
    tables.back().statements.push_back(std::move(statement));
  }
  if (tables.size() != declared.size())
    throw std::logic_error("sql/plugin " + std::string(engine.name) + " own_tables: no CREATE TABLE " +
                           std::string(declared[tables.size()]));
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

// Runs each missing table's statements, adds the missing columns, then the
// upgrades, with autocommit on.
void create(odbc::Connection& connection, const std::vector<OwnTable>& missing, const std::vector<AddedColumn>& missing_columns,
            const std::vector<std::string>& upgrades) {
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
    for (const std::string& statement : upgrades) connection.execute(statement);
  });
}

}  // namespace

std::vector<std::string> own_table_names(const odbc::Engine& engine) {
  std::vector<std::string> names;
  for (const OwnTable& t : own_tables(engine)) names.push_back(t.name);
  return names;
}

void create_missing_own_tables(odbc::Connection& connection) {
  refuse_host_transaction(connection);
  const odbc::Engine& engine = connection.engine();
  std::vector<OwnTable> missing;
  for (OwnTable& table : own_tables(engine))
    if (!table_exists(connection, table.name)) missing.push_back(std::move(table));
  std::vector<AddedColumn> missing_columns;
  for (const AddedColumn& c : added_columns())
    if (table_exists(connection, c.table) && !column_exists(connection, c)) missing_columns.push_back(c);
  const std::vector<std::string> upgrades = upgrade_statements(connection);
  // The catalog reads may have begun a transaction: nothing of the host's is in
  // it (just checked), so ending it leaves the connection as it was.
  if (!connection.autocommit()) connection.end_transaction(false);
  if (missing.empty() && missing_columns.empty() && upgrades.empty()) return;
  // The DDL under the session settings the plugin's SQL is written for
  // (MariaDB: an ORACLE sql_mode would make its DATE columns DATETIME), the
  // host's put back after.
  const bool settings = sql_exists("plugin/own_settings", engine);
  if (settings) connection.execute_script(sql_text("plugin/own_settings", engine));
  try {
    create(connection, missing, missing_columns, upgrades);
  } catch (...) {
    if (settings) {
      try { connection.execute_script(sql_text("plugin/restore_settings", engine)); } catch (...) {}
    }
    throw;
  }
  if (settings) connection.execute_script(sql_text("plugin/restore_settings", engine));
}

}  // namespace cpb
