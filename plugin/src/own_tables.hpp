// The plugin's own tables (prefix cpb_), created on open when missing.
#pragma once

#include <string>
#include <vector>

#include "odbc.hpp"

namespace cpb {

// Creates the tables of sql/plugin/own_tables.sql (the dialect of the engine
// manifest filling its types and options; engine_own_tables.sql the tables one
// engine alone has) that the catalog does not have yet, each with the
// statements that follow its CREATE TABLE;
// then the engine's upgrade_statements (MariaDB: tables an older version made
// in another character set, converted to utf8mb4); does nothing (and needs no
// CREATE right) when they all exist and are up to date. First refuses
// a transaction the host left open (see refuse_host_transaction): DDL and the
// autocommit switch would commit it.
void create_missing_own_tables(odbc::Connection& connection);

// The tables own_tables.sql creates on the engine, in order: those declared in
// own_tables.cpp (kOwnTables). Throws std::logic_error when the file and the
// declaration disagree.
std::vector<std::string> own_table_names(const odbc::Engine& engine);

}  // namespace cpb
