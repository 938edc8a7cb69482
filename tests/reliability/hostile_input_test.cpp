// Hostile input: a corpus of bad options and toolbar contexts, each with the
// status, error code and (where one exists) the path it must be refused with.
// None may change the database, crash, or flood the error message.
#include <cstdint>
#include <limits>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "reliability_support.hpp"

namespace cpbtest {
namespace {

using namespace std::string_literals;

struct Case {
  std::string name;
  std::string options;  // exactly the bytes sent (options_len = size())
  Context context;
  sis_status status;
  std::string code;
  std::optional<std::string> path;  // checked when set
};

const std::string kValid = R"({"mode":"students","preferences":{"emergency":"on"}})";
const std::string kValidLong =
    R"({"action":"apply","mode":"student_messenger_contacts","ad_hoc_filter_id":1,"preferences":{"emergency":"on",)"
    R"("attendance":{"cell_phone":"on","email":"off","household_phone":"no_change"},"general":"no_change"},)"
    R"("overwrite":"keep_portal","dry_run":true})";

// RFC 6901: how a key appears in a JSON Pointer.
std::string pointer_token(const std::string& key) {
  std::string out;
  for (char c : key) out += c == '~' ? "~0"s : c == '/' ? "~1"s : std::string(1, c);
  return out;
}

std::string quoted(const std::string& s) { return json(s).dump(-1, ' ', false, json::error_handler_t::replace); }

const std::vector<std::string> kInjections = {
    "'; DROP TABLE contact; --",
    "students'; DROP TABLE contact; --",
    "' OR '1'='1",
    "\"; DROP TABLE cpb_batch; --",
    "1; DELETE FROM household",
    "students) ; DROP TABLE person; --",
    "$$; DROP TABLE contact; $$",
    ":user_id",
    "?",
    "on' UNION SELECT password FROM user_account --",
    "../../etc/passwd",
    "a/b~c",
};

Case options_case(std::string name, std::string options, std::optional<std::string> path) {
  return {std::move(name), std::move(options), Context{}, SIS_E_INVALID_OPTIONS, "invalid_options", std::move(path)};
}

Case context_case(std::string name, Context context, std::string path) {
  return {std::move(name), kValid, std::move(context), SIS_E_INVALID_OPTIONS, "invalid_context", std::move(path)};
}

std::vector<Case> corpus() {
  std::vector<Case> c;
  const auto add = [&](Case x) { c.push_back(std::move(x)); };

  // Truncated JSON: every proper prefix of a complete options document.
  for (size_t n = 1; n < kValidLong.size(); n += 3) add(options_case("truncated at " + std::to_string(n), kValidLong.substr(0, n), ""));

  // Malformed JSON and roots that are not objects.
  for (const std::string& bad :
       {"}"s, "{{}}"s, "{\"mode\"}"s, "{\"mode\":}"s, "{\"mode\":\"students\",}"s, "{'mode':'students'}"s,
        "{mode:\"students\"}"s, "{\"mode\":\"students\" \"dry_run\":true}"s, kValid + "{}", kValid + "x", kValid + kValid,
        "{\"mode\":\"stud"s, "{\"mode\":\"students\\x\"}"s, "{\"mode\":\"a\nb\"}"s, "{\"dry_run\":tru}"s,
        "{\"dry_run\":True}"s, "{\"ad_hoc_filter_id\":NaN}"s, "{\"ad_hoc_filter_id\":Infinity}"s,
        "{\"ad_hoc_filter_id\":0x10}"s, "{\"ad_hoc_filter_id\":012}"s, "{\"ad_hoc_filter_id\":+1}"s,
        "{\"ad_hoc_filter_id\":1.}"s, "{\"ad_hoc_filter_id\":.5}"s, "/* c */" + kValid, kValid + "// c",
        "{\"mode\":\"\\ud800\"}"s, "{\"mode\":\"\\udc00x\"}"s, "\"students\""s, "[]"s, "[" + kValid + "]", "null"s,
        "true"s, "42"s, "-1"s, " "s, "\t\r\n"s, "\xEF\xBB\xBF"s})
    add(options_case("malformed " + quoted(bad.substr(0, 40)), bad, ""));

  // Deep nesting, at the root and inside the options.
  add(options_case("100000 nested arrays", std::string(100000, '['), ""));
  add(options_case("10000 nested closed arrays", std::string(10000, '[') + std::string(10000, ']'), ""));
  {
    std::string deep;
    for (int i = 0; i < 5000; ++i) deep += "{\"a\":";
    deep += "1" + std::string(5000, '}');
    add(options_case("5000 nested objects", deep, ""));
  }
  add(options_case("nested arrays inside a device",
                   R"({"mode":"students","preferences":{"emergency":{"cell_phone":)" + std::string(64, '[') + std::string(64, ']') + "}}}",
                   ""));
  add(options_case("nested objects inside preferences",
                   R"({"mode":"students","preferences":{"emergency":{"a":{"b":{"c":{"d":{"e":{"f":{"g":{}}}}}}}}}})", ""));

  // Huge strings and numbers.
  const std::string huge(1 << 20, 'x');
  add(options_case("huge mode", R"({"mode":")" + huge + R"(","preferences":{"emergency":"on"}})", "/mode"));
  add(options_case("huge root key", "{\"" + huge + "\":1}", "/" + huge));
  add(options_case("huge reason", R"({"mode":"students","preferences":{")" + huge + R"(":"on"}})", "/preferences/" + huge));
  add(options_case("huge device", R"({"mode":"students","preferences":{"emergency":{")" + huge + R"(":"on"}}})",
                   "/preferences/emergency/" + huge));
  add(options_case("huge preference", R"({"mode":"students","preferences":{"emergency":")" + huge + R"("}})", "/preferences/emergency"));
  add(options_case("huge overwrite", R"({"mode":"students","preferences":{"emergency":"on"},"overwrite":")" + huge + "\"}", "/overwrite"));
  add(options_case("huge number", R"({"mode":"students","ad_hoc_filter_id":)" + std::string(5000, '9') + R"(,"preferences":{"emergency":"on"}})",
                   ""));
  add(options_case("huge string then a bad byte", R"({"mode":")" + huge + "\xff\"}", ""));
  add(options_case("huge unterminated string", R"({"mode":")" + huge, ""));
  add(options_case("huge string with a control character", R"({"mode":")" + huge + "\n\"}", ""));
  add(options_case("huge array", R"({"mode":"students","preferences":{"emergency":"on"},"dry_run":[)" + [] {
    std::string s = "0";
    for (int i = 0; i < 100000; ++i) s += ",0";
    return s;
  }() + "]}", "/dry_run"));
  for (const std::string& number :
       {"0"s, "-1"s, "-9223372036854775808"s, "9223372036854775808"s, "18446744073709551616"s, "1e400"s, "-1e400"s, "1e-400"s,
        "1.5"s, "12.0"s, "1e3"s, "-0"s, "\"12\""s, "true"s, "[]"s, "{}"s, "\"\""s})
    add(options_case("ad_hoc_filter_id " + number, R"({"mode":"students","ad_hoc_filter_id":)" + number + R"(,"preferences":{"emergency":"on"}})",
                     number.find("e400") != std::string::npos ? "" : "/ad_hoc_filter_id"));
  for (const std::string& number : {"0"s, "-5"s, "1.0"s, "1e400"s, "99999999999999999999"s, "\"1\""s, "null"s, "false"s})
    add(options_case("batch_id " + number, R"({"action":"undo","batch_id":)" + number + "}",
                     number == "1e400" ? "" : "/batch_id"));

  // Wrong types for every option.
  for (const std::string& v : {"1"s, "true"s, "null"s, "[]"s, "{}"s, "1.5"s}) {
    add(options_case("mode " + v, R"({"mode":)" + v + R"(,"preferences":{"emergency":"on"}})", "/mode"));
    add(options_case("action " + v, R"({"action":)" + v + R"(,"mode":"students","preferences":{"emergency":"on"}})", "/action"));
    add(options_case("overwrite " + v, R"({"mode":"students","preferences":{"emergency":"on"},"overwrite":)" + v + "}", "/overwrite"));
    if (v != "{}") add(options_case("preferences " + v, R"({"mode":"students","preferences":)" + v + "}", "/preferences"));
    if (v != "{}")
      add(options_case("reason " + v, R"({"mode":"students","preferences":{"emergency":)" + v + "}}", "/preferences/emergency"));
    add(options_case("device " + v, R"({"mode":"students","preferences":{"emergency":{"email":)" + v + "}}}",
                     "/preferences/emergency/email"));
  }
  for (const std::string& v : {"\"true\""s, "1"s, "0"s, "null"s, "[]"s})
    add(options_case("dry_run " + v, R"({"mode":"students","preferences":{"emergency":"on"},"dry_run":)" + v + "}", "/dry_run"));
  add(options_case("preferences string", R"({"mode":"students","preferences":"on"})", "/preferences"));

  // Duplicate keys, at every level, with equal or different values.
  add(options_case("duplicate mode", R"({"mode":"students","mode":"students","preferences":{"emergency":"on"}})", ""));
  add(options_case("duplicate mode differing", R"({"mode":"students","mode":"census_staff","preferences":{"emergency":"on"}})", ""));
  add(options_case("duplicate preferences", R"({"mode":"students","preferences":{"emergency":"on"},"preferences":{"general":"on"}})", ""));
  add(options_case("duplicate reason", R"({"mode":"students","preferences":{"emergency":"on","emergency":"off"}})", ""));
  add(options_case("duplicate device", R"({"mode":"students","preferences":{"emergency":{"email":"on","email":"off"}}})", ""));
  add(options_case("duplicate action", R"({"action":"apply","action":"undo","batch_id":1})", ""));
  add(options_case("duplicate dry_run", R"({"mode":"students","preferences":{"emergency":"on"},"dry_run":false,"dry_run":true})", ""));

  // Unknown names, near misses and text (SMS) devices.
  for (const std::string& key : {"Mode"s, "mode "s, "foo"s, "__proto__"s, ""s, "batch_id"s, "MODE"s, "m\u00f6de"s})
    add(options_case("unknown option " + quoted(key), R"({"mode":"students","preferences":{"emergency":"on"},)" + quoted(key) + ":1}",
                     "/" + pointer_token(key)));
  for (const std::string& reason : {"Emergency"s, "sms"s, "text"s, "all"s, ""s, "emergency "s, "bit1"s, "1"s})
    add(options_case("unknown reason " + quoted(reason), R"({"mode":"students","preferences":{)" + quoted(reason) + R"(:"on"}})",
                     "/preferences/" + pointer_token(reason)));
  for (const std::string& device : {"cell_phone_text"s, "text"s, "sms"s, "cell_phone_sms"s, "Cell_Phone"s, "phone"s, ""s,
                                    "household_phone_text_messenger"s, "email_messenger"s, "fax"s})
    add(options_case("unknown device " + quoted(device), R"({"mode":"students","preferences":{"attendance":{)" + quoted(device) + R"(:"on"}}})",
                     "/preferences/attendance/" + pointer_token(device)));
  for (const std::string& value : {"On"s, "ON"s, "yes"s, "1"s, ""s, "nochange"s, "no change"s, "unset"s})
    add(options_case("preference " + quoted(value), R"({"mode":"students","preferences":{"emergency":)" + quoted(value) + "}}",
                     "/preferences/emergency"));
  add(options_case("undo with an apply option", R"({"action":"undo","batch_id":1,"mode":"students"})", "/mode"));

  // Options that are well-formed but ask for nothing or for what is not allowed.
  add(options_case("no mode", R"({"preferences":{"emergency":"on"}})", "/mode"));
  add(options_case("no preferences", R"({"mode":"students"})", "/preferences"));
  add(options_case("empty preferences", R"({"mode":"students","preferences":{}})", "/preferences"));
  add(options_case("every preference no_change", R"({"mode":"students","preferences":{"emergency":"no_change","general":{"email":"no_change"}}})",
                   "/preferences"));
  add(options_case("empty device object", R"({"mode":"students","preferences":{"emergency":{}}})", "/preferences"));
  add(options_case("staff outside census_staff", R"({"mode":"students","preferences":{"staff":"on"}})", "/preferences/staff"));
  add(options_case("census_staff without filter", R"({"mode":"census_staff","preferences":{"emergency":"on"}})", "/ad_hoc_filter_id"));
  add(options_case("census_staff with null filter", R"({"mode":"census_staff","ad_hoc_filter_id":null,"preferences":{"emergency":"on"}})",
                   "/ad_hoc_filter_id"));
  add(options_case("undo without batch", R"({"action":"undo"})", "/batch_id"));
  add(options_case("empty object", "{}", "/mode"));

  // Bytes that are not UTF-8, and NUL bytes inside options_len.
  for (const std::string& bytes : {"\xff"s, "\xfe\xff"s, "\xc0\xaf"s, "\xe2\x82"s, "\xed\xa0\x80"s, "\xf8\x88\x80\x80\x80"s, "\x80"s,
                                   "\xf4\x90\x80\x80"s}) {
    add(options_case("non-UTF-8 in mode", R"({"mode":"stu)" + bytes + R"(dents","preferences":{"emergency":"on"}})", ""));
    add(options_case("non-UTF-8 in a key", R"({"mode":"students","preferences":{"emer)" + bytes + R"(gency":"on"}})", ""));
    add(options_case("non-UTF-8 outside strings", "{" + bytes + R"("mode":"students"})", ""));
  }
  add(options_case("NUL before the document", "\0"s + kValid, ""));
  add(options_case("NUL after the document", kValid + "\0"s, ""));
  add(options_case("NUL inside a string", R"({"mode":"stu)" + "\0"s + R"(dents","preferences":{"emergency":"on"}})", ""));
  add(options_case("NUL inside a key", R"({"mode":"students","preferences":{"emergency)" + "\0"s + R"(":"on"}})", ""));
  add(options_case("only NULs", std::string(16, '\0'), ""));
  add(options_case("escaped NUL in mode", R"({"mode":"students\u0000","preferences":{"emergency":"on"}})", "/mode"));

  // SQL injection text in every string the options carry.
  for (const std::string& sql : kInjections) {
    const std::string q = quoted(sql);
    add(options_case("injection in mode: " + sql, R"({"mode":)" + q + R"(,"preferences":{"emergency":"on"}})", "/mode"));
    add(options_case("injection in action: " + sql, R"({"action":)" + q + R"(,"mode":"students","preferences":{"emergency":"on"}})",
                     "/action"));
    add(options_case("injection in overwrite: " + sql, R"({"mode":"students","preferences":{"emergency":"on"},"overwrite":)" + q + "}",
                     "/overwrite"));
    add(options_case("injection as a reason: " + sql, R"({"mode":"students","preferences":{)" + q + R"(:"on"}})",
                     "/preferences/" + pointer_token(sql)));
    add(options_case("injection as a device: " + sql, R"({"mode":"students","preferences":{"general":{)" + q + R"(:"on"}}})",
                     "/preferences/general/" + pointer_token(sql)));
    add(options_case("injection as a preference: " + sql, R"({"mode":"students","preferences":{"general":)" + q + "}}",
                     "/preferences/general"));
    add(options_case("injection as a device preference: " + sql, R"({"mode":"students","preferences":{"general":{"email":)" + q + "}}}",
                     "/preferences/general/email"));
    add(options_case("injection as filter id: " + sql, R"({"mode":"students","ad_hoc_filter_id":)" + q + R"(,"preferences":{"emergency":"on"}})",
                     "/ad_hoc_filter_id"));
    add(options_case("injection as batch id: " + sql, R"({"action":"undo","batch_id":)" + q + "}", "/batch_id"));
    add(options_case("injection as an option name: " + sql, R"({"mode":"students","preferences":{"emergency":"on"},)" + q + ":true}",
                     "/" + pointer_token(sql)));
    Context date;
    date.effective_date = sql;
    add(context_case("injection as the date: " + sql, date, "/effective_date"));
    date.effective_date = "2026-10-01" + sql;
    add(context_case("injection after a date: " + sql, date, "/effective_date"));
  }

  // Toolbar contexts refused before the database is asked.
  for (int32_t year : {0, -1, 1899, 10000, std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::max()}) {
    Context x;
    x.end_year = year;
    add(context_case("end_year " + std::to_string(year), x, "/end_year"));
  }
  for (int64_t id : {int64_t{-1}, std::numeric_limits<int64_t>::min()}) {
    Context s;
    s.school_id = id;
    add(context_case("school_id " + std::to_string(id), s, "/school_id"));
    Context k;
    k.calendar_id = id;
    add(context_case("calendar_id " + std::to_string(id), k, "/calendar_id"));
  }
  for (const std::string& date :
       {""s, " "s, "2026-02-30"s, "2026-13-01"s, "2026-00-10"s, "2026-10-00"s, "2026-10-32"s, "2026-04-31"s, "2025-02-29"s,
        "2100-02-29"s, "1900-02-29"s, "0000-01-01"s, "2026/10/01"s, "20261001"s, "2026-10-01T00:00:00"s, "2026-1-01"s,
        "26-10-01"s, "2026-10-1"s, "+026-10-01"s, "-026-10-01"s, "2026-10-01 "s, " 2026-10-01"s, "2026-10-01\n"s,
        "abcd-ef-gh"s, "\u0662\u0660\u0662\u0666-\u0661\u0660-\u0660\u0661"s, "\uff12\uff10\uff12\uff16-\uff11\uff10-\uff10\uff11"s,
        "2026\xff" "10-01"s, "\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8\xf7\xf6"s, std::string(100000, '9'), "2026-10-01" + std::string(1000, ' ')}) {
    Context x;
    x.effective_date = date;
    add(context_case("effective_date " + quoted(date.substr(0, 30)), x, "/effective_date"));
  }

  // Toolbar contexts the database refuses: unknown or unauthorised users,
  // schools, calendars and filters.
  for (int64_t user : {int64_t{0}, int64_t{-1}, std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max(),
                       int64_t{999999}, int64_t{2}, int64_t{3}, int64_t{4}}) {
    Case x = {"user_id " + std::to_string(user), kValid, Context{}, SIS_E_FORBIDDEN, "forbidden", "/user_id"};
    x.context.user_id = user;
    add(x);
  }
  for (int64_t school : {int64_t{999999}, std::numeric_limits<int64_t>::max()}) {
    Context x;
    x.school_id = school;
    add(context_case("unknown school " + std::to_string(school), x, "/school_id"));
  }
  for (int64_t calendar : {int64_t{999999}, std::numeric_limits<int64_t>::max()}) {
    Context x;
    x.calendar_id = calendar;
    add(context_case("unknown calendar " + std::to_string(calendar), x, "/calendar_id"));
  }
  {
    Context x;
    x.calendar_id = 2;  // last year's calendar of school 1 (one school in the fixture)
    add(context_case("calendar of another year", x, "/calendar_id"));
  }
  for (const std::string& filter : {"999999"s, "9223372036854775807"s})
    add({"unknown filter " + filter, R"({"mode":"students","ad_hoc_filter_id":)" + filter + R"(,"preferences":{"emergency":"on"}})",
         Context{}, SIS_E_NOT_FOUND, "not_found", "/ad_hoc_filter_id"});
  add(options_case("census filter in students mode", R"({"mode":"students","ad_hoc_filter_id":2,"preferences":{"emergency":"on"}})",
                   "/ad_hoc_filter_id"));
  add(options_case("student filter in census_staff mode", R"({"mode":"census_staff","ad_hoc_filter_id":1,"preferences":{"emergency":"on"}})",
                   "/ad_hoc_filter_id"));
  add({"another user's private filter", R"({"mode":"students","ad_hoc_filter_id":3,"preferences":{"emergency":"on"}})", Context{},
       SIS_E_FORBIDDEN, "forbidden", "/ad_hoc_filter_id"});
  for (const std::string& batch : {"1"s, "9223372036854775807"s})
    add({"undo of an unknown batch " + batch, R"({"action":"undo","batch_id":)" + batch + "}", Context{}, SIS_E_NOT_FOUND, "not_found",
         "/batch_id"});
  return c;
}

TEST(HostileInputCorpus, HoldsAtLeastTwoHundredDistinctCases) {
  const std::vector<Case> cases = corpus();
  EXPECT_GE(cases.size(), 200u);
  std::set<std::string> inputs;
  for (const Case& x : cases)
    EXPECT_TRUE(inputs.insert(x.options + "\x01" + x.context.effective_date.value_or("NULL") + "\x01" + std::to_string(x.context.end_year) + "/" +
                 std::to_string(x.context.school_id) + "/" + std::to_string(x.context.calendar_id) + "/" + std::to_string(x.context.user_id)).second)
        << x.name << ": another case sends the same input";
}

class HostileInput : public testing::TestWithParam<Backend> {};

TEST_P(HostileInput, EveryBadOptionOrContextIsRefusedWithItsCodeAndPathAndChangesNothing) {
  TestDatabase db(GetParam());
  db.seed(30);
  Handle h(db);
  const std::string before = database_state(db);
  const std::vector<Case> cases = corpus();
  for (const Case& x : cases) {
    SCOPED_TRACE(x.name);
    const Outcome out = h.run(x.options, x.context);
    EXPECT_EQ(out.status, x.status) << out.result.dump().substr(0, 400);
    EXPECT_EQ(out.error_code(), x.code) << out.result.dump().substr(0, 400);
    if (x.path) {
      EXPECT_EQ(out.result["error"].value("path", ""), *x.path) << out.result.dump().substr(0, 400);
    }
    ASSERT_TRUE(out.result["error"]["message"].is_string());
    const std::string message = out.result["error"]["message"].get<std::string>();
    EXPECT_FALSE(message.empty());
    EXPECT_LT(message.size(), 2048u) << "a hostile input must not flood the message";
    EXPECT_EQ(json::parse(plugin().last_error(h.get())), out.result) << "last_error differs from the returned error";
  }
  EXPECT_EQ(database_state(db), before);  // every host table still there, nothing written
  EXPECT_EQ(count_rows(db, "cpb_batch"), 0);
  // The same handle still does real work: the refusals came from the input.
  const Outcome good = h.run(kValid);
  EXPECT_EQ(good.status, SIS_OK) << good.result.dump();
  EXPECT_GT(good.counts.updated, 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, HostileInput, testing::ValuesIn(backends()), BackendName());

}  // namespace
}  // namespace cpbtest
