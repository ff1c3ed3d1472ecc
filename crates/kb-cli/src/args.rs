//! Command-line arguments, parsed raw by clap and validated by each command.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// `kb --version`: the program's version and the version of the canonical form it writes
/// (`schema_version` in exports; `kb_model::SCHEMA_VERSION`, which a test compares).
pub const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), " (schema 1)");

/// Lint, fix and convert markdown knowledge bases.
#[derive(Debug, Parser)]
#[command(name = "kb", version = VERSION, about, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// When kb cannot run, print every cause of the failure, one per line.
    #[arg(long, short, global = true)]
    pub verbose: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check notes against the policy schemas and rules.
    Check(CheckArgs),
    /// Apply the fixes of the selected rules (safe ones; `--unsafe-fixes` for the rest).
    Fix(FixArgs),
    /// Rename a term everywhere it is used as a name (not in code, URLs or link targets).
    Rename(RenameArgs),
    /// Convert notes to the canonical JSON form.
    Export(ExportArgs),
    /// List every rule with its code, name, default and fix availability.
    Rules,
    /// Show the documentation of a rule.
    Explain {
        /// A rule code (`KB201`) or name (`misspelled-name`).
        rule: String,
    },
    /// Run the language server on standard input and output (for editors).
    Server,
    /// Write a commented `kb.toml` and copies of the policy schemas and vocabulary to edit.
    Init(InitArgs),
    /// Print a shell completion script.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff).
    Man,
    /// Print the JSON Schema of `kb.toml` (for editor completion).
    ConfigSchema,
    /// Write one HTML page showing where the notes stand: coverage of the vocabulary, entry
    /// quality, services in several notes, findings.
    Report(ReportArgs),
    /// Print the report's headline figures: coverage, entries, complete share, top findings.
    Stats(StatsArgs),
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The folder to set up (the vault's root).
    #[arg(default_value = ".", value_name = "DIR")]
    pub dir: PathBuf,
    /// Replace files that already exist.
    #[arg(long)]
    pub force: bool,
}

/// Which configuration and rules a command uses.
#[derive(Debug, Args)]
pub struct RuleArgs {
    /// Use this configuration file instead of the `kb.toml` found above the first path.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Only these rules (codes, prefixes such as `KB2`, names, or `ALL`).
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub select: Option<Vec<String>>,

    /// These rules too.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub extend_select: Vec<String>,

    /// Not these rules.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub ignore: Vec<String>,
}

impl RuleArgs {
    pub fn cli(&self) -> crate::config::CliRules {
        crate::config::CliRules {
            select: self.select.clone(),
            extend_select: self.extend_select.clone(),
            ignore: self.ignore.clone(),
        }
    }
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Notes or folders of notes.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = CheckFormat::Human)]
    pub format: CheckFormat,

    #[command(flatten)]
    pub rules: RuleArgs,

    /// Print how often each rule fired instead of the findings.
    #[arg(long)]
    pub statistics: bool,

    /// Exit with status 0 even when errors are found.
    #[arg(long)]
    pub exit_zero: bool,

    /// Treat warnings as errors.
    #[arg(long)]
    pub deny_warnings: bool,

    /// When to colour the output.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    pub color: Color,

    /// Apply safe fixes first, then report what remains (as `kb fix`, then `kb check`).
    #[arg(long)]
    pub fix: bool,

    /// With `--fix`: apply unsafe fixes too.
    #[arg(long, requires = "fix")]
    pub unsafe_fixes: bool,

    /// Report only findings not recorded in this baseline file.
    #[arg(long, value_name = "FILE", conflicts_with = "write_baseline")]
    pub baseline: Option<PathBuf>,

    /// Record today's findings in this file (to adopt kb on a vault with many) and exit 0.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,

    /// Check again whenever a note, `kb.toml`, a schema or the vocabulary changes.
    #[arg(long, conflicts_with_all = ["fix", "write_baseline"])]
    pub watch: bool,
}

#[derive(Debug, Args)]
pub struct RenameArgs {
    /// The name as the notes write it (whole words, any case).
    pub old: String,
    /// The name to write instead, exactly as given.
    pub new: String,
    /// Notes or folders of notes.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Print a unified diff and write nothing (exit 1 when something would change).
    #[arg(long)]
    pub diff: bool,
    /// Write even when git reports uncommitted changes to the notes.
    #[arg(long)]
    pub allow_dirty: bool,
    /// Use this configuration file instead of the `kb.toml` found above the first path.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct FixArgs {
    /// Notes or folders of notes.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Apply unsafe fixes too (names guessed by edit distance).
    #[arg(long)]
    pub unsafe_fixes: bool,

    /// Print a unified diff of what would change and write nothing (exit 1 when something
    /// would change).
    #[arg(long)]
    pub diff: bool,

    /// Write even when git reports uncommitted changes to the notes to fix.
    #[arg(long)]
    pub allow_dirty: bool,

    #[command(flatten)]
    pub rules: RuleArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// Snippets with carets, then a summary line.
    Human,
    /// One JSON document (fields are a stable interface).
    Json,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
    /// GitHub workflow commands (annotations), plus a step summary when
    /// `GITHUB_STEP_SUMMARY` is set.
    Github,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Color {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Notes or folders of notes (folders are searched for *.md and *.markdown, honouring
    /// .gitignore; a file named here is read whatever its extension).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = ExportFormat::Json)]
    pub format: ExportFormat,

    /// Indent the JSON for reading.
    #[arg(long)]
    pub pretty: bool,

    /// Write to this file instead of standard output (required for `apkg`).
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// A vocabulary file to use instead of the built-in one.
    #[arg(long, value_name = "FILE")]
    pub vocabulary: Option<PathBuf>,

    /// CSV: start with a UTF-8 byte order mark (for spreadsheet programs).
    #[arg(long)]
    pub bom: bool,

    /// CSV: keep cells starting with `=`, `+`, `-`, `@`, tab or CR as they are instead of
    /// prefixing them with `'` (a spreadsheet would run them as formulas).
    #[arg(long)]
    pub no_sanitize_csv: bool,

    /// Anki: the root deck; each service goes to `ROOT::<its vocabulary category>`.
    #[arg(long, value_name = "NAME", default_value = "AWS")]
    pub deck_root: String,

    /// Anki: stamp the notes with this time (seconds since the Unix epoch) instead of now. Anki
    /// updates a note from a package only when this is newer than the note it has.
    #[arg(long, value_name = "SECONDS")]
    pub timestamp: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// The canonical form (schema/kb.schema.json).
    Json,
    /// One row per entry, RFC 4180, UTF-8.
    Csv,
    /// Anki's text import file: one note per service, mapped onto the stock Basic note type.
    Anki,
    /// An Anki package (.apkg; needs -o): one note per service with the "kb Service" note type.
    Apkg,
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Notes or folders of notes.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Write the page to this file; without it (or with `-`), to standard output. The page
    /// needs no other file and links to notes by their absolute `file://` paths, so it can be
    /// moved.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    #[command(flatten)]
    pub rules: RuleArgs,
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    /// Notes or folders of notes.
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = StatsFormat::Human)]
    pub format: StatsFormat,

    #[command(flatten)]
    pub rules: RuleArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatsFormat {
    /// A few lines for reading.
    Human,
    /// One JSON document (field names are a stable interface).
    Json,
}
