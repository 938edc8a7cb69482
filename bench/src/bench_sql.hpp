// The benchmark's own SQL (bench/sql/), embedded at build time.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "odbc.hpp"
#include "sql_files.hpp"
#include "vocabulary.hpp"

namespace bench {

// Every file of bench/sql/, named by its path below it without ".sql".
const std::vector<cpb::SqlFile>& bench_sql_files();

// bench/sql/<engine>/<name>.sql when it exists, else bench/sql/<name>.sql, its
// includes expanded as the plugin's are (sql_catalog.hpp): {{fragment}} names
// a file of bench/sql/, {{plugin/fragment}} one of the plugin's sql/plugin/;
// with a device, $table, $key and $row are its table's (one file for both).
std::string bench_sql(std::string_view name, const cpb::odbc::Engine& engine, const cpb::Device* device = nullptr);

// Runs a bench script: its statements end at a ';' that ends a line, so that a
// SQLite trigger body may hold ';' of its own.
void run_bench_script(cpb::odbc::Connection& db, std::string_view name, const cpb::odbc::Params& params = {});

}  // namespace bench
