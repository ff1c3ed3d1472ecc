//! The `kb` command. Only this crate touches files, the environment and the terminal.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod args;
mod export;
mod files;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = args::Cli::parse();
    let result = match cli.command {
        args::Command::Export(args) => export::run(&args),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            if error.is_broken_pipe() {
                return ExitCode::SUCCESS;
            }
            eprintln!("kb failed: {error}");
            let mut source = std::error::Error::source(&error);
            while let Some(cause) = source {
                eprintln!("  caused by: {cause}");
                source = cause.source();
            }
            ExitCode::from(2)
        }
    }
}
