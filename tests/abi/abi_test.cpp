// The C ABI's outside: exported symbols, version handshake, describe JSON.
#include <cstdio>
#include <memory>
#include <set>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "test_support.hpp"

extern "C" int sis_header_c99_check(void);  // tests/abi/header_c99.c

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

TEST(Abi, HostRefusesAPluginOfAnotherMajorVersion) {
  try {
    host::LoadedPlugin plugin(CPB_FAKE_PLUGIN_V2);
    FAIL() << "a plugin of ABI 2.0 was accepted";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("speaks ABI 2.0"), std::string::npos) << e.what();
  }
}

TEST(Abi, HostRefusesAPluginOfANewerMinorVersion) {
  try {
    host::LoadedPlugin plugin(CPB_FAKE_PLUGIN_V1_1);
    FAIL() << "a plugin of ABI 1.1 was accepted by a 1.0 host";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("speaks ABI 1.1"), std::string::npos) << e.what();
  }
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

TEST(Abi, HeaderCompilesAsC99) {
  EXPECT_EQ(sis_header_c99_check(), 0);
}

}  // namespace
