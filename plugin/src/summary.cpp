#include "summary.hpp"

#include <cctype>
#include <vector>

namespace cpb {

using json = nlohmann::ordered_json;

namespace {

std::string join_and(const std::vector<std::string>& parts) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += i + 1 == parts.size() ? " and " : ", ";
    out += parts[i];
  }
  return out;
}

std::string lower_first(std::string_view s) {
  std::string out(s);
  if (!out.empty()) out[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(out[0])));
  return out;
}

// "Attendance On (cell phone) and Off (e-mail)", "Emergency On (all devices)".
std::string reason_phrase(const Options& o, const Reason& r) {
  std::vector<std::string> on, off;
  for (size_t d = 0; d < kDevices.size(); ++d) {
    if (o.devices[d].set & r.bit) on.push_back(lower_first(kDevices[d].label));
    if (o.devices[d].clear & r.bit) off.push_back(lower_first(kDevices[d].label));
  }
  auto devices = [](const std::vector<std::string>& list) {
    return list.size() == kDevices.size() ? std::string("all devices") : join_and(list);
  };
  std::vector<std::string> parts;
  if (!on.empty()) parts.push_back("On (" + devices(on) + ")");
  if (!off.empty()) parts.push_back("Off (" + devices(off) + ")");
  return std::string(r.label) + " " + join_and(parts);
}

std::string plural(int64_t n, const char* one, const char* many) { return thousands(n) + " " + (n == 1 ? one : many); }

// What separates the sentence's subject from its numbers.
constexpr const char* kNumbersFollow = ": ";

// "2,706 preferences change for 867 people and 12 household phones".
std::string summary_numbers(const Options& o, int64_t updated, int64_t persons, int64_t households, Tense tense) {
  std::string numbers = plural(updated, "preference", "preferences") + " " +
                        (tense == Tense::applied ? "changed" : updated == 1 ? "changes" : "change") + " for " +
                        plural(persons, "person", "people");
  if (o.touches(kHouseholdPhone)) numbers += " and " + plural(households, "household phone", "household phones");
  return numbers;
}

}  // namespace

std::string year_label(int32_t end_year) {
  const int next = end_year % 100;
  return std::to_string(end_year - 1) + "-" + (next < 10 ? "0" : "") + std::to_string(next);
}

std::string thousands(int64_t n) {
  std::string digits = std::to_string(n < 0 ? -n : n);
  for (int at = static_cast<int>(digits.size()) - 3; at > 0; at -= 3) digits.insert(static_cast<size_t>(at), ",");
  return (n < 0 ? "-" : "") + digits;
}

std::string summary_sentence(const Options& o, const RunContext& ctx, const Selection& s, const Tally& t, Tense tense) {
  std::vector<std::string> reasons;
  for (const Reason& r : kReasons) {
    bool asked = false;
    for (const DeviceChange& d : o.devices) asked = asked || (d.touched() & r.bit);
    if (asked) reasons.push_back(reason_phrase(o, r));
  }
  const std::string where = (s.school.empty() ? std::string("all schools") : s.school) + ", " +
                            (s.calendar.empty() ? std::string("all calendars") : s.calendar) + ", " + year_label(ctx.end_year);
  const std::string filter = s.filter.empty() ? std::string() : " in the ad hoc filter \"" + s.filter + "\"";
  std::string who;
  switch (o.mode) {
    case Mode::students: who = "the students enrolled in " + where + filter; break;
    case Mode::student_messenger_contacts: who = "the Messenger contacts of students enrolled in " + where + filter; break;
    case Mode::census_staff: who = "the members of the census filter \"" + s.filter + "\""; break;
  }
  std::string sentence = "Set " + join_and(reasons) + " for " + who;
  if (o.overwrite == Overwrite::unset_only) sentence += ", only where a preference was never set";
  if (o.overwrite == Overwrite::keep_portal) sentence += ", leaving alone what parents set in the portal";
  if (s.left_out_persons > 0 || s.left_out_households > 0) {
    std::vector<std::string> left;
    if (s.left_out_persons > 0) left.push_back(plural(s.left_out_persons, "person", "people"));
    if (s.left_out_households > 0) left.push_back(plural(s.left_out_households, "household", "households"));
    sentence += " (" + join_and(left) + " left out)";
  }
  return sentence + kNumbersFollow + summary_numbers(o, t.updated(), t.persons, t.households, tense) + ".";
}

std::string renumbered_summary(const std::string& sentence, const Options& o, int64_t updated, int64_t persons, int64_t households,
                               Tense tense) {
  const size_t cut = sentence.rfind(kNumbersFollow);  // the numbers hold no colon; a name before them may
  if (cut == std::string::npos) return sentence;
  return sentence.substr(0, cut) + kNumbersFollow + summary_numbers(o, updated, persons, households, tense) + ".";
}

json warnings_json(const WarningCounts& w) {
  json list = json::array();
  if (w.empty_selection)
    list.push_back({{"code", std::string(kWarnings[kEmptySelection].name)},
                    {"count", 0},
                    {"message", "Nobody is selected: check the school year, school, calendar, mode and filter."}});
  if (w.no_emergency_channel > 0)
    list.push_back({{"code", std::string(kWarnings[kNoEmergencyChannel].name)},
                    {"count", w.no_emergency_channel},
                    {"message", plural(w.no_emergency_channel, "person", "people") +
                                    " will have no device on record with Emergency on after this batch and would miss "
                                    "emergency calls."}});
  if (w.reaches_non_targets > 0)
    list.push_back({{"code", std::string(kWarnings[kReachesNonTargets].name)},
                    {"count", w.reaches_non_targets},
                    {"message", plural(w.reaches_non_targets, "person who is", "people who are") +
                                    " not selected share a household phone this batch changes; the change reaches them too."}});
  return list;
}

}  // namespace cpb
