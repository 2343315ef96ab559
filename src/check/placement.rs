//! Where the logo is: `logo.present`, `logo.corner`, `logo.margin`,
//! `logo.min-size`, `logo.aspect`, and `safe-zone` for logo and text.

use super::Finding;
use super::logo::{LogoMatch, LogoModel};
use crate::geom::{Corner, Rect};
use crate::sidecar::Sidecar;
use crate::spec::{Brand, Format};

/// The quarter of `safe` at `corner`.
pub fn corner_quadrant(safe: Rect, corner: Corner) -> Rect {
    let (hw, hh) = (safe.w / 2, safe.h / 2);
    let x = if corner.is_left() {
        safe.x
    } else {
        safe.x + safe.w - hw
    };
    let y = if corner.is_top() {
        safe.y
    } else {
        safe.y + safe.h - hh
    };
    Rect::new(x, y, hw, hh)
}

/// Where the corner search looks: the corner quadrant of the safe area,
/// out to the frame's edges on the corner's sides, so a mark in the unsafe
/// inset next to its corner is found there (and failed by safe-zone), not
/// left to the whole frame's search. Tune half: 3488 -> 3494 verdicts right.
pub fn corner_search_area(frame: Rect, safe: Rect, corner: Corner) -> Rect {
    let x = if corner.is_left() {
        frame.x
    } else {
        frame.right() - 1
    };
    let y = if corner.is_top() {
        frame.y
    } else {
        frame.bottom() - 1
    };
    corner_quadrant(safe, corner).union(Rect::new(x, y, 1, 1))
}

/// Which corner quadrant of `safe` holds the centre of `r`. Along an axis
/// where the logo and its margin do not fit in half the safe area (the
/// height of a 320x50 strip, say) no position can put it in one half, so
/// that axis takes the brand's side: only the other is judged.
fn quadrant_of(safe: Rect, r: Rect, brand: Corner, margin: i32) -> Corner {
    let (cx, cy) = (r.x * 2 + r.w, r.y * 2 + r.h);
    let left = if 2 * (r.w + margin) > safe.w {
        brand.is_left()
    } else {
        cx < safe.x * 2 + safe.w
    };
    let top = if 2 * (r.h + margin) > safe.h {
        brand.is_top()
    } else {
        cy < safe.y * 2 + safe.h
    };
    match (top, left) {
        (true, true) => Corner::TopLeft,
        (true, false) => Corner::TopRight,
        (false, true) => Corner::BottomLeft,
        (false, false) => Corner::BottomRight,
    }
}

/// The five logo rules.
pub fn logo_rules(
    found: Option<&LogoMatch>,
    brand: &Brand,
    corner: Corner,
    model: &LogoModel,
    safe: Rect,
) -> Vec<Finding> {
    let rules = &brand.logo;
    let Some(m) = found.filter(|m| m.is_present()) else {
        let message = match found {
            Some(m) => format!(
                "the {} logo was not found: the best match, at {},{} ({}x{} px), scores {:.2}; this image needs {:.2}",
                brand.name, m.rect.x, m.rect.y, m.rect.w, m.rect.h, m.score, m.needed
            ),
            None => format!(
                "the {} logo was not found: nothing in the image resembles it",
                brand.name
            ),
        };
        let mut finding = Finding::fail("logo.present", message);
        if let Some(m) = found {
            finding = finding.values(evidence(m), threshold(m)).at(m.rect);
        }
        let mut out = vec![finding];
        for rule in ["logo.corner", "logo.margin", "logo.min-size", "logo.aspect"] {
            out.push(Finding::skip(rule, "no logo found"));
        }
        return out;
    };
    let r = m.rect;
    let mut out = vec![
        Finding::pass(
            "logo.present",
            format!(
                "logo found at {},{} ({}x{} px), match {:.2} (this image needs {:.2}; next best {:.2})",
                r.x, r.y, r.w, r.h, m.score, m.needed, m.runner_up
            ),
        )
        .values(evidence(m), threshold(m))
        .at(r),
    ];

    let actual = quadrant_of(safe, r, corner, rules.margin as i32);
    let in_corner = actual == corner && safe.contains(r);
    out.push(
        Finding::judge(
            "logo.corner",
            in_corner,
            if in_corner {
                format!("logo is in the {} corner", corner.as_str())
            } else if actual != corner {
                format!("logo is in the {} corner; the brand asks for {}", actual.as_str(), corner.as_str())
            } else {
                format!("logo reaches outside the safe area; the brand asks for the {} corner inside it", corner.as_str())
            },
        )
        .values(actual.as_str(), corner.as_str())
        .at(r),
    );

    if actual != corner {
        out.push(Finding::skip("logo.margin", "logo is not in its corner"));
    } else {
        let dx = if corner.is_left() {
            r.x - safe.x
        } else {
            safe.right() - r.right()
        };
        let dy = if corner.is_top() {
            r.y - safe.y
        } else {
            safe.bottom() - r.bottom()
        };
        let (hname, vname) = (
            if corner.is_left() { "left" } else { "right" },
            if corner.is_top() { "top" } else { "bottom" },
        );
        let min = rules.margin as i32 - 1;
        let max = rules.max_margin.map(|m| m as i32 + 1);
        let problem = [(dx, hname), (dy, vname)]
            .into_iter()
            .find_map(|(d, edge)| {
                if d < min {
                    Some(format!(
                        "logo is {d} px from the {edge} edge; the brand asks for at least {} px",
                        rules.margin
                    ))
                } else if max.is_some_and(|mx| d > mx) {
                    Some(format!(
                        "logo is {d} px from the {edge} edge; the brand allows at most {} px",
                        rules.max_margin.unwrap_or(0)
                    ))
                } else {
                    None
                }
            });
        let expected = match rules.max_margin {
            Some(mx) => serde_json::json!([rules.margin, mx]),
            None => serde_json::json!(rules.margin),
        };
        out.push(
            Finding::judge(
                "logo.margin",
                problem.is_none(),
                problem.unwrap_or_else(|| {
                    format!("logo is {dx} px from the {hname} and {dy} px from the {vname} edge")
                }),
            )
            .values(serde_json::json!([dx, dy]), expected)
            .at(r),
        );
    }

    out.push(match rules.min_width {
        Some(min) => Finding::judge(
            "logo.min-size",
            r.w >= min as i32,
            if r.w >= min as i32 {
                format!("logo is {} px wide (at least {min})", r.w)
            } else {
                format!(
                    "logo is {} px wide; the brand asks for at least {min} px",
                    r.w
                )
            },
        )
        .values(r.w, min)
        .at(r),
        None => Finding::pass(
            "logo.min-size",
            format!("logo is {} px wide; the brand sets no minimum", r.w),
        )
        .values(r.w, serde_json::Value::Null),
    });

    // The box is the stretched fit's when that fitted clearly better.
    let measured = r.w as f32 / r.h as f32;
    let deviation = (measured / model.aspect - 1.0) * 100.0;
    // A box of whole pixels cannot show proportions finer than one pixel
    // per side: small logos get that much slack on top of the 2 %.
    let slack = 2.0 + 100.0 * (1.0 / r.h.max(1) as f32 + 1.0 / r.w.max(1) as f32);
    out.push(
        Finding::judge(
            "logo.aspect",
            deviation.abs() <= slack,
            if deviation.abs() <= slack {
                format!(
                    "logo proportions match the file (within {:.1} %)",
                    deviation.abs()
                )
            } else {
                format!(
                    "logo is {} by {:.0} % (aspect {measured:.2}, the file's is {:.2})",
                    if deviation > 0.0 {
                        "stretched wide"
                    } else {
                        "squeezed narrow"
                    },
                    deviation.abs(),
                    model.aspect
                )
            },
        )
        .values(round2(measured), round2(model.aspect))
        .at(r),
    );
    out
}

/// `safe-zone`: no logo (pixels) and no text (sidecar) under the platform's interface.
pub fn safe_zone(logo: Option<&LogoMatch>, sidecar: Option<&Sidecar>, format: &Format) -> Finding {
    if format.insets.is_none() {
        return Finding::pass("safe-zone", format!("{} has no unsafe insets", format.id));
    }
    let safe = format.safe_area();
    let mut intruders: Vec<(String, Rect)> = Vec::new();
    if let Some(m) = logo
        && !safe.contains(m.rect)
    {
        intruders.push(("logo".into(), m.rect));
    }
    if let Some(s) = sidecar {
        for l in s
            .layers
            .iter()
            .filter(|l| l.role != "logo" && !safe.contains(l.bbox))
        {
            intruders.push((l.role.clone(), l.bbox));
        }
    }
    let checked = if sidecar.is_some() {
        "logo and text"
    } else {
        "logo (no sidecar: text not checked)"
    };
    match intruders.first() {
        None => Finding::pass("safe-zone", format!("{checked} clear of the platform's interface")).at(safe),
        Some((role, r)) => Finding::fail(
            "safe-zone",
            format!(
                "the {role} reaches into the area {} covers with its interface (safe area is y {}..{}, x {}..{})",
                format.platform,
                safe.y,
                safe.bottom(),
                safe.x,
                safe.right()
            ),
        )
        .values(intruders.iter().map(|(r, _)| r.clone()).collect::<Vec<_>>(), "inside the safe area")
        .at(*r),
    }
}

/// What `logo.present` measured: the match's score and the best score elsewhere.
fn evidence(m: &LogoMatch) -> serde_json::Value {
    serde_json::json!({
        "score": round2(m.score),
        "runner_up": round2(m.runner_up),
        "coverage": round2(m.coverage),
        "unseen": round2(m.unseen),
    })
}

/// The score the decision asked of this image.
fn threshold(m: &LogoMatch) -> serde_json::Value {
    serde_json::json!({ "score": round2(m.needed) })
}

fn round2(v: f32) -> f64 {
    (v as f64 * 100.0).round() / 100.0
}
