// The .sql files of this folder, embedded into the binaries at build time.
#pragma once
#include <string_view>
#include <vector>

namespace cpb {
struct SqlFile {
  std::string_view name;  // path below sql/ without ".sql", e.g. "schema/sqlite"
  std::string_view text;
};
const std::vector<SqlFile>& sql_files();
// The file `name` of `files`, looked for first in the dialect's own folder
// beside it ("a/b" -> "a/<dialect>/b") when a dialect is given; NULL if none.
const SqlFile* find_sql_file(const std::vector<SqlFile>& files, std::string_view name, std::string_view dialect = {});
// The text of sql/<name>.sql; throws std::logic_error when there is none (a build defect).
std::string_view sql_file(std::string_view name);
}  // namespace cpb
