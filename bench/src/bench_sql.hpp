// The benchmark's own SQL (bench/sql/), embedded at build time.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "odbc.hpp"

namespace bench {

struct SqlText {
  std::string_view name;  // path below bench/sql/ without ".sql"
  std::string_view text;
};
const std::vector<SqlText>& bench_sql_files();

// bench/sql/<dialect>/<name>.sql when it exists, else bench/sql/<name>.sql.
std::string_view bench_sql(std::string_view name, cpb::odbc::Dialect dialect);

// Runs a bench script: its statements end at a ';' that ends a line, so that a
// SQLite trigger body may hold ';' of its own.
void run_bench_script(cpb::odbc::Connection& db, std::string_view name, const cpb::odbc::Params& params = {});

}  // namespace bench
