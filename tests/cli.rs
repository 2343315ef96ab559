//! The command line on bad input (SPEC §8): exit status 2, a message that
//! names the file (and line:column for TOML) and says what to do, no panic,
//! and the other inputs still processed.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn brandfit(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_brandfit"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Runs `render` on a creative, expecting exit 2 and every `needles` in stderr.
fn expect_error(creative: &Path, out: &Path, needles: &[&str]) -> String {
    let o = brandfit(&[
        "render",
        creative.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "stderr: {err}");
    assert!(!err.contains("panicked"), "{err}");
    for n in needles {
        assert!(err.contains(n), "expected {n:?} in: {err}");
    }
    err
}

const GOOD: &str = "[background]\ncolor = \"cream\"\n[headline]\ntext = \"Spring blend is here\"\ncolor = \"espresso\"\n";

/// A copy of the Acme brand guide in `dir` with absolute asset paths, edited by `edit`.
fn brand_copy(dir: &Path, edit: impl Fn(String) -> String) -> PathBuf {
    let root = common::root();
    let text = std::fs::read_to_string(root.join("brand-guides/acme.toml"))
        .unwrap()
        .replace(
            "\"acme/logo.svg\"",
            &format!(
                "{:?}",
                root.join("brand-guides/acme/logo.svg")
                    .display()
                    .to_string()
            ),
        )
        .replace("\"../fixtures/", &format!("\"{}/fixtures/", root.display()));
    let path = dir.join("brand.toml");
    std::fs::write(&path, edit(text)).unwrap();
    path
}

fn creative_for(dir: &Path, brand: &Path, body: &str) -> PathBuf {
    let path = dir.join("creative.toml");
    std::fs::write(
        &path,
        format!(
            "brand = {:?}\nname = \"t\"\n{body}",
            brand.display().to_string()
        ),
    )
    .unwrap();
    path
}

#[test]
fn malformed_toml_names_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let c = common::write_creative(dir.path(), "acme", "[headline\ntext = \"x\"\n");
    expect_error(&c, &dir.path().join("out"), &["creative.toml:3:"]);
}

#[test]
fn unknown_key_gets_a_did_you_mean() {
    let dir = tempfile::tempdir().unwrap();
    let c = common::write_creative(
        dir.path(),
        "acme",
        &format!("{GOOD}[body]\ntext = \"x\"\ncolr = \"cream\"\n"),
    );
    expect_error(
        &c,
        &dir.path().join("out"),
        &[
            "creative.toml:10:1",
            "unknown field `colr`",
            "did you mean `color`?",
        ],
    );
}

#[test]
fn bad_colour_names_the_palette() {
    let dir = tempfile::tempdir().unwrap();
    let c = common::write_creative(
        dir.path(),
        "acme",
        "[background]\ncolor = \"creme\"\n[headline]\ntext = \"x\"\n",
    );
    expect_error(
        &c,
        &dir.path().join("out"),
        &[
            "creative.toml:4:9",
            "`creme` is not a colour of Acme Coffee",
            "did you mean `cream`?",
        ],
    );
    let b = brand_copy(dir.path(), |t| {
        t.replace("accent = \"#C2410C\"", "accent = \"#C2410\"")
    });
    let c = creative_for(dir.path(), &b, GOOD);
    expect_error(
        &c,
        &dir.path().join("out"),
        &["brand.toml:", "`#C2410` is not a colour", "#RRGGBB"],
    );
}

#[test]
fn missing_files_say_where_they_were_looked_for() {
    let dir = tempfile::tempdir().unwrap();
    let c = common::write_creative(
        dir.path(),
        "acme",
        "[background]\nimage = \"nope.jpg\"\n[headline]\ntext = \"x\"\n",
    );
    expect_error(
        &c,
        &dir.path().join("out"),
        &["creative.toml:4:9", "background image `nope.jpg` not found"],
    );
    let c = dir.path().join("c2.toml");
    std::fs::write(
        &c,
        format!("brand = \"missing.toml\"\nname = \"t\"\n{GOOD}"),
    )
    .unwrap();
    expect_error(
        &c,
        &dir.path().join("out"),
        &["c2.toml:1:9", "brand guide `missing.toml` not found"],
    );
    let b = brand_copy(dir.path(), |t| t.replace("Inter-Regular.otf", "Nope.otf"));
    let c = creative_for(dir.path(), &b, GOOD);
    expect_error(
        &c,
        &dir.path().join("out"),
        &["brand.toml:", "font", "Nope.otf` not found"],
    );
    let o = brandfit(&["render", dir.path().join("absent.toml").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("absent.toml: cannot read"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn truncated_and_oversized_images_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let photo = std::fs::read(common::root().join("examples/spring-blend/coffee.jpg")).unwrap();
    std::fs::write(dir.path().join("cut.jpg"), &photo[..photo.len() / 3]).unwrap();
    std::fs::write(dir.path().join("text.jpg"), b"this is not an image").unwrap();
    for name in ["cut.jpg", "text.jpg"] {
        let c = common::write_creative(
            dir.path(),
            "acme",
            &format!("[background]\nimage = \"{name}\"\n[headline]\ntext = \"x\"\n"),
        );
        expect_error(&c, &dir.path().join("out"), &[name, "image"]);
    }
    let c = common::write_creative(
        dir.path(),
        "acme",
        &format!(
            "[background]\nimage = {:?}\n[headline]\ntext = \"x\"\n",
            common::root()
                .join("examples/spring-blend/coffee.jpg")
                .display()
                .to_string()
        ),
    );
    let o = brandfit(&[
        "render",
        c.to_str().unwrap(),
        "-o",
        dir.path().join("out").to_str().unwrap(),
        "--max-megapixels",
        "0.1",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("over the 0 megapixel limit") || stderr(&o).contains("megapixel limit"),
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("--max-megapixels"));
}

#[test]
fn broken_svg_and_font_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("bad.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\"><path d=",
    )
    .unwrap();
    let b = brand_copy(dir.path(), |t| {
        let logo = common::root()
            .join("brand-guides/acme/logo.svg")
            .display()
            .to_string();
        t.replace(&format!("{logo:?}"), "\"bad.svg\"")
    });
    let c = creative_for(dir.path(), &b, GOOD);
    expect_error(
        &c,
        &dir.path().join("out"),
        &["bad.svg", "the SVG logo does not parse"],
    );

    std::fs::write(dir.path().join("bad.otf"), b"OTTO not really a font").unwrap();
    let b = brand_copy(dir.path(), |t| {
        t.replace(
            &format!(
                "{}/fixtures/fonts/Inter-Regular.otf",
                common::root().display()
            ),
            "bad.otf",
        )
    });
    let c = creative_for(dir.path(), &b, GOOD);
    expect_error(&c, &dir.path().join("out"), &["bad.otf: cannot load font"]);
}

#[test]
fn empty_text_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let c = common::write_creative(
        dir.path(),
        "acme",
        "[background]\ncolor = \"cream\"\n[headline]\ntext = \"  \"\n",
    );
    expect_error(
        &c,
        &dir.path().join("out"),
        &["creative.toml:6:8", "the headline text is empty"],
    );
}

#[test]
fn a_format_too_small_for_the_brand_says_which_rule() {
    let dir = tempfile::tempdir().unwrap();
    let c = common::write_creative(
        dir.path(),
        "acme",
        &format!("formats = [\"60x30\"]\n{GOOD}"),
    );
    expect_error(
        &c,
        &dir.path().join("out"),
        &["60x30", "too small for rule logo."],
    );
}

#[test]
fn never_writes_over_an_input() {
    let dir = tempfile::tempdir().unwrap();
    // The output path of format 300x250 in folder t is <out>/t/300x250.png:
    // make that file the creative's background photo.
    let out = dir.path().join("out");
    std::fs::create_dir_all(out.join("t")).unwrap();
    let photo = out.join("t/300x250.png");
    image::RgbImage::from_pixel(400, 300, image::Rgb([90, 60, 40]))
        .save(&photo)
        .unwrap();
    let before = std::fs::read(&photo).unwrap();
    let c = common::write_creative(
        dir.path(),
        "acme",
        &format!(
            "formats = [\"300x250\"]\n[background]\nimage = {:?}\n[headline]\ntext = \"x\"\n",
            photo.display().to_string()
        ),
    );
    expect_error(&c, &out, &["refusing to write over an input", "-o"]);
    assert_eq!(std::fs::read(&photo).unwrap(), before);
}

#[test]
fn one_bad_creative_does_not_stop_the_batch() {
    let dir = tempfile::tempdir().unwrap();
    let good = common::write_creative(
        dir.path(),
        "acme",
        &format!("formats = [\"leaderboard\"]\n{GOOD}"),
    );
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, "brand = 3").unwrap();
    let out = dir.path().join("out");
    let o = brandfit(&[
        "render",
        bad.to_str().unwrap(),
        good.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("bad.toml:1:"), "{}", stderr(&o));
    assert!(out.join("t/leaderboard.png").is_file());
    assert!(out.join("t/leaderboard.layout.json").is_file());
}

#[test]
fn validate_and_formats() {
    let root = common::root();
    let o = brandfit(&[
        "validate",
        root.join("brand-guides/acme.toml").to_str().unwrap(),
        root.join("brand-guides/bloom.toml").to_str().unwrap(),
        root.join("examples/spring-blend/creative.toml")
            .to_str()
            .unwrap(),
        root.join("examples/bloom-season/creative.toml")
            .to_str()
            .unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        String::from_utf8_lossy(&o.stdout).matches("ok: ").count(),
        4
    );

    let o = brandfit(&["formats"]);
    let table = String::from_utf8_lossy(&o.stdout);
    assert!(
        table.contains("instagram-story")
            && table.contains("top 14 %, bottom 20 %")
            && table.contains("150 KB"),
        "{table}"
    );
    let o = brandfit(&["formats", "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(json.as_array().unwrap().len(), 15);
    assert_eq!(json[3]["id"], "leaderboard");
    assert_eq!(json[3]["max_kb"], 150);
    let o = brandfit(&[
        "formats",
        "--brand",
        root.join("brand-guides/bloom.toml").to_str().unwrap(),
    ]);
    assert!(String::from_utf8_lossy(&o.stdout).contains("dooh-portrait"));

    let o = brandfit(&["render"]);
    assert_eq!(o.status.code(), Some(2));
    let o = brandfit(&["render", "x.toml", "--type", "gif"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn unknown_format_ids_get_a_hint() {
    let dir = tempfile::tempdir().unwrap();
    let c = common::write_creative(
        dir.path(),
        "acme",
        &format!("formats = [\"leaderbord\"]\n{GOOD}"),
    );
    expect_error(
        &c,
        &dir.path().join("out"),
        &[
            "creative.toml:3:12",
            "unknown format `leaderbord`",
            "did you mean `leaderboard`?",
        ],
    );
    let c = common::write_creative(
        dir.path(),
        "acme",
        &format!("{GOOD}[override.leaderbord]\nbody = false\n"),
    );
    expect_error(
        &c,
        &dir.path().join("out"),
        &[
            "[override.leaderbord] names an unknown format",
            "did you mean `leaderboard`?",
        ],
    );
}

/// Standard output carries the report and nothing else (SPEC §6): `build`
/// and `check` with every report kind give output that parses as that
/// kind, `render` gives none; "wrote …" lines and notes go to stderr.
#[test]
fn stdout_carries_only_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let c = common::write_creative(
        dir.path(),
        "acme",
        &format!("formats = [\"leaderboard\", \"medium-rectangle\"]\n{GOOD}"),
    );
    let out = dir.path().join("out");
    let (c, out) = (c.to_str().unwrap(), out.to_str().unwrap());

    let o = brandfit(&["render", c, "-o", out]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        o.stdout.is_empty(),
        "render wrote to stdout: {:?}",
        String::from_utf8_lossy(&o.stdout)
    );
    assert_eq!(stderr(&o).matches("wrote ").count(), 2, "{}", stderr(&o));

    let brand = common::root().join("brand-guides/acme.toml");
    let runs: [Vec<&str>; 2] = [
        vec!["build", c, "-o", out],
        vec!["check", out, "--brand", brand.to_str().unwrap()],
    ];
    for run in &runs {
        for kind in ["text", "json", "junit"] {
            let mut args = run.clone();
            args.extend(["--report", kind]);
            let o = brandfit(&args);
            let stdout = String::from_utf8_lossy(&o.stdout);
            assert!(
                !stdout.contains("wrote ") && !stdout.contains("note:"),
                "{} --report {kind}: progress on stdout: {stdout}",
                run[0]
            );
            match kind {
                "json" => {
                    let report: serde_json::Value = serde_json::from_slice(&o.stdout)
                        .unwrap_or_else(|e| panic!("{} --report json: {e}: {stdout}", run[0]));
                    assert_eq!(report["summary"]["images"], 2);
                }
                "junit" => assert!(
                    stdout.starts_with("<?xml") && stdout.trim_end().ends_with("</testsuites>"),
                    "{} --report junit: {stdout}",
                    run[0]
                ),
                _ => assert!(stdout.contains("leaderboard"), "{stdout}"),
            }
        }
    }
}

/// Revisions in order (SPEC §3, v1.1): base, base format override,
/// variant, variant format override. A base override's text revises the
/// base copy only; its `false` hides the layer for every variant; a
/// variant without `lang` gets the language its script tells; `validate`
/// warns where a variant's copy meets a base revision.
#[test]
fn format_overrides_revise_the_base_and_variants_revise_their_own() {
    use brandfit::spec::Creative;
    let dir = tempfile::tempdir().unwrap();
    let c = common::write_creative(
        dir.path(),
        "acme",
        &format!(
            "{GOOD}[body]\ntext = \"Bright, floral.\"\n\
             [override.leaderboard]\nheadline = {{ text = \"Spring blend\" }}\nbody = false\n\
             [[variant]]\nid = \"fr\"\nlang = \"fr\"\n\
             headline = {{ text = \"Le mélange de printemps est là\" }}\nbody = {{ text = \"Vif, floral.\" }}\n\
             [[variant]]\nid = \"ja\"\nheadline = {{ text = \"春のブレンド新発売\" }}\n\
             [variant.override.leaderboard]\nheadline = {{ text = \"春のブレンド\" }}\nbody = {{ text = \"ja body\" }}\n"
        ),
    );
    let creative = Creative::load(&c).unwrap();
    let leaderboard = creative.brand.format("leaderboard").unwrap();
    let variant = |id: &str| creative.variants.iter().find(|v| v.id == id);

    let base = creative.copy_for(None, &leaderboard);
    assert_eq!(base.headline.text, "Spring blend");
    assert!(base.body.is_none());
    assert_eq!(base.lang, None);

    // The French headline is French in the leaderboard too; the body the
    // base hid there stays hidden.
    let fr = creative.copy_for(variant("fr"), &leaderboard);
    assert_eq!(fr.headline.text, "Le mélange de printemps est là");
    assert!(fr.body.is_none());
    assert_eq!(fr.lang.as_deref(), Some("fr"));

    // The variant's own override wins, but cannot bring back a hidden layer;
    // its language comes from the script.
    let ja = creative.copy_for(variant("ja"), &leaderboard);
    assert_eq!(ja.headline.text, "春のブレンド");
    assert!(ja.body.is_none());
    assert_eq!(ja.lang.as_deref(), Some("ja"));

    let o = brandfit(&["validate", c.to_str().unwrap()]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        err.contains("variant `fr`: [override.leaderboard] revises the base headline")
            && err.contains("[variant.override.leaderboard]"),
        "{err}"
    );
    assert!(!err.contains("variant `ja`"), "{err}");

    let bad = common::write_creative(
        dir.path(),
        "acme",
        &format!("{GOOD}[[variant]]\nid = \"x\"\n[variant.override.leaderbord]\nbody = false\n"),
    );
    expect_error(
        &bad,
        &dir.path().join("out"),
        &[
            "[variant.override.leaderbord] names an unknown format",
            "did you mean `leaderboard`?",
        ],
    );
}

/// A fixed CTA label colour that cannot reach WCAG on its own fill is
/// named before anything is rendered: layer, colours, ratio, fix.
#[test]
fn a_cta_label_without_contrast_on_its_fill_is_named_before_rendering() {
    let dir = tempfile::tempdir().unwrap();
    let c = common::write_creative(
        dir.path(),
        "acme",
        &format!("{GOOD}[cta]\ntext = \"Order now\"\nfill = \"#F08A5D\"\ncolor = \"#FFFFFF\"\n"),
    );
    let o = brandfit(&["validate", c.to_str().unwrap()]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        err.contains("the cta label #FFFFFF on its fill #F08A5D is 2.")
            && err.contains("text.contrast needs 4.5:1")
            && err.contains("`color = \"auto\"`"),
        "{err}"
    );
    // An automatic label colour is chosen for contrast: nothing to say.
    let ok = common::write_creative(
        dir.path(),
        "acme",
        &format!("{GOOD}[cta]\ntext = \"Order now\"\nfill = \"#F08A5D\"\n"),
    );
    let o = brandfit(&["validate", ok.to_str().unwrap()]);
    assert!(!stderr(&o).contains("cta label"), "{}", stderr(&o));
}
