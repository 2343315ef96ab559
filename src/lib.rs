//! brandfit renders a master creative into every ad format a campaign needs
//! and proves, from the pixels, that the brand's rules hold.
//!
//! The pipeline, in five steps:
//!
//! 1. [`spec`] loads a [`Creative`](spec::Creative) and the [`Brand`](spec::Brand)
//!    guide it names, with `file:line:col` errors for anything wrong.
//! 2. [`kit::BrandKit`] loads the brand's fonts and logo once.
//! 3. [`layout::layout`] is a pure function from copy, brand and
//!    [`Format`](spec::Format) to a [`Layout`](layout::Layout): boxes, font
//!    sizes, wrapped lines, the crop, text colours and legibility panels
//!    (judged over the master's saliency map and tones, computed once per
//!    master). No pixels written, no I/O. Text is set by [`shape`]:
//!    font fallback per cluster, bidi, one script per HarfRust run, UAX #14
//!    line breaks.
//! 4. [`raster::render`] paints a finished layout over the shared, decoded
//!    master image; it is the only place that writes pixels, and it decides
//!    nothing.
//! 5. [`output`] encodes PNG or JPEG within the format's weight limit and
//!    writes the image and its layout sidecar atomically; [`job`] runs all
//!    of it over creatives × variants × formats in parallel.
//!
//! [`check`] then judges any banner — rendered here or made by hand — from
//! its pixels (and, for text, its [`sidecar`]), and [`report`] writes the
//! findings as text, JSON or JUnit XML.
//!
//! ```no_run
//! use brandfit::{job, spec::Creative};
//! let creative = Creative::load("examples/spring-blend/creative.toml".as_ref())?;
//! let outputs = job::render_creative(&creative, &job::RenderOptions::default())?;
//! for out in outputs.iter().flatten() {
//!     println!("{}", out.image.display());
//! }
//! # Ok::<(), brandfit::Error>(())
//! ```

#![warn(missing_docs)]

pub mod check;
pub mod color;
pub mod composition;
pub mod crop;
pub mod error;
pub mod font;
pub mod geom;
pub mod job;
pub mod kit;
pub mod layout;
pub mod legibility;
pub mod logo;
pub mod output;
pub mod raster;
pub mod report;
pub mod shape;
pub mod sidecar;
pub mod spec;

pub use error::{Error, Result};
