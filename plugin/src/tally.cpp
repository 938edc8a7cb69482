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

const char* fate_name(Fate f) { return fate_info(f).name.data(); }

void Tally::add_group(const Options& o, const CellGroup& g) {
  if (g.device == kFirstContactDevice) persons += g.rows;
  const int asked = o.devices[g.device].touched();
  if (asked == 0) return;
  if (g.device == kHouseholdPhone && g.state != CellState::no_device) households += g.rows;
  for (size_t r = 0; r < kReasons.size(); ++r) {
    const int bit = kReasons[r].bit;
    if (!(asked & bit)) continue;
    switch (cell_fate(g.state, g.allowed_bits, bit)) {
      case Fate::no_device: no_device += g.rows; break;
      case Fate::not_staff: not_staff += g.rows; break;
      case Fate::protected_cell: protected_cells += g.rows; break;
      default: {
        // A writable cell is updated when its bit changes or its mask was unset
        // (a NULL mask is written whole, CONTRACT 9.4).
        const bool changes = !g.old_mask || (g.new_mask && ((*g.old_mask ^ *g.new_mask) & bit) != 0);
        (changes ? cells[g.device][r].updated : cells[g.device][r].unchanged) += g.rows;
      }
    }
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
          {"skipped",
           {{fate_name(Fate::no_device), no_device}, {fate_name(Fate::not_staff), not_staff}, {fate_name(Fate::protected_cell), protected_cells}}}};
}

void Tally::remove_from(json& result) const {
  const auto less = [](json& field, int64_t n) { field = field.get<int64_t>() - n; };
  less(result["updated"], updated());
  less(result["unchanged"], unchanged());
  for (size_t d = 0; d < kDevices.size(); ++d)
    for (size_t r = 0; r < kReasons.size(); ++r) {
      const CellCounts& c = cells[d][r];
      for (json* counts : {&result["by_reason"][std::string(kReasons[r].name)], &result["by_device"][std::string(kDevices[d].name)]}) {
        less((*counts)["updated"], c.updated);
        less((*counts)["unchanged"], c.unchanged);
      }
    }
  json& skipped = result["skipped"];
  less(skipped[fate_name(Fate::no_device)], no_device);
  less(skipped[fate_name(Fate::not_staff)], not_staff);
  less(skipped[fate_name(Fate::protected_cell)], protected_cells);
}

}  // namespace cpb
