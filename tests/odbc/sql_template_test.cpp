// The template expander of the plugin's SQL (sql_catalog.hpp): engine
// overrides, fragments with a device or an alias, the each_device/each_reason
// lists, variables, and the defects it reports.
#include <gtest/gtest.h>

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
