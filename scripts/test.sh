#!/bin/bash
# The whole test suite: installs what it needs, builds the Debian package and checks it with lintian, checks the
# hand-off (the daemon over samples/, every FHIR DocumentReference and HL7 message it wrote validated as a receiving
# EHR would), then swift test (last, so its summary closes the output).
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
# The FHIR R4 schema comes from the fhir.resources package (8.x: R4B, whose DocumentReference is R4's).
if python3 -c 'import fhir.resources' 2>/dev/null || python3 -m pip install -q 'fhir.resources>=8,<9' 2>/dev/null \
    || python3 -m pip install -q --break-system-packages 'fhir.resources>=8,<9' 2>/dev/null; then
    swift build --product fileroom >/dev/null
    bin="$(swift build --show-bin-path)/fileroom"
    home="$(mktemp -d /tmp/fileroom-handoff.XXXXXX)"
    export FILEROOM_HOME="$home" FILEROOM_HANDOFF_HL7=true FILEROOM_CENTER_MRN_SYSTEM="urn:oid:2.16.840.1.113883.3.9999.1"
    "$bin" cases import samples/cases.csv >/dev/null
    mkdir -p "$home/spool"
    find samples -maxdepth 1 -type f \( -name '*.tif' -o -name '*.pdf' \) -exec cp {} "$home/spool/" \;
    "$bin" daemon --once 2>/dev/null >/dev/null
    filed=$(find "$home/filed" -name '*.pdf' | wc -l)
    python3 scripts/check-fhir.py "$home/outbox" --hl7 --expect "$filed"
    rm -rf "$home"
    unset FILEROOM_HOME FILEROOM_HANDOFF_HL7 FILEROOM_CENTER_MRN_SYSTEM
else
    echo "check-fhir: skipped (pip is not available to install fhir.resources)"
fi
# One throwaway PostgreSQL cluster for the whole run (the store tests run against it as well as SQLite).
if [ -z "${FILEROOM_TEST_DATABASE_URL:-}" ] && ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    pg_dir="$(mktemp -d /tmp/fileroom-pg-test.XXXXXX)"
    trap 'bash scripts/pg-cluster.sh stop "$pg_dir"; rm -rf "$pg_dir"' EXIT
    if FILEROOM_TEST_DATABASE_URL="$(bash scripts/pg-cluster.sh start "$pg_dir")"; then
        export FILEROOM_TEST_DATABASE_URL
    else
        echo "test: the PostgreSQL cluster did not start (see above); the store tests start their own or skip" >&2
        unset FILEROOM_TEST_DATABASE_URL
    fi
fi
swift test

