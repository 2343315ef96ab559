#!/usr/bin/env python3
"""Time of one `brandfit check` per banner, the way a CI job checking one
file sees it (process start, decode, every rule; one thread).

The banners are the labelled corpus in target/corpus/<half>/ (build it with
`bash fixtures/corpus/build.sh`); each is checked against its mark's brand
guide with its named format. Prints the count, median, mean and worst
times and the slowest banners with their labels.

Usage: python3 benches/per-banner.py [--half tune|holdout] [--every N]
  (default: holdout, every 4th banner). Build the release binary first:
  cargo build --release
"""
import argparse
import csv
import statistics
import subprocess
import sys
import time
from pathlib import Path

root = Path(__file__).resolve().parent.parent
ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
ap.add_argument("--half", choices=["tune", "holdout"], default="holdout")
ap.add_argument("--every", type=int, default=4, help="time every Nth banner")
ap.add_argument("--slowest", type=int, default=5, help="how many slow banners to list")
args = ap.parse_args()

binary = root / "target/release/brandfit"
labels = root / "target/corpus" / args.half / "labels.tsv"
if not binary.exists():
    sys.exit(f"per-banner.py: {binary} is missing: run cargo build --release")
if not labels.exists():
    sys.exit(f"per-banner.py: {labels} is missing: run bash fixtures/corpus/build.sh")

with labels.open() as f:
    rows = list(csv.DictReader((l for l in f if not l.startswith("#")), delimiter="\t"))
times = []
for row in rows[:: max(args.every, 1)]:
    brand = root / "fixtures/corpus/marks" / row["mark"] / "brand.toml"
    banner = labels.parent / row["file"]
    command = [str(binary), "check", "-j", "1", "--brand", str(brand), "--report", "json", str(banner)]
    if row["format"]:
        command[6:6] = ["--formats", row["format"]]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True)
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        sys.exit(f"per-banner.py: {banner}: exit {done.returncode}: {done.stderr.decode()[:300]}")
    times.append((elapsed, row["file"], row["tags"][:60]))

seconds = [t for t, _, _ in times]
print(
    f"{args.half}: {len(times)} banners, median {statistics.median(seconds):.3f} s, "
    f"mean {statistics.mean(seconds):.3f} s, worst {max(seconds):.3f} s"
)
for t, name, tags in sorted(times, reverse=True)[: args.slowest]:
    print(f"  {t:.2f} s  {name}  {tags}")
