# The release's version is project(VERSION) in the top-level CMakeLists.txt and
# nowhere else by choice; the places that must spell it out again are checked
# against it here:
# - abi/include/sis_plugin.h: SIS_PLUGIN_ABI_MAJOR.SIS_PLUGIN_ABI_MINOR equal
#   the project's major.minor (the ABI, the contract and the release move
#   together; the patch number is for fixes that change no behaviour);
# - packaging/changelog (the packages' Debian changelog): its newest entry;
# - docs/CHANGES.md: its newest "## X.Y.Z" section;
# - optionally, describe's JSON of the built plugin: "version" equal to the
#   project's, "contract" and "abi" equal to its major.minor.
#
# Included by the top-level CMakeLists.txt (configure fails on drift), and run
# as a script by the tests:
#   cmake -DVERSION=1.2.0 -DHEADER=... -DCHANGELOG=... -DCHANGES=... [-DDESCRIBE_JSON=file] -P check_version.cmake
function(cpb_check_version version header changelog changes describe_json)
  set(problems)
  string(REGEX MATCH "^([0-9]+)\\.([0-9]+)\\.([0-9]+)$" parsed "${version}")
  if(NOT parsed)
    message(FATAL_ERROR "the project version '${version}' is not MAJOR.MINOR.PATCH")
  endif()
  set(major ${CMAKE_MATCH_1})
  set(minor ${CMAKE_MATCH_2})

  file(READ "${header}" text)
  foreach(part MAJOR MINOR)
    string(REGEX MATCH "#define SIS_PLUGIN_ABI_${part} ([0-9]+)" found "${text}")
    string(TOLOWER ${part} want_var)
    if(NOT found)
      list(APPEND problems "${header} defines no SIS_PLUGIN_ABI_${part}")
    elseif(NOT CMAKE_MATCH_1 STREQUAL ${want_var})
      list(APPEND problems "${header}: SIS_PLUGIN_ABI_${part} is ${CMAKE_MATCH_1}, the project version ${version} says ${${want_var}}")
    endif()
  endforeach()

  file(STRINGS "${changelog}" first LIMIT_COUNT 1)
  string(REGEX MATCH "^[a-z0-9.+-]+ \\(([^)]*)\\)" found "${first}")
  if(NOT found OR NOT CMAKE_MATCH_1 STREQUAL version)
    list(APPEND problems "${changelog}: the newest entry is '${first}', not version ${version}")
  endif()

  file(STRINGS "${changes}" headings REGEX "^## [0-9]")
  list(GET headings 0 newest)
  string(REPLACE "." "\\." version_regex "${version}")
  if(NOT newest MATCHES "^## ${version_regex}( |$)")
    list(APPEND problems "${changes}: the newest section is '${newest}', not '## ${version}'")
  endif()

  if(describe_json)
    file(READ "${describe_json}" describe)
    string(JSON got_version ERROR_VARIABLE err GET "${describe}" version)
    if(err OR NOT got_version STREQUAL version)
      list(APPEND problems "describe's \"version\" is '${got_version}', not ${version}")
    endif()
    string(JSON got_contract ERROR_VARIABLE err GET "${describe}" contract)
    if(err OR NOT got_contract STREQUAL "${major}.${minor}")
      list(APPEND problems "describe's \"contract\" is '${got_contract}', not ${major}.${minor}")
    endif()
    string(JSON got_major ERROR_VARIABLE err GET "${describe}" abi major)
    string(JSON got_minor ERROR_VARIABLE err2 GET "${describe}" abi minor)
    if(err OR err2 OR NOT got_major STREQUAL major OR NOT got_minor STREQUAL minor)
      list(APPEND problems "describe's \"abi\" is ${got_major}.${got_minor}, not ${major}.${minor}")
    endif()
  endif()

  if(problems)
    list(JOIN problems "\n  " lines)
    message(FATAL_ERROR "version drift: the project is version ${version} (top-level CMakeLists.txt), but\n  ${lines}")
  endif()
endfunction()

if(CMAKE_SCRIPT_MODE_FILE STREQUAL CMAKE_CURRENT_LIST_FILE)
  cpb_check_version("${VERSION}" "${HEADER}" "${CHANGELOG}" "${CHANGES}" "${DESCRIBE_JSON}")
  message(STATUS "version ${VERSION}: the header, the changelog, CHANGES.md and describe (when given) agree")
endif()
