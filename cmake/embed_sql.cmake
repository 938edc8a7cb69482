# Script mode: embeds every .sql file below SQL_DIR into OUTPUT as a C++
# table of (name, text), name being the path below SQL_DIR without ".sql".
file(GLOB_RECURSE files RELATIVE "${SQL_DIR}" "${SQL_DIR}/*.sql")
list(SORT files)
set(body "// Generated from sql/ at build time. Do not edit.\n#include \"sql_files.hpp\"\n\nnamespace cpb {\nconst std::vector<SqlFile>& sql_files() {\n  static const std::vector<SqlFile> files = {\n")
foreach(f IN LISTS files)
  file(READ "${SQL_DIR}/${f}" text)
  string(REGEX REPLACE "\\.sql$" "" name "${f}")
  string(APPEND body "    {\"${name}\", R\"cpbsql(${text})cpbsql\"},\n")
endforeach()
string(APPEND body "  };\n  return files;\n}\n}  // namespace cpb\n")
file(WRITE "${OUTPUT}.tmp" "${body}")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
