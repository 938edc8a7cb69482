#include "sql_catalog.hpp"

#include <algorithm>
#include <map>
#include <stdexcept>
#include <utility>

#include "sql_files.hpp"

namespace cpb {

namespace {

using Variables = std::map<std::string, std::string>;

using Files = std::vector<SqlFile>;

Variables device_variables(const Device& d) {
  const std::string alias = d.table == "household" ? "h" : "c";
  return {{"device", std::string(d.name)},
          {"value", alias + "." + std::string(d.value_column)},
          {"mask", alias + "." + std::string(d.mask_column)},
          {"mask_column", std::string(d.mask_column)},
          {"table", std::string(d.table)},
          {"key", d.table == "household" ? std::string("household_id") : std::string("person_id")},
          {"row", alias}};
}

Variables reason_variables(const Reason& r) { return {{"reason", std::string(r.name)}, {"bit", std::to_string(r.bit)}}; }

std::vector<std::string_view> split(std::string_view text, char by) {
  std::vector<std::string_view> parts;
  for (size_t at = 0;;) {
    const size_t cut = text.find(by, at);
    parts.push_back(text.substr(at, cut == std::string_view::npos ? std::string_view::npos : cut - at));
    if (cut == std::string_view::npos) return parts;
    at = cut + 1;
  }
}

std::string expand(const Files& files, std::string_view name, const odbc::Engine& engine, const Variables& vars, int depth);

// {{each_device:TABLE:fragment[:separator]}} and {{each_reason:fragment[:separator]}}:
// the fragment once per device of TABLE ("contact" or "household") or per
// reason of kReasons, joined by the separator (default ",").
std::string expand_each(const Files& files, const std::vector<std::string_view>& parts, const std::string& folder, const odbc::Engine& engine,
                        const Variables& vars, int depth) {
  const bool devices = parts[0] == "each_device";
  const size_t fragment = devices ? 2 : 1;
  if (parts.size() <= fragment) throw std::logic_error("{{" + std::string(parts[0]) + "}} needs a fragment");
  const std::string separator = parts.size() > fragment + 1 ? std::string(parts[fragment + 1]) : std::string(",");
  std::string out;
  auto one = [&](const Variables& extra) {
    Variables inner = vars;
    for (const auto& [k, v] : extra) inner[k] = v;
    if (!out.empty()) out += separator + "\n";
    out += expand(files, folder + std::string(parts[fragment]), engine, inner, depth + 1);
  };
  if (devices) {
    for (const Device& d : kDevices)
      if (d.table == parts[1]) one(device_variables(d));
  } else {
    for (const Reason& r : kReasons) one(reason_variables(r));
  }
  return out;
}

std::string substitute(std::string text, const Variables& vars) {
  return substitute_variables(std::move(text), {vars.begin(), vars.end()});
}

std::string expand(const Files& files, std::string_view name, const odbc::Engine& engine, const Variables& vars, int depth) {
  if (depth > 8) throw std::logic_error("SQL includes nested too deeply at " + std::string(name));
  const SqlFile* file = find_sql_file(files, name, engine.name);
  if (!file) throw std::logic_error("missing SQL file sql/" + std::string(name) + ".sql");
  const std::string folder(name.substr(0, name.rfind('/') + 1));
  std::string out;
  std::string_view text = file->text;
  for (size_t at = 0;;) {
    const size_t open = text.find("{{", at);
    if (open == std::string_view::npos) {
      out.append(text.substr(at));
      break;
    }
    const size_t close = text.find("}}", open);
    if (close == std::string_view::npos) throw std::logic_error("unclosed {{ in sql/" + std::string(name) + ".sql");
    out.append(text.substr(at, open - at));
    // An include may name the variables of its context ({{each_device:$table:...}}).
    const std::string include_text = substitute(std::string(text.substr(open + 2, close - open - 2)), vars);
    const std::string_view include = include_text;
    const std::vector<std::string_view> parts = split(include, ':');
    if (parts[0] == "each_device" || parts[0] == "each_reason") {
      out += expand_each(files, parts, folder, engine, vars, depth);
      at = close + 2;
      continue;
    }
    const size_t colon = include.find(':');
    Variables inner = vars;
    if (colon != std::string_view::npos) {
      const std::string_view arg = include.substr(colon + 1);
      const size_t device = device_index(arg);
      if (device != kDevices.size())
        for (const auto& [k, v] : device_variables(kDevices[device])) inner[k] = v;
      else inner["row"] = std::string(arg);
    }
    out += expand(files, folder + std::string(include.substr(0, colon)), engine, inner, depth + 1);
    at = close + 2;
  }
  return substitute(out, vars);
}

}  // namespace

bool sql_exists(std::string_view name, const odbc::Engine& engine) {
  const size_t cut = name.rfind('/');
  if (!odbc::find_sql_hook(cut == std::string_view::npos ? name : name.substr(cut + 1)))
    throw std::logic_error("sql/" + std::string(name) + ".sql is no SQL hook of plugin/odbc/engine.cpp (sql_hooks)");
  return find_sql_file(sql_files(), name, engine.name) != nullptr;
}

std::string expand_sql(const std::vector<SqlFile>& files, std::string_view name, const odbc::Engine& engine, const Device* device) {
  Variables vars;
  for (auto& [k, v] : odbc::dialect_variables(engine)) vars[k] = std::move(v);
  if (device)
    for (const auto& [k, v] : device_variables(*device)) vars[k] = v;
  return expand(files, name, engine, vars, 0);
}

std::string sql_text(std::string_view name, const odbc::Engine& engine, const Device* device) {
  return expand_sql(sql_files(), name, engine, device);
}

}  // namespace cpb
