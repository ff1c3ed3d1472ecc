//! kb's language server: the findings of `kb check` as the user types, code actions for their
//! fixes, hover on a service name and go-to-definition to the vault's other entries of it.
//!
//! **Architecture Invariant:** no file-system I/O. The CLI reads the vault once, hands in the
//! notes and a way to re-read one note from disk (when an editor closes it unsaved), and owns
//! the connection; this crate only reads and writes LSP messages on it.
//!
//! A keystroke re-parses and re-checks the edited note only. Rules across notes (KB302) are
//! asked again for the open notes from the index of every note's entries kept in memory.

mod position;
pub mod uri;

use std::collections::{BTreeMap, HashMap};

use kb_check::{Applicability, Checker, Diagnostic, Selection, Severity};
use kb_model::{LineIndex, Note};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::Notification as _;
use lsp_types::request::Request as _;
use lsp_types::{self as lsp, Position, Uri};
use rayon::iter::ParallelIterator;

pub use position::{Encoding, Text};

/// What the server is told about the vault when it starts.
pub struct Host<'a> {
    pub checker: Checker<'a>,
    /// The rule selection for the note at a path (`kb.toml` overrides).
    pub selection_for: &'a (dyn Fn(&str) -> Selection + 'a),
    /// The note at a path as it is on disk, if it can be read.
    pub read: &'a (dyn Fn(&str) -> Option<String> + 'a),
    pub encoding: Encoding,
}

/// An open note: the editor's text and what was found in it.
struct Doc {
    uri: Uri,
    text: String,
    lines: LineIndex,
    /// The whole parsed note, for hover.
    note: Note,
    /// The findings of rules within the note, before selection and suppressions.
    local: Vec<Diagnostic>,
    suppressions: Vec<kb_check::suppression::Suppression>,
    /// What was last published, for code actions.
    published: Vec<Diagnostic>,
    /// Whether anything was published since the note was opened.
    shown: bool,
}

impl Doc {
    /// Its positions as the client counts them.
    fn positions(&self, encoding: Encoding) -> Text<'_> {
        Text {
            text: &self.text,
            lines: &self.lines,
            encoding,
        }
    }
}

pub struct Server<'a> {
    host: Host<'a>,
    /// Every note of the vault, by path, as rules across notes need it (no text).
    index: BTreeMap<String, Indexed>,
    open: HashMap<String, Doc>,
}

/// Why the server stopped other than by `shutdown` and `exit`.
#[derive(Debug)]
pub enum Stopped {
    Protocol(lsp_server::ProtocolError),
    /// The client went away without `exit`.
    Disconnected,
}

/// The capabilities `kb server` announces.
pub fn capabilities(encoding: Encoding) -> lsp::ServerCapabilities {
    lsp::ServerCapabilities {
        position_encoding: Some(match encoding {
            Encoding::Utf8 => lsp::PositionEncodingKind::UTF8,
            Encoding::Utf16 => lsp::PositionEncodingKind::UTF16,
        }),
        text_document_sync: Some(lsp::TextDocumentSyncCapability::Options(
            lsp::TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(lsp::TextDocumentSyncKind::FULL),
                save: Some(lsp::TextDocumentSyncSaveOptions::SaveOptions(lsp::SaveOptions {
                    include_text: Some(true),
                })),
                ..Default::default()
            },
        )),
        code_action_provider: Some(lsp::CodeActionProviderCapability::Options(
            lsp::CodeActionOptions {
                code_action_kinds: Some(vec![
                    lsp::CodeActionKind::QUICKFIX,
                    lsp::CodeActionKind::SOURCE_FIX_ALL,
                ]),
                ..Default::default()
            },
        )),
        hover_provider: Some(lsp::HoverProviderCapability::Simple(true)),
        definition_provider: Some(lsp::OneOf::Left(true)),
        ..Default::default()
    }
}

/// The position encoding to use: UTF-8 when the client offers it, else LSP's default UTF-16.
pub fn negotiate(params: &lsp::InitializeParams) -> Encoding {
    let offered = params
        .capabilities
        .general
        .as_ref()
        .and_then(|g| g.position_encodings.as_ref());
    match offered {
        Some(kinds) if kinds.contains(&lsp::PositionEncodingKind::UTF8) => Encoding::Utf8,
        _ => Encoding::Utf16,
    }
}

impl<'a> Server<'a> {
    /// A server over `notes`, every note of the vault as read from disk (path, text). They are
    /// parsed in parallel (read too, when the iterator reads them), each text dropped once its
    /// entries are indexed.
    pub fn new(host: Host<'a>, notes: impl ParallelIterator<Item = (String, String)>) -> Server<'a> {
        let vocab = host.checker.vocab;
        let index = notes
            .map(|(path, text)| {
                let note = Indexed::of(kb_parse::parse(&path, &text, vocab).note, vocab);
                (path, note)
            })
            .collect();
        Server {
            host,
            index,
            open: HashMap::new(),
        }
    }

    /// Answer messages until the client asks to exit.
    pub fn serve(&mut self, connection: &Connection) -> Result<(), Stopped> {
        for message in &connection.receiver {
            match message {
                Message::Request(request) => {
                    if connection.handle_shutdown(&request).map_err(Stopped::Protocol)? {
                        return Ok(());
                    }
                    let response = self.request(request);
                    send(connection, Message::Response(response))?;
                }
                Message::Notification(notification) => {
                    if notification.method == lsp::notification::Exit::METHOD {
                        return Ok(());
                    }
                    for out in self.notification(notification) {
                        send(connection, Message::Notification(out))?;
                    }
                }
                Message::Response(_) => {}
            }
        }
        Err(Stopped::Disconnected)
    }

    fn request(&mut self, request: Request) -> Response {
        let id = request.id.clone();
        let result = match request.method.as_str() {
            lsp::request::CodeActionRequest::METHOD => {
                parse::<lsp::CodeActionParams>(request).map(|p| to_value(self.code_actions(&p)))
            }
            lsp::request::HoverRequest::METHOD => {
                parse::<lsp::HoverParams>(request).map(|p| to_value(self.hover(&p)))
            }
            lsp::request::GotoDefinition::METHOD => {
                parse::<lsp::GotoDefinitionParams>(request).map(|p| to_value(self.definition(&p)))
            }
            method => Err((
                ErrorCode::MethodNotFound,
                format!("kb does not answer `{method}`"),
            )),
        };
        respond(id, result)
    }

    fn notification(&mut self, notification: Notification) -> Vec<Notification> {
        use lsp::notification::{
            DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, DidSaveTextDocument,
        };
        let method = notification.method.clone();
        let params = notification.params;
        match method.as_str() {
            DidOpenTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<lsp::DidOpenTextDocumentParams>(params) else {
                    return Vec::new();
                };
                if !is_markdown(&p.text_document.uri, &p.text_document.language_id) {
                    return Vec::new();
                }
                self.update(p.text_document.uri, p.text_document.text)
            }
            DidChangeTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<lsp::DidChangeTextDocumentParams>(params) else {
                    return Vec::new();
                };
                // Full sync: the last change holds the whole text.
                match p.content_changes.into_iter().last() {
                    Some(change) if self.is_open(&p.text_document.uri) => {
                        self.update(p.text_document.uri, change.text)
                    }
                    _ => Vec::new(),
                }
            }
            DidSaveTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<lsp::DidSaveTextDocumentParams>(params) else {
                    return Vec::new();
                };
                match p.text {
                    Some(text) if self.is_open(&p.text_document.uri) => {
                        self.update(p.text_document.uri, text)
                    }
                    _ => Vec::new(),
                }
            }
            DidCloseTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<lsp::DidCloseTextDocumentParams>(params) else {
                    return Vec::new();
                };
                self.close(&p.text_document.uri)
            }
            _ => Vec::new(),
        }
    }

    fn is_open(&self, uri: &Uri) -> bool {
        uri::to_path(uri).is_some_and(|path| self.open.contains_key(&path))
    }

    /// Take `text` as the note at `uri` and publish the findings of every open note.
    fn update(&mut self, uri: Uri, text: String) -> Vec<Notification> {
        let Some(path) = uri::to_path(&uri) else {
            return Vec::new();
        };
        let parsed = kb_parse::parse(&path, &text, self.host.checker.vocab);
        let suppressions = kb_check::suppression::find(&text, &parsed.line_index);
        // The selection is the server's for its whole life: rules it turns off are not looked
        // for on each keystroke.
        let selection = (self.host.selection_for)(&path);
        let local = self
            .host
            .checker
            .check_note_for(&parsed, &text, &selection, &suppressions);
        let indexed = Indexed::of(parsed.note.clone(), self.host.checker.vocab);
        self.index.insert(path.clone(), indexed);
        // What the editor shows now, so that an unchanged list is not sent again and an
        // emptied one is. A note just opened shows nothing yet: publish even an empty list.
        let published = self.open.get(&path).map(|d| d.published.clone());
        self.open.insert(
            path,
            Doc {
                uri,
                text,
                lines: parsed.line_index,
                note: parsed.note,
                local,
                suppressions,
                published: published.clone().unwrap_or_default(),
                shown: published.is_some(),
            },
        );
        self.publish_all()
    }

    /// The editor closed the note: its findings go, and the index takes the note as on disk.
    fn close(&mut self, uri: &Uri) -> Vec<Notification> {
        let Some(path) = uri::to_path(uri) else {
            return Vec::new();
        };
        if self.open.remove(&path).is_none() {
            return Vec::new();
        }
        match (self.host.read)(&path) {
            Some(text) => {
                let parsed = kb_parse::parse(&path, &text, self.host.checker.vocab);
                let indexed = Indexed::of(parsed.note, self.host.checker.vocab);
                self.index.insert(path, indexed);
            }
            None => {
                self.index.remove(&path);
            }
        }
        let mut out = self.publish_all();
        out.push(publish(uri.clone(), Vec::new()));
        out
    }

    /// The findings of every open note: its own, kept from its last change, and those across
    /// notes, asked again of the index.
    fn publish_all(&mut self) -> Vec<Notification> {
        let (paths, notes): (Vec<&String>, Vec<&kb_check::NoteServices>) = self
            .index
            .iter()
            .map(|(path, indexed)| (path, &indexed.services))
            .unzip();
        // Only the services the open notes name can give them findings across notes: the rest
        // of the vault's services are not gathered on every keystroke. An open note is in the
        // index as last changed.
        let services: Vec<kb_vocab::ServiceId> = self
            .open
            .keys()
            .filter_map(|path| self.index.get(path))
            .flat_map(|indexed| indexed.services.entries.iter().map(|e| e.service))
            .collect();
        let across = kb_check::Across::of_services(&notes, self.host.checker.vocab, &services);
        // Where each open note stands in the index (only those are asked): found in `paths`.
        let mut finished: Vec<(String, Vec<Diagnostic>)> = Vec::new();
        for (path, doc) in &self.open {
            let mut all = doc.local.clone();
            if let Ok(i) = paths.binary_search(&path) {
                all.extend(across.diagnostics(i));
            }
            let selection = (self.host.selection_for)(path);
            let line_of = |offset: usize| doc.lines.line(offset);
            let kept = kb_check::finish_note(all, &doc.suppressions, &line_of, path, &selection);
            finished.push((path.clone(), kept));
        }
        drop(across);
        finished.sort_by(|a, b| a.0.cmp(&b.0));
        let encoding = self.host.encoding;
        let mut out = Vec::new();
        for (path, diagnostics) in finished {
            let Some(doc) = self.open.get_mut(&path) else {
                continue;
            };
            if doc.shown && doc.published == diagnostics {
                continue;
            }
            let text = doc.positions(encoding);
            let lsp_diagnostics = diagnostics.iter().map(|d| to_lsp(d, &text)).collect();
            out.push(publish(doc.uri.clone(), lsp_diagnostics));
            doc.published = diagnostics;
            doc.shown = true;
        }
        out
    }

    fn doc(&self, uri: &Uri) -> Option<(&Doc, Text<'_>)> {
        let doc = self.open.get(&uri::to_path(uri)?)?;
        let text = doc.positions(self.host.encoding);
        Some((doc, text))
    }

    /// A quick fix for each finding with a fix in the asked range (safe ones preferred), and
    /// one action that applies every safe fix of the note.
    fn code_actions(&self, params: &lsp::CodeActionParams) -> Vec<lsp::CodeActionOrCommand> {
        let Some((doc, text)) = self.doc(&params.text_document.uri) else {
            return Vec::new();
        };
        let wanted = |kind: &lsp::CodeActionKind| {
            params.context.only.as_ref().is_none_or(|only| {
                only.iter().any(|o| {
                    kind.as_str() == o.as_str() || kind.as_str().starts_with(&format!("{}.", o.as_str()))
                })
            })
        };
        let (from, to) = (text.offset(params.range.start), text.offset(params.range.end));
        let mut out = Vec::new();
        if wanted(&lsp::CodeActionKind::QUICKFIX) {
            for d in &doc.published {
                let Some(fix) = &d.fix else { continue };
                // Touching the range, or the finding the editor asks about.
                if d.span.end < from || d.span.start > to {
                    continue;
                }
                let edits = fix
                    .edits
                    .iter()
                    .map(|e| lsp::TextEdit {
                        range: text.range(e.start, e.end),
                        new_text: e.replacement.clone(),
                    })
                    .collect();
                let safe = fix.applicability == Applicability::Safe;
                let title = if safe {
                    fix.title.clone()
                } else {
                    format!("{} (unsafe: check the result)", fix.title)
                };
                out.push(lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
                    title,
                    kind: Some(lsp::CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![to_lsp(d, &text)]),
                    edit: Some(workspace_edit(&doc.uri, edits)),
                    is_preferred: Some(safe),
                    ..Default::default()
                }));
            }
        }
        if wanted(&lsp::CodeActionKind::SOURCE_FIX_ALL) {
            let path = uri::to_path(&doc.uri).unwrap_or_default();
            let selection = (self.host.selection_for)(&path);
            let fixed = kb_check::fix::fix(&doc.text, false, |t| {
                self.host.checker.check_text(&path, t, &selection)
            });
            if fixed.changed(&doc.text) {
                let whole = lsp::TextEdit {
                    range: text.range(0, doc.text.len()),
                    new_text: fixed.text,
                };
                out.push(lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
                    title: "Apply every safe kb fix in this note".to_owned(),
                    kind: Some(lsp::CodeActionKind::SOURCE_FIX_ALL),
                    edit: Some(workspace_edit(&doc.uri, vec![whole])),
                    ..Default::default()
                }));
            }
        }
        out
    }

    /// The service named at a position: an entry's name, or a name in the line's text.
    fn service_at(
        &self,
        uri: &Uri,
        position: Position,
    ) -> Option<(kb_vocab::ServiceId, std::ops::Range<usize>)> {
        let (doc, text) = self.doc(uri)?;
        let vocab = self.host.checker.vocab;
        let offset = text.offset(position);
        // The innermost entry whose written name holds the position.
        let entry = doc
            .note
            .entries
            .iter()
            .rev()
            .find(|e| e.source.name_span.start <= offset && offset <= e.source.name_span.end);
        if let Some(id) = entry.and_then(|e| e.id.as_deref()).and_then(|id| vocab.by_id(id)) {
            let span = entry.map(|e| e.source.name_span.as_range()).unwrap_or_default();
            return Some((id, span));
        }
        let line = doc.lines.line(offset);
        let start = doc.lines.line_start(line)?;
        let end = doc.lines.line_start(line + 1).unwrap_or(doc.text.len());
        let body = &doc.text[start..end];
        [kb_vocab::Position::Name, kb_vocab::Position::Prose]
            .into_iter()
            .flat_map(|p| vocab.find_names(body, p))
            .find(|m| start + m.span.start <= offset && offset <= start + m.span.end)
            .map(|m| (m.service, start + m.span.start..start + m.span.end))
    }

    /// Every entry of the vault describing the service `id`, in path order.
    fn places(&self, id: &str) -> Vec<(&str, &kb_model::Entry)> {
        self.index
            .iter()
            .flat_map(|(path, indexed)| {
                indexed
                    .note
                    .entries
                    .iter()
                    .filter(move |e| e.id.as_deref() == Some(id))
                    .map(move |e| (path.as_str(), e))
            })
            .collect()
    }

    fn hover(&self, params: &lsp::HoverParams) -> Option<lsp::Hover> {
        let at = &params.text_document_position_params;
        let (service, span) = self.service_at(&at.text_document.uri, at.position)?;
        let (_, text) = self.doc(&at.text_document.uri)?;
        let service = self.host.checker.vocab.service(service);
        let mut value = format!("**{}** (`{}`)", service.name, service.id);
        if let Some(category) = &service.category {
            value.push_str(&format!("  \nCategory: {category}"));
        }
        if let Some(retired) = &service.retired {
            value.push_str(&format!("  \nRetired: {retired}"));
        }
        let places = self.places(&service.id);
        if places.is_empty() {
            value.push_str("\n\nNo entry of the vault describes it.");
        } else {
            value.push_str("\n\nDescribed in:");
            for (path, entry) in places.iter().take(10) {
                value.push_str(&format!(
                    "\n- {}:{}",
                    uri::to_uri(path).as_str(),
                    entry.source.line
                ));
            }
            if places.len() > 10 {
                value.push_str(&format!("\n- and {} more", places.len() - 10));
            }
        }
        Some(lsp::Hover {
            contents: lsp::HoverContents::Markup(lsp::MarkupContent {
                kind: lsp::MarkupKind::Markdown,
                value,
            }),
            range: Some(text.range(span.start, span.end)),
        })
    }

    /// The entries of the vault describing the service named at the position, except the one
    /// whose name the position is on.
    fn definition(&self, params: &lsp::GotoDefinitionParams) -> Option<lsp::GotoDefinitionResponse> {
        let at = &params.text_document_position_params;
        let (service, span) = self.service_at(&at.text_document.uri, at.position)?;
        let here = uri::to_path(&at.text_document.uri)?;
        let id = &self.host.checker.vocab.service(service).id;
        let locations: Vec<lsp::Location> = self
            .places(id)
            .into_iter()
            .filter(|(path, e)| !(*path == here && e.source.name_span.as_range() == span))
            .map(|(path, e)| self.location(path, e))
            .collect();
        (!locations.is_empty()).then_some(lsp::GotoDefinitionResponse::Array(locations))
    }

    fn location(&self, path: &str, entry: &kb_model::Entry) -> lsp::Location {
        let uri = uri::to_uri(path);
        // An open note's positions are exact; another note's come from its line and column.
        let range = match self.open.get(path) {
            Some(doc) => doc
                .positions(self.host.encoding)
                .range(entry.source.name_span.start, entry.source.name_span.end),
            None => {
                let start = Position {
                    line: entry.source.line.saturating_sub(1),
                    character: entry.source.column.saturating_sub(1),
                };
                lsp::Range { start, end: start }
            }
        };
        lsp::Location { uri, range }
    }
}

fn send(connection: &Connection, message: Message) -> Result<(), Stopped> {
    connection.sender.send(message).map_err(|_| Stopped::Disconnected)
}

fn parse<P: serde::de::DeserializeOwned>(request: Request) -> Result<P, (ErrorCode, String)> {
    serde_json::from_value(request.params).map_err(|e| (ErrorCode::InvalidParams, e.to_string()))
}

fn to_value<T: serde::Serialize>(value: T) -> serde_json::Value {
    serde_json::to_value(value).unwrap_or(serde_json::Value::Null)
}

fn respond(id: RequestId, result: Result<serde_json::Value, (ErrorCode, String)>) -> Response {
    match result {
        Ok(value) => Response::new_ok(id, value),
        Err((code, message)) => Response::new_err(id, code as i32, message),
    }
}

fn publish(uri: Uri, diagnostics: Vec<lsp::Diagnostic>) -> Notification {
    Notification::new(
        lsp::notification::PublishDiagnostics::METHOD.to_owned(),
        lsp::PublishDiagnosticsParams {
            uri,
            diagnostics,
            version: None,
        },
    )
}

fn workspace_edit(uri: &Uri, edits: Vec<lsp::TextEdit>) -> lsp::WorkspaceEdit {
    lsp::WorkspaceEdit {
        changes: Some(HashMap::from([(uri.clone(), edits)])),
        ..Default::default()
    }
}

fn is_markdown(uri: &Uri, language: &str) -> bool {
    let path = uri.as_str().to_ascii_lowercase();
    language == "markdown" || path.ends_with(".md") || path.ends_with(".markdown")
}

/// A finding as LSP shows it: the message with its help on a second line.
fn to_lsp(d: &Diagnostic, text: &Text<'_>) -> lsp::Diagnostic {
    let message = match &d.help {
        Some(help) => format!("{}\nhelp: {help}", d.message),
        None => d.message.clone(),
    };
    let related = d
        .related
        .iter()
        .map(|r| {
            let start = Position {
                line: r.line.saturating_sub(1),
                character: r.column.saturating_sub(1),
            };
            lsp::DiagnosticRelatedInformation {
                location: lsp::Location {
                    uri: uri::to_uri(&r.path),
                    range: lsp::Range { start, end: start },
                },
                message: r.message.to_string(),
            }
        })
        .collect::<Vec<_>>();
    lsp::Diagnostic {
        range: text.range(d.span.start, d.span.end),
        severity: Some(match d.severity {
            Severity::Error => lsp::DiagnosticSeverity::ERROR,
            Severity::Warning => lsp::DiagnosticSeverity::WARNING,
            Severity::Info => lsp::DiagnosticSeverity::INFORMATION,
        }),
        code: Some(lsp::NumberOrString::String(d.code.to_owned())),
        source: Some("kb".to_owned()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        ..Default::default()
    }
}

/// A note as the index keeps it: its entries' names and places, without their text, and what
/// rules across notes read of them.
struct Indexed {
    note: Note,
    services: kb_check::NoteServices,
}

impl Indexed {
    fn of(mut note: Note, vocab: &kb_vocab::Vocabulary) -> Indexed {
        for entry in &mut note.entries {
            entry.summary = None;
            entry.features = Vec::new();
            entry.sections = Vec::new();
            entry.tags = Vec::new();
            entry.expansion = None;
        }
        let services = kb_check::NoteServices::of(&note, vocab);
        Indexed { note, services }
    }
}
