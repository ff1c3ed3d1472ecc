//! The `kb` command. Only this crate touches files, the environment and the terminal.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod args;
mod baseline;
mod check;
mod config;
mod excerpt;
mod export;
mod files;
mod fix;
mod formats;
mod human;
mod init;
mod report;
mod server;
mod watch;

use std::process::ExitCode;

use clap::Parser;

// Checking a vault makes many small, short-lived strings on every thread: mimalloc's per-thread
// heaps suit that better than glibc's allocator (its malloc and free were a fifth of a profile).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = args::Cli::parse();
    files::VERBOSE.store(cli.verbose, std::sync::atomic::Ordering::Relaxed);
    let result = match cli.command {
        args::Command::Check(args) if args.watch => watch::run(&args),
        args::Command::Check(args) => check::run(&args),
        args::Command::Fix(args) => fix::run(&args),
        args::Command::Rename(args) => fix::rename(&args),
        args::Command::Export(args) => export::run(&args),
        args::Command::Rules => check::rules(),
        args::Command::Explain { rule } => check::explain(&rule),
        args::Command::Server => server::run(),
        args::Command::Init(args) => init::run(&args),
        args::Command::Completions { shell } => init::completions(shell),
        args::Command::Man => init::man(),
        args::Command::ConfigSchema => init::config_schema(),
        args::Command::Report(args) => report::report(&args),
        args::Command::Stats(args) => report::stats(&args),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            if error.is_broken_pipe() {
                return ExitCode::SUCCESS;
            }
            eprint!("{}", error.report());
            ExitCode::from(2)
        }
    }
}
