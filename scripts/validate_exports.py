#!/usr/bin/env python3
"""Validate kb's JSON export of each PATH against schema/kb.schema.json.

Uses the Python `jsonschema` package, an implementation independent of kb's own, so the shape
contract is checked by a standard validator.

usage: scripts/validate_exports.py [--kb KB] PATH...
Each PATH is exported on its own (a folder is walked by kb); every export must validate.
"""
import argparse
import json
import pathlib
import subprocess
import sys

import jsonschema

ROOT = pathlib.Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kb", default=str(ROOT / "target" / "release" / "kb"))
    parser.add_argument("paths", nargs="+")
    args = parser.parse_args()

    schema = json.loads((ROOT / "schema" / "kb.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)

    failed = 0
    for path in args.paths:
        run = subprocess.run([args.kb, "export", "--format", "json", path], capture_output=True)
        if run.returncode != 0:
            print(f"FAIL {path}: kb exited {run.returncode}\n{run.stderr.decode(errors='replace')}")
            failed += 1
            continue
        doc = json.loads(run.stdout)
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
        notes = len(doc["notes"])
        entries = sum(len(n["entries"]) for n in doc["notes"])
        if errors:
            failed += 1
            print(f"FAIL {path}: {len(errors)} schema errors")
            for error in errors[:10]:
                where = "/".join(str(p) for p in error.absolute_path)
                print(f"  /{where}: {error.message}")
        else:
            print(f"ok   {path}: {notes} notes, {entries} entries valid against kb.schema.json")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
