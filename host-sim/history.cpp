#include "history.hpp"

#include <algorithm>
#include <iomanip>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "database.hpp"
#include "sql_files.hpp"
#include "terminal_text.hpp"

namespace host {

using cpb::odbc::Params;
using cpb::odbc::Statement;
using cpb::odbc::Value;

namespace {

// The reasons and devices as the plugin describes them (CONTRACT 8: a host
// learns the vocabulary from describe).
struct Vocabulary {
  std::vector<std::pair<std::string, int64_t>> reasons;  // name, bit
  struct Device {
    std::string name, table, mask_column;
  };
  std::vector<Device> devices;
};

Vocabulary vocabulary_of(const nlohmann::json& describe) {
  Vocabulary v;
  const auto text = [](const nlohmann::json& o, const char* key) {
    return o.is_object() && o.contains(key) && o[key].is_string() ? o[key].get<std::string>() : std::string();
  };
  for (const nlohmann::json& r : describe.value("reasons", nlohmann::json::array()))
    if (r.is_object() && r.contains("bit") && r["bit"].is_number_integer()) v.reasons.emplace_back(text(r, "name"), r["bit"].get<int64_t>());
  for (const nlohmann::json& d : describe.value("devices", nlohmann::json::array()))
    v.devices.push_back({text(d, "name"), text(d, "table"), text(d, "mask_column")});
  if (v.reasons.empty() || v.devices.empty()) throw std::runtime_error("the plugin's describe lists no reasons or no devices");
  return v;
}

std::string reasons(const Vocabulary& v, int64_t bits) {
  std::string out;
  for (const auto& [name, bit] : v.reasons)
    if (bits & bit) out += (out.empty() ? "" : ",") + name;
  return out;
}

// "cell_phone +emergency,attendance -general" for one changed mask.
std::string describe_change(const Vocabulary& v, const std::string& device, std::optional<int64_t> before, std::optional<int64_t> after) {
  if (before == after) return {};
  const int64_t b = before.value_or(0);
  const int64_t a = after.value_or(0);
  std::string out = device + ":";
  if (a & ~b) out += " on " + reasons(v, a & ~b);
  if (b & ~a) out += " off " + reasons(v, b & ~a);
  if (a == b) out += before ? " (set back to never set)" : " (marked as set, no reason changed)";
  return out;
}

// False on a database where the plugin has never been opened: no batch yet.
bool has_batch_record(cpb::odbc::Connection& db) {
  prepare_session(db);
  Statement st(db);
  st.execute(cpb::host_sql_file("host/batch_table", db.engine()));
  return st.fetch() && st.get_int(1).value_or(0) != 0;
}

// The rows an undo left alone because they changed since the batch (CONTRACT
// 9.3: the result lists up to 100 of them, with the total in "conflicts").
void print_conflicts(const nlohmann::json& result, std::ostream& out) {
  if (!result.is_object()) return;
  const int64_t total = result.value("conflicts", int64_t{0});
  out << "conflicts: " << total << (total == 1 ? " row" : " rows") << " changed since the batch, left alone\n";
  const nlohmann::json rows = result.value("conflict_rows", nlohmann::json::array());
  for (const nlohmann::json& row : rows) {
    if (!row.is_object()) continue;
    const auto text = [&](const char* key) { return row.contains(key) && row[key].is_string() ? row[key].get<std::string>() : std::string(); };
    const auto id = [&](const char* key) { return row.contains(key) && row[key].is_number_integer() ? row[key].get<int64_t>() : int64_t{0}; };
    out << "  " << (id("person_id") ? "person " + std::to_string(id("person_id")) : "household " + std::to_string(id("household_id")))
        << " (" << printable(text("name")) << ")  " << printable(text("device"));
    if (!text("value").empty()) out << " " << printable(text("value"));
    if (!text("why").empty()) out << ": " << printable(text("why"));
    out << "\n";
  }
  if (static_cast<int64_t>(rows.size()) < total) out << "  (" << rows.size() << " of " << total << " listed)\n";
}

}  // namespace

std::vector<BatchSummary> list_batches(cpb::odbc::Connection& db) {
  std::vector<BatchSummary> batches;
  if (!has_batch_record(db)) return batches;
  Statement st(db);
  st.execute(cpb::host_sql_file("host/history", db.engine()));
  while (st.fetch()) {
    const cpb::odbc::Row r = st.row();
    BatchSummary b;
    b.batch_id = r.int_or("batch_id", 0);
    b.finished_at = r.text_or("finished_at", "").substr(0, 19);
    b.user = r.text_or("username", "");
    b.action = r.text_or("action", "");
    b.mode = r.text_or("mode", "");
    b.persons = r.int_or("persons", 0);
    b.households = r.int_or("households", 0);
    b.updated = r.int_or("updated", 0);
    b.unchanged = r.int_or("unchanged", 0);
    b.status = r.text_or("status", "");
    b.undoes = r.int_or("undone_batch_id", 0);
    b.undone_by = r.int_or("undone_by_batch_id", 0);
    batches.push_back(std::move(b));
  }
  return batches;
}

const char* BatchSummary::unit() const { return action == "undo" ? "rows" : "cells"; }

int print_history(cpb::odbc::Connection& db, std::ostream& out) {
  const std::vector<BatchSummary> batches = list_batches(db);
  if (batches.empty()) {
    out << "(no batch has been run on this database)\n";
    return 0;
  }
  // An apply counts preference cells (updated / unchanged); an undo counts host
  // rows (restored / left in conflict): the unit column says which.
  out << std::left << std::setw(6) << "batch" << std::setw(21) << "finished" << std::setw(14) << "user" << std::setw(7) << "action"
      << std::setw(28) << "mode" << std::right << std::setw(9) << "persons" << std::setw(11) << "households" << std::setw(10)
      << "changed" << std::setw(12) << "unchanged" << "  " << std::left << std::setw(6) << "unit"
      << "status   (unit: cells = preference cells updated/unchanged by an apply; rows = host rows restored/in conflict for an undo)\n";
  for (const BatchSummary& b : batches) {
    std::string status = b.status;
    if (b.undoes) status += " (undoes " + std::to_string(b.undoes) + ")";
    if (b.undone_by) status += " by " + std::to_string(b.undone_by);
    out << std::left << std::setw(6) << b.batch_id << std::setw(21) << printable(b.finished_at) << std::setw(14) << printable(b.user)
        << std::setw(7) << printable(b.action) << std::setw(28) << printable(b.mode) << std::right << std::setw(9) << b.persons
        << std::setw(11) << b.households << std::setw(10) << b.updated << std::setw(12) << b.unchanged << "  " << std::left
        << std::setw(6) << b.unit() << printable(status) << "\n";
  }
  return 0;
}

int print_batch(cpb::odbc::Connection& db, const nlohmann::json& describe, int64_t batch_id, std::ostream& out) {
  const Vocabulary vocabulary = vocabulary_of(describe);
  const Params params = {{"batch_id", Value::of(batch_id)}};
  std::string result;
  bool is_undo = false;
  if (!has_batch_record(db)) throw std::runtime_error("batch " + std::to_string(batch_id) + " does not exist");
  {
    Statement st(db);
    st.execute(cpb::host_sql_file("host/batch", db.engine()), params);
    if (!st.fetch()) throw std::runtime_error("batch " + std::to_string(batch_id) + " does not exist");
    const cpb::odbc::Row r = st.row();
    const std::string action = r.text_or("action", "");
    result = r.text_or("result", "");
    is_undo = action == "undo";
    out << "batch " << r.int_or("batch_id", 0) << ": " << printable(action) << ", " << printable(r.text_or("status", "")) << "\n"
        << "  by        " << printable(r.text_or("username", "")) << "\n"
        << "  started   " << printable(r.text_or("started_at", "")) << "\n"
        << "  finished  " << printable(r.text_or("finished_at", "")) << "\n"
        << "  context   year " << r.int_or("end_year", 0) << ", school " << r.int_or("school_id", 0) << ", calendar "
        << r.int_or("calendar_id", 0) << ", effective " << printable(r.text_or("effective_date", "")) << "\n"
        << "  options   " << printable(r.text_or("options", "")) << "\n"
        << "  result    " << printable(result) << "\n";
    if (const int64_t undone = r.int_or("undone_batch_id", 0)) out << "  undoes    batch " << undone << "\n";
    if (const int64_t by = r.int_or("undone_by_batch_id", 0)) out << "  undone by batch " << by << "\n";
  }
  Statement st(db);
  st.execute(cpb::host_sql_file("host/batch_changes", db.engine()), params);
  // Each device's columns by name: old_<mask column>, new_<mask column>.
  out << "changes:\n";
  int64_t rows = 0;
  while (st.fetch()) {
    ++rows;
    const cpb::odbc::Row r = st.row();
    const std::string table = r.text_or("row_table", "");
    out << "  " << table << " " << r.int_or("row_id", 0) << " (" << printable(r.text_or("row_name", "")) << ")";
    for (const Vocabulary::Device& d : vocabulary.devices) {
      if (d.table != table) continue;
      const std::string change = describe_change(vocabulary, d.name, r.get_int("old_" + d.mask_column), r.get_int("new_" + d.mask_column));
      if (!change.empty()) out << "  " << change;
    }
    out << "\n";
  }
  if (rows == 0) out << "  (no row changed)\n";
  if (is_undo) print_conflicts(nlohmann::json::parse(result, nullptr, false), out);
  return 0;
}

}  // namespace host
