#!/bin/bash
# The main job: the daemon over samples/ in a fresh home with the embedded SQLite store, then what it filed, by case.
#   bash scripts/demo.sh            (keeps the home and prints where it is)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
# libgomp reads this before main(): without it tesseract runs 4-6x slower on these machines.
export OMP_THREAD_LIMIT=1
# Fewer malloc arenas keep the OCR threads' memory flat.
export MALLOC_ARENA_MAX=2
swift build -c release --product fileroom >&2
bin="$(swift build -c release --show-bin-path)/fileroom"
home="$(mktemp -d /tmp/fileroom-demo.XXXXXX)"
export FILEROOM_HOME="$home"
echo "home: $home" >&2
"$bin" cases import samples/cases.csv
mkdir -p "$home/spool"
find samples -maxdepth 1 -type f \( -name '*.tif' -o -name '*.tiff' -o -name '*.pdf' \) -exec cp {} "$home/spool/" \;
# The daemon's log (what journald would get: ids, states, counts, no patient data) goes beside the home.
"$bin" daemon --once 2>"$home.daemon.log"
echo "daemon log: $home.daemon.log" >&2
echo
"$bin" status --by-case
