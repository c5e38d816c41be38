#!/usr/bin/env bash
# Every check and every test: formatting, clippy, the Rust suites (on SQLite, and on
# PostgreSQL when one is reachable), the web app build, and the browser tests.
#   TEST_DATABASE_URL  a PostgreSQL server to create test databases on
#                      (default postgres://postgres@127.0.0.1:5432/postgres if it answers;
#                      set it to "" to skip the PostgreSQL run)
#   TEST_REDIS_URL     a Redis for the several-instances tests (default redis://127.0.0.1:6379/
#                      if it answers; they also start redis-server themselves to restart it)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

. scripts/setup.sh --browser
step() { printf '\n\033[1;34m==> %s\033[0m\n' "$*" >&2; }

step "rustfmt"
cargo fmt --all -- --check

step "clippy (server, shared types, migrations)"
cargo clippy --all-targets -- -D warnings
step "clippy (web app, wasm32)"
cargo clippy -p teahouse-frontend --target wasm32-unknown-unknown -- -D warnings
cargo clippy -p teahouse-frontend --features admin --target wasm32-unknown-unknown -- -D warnings

step "OpenAPI lint (Redocly, offline)"
# The document is generated; this checks what generated clients see of it (openapi.rs
# checks it is current). Rules in redocly.yaml.
REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true e2e/node_modules/.bin/redocly lint --config redocly.yaml openapi/openapi.json

step "Rust tests on SQLite"
cargo test --no-fail-fast

default_pg="postgres://postgres@127.0.0.1:5432/postgres"
if [ -z "${TEST_DATABASE_URL+set}" ] && command -v pg_isready >/dev/null && pg_isready -q -h 127.0.0.1 -p 5432; then
  export TEST_DATABASE_URL="$default_pg"
fi
# Several instances on one PostgreSQL and one Redis (tests/api/cluster.rs, in the run below).
if [ -z "${TEST_REDIS_URL+set}" ] && command -v redis-cli >/dev/null \
  && redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  export TEST_REDIS_URL="redis://127.0.0.1:6379/"
fi
if [ -n "${TEST_DATABASE_URL:-}" ]; then
  step "Rust API tests on PostgreSQL (and several instances with Redis)"
  # Each test makes its own database; drop what earlier runs left behind.
  if command -v psql >/dev/null; then
    psql "$TEST_DATABASE_URL" -qAt -c "SELECT datname FROM pg_database WHERE datname LIKE 'teahouse_test_%'" \
      | while read -r db; do psql "$TEST_DATABASE_URL" -q -c "DROP DATABASE IF EXISTS $db" >/dev/null || true; done
  fi
  cargo test --no-fail-fast -p teahouse --test api
else
  echo "PostgreSQL tests skipped: no TEST_DATABASE_URL and no server on 127.0.0.1:5432" >&2
fi

step "web app build"
./scripts/build-web.sh

cargo build --bin teahouse --bin teahouse-bench
TARGET_DIR="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
export TEAHOUSE_BIN="$TARGET_DIR/debug/teahouse"

step "deployment files (nginx -t, systemd-analyze verify, check-config)"
./scripts/check-deploy.sh

step "browser tests (Playwright + Chromium)"
(cd e2e && npx playwright test)

# A short fan-out and ingress run through the public API: fails only on lost, repeated or
# out-of-order deliveries and on errors, never on timing (figures are in docs/BENCHMARKS.md).
smoke() {
  local name="$1" url="$2" dir pid
  dir="$(mktemp -d)"
  # A load generator is many people on one address sending as fast as they can: limits off.
  DATABASE_URL="$url" TEAHOUSE_DATA_DIR="$dir" TEAHOUSE_BIND=127.0.0.1:18091 TEAHOUSE_LOG=warn \
    TEAHOUSE_LIMITS__ENABLED=false \
    TEAHOUSE_STATIC_DIR="$dir/none" "$TEAHOUSE_BIN" serve >"$dir/server.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 100); do curl -fs http://127.0.0.1:18091/api/v1/health >/dev/null 2>&1 && break; sleep 0.1; done
  local status=0
  "$TARGET_DIR/debug/teahouse-bench" --url http://127.0.0.1:18091 --pid "$pid" smoke || status=$?
  kill "$pid"; wait "$pid" 2>/dev/null || true
  rm -rf "$dir"
  [ "$status" -eq 0 ] || { echo "benchmark smoke on $name failed" >&2; return 1; }
}
step "benchmark smoke (SQLite)"
smoke SQLite ""
if [ -n "${TEST_DATABASE_URL:-}" ] && command -v psql >/dev/null; then
  step "benchmark smoke (PostgreSQL)"
  PGOPTIONS="--client-min-messages=warning" psql "$TEST_DATABASE_URL" -q -c "DROP DATABASE IF EXISTS teahouse_bench_smoke" -c "CREATE DATABASE teahouse_bench_smoke" >/dev/null
  smoke PostgreSQL "${TEST_DATABASE_URL%/*}/teahouse_bench_smoke"
fi
