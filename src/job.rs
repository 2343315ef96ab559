//! Rendering jobs: creatives × variants × formats, in parallel. Each brand's
//! fonts and logo are loaded once and each master photo is decoded once per
//! process, then shared by every format that uses it. One failing output
//! never stops the others.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::kit::BrandKit;
use crate::layout;
use crate::output::{self, TypeChoice};
use crate::raster::{self, Master, background::DEFAULT_MAX_PIXELS};
use crate::sidecar::Sidecar;
use crate::spec::creative::{BackgroundFill, Copy, Variant};
use crate::spec::{Creative, Format};

/// Options of a render run.
#[derive(Debug, Clone)]
pub struct RenderOptions {
    /// Output root. Default: `out`.
    pub out_dir: PathBuf,
    /// Format ids overriding the creative's list. Default: none.
    pub formats: Option<Vec<String>>,
    /// File type. Default: auto.
    pub file_type: TypeChoice,
    /// Largest master photo accepted, in pixels. Default: 100 megapixels.
    pub max_pixels: u64,
}

impl Default for RenderOptions {
    fn default() -> Self {
        Self {
            out_dir: PathBuf::from("out"),
            formats: None,
            file_type: TypeChoice::Auto,
            max_pixels: DEFAULT_MAX_PIXELS,
        }
    }
}

/// One written banner.
#[derive(Debug, Clone)]
pub struct Output {
    /// The image file.
    pub image: PathBuf,
    /// Its layout sidecar.
    pub sidecar: PathBuf,
    /// Format id.
    pub format: String,
    /// Variant id, if any.
    pub variant: Option<String>,
    /// The brand guide it was rendered for.
    pub brand: PathBuf,
    /// What the sidecar records.
    pub record: Sidecar,
}

/// One banner to make.
#[derive(Debug, Clone)]
pub struct Task {
    /// The creative.
    pub creative: Arc<Creative>,
    /// Index into its variants, if any.
    pub variant: Option<usize>,
    /// The format.
    pub format: Format,
}

impl Task {
    fn variant(&self) -> Option<&Variant> {
        self.variant.map(|i| &self.creative.variants[i])
    }

    /// Its copy: the creative's, with the variant's and the format's revisions.
    fn copy(&self) -> Copy {
        self.creative.copy_for(self.variant(), &self.format)
    }

    /// Where the image goes: `<out>/<name>[/<variant>]/<format>.<ext>` (extension added later).
    pub fn stem(&self, out_dir: &Path) -> PathBuf {
        let mut dir = out_dir.join(&self.creative.name);
        if let Some(v) = self.variant() {
            dir = dir.join(&v.id);
        }
        dir.join(&self.format.id)
    }
}

/// The tasks of one creative.
pub fn tasks(creative: &Arc<Creative>, opts: &RenderOptions) -> Result<Vec<Task>> {
    let formats = match &opts.formats {
        Some(ids) => ids
            .iter()
            .map(|id| {
                creative.brand.format(id).ok_or_else(|| {
                    let hint = creative.brand.catalog.unknown_hint(id);
                    Error::invalid_with_hint(
                        crate::error::Location::file("--formats"),
                        crate::error::InputKind::Toml,
                        format!("unknown format `{id}`"),
                        hint,
                    )
                })
            })
            .collect::<Result<Vec<_>>>()?,
        None => creative.formats.clone(),
    };
    let variants: Vec<Option<usize>> = if creative.variants.is_empty() {
        vec![None]
    } else {
        (0..creative.variants.len()).map(Some).collect()
    };
    Ok(variants
        .into_iter()
        .flat_map(|v| formats.iter().map(move |f| (v, f.clone())))
        .map(|(variant, format)| Task {
            creative: creative.clone(),
            variant,
            format,
        })
        .collect())
}

/// Shared inputs: brand kits by guide path, loaded up front (they are
/// small and every task of a brand needs one), and background photos by
/// path, decoded when their first task starts and dropped when their last
/// task ends, so peak memory depends on how many tasks run at once
/// (`-j`), not on how many creatives a campaign has.
#[derive(Default)]
pub struct Assets {
    kits: BTreeMap<PathBuf, std::result::Result<Arc<BrandKit>, Arc<Error>>>,
    masters: BTreeMap<PathBuf, MasterSlot>,
    max_pixels: u64,
}

type Loaded = std::result::Result<Arc<Master>, Arc<Error>>;

/// One background photo and the tasks still to use it.
struct MasterSlot {
    tasks_left: AtomicUsize,
    /// `None` before the first task and after the last.
    master: Mutex<Option<Loaded>>,
}

/// A task's hold on its photo: decodes it on first use, and drops it
/// when the last task that needs it lets go.
struct Lease<'a> {
    path: &'a Path,
    slot: &'a MasterSlot,
    max_pixels: u64,
}

impl Lease<'_> {
    fn master(&self) -> Loaded {
        // One task decodes; the others of the photo wait for it.
        let mut held = self.slot.master.lock().unwrap_or_else(|e| e.into_inner());
        held.get_or_insert_with(|| {
            Master::load(self.path, self.max_pixels)
                .map(Arc::new)
                .map_err(Arc::new)
        })
        .clone()
    }
}

impl Drop for Lease<'_> {
    fn drop(&mut self) {
        let before = self
            .slot
            .tasks_left
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                Some(n.saturating_sub(1))
            })
            .unwrap_or(0);
        if before <= 1 {
            let mut held = self.slot.master.lock().unwrap_or_else(|e| e.into_inner());
            *held = None;
        }
    }
}

impl Assets {
    /// The brand kits that loaded, by guide path.
    pub fn kits(&self) -> impl Iterator<Item = (&PathBuf, &BrandKit)> {
        self.kits
            .iter()
            .filter_map(|(p, k)| Some((p, k.as_ref().ok()?.as_ref())))
    }

    /// Loads the brand kits the tasks need, each once, and counts the
    /// tasks of each background photo (decoded later, by [`run`]).
    pub fn load(tasks: &[Task], max_pixels: u64) -> Assets {
        let mut assets = Assets {
            max_pixels,
            ..Assets::default()
        };
        for t in tasks {
            let brand = &t.creative.brand;
            assets.kits.entry(brand.path.clone()).or_insert_with(|| {
                BrandKit::load(brand.clone())
                    .map(Arc::new)
                    .map_err(Arc::new)
            });
            if let Some(photo) = photo_of(&t.copy()) {
                let slot = assets
                    .masters
                    .entry(photo.clone())
                    .or_insert_with(|| MasterSlot {
                        tasks_left: AtomicUsize::new(0),
                        master: Mutex::new(None),
                    });
                *slot.tasks_left.get_mut() += 1;
            }
        }
        assets
    }

    /// The hold of a task (whose copy is `copy`) on its background photo,
    /// if it has one.
    fn lease(&self, copy: &Copy) -> Option<Lease<'_>> {
        let (path, slot) = self.masters.get_key_value(photo_of(copy)?)?;
        Some(Lease {
            path,
            slot,
            max_pixels: self.max_pixels,
        })
    }
}

/// The photo a copy is drawn on, if any.
fn photo_of(copy: &Copy) -> Option<&PathBuf> {
    match &copy.background.fill {
        BackgroundFill::Image(p) => Some(p),
        BackgroundFill::Color(_) => None,
    }
}

/// Renders, encodes and writes one task.
pub fn run(
    task: &Task,
    assets: &Assets,
    opts: &RenderOptions,
) -> std::result::Result<Output, Arc<Error>> {
    // The lease is taken before anything can fail, so the photo is let go
    // however the task ends.
    let copy = task.copy();
    let lease = assets.lease(&copy);
    let kit = assets
        .kits
        .get(&task.creative.brand.path)
        .expect("kit loaded for every task")
        .clone()?;
    let master = lease.as_ref().map(Lease::master).transpose()?;
    let backdrop = master.as_deref().map(raster::Master::backdrop);
    let layout = layout::layout(&copy, &kit, &task.format, backdrop).map_err(Arc::new)?;
    let pixels = raster::render(&layout, &kit, master.as_deref());
    let encoded = output::encode(&pixels, opts.file_type, task.format.max_bytes());
    let record = Sidecar::new(&layout, &encoded, &kit);

    let stem = task.stem(&opts.out_dir);
    let image = stem.with_extension(encoded.file_type.extension());
    let sidecar = stem.with_extension("layout.json");
    let inputs = task.creative.input_files();
    output::guard_inputs(&image, &inputs).map_err(Arc::new)?;
    output::guard_inputs(&sidecar, &inputs).map_err(Arc::new)?;
    // A previous run may have written the other type; remove it so a folder
    // never holds two images of one format.
    for other in ["png", "jpg"] {
        let stale = stem.with_extension(other);
        if stale != image && stale.is_file() && output::guard_inputs(&stale, &inputs).is_ok() {
            let _ = std::fs::remove_file(stale);
        }
    }
    output::write_atomic(&image, &encoded.bytes).map_err(Arc::new)?;
    output::write_atomic(&sidecar, record.to_json().as_bytes()).map_err(Arc::new)?;
    Ok(Output {
        image,
        sidecar,
        format: task.format.id.clone(),
        variant: task.variant().map(|v| v.id.clone()),
        brand: task.creative.brand.path.clone(),
        record,
    })
}

/// Renders every task of one creative (a convenience for library users).
pub fn render_creative(
    creative: &Creative,
    opts: &RenderOptions,
) -> Result<Vec<std::result::Result<Output, Arc<Error>>>> {
    let creative = Arc::new(creative.clone());
    let tasks = tasks(&creative, opts)?;
    let assets = Assets::load(&tasks, opts.max_pixels);
    Ok(tasks.par_iter().map(|t| run(t, &assets, opts)).collect())
}
