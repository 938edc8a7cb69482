// The wizard's page and assets (host-sim/wizard/), embedded at build time so
// that the page works with no network at all.
#pragma once

#include <string_view>
#include <vector>

namespace host {

struct WizardAsset {
  std::string_view path;  // "/index.html", "/app.js", ...
  std::string_view content_type;
  std::string_view text;
};
const std::vector<WizardAsset>& wizard_assets();
const WizardAsset* find_wizard_asset(std::string_view path);

}  // namespace host
