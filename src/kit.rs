//! Everything a brand needs to render, loaded once and shared by every
//! format: the guide, its fonts and its logo.

use crate::error::Result;
use crate::font::Face;
use crate::logo::Logo;
use crate::spec::Brand;

/// A brand guide with its assets loaded.
#[derive(Debug)]
pub struct BrandKit {
    /// The validated guide.
    pub brand: Brand,
    /// Headline and CTA face.
    pub headline: Face,
    /// Body and legal face.
    pub body: Face,
    /// Fallback faces, in the brand's order.
    pub fallback: Vec<Face>,
    /// The fallback faces to try for headline text, as indices into
    /// `fallback`: see [`fallback_order`].
    pub headline_fallback: Vec<usize>,
    /// The fallback faces to try for body text.
    pub body_fallback: Vec<usize>,
    /// The logo.
    pub logo: Logo,
}

impl BrandKit {
    /// Loads the fonts and logo a brand guide names.
    pub fn load(brand: Brand) -> Result<BrandKit> {
        let fonts = &brand.fonts;
        let headline = Face::load(&fonts.headline)?;
        let body = Face::load(&fonts.body)?;
        let fallback: Vec<Face> = fonts
            .fallback
            .iter()
            .map(Face::load)
            .collect::<Result<_>>()?;
        Ok(BrandKit {
            headline_fallback: fallback_order(&fallback, headline.weight),
            body_fallback: fallback_order(&fallback, body.weight),
            headline,
            body,
            fallback,
            logo: Logo::load(&brand.logo.file)?,
            brand,
        })
    }
}

/// The order in which to try fallback faces for text whose own face has
/// `weight`. Faces of one family (a Regular and a Bold listed in the chain)
/// are tried together, where the family first appears, nearest weight first
/// by the CSS font-weight matching rules (CSS Fonts 4 §5.2): so body copy
/// gets the Regular of a script's family and headlines its Bold, wherever the
/// brand listed them.
pub fn fallback_order(fallback: &[Face], weight: u16) -> Vec<usize> {
    // Where a face's family first appears in the chain; a face with no
    // family name is a family of its own.
    let family_rank = |i: usize| {
        let family = &fallback[i].family;
        if family.is_empty() {
            return i;
        }
        fallback
            .iter()
            .position(|f| &f.family == family)
            .unwrap_or(i)
    };
    let mut order: Vec<usize> = (0..fallback.len()).collect();
    order.sort_by_key(|&i| {
        (
            family_rank(i),
            weight_preference(weight, fallback[i].weight),
        )
    });
    order
}

/// Sort key for an available weight when `desired` is asked for, per CSS
/// Fonts 4 §5.2: 400–500 look up to 500 first, then down, then above 500;
/// lighter than 400 looks down first; bolder than 500 looks up first.
fn weight_preference(desired: u16, available: u16) -> (u8, u16) {
    let (d, a) = (desired, available);
    let up = a.abs_diff(d);
    match d {
        400..=500 if (d..=500).contains(&a) => (0, up),
        400..=500 if a < d => (1, up),
        400..=500 => (2, up),
        _ if d < 400 && a <= d => (0, up),
        _ if d < 400 => (1, up),
        _ if a >= d => (0, up),
        _ => (1, up),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weights_match_as_css_does() {
        let pick = |desired, available: &[u16]| {
            *available
                .iter()
                .min_by_key(|&&a| weight_preference(desired, a))
                .unwrap()
        };
        assert_eq!(pick(400, &[300, 500, 700]), 500);
        assert_eq!(pick(400, &[300, 700]), 300);
        assert_eq!(pick(400, &[600, 700]), 600);
        assert_eq!(pick(700, &[400, 900]), 900);
        assert_eq!(pick(700, &[400, 600]), 600);
        assert_eq!(pick(300, &[400, 200]), 200);
        assert_eq!(pick(300, &[400, 500]), 400);
    }

    #[test]
    fn families_are_tried_together_nearest_weight_first() {
        let face = crate::font::fixture_face;
        let chain = [
            face("NotoSansArabic-Bold.ttf"),
            face("NotoSansHebrew-Bold.ttf"),
            face("NotoSansArabic-Regular.ttf"),
        ];
        assert_eq!(fallback_order(&chain, 400), [2, 0, 1]);
        assert_eq!(fallback_order(&chain, 700), [0, 2, 1]);
    }
}
