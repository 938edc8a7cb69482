/* A library that answers the version handshake with another ABI version
 * (FAKE_MAJOR.FAKE_MINOR). A host refuses it before calling anything else when
 * the version does not fit; when it does (a newer minor), the host finds the
 * 1.0 functions, which here refuse every call. */
#include <stddef.h>
#include <stdint.h>

#define FAKE_API __attribute__((visibility("default")))

FAKE_API uint32_t sis_plugin_abi_version(void) { return ((uint32_t)FAKE_MAJOR << 16) | (uint32_t)FAKE_MINOR; }
FAKE_API const char *sis_plugin_describe(void) { return "{}"; }
FAKE_API int sis_plugin_open(const char *c, void **out, char *e, size_t n) {
    (void)c, (void)e, (void)n;
    if (out) *out = NULL;
    return -1;
}
FAKE_API int sis_plugin_open_attached(void *h, void **out, char *e, size_t n) { return sis_plugin_open((const char *)h, out, e, n); }
FAKE_API int sis_plugin_run(void *p, const void *c, const char *o, size_t n, void *f, void *u, void *counts, const char **r) {
    (void)p, (void)c, (void)o, (void)n, (void)f, (void)u, (void)counts;
    if (r) *r = "{}";
    return -1;
}
FAKE_API const char *sis_plugin_last_error(const void *p) {
    (void)p;
    return "{}";
}
FAKE_API void sis_plugin_close(void *p) { (void)p; }
