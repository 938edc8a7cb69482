#include "transaction.hpp"

#include "sql_catalog.hpp"

namespace cpb {

// SQLite keeps autocommit on and is driven by BEGIN IMMEDIATE/COMMIT/ROLLBACK,
// so that the write lock is taken first; PostgreSQL uses ODBC manual commit.
Transaction::Transaction(odbc::Connection& connection) : connection_(connection) {
  autocommit_before_ = connection_.autocommit();
  const bool sqlite = connection_.dialect() == odbc::Dialect::sqlite;
  if (autocommit_before_ != sqlite) connection_.set_autocommit(sqlite);
  open_ = true;
  try {
    connection_.execute_script(sql_text("plugin/begin", connection_.dialect()));
  } catch (...) {
    finish(false);
    throw;
  }
}

void Transaction::finish(bool commit) {
  open_ = false;
  const bool sqlite = connection_.dialect() == odbc::Dialect::sqlite;
  try {
    if (sqlite) connection_.execute_script(sql_text(commit ? "plugin/commit" : "plugin/rollback", connection_.dialect()));
    else connection_.end_transaction(commit);
  } catch (...) {
    if (commit) {  // a failed commit leaves the transaction open: take it back
      try {
        if (sqlite) connection_.execute_script(sql_text("plugin/rollback", connection_.dialect()));
        else connection_.end_transaction(false);
      } catch (...) {
      }
    }
    if (autocommit_before_ != sqlite) {
      try { connection_.set_autocommit(autocommit_before_); } catch (...) {}
    }
    if (commit) throw;
    return;  // a failed rollback leaves nothing to undo: the connection is gone
  }
  if (autocommit_before_ != sqlite) connection_.set_autocommit(autocommit_before_);
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
