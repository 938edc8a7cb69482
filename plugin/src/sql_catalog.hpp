// The plugin's SQL, read from sql/ files embedded at build time.
//
// A name like "plugin/check_user" finds sql/plugin/<engine>/check_user.sql
// first, then sql/plugin/check_user.sql. Inside a file:
//   {{fragment}}        includes sql/plugin/fragment.sql with the same variables;
//   {{fragment:device}} includes it for a device of kDevices: $device is its JSON
//                       name, $value and $mask its columns, $row its table alias
//                       ("c" for contact, "h" for household);
//   {{fragment:alias}}  includes it with $row set to alias;
//   $key_integer, $timestamp_type, $own_table_options, ...: the words of the
//                       engine's dialect (odbc::Dialect, dialect_variables),
//                       in every file.
#pragma once

#include <string>
#include <string_view>

#include <vector>

#include "odbc.hpp"
#include "sql_files.hpp"
#include "vocabulary.hpp"

namespace cpb {

// Throws std::logic_error when the file does not exist (a build defect).
std::string sql_text(std::string_view name, const odbc::Engine& engine, const Device* device = nullptr);
// Whether the engine has the optional hook `name` ("plugin/analyze_stage");
// throws std::logic_error for a name that is no hook of odbc::sql_hooks().
bool sql_exists(std::string_view name, const odbc::Engine& engine);
// sql_text over the files given instead of the embedded ones (tests of the expander).
std::string expand_sql(const std::vector<SqlFile>& files, std::string_view name, const odbc::Engine& engine,
                       const Device* device = nullptr);

inline odbc::Query sql_query(std::string_view name, const odbc::Engine& engine, const Device* device = nullptr) {
  return odbc::Query::parse(sql_text(name, engine, device));
}

}  // namespace cpb
