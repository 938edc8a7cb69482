// One run's transaction: begun with the dialect's sql/plugin/<dialect>/begin.sql,
// rolled back by the destructor unless committed. The connection's autocommit
// setting is restored either way.
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
  odbc::Connection& connection_;
  bool autocommit_before_ = true;
  bool open_ = false;
};

}  // namespace cpb
