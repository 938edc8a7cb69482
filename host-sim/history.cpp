#include "history.hpp"

#include <algorithm>
#include <iomanip>
#include <optional>
#include <stdexcept>
#include <string>

#include "database.hpp"
#include "sql_files.hpp"

namespace host {

using cpb::odbc::Params;
using cpb::odbc::Statement;
using cpb::odbc::Value;

namespace {

const char* const kReasonNames[] = {"emergency", "attendance", "behavior", "general", "priority", "teacher", "staff", "food_service"};
const char* const kContactDevices[] = {"cell_phone", "work_phone", "other_phone", "email", "secondary_email"};


std::string reasons(int bits) {
  std::string out;
  for (int r = 0; r < 8; ++r)
    if (bits & (1 << r)) out += (out.empty() ? "" : ",") + std::string(kReasonNames[r]);
  return out;
}

// "cell_phone +emergency,attendance -general" for one changed mask.
std::string describe_change(const char* device, std::optional<int64_t> before, std::optional<int64_t> after) {
  if (before == after) return {};
  const int b = static_cast<int>(before.value_or(0));
  const int a = static_cast<int>(after.value_or(0));
  std::string out = std::string(device) + ":";
  if (a & ~b) out += " on " + reasons(a & ~b);
  if (b & ~a) out += " off " + reasons(b & ~a);
  if (a == b) out += before ? " (set back to never set)" : " (marked as set, no reason changed)";
  return out;
}

// False on a database where the plugin has never been opened: no batch yet.
bool has_batch_record(cpb::odbc::Connection& db) {
  prepare_session(db);
  Statement st(db);
  st.execute(cpb::host_sql_file("host/batch_table", db.engine().name));
  return st.fetch() && st.get_int(1).value_or(0) != 0;
}

}  // namespace

int print_history(cpb::odbc::Connection& db, std::ostream& out) {
  if (!has_batch_record(db)) {
    out << "(no batch has been run on this database)\n";
    return 0;
  }
  Statement st(db);
  st.execute(cpb::host_sql_file("host/history", db.engine().name));
  out << std::left << std::setw(6) << "batch" << std::setw(21) << "finished" << std::setw(14) << "user" << std::setw(7) << "action"
      << std::setw(28) << "mode" << std::right << std::setw(9) << "persons" << std::setw(11) << "households" << std::setw(10)
      << "updated" << std::setw(10) << "unchanged" << "  status\n";
  int rows = 0;
  while (st.fetch()) {
    ++rows;
    std::string status = st.get_text(10).value_or("");
    const int64_t undone = st.get_int(11).value_or(0);
    const int64_t undone_by = st.get_int(12).value_or(0);
    if (undone) status += " (undoes " + std::to_string(undone) + ")";
    if (undone_by) status += " by " + std::to_string(undone_by);
    out << std::left << std::setw(6) << st.get_int(1).value_or(0) << std::setw(21) << st.get_text(2).value_or("").substr(0, 19)
        << std::setw(14) << st.get_text(3).value_or("") << std::setw(7) << st.get_text(4).value_or("") << std::setw(28)
        << st.get_text(5).value_or("") << std::right << std::setw(9) << st.get_int(6).value_or(0) << std::setw(11)
        << st.get_int(7).value_or(0) << std::setw(10) << st.get_int(8).value_or(0) << std::setw(10) << st.get_int(9).value_or(0)
        << "  " << status << "\n";
  }
  if (rows == 0) out << "(no batch has been run on this database)\n";
  return 0;
}

int print_batch(cpb::odbc::Connection& db, int64_t batch_id, std::ostream& out) {
  const Params params = {{"batch_id", Value::of(batch_id)}};
  if (!has_batch_record(db)) throw std::runtime_error("batch " + std::to_string(batch_id) + " does not exist");
  {
    Statement st(db);
    st.execute(cpb::host_sql_file("host/batch", db.engine().name), params);
    if (!st.fetch()) throw std::runtime_error("batch " + std::to_string(batch_id) + " does not exist");
    out << "batch " << st.get_int(1).value_or(0) << ": " << st.get_text(2).value_or("") << ", " << st.get_text(3).value_or("") << "\n"
        << "  by        " << st.get_text(4).value_or("") << "\n"
        << "  started   " << st.get_text(5).value_or("") << "\n"
        << "  finished  " << st.get_text(6).value_or("") << "\n"
        << "  context   year " << st.get_int(7).value_or(0) << ", school " << st.get_int(8).value_or(0) << ", calendar "
        << st.get_int(9).value_or(0) << ", effective " << st.get_text(10).value_or("") << "\n"
        << "  options   " << st.get_text(11).value_or("") << "\n"
        << "  result    " << st.get_text(12).value_or("") << "\n";
    if (const int64_t undone = st.get_int(13).value_or(0)) out << "  undoes    batch " << undone << "\n";
    if (const int64_t by = st.get_int(14).value_or(0)) out << "  undone by batch " << by << "\n";
  }
  Statement st(db);
  st.execute(cpb::host_sql_file("host/batch_changes", db.engine().name), params);
  out << "changes:\n";
  int64_t rows = 0;
  while (st.fetch()) {
    ++rows;
    const std::string table = st.get_text(1).value_or("");
    out << "  " << table << " " << st.get_int(2).value_or(0) << " (" << st.get_text(3).value_or("") << ")";
    const int devices = table == "household" ? 1 : 5;
    for (int d = 0; d < devices; ++d) {
      const std::optional<int64_t> before = st.get_int(4 + 2 * d);
      const std::optional<int64_t> after = st.get_int(5 + 2 * d);
      const std::string change = describe_change(table == "household" ? "household_phone" : kContactDevices[d], before, after);
      if (!change.empty()) out << "  " << change;
    }
    out << "\n";
  }
  if (rows == 0) out << "  (no row changed)\n";
  return 0;
}

}  // namespace host
