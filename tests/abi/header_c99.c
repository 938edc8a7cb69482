/* Compiled as C99 with -pedantic -Werror: the public header must be plain C.
 * The layout of every version 1.0 struct is pinned: a change here breaks hosts. */
#include "sis_plugin.h"

#include <stddef.h>

#define PIN(name, cond) typedef char pin_##name[(cond) ? 1 : -1]

PIN(abi_version, SIS_PLUGIN_ABI_VERSION == ((1u << 16) | 0u));
PIN(context_struct_size, offsetof(sis_toolbar_context, struct_size) == 0);
PIN(context_end_year, offsetof(sis_toolbar_context, end_year) == 4);
PIN(context_school_id, offsetof(sis_toolbar_context, school_id) == 8);
PIN(context_calendar_id, offsetof(sis_toolbar_context, calendar_id) == 16);
PIN(context_user_id, offsetof(sis_toolbar_context, user_id) == 24);
PIN(context_effective_date, offsetof(sis_toolbar_context, effective_date) == 32);
PIN(context_size_v1, SIS_TOOLBAR_CONTEXT_SIZE_V1 == 32 + sizeof(const char *));
PIN(counts_updated, offsetof(sis_counts, updated) == 8);
PIN(counts_unchanged, offsetof(sis_counts, unchanged) == 16);
PIN(counts_persons, offsetof(sis_counts, persons) == 24);
PIN(counts_households, offsetof(sis_counts, households) == 32);
PIN(counts_size_v1, SIS_COUNTS_SIZE_V1 == 40);
PIN(status_frozen, SIS_OK == 0 && SIS_E_INVALID_ARGUMENT == -1 && SIS_E_ABI_MISMATCH == -2 && SIS_E_INVALID_OPTIONS == -3 &&
                   SIS_E_FORBIDDEN == -4 && SIS_E_NOT_FOUND == -5 && SIS_E_DATABASE == -6 && SIS_E_CANCELLED == -7 &&
                   SIS_E_CONFLICT == -8 && SIS_E_OUT_OF_MEMORY == -9 && SIS_E_INTERNAL == -10);

/* Every function is declared with the documented signature. */
static uint32_t (*const abi_version_fn)(void) = sis_plugin_abi_version;
static const char *(*const describe_fn)(void) = sis_plugin_describe;
static sis_status (*const open_fn)(const char *, sis_plugin **, char *, size_t) = sis_plugin_open;
static sis_status (*const open_attached_fn)(void *, sis_plugin **, char *, size_t) = sis_plugin_open_attached;
static sis_status (*const run_fn)(sis_plugin *, const sis_toolbar_context *, const char *, size_t, sis_progress_fn, void *,
                                  sis_counts *, const char **) = sis_plugin_run;
static const char *(*const last_error_fn)(const sis_plugin *) = sis_plugin_last_error;
static void (*const close_fn)(sis_plugin *) = sis_plugin_close;

/* Returns 0 when every declaration above resolved; linked against the plugin. */
int sis_header_c99_check(void) {
    return !(abi_version_fn && describe_fn && open_fn && open_attached_fn && run_fn && last_error_fn && close_fn);
}
