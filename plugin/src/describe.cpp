// describe(): the static JSON a host (or a wizard rendered only from it) needs:
// the vocabulary with labels and descriptions, the actions, and the options'
// JSON Schema (draft 2020-12) covering every action of version 1.1.
#include "describe.hpp"

#include <algorithm>
#include <iterator>
#include <vector>
#include <string_view>

#include <nlohmann/json.hpp>

#include "options.hpp"
#include "sis_plugin.h"
#include "vocabulary.hpp"

namespace cpb {

using json = nlohmann::ordered_json;

namespace {

struct Labelled {
  std::string_view name;
  std::string_view label;
  std::string_view description;
};

constexpr std::array<Labelled, 1> kConfirmations{{
    {kConfirmEmergencyOff, "Turn Emergency off",
     "Required to turn Emergency Off on any device: families would miss emergency calls and messages on it"},
}};

// The entries of a vocabulary table with a name, a label and a description.
template <typename Table>
json labelled(const Table& items) {
  json out = json::array();
  for (const auto& i : items)
    out.push_back({{"name", std::string(i.name)}, {"label", std::string(i.label)}, {"description", std::string(i.description)}});
  return out;
}

template <typename Table>
json names(const Table& items) {
  json out = json::array();
  for (const auto& i : items) out.push_back(std::string(i.name));
  return out;
}

json described(std::string_view title, std::string_view description, json schema) {
  schema["title"] = std::string(title);
  schema["description"] = std::string(description);
  return schema;
}

json options_schema() {
  json device_props = json::object();
  for (const Device& d : kDevices) device_props[std::string(d.name)] = {{"$ref", "#/$defs/value"}};
  json reason_props = json::object();
  for (const Reason& r : kReasons)
    reason_props[std::string(r.name)] = {{"title", std::string(r.label)},
                                         {"description", std::string(r.description)},
                                         {"oneOf", {{{"$ref", "#/$defs/value"}}, {{"$ref", "#/$defs/devices"}}}}};
  json modes = json::array();
  for (const ModeInfo& m : kModes) modes.push_back(std::string(m.name));

  const json ids = {{"type", "array"}, {"items", {{"type", "integer"}, {"minimum", 1}}}};
  const json id = {{"type", "integer"}, {"minimum", 1}};
  const json props_common = {
      {"mode", described("Who", "Whose preferences are set", {{"enum", modes}})},
      {"ad_hoc_filter_id", described("Ad hoc filter", "A student filter narrows the students; census_staff mode needs a census filter",
                                     {{"type", {"integer", "null"}}, {"minimum", 1}})},
      {"preferences", described("Preferences", "For each contact reason: one value for every device, or a value per device",
                                {{"type", "object"}, {"additionalProperties", false}, {"minProperties", 1}, {"properties", reason_props}})},
      {"overwrite", described("Overwrite", "Which preferences already set may be written", {{"enum", names(kOverwritePolicies)}, {"default", overwrite_name(Overwrite::all)}})},
      {"exclude_person_ids", described("Excluded people", "People left out: not targets, counted nowhere", ids)},
      {"exclude_household_ids", described("Excluded households", "Households whose phone is left alone", ids)},
      {"confirm", described("Confirmations", "Needed for changes that can hurt families: \"emergency_off\" to turn Emergency Off",
                            {{"type", "array"}, {"items", {{"enum", names(kConfirmations)}}}})},
  };
  const json chunk_rows = described("Rows per chunk",
                                    "Writes the batch in chunks of at most this many host rows, each its own transaction "
                                    "(leave out: one transaction)",
                                    {{"type", "integer"}, {"minimum", kMinChunkRows}});
  // census_staff needs a filter; emergency Off needs "confirm": ["emergency_off"].
  const json batch_rules = {
      {{"if", {{"properties", {{"mode", {{"const", "census_staff"}}}}}, {"required", {"mode"}}}},
       {"then", {{"required", {"ad_hoc_filter_id"}}, {"properties", {{"ad_hoc_filter_id", {{"type", "integer"}}}}}}}},
      {{"if", {{"properties", {{"preferences", {{"properties", {{"emergency", {{"$ref", "#/$defs/turns_off"}}}}}, {"required", {"emergency"}}}}}},
               {"required", {"preferences"}}}},
       {"then", {{"required", {"confirm"}}, {"properties", {{"confirm", {{"contains", {{"const", std::string(kConfirmEmergencyOff)}}}}}}}}}}};

  json apply_props = {{"action", {{"const", action_name(Action::apply)}}}};
  apply_props.update(props_common);
  apply_props["dry_run"] = described("Dry run", "Counts what the batch would change and writes nothing", {{"type", "boolean"}, {"default", false}});
  apply_props["chunk_rows"] = chunk_rows;
  json apply_rules = batch_rules;
  apply_rules.push_back({{"if", {{"properties", {{"dry_run", {{"const", true}}}}}, {"required", {"dry_run"}}}},
                         {"then", {{"not", {{"required", {"chunk_rows"}}}}}}});
  const json apply = {{"title", "Apply"},
                      {"type", "object"},
                      {"additionalProperties", false},
                      {"required", {"mode", "preferences"}},
                      {"properties", apply_props},
                      {"allOf", apply_rules}};

  json plan_props = {{"action", {{"const", action_name(Action::plan)}}}};
  plan_props.update(props_common);
  const json plan = {{"title", "Plan"},
                     {"type", "object"},
                     {"additionalProperties", false},
                     {"required", {"action", "mode", "preferences"}},
                     {"properties", plan_props},
                     {"allOf", batch_rules}};

  const json apply_plan = {
      {"title", "Apply a plan"},
      {"type", "object"},
      {"additionalProperties", false},
      {"required", {"plan_id"}},
      {"properties",
       {{"action", {{"const", action_name(Action::apply)}}},
        {"plan_id", described("Plan", "The plan to write, as reviewed; its options come from the plan", id)},
        {"exclude_person_ids", props_common["exclude_person_ids"]},
        {"exclude_household_ids", props_common["exclude_household_ids"]},
        {"chunk_rows", chunk_rows}}}};

  json device_names_and_null = json::array(), warning_names_and_null = json::array();
  for (const Device& d : kDevices) device_names_and_null.push_back(std::string(d.name));
  for (const RowWarning& w : kRowWarnings) warning_names_and_null.push_back(std::string(w.name));
  device_names_and_null.push_back(nullptr);
  warning_names_and_null.push_back(nullptr);
  const json plan_rows = {
      {"title", "Review a plan"},
      {"type", "object"},
      {"additionalProperties", false},
      {"required", {"action", "plan_id"}},
      {"properties",
       {{"action", {{"const", action_name(Action::plan_rows)}}},
        {"plan_id", described("Plan", "The plan to page through", id)},
        {"kind", described("Rows", "\"changes\": the rows that change; \"skipped\": the cells left alone and why",
                           {{"enum", {"changes", "skipped"}}, {"default", "changes"}})},
        {"after", described("After", "null for the first page, else the \"next\" cursor of the page before",
                            {{"type", {"string", "null"}}, {"minLength", 1}, {"maxLength", kMaxCursorBytes}})},
        {"limit", described("Rows per page", "How many rows a page holds", {{"type", "integer"}, {"minimum", 1}, {"maximum", kMaxPlanRowsLimit}, {"default", 100}})},
        {"search", described("Search", "Rows whose name contains this text, whatever the case (ASCII letters at least); "
                                       "text of digits only also finds the person or household with that id. "
                                       "Spaces around it are ignored; it may not be empty",
                             {{"type", {"string", "null"}}, {"minLength", 1}, {"maxLength", kMaxSearchChars}, {"pattern", "\\S"}})},
        {"device", described("Device", "That device's rows only", {{"type", {"string", "null"}}, {"enum", device_names_and_null}})},
        {"warning", described("Warning", "The rows of the people a warning counts: the targets' rows of no_emergency_channel, the "
                                         "household rows of reaches_non_targets",
                              {{"type", {"string", "null"}}, {"enum", warning_names_and_null}})}}}};

  const auto by_batch = [&](Action action, const char* what) {
    const ActionInfo& a = entry_of(kActions, action);
    return json{{"title", std::string(a.label)},
                {"type", "object"},
                {"additionalProperties", false},
                {"required", {"action", "batch_id"}},
                {"properties", {{"action", {{"const", std::string(a.name)}}}, {"batch_id", described("Batch", what, id)}}}};
  };

  // "off" for every device, or an object with at least one device "off"
  const std::string off(entry_of(kPreferenceValues, -1).name);
  const json no_device_off = {{"additionalProperties", {{"not", {{"const", off}}}}}};
  const json turns_off = {{"anyOf", json::array({{{"const", off}}, {{"type", "object"}, {"not", no_device_off}}})}};

  return {{"$schema", "https://json-schema.org/draft/2020-12/schema"},
          {"title", "Contact Preferences Batch options"},
          {"description",
           "At least one cell must be On or Off; the staff reason is accepted in census_staff mode only; a document is at most " +
               std::to_string(kMaxOptionsBytes) + " bytes. These rules are checked by the plugin, not by the schema."},
          {"oneOf",
           {apply, apply_plan, plan, plan_rows, by_batch(Action::undo, "The batch to take back"),
            by_batch(Action::resume, "The chunked batch to finish")}},
          {"$defs",
           {{"value", {{"type", "string"}, {"enum", names(kPreferenceValues)}}},
            {"devices", {{"type", "object"}, {"additionalProperties", false}, {"properties", device_props}}},
            {"turns_off", turns_off}}}};
}

std::string build() {
  json reasons = json::array();
  for (const Reason& r : kReasons) {
    json modes = json::array();  // the modes whose options may set this reason
    for (const ModeInfo& m : kModes)
      if (m.reason_bits & r.bit) modes.push_back(std::string(m.name));
    reasons.push_back({{"name", std::string(r.name)}, {"bit", r.bit}, {"label", std::string(r.label)},
                       {"description", std::string(r.description)}, {"modes", modes}});
  }
  json devices = json::array();
  for (const Device& d : kDevices) {
    devices.push_back({{"name", std::string(d.name)}, {"label", std::string(d.label)}, {"description", std::string(d.description)},
                       {"table", std::string(d.table)}, {"value_column", std::string(d.value_column)},
                       {"mask_column", std::string(d.mask_column)}});
  }
  std::vector<FateInfo> skipped;
  std::copy_if(kFates.begin(), kFates.end(), std::back_inserter(skipped), [](const FateInfo& f) { return f.skipped; });
  const json skip_reasons = labelled(skipped);
  json modes = json::array();
  for (const ModeInfo& m : kModes)
    modes.push_back({{"name", std::string(m.name)}, {"label", std::string(m.label)}, {"description", std::string(m.description)},
                     {"filter_type", std::string(m.filter_type)}, {"filter_required", m.mode == Mode::census_staff}});
  const json describe = {
      {"name", std::string(kToolName)},
      {"label", "Contact Preferences Batch"},
      {"description", "Sets Messenger contact preferences en masse for students, their Messenger contacts, or a census/staff filter."},
      {"version", CPB_VERSION},
      {"contract", std::to_string(SIS_PLUGIN_ABI_MAJOR) + "." + std::to_string(SIS_PLUGIN_ABI_MINOR)},  // CONTRACT 12
      {"abi", {{"major", SIS_PLUGIN_ABI_MAJOR}, {"minor", SIS_PLUGIN_ABI_MINOR}}},
      {"actions", labelled(kActions)},
      {"reasons", reasons},
      {"devices", devices},
      {"modes", modes},
      {"values", names(kPreferenceValues)},                          // 1.0: the names only
      {"overwrite", names(kOverwritePolicies)},            // 1.0: the names only
      {"value_labels", labelled(kPreferenceValues)},                 // 1.1: the same, with labels
      {"overwrite_policies", labelled(kOverwritePolicies)},  // 1.1: the same, with labels
      {"confirmations", labelled(kConfirmations)},
      {"skip_reasons", skip_reasons},
      {"warnings", labelled(kWarnings)},
      {"limits",
       {{"options_bytes", kMaxOptionsBytes}, {"chunk_rows_min", kMinChunkRows}, {"plan_rows_limit_max", kMaxPlanRowsLimit},
        {"cursor_bytes_max", kMaxCursorBytes}}},
      {"options_schema", options_schema()}};
  return describe.dump();
}

}  // namespace

const std::string& describe_json() {
  static const std::string text = build();
  return text;
}

}  // namespace cpb
