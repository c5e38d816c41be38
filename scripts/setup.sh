#!/usr/bin/env bash
# Installs what building and testing Teahouse needs, idempotently: each step checks first
# and does nothing when the tool is already there at the right version.
#
#   scripts/setup.sh            tools to build and run (wasm32 target, trunk, wasm-bindgen-cli,
#                               npm packages incl. wasm-opt)
#   scripts/setup.sh --browser  also what the tests need: Chromium, and a Python with
#                               aiosmtpd (the SMTP receiver mail tests send to)
#
# Source it (`. scripts/setup.sh`) to get wasm-opt on PATH in the calling shell.
set -euo pipefail

TEAHOUSE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TRUNK_VERSION="0.21.14"
AIOSMTPD_VERSION="1.4.6"

say() { printf '\033[1;32m==>\033[0m %s\n' "$*" >&2; }

setup_rust() {
  if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
  if [ "$(trunk --version 2>/dev/null | awk '{print $2}')" != "$TRUNK_VERSION" ]; then
    say "installing trunk $TRUNK_VERSION (once; takes several minutes)"
    cargo install trunk --version "$TRUNK_VERSION" --locked
  fi
  # The CLI must match the wasm-bindgen crate in Cargo.lock exactly.
  local wanted
  wanted="$(awk '/^name = "wasm-bindgen"$/ {getline; gsub(/[^0-9.]/, ""); print; exit}' "$TEAHOUSE_ROOT/Cargo.lock")"
  if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$wanted" ]; then
    say "installing wasm-bindgen-cli $wanted"
    # Not --locked: its lock file names a crate version the registry does not have.
    cargo install wasm-bindgen-cli --version "$wanted"
  fi
}

setup_npm() {
  # Playwright (the test runner only: Chromium comes from Debian) and binaryen's wasm-opt.
  local stamp="$TEAHOUSE_ROOT/e2e/node_modules/.teahouse-installed"
  if [ ! -f "$stamp" ] || [ "$TEAHOUSE_ROOT/e2e/package-lock.json" -nt "$stamp" ]; then
    say "installing the e2e npm packages"
    (cd "$TEAHOUSE_ROOT/e2e" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
    touch "$stamp"
  fi
  export PATH="$TEAHOUSE_ROOT/e2e/node_modules/.bin:$PATH"
}

setup_browser() {
  # Noto CJK and Noto Color Emoji only so that screenshots taken here show Chinese and
  # emoji (reactions): people's own machines have such fonts, and the app names them.
  # nginx only so that the configuration docs/DEPLOYMENT.md shows is checked (`nginx -t`).
  if [ ! -x /usr/bin/chromium ] || [ ! -d /usr/share/fonts/opentype/noto ] \
    || [ ! -f /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf ] || [ ! -x /usr/sbin/nginx ]; then
    say "installing Chromium, Noto CJK and emoji fonts, and nginx from Debian"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q chromium fonts-noto-cjk fonts-noto-color-emoji nginx-light
  fi
}

setup_python() {
  # A real SMTP receiver for the tests (backend/tests/mail/smtp_sink.py): aiosmtpd in a
  # virtualenv of our own, from PyPI.
  local venv="$HOME/.cache/teahouse/py"
  if ! "$venv/bin/python" -c 'import aiosmtpd' 2>/dev/null; then
    say "installing the test mail receiver (aiosmtpd) into $venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check "aiosmtpd==$AIOSMTPD_VERSION"
  fi
  export TEAHOUSE_PYTHON="$venv/bin/python"
}

setup_rust
setup_npm
if [ "${1:-}" = "--browser" ]; then
  setup_browser
  setup_python
fi
