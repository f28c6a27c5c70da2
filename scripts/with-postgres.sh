#!/usr/bin/env bash
# Runs a command beside a throwaway PostgreSQL cluster (Debian's postgresql package, any version)
# started as an unprivileged user on a free port under /tmp, with ZOUFANG_TEST_PG_URL naming it
# (tests/support/server.ts gives each test server a database of its own there); the cluster is
# stopped and removed afterwards whatever the result. Usage: bash scripts/with-postgres.sh CMD…
# (npm run test:postgres runs the server and sync suites this way; bench/push.ts uses it too).
set -euo pipefail
cd "$(dirname "$0")/.."

BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$BIN" ] || [ ! -x "$BIN/initdb" ]; then
  echo "PostgreSQL's server is not installed: apt-get install -y postgresql" >&2
  exit 1
fi

PORT=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
ROOT=$(mktemp -d /tmp/zoufang-pg-XXXXXX)
DATA="$ROOT/data"
SOCK="$ROOT/sock"
mkdir -p "$DATA" "$SOCK"

# initdb refuses to run as root: as root, the cluster belongs to a user of its own.
AS=()
if [ "$(id -u)" = 0 ]; then
  id zoufangpg >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin zoufangpg
  chown -R zoufangpg "$ROOT"
  AS=(runuser -u zoufangpg --)
fi

stop() {
  "${AS[@]}" "$BIN/pg_ctl" -D "$DATA" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$ROOT"
}
trap stop EXIT

"${AS[@]}" "$BIN/initdb" -D "$DATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
# Durability off: a test cluster is thrown away, and fsync would only slow every commit.
"${AS[@]}" "$BIN/pg_ctl" -D "$DATA" -l "$ROOT/server.log" -w -o "-p $PORT -k $SOCK -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" start >/dev/null

export ZOUFANG_TEST_PG_URL="postgres://postgres@127.0.0.1:$PORT/postgres"
echo "PostgreSQL $("$BIN/postgres" --version | awk '{print $3}') on port $PORT"
"$@"
