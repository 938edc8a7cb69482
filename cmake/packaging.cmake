# Debian packages, made by `cpack -G DEB` in the build folder (docs/INTEGRATION.md):
#   contact-prefs-batch      the plugin           /usr/lib/<multiarch>/contact-prefs-batch/
#   contact-prefs-batch-dev  header, CMake package, pkg-config file
#   sis-host-sim             the reference host and its wizard   /usr/bin/sis-host-sim
# Their version is the project's; dependencies on system libraries are
# computed by dpkg-shlibdeps; the ODBC drivers are recommended, since a host
# needs only its own engine's. Each gets the copyright file and the changelog
# of packaging/, and tests/install/package_test.sh checks them with lintian.
set(cpb_packages plugin contact-prefs-batch dev contact-prefs-batch-dev sim sis-host-sim)

# A package's /usr/share/doc/<name>: copyright, and the changelog compressed as
# Debian wants it (gzip -9n: no name or time stamp, so the same bytes every build).
set(cpb_changelog_gz ${CMAKE_CURRENT_BINARY_DIR}/packaging/changelog.gz)
file(MAKE_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}/packaging)
execute_process(COMMAND gzip -9n -c ${PROJECT_SOURCE_DIR}/packaging/changelog
                OUTPUT_FILE ${cpb_changelog_gz} RESULT_VARIABLE gzip_failed)
if(gzip_failed)
  message(FATAL_ERROR "gzip packaging/changelog failed")
endif()
while(cpb_packages)
  list(POP_FRONT cpb_packages component name)
  install(FILES packaging/copyright ${cpb_changelog_gz}
          DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/doc/${name} COMPONENT ${component})
  if(EXISTS ${PROJECT_SOURCE_DIR}/packaging/${name}.lintian-overrides)
    install(FILES packaging/${name}.lintian-overrides DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/lintian/overrides
            RENAME ${name} COMPONENT ${component})
  endif()
  string(TOUPPER ${component} up)
  set(CPACK_DEBIAN_${up}_PACKAGE_NAME ${name})
endwhile()

set(CPACK_PACKAGE_NAME contact-prefs-batch)
set(CPACK_PACKAGE_VENDOR "Contact Preferences Batch maintainers")
set(CPACK_PACKAGE_CONTACT "Contact Preferences Batch maintainers <maintainers@users.noreply.r-seed-604c63ad.example>")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_STRIP_FILES ON)  # the build folder keeps the debug information (the ABI gate reads it)
# The packages install under /usr; install(CODE) rules (the pkg-config file)
# see that prefix rather than the staging folder.
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_INSTALL_PREFIX /usr)
set(CPACK_SET_DESTDIR ON)

set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL plugin dev sim)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # name_version_arch.deb
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_ENABLE_COMPONENT_DEPENDS ON)  # the components' DEPENDS below, at this exact version
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)

set(CPACK_COMPONENT_PLUGIN_DESCRIPTION "student information system plugin: Messenger contact preferences en masse
The plugin a host student information system loads at run time to set
Messenger contact preferences (each contact reason on each phone or e-mail
device: on, off or unchanged) for students, their Messenger contacts or a
census/staff filter, in one transaction over ODBC on SQLite, PostgreSQL or
MariaDB, recorded so that it can be undone.
.
It is installed in /usr/lib/<multiarch>/contact-prefs-batch/; the host loads
it through the C ABI of contact-prefs-batch-dev.")
set(CPACK_DEBIAN_PLUGIN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PLUGIN_PACKAGE_RECOMMENDS "libsqliteodbc, odbc-postgresql, odbc-mariadb")

set(CPACK_COMPONENT_DEV_DESCRIPTION "Contact Preferences Batch plugin - C header and build files for hosts
The C ABI header (sis_plugin.h) a host student information system builds
against to load the Contact Preferences Batch plugin, a CMake package
(find_package(contact_prefs_batch), which gives the plugin's path in
CONTACT_PREFS_BATCH_PLUGIN) and a pkg-config file (contact-prefs-batch).")
set(CPACK_COMPONENT_DEV_DEPENDS plugin)
set(CPACK_DEBIAN_DEV_PACKAGE_SECTION libdevel)

set(CPACK_COMPONENT_SIM_DESCRIPTION "Contact Preferences Batch plugin - reference host and web wizard
sis-host-sim, a host student information system in miniature: it creates and
seeds a demonstration district in SQLite, PostgreSQL or MariaDB, runs the
Contact Preferences Batch plugin on it from the command line (sis-host-sim
demo, run, plan-rows, history) and serves the tool's wizard as a web page
(sis-host-sim serve). It loads the installed plugin by default.")
set(CPACK_COMPONENT_SIM_DEPENDS plugin)
set(CPACK_DEBIAN_SIM_PACKAGE_SECTION misc)
# A file path for --db (and the demo) means an embedded SQLite database, through this driver.
set(CPACK_DEBIAN_SIM_PACKAGE_DEPENDS libsqliteodbc)

include(CPack)
