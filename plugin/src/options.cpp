#include "options.hpp"

#include <algorithm>
#include <cctype>
#include <limits>
#include <optional>
#include <set>
#include <utility>
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

// "a", "b" or "c": the names of a vocabulary table, for a message.
template <typename Table>
std::string alternatives(const Table& table) {
  std::string out;
  for (size_t i = 0; i < table.size(); ++i)
    out += std::string(i == 0 ? "" : i + 1 == table.size() ? " or " : ", ") + "\"" + std::string(table[i].name) + "\"";
  return out;
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

// Builds the document from the parser's events in one pass (linear in the
// input: nlohmann's callback mode rescans an object's members at every child's
// end, quadratic for many siblings), refusing duplicate keys and deep nesting
// as they come.
class StrictBuilder {
 public:
  using number_integer_t = json::number_integer_t;
  using number_unsigned_t = json::number_unsigned_t;
  using number_float_t = json::number_float_t;
  using string_t = json::string_t;
  using binary_t = json::binary_t;

  json take() { return std::move(root_); }

  bool null() { return value(json(nullptr)); }
  bool boolean(bool v) { return value(json(v)); }
  bool number_integer(number_integer_t v) { return value(json(v)); }
  bool number_unsigned(number_unsigned_t v) { return value(json(v)); }
  bool number_float(number_float_t v, const string_t&) { return value(json(v)); }
  bool string(string_t& v) { return value(json(std::move(v))); }
  bool binary(binary_t&) { return value(json()); }  // not produced by the JSON reader
  bool start_object(std::size_t) { return open(json::object()); }
  bool start_array(std::size_t) { return open(json::array()); }
  bool end_object() { return close(); }
  bool end_array() { return close(); }
  bool key(string_t& k) {
    const auto [member, added] = open_.back()->get_ref<json::object_t&>().try_emplace(k);
    if (!added) throw invalid_options("the key " + quoted(std::as_const(k)) + " appears twice in the same object");
    member_ = &member->second;
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) {
    error_ = e.what();
    return false;
  }
  const std::string& error() const { return error_; }

 private:
  // Places a value where the parser is: the root, the end of the open array, or the member of the last key.
  json* add(json&& v) {
    if (open_.empty()) {
      root_ = std::move(v);
      return &root_;
    }
    json& parent = *open_.back();
    if (parent.is_array()) {
      parent.push_back(std::move(v));
      return &parent.back();
    }
    *member_ = std::move(v);  // the member key() added
    return member_;
  }
  bool value(json&& v) {
    add(std::move(v));
    return true;
  }
  bool open(json&& container) {
    if (open_.size() >= static_cast<size_t>(kMaxDepth))
      throw invalid_options("the options are nested too deeply (more than " + std::to_string(kMaxDepth) + " levels)");
    open_.push_back(add(std::move(container)));
    return true;
  }
  bool close() {
    open_.pop_back();
    return true;
  }

  json root_;
  std::vector<json*> open_;  // the open containers; a parent does not move while its last child is open
  json* member_ = nullptr;  // the value of the last key of the open object
  std::string error_;
};

json parse_strict(std::string_view text) {
  if (text.size() > kMaxOptionsBytes)
    throw invalid_options("the options are " + std::to_string(text.size()) + " bytes, more than the " + std::to_string(kMaxOptionsBytes) +
                          " bytes (" + std::to_string(kMaxOptionsBytes >> 20) +
                          " MiB) accepted; exclude fewer people or households per batch");
  if (text.find('\0') != std::string_view::npos)
    throw invalid_options("the options contain a NUL byte at offset " + std::to_string(text.find('\0')) + "; send UTF-8 JSON text only");
  StrictBuilder builder;
  bool parsed = false;
  try {
    parsed = json::sax_parse(text.begin(), text.end(), &builder);
  } catch (const json::exception& e) {
    builder.parse_error(0, "", e);
  }
  if (parsed) return builder.take();
  // parse_error, or out_of_range for a number beyond a double (1e400)
  std::string what = builder.error();
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
  throw invalid_options("the options are not valid JSON: " + what);
}

int64_t whole_number(const json& v, const std::string& path, const char* what) {
  if (v.is_number_unsigned() && v.get<uint64_t>() <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) && v.get<uint64_t>() > 0)
    return static_cast<int64_t>(v.get<uint64_t>());
  if (v.is_number_integer() && v.get<int64_t>() > 0) return v.get<int64_t>();
  throw invalid_options(std::string(what) + " must be a positive whole number, not " +
                            (v.is_number() ? std::string("the number ") + v.dump() : std::string(type_name(v))),
                        path);
}

const std::string& string_value(const json& v, const std::string& path, const char* what) {
  if (!v.is_string()) throw invalid_options(std::string(what) + " must be a string, not " + type_name(v), path);
  return v.get_ref<const std::string&>();
}

// "on" -> +1, "off" -> -1, "no_change" -> 0 (kPreferenceValues)
int preference_value(const json& v, const std::string& path) {
  if (!v.is_string()) throw invalid_options("a preference must be " + alternatives(kPreferenceValues) + ", not " + type_name(v), path);
  const std::string& s = v.get_ref<const std::string&>();
  for (const PreferenceValue& p : kPreferenceValues)
    if (s == p.name) return p.value;
  throw invalid_options(quoted(s) + " is not a preference; use " + alternatives(kPreferenceValues), path);
}

bool looks_like_text_device(const std::string& key) {
  const std::string k = lower(key);
  return k.find("text") != std::string::npos || k.find("sms") != std::string::npos;
}

std::string device_names() {
  std::string names;
  for (const Device& d : kDevices) names += (names.empty() ? "" : ", ") + std::string(d.name);
  return names;
}

void set_cell(Options& o, size_t device, int bit, int value) {
  if (value > 0) o.devices[device].set |= bit;
  if (value < 0) o.devices[device].clear |= bit;
}

void parse_preferences(const json& prefs, const std::string& path, Options& o) {
  if (!prefs.is_object())
    throw invalid_options(std::string("preferences must be an object of contact reasons, not ") + type_name(prefs), path);
  for (const auto& [key, value] : prefs.items()) {
    const std::string reason_path = child(path, key);
    const std::string& name = key;  // a structured binding cannot be captured in C++17 (clang refuses)
    const auto reason = std::find_if(kReasons.begin(), kReasons.end(), [&](const Reason& r) { return r.name == name; });
    if (reason == kReasons.end()) {
      std::string names;
      for (const Reason& r : kReasons) names += (names.empty() ? "" : ", ") + std::string(r.name);
      throw invalid_options(quoted(key) + " is not a contact reason; the reasons are " + names, reason_path);
    }
    if (value.is_object()) {
      for (const auto& [device_key, device_value] : value.items()) {
        const std::string device_path = child(reason_path, device_key);
        const size_t device = device_index(device_key);
        if (device == kDevices.size()) {
          if (looks_like_text_device(device_key))
            throw invalid_options(quoted(device_key) +
                                      ": text (SMS) preferences are never set by this tool, since recipients may be "
                                      "charged for texts they did not ask for",
                                  device_path);
          throw invalid_options(quoted(device_key) + " is not a device; the devices are " + device_names(), device_path);
        }
        set_cell(o, device, reason->bit, preference_value(device_value, device_path));
      }
    } else if (value.is_string()) {
      const int v = preference_value(value, reason_path);
      for (size_t d = 0; d < kDevices.size(); ++d) set_cell(o, d, reason->bit, v);
    } else {
      throw invalid_options(std::string("a reason takes \"on\", \"off\", \"no_change\" or an object of devices, not ") + type_name(value),
                            reason_path);
    }
  }
}

std::string canonical(const Options& o) {
  json j = {{"action", action_name(o.action)}};
  switch (o.action) {
    case Action::undo:
    case Action::resume:
      j["batch_id"] = o.batch_id;
      return j.dump();
    case Action::plan_rows:
      j["plan_id"] = o.plan_id;
      j["kind"] = o.rows_kind == PlanRowsKind::skipped ? "skipped" : "changes";
      j["after"] = o.after ? json(*o.after) : json(nullptr);
      j["limit"] = o.limit;
      if (o.filter.search) j["search"] = *o.filter.search;
      if (o.filter.device) j["device"] = std::string(kDevices[*o.filter.device].name);
      if (o.filter.warning) j["warning"] = std::string(o.filter.warning->name);
      return j.dump();
    default: break;
  }
  if (!o.exclude_person_ids.empty()) j["exclude_person_ids"] = o.exclude_person_ids;
  if (!o.exclude_household_ids.empty()) j["exclude_household_ids"] = o.exclude_household_ids;
  if (o.chunk_rows) j["chunk_rows"] = o.chunk_rows;
  if (o.applies_plan()) {
    j["plan_id"] = o.plan_id;
    return j.dump();
  }
  json prefs = json::object();
  for (const Reason& r : kReasons) {
    json devices = json::object();
    for (size_t d = 0; d < kDevices.size(); ++d) {
      if (o.devices[d].set & r.bit) devices[std::string(kDevices[d].name)] = std::string(entry_of(kPreferenceValues, 1).name);
      if (o.devices[d].clear & r.bit) devices[std::string(kDevices[d].name)] = std::string(entry_of(kPreferenceValues, -1).name);
    }
    if (!devices.empty()) prefs[std::string(r.name)] = devices;
  }
  j["mode"] = std::string(mode_info(o.mode).name);
  j["preferences"] = prefs;
  j["overwrite"] = overwrite_name(o.overwrite);
  if (o.action == Action::apply) j["dry_run"] = o.dry_run;
  if (o.ad_hoc_filter_id) j["ad_hoc_filter_id"] = o.ad_hoc_filter_id;
  if (!o.confirm.empty()) j["confirm"] = o.confirm;
  return j.dump();
}

// The keys each kind of options takes (CONTRACT 5, 9.1, 11).
struct KeySet {
  const char* what;  // "an undo", for messages
  std::vector<std::string_view> keys;
};
const KeySet kApplyKeys{"an apply",
                        {"action", "mode", "ad_hoc_filter_id", "preferences", "overwrite", "dry_run", "exclude_person_ids",
                         "exclude_household_ids", "confirm", "chunk_rows"}};
const KeySet kApplyPlanKeys{"the apply of a plan", {"action", "plan_id", "exclude_person_ids", "exclude_household_ids", "chunk_rows"}};
const KeySet kPlanKeys{"a plan",
                       {"action", "mode", "ad_hoc_filter_id", "preferences", "overwrite", "exclude_person_ids", "exclude_household_ids",
                        "confirm"}};
const KeySet kPlanRowsKeys{"plan_rows", {"action", "plan_id", "kind", "after", "limit", "search", "device", "warning"}};
const KeySet kUndoKeys{"an undo", {"action", "batch_id"}};
const KeySet kResumeKeys{"a resume", {"action", "batch_id"}};

std::string key_list(const KeySet& set) {
  std::string out;
  for (std::string_view k : set.keys) out += (out.empty() ? "\"" : ", \"") + std::string(k) + "\"";
  return out;
}

// Refuses the first key the options' kind does not take, saying why where a reason is known.
void check_keys(const json& root, const KeySet& set, Action action, bool plan_apply) {
  for (const auto& [key, value] : root.items()) {
    if (std::find(set.keys.begin(), set.keys.end(), key) != set.keys.end()) continue;
    const std::string path = child("", key);
    if (plan_apply && std::find(kApplyKeys.keys.begin(), kApplyKeys.keys.end(), key) != kApplyKeys.keys.end())
      throw invalid_options(quoted(key) +
                                " is not an option of the apply of a plan: it takes its options from the plan "
                                "(it takes " +
                                key_list(set) + "); plan again to change them",
                            path);
    if (action == Action::plan && key == "dry_run")
      throw invalid_options("a plan takes no \"dry_run\": a plan never writes a host row", path);
    if (action == Action::plan && key == "chunk_rows")
      throw invalid_options("a plan takes no \"chunk_rows\": give it to the apply of the plan", path);
    throw invalid_options(quoted(key) + " is not an option of " + set.what + " (it takes " + key_list(set) + ")", path);
  }
}

// An array of positive whole numbers, sorted, without duplicates.
std::vector<int64_t> id_list(const json& v, const std::string& path, const char* what) {
  if (!v.is_array())
    throw invalid_options(std::string(what) + " must be an array of ids (positive whole numbers), not " + type_name(v), path);
  std::vector<int64_t> ids;
  ids.reserve(v.size());
  for (size_t i = 0; i < v.size(); ++i) ids.push_back(whole_number(v[i], path + "/" + std::to_string(i), "an id"));
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

std::vector<std::string> confirmations(const json& v) {
  if (!v.is_array())
    throw invalid_options(std::string("confirm must be an array of confirmations such as [\"") + std::string(kConfirmEmergencyOff) +
                              "\"], not " + type_name(v),
                          "/confirm");
  std::vector<std::string> out;
  for (size_t i = 0; i < v.size(); ++i) {
    const std::string path = "/confirm/" + std::to_string(i);
    const std::string& c = string_value(v[i], path, "a confirmation");
    if (c != kConfirmEmergencyOff)
      throw invalid_options(
          quoted(c) + " is not a confirmation; the only one is \"" + std::string(kConfirmEmergencyOff) + "\" (turn Emergency Off)", path);
    out.push_back(c);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

const json* find(const json& root, const char* key) {
  const auto it = root.find(key);
  return it == root.end() ? nullptr : &*it;
}

void parse_exclusions(const json& root, Options& o) {
  if (const json* v = find(root, "exclude_person_ids")) o.exclude_person_ids = id_list(*v, "/exclude_person_ids", "exclude_person_ids");
  if (const json* v = find(root, "exclude_household_ids"))
    o.exclude_household_ids = id_list(*v, "/exclude_household_ids", "exclude_household_ids");
}

// A whole number that fits in int64_t; nullopt for anything else (1.5, 1e3, 2^63, "7").
std::optional<int64_t> as_int64(const json& v) {
  if (v.is_number_unsigned()) {
    if (v.get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return std::nullopt;
    return static_cast<int64_t>(v.get<uint64_t>());
  }
  if (v.is_number_integer()) return v.get<int64_t>();
  return std::nullopt;
}

void parse_chunk_rows(const json& root, Options& o) {
  const json* v = find(root, "chunk_rows");
  if (!v) return;
  const std::optional<int64_t> rows = as_int64(*v);
  if (!rows || *rows < kMinChunkRows)
    throw invalid_options("chunk_rows must be a whole number of host rows, at least " + std::to_string(kMinChunkRows) +
                              " (leave it out to write the batch in one transaction), not " +
                              (v->is_number() ? v->dump() : std::string(type_name(*v))),
                          "/chunk_rows");
  o.chunk_rows = *rows;
}

// mode, ad_hoc_filter_id, overwrite, preferences and confirm: what a batch does (apply, dry run, plan).
void parse_batch_options(const json& root, Options& o) {
  const json* mode = find(root, "mode");
  if (!mode) throw invalid_options("\"mode\" is required: " + alternatives(kModes), "/mode");
  const std::string& mode_name = string_value(*mode, "/mode", "mode");
  const auto info = std::find_if(kModes.begin(), kModes.end(), [&](const ModeInfo& m) { return m.name == mode_name; });
  if (info == kModes.end())
    throw invalid_options(quoted(mode_name) + " is not a mode; use " + alternatives(kModes),
                          "/mode");
  o.mode = info->mode;

  if (const json* filter = find(root, "ad_hoc_filter_id"); filter && !filter->is_null())
    o.ad_hoc_filter_id = whole_number(*filter, "/ad_hoc_filter_id", "ad_hoc_filter_id");
  if (o.mode == Mode::census_staff && o.ad_hoc_filter_id == 0)
    throw invalid_options("census_staff mode needs \"ad_hoc_filter_id\": the census filter whose members to update", "/ad_hoc_filter_id");

  if (const json* overwrite = find(root, "overwrite")) {
    const std::string& w = string_value(*overwrite, "/overwrite", "overwrite");
    const auto policy = std::find_if(kOverwritePolicies.begin(), kOverwritePolicies.end(), [&](const OverwritePolicy& p) { return p.name == w; });
    if (policy == kOverwritePolicies.end())
      throw invalid_options(quoted(w) + " is not an overwrite policy; use " + alternatives(kOverwritePolicies), "/overwrite");
    o.overwrite = policy->value;
  }

  const json* prefs = find(root, "preferences");
  if (!prefs) throw invalid_options("\"preferences\" is required: set at least one reason On or Off", "/preferences");
  parse_preferences(*prefs, "/preferences", o);
  int asked = 0;
  bool emergency_off = false;
  for (const DeviceChange& c : o.devices) {
    asked |= c.touched();
    emergency_off = emergency_off || (c.clear & kEmergencyBit) != 0;
  }
  if (asked == 0) throw invalid_options("every preference is No Change: set at least one reason On or Off", "/preferences");
  if ((asked & ~mode_info(o.mode).reason_bits) != 0)  // only staff is ever withheld from a mode (vocabulary.hpp)
    throw invalid_options("the staff reason applies to staff only: use census_staff mode with a census filter", "/preferences/staff");

  if (const json* confirm = find(root, "confirm")) o.confirm = confirmations(*confirm);
  // CONTRACT 9.2: the mistake that hurts families most needs saying twice.
  if (emergency_off && !o.confirmed(kConfirmEmergencyOff))
    throw invalid_options(
        "turning Emergency Off stops emergency calls and messages (closures, lockdowns, evacuations) on those "
        "devices, so families would miss them; if that is really meant, add \"confirm\": [\"" +
            std::string(kConfirmEmergencyOff) + "\"] to the options",
        "/preferences/emergency");
}

Action parse_action(const json& root) {
  const json* action = find(root, "action");
  if (!action) return Action::apply;
  const std::string& a = string_value(*action, "/action", "action");
  for (const ActionInfo& known : kActions)
    if (a == known.name) return known.value;
  throw invalid_options(quoted(a) + " is not an action; use " + alternatives(kActions), "/action");
}

size_t utf8_chars(const std::string& s) {
  return static_cast<size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

// search, device and warning (CONTRACT 12.3); null is the same as leaving one out.
void parse_plan_rows_filter(const json& root, PlanRowsFilter& f) {
  if (const json* search = find(root, "search"); search && !search->is_null()) {
    if (!search->is_string())
      throw invalid_options(
          std::string("search must be text (a part of a name, or an id in quotes such as \"3011\"), not ") + type_name(*search), "/search");
    const std::string& text = search->get_ref<const std::string&>();
    const size_t first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos)
      throw invalid_options("search is empty: give a part of a name or an id, or leave search out (or null) to list every row", "/search");
    const std::string trimmed = text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
    if (utf8_chars(trimmed) > kMaxSearchChars)
      throw invalid_options("search is " + std::to_string(utf8_chars(trimmed)) + " characters long, more than the " +
                                std::to_string(kMaxSearchChars) + " a name search takes: " + quoted(trimmed),
                            "/search");
    f.search = trimmed;
  }
  if (const json* device = find(root, "device"); device && !device->is_null()) {
    const std::string& name = string_value(*device, "/device", "device");
    const size_t d = device_index(name);
    if (d == kDevices.size()) throw invalid_options(quoted(name) + " is not a device; the devices are " + device_names(), "/device");
    f.device = d;
  }
  if (const json* warning = find(root, "warning"); warning && !warning->is_null()) {
    const std::string& name = string_value(*warning, "/warning", "warning");
    for (const RowWarning& w : kRowWarnings)
      if (w.name == name) f.warning = &w;
    if (!f.warning) {
      throw invalid_options(quoted(name) + " is not a warning that counts rows of a plan; use " + alternatives(kRowWarnings), "/warning");
    }
  }
}

void parse_plan_rows(const json& root, Options& o) {
  const json* plan = find(root, "plan_id");
  if (!plan) throw invalid_options("plan_rows needs \"plan_id\": the plan to page through", "/plan_id");
  o.plan_id = whole_number(*plan, "/plan_id", "plan_id");
  if (const json* kind = find(root, "kind")) {
    const std::string& k = string_value(*kind, "/kind", "kind");
    if (k == "skipped") o.rows_kind = PlanRowsKind::skipped;
    else if (k != "changes")
      throw invalid_options(quoted(k) + " is not a kind of plan rows; use \"changes\" or \"skipped\"", "/kind");
  }
  if (const json* after = find(root, "after"); after && !after->is_null()) {
    if (!after->is_string())
      throw invalid_options(
          std::string("after must be null (the first page) or the \"next\" cursor of the page before, not ") + type_name(*after), "/after");
    const std::string& cursor = after->get_ref<const std::string&>();
    if (cursor.empty() || cursor.size() > kMaxCursorBytes)
      throw invalid_options(quoted(cursor) + " is not a cursor: pass the \"next\" of the page before, or null for the first page",
                            "/after");
    o.after = cursor;
  }
  if (const json* limit = find(root, "limit")) {
    const std::optional<int64_t> n = as_int64(*limit);
    if (!n || *n < 1 || *n > kMaxPlanRowsLimit)
      throw invalid_options("limit must be a whole number from 1 to " + std::to_string(kMaxPlanRowsLimit) + " (rows per page), not " +
                                (limit->is_number() ? limit->dump() : std::string(type_name(*limit))),
                            "/limit");
    o.limit = *n;
  }
  parse_plan_rows_filter(root, o.filter);
}

}  // namespace

const char* overwrite_name(Overwrite o) { return entry_of(kOverwritePolicies, o).name.data(); }

const char* action_name(Action a) { return entry_of(kActions, a).name.data(); }

const ModeInfo& mode_info(Mode mode) {
  return *std::find_if(kModes.begin(), kModes.end(), [&](const ModeInfo& m) { return m.mode == mode; });
}

Options parse_options(std::string_view text) {
  const json root = parse_strict(text);
  if (!root.is_object()) throw invalid_options(std::string("the options must be a JSON object, not ") + type_name(root));
  Options o;
  o.action = parse_action(root);
  switch (o.action) {
    case Action::undo:
    case Action::resume: {
      const bool undo = o.action == Action::undo;
      check_keys(root, undo ? kUndoKeys : kResumeKeys, o.action, false);
      const json* batch = find(root, "batch_id");
      if (!batch)
        throw invalid_options(
            undo ? "an undo needs \"batch_id\": the batch to take back" : "a resume needs \"batch_id\": the chunked batch to finish",
            "/batch_id");
      o.batch_id = whole_number(*batch, "/batch_id", "batch_id");
      break;
    }
    case Action::plan_rows:
      check_keys(root, kPlanRowsKeys, o.action, false);
      parse_plan_rows(root, o);
      break;
    case Action::plan:
      check_keys(root, kPlanKeys, o.action, false);
      parse_batch_options(root, o);
      parse_exclusions(root, o);
      break;
    case Action::apply:
      if (const json* plan = find(root, "plan_id")) {
        check_keys(root, kApplyPlanKeys, o.action, true);
        o.plan_id = whole_number(*plan, "/plan_id", "plan_id");
        parse_exclusions(root, o);
        parse_chunk_rows(root, o);
        break;
      }
      check_keys(root, kApplyKeys, o.action, false);
      if (const json* dry = find(root, "dry_run")) {
        if (!dry->is_boolean()) throw invalid_options(std::string("dry_run must be true or false, not ") + type_name(*dry), "/dry_run");
        o.dry_run = dry->get<bool>();
      }
      parse_batch_options(root, o);
      parse_exclusions(root, o);
      parse_chunk_rows(root, o);
      if (o.dry_run && o.chunk_rows) throw invalid_options("a dry run writes nothing, so it takes no \"chunk_rows\"", "/chunk_rows");
      break;
  }
  o.canonical_json = canonical(o);
  return o;
}

namespace {
// The keys plan_apply_options adds to the plan's options in a batch's record.
constexpr const char* kPlanIdKey = "plan_id";
constexpr const char* kApplyExcludePersons = "apply_exclude_person_ids";
constexpr const char* kApplyExcludeHouseholds = "apply_exclude_household_ids";
}  // namespace

Options plan_apply_options(const std::string& plan_options, const Options& apply) {
  // The people and households left out are this apply's (the plan's own are not in its rows already).
  Options planned = parse_options(plan_options);
  planned.action = Action::apply;
  planned.plan_id = apply.plan_id;
  planned.chunk_rows = apply.chunk_rows;
  planned.exclude_person_ids = apply.exclude_person_ids;
  planned.exclude_household_ids = apply.exclude_household_ids;
  json canonical = json::parse(planned.canonical_json);
  canonical[kPlanIdKey] = apply.plan_id;
  if (!apply.exclude_person_ids.empty()) canonical[kApplyExcludePersons] = apply.exclude_person_ids;
  if (!apply.exclude_household_ids.empty()) canonical[kApplyExcludeHouseholds] = apply.exclude_household_ids;
  planned.canonical_json = canonical.dump();
  return planned;
}

Options recorded_batch_options(const std::string& batch_options) {
  json j = json::parse(batch_options);
  const std::optional<int64_t> plan_id = j.contains(kPlanIdKey) ? std::optional<int64_t>(j[kPlanIdKey].get<int64_t>()) : std::nullopt;
  for (const char* key : {kPlanIdKey, kApplyExcludePersons, kApplyExcludeHouseholds}) j.erase(key);
  Options o = parse_options(j.dump());
  o.action = Action::apply;  // a batch applied from a plan records the plan's options
  if (plan_id) o.plan_id = *plan_id;
  o.canonical_json = batch_options;
  return o;
}

}  // namespace cpb
