/* A shared library that is not a plugin: it has no sis_plugin_abi_version. */
int not_a_plugin(void) { return 0; }
