// What the audit, undo and overwrite tests share: a small hand-written district
// whose every mask is known, and snapshots of the rows a batch may change.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "test_support.hpp"

namespace cpbtest::audit {

// Creates the host schema and the fixture district (see audit_support.cpp).
void load_fixture(const TestDatabase& db);

// The columns a batch may write, per host row, keyed "contact 12" or
// "household 3": the masks, then modified_by_id and modified_date.
using Snapshot = std::map<std::string, Row>;
Snapshot snapshot(cpb::odbc::Connection& db);

// What one batch recorded for one host row, in the column order of Snapshot.
struct RecordedChange {
  Row before;
  Row after;
};
std::map<std::string, RecordedChange> recorded_changes(cpb::odbc::Connection& db, int64_t batch_id);

// The keys whose rows differ between two snapshots.
std::vector<std::string> changed_rows(const Snapshot& before, const Snapshot& after);

// Preference cells whose bit differs between two rows of a snapshot (NULL reads as 0).
int64_t changed_bits(const std::string& key, const Row& before, const Row& after);

// Local wall-clock time as the plugin stamps it ("YYYY-MM-DD HH:MM:SS").
std::string local_now();

int64_t count_rows(cpb::odbc::Connection& db, const std::string& table);

}  // namespace cpbtest::audit
