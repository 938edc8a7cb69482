// One run's transaction: odbc::Transaction (plugin/odbc/odbc_transaction.hpp) with
// the plugin's scripts, sql/plugin/<engine>/begin.sql, commit.sql,
// rollback.sql and restore_settings.sql. A transaction the host left open on
// its connection (with work of its own in it) is refused, never committed or
// rolled back.
#pragma once

#include "odbc.hpp"
#include "odbc_transaction.hpp"

namespace cpb {

// Throws PluginError (host_transaction_open, errors.hpp) when
// the host left a transaction with uncommitted work open on the connection.
void refuse_host_transaction(odbc::Connection& connection);

class Transaction : public odbc::Transaction {
 public:
  explicit Transaction(odbc::Connection& connection);
};

using odbc::with_autocommit;

}  // namespace cpb
