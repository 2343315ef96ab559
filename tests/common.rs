//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use brandfit::kit::BrandKit;
use brandfit::spec::Brand;

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A bundled brand guide with its assets, by file stem.
pub fn kit(name: &str) -> BrandKit {
    let brand = Brand::load(&root().join(format!("brand-guides/{name}.toml"))).unwrap();
    BrandKit::load(brand).unwrap()
}

/// Writes a creative for the named bundled brand into `dir` and returns its path.
pub fn write_creative(dir: &Path, brand: &str, body: &str) -> PathBuf {
    let guide = root().join(format!("brand-guides/{brand}.toml"));
    let text = format!(
        "brand = {:?}\nname = \"t\"\n{body}",
        guide.display().to_string()
    );
    let path = dir.join("creative.toml");
    std::fs::write(&path, text).unwrap();
    path
}
