//! Checking cost against decoding cost, measured in the same run:
//! a 1080x1920 story PNG (target: check at most 2x the decode alone) and a
//! 300x250 banner (target: under 5 ms of checking beyond decode).
//!
//! `cargo bench --bench check`. The inputs are rendered first from the
//! bundled Bloom example, so the check sees a real banner with its sidecar.
#![allow(missing_docs)]

use std::path::PathBuf;
use std::sync::Arc;

use brandfit::check::logo::Pyramid;
use brandfit::check::{CheckOptions, Checker, color, format, read_sidecar, text};
use brandfit::job::{Assets, RenderOptions, run, tasks};
use brandfit::kit::BrandKit;
use brandfit::spec::Creative;
use criterion::{Criterion, criterion_group, criterion_main};

fn bench(c: &mut Criterion) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let creative =
        Arc::new(Creative::load(&root.join("examples/bloom-season/creative.toml")).unwrap());
    let out = std::env::temp_dir().join("brandfit-check-bench");
    let opts = RenderOptions {
        out_dir: out.clone(),
        formats: Some(vec!["instagram-story".into(), "medium-rectangle".into()]),
        file_type: brandfit::output::TypeChoice::Png,
        ..RenderOptions::default()
    };
    let t: Vec<_> = tasks(&creative, &opts)
        .unwrap()
        .into_iter()
        .filter(|t| t.variant == Some(0))
        .collect();
    let assets = Assets::load(&t, u64::MAX);
    let written: Vec<_> = t.iter().map(|t| run(t, &assets, &opts).unwrap()).collect();
    let kit = BrandKit::load(creative.brand.clone()).unwrap();
    let checker = Checker::new(&kit, CheckOptions::default());

    // The stages of a story check, one at a time on one thread (the logo
    // search is what remains of the single-threaded total).
    let story = written
        .iter()
        .find(|o| o.format == "instagram-story")
        .unwrap();
    let decoded = format::decode(&std::fs::read(&story.image).unwrap(), u64::MAX).unwrap();
    let img = &decoded.image;
    let sidecar = read_sidecar(&story.image).and_then(Result::ok);
    let allowed: Vec<_> = kit.brand.allowed_colors().collect();
    c.bench_function("stage colour pyramid instagram-story", |b| {
        b.iter(|| Pyramid::new(img))
    });
    c.bench_function("stage flat areas instagram-story", |b| {
        b.iter(|| color::flat_areas(img, None, 0.002, &allowed))
    });
    c.bench_function("stage text rules instagram-story", |b| {
        b.iter(|| text::rules(img, sidecar.as_ref(), &kit))
    });

    for o in &written {
        let name = &o.format;
        let data = std::fs::read(&o.image).unwrap();
        c.bench_function(&format!("decode {name}"), |b| {
            b.iter(|| format::decode(&data, u64::MAX).unwrap())
        });
        c.bench_function(&format!("decode + check {name}"), |b| {
            b.iter(|| {
                let decoded = format::decode(&data, u64::MAX).unwrap();
                checker.check_decoded(&o.image, &data, decoded, read_sidecar(&o.image))
            })
        });
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
