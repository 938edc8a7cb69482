#include <algorithm>
#include <stdexcept>
#include <string>

#include "sql_files.hpp"

namespace cpb {

std::string_view sql_file(std::string_view name) {
  const auto& files = sql_files();
  const auto found = std::find_if(files.begin(), files.end(), [&](const SqlFile& f) { return f.name == name; });
  if (found == files.end()) throw std::logic_error("missing SQL file sql/" + std::string(name) + ".sql");
  return found->text;
}

}  // namespace cpb
