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
    /// Fallback faces, in order.
    pub fallback: Vec<Face>,
    /// The logo.
    pub logo: Logo,
}

impl BrandKit {
    /// Loads the fonts and logo a brand guide names.
    pub fn load(brand: Brand) -> Result<BrandKit> {
        let fonts = &brand.fonts;
        Ok(BrandKit {
            headline: Face::load(&fonts.headline)?,
            body: Face::load(&fonts.body)?,
            fallback: fonts
                .fallback
                .iter()
                .map(Face::load)
                .collect::<Result<_>>()?,
            logo: Logo::load(&brand.logo.file)?,
            brand,
        })
    }
}
