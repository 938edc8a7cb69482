// CONTRACT.md section 5, "Options": values, strict refusals with their JSON
// Pointer, overwrite policies, dry run, undo; and the options JSON Schema of
// describe() checked with an independent Draft 2020-12 validator.
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "spec_support.hpp"

namespace cpbtest::spec {
namespace {

struct Refusal {
  const char* options;
  const char* path;  // nullptr: the options as a whole, no path
};

class OptionsRules : public FixtureTest {
 protected:
  // Each options text is refused as invalid_options naming its path, and changes nothing.
  void expect_refusals(std::initializer_list<Refusal> refusals) {
    for (const Refusal& r : refusals) {
      SCOPED_TRACE(r.options);
      const Outcome o = run_refused(r.options);
      if (r.path) {
        expect_error(o, SIS_E_INVALID_OPTIONS, "invalid_options", std::string(r.path));
      } else {
        expect_error(o, SIS_E_INVALID_OPTIONS, "invalid_options");
        EXPECT_FALSE(o.result["error"].contains("path")) << o.result.dump();
      }
    }
  }
};

// ---- Values ----

TEST_P(OptionsRules, ReasonValueAppliesToEveryDevice) {
  // Teacher (32) On for the contacts: every cell on record but 201's work
  // phone (255) gains the bit; households 401 (1) and 404 (NULL) too.
  const std::string shorthand = R"({"mode": "student_messenger_contacts", "preferences": {"teacher": "on"}})";
  const std::string per_device = R"({"mode": "student_messenger_contacts", "dry_run": true, "preferences": {"teacher": {
      "household_phone": "on", "cell_phone": "on", "work_phone": "on", "other_phone": "on", "email": "on", "secondary_email": "on"}}})";
  const Outcome spelled_out = run(per_device);
  const State before = read_state(db());
  Expected e;
  e.mode = "student_messenger_contacts";
  e.persons = 6;
  e.households = 2;
  e.updated = 11;
  e.unchanged = 1;
  e.by_reason = {{"teacher", {11, 1}}};
  e.by_device = {{"household_phone", {2, 0}}, {"cell_phone", {4, 0}}, {"work_phone", {0, 1}},
                 {"other_phone", {1, 0}},     {"email", {3, 0}},      {"secondary_email", {1, 0}}};
  e.no_device = 22;
  const Outcome real = run(shorthand);
  expect_result(real, e);
  e.dry_run = true;
  expect_result(spelled_out, e);
  expect_state(before, read_state(db()),
               {{"contact 101", "32 - - 32 -"},
                {"contact 201", "33 255 - 32 0"},
                {"contact 206", "32 - - - -"},
                {"contact 207", "40 - 32 - -"},
                {"contact 211", "- - - 35 32"},
                {"household 401", "33"},
                {"household 404", "32"}});
}

TEST_P(OptionsRules, ReasonsAndDevicesLeftOutOrNoChangeStayAsTheyAre) {
  // The contract's own example. Emergency On everywhere (as in the common
  // run); Attendance (2) On for cells (101, 201, 206, 207 gain it; 211 and
  // 213 have none) and Off for e-mails (211: 3 -> 1 and, by 9.4, 201's NULL
  // written as 0 are updated; 101's 0 is already Off; 206, 207, 213 have none);
  // household phone and General: No Change. Attendance: 4 + 2 updated, 1 unchanged.
  const State before = read_state(db());
  Expected e;
  e.mode = "student_messenger_contacts";
  e.persons = 6;
  e.households = 2;
  e.updated = 8 + 6;
  e.unchanged = 4 + 1;
  e.by_reason = {{"emergency", {8, 4}}, {"attendance", {6, 1}}};
  // email: emergency {2, 1} + attendance {2 (211, 201), 1 (101)}.
  e.by_device = {{"household_phone", {1, 1}}, {"cell_phone", {7, 1}}, {"work_phone", {0, 1}},
                 {"other_phone", {1, 0}},     {"email", {4, 2}},      {"secondary_email", {1, 0}}};
  e.no_device = 22 + 2 + 3;
  expect_result(run(R"({
      "mode": "student_messenger_contacts",
      "preferences": {
        "emergency": "on",
        "attendance": {"cell_phone": "on", "email": "off", "household_phone": "no_change"},
        "general": "no_change"
      },
      "overwrite": "all",
      "dry_run": false
    })"),
                e);
  expect_state(before, read_state(db()),
               {{"contact 101", "3 - - 1 -"},
                {"contact 201", "3 255 - 1 0"},
                {"contact 206", "3 - - - -"},
                {"contact 207", "11 - 1 - -"},
                {"contact 211", "- - - 1 1"},
                {"household 404", "1"}});
}

TEST_P(OptionsRules, ActionApplyIsTheDefault) {
  const Outcome implicit = run(R"({"mode": "students", "preferences": {"emergency": "on"}, "dry_run": true})");
  const Outcome explicit_apply = run(R"({"action": "apply", "mode": "students", "preferences": {"emergency": "on"}, "dry_run": true})");
  ASSERT_EQ(implicit.status, SIS_OK) << implicit.result.dump();
  EXPECT_EQ(explicit_apply.result, implicit.result);
}

// ---- Strict refusals, each naming its path ----

TEST_P(OptionsRules, UnknownKeysReasonsAndDevicesAreRefusedWithTheirPath) {
  expect_refusals({
      {R"({"mode": "students", "preferences": {"emergency": "on"}, "verbose": true})", "/verbose"},
      {R"({"mode": "students", "preferences": {"emergency": "on"}, "Mode": "students"})", "/Mode"},
      {R"({"mode": "students", "preferences": {"fire": "on"}})", "/preferences/fire"},
      {R"({"mode": "students", "preferences": {"Emergency": "on"}})", "/preferences/Emergency"},
      {R"({"mode": "students", "preferences": {"emergency": "on", "a/b~c": "on"}})", "/preferences/a~1b~0c"},
      {R"({"mode": "students", "preferences": {"emergency": {"fax": "on"}}})", "/preferences/emergency/fax"},
      {R"({"mode": "students", "preferences": {"emergency": {"household_phone_messenger": "on"}}})",
       "/preferences/emergency/household_phone_messenger"},
      {R"({"action": "undo", "batch_id": 1, "mode": "students"})", "/mode"}});
}

TEST_P(OptionsRules, TextDevicesAreRefusedWhateverTheirValue) {
  expect_refusals({
      {R"({"mode": "students", "preferences": {"attendance": {"text": "on"}}})", "/preferences/attendance/text"},
      {R"({"mode": "students", "preferences": {"attendance": {"cell_phone_text": "on"}}})", "/preferences/attendance/cell_phone_text"},
      {R"({"mode": "students", "preferences": {"emergency": {"cell_phone": "on", "cell_phone_text": "no_change"}}})",
       "/preferences/emergency/cell_phone_text"},
      {R"({"mode": "students", "preferences": {"emergency": {"work_phone_text_messenger": "off"}}})",
       "/preferences/emergency/work_phone_text_messenger"},
      {R"({"mode": "students", "preferences": {"general": {"sms": "on"}}})", "/preferences/general/sms"}});
}

TEST_P(OptionsRules, WrongTypesAreRefusedWithTheirPath) {
  expect_refusals({
      {R"({"mode": 3, "preferences": {"emergency": "on"}})", "/mode"},
      {R"({"mode": ["students"], "preferences": {"emergency": "on"}})", "/mode"},
      {R"({"mode": "students", "preferences": []})", "/preferences"},
      {R"({"mode": "students", "preferences": "on"})", "/preferences"},
      {R"({"mode": "students", "preferences": {"emergency": true}})", "/preferences/emergency"},
      {R"({"mode": "students", "preferences": {"emergency": 1}})", "/preferences/emergency"},
      {R"({"mode": "students", "preferences": {"emergency": null}})", "/preferences/emergency"},
      {R"({"mode": "students", "preferences": {"emergency": ["on"]}})", "/preferences/emergency"},
      {R"({"mode": "students", "preferences": {"emergency": {"cell_phone": 1}}})", "/preferences/emergency/cell_phone"},
      {R"({"mode": "students", "preferences": {"emergency": {"cell_phone": {"on": true}}}})", "/preferences/emergency/cell_phone"},
      {R"({"mode": "students", "preferences": {"emergency": "on"}, "dry_run": "yes"})", "/dry_run"},
      {R"({"mode": "students", "preferences": {"emergency": "on"}, "dry_run": 0})", "/dry_run"},
      {R"({"mode": "students", "preferences": {"emergency": "on"}, "ad_hoc_filter_id": "1"})", "/ad_hoc_filter_id"},
      {R"({"mode": "students", "preferences": {"emergency": "on"}, "ad_hoc_filter_id": 1.5})", "/ad_hoc_filter_id"},
      {R"({"mode": "students", "preferences": {"emergency": "on"}, "ad_hoc_filter_id": 0})", "/ad_hoc_filter_id"},
      {R"({"mode": "students", "preferences": {"emergency": "on"}, "ad_hoc_filter_id": -3})", "/ad_hoc_filter_id"},
      {R"({"mode": "students", "preferences": {"emergency": "on"}, "overwrite": 1})", "/overwrite"},
      {R"({"action": 1, "mode": "students", "preferences": {"emergency": "on"}})", "/action"},
      {R"({"action": "undo", "batch_id": "7"})", "/batch_id"},
      {R"({"action": "undo", "batch_id": 0})", "/batch_id"},
      {R"(["mode", "students"])", nullptr},
      {R"({"mode": "students", "preferences": {"emergency": "on"})", nullptr},
      {R"({"mode": "students", "mode": "students", "preferences": {"emergency": "on"}})", nullptr}});
}

TEST_P(OptionsRules, BadValuesAreRefusedWithTheirPath) {
  expect_refusals({
      {R"({"mode": "students", "preferences": {"emergency": "ON"}})", "/preferences/emergency"},
      {R"({"mode": "students", "preferences": {"emergency": "yes"}})", "/preferences/emergency"},
      {R"({"mode": "students", "preferences": {"emergency": ""}})", "/preferences/emergency"},
      {R"({"mode": "students", "preferences": {"emergency": {"email": "On"}}})", "/preferences/emergency/email"},
      {R"({"mode": "students", "preferences": {"emergency": {"email": "nochange"}}})", "/preferences/emergency/email"},
      {R"({"mode": "everyone", "preferences": {"emergency": "on"}})", "/mode"},
      {R"({"mode": "Students", "preferences": {"emergency": "on"}})", "/mode"},
      {R"({"mode": "students", "preferences": {"emergency": "on"}, "overwrite": "some"})", "/overwrite"},
      {R"({"mode": "students", "preferences": {"emergency": "on"}, "overwrite": "ALL"})", "/overwrite"},
      {R"({"action": "redo", "mode": "students", "preferences": {"emergency": "on"}})", "/action"}});
}

TEST_P(OptionsRules, NothingToChangeIsRefused) {
  expect_refusals({
      {R"({"mode": "students", "preferences": {}})", "/preferences"},
      {R"({"mode": "students", "preferences": {"emergency": "no_change", "general": {"email": "no_change"}}})", "/preferences"},
      {R"({"mode": "students", "preferences": {"emergency": {}}})", "/preferences"},
      {R"({"mode": "students"})", "/preferences"}});
}

TEST_P(OptionsRules, MissingModeOrCensusFilterIsRefused) {
  expect_refusals({
      {R"({"preferences": {"emergency": "on"}})", "/mode"},
      {R"({"action": "apply", "preferences": {"emergency": "on"}, "ad_hoc_filter_id": 1})", "/mode"},
      {R"({"mode": "census_staff", "preferences": {"staff": "on"}})", "/ad_hoc_filter_id"},
      {R"({"action": "undo"})", "/batch_id"}});
}

// ---- Overwrite ----

TEST_P(OptionsRules, OverwriteAllWritesEveryTargetedCell) {
  // Portal-edited rows (201, household 404) and set masks (207's 8) are written alike.
  const State before = read_state(db());
  const Outcome o = run(R"({"mode": "student_messenger_contacts", "preferences": {"emergency": "on"}, "overwrite": "all"})");
  expect_result(o, contacts_emergency_on());
  expect_state(before, read_state(db()), contacts_emergency_on_writes());
}

TEST_P(OptionsRules, OverwriteUnsetOnlyWritesOnlyNullMasks) {
  // Of the common run's cells on record, the NULL masks are written (101 cell,
  // 201 email, 206 cell, 211 secondary, household 404); the seven others are
  // protected, whether or not they already hold the bit.
  const State before = read_state(db());
  Expected e;
  e.mode = "student_messenger_contacts";
  e.persons = 6;
  e.households = 2;
  e.updated = 5;
  e.by_reason = {{"emergency", {5, 0}}};
  e.by_device = {{"cell_phone", {2, 0}}, {"email", {1, 0}}, {"secondary_email", {1, 0}}, {"household_phone", {1, 0}}};
  e.protected_cells = 7;
  e.no_device = 22;
  expect_result(run(R"({"mode": "student_messenger_contacts", "preferences": {"emergency": "on"}, "overwrite": "unset_only"})"), e);
  expect_state(before, read_state(db()),
               {{"contact 101", "1 - - 0 -"},
                {"contact 201", "1 255 - 1 0"},
                {"contact 206", "1 - - - -"},
                {"contact 211", "- - - 3 1"},
                {"household 404", "1"}});
}

TEST_P(OptionsRules, OverwriteKeepPortalLeavesRowsLastModifiedByAPortalAccount) {
  // 201's contact row and household 404 were last modified by portal user 4:
  // their cells on record (201 cell, work, email; 404) are protected.
  const State before = read_state(db());
  Expected e;
  e.mode = "student_messenger_contacts";
  e.persons = 6;
  e.households = 2;
  e.updated = 6;
  e.unchanged = 2;
  e.by_reason = {{"emergency", {6, 2}}};
  e.by_device = {{"cell_phone", {3, 0}}, {"other_phone", {1, 0}}, {"email", {1, 1}}, {"secondary_email", {1, 0}},
                 {"household_phone", {0, 1}}};
  e.protected_cells = 4;
  e.no_device = 22;
  expect_result(run(R"({"mode": "student_messenger_contacts", "preferences": {"emergency": "on"}, "overwrite": "keep_portal"})"), e);
  expect_state(before, read_state(db()),
               {{"contact 101", "1 - - 1 -"}, {"contact 206", "1 - - - -"}, {"contact 207", "9 - 1 - -"}, {"contact 211", "- - - 3 1"}});
}

// ---- Dry run ----

TEST_P(OptionsRules, DryRunCountsLikeTheRealRunAndWritesNothing) {
  const std::string before = dump_host_tables(db());
  Expected e = contacts_emergency_on();
  e.dry_run = true;
  const Outcome dry = run(R"({"mode": "student_messenger_contacts", "preferences": {"emergency": "on"}, "dry_run": true})");
  expect_result(dry, e);
  EXPECT_EQ(dump_host_tables(db()), before);
  // Dry runs with the other policies and modes leave everything as well.
  for (const char* options :
       {R"({"mode": "student_messenger_contacts", "preferences": {"general": "off"}, "overwrite": "unset_only", "dry_run": true})",
        R"({"mode": "students", "preferences": {"teacher": "on"}, "overwrite": "keep_portal", "dry_run": true})",
        R"({"mode": "census_staff", "ad_hoc_filter_id": 5, "preferences": {"staff": "on", "food_service": "off"}, "dry_run": true})"}) {
    const Outcome o = run(options);
    EXPECT_EQ(o.status, SIS_OK) << o.result.dump();
    EXPECT_TRUE(o.result["batch_id"].is_null()) << o.result.dump();
    EXPECT_EQ(o.result["dry_run"], true);
  }
  EXPECT_EQ(dump_host_tables(db()), before);
  // The real run finds what the dry run counted.
  const State state = read_state(db());
  const Outcome real = run(kContactsEmergencyOn);
  expect_result(real, contacts_emergency_on());
  json same = real.result;
  same["batch_id"] = nullptr;
  same["dry_run"] = true;
  // Counts and warnings are the same; the summary sentence may say "change"
  // for a dry run and "changed" for the real run (9.2), so it is left out.
  same.erase("summary");
  json dry_counts = dry.result;
  dry_counts.erase("summary");
  EXPECT_EQ(dry_counts, same);
  expect_state(state, read_state(db()), contacts_emergency_on_writes());
}

// ---- Undo ----

TEST_P(OptionsRules, UndoRestoresEveryRowTheBatchChanged) {
  const std::string before = dump_host_tables(db());
  const Outcome applied = run(kContactsEmergencyOn);
  expect_result(applied, contacts_emergency_on());
  const int64_t batch = applied.result["batch_id"].get<int64_t>();
  const Outcome undone = run(json{{"action", "undo"}, {"batch_id", batch}}.dump());
  ASSERT_EQ(undone.status, SIS_OK) << undone.result.dump();
  // Six rows were written: contacts 101, 201, 206, 207, 211 and household 404.
  ASSERT_TRUE(undone.result["batch_id"].is_number_integer()) << undone.result.dump();
  EXPECT_NE(undone.result["batch_id"].get<int64_t>(), batch);
  EXPECT_EQ(undone.result, (json{{"batch_id", undone.result["batch_id"]}, {"undone_batch_id", batch}, {"restored", 6}, {"conflicts", 0},
                                  {"conflict_rows", json::array()}}));
  EXPECT_EQ(undone.counts.updated, 6);
  EXPECT_EQ(undone.counts.unchanged, 0);
  EXPECT_EQ(dump_host_tables(db()), before) << "the undo did not restore the database exactly";
}

TEST_P(OptionsRules, UndoLeavesRowsChangedSinceAsConflicts) {
  const State before = read_state(db());
  const Outcome applied = run(kContactsEmergencyOn);
  expect_result(applied, contacts_emergency_on());
  const int64_t batch = applied.result["batch_id"].get<int64_t>();
  execute("UPDATE contact SET cell_phone_messenger = 100 WHERE person_id = 207");
  const Outcome undone = run(json{{"action", "undo"}, {"batch_id", batch}}.dump());
  ASSERT_EQ(undone.status, SIS_OK) << undone.result.dump();
  EXPECT_EQ(undone.result["restored"], 5);
  EXPECT_EQ(undone.result["conflicts"], 1);
  const State after = read_state(db());
  // 207 keeps both the later edit and the batch's other_phone bit; every other row is back.
  expect_state(before, after, {{"contact 207", "100 - 1 - -"}});
}

TEST_P(OptionsRules, UndoOfAnUnknownOrUndoneBatchOrByAnotherUserIsRefused) {
  expect_error(run_refused(R"({"action": "undo", "batch_id": 99})"), SIS_E_NOT_FOUND, "not_found", "/batch_id");
  const Outcome applied = run(kContactsEmergencyOn);
  ASSERT_EQ(applied.status, SIS_OK) << applied.result.dump();
  const std::string undo = json{{"action", "undo"}, {"batch_id", applied.result["batch_id"]}}.dump();
  Context viewer;
  viewer.user_id = 2;
  expect_error(run_refused(undo, viewer), SIS_E_FORBIDDEN, "forbidden", "/user_id");
  ASSERT_EQ(run(undo).status, SIS_OK);
  expect_error(run_refused(undo), SIS_E_CONFLICT, "conflict", "/batch_id");
}

// ---- describe(): the options JSON Schema ----

// Validates each sample against the schema with the python3-jsonschema
// package's Draft 2020-12 validator; true where valid.
std::vector<bool> validate_with_jsonschema(const json& schema, const std::vector<json>& samples) {
  const std::filesystem::path file =
      std::filesystem::temp_directory_path() / ("cpb_spec_schema_" + std::to_string(getpid()) + ".json");
  std::ofstream(file) << json{{"schema", schema}, {"samples", samples}}.dump();
  const std::string command =
      "/usr/bin/python3 -I -B -c 'import json, sys\n"
      "from jsonschema import Draft202012Validator as V\n"
      "d = json.load(open(sys.argv[1]))\n"
      "V.check_schema(d[\"schema\"])\n"
      "v = V(d[\"schema\"])\n"
      "print(json.dumps([v.is_valid(s) for s in d[\"samples\"]]))' '" +
      file.string() + "' 2>&1";
  std::string output;
  {
    std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
    if (!pipe) throw std::runtime_error("cannot run /usr/bin/python3");
    char buffer[4096];
    while (size_t n = fread(buffer, 1, sizeof buffer, pipe.get())) output.append(buffer, n);
  }
  std::filesystem::remove(file);
  const json verdicts = json::parse(output, nullptr, false);
  if (!verdicts.is_array() || verdicts.size() != samples.size()) throw std::runtime_error("jsonschema failed: " + output);
  return verdicts.get<std::vector<bool>>();
}

TEST_P(OptionsRules, DescribeSchemaAcceptsValidOptionsAndRefusesInvalidOnes) {
  const json describe = json::parse(plugin().describe());
  ASSERT_TRUE(describe.contains("options_schema")) << describe.dump();
  const json& schema = describe["options_schema"];
  EXPECT_EQ(schema.value("$schema", ""), "https://json-schema.org/draft/2020-12/schema");

  const std::vector<json> valid = {
      json::parse(R"({"mode": "student_messenger_contacts", "preferences": {"emergency": "on"}})"),
      json::parse(R"({"mode": "student_messenger_contacts", "ad_hoc_filter_id": 1,
                      "preferences": {"emergency": "on",
                                      "attendance": {"cell_phone": "on", "email": "off", "household_phone": "no_change"},
                                      "general": "no_change"},
                      "overwrite": "all", "dry_run": true})"),
      json::parse(R"({"action": "apply", "mode": "students", "preferences": {"food_service": {"household_phone": "off"}},
                      "overwrite": "unset_only", "dry_run": true})"),
      json::parse(R"({"mode": "census_staff", "ad_hoc_filter_id": 2, "preferences": {"staff": {"cell_phone": "on"}},
                      "overwrite": "keep_portal", "dry_run": true})"),
      json::parse(R"({"action": "undo", "batch_id": 42})"),
  };
  const std::vector<json> invalid = {
      json::parse(R"({"mode": "students", "preferences": {"emergency": "on"}, "verbose": true})"),
      json::parse(R"({"mode": "students", "preferences": {"fire": "on"}})"),
      json::parse(R"({"mode": "students", "preferences": {"emergency": {"fax": "on"}}})"),
      json::parse(R"({"mode": "students", "preferences": {"attendance": {"text": "on"}}})"),
      json::parse(R"({"mode": "students", "preferences": {"attendance": {"cell_phone_text": "on"}}})"),
      json::parse(R"({"mode": "students", "preferences": {"emergency": "ON"}})"),
      json::parse(R"({"mode": "students", "preferences": {"emergency": true}})"),
      json::parse(R"({"mode": "everyone", "preferences": {"emergency": "on"}})"),
      json::parse(R"({"preferences": {"emergency": "on"}})"),
      json::parse(R"({"mode": "census_staff", "preferences": {"emergency": "on"}})"),
      json::parse(R"({"mode": "students", "preferences": {"emergency": "on"}, "dry_run": "yes"})"),
      json::parse(R"({"mode": "students", "preferences": {"emergency": "on"}, "ad_hoc_filter_id": "1"})"),
      json::parse(R"({"mode": "students", "preferences": {"emergency": "on"}, "overwrite": "some"})"),
      json::parse(R"({"mode": "students", "preferences": {}})"),
      json::parse(R"({"action": "undo"})"),
      json::parse(R"({"action": "undo", "batch_id": 1, "mode": "students"})"),
  };
  std::vector<json> samples = valid;
  samples.insert(samples.end(), invalid.begin(), invalid.end());
  const std::vector<bool> verdicts = validate_with_jsonschema(schema, samples);
  for (size_t i = 0; i < samples.size(); ++i)
    EXPECT_EQ(verdicts[i], i < valid.size()) << (i < valid.size() ? "refused by the schema: " : "accepted by the schema: ")
                                             << samples[i].dump();
  // The plugin agrees with the schema on each of them.
  for (const json& sample : invalid) expect_error(run_refused(sample.dump()), SIS_E_INVALID_OPTIONS, "invalid_options");
  for (const json& sample : valid) {
    const Outcome o = run(sample.dump());
    EXPECT_NE(o.error_code(), "invalid_options") << sample.dump() << " -> " << o.result.dump();
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, OptionsRules, testing::ValuesIn(backends()), BackendName());

}  // namespace
}  // namespace cpbtest::spec
