#include "odbc_transaction.hpp"

namespace cpb::odbc {

// SQL control (SQLite): autocommit stays on and the scripts drive the
// transaction (the plugin's BEGIN IMMEDIATE takes the write lock first). ODBC
// manual commit (PostgreSQL, MariaDB): autocommit off, begin runs first.
Transaction::Transaction(Connection& connection, Scripts scripts)
    : connection_(connection),
      scripts_(std::move(scripts)),
      sql_control_(connection.engine().transaction == TransactionControl::sql_statements) {
  if (sql_control_) {
    if (scripts_.begin.empty()) scripts_.begin = "BEGIN";
    if (scripts_.commit.empty()) scripts_.commit = "COMMIT";
    if (scripts_.rollback.empty()) scripts_.rollback = "ROLLBACK";
  }
  autocommit_before_ = connection_.autocommit();
  if (autocommit_before_ != sql_control_) connection_.set_autocommit(sql_control_);
  open_ = true;
  try {
    // SQLite's BEGIN IMMEDIATE waits for another writer within the call's budget.
    if (!scripts_.begin.empty()) connection_.retrying_while_locked([&] { connection_.execute_script(scripts_.begin); });
  } catch (const Error&) {
    if (!sql_control_) {
      finish(false);
      throw;
    }
    // A failed BEGIN started nothing: there is nothing of ours to roll back,
    // and a ROLLBACK here would end a transaction begun by someone else.
    open_ = false;
    if (autocommit_before_ != sql_control_) {
      try { connection_.set_autocommit(autocommit_before_); } catch (...) {}
    }
    throw;
  } catch (...) {
    finish(false);
    throw;
  }
}

void Transaction::end(bool commit) {
  if (!scripts_.before_end.empty()) {
    if (commit) {
      connection_.execute_script(scripts_.before_end);
    } else {
      try { connection_.execute_script(scripts_.before_end); } catch (const Error&) {}
    }
  }
  if (sql_control_ && commit) connection_.retrying_while_locked([&] { connection_.execute_script(scripts_.commit); });
  else if (sql_control_) connection_.execute_script(scripts_.rollback);
  else connection_.end_transaction(commit);
  if (!scripts_.after.empty()) connection_.execute_script(scripts_.after);
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

}  // namespace cpb::odbc
