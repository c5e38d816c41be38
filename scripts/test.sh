#!/usr/bin/env bash
# Every check and every test: formatting, clippy, the Rust suites (on SQLite, and on
# PostgreSQL when one is reachable), the web app build, and the browser tests.
#   TEST_DATABASE_URL  a PostgreSQL server to create test databases on
#                      (default postgres://postgres@127.0.0.1:5432/postgres if it answers;
#                      set it to "" to skip the PostgreSQL run)
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

step "Rust tests on SQLite"
cargo test --no-fail-fast

default_pg="postgres://postgres@127.0.0.1:5432/postgres"
if [ -z "${TEST_DATABASE_URL+set}" ] && command -v pg_isready >/dev/null && pg_isready -q -h 127.0.0.1 -p 5432; then
  export TEST_DATABASE_URL="$default_pg"
fi
if [ -n "${TEST_DATABASE_URL:-}" ]; then
  step "Rust API tests on PostgreSQL"
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
trunk build --release

step "browser tests (Playwright + Chromium)"
cargo build --bin teahouse
TEAHOUSE_BIN="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')/debug/teahouse"
export TEAHOUSE_BIN
(cd e2e && npx playwright test)
