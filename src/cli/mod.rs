//! The command line: argument parsing, progress, messages and exit codes.
//! No domain logic lives here.

pub mod commands;

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// Exit status: every rule passed / everything written.
pub const EXIT_OK: i32 = 0;
/// Exit status: at least one error-severity rule failed.
pub const EXIT_RULE_FAILED: i32 = 1;
/// Exit status: bad usage, or an input that could not be read.
pub const EXIT_BAD_INPUT: i32 = 2;

/// Render a master creative into every ad format, on brand.
#[derive(Debug, Parser)]
#[command(name = "brandfit", version, about)]
pub struct Cli {
    /// Parallel jobs. Default: all cores.
    #[arg(short = 'j', long = "jobs", global = true)]
    pub jobs: Option<usize>,
    /// Largest photo accepted, in megapixels.
    #[arg(long, global = true, default_value_t = 100.0)]
    pub max_megapixels: f64,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Render creatives into every target format (image + layout sidecar).
    Render(RenderArgs),
    /// Render creatives and check every output against its brand's rules.
    Build {
        /// What to render.
        #[command(flatten)]
        render: RenderArgs,
        /// Report format.
        #[arg(long, value_enum, default_value_t = ReportArg::Text)]
        report: ReportArg,
        /// Write the report to this file instead of standard output.
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// Check banners (PNG/JPEG files or folders of them) against a brand guide.
    Check {
        /// Images, or folders to search for .png/.jpg/.jpeg.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// The brand guide.
        #[arg(long, required = true)]
        brand: PathBuf,
        /// Check against these format ids (comma-separated) instead of matching by size.
        #[arg(long, value_delimiter = ',')]
        formats: Option<Vec<String>>,
        /// Report format.
        #[arg(long, value_enum, default_value_t = ReportArg::Text)]
        report: ReportArg,
        /// Write the report to this file instead of standard output.
        #[arg(long)]
        output: Option<PathBuf>,
    },
    /// Check brand guides and creatives without rendering.
    Validate {
        /// TOML files (brand guides or creatives).
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// List the ad formats with platform, weight limit and unsafe insets.
    Formats {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
        /// Also list this brand guide's own formats.
        #[arg(long)]
        brand: Option<PathBuf>,
    },
}

/// What `render` and `build` render.
#[derive(Debug, clap::Args)]
pub struct RenderArgs {
    /// Creative TOML files.
    #[arg(required = true)]
    pub creatives: Vec<PathBuf>,
    /// Output folder.
    #[arg(short = 'o', long = "out", default_value = "out")]
    pub out: PathBuf,
    /// Format ids (comma-separated), overriding the creative's list.
    #[arg(long, value_delimiter = ',')]
    pub formats: Option<Vec<String>>,
    /// File type: png where it meets the weight limit, else jpeg (auto).
    #[arg(long = "type", value_enum, default_value_t = FileTypeArg::Auto)]
    pub file_type: FileTypeArg,
}

/// `--report`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportArg {
    /// For people: grouped by image, failures first.
    Text,
    /// brandfit.report/v1 JSON.
    Json,
    /// JUnit XML, one test case per image and rule.
    Junit,
}

/// `--type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FileTypeArg {
    /// PNG where it meets the format's limit, else JPEG at the highest quality that fits.
    Auto,
    /// PNG (palette-quantised if needed for the limit).
    Png,
    /// JPEG.
    Jpeg,
}

/// Runs the command line and returns the exit status.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() {
                EXIT_BAD_INPUT
            } else {
                EXIT_OK
            };
            let _ = e.print();
            return code;
        }
    };
    let threads = cli.jobs.unwrap_or(0);
    let pool = match rayon::ThreadPoolBuilder::new().num_threads(threads).build() {
        Ok(pool) => pool,
        Err(e) => {
            eprintln!("error: cannot start {threads} worker threads: {e}");
            return EXIT_BAD_INPUT;
        }
    };
    pool.install(|| commands::run(cli))
}
