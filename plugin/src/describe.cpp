#include "describe.hpp"

#include <nlohmann/json.hpp>

#include "sis_plugin.h"
#include "vocabulary.hpp"

namespace cpb {

using json = nlohmann::ordered_json;

namespace {

json options_schema() {
  const json value = {{"type", "string"}, {"enum", {"on", "off", "no_change"}}};
  json device_props = json::object();
  for (const Device& d : kDevices) device_props[std::string(d.name)] = {{"$ref", "#/$defs/value"}};
  json reason_props = json::object();
  for (const Reason& r : kReasons)
    reason_props[std::string(r.name)] = {{"description", std::string(r.description)},
                                         {"oneOf", {{{"$ref", "#/$defs/value"}}, {{"$ref", "#/$defs/devices"}}}}};
  json modes = json::array();
  for (const ModeInfo& m : kModes) modes.push_back(std::string(m.name));
  const json apply = {
      {"type", "object"},
      {"additionalProperties", false},
      {"required", {"mode", "preferences"}},
      {"properties",
       {{"action", {{"const", "apply"}}},
        {"mode", {{"enum", modes}}},
        {"ad_hoc_filter_id", {{"type", {"integer", "null"}}, {"minimum", 1}}},
        {"preferences", {{"type", "object"}, {"additionalProperties", false}, {"minProperties", 1}, {"properties", reason_props}}},
        {"overwrite", {{"enum", {"all", "unset_only", "keep_portal"}}, {"default", "all"}}},
        {"dry_run", {{"type", "boolean"}, {"default", false}}}}},
      {"if", {{"properties", {{"mode", {{"const", "census_staff"}}}}}}},
      {"then", {{"required", {"ad_hoc_filter_id"}}, {"properties", {{"ad_hoc_filter_id", {{"type", "integer"}}}}}}}};
  const json undo = {{"type", "object"},
                     {"additionalProperties", false},
                     {"required", {"action", "batch_id"}},
                     {"properties", {{"action", {{"const", "undo"}}}, {"batch_id", {{"type", "integer"}, {"minimum", 1}}}}}};
  return {{"$schema", "https://json-schema.org/draft/2020-12/schema"},
          {"title", "Contact Preferences Batch options"},
          {"description",
           "At least one cell must be On or Off; the staff reason is accepted in census_staff mode only. "
           "These two rules are checked by the plugin, not by the schema."},
          {"oneOf", {apply, undo}},
          {"$defs",
           {{"value", value},
            {"devices", {{"type", "object"}, {"additionalProperties", false}, {"properties", device_props}}}}}};
}

std::string build() {
  json reasons = json::array();
  for (const Reason& r : kReasons)
    reasons.push_back({{"name", std::string(r.name)}, {"bit", r.bit}, {"label", std::string(r.label)}, {"description", std::string(r.description)}});
  json devices = json::array();
  for (const Device& d : kDevices)
    devices.push_back({{"name", std::string(d.name)}, {"label", std::string(d.label)}, {"table", std::string(d.table)},
                       {"value_column", std::string(d.value_column)}, {"mask_column", std::string(d.mask_column)}});
  json modes = json::array();
  for (const ModeInfo& m : kModes)
    modes.push_back({{"name", std::string(m.name)}, {"label", std::string(m.label)}, {"description", std::string(m.description)},
                     {"filter_type", std::string(m.filter_type)}, {"filter_required", m.mode == Mode::census_staff}});
  const json describe = {
      {"name", std::string(kToolName)},
      {"label", "Contact Preferences Batch"},
      {"description", "Sets Messenger contact preferences en masse for students, their Messenger contacts, or a census/staff filter."},
      {"version", CPB_VERSION},
      {"abi", {{"major", SIS_PLUGIN_ABI_MAJOR}, {"minor", SIS_PLUGIN_ABI_MINOR}}},
      {"reasons", reasons},
      {"devices", devices},
      {"modes", modes},
      {"values", {"on", "off", "no_change"}},
      {"overwrite", {"all", "unset_only", "keep_portal"}},
      {"options_schema", options_schema()}};
  return describe.dump();
}

}  // namespace

const std::string& describe_json() {
  static const std::string text = build();
  return text;
}

}  // namespace cpb
