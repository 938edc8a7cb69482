#include "context.hpp"

#include <cstring>
#include <ctime>

#include "errors.hpp"

namespace cpb {

bool is_iso_date(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (s[i] < '0' || s[i] > '9') return false;
  const int year = std::stoi(s.substr(0, 4));
  const int month = std::stoi(s.substr(5, 2));
  const int day = std::stoi(s.substr(8, 2));
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return day <= days[month - 1] + (month == 2 && leap ? 1 : 0);
}

static std::string format_now(const char* format) {
  const std::time_t t = std::time(nullptr);
  std::tm local{};
  localtime_r(&t, &local);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, format, &local);
  return buffer;
}

std::string today_local() { return format_now("%Y-%m-%d"); }
std::string now_local() { return format_now("%Y-%m-%d %H:%M:%S"); }

RunContext read_context(const sis_toolbar_context& ctx) {
  RunContext rc;
  rc.end_year = ctx.end_year;
  rc.school_id = ctx.school_id;
  rc.calendar_id = ctx.calendar_id;
  rc.user_id = ctx.user_id;
  if (rc.end_year < 1900 || rc.end_year > 9999)
    throw invalid_context("end_year " + std::to_string(rc.end_year) + " is not a school year (2027 means 2026-27)", "/end_year");
  if (rc.school_id < 0) throw invalid_context("school_id must be 0 (all schools) or a school's id", "/school_id");
  if (rc.calendar_id < 0) throw invalid_context("calendar_id must be 0 (all calendars) or a calendar's id", "/calendar_id");
  if (ctx.effective_date == nullptr) {
    rc.date = today_local();
  } else {
    const size_t length = strnlen(ctx.effective_date, 64);
    std::string date(ctx.effective_date, length);
    if (!is_iso_date(date)) {
      std::string shown = date.size() > 20 ? date.substr(0, 20) + "..." : date;
      for (char& c : shown)
        if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f) c = '?';
      throw invalid_context("effective_date \"" + shown + "\" is not a date of the form YYYY-MM-DD", "/effective_date");
    }
    rc.date = date;
  }
  return rc;
}

}  // namespace cpb
