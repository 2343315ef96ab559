#!/usr/bin/env bash
# Checking speed on third-party banners against a libvips baseline, measured
# together in one run.
#   baseline: `vips avg` on every banner, two processes at a time
#             (xargs -P 2 -n 1). Averaging the pixels is the cheapest thing
#             that must still decode every pixel of every file, so
#             brandfit (which has to decode them too, then check them) cannot
#             beat it. Comparing against it leaves out how fast this machine
#             is.
#   brandfit: one `brandfit check -j 2 --report json` per mark over that
#             mark's banners, one process after another. Each mark has its
#             own brand guide (fixtures/corpus/marks/<mark>/brand.toml), the
#             way an agency checks one brand per folder.
# The banners are the labelled corpus in target/corpus/{tune,holdout}/ (PNG
# and JPEG banners of 15 formats, made by ImageMagick, Pillow and Chromium).
# Its labels.tsv gives each file's mark.
# The target (the issue): brandfit at >= 1/3 of vips's speed (ratio >= 0.33).
# hyperfine: 1 warmup, >= 3 runs; the mean wall times give banners/s and
# the ratio. Also reports the peak RSS of one brandfit check over the whole
# half (GNU time).
#
# Usage: benches/throughput.sh [--half tune|holdout|both]   (default holdout;
#   RUNS=N for more hyperfine runs. As root, installs libvips-tools, hyperfine
#   and time with apt if they are missing. Builds the release binary only if
#   it is not there.)
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { echo "usage: benches/throughput.sh [--half tune|holdout|both]   (env: RUNS=N, default 3, >= 3)"; }
die() { echo "throughput.sh: $*" >&2; exit 2; }

HALF=holdout
while [ $# -gt 0 ]; do
  case "$1" in
    --half) [ $# -ge 2 ] || { usage >&2; exit 2; }; HALF=$2; shift 2 ;;
    --half=*) HALF=${1#--half=}; shift ;;
    -h | --help) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
done
case "$HALF" in
  tune | holdout) halves=("$HALF") ;;
  both) halves=(tune holdout) ;;
  *) usage >&2; exit 2 ;;
esac
RUNS=${RUNS:-3}
if ! [[ "$RUNS" =~ ^[0-9]+$ ]] || [ "$RUNS" -lt 3 ]; then die "RUNS must be a number >= 3 (got '$RUNS')"; fi
JOBS=2 # brandfit -j and xargs -P: both sides use two processes/threads

for h in "${halves[@]}"; do
  [ -f "target/corpus/$h/labels.tsv" ] \
    || die "target/corpus/$h/labels.tsv is missing: run \`bash fixtures/corpus/build.sh\` first"
done

# --- tools ----------------------------------------------------------------------
need=()
if ! command -v vips >/dev/null || ! command -v vipsheader >/dev/null; then need+=(libvips-tools); fi
command -v hyperfine >/dev/null || need+=(hyperfine)
if [ ! -x /usr/bin/time ] && [ "$(id -u)" = 0 ]; then need+=(time); fi
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "throughput.sh: installing ${need[*]}" >&2
    apt-get update -qq || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null \
      || die "apt-get install ${need[*]} failed"
  else
    die "missing: ${need[*]} (apt-get install ${need[*]}, or run this as root)"
  fi
fi
command -v vips >/dev/null || die "vips is not there (Debian: libvips-tools)"
command -v hyperfine >/dev/null || die "hyperfine is not there (Debian: hyperfine)"

BIN="$PWD/target/release/brandfit"
[ -x "$BIN" ] || cargo build --release --quiet

W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT

# --- the files, grouped by mark ---------------------------------------------------
# labels.tsv: '#' lines are comments; the first other line names the columns.
for h in "${halves[@]}"; do
  awk -F'\t' -v dir="$PWD/target/corpus/$h" '
    /^#/ { next }
    !hdr { for (i = 1; i <= NF; i++) col[$i] = i; hdr = 1
           if (!col["file"] || !col["mark"]) { print "labels.tsv: no file/mark column" > "/dev/stderr"; exit 3 }
           next }
    NF { print $(col["mark"]) "\t" dir "/" $(col["file"]) }
  ' "target/corpus/$h/labels.tsv" || die "could not read the columns of target/corpus/$h/labels.tsv"
done | sort > "$W/listed.tsv"
[ -s "$W/listed.tsv" ] || die "no banners listed in labels.tsv"

# Every file must exist and decode with libvips (this pass also warms the page
# cache); the ones that do not are named and left out of both sides.
# shellcheck disable=SC2016 # $1 and $e are the inner sh's
cut -f2 "$W/listed.tsv" | tr '\n' '\0' \
  | xargs -0 -P "$JOBS" -n 1 sh -c 'e=$(vips avg "$1" 2>&1 >/dev/null) || printf "%s\t%s\n" "$1" "$(printf "%s" "$e" | head -n 1)"' sh \
  > "$W/unreadable.tsv" || true
if [ -s "$W/unreadable.tsv" ]; then
  echo "throughput.sh: left out (vips could not read them):" >&2
  sed 's/^/  /' "$W/unreadable.tsv" >&2
fi
awk -F'\t' 'FILENAME == ARGV[1] { bad[$1] = 1; next } !($2 in bad)' "$W/unreadable.tsv" "$W/listed.tsv" > "$W/files.tsv"
[ -s "$W/files.tsv" ] || die "no readable banners"
cut -f2 "$W/files.tsv" | tr '\n' '\0' > "$W/files0"
N=$(wc -l < "$W/files.tsv")
mapfile -t marks < <(cut -f1 "$W/files.tsv" | uniq)
for m in "${marks[@]}"; do
  [ -f "fixtures/corpus/marks/$m/brand.toml" ] || die "fixtures/corpus/marks/$m/brand.toml is missing"
done

# Total megapixels, from the headers (vipsheader: "path: WxH uchar, ...").
MP=$({ xargs -0 vipsheader < "$W/files0" || true; } \
  | sed -nE 's/.*: ([0-9]+)x([0-9]+) .*/\1 \2/p' \
  | awk '{ s += $1 * $2; n++ } END { printf "%.1f %d", s / 1e6, n }')
read -r MP MPN <<< "$MP"
[ "$MPN" = "$N" ] || echo "throughput.sh: note: vipsheader gave sizes for $MPN of $N files" >&2

# --- the two commands ------------------------------------------------------------
{
  echo '#!/usr/bin/env bash'
  printf 'exec xargs -0 -P %d -n 1 vips avg < %q > /dev/null\n' "$JOBS" "$W/files0"
} > "$W/vips.sh"

# One check per mark, one after another. Exit 1 (a rule failed) is a result;
# anything else (2: bad usage or an unreadable input) fails the run, and the
# mark is written to bf-errors.txt so it can be named.
# shellcheck disable=SC2016 # $?, $s and $rc are brandfit.sh's own
{
  echo '#!/usr/bin/env bash'
  echo 'rc=0'
  for m in "${marks[@]}"; do
    mapfile -t fs < <(awk -F'\t' -v m="$m" '$1 == m { print $2 }' "$W/files.tsv")
    printf '%q check -j %d --brand %q --report json' "$BIN" "$JOBS" "$PWD/fixtures/corpus/marks/$m/brand.toml"
    printf ' %q' "${fs[@]}"
    printf ' > /dev/null 2> %q || { s=$?; [ "$s" = 1 ] || { echo "%s exit $s" >> %q; rc=$s; }; }\n' \
      "$W/bf-$m.err" "$m" "$W/bf-errors.txt"
  done
  echo 'exit "$rc"'
} > "$W/brandfit.sh"
chmod +x "$W/vips.sh" "$W/brandfit.sh"

CORES=$(nproc)
CPU=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
echo "half: $HALF — $N banners, ${MP} MP, ${#marks[@]} marks (one brandfit check per mark)"
echo "machine: $CORES cores${CPU:+ ($CPU)}; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "brandfit: $BIN ($(date -r "$BIN" '+%F %T'))"
echo "vips: $(vips --version)"
echo

if ! hyperfine --warmup 1 --min-runs "$RUNS" --export-json "$W/times.json" \
  -n "vips avg (xargs -P $JOBS)" "$W/vips.sh" \
  -n "brandfit check (per mark, -j $JOBS)" "$W/brandfit.sh"; then
  if [ -s "$W/bf-errors.txt" ]; then
    echo "throughput.sh: brandfit failed (exit status other than 0 or 1):" >&2
    sort -u "$W/bf-errors.txt" >&2
    cut -d' ' -f1 "$W/bf-errors.txt" | sort -u | while read -r m; do
      sed "s/^/  $m: /" "$W/bf-$m.err" | head -n 5 >&2
    done
  fi
  exit 1
fi
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

python3 - "$W/times.json" "$N" "$MP" "$CORES" <<'PY'
import json, sys
res = json.load(open(sys.argv[1]))["results"]
n, mp, cores = int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
(v, b) = res
print()
for name, r in (("vips avg", v), ("brandfit", b)):
    m = r["mean"]
    print(f"{name:9} mean {m:7.2f} s ± {r['stddev'] or 0:.2f} ({len(r['times'])} runs): "
          f"{n / m:6.1f} banners/s, {mp / m:6.1f} MP/s")
ratio = v["mean"] / b["mean"]
print(f"brandfit speed / vips avg speed = {ratio:.3f}   (target: >= 0.33; "
      f"{'met' if ratio >= 1 / 3 else 'NOT met'}) on {cores} cores, {n} banners")
PY

# --- peak memory: one check over the whole half -------------------------------------
# One brand guide for all the files (the first mark's): the verdicts do not
# matter here, only what one process over every banner holds at its peak.
echo
if [ -x /usr/bin/time ]; then
  m=${marks[0]}
  mapfile -d '' -t all < "$W/files0"
  rc=0
  /usr/bin/time -v -o "$W/time.txt" "$BIN" check -j "$JOBS" --report json --output "$W/rss.json" \
    --brand "fixtures/corpus/marks/$m/brand.toml" "${all[@]}" 2> "$W/rss.err" || rc=$?
  python3 - "$W/time.txt" "$W/rss.json" "$N" "$m" "$rc" <<'PY'
import json, re, sys
t = open(sys.argv[1]).read()
n, mark, rc = int(sys.argv[3]), sys.argv[4], sys.argv[5]
rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", t).group(1))
wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", t).group(1)
secs = sum(float(p) * 60 ** i for i, p in enumerate(reversed(wall.split(":"))))
try:
    s = json.load(open(sys.argv[2]))["summary"]
except Exception:
    s = "no report"
print(f"peak RSS of one brandfit check over all {n} banners (brand of {mark}, -j 2): "
      f"{rss / 1024:.0f} MB; wall {secs:.1f} s ({n / secs:.1f} banners/s); summary {s}")
PY
  # Exit 1 (rules failed) is expected with one brand for every mark.
  [ "$rc" = 0 ] || [ "$rc" = 1 ] || { echo "throughput.sh: the memory run exited $rc" >&2; head -n 5 "$W/rss.err" >&2; }
else
  echo "peak RSS: skipped (/usr/bin/time is missing: apt-get install time)"
fi
