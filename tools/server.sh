# shellcheck shell=bash
# Sourced by tools/api-fuzz and e2e/run: starts `aftercare serve` on a fresh SQLite database in a
# temporary folder, on a free loopback port, with one clinic and its admin, and stops it (and
# removes the folder) when the calling script exits.
#
#   source tools/server.sh
#   start_server BIN   # sets SERVER_URL, SERVER_LOG, SERVER_WORK, ADMIN_EMAIL, ADMIN_PASSWORD
#
# Server settings: export AFTERCARE__… variables before start_server. SERVER_KEEP_LOG=FILE
# copies the server's log there when the script exits. Needs python3 and curl.

SERVER_WORK="$(mktemp -d)"
SERVER_LOG="$SERVER_WORK/server.log"
server_pid=""

stop_server() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [ -n "${SERVER_KEEP_LOG:-}" ] && [ -f "$SERVER_LOG" ]; then
    mkdir -p "$(dirname "$SERVER_KEEP_LOG")" && cp "$SERVER_LOG" "$SERVER_KEEP_LOG"
  fi
  rm -rf "$SERVER_WORK"
}
trap stop_server EXIT

start_server() {
  local bin="$1" port database
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  database="$SERVER_WORK/aftercare.sqlite3"
  SERVER_URL="http://127.0.0.1:$port"
  ADMIN_EMAIL="admin@riverside.example"
  ADMIN_PASSWORD="test-$(python3 -c 'import secrets; print(secrets.token_urlsafe(18))')"
  printf '%s\n' "$ADMIN_PASSWORD" | "$bin" admin create --database "$database" \
    --email "$ADMIN_EMAIL" --name "Dr Ada Byrne" --clinic "Riverside Skin Clinic" \
    --clinic-phone "+44 20 7946 0000" --clinic-email "care@riverside.example" \
    --clinic-address "1 River Street, London" --emergency-number 999 --password-stdin >/dev/null
  "$bin" serve --database "$database" --bind "127.0.0.1:$port" >"$SERVER_LOG" 2>&1 &
  server_pid=$!
  for _ in $(seq 1 300); do
    if curl -fsS "$SERVER_URL/healthz" >/dev/null 2>&1; then return 0; fi
    if ! kill -0 "$server_pid" 2>/dev/null; then
      echo "the server exited at start:" >&2
      cat "$SERVER_LOG" >&2
      return 1
    fi
    sleep 0.1
  done
  echo "the server did not answer /healthz within 30 s" >&2
  return 1
}
