#include "transaction.hpp"

#include "errors.hpp"
#include "sql_catalog.hpp"

namespace cpb {

namespace {

PluginError host_transaction_open() {
  return PluginError(SIS_E_INVALID_ARGUMENT, "host_transaction_open",
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

// SQL control (SQLite): autocommit stays on and begin/commit/rollback.sql drive
// the transaction, so that BEGIN IMMEDIATE takes the write lock first. ODBC
// manual commit (PostgreSQL, MariaDB): autocommit off, begin.sql runs first.
Transaction::Transaction(odbc::Connection& connection)
    : connection_(connection), sql_control_(connection.engine().transaction == odbc::TransactionControl::sql_statements) {
  refuse_host_transaction(connection_);
  autocommit_before_ = connection_.autocommit();
  if (autocommit_before_ != sql_control_) connection_.set_autocommit(sql_control_);
  open_ = true;
  try {
    // SQLite's BEGIN IMMEDIATE waits for another writer within the call's budget.
    connection_.retrying_while_locked([&] { connection_.execute_script(sql_text("plugin/begin", connection_.engine())); });
  } catch (const odbc::Error& e) {
    if (!sql_control_) {
      finish(false);
      throw;
    }
    // A failed BEGIN started nothing: there is nothing of ours to roll back,
    // and a ROLLBACK here would end the host's transaction.
    open_ = false;
    if (autocommit_before_ != sql_control_) {
      try { connection_.set_autocommit(autocommit_before_); } catch (...) {}
    }
    // SQLite: BEGIN inside a transaction the host began with SQL of its own.
    if (std::string(e.what()).find("within a transaction") != std::string::npos) throw host_transaction_open();
    throw;
  } catch (...) {
    finish(false);
    throw;
  }
}

void Transaction::end(bool commit) {
  const odbc::Engine& engine = connection_.engine();
  if (sql_control_ && commit) connection_.retrying_while_locked([&] { connection_.execute_script(sql_text("plugin/commit", engine)); });
  else if (sql_control_) connection_.execute_script(sql_text("plugin/rollback", engine));
  else connection_.end_transaction(commit);
  // Session settings begin.sql changed (own_settings.sql), put back as the host had them.
  if (sql_exists("plugin/restore_settings", engine)) connection_.execute_script(sql_text("plugin/restore_settings", engine));
}

void Transaction::finish(bool commit) {
  open_ = false;
  try {
    end(commit);
  } catch (...) {
    if (commit) {  // a failed commit leaves the transaction open: take it back
      try { end(false); } catch (...) {}
    }
    if (autocommit_before_ != sql_control_) {
      try { connection_.set_autocommit(autocommit_before_); } catch (...) {}
    }
    if (commit) throw;
    return;  // a failed rollback leaves nothing to undo: the connection is gone
  }
  if (autocommit_before_ != sql_control_) connection_.set_autocommit(autocommit_before_);
}

void Transaction::commit() { finish(true); }

Transaction::~Transaction() {
  if (!open_) return;
  try {
    finish(false);
  } catch (...) {
  }
}

}  // namespace cpb
