#!/bin/bash
# kill -9 of the daemon at random moments (issue 12's check): a spool of good faxes is processed once without
# interruption (the reference) and once by a daemon killed with SIGKILL N times at random moments, then finished
# with `daemon --once`. Every fax must end in exactly one final state, and exactly as the reference ended:
# 0 good faxes rejected (poison or otherwise), 0 lost, 0 twice, 0 documents filed differently.
#
#   scripts/kill-test.sh [--kills N] [--min S] [--max S] [--bin PATH] [--corpus DIR] [--count N] [--seed N] [--keep]
#
#   --kills N     kills (default 16)                  --min/--max S  seconds between a start and its kill (0.3, 8)
#   --bin PATH    fileroom binary (default: a release build of this checkout)
#   --corpus DIR  a folder with spool/ and cases.csv (default: `pages-tool layouts` writes --count good faxes)
#   --count N     faxes to generate (default 150)       --seed N  generator and kill-moment seed (default 1107)
#   --keep        keep the homes and logs (printed)
#
# Prints the figures and exits 0 when every check holds, 1 when one fails, 2 on a usage or setup error.
set -u
kills=16 min=0.3 max=8 bin="" corpus="" count=150 seed=1107 keep=0
usage() { sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --kills) kills=$2; shift 2 ;;
    --min) min=$2; shift 2 ;;
    --max) max=$2; shift 2 ;;
    --bin) bin=$2; shift 2 ;;
    --corpus) corpus=$2; shift 2 ;;
    --count) count=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    -h|--help) usage ;;
    *) echo "kill-test: unknown argument $1" >&2; usage ;;
  esac
done
repo=$(cd "$(dirname "$0")/.." && pwd)
export OMP_THREAD_LIMIT=1
work=$(mktemp -d /tmp/kill-test.XXXXXX)
cleanup() { [ "$keep" = 1 ] || rm -rf "$work"; }
trap cleanup EXIT

if [ -z "$bin" ]; then
  (cd "$repo" && swift build -c release --product fileroom >"$work/build.log" 2>&1) \
    || { echo "kill-test: release build failed (see $work/build.log)"; keep=1; exit 2; }
  bin=$(cd "$repo" && swift build -c release --show-bin-path)/fileroom
fi
[ -x "$bin" ] || { echo "kill-test: no fileroom binary at $bin" >&2; exit 2; }
if [ -z "$corpus" ]; then
  corpus=$work/corpus
  (cd "$repo" && swift build --product pages-tool >"$work/build-tool.log" 2>&1) \
    || { echo "kill-test: pages-tool build failed (see $work/build-tool.log)"; keep=1; exit 2; }
  "$(cd "$repo" && swift build --show-bin-path)/pages-tool" layouts "$corpus" --count "$count" --seed "$seed" >/dev/null \
    || { echo "kill-test: pages-tool layouts failed"; exit 2; }
fi
[ -d "$corpus/spool" ] && [ -f "$corpus/cases.csv" ] || { echo "kill-test: $corpus lacks spool/ or cases.csv" >&2; exit 2; }

# A fresh home with the cases and the spool.
prepare() {
  mkdir -p "$1"
  FILEROOM_HOME=$1 "$bin" cases import "$corpus/cases.csv" >"$1.import.log" 2>&1 \
    || { echo "kill-test: cases import failed: $(tail -1 "$1.import.log")"; exit 2; }
  mkdir -p "$1/spool" && cp -p "$corpus"/spool/* "$1/spool/"
}
# Page workers of a home still alive (they must die with their daemon).
orphans() {
  local n=0 pid
  for pid in $(pgrep -f "page-worker" 2>/dev/null); do
    tr '\0' '\n' <"/proc/$pid/environ" 2>/dev/null | grep -qx "FILEROOM_HOME=$1" && n=$((n + 1))
  done
  echo $n
}

files=$(find "$corpus/spool" -maxdepth 1 -type f | wc -l)
echo "kill-test: $files files from $corpus; $kills kills ${min}-${max} s apart; binary $bin"

# The reference: the same spool, uninterrupted.
reference=$work/reference
prepare "$reference"
started=$(date +%s.%N)
FILEROOM_HOME=$reference "$bin" daemon --once >"$reference.log" 2>&1 \
  || { echo "kill-test: the reference run failed (exit $?): $(tail -1 "$reference.log")"; keep=1; exit 2; }
reference_seconds=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
FILEROOM_HOME=$reference "$bin" export --json >"$reference.json" 2>/dev/null || { echo "kill-test: export failed"; exit 2; }

# The killed daemon.
home=$work/killed
prepare "$home"
RANDOM=$seed
moments="" busy=0 exited_early=0
for round in $(seq 1 "$kills"); do
  delay=$(awk -v min="$min" -v max="$max" -v r="$RANDOM" 'BEGIN { srand(r); printf "%.2f", min + rand() * (max - min) }')
  FILEROOM_HOME=$home "$bin" daemon >>"$home.daemon.log" 2>&1 &
  daemon=$!
  sleep "$delay"
  # Work left at the moment of the kill: files still in the spool or in work/.
  left=$(( $(find "$home/spool" -maxdepth 1 -type f | wc -l) + $(find "$home/work" -mindepth 1 -maxdepth 1 | wc -l) ))
  if kill -0 "$daemon" 2>/dev/null; then
    kill -9 "$daemon"
  else
    exited_early=$((exited_early + 1))
  fi
  wait "$daemon" 2>/dev/null
  [ "$left" -gt 0 ] && busy=$((busy + 1))
  moments="$moments $delay"
done
sleep 0.5
orphaned=$(orphans "$home")
FILEROOM_HOME=$home "$bin" daemon --once >"$home.once.log" 2>&1
once_status=$?
FILEROOM_HOME=$home "$bin" export --json >"$home.json" 2>/dev/null || { echo "kill-test: export failed"; keep=1; exit 2; }
left_in_spool=$(find "$home/spool" -maxdepth 1 -type f | wc -l)
left_in_work=$(find "$home/work" -mindepth 1 -maxdepth 1 | wc -l)

python3 - "$reference.json" "$home.json" "$files" "$kills" "$busy" "$exited_early" "$orphaned" "$once_status" \
  "$left_in_spool" "$left_in_work" "$reference_seconds" "$moments" <<'EOF'
import collections, json, sys
reference_path, killed_path = sys.argv[1], sys.argv[2]
files, kills, busy, early, orphaned, once_status, spool_left, work_left = map(int, sys.argv[3:11])
reference_seconds, moments = float(sys.argv[11]), sys.argv[12].split()
reference = json.load(open(reference_path))["sources"]
killed = json.load(open(killed_path))["sources"]
final = {"processed", "rejected", "duplicate"}

def by_file(sources):
    table = collections.defaultdict(list)
    for source in sources:
        table[source["file"]].append(source)
    return table

def documents(source):
    return sorted((tuple(d["pages"]), d["type"], d["status"], d.get("case_id"), d.get("queue")) for d in source.get("documents", []))

ref, got = by_file(reference), by_file(killed)
states = collections.Counter(source["status"] for source in killed)
twice = sorted(name for name, sources in got.items() if len(sources) > 1)
lost = sorted(set(ref) - set(got)) + sorted(name for name, sources in got.items() if sources[0]["status"] not in final)
good = {name for name, sources in ref.items() if sources[0]["status"] != "rejected"}
rejected_good = sorted(name for name in good if name in got and got[name][0]["status"] == "rejected")
poison = sorted(name for name in rejected_good if (got[name][0].get("error") or "").startswith("poison"))
differ = []
for name in sorted(good):
    if name in got and got[name][0]["status"] == ref[name][0]["status"] and documents(got[name][0]) != documents(ref[name][0]):
        differ.append(name)
wrong = sum(1 for name in differ for a, b in zip(documents(got[name][0]), documents(ref[name][0])) if a != b)
print(f"reference run: {len(reference)} sources in {reference_seconds:.1f} s")
print(f"kills: {kills} (moments s:{' '.join(moments)}); {busy} with work left at the kill; {early} daemons had exited before their kill")
print(f"files: {files}; sources recorded: {len(killed)}; final states: {dict(sorted(states.items()))}")
print(f"rejected good: {len(rejected_good)} (poison: {len(poison)}) {rejected_good}")
print(f"lost: {len(lost)} {lost}; left in spool: {spool_left}; work folders left: {work_left}")
print(f"twice: {len(twice)} {twice}")
print(f"wrong filings (documents unlike the reference's): {wrong} in {len(differ)} files {differ}")
print(f"orphan page workers after the kills: {orphaned}; daemon --once exit: {once_status}")
ok = not rejected_good and not lost and not twice and not differ and orphaned == 0 and once_status == 0 \
    and spool_left == 0 and work_left == 0 and len(got) == files
print("PASS" if ok else "FAIL")
sys.exit(0 if ok else 1)
EOF
result=$?
[ "$keep" = 1 ] && echo "kept: $work (reference: $reference, killed: $home, logs beside them)"
exit $result
