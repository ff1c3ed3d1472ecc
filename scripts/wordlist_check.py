#!/usr/bin/env python3
"""Run whole dictionaries through kb's name rules: a correct word is never a finding.

usage: scripts/wordlist_check.py --kb KB [--english FILE] [--korean FILE] [--headings [--allow N]]

Every English word (as written and capitalised) and every Korean word (with particles glued
on) is placed in sentences of generated notes in a temporary folder; `kb check` with the name
rules (KB201-KB204) must report nothing. Word lists: Debian's wamerican-large
(/usr/share/dict/words) and hunspell-ko (/usr/share/hunspell/ko_KR.dic), installed by .ci/run.

With --headings every English word is also a heading of its own, where kb reads a name more
readily (`## Lambdas` may well be about Lambda). Some of those findings are judgement calls
(reviewed in scripts/review/names.tsv); --allow N is the ratchet: more than N findings fail.
"""
import argparse
import json
import pathlib
import subprocess
import sys
import tempfile

PARTICLES = ["이", "가", "를", "의", "에서"]
PER_NOTE = 2000


def english(path: pathlib.Path) -> list[str]:
    words = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        word = line.strip()
        if word and not word.endswith("'s"):
            words.append(word)
    return words


def korean(path: pathlib.Path) -> list[str]:
    lines = path.read_text(encoding="utf-8", errors="replace").splitlines()[1:]
    return [line.split("/")[0].strip() for line in lines if line.strip()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kb", required=True)
    parser.add_argument("--english", default="/usr/share/dict/words")
    parser.add_argument("--korean", default="/usr/share/hunspell/ko_KR.dic")
    parser.add_argument("--headings", action="store_true", help="also one heading per word (entries)")
    parser.add_argument("--allow", type=int, default=0, help="findings tolerated (the ratchet for --headings)")
    args = parser.parse_args()

    lines: list[str] = []
    en = english(pathlib.Path(args.english))
    ko = korean(pathlib.Path(args.korean))
    for word in en:
        lines.append(f"- 메모: {word} 그리고 {word[:1].upper()}{word[1:]} 정리")
        if args.headings:
            lines.append(f"## {word[:1].upper()}{word[1:]}")
    for i, word in enumerate(ko):
        particle = PARTICLES[i % len(PARTICLES)]
        lines.append(f"- {word}{particle} 중요한 개념")
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        root = pathlib.Path(tmp) / "words"
        root.mkdir()
        for n in range(0, len(lines), PER_NOTE):
            (root / f"words-{n // PER_NOTE:04}.md").write_text("# 단어\n\n" + "\n".join(lines[n : n + PER_NOTE]) + "\n")
        run = subprocess.run(
            [args.kb, "check", str(root), "--select", "KB201,KB202,KB203,KB204", "--format", "json"],
            capture_output=True,
        )
        if run.returncode not in (0, 1):
            print(f"kb exited {run.returncode}: {run.stderr.decode(errors='replace')}")
            return 1
        findings = json.loads(run.stdout)["diagnostics"]
        for finding in findings[:40]:
            print(f"  {finding['code']} {finding['message']}")
        failed = len(findings)
    over = failed > args.allow
    tolerated = f" (at most {args.allow} allowed)" if args.allow else ""
    print(f"{'FAIL' if over else 'ok  '} {len(en)} English and {len(ko)} Korean words: {failed} name findings{tolerated}")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
