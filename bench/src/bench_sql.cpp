#include "bench_sql.hpp"

#include <stdexcept>

namespace bench {

std::string_view bench_sql(std::string_view name, const cpb::odbc::Engine& engine) {
  const cpb::SqlFile* file = cpb::find_sql_file(bench_sql_files(), name, engine.name);
  if (!file) throw std::logic_error("missing SQL file bench/sql/" + std::string(name) + ".sql");
  return file->text;
}

void run_bench_script(cpb::odbc::Connection& db, std::string_view name, const cpb::odbc::Params& params) {
  const std::string_view text = bench_sql(name, db.engine());
  std::string statement;
  size_t at = 0;
  while (at < text.size()) {
    size_t end = text.find('\n', at);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(at, end - at);
    at = end + 1;
    const size_t last = line.find_last_not_of(" \t\r");
    if (last != std::string_view::npos && line[last] == ';') {
      statement.append(line.substr(0, last));
      db.execute(statement, params);
      statement.clear();
    } else {
      statement.append(line).append("\n");
    }
  }
  // What follows the last ';' runs too, unless it is only comments.
  if (cpb::odbc::Query::parse(statement).sql.find_first_not_of(" \t\r\n") != std::string::npos) db.execute(statement, params);
}

}  // namespace bench
