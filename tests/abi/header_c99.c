/* Compiled with -Wall -Wextra -pedantic -Werror as C89, as C99 and as C++11
 * (header_c89.c, header_cxx11.cpp): the public header must be plain C that
 * every host compiler takes. The layout of every struct is pinned: a change
 * here breaks hosts. HEADER_CHECK names the check function of each build. */
#include "sis_plugin.h"

#include <stddef.h>

#ifndef HEADER_CHECK
#define HEADER_CHECK sis_header_c99_check
#endif

#define PIN(name, cond) typedef char pin_##name[(cond) ? 1 : -1]

PIN(abi_version, SIS_PLUGIN_ABI_VERSION == ((1u << 16) | 2u));
PIN(context_struct_size, offsetof(sis_toolbar_context, struct_size) == 0);
PIN(context_end_year, offsetof(sis_toolbar_context, end_year) == 4);
PIN(context_school_id, offsetof(sis_toolbar_context, school_id) == 8);
PIN(context_calendar_id, offsetof(sis_toolbar_context, calendar_id) == 16);
PIN(context_user_id, offsetof(sis_toolbar_context, user_id) == 24);
PIN(context_effective_date, offsetof(sis_toolbar_context, effective_date) == 32);
PIN(context_size_v1, SIS_TOOLBAR_CONTEXT_SIZE_V1 == 32 + sizeof(const char *));
PIN(context_size, sizeof(sis_toolbar_context) == 40);
/* 1.1: explicit padding, so that every platform (i386 too) has this layout. */
PIN(counts_reserved, offsetof(sis_counts, reserved) == 4 && sizeof(((sis_counts *)0)->reserved) == 4);
PIN(counts_updated, offsetof(sis_counts, updated) == 8);
PIN(counts_unchanged, offsetof(sis_counts, unchanged) == 16);
PIN(counts_persons, offsetof(sis_counts, persons) == 24);
PIN(counts_households, offsetof(sis_counts, households) == 32);
PIN(counts_size_v1, SIS_COUNTS_SIZE_V1 == 40);
PIN(counts_size, sizeof(sis_counts) == 40);
PIN(status_frozen, SIS_OK == 0 && SIS_E_INVALID_ARGUMENT == -1 && SIS_E_ABI_MISMATCH == -2 && SIS_E_INVALID_OPTIONS == -3 &&
                   SIS_E_FORBIDDEN == -4 && SIS_E_NOT_FOUND == -5 && SIS_E_DATABASE == -6 && SIS_E_CANCELLED == -7 &&
                   SIS_E_CONFLICT == -8 && SIS_E_OUT_OF_MEMORY == -9 && SIS_E_INTERNAL == -10);

/* Every function is declared with the documented signature (pointers not
 * const, so that C++ does not fold the check below into "never NULL"). */
static uint32_t (*abi_version_fn)(void) = sis_plugin_abi_version;
static const char *(*describe_fn)(void) = sis_plugin_describe;
static sis_status (*open_fn)(const char *, sis_plugin **, char *, size_t) = sis_plugin_open;
static sis_status (*open_attached_fn)(void *, sis_plugin **, char *, size_t) = sis_plugin_open_attached;
static sis_status (*run_fn)(sis_plugin *, const sis_toolbar_context *, const char *, size_t, sis_progress_fn, void *,
                                  sis_counts *, const char **) = sis_plugin_run;
static const char *(*last_error_fn)(const sis_plugin *) = sis_plugin_last_error;
static void (*close_fn)(sis_plugin *) = sis_plugin_close;

/* The initialisers of 1.1 fill struct_size and zero the rest. */
static const sis_toolbar_context context_init = SIS_TOOLBAR_CONTEXT_INIT;
static const sis_counts counts_init = SIS_COUNTS_INIT;

int HEADER_CHECK(void); /* a prototype first: -Wmissing-prototypes */

/* Returns 0 when every declaration above resolved and the initialisers hold
 * what they promise; linked against the plugin. */
int HEADER_CHECK(void) {
    if (!(abi_version_fn && describe_fn && open_fn && open_attached_fn && run_fn && last_error_fn && close_fn)) return 1;
    if (context_init.struct_size != sizeof(sis_toolbar_context) || context_init.end_year != 0 || context_init.school_id != 0 ||
        context_init.calendar_id != 0 || context_init.user_id != 0 || context_init.effective_date != NULL)
        return 2;
    if (counts_init.struct_size != sizeof(sis_counts) || counts_init.reserved != 0 || counts_init.updated != 0 ||
        counts_init.unchanged != 0 || counts_init.persons != 0 || counts_init.households != 0)
        return 3;
    return 0;
}
