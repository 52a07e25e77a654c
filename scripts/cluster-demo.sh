#!/bin/bash
# Several daemons, one PostgreSQL database, one shared home: three daemons with different host ids work one spool of
# generated text-layer PDF faxes while one of them is killed with SIGKILL three times (and restarted each time).
# Then every file must be in exactly one final state, no document filed twice, no document filed to the wrong case,
# and the audit chain must verify. Last, the same home on SQLite refuses a second daemon.
#
#   bash scripts/cluster-demo.sh [COUNT]      (COUNT faxes, default 60; CONFIG=release for a release build)
#
# Prints the figures (wall time, pages per second, lease takeovers) and keeps the folder it worked in.
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-60}"
config="${CONFIG:-debug}"
export OMP_THREAD_LIMIT=1 MALLOC_ARENA_MAX=2
swift build -c "$config" --product fileroom >&2
swift build -c "$config" --product pages-tool >&2
bindir="$(swift build -c "$config" --show-bin-path)"
bin="$bindir/fileroom"

work="$(mktemp -d /tmp/fileroom-cluster.XXXXXX)"
chmod 0755 "$work"
echo "folder: $work" >&2
url="$(bash scripts/pg-cluster.sh start "$work/pg")"
daemons=()
cleanup() {
    for pid in "${daemons[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    bash scripts/pg-cluster.sh stop "$work/pg" || true
}
trap cleanup EXIT

"$bindir/pages-tool" layouts "$work/set" --count "$count" --seed 1515 --text-pdf >&2
home="$work/home"
export FILEROOM_HOME="$home" FILEROOM_DATABASE_URL="$url" FILEROOM_SETTLE_SECONDS=0.5 FILEROOM_RESCAN_SECONDS=2 \
    FILEROOM_WORKERS=1 FILEROOM_HEARTBEAT_SECONDS=5
"$bin" cases import "$work/set/cases.csv" >&2
pages=$(python3 -c 'import json,sys; print(sum(s["pages"] for s in json.load(open(sys.argv[1]))["sources"]))' "$work/set/truth.json")

start_daemon() {
    FILEROOM_HOST_ID="host-$1" "$bin" daemon 2>>"$work/daemon-$1.log" &
    daemons[$1]=$!
}
for i in 1 2 3; do start_daemon "$i"; done
sleep 2
started=$(date +%s.%N)
mkdir -p "$home/spool"
# Files arrive as a fax server writes them: under a dot name, then renamed in.
for file in "$work/set/spool/"*; do
    name="$(basename "$file")"
    cp "$file" "$home/spool/.$name.part"
    mv "$home/spool/.$name.part" "$home/spool/$name"
done

unfinished() {
    "$bin" export --json 2>/dev/null | python3 -c '
import json, sys
sources = json.load(sys.stdin)["sources"]
print(sum(1 for s in sources if s["status"] == "pending"))
' || echo 999
}
# SIGKILL daemon 2 three times at random moments while work remains. After the first two it restarts under its
# host id and resumes its own leases; after the third it stays dead, so the other two take its sources over once
# its leases expire (30 s) and recover the work folders it left.
for kill in 1 2 3; do
    sleep "$(python3 -c 'import random; print(round(random.uniform(1.0, 4.0), 2))')"
    kill -KILL "${daemons[2]}" 2>/dev/null || true
    wait "${daemons[2]}" 2>/dev/null || true
    echo "kill $kill: SIGKILL host-2 (pending sources: $(unfinished))" >&2
    if [ "$kill" -lt 3 ]; then
        sleep 1
        start_daemon 2
    else
        unset 'daemons[2]'
    fi
done

deadline=$(( $(date +%s) + 900 ))
while true; do
    spool_left=$(find "$home/spool" -maxdepth 1 -type f ! -name '.*' | wc -l)
    pending=$(unfinished)
    if [ "$spool_left" -eq 0 ] && [ "$pending" -eq 0 ] && [ -z "$(ls -A "$home/work")" ]; then break; fi
    if [ "$(date +%s)" -gt "$deadline" ]; then echo "timed out: spool $spool_left, pending $pending" >&2; break; fi
    sleep 0.5
done
ended=$(date +%s.%N)
for pid in "${daemons[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
wait 2>/dev/null || true
daemons=()

"$bin" export --json >"$work/export.json"
status=0
python3 scripts/cluster-check.py "$work/set/truth.json" "$work/export.json" "$home" || status=1
"$bin" audit verify || status=1
# Leases go when their sources are final: the takeovers are counted from the daemons' notices.
takeovers=$(cat "$work"/daemon-*.log | grep -c "taken over from an expired lease" || true)
python3 -c 'import sys; s=float(sys.argv[2])-float(sys.argv[1]); print(f"3 daemons (one killed 3 times, the last for good), {sys.argv[3]} faxes, {sys.argv[4]} pages: {s:.1f} s, {int(sys.argv[4])/s:.2f} pages/s; lease takeovers {sys.argv[5]}")' \
    "$started" "$ended" "$count" "$pages" "$takeovers"
for i in 1 2 3; do
    echo "host-$i: $(grep -c 'source done' "$work/daemon-$i.log" || true) sources finished" >&2
done

# SQLite: one daemon per home; a second is refused with the lock and its holder.
unset FILEROOM_DATABASE_URL
export FILEROOM_HOME="$work/sqlite-home"
"$bin" daemon 2>"$work/sqlite-1.log" &
first=$!
sleep 3
set +e
"$bin" daemon 2>"$work/sqlite-2.log"
second=$?
set -e
kill -TERM "$first"
wait "$first" 2>/dev/null || true
if [ "$second" -eq 1 ] && grep -q "one daemon per home" "$work/sqlite-2.log"; then
    echo "sqlite: second daemon refused (exit 1): $(tail -1 "$work/sqlite-2.log")"
else
    echo "sqlite: second daemon NOT refused (exit $second)"
    status=1
fi
exit "$status"
