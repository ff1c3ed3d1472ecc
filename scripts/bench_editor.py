#!/usr/bin/env python3
"""How long an editor waits for `kb server` on a vault: start-up, then each keystroke.

    scripts/bench_editor.py --kb target/release/kb --vault DIR [--edits N] [--json | --row NAME]

Starts `kb server` on standard input and output with DIR as the workspace, as an editor does,
and measures, in wall time:

- ready: from `initialize` to the first findings of a note opened right away (the server reads
  and indexes the vault in between);
- keystroke: from a `didChange` to the findings it brings. Each edit adds or removes a
  misspelled service name at the end of the note, so every change changes the findings and the
  server must publish them (an unchanged list is not sent again). The median and the slowest of
  N edits are printed.

Needs only the standard library. Exits non-zero when the server fails, answers nothing for
60 seconds or publishes findings that do not follow the edits.
"""

import argparse
import json
import os
import pathlib
import select
import statistics
import subprocess
import sys
import time

TIMEOUT = 60.0
# A misspelling kb reports (KB201) wherever it stands in prose.
SLIP = "\n\nNotes on SageMkaer endpoints.\n"


class Server:
    def __init__(self, kb: str, root: pathlib.Path):
        self.proc = subprocess.Popen(
            [kb, "server"],
            cwd=root,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        self.buffer = b""
        self.next_id = 0

    def send(self, message: dict) -> None:
        body = json.dumps(message).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def request(self, method: str, params: dict) -> int:
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": self.next_id, "method": method, "params": params})
        return self.next_id

    def notify(self, method: str, params: dict) -> None:
        self.send({"jsonrpc": "2.0", "method": method, "params": params})

    def _fill(self, deadline: float) -> None:
        fd = self.proc.stdout.fileno()
        ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            raise SystemExit(f"bench_editor: no answer from kb server in {TIMEOUT:.0f} s")
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            raise SystemExit(f"bench_editor: kb server stopped (exit {self.proc.wait()})")
        self.buffer += chunk

    def receive(self) -> dict:
        deadline = time.monotonic() + TIMEOUT
        while True:
            head_end = self.buffer.find(b"\r\n\r\n")
            if head_end >= 0:
                length = None
                for line in self.buffer[:head_end].split(b"\r\n"):
                    name, _, value = line.partition(b":")
                    if name.strip().lower() == b"content-length":
                        length = int(value)
                if length is None:
                    raise SystemExit("bench_editor: a message without Content-Length")
                start = head_end + 4
                if len(self.buffer) >= start + length:
                    body = self.buffer[start : start + length]
                    self.buffer = self.buffer[start + length :]
                    return json.loads(body)
            self._fill(deadline)

    def findings_for(self, uri: str) -> list:
        """Wait for the next findings published for `uri`."""
        while True:
            message = self.receive()
            if message.get("method") == "window/showMessage":
                print(f"bench_editor: kb server says: {message['params']['message']}", file=sys.stderr)
            if message.get("method") == "textDocument/publishDiagnostics":
                if message["params"]["uri"] == uri:
                    return message["params"]["diagnostics"]

    def stop(self) -> None:
        self.request("shutdown", None)
        self.notify("exit", None)
        try:
            self.proc.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def slips(findings: list) -> int:
    return sum(1 for f in findings if f.get("code") == "KB201" and "SageMkaer" in f.get("message", ""))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kb", required=True)
    parser.add_argument("--vault", required=True, type=pathlib.Path)
    parser.add_argument("--edits", type=int, default=40)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--row", metavar="NAME", help="print a markdown table row for corpus NAME")
    args = parser.parse_args()

    root = args.vault.resolve()
    notes = sorted(root.rglob("*.md"))
    if not notes:
        raise SystemExit(f"bench_editor: no notes under {root}")
    # A note in the middle of the vault, so that nothing depends on walk order.
    note = notes[len(notes) // 2]
    text = note.read_text(encoding="utf-8")
    uri = note.as_uri()

    server = Server(str(pathlib.Path(args.kb).resolve()), root)
    start = time.perf_counter()
    init = server.request(
        "initialize",
        {"processId": os.getpid(), "rootUri": root.as_uri(), "capabilities": {}},
    )
    while server.receive().get("id") != init:
        pass
    server.notify("initialized", {})
    server.notify(
        "textDocument/didOpen",
        {"textDocument": {"uri": uri, "languageId": "markdown", "version": 1, "text": text}},
    )
    opened = server.findings_for(uri)
    ready = time.perf_counter() - start
    base = slips(opened)

    latencies = []
    for version in range(2, args.edits + 2):
        with_slip = version % 2 == 0
        changed = text + SLIP if with_slip else text
        sent = time.perf_counter()
        server.notify(
            "textDocument/didChange",
            {
                "textDocument": {"uri": uri, "version": version},
                "contentChanges": [{"text": changed}],
            },
        )
        findings = server.findings_for(uri)
        latencies.append(time.perf_counter() - sent)
        if slips(findings) != base + (1 if with_slip else 0):
            raise SystemExit(f"bench_editor: edit {version - 1}: the findings do not follow the edit")
    server.stop()

    figures = {
        "notes": len(notes),
        "note_bytes": len(text.encode()),
        "ready_s": round(ready, 3),
        "keystroke_median_ms": round(statistics.median(latencies) * 1000, 1),
        "keystroke_max_ms": round(max(latencies) * 1000, 1),
        "edits": len(latencies),
    }
    if args.json:
        print(json.dumps(figures))
    elif args.row:
        print(
            f"| {args.row} | {figures['notes']:,} | {figures['ready_s']:.2f} | "
            f"{figures['keystroke_median_ms']:.1f} | {figures['keystroke_max_ms']:.1f} | "
            f"{figures['note_bytes']:,} |"
        )
    else:
        print(
            f"{figures['notes']} notes: ready in {figures['ready_s']:.2f} s; a keystroke "
            f"(note of {figures['note_bytes']:,} bytes) {figures['keystroke_median_ms']:.1f} ms "
            f"median, {figures['keystroke_max_ms']:.1f} ms at worst ({figures['edits']} edits)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
