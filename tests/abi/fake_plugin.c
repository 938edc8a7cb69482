/* A library that answers the version handshake with another ABI version
 * (FAKE_MAJOR.FAKE_MINOR): a host must refuse it before calling anything else. */
#include <stdint.h>

__attribute__((visibility("default"))) uint32_t sis_plugin_abi_version(void) {
    return ((uint32_t)FAKE_MAJOR << 16) | (uint32_t)FAKE_MINOR;
}
