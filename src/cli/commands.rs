//! One function per subcommand.

use std::io::IsTerminal;
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

use super::{
    Cli, Command, EXIT_BAD_INPUT, EXIT_OK, EXIT_RULE_FAILED, FileTypeArg, RenderArgs, ReportArg,
};
use brandfit::check::{CheckOptions, Checker, ImageResult};
use brandfit::job::{self, Assets, RenderOptions};
use brandfit::kit::BrandKit;
use brandfit::output::TypeChoice;
use brandfit::spec::{Brand, Creative, FormatCatalog};

/// Dispatches a parsed command line.
pub fn run(cli: Cli) -> i32 {
    let max_pixels = (cli.max_megapixels * 1e6) as u64;
    match cli.command {
        Command::Render(args) => render(&args.creatives, &options(&args, max_pixels)).0,
        Command::Build {
            render: args,
            report,
            output,
        } => build(
            &args.creatives,
            &options(&args, max_pixels),
            report,
            output.as_deref(),
        ),
        Command::Check {
            paths,
            brand,
            formats,
            report,
            output,
        } => check(
            &paths,
            &brand,
            formats.as_deref(),
            max_pixels,
            report,
            output.as_deref(),
        ),
        Command::Validate { files } => validate(&files),
        Command::Formats { json, brand } => formats(json, brand.as_deref()),
    }
}

fn options(args: &RenderArgs, max_pixels: u64) -> RenderOptions {
    let file_type = match args.file_type {
        FileTypeArg::Auto => TypeChoice::Auto,
        FileTypeArg::Png => TypeChoice::Png,
        FileTypeArg::Jpeg => TypeChoice::Jpeg,
    };
    RenderOptions {
        out_dir: args.out.clone(),
        formats: args.formats.clone(),
        file_type,
        max_pixels,
    }
}

fn error(e: &dyn std::fmt::Display) {
    eprintln!("error: {e}");
}

fn warn(msg: &str) {
    eprintln!("warning: {msg}");
}

/// Renders every creative; returns the exit status and what was written,
/// with the assets (brand kits) that wrote it.
fn render(paths: &[std::path::PathBuf], opts: &RenderOptions) -> (i32, Vec<job::Output>, Assets) {
    let mut status = EXIT_OK;
    let mut tasks = Vec::new();
    for path in paths {
        let loaded = Creative::load(path).and_then(|c| {
            for w in c.warnings() {
                warn(&format!("{}: {w}", path.display()));
            }
            job::tasks(&Arc::new(c), opts)
        });
        match loaded {
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
    let mut written = Vec::new();
    for (task, result) in results {
        match result {
            Ok(out) => {
                let enc = out.record.encoding.as_ref();
                let kib = enc.map_or(0, |e| e.bytes.div_ceil(1024));
                // Progress, not the report: standard output carries only the report.
                eprintln!(
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
                written.push(out);
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
    (status, written, assets)
}

fn build(
    paths: &[std::path::PathBuf],
    opts: &RenderOptions,
    report: ReportArg,
    output: Option<&Path>,
) -> i32 {
    let (status, written, assets) = render(paths, opts);
    let mut results = Vec::new();
    let mut brands: Vec<String> = Vec::new();
    for (brand_path, kit) in assets.kits() {
        let checker = Checker::new(
            kit,
            CheckOptions {
                formats: Vec::new(),
                max_pixels: opts.max_pixels,
            },
        );
        let mine: Vec<&job::Output> = written.iter().filter(|o| o.brand == *brand_path).collect();
        if mine.is_empty() {
            continue;
        }
        // One guide reached by two relative paths is one brand.
        if !brands.contains(&kit.brand.name) {
            brands.push(kit.brand.name.clone());
        }
        results.extend(
            mine.par_iter()
                .map(|o| checker.check_file(&o.image))
                .collect::<Vec<_>>(),
        );
    }
    let check_status = write_report(&brands.join(", "), &results, report, output);
    status.max(check_status).max(if status == EXIT_BAD_INPUT {
        EXIT_BAD_INPUT
    } else {
        0
    })
}

fn check(
    paths: &[std::path::PathBuf],
    brand: &Path,
    formats: Option<&[String]>,
    max_pixels: u64,
    report: ReportArg,
    output: Option<&Path>,
) -> i32 {
    let kit = match Brand::load(brand).and_then(BrandKit::load) {
        Ok(k) => k,
        Err(e) => {
            error(&e);
            return EXIT_BAD_INPUT;
        }
    };
    let mut targets = Vec::new();
    for id in formats.unwrap_or_default() {
        match kit.brand.format(id) {
            Some(f) => targets.push(f),
            None => {
                let hint = kit.brand.catalog.unknown_hint(id);
                error(&format!(
                    "--formats: unknown format `{id}`
  hint: {hint}"
                ));
                return EXIT_BAD_INPUT;
            }
        }
    }
    let mut files = Vec::new();
    let mut missing = Vec::new();
    for p in paths {
        if p.is_dir() {
            collect_images(p, &mut files);
        } else if p.exists() {
            files.push(p.clone());
        } else {
            missing.push(p.clone());
        }
    }
    let checker = Checker::new(
        &kit,
        CheckOptions {
            formats: targets,
            max_pixels,
        },
    );
    let progress = progress_bar(files.len() as u64);
    let mut results: Vec<ImageResult> = files
        .par_iter()
        .map(|f| {
            let r = checker.check_file(f);
            if let Some(p) = &progress {
                p.inc(1);
            }
            r
        })
        .collect();
    if let Some(p) = progress {
        p.finish_and_clear();
    }
    for m in missing {
        results.push(ImageResult::unreadable(&m, "no such file or folder"));
    }
    if results.is_empty() {
        error(&"no .png, .jpg or .jpeg files found in the paths given");
        return EXIT_BAD_INPUT;
    }
    write_report(&kit.brand.name, &results, report, output)
}

/// Every PNG/JPEG below `dir`, sorted, skipping hidden entries.
fn collect_images(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for p in paths {
        if p.file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        {
            continue;
        }
        if p.is_dir() {
            collect_images(&p, out);
        } else if p.extension().is_some_and(|e| {
            ["png", "jpg", "jpeg"].contains(&e.to_string_lossy().to_lowercase().as_str())
        }) {
            out.push(p);
        }
    }
}

/// Writes the report (to `output` atomically, else stdout) and returns the exit status.
fn write_report(
    brand: &str,
    results: &[ImageResult],
    kind: ReportArg,
    output: Option<&Path>,
) -> i32 {
    let mut buf = Vec::new();
    let color = output.is_none()
        && std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none();
    let written = match kind {
        ReportArg::Text => brandfit::report::text::write(&mut buf, brand, results, color),
        ReportArg::Json => brandfit::report::json::write(&mut buf, brand, results),
        ReportArg::Junit => brandfit::report::junit::write(&mut buf, brand, results),
    };
    if let Err(e) = written {
        error(&format!("cannot write the report: {e}"));
        return EXIT_BAD_INPUT;
    }
    match output {
        Some(path) => {
            if let Err(e) = brandfit::output::write_atomic(path, &buf) {
                error(&e);
                return EXIT_BAD_INPUT;
            }
        }
        None => {
            use std::io::Write;
            let _ = std::io::stdout().write_all(&buf);
        }
    }
    let summary = brandfit::report::Summary::of(results);
    if summary.errors > 0 {
        EXIT_BAD_INPUT
    } else if summary.failed > 0 {
        EXIT_RULE_FAILED
    } else {
        EXIT_OK
    }
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
                for w in c.warnings() {
                    warn(&format!("{}: {w}", path.display()));
                }
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
