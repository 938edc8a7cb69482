// The one exception type of the plugin: it becomes a status and an error JSON
// at the C boundary (sis_plugin.cpp).
#pragma once

#include <stdexcept>
#include <string>

#include "sis_plugin.h"

namespace cpb {

class PluginError : public std::runtime_error {
 public:
  PluginError(sis_status status, std::string code, const std::string& message, std::string path = {})
      : std::runtime_error(message), status_(status), code_(std::move(code)), path_(std::move(path)) {}
  sis_status status() const { return status_; }
  const std::string& code() const { return code_; }
  const std::string& path() const { return path_; }

 private:
  sis_status status_;
  std::string code_;
  std::string path_;
};

inline PluginError invalid_options(const std::string& path, const std::string& message) {
  return PluginError(SIS_E_INVALID_OPTIONS, "invalid_options", message, path);
}
inline PluginError invalid_context(const std::string& path, const std::string& message) {
  return PluginError(SIS_E_INVALID_OPTIONS, "invalid_context", message, path);
}
inline PluginError forbidden(const std::string& message, const std::string& path = {}) {
  return PluginError(SIS_E_FORBIDDEN, "forbidden", message, path);
}
inline PluginError not_found(const std::string& message, const std::string& path = {}) {
  return PluginError(SIS_E_NOT_FOUND, "not_found", message, path);
}
inline PluginError conflict(const std::string& message, const std::string& path = {}) {
  return PluginError(SIS_E_CONFLICT, "conflict", message, path);
}
inline PluginError cancelled() {
  return PluginError(SIS_E_CANCELLED, "cancelled", "the run was cancelled; nothing was changed");
}

}  // namespace cpb
