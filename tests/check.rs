//! `brandfit check` and `build` end to end: sidecar rules pass and fail,
//! reports in every format, exit codes per SPEC §6.

mod common;

use std::path::Path;
use std::process::{Command, Output};

fn brandfit(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_brandfit"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

/// Renders a small Acme creative into `dir/out/t/`.
fn render(dir: &Path) {
    let photo = common::root().join("examples/spring-blend/coffee.jpg");
    let c = common::write_creative(
        dir,
        "acme",
        &format!(
            "formats = [\"medium-rectangle\", \"leaderboard\"]\n[background]\nimage = {:?}\nscrim = {{ color = \"espresso\", opacity = 0.35 }}\n\
             [headline]\ntext = \"Spring blend is here\"\ncolor = \"cream\"\n[cta]\ntext = \"Order now\"\nfill = \"accent\"\ncolor = \"#FFFFFF\"\n",
            photo.display().to_string()
        ),
    );
    let o = brandfit(&[
        "render",
        c.to_str().unwrap(),
        "-o",
        dir.join("out").to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

fn check_json(target: &Path) -> (i32, serde_json::Value) {
    let guide = common::root().join("brand-guides/acme.toml");
    let o = brandfit(&[
        "check",
        "--brand",
        guide.to_str().unwrap(),
        "--report",
        "json",
        target.to_str().unwrap(),
    ]);
    (
        o.status.code().unwrap(),
        serde_json::from_slice(&o.stdout).unwrap(),
    )
}

fn status(report: &serde_json::Value, image: usize, rule: &str) -> String {
    report["images"][image]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["rule"] == rule)
        .unwrap()["status"]
        .as_str()
        .unwrap()
        .to_string()
}

/// Edits the leaderboard's sidecar and returns the new check report.
fn with_sidecar_edit(edit: impl Fn(&mut serde_json::Value)) -> (i32, serde_json::Value) {
    let dir = tempfile::tempdir().unwrap();
    render(dir.path());
    let sidecar = dir.path().join("out/t/leaderboard.layout.json");
    let mut json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&sidecar).unwrap()).unwrap();
    edit(&mut json);
    std::fs::write(&sidecar, serde_json::to_string(&json).unwrap()).unwrap();
    let image = std::fs::read_dir(dir.path().join("out/t"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| {
            p.file_stem().is_some_and(|s| s == "leaderboard")
                && p.extension().is_some_and(|e| e == "png" || e == "jpg")
        });
    check_json(&image.unwrap())
}

#[test]
fn rendered_banners_pass_every_rule() {
    let dir = tempfile::tempdir().unwrap();
    render(dir.path());
    let (code, report) = check_json(&dir.path().join("out"));
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["schema"], "brandfit.report/v1");
    assert_eq!(report["brand"], "Acme Coffee");
    assert_eq!(
        report["summary"],
        serde_json::json!({ "images": 2, "passed": 2, "failed": 0, "errors": 0 })
    );
    let image = &report["images"][0];
    for key in [
        "path", "format", "width", "height", "bytes", "passed", "logo", "checks",
    ] {
        assert!(!image[key].is_null(), "missing {key}");
    }
    let rules: Vec<&str> = image["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["rule"].as_str().unwrap())
        .collect();
    for rule in [
        "format.size",
        "format.file-size",
        "format.file-type",
        "logo.present",
        "logo.corner",
        "logo.margin",
        "logo.min-size",
        "logo.aspect",
        "color.palette",
        "safe-zone",
        "text.contrast",
        "text.min-size",
        "text.fonts",
        "text.glyphs",
        "text.fit",
    ] {
        assert!(rules.contains(&rule), "{rule} not reported");
    }
    assert!(image["logo"]["score"].as_f64().unwrap() > 0.9);
}

#[test]
fn sidecar_rules_fail_on_what_the_sidecar_records() {
    let (code, r) = with_sidecar_edit(|j| j["layers"][0]["size"] = serde_json::json!(8.0));
    assert_eq!((code, status(&r, 0, "text.min-size").as_str()), (1, "fail"));
    let (_, r) =
        with_sidecar_edit(|j| j["layers"][0]["fonts"] = serde_json::json!(["fonts/Comic.ttf"]));
    assert_eq!(status(&r, 0, "text.fonts"), "fail");
    let (_, r) = with_sidecar_edit(|j| j["layers"][0]["missing_glyphs"] = serde_json::json!(["ก"]));
    assert_eq!(status(&r, 0, "text.glyphs"), "fail");
    let msg = r["images"][0]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["rule"] == "text.glyphs")
        .unwrap()["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(msg.contains("U+0E01"), "{msg}");
    let (_, r) = with_sidecar_edit(|j| j["layers"][0]["fit"] = serde_json::json!(false));
    assert_eq!(status(&r, 0, "text.fit"), "fail");
    // A declared colour that is not in the pixels: contrast cannot be measured, and fails.
    let (_, r) = with_sidecar_edit(|j| j["layers"][0]["color"] = serde_json::json!("#00FF00"));
    assert_eq!(status(&r, 0, "text.contrast"), "fail");
}

#[test]
fn without_a_sidecar_text_rules_skip_and_pixel_rules_still_run() {
    let dir = tempfile::tempdir().unwrap();
    render(dir.path());
    for f in std::fs::read_dir(dir.path().join("out/t"))
        .unwrap()
        .flatten()
    {
        if f.path().to_string_lossy().ends_with(".layout.json") {
            std::fs::remove_file(f.path()).unwrap();
        }
    }
    let (code, r) = check_json(&dir.path().join("out"));
    assert_eq!(code, 0);
    assert_eq!(status(&r, 0, "text.fit"), "skip");
    assert_eq!(status(&r, 0, "logo.margin"), "pass");
}

#[test]
fn unreadable_inputs_exit_2_and_the_rest_are_still_checked() {
    let dir = tempfile::tempdir().unwrap();
    render(dir.path());
    std::fs::write(
        dir.path().join("out/t/broken.png"),
        b"\x89PNG\r\n\x1a\n garbage",
    )
    .unwrap();
    let (code, r) = check_json(&dir.path().join("out"));
    assert_eq!(code, 2);
    assert_eq!(r["summary"]["errors"], 1);
    assert_eq!(r["summary"]["passed"], 2);
    let broken = r["images"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["path"].as_str().unwrap().ends_with("broken.png"))
        .unwrap();
    assert!(broken["error"].is_string() && broken["checks"].is_null());
}

#[test]
fn text_and_junit_reports() {
    let dir = tempfile::tempdir().unwrap();
    render(dir.path());
    let guide = common::root().join("brand-guides/acme.toml");
    let out = dir.path().join("out");
    let o = brandfit(&[
        "check",
        "--brand",
        guide.to_str().unwrap(),
        out.to_str().unwrap(),
    ]);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains("PASS ") && text.contains("2 images, 2 passed, 0 failed, 0 unreadable"),
        "{text}"
    );
    assert!(!text.contains('\x1b'), "no colour when not a terminal");
    let junit = dir.path().join("report.xml");
    let o = brandfit(&[
        "check",
        "--brand",
        guide.to_str().unwrap(),
        "--report",
        "junit",
        "--output",
        junit.to_str().unwrap(),
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0));
    let xml = std::fs::read_to_string(junit).unwrap();
    assert_eq!(xml.matches("<testcase").count(), 2 * 15, "{xml}");
    assert!(xml.contains("<testsuites") && xml.contains("name=\"logo.margin\""));
}

#[test]
fn build_renders_and_checks_and_the_examples_pass() {
    let dir = tempfile::tempdir().unwrap();
    let root = common::root();
    let report = dir.path().join("report.json");
    let o = brandfit(&[
        "build",
        root.join("examples/spring-blend/creative.toml")
            .to_str()
            .unwrap(),
        root.join("examples/bloom-season/creative.toml")
            .to_str()
            .unwrap(),
        root.join("examples/bloom-world/creative.toml")
            .to_str()
            .unwrap(),
        root.join("examples/bloom-meadow/creative.toml")
            .to_str()
            .unwrap(),
        "-o",
        dir.path().join("out").to_str().unwrap(),
        "--report",
        "json",
        "--output",
        report.to_str().unwrap(),
    ]);
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    // Every banner meets the composition floors, and its own checks.
    let shortfalls = common::composition_shortfalls(&dir.path().join("out"));
    assert!(
        shortfalls.is_empty(),
        "{} composition shortfalls:\n{}",
        shortfalls.len(),
        shortfalls.join("\n")
    );
    let failures: Vec<String> = json["images"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["passed"] == false)
        .map(|i| format!("{} {}", i["path"], i["checks"]))
        .collect();
    assert!(failures.is_empty(), "{failures:#?}");
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(json["summary"]["images"], 33 + 24 + 8);
    // The Arabic and Hebrew variants mirror the logo (bloom sets
    // logo.mirror_rtl) and their sidecars say so; no variant misses a glyph.
    let world = dir.path().join("out/bloom-world");
    for variant in ["ko", "ja", "ar", "hi", "he", "th"] {
        for format in [
            "facebook-feed",
            "instagram-story",
            "medium-rectangle",
            "leaderboard",
        ] {
            let sidecar: serde_json::Value = serde_json::from_str(
                &std::fs::read_to_string(world.join(format!("{variant}/{format}.layout.json")))
                    .unwrap(),
            )
            .unwrap();
            assert_eq!(sidecar["lang"], variant);
            let layers = sidecar["layers"].as_array().unwrap();
            for layer in layers {
                if let Some(missing) = layer.get("missing_glyphs") {
                    assert_eq!(
                        missing.as_array().unwrap().len(),
                        0,
                        "{variant} {format}: {layer}"
                    );
                }
            }
            if format == "facebook-feed" {
                let logo = layers.iter().find(|l| l["role"] == "logo").unwrap();
                let right = logo["box"]["x"].as_i64().unwrap() > 600;
                assert_eq!(right, ["ar", "he"].contains(&variant), "{variant}: {logo}");
            }
        }
    }
    // Right to left, the layout is mirrored but the copy still keeps off
    // the photo's subject: the flower fills the feed's right half, so the
    // Arabic text column stays on the left, the Korean one's width, and
    // its button sits at the column's right (its start).
    let region = |variant: &str, role: &str| -> (i64, i64) {
        let sidecar: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(world.join(format!("{variant}/facebook-feed.layout.json")))
                .unwrap(),
        )
        .unwrap();
        let layer = sidecar["layers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["role"] == role)
            .unwrap()
            .clone();
        let r = if role == "cta" {
            &layer["box"]
        } else {
            &layer["region"]
        };
        (r["x"].as_i64().unwrap(), r["w"].as_i64().unwrap())
    };
    let column = region("ar", "headline");
    for role in ["headline", "body", "legal", "cta"] {
        let (ltr, rtl) = (region("ko", role), region("ar", role));
        if role != "cta" {
            assert_eq!(rtl, ltr, "{role}");
        } else {
            let (ko_column, ar_column) = (region("ko", "body"), region("ar", "body"));
            assert_eq!(ltr.0, ko_column.0, "the Korean button starts the column");
            assert_eq!(
                rtl.0 + rtl.1,
                ar_column.0 + ar_column.1,
                "the Arabic button ends the column"
            );
        }
    }
    assert!(column.0 + column.1 < 600, "{column:?}");
}

#[test]
fn a_character_no_brand_font_has_fails_text_glyphs_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let photo = common::root().join("examples/spring-blend/coffee.jpg");
    let creative = common::write_creative(
        dir.path(),
        "bloom",
        &format!(
            "formats = [\"medium-rectangle\"]\n[background]\nimage = {:?}\n[headline]\ntext = \"Summer ზაფხული\"\ncolor = \"paper\"\n",
            photo.display().to_string()
        ),
    );
    let out = dir.path().join("out");
    let o = brandfit(&[
        "build",
        creative.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains("text.glyphs") && text.contains("U+10D6"),
        "{text}"
    );
    let sidecar = std::fs::read_to_string(out.join("t/medium-rectangle.layout.json")).unwrap();
    assert!(
        sidecar.contains("\"missing_glyphs\": [\n        \"ზ\""),
        "{sidecar}"
    );
}

/// What `check` reports on third-party banners of one mark does not depend
/// on which other banners the same run checked before them (templates are
/// cached per run), nor on the number of threads.
#[test]
fn a_banner_is_judged_the_same_alone_in_a_batch_and_at_any_thread_count() {
    let sample = common::root().join("fixtures/corpus/sample/holdout");
    for mark in ["youtube", "mongodb"] {
        let guide = common::root().join(format!("fixtures/corpus/marks/{mark}/brand.toml"));
        let mut banners: Vec<String> = std::fs::read_dir(&sample)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| {
                p.file_name()
                    .unwrap()
                    .to_str()
                    .unwrap()
                    .contains(&format!("-{mark}-"))
            })
            .map(|p| p.to_str().unwrap().to_owned())
            .collect();
        banners.sort();
        assert!(banners.len() >= 3, "{mark}: {banners:?}");
        let run = |jobs: &str, files: &[String]| {
            let mut args = vec!["check", "-j", jobs, "--brand", guide.to_str().unwrap()];
            args.extend(["--report", "json"]);
            args.extend(files.iter().map(String::as_str));
            let o = brandfit(&args);
            assert!(
                o.status.code().unwrap() <= 1,
                "{}",
                String::from_utf8_lossy(&o.stderr)
            );
            let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
            report["images"].as_array().unwrap().clone()
        };
        let alone: Vec<serde_json::Value> = banners
            .iter()
            .map(|b| run("1", std::slice::from_ref(b)).remove(0))
            .collect();
        let mut backwards = banners.clone();
        backwards.reverse();
        for (jobs, files) in [("1", &banners), ("1", &backwards), ("4", &banners)] {
            for image in run(jobs, files) {
                let same = alone.iter().find(|a| a["path"] == image["path"]).unwrap();
                assert_eq!(same, &image, "-j {jobs}, {} files", files.len());
            }
        }
    }
}
