#include "transaction.hpp"

#include "errors.hpp"
#include "sql_catalog.hpp"

namespace cpb {

namespace {

PluginError host_transaction_open() {
  return PluginError(ErrorCode::host_transaction_open,
                     "the host's connection has a transaction open (on SQLite: is in manual-commit mode); commit or roll "
                     "it back and switch autocommit on before calling the plugin, which never ends a transaction it did "
                     "not start; nothing was changed");
}

}  // namespace

void refuse_host_transaction(odbc::Connection& connection) {
  const odbc::Engine& engine = connection.engine();
  const bool autocommit = connection.autocommit();
  if (!sql_exists("plugin/host_transaction", engine)) {
    // No way to ask (SQLite's driver begins a transaction before any statement
    // in manual-commit mode and says nothing of it): only autocommit is safe.
    // With autocommit on, a BEGIN of the host's own shows when ours fails.
    if (!autocommit) throw host_transaction_open();
    return;
  }
  {
    odbc::Statement st(connection);
    st.execute(sql_query("plugin/host_transaction", engine));
    if (st.fetch() && st.get_int(1).value_or(0) != 0) throw host_transaction_open();
  }
  // Nothing of the host's is pending: end the transaction the probe itself may
  // have begun (PostgreSQL's driver begins one before any statement).
  if (!autocommit) connection.end_transaction(false);
}

namespace {

odbc::Connection& without_host_transaction(odbc::Connection& connection) {
  refuse_host_transaction(connection);
  return connection;
}

odbc::Transaction::Scripts run_scripts(const odbc::Engine& engine, Access access) {
  odbc::Transaction::Scripts s;
  s.begin = sql_text(access == Access::read ? "plugin/begin_read" : "plugin/begin", engine);
  if (engine.transaction == odbc::TransactionControl::sql_statements) {
    s.commit = sql_text("plugin/commit", engine);
    s.rollback = sql_text("plugin/rollback", engine);
  }
  if (sql_exists("plugin/drop_working_tables", engine)) s.before_end = sql_text("plugin/drop_working_tables", engine);
  // Session settings begin.sql changed (own_settings.sql), put back as the host had them.
  if (sql_exists("plugin/restore_settings", engine)) s.after = sql_text("plugin/restore_settings", engine);
  return s;
}

}  // namespace

Transaction::Transaction(odbc::Connection& connection, Access access) try
    : odbc::Transaction(without_host_transaction(connection), run_scripts(connection.engine(), access)) {
} catch (const odbc::Error& e) {
  // SQLite: BEGIN inside a transaction the host began with SQL of its own.
  if (std::string(e.what()).find("within a transaction") != std::string::npos) throw host_transaction_open();
}

}  // namespace cpb
