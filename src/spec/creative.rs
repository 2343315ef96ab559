//! The master creative (SPEC §3): background, copy layers, per-format
//! overrides and variants. Colours are resolved against the brand here, so
//! a bad palette name points at the creative's own line.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use toml::Spanned;

use super::Source;
use super::brand::{Brand, resolve_formats};
use super::formats::Format;
use crate::color::{Rgb, contrast_ratio};
use crate::error::Result;

/// A validated master creative with its brand.
#[derive(Debug, Clone)]
pub struct Creative {
    /// Output folder name.
    pub name: String,
    /// The creative's own file.
    pub path: PathBuf,
    /// The brand guide it names, loaded.
    pub brand: Brand,
    /// Target formats (the creative's list, else the brand's).
    pub formats: Vec<Format>,
    /// The copy and background before any override or variant.
    pub base: Copy,
    /// Per-format revisions, by format id.
    pub overrides: BTreeMap<String, Patch>,
    /// One full set of outputs per variant; none means just the base.
    pub variants: Vec<Variant>,
}

/// What one banner says and shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Copy {
    /// Photo or flat colour behind everything.
    pub background: Background,
    /// The headline; never hidden.
    pub headline: TextLayer,
    /// Optional supporting line.
    pub body: Option<TextLayer>,
    /// Optional call-to-action button.
    pub cta: Option<Cta>,
    /// Optional small print.
    pub legal: Option<TextLayer>,
    /// BCP 47 language of the copy, if a variant sets it.
    pub lang: Option<String>,
}

/// The background layer.
#[derive(Debug, Clone, PartialEq)]
pub struct Background {
    /// Photo or colour.
    pub fill: BackgroundFill,
    /// Focal point as fractions of width and height; `None` picks one from the image.
    pub focus: Option<[f32; 2]>,
    /// Tint over the background for legibility.
    pub scrim: Option<Scrim>,
}

/// What fills the background.
#[derive(Debug, Clone, PartialEq)]
pub enum BackgroundFill {
    /// A photo file.
    Image(PathBuf),
    /// A flat colour.
    Color(Rgb),
}

/// A uniform tint over the background.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scrim {
    /// Tint colour.
    pub color: Rgb,
    /// 0 (none) to 1 (opaque).
    pub opacity: f32,
}

/// A text colour: fixed, or chosen from the palette for contrast.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum TextColor {
    /// This colour.
    Fixed(Rgb),
    /// The palette colour with the best contrast against the pixels behind.
    Auto,
}

/// A text layer.
#[derive(Debug, Clone, PartialEq)]
pub struct TextLayer {
    /// The copy.
    pub text: String,
    /// Its colour.
    pub color: TextColor,
}

/// The call-to-action button.
#[derive(Debug, Clone, PartialEq)]
pub struct Cta {
    /// Button label.
    pub text: String,
    /// Button fill.
    pub fill: Rgb,
    /// Label colour.
    pub color: TextColor,
}

/// A revision: each field replaces what it names, `Hide` removes a layer.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Patch {
    /// Headline revision (it cannot be hidden).
    pub headline: Option<LayerPatch>,
    /// Body revision.
    pub body: Option<LayerPatch>,
    /// CTA revision.
    pub cta: Option<LayerPatch>,
    /// Legal revision.
    pub legal: Option<LayerPatch>,
    /// Background revision.
    pub background: Option<BackgroundPatch>,
}

/// A revision of one layer.
#[derive(Debug, Clone, PartialEq)]
pub enum LayerPatch {
    /// `layer = false`: not drawn.
    Hide,
    /// Replace the named fields.
    Set {
        /// New copy.
        text: Option<String>,
        /// New text colour.
        color: Option<TextColor>,
        /// New button fill (CTA only).
        fill: Option<Rgb>,
    },
}

/// A revision of the background.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BackgroundPatch {
    /// New photo or colour.
    pub fill: Option<BackgroundFill>,
    /// New focal point.
    pub focus: Option<[f32; 2]>,
    /// New scrim.
    pub scrim: Option<Scrim>,
}

/// One variant of the creative: its own outputs folder.
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    /// Folder name.
    pub id: String,
    /// BCP 47 language tag.
    pub lang: Option<String>,
    /// What it changes.
    pub patch: Patch,
    /// Its own revisions for one format (`[variant.override.<format>]`),
    /// by format id.
    pub overrides: BTreeMap<String, Patch>,
}

impl Creative {
    /// Reads a creative and the brand guide it names, and validates both.
    pub fn load(path: &Path) -> Result<Creative> {
        let src = Source::read(path)?;
        let file: CreativeFile = src.parse()?;
        let brand_path = src.existing_file(&file.brand, "brand guide")?;
        let brand = Brand::load(&brand_path)?;
        file.validate(&src, brand)
    }

    /// The copy for one variant (or the base) in one format (SPEC §3,
    /// v1.1): the base, the base's override for the format, the variant,
    /// the variant's own override for the format. The base override's text
    /// revises the base copy only (a variant's own copy replaces it), but
    /// the layers it hides stay hidden in every variant. Without a `lang`,
    /// the language is the one the copy's script tells
    /// ([`crate::shape::language_of_script`]).
    pub fn copy_for(&self, variant: Option<&Variant>, format: &Format) -> Copy {
        let mut copy = self.base.clone();
        let base_override = self.overrides.get(&format.id);
        if let Some(p) = base_override {
            copy.apply(p);
        }
        if let Some(v) = variant {
            copy.apply(&v.patch);
            if let Some(p) = v.overrides.get(&format.id) {
                copy.apply(p);
            }
            copy.lang = v.lang.clone();
        }
        if let Some(p) = base_override {
            copy.apply(&p.hides());
        }
        if copy.lang.is_none() {
            copy.lang = crate::shape::language_of_script(&copy.all_text()).map(str::to_string);
        }
        copy
    }

    /// Where a variant's copy and a base format override meet in a way the
    /// author may not expect (SPEC §3: `brandfit validate` warns), one
    /// sentence each with the fix.
    pub fn warnings(&self) -> Vec<String> {
        let mut out = self.cta_contrast_warnings();
        for v in &self.variants {
            for (format, base) in &self.overrides {
                let own = v.overrides.get(format).map(Patch::layers);
                for (i, (layer, revised)) in base.layers().into_iter().enumerate() {
                    let variant_text = v.patch.layers()[i].1;
                    // The variant's own override settles this layer.
                    let handled = own.is_some_and(|own| {
                        sets_text(own[i].1) || matches!(own[i].1, Some(LayerPatch::Hide))
                    });
                    if !sets_text(revised) || handled {
                        continue;
                    }
                    let id = &v.id;
                    if sets_text(variant_text) {
                        out.push(format!(
                            "variant `{id}`: [override.{format}] revises the base {layer}, which `{id}` replaces with its own, \
                             so `{id}` shows its full {layer} in {format}; to revise it there, add \
                             [variant.override.{format}] with {layer} = {{ text = \"...\" }} after `{id}`'s [[variant]] table"
                        ));
                    } else if v.lang.is_some() && sets_any_text(&v.patch) {
                        // A translated variant (a language and copy of its
                        // own) that did not translate this layer.
                        out.push(format!(
                            "variant `{id}` shows the base's {layer} from [override.{format}] in {format} (it has no {layer} of its own); \
                             give `{id}` its own {layer}, or add [variant.override.{format}] with {layer} = {{ text = \"...\" }} \
                             after its [[variant]] table"
                        ));
                    }
                }
            }
        }
        out
    }

    /// Every input file the creative reads (for the output-over-input guard).
    pub fn input_files(&self) -> Vec<PathBuf> {
        let mut files = vec![
            self.path.clone(),
            self.brand.path.clone(),
            self.brand.logo.file.clone(),
        ];
        let f = &self.brand.fonts;
        files.extend(
            [&f.headline, &f.body]
                .into_iter()
                .chain(&f.fallback)
                .map(|r| r.file.clone()),
        );
        let backgrounds = std::iter::once(&self.base.background.fill)
            .chain(
                self.variants
                    .iter()
                    .filter_map(|v| v.patch.background.as_ref()?.fill.as_ref()),
            )
            .chain(
                self.overrides
                    .values()
                    .filter_map(|p| p.background.as_ref()?.fill.as_ref()),
            );
        for fill in backgrounds {
            if let BackgroundFill::Image(p) = fill {
                files.push(p.clone());
            }
        }
        files
    }

    /// A button whose fixed label colour cannot reach the brand's WCAG
    /// ratio on its own fill fails `text.contrast` in every format where
    /// the label is small, whatever the layout does: said before
    /// rendering, once per colour pair, with the fix.
    fn cta_contrast_warnings(&self) -> Vec<String> {
        let mut buttons: Vec<(String, Cta)> = Vec::new();
        let mut add = |place: String, copy: Copy| {
            if let Some(cta) = copy.cta
                && !buttons
                    .iter()
                    .any(|(_, b)| b.fill == cta.fill && b.color == cta.color)
            {
                buttons.push((place, cta));
            }
        };
        let formats = &self.formats;
        let variants = std::iter::once(None).chain(self.variants.iter().map(Some));
        for v in variants {
            for f in formats {
                let place = match v {
                    Some(v) => format!("variant `{}`, {}", v.id, f.id),
                    None => f.id.clone(),
                };
                add(place, self.copy_for(v, f));
            }
        }
        let rules = self.brand.text;
        let name = |c: Rgb| match self.brand.palette_name(c) {
            Some(n) => format!("{} ({n})", c.to_hex()),
            None => c.to_hex(),
        };
        buttons
            .into_iter()
            .filter_map(|(place, cta)| {
                let TextColor::Fixed(label) = cta.color else {
                    return None;
                };
                let ratio = contrast_ratio(label.luminance(), cta.fill.luminance());
                (ratio < rules.min_contrast).then(|| {
                    format!(
                        "the cta label {} on its fill {} is {ratio:.2}:1 (first in {place}); text.contrast needs {}:1 \
                         for labels under 24 px (18.66 px bold), as in the display formats{}; set the cta's \
                         `color = \"auto\"` (the palette colour with the best contrast) or choose another fill",
                        name(label),
                        name(cta.fill),
                        rules.min_contrast,
                        if ratio < rules.min_contrast_large {
                            format!(", and {}:1 for larger ones", rules.min_contrast_large)
                        } else {
                            String::new()
                        },
                    )
                })
            })
            .collect()
    }
}

fn sets_text(patch: &Option<LayerPatch>) -> bool {
    matches!(patch, Some(LayerPatch::Set { text: Some(_), .. }))
}

fn sets_any_text(patch: &Patch) -> bool {
    patch.layers().into_iter().any(|(_, l)| sets_text(l))
}

impl Patch {
    /// Only the layers this revision hides.
    fn hides(&self) -> Patch {
        let hide = |l: &Option<LayerPatch>| l.clone().filter(|l| *l == LayerPatch::Hide);
        Patch {
            headline: None,
            body: hide(&self.body),
            cta: hide(&self.cta),
            legal: hide(&self.legal),
            background: None,
        }
    }

    /// The revision of each text layer, by name, in reading order.
    fn layers(&self) -> [(&'static str, &Option<LayerPatch>); 4] {
        [
            ("headline", &self.headline),
            ("body", &self.body),
            ("cta", &self.cta),
            ("legal", &self.legal),
        ]
    }
}

impl Copy {
    /// All the words of the copy, for telling its script.
    fn all_text(&self) -> String {
        let mut text = self.headline.text.clone();
        for t in [&self.body, &self.legal].into_iter().flatten() {
            text.push('\n');
            text.push_str(&t.text);
        }
        if let Some(c) = &self.cta {
            text.push('\n');
            text.push_str(&c.text);
        }
        text
    }

    fn apply(&mut self, patch: &Patch) {
        if let Some(LayerPatch::Set { text, color, .. }) = &patch.headline {
            if let Some(t) = text {
                self.headline.text = t.clone();
            }
            if let Some(c) = color {
                self.headline.color = *c;
            }
        }
        apply_text(&mut self.body, &patch.body);
        apply_text(&mut self.legal, &patch.legal);
        match &patch.cta {
            None => {}
            Some(LayerPatch::Hide) => self.cta = None,
            Some(LayerPatch::Set { text, color, fill }) => {
                if let Some(cta) = &mut self.cta {
                    if let Some(t) = text {
                        cta.text = t.clone();
                    }
                    if let Some(c) = color {
                        cta.color = *c;
                    }
                    if let Some(f) = fill {
                        cta.fill = *f;
                    }
                }
            }
        }
        if let Some(bg) = &patch.background {
            if let Some(fill) = &bg.fill {
                self.background.fill = fill.clone();
            }
            if let Some(focus) = bg.focus {
                self.background.focus = Some(focus);
            }
            if let Some(scrim) = bg.scrim {
                self.background.scrim = Some(scrim);
            }
        }
    }
}

fn apply_text(layer: &mut Option<TextLayer>, patch: &Option<LayerPatch>) {
    match patch {
        None => {}
        Some(LayerPatch::Hide) => *layer = None,
        Some(LayerPatch::Set { text, color, .. }) => match layer {
            Some(l) => {
                if let Some(t) = text {
                    l.text = t.clone();
                }
                if let Some(c) = color {
                    l.color = *c;
                }
            }
            None => {
                if let Some(t) = text {
                    *layer = Some(TextLayer {
                        text: t.clone(),
                        color: color.unwrap_or(TextColor::Auto),
                    });
                }
            }
        },
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CreativeFile {
    brand: Spanned<String>,
    name: Spanned<String>,
    #[serde(default)]
    formats: Vec<Spanned<String>>,
    background: BackgroundFile,
    headline: TextFile,
    body: Option<TextFile>,
    cta: Option<CtaFile>,
    legal: Option<TextFile>,
    #[serde(default, rename = "override")]
    overrides: BTreeMap<String, Spanned<PatchFile>>,
    #[serde(default, rename = "variant")]
    variants: Vec<VariantFile>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct BackgroundFile {
    image: Option<Spanned<String>>,
    color: Option<Spanned<String>>,
    focus: Option<Spanned<[f32; 2]>>,
    scrim: Option<ScrimFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScrimFile {
    color: Spanned<String>,
    opacity: Spanned<f32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TextFile {
    text: Spanned<String>,
    color: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CtaFile {
    text: Spanned<String>,
    fill: Spanned<String>,
    color: Option<Spanned<String>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct PatchFile {
    headline: Option<LayerPatchFile>,
    body: Option<LayerPatchFile>,
    cta: Option<LayerPatchFile>,
    legal: Option<LayerPatchFile>,
    background: Option<BackgroundFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VariantFile {
    id: Spanned<String>,
    lang: Option<Spanned<String>>,
    headline: Option<LayerPatchFile>,
    body: Option<LayerPatchFile>,
    cta: Option<LayerPatchFile>,
    legal: Option<LayerPatchFile>,
    background: Option<BackgroundFile>,
    #[serde(default, rename = "override")]
    overrides: BTreeMap<String, Spanned<PatchFile>>,
}

/// `false`, or a table of the fields to change.
enum LayerPatchFile {
    Hide,
    Set(TextPatchFile),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TextPatchFile {
    text: Option<Spanned<String>>,
    color: Option<Spanned<String>>,
    fill: Option<Spanned<String>>,
}

impl<'de> Deserialize<'de> for LayerPatchFile {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = LayerPatchFile;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("`false` to hide the layer, or a table such as { text = \"...\" }")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> std::result::Result<LayerPatchFile, E> {
                if v {
                    Err(E::custom(
                        "`true` changes nothing: write `false` to hide the layer, or a table to revise it",
                    ))
                } else {
                    Ok(LayerPatchFile::Hide)
                }
            }
            fn visit_map<A: MapAccess<'de>>(
                self,
                map: A,
            ) -> std::result::Result<LayerPatchFile, A::Error> {
                let t = TextPatchFile::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(LayerPatchFile::Set(t))
            }
        }
        d.deserialize_any(V)
    }
}

/// Resolves colour strings against one brand, with errors in one file.
struct Resolver<'a> {
    src: &'a Source,
    brand: &'a Brand,
}

impl Resolver<'_> {
    fn color(&self, v: &Spanned<String>) -> Result<Rgb> {
        self.brand.color(v.get_ref()).ok_or_else(|| {
            let names = self.brand.palette_names();
            let hint = match super::closest(v.get_ref(), &names) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("use a palette name ({}) or #RRGGBB", names.join(", ")),
            };
            self.src.error_hint(
                v,
                format!("`{}` is not a colour of {}", v.get_ref(), self.brand.name),
                hint,
            )
        })
    }

    fn text_color(&self, v: &Option<Spanned<String>>) -> Result<Option<TextColor>> {
        match v {
            None => Ok(None),
            Some(s) if s.get_ref() == "auto" => Ok(Some(TextColor::Auto)),
            Some(s) => Ok(Some(TextColor::Fixed(self.color(s)?))),
        }
    }

    fn text(&self, v: &Spanned<String>, layer: &str) -> Result<String> {
        let t = v.get_ref().trim();
        if t.is_empty() {
            return Err(self.src.error_hint(
                v,
                format!("the {layer} text is empty"),
                format!("write the copy, or remove the [{layer}] table (or set `{layer} = false` in an override)"),
            ));
        }
        Ok(t.to_string())
    }

    fn text_layer(&self, f: &TextFile, layer: &str) -> Result<TextLayer> {
        Ok(TextLayer {
            text: self.text(&f.text, layer)?,
            color: self.text_color(&f.color)?.unwrap_or(TextColor::Auto),
        })
    }

    fn background(&self, f: &BackgroundFile, required: bool) -> Result<BackgroundPatch> {
        let fill = match (&f.image, &f.color) {
            (Some(img), None) => Some(BackgroundFill::Image(
                self.src.existing_file(img, "background image")?,
            )),
            (None, Some(c)) => Some(BackgroundFill::Color(self.color(c)?)),
            (Some(img), Some(_)) => {
                return Err(self
                    .src
                    .error(img, "[background] has both `image` and `color`; keep one"));
            }
            (None, None) if required => {
                return Err(crate::error::Error::invalid_with_hint(
                    crate::error::Location::file(&self.src.path),
                    crate::error::InputKind::Toml,
                    "[background] needs an `image` or a `color`",
                    "e.g. image = \"photo.jpg\" or color = \"cream\"",
                ));
            }
            (None, None) => None,
        };
        let focus = match &f.focus {
            Some(s) => {
                let [x, y] = *s.get_ref();
                if !((0.0..=1.0).contains(&x) && (0.0..=1.0).contains(&y)) {
                    return Err(self.src.error_hint(
                        s,
                        "`focus` is outside the image",
                        "focus is [x, y] as fractions from 0 to 1",
                    ));
                }
                Some([x, y])
            }
            None => None,
        };
        let scrim = match &f.scrim {
            Some(s) => {
                let opacity = *s.opacity.get_ref();
                if !(0.0..=1.0).contains(&opacity) {
                    return Err(self
                        .src
                        .error(&s.opacity, "scrim `opacity` must be from 0 to 1"));
                }
                Some(Scrim {
                    color: self.color(&s.color)?,
                    opacity,
                })
            }
            None => None,
        };
        Ok(BackgroundPatch { fill, focus, scrim })
    }

    fn layer_patch(&self, f: &Option<LayerPatchFile>, layer: &str) -> Result<Option<LayerPatch>> {
        let Some(f) = f else { return Ok(None) };
        Ok(Some(match f {
            LayerPatchFile::Hide if layer == "headline" => {
                return Err(crate::error::Error::invalid_with_hint(
                    crate::error::Location::file(&self.src.path),
                    crate::error::InputKind::Toml,
                    "the headline cannot be hidden",
                    "give it shorter copy for this format instead, e.g. headline = { text = \"...\" }",
                ));
            }
            LayerPatchFile::Hide => LayerPatch::Hide,
            LayerPatchFile::Set(t) => {
                if let (Some(fill), false) = (&t.fill, layer == "cta") {
                    return Err(self.src.error(fill, "only the cta has a `fill`"));
                }
                LayerPatch::Set {
                    text: t.text.as_ref().map(|s| self.text(s, layer)).transpose()?,
                    color: self.text_color(&t.color)?,
                    fill: t.fill.as_ref().map(|s| self.color(s)).transpose()?,
                }
            }
        }))
    }

    #[allow(clippy::too_many_arguments)]
    fn patch(
        &self,
        headline: &Option<LayerPatchFile>,
        body: &Option<LayerPatchFile>,
        cta: &Option<LayerPatchFile>,
        legal: &Option<LayerPatchFile>,
        background: &Option<BackgroundFile>,
    ) -> Result<Patch> {
        Ok(Patch {
            headline: self.layer_patch(headline, "headline")?,
            body: self.layer_patch(body, "body")?,
            cta: self.layer_patch(cta, "cta")?,
            legal: self.layer_patch(legal, "legal")?,
            background: background
                .as_ref()
                .map(|b| self.background(b, false))
                .transpose()?,
        })
    }

    /// Format overrides (`[<table>.<format>]`), by format id.
    fn overrides(
        &self,
        files: &BTreeMap<String, Spanned<PatchFile>>,
        table: &str,
    ) -> Result<BTreeMap<String, Patch>> {
        let mut overrides = BTreeMap::new();
        for (id, p) in files {
            if self.brand.format(id).is_none() {
                let hint = self.brand.catalog.unknown_hint(id);
                return Err(self.src.error_hint(
                    p,
                    format!("[{table}.{id}] names an unknown format"),
                    hint,
                ));
            }
            let f = p.get_ref();
            overrides.insert(
                id.clone(),
                self.patch(&f.headline, &f.body, &f.cta, &f.legal, &f.background)?,
            );
        }
        Ok(overrides)
    }
}

/// A name used as a folder: letters, digits, `-` and `_`.
fn folder_name(src: &Source, v: &Spanned<String>, what: &str) -> Result<String> {
    let s = v.get_ref();
    let ok = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if ok {
        Ok(s.clone())
    } else {
        Err(src.error_hint(
            v,
            format!("{what} `{s}` cannot be used as a folder name"),
            "use letters, digits, `-` and `_` only, e.g. spring-blend",
        ))
    }
}

impl CreativeFile {
    fn validate(self, src: &Source, brand: Brand) -> Result<Creative> {
        let r = Resolver { src, brand: &brand };
        let name = folder_name(src, &self.name, "name")?;
        let bg = r.background(&self.background, true)?;
        let background = Background {
            fill: bg.fill.expect("required background has a fill"),
            focus: bg.focus,
            scrim: bg.scrim,
        };
        let base = Copy {
            background,
            headline: r.text_layer(&self.headline, "headline")?,
            body: self
                .body
                .as_ref()
                .map(|b| r.text_layer(b, "body"))
                .transpose()?,
            cta: self
                .cta
                .as_ref()
                .map(|c| {
                    Ok(Cta {
                        text: r.text(&c.text, "cta")?,
                        fill: r.color(&c.fill)?,
                        color: r.text_color(&c.color)?.unwrap_or(TextColor::Auto),
                    })
                })
                .transpose()?,
            legal: self
                .legal
                .as_ref()
                .map(|l| r.text_layer(l, "legal"))
                .transpose()?,
            lang: None,
        };

        let overrides = r.overrides(&self.overrides, "override")?;

        let mut variants: Vec<Variant> = Vec::new();
        for v in &self.variants {
            let id = folder_name(src, &v.id, "variant id")?;
            if variants.iter().any(|other| other.id == id) {
                return Err(src.error(&v.id, format!("variant id `{id}` is used twice")));
            }
            let lang = match &v.lang {
                Some(l) if !valid_lang(l.get_ref()) => {
                    return Err(src.error_hint(
                        l,
                        format!("`{}` is not a BCP 47 language tag", l.get_ref()),
                        "e.g. lang = \"ko\" or \"pt-BR\"",
                    ));
                }
                l => l.as_ref().map(|l| l.get_ref().clone()),
            };
            let patch = r.patch(&v.headline, &v.body, &v.cta, &v.legal, &v.background)?;
            let overrides = r.overrides(&v.overrides, "variant.override")?;
            variants.push(Variant {
                id,
                lang,
                patch,
                overrides,
            });
        }

        let formats = if self.formats.is_empty() {
            brand.formats.clone()
        } else {
            resolve_formats(src, &brand.catalog, &self.formats)?
        };
        if formats.is_empty() {
            return Err(src.error_hint(
                &self.name,
                "no target formats: neither the creative nor its brand lists any",
                "add formats = [\"facebook-feed\", ...] to the creative or the brand guide",
            ));
        }

        Ok(Creative {
            name,
            path: src.path.clone(),
            brand,
            formats,
            base,
            overrides,
            variants,
        })
    }
}

fn valid_lang(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let primary = parts.next().unwrap_or("");
    (2..=3).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}
