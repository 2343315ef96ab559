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

/// CIE L*a*b* (D65), as CIEDE2000 expects.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Lab {
    /// Lightness, 0..100.
    pub l: f64,
    /// Green (−) to red (+).
    pub a: f64,
    /// Blue (−) to yellow (+).
    pub b: f64,
}

impl Rgb {
    /// The colour in CIE L*a*b* (sRGB, D65 white).
    pub fn to_lab(self) -> Lab {
        let [r, g, b] = self.0.map(|v| to_linear(v) as f64);
        let x = (0.4124564 * r + 0.3575761 * g + 0.1804375 * b) / 0.95047;
        let y = 0.2126729 * r + 0.7151522 * g + 0.0721750 * b;
        let z = (0.0193339 * r + 0.1191920 * g + 0.9503041 * b) / 1.08883;
        let f = |t: f64| {
            if t > 216.0 / 24389.0 {
                t.cbrt()
            } else {
                (24389.0 / 27.0 * t + 16.0) / 116.0
            }
        };
        let (fx, fy, fz) = (f(x), f(y), f(z));
        Lab {
            l: 116.0 * fy - 16.0,
            a: 500.0 * (fx - fy),
            b: 200.0 * (fy - fz),
        }
    }
}

/// CIEDE2000 colour difference ΔE00 (Sharma, Wu & Dalal 2005), kL = kC = kH = 1.
pub fn delta_e_2000(c1: Lab, c2: Lab) -> f64 {
    use std::f64::consts::PI;
    let deg = |r: f64| r * 180.0 / PI;
    let rad = |d: f64| d * PI / 180.0;
    let c_ab = |c: Lab| (c.a * c.a + c.b * c.b).sqrt();
    let c_bar = (c_ab(c1) + c_ab(c2)) / 2.0;
    let g = 0.5 * (1.0 - (c_bar.powi(7) / (c_bar.powi(7) + 25f64.powi(7))).sqrt());
    let prime = |c: Lab| {
        let a = (1.0 + g) * c.a;
        let cp = (a * a + c.b * c.b).sqrt();
        let hp = if a == 0.0 && c.b == 0.0 {
            0.0
        } else {
            deg(c.b.atan2(a)).rem_euclid(360.0)
        };
        (cp, hp)
    };
    let ((c1p, h1p), (c2p, h2p)) = (prime(c1), prime(c2));
    let dl = c2.l - c1.l;
    let dc = c2p - c1p;
    let dh = if c1p * c2p == 0.0 {
        0.0
    } else {
        let d = h2p - h1p;
        if d > 180.0 {
            d - 360.0
        } else if d < -180.0 {
            d + 360.0
        } else {
            d
        }
    };
    let dh_big = 2.0 * (c1p * c2p).sqrt() * rad(dh / 2.0).sin();
    let l_bar = (c1.l + c2.l) / 2.0;
    let cp_bar = (c1p + c2p) / 2.0;
    let hp_bar = if c1p * c2p == 0.0 {
        h1p + h2p
    } else if (h1p - h2p).abs() <= 180.0 {
        (h1p + h2p) / 2.0
    } else if h1p + h2p < 360.0 {
        (h1p + h2p + 360.0) / 2.0
    } else {
        (h1p + h2p - 360.0) / 2.0
    };
    let t = 1.0 - 0.17 * rad(hp_bar - 30.0).cos()
        + 0.24 * rad(2.0 * hp_bar).cos()
        + 0.32 * rad(3.0 * hp_bar + 6.0).cos()
        - 0.20 * rad(4.0 * hp_bar - 63.0).cos();
    let d_theta = 30.0 * (-((hp_bar - 275.0) / 25.0).powi(2)).exp();
    let rc = 2.0 * (cp_bar.powi(7) / (cp_bar.powi(7) + 25f64.powi(7))).sqrt();
    let sl = 1.0 + 0.015 * (l_bar - 50.0).powi(2) / (20.0 + (l_bar - 50.0).powi(2)).sqrt();
    let sc = 1.0 + 0.045 * cp_bar;
    let sh = 1.0 + 0.015 * cp_bar * t;
    let rt = -rad(2.0 * d_theta).sin() * rc;
    ((dl / sl).powi(2) + (dc / sc).powi(2) + (dh_big / sh).powi(2) + rt * (dc / sc) * (dh_big / sh))
        .sqrt()
}

/// One pixel `p` under `color` at `opacity`, blended in sRGB ("normal",
/// as design tools do): the per-pixel form of `raster::blend::tint`, for scrim panels
/// whose opacity varies across them.
pub fn mix(p: [u8; 3], color: [u8; 3], opacity: f32) -> [u8; 3] {
    [0, 1, 2].map(|k| (p[k] as f32 * (1.0 - opacity) + color[k] as f32 * opacity).round() as u8)
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
    fn ciede2000_matches_sharma_2005_in_both_orders() {
        let table = include_str!("../fixtures/data/ciede2000-sharma2005.tsv");
        let mut pairs = 0;
        for line in table
            .lines()
            .filter(|l| !l.starts_with('#') && !l.starts_with('L'))
        {
            let v: Vec<f64> = line
                .split('\t')
                .map(|x| x.trim().parse().unwrap())
                .collect();
            let (a, b) = (
                Lab {
                    l: v[0],
                    a: v[1],
                    b: v[2],
                },
                Lab {
                    l: v[3],
                    a: v[4],
                    b: v[5],
                },
            );
            for (x, y) in [(a, b), (b, a)] {
                let d = delta_e_2000(x, y);
                assert!(
                    (d - v[6]).abs() < 1e-4,
                    "pair {}: {d} vs {}",
                    pairs + 1,
                    v[6]
                );
            }
            pairs += 1;
        }
        assert_eq!(pairs, 34);
    }

    #[test]
    fn lab_of_white_and_a_known_colour() {
        let w = Rgb::WHITE.to_lab();
        assert!((w.l - 100.0).abs() < 1e-3 && w.a.abs() < 1e-3 && w.b.abs() < 1e-3);
        // sRGB #E4572E: L* 55.60 (ImageMagick agrees), a* 52.82, b* 50.73.
        let o = Rgb([0xE4, 0x57, 0x2E]).to_lab();
        assert!(
            (o.l - 55.60).abs() < 0.01 && (o.a - 52.82).abs() < 0.01 && (o.b - 50.73).abs() < 0.01,
            "{o:?}"
        );
    }

    #[test]
    fn srgb_round_trips_through_linear() {
        for v in 0..=255u8 {
            assert_eq!(to_srgb(to_linear(v)), v);
        }
    }
}
