#!/usr/bin/env bash
# Whole-process comparison for the four seed formats from a 4800x3200 JPEG
# master with an SVG logo, headline, body and CTA:
#   brandfit render (one process)  vs
#   ImageMagick: one `convert` per format (resize^, extent, scrim, annotate,
#                CTA, logo composite), the four run in parallel  vs
#   vipsthumbnail: crop-and-shrink only, one process per size, in parallel.
# Every tool writes the same file types brandfit chose (PNG, or JPEG for
# the weight-limited display formats when PNG is over 150 KB).
#
# Usage: benches/compare.sh   (installs imagemagick, libvips-tools and
# hyperfine with apt if missing; prints hyperfine's table and the ratios)
set -euo pipefail
cd "$(dirname "$0")/.."

need() { command -v "$1" >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null; }; }
need convert imagemagick
need vipsthumbnail libvips-tools
need hyperfine hyperfine

cargo build --release --quiet
BIN="$PWD/target/release/brandfit"
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT

# The master: the bundled camera photo scaled to 4800x3200 (15.4 MP), q90.
convert examples/bloom-season/yellow-flower.jpg -resize '4800x3200!' -quality 90 "$W/master.jpg"
LOGO="$PWD/brand-guides/acme/logo.svg"
FONT="$PWD/fixtures/fonts/Inter-Bold.otf"
FONT_BODY="$PWD/fixtures/fonts/Inter-Regular.otf"
cat > "$W/creative.toml" <<TOML
brand = "$PWD/brand-guides/acme.toml"
name = "bench"
formats = ["facebook-feed", "instagram-story", "medium-rectangle", "leaderboard"]
[background]
image = "$W/master.jpg"
scrim = { color = "espresso", opacity = 0.35 }
[headline]
text = "Spring blend is here"
color = "cream"
[body]
text = "Bright, floral, roasted this week."
color = "cream"
[cta]
text = "Order now"
fill = "accent"
color = "cream"
TOML

# Which file type brandfit picks per format, so the others write the same.
"$BIN" render "$W/creative.toml" -o "$W/bf" >/dev/null
ext() { ls "$W/bf/bench/$1".* | grep -v layout.json | sed 's/.*\.//'; }

cat > "$W/magick.sh" <<SH
#!/usr/bin/env bash
# One convert per format, in parallel: cover-resize, centre crop, scrim,
# headline + body text, rounded CTA with label, SVG logo bottom-right.
one() { # id w h headline_pt body_pt ext
  convert "$W/master.jpg" -resize "\${2}x\${3}^" -gravity center -extent "\${2}x\${3}" \\
    -fill '#3B2A20' -colorize 35 \\
    -gravity northwest -font "$FONT" -fill '#F5E6D3' -pointsize "\$4" -annotate +20+20 'Spring blend is here' \\
    -font "$FONT_BODY" -pointsize "\$5" -annotate +20+\$((\$4 * 2)) 'Bright, floral, roasted this week.' \\
    -fill '#E4572E' -draw "roundrectangle 20,\$((\$3 - 70)) 200,\$((\$3 - 20)) 12,12" \\
    -fill '#F5E6D3' -font "$FONT" -pointsize 20 -annotate +40+\$((\$3 - 60)) 'Order now' \\
    \\( -background none -density 96 "$LOGO" -resize "x\$((\$3 / 8 + 10))" \\) -gravity southeast -geometry +16+16 -composite \\
    "$W/im/\$1.\$6"
}
mkdir -p "$W/im"
one facebook-feed 1200 628 64 28 $(ext facebook-feed) &
one instagram-story 1080 1920 96 36 $(ext instagram-story) &
one medium-rectangle 300 250 22 12 $(ext medium-rectangle) &
one leaderboard 728 90 28 12 $(ext leaderboard) &
wait
SH

cat > "$W/vips.sh" <<SH
#!/usr/bin/env bash
mkdir -p "$W/vips"
vipsthumbnail "$W/master.jpg" --size 1200x628 --smartcrop centre -o "$W/vips/facebook-feed.$(ext facebook-feed)" &
vipsthumbnail "$W/master.jpg" --size 1080x1920 --smartcrop centre -o "$W/vips/instagram-story.$(ext instagram-story)" &
vipsthumbnail "$W/master.jpg" --size 300x250 --smartcrop centre -o "$W/vips/medium-rectangle.$(ext medium-rectangle)" &
vipsthumbnail "$W/master.jpg" --size 728x90 --smartcrop centre -o "$W/vips/leaderboard.$(ext leaderboard)" &
wait
SH
chmod +x "$W/magick.sh" "$W/vips.sh"

hyperfine --warmup 2 --runs "${RUNS:-10}" --export-json "$W/times.json" \
  -n brandfit "$BIN render $W/creative.toml -o $W/bf" \
  -n imagemagick "$W/magick.sh" \
  -n vipsthumbnail "$W/vips.sh"

python3 - "$W/times.json" <<'PY'
import json, sys
r = {x["command"]: x["median"] for x in json.load(open(sys.argv[1]))["results"]}
b, m, v = r["brandfit"], r["imagemagick"], r["vipsthumbnail"]
print(f"\nmedians: brandfit {b*1000:.0f} ms, imagemagick {m*1000:.0f} ms, vipsthumbnail {v*1000:.0f} ms")
print(f"imagemagick / brandfit = {m/b:.2f}x   (target: >= 5x)")
print(f"brandfit / vipsthumbnail = {b/v:.2f}x   (target: <= 1.5x)")
PY
