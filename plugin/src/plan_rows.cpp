// A page of a plan's rows, with its cursor and its filters (CONTRACT 9.1, 12.3).
#include "plan_review.hpp"

#include <algorithm>
#include <cinttypes>
#include <cstdio>

#include "batch.hpp"
#include "errors.hpp"

namespace cpb {

using json = nlohmann::ordered_json;
using odbc::Params;
using odbc::Value;

namespace {

const char* kind_name(PlanRowsKind kind) { return kind == PlanRowsKind::changes ? "changes" : "skipped rows"; }

// FNV-1a over the filters as the options state them: a cursor of other
// filters (or of none) names another list, whose rows and total differ.
uint64_t fingerprint(const PlanRowsFilter& f) {
  std::string text = "search:" + f.search.value_or("") + (f.search ? "+" : "-");
  text += "|device:" + (f.device ? std::string(kDevices[*f.device].name) : std::string("-"));
  text += "|warning:" + (f.warning ? std::string(f.warning->name) : std::string("-"));
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : text) h = (h ^ c) * 1099511628211ull;
  return h;
}

// A search's LIKE pattern: the text anywhere in the name, its own % _ and ! taken literally.
std::string contains_pattern(const std::string& text) {
  std::string out = "%";
  for (char c : text) {
    if (c == '%' || c == '_' || c == '!') out += '!';
    out += c;
  }
  return out + "%";
}

// A search as a regular expression (PCRE) that finds the text anywhere in the
// name, whatever the case: every ASCII character but a letter or a digit is
// escaped, so that the text is taken literally even on a server whose
// default_regex_flags include EXTENDED (where a bare space or # would not be).
std::string contains_regex(const std::string& text) {
  std::string out = "(?i)";
  for (char c : text) {
    const bool ascii_alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (static_cast<unsigned char>(c) < 0x80 && !ascii_alnum) out += '\\';
    out += c;
  }
  return out;
}

// The id an all-digits search also finds (CONTRACT 12.3); none for other text.
int64_t search_id(const std::optional<std::string>& search) {
  if (!search || search->size() > 18 || !std::all_of(search->begin(), search->end(), [](char c) { return c >= '0' && c <= '9'; }))
    return kNoKey;
  return std::stoll(*search);
}

// The filters as the page and count queries name them, over the planned options' parameters.
Params filter_params(const Params& planned, const PlanRowsFilter& f) {
  Params p = with(planned, {{"any_device", Value::of(int64_t{!f.device})},
                            {"any_name", Value::of(int64_t{!f.search})},
                            {"name_pattern", Value::of(contains_pattern(f.search.value_or("")))},
                            {"name_regex", Value::of(contains_regex(f.search.value_or("")))},
                            {"search_id", Value::of(search_id(f.search))},
                            {"warning", Value::of(int64_t{f.warning ? f.warning->code : 0})}});
  for (size_t d = 0; d < kDevices.size(); ++d)
    p["only_" + std::string(kDevices[d].name)] = Value::of(int64_t{f.device && *f.device == d});
  return p;
}

constexpr int64_t kEveryDevice = -1;  // cpb_plan_total.device of a filter without a device

int64_t kind_code(PlanRowsKind kind) { return kind == PlanRowsKind::changes ? 0 : 1; }

// A filter's total as the plan counted it (none with a search, which it could
// not foresee). A plan made before 1.2 counted none and kept no warning's rows.
std::optional<int64_t> kept_total(Batch& b, const Params& filtered, const PlanRowsFilter& f, PlanRowsKind kind) {
  const std::optional<int64_t> kept =
      b.optional_scalar("plugin/plan_filter_total", with(filtered, {{"kind", Value::of(kind_code(kind))},
                                                                    {"device", Value::of(f.device ? static_cast<int64_t>(*f.device) : kEveryDevice)}}));
  if (!kept && f.warning)
    throw invalid_options("plan " + std::to_string(b.o.plan_id) +
                              " was made by an earlier version of the tool, which did not keep "
                              "which rows its warnings count; plan again to list the rows of a warning",
                          "/warning");
  return f.search ? std::nullopt : kept;
}

}  // namespace

void save_plan_review(Batch& b, int64_t plan_id, const Params& p) {
  Params warned = p;  // :warning_<name>: the code each warning's rows are kept by
  for (const RowWarning& w : kRowWarnings) warned["warning_" + std::string(w.name)] = Value::of(int64_t{w.code});
  b.script_if_exists("plugin/analyze_plan_rows");
  b.script("plugin/save_plan_warned_rows", warned);
  b.script_if_exists("plugin/analyze_plan_review");
  // Each kind's page rows per device, without a warning and with each: one
  // statement reads them, one row of literals keeps them.
  std::string values;
  const auto add = [&](int warning, const odbc::Row& sums) {
    for (PlanRowsKind kind : {PlanRowsKind::changes, PlanRowsKind::skipped}) {
      int64_t every = 0;
      const auto row = [&](int64_t device, int64_t total) {
        values += (values.empty() ? "(" : ", (") + std::to_string(plan_id) + ", " + std::to_string(kind_code(kind)) + ", " +
                  std::to_string(warning) + ", " + std::to_string(device) + ", " + std::to_string(total) + ")";
      };
      for (size_t d = 0; d < kDevices.size(); ++d) {
        const int64_t total = sums.int_or(std::string(kind == PlanRowsKind::changes ? "changes_" : "skipped_") + std::string(kDevices[d].name), 0);
        every += total;
        row(static_cast<int64_t>(d), total);
      }
      row(kEveryDevice, every);
    }
  };
  add(0, b.row_of("plugin/plan_device_totals", p));
  for (const RowWarning& w : kRowWarnings)
    add(w.code, b.row_of("plugin/plan_warned_device_totals", with(p, {{"warning", Value::of(int64_t{w.code})}})));
  b.db.execute("INSERT INTO cpb_plan_total (plan_id, kind, warning, device, total) VALUES " + values);
}

std::string encode_cursor(const PlanRowsCursor& c, const PlanRowsFilter& filter) {
  std::string text = std::string(c.kind == PlanRowsKind::changes ? "c" : "s") + "." + std::to_string(c.row_kind) + "." +
                     std::to_string(c.row_id) + "." + std::to_string(c.device);
  if (filter.any()) {
    char suffix[64];
    std::snprintf(suffix, sizeof suffix, ".f%016" PRIx64 ".%" PRId64, fingerprint(filter), c.total.value_or(0));
    text += suffix;
  }
  return text;
}

PlanRowsCursor decode_cursor(const std::string& text, PlanRowsKind kind, const PlanRowsFilter& filter) {
  PlanRowsCursor c;
  c.kind = kind;
  const auto bad = [&] {
    return invalid_options(
        "\"after\" is not a cursor of this plan's " + std::string(kind_name(kind)) + "; pass the \"next\" of the previous page", "/after");
  };
  const char want = kind == PlanRowsKind::changes ? 'c' : 's';
  if (text.size() < 7 || text[0] != want || text[1] != '.') throw bad();
  long long row_kind = 0, row_id = 0, device = 0;
  int used = 0;
  if (std::sscanf(text.c_str() + 2, "%lld.%lld.%lld%n", &row_kind, &row_id, &device, &used) != 3 || (row_kind != 0 && row_kind != 1) ||
      device < 0 || device >= static_cast<long long>(kDevices.size()))
    throw bad();
  const std::string rest = text.substr(static_cast<size_t>(used) + 2);
  unsigned long long print = 0;
  long long total = 0;
  int tail = 0;
  const bool filtered = !rest.empty();
  if (filtered && (std::sscanf(rest.c_str(), ".f%16llx.%lld%n", &print, &total, &tail) != 2 ||
                   static_cast<size_t>(tail) != rest.size() || total < 0))
    throw bad();
  if (filtered != filter.any() || (filtered && print != fingerprint(filter)))
    throw invalid_options(
        "\"after\" is a cursor of a page with other filters (search, device, warning); a cursor "
        "continues the list it came from: pass the same filters, or null for the first page",
        "/after");
  c.row_kind = row_kind;
  c.row_id = row_id;
  c.device = device;
  if (filtered) c.total = total;
  return c;
}

RunOutcome plan_rows(Batch& b) {
  b.progress.step("validate");
  const Batch::User user = b.check_user();
  const int64_t plan_id = b.o.plan_id;
  const std::string which = "plan " + std::to_string(plan_id);
  const Params p = with(b.params, {{"plan_id", Value::of(plan_id)}});
  const Batch::PlanRecord plan = b.find_plan(plan_id);
  if (plan.status != "planned" || plan.expired)
    throw not_found(which + (plan.status == "applied" ? " was applied already" : " expired") + "; its rows are no longer kept",
                    "/plan_id");
  if (plan.user_id != b.ctx.user_id && !user.admin)
    throw forbidden(which + " belongs to user " + std::to_string(plan.user_id) + "; only its user may review it", "/plan_id");
  const Options planned = parse_options(plan.options);
  const bool changes = b.o.rows_kind == PlanRowsKind::changes;
  const PlanRowsFilter& filter = b.o.filter;

  PlanRowsCursor from;
  from.kind = b.o.rows_kind;
  std::string after_name;
  if (b.o.after) {
    from = decode_cursor(*b.o.after, b.o.rows_kind, filter);
    odbc::Statement name(b.db);
    name.execute(b.sql("plugin/plan_row_name"),
                 with(p, {{"after_kind", Value::of(from.row_kind)}, {"after_id", Value::of(from.row_id)}}));
    if (!name.fetch()) throw invalid_options("\"after\" names no row of " + which, "/after");
    after_name = name.row().text_or("sort_name", "");
  }
  b.progress.step("targets");
  // The skipped cells' definition reads what the plan asked (:set_*, :clear_*).
  const Params filtered = filter_params(with(run_params(b.ctx, planned), {{"plan_id", Value::of(plan_id)}}), filter);
  const std::string list = std::string(changes ? "plugin/plan_changes" : "plugin/plan_skipped") + (filter.warning ? "_warned" : "");
  int64_t total = changes ? plan.changes_total : plan.skipped_total;
  bool counted = true;  // false: a search's first page, counted after it (below)
  if (filter.any() && from.total) {
    total = *from.total;
  } else if (filter.any()) {
    const std::optional<int64_t> kept = kept_total(b, filtered, filter, b.o.rows_kind);
    counted = kept.has_value();
    total = kept.value_or(0);
  }
  json rows = json::array();
  std::optional<PlanRowsCursor> last;
  bool more = false;
  odbc::Statement page(b.db);
  page.execute(b.sql(list + "_page"), with(filtered, {{"after_name", Value::of(after_name)},
                                                      {"after_id", Value::of(from.row_id)},
                                                      {"after_kind", Value::of(from.row_kind)},
                                                      {"limit", Value::of(b.o.limit + 2)}}));  // the cursor's own row, then one more than fits
  int64_t fetched = 0;
  while (page.fetch()) {
    ++fetched;
    const odbc::Row r = page.row();  // plan_page_select.sql's columns
    const int64_t row_kind = r.int_or("row_kind", 0);
    const int64_t row_id = r.int_or("row_id", 0);
    const std::string name = r.text_or("sort_name", "");
    const int allowed = static_cast<int>(r.int_or("allowed_bits", 0));
    for (size_t d = 0; d < kDevices.size(); ++d) {
      if (filter.device && *filter.device != d) continue;
      const std::string device(kDevices[d].name);
      const std::optional<std::string> value = r.get_text(device + "_value");
      const std::optional<int64_t> state = r.get_int(device + "_state");
      const std::optional<int64_t> old_mask = r.get_int(device + "_old");
      const std::optional<int64_t> new_mask = r.get_int(device + "_new");
      if (!state) continue;  // not a device of this row's table
      if (row_kind == from.row_kind && row_id == from.row_id && static_cast<int64_t>(d) <= from.device && b.o.after) continue;
      std::vector<json> emitted;
      json base = {{"person_id", row_kind == 0 ? json(row_id) : json(nullptr)},
                   {"name", name},
                   {"household_id", row_kind == 1 ? json(row_id) : json(nullptr)},
                   {"device", std::string(kDevices[d].name)},
                   {"value", value ? json(*value) : json(nullptr)}};
      if (changes) {
        if (old_mask == new_mask) continue;
        base["before"] = reason_names(static_cast<int>(old_mask.value_or(0)));
        base["after"] = reason_names(static_cast<int>(new_mask.value_or(0)));
        emitted.push_back(base);
      } else {
        for (const auto& [fate, bits] : skipped_cells(planned.devices[d].touched(), static_cast<CellState>(*state), allowed)) {
          json row = base;
          row["reasons"] = reason_names(bits);
          row["why"] = fate_name(fate);
          emitted.push_back(row);
        }
      }
      if (emitted.empty()) continue;
      // A device of two skipped fates is listed whole on one page, so a page
      // stops before it when it would not fit (unless the page is empty).
      if (!rows.empty() && static_cast<int64_t>(rows.size() + emitted.size()) > b.o.limit) {
        more = true;
        break;
      }
      for (json& row : emitted) rows.push_back(std::move(row));
      last = PlanRowsCursor{b.o.rows_kind, row_kind, row_id, static_cast<int64_t>(d), total};
    }
    if (more) break;
  }
  page.close_cursor();
  // A search's total needs a scan of the plan's rows, and so does a first page
  // of a rare name, which reads them all to find its few: when that page ran
  // out (no more rows, fewer fetched than asked), it holds every match and is
  // its own count, one scan instead of two (issue 22: 300,000 students).
  if (!counted) {
    const bool whole = !more && fetched < b.o.limit + 2 && !b.o.after;
    total = whole ? static_cast<int64_t>(rows.size()) : b.scalar(list + "_count", filtered);
    if (last) last->total = total;
  }
  const json result = {{"plan_id", plan_id},
                       {"kind", changes ? "changes" : "skipped"},
                       {"total", total},
                       {"next", more && last ? json(encode_cursor(*last, filter)) : json(nullptr)},
                       {"rows", rows}};
  return {result.dump(), 0, 0, 0, 0, std::nullopt};
}


}  // namespace cpb
