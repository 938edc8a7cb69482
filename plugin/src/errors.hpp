// The errors of the plugin: the one table of error codes and the status each
// returns, and the one exception type, which becomes that status and an error
// JSON at the C boundary (sis_plugin.cpp). docs/INTEGRATION.md section 6 lists
// the same table; tests/reliability/error_codes_test.cpp holds the two equal
// and provokes every code through the ABI.
#pragma once

#include <array>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>

#include "sis_plugin.h"

namespace cpb {

// Every code an error JSON carries. Each has one status; a status may have
// several codes (the code says more precisely what happened).
enum class ErrorCode {
  invalid_argument,       // a host defect: a NULL pointer, a struct too small, empty options, a call from the wrong place
  unsupported_database,   // open: an engine other than SQLite, PostgreSQL or MariaDB
  host_transaction_open,  // an attached connection with the host's own transaction open
  invalid_options,        // the options are wrong at `path`
  invalid_context,        // the toolbar selection is wrong at `path`
  forbidden,
  not_found,
  conflict,
  database,
  cancelled,
  out_of_memory,
  internal,
};

struct ErrorKind {
  ErrorCode code;
  std::string_view name;  // the error JSON's "code"
  sis_status status;      // what the call returns
};

inline constexpr std::array<ErrorKind, 12> kErrors{{
    {ErrorCode::invalid_argument, "invalid_argument", SIS_E_INVALID_ARGUMENT},
    {ErrorCode::unsupported_database, "unsupported_database", SIS_E_INVALID_ARGUMENT},
    {ErrorCode::host_transaction_open, "host_transaction_open", SIS_E_INVALID_ARGUMENT},
    {ErrorCode::invalid_options, "invalid_options", SIS_E_INVALID_OPTIONS},
    {ErrorCode::invalid_context, "invalid_context", SIS_E_INVALID_OPTIONS},
    {ErrorCode::forbidden, "forbidden", SIS_E_FORBIDDEN},
    {ErrorCode::not_found, "not_found", SIS_E_NOT_FOUND},
    {ErrorCode::conflict, "conflict", SIS_E_CONFLICT},
    {ErrorCode::database, "database", SIS_E_DATABASE},
    {ErrorCode::cancelled, "cancelled", SIS_E_CANCELLED},
    {ErrorCode::out_of_memory, "out_of_memory", SIS_E_OUT_OF_MEMORY},
    {ErrorCode::internal, "internal", SIS_E_INTERNAL},
}};

constexpr bool errors_in_enum_order() {
  for (size_t i = 0; i < kErrors.size(); ++i)
    if (static_cast<size_t>(kErrors[i].code) != i) return false;
  return true;
}
static_assert(errors_in_enum_order(), "kErrors lists every ErrorCode once, in the enum's order");
static_assert(kErrors.back().code == ErrorCode::internal, "kErrors ends with the enum's last code");

constexpr const ErrorKind& error_kind(ErrorCode code) { return kErrors[static_cast<size_t>(code)]; }

class PluginError : public std::runtime_error {
 public:
  PluginError(ErrorCode code, const std::string& message, std::string path = {})
      : std::runtime_error(message), code_(code), path_(std::move(path)) {}
  ErrorCode kind() const { return code_; }
  sis_status status() const { return error_kind(code_).status; }
  std::string code() const { return std::string(error_kind(code_).name); }
  const std::string& path() const { return path_; }

 private:
  ErrorCode code_;
  std::string path_;
};

// The throw helpers: the message first, then the JSON Pointer of what was wrong
// (into the options, or the context field), when there is one.
inline PluginError invalid_argument(const std::string& message) { return PluginError(ErrorCode::invalid_argument, message); }
inline PluginError invalid_options(const std::string& message, const std::string& path = {}) {
  return PluginError(ErrorCode::invalid_options, message, path);
}
inline PluginError invalid_context(const std::string& message, const std::string& path = {}) {
  return PluginError(ErrorCode::invalid_context, message, path);
}
inline PluginError forbidden(const std::string& message, const std::string& path = {}) {
  return PluginError(ErrorCode::forbidden, message, path);
}
inline PluginError not_found(const std::string& message, const std::string& path = {}) {
  return PluginError(ErrorCode::not_found, message, path);
}
inline PluginError conflict(const std::string& message, const std::string& path = {}) {
  return PluginError(ErrorCode::conflict, message, path);
}
inline PluginError database_error(const std::string& message) { return PluginError(ErrorCode::database, message); }
inline PluginError cancelled() { return PluginError(ErrorCode::cancelled, "the run was cancelled; nothing was changed"); }

}  // namespace cpb
