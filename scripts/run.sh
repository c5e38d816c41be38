#!/usr/bin/env bash
# One command from a fresh clone to a running Teahouse: installs the build tools, builds the
# web app and the release binary, and starts the server on SQLite (data in ./data).
# Settings come from teahouse.toml and TEAHOUSE_* variables (see README).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

. scripts/setup.sh
echo "==> building the web app" >&2
./scripts/build-web.sh
echo "==> building the server" >&2
cargo build --release --bin teahouse
exec ./target/release/teahouse serve
