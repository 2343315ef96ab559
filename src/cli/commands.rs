//! One function per subcommand.

use std::io::IsTerminal;
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

use super::{Cli, Command, EXIT_BAD_INPUT, EXIT_OK, FileTypeArg};
use brandfit::job::{self, Assets, RenderOptions};
use brandfit::kit::BrandKit;
use brandfit::output::TypeChoice;
use brandfit::spec::{Brand, Creative, FormatCatalog};

/// Dispatches a parsed command line.
pub fn run(cli: Cli) -> i32 {
    let max_pixels = (cli.max_megapixels * 1e6) as u64;
    match cli.command {
        Command::Render {
            creatives,
            out,
            formats,
            file_type,
        } => {
            let file_type = match file_type {
                FileTypeArg::Auto => TypeChoice::Auto,
                FileTypeArg::Png => TypeChoice::Png,
                FileTypeArg::Jpeg => TypeChoice::Jpeg,
            };
            let opts = RenderOptions {
                out_dir: out,
                formats,
                file_type,
                max_pixels,
            };
            render(&creatives, &opts)
        }
        Command::Validate { files } => validate(&files),
        Command::Formats { json, brand } => formats(json, brand.as_deref()),
    }
}

fn error(e: &dyn std::fmt::Display) {
    eprintln!("error: {e}");
}

fn warn(msg: &str) {
    eprintln!("warning: {msg}");
}

fn render(paths: &[std::path::PathBuf], opts: &RenderOptions) -> i32 {
    let mut status = EXIT_OK;
    let mut tasks = Vec::new();
    for path in paths {
        match Creative::load(path).and_then(|c| job::tasks(&Arc::new(c), opts)) {
            Ok(t) => tasks.extend(t),
            Err(e) => {
                error(&e);
                status = EXIT_BAD_INPUT;
            }
        }
    }
    let assets = Assets::load(&tasks, opts.max_pixels);
    let progress = progress_bar(tasks.len() as u64);
    let results: Vec<_> = tasks
        .par_iter()
        .map(|t| {
            let r = job::run(t, &assets, opts);
            if let Some(p) = &progress {
                p.inc(1);
            }
            (t, r)
        })
        .collect();
    if let Some(p) = progress {
        p.finish_and_clear();
    }

    // Report each failure once (a bad photo fails every format that uses it).
    let mut reported: Vec<String> = Vec::new();
    for (task, result) in results {
        match result {
            Ok(out) => {
                let enc = out.record.encoding.as_ref();
                let kib = enc.map_or(0, |e| e.bytes.div_ceil(1024));
                println!(
                    "wrote {} ({}x{}, {kib} KiB)",
                    out.image.display(),
                    out.record.width,
                    out.record.height
                );
                for layer in &out.record.layers {
                    if layer.fit == Some(false) {
                        warn(&format!(
                            "{}: the {} does not fit at the brand's minimum size and was truncated",
                            out.image.display(),
                            layer.role
                        ));
                    }
                }
                if !out.record.hidden.is_empty() {
                    eprintln!(
                        "note: {}: no room for {}",
                        out.image.display(),
                        out.record.hidden.join(", ")
                    );
                }
                if let Some(e) = enc.filter(|e| !e.within_limit) {
                    warn(&format!(
                        "{}: {} KiB is over the format's {} KiB limit even at the smallest encoding",
                        out.image.display(),
                        e.bytes.div_ceil(1024),
                        e.max_bytes.unwrap_or(0) / 1024
                    ));
                }
            }
            Err(e) => {
                let msg = e.to_string();
                if !reported.contains(&msg) {
                    error(&format!(
                        "{} [{}]: {msg}",
                        task.creative.name, task.format.id
                    ));
                    reported.push(msg);
                }
                status = EXIT_BAD_INPUT;
            }
        }
    }
    status
}

fn progress_bar(len: u64) -> Option<indicatif::ProgressBar> {
    if !std::io::stderr().is_terminal() || len < 2 {
        return None;
    }
    let bar = indicatif::ProgressBar::new(len);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} banners {elapsed}")
    {
        bar.set_style(style);
    }
    Some(bar)
}

/// What a TOML file is, from its top-level keys.
fn is_creative(path: &Path) -> bool {
    std::fs::read_to_string(path)
        .ok()
        .and_then(|t| t.parse::<toml::Table>().ok())
        .is_some_and(|t| t.contains_key("brand") || t.contains_key("headline"))
}

fn validate(paths: &[std::path::PathBuf]) -> i32 {
    let mut status = EXIT_OK;
    for path in paths {
        let result = if is_creative(path) {
            Creative::load(path).and_then(|c| {
                BrandKit::load(c.brand.clone())?;
                let variants = c.variants.len();
                Ok(format!(
                    "creative `{}`: {} formats, {variants} variants",
                    c.name,
                    c.formats.len()
                ))
            })
        } else {
            Brand::load(path).and_then(|b| {
                let name = b.name.clone();
                let formats = b.formats.len();
                BrandKit::load(b)?;
                Ok(format!("brand guide `{name}`: {formats} default formats"))
            })
        };
        match result {
            Ok(summary) => println!("ok: {} ({summary})", path.display()),
            Err(e) => {
                error(&e);
                status = EXIT_BAD_INPUT;
            }
        }
    }
    status
}

fn formats(json: bool, brand: Option<&Path>) -> i32 {
    let catalog = match brand.map(Brand::load).transpose() {
        Ok(Some(b)) => b.catalog,
        Ok(None) => FormatCatalog::default(),
        Err(e) => {
            error(&e);
            return EXIT_BAD_INPUT;
        }
    };
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(catalog.all()).expect("formats serialise")
        );
        return EXIT_OK;
    }
    println!(
        "{:<20} {:>10}  {:<22} {:>8}  unsafe insets",
        "id", "size", "platform", "max"
    );
    for f in catalog.all() {
        let max = match f.max_kb {
            Some(kb) if kb >= 1024 && kb % 1024 == 0 => format!("{} MB", kb / 1024),
            Some(kb) => format!("{kb} KB"),
            None => "-".to_string(),
        };
        let i = f.insets;
        let insets: Vec<String> = [
            ("top", i.top),
            ("bottom", i.bottom),
            ("left", i.left),
            ("right", i.right),
        ]
        .iter()
        .filter(|(_, v)| *v > 0.0)
        .map(|(n, v)| format!("{n} {:.0} %", v * 100.0))
        .collect();
        let insets = if insets.is_empty() {
            "none".to_string()
        } else {
            insets.join(", ")
        };
        println!(
            "{:<20} {:>10}  {:<22} {:>8}  {insets}",
            f.id,
            format!("{}x{}", f.width, f.height),
            f.platform,
            max
        );
    }
    EXIT_OK
}
