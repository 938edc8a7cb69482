# The install rules, in three components that are the three Debian packages
# (cmake/packaging.cmake):
# - plugin: the module, in its own folder below LIBDIR (CPB_PLUGIN_INSTALL_DIR);
#   its SQL is embedded in it (sql/CMakeLists.txt), so nothing else is read at run time;
# - dev: the C header, the CMake package (find_package(contact_prefs_batch)) and
#   the pkg-config file (contact-prefs-batch.pc), both giving the plugin's path;
# - sim: sis-host-sim, the reference host with its wizard (embedded too).
include(CMakePackageConfigHelpers)
set(cpb_cmake_dir ${CMAKE_INSTALL_LIBDIR}/cmake/contact_prefs_batch)

install(TARGETS contact_prefs_batch LIBRARY DESTINATION ${CPB_PLUGIN_INSTALL_DIR} COMPONENT plugin)
install(TARGETS sis-host-sim RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT sim)

install(TARGETS sis_plugin_abi EXPORT contact_prefs_batch_targets COMPONENT dev)
install(FILES abi/include/sis_plugin.h DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT dev)
install(EXPORT contact_prefs_batch_targets NAMESPACE cpb:: DESTINATION ${cpb_cmake_dir} COMPONENT dev)
configure_package_config_file(cmake/contact_prefs_batchConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/contact_prefs_batchConfig.cmake
  INSTALL_DESTINATION ${cpb_cmake_dir}
  PATH_VARS CPB_PLUGIN_INSTALL_DIR)
# A host built for 1.x needs a plugin of 1.x or later (CONTRACT 9.5), as find_package asks.
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/contact_prefs_batchConfigVersion.cmake
  COMPATIBILITY SameMajorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/contact_prefs_batchConfig.cmake
              ${CMAKE_CURRENT_BINARY_DIR}/contact_prefs_batchConfigVersion.cmake
        DESTINATION ${cpb_cmake_dir} COMPONENT dev)

# pkg-config wants absolute paths: the file is written when it is installed,
# with the prefix of that install (cmake --install --prefix, or /usr for the packages).
set(CPB_PC_PREFIX "@prefix@")  # filled in at install time
configure_file(cmake/contact-prefs-batch.pc.in ${CMAKE_CURRENT_BINARY_DIR}/contact-prefs-batch.pc.in @ONLY)
install(CODE "
  file(READ \"${CMAKE_CURRENT_BINARY_DIR}/contact-prefs-batch.pc.in\" pc)
  string(REPLACE \"@prefix@\" \"\${CMAKE_INSTALL_PREFIX}\" pc \"\${pc}\")
  file(WRITE \"${CMAKE_CURRENT_BINARY_DIR}/contact-prefs-batch.pc\" \"\${pc}\")
" COMPONENT dev)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/contact-prefs-batch.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig COMPONENT dev)
