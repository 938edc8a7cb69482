#include "plugin_loader.hpp"

#include <filesystem>
#include <stdexcept>

#include <boost/dll/runtime_symbol_info.hpp>

namespace host {

std::string default_plugin_path() {
  const auto here = boost::dll::program_location().parent_path();
  const auto built = here.parent_path() / "plugin" / CPB_PLUGIN_FILE_NAME;  // build/host-sim -> build/plugin
  // PREFIX/bin -> PREFIX/lib/<multiarch>/contact-prefs-batch (cmake/install.cmake)
  const auto installed = (here / CPB_PLUGIN_DIR_FROM_BIN / CPB_PLUGIN_FILE_NAME).lexically_normal();
  return (std::filesystem::exists(built.string()) || !std::filesystem::exists(installed.string()) ? built : installed).string();
}

LoadedPlugin::LoadedPlugin(const std::string& path) {
  // dlopen's own text for a missing file ends in an unrelated errno message; a bare name is searched for, not checked.
  if (path.find('/') != std::string::npos && !std::filesystem::exists(path))
    throw std::runtime_error("cannot load the plugin " + path + ": no such file");
  try {
    library_.load(path, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
  } catch (const std::exception& e) {
    throw std::runtime_error("cannot load the plugin " + path + ": " + e.what());
  }
  if (!library_.has("sis_plugin_abi_version"))
    throw std::runtime_error(path + " is not a Contact Preferences Batch plugin (no sis_plugin_abi_version)");
  api_.abi_version = &library_.get<uint32_t()>("sis_plugin_abi_version");
  const uint32_t version = api_.abi_version();
  const uint32_t major = version >> 16;
  const uint32_t minor = version & 0xFFFFu;
  // The plugin must offer everything this host calls: the same major, a minor at least this host's (a newer minor only adds).
  if (major != SIS_PLUGIN_ABI_MAJOR || minor < SIS_PLUGIN_ABI_MINOR)
    throw std::runtime_error("the plugin " + path + " speaks ABI " + std::to_string(major) + "." + std::to_string(minor) +
                             " but this host speaks " + std::to_string(SIS_PLUGIN_ABI_MAJOR) + "." +
                             std::to_string(SIS_PLUGIN_ABI_MINOR) + "; use a plugin built for ABI " +
                             std::to_string(SIS_PLUGIN_ABI_MAJOR) + ".x with x >= " + std::to_string(SIS_PLUGIN_ABI_MINOR));
  api_.describe = &library_.get<const char*()>("sis_plugin_describe");
  api_.open = &library_.get<sis_status(const char*, sis_plugin**, char*, size_t)>("sis_plugin_open");
  api_.open_attached = &library_.get<sis_status(void*, sis_plugin**, char*, size_t)>("sis_plugin_open_attached");
  api_.run = &library_.get<sis_status(sis_plugin*, const sis_toolbar_context*, const char*, size_t, sis_progress_fn, void*,
                                      sis_counts*, const char**)>("sis_plugin_run");
  api_.last_error = &library_.get<const char*(const sis_plugin*)>("sis_plugin_last_error");
  api_.close = &library_.get<void(sis_plugin*)>("sis_plugin_close");
}

}  // namespace host
