// The C ABI's outside: exported symbols, version handshake, describe JSON.
#include <cstddef>
#include <cstdio>
#include <map>
#include <memory>
#include <set>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "test_support.hpp"

extern "C" int sis_header_c89_check(void);    // tests/abi/header_c89.c
extern "C" int sis_header_c99_check(void);    // tests/abi/header_c99.c
extern "C" int sis_header_cxx11_check(void);  // tests/abi/header_cxx11.cpp

namespace {

std::set<std::string> exported_symbols(const std::string& library) {
  std::set<std::string> out;
  const std::string command = "nm -D --defined-only '" + library + "'";
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
  if (!pipe) return out;
  char line[1024];
  while (fgets(line, sizeof line, pipe.get())) {
    std::string s(line);
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
    const size_t space = s.rfind(' ');
    if (space != std::string::npos) out.insert(s.substr(space + 1));
  }
  return out;
}

TEST(Abi, ExportsTheSevenFunctionsAndNothingElse) {
  const std::set<std::string> symbols = exported_symbols(CPB_PLUGIN_PATH);
  const std::set<std::string> expected = {"sis_plugin_abi_version", "sis_plugin_describe",    "sis_plugin_open",
                                          "sis_plugin_open_attached", "sis_plugin_run", "sis_plugin_last_error",
                                          "sis_plugin_close"};
  EXPECT_EQ(symbols, expected);
  for (const std::string& s : symbols) EXPECT_EQ(s.rfind("sis_plugin_", 0), 0u) << s;
}

TEST(Abi, VersionIsMajorShiftedOverMinor) {
  EXPECT_EQ(cpbtest::plugin().abi_version(), (uint32_t{SIS_PLUGIN_ABI_MAJOR} << 16) | SIS_PLUGIN_ABI_MINOR);
}

// CONTRACT 12: this release is 1.2 (a 1.2 host uses plan_rows filters a 1.1 plugin lacks).
TEST(Abi, VersionIsOnePointTwo) {
  EXPECT_EQ(SIS_PLUGIN_ABI_MAJOR, 1);
  EXPECT_EQ(SIS_PLUGIN_ABI_MINOR, 2);
  EXPECT_EQ(cpbtest::plugin().abi_version(), (1u << 16) | 2u);
}

TEST(Abi, HostRefusesAPluginOfAnotherMajorVersion) {
  try {
    host::LoadedPlugin plugin(CPB_FAKE_PLUGIN_OTHER_MAJOR);
    FAIL() << "a plugin of ABI " CPB_FAKE_OTHER_MAJOR " was accepted";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("speaks ABI " CPB_FAKE_OTHER_MAJOR), std::string::npos) << e.what();
  }
}

// CONTRACT 9.5: the plugin must offer everything the host calls.
TEST(Abi, HostRefusesAPluginOfAnOlderMinorVersion) {
  try {
    host::LoadedPlugin plugin(CPB_FAKE_PLUGIN_OLDER_MINOR);
    FAIL() << "a plugin of ABI " CPB_FAKE_OLDER_MINOR " was accepted by a host of this release";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("speaks ABI " CPB_FAKE_OLDER_MINOR), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("x >= " + std::to_string(SIS_PLUGIN_ABI_MINOR)), std::string::npos) << e.what();
  }
}

TEST(Abi, HostAcceptsAPluginOfANewerMinorVersion) {
  EXPECT_NO_THROW(host::LoadedPlugin plugin(CPB_FAKE_PLUGIN_NEWER_MINOR));
}

TEST(Abi, HostRefusesALibraryThatIsNotThePlugin) {
  EXPECT_THROW(host::LoadedPlugin("/nonexistent/libcontact_prefs_batch.so"), std::runtime_error);
  try {
    host::LoadedPlugin plugin(CPB_NOT_A_PLUGIN);
    FAIL() << "a library without sis_plugin_abi_version was accepted";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("not a Contact Preferences Batch plugin"), std::string::npos) << e.what();
  }
}

TEST(Abi, DescribeListsReasonsDevicesModesAndTheOptionsSchema) {
  const nlohmann::json d = nlohmann::json::parse(cpbtest::plugin().describe());
  EXPECT_EQ(d["name"], "contact_preferences_batch");
  EXPECT_EQ(d["abi"]["major"], SIS_PLUGIN_ABI_MAJOR);
  EXPECT_EQ(d["abi"]["minor"], SIS_PLUGIN_ABI_MINOR);
  EXPECT_EQ(d["contract"], "1.2");
  ASSERT_EQ(d["reasons"].size(), 8u);
  std::set<std::pair<std::string, int>> reasons;
  for (const auto& r : d["reasons"]) reasons.insert({r["name"].get<std::string>(), r["bit"].get<int>()});
  const std::set<std::pair<std::string, int>> expected_reasons = {{"emergency", 1}, {"attendance", 2}, {"behavior", 4},
                                                                  {"general", 8},   {"priority", 16},  {"teacher", 32},
                                                                  {"staff", 64},    {"food_service", 128}};
  EXPECT_EQ(reasons, expected_reasons);
  std::set<std::string> devices;
  for (const auto& dev : d["devices"]) devices.insert(dev["name"].get<std::string>());
  EXPECT_EQ(devices, (std::set<std::string>{"household_phone", "cell_phone", "work_phone", "other_phone", "email", "secondary_email"}));
  std::set<std::string> modes;
  for (const auto& m : d["modes"]) modes.insert(m["name"].get<std::string>());
  EXPECT_EQ(modes, (std::set<std::string>{"students", "student_messenger_contacts", "census_staff"}));
  EXPECT_EQ(d["options_schema"]["$schema"], "https://json-schema.org/draft/2020-12/schema");
  for (const auto& r : d["reasons"]) EXPECT_FALSE(r["label"].get<std::string>().empty());
}

// A wizard renders its form from describe alone: every action, reason, device,
// mode, value and overwrite policy has a label and a description.
TEST(Abi, DescribeGivesEveryChoiceALabelAndADescription) {
  const nlohmann::json d = nlohmann::json::parse(cpbtest::plugin().describe());
  const std::map<std::string, std::set<std::string>> lists = {
      {"actions", {"apply", "plan", "plan_rows", "undo", "resume"}},
      {"reasons", {"emergency", "attendance", "behavior", "general", "priority", "teacher", "staff", "food_service"}},
      {"devices", {"household_phone", "cell_phone", "work_phone", "other_phone", "email", "secondary_email"}},
      {"modes", {"students", "student_messenger_contacts", "census_staff"}},
      {"value_labels", {"on", "off", "no_change"}},
      {"overwrite_policies", {"all", "unset_only", "keep_portal"}},
      {"confirmations", {"emergency_off"}},
      {"skip_reasons", {"no_device", "not_staff", "protected"}},
      {"warnings", {"no_emergency_channel", "reaches_non_targets", "empty_selection"}}};
  for (const auto& [list, expected] : lists) {
    SCOPED_TRACE(list);
    ASSERT_TRUE(d.contains(list) && d[list].is_array()) << list;
    std::set<std::string> names;
    for (const auto& item : d[list]) {
      names.insert(item.at("name").get<std::string>());
      EXPECT_FALSE(item.at("label").get<std::string>().empty()) << item.dump();
      EXPECT_FALSE(item.at("description").get<std::string>().empty()) << item.dump();
    }
    EXPECT_EQ(names, expected);
  }
  // The 1.0 lists of names stay as they were.
  EXPECT_EQ(d["values"], nlohmann::json({"on", "off", "no_change"}));
  EXPECT_EQ(d["overwrite"], nlohmann::json({"all", "unset_only", "keep_portal"}));
  EXPECT_EQ(d["limits"]["chunk_rows_min"], 1000);
}

// Each is compiled with -Wall -Wextra -pedantic -Werror (tests/abi/CMakeLists.txt);
// the checks also prove the initialisers fill struct_size and zero the rest.
TEST(Abi, HeaderCompilesAsC89) { EXPECT_EQ(sis_header_c89_check(), 0); }
TEST(Abi, HeaderCompilesAsC99) { EXPECT_EQ(sis_header_c99_check(), 0); }
TEST(Abi, HeaderCompilesAsCxx11) { EXPECT_EQ(sis_header_cxx11_check(), 0); }

TEST(Abi, InitialisersFillStructSize) {
  const sis_toolbar_context ctx = SIS_TOOLBAR_CONTEXT_INIT;
  const sis_counts counts = SIS_COUNTS_INIT;
  EXPECT_EQ(ctx.struct_size, sizeof(sis_toolbar_context));
  EXPECT_EQ(ctx.effective_date, nullptr);
  EXPECT_EQ(counts.struct_size, sizeof(sis_counts));
  EXPECT_EQ(counts.reserved, 0u);
}

// The padding made explicit in 1.1 was already there on 64-bit platforms: a
// 1.0 host's sis_counts is 1.1's, byte for byte (header_c99.c pins it too).
TEST(Abi, CountsKeepTheOnePointZeroLayout) {
  EXPECT_EQ(sizeof(sis_counts), 40u);
  EXPECT_EQ(offsetof(sis_counts, updated), 8u);
  EXPECT_EQ(offsetof(sis_counts, households), 32u);
  EXPECT_EQ(SIS_COUNTS_SIZE_V1, 40u);
}

}  // namespace
