// One run's transaction: odbc::Transaction (plugin/odbc/odbc_transaction.hpp) with
// the plugin's scripts, sql/plugin/<engine>/begin.sql (begin_read.sql for a run
// that only reads), commit.sql, rollback.sql and restore_settings.sql. A transaction the host left open on
// its connection (with work of its own in it) is refused, never committed or
// rolled back.
#pragma once

#include "odbc.hpp"
#include "odbc_transaction.hpp"

namespace cpb {

// Throws PluginError (host_transaction_open, errors.hpp) when
// the host left a transaction with uncommitted work open on the connection.
void refuse_host_transaction(odbc::Connection& connection);

// What a run does: writes (a batch, an undo, a plan: the batch lock, and on
// MariaDB locking reads), or only reads (a plan's pages: a snapshot, no lock,
// so that a page neither waits for a running batch nor holds the host rows it
// lists against a parent saving in the portal).
enum class Access { write, read };

class Transaction : public odbc::Transaction {
 public:
  explicit Transaction(odbc::Connection& connection, Access access = Access::write);
};

using odbc::with_autocommit;

}  // namespace cpb
