#include "plan_rows.hpp"

#include <algorithm>
#include <iomanip>
#include <vector>

#include "terminal_text.hpp"

namespace host {

using json = nlohmann::ordered_json;

namespace {

constexpr int kPageRows = 1000;  // the largest page the plugin serves

// A cell as text: lists joined with ',' (reason names), null empty.
std::string cell(const json& value) {
  if (value.is_null()) return {};
  if (value.is_string()) return value.get<std::string>();
  if (value.is_array()) {
    std::string out;
    for (const json& v : value) out += (out.empty() ? "" : ",") + cell(v);
    return out;
  }
  return value.dump();
}

}  // namespace

PluginOutcome print_plan_rows(const PluginApi& api, const std::string& connection_string, const Toolbar& toolbar,
                              const PlanRowsRequest& request, std::ostream& out) {
  // The columns are the rows' own fields, in the plugin's order: the table
  // follows the contract's row shape without restating it. A table's widths
  // come from its first page.
  std::vector<std::string> columns;
  std::vector<size_t> widths;
  json after = nullptr;
  int64_t printed = 0, total = 0;
  const auto print_line = [&](const std::vector<std::string>& cells) {
    for (size_t c = 0; c < cells.size(); ++c) {
      const bool last = c + 1 == cells.size();
      if (request.csv)
        out << (c ? "," : "") << csv_field(cells[c]);
      else
        out << std::left << std::setw(last ? 0 : static_cast<int>(widths[c])) << cells[c] << (last ? "" : "  ");
    }
    out << "\n";
  };
  for (;;) {
    json options = {{"action", "plan_rows"}, {"plan_id", request.plan_id}, {"kind", request.kind}, {"after", after}, {"limit", kPageRows}};
    if (!request.search.empty()) options["search"] = request.search;
    if (!request.device.empty()) options["device"] = request.device;
    if (!request.warning.empty()) options["warning"] = request.warning;
    PluginOutcome page = run_plugin(api, connection_string, toolbar, options.dump());
    if (!page.ok()) return page;
    total = page.json.value("total", int64_t{0});
    const json rows = page.json.value("rows", json::array());
    std::vector<std::vector<std::string>> lines;
    for (const json& row : rows) {
      if (columns.empty())
        for (const auto& field : row.items()) columns.push_back(field.key());
      std::vector<std::string> cells;
      for (const std::string& column : columns) {
        const std::string text = cell(row.contains(column) ? row[column] : json());
        cells.push_back(request.csv ? text : printable(text));
      }
      lines.push_back(std::move(cells));
    }
    if (widths.empty() && !columns.empty()) {
      for (const std::string& column : columns) widths.push_back(column.size());
      for (const auto& cells : lines)
        for (size_t c = 0; c < cells.size(); ++c) widths[c] = std::min<size_t>(std::max(widths[c], cells[c].size()), 40);
      print_line(columns);
    }
    for (const auto& cells : lines) print_line(cells);
    printed += static_cast<int64_t>(lines.size());
    after = page.json.value("next", json());
    if (after.is_null() || rows.empty()) break;
  }
  if (!request.csv) out << "(" << printed << " of " << total << " " << request.kind << " rows of plan " << request.plan_id << ")\n";
  PluginOutcome done;
  done.json = {{"plan_id", request.plan_id}, {"kind", request.kind}, {"total", total}, {"printed", printed}};
  return done;
}

}  // namespace host
