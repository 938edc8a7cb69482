// The host's side of the database: what --db means, and the schema and
// synthetic district that the simulator creates.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

#include "odbc.hpp"

namespace host {

// "--db" is an ODBC connection string when it contains '=', else the path of
// an embedded SQLite database opened through the SQLite ODBC driver.
bool is_connection_string(const std::string& db);
std::string connection_string(const std::string& db);

// A database that is not there or not a host's: the simulator refuses it
// before anything (the SQLite driver, the plugin) can create or write a file.
struct NotAHostDatabase : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Connects to an existing host database: a path must name an existing SQLite
// file, and every database must hold the host schema (CONTRACT 3). Throws
// NotAHostDatabase otherwise. Only init and demo create databases.
cpb::odbc::Connection open_host_database(const std::string& db);

// Session settings the host's own SQL needs (sql/host/<engine>/session.sql);
// init_schema, seed_district and the history functions apply them.
void prepare_session(cpb::odbc::Connection& db);
// Creates the host schema (sql/schema/tables.sql); idempotent.
void init_schema(cpb::odbc::Connection& db);

struct SeedSummary {
  int64_t students = 0, contacts = 0, staff = 0, schools = 0;
};
// A deterministic synthetic district of `students` students for the school year
// ending in `end_year` (sql/seed/*.sql), replacing whatever the tables held.
SeedSummary seed_district(cpb::odbc::Connection& db, int64_t students, int64_t seed, int end_year);

}  // namespace host
