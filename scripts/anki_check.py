#!/usr/bin/env python3
"""Import kb's Anki exports into Anki's own library and check what Anki makes of them.

Run by .ci/run after the release build:

    .venv/bin/python scripts/anki_check.py --kb target/release/kb [--notes notes]

Checks, each in a fresh collection in a temporary folder:
- CSV: Python's csv module reads one row per entry after the header; no cell starts with a
  character that makes a spreadsheet evaluate it (=, +, -, @, tab, CR).
- .apkg and the text file (.txt): one Anki note per distinct service; decks `AWS::<category>`
  and tags `aws::<category>` as the vocabulary says; Korean text intact (NFC); importing the
  same file again adds nothing; importing an export of an edited copy of the notes (one summary
  changed, a later --timestamp) updates that note in place and adds nothing.
Needs PyPI `anki` (26.9.x) and PyYAML (scripts/requirements.txt).
"""

import argparse
import csv
import html
import json
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path

import yaml
from anki.collection import Collection, ImportAnkiPackageRequest, ImportCsvRequest
from anki.import_export_pb2 import ImportAnkiPackageOptions

ROOT = Path(__file__).resolve().parent.parent
HANGUL = re.compile("[\uac00-\ud7a3]")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
T1 = 1_800_000_000
T2 = T1 + 60


def kb(binary, *args, cwd=None):
    done = subprocess.run([binary, *map(str, args)], capture_output=True, check=False, cwd=cwd)
    if done.returncode != 0:
        sys.exit(f"kb {' '.join(map(str, args))} exited {done.returncode}: {done.stderr.decode()}")
    return done


def nfc(text):
    return unicodedata.normalize("NFC", text)


def tag_of(deck):
    parts = []
    for part in deck.split("::"):
        out = ""
        for c in nfc(part).lower():
            if c.isalnum():
                out += c
            elif out and not out.endswith("_"):
                out += "_"
        parts.append(out.rstrip("_"))
    return "::".join(p for p in parts if p)


def expected_services(binary, notes):
    """Service key -> {deck, summary texts} from the JSON export and the vocabulary."""
    doc = json.loads(kb(binary, "export", notes, "--format", "json").stdout)
    vocab = yaml.safe_load((ROOT / "schema/vocabulary/aws.yaml").read_text(encoding="utf-8"))
    category = {s["id"]: s.get("category") for s in vocab["services"]}
    services, entries = {}, 0
    for note in doc["notes"]:
        for entry in note["entries"]:
            entries += 1
            key = ("id", entry["id"]) if entry["id"] else ("name", nfc(entry["name"].strip()))
            deck = "AWS::" + ((category.get(entry["id"]) if entry["id"] else None) or "Other")
            service = services.setdefault(key, {"deck": deck, "summaries": []})
            if entry["summary"]:
                service["summaries"].append(nfc(entry["summary"]["text"]))
    return doc, services, entries


def check(condition, message):
    if not condition:
        sys.exit(f"FAILED: {message}")
    print(f"  ok: {message}")


def check_csv(binary, notes, tmp, entries):
    print("== CSV")
    for bom in (False, True):
        out = tmp / f"kb{'-bom' if bom else ''}.csv"
        kb(binary, "export", notes, "--format", "csv", "-o", out, *(["--bom"] if bom else []))
        raw = out.read_bytes()
        check(raw.startswith(b"\xef\xbb\xbf") == bom, f"byte order mark {'present' if bom else 'absent'}")
        with out.open(encoding="utf-8-sig", newline="") as f:
            rows = list(csv.reader(f))
        check(rows[0] == ["canonical", "name", "category", "summary", "features", "tags", "path", "line"],
              "header row")
        check(len(rows) - 1 == entries, f"{len(rows) - 1} rows for {entries} entries")
        risky = [cell for row in rows for cell in row if cell.startswith(FORMULA_START)]
        check(not risky, f"no cell a spreadsheet would evaluate ({risky[:3]})")
        neutralised = sum(cell.startswith("'") for row in rows[1:] for cell in row)
        print(f"  {neutralised} cells neutralised with a leading '")


def cards_by_note(col):
    out = {}
    for cid in col.find_cards(""):
        card = col.get_card(cid)
        out.setdefault(card.nid, set()).add(col.decks.name(card.did))
    return out


def check_collection(col, services, field_of, label):
    """Notes, decks, tags and Korean text in a collection holding one import."""
    nids = col.find_notes("")
    check(len(nids) == len(services), f"{label}: {len(nids)} notes for {len(services)} distinct services")
    decks = cards_by_note(col)
    want_decks = sorted({s["deck"] for s in services.values()})
    got_decks = sorted({d for ds in decks.values() for d in ds})
    check(got_decks == want_decks, f"{label}: decks {got_decks}")
    want_tags = sorted({tag_of(s["deck"]) for s in services.values()})
    got_tags = sorted({t for nid in nids for t in col.get_note(nid).tags})
    check(got_tags == want_tags, f"{label}: tags {got_tags}")
    korean = [s for s in services.values() if any(HANGUL.search(t) for t in s["summaries"])]
    texts = [html.unescape(field_of(col.get_note(nid))) for nid in nids]
    missing = [t for s in korean for t in s["summaries"] if HANGUL.search(t) and not any(t in x for x in texts)]
    check(korean and not missing, f"{label}: {len(korean)} services with Korean summaries intact (NFC)")


def edited_copy(binary, notes, tmp, doc):
    """A copy of the notes (under the same relative path, so that sources stay equal) with one
    Korean summary changed; returns (folder to run kb in, old summary, new summary)."""
    copy = tmp / "edited"
    shutil.copytree(notes, copy / notes)
    for note in doc["notes"]:
        for entry in note["entries"]:
            summary = entry["summary"]
            if entry["id"] and summary and HANGUL.search(summary["text"]):
                path = copy / note["path"]
                text = path.read_text(encoding="utf-8")
                if text.count(summary["text"]) == 1:
                    new = summary["text"] + " (수정됨)"
                    path.write_text(text.replace(summary["text"], new), encoding="utf-8")
                    return copy, nfc(summary["text"]), nfc(new)
    sys.exit("FAILED: no summary to edit")


def log_counts(log):
    return {k: len(getattr(log, k)) for k in ("new", "updated", "duplicate", "conflicting",
                                                "first_field_match", "missing_notetype")}


def check_apkg(binary, notes, tmp, services, edited, old, new):
    print("== .apkg (note type kb Service)")
    v1, v2 = tmp / "v1.apkg", tmp / "v2.apkg"
    kb(binary, "export", notes, "--format", "apkg", "-o", v1, "--timestamp", T1)
    kb(binary, "export", notes, "--format", "apkg", "-o", v2, "--timestamp", T2, cwd=edited)
    (tmp / "apkg").mkdir()
    col = Collection(str(tmp / "apkg" / "collection.anki2"))
    try:
        def import_(path):
            options = ImportAnkiPackageOptions(merge_notetypes=False, with_scheduling=False,
                                               with_deck_configs=False)
            log = col.import_anki_package(ImportAnkiPackageRequest(package_path=str(path), options=options)).log
            return log_counts(log)

        first = import_(v1)
        print(f"  first import: {first}")
        check(first["new"] == len(services) and first["conflicting"] == 0, "first import adds every service")
        model = col.models.by_name("kb Service")
        check(model is not None and [f["name"] for f in model["flds"]] ==
              ["Name", "Aliases", "Category", "Summary", "Features", "Sources"], "note type kb Service, six fields")
        summary_of = lambda note: note["Summary"]  # noqa: E731
        check_collection(col, services, summary_of, ".apkg")
        check(col.card_count() == len(services), f"{col.card_count()} cards, one per note")
        media = sorted(p.name for p in Path(col.media.dir()).iterdir())
        check("dynamodb-table.png" in media, f"vault image shipped as media ({media})")
        again = import_(v1)
        print(f"  same file again: {again}")
        check(again["new"] == 0 and len(col.find_notes("")) == len(services), "re-import adds nothing")
        nid = next(n for n in col.find_notes("") if old in html.unescape(col.get_note(n)["Summary"]))
        third = import_(v2)
        print(f"  edited export (later --timestamp): {third}")
        check(third["new"] == 0 and third["conflicting"] == 0 and len(col.find_notes("")) == len(services),
              "edited export adds nothing")
        check(new in html.unescape(col.get_note(nid)["Summary"]), "edited summary updated in place (same note id)")
    finally:
        col.close()


def check_text(binary, notes, tmp, services, edited, old, new):
    print("== text file (stock Basic note type)")
    v1, v2 = tmp / "v1.txt", tmp / "v2.txt"
    kb(binary, "export", notes, "--format", "anki", "-o", v1)
    kb(binary, "export", notes, "--format", "anki", "-o", v2, cwd=edited)
    (tmp / "text").mkdir()
    col = Collection(str(tmp / "text" / "collection.anki2"))
    try:
        def import_(path):
            metadata = col.get_csv_metadata(str(path), None)
            return log_counts(col.import_csv(ImportCsvRequest(path=str(path), metadata=metadata)).log)

        first = import_(v1)
        print(f"  first import: {first}")
        check(first["new"] == len(services), "first import adds every service")
        check_collection(col, services, lambda note: note.fields[1], ".txt")
        again = import_(v1)
        print(f"  same file again: {again}")
        check(again["new"] == 0 and len(col.find_notes("")) == len(services), "re-import adds nothing")
        nid = next(n for n in col.find_notes("") if old in html.unescape(col.get_note(n).fields[1]))
        third = import_(v2)
        print(f"  edited export: {third}")
        check(third["new"] == 0 and third["updated"] == 1 and len(col.find_notes("")) == len(services),
              "edited export updates one note and adds nothing")
        check(new in html.unescape(col.get_note(nid).fields[1]), "edited summary updated in place (same note id)")
    finally:
        col.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kb", default="target/release/kb")
    parser.add_argument("--notes", default="notes")
    args = parser.parse_args()
    binary = str(Path(args.kb).resolve())
    notes = args.notes.rstrip("/")
    if Path(notes).is_absolute() or ".." in Path(notes).parts:
        sys.exit("--notes must be a folder below the current one")
    doc, services, entries = expected_services(binary, notes)
    print(f"{entries} entries, {len(services)} distinct services in {notes}/")
    with tempfile.TemporaryDirectory(prefix="kb-anki-") as tmp:
        tmp = Path(tmp)
        check_csv(binary, notes, tmp, entries)
        edited, old, new = edited_copy(binary, notes, tmp, doc)
        check_apkg(binary, notes, tmp, services, edited, old, new)
        check_text(binary, notes, tmp, services, edited, old, new)
    print("== Anki check passed")


if __name__ == "__main__":
    main()
