#!/usr/bin/env python3
"""Validate kb's SARIF output with Microsoft's SARIF multitool.

usage: scripts/validate_sarif.py --kb KB --multitool PATH --schema SARIF_SCHEMA NOTES_DIR

Runs `kb check NOTES_DIR --format sarif`, validates the log against the official SARIF 2.1.0
JSON schema (the copy the multitool package ships) with Python's jsonschema, then with
`sarif-multitool validate` (the SARIF SDK's rules), and fails on any schema error or any result
the multitool reports at level `error`. Warnings are printed.
"""
import argparse
import json
import pathlib
import subprocess
import sys
import tempfile

import jsonschema


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kb", required=True)
    parser.add_argument("--multitool", required=True)
    parser.add_argument("--schema", required=True)
    parser.add_argument("notes")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        log = pathlib.Path(tmp) / "kb.sarif"
        out = pathlib.Path(tmp) / "validation.sarif"
        run = subprocess.run([args.kb, "check", args.notes, "--format", "sarif"], capture_output=True)
        if run.returncode not in (0, 1):
            print(f"kb exited {run.returncode}: {run.stderr.decode(errors='replace')}")
            return 1
        log.write_bytes(run.stdout)
        sarif = json.loads(run.stdout)
        results = sarif["runs"][0]["results"]
        assert sarif["version"] == "2.1.0" and sarif["runs"][0]["columnKind"] == "unicodeCodePoints"
        schema = json.loads(pathlib.Path(args.schema).read_text(encoding="utf-8-sig"))
        schema_errors = list(jsonschema.Draft202012Validator(schema).iter_errors(sarif))
        for error in schema_errors[:10]:
            print(f"  schema: /{'/'.join(str(p) for p in error.absolute_path)}: {error.message[:160]}")
        if schema_errors:
            print(f"FAIL {len(schema_errors)} errors against the SARIF 2.1.0 schema")
            return 1
        check = subprocess.run(
            [args.multitool, "validate", str(log), "--output", str(out), "--log", "ForceOverwrite"],
            capture_output=True,
            text=True,
        )
        if not out.exists():
            print(check.stdout, check.stderr)
            print("FAIL the validator wrote no report")
            return 1
        report = json.loads(out.read_text(encoding="utf-8-sig"))
        problems = [r for run in report.get("runs", []) for r in run.get("results", [])]
        errors = [p for p in problems if p.get("level", "warning") == "error"]
        for p in problems:
            print(f"  {p.get('level', 'warning')} {p.get('ruleId')}: {p.get('message', {}).get('text', '')[:160]}")
        if errors:
            print(f"FAIL {len(errors)} SARIF errors")
            return 1
        print(f"ok   SARIF log with {len(results)} results valid ({len(problems)} validator notes)")
        return 0


if __name__ == "__main__":
    sys.exit(main())
