// The options JSON of a run: parsed strictly, every refusal naming its path.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "vocabulary.hpp"

namespace cpb {

enum class Action { apply, undo };
enum class Overwrite { all, unset_only, keep_portal };
const char* overwrite_name(Overwrite o);

// What one device is asked to do: bits to turn on and bits to turn off.
struct DeviceChange {
  int set = 0;
  int clear = 0;
  int touched() const { return set | clear; }
};

struct Options {
  Action action = Action::apply;
  // apply
  Mode mode = Mode::student_messenger_contacts;
  int64_t ad_hoc_filter_id = 0;  // 0: none
  std::array<DeviceChange, kDevices.size()> devices{};  // indexed like kDevices
  Overwrite overwrite = Overwrite::all;
  bool dry_run = false;
  // undo
  int64_t batch_id = 0;
  // The options as understood, for the batch record.
  std::string canonical_json;

  bool touches(size_t device) const { return devices[device].touched() != 0; }
};

// Parses and validates options_json. Throws PluginError (invalid_options) with
// the JSON Pointer of the offending element.
Options parse_options(std::string_view options_json);

}  // namespace cpb
