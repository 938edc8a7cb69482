/* Loads the installed plugin through the path the package config gives and
 * checks the version handshake; exits 0 when the plugin fits this header. */
#include <dlfcn.h>
#include <stdio.h>

#include "sis_plugin.h"

int main(void) {
    void *lib = dlopen(PLUGIN, RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        fprintf(stderr, "%s\n", dlerror());
        return 1;
    }
    uint32_t (*abi_version)(void) = (uint32_t (*)(void))dlsym(lib, "sis_plugin_abi_version");
    const char *(*describe)(void) = (const char *(*)(void))dlsym(lib, "sis_plugin_describe");
    if (!abi_version || !describe) return 1;
    printf("%s: ABI %u.%u\n", PLUGIN, (unsigned)(abi_version() >> 16), (unsigned)(abi_version() & 0xFFFFu));
    return (abi_version() >> 16) == SIS_PLUGIN_ABI_MAJOR && (abi_version() & 0xFFFFu) >= SIS_PLUGIN_ABI_MINOR ? 0 : 1;
}
