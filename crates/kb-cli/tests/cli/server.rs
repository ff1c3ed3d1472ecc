//! `kb server` driven over standard input and output as an editor drives it.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::Duration;

use serde_json::{json, Value};

use crate::write;

/// A note whose summary misspells SageMaker after Korean text: the range must count UTF-16
/// units, not bytes.
const NOTE: &str = "# 머신러닝\n\n## Amazon SageMaker\n\n모델은 Amazon Segemaker 로 학습시키고 배포한다.\n\n- 노트북 인스턴스\n- 학습 작업\n";

/// Another note of the vault describing the same service, on disk only.
const OTHER: &str = "# ML\n\n## Amazon SageMaker\n\nTrains and deploys models.\n\n- Notebooks\n";

struct Client {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    next_id: i64,
}

impl Client {
    fn start(root: &std::path::Path) -> Client {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("kb"))
            .arg("server")
            .current_dir(root)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, messages) = std::sync::mpsc::channel();
        // Read framed messages on a thread, so that a silent server fails the test, not hangs it.
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut length = None;
                loop {
                    let mut header = String::new();
                    if reader.read_line(&mut header).unwrap_or(0) == 0 {
                        return;
                    }
                    let header = header.trim_end();
                    if header.is_empty() {
                        break;
                    }
                    if let Some(n) = header.strip_prefix("Content-Length: ") {
                        length = n.parse::<usize>().ok();
                    }
                }
                let mut body = vec![0; length.expect("a Content-Length header")];
                reader.read_exact(&mut body).unwrap();
                if tx.send(serde_json::from_slice(&body).unwrap()).is_err() {
                    return;
                }
            }
        });
        Client {
            child,
            stdin,
            messages,
            next_id: 0,
        }
    }

    /// A server on `root` past the `initialize` handshake (with `capabilities` offered), and
    /// the messages it sent meanwhile.
    fn initialized(root: &std::path::Path, capabilities: Value) -> (Client, Vec<Value>) {
        let mut client = Client::start(root);
        let mut aside = Vec::new();
        client.request(
            "initialize",
            json!({"processId": null, "rootUri": uri_of(root), "capabilities": capabilities}),
            &mut aside,
        );
        client.notify("initialized", json!({}));
        (client, aside)
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Send a request and wait for its response (notifications meanwhile are kept aside).
    fn request(&mut self, method: &str, params: Value, aside: &mut Vec<Value>) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let message = self.receive();
            if message["id"] == json!(id) {
                assert!(message.get("error").is_none(), "{message}");
                return message["result"].clone();
            }
            aside.push(message);
        }
    }

    fn receive(&mut self) -> Value {
        match self.messages.recv_timeout(Duration::from_secs(60)) {
            Ok(message) => message,
            Err(RecvTimeoutError::Timeout) => panic!("kb server said nothing for 60 s"),
            Err(RecvTimeoutError::Disconnected) => panic!("kb server closed its output"),
        }
    }

    /// The next diagnostics published for `uri`.
    fn diagnostics(&mut self, uri: &str, aside: &mut Vec<Value>) -> Vec<Value> {
        if let Some(i) = aside
            .iter()
            .position(|m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri)
        {
            let m = aside.remove(i);
            return m["params"]["diagnostics"].as_array().unwrap().clone();
        }
        loop {
            let m = self.receive();
            if m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri {
                return m["params"]["diagnostics"].as_array().unwrap().clone();
            }
        }
    }

    fn shut_down(mut self) {
        let mut aside = Vec::new();
        let result = self.request("shutdown", Value::Null, &mut aside);
        assert_eq!(result, Value::Null);
        self.notify("exit", Value::Null);
        let status = self.child.wait().unwrap();
        assert!(status.success(), "{status}");
    }
}

/// Apply LSP text edits (UTF-16 positions, as negotiated by default) to `text`.
fn apply(text: &str, edits: &[Value]) -> String {
    let offset = |p: &Value| {
        let (line, character) = (
            p["line"].as_u64().unwrap() as usize,
            p["character"].as_u64().unwrap() as usize,
        );
        let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
        let mut units = 0;
        for (i, c) in text[start..].char_indices() {
            if units >= character {
                return start + i;
            }
            units += c.len_utf16();
        }
        text.len()
    };
    let mut edits: Vec<(usize, usize, &str)> = edits
        .iter()
        .map(|e| {
            (
                offset(&e["range"]["start"]),
                offset(&e["range"]["end"]),
                e["newText"].as_str().unwrap(),
            )
        })
        .collect();
    edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    let mut out = text.to_owned();
    for (start, end, new) in edits {
        out.replace_range(start..end, new);
    }
    out
}

fn uri_of(path: &std::path::Path) -> String {
    format!("file://{}", path.display())
}

#[test]
fn an_editor_sees_a_misspelling_fixes_it_and_the_finding_goes() {
    let dir = tempfile::tempdir().unwrap();
    let root = std::fs::canonicalize(dir.path()).unwrap();
    write(&root, "a.md", NOTE);
    write(&root, "b.md", OTHER);
    let uri = uri_of(&root.join("a.md"));
    let mut client = Client::start(&root);
    let mut aside = Vec::new();

    let init = client.request(
        "initialize",
        json!({"processId": null, "rootUri": uri_of(&root), "capabilities": {}}),
        &mut aside,
    );
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-16");
    assert_eq!(init["serverInfo"]["name"], "kb");
    client.notify("initialized", json!({}));

    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": NOTE}}),
    );
    let found = client.diagnostics(&uri, &mut aside);
    assert_eq!(found.len(), 1, "{found:#?}");
    let d = &found[0];
    assert_eq!(d["code"], "KB201");
    assert_eq!(d["source"], "kb");
    // Line 5 of the note (0-based 4); `모델은 ` is four UTF-16 units (ten bytes).
    assert_eq!(
        d["range"],
        json!({"start": {"line": 4, "character": 4}, "end": {"line": 4, "character": 20}})
    );

    let actions = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": uri},
            "range": d["range"],
            "context": {"diagnostics": [d]},
        }),
        &mut aside,
    );
    let quick_fix = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["kind"] == "quickfix")
        .unwrap_or_else(|| panic!("no quick fix in {actions:#}"));
    assert!(
        quick_fix["title"].as_str().unwrap().contains("Amazon SageMaker"),
        "{quick_fix}"
    );
    let edits = quick_fix["edit"]["changes"][&uri].as_array().unwrap();
    let fixed = apply(NOTE, edits);
    assert_eq!(fixed, NOTE.replace("Segemaker", "SageMaker"));

    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": fixed}]}),
    );
    assert_eq!(client.diagnostics(&uri, &mut aside), Vec::<Value>::new());

    // Hover on the heading's name: the service, and where the vault describes it.
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": {"line": 2, "character": 6}}),
        &mut aside,
    );
    let shown = hover["contents"]["value"].as_str().unwrap();
    assert!(shown.contains("**Amazon SageMaker**"), "{shown}");
    assert!(shown.contains("b.md:3"), "{shown}");
    // Go to the other note's entry.
    let places = client.request(
        "textDocument/definition",
        json!({"textDocument": {"uri": uri}, "position": {"line": 2, "character": 6}}),
        &mut aside,
    );
    assert_eq!(places.as_array().unwrap().len(), 1, "{places:#}");
    assert_eq!(places[0]["uri"], uri_of(&root.join("b.md")));
    assert_eq!(places[0]["range"]["start"], json!({"line": 2, "character": 3}));

    client.shut_down();
}

#[test]
fn a_duplicate_in_another_note_appears_and_goes_as_the_editor_types() {
    let dir = tempfile::tempdir().unwrap();
    let root = std::fs::canonicalize(dir.path()).unwrap();
    // `a.md` comes first: the open `b.md` repeats its service.
    write(&root, "a.md", OTHER);
    write(&root, "b.md", "# 메모\n");
    let uri = uri_of(&root.join("b.md"));
    let (mut client, mut aside) = Client::initialized(
        &root,
        json!({"general": {"positionEncodings": ["utf-8", "utf-16"]}}),
    );
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": "# 메모\n"}}),
    );
    assert_eq!(client.diagnostics(&uri, &mut aside), Vec::<Value>::new());
    let typed = "# 메모\n\n## Amazon SageMaker\n\n모델을 학습시키는 서비스.\n\n- 노트북\n";
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": typed}]}),
    );
    let found = client.diagnostics(&uri, &mut aside);
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!(found[0]["code"], "KB302");
    let related = &found[0]["relatedInformation"][0]["location"];
    assert_eq!(related["uri"], uri_of(&root.join("a.md")));
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri, "version": 3}, "contentChanges": [{"text": "# 메모\n"}]}),
    );
    assert_eq!(client.diagnostics(&uri, &mut aside), Vec::<Value>::new());
    client.shut_down();
}

#[test]
fn odd_messages_get_answers_not_crashes() {
    let dir = tempfile::tempdir().unwrap();
    let root = std::fs::canonicalize(dir.path()).unwrap();
    // A vault with a note that is not UTF-8 and a broken kb.toml: the server still starts.
    write(&root, "bad.md", b"\xff\xfe# \x00broken");
    write(&root, "kb.toml", "selct = [\"KB2\"]\n");
    let (mut client, mut aside) = Client::initialized(&root, json!({}));
    // The broken configuration is shown to the user.
    let shown = loop {
        let m = aside.pop().unwrap_or_else(|| client.receive());
        if m["method"] == "window/showMessage" {
            break m;
        }
    };
    assert!(
        shown["params"]["message"].as_str().unwrap().contains("selct"),
        "{shown}"
    );

    // An unknown request is an error response, not silence.
    client.send(json!({"jsonrpc": "2.0", "id": 99, "method": "kb/unknown", "params": {}}));
    let answer = loop {
        let m = client.receive();
        if m["id"] == 99 {
            break m;
        }
    };
    assert_eq!(answer["error"]["code"], -32601);
    // Bad parameters too.
    client.send(
        json!({"jsonrpc": "2.0", "id": 100, "method": "textDocument/hover", "params": {"nonsense": true}}),
    );
    let answer = loop {
        let m = client.receive();
        if m["id"] == 100 {
            break m;
        }
    };
    assert_eq!(answer["error"]["code"], -32602);
    // A note never opened, an untitled buffer, a change to nothing open: no answer to give.
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri_of(&root.join("nope.md"))}, "position": {"line": 0, "character": 0}}),
        &mut aside,
    );
    assert_eq!(hover, Value::Null);
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": "untitled:Untitled-1", "languageId": "markdown", "version": 1, "text": "## Amazon Segemaker\n"}}),
    );
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri_of(&root.join("nope.md")), "version": 2}, "contentChanges": [{"text": "x"}]}),
    );
    // A position far past the end of an open note.
    let uri = uri_of(&root.join("c.md"));
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": "## Amazon Segemaker\n"}}),
    );
    let found = client.diagnostics(&uri, &mut aside);
    assert!(found.iter().any(|d| d["code"] == "KB201"), "{found:#?}");
    let far = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": {"start": {"line": 999, "character": 999}, "end": {"line": 9999, "character": 0}}, "context": {"diagnostics": []}}),
        &mut aside,
    );
    assert!(
        far.as_array().unwrap().iter().all(|a| a["kind"] != "quickfix"),
        "{far:#}"
    );
    client.shut_down();
}

/// A note with an entry for each of `services` (names as written in a heading).
fn note_of(services: &[&str]) -> String {
    let mut text = String::from("# 정리\n");
    for service in services {
        text.push_str(&format!(
            "\n## {service}\n\n요약 한 줄.\n\n- 기능 하나\n- 기능 둘\n"
        ));
    }
    text
}

/// The KB302 findings `kb check` reports for `path`, as (line, message, related lines), with
/// lines counted from 0 as LSP counts them.
fn checked_duplicates(root: &std::path::Path, path: &std::path::Path) -> Vec<(u64, String, Vec<u64>)> {
    let output = Command::new(assert_cmd::cargo::cargo_bin("kb"))
        .args(["check", "--format", "json", "--exit-zero"])
        .arg(root)
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let path = path.display().to_string();
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "KB302" && d["path"] == path.as_str())
        .map(|d| {
            let related = d["related"].as_array().unwrap();
            let lines = related.iter().map(|r| r["line"].as_u64().unwrap() - 1).collect();
            (
                d["line"].as_u64().unwrap() - 1,
                d["message"].as_str().unwrap().to_owned(),
                lines,
            )
        })
        .collect()
}

/// The KB302 findings of published diagnostics, in the shape of [`checked_duplicates`].
fn published_duplicates(found: &[Value]) -> Vec<(u64, String, Vec<u64>)> {
    found
        .iter()
        .filter(|d| d["code"] == "KB302")
        .map(|d| {
            let message = d["message"].as_str().unwrap();
            // The editor's message carries the help on a second line.
            let message = message.split('\n').next().unwrap().to_owned();
            let related = d["relatedInformation"].as_array().unwrap();
            let lines = related
                .iter()
                .map(|r| r["location"]["range"]["start"]["line"].as_u64().unwrap())
                .collect();
            (d["range"]["start"]["line"].as_u64().unwrap(), message, lines)
        })
        .collect()
}

#[test]
fn findings_across_notes_in_the_editor_equal_kb_check_with_two_notes_open() {
    let dir = tempfile::tempdir().unwrap();
    let root = std::fs::canonicalize(dir.path()).unwrap();
    // Lambda recurs in five notes (a finding names three others and "1 more"), S3 in three,
    // EC2 and DynamoDB in notes no open note shares a service with.
    let vault: [(&str, &[&str]); 8] = [
        ("n1.md", &["AWS Lambda", "Amazon EC2"]),
        ("n2.md", &["Amazon S3"]),
        ("n3.md", &["AWS Lambda", "Amazon S3"]),
        ("n4.md", &["Amazon EC2", "Amazon DynamoDB"]),
        ("n5.md", &["Amazon S3", "AWS Lambda"]),
        ("n6.md", &["Amazon DynamoDB"]),
        ("n7.md", &["AWS Lambda"]),
        ("n8.md", &["AWS Lambda", "Amazon DynamoDB"]),
    ];
    for (path, services) in vault {
        write(&root, path, note_of(services));
    }
    let (five, six) = (root.join("n5.md"), root.join("n6.md"));
    let (mut client, mut aside) = Client::initialized(&root, json!({}));
    for (path, version) in [(&five, 1), (&six, 1)] {
        client.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri_of(path), "languageId": "markdown", "version": version,
                   "text": std::fs::read_to_string(path).unwrap()}}),
        );
    }
    let at_five = client.diagnostics(&uri_of(&five), &mut aside);
    let at_six = client.diagnostics(&uri_of(&six), &mut aside);
    let expected_five = checked_duplicates(&root, &five);
    assert_eq!(expected_five.len(), 2, "{expected_five:#?}");
    assert!(
        expected_five.iter().any(|(_, m, _)| m.ends_with("1 more")),
        "{expected_five:#?}"
    );
    assert_eq!(published_duplicates(&at_five), expected_five);
    assert_eq!(published_duplicates(&at_six), checked_duplicates(&root, &six));

    // `n6.md` gains a Lambda entry as the editor types: both open notes' findings change (the
    // count in `n5.md`'s), and still equal what `kb check` says once the text is saved.
    let typed = note_of(&["Amazon DynamoDB", "AWS Lambda"]);
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": uri_of(&six), "version": 2}, "contentChanges": [{"text": typed}]}),
    );
    let at_five = client.diagnostics(&uri_of(&five), &mut aside);
    let at_six = client.diagnostics(&uri_of(&six), &mut aside);
    write(&root, "n6.md", &typed);
    assert!(published_duplicates(&at_five)
        .iter()
        .any(|(_, m, _)| m.ends_with("2 more")));
    assert_eq!(published_duplicates(&at_five), checked_duplicates(&root, &five));
    assert_eq!(published_duplicates(&at_six), checked_duplicates(&root, &six));
    client.shut_down();
}
