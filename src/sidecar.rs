//! The layout sidecar (`<format>.layout.json`, SPEC §3): what was drawn and
//! where, so the checker can judge text it cannot read from pixels.

use serde::{Deserialize, Serialize};

use crate::geom::{Rect, Size};
use crate::kit::BrandKit;
use crate::layout::{Layout, Role, TextBlock};
use crate::output::Encoded;

/// Schema id written in every sidecar.
pub const SCHEMA: &str = "brandfit.layout/v1";

/// A sidecar file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Sidecar {
    /// Always [`SCHEMA`].
    pub schema: String,
    /// Format id.
    pub format: String,
    /// Canvas width.
    pub width: u32,
    /// Canvas height.
    pub height: u32,
    /// Canvas minus unsafe insets.
    pub safe_area: Rect,
    /// Drawn layers, back to front (logo last).
    pub layers: Vec<Layer>,
    /// Layers dropped for lack of room.
    pub hidden: Vec<String>,
    /// How the file was encoded (brandfit extension).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encoding: Option<Encoding>,
    /// BCP 47 language of the copy (brandfit extension): the checker
    /// expects a mirrored logo corner for right-to-left copy when the brand
    /// sets `logo.mirror_rtl`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    /// The photo behind the banner (SPEC v1.1): the master's size and the
    /// crop window in master pixels; absent for a colour background.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub background: Option<BackgroundRecord>,
    /// The photo's subject in output pixels (SPEC v1.1), whole: where the
    /// crop cuts it, the box reaches past the canvas.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<Rect>,
}

/// The sidecar's `background` object.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BackgroundRecord {
    /// The master's size in pixels.
    pub master: Size,
    /// The crop window in master pixels, rounded outward to whole pixels.
    pub crop: Rect,
}

/// One drawn layer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Layer {
    /// `headline`, `body`, `cta`, `legal` or `logo`.
    pub role: String,
    /// Ink box (text), shape box (button) or visible box (logo).
    #[serde(rename = "box")]
    pub bbox: Rect,
    /// Every font file that drew part of the layer, as the brand guide names it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fonts: Vec<String>,
    /// Font size in px per em.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<f32>,
    /// Text colour as drawn.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color: Option<String>,
    /// The lines as set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lines: Option<Vec<String>>,
    /// Characters no brand font could draw.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub missing_glyphs: Option<Vec<String>>,
    /// False when the copy did not fit at the brand's minimum size and was
    /// truncated (brandfit extension; `text.fit` fails on it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fit: Option<bool>,
    /// The region the text was fitted into (brandfit extension).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<Rect>,
    /// Button fill (CTA only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fill: Option<String>,
    /// The legibility panel the renderer drew under this text's group (brandfit extension).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scrim: Option<LocalScrim>,
}

/// The legibility panel under a text layer (its group's, shared).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LocalScrim {
    /// Its colour.
    pub color: String,
    /// Its strongest opacity, 0..1.
    pub opacity: f32,
}

/// How the image file was encoded (brandfit extension).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Encoding {
    /// `png` or `jpeg`.
    #[serde(rename = "type")]
    pub file_type: String,
    /// File size in bytes.
    pub bytes: u64,
    /// The format's limit in bytes, if any.
    pub max_bytes: Option<u64>,
    /// False when the limit could not be met: `format.file-size` fails.
    pub within_limit: bool,
    /// JPEG quality used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quality: Option<u8>,
    /// Palette size of a quantised PNG.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub palette: Option<u16>,
}

impl Sidecar {
    /// The sidecar of a rendered layout.
    pub fn new(layout: &Layout, encoded: &Encoded, kit: &BrandKit) -> Sidecar {
        let text_layer = |block: &TextBlock, bbox: Rect| Layer {
            role: block.role.as_str().to_string(),
            bbox,
            fonts: {
                let stack = block.face.stack(kit);
                block
                    .faces_used
                    .iter()
                    .map(|&i| stack[i].source.written.clone())
                    .collect()
            },
            size: Some(block.size),
            color: Some(block.color.to_hex()),
            lines: Some(block.lines.iter().map(|l| l.text.clone()).collect()),
            missing_glyphs: Some(block.missing.iter().map(|c| c.to_string()).collect()),
            fit: Some(block.fits),
            region: Some(block.region),
            fill: None,
            scrim: layout
                .panels
                .iter()
                .find(|p| p.roles.contains(&block.role))
                .map(|p| LocalScrim {
                    color: p.color.to_hex(),
                    opacity: (p.opacity * 100.0).round() / 100.0,
                }),
        };
        let mut layers: Vec<Layer> = layout.texts.iter().map(|t| text_layer(t, t.ink)).collect();
        if let Some(b) = &layout.cta {
            let mut layer = text_layer(&b.label, b.rect);
            layer.fill = Some(b.fill.to_hex());
            layers.push(layer);
        }
        layers.push(Layer {
            role: Role::Logo.as_str().to_string(),
            bbox: layout.logo,
            fonts: Vec::new(),
            size: None,
            color: None,
            lines: None,
            missing_glyphs: None,
            fit: None,
            region: None,
            fill: None,
            scrim: None,
        });
        Sidecar {
            schema: SCHEMA.to_string(),
            format: layout.format.id.clone(),
            width: layout.format.width,
            height: layout.format.height,
            safe_area: layout.safe_area,
            layers,
            hidden: layout
                .hidden
                .iter()
                .map(|r| r.as_str().to_string())
                .collect(),
            encoding: Some(Encoding {
                file_type: encoded.file_type.name().to_string(),
                bytes: encoded.bytes.len() as u64,
                max_bytes: encoded.max_bytes,
                within_limit: encoded.within_limit,
                quality: encoded.quality,
                palette: encoded.palette,
            }),
            lang: layout.texts.iter().find_map(|t| t.lang.clone()),
            background: layout.photo.map(|photo| {
                let c = photo.crop;
                BackgroundRecord {
                    master: photo.master,
                    crop: Rect::from_edges(
                        c.x.floor() as i32,
                        c.y.floor() as i32,
                        (c.x + c.w).ceil() as i32,
                        (c.y + c.h).ceil() as i32,
                    ),
                }
            }),
            subject: layout.subject,
        }
    }

    /// Pretty JSON with a trailing newline.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("sidecar serialises");
        s.push('\n');
        s
    }
}
