// The fixed names of the contract, each defined once, with the words describe
// shows for it: contact reasons (and every mask derived from their bits),
// devices, modes, actions, overwrite policies, the fates of a cell, warnings.
// The error codes and their statuses are in errors.hpp. A host learns all of
// it from describe (describe.cpp), which reads these tables.
#pragma once

#include <array>
#include <string_view>

namespace cpb {

struct Reason {
  std::string_view name;  // JSON name
  int bit;                // bit in every *_messenger mask
  std::string_view label;
  std::string_view description;
};

// The contact reasons (CONTRACT 2): the one list of their names and bits.
// Adding a reason is a row here; every mask below, describe, the options, the
// SQL ({{each_reason:...}}) and the tally follow.
inline constexpr std::array<Reason, 8> kReasons{{
    {"emergency", 1, "Emergency", "Emergency messages"},
    {"attendance", 2, "Attendance", "Absences and tardies"},
    {"behavior", 4, "Behavior", "Behavior incidents"},
    {"general", 8, "General", "General messages"},
    {"priority", 16, "Priority", "Messages marked High Priority"},
    {"teacher", 32, "Teacher", "Grades, missing assignments and class announcements"},
    {"staff", 64, "Staff",
     "Behavior-referral resolutions; only people with an active district assignment (census/staff mode only)"},
    {"food_service", 128, "Food Service", "Food service balances"},
}};

// The bit of the reason named `name`; 0 when none is.
constexpr int reason_bit(std::string_view name) {
  for (const Reason& r : kReasons)
    if (r.name == name) return r.bit;
  return 0;
}

constexpr bool reason_bits_are_distinct_powers_of_two() {
  int seen = 0;
  for (const Reason& r : kReasons) {
    if (r.bit <= 0 || (r.bit & (r.bit - 1)) != 0 || (seen & r.bit) != 0) return false;
    seen |= r.bit;
  }
  return true;
}
static_assert(reason_bits_are_distinct_powers_of_two(), "each reason has a bit of its own");

constexpr int all_reason_bits() {
  int bits = 0;
  for (const Reason& r : kReasons) bits |= r.bit;
  return bits;
}

inline constexpr int kEmergencyBit = reason_bit("emergency");
inline constexpr int kStaffBit = reason_bit("staff");
static_assert(kEmergencyBit != 0 && kStaffBit != 0, "the rules of emergency and staff need their reasons");
inline constexpr int kAllReasonBits = all_reason_bits();                  // every reason: a mask with all of them set
inline constexpr int kReasonBitsNoStaff = kAllReasonBits & ~kStaffBit;  // what a target without an assignment may receive

struct Device {
  std::string_view name;          // JSON name
  std::string_view table;         // "contact" or "household"
  std::string_view value_column;  // the number or address
  std::string_view mask_column;   // the Messenger preference mask
  std::string_view label;
  std::string_view description;
};

inline constexpr size_t kHouseholdPhone = 0;
inline constexpr std::array<Device, 6> kDevices{{
    {"household_phone", "household", "phone", "phone_messenger", "Household phone",
     "The household's phone: one change reaches every active member of the household"},
    {"cell_phone", "contact", "cell_phone", "cell_phone_messenger", "Cell phone",
     "The person's cell phone (calls; text messages are never changed by this tool)"},
    {"work_phone", "contact", "work_phone", "work_phone_messenger", "Work phone", "The person's work phone"},
    {"other_phone", "contact", "other_phone", "other_phone_messenger", "Other phone", "The person's other phone"},
    {"email", "contact", "email", "email_messenger", "E-mail", "The person's e-mail address"},
    {"secondary_email", "contact", "secondary_email", "secondary_email_messenger", "Secondary e-mail",
     "The person's secondary e-mail address"},
}};
inline constexpr size_t kFirstContactDevice = 1;
static_assert(kDevices[kHouseholdPhone].table == "household" && kDevices[kFirstContactDevice].table == "contact");

// The index in kDevices of a device's JSON name; kDevices.size() when none has it.
constexpr size_t device_index(std::string_view name) {
  size_t d = 0;
  while (d < kDevices.size() && kDevices[d].name != name) ++d;
  return d;
}

// The warnings of a result (CONTRACT 9.2, 12.3): the first ones count rows of
// a plan, which cpb_plan_warned_row keeps by `code`; empty_selection counts none.
struct WarningInfo {
  std::string_view name;  // JSON name, the warning's "code" in a result
  int code;               // cpb_plan_warned_row.warning; 0: counts no rows
  std::string_view label;
  std::string_view description;
};
using RowWarning = WarningInfo;
inline constexpr size_t kNoEmergencyChannel = 0, kReachesNonTargets = 1, kEmptySelection = 2;  // indexes in kWarnings
inline constexpr std::array<WarningInfo, 3> kWarnings{{
    {"no_emergency_channel", 1, "No emergency channel", "People who, after the batch, have no device on record with Emergency on"},
    {"reaches_non_targets", 2, "Reaches people not selected",
     "Household phone changes reach household members who are not among the people selected"},
    {"empty_selection", 0, "Nobody selected", "The selection holds nobody: there is nothing to change"},
}};
inline constexpr std::array<RowWarning, 2> kRowWarnings{{kWarnings[kNoEmergencyChannel], kWarnings[kReachesNonTargets]}};
static_assert(kRowWarnings[0].code != 0 && kRowWarnings[1].code != 0 && kWarnings[kEmptySelection].code == 0,
              "the row warnings are those that count rows");

// The state of one device's cells on one host row, the first rule of a cell's
// fate (sql/plugin/cell_state.sql computes it; Tally applies the rest).
enum class CellState : int { writable = 0, no_device = 1, protected_row = 2 };

// Where a cell ends up: every asked cell lands in exactly one, in this order.
enum class Fate { no_device, not_staff, protected_cell, updated, unchanged };

struct FateInfo {
  Fate fate;
  std::string_view name;  // JSON name: a key of a result's "skipped", or "updated" / "unchanged"
  bool skipped;           // a skip reason (describe's skip_reasons)
  std::string_view label;
  std::string_view description;
};
inline constexpr std::array<FateInfo, 5> kFates{{
    {Fate::no_device, "no_device", true, "No device on record", "The person or household has no number or address for the device"},
    {Fate::not_staff, "not_staff", true, "Not staff", "The Staff reason is set only for people with an active district assignment"},
    {Fate::protected_cell, "protected", true, "Protected", "Left alone by the overwrite policy"},
    {Fate::updated, "updated", false, "Updated", "The preference changes"},
    {Fate::unchanged, "unchanged", false, "Unchanged", "The preference already holds what was asked"},
}};
constexpr const FateInfo& fate_info(Fate f) { return kFates[static_cast<size_t>(f)]; }

// What a run does ("action" in the options; "apply" with plan_id set is the
// apply of a plan, CONTRACT 9.1).
enum class Action { apply, undo, plan, plan_rows, resume };

// A value of an enum with its JSON name and the words describe shows for it.
template <typename Value>
struct Named {
  Value value;
  std::string_view name;
  std::string_view label;
  std::string_view description;
};
// The entry of `value` in a table of Named (every value has one).
template <typename Value, size_t N>
constexpr const Named<Value>& entry_of(const std::array<Named<Value>, N>& table, Value value) {
  size_t i = 0;
  while (i + 1 < N && table[i].value != value) ++i;
  return table[i];
}

using ActionInfo = Named<Action>;

// What an option asks of a preference cell: +1 on, -1 off, 0 no change.
using PreferenceValue = Named<int>;
inline constexpr std::array<PreferenceValue, 3> kPreferenceValues{{
    {1, "on", "On", "Turn the messages of this reason on for the device"},
    {-1, "off", "Off", "Turn the messages of this reason off for the device"},
    {0, "no_change", "No change", "Leave the preference as it is"},
}};
inline constexpr std::array<ActionInfo, 5> kActions{{
    {Action::apply, "apply", "Apply",
     "Writes a batch (or, with \"dry_run\", counts what it would write), or writes a reviewed plan (with \"plan_id\"); "
     "the batch is recorded and can be undone"},
    {Action::plan, "plan", "Plan", "Computes exactly what an apply would write, writes no host row, and keeps the plan for 24 hours for review"},
    {Action::plan_rows, "plan_rows", "Review a plan", "Pages through a plan's rows: the changes, or the cells skipped and why"},
    {Action::undo, "undo", "Undo", "Restores what a batch changed, where the rows still hold what the batch wrote"},
    {Action::resume, "resume", "Resume", "Writes the remaining chunks of a chunked batch stopped by a failure"},
}};

// Which preferences already set an apply may write ("overwrite").
enum class Overwrite { all, unset_only, keep_portal };
using OverwritePolicy = Named<Overwrite>;
inline constexpr std::array<OverwritePolicy, 3> kOverwritePolicies{{
    {Overwrite::all, "all", "Overwrite everything",
     "Writes every targeted preference, including ones parents chose in the portal (what the host's own wizard does)"},
    {Overwrite::unset_only, "unset_only", "Only preferences never set",
     "Writes only preferences that were never set; any preference already chosen stays"},
    {Overwrite::keep_portal, "keep_portal", "Keep portal choices",
     "Leaves alone every contact or household last changed by a portal account (a parent's own choice)"},
}};

constexpr bool fates_in_enum_order() {
  for (size_t i = 0; i < kFates.size(); ++i)
    if (static_cast<size_t>(kFates[i].fate) != i) return false;
  return true;
}
static_assert(fates_in_enum_order(), "kFates lists every Fate once, in the enum's order");

enum class Mode { students, student_messenger_contacts, census_staff };

struct ModeInfo {
  Mode mode;
  std::string_view name;
  std::string_view label;
  std::string_view description;
  std::string_view filter_type;  // the ad hoc filter type this mode takes
  int reason_bits;               // the reasons an option of this mode may set (CONTRACT 4.6: staff only for census_staff)
};

inline constexpr std::array<ModeInfo, 3> kModes{{
    {Mode::student_messenger_contacts, "student_messenger_contacts", "Student Messenger contacts",
     "People related to the enrolled students by an active Messenger relationship", "student", kReasonBitsNoStaff},
    {Mode::students, "students", "Students", "The enrolled students themselves", "student", kReasonBitsNoStaff},
    {Mode::census_staff, "census_staff", "Census/staff filter",
     "The members of an ad hoc census filter (required); the school and calendar do not narrow it", "census", kAllReasonBits},
}};

const ModeInfo& mode_info(Mode mode);

inline constexpr std::string_view kToolName = "contact_preferences_batch";

}  // namespace cpb
