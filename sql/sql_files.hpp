// The .sql files of this folder, embedded into the binaries at build time in
// two tables: the plugin's own statements, and the host's (schema, seed,
// simulator queries), which the plugin does not carry.
#pragma once
#include <string_view>
#include <vector>

namespace cpb {
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
// The text of the host's sql/<name>.sql (engine folder first when given);
// throws std::logic_error when there is none (a build defect).
std::string_view host_sql_file(std::string_view name, std::string_view engine = {});
}  // namespace cpb
