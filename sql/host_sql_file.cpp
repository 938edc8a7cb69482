#include <stdexcept>
#include <string>

#include "engine.hpp"
#include "sql_files.hpp"

namespace cpb {

std::string host_sql_file(std::string_view name, const odbc::Engine& engine) {
  const SqlFile* file = find_sql_file(host_sql_files(), name, engine.name);
  if (!file) throw std::logic_error("missing SQL file sql/" + std::string(name) + ".sql");
  return substitute_variables(std::string(file->text), odbc::dialect_variables(engine));
}

}  // namespace cpb
