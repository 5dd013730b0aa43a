//! `creeplint server`: a language server over standard input and output.
//!
//! Open documents are checked on open, change (full or incremental sync) and save, through the
//! same pipeline as `creeplint check` (source extraction, engine, per-path settings, inline
//! directives), with the settings of the `creeplint.toml` found upward from each file. Findings
//! become diagnostics (rule id as code, severity, message; why and rewrite on hover), each with a
//! quick fix that inserts a suppression directive. A broken config or pack shows as diagnostics on
//! that file and a message; the server keeps running, and reloads when a `.toml` file changes.
//! The binary's `server` subcommand only calls [`run`].

pub mod diagnostics;
pub mod suppression;
pub mod utf16;
pub mod workspace;

use crate::config::CONFIG_NAMES;
use crate::finding::Finding;
use crate::lint::Linter;
use crate::source::Format;
use crate::walk::display_path;
use diagnostics::{hover_text, not_checked, not_loaded_message, of_finding, of_warning};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidChangeWatchedFiles, DidChangeWorkspaceFolders, DidCloseTextDocument,
    DidOpenTextDocument, DidSaveTextDocument, LogMessage, Notification as LspNotification,
    PublishDiagnostics, ShowMessage,
};
use lsp_types::request::{CodeActionRequest, HoverRequest, RegisterCapability, Request as _};
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOptions, CodeActionOrCommand, CodeActionParams,
    CodeActionProviderCapability, Diagnostic, DiagnosticSeverity,
    DidChangeWatchedFilesRegistrationOptions, FileSystemWatcher, GlobPattern, Hover, HoverContents,
    HoverParams, HoverProviderCapability, InitializeParams, LogMessageParams, MarkupContent,
    MarkupKind, MessageType, OneOf, PositionEncodingKind, PublishDiagnosticsParams, Registration,
    RegistrationParams, SaveOptions, ServerCapabilities, ShowMessageParams,
    TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions,
    TextDocumentSyncSaveOptions, TextEdit, Url, WorkspaceEdit, WorkspaceFoldersServerCapabilities,
    WorkspaceServerCapabilities,
};
use std::collections::{BTreeMap, HashMap};
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use utf16::LineMap;
use workspace::{Loaded, Workspace};

/// Serves the protocol on standard input and output until the client shuts the server down.
/// An error is a broken connection or a protocol violation, never a problem with a checked file,
/// config or pack (those become diagnostics).
pub fn run() -> Result<(), String> {
    let (connection, io_threads) = Connection::stdio();
    let served = serve(&connection);
    // The writer thread ends when the last sender is gone.
    drop(connection);
    io_threads.join().map_err(|e| e.to_string())?;
    served
}

/// The capabilities the server announces.
pub fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(PositionEncodingKind::UTF16),
        text_document_sync: Some(TextDocumentSyncCapability::Options(
            TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(TextDocumentSyncKind::FULL),
                save: Some(TextDocumentSyncSaveOptions::SaveOptions(SaveOptions {
                    include_text: Some(false),
                })),
                ..TextDocumentSyncOptions::default()
            },
        )),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
            ..CodeActionOptions::default()
        })),
        workspace: Some(WorkspaceServerCapabilities {
            workspace_folders: Some(WorkspaceFoldersServerCapabilities {
                supported: Some(true),
                change_notifications: Some(OneOf::Left(true)),
            }),
            file_operations: None,
        }),
        ..ServerCapabilities::default()
    }
}

fn serve(connection: &Connection) -> Result<(), String> {
    let (id, params) = connection.initialize_start().map_err(|e| e.to_string())?;
    let params: InitializeParams = serde_json::from_value(params)
        .map_err(|e| format!("invalid initialize parameters: {e}"))?;
    let result = serde_json::json!({
        "capabilities": capabilities(),
        "serverInfo": { "name": "creeplint", "version": env!("CARGO_PKG_VERSION") },
    });
    connection
        .initialize_finish(id, result)
        .map_err(|e| e.to_string())?;
    let mut server = Server::new(connection, &params);
    for message in &connection.receiver {
        match message {
            Message::Request(request) => {
                if connection
                    .handle_shutdown(&request)
                    .map_err(|e| e.to_string())?
                {
                    return Ok(());
                }
                server.guarded_request(request);
            }
            Message::Notification(n) if n.method == "exit" => return Ok(()),
            Message::Notification(n) => server.guarded_notification(n),
            // Answers to our own requests (watcher registration): nothing to do.
            Message::Response(_) => {}
        }
    }
    Ok(())
}

/// An open document and what was last found in it.
struct OpenDocument {
    /// The text as the editor has it.
    text: String,
    /// Its version, echoed in published diagnostics.
    version: i32,
    /// The file, for a `file:` document.
    path: Option<PathBuf>,
    /// The name that decides its format (the file, or `untitled.EXT` from the language id).
    name: Option<PathBuf>,
    /// Line starts of `text`.
    lines: LineMap,
    /// The format it was read as, and the settings that checked it.
    checked: Option<(Format, Arc<Loaded>)>,
    /// Its findings, with byte ranges in `text`.
    findings: Vec<Finding>,
}

struct Server<'c> {
    connection: &'c Connection,
    workspace: Workspace,
    documents: HashMap<Url, OpenDocument>,
    /// Config and pack files that currently carry load-error diagnostics, and those diagnostics.
    error_files: BTreeMap<Url, Vec<Diagnostic>>,
}

impl<'c> Server<'c> {
    fn new(connection: &'c Connection, params: &InitializeParams) -> Server<'c> {
        let mut folders: Vec<PathBuf> = params
            .workspace_folders
            .iter()
            .flatten()
            .filter_map(|f| f.uri.to_file_path().ok())
            .collect();
        #[allow(deprecated)] // older clients send only `rootUri`
        if folders.is_empty() {
            folders.extend(params.root_uri.as_ref().and_then(|u| u.to_file_path().ok()));
        }
        let server = Server {
            connection,
            workspace: Workspace::new(folders),
            documents: HashMap::new(),
            error_files: BTreeMap::new(),
        };
        let dynamic_watch = params
            .capabilities
            .workspace
            .as_ref()
            .and_then(|w| w.did_change_watched_files.as_ref())
            .and_then(|w| w.dynamic_registration)
            .unwrap_or(false);
        if dynamic_watch {
            server.watch_toml_files();
        }
        server
    }

    /// Asks the client to report changes to `.toml` files: configs and packs.
    fn watch_toml_files(&self) {
        let options = DidChangeWatchedFilesRegistrationOptions {
            watchers: vec![FileSystemWatcher {
                glob_pattern: GlobPattern::String("**/*.toml".to_string()),
                kind: None,
            }],
        };
        let params = RegistrationParams {
            registrations: vec![Registration {
                id: "creeplint-toml-watcher".to_string(),
                method: DidChangeWatchedFiles::METHOD.to_string(),
                register_options: serde_json::to_value(options).ok(),
            }],
        };
        self.send(Message::Request(Request::new(
            RequestId::from("creeplint-register-watcher".to_string()),
            RegisterCapability::METHOD.to_string(),
            params,
        )));
    }

    fn send(&self, message: Message) {
        // Fails only when the client is gone, and then the loop ends by itself.
        let _ = self.connection.sender.send(message);
    }

    fn notify<N: LspNotification>(&self, params: N::Params) {
        self.send(Message::Notification(Notification::new(
            N::METHOD.to_string(),
            params,
        )));
    }

    fn show(&self, typ: MessageType, message: String) {
        self.notify::<ShowMessage>(ShowMessageParams { typ, message });
    }

    /// Handles a request; a panic in the library answers with an error instead of ending the
    /// server.
    fn guarded_request(&mut self, request: Request) {
        let id = request.id.clone();
        let method = request.method.clone();
        let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| self.request(request)));
        let response = match outcome {
            Ok(response) => response,
            Err(_) => Response::new_err(
                id,
                ErrorCode::InternalError as i32,
                format!("creeplint failed on {method}: this is a bug, please report it"),
            ),
        };
        self.send(Message::Response(response));
    }

    fn guarded_notification(&mut self, n: Notification) {
        let method = n.method.clone();
        if std::panic::catch_unwind(AssertUnwindSafe(|| self.notification(n))).is_err() {
            self.show(
                MessageType::ERROR,
                format!("creeplint failed on {method}: this is a bug, please report it"),
            );
        }
    }

    /// A notification's parameters; invalid ones are logged and the notification ignored.
    fn params<P: serde::de::DeserializeOwned>(&self, n: &Notification) -> Option<P> {
        match serde_json::from_value(n.params.clone()) {
            Ok(p) => Some(p),
            Err(e) => {
                self.notify::<LogMessage>(LogMessageParams {
                    typ: MessageType::WARNING,
                    message: format!("creeplint ignored {}: invalid parameters: {e}", n.method),
                });
                None
            }
        }
    }

    fn request(&mut self, request: Request) -> Response {
        let id = request.id.clone();
        let answer = match request.method.as_str() {
            HoverRequest::METHOD => parse(request).map(|p| to_value(self.hover(p))),
            CodeActionRequest::METHOD => parse(request).map(|p| to_value(self.code_actions(p))),
            other => Err(Response::new_err(
                id.clone(),
                ErrorCode::MethodNotFound as i32,
                format!("creeplint does not handle {other}"),
            )),
        };
        match answer {
            Ok(value) => Response::new_ok(id, value),
            Err(mut error) => {
                error.id = id;
                error
            }
        }
    }

    fn notification(&mut self, n: Notification) {
        match n.method.as_str() {
            DidOpenTextDocument::METHOD => {
                let Some(p) = self.params::<lsp_types::DidOpenTextDocumentParams>(&n) else {
                    return;
                };
                let doc = p.text_document;
                let path = doc.uri.to_file_path().ok();
                let name = path.clone().or_else(|| untitled_name(&doc.language_id));
                if path.as_deref().is_some_and(is_config_file) {
                    self.check_config(path.as_deref());
                }
                self.documents.insert(
                    doc.uri.clone(),
                    OpenDocument {
                        lines: LineMap::new(&doc.text),
                        text: doc.text,
                        version: doc.version,
                        path,
                        name,
                        checked: None,
                        findings: Vec::new(),
                    },
                );
                self.lint(&doc.uri);
            }
            DidChangeTextDocument::METHOD => {
                let Some(p) = self.params::<lsp_types::DidChangeTextDocumentParams>(&n) else {
                    return;
                };
                let uri = p.text_document.uri;
                let Some(doc) = self.documents.get_mut(&uri) else {
                    return;
                };
                for change in p.content_changes {
                    match change.range {
                        Some(range) => {
                            let start = doc.lines.offset(&doc.text, range.start);
                            let end = doc.lines.offset(&doc.text, range.end).max(start);
                            doc.text.replace_range(start..end, &change.text);
                        }
                        None => doc.text = change.text,
                    }
                    doc.lines = LineMap::new(&doc.text);
                }
                doc.version = p.text_document.version;
                self.lint(&uri);
            }
            DidSaveTextDocument::METHOD => {
                let Some(p) = self.params::<lsp_types::DidSaveTextDocumentParams>(&n) else {
                    return;
                };
                let path = p.text_document.uri.to_file_path().ok();
                if path.as_deref().is_some_and(is_toml) {
                    self.reload();
                } else {
                    self.lint(&p.text_document.uri);
                }
            }
            DidCloseTextDocument::METHOD => {
                let Some(p) = self.params::<lsp_types::DidCloseTextDocumentParams>(&n) else {
                    return;
                };
                let uri = p.text_document.uri;
                if self.documents.remove(&uri).is_some() && !self.error_files.contains_key(&uri) {
                    self.publish(uri, Vec::new(), None);
                }
            }
            DidChangeWatchedFiles::METHOD => {
                let Some(p) = self.params::<lsp_types::DidChangeWatchedFilesParams>(&n) else {
                    return;
                };
                let changed: Vec<PathBuf> = p
                    .changes
                    .iter()
                    .filter_map(|c| c.uri.to_file_path().ok())
                    .filter(|p| is_toml(p))
                    .collect();
                if !changed.is_empty() {
                    self.reload();
                    for config in changed.iter().filter(|p| is_config_file(p)) {
                        self.check_config(Some(config));
                    }
                }
            }
            DidChangeWorkspaceFolders::METHOD => {
                let Some(p) = self.params::<lsp_types::DidChangeWorkspaceFoldersParams>(&n) else {
                    return;
                };
                let paths = |fs: &[lsp_types::WorkspaceFolder]| -> Vec<PathBuf> {
                    fs.iter()
                        .filter_map(|f| f.uri.to_file_path().ok())
                        .collect()
                };
                let added = paths(&p.event.added);
                let removed = paths(&p.event.removed);
                self.workspace.change_folders(added, &removed);
                self.relint_all();
            }
            // `initialized`, `$/cancelRequest`, settings changes and the rest: nothing to do.
            _ => {}
        }
    }

    /// Forgets all loaded settings and checks every open document again.
    fn reload(&mut self) {
        self.workspace.reload();
        self.relint_all();
        self.publish_load_errors();
    }

    fn relint_all(&mut self) {
        let uris: Vec<Url> = self.documents.keys().cloned().collect();
        for uri in uris {
            self.lint(&uri);
        }
    }

    /// Loads a config file on its own (opened or changed), so that its errors show even when no
    /// document under it is open.
    fn check_config(&mut self, config: Option<&Path>) {
        let Some(config) = config else { return };
        // The config is found from its own directory, like a document beside it.
        let (loaded, fresh) = self.workspace.for_document(Some(config));
        if fresh {
            self.loaded_now(&loaded);
        }
    }

    /// After settings were loaded: publishes their errors and tells the user once.
    fn loaded_now(&mut self, loaded: &Loaded) {
        if let Loaded::Ready(linter) = loaded {
            self.notify::<LogMessage>(LogMessageParams {
                typ: MessageType::INFO,
                message: format!(
                    "creeplint: {} rules loaded for files under {}",
                    linter.engine().rules().len(),
                    linter.settings().root.display()
                ),
            });
        }
        if let Loaded::Failed(errors) = loaded {
            let more = match errors.len() {
                1 => String::new(),
                n => format!(" (and {} more)", n - 1),
            };
            let first = errors.first().map(ToString::to_string).unwrap_or_default();
            self.show(
                MessageType::ERROR,
                format!("creeplint: {first}{more}. Files under this configuration are not checked until it is fixed."),
            );
        }
        self.publish_load_errors();
    }

    /// Publishes the errors of every loaded config on the files they point at, and clears files
    /// that no longer have any.
    fn publish_load_errors(&mut self) {
        let by_file = diagnostics::of_load_errors(self.workspace.errors(), |p| {
            std::fs::read_to_string(p).ok()
        });
        let mut now = BTreeMap::new();
        for (path, diags) in by_file {
            let Ok(uri) = Url::from_file_path(&path) else {
                continue;
            };
            self.publish(uri.clone(), diags.clone(), None);
            now.insert(uri, diags);
        }
        let stale: Vec<Url> = self
            .error_files
            .keys()
            .filter(|uri| !now.contains_key(*uri))
            .cloned()
            .collect();
        for uri in stale {
            self.publish(uri, Vec::new(), None);
        }
        self.error_files = now;
    }

    fn publish(&self, uri: Url, diagnostics: Vec<Diagnostic>, version: Option<i32>) {
        self.notify::<PublishDiagnostics>(PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        });
    }

    /// Checks an open document and publishes its diagnostics.
    fn lint(&mut self, uri: &Url) {
        let Some(path) = self.documents.get(uri).map(|d| d.path.clone()) else {
            return;
        };
        let (loaded, fresh) = self.workspace.for_document(path.as_deref());
        if fresh {
            self.loaded_now(&loaded);
        }
        let Some(doc) = self.documents.get_mut(uri) else {
            return;
        };
        let diagnostics = match &*loaded {
            Loaded::Failed(errors) => {
                doc.checked = None;
                doc.findings.clear();
                // A config or pack is never checked as copy: it carries its load errors only.
                if doc.name.as_deref().is_some_and(is_toml) {
                    Vec::new()
                } else {
                    vec![not_checked(
                        not_loaded_message(errors),
                        DiagnosticSeverity::ERROR,
                        &doc.text,
                    )]
                }
            }
            Loaded::Ready(linter) => check_document(doc, linter, &loaded),
        };
        // A broken config or pack open in the editor keeps its load errors.
        let mut diagnostics = diagnostics;
        diagnostics.extend(self.error_files.get(uri).cloned().unwrap_or_default());
        let version = Some(doc.version);
        self.publish(uri.clone(), diagnostics, version);
    }

    fn hover(&self, params: HoverParams) -> Option<Hover> {
        let at = params.text_document_position_params;
        let doc = self.documents.get(&at.text_document.uri)?;
        let offset = doc.lines.offset(&doc.text, at.position);
        let finding = doc
            .findings
            .iter()
            .filter(|f| f.range.start <= offset && offset <= f.range.end)
            .min_by_key(|f| f.range.len())?;
        Some(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: hover_text(finding),
            }),
            range: Some(diagnostics::range_of(
                &doc.text,
                &doc.lines,
                finding.range.clone(),
            )),
        })
    }

    fn code_actions(&self, params: CodeActionParams) -> Vec<CodeActionOrCommand> {
        let uri = params.text_document.uri;
        let Some(doc) = self.documents.get(&uri) else {
            return Vec::new();
        };
        let Some((format, loaded)) = &doc.checked else {
            return Vec::new();
        };
        let (Loaded::Ready(linter), Some(name)) = (&**loaded, &doc.name) else {
            return Vec::new();
        };
        let start = doc.lines.offset(&doc.text, params.range.start);
        let end = doc.lines.offset(&doc.text, params.range.end);
        let styles = suppression::styles(name, *format);
        doc.findings
            .iter()
            .filter(|f| f.range.start <= end && start <= f.range.end)
            .filter_map(|f| {
                let insertion = suppression::verified_insertion(&doc.text, f, &styles, |text| {
                    findings_of(linter, name, text, *format).0
                })?;
                let at = doc.lines.position(&doc.text, insertion.at);
                let title = format!(
                    "Suppress {} on this line (creeplint-disable-next-line)",
                    insertion.rules.join(", ")
                );
                let edit = TextEdit::new(lsp_types::Range::new(at, at), insertion.text);
                Some(CodeActionOrCommand::CodeAction(CodeAction {
                    title,
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: Some(vec![of_finding(f, &doc.text, &doc.lines)]),
                    edit: Some(WorkspaceEdit::new(HashMap::from([(
                        uri.clone(),
                        vec![edit],
                    )]))),
                    ..CodeAction::default()
                }))
            })
            .collect()
    }
}

/// Checks `doc` with `linter`, keeping its findings; returns its diagnostics. Checks the files a
/// directory walk would (copy extensions and `include`, minus `exclude`): a config or pack
/// `.toml` opened in the editor is not copy.
fn check_document(
    doc: &mut OpenDocument,
    linter: &Linter,
    loaded: &Arc<Loaded>,
) -> Vec<Diagnostic> {
    doc.checked = None;
    doc.findings.clear();
    let Some(name) = doc.name.as_deref() else {
        return Vec::new();
    };
    let settings = linter.settings();
    let rel = crate::baseline::root_relative(&display_path(name), &settings.root);
    let wanted = !is_toml(name)
        && !settings.exclude.is_match(&rel)
        && (Format::is_copy_path(name)
            || (!settings.include.is_empty() && settings.include.is_match(&rel)));
    if !wanted {
        return Vec::new();
    }
    if doc.text.len() as u64 > settings.max_file_size {
        return vec![not_checked(
            format!(
                "creeplint skipped this file: {} is larger than the {} limit (`max-file-size` in creeplint.toml)",
                crate::lint::human_size(doc.text.len() as u64),
                crate::lint::human_size(settings.max_file_size)
            ),
            DiagnosticSeverity::INFORMATION,
            &doc.text,
        )];
    }
    let format = Format::detect(name, &doc.text);
    let (findings, warnings) = findings_of(linter, name, doc.text.clone(), format);
    let mut diagnostics: Vec<Diagnostic> = findings
        .iter()
        .map(|f| of_finding(f, &doc.text, &doc.lines))
        .collect();
    diagnostics.extend(
        warnings
            .iter()
            .map(|(at, m)| of_warning(*at, m, format.name(), &doc.text, &doc.lines)),
    );
    doc.findings = findings;
    doc.checked = Some((format, loaded.clone()));
    diagnostics
}

/// The library's pipeline on the text of the file `name`: extraction (with its layout and
/// partials), rules, per-path settings and directives. Returns the findings and the syntax
/// warnings (byte offset, message).
fn findings_of(
    linter: &Linter,
    name: &Path,
    text: String,
    format: Format,
) -> (Vec<Finding>, Vec<(usize, String)>) {
    let doc = linter.document(text, format, name);
    let findings = linter.findings_in(&display_path(name), &doc);
    (findings, doc.warnings)
}

/// A name for an untitled document, from its language id, so that its format is known.
fn untitled_name(language_id: &str) -> Option<PathBuf> {
    let ext = match language_id {
        "html" => "html",
        "markdown" => "md",
        "plaintext" => "txt",
        "json" | "jsonc" => "json",
        "yaml" => "yaml",
        "csv" => "csv",
        "liquid" => "liquid",
        "jinja" | "jinja-html" | "django-html" => "jinja",
        "handlebars" => "hbs",
        "mustache" => "mustache",
        "mjml" => "mjml",
        _ => return None,
    };
    Some(PathBuf::from(format!("untitled.{ext}")))
}

fn is_toml(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("toml"))
}

fn is_config_file(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| CONFIG_NAMES.contains(&n))
}

fn parse<P: serde::de::DeserializeOwned>(request: Request) -> Result<P, Response> {
    let id = request.id.clone();
    serde_json::from_value(request.params).map_err(|e| {
        Response::new_err(
            id,
            ErrorCode::InvalidParams as i32,
            format!("invalid parameters: {e}"),
        )
    })
}

fn to_value<T: serde::Serialize>(value: T) -> serde_json::Value {
    serde_json::to_value(value).unwrap_or(serde_json::Value::Null)
}

#[cfg(test)]
mod tests {
    //! The protocol loop in memory, without an editor (tests/server.rs drives the binary with a
    //! real client).
    use super::*;
    use lsp_types::notification::Initialized;
    use lsp_types::request::{Initialize, Shutdown};
    use lsp_types::NumberOrString;
    use serde_json::{json, Value};

    struct Client {
        conn: Connection,
        next_id: i32,
    }

    impl Client {
        fn request(&mut self, method: &str, params: Value) -> Value {
            self.next_id += 1;
            let id = RequestId::from(self.next_id);
            let request = Request::new(id.clone(), method.to_string(), params);
            self.conn.sender.send(request.into()).unwrap();
            loop {
                match self.conn.receiver.recv().unwrap() {
                    Message::Response(r) if r.id == id => match r.response_result {
                        Ok(value) => return value,
                        Err(e) => panic!("{method}: {e:?}"),
                    },
                    _ => {}
                }
            }
        }

        fn notify(&self, method: &str, params: Value) {
            let n = Notification::new(method.to_string(), params);
            self.conn.sender.send(n.into()).unwrap();
        }

        /// The next diagnostics published for `uri`.
        fn diagnostics(&self, uri: &str) -> Vec<Diagnostic> {
            loop {
                if let Message::Notification(n) = self.conn.receiver.recv().unwrap() {
                    if n.method == PublishDiagnostics::METHOD && n.params["uri"] == uri {
                        return serde_json::from_value(n.params["diagnostics"].clone()).unwrap();
                    }
                }
            }
        }
    }

    #[test]
    fn diagnostics_and_quick_fix_over_the_protocol() {
        let dir = std::env::temp_dir().join(format!("creeplint-server-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let (server, conn) = Connection::memory();
        let serving = std::thread::spawn(move || serve(&server));
        let mut client = Client { conn, next_id: 0 };
        let folder = Url::from_file_path(&dir).unwrap();
        let init = client.request(
            Initialize::METHOD,
            json!({ "capabilities": {}, "workspaceFolders": [{ "uri": folder, "name": "w" }] }),
        );
        assert_eq!(init["capabilities"]["positionEncoding"], "utf-16");
        client.notify(Initialized::METHOD, json!({}));

        let text = "<p>🎉 Café: You spent {{ customer.total_spent }} with us.</p>\n";
        let uri = Url::from_file_path(dir.join("a.liquid")).unwrap();
        client.notify(
            DidOpenTextDocument::METHOD,
            json!({ "textDocument": { "uri": uri, "languageId": "liquid", "version": 1, "text": text } }),
        );
        let diags = client.diagnostics(uri.as_str());
        let spend = diags
            .iter()
            .find(|d| d.code == Some(NumberOrString::String("spend.quoted-total".into())))
            .expect("a spend diagnostic");
        // `<p>` 3 + 🎉 2 + ` Café: ` 7 UTF-16 units before `You`.
        assert_eq!(spend.range.start, lsp_types::Position::new(0, 12));

        let actions = client.request(
            CodeActionRequest::METHOD,
            json!({ "textDocument": { "uri": uri }, "range": spend.range, "context": { "diagnostics": [] } }),
        );
        // The sentence also reads as profiled (`profile.reads-as-profiled`), whose action comes
        // first; the spend finding's action is the one that names it.
        let edit = actions
            .as_array()
            .unwrap()
            .iter()
            .map(|a| &a["edit"]["changes"][uri.as_str()][0])
            .find(|e| {
                e["newText"]
                    .as_str()
                    .is_some_and(|t| t.contains("spend.quoted-total"))
            })
            .expect("an action for the spend finding");
        // `customer.total_spent` is also a spend-history field: suppressing only the phrase rule
        // would uncover `spend.history-field` on the same words, so the directive names both.
        assert_eq!(
            edit["newText"],
            "{% comment %} creeplint-disable-next-line spend.quoted-total spend.history-field {% endcomment %}\n"
        );

        client.request(Shutdown::METHOD, Value::Null);
        client.notify("exit", Value::Null);
        assert_eq!(serving.join().unwrap(), Ok(()));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
