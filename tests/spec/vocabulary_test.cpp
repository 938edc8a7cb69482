// The vocabulary (plugin/src/vocabulary.hpp) is what describe tells a host:
// every mask is the reasons' bits, every table is listed whole and in order.
#include <algorithm>
#include <string>
#include <vector>

#include "options.hpp"
#include "tally.hpp"
#include "test_support.hpp"
#include "vocabulary.hpp"

namespace cpbtest {
namespace {

template <typename Table>
std::vector<std::string> names_of(const Table& table) {
  std::vector<std::string> names;
  for (const auto& entry : table) names.push_back(std::string(entry.name));
  return names;
}

std::vector<std::string> names_in(const json& list) {
  std::vector<std::string> names;
  for (const json& entry : list) names.push_back(entry.at("name").get<std::string>());
  return names;
}

TEST(Vocabulary, TheMasksAreTheBitsOfTheReasonsDescribeLists) {
  int all = 0;
  for (const auto& [name, bit] : described().reasons) {
    EXPECT_EQ(all & bit, 0) << name << " shares a bit";
    all |= bit;
  }
  EXPECT_EQ(cpb::kAllReasonBits, all);
  EXPECT_EQ(cpb::kEmergencyBit, described().reason_bit("emergency"));
  EXPECT_EQ(cpb::kStaffBit, described().reason_bit("staff"));
  EXPECT_EQ(cpb::kReasonBitsNoStaff, all & ~described().reason_bit("staff"));
  for (const cpb::ModeInfo& m : cpb::kModes)
    EXPECT_EQ(m.reason_bits, m.mode == cpb::Mode::census_staff ? all : all & ~cpb::kStaffBit) << m.name;
}

TEST(Vocabulary, DescribeListsEveryTableWholeAndInOrder) {
  const json d = json::parse(plugin().describe());
  EXPECT_EQ(names_in(d["reasons"]), names_of(cpb::kReasons));
  EXPECT_EQ(names_in(d["devices"]), names_of(cpb::kDevices));
  EXPECT_EQ(names_in(d["actions"]), names_of(cpb::kActions));
  EXPECT_EQ(names_in(d["overwrite_policies"]), names_of(cpb::kOverwritePolicies));
  EXPECT_EQ(d["overwrite"].get<std::vector<std::string>>(), names_of(cpb::kOverwritePolicies));
  EXPECT_EQ(names_in(d["warnings"]), names_of(cpb::kWarnings));
  EXPECT_EQ(names_in(d["value_labels"]), names_of(cpb::kPreferenceValues));
  EXPECT_EQ(d["values"].get<std::vector<std::string>>(), names_of(cpb::kPreferenceValues));
  std::vector<std::string> skipped;
  for (const cpb::FateInfo& f : cpb::kFates)
    if (f.skipped) skipped.push_back(std::string(f.name));
  EXPECT_EQ(names_in(d["skip_reasons"]), skipped);
  for (size_t i = 0; i < cpb::kDevices.size(); ++i) EXPECT_EQ(d["devices"][i]["description"], std::string(cpb::kDevices[i].description));
}

TEST(Vocabulary, EachNameOfAnEnumIsItsTablesName) {
  for (const cpb::ActionInfo& a : cpb::kActions) EXPECT_EQ(cpb::action_name(a.value), a.name);
  for (const cpb::OverwritePolicy& p : cpb::kOverwritePolicies) EXPECT_EQ(cpb::overwrite_name(p.value), p.name);
  for (const cpb::FateInfo& f : cpb::kFates) EXPECT_EQ(cpb::fate_name(f.fate), f.name);
  // A result's skipped counts are keyed by the skip fates' names.
  cpb::Options o;
  o.devices[cpb::kFirstContactDevice].set = cpb::kEmergencyBit;
  const json skipped = json::parse(cpb::Tally().counts_json(o).dump())["skipped"];
  std::vector<std::string> keys;
  for (const auto& [key, value] : skipped.items()) keys.push_back(key);
  std::vector<std::string> expected;
  for (const cpb::FateInfo& f : cpb::kFates)
    if (f.skipped) expected.push_back(std::string(f.name));
  std::sort(keys.begin(), keys.end());
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(keys, expected);
}

}  // namespace
}  // namespace cpbtest
