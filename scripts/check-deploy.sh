#!/usr/bin/env bash
# Checks the configuration files docs/DEPLOYMENT.md shows (deploy/): nginx's with `nginx -t`
# (a throwaway certificate in place of the real one), the systemd unit with
# `systemd-analyze verify` (the built binary in place of /usr/local/bin/teahouse), and the
# teahouse.toml files by loading them as the server does (`teahouse check-config`).
#   TEAHOUSE_BIN  the built server (default: target/debug/teahouse)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bin="${TEAHOUSE_BIN:-${CARGO_TARGET_DIR:-target}/debug/teahouse}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=chat.example.com \
  -keyout "$tmp/key.pem" -out "$tmp/cert.pem" 2>/dev/null
for site in deploy/nginx/*.conf; do
  sed -e "s#/etc/letsencrypt/live/chat.example.com/fullchain.pem#$tmp/cert.pem#" \
      -e "s#/etc/letsencrypt/live/chat.example.com/privkey.pem#$tmp/key.pem#" \
      "$site" > "$tmp/site.conf"
  cat > "$tmp/nginx.conf" <<CONF
pid $tmp/nginx.pid;
error_log $tmp/error.log;
events {}
http {
    access_log off;
    include $tmp/site.conf;
}
CONF
  nginx -q -t -p "$tmp" -e "$tmp/error.log" -c "$tmp/nginx.conf"
  echo "nginx -t: $site ok"
done

sed -e "s#/usr/local/bin/teahouse#$(realpath "$bin")#" deploy/teahouse.service > "$tmp/teahouse.service"
out="$(systemd-analyze verify --man=no "$tmp/teahouse.service" 2>&1 || true)"
# Outside a booted systemd (a container, CI), verify may only complain that it cannot
# reach the system manager; anything about the unit itself fails the check.
if echo "$out" | grep -v -e "Failed to connect to bus" -e "^$" | grep -q "teahouse.service"; then
  echo "$out" >&2
  exit 1
fi
echo "systemd-analyze verify: deploy/teahouse.service ok"

for toml in deploy/*.toml; do
  if ! out="$(TEAHOUSE_CONFIG="$toml" "$bin" check-config 2>&1)"; then
    echo "$out" >&2
    exit 1
  fi
  echo "teahouse check-config: $toml ok"
done
