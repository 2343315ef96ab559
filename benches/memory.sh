#!/usr/bin/env bash
# Peak memory of a render against the size of the campaign.
#   N creatives, each with its own 3840x2160 master (the bundled
#   photo, copied to a file of its own per creative: brandfit decodes each
#   path once), four seed formats each, one `brandfit render -j 2` over
#   all of them; GNU time's maximum resident set size.
#   Baseline: the same run with 4 creatives, in the same script run.
# The target (issue 10): peak RSS for 24 creatives <= 1.3x that for 4.
# Masters are decoded when their first task starts and dropped when their
# last ends, so peak memory depends on -j, not on the number of creatives.
#
# Usage: benches/memory.sh [N...]   (default: 4 24; the first N is the
#   baseline. As root, installs `time` with apt if /usr/bin/time is
#   missing. Builds the release binary.)
set -euo pipefail
cd "$(dirname "$0")/.."

counts=("$@")
[ ${#counts[@]} -gt 0 ] || counts=(4 24)
for n in "${counts[@]}"; do
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "memory.sh: creative counts must be positive numbers (got '$n')" >&2; exit 2; }
done
if [ ! -x /usr/bin/time ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null
  else
    echo "memory.sh: /usr/bin/time is missing (apt-get install time)" >&2; exit 2
  fi
fi

cargo build --release --quiet
BIN="$PWD/target/release/brandfit"
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT

creative() { # creative DIR I: a creative with its own copy of the master
  local dir=$1 i=$2
  cp examples/bloom-season/yellow-flower.jpg "$dir/master-$i.jpg"
  cat > "$dir/creative-$i.toml" <<TOML
brand = "$PWD/brand-guides/bloom.toml"
name = "c$i"
formats = ["facebook-feed", "instagram-story", "medium-rectangle", "leaderboard"]
[background]
image = "master-$i.jpg"
scrim = { color = "leaf", opacity = 0.45 }
[headline]
text = "Summer is in full bloom"
color = "paper"
[body]
text = "Hand-tied bouquets, delivered across the city by noon."
color = "paper"
[cta]
text = "Shop bouquets"
fill = "petal"
color = "#FFFFFF"
TOML
}

echo "machine: $(nproc) cores; brandfit: $BIN"
base=""
for n in "${counts[@]}"; do
  dir="$W/n$n"
  mkdir -p "$dir"
  for i in $(seq 1 "$n"); do creative "$dir" "$i"; done
  /usr/bin/time -f "%M %e" -o "$dir/time.txt" \
    "$BIN" render -j 2 -o "$dir/out" "$dir"/creative-*.toml 2>"$dir/stderr.txt" \
    || { echo "memory.sh: render of $n creatives failed:" >&2; cat "$dir/stderr.txt" >&2; exit 1; }
  read -r kb secs < "$dir/time.txt"
  mb=$(( kb / 1024 ))
  images=$(find "$dir/out" -name '*.png' -o -name '*.jpg' | wc -l)
  if [ -z "$base" ]; then
    base=$kb
    echo "$n creatives ($images banners): peak RSS $mb MB, $secs s   (baseline)"
  else
    ratio=$(awk -v a="$kb" -v b="$base" 'BEGIN { printf "%.2f", a / b }')
    echo "$n creatives ($images banners): peak RSS $mb MB, $secs s   = ${ratio}x the baseline (target <= 1.3x)"
  fi
done
