#include "tally.hpp"

#include <algorithm>
#include <stdexcept>

namespace cpb {

using json = nlohmann::ordered_json;

Fate cell_fate(CellState state, int allowed_bits, int bit) {
  if (state == CellState::no_device) return Fate::no_device;
  if ((allowed_bits & bit) == 0) return Fate::not_staff;  // only the staff reason is ever withheld
  if (state == CellState::protected_row) return Fate::protected_cell;
  return Fate::updated;
}

std::vector<std::pair<Fate, int>> skipped_cells(int asked_bits, CellState state, int allowed_bits) {
  std::vector<std::pair<Fate, int>> out;
  for (const Reason& r : kReasons) {
    if (!(asked_bits & r.bit)) continue;
    const Fate f = cell_fate(state, allowed_bits, r.bit);
    if (f == Fate::updated) continue;
    auto group = std::find_if(out.begin(), out.end(), [&](const auto& g) { return g.first == f; });
    if (group == out.end()) out.emplace_back(f, r.bit);
    else group->second |= r.bit;
  }
  std::sort(out.begin(), out.end());
  return out;
}

json reason_names(int bits) {
  json names = json::array();
  for (const Reason& r : kReasons)
    if (bits & r.bit) names.push_back(std::string(r.name));
  return names;
}

const char* fate_name(Fate f) {
  switch (f) {
    case Fate::no_device: return "no_device";
    case Fate::not_staff: return "not_staff";
    case Fate::protected_cell: return "protected";
    case Fate::updated: return "updated";
    default: return "unchanged";
  }
}

DeviceRows DeviceRows::read(const std::map<std::string, int64_t, std::less<>>& columns, const Device& device) {
  const std::string prefix = std::string(device.name) + "_";
  auto at = [&](const std::string& name) {
    const auto found = columns.find(prefix + name);
    if (found == columns.end()) throw std::logic_error("the count has no column " + prefix + name);
    return found->second;
  };
  DeviceRows rows;
  rows.no_device = at("no_device");
  rows.protected_rows = at("protected");
  rows.protected_staff = at("protected_staff");
  rows.writable = at("writable");
  rows.writable_staff = at("writable_staff");
  for (size_t r = 0; r < kReasons.size(); ++r) rows.updated[r] = at("updated_" + std::string(kReasons[r].name));
  return rows;
}

void Tally::add_device(const Options& o, size_t device, const DeviceRows& rows) {
  // The stage's rows of this device in groups that share a state and the
  // reasons they may receive; each asked cell of a group meets the same fate.
  struct Group {
    CellState state;
    int allowed;
    int64_t rows;
  };
  const Group groups[] = {
      {CellState::no_device, kAllReasonBits, rows.no_device},
      {CellState::protected_row, kAllReasonBits, rows.protected_staff},
      {CellState::protected_row, kReasonBitsNoStaff, rows.protected_rows - rows.protected_staff},
      {CellState::writable, kAllReasonBits, rows.writable_staff},
      {CellState::writable, kReasonBitsNoStaff, rows.writable - rows.writable_staff},
  };
  const int asked = o.devices[device].touched();
  for (size_t r = 0; r < kReasons.size(); ++r) {
    if (!(asked & kReasons[r].bit)) continue;
    int64_t writable = 0;
    for (const Group& g : groups) {
      switch (cell_fate(g.state, g.allowed, kReasons[r].bit)) {
        case Fate::no_device: no_device += g.rows; break;
        case Fate::not_staff: not_staff += g.rows; break;
        case Fate::protected_cell: protected_cells += g.rows; break;
        default: writable += g.rows;
      }
    }
    CellCounts& cell = cells[device][r];
    cell.updated += rows.updated[r];
    cell.unchanged += writable - rows.updated[r];
  }
}

int64_t Tally::updated_on(size_t device) const {
  int64_t n = 0;
  for (const CellCounts& c : cells[device]) n += c.updated;
  return n;
}

int64_t Tally::updated() const {
  int64_t n = 0;
  for (size_t d = 0; d < kDevices.size(); ++d) n += updated_on(d);
  return n;
}

int64_t Tally::unchanged() const {
  int64_t n = 0;
  for (const auto& device : cells)
    for (const CellCounts& c : device) n += c.unchanged;
  return n;
}

namespace {
json counts(const CellCounts& c) { return {{"updated", c.updated}, {"unchanged", c.unchanged}}; }
}  // namespace

json Tally::counts_json(const Options& o) const {
  json by_reason = json::object();
  for (size_t r = 0; r < kReasons.size(); ++r) {
    CellCounts sum;
    for (size_t d = 0; d < kDevices.size(); ++d) {
      sum.updated += cells[d][r].updated;
      sum.unchanged += cells[d][r].unchanged;
    }
    by_reason[std::string(kReasons[r].name)] = counts(sum);
  }
  json by_device = json::object();
  for (size_t d = 0; d < kDevices.size(); ++d) {
    CellCounts sum;
    for (const CellCounts& c : cells[d]) {
      sum.updated += c.updated;
      sum.unchanged += c.unchanged;
    }
    by_device[std::string(kDevices[d].name)] = counts(sum);
  }
  return {{"mode", std::string(mode_info(o.mode).name)},
          {"persons", persons},
          {"households", households},
          {"updated", updated()},
          {"unchanged", unchanged()},
          {"by_reason", by_reason},
          {"by_device", by_device},
          {"skipped", {{"no_device", no_device}, {"not_staff", not_staff}, {"protected", protected_cells}}}};
}

}  // namespace cpb
