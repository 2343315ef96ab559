//! Text rules. Which text is where comes from the layout sidecar (pixels
//! cannot say what was meant to be read); contrast is then measured on the
//! pixels: the glyphs' own colour against the pixels right around them.

use image::RgbImage;

use super::Finding;
use crate::color::Rgb;
use crate::geom::Rect;
use crate::kit::BrandKit;
use crate::sidecar::{Layer, Sidecar};

const SIDECAR_RULES: [&str; 5] = [
    "text.contrast",
    "text.min-size",
    "text.fonts",
    "text.glyphs",
    "text.fit",
];

/// The five text rules (all `skip` without a sidecar).
pub fn rules(img: &RgbImage, sidecar: Option<&Sidecar>, kit: &BrandKit) -> Vec<Finding> {
    let Some(s) = sidecar else {
        return SIDECAR_RULES
            .iter()
            .map(|r| Finding::skip(r, "no layout sidecar: text cannot be told from the picture"))
            .collect();
    };
    let texts: Vec<&Layer> = s.layers.iter().filter(|l| l.lines.is_some()).collect();
    vec![
        contrast(img, &texts, kit),
        min_size(&texts, kit),
        fonts(&texts, kit),
        glyphs(&texts),
        fit(s, &texts),
    ]
}

/// WCAG contrast of each text layer: glyph pixels (those near the layer's
/// colour) against the pixels just beyond their edges; the 10th percentile, so 90 % of
/// what surrounds the letters reaches the ratio reported.
fn contrast(img: &RgbImage, texts: &[&Layer], kit: &BrandKit) -> Finding {
    let rules = kit.brand.text;
    let mut worst: Option<(f32, f32, &Layer)> = None;
    for layer in texts {
        let Some(color) = layer.color.as_deref().and_then(Rgb::parse_hex) else {
            continue;
        };
        let Some(ratio) = crate::legibility::measure_contrast(img, layer.bbox, color) else {
            return Finding::fail(
                "text.contrast",
                format!(
                    "no pixels of the {} colour {color} were found in its box",
                    layer.role
                ),
            )
            .at(layer.bbox);
        };
        let weight = layer
            .fonts
            .iter()
            .map(|f| face_weight(kit, f))
            .max()
            .unwrap_or(400);
        let need = rules.required(layer.size.unwrap_or(0.0), weight);
        let large = need == rules.min_contrast_large && need != rules.min_contrast;
        let margin = ratio / need;
        if worst.is_none_or(|(m, _, _)| margin < m) {
            worst = Some((margin, need, layer));
        }
        if ratio < need {
            return Finding::fail(
                "text.contrast",
                format!(
                    "the {} reaches {ratio:.2}:1 against what is behind it; {} text needs {need}:1",
                    layer.role,
                    if large { "large" } else { "normal" }
                ),
            )
            .values(round2(ratio), need)
            .at(layer.bbox);
        }
    }
    match worst {
        None => Finding::pass("text.contrast", "no text layers"),
        Some((margin, need, layer)) => Finding::pass(
            "text.contrast",
            format!(
                "every text layer is legible; the lowest is the {} at {:.1}:1 (needs {need}:1)",
                layer.role,
                margin * need
            ),
        )
        .values(round1(margin * need), need),
    }
}

fn face_weight(kit: &BrandKit, written: &str) -> u16 {
    [&kit.headline, &kit.body]
        .into_iter()
        .chain(&kit.fallback)
        .find(|f| f.source.written == written)
        .map_or(400, |f| f.weight)
}

fn min_size(texts: &[&Layer], kit: &BrandKit) -> Finding {
    let min = kit.brand.fonts.min_size;
    let smallest = texts
        .iter()
        .filter_map(|l| Some((l.size?, *l)))
        .min_by(|a, b| a.0.total_cmp(&b.0));
    match smallest {
        None => Finding::pass("text.min-size", "no text layers"),
        Some((size, layer)) => Finding::judge(
            "text.min-size",
            size >= min - 0.01,
            if size >= min - 0.01 {
                format!(
                    "the smallest text, the {}, is {size:.1} px (at least {min})",
                    layer.role
                )
            } else {
                format!(
                    "the {} is set at {size:.1} px; the brand's minimum is {min} px",
                    layer.role
                )
            },
        )
        .values(round1(size), min)
        .at(layer.bbox),
    }
}

fn fonts(texts: &[&Layer], kit: &BrandKit) -> Finding {
    let f = &kit.brand.fonts;
    let brand_fonts: Vec<&crate::spec::FontRef> = [&f.headline, &f.body]
        .into_iter()
        .chain(&f.fallback)
        .collect();
    let file_name = |p: &str| {
        std::path::Path::new(p)
            .file_name()
            .map(|n| n.to_os_string())
    };
    let is_brand = |used: &str| {
        brand_fonts
            .iter()
            .any(|b| b.written == used || file_name(&b.written) == file_name(used))
    };
    for layer in texts {
        if let Some(bad) = layer.fonts.iter().find(|u| !is_brand(u)) {
            return Finding::fail(
                "text.fonts",
                format!("the {} uses {bad}, which is not a brand font", layer.role),
            )
            .values(
                bad.clone(),
                brand_fonts
                    .iter()
                    .map(|b| b.written.clone())
                    .collect::<Vec<_>>(),
            )
            .at(layer.bbox);
        }
    }
    Finding::pass("text.fonts", "only brand fonts are used")
}

fn glyphs(texts: &[&Layer]) -> Finding {
    for layer in texts {
        if let Some(c) = layer
            .missing_glyphs
            .iter()
            .flatten()
            .find_map(|s| s.chars().next())
        {
            return Finding::fail(
                "text.glyphs",
                format!(
                    "the {} has \u{201c}{c}\u{201d} (U+{:04X}), which no brand font can draw",
                    layer.role, c as u32
                ),
            )
            .values(format!("U+{:04X}", c as u32), "none missing")
            .at(layer.bbox);
        }
    }
    Finding::pass("text.glyphs", "every character was drawn by a brand font")
}

fn fit(s: &Sidecar, texts: &[&Layer]) -> Finding {
    let canvas = Rect::new(0, 0, s.width as i32, s.height as i32);
    for layer in texts {
        if layer.fit == Some(false) {
            return Finding::fail(
                "text.fit",
                format!("the {} did not fit at the brand's minimum size and was truncated; shorten the copy for this format", layer.role),
            )
            .at(layer.bbox);
        }
        if !canvas.contains(layer.bbox) {
            return Finding::fail(
                "text.fit",
                format!("the {} runs off the canvas", layer.role),
            )
            .at(layer.bbox);
        }
        if let Some(other) = s
            .layers
            .iter()
            .find(|o| o.role != layer.role && o.bbox.overlaps(layer.bbox))
        {
            return Finding::fail(
                "text.fit",
                format!("the {} overlaps the {}", layer.role, other.role),
            )
            .at(layer.bbox.intersect(other.bbox));
        }
    }
    Finding::pass("text.fit", "no text is clipped, truncated or overlapping")
}

fn round2(v: f32) -> f64 {
    (v as f64 * 100.0).round() / 100.0
}

fn round1(v: f32) -> f64 {
    (v as f64 * 10.0).round() / 10.0
}
