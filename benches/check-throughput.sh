#!/usr/bin/env bash
# Throughput and peak memory of `brandfit check` over 1,000 banners of mixed
# seed sizes (the four seed formats of the Bloom example, PNG and JPEG, with
# sidecars, copied 1,000 times over). Needs GNU time (apt: time).
#
# Usage: benches/check-throughput.sh [COUNT]
set -euo pipefail
cd "$(dirname "$0")/.."
command -v /usr/bin/time >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null; }
COUNT=${1:-1000}
cargo build --release --quiet
BIN="$PWD/target/release/brandfit"
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
"$BIN" render examples/bloom-season/creative.toml -o "$W/src" \
  --formats facebook-feed,instagram-story,medium-rectangle,leaderboard >/dev/null
mapfile -t images < <(find "$W/src" -name '*.png' -o -name '*.jpg' | sort)
mkdir -p "$W/batch"
for ((i = 0; i < COUNT; i++)); do
  src=${images[$((i % ${#images[@]}))]}
  ext=${src##*.}
  cp "$src" "$W/batch/b$i.$ext"
  cp "${src%.*}.layout.json" "$W/batch/b$i.layout.json"
done
/usr/bin/time -v "$BIN" check --brand brand-guides/bloom.toml --report json --output "$W/report.json" "$W/batch" 2> "$W/time.txt" || true
python3 - "$W/time.txt" "$W/report.json" "$COUNT" <<'PY'
import json, re, sys
t = open(sys.argv[1]).read()
wall = t.split("Elapsed (wall clock) time (h:mm:ss or m:ss): ")[1].split()[0]
parts = [float(p) for p in wall.split(":")]
secs = sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", t).group(1))
s = json.load(open(sys.argv[2]))["summary"]
n = int(sys.argv[3])
print(f"{n} banners in {secs:.1f} s: {n / secs:.0f} banners/s, peak RSS {rss / 1024:.0f} MB; summary {s}")
PY
