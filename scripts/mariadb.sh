#!/usr/bin/env bash
# A throwaway MariaDB server on a free loopback port in a folder of its own.
#   scripts/mariadb.sh start DIR   starts it and prints its ODBC connection string
#   scripts/mariadb.sh stop DIR    stops it (immediately) and removes DIR
# Run as root, the server runs as the mysql user. CPB_MARIADB_BUFFER_POOL sets
# the InnoDB buffer pool (default 256M, enough for the tests; scripts/bench.sh
# asks for 2G, a database server's usual share of memory for such a district).
set -euo pipefail
action=$1
dir=$2
as_owner=()
[[ $(id -u) -eq 0 ]] && as_owner=(runuser -u mysql --)

free_port() {
  python3 - <<'PY'
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()
PY
}

case $action in
  start)
    mkdir -p "$dir"
    [[ $(id -u) -eq 0 ]] && chown mysql "$dir"
    # --no-defaults: nothing of the machine's /etc/mysql applies to this server.
    "${as_owner[@]}" mariadb-install-db --no-defaults --datadir="$dir/data" --auth-root-authentication-method=normal \
      --skip-test-db >"$dir/install.log" 2>&1 || { cat "$dir/install.log" >&2; exit 1; }
    port=$(free_port)
    echo "$port" >"$dir/port"
    # Durability off and, unless asked otherwise, a small buffer pool: a test server, not a store.
    "${as_owner[@]}" /usr/sbin/mariadbd --no-defaults --datadir="$dir/data" --socket="$dir/mysqld.sock" \
      --pid-file="$dir/mysqld.pid" --bind-address=127.0.0.1 --port="$port" --skip-name-resolve \
      --innodb-flush-log-at-trx-commit=0 --innodb-doublewrite=0 --innodb-buffer-pool-size="${CPB_MARIADB_BUFFER_POOL:-256M}" --sync-binlog=0 \
      --max-connections=60 --character-set-server=utf8mb4 --collation-server=utf8mb4_bin \
      --log-error="$dir/server.log" >/dev/null 2>&1 &
    for _ in $(seq 1 120); do
      mariadb --no-defaults --socket="$dir/mysqld.sock" -uroot -e 'SELECT 1' >/dev/null 2>&1 && break
      sleep 0.5
    done
    mariadb --no-defaults --socket="$dir/mysqld.sock" -uroot -e \
      "CREATE USER IF NOT EXISTS 'cpb'@'127.0.0.1'; GRANT ALL ON *.* TO 'cpb'@'127.0.0.1' WITH GRANT OPTION; CREATE DATABASE IF NOT EXISTS cpb;" ||
      { cat "$dir/server.log" >&2; exit 1; }
    echo "Driver={MariaDB Unicode};Server=127.0.0.1;Port=$port;Database=cpb;Uid=cpb;Pwd=;"
    ;;
  stop)
    if [[ -f $dir/mysqld.pid ]]; then
      pid=$(cat "$dir/mysqld.pid")
      kill -9 "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: scripts/mariadb.sh start|stop DIR" >&2
    exit 2
    ;;
esac
