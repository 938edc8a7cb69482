#include "options.hpp"

#include <algorithm>
#include <cctype>
#include <limits>
#include <set>
#include <vector>

#include <nlohmann/json.hpp>

#include "errors.hpp"

namespace cpb {

using nlohmann::json;

namespace {

constexpr int kMaxDepth = 8;  // options are three levels deep; anything deeper is refused early
constexpr size_t kMaxQuoted = 60;

std::string pointer_token(const std::string& key) {
  std::string out;
  for (char c : key) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

std::string child(const std::string& path, const std::string& key) { return path + "/" + pointer_token(key); }

// A value quoted for a message, shortened so that a huge input cannot flood it.
std::string quoted(const std::string& s) {
  if (s.size() <= kMaxQuoted) return "\"" + s + "\"";
  size_t cut = kMaxQuoted;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;  // keep UTF-8 whole
  return "\"" + s.substr(0, cut) + "...\" (" + std::to_string(s.size()) + " bytes)";
}

const char* type_name(const json& v) {
  switch (v.type()) {
    case json::value_t::null: return "null";
    case json::value_t::object: return "an object";
    case json::value_t::array: return "an array";
    case json::value_t::string: return "a string";
    case json::value_t::boolean: return "a boolean";
    case json::value_t::number_float: return "a decimal number";
    default: return "a number";
  }
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

json parse_strict(std::string_view text) {
  if (text.find('\0') != std::string_view::npos)
    throw invalid_options("", "the options contain a NUL byte at offset " + std::to_string(text.find('\0')) +
                                  "; send UTF-8 JSON text only");
  std::vector<std::set<std::string>> keys;  // the keys seen in each open object
  std::vector<std::string> path;            // key or index of each open container
  auto callback = [&](int depth, json::parse_event_t event, json& parsed) {
    if (depth > kMaxDepth) throw invalid_options("", "the options are nested too deeply (more than " + std::to_string(kMaxDepth) + " levels)");
    switch (event) {
      case json::parse_event_t::object_start: keys.emplace_back(); break;
      case json::parse_event_t::object_end: if (!keys.empty()) keys.pop_back(); break;
      case json::parse_event_t::key: {
        const std::string key = parsed.get<std::string>();
        if (!keys.empty() && !keys.back().insert(key).second)
          throw invalid_options("", "the key " + quoted(key) + " appears twice in the same object");
        break;
      }
      default: break;
    }
    return true;
  };
  try {
    return json::parse(text.begin(), text.end(), callback);
  } catch (const json::exception& e) {  // parse_error, or out_of_range for a number beyond a double (1e400)
    std::string what = e.what();
    const size_t colon = what.find("parse error");
    const size_t bracket = what.find("] ");
    what = colon != std::string::npos ? what.substr(colon) : bracket != std::string::npos ? what.substr(bracket + 2) : what;
    // The parser quotes the offending token, which may be megabytes long.
    constexpr size_t kMaxReason = 240;
    if (what.size() > kMaxReason) {
      size_t cut = kMaxReason;
      while (cut > 0 && (static_cast<unsigned char>(what[cut]) & 0xC0) == 0x80) --cut;  // keep UTF-8 whole
      what = what.substr(0, cut) + "...";
    }
    throw invalid_options("", "the options are not valid JSON: " + what);
  }
}

int64_t whole_number(const json& v, const std::string& path, const char* what) {
  if (v.is_number_unsigned() && v.get<uint64_t>() <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) && v.get<uint64_t>() > 0)
    return static_cast<int64_t>(v.get<uint64_t>());
  if (v.is_number_integer() && v.get<int64_t>() > 0) return v.get<int64_t>();
  throw invalid_options(path, std::string(what) + " must be a positive whole number, not " +
                                  (v.is_number() ? std::string("the number ") + v.dump() : std::string(type_name(v))));
}

const std::string& string_value(const json& v, const std::string& path, const char* what) {
  if (!v.is_string()) throw invalid_options(path, std::string(what) + " must be a string, not " + type_name(v));
  return v.get_ref<const std::string&>();
}

// "on" -> +1, "off" -> -1, "no_change" -> 0
int preference_value(const json& v, const std::string& path) {
  if (!v.is_string())
    throw invalid_options(path, std::string("a preference must be \"on\", \"off\" or \"no_change\", not ") + type_name(v));
  const std::string& s = v.get_ref<const std::string&>();
  if (s == "on") return 1;
  if (s == "off") return -1;
  if (s == "no_change") return 0;
  throw invalid_options(path, quoted(s) + " is not a preference; use \"on\", \"off\" or \"no_change\"");
}

bool looks_like_text_device(const std::string& key) {
  const std::string k = lower(key);
  return k.find("text") != std::string::npos || k.find("sms") != std::string::npos;
}

void set_cell(Options& o, size_t device, int bit, int value) {
  if (value > 0) o.devices[device].set |= bit;
  if (value < 0) o.devices[device].clear |= bit;
}

void parse_preferences(const json& prefs, const std::string& path, Options& o) {
  if (!prefs.is_object())
    throw invalid_options(path, std::string("preferences must be an object of contact reasons, not ") + type_name(prefs));
  for (const auto& [key, value] : prefs.items()) {
    const std::string reason_path = child(path, key);
    const std::string& name = key;  // a structured binding cannot be captured in C++17 (clang refuses)
    const auto reason = std::find_if(kReasons.begin(), kReasons.end(), [&](const Reason& r) { return r.name == name; });
    if (reason == kReasons.end()) {
      std::string names;
      for (const Reason& r : kReasons) names += (names.empty() ? "" : ", ") + std::string(r.name);
      throw invalid_options(reason_path, quoted(key) + " is not a contact reason; the reasons are " + names);
    }
    if (value.is_object()) {
      for (const auto& [device_key, device_value] : value.items()) {
        const std::string device_path = child(reason_path, device_key);
        const std::string& device_name = device_key;
        const auto device = std::find_if(kDevices.begin(), kDevices.end(), [&](const Device& d) { return d.name == device_name; });
        if (device == kDevices.end()) {
          if (looks_like_text_device(device_key))
            throw invalid_options(device_path, quoted(device_key) +
                                                   ": text (SMS) preferences are never set by this tool, since recipients may be "
                                                   "charged for texts they did not ask for");
          std::string names;
          for (const Device& d : kDevices) names += (names.empty() ? "" : ", ") + std::string(d.name);
          throw invalid_options(device_path, quoted(device_key) + " is not a device; the devices are " + names);
        }
        set_cell(o, static_cast<size_t>(device - kDevices.begin()), reason->bit, preference_value(device_value, device_path));
      }
    } else if (value.is_string()) {
      const int v = preference_value(value, reason_path);
      for (size_t d = 0; d < kDevices.size(); ++d) set_cell(o, d, reason->bit, v);
    } else {
      throw invalid_options(reason_path, std::string("a reason takes \"on\", \"off\", \"no_change\" or an object of devices, not ") +
                                             type_name(value));
    }
  }
}

std::string canonical(const Options& o) {
  json j;
  if (o.action == Action::undo) {
    j = {{"action", "undo"}, {"batch_id", o.batch_id}};
    return j.dump();
  }
  json prefs = json::object();
  for (const Reason& r : kReasons) {
    json devices = json::object();
    for (size_t d = 0; d < kDevices.size(); ++d) {
      if (o.devices[d].set & r.bit) devices[std::string(kDevices[d].name)] = "on";
      if (o.devices[d].clear & r.bit) devices[std::string(kDevices[d].name)] = "off";
    }
    if (!devices.empty()) prefs[std::string(r.name)] = devices;
  }
  j = {{"action", o.action == Action::plan ? "plan" : "apply"},
       {"mode", std::string(mode_info(o.mode).name)},
       {"preferences", prefs},
       {"overwrite", overwrite_name(o.overwrite)},
       {"dry_run", o.dry_run}};
  if (o.ad_hoc_filter_id) j["ad_hoc_filter_id"] = o.ad_hoc_filter_id;
  if (!o.exclude_person_ids.empty()) j["exclude_person_ids"] = o.exclude_person_ids;
  if (!o.exclude_household_ids.empty()) j["exclude_household_ids"] = o.exclude_household_ids;
  if (!o.confirm.empty()) j["confirm"] = o.confirm;
  return j.dump();
}

}  // namespace

const char* overwrite_name(Overwrite o) {
  switch (o) {
    case Overwrite::unset_only: return "unset_only";
    case Overwrite::keep_portal: return "keep_portal";
    default: return "all";
  }
}

const char* action_name(Action a) {
  switch (a) {
    case Action::undo: return "undo";
    case Action::plan: return "plan";
    case Action::plan_rows: return "plan_rows";
    case Action::resume: return "resume";
    default: return "apply";
  }
}

const ModeInfo& mode_info(Mode mode) {
  return *std::find_if(kModes.begin(), kModes.end(), [&](const ModeInfo& m) { return m.mode == mode; });
}

Options parse_options(std::string_view text) {
  const json root = parse_strict(text);
  if (!root.is_object()) throw invalid_options("", std::string("the options must be a JSON object, not ") + type_name(root));
  Options o;
  if (const auto action = root.find("action"); action != root.end()) {
    const std::string& a = string_value(*action, "/action", "action");
    if (a == "undo") o.action = Action::undo;
    else if (a == "plan") o.action = Action::plan;
    else if (a == "plan_rows") o.action = Action::plan_rows;
    else if (a == "resume") o.action = Action::resume;
    else if (a != "apply") throw invalid_options("/action", quoted(a) + " is not an action; use \"apply\", \"plan\", \"plan_rows\", \"undo\" or \"resume\"");
  }
  auto ids = [&](const char* key) {
    std::vector<int64_t> out;
    const auto found = root.find(key);
    if (found == root.end()) return out;
    if (!found->is_array()) throw invalid_options(child("", key), std::string(key) + " must be an array of ids");
    for (size_t i = 0; i < found->size(); ++i) out.push_back(whole_number((*found)[i], child("", key) + "/" + std::to_string(i), key));
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  };
  if (root.count("plan_id") && o.action == Action::apply) o.plan_id = whole_number(root.at("plan_id"), "/plan_id", "plan_id");
  static const std::set<std::string> apply_keys = {"action", "mode", "ad_hoc_filter_id", "preferences", "overwrite", "dry_run",
                                                   "exclude_person_ids", "exclude_household_ids", "confirm", "chunk_rows"};
  static const std::set<std::string> plan_apply_keys = {"action", "plan_id", "exclude_person_ids", "exclude_household_ids", "chunk_rows"};
  static const std::set<std::string> undo_keys = {"action", "batch_id"};
  static const std::set<std::string> rows_keys = {"action", "plan_id", "kind", "after", "limit"};
  const auto& allowed = o.action == Action::undo || o.action == Action::resume ? undo_keys
                        : o.action == Action::plan_rows                        ? rows_keys
                        : o.plan_id != 0                                       ? plan_apply_keys
                                                                               : apply_keys;
  for (const auto& [key, value] : root.items()) {
    if (!allowed.count(key))
      throw invalid_options(child("", key), quoted(key) + " is not an option" +
                                                (o.action == Action::undo ? " of an undo (it takes \"batch_id\" only)" : ""));
  }
  if (root.count("chunk_rows")) o.chunk_rows = whole_number(root.at("chunk_rows"), "/chunk_rows", "chunk_rows");
  o.exclude_person_ids = ids("exclude_person_ids");
  o.exclude_household_ids = ids("exclude_household_ids");
  if (const auto c = root.find("confirm"); c != root.end() && c->is_array())
    for (const auto& v : *c) o.confirm.push_back(v.is_string() ? v.get<std::string>() : std::string());

  if (o.action == Action::undo || o.action == Action::resume) {
    const auto batch = root.find("batch_id");
    if (batch == root.end()) throw invalid_options("/batch_id", "an undo needs \"batch_id\": the batch to take back");
    o.batch_id = whole_number(*batch, "/batch_id", "batch_id");
    o.canonical_json = canonical(o);
    return o;
  }
  if (o.action == Action::plan_rows) {
    o.plan_id = whole_number(root.at("plan_id"), "/plan_id", "plan_id");
    if (root.count("kind")) o.rows_kind = root.at("kind") == "skipped" ? PlanRowsKind::skipped : PlanRowsKind::changes;
    if (root.count("after") && root.at("after").is_string()) o.after = root.at("after").get<std::string>();
    if (root.count("limit")) o.limit = whole_number(root.at("limit"), "/limit", "limit");
    return o;
  }
  if (o.plan_id != 0) {
    o.canonical_json = canonical(o);
    return o;
  }

  const auto mode = root.find("mode");
  if (mode == root.end())
    throw invalid_options("/mode", "\"mode\" is required: \"student_messenger_contacts\", \"students\" or \"census_staff\"");
  const std::string& mode_name = string_value(*mode, "/mode", "mode");
  const auto info = std::find_if(kModes.begin(), kModes.end(), [&](const ModeInfo& m) { return m.name == mode_name; });
  if (info == kModes.end())
    throw invalid_options("/mode", quoted(mode_name) + " is not a mode; use \"student_messenger_contacts\", \"students\" or \"census_staff\"");
  o.mode = info->mode;

  if (const auto filter = root.find("ad_hoc_filter_id"); filter != root.end() && !filter->is_null())
    o.ad_hoc_filter_id = whole_number(*filter, "/ad_hoc_filter_id", "ad_hoc_filter_id");
  if (o.mode == Mode::census_staff && o.ad_hoc_filter_id == 0)
    throw invalid_options("/ad_hoc_filter_id", "census_staff mode needs \"ad_hoc_filter_id\": the census filter whose members to update");

  if (const auto overwrite = root.find("overwrite"); overwrite != root.end()) {
    const std::string& w = string_value(*overwrite, "/overwrite", "overwrite");
    if (w == "unset_only") o.overwrite = Overwrite::unset_only;
    else if (w == "keep_portal") o.overwrite = Overwrite::keep_portal;
    else if (w != "all") throw invalid_options("/overwrite", quoted(w) + " is not an overwrite policy; use \"all\", \"unset_only\" or \"keep_portal\"");
  }
  if (const auto dry = root.find("dry_run"); dry != root.end()) {
    if (!dry->is_boolean()) throw invalid_options("/dry_run", std::string("dry_run must be true or false, not ") + type_name(*dry));
    o.dry_run = dry->get<bool>();
  }

  const auto prefs = root.find("preferences");
  if (prefs == root.end()) throw invalid_options("/preferences", "\"preferences\" is required: set at least one reason On or Off");
  parse_preferences(*prefs, "/preferences", o);
  bool any = false;
  bool staff = false;
  for (const DeviceChange& c : o.devices) {
    any = any || c.touched() != 0;
    staff = staff || (c.touched() & kStaffBit) != 0;
  }
  if (!any) throw invalid_options("/preferences", "every preference is No Change: set at least one reason On or Off");
  if (staff && o.mode != Mode::census_staff)
    throw invalid_options("/preferences/staff", "the staff reason applies to staff only: use census_staff mode with a census filter");
  o.canonical_json = canonical(o);
  return o;
}

}  // namespace cpb
