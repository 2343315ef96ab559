#!/usr/bin/env python3
"""The README's contact sheet: every format of the two main examples, from
the README's main command's output (`out/`), English and French banners
alternating for Bloom.

Usage: python3 docs/contact_sheet.py [OUT_DIR]   (default: out; needs Pillow)
Writes docs/contact-sheet.jpg.
"""
import sys
from pathlib import Path

from PIL import Image, ImageDraw

root = Path(__file__).resolve().parent.parent
out = Path(sys.argv[1]) if len(sys.argv) > 1 else root / "out"
WIDTH, GAP, LABEL = 1600, 8, 16


def banners():
    spring = sorted((out / "spring-blend").glob("*.png")) + sorted((out / "spring-blend").glob("*.jpg"))
    season = []
    for i, f in enumerate(sorted((out / "bloom-season" / "en").glob("*.*"))):
        if f.suffix not in (".png", ".jpg"):
            continue
        lang = "en" if i % 2 == 0 else "fr"
        season.append(out / "bloom-season" / lang / f.name)
    for f in spring + season:
        if f.exists():
            yield f, f"{f.parent.relative_to(out)}/{f.stem}"


def row_height(img):
    # Strips at their own size; everything else 250 px high.
    return img.height if img.height <= 100 else 250


def main():
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
