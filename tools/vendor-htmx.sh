#!/usr/bin/env bash
# Re-fetch the vendored htmx from the npm registry at its pinned version and check it is the same file.
# The web app serves src/tactful/web/static/htmx-<version>.min.js; this script documents where it came from.
set -euo pipefail
version=2.0.11
expected=d6fdc75f204e6bdefa99b69bf1e6d4ac69b8a364f77929f45c13476b4000f717
here=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
npm pack "htmx.org@$version" >/dev/null
tar xzf "htmx.org-$version.tgz"
actual=$(sha256sum package/dist/htmx.min.js | cut -d' ' -f1)
if [ "$actual" != "$expected" ]; then
  echo "htmx.org@$version dist/htmx.min.js has sha256 $actual, expected $expected" >&2
  exit 1
fi
cp package/dist/htmx.min.js "$here/src/tactful/web/static/htmx-$version.min.js"
cp package/LICENSE "$here/src/tactful/web/static/htmx-LICENSE.txt"
echo "htmx $version vendored and verified"
