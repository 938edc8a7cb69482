// The .sql files of this folder, embedded into the binaries at build time in
// two tables: the plugin's own statements, and the host's (schema, seed,
// simulator queries), which the plugin does not carry.
#pragma once
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cpb {
namespace odbc {
struct Engine;
}
struct SqlFile {
  std::string_view name;  // path below sql/ without ".sql", e.g. "plugin/check_user"
  std::string_view text;
};
// sql/plugin/** (library cpb_sql).
const std::vector<SqlFile>& sql_files();
// sql/schema/**, sql/seed/**, sql/host/** (library cpb_host_sql).
const std::vector<SqlFile>& host_sql_files();
// The file `name` of `files`, looked for first in the engine's own folder
// beside it ("a/b" -> "a/<engine>/b") when an engine is given; NULL if none.
const SqlFile* find_sql_file(const std::vector<SqlFile>& files, std::string_view name, std::string_view engine = {});
// `text` with each $name of `variables` replaced by its value, the longest
// names first so that no name replaces the start of a longer one.
std::string substitute_variables(std::string text, std::vector<std::pair<std::string, std::string>> variables);
// The text of the host's sql/<name>.sql (the engine's folder first) with the
// engine's dialect variables ($key_integer, ...: odbc::dialect_variables)
// substituted; throws std::logic_error when there is none (a build defect).
std::string host_sql_file(std::string_view name, const odbc::Engine& engine);
}  // namespace cpb
