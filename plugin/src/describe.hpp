// sis_plugin_describe: what a host shows in its wizard, and the options' JSON Schema.
#pragma once

#include <string>

namespace cpb {
const std::string& describe_json();  // built once, valid while the library is loaded
}
