#include "database.hpp"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "odbc_transaction.hpp"
#include "sql_files.hpp"
#include "vocabulary.hpp"

namespace host {

using cpb::odbc::Connection;
using cpb::odbc::Params;
using cpb::odbc::Value;

namespace {

constexpr int64_t kHostTables = 13;  // the tables of CONTRACT 3, as sql/host/*/host_tables counts them

std::string date(int year, const char* month_day) { return std::to_string(year) + "-" + month_day; }

// Runs fn in one transaction: all of it lands or none.
template <typename Fn>
void in_transaction(Connection& db, Fn&& fn) {
  cpb::odbc::Transaction tx(db);
  fn();
  tx.commit();
}

}  // namespace

bool is_connection_string(const std::string& db) { return db.find('=') != std::string::npos; }

std::string connection_string(const std::string& db) {
  if (is_connection_string(db)) return db;
  if (db.find_first_of(";{}") != std::string::npos)
    throw std::invalid_argument("the database path \"" + db + "\" contains ';', '{' or '}'; rename it or pass a connection string");
  // Timeout: how long (ms) to wait for another writer before giving up.
  return "Driver=SQLite3;Database=" + db + ";Timeout=120000";
}

Connection open_host_database(const std::string& db) {
  const std::string how = " (create one with: sis-host-sim init --db " + db + ")";
  if (!is_connection_string(db)) {
    // Checked before connecting: the SQLite driver creates a missing file, and
    // the plugin creates its tables in any database it opens.
    std::error_code error;
    if (!std::filesystem::exists(db, error)) throw NotAHostDatabase("the database file " + db + " does not exist" + how);
    if (!std::filesystem::is_regular_file(db, error)) throw NotAHostDatabase(db + " is not a database file");
    char magic[16] = {0};
    std::ifstream in(db, std::ios::binary);
    in.read(magic, sizeof magic);
    if (!in || std::memcmp(magic, "SQLite format 3", 16) != 0)
      throw NotAHostDatabase(db + " is not a host database: it is not an SQLite database");
  }
  Connection connection = Connection::open(connection_string(db));
  prepare_session(connection);
  cpb::odbc::Statement st(connection);
  st.execute(cpb::host_sql_file("host/host_tables", connection.engine()));
  const int64_t present = st.fetch() ? st.get_int(1).value_or(0) : 0;
  st.close_cursor();
  if (present != kHostTables)
    throw NotAHostDatabase((is_connection_string(db) ? std::string("the database") : db) + " is not a host database: it lacks the host schema");
  return connection;
}

void prepare_session(Connection& db) { db.execute_script(cpb::host_sql_file("host/session", db.engine())); }

void init_schema(Connection& db) {
  prepare_session(db);
  db.execute_script(cpb::host_sql_file("schema/tables", db.engine()));
}

SeedSummary seed_district(Connection& db, int64_t students, int64_t seed, int end_year) {
  if (students < 1) throw std::invalid_argument("a district needs at least one student");
  if (seed < 0 || seed > 1000000) throw std::invalid_argument("--seed takes a number from 0 to 1000000");
  const int64_t families = (students - 1) * 5 / 6 + 1;
  const int64_t staff = std::max<int64_t>(5, students / 15);
  const int64_t schools = std::max<int64_t>(1, (students + 499) / 500);
  const cpb::odbc::Engine& engine = db.engine();
  prepare_session(db);
  const Params params = {
      {"n", Value::of(students)},
      {"families", Value::of(families)},
      {"staff", Value::of(staff)},
      {"schools", Value::of(schools)},
      {"seed", Value::of(seed)},
      {"all_reasons", Value::of(int64_t{cpb::kAllReasonBits})},  // a mask with every reason set
      {"year", Value::of(int64_t{end_year})},
      {"count", Value::of(std::max(students, 2 * families + staff))},
      {"year_start", Value::date(date(end_year - 1, "08-20"))},
      {"year_end", Value::date(date(end_year, "06-10"))},
      {"future_start", Value::date(date(end_year, "01-15"))},
      {"ended_date", Value::date(date(end_year - 1, "09-15"))},
      {"prev_start", Value::date(date(end_year - 2, "08-20"))},
      {"prev_end", Value::date(date(end_year - 1, "06-10"))},
      {"past_end", Value::date(date(end_year - 2, "06-01"))},
      {"long_ago", Value::date(date(end_year - 10, "07-01"))},
      {"last_edit", Value::timestamp(date(end_year - 1, "05-01 10:00:00"))},
  };
  in_transaction(db, [&] {
    db.execute_script(cpb::host_sql_file("seed/clear", engine));
    db.execute_script(cpb::host_sql_file("seed/numbers", engine), params);
    db.execute_script(cpb::host_sql_file("seed/district", engine), params);
  });
  cpb::odbc::Statement st(db);
  st.execute(cpb::host_sql_file("seed/summary", engine));
  SeedSummary s;
  if (st.fetch()) {
    const cpb::odbc::Row r = st.row();
    s.students = r.int_or("students", 0);
    s.contacts = r.int_or("contacts", 0);
    s.staff = r.int_or("staff", 0);
    s.schools = r.int_or("schools", 0);
  }
  return s;
}

}  // namespace host
