// What the reliability tests share: the state a failed run must leave alone,
// and statements that must reach the database whole (trigger bodies).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "test_support.hpp"

namespace cpbtest {

// The host tables and the plugin's own tables: equal before and after a run
// that failed means the run changed nothing.
inline std::string database_state(cpb::odbc::Connection& db) {
  return dump_host_tables(db) + dump_table(db, "cpb_batch") + dump_table(db, "cpb_contact_change") +
         dump_table(db, "cpb_household_change");
}

inline std::string database_state(const TestDatabase& db) {
  cpb::odbc::Connection c = db.connect();
  return database_state(c);
}

inline int64_t count_rows(cpb::odbc::Connection& db, const std::string& table) {
  return scalar(db, "SELECT COUNT(*) FROM " + table).value_or(-1);
}

inline int64_t count_rows(const TestDatabase& db, const std::string& table) {
  cpb::odbc::Connection c = db.connect();
  return count_rows(c, table);
}

// One statement sent as is: no splitting at ';' (PL/pgSQL bodies hold many).
inline void execute_whole(const TestDatabase& db, const std::string& statement) {
  cpb::odbc::Connection c = db.connect();
  c.execute(statement);
}

// The masks and who wrote them, without the write time: what two databases
// that ran the same batches at different moments must agree on.
inline std::string preference_state(cpb::odbc::Connection& db) {
  std::string out;
  for (const Row& row :
       query(db, "SELECT person_id, cell_phone_messenger, work_phone_messenger, other_phone_messenger, email_messenger, "
                 "secondary_email_messenger, cell_phone_text_messenger, modified_by_id FROM contact ORDER BY person_id")) {
    for (const auto& v : row) out += (v ? *v : std::string("NULL")) + "|";
    out += "\n";
  }
  for (const Row& row :
       query(db, "SELECT household_id, phone_messenger, phone_text_messenger, modified_by_id FROM household ORDER BY household_id")) {
    for (const auto& v : row) out += (v ? *v : std::string("NULL")) + "|";
    out += "\n";
  }
  return out;
}

inline std::string preference_state(const TestDatabase& db) {
  cpb::odbc::Connection c = db.connect();
  return preference_state(c);
}

// The phases a progress callback saw, and the call at which it cancels (-1: never).
struct ProgressLog {
  std::vector<std::string> phases;
  int cancel_at = -1;
  int answer = 1;  // what the callback returns to cancel
};

inline int record_progress(void* user, const char* phase, int64_t, int64_t) {
  auto* log = static_cast<ProgressLog*>(user);
  const int call = static_cast<int>(log->phases.size());
  log->phases.emplace_back(phase ? phase : "(null)");
  return call == log->cancel_at ? log->answer : 0;
}

}  // namespace cpbtest
