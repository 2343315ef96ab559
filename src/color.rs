//! sRGB colours: parsing, WCAG luminance and contrast, and the linear-light
//! lookup tables the rasteriser blends in.

use std::fmt;
use std::sync::OnceLock;

/// An opaque sRGB colour, 8 bits per channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rgb(pub [u8; 3]);

impl Rgb {
    /// White.
    pub const WHITE: Rgb = Rgb([255, 255, 255]);
    /// Black.
    pub const BLACK: Rgb = Rgb([0, 0, 0]);

    /// Parses `#RGB` or `#RRGGBB` (case-insensitive).
    pub fn parse_hex(text: &str) -> Option<Rgb> {
        let hex = text.strip_prefix('#')?;
        if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let digit = |i: usize| u8::from_str_radix(&hex[i..i + 1], 16).ok();
        match hex.len() {
            3 => Some(Rgb([digit(0)? * 17, digit(1)? * 17, digit(2)? * 17])),
            6 => {
                let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
                Some(Rgb([byte(0)?, byte(2)?, byte(4)?]))
            }
            _ => None,
        }
    }

    /// `#RRGGBB`, upper case.
    pub fn to_hex(self) -> String {
        let [r, g, b] = self.0;
        format!("#{r:02X}{g:02X}{b:02X}")
    }

    /// WCAG 2.x relative luminance, 0 (black) to 1 (white).
    pub fn luminance(self) -> f32 {
        let [r, g, b] = self.0.map(to_linear);
        0.2126 * r + 0.7152 * g + 0.0722 * b
    }
}

impl fmt::Display for Rgb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

/// WCAG 2.x contrast ratio between two relative luminances (1 to 21).
pub fn contrast_ratio(l1: f32, l2: f32) -> f32 {
    let (hi, lo) = if l1 > l2 { (l1, l2) } else { (l2, l1) };
    (hi + 0.05) / (lo + 0.05)
}

/// sRGB 8-bit value to linear light, 0..1.
pub fn to_linear(v: u8) -> f32 {
    linear_table()[v as usize]
}

/// Linear light 0..1 back to the nearest sRGB 8-bit value.
pub fn to_srgb(linear: f32) -> u8 {
    let table = srgb_table();
    let i = (linear.clamp(0.0, 1.0) * (SRGB_STEPS - 1) as f32).round() as usize;
    table[i]
}

const SRGB_STEPS: usize = 4096;

fn linear_table() -> &'static [f32; 256] {
    static TABLE: OnceLock<[f32; 256]> = OnceLock::new();
    TABLE.get_or_init(|| {
        std::array::from_fn(|i| {
            let c = i as f64 / 255.0;
            let l = if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            };
            l as f32
        })
    })
}

fn srgb_table() -> &'static [u8; SRGB_STEPS] {
    static TABLE: OnceLock<[u8; SRGB_STEPS]> = OnceLock::new();
    TABLE.get_or_init(|| {
        std::array::from_fn(|i| {
            let l = i as f64 / (SRGB_STEPS - 1) as f64;
            let c = if l <= 0.0031308 {
                l * 12.92
            } else {
                1.055 * l.powf(1.0 / 2.4) - 0.055
            };
            (c * 255.0).round().clamp(0.0, 255.0) as u8
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_short_and_long_hex() {
        assert_eq!(Rgb::parse_hex("#F5E6D3"), Some(Rgb([0xF5, 0xE6, 0xD3])));
        assert_eq!(Rgb::parse_hex("#fff"), Some(Rgb::WHITE));
        assert_eq!(Rgb::parse_hex("F5E6D3"), None);
        assert_eq!(Rgb::parse_hex("#F5E6D"), None);
        assert_eq!(Rgb::parse_hex("#GGGGGG"), None);
        assert_eq!(Rgb([59, 42, 32]).to_hex(), "#3B2A20");
    }

    #[test]
    fn wcag_contrast_of_black_on_white_is_21() {
        let ratio = contrast_ratio(Rgb::WHITE.luminance(), Rgb::BLACK.luminance());
        assert!((ratio - 21.0).abs() < 1e-4);
        // WCAG's own example pair: #777777 on white is about 4.48.
        let grey = Rgb([0x77, 0x77, 0x77]).luminance();
        assert!((contrast_ratio(grey, 1.0) - 4.48).abs() < 0.01);
    }

    #[test]
    fn srgb_round_trips_through_linear() {
        for v in 0..=255u8 {
            assert_eq!(to_srgb(to_linear(v)), v);
        }
    }
}
