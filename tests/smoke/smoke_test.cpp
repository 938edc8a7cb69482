// End to end on each back end: seed a district, run a batch through the loaded
// plugin, and see the database hold what the result says.
#include "test_support.hpp"

namespace cpbtest {
namespace {

class Smoke : public testing::TestWithParam<Backend> {};

TEST_P(Smoke, SeededDistrictBatchUpdatesWhatItCounts) {
  TestDatabase db(GetParam());
  db.seed(300);
  Handle h(db);
  const json options = {{"mode", "student_messenger_contacts"}, {"preferences", {{"emergency", "on"}}}};
  const Outcome first = h.run(options);
  ASSERT_EQ(first.status, SIS_OK) << first.result.dump();
  EXPECT_GT(first.result["updated"].get<int64_t>(), 0);
  EXPECT_EQ(first.counts.updated, first.result["updated"].get<int64_t>());
  EXPECT_EQ(first.counts.unchanged, first.result["unchanged"].get<int64_t>());
  EXPECT_EQ(first.counts.persons, first.result["persons"].get<int64_t>());
  EXPECT_EQ(first.counts.households, first.result["households"].get<int64_t>());
  // Everything asked is now on: the same batch again changes nothing.
  const Outcome again = h.run(options);
  ASSERT_EQ(again.status, SIS_OK) << again.result.dump();
  EXPECT_EQ(again.result["updated"], 0);
  EXPECT_EQ(again.result["unchanged"].get<int64_t>(), first.result["updated"].get<int64_t>() + first.result["unchanged"].get<int64_t>());
}

INSTANTIATE_TEST_SUITE_P(Backends, Smoke, testing::ValuesIn(backends()), BackendName());

}  // namespace
}  // namespace cpbtest
