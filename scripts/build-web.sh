#!/usr/bin/env bash
# Builds the web app: the app everyone loads into frontend/dist, then the admin console's
# build (the same app with the console compiled in, `--features admin`) into
# frontend/dist/admin, served under /admin. In that order: Trunk replaces the whole of its
# dist directory. The console's page is index.html with the feature turned on, made here
# so the two never drift apart.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
trunk build --release
sed -e 's/data-cargo-profile=/data-cargo-features="admin" data-cargo-profile=/' \
  -e 's|<title>Teahouse · 茶馆</title>|<title>Teahouse · 茶馆 · Admin</title>|' \
  frontend/index.html > frontend/admin.html
grep -q 'data-cargo-features="admin"' frontend/admin.html
trunk build frontend/admin.html --release --dist frontend/dist/admin --public-url /admin/
