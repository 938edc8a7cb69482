/*
 * sis_plugin.h - the C ABI of the Contact Preferences Batch plugin.
 *
 * A host student information system loads the plugin (a shared library) at run
 * time and calls it through the functions below. The header is plain C99 and
 * usable from C and C++; no C++ type and no exception crosses it.
 *
 * Versioning: call sis_plugin_abi_version() before anything else. A host
 * accepts a plugin whose major equals the host's SIS_PLUGIN_ABI_MAJOR and whose
 * minor is at least the host's SIS_PLUGIN_ABI_MINOR: the plugin then offers
 * everything the host was built for, since a newer minor only adds. A host
 * built against the 1.0 header loads a 1.1 plugin and runs every 1.0 call
 * unchanged:
 *
 *     uint32_t v = sis_plugin_abi_version();
 *     if ((v >> 16) != SIS_PLUGIN_ABI_MAJOR || (v & 0xFFFFu) < SIS_PLUGIN_ABI_MINOR)
 *         refuse the plugin;
 *
 * Ownership: every pointer the host passes in is borrowed for the duration of
 * the call only. Every pointer the plugin returns is owned by the plugin; the
 * host never frees it. Strings are UTF-8 and NUL-terminated.
 *
 * Threading: one sis_plugin handle is used by one thread at a time. Separate
 * handles may run at the same time in different threads. The functions that
 * take no handle are safe to call from any thread. A host that breaks the
 * rule does not break the handle: while a run is under way, sis_plugin_run on
 * its handle from another thread is refused with SIS_E_INVALID_ARGUMENT
 * (nothing run, nothing changed), and sis_plugin_close from another thread
 * closes the handle once the run returns (the run completes as it would
 * have; its result_json then points to a copy kept for the calling thread
 * until the next such run on that thread).
 *
 * Re-entrancy (since 1.1): from inside the progress callback of a run, a call
 * on the handle of that run is refused and changes nothing: sis_plugin_run
 * returns SIS_E_INVALID_ARGUMENT (its result_json, when asked for, points to a
 * static error JSON; the outer run's result and last error stay as they are)
 * and sis_plugin_close does nothing (the handle stays open; close it once the
 * run has returned). sis_plugin_last_error only reads and is allowed: it
 * returns the error of the last failed call before the run. Calls that take
 * no handle, and calls on other handles, are allowed; but a run on another
 * handle of the same database waits for the locks the outer run holds, which
 * are released only once the callback returns: do not wait for it there.
 *
 * Structs carry struct_size (sizeof the struct as the caller knows it) and
 * only ever grow by appending fields; the plugin reads and writes only the
 * first struct_size bytes. Status codes are frozen: a value is never reused.
 */
#ifndef SIS_PLUGIN_H
#define SIS_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_WIN32)
#  define SIS_PLUGIN_API __declspec(dllexport)
#elif defined(__GNUC__)
#  define SIS_PLUGIN_API __attribute__((visibility("default")))
#else
#  define SIS_PLUGIN_API
#endif

/* The ABI's version is the release's major.minor (CMakeLists.txt project()
 * VERSION; a configure check keeps the two equal). 1.2 adds no function, field
 * or status, but plan_rows filters a 1.2 host may use: such a host needs a
 * 1.2 plugin. See docs/CHANGES.md. */
#define SIS_PLUGIN_ABI_MAJOR 1
#define SIS_PLUGIN_ABI_MINOR 2
/* (major << 16) | minor, as returned by sis_plugin_abi_version(). */
#define SIS_PLUGIN_ABI_VERSION ((uint32_t)((SIS_PLUGIN_ABI_MAJOR << 16) | SIS_PLUGIN_ABI_MINOR))

/* Result of every call that can fail. Frozen: values are never renumbered. */
typedef enum sis_status {
    SIS_OK = 0,
    SIS_E_INVALID_ARGUMENT = -1, /* NULL handle or pointer, bad struct_size, empty options; a call on a handle from
                                    inside its own run's progress callback (1.1) */
    SIS_E_ABI_MISMATCH = -2,     /* reserved for hosts: the plugin's ABI version is not usable */
    SIS_E_INVALID_OPTIONS = -3,  /* options JSON refused; or the toolbar context ("invalid_context") */
    SIS_E_FORBIDDEN = -4,        /* the user (missing, disabled, portal, no right) may not run the tool or use the filter */
    SIS_E_NOT_FOUND = -5,        /* the ad hoc filter or the batch to undo does not exist */
    SIS_E_DATABASE = -6,         /* the database refused a statement or the connection was lost */
    SIS_E_CANCELLED = -7,        /* the progress callback asked to stop; nothing was changed (a chunked apply keeps
                                    the chunks already written, the batch in_progress: resume it) */
    SIS_E_CONFLICT = -8,         /* another writer held the rows (retry later), or the batch was already undone */
    SIS_E_OUT_OF_MEMORY = -9,
    SIS_E_INTERNAL = -10
} sis_status;

/* An open plugin: a database connection and the last result. Opaque. */
typedef struct sis_plugin sis_plugin;

/* The host's toolbar selection. Version 1.0 holds every field below. */
typedef struct sis_toolbar_context {
    uint32_t struct_size;       /* sizeof(sis_toolbar_context) as the caller knows it */
    int32_t end_year;           /* school year by its end year: 2027 for 2026-27 */
    int64_t school_id;          /* 0: all schools */
    int64_t calendar_id;        /* 0: all calendars of the selection */
    int64_t user_id;            /* user_account running the tool */
    const char *effective_date; /* "YYYY-MM-DD"; NULL: today (local time) */
} sis_toolbar_context;

/*
 * Progress callback. phase is a short static name ("validate", "targets",
 * "count", "write", "commit"); done and total count steps within the run.
 * Return non-zero to cancel: the run then rolls back and returns
 * SIS_E_CANCELLED. Called on the calling thread, inside sis_plugin_run.
 */
typedef int (*sis_progress_fn)(void *user, const char *phase, int64_t done, int64_t total);

/* Counts of a run, the same numbers as the result JSON. The same layout on
 * every platform (since 1.1: reserved makes explicit the padding that 64-bit
 * platforms already had, so i386, where int64_t aligns on 4, matches). */
typedef struct sis_counts {
    uint32_t struct_size; /* sizeof(sis_counts) as the caller knows it */
    uint32_t reserved;    /* padding: always 0; the plugin neither reads nor writes it */
    int64_t updated;      /* preference cells whose bit changed (restored rows for an undo) */
    int64_t unchanged;    /* preference cells that already held the asked value (conflicts for an undo) */
    int64_t persons;      /* distinct target persons */
    int64_t households;   /* distinct households whose phone was in play */
} sis_counts;

/* Smallest struct_size accepted for version 1.0 of each struct. */
#define SIS_TOOLBAR_CONTEXT_SIZE_V1 ((uint32_t)(offsetof(sis_toolbar_context, effective_date) + sizeof(const char *)))
#define SIS_COUNTS_SIZE_V1 ((uint32_t)(offsetof(sis_counts, households) + sizeof(int64_t)))

/*
 * Initialisers with struct_size filled in (since 1.1), for declarations:
 *     sis_toolbar_context ctx = SIS_TOOLBAR_CONTEXT_INIT;
 *     sis_counts counts = SIS_COUNTS_INIT;
 * Every other field starts at 0 (NULL effective_date: today).
 */
#define SIS_TOOLBAR_CONTEXT_INIT {(uint32_t)sizeof(sis_toolbar_context), 0, 0, 0, 0, NULL}
#define SIS_COUNTS_INIT {(uint32_t)sizeof(sis_counts), 0, 0, 0, 0, 0}

/* The plugin's ABI version, (major << 16) | minor. Since 1.0. */
SIS_PLUGIN_API uint32_t sis_plugin_abi_version(void);

/*
 * Static JSON describing the tool: name, version, contract (since 1.2: the
 * contract's major.minor), abi, reasons, devices and modes with labels, and
 * the JSON Schema of the options. Owned by the plugin,
 * valid while the library is loaded. Never NULL. Since 1.0.
 */
SIS_PLUGIN_API const char *sis_plugin_describe(void);

/*
 * Opens a handle on its own ODBC connection (SQLDriverConnect syntax, e.g.
 * "Driver=SQLite3;Database=/srv/sis.db" or "Driver={PostgreSQL Unicode};
 * Server=...;Database=...;Uid=...;Pwd=..."). Creates the plugin's own tables
 * (prefix cpb_) when missing. On success *out receives a handle to release
 * with sis_plugin_close. On failure *out is NULL and, when errbuf is not NULL,
 * the error JSON is copied into errbuf (truncated to errbuf_len - 1 bytes,
 * always NUL-terminated). Since 1.0.
 */
SIS_PLUGIN_API sis_status sis_plugin_open(const char *odbc_connection_string, sis_plugin **out,
                                          char *errbuf, size_t errbuf_len);

/*
 * Opens a handle on a host-owned, already connected ODBC connection (an
 * SQLHDBC). The plugin borrows it for the life of the handle and never
 * disconnects or frees it; the host keeps it open until sis_plugin_close.
 * Each run turns autocommit off, commits or rolls back its own transaction,
 * and restores the connection's autocommit setting: call it with no
 * transaction of the host's open. Otherwise as sis_plugin_open. Since 1.0.
 */
SIS_PLUGIN_API sis_status sis_plugin_open_attached(void *sql_hdbc, sis_plugin **out,
                                                   char *errbuf, size_t errbuf_len);

/*
 * Runs what the options' "action" asks: "apply" (the default; a batch, a dry
 * run, or the apply of a plan), "plan", "plan_rows", "undo" or "resume"
 * (1.1); see docs/INTEGRATION.md. A batch is one transaction unless the
 * options ask for chunks ("chunk_rows", 1.1).
 * - ctx: the toolbar context; must not be NULL, struct_size at least
 *   SIS_TOOLBAR_CONTEXT_SIZE_V1.
 * - options_json/options_len: UTF-8 JSON, exactly options_len bytes (no NUL
 *   needed, none allowed inside).
 * - progress: may be NULL.
 * - counts: may be NULL; struct_size at least SIS_COUNTS_SIZE_V1.
 * - result_json: may be NULL; receives the result JSON on success or the error
 *   JSON on failure. Owned by the handle, valid until the next call on it.
 * On any failure the database is left as it was, except that a chunked
 * apply keeps the chunks it wrote before the failure (the batch stays
 * in_progress; "action": "resume" finishes it). Called from inside the
 * progress callback of a run on the same handle: refused with
 * SIS_E_INVALID_ARGUMENT, nothing run, nothing changed (1.1). Since 1.0.
 */
SIS_PLUGIN_API sis_status sis_plugin_run(sis_plugin *p, const sis_toolbar_context *ctx,
                                         const char *options_json, size_t options_len,
                                         sis_progress_fn progress, void *progress_user,
                                         sis_counts *counts, const char **result_json);

/*
 * The error JSON of the last failed call on p ({"error":null} when none has
 * failed; a fixed error JSON when p is NULL). Owned by the handle, valid until
 * the next call on it. Never NULL. Allowed inside a progress callback of a run
 * on p: it then returns the error of the last failed call before the run.
 * Since 1.0.
 */
SIS_PLUGIN_API const char *sis_plugin_last_error(const sis_plugin *p);

/*
 * Closes the handle (and its own connection). NULL is fine. Called from inside
 * the progress callback of a run on p, it does nothing: the handle stays open
 * and the run goes on (1.1). Called from another thread while a run on p is
 * under way (which the threading rule above forbids), it returns at once and
 * the run closes the handle when it returns. Since 1.0.
 */
SIS_PLUGIN_API void sis_plugin_close(sis_plugin *p);

#ifdef __cplusplus
}
#endif

#endif /* SIS_PLUGIN_H */
