#!/usr/bin/env bash
# Starts PgBouncer in transaction-pooling mode on 127.0.0.1:6432 in front of the local
# PostgreSQL (any database name), with a server pool of 10 per database/user — the shape RDS
# Proxy has in production. Idempotent: an already running instance is restarted with this config.
set -euo pipefail
dir=${PGBOUNCER_DIR:-/tmp/lectern-pgbouncer}
port=${PGBOUNCER_PORT:-6432}
mkdir -p "$dir"
cat > "$dir/pgbouncer.ini" <<INI
[databases]
* = host=127.0.0.1 port=5432

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $port
auth_type = trust
auth_file = $dir/userlist.txt
pool_mode = transaction
default_pool_size = ${PGBOUNCER_POOL_SIZE:-10}
max_client_conn = 2000
max_db_connections = ${PGBOUNCER_POOL_SIZE:-10}
server_reset_query =
ignore_startup_parameters = extra_float_digits,options
logfile = $dir/pgbouncer.log
pidfile = $dir/pgbouncer.pid
unix_socket_dir =
admin_users = postgres
INI
printf '"postgres" ""\n"root" ""\n' > "$dir/userlist.txt"
if [ -f "$dir/pgbouncer.pid" ] && kill -0 "$(cat "$dir/pgbouncer.pid")" 2>/dev/null; then
  kill "$(cat "$dir/pgbouncer.pid")" || true
  sleep 1
fi
chown -R postgres "$dir" 2>/dev/null || true
if id postgres >/dev/null 2>&1; then
  su postgres -s /bin/sh -c "pgbouncer -d '$dir/pgbouncer.ini'"
else
  pgbouncer -d -u nobody "$dir/pgbouncer.ini"
fi
for _ in $(seq 1 20); do pg_isready -h 127.0.0.1 -p "$port" -q && exit 0; sleep 0.5; done
echo "PgBouncer did not come up; log:" >&2
cat "$dir/pgbouncer.log" >&2 || true
exit 1
