// The seven functions of the C ABI with no behaviour, compiled against a header
// (abi/include/sis_plugin.h, or a copy of it with an ABI break): the cheap
// library the ABI gate's own test (gate_bites.sh) checks instead of a rebuilt plugin.
// CPB_STUB_WITHOUT_CLOSE leaves sis_plugin_close out (a removed export);
// CPB_STUB_EXTRA_FUNCTION adds one (an addition, which the gate allows).
#include "sis_plugin.h"

extern "C" {
SIS_PLUGIN_API uint32_t sis_plugin_abi_version(void) { return SIS_PLUGIN_ABI_VERSION; }
SIS_PLUGIN_API const char *sis_plugin_describe(void) { return "{}"; }
SIS_PLUGIN_API sis_status sis_plugin_open(const char *, sis_plugin **out, char *, size_t) {
  *out = nullptr;
  return SIS_E_INTERNAL;
}
SIS_PLUGIN_API sis_status sis_plugin_open_attached(void *, sis_plugin **out, char *, size_t) {
  *out = nullptr;
  return SIS_E_INTERNAL;
}
SIS_PLUGIN_API sis_status sis_plugin_run(sis_plugin *, const sis_toolbar_context *, const char *, size_t, sis_progress_fn,
                                         void *, sis_counts *counts, const char **) {
  if (counts) counts->updated = 0;
  return SIS_E_INTERNAL;
}
SIS_PLUGIN_API const char *sis_plugin_last_error(const sis_plugin *) { return "{\"error\":null}"; }
#ifndef CPB_STUB_WITHOUT_CLOSE
SIS_PLUGIN_API void sis_plugin_close(sis_plugin *) {}
#endif
#ifdef CPB_STUB_EXTRA_FUNCTION
SIS_PLUGIN_API int sis_plugin_added_in_a_later_minor(void) { return 1; }
#endif
}
