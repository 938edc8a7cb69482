// Loads the plugin the way a host does: Boost.DLL, the ABI version first.
#pragma once

#include <string>

#include <boost/dll/shared_library.hpp>

#include "sis_plugin.h"

namespace host {

struct PluginApi {
  decltype(&sis_plugin_abi_version) abi_version = nullptr;
  decltype(&sis_plugin_describe) describe = nullptr;
  decltype(&sis_plugin_open) open = nullptr;
  decltype(&sis_plugin_open_attached) open_attached = nullptr;
  decltype(&sis_plugin_run) run = nullptr;
  decltype(&sis_plugin_last_error) last_error = nullptr;
  decltype(&sis_plugin_close) close = nullptr;
};

class LoadedPlugin {
 public:
  // Throws std::runtime_error with a message a person can act on when the file
  // cannot be loaded or its ABI version does not fit this host.
  explicit LoadedPlugin(const std::string& path);
  const PluginApi& api() const { return api_; }

 private:
  boost::dll::shared_library library_;
  PluginApi api_;
};

// The plugin beside the running executable: ../plugin/ in the build tree; once installed, the
// plugin folder of the same prefix (../lib/<multiarch>/contact-prefs-batch/ on Debian).
std::string default_plugin_path();

}  // namespace host
