//! Encoding and writing: PNG or JPEG within the format's weight limit, and
//! atomic writes (temporary file, then rename) that never touch an input.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use image::ImageEncoder;
use image::RgbImage;
use image::codecs::png::{CompressionType, FilterType as PngFilter, PngEncoder};

use crate::error::{Error, InputKind, Location, Result};

/// A file type brandfit writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileType {
    /// Lossless PNG (truecolour, or a quantised palette to meet a limit).
    Png,
    /// Baseline JPEG, 4:2:0.
    Jpeg,
}

impl FileType {
    /// File extension.
    pub fn extension(self) -> &'static str {
        match self {
            FileType::Png => "png",
            FileType::Jpeg => "jpg",
        }
    }

    /// Name in sidecars and reports.
    pub fn name(self) -> &'static str {
        match self {
            FileType::Png => "png",
            FileType::Jpeg => "jpeg",
        }
    }
}

/// What `--type` asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TypeChoice {
    /// PNG where it meets the format's limit, else JPEG at the highest quality that fits.
    #[default]
    Auto,
    /// Always PNG (palette-quantised if needed to meet the limit).
    Png,
    /// Always JPEG.
    Jpeg,
}

/// An encoded image.
#[derive(Debug, Clone)]
pub struct Encoded {
    /// The file's bytes.
    pub bytes: Vec<u8>,
    /// Its type.
    pub file_type: FileType,
    /// The limit it was encoded for.
    pub max_bytes: Option<u64>,
    /// False when even the smallest acceptable encoding is over the limit.
    pub within_limit: bool,
    /// JPEG quality, when JPEG.
    pub quality: Option<u8>,
    /// Palette size, when a quantised PNG.
    pub palette: Option<u16>,
}

/// JPEG quality used when there is no limit, and the search range otherwise.
const JPEG_MAX_QUALITY: u8 = 92;
const JPEG_MIN_QUALITY: u8 = 40;

/// Encodes `image` as asked, meeting `max_bytes` when at all possible.
pub fn encode(image: &RgbImage, choice: TypeChoice, max_bytes: Option<u64>) -> Encoded {
    let fits = |n: usize| max_bytes.is_none_or(|m| n as u64 <= m);
    match choice {
        TypeChoice::Auto => {
            let png = encode_png(image);
            if fits(png.len()) {
                return finish(png, FileType::Png, max_bytes, None, None);
            }
            encode_jpeg_within(image, max_bytes)
        }
        TypeChoice::Jpeg => encode_jpeg_within(image, max_bytes),
        TypeChoice::Png => {
            let png = encode_png(image);
            if fits(png.len()) {
                return finish(png, FileType::Png, max_bytes, None, None);
            }
            let mut last = None;
            for colors in [256u16, 128, 64, 32] {
                let bytes = encode_indexed_png(image, colors);
                let ok = fits(bytes.len());
                last = Some((bytes, colors));
                if ok {
                    break;
                }
            }
            let (bytes, colors) = last.expect("at least one palette size tried");
            finish(bytes, FileType::Png, max_bytes, None, Some(colors))
        }
    }
}

fn finish(
    bytes: Vec<u8>,
    file_type: FileType,
    max_bytes: Option<u64>,
    quality: Option<u8>,
    palette: Option<u16>,
) -> Encoded {
    let within_limit = max_bytes.is_none_or(|m| bytes.len() as u64 <= m);
    Encoded {
        bytes,
        file_type,
        max_bytes,
        within_limit,
        quality,
        palette,
    }
}

/// Truecolour PNG. Fast deflate with adaptive filters: within a few per
/// cent of the default level's size on photos at a fraction of the time.
pub fn encode_png(image: &RgbImage) -> Vec<u8> {
    let mut out = Vec::new();
    PngEncoder::new_with_quality(&mut out, CompressionType::Fast, PngFilter::Adaptive)
        .write_image(
            image.as_raw(),
            image.width(),
            image.height(),
            image::ExtendedColorType::Rgb8,
        )
        .expect("PNG encoding into memory");
    out
}

/// Palette PNG with `colors` entries (Wu quantiser, Floyd–Steinberg dither).
fn encode_indexed_png(image: &RgbImage, colors: u16) -> Vec<u8> {
    use quantette::{ImageBuf, Pipeline};
    let size = colors.try_into().expect("2..=256 colours");
    let input = ImageBuf::try_from(image.clone()).expect("image within quantette's limits");
    let indexed = Pipeline::new()
        .palette_size(size)
        .input_image(input.as_ref())
        .output_srgb8_indexed_image();
    let palette: Vec<u8> = indexed
        .palette()
        .iter()
        .flat_map(|c| [c.red, c.green, c.blue])
        .collect();
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, image.width(), image.height());
    encoder.set_color(png::ColorType::Indexed);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_palette(palette);
    encoder.set_compression(png::Compression::Balanced);
    let mut writer = encoder.write_header().expect("PNG header into memory");
    writer
        .write_image_data(indexed.indices())
        .expect("PNG data into memory");
    writer.finish().expect("PNG end into memory");
    out
}

/// Baseline JPEG, standard Huffman tables, 4:2:0. (Optimised tables with
/// 4:2:0 are mis-decoded by the zune-jpeg in image 0.25: zune-image #419.)
pub fn encode_jpeg(image: &RgbImage, quality: u8) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = jpeg_encoder::Encoder::new(&mut out, quality);
    encoder.set_sampling_factor(jpeg_encoder::SamplingFactor::F_2_2);
    encoder
        .encode(
            image.as_raw(),
            image.width() as u16,
            image.height() as u16,
            jpeg_encoder::ColorType::Rgb,
        )
        .expect("JPEG encoding into memory");
    out
}

/// The highest JPEG quality whose file meets `max_bytes`.
fn encode_jpeg_within(image: &RgbImage, max_bytes: Option<u64>) -> Encoded {
    let Some(max) = max_bytes else {
        return finish(
            encode_jpeg(image, JPEG_MAX_QUALITY),
            FileType::Jpeg,
            None,
            Some(JPEG_MAX_QUALITY),
            None,
        );
    };
    let best = encode_jpeg(image, JPEG_MAX_QUALITY);
    if best.len() as u64 <= max {
        return finish(
            best,
            FileType::Jpeg,
            max_bytes,
            Some(JPEG_MAX_QUALITY),
            None,
        );
    }
    let (mut lo, mut hi) = (JPEG_MIN_QUALITY, JPEG_MAX_QUALITY);
    let mut found = None;
    // Size grows with quality; binary search the largest that fits.
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        let bytes = encode_jpeg(image, mid);
        if bytes.len() as u64 <= max {
            found = Some((mid, bytes));
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    let (q, bytes) = match found {
        Some((q, b)) if q == lo => (q, b),
        _ => (lo, encode_jpeg(image, lo)),
    };
    finish(bytes, FileType::Jpeg, max_bytes, Some(q), None)
}

static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// Writes `bytes` to `path` atomically: a temporary file beside it, then a
/// rename, so a reader never sees half a file and an old file survives a failure.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| Error::Io {
        path: dir.to_path_buf(),
        action: "create the folder",
        source: e,
    })?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(
        ".{name}.{}-{}.tmp",
        std::process::id(),
        TEMP_COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let write = || -> std::io::Result<()> {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    };
    write().map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Error::Io {
            path: path.to_path_buf(),
            action: "write",
            source: e,
        }
    })
}

/// Refuses to write over any of `inputs`.
pub fn guard_inputs(path: &Path, inputs: &[PathBuf]) -> Result<()> {
    let Ok(target) = path.canonicalize() else {
        return Ok(());
    }; // not there yet: cannot be an input
    for input in inputs {
        if input.canonicalize().is_ok_and(|i| i == target) {
            return Err(Error::invalid_with_hint(
                Location::file(path),
                InputKind::Output,
                format!("refusing to write over an input file ({})", input.display()),
                "choose another output folder with -o",
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn photo_like(w: u32, h: u32) -> RgbImage {
        RgbImage::from_fn(w, h, |x, y| {
            let n = ((x * 7919 + y * 104729) ^ (x * y)) % 9;
            image::Rgb([(x * 255 / w) as u8, (y * 255 / h) as u8, (128 + n) as u8])
        })
    }

    fn psnr(a: &RgbImage, b: &RgbImage) -> f64 {
        let mse: f64 = a
            .as_raw()
            .iter()
            .zip(b.as_raw())
            .map(|(x, y)| (*x as f64 - *y as f64).powi(2))
            .sum::<f64>()
            / a.as_raw().len() as f64;
        10.0 * (255.0f64 * 255.0 / mse.max(1e-9)).log10()
    }

    #[test]
    fn jpeg_decodes_to_what_was_meant() {
        let img = photo_like(300, 250);
        let bytes = encode_jpeg(&img, 85);
        let back = image::load_from_memory(&bytes).unwrap().into_rgb8();
        assert!(psnr(&img, &back) > 32.0, "PSNR {}", psnr(&img, &back));
    }

    #[test]
    fn auto_meets_a_weight_limit_with_jpeg() {
        let img = photo_like(300, 250);
        let enc = encode(&img, TypeChoice::Auto, Some(20 * 1024));
        assert_eq!(enc.file_type, FileType::Jpeg);
        assert!(enc.within_limit && enc.bytes.len() <= 20 * 1024);
        // One quality step up would not fit (the search found the highest).
        let q = enc.quality.unwrap();
        if q < JPEG_MAX_QUALITY {
            assert!(encode_jpeg(&img, q + 1).len() > 20 * 1024);
        }
    }

    #[test]
    fn png_is_quantised_to_meet_a_limit_or_says_it_cannot() {
        let img = photo_like(300, 250);
        let enc = encode(&img, TypeChoice::Png, Some(60 * 1024));
        assert_eq!(enc.file_type, FileType::Png);
        assert!(enc.palette.is_some());
        assert_eq!(enc.within_limit, enc.bytes.len() <= 60 * 1024);
        let impossible = encode(&img, TypeChoice::Png, Some(100));
        assert!(!impossible.within_limit);
    }

    #[test]
    fn atomic_write_replaces_and_leaves_no_temp() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a/b.png");
        write_atomic(&path, b"one").unwrap();
        write_atomic(&path, b"two").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        let names: Vec<_> = std::fs::read_dir(path.parent().unwrap()).unwrap().collect();
        assert_eq!(names.len(), 1);
    }
}
