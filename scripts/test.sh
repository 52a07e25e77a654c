#!/bin/bash
# The whole test suite: installs what it needs, then swift test, then the hand-off check (the daemon over samples/,
# every FHIR DocumentReference and HL7 message it wrote validated as a receiving EHR would).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
export OMP_THREAD_LIMIT=1
swift test

# The FHIR R4 schema comes from the fhir.resources package (8.x: R4B, whose DocumentReference is R4's).
if python3 -c 'import fhir.resources' 2>/dev/null || python3 -m pip install -q 'fhir.resources>=8,<9' 2>/dev/null \
    || python3 -m pip install -q --break-system-packages 'fhir.resources>=8,<9' 2>/dev/null; then
    bin="$(swift build --show-bin-path)/fileroom"
    home="$(mktemp -d /tmp/fileroom-handoff.XXXXXX)"
    trap 'rm -rf "$home"' EXIT
    export FILEROOM_HOME="$home" FILEROOM_HANDOFF_HL7=true FILEROOM_CENTER_MRN_SYSTEM="urn:oid:2.16.840.1.113883.3.9999.1"
    "$bin" cases import samples/cases.csv >/dev/null
    mkdir -p "$home/spool"
    find samples -maxdepth 1 -type f \( -name '*.tif' -o -name '*.pdf' \) -exec cp {} "$home/spool/" \;
    "$bin" daemon --once 2>/dev/null >/dev/null
    filed=$(find "$home/filed" -name '*.pdf' | wc -l)
    python3 scripts/check-fhir.py "$home/outbox" --hl7 --expect "$filed"
else
    echo "check-fhir: skipped (pip is not available to install fhir.resources)"
fi
