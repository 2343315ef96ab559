//! Layout and raster cost per seed format, from the bundled 3840x2160
//! camera master with its SVG logo, headline, body and CTA.
//!
//! `cargo bench --bench render`. The whole-process comparison with
//! ImageMagick and libvips is `benches/compare.sh`.
#![allow(missing_docs)]

use std::path::PathBuf;
use std::sync::Arc;

use brandfit::job::{Assets, RenderOptions, tasks};
use brandfit::kit::BrandKit;
use brandfit::layout::layout;
use brandfit::output::{TypeChoice, encode};
use brandfit::raster::{Master, render};
use brandfit::spec::Creative;
use criterion::{Criterion, criterion_group, criterion_main};

const SEED: [&str; 4] = [
    "facebook-feed",
    "instagram-story",
    "medium-rectangle",
    "leaderboard",
];

fn bench(c: &mut Criterion) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let creative = Creative::load(&root.join("examples/bloom-season/creative.toml")).unwrap();
    let kit = BrandKit::load(creative.brand.clone()).unwrap();
    let photo = root.join("examples/bloom-season/yellow-flower.jpg");

    c.bench_function("decode master 3840x2160 + tones + saliency", |b| {
        b.iter(|| Master::load(&photo, u64::MAX).unwrap())
    });
    let master = Master::load(&photo, u64::MAX).unwrap();
    c.bench_function("brand kit load (bloom: 14 faces, SVG logo)", |b| {
        b.iter(|| BrandKit::load(creative.brand.clone()).unwrap())
    });

    for id in SEED {
        let format = creative.brand.format(id).unwrap();
        let copy = creative.copy_for(Some(&creative.variants[0]), &format);
        c.bench_function(&format!("layout {id}"), |b| {
            b.iter(|| layout(&copy, &kit, &format, Some(master.backdrop())).unwrap())
        });
        let l = layout(&copy, &kit, &format, Some(master.backdrop())).unwrap();
        c.bench_function(&format!("raster {id}"), |b| {
            b.iter(|| render(&l, &kit, Some(&master)))
        });
        let img = render(&l, &kit, Some(&master));
        c.bench_function(&format!("encode auto {id}"), |b| {
            b.iter(|| encode(&img, TypeChoice::Auto, format.max_bytes()))
        });
    }

    // The text stage's share of a 1200x628 render: layout (shaping, line
    // breaking, fitting) and the glyph coverage masks, in English and Arabic.
    for (file, variant) in [
        ("examples/bloom-season/creative.toml", 0),
        ("examples/bloom-world/creative.toml", 2),
        ("examples/bloom-world/creative.toml", 1),
    ] {
        let creative = Creative::load(&root.join(file)).unwrap();
        let kit = BrandKit::load(creative.brand.clone()).unwrap();
        let v = &creative.variants[variant];
        let format = creative.brand.format("facebook-feed").unwrap();
        let copy = creative.copy_for(Some(v), &format);
        let l = layout(&copy, &kit, &format, Some(master.backdrop())).unwrap();
        let masks = |kit: &BrandKit| {
            let labels = l.cta.iter().map(|c| &c.label);
            l.texts
                .iter()
                .chain(labels)
                .map(|t| {
                    let stack = t.face.stack(kit);
                    brandfit::raster::text::text_mask(&stack, t.size, &t.lines, t.ink)
                })
                .count()
        };
        // Warm: every glyph already in its face's cache (from the first
        // run). Cold: freshly loaded fonts, every glyph drawn.
        c.bench_function(&format!("text masks facebook-feed {}", v.id), |b| {
            b.iter(|| masks(&kit))
        });
        c.bench_function(
            &format!("text masks facebook-feed {} cold glyph cache", v.id),
            |b| {
                b.iter_batched_ref(
                    || BrandKit::load(creative.brand.clone()).unwrap(),
                    |fresh| masks(fresh),
                    criterion::BatchSize::LargeInput,
                )
            },
        );
        c.bench_function(&format!("layout facebook-feed {}", v.id), |b| {
            b.iter(|| layout(&copy, &kit, &format, Some(master.backdrop())).unwrap())
        });
        c.bench_function(&format!("raster facebook-feed {}", v.id), |b| {
            b.iter(|| render(&l, &kit, Some(&master)))
        });
    }

    // The whole job for the four seed formats in one process (decode once, share).
    let creative = Arc::new(creative);
    let opts = RenderOptions {
        out_dir: std::env::temp_dir().join("brandfit-bench"),
        formats: Some(SEED.iter().map(|s| s.to_string()).collect()),
        ..RenderOptions::default()
    };
    let mut group = c.benchmark_group("job");
    group.sample_size(10);
    group.bench_function("seed formats, one variant, from file", |b| {
        b.iter(|| {
            let t: Vec<_> = tasks(&creative, &opts)
                .unwrap()
                .into_iter()
                .filter(|t| t.variant == Some(0))
                .collect();
            let assets = Assets::load(&t, u64::MAX);
            use rayon::prelude::*;
            t.par_iter()
                .map(|t| brandfit::job::run(t, &assets, &opts).unwrap())
                .count()
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
