#include <algorithm>
#include <string>

#include "sql_files.hpp"

namespace cpb {

const SqlFile* find_sql_file(const std::vector<SqlFile>& files, std::string_view name, std::string_view engine) {
  auto find = [&](std::string_view wanted) -> const SqlFile* {
    const auto found = std::find_if(files.begin(), files.end(), [&](const SqlFile& f) { return f.name == wanted; });
    return found == files.end() ? nullptr : &*found;
  };
  if (!engine.empty()) {
    const size_t cut = name.rfind('/') == std::string_view::npos ? 0 : name.rfind('/') + 1;
    const std::string own = std::string(name.substr(0, cut)) + std::string(engine) + "/" + std::string(name.substr(cut));
    if (const SqlFile* file = find(own)) return file;
  }
  return find(name);
}

}  // namespace cpb
