// A transaction on a Connection, started and ended as the engine's descriptor
// says (TransactionControl), rolled back by the destructor unless committed;
// the connection's autocommit setting is restored either way.
#pragma once

#include <string>

#include "odbc.hpp"

namespace cpb::odbc {

class Transaction {
 public:
  // The SQL run at each step. With TransactionControl::sql_statements, begin,
  // commit and rollback start and end the transaction (autocommit stays on;
  // empty: BEGIN, COMMIT, ROLLBACK); with odbc_manual_commit, autocommit is
  // off, begin (when not empty) runs first and SQLEndTran ends it. `after`
  // (when not empty) runs once it has ended, either way (session settings
  // begin changed, put back).
  struct Scripts {
    std::string begin;
    std::string commit;
    std::string rollback;
    std::string before_end;  // before the commit or the rollback (on a rollback, its failure is ignored)
    std::string after;
  };

  explicit Transaction(Connection& connection) : Transaction(connection, Scripts{}) {}
  Transaction(Connection& connection, Scripts scripts);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  void finish(bool commit);
  void end(bool commit);
  Connection& connection_;
  Scripts scripts_;
  bool sql_control_ = false;
  bool autocommit_before_ = true;
  bool open_ = false;
};

// Runs fn with autocommit on, each statement committing on its own, then puts
// autocommit back as it was (switching it on commits whatever the connection
// has pending: only where nothing is).
template <typename Fn>
void with_autocommit(Connection& connection, Fn&& fn) {
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

}  // namespace cpb::odbc
