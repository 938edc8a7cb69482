// The template expander of the plugin's SQL (sql_catalog.hpp): engine
// overrides, fragments with a device or an alias, the each_device/each_reason
// lists, variables, and the defects it reports.
#include <gtest/gtest.h>

#include <cctype>
#include <stdexcept>

#include "engine.hpp"
#include "sql_catalog.hpp"

namespace {

using cpb::expand_sql;
using cpb::SqlFile;

const cpb::odbc::Engine& engine(std::string_view name) {
  for (const auto& e : cpb::odbc::engines())
    if (e.name == name) return e;
  throw std::logic_error("no engine " + std::string(name));
}

const std::vector<SqlFile> kFiles = {
    {"plugin/statement", "A {{fragment}} B"},
    {"plugin/fragment", "standard"},
    {"plugin/mariadb/fragment", "mariadb's"},
    {"plugin/device", "{{cell:cell_phone}} | {{cell:household_phone}} | {{cell:x}}"},
    {"plugin/cell", "$device $value $mask $mask_column $table $row"},
    {"plugin/lists", "{{each_device:household:column}} / {{each_device:contact:short}} / {{each_reason:reason: OR}}"},
    {"plugin/column", "$device_state INTEGER"},
    {"plugin/short", "$device"},
    {"plugin/reason", "$reason=$bit"},
    {"plugin/unclosed", "A {{fragment"},
    {"plugin/missing", "A {{nowhere}}"},
    {"plugin/loop", "{{loop}}"},
    {"plugin/no_fragment", "{{each_reason}}"},
    {"plugin/ddl", "CREATE TABLE t (k $key_integer PRIMARY KEY, d $date_type, s $timestamp_type, n $keyed_text)$own_table_options;\n"
                   "$create_temp_table w (k $key_integer{{key_of:k}})$temp_table_options"},
    {"plugin/key_of", ", PRIMARY KEY ($row)"},
    {"plugin/postgresql/key_of", "-- none"},
};

TEST(SqlTemplate, AnEnginesOwnFileReplacesTheStandardOne) {
  EXPECT_EQ(expand_sql(kFiles, "plugin/statement", engine("sqlite")), "A standard B");
  EXPECT_EQ(expand_sql(kFiles, "plugin/statement", engine("postgresql")), "A standard B");
  EXPECT_EQ(expand_sql(kFiles, "plugin/statement", engine("mariadb")), "A mariadb's B");
}

TEST(SqlTemplate, AFragmentForADeviceGetsItsColumnsAndTableAliasOtherwiseTheAlias) {
  EXPECT_EQ(expand_sql(kFiles, "plugin/device", engine("sqlite")),
            "cell_phone c.cell_phone c.cell_phone_messenger cell_phone_messenger contact c | "
            "household_phone h.phone h.phone_messenger phone_messenger household h | "
            "$device $value $mask $mask_column $table x");
}

TEST(SqlTemplate, AStatementExpandedForADeviceSeesItsVariables) {
  const cpb::Device& email = cpb::kDevices[cpb::device_index("email")];
  EXPECT_EQ(expand_sql(kFiles, "plugin/cell", engine("sqlite"), &email),
            "email c.email c.email_messenger email_messenger contact c");
}

TEST(SqlTemplate, EachDeviceAndEachReasonRepeatTheFragmentJoinedByTheSeparator) {
  std::string contact, reasons;
  for (const cpb::Device& d : cpb::kDevices)
    if (d.table == "contact") contact += (contact.empty() ? "" : ",\n") + std::string(d.name);
  for (const cpb::Reason& r : cpb::kReasons)
    reasons += (reasons.empty() ? "" : " OR\n") + std::string(r.name) + "=" + std::to_string(r.bit);
  EXPECT_EQ(expand_sql(kFiles, "plugin/lists", engine("postgresql")),
            "household_phone_state INTEGER / " + contact + " / " + reasons);
}

// The words the engines' DDL differs by are the dialect of the engine manifest,
// substituted in the statement and in its fragments alike.
TEST(SqlTemplate, TheDialectOfTheEngineFillsItsVariables) {
  for (const auto& e : cpb::odbc::engines()) {
    const cpb::odbc::Dialect& d = e.dialect;
    const std::string key = e.name == "postgresql" ? "-- none" : ", PRIMARY KEY (k)";
    EXPECT_EQ(expand_sql(kFiles, "plugin/ddl", e),
              "CREATE TABLE t (k " + std::string(d.key_integer) + " PRIMARY KEY, d " + std::string(d.date_type) + ", s " +
                  std::string(d.timestamp_type) + ", n " + std::string(d.keyed_text) + ")" + std::string(d.own_table_options) +
                  ";\n" + std::string(d.create_temp_table) + " w (k " + std::string(d.key_integer) + key + ")" +
                  std::string(d.temp_table_options))
        << e.name;
  }
  // What differs, as the engines need it (a SQLite INTEGER key is the rowid;
  // MariaDB indexes no whole TEXT, and its plugin tables are utf8mb4).
  EXPECT_EQ(expand_sql(kFiles, "plugin/ddl", engine("sqlite")),
            "CREATE TABLE t (k INTEGER PRIMARY KEY, d TEXT, s TEXT, n TEXT);\nCREATE TEMP TABLE w (k INTEGER, PRIMARY KEY (k))");
  EXPECT_EQ(expand_sql(kFiles, "plugin/ddl", engine("postgresql")),
            "CREATE TABLE t (k BIGINT PRIMARY KEY, d DATE, s TIMESTAMP, n TEXT);\n"
            "CREATE TEMP TABLE w (k BIGINT-- none) ON COMMIT DELETE ROWS");
  EXPECT_EQ(expand_sql(kFiles, "plugin/ddl", engine("mariadb")),
            "CREATE TABLE t (k BIGINT PRIMARY KEY, d DATE, s DATETIME, n VARCHAR(700)) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 "
            "COLLATE = utf8mb4_bin;\nCREATE TEMPORARY TABLE w (k BIGINT, PRIMARY KEY (k)) ENGINE = InnoDB DEFAULT CHARSET = "
            "utf8mb4 COLLATE = utf8mb4_bin");
}

// The shared DDL and the host's files leave no $ word unfilled on any engine
// (a variable the dialect lacks, or a misspelt one, would stay in the text).
TEST(SqlTemplate, TheSharedDdlAndTheHostsFilesLeaveNoVariableOnAnyEngine) {
  const auto unfilled = [](const std::string& text) {
    for (size_t at = text.find('$'); at != std::string::npos; at = text.find('$', at + 1))
      if (at + 1 < text.size() && (std::isalpha(static_cast<unsigned char>(text[at + 1])) || text[at + 1] == '_'))
        return text.substr(at, text.find_first_of(" ,;)\n", at) - at);
    return std::string();
  };
  for (const auto& e : cpb::odbc::engines())
    for (const char* name : {"plugin/own_tables", "plugin/temp_tables"})
      EXPECT_EQ(unfilled(cpb::sql_text(name, e)), "") << name << " on " << e.name;
  // Each host file on every engine, an engine's own file (host/mariadb/session)
  // through its standard name on that engine.
  for (const SqlFile& f : cpb::host_sql_files()) {
    std::string name(f.name);
    const cpb::odbc::Engine* only = nullptr;
    for (const auto& o : cpb::odbc::engines()) {
      const std::string folder = "/" + std::string(o.name) + "/";
      if (const size_t at = name.find(folder); at != std::string::npos) {
        name.erase(at, folder.size() - 1);
        only = &o;
      }
    }
    for (const auto& e : cpb::odbc::engines())
      if (!only || only == &e) {
        EXPECT_EQ(unfilled(cpb::host_sql_file(name, e)), "") << f.name << " on " << e.name;
      }
  }
}

TEST(SqlTemplate, DefectsOfTheTemplatesAreReportedWithTheFile) {
  for (const char* name : {"plugin/unclosed", "plugin/missing", "plugin/loop", "plugin/no_fragment", "plugin/absent"}) {
    try {
      expand_sql(kFiles, name, engine("sqlite"));
      ADD_FAILURE() << name << " expanded";
    } catch (const std::logic_error& e) {
      EXPECT_NE(std::string(e.what()), "") << name;
    }
  }
  try {
    expand_sql(kFiles, "plugin/unclosed", engine("sqlite"));
  } catch (const std::logic_error& e) {
    EXPECT_NE(std::string(e.what()).find("sql/plugin/unclosed.sql"), std::string::npos) << e.what();
  }
  try {
    expand_sql(kFiles, "plugin/missing", engine("sqlite"));
  } catch (const std::logic_error& e) {
    EXPECT_NE(std::string(e.what()).find("sql/plugin/nowhere.sql"), std::string::npos) << e.what();
  }
}

// Every embedded statement and fragment expands on every engine: no include
// names a missing file, none is unclosed.
TEST(SqlTemplate, EveryEmbeddedFileExpandsOnEveryEngine) {
  for (const auto& e : cpb::odbc::engines()) {
    for (const SqlFile& f : cpb::sql_files()) {
      const std::string_view name = f.name;
      bool other_engine = false;
      for (const auto& o : cpb::odbc::engines())
        other_engine = other_engine || name.find("/" + std::string(o.name) + "/") != std::string_view::npos;
      if (other_engine) continue;  // an engine's own file is found through its standard name
      EXPECT_NO_THROW(cpb::sql_text(name, e)) << name << " on " << e.name;
    }
  }
}

}  // namespace
