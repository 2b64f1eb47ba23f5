#!/usr/bin/env bash
# Debian packages the test suite drives as real programs: Chromium for the browser tests of the
# web app, khal (calendar events) and todoman (to-dos) as clients of tactful's exports, and dovecot
# as the IMAP server of the mail tests (started by their fixture on loopback, with its own config).
# Installs only what is missing, running `apt-get update` once and only then. `make test` and CI run it before the
# tests; a test skips (saying why) only when its program is absent, which here means there was no
# apt-get, or no root and no sudo, and never under CI.
set -euo pipefail

# command:package, one pair per program the tests run.
wanted=(chromium:chromium khal:khal todoman:todoman dovecot:dovecot-imapd)

packages=()
for pair in "${wanted[@]}"; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || packages+=("${pair#*:}")
done
[ ${#packages[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "system-deps: no apt-get here; install ${packages[*]} by hand to run the browser and calendar client tests" >&2
  exit 0
fi
sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "system-deps: not root and no sudo; install ${packages[*]} to run the browser and calendar client tests" >&2
    exit 0
  fi
  if ! sudo -n true 2>/dev/null; then
    echo "system-deps: installing ${packages[*]} needs root; run: sudo apt-get install -y ${packages[*]}" >&2
    exit 0
  fi
  sudo=(sudo -n)
fi
export DEBIAN_FRONTEND=noninteractive
echo "system-deps: installing ${packages[*]}" >&2
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq "${packages[@]}" >/dev/null
