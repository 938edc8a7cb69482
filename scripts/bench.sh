#!/usr/bin/env bash
# The benchmark (docs/BENCHMARKS.md): builds, starts throwaway PostgreSQL and
# MariaDB servers (MariaDB with a 2G buffer pool, CPB_MARIADB_BUFFER_POOL to
# change it), runs cpb-bench on SQLite, PostgreSQL and MariaDB at each district
# size given (default 300000 students), writes the results into
# docs/BENCHMARKS.md and always stops both servers. The JSON of each run and the
# plans of the plugin's statements stay in $BUILD_DIR/bench-results/.
# REPETITIONS (default 3) sets the timed repetitions of each run.
#   scripts/bench.sh [STUDENTS...]         e.g. scripts/bench.sh 100000 300000
#   scripts/bench.sh --from DIR            only rewrites docs/BENCHMARKS.md from the
#                                          runs' JSON in DIR (cpb-bench --json, named
#                                          BACKEND-STUDENTS.json), e.g. runs made one by one
set -euo pipefail
cd "$(dirname "$0")/.."
from=""
if [[ ${1:-} == --from ]]; then
  [[ -d ${2:-} ]] || { echo "usage: scripts/bench.sh --from DIR" >&2; exit 2; }
  from=$2
  shift 2
fi
sizes=("$@")
((${#sizes[@]})) || sizes=(300000)
for n in "${sizes[@]}"; do
  [[ $n =~ ^[1-9][0-9]*$ ]] || { echo "usage: scripts/bench.sh [STUDENTS...]" >&2; exit 2; }
done
build_dir=${BUILD_DIR:-build}
bench="$build_dir/bench/cpb-bench"
backends=(sqlite postgresql mariadb)
status=0
files=()
if [[ -n $from ]]; then
  results=$from
  sizes=()  # the sizes of the runs found, not the default
  for backend in "${backends[@]}"; do
    mapfile -t found < <(ls "$from/$backend"-*.json 2>/dev/null | sed 's/.*-\([0-9]*\)\.json$/\1/' | sort -n)
    for n in "${found[@]}"; do files+=("$from/$backend-$n.json"); sizes+=("$n"); done
  done
  ((${#files[@]})) || { echo "no BACKEND-STUDENTS.json in $from" >&2; exit 2; }
  mapfile -t sizes < <(printf '%s\n' "${sizes[@]}" | sort -nu)
else
scripts/install-deps.sh
scripts/build.sh
results="$build_dir/bench-results"
rm -rf "$results"
mkdir -p "$results"

pg_dir=$(mktemp -d /tmp/cpb-bench-pg.XXXXXX)
mariadb_dir=$(mktemp -d /tmp/cpb-bench-mariadb.XXXXXX)
trap 'scripts/pg.sh stop "$pg_dir"; scripts/mariadb.sh stop "$mariadb_dir"' EXIT
# Assigned, then exported: a server that does not start stops the script (set -e).
CPB_BENCH_PG=$(scripts/pg.sh start "$pg_dir")
# A database server's buffer pool, not the tests' 256M: the district's tables and indexes stay in memory.
CPB_BENCH_MARIADB=$(CPB_MARIADB_BUFFER_POOL=${CPB_MARIADB_BUFFER_POOL:-2G} scripts/mariadb.sh start "$mariadb_dir")
export CPB_BENCH_PG CPB_BENCH_MARIADB

for backend in "${backends[@]}"; do
  for n in "${sizes[@]}"; do
    echo "== $backend, $n students" >&2
    "$bench" --backend "$backend" --students "$n" --repetitions "${REPETITIONS:-3}" --explain --json "$results/$backend-$n.json" ||
      status=1
    files+=("$results/$backend-$n.json")
    python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["plans"], end="")' "$results/$backend-$n.json" \
      >"$results/plans-$backend-$n.txt" || true
  done
done
fi

# The results go between the markers of docs/BENCHMARKS.md; the text around them stays.
tree=$(git rev-parse --short HEAD 2>/dev/null || echo "an unknown commit")
[[ -z $from ]] || tree="runs read from $from (this page rewritten at $tree)"
if ! git diff --quiet HEAD -- plugin sql 2>/dev/null || [[ -n $(git ls-files --others --exclude-standard plugin sql 2>/dev/null) ]]; then
  tree+=" with uncommitted changes to plugin/ or sql/"
fi
section="$results/section.md"
{
  "$bench" report "${files[@]}"
  echo
  echo "Measured $(date -u +%Y-%m-%d) on $tree. Reproduce: \`scripts/bench.sh ${sizes[*]}\`."
} >"$section"
doc=docs/BENCHMARKS.md
grep -q '^<!-- results:begin -->$' "$doc" && grep -q '^<!-- results:end -->$' "$doc" ||
  { echo "$doc lacks the <!-- results:begin --> / <!-- results:end --> markers" >&2; exit 1; }
awk -v section="$section" '
  /^<!-- results:begin -->$/ { print; while ((getline line < section) > 0) print line; skip = 1; next }
  /^<!-- results:end -->$/   { skip = 0 }
  !skip { print }
' "$doc" >"$doc.tmp" && mv "$doc.tmp" "$doc"
echo "results written to $doc (runs and plans in $results/)" >&2
exit $status
