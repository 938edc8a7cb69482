/* A host built against the version 1.0 header (sis_plugin_1_0.h, kept as it
 * shipped) loads today's plugin the way CONTRACT 9.5 says: the same major, a
 * minor at least its own. It then runs two 1.0 batches on an SQLite database
 * and reads their counts: a newer plugin runs every 1.0 call unchanged.
 *
 * Usage: host_1_0 PLUGIN.so DATABASE   (the database holds a seeded district)
 * Exits 0 when everything holds, else prints what failed and exits 1. */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include "sis_plugin_1_0.h"

typedef uint32_t (*abi_version_fn)(void);
typedef sis_status (*open_fn)(const char *, sis_plugin **, char *, size_t);
typedef sis_status (*run_fn)(sis_plugin *, const sis_toolbar_context *, const char *, size_t, sis_progress_fn, void *,
                             sis_counts *, const char **);
typedef void (*close_fn)(sis_plugin *);

static int failed(const char *what, const char *detail) {
    fprintf(stderr, "host 1.0: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
    return 1;
}

/* A function from dlsym without ISO C's object-to-function pointer cast. */
static void symbol(void *lib, const char *name, void *fn, size_t fn_size) {
    void *found = dlsym(lib, name);
    memcpy(fn, &found, fn_size);
}

static int count_phases(void *user, const char *phase, int64_t done, int64_t total) {
    (void)phase;
    (void)done;
    (void)total;
    ++*(int *)user;
    return 0;
}

int main(int argc, char **argv) {
    void *lib;
    abi_version_fn abi_version;
    open_fn open_plugin;
    run_fn run;
    close_fn close_plugin;
    uint32_t v;
    uint32_t host_minor = SIS_PLUGIN_ABI_MINOR; /* a variable: with 0, "minor < 0" would be a constant warning */
    char connection[1024];
    char err[1024];
    sis_plugin *p = NULL;
    sis_toolbar_context ctx;
    sis_counts first, second;
    const char *result = NULL;
    const char *options = "{\"mode\":\"students\",\"preferences\":{\"attendance\":\"on\"}}";
    int phases = 0;

    if (argc != 3) return failed("usage: host_1_0 PLUGIN.so DATABASE", NULL);
    lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (!lib) return failed("cannot load the plugin", dlerror());
    symbol(lib, "sis_plugin_abi_version", &abi_version, sizeof abi_version);
    symbol(lib, "sis_plugin_open", &open_plugin, sizeof open_plugin);
    symbol(lib, "sis_plugin_run", &run, sizeof run);
    symbol(lib, "sis_plugin_close", &close_plugin, sizeof close_plugin);
    if (!abi_version || !open_plugin || !run || !close_plugin) return failed("a 1.0 function is missing", NULL);

    v = abi_version();
    printf("host ABI %d.%d, plugin ABI %u.%u\n", SIS_PLUGIN_ABI_MAJOR, SIS_PLUGIN_ABI_MINOR, (unsigned)(v >> 16), (unsigned)(v & 0xFFFFu));
    if ((v >> 16) != SIS_PLUGIN_ABI_MAJOR || (v & 0xFFFFu) < host_minor) return failed("the handshake refuses the plugin", NULL);
    if ((v & 0xFFFFu) <= host_minor) return failed("the plugin is not newer than this 1.0 host: nothing is proven", NULL);

    snprintf(connection, sizeof connection, "Driver=SQLite3;Database=%s;Timeout=120000", argv[2]);
    if (open_plugin(connection, &p, err, sizeof err) != SIS_OK) return failed("open", err);

    memset(&ctx, 0, sizeof ctx);
    ctx.struct_size = sizeof ctx; /* the 1.0 size */
    ctx.end_year = 2027;
    ctx.user_id = 1;
    ctx.effective_date = "2026-10-01";
    memset(&first, 0, sizeof first);
    first.struct_size = sizeof first;
    second = first;

    if (run(p, &ctx, options, strlen(options), count_phases, &phases, &first, &result) != SIS_OK) return failed("first run", result);
    if (!result || !strstr(result, "\"batch_id\":")) return failed("the first result has no batch_id", result);
    if (first.updated <= 0 || first.persons <= 0) return failed("the first run's counts are empty", result);
    if (phases < 1) return failed("the progress callback was not called", NULL);
    /* The same batch again: every cell already holds the bit. */
    if (run(p, &ctx, options, strlen(options), NULL, NULL, &second, &result) != SIS_OK) return failed("second run", result);
    if (second.updated != 0 || second.unchanged != first.updated + first.unchanged || second.persons != first.persons)
        return failed("the second run's counts do not follow from the first's", result);
    printf("first: updated %lld, unchanged %lld, persons %lld, households %lld; second: updated %lld, unchanged %lld\n",
           (long long)first.updated, (long long)first.unchanged, (long long)first.persons, (long long)first.households,
           (long long)second.updated, (long long)second.unchanged);
    close_plugin(p);
#if !defined(__SANITIZE_ADDRESS__)
    /* Under AddressSanitizer the library stays loaded until exit: unloading it
       would unmap the ODBC driver manager's globals, and LeakSanitizer would
       then report the process-lifetime blocks they point to as leaks. */
    dlclose(lib);
#endif
    return 0;
}
