//! The brand guide (SPEC §2): logo placement, palette, fonts, text rules and
//! brand-specific formats.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use toml::Spanned;

use super::Source;
use super::formats::{Format, FormatCatalog, MAX_SIDE};
use crate::color::Rgb;
use crate::error::Result;
use crate::geom::{Corner, Insets};

/// A validated brand guide.
#[derive(Debug, Clone)]
pub struct Brand {
    /// Display name, e.g. "Acme Coffee".
    pub name: String,
    /// The guide's own file.
    pub path: PathBuf,
    /// Default target formats.
    pub formats: Vec<Format>,
    /// Built-in plus brand formats.
    pub catalog: FormatCatalog,
    /// Where and how big the logo goes.
    pub logo: LogoRules,
    /// Palette and tolerance.
    pub colors: ColorRules,
    /// Brand fonts.
    pub fonts: FontRules,
    /// Legibility rules.
    pub text: TextRules,
}

/// Logo placement rules.
#[derive(Debug, Clone, PartialEq)]
pub struct LogoRules {
    /// SVG or PNG file, resolved against the guide's folder.
    pub file: PathBuf,
    /// The safe-area corner it sits in.
    pub corner: Corner,
    /// Minimum px between the logo box and both corner edges of the safe area.
    pub margin: u32,
    /// Maximum distance from the corner, if the brand sets one.
    pub max_margin: Option<u32>,
    /// Smallest allowed logo width in px.
    pub min_width: Option<u32>,
    /// Logo height as a fraction of the safe area's short side.
    pub height: Option<f32>,
    /// Mirror the corner for right-to-left variants.
    pub mirror_rtl: bool,
}

/// The palette: brand colours plus allowed neutrals.
#[derive(Debug, Clone, PartialEq)]
pub struct ColorRules {
    /// Allowed CIEDE2000 distance from a palette colour.
    pub tolerance: f32,
    /// Named brand colours, in name order.
    pub palette: Vec<(String, Rgb)>,
    /// Neutrals also allowed (not brand colours).
    pub neutrals: Vec<Rgb>,
}

/// A font file, and for a collection the face within it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FontRef {
    /// The file, resolved against the guide's folder.
    pub file: PathBuf,
    /// Face index in a `.ttc` collection (0 for a single font).
    pub index: u32,
    /// The path as the guide wrote it, for reports.
    pub written: String,
}

/// The brand's fonts.
#[derive(Debug, Clone, PartialEq)]
pub struct FontRules {
    /// Headline (and CTA) font.
    pub headline: FontRef,
    /// Body and legal font.
    pub body: FontRef,
    /// Tried in order for characters the main font lacks.
    pub fallback: Vec<FontRef>,
    /// Smallest allowed text, px per em.
    pub min_size: f32,
}

/// WCAG contrast rules.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TextRules {
    /// Ratio for normal text.
    pub min_contrast: f32,
    /// Ratio for large text (>= 24 px, or >= 18.66 px bold).
    pub min_contrast_large: f32,
}

impl TextRules {
    /// The WCAG ratio text of `size` px per em and `weight` (OS/2 class)
    /// must reach: large text is at least 24 px, or 18.66 px when bold.
    pub fn required(&self, size: f32, weight: u16) -> f32 {
        let large = size >= 24.0 || (weight >= 700 && size >= 18.66);
        if large {
            self.min_contrast_large
        } else {
            self.min_contrast
        }
    }
}

impl Brand {
    /// The logo corner for copy in `lang`: mirrored for a right-to-left
    /// language when the brand sets `logo.mirror_rtl`.
    pub fn logo_corner(&self, lang: Option<&str>) -> crate::geom::Corner {
        if self.logo.mirror_rtl && lang.is_some_and(crate::shape::is_rtl_language) {
            self.logo.corner.mirrored()
        } else {
            self.logo.corner
        }
    }

    /// Reads and validates a brand guide.
    pub fn load(path: &Path) -> Result<Brand> {
        Brand::from_source(&Source::read(path)?)
    }

    /// Validates a brand guide already read into memory.
    pub fn from_source(src: &Source) -> Result<Brand> {
        let file: BrandFile = src.parse()?;
        file.validate(src)
    }

    /// A colour by palette name or `#hex`.
    pub fn color(&self, text: &str) -> Option<Rgb> {
        if text.starts_with('#') {
            return Rgb::parse_hex(text);
        }
        self.colors
            .palette
            .iter()
            .find(|(name, _)| name == text)
            .map(|(_, c)| *c)
    }

    /// Every colour a flat area may have: palette then neutrals.
    pub fn allowed_colors(&self) -> impl Iterator<Item = Rgb> + '_ {
        self.colors
            .palette
            .iter()
            .map(|(_, c)| *c)
            .chain(self.colors.neutrals.iter().copied())
    }

    /// The palette name of a colour, if it is one.
    pub fn palette_name(&self, color: Rgb) -> Option<&str> {
        self.colors
            .palette
            .iter()
            .find(|(_, c)| *c == color)
            .map(|(n, _)| n.as_str())
    }

    /// Palette names, for hints.
    pub fn palette_names(&self) -> Vec<&str> {
        self.colors
            .palette
            .iter()
            .map(|(n, _)| n.as_str())
            .collect()
    }

    /// Looks up a target format id (built-in, brand or `WxH`).
    pub fn format(&self, id: &str) -> Option<Format> {
        self.catalog.get(id)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BrandFile {
    name: Spanned<String>,
    #[serde(default)]
    formats: Vec<Spanned<String>>,
    logo: LogoFile,
    colors: ColorsFile,
    fonts: FontsFile,
    #[serde(default)]
    text: TextFile,
    #[serde(default)]
    custom_formats: BTreeMap<String, Spanned<CustomFormatFile>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LogoFile {
    file: Spanned<String>,
    corner: Corner,
    margin: Spanned<u32>,
    max_margin: Option<Spanned<u32>>,
    min_width: Option<u32>,
    height: Option<Spanned<f32>>,
    #[serde(default)]
    mirror_rtl: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ColorsFile {
    #[serde(default = "default_tolerance")]
    tolerance: Spanned<f32>,
    #[serde(default)]
    neutrals: Vec<Spanned<String>>,
    palette: Spanned<BTreeMap<String, Spanned<String>>>,
}

fn default_tolerance() -> Spanned<f32> {
    Spanned::new(0..0, 2.0)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FontsFile {
    headline: Spanned<FontRefFile>,
    body: Spanned<FontRefFile>,
    #[serde(default)]
    fallback: Vec<Spanned<FontRefFile>>,
    #[serde(default = "default_min_size")]
    min_size: Spanned<f32>,
}

fn default_min_size() -> Spanned<f32> {
    Spanned::new(0..0, 12.0)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, default)]
struct TextFile {
    min_contrast: f32,
    min_contrast_large: f32,
}

impl Default for TextFile {
    fn default() -> Self {
        Self {
            min_contrast: 4.5,
            min_contrast_large: 3.0,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CustomFormatFile {
    width: u32,
    height: u32,
    max_kb: Option<u64>,
    platform: Option<String>,
    #[serde(default, rename = "unsafe")]
    insets: Insets,
}

/// `"fonts/Inter.otf"` or `{ file = "fonts/Noto.ttc", index = 1 }`.
struct FontRefFile {
    file: String,
    index: u32,
}

impl<'de> Deserialize<'de> for FontRefFile {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = FontRefFile;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a font path, or a table { file = \"...\", index = N }")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> std::result::Result<FontRefFile, E> {
                Ok(FontRefFile {
                    file: v.to_string(),
                    index: 0,
                })
            }
            fn visit_map<A: MapAccess<'de>>(
                self,
                map: A,
            ) -> std::result::Result<FontRefFile, A::Error> {
                #[derive(Deserialize)]
                #[serde(deny_unknown_fields)]
                struct Table {
                    file: String,
                    #[serde(default)]
                    index: u32,
                }
                let t = Table::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(FontRefFile {
                    file: t.file,
                    index: t.index,
                })
            }
        }
        d.deserialize_any(V)
    }
}

impl BrandFile {
    fn validate(self, src: &Source) -> Result<Brand> {
        if self.name.get_ref().trim().is_empty() {
            return Err(src.error(&self.name, "the brand `name` is empty"));
        }

        let logo = self.logo.validate(src)?;
        let colors = self.colors.validate(src)?;
        let fonts = self.fonts.validate(src)?;
        if !(self.text.min_contrast >= 1.0 && self.text.min_contrast_large >= 1.0) {
            return Err(crate::error::Error::invalid(
                crate::error::Location::file(&src.path),
                crate::error::InputKind::Toml,
                "[text] contrast ratios must be at least 1 (WCAG ratios run from 1 to 21)",
            ));
        }

        let mut extra = Vec::new();
        for (id, spanned) in &self.custom_formats {
            let f = spanned.get_ref();
            let bad_size =
                f.width == 0 || f.height == 0 || f.width > MAX_SIDE || f.height > MAX_SIDE;
            if bad_size {
                return Err(src.error(
                    spanned,
                    format!("custom format `{id}` needs a width and height from 1 to {MAX_SIDE}"),
                ));
            }
            let i = f.insets;
            let fractions_ok = [i.top, i.bottom, i.left, i.right]
                .iter()
                .all(|v| (0.0..0.5).contains(v));
            if !fractions_ok || i.top + i.bottom >= 0.9 || i.left + i.right >= 0.9 {
                return Err(src.error_hint(
                    spanned,
                    format!("custom format `{id}` has unusable unsafe insets"),
                    "insets are fractions of the canvas from 0 to 0.5, e.g. unsafe = { top = 0.1 }",
                ));
            }
            if FormatCatalog::default().get(id).is_some() {
                return Err(src.error(
                    spanned,
                    format!(
                        "custom format `{id}` reuses a built-in format id; choose another name"
                    ),
                ));
            }
            extra.push(Format {
                id: id.clone(),
                width: f.width,
                height: f.height,
                platform: f.platform.clone().unwrap_or_else(|| "Custom".to_string()),
                max_kb: f.max_kb,
                insets: f.insets,
            });
        }
        let catalog = FormatCatalog::with(extra);
        let formats = resolve_formats(src, &catalog, &self.formats)?;

        Ok(Brand {
            name: self.name.into_inner(),
            path: src.path.clone(),
            formats,
            catalog,
            logo,
            colors,
            fonts,
            text: TextRules {
                min_contrast: self.text.min_contrast,
                min_contrast_large: self.text.min_contrast_large,
            },
        })
    }
}

/// Format ids written in a TOML file, checked against `catalog`.
pub(crate) fn resolve_formats(
    src: &Source,
    catalog: &FormatCatalog,
    ids: &[Spanned<String>],
) -> Result<Vec<Format>> {
    ids.iter()
        .map(|id| {
            catalog.get(id.get_ref()).ok_or_else(|| {
                let hint = catalog.unknown_hint(id.get_ref());
                src.error_hint(id, format!("unknown format `{}`", id.get_ref()), hint)
            })
        })
        .collect()
}

impl LogoFile {
    fn validate(self, src: &Source) -> Result<LogoRules> {
        let file = src.existing_file(&self.file, "logo file")?;
        if let Some(max) = &self.max_margin
            && *max.get_ref() < *self.margin.get_ref()
        {
            return Err(src.error(
                max,
                "`max_margin` is smaller than `margin`; no position could pass",
            ));
        }
        if let Some(h) = &self.height
            && !(*h.get_ref() > 0.0 && *h.get_ref() <= 0.5)
        {
            return Err(src.error_hint(
                h,
                format!("logo `height` {} is out of range", h.get_ref()),
                "height is a fraction of the safe area's short side, e.g. 0.12",
            ));
        }
        Ok(LogoRules {
            file,
            corner: self.corner,
            margin: *self.margin.get_ref(),
            max_margin: self.max_margin.map(|m| m.into_inner()),
            min_width: self.min_width,
            height: self.height.map(|h| h.into_inner()),
            mirror_rtl: self.mirror_rtl,
        })
    }
}

impl ColorsFile {
    fn validate(self, src: &Source) -> Result<ColorRules> {
        let tolerance = *self.tolerance.get_ref();
        if !(0.0..=100.0).contains(&tolerance) {
            return Err(src.error(
                &self.tolerance,
                "`tolerance` is a CIEDE2000 distance from 0 to 100",
            ));
        }
        if self.palette.get_ref().is_empty() {
            return Err(src.error(
                &self.palette,
                "the palette is empty; add at least one colour",
            ));
        }
        let hex = |v: &Spanned<String>| {
            Rgb::parse_hex(v.get_ref()).ok_or_else(|| {
                src.error_hint(
                    v,
                    format!("`{}` is not a colour", v.get_ref()),
                    "write sRGB hex as #RGB or #RRGGBB, e.g. #E4572E",
                )
            })
        };
        let palette = self
            .palette
            .get_ref()
            .iter()
            .map(|(name, v)| Ok((name.clone(), hex(v)?)))
            .collect::<Result<Vec<_>>>()?;
        let neutrals = self.neutrals.iter().map(hex).collect::<Result<Vec<_>>>()?;
        Ok(ColorRules {
            tolerance,
            palette,
            neutrals,
        })
    }
}

impl FontsFile {
    fn validate(self, src: &Source) -> Result<FontRules> {
        let font = |r: &Spanned<FontRefFile>| -> Result<FontRef> {
            let written = Spanned::new(r.span(), r.get_ref().file.clone());
            Ok(FontRef {
                file: src.existing_file(&written, "font")?,
                index: r.get_ref().index,
                written: r.get_ref().file.clone(),
            })
        };
        let min_size = *self.min_size.get_ref();
        if !(min_size > 0.0 && min_size < 200.0) {
            return Err(src.error(
                &self.min_size,
                "`min_size` is px per em and must be between 0 and 200",
            ));
        }
        Ok(FontRules {
            headline: font(&self.headline)?,
            body: font(&self.body)?,
            fallback: self.fallback.iter().map(font).collect::<Result<_>>()?,
            min_size,
        })
    }
}
