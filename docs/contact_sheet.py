#!/usr/bin/env python3
"""The README's contact sheet: every format of spring-blend, bloom-season
(English and French banners alternating) and bloom-meadow, from the
README's main command's output (`out/`).

With --scripts, docs/scripts.jpg instead: bloom-world's facebook-feed in
each of its six languages, two to a row.

Usage: python3 docs/contact_sheet.py [--scripts] [OUT_DIR]   (default: out;
needs Pillow). Writes docs/contact-sheet.jpg (or docs/scripts.jpg).
"""
import sys
from pathlib import Path

from PIL import Image, ImageDraw

root = Path(__file__).resolve().parent.parent
args = [a for a in sys.argv[1:] if a != "--scripts"]
scripts = "--scripts" in sys.argv[1:]
out = Path(args[0]) if args else root / "out"
WIDTH, GAP, LABEL = 1600, 8, 16


def banners():
    spring = sorted((out / "spring-blend").glob("*.png")) + sorted((out / "spring-blend").glob("*.jpg"))
    season = []
    for i, f in enumerate(sorted((out / "bloom-season" / "en").glob("*.*"))):
        if f.suffix not in (".png", ".jpg"):
            continue
        lang = "en" if i % 2 == 0 else "fr"
        season.append(out / "bloom-season" / lang / f.name)
    meadow = sorted((out / "bloom-meadow").glob("*.png")) + sorted((out / "bloom-meadow").glob("*.jpg"))
    for f in spring + season + meadow:
        if f.exists():
            yield f, f"{f.parent.relative_to(out)}/{f.stem}"


def row_height(img):
    # Strips at their own size; everything else 250 px high.
    return img.height if img.height <= 100 else 250


def scripts_sheet():
    langs = ["ko", "ja", "ar", "hi", "he", "th"]
    tiles = []
    for lang in langs:
        path = out / "bloom-world" / lang / "facebook-feed.png"
        if not path.exists():
            sys.exit(f"contact_sheet.py: {path} is missing; run the README's main command first")
        img = Image.open(path).convert("RGB")
        tiles.append(img.resize((600, round(img.height * 600 / img.width)), Image.LANCZOS))
    th = tiles[0].height
    sheet = Image.new("RGB", (2 * 600 + GAP, 3 * th + 2 * GAP), (255, 255, 255))
    for i, t in enumerate(tiles):
        sheet.paste(t, ((i % 2) * (600 + GAP), (i // 2) * (th + GAP)))
    dest = root / "docs" / "scripts.jpg"
    sheet.save(dest, quality=85)
    print(f"wrote {dest}", file=sys.stderr)


def main():
    if scripts:
        return scripts_sheet()
    items = []
    for path, label in banners():
        img = Image.open(path).convert("RGB")
        h = row_height(img)
        w = round(img.width * h / img.height)
        items.append((img.resize((w, h), Image.LANCZOS), label))
    if not items:
        sys.exit(f"contact_sheet.py: no banners under {out}; run the README's main command first")
    rows, row, used = [], [], 0
    for it in items:
        if row and used + it[0].width > WIDTH:
            rows.append(row)
            row, used = [], 0
        row.append(it)
        used += it[0].width + GAP
    rows.append(row)
    height = sum(max(i.height for i, _ in r) + LABEL + GAP for r in rows)
    sheet = Image.new("RGB", (WIDTH, height), (240, 240, 240))
    draw = ImageDraw.Draw(sheet)
    y = 0
    for r in rows:
        total = sum(i.width for i, _ in r) + GAP * (len(r) - 1)
        x = (WIDTH - total) // 2
        h = max(i.height for i, _ in r)
        for img, label in r:
            sheet.paste(img, (x, y))
            tw = draw.textlength(label)
            draw.text((x + (img.width - tw) / 2, y + h + 2), label, fill=(20, 20, 20))
            x += img.width + GAP
        y += h + LABEL + GAP
    dest = root / "docs" / "contact-sheet.jpg"
    sheet.save(dest, quality=85)
    print(f"wrote {dest}", file=sys.stderr)


if __name__ == "__main__":
    main()
