//! `format.size`, `format.file-size`, `format.file-type`: measured from the
//! file itself.

use image::RgbImage;

use super::Finding;
use crate::geom::Size;
use crate::spec::Format;

/// A decoded banner.
#[derive(Debug)]
pub struct Decoded {
    /// Its pixels, flattened over white if it had transparency.
    pub image: RgbImage,
    /// PNG or JPEG, from the file's signature.
    pub kind: image::ImageFormat,
    /// True when transparent pixels were flattened.
    pub had_alpha: bool,
}

/// Decodes a PNG or JPEG, refusing anything else, oversized or truncated files.
pub fn decode(data: &[u8], max_pixels: u64) -> Result<Decoded, String> {
    let kind = image::guess_format(data)
        .map_err(|_| "not an image brandfit can read (PNG or JPEG)".to_string())?;
    if !matches!(kind, image::ImageFormat::Png | image::ImageFormat::Jpeg) {
        return Err(format!("a {kind:?} file; banners must be PNG or JPEG"));
    }
    let reader = || image::ImageReader::with_format(std::io::Cursor::new(data), kind);
    let (w, h) = reader()
        .into_dimensions()
        .map_err(|e| format!("cannot be decoded: {e}"))?;
    if w as u64 * h as u64 > max_pixels {
        return Err(format!(
            "{w}x{h} is over the {:.0} megapixel limit (--max-megapixels)",
            max_pixels as f64 / 1e6
        ));
    }
    if kind == image::ImageFormat::Jpeg && !crate::raster::background::jpeg_is_complete(data) {
        return Err("the JPEG is truncated (no end-of-image marker)".into());
    }
    let img = reader()
        .decode()
        .map_err(|e| format!("cannot be decoded: {e}"))?;
    let had_alpha = img.color().has_alpha();
    let image = if had_alpha {
        let rgba = img.into_rgba8();
        RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
            let p = rgba.get_pixel(x, y).0;
            let a = p[3] as u32;
            image::Rgb([0, 1, 2].map(|k| ((p[k] as u32 * a + 255 * (255 - a) + 127) / 255) as u8))
        })
    } else {
        img.into_rgb8()
    };
    Ok(Decoded {
        image,
        kind,
        had_alpha,
    })
}

/// The three format rules.
pub fn rules(format: Option<&Format>, size: Size, data: &[u8], decoded: &Decoded) -> Vec<Finding> {
    let dims = format!("{}x{}", size.w, size.h);
    let size_rule = match format {
        Some(f) if f.size() == size => Finding::pass("format.size", format!("{dims} is {}", f.id)),
        Some(f) => Finding::fail(
            "format.size",
            format!("the image is {dims}; {} is {}x{}", f.id, f.width, f.height),
        )
        .values(dims.clone(), format!("{}x{}", f.width, f.height)),
        None => Finding::fail(
            "format.size",
            format!("{dims} matches no format of this brand or the built-in table"),
        )
        .values(dims.clone(), serde_json::Value::Null),
    };
    let bytes = data.len() as u64;
    let kib = bytes as f64 / 1024.0;
    let file_size = match format.and_then(Format::max_bytes) {
        Some(max) => Finding::judge(
            "format.file-size",
            bytes <= max,
            if bytes <= max {
                format!("{kib:.1} KB, within the {} KB limit", max / 1024)
            } else {
                format!(
                    "the file is {kib:.1} KB; {} allows at most {} KB",
                    format.map_or("", |f| &f.platform),
                    max / 1024
                )
            },
        )
        .values(bytes, max),
        None => Finding::pass("format.file-size", format!("{kib:.1} KB; no weight limit"))
            .values(bytes, serde_json::Value::Null),
    };
    let kind = if decoded.kind == image::ImageFormat::Png {
        "PNG"
    } else {
        "JPEG"
    };
    let file_type = Finding::pass(
        "format.file-type",
        if decoded.had_alpha {
            format!("{kind}, decodable (transparent pixels judged over white)")
        } else {
            format!("{kind}, decodable")
        },
    )
    .values(kind.to_lowercase(), "png or jpeg");
    vec![size_rule, file_size, file_type]
}
