//! Command-line arguments, parsed raw by clap and validated by each command.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Lint, fix and convert markdown knowledge bases.
#[derive(Debug, Parser)]
#[command(name = "kb", version, about, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Convert notes to the canonical JSON form.
    Export(ExportArgs),
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

    /// Write to this file instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// A vocabulary file to use instead of the built-in one.
    #[arg(long, value_name = "FILE")]
    pub vocabulary: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// The canonical form (schema/kb.schema.json).
    Json,
}
