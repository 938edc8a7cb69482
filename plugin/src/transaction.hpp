// One run's transaction, started and ended as the engine's descriptor says
// (plugin/odbc/engine.hpp): begun with sql/plugin/<engine>/begin.sql, rolled
// back by the destructor unless committed. The connection's autocommit setting
// is restored either way. A transaction the host left open on its connection
// (with work of its own in it) is refused, never committed or rolled back.
#pragma once

#include "odbc.hpp"

namespace cpb {

class Transaction {
 public:
  explicit Transaction(odbc::Connection& connection);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  void finish(bool commit);
  void end(bool commit);
  odbc::Connection& connection_;
  bool sql_control_ = false;
  bool autocommit_before_ = true;
  bool open_ = false;
};

// Throws PluginError (SIS_E_INVALID_ARGUMENT, code host_transaction_open) when
// the host left a transaction with uncommitted work open on the connection.
void refuse_host_transaction(odbc::Connection& connection);

// Runs fn with autocommit on, each statement committing on its own, then puts
// autocommit back as it was (only after refuse_host_transaction: switching it
// on commits whatever the connection has pending).
template <typename Fn>
void with_autocommit(odbc::Connection& connection, Fn&& fn) {
  const bool before = connection.autocommit();
  if (!before) connection.set_autocommit(true);
  try {
    fn();
  } catch (...) {
    if (!before) {
      try { connection.set_autocommit(false); } catch (...) {}
    }
    throw;
  }
  if (!before) connection.set_autocommit(false);
}

}  // namespace cpb
