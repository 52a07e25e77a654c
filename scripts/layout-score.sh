#!/bin/bash
# Scores Fileroom on the unseen-layout set (Sources/TestSupport/Layouts), the way the shared corpus is measured:
# the set is generated into a temporary folder (`pages-tool layouts`), then a fresh home, `cases import`, the
# spool copied in, `daemon --once`, `export --json`, and the score from `fileroom evaluate --truth --results`
# (the in-repo port of score.py). Where ../shared/tools/score.py exists its summary is printed too.
#
#   scripts/layout-score.sh [--bin PATH] [--seed N] [--count N] [--extract] [--keep]
#
#   --bin PATH   the fileroom binary to measure (default: a release build of this checkout)
#   --seed N     the set's seed (default 1107); --count N faxes (default 30)
#   --extract    also run `fileroom extract --json` on every fax and count the documents whose type and
#                fields differ from the daemon's export (they should be the same)
#   --keep       keep the set and the home (default: removed; their paths are printed either way)
set -euo pipefail
cd "$(dirname "$0")/.."
bin="" seed=1107 count=30 extract=0 keep=0
while [ $# -gt 0 ]; do
  case "$1" in
    --bin) bin=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --count) count=$2; shift 2 ;;
    --extract) extract=1; shift ;;
    --keep) keep=1; shift ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 64 ;;
  esac
done
# libgomp reads this before main(): without it tesseract runs 4-6x slower on these machines.
export OMP_THREAD_LIMIT=1
export MALLOC_ARENA_MAX=2
if [ -z "$bin" ]; then
  swift build -c release --product fileroom >/tmp/layout-score-build.log 2>&1 \
    || { echo "release build failed: see /tmp/layout-score-build.log" >&2; exit 1; }
  bin="$(swift build -c release --show-bin-path)/fileroom"
fi
swift build --product pages-tool >/tmp/layout-score-tool.log 2>&1 \
  || { echo "pages-tool build failed: see /tmp/layout-score-tool.log" >&2; exit 1; }
tool="$(swift build --show-bin-path)/pages-tool"

work=$(mktemp -d /tmp/layout-score.XXXXXX)
set_dir="$work/set" home="$work/home"
[ $keep -eq 1 ] || trap 'rm -rf "$work"' EXIT
"$tool" layouts "$set_dir" --seed "$seed" --count "$count"
echo "set: $set_dir  home: $home"

FILEROOM_HOME=$home "$bin" cases import "$set_dir/cases.csv" >"$work/import.log" 2>&1 \
  || { echo "cases import failed: $(tail -1 "$work/import.log")" >&2; exit 1; }
mkdir -p "$home/spool" && cp -p "$set_dir"/spool/* "$home/spool/"
start=$(date +%s.%N)
rc=0
FILEROOM_HOME=$home timeout 3000 "$bin" daemon --once >"$work/daemon.log" 2>&1 || rc=$?
end=$(date +%s.%N)
[ $rc -eq 0 ] || { echo "daemon --once exited $rc: $(tail -1 "$work/daemon.log")" >&2; exit 1; }
FILEROOM_HOME=$home "$bin" export --json >"$work/export.json" 2>"$work/export.err" \
  || { echo "export --json failed: $(tail -1 "$work/export.err")" >&2; exit 1; }
pages=$(python3 -c "import json; print(sum(s['pages'] for s in json.load(open('$set_dir/truth.json'))['sources']))")
python3 -c "print(f'daemon --once: {$end-$start:.1f} s for $pages pages')"

FILEROOM_HOME=$home "$bin" evaluate --truth "$set_dir/truth.json" --results "$work/export.json" --verbose
score="$(dirname "$0")/../../shared/tools/score.py"
if [ -f "$score" ]; then
  echo "score.py: $(python3 "$score" --truth "$set_dir/truth.json" --results "$work/export.json" | tail -1)"
fi

if [ $extract -eq 1 ]; then
  # extract --json names sources by file name, as the export does; compare type and fields per document.
  # Same home, so the same settings (center name and fax) as the daemon had.
  FILEROOM_HOME=$home "$bin" extract --json "$set_dir"/spool/* >"$work/extract.jsonl" 2>"$work/extract.err" || true
  python3 - "$work/extract.jsonl" "$work/export.json" <<'EOF'
import json, sys
extract = {}
for line in open(sys.argv[1]):
    if line.strip():
        source = json.loads(line)
        extract[source["file"]] = source
export = {s["file"]: s for s in json.load(open(sys.argv[2]))["sources"]}
same = differ = 0
for name, source in export.items():
    mine = [(d["pages"], d["type"], d["fields"]) for d in source.get("documents") or []]
    theirs = [(d["pages"], d["type"], d["fields"]) for d in (extract.get(name) or {}).get("documents") or []]
    if mine == theirs:
        same += 1
    else:
        differ += 1
        print(f"  extract differs from export: {name}")
print(f"extract --json vs export: {same} sources the same, {differ} different, {len(export) - len(extract)} missing from extract")
EOF
fi
