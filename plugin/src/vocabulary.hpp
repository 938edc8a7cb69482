// The fixed names of the contract: contact reasons, devices, modes.
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

inline constexpr int kEmergencyBit = 1;
inline constexpr int kStaffBit = 64;
inline constexpr int kAllReasonBits = 255;
inline constexpr int kReasonBitsNoStaff = kAllReasonBits - kStaffBit;  // what a target without an assignment may receive

inline constexpr std::array<Reason, 8> kReasons{{
    {"emergency", 1, "Emergency", "Emergency messages"},
    {"attendance", 2, "Attendance", "Absences and tardies"},
    {"behavior", 4, "Behavior", "Behavior incidents"},
    {"general", 8, "General", "General messages"},
    {"priority", 16, "Priority", "Messages marked High Priority"},
    {"teacher", 32, "Teacher", "Grades, missing assignments and class announcements"},
    {"staff", kStaffBit, "Staff",
     "Behavior-referral resolutions; only people with an active district assignment (census/staff mode only)"},
    {"food_service", 128, "Food Service", "Food service balances"},
}};

struct Device {
  std::string_view name;          // JSON name
  std::string_view table;         // "contact" or "household"
  std::string_view value_column;  // the number or address
  std::string_view mask_column;   // the Messenger preference mask
  std::string_view label;
};

inline constexpr size_t kHouseholdPhone = 0;
inline constexpr std::array<Device, 6> kDevices{{
    {"household_phone", "household", "phone", "phone_messenger", "Household phone"},
    {"cell_phone", "contact", "cell_phone", "cell_phone_messenger", "Cell phone"},
    {"work_phone", "contact", "work_phone", "work_phone_messenger", "Work phone"},
    {"other_phone", "contact", "other_phone", "other_phone_messenger", "Other phone"},
    {"email", "contact", "email", "email_messenger", "E-mail"},
    {"secondary_email", "contact", "secondary_email", "secondary_email_messenger", "Secondary e-mail"},
}};
inline constexpr size_t kFirstContactDevice = 1;
static_assert(kDevices[kHouseholdPhone].table == "household" && kDevices[kFirstContactDevice].table == "contact");

// The index in kDevices of a device's JSON name; kDevices.size() when none has it.
constexpr size_t device_index(std::string_view name) {
  size_t d = 0;
  while (d < kDevices.size() && kDevices[d].name != name) ++d;
  return d;
}

// The warnings that count rows of a plan, with the code cpb_plan_warned_row
// keeps them by (CONTRACT 9.2, 12.3; empty_selection counts no rows).
struct RowWarning {
  std::string_view name;  // JSON name, the warning's "code" in a result
  int code;               // cpb_plan_warned_row.warning
};
inline constexpr std::array<RowWarning, 2> kRowWarnings{{{"no_emergency_channel", 1}, {"reaches_non_targets", 2}}};

// The state of one device's cells on one host row, the first rule of a cell's
// fate (sql/plugin/cell_state.sql computes it; Tally applies the rest).
enum class CellState : int { writable = 0, no_device = 1, protected_row = 2 };

// Where a cell ends up: every asked cell lands in exactly one, in this order.
enum class Fate { no_device, not_staff, protected_cell, updated, unchanged };

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
