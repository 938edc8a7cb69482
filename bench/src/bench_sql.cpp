#include "bench_sql.hpp"

#include <stdexcept>

#include "sql_catalog.hpp"

namespace bench {

std::string bench_sql(std::string_view name, const cpb::odbc::Engine& engine, const cpb::Device* device) {
  if (!cpb::find_sql_file(bench_sql_files(), name, engine.name))
    throw std::logic_error("missing SQL file bench/sql/" + std::string(name) + ".sql");
  // The benchmark's files and the plugin's, which are named "plugin/...".
  static const std::vector<cpb::SqlFile> files = [] {
    std::vector<cpb::SqlFile> all = bench_sql_files();
    all.insert(all.end(), cpb::sql_files().begin(), cpb::sql_files().end());
    return all;
  }();
  return cpb::expand_sql(files, name, engine, device);
}

void run_bench_script(cpb::odbc::Connection& db, std::string_view name, const cpb::odbc::Params& params) {
  const std::string text_of_file = bench_sql(name, db.engine());
  const std::string_view text = text_of_file;
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
