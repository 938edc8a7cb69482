#include <stdexcept>
#include <string>

#include "sql_files.hpp"

namespace cpb {

std::string_view host_sql_file(std::string_view name, std::string_view engine) {
  const SqlFile* file = find_sql_file(host_sql_files(), name, engine);
  if (!file) throw std::logic_error("missing SQL file sql/" + std::string(name) + ".sql");
  return file->text;
}

}  // namespace cpb
