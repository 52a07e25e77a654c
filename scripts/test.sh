#!/bin/bash
# The whole test suite: installs what it needs, builds the Debian package and checks it with lintian, then swift test
# (last, so its summary closes the output).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
export OMP_THREAD_LIMIT=1
# The package: a static release build, the man page and completions, Depends from dpkg-shlibdeps, and lintian,
# which fails this script on any error.
deb_out=$(mktemp -d /tmp/fileroom-deb-test.XXXXXX)
bash scripts/package-deb.sh "$deb_out" >/dev/null
echo "package: $(basename "$(ls "$deb_out"/*.deb)") built; lintian reported no errors"
rm -rf "$deb_out"
swift test
