#include "plugin_run.hpp"

namespace host {

using json = nlohmann::ordered_json;

std::string PluginOutcome::error_code() const {
  return ok() ? std::string() : json.value("/error/code"_json_pointer, std::string("internal"));
}

std::string PluginOutcome::error_message() const {
  return ok() ? std::string() : json.value("/error/message"_json_pointer, std::string());
}

PluginOutcome run_plugin(const PluginApi& api, const std::string& connection_string, const Toolbar& toolbar,
                         const std::string& options, sis_progress_fn progress, void* progress_user) {
  PluginOutcome outcome;
  sis_plugin* plugin = nullptr;
  char error[4096] = {0};
  outcome.status = api.open(connection_string.c_str(), &plugin, error, sizeof error);
  if (outcome.status != SIS_OK) {
    outcome.json = json::parse(error, nullptr, false);
    if (outcome.json.is_discarded() || !outcome.json.contains("error"))
      outcome.json = {{"error", {{"code", "database"}, {"message", std::string(error)}}}};
    return outcome;
  }
  sis_toolbar_context ctx{};
  ctx.struct_size = sizeof ctx;
  ctx.end_year = toolbar.year;
  ctx.school_id = toolbar.school;
  ctx.calendar_id = toolbar.calendar;
  ctx.user_id = toolbar.user;
  ctx.effective_date = toolbar.date.empty() ? nullptr : toolbar.date.c_str();
  sis_counts counts{};
  counts.struct_size = sizeof counts;
  const char* result = nullptr;
  outcome.status = api.run(plugin, &ctx, options.data(), options.size(), progress, progress_user, &counts, &result);
  outcome.json = json::parse(outcome.status == SIS_OK ? result : api.last_error(plugin), nullptr, false);
  if (outcome.json.is_discarded()) outcome.json = {{"error", {{"code", "internal"}, {"message", "the plugin answered with text that is not JSON"}}}};
  api.close(plugin);
  return outcome;
}

}  // namespace host
