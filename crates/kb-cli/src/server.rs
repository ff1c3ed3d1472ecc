//! `kb server`: the language server on standard input and output. This module reads the vault
//! and owns the connection; `kb-server` answers the messages.

use std::path::PathBuf;
use std::process::ExitCode;

use lsp_server::{Connection, Message, Notification};
use rayon::prelude::*;

use crate::config::CliRules;
use crate::files::{self, Failure};

fn stopped(message: impl std::fmt::Display) -> Failure {
    Failure::Server {
        message: message.to_string(),
    }
}

pub fn run() -> Result<ExitCode, Failure> {
    let (connection, threads) = Connection::stdio();
    serve(&connection)?;
    // The client may already be gone; the exit handshake is done either way.
    drop(connection);
    threads.join().map_err(stopped)?;
    Ok(ExitCode::SUCCESS)
}

fn serve(connection: &Connection) -> Result<(), Failure> {
    let (id, params) = connection.initialize_start().map_err(stopped)?;
    let params: lsp_types::InitializeParams = serde_json::from_value(params).map_err(stopped)?;
    let root = workspace_root(&params);
    let encoding = kb_server::negotiate(&params);
    let initialized = serde_json::json!({
        "capabilities": kb_server::capabilities(encoding),
        "serverInfo": {"name": "kb", "version": kb_model::KB_VERSION},
    });
    connection.initialize_finish(id, initialized).map_err(stopped)?;

    // A broken `kb.toml` must not leave the editor without findings: say so and go on with
    // the defaults.
    let roots = [root.clone()];
    let loaded = crate::check::prepare(&roots, None, &CliRules::default());
    let (settings, vocab, policy) = match loaded {
        Ok(loaded) => loaded,
        Err(failure) => {
            show_error(connection, &failure.report());
            (
                crate::config::defaults()?,
                kb_vocab::Vocabulary::builtin(),
                kb_check::Policy::builtin(),
            )
        }
    };
    let (notes, all_files) = match files::walk(&roots, &|p| settings.is_excluded(p)) {
        Ok(found) => found,
        Err(Failure::NoNotes { .. }) => (Vec::new(), Vec::new()),
        Err(failure) => {
            show_error(connection, &failure.report());
            (Vec::new(), Vec::new())
        }
    };
    let vault = kb_check::Vault::new(all_files);
    let checker = kb_check::Checker {
        policy: &policy,
        vocab: &vocab,
        vault: &vault,
        anchor_style: settings.anchor_style,
        accepted_words: &settings.accepted_words,
    };
    let prefix = format!("{}/", files::display_path(&root));
    let selection_for = |path: &str| {
        settings
            .selection_for(path.strip_prefix(&prefix).unwrap_or(path))
            .clone()
    };
    let read = |path: &str| std::fs::read_to_string(path).ok();
    let host = kb_server::Host {
        checker,
        selection_for: &selection_for,
        read: &read,
        encoding,
    };
    let texts = notes
        .par_iter()
        .filter_map(|note| Some((note.display.clone(), files::read_note(note).ok()?)));
    let mut server = kb_server::Server::new(host, texts);
    server.serve(connection).map_err(|e| stopped(format!("{e:?}")))
}

/// The first workspace folder, the root URI, or the working folder; always absolute.
fn workspace_root(params: &lsp_types::InitializeParams) -> PathBuf {
    #[allow(deprecated)] // Older clients send only `rootUri`.
    let from_client = params
        .workspace_folders
        .as_ref()
        .and_then(|folders| folders.first())
        .map(|f| &f.uri)
        .or(params.root_uri.as_ref())
        .and_then(kb_server::uri::to_path)
        .map(PathBuf::from);
    let root = from_client
        .or_else(|| std::env::current_dir().ok())
        .unwrap_or_else(|| PathBuf::from("/"));
    std::fs::canonicalize(&root).unwrap_or(root)
}

fn show_error(connection: &Connection, message: &str) {
    let params = lsp_types::ShowMessageParams {
        typ: lsp_types::MessageType::ERROR,
        message: message.trim_end().to_owned(),
    };
    let note = Notification::new("window/showMessage".to_owned(), params);
    // Nothing more can be done when the client is gone.
    let _ = connection.sender.send(Message::Notification(note));
}
