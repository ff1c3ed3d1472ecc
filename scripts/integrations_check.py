#!/usr/bin/env python3
"""Run kb's pre-commit hooks and its GitHub Action's shell steps here, as far as this machine
allows, with a locally built kb standing in for the installed or downloaded one.

- pre-commit: `pre-commit try-repo` on this repository's `.pre-commit-hooks.yaml`, in a fixture
  repository of notes: kb-check fails on a misspelling, kb-fix rewrites it, kb-check passes.
- action.yml: each `run:` step of the composite action, with its `${{ ... }}` expressions filled
  in as GitHub would, against a release folder holding a locally built archive and checksum:
  kb lands on GITHUB_PATH, the findings come out as workflow commands, SARIF is written when
  asked, and a tampered archive is refused.

Usage: integrations_check.py --kb target/release/kb --pre-commit .venv/bin/pre-commit
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent

GOOD = "# 분석\n\n## Amazon Athena\n\nS3의 데이터를 SQL로 조회하는 서비스.\n\n- 서버리스\n"
# `AWS Athena` has the wrong vendor prefix: a warning with a safe fix.
BAD = "# 스트리밍\n\n## Amazon Kinesis\n\n실시간 데이터 스트림. AWS Athena 로 조회한다.\n\n- 샤드\n"

# An entry without features: an error kb cannot fix.
INCOMPLETE = "# 보안\n\n## Amazon Macie\n\nS3의 민감한 데이터를 찾아 주는 서비스.\n"

failures: list[str] = []


def check(condition: bool, what: str, detail: str = "") -> None:
    print(("ok    " if condition else "FAIL  ") + what)
    if not condition:
        failures.append(what)
        if detail:
            print("      " + detail.replace("\n", "\n      ")[:4000])


def run(cmd: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=kb", "-c", "user.email=kb@example.invalid", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


def pre_commit(kb_dir: Path, pre_commit_bin: str, work: Path) -> None:
    # The hooks repository: this repository's hook manifest, committed (try-repo wants a repo).
    hooks = work / "hooks"
    hooks.mkdir()
    shutil.copy(ROOT / ".pre-commit-hooks.yaml", hooks)
    git(hooks, "init", "-q")
    git(hooks, "add", ".")
    git(hooks, "commit", "-q", "-m", "hooks")

    vault = work / "vault"
    vault.mkdir()
    (vault / "analytics.md").write_text(GOOD, encoding="utf-8")
    (vault / "streaming.md").write_text(BAD, encoding="utf-8")
    (vault / "security.md").write_text(INCOMPLETE, encoding="utf-8")
    git(vault, "init", "-q")
    git(vault, "add", ".")
    git(vault, "commit", "-q", "-m", "notes")

    env = dict(os.environ)
    env["PATH"] = f"{kb_dir}{os.pathsep}{env['PATH']}"
    env["PRE_COMMIT_HOME"] = str(work / "pre-commit-cache")
    env["NO_COLOR"] = "1"

    def hook(name: str) -> subprocess.CompletedProcess:
        return run([pre_commit_bin, "try-repo", str(hooks), name, "--all-files"], vault, env)

    first = hook("kb-check")
    check(first.returncode == 1, "pre-commit kb-check fails on a note with an error", first.stdout + first.stderr)
    check(
        "KB101" in first.stdout and "KB202" in first.stdout and "streaming.md" in first.stdout,
        "kb-check shows kb's findings",
        first.stdout,
    )

    fixed = hook("kb-fix")
    # pre-commit fails a hook that changed files, so that the user looks and stages them.
    check(fixed.returncode == 1 and "files were modified by this hook" in fixed.stdout, "kb-fix rewrites the note", fixed.stdout + fixed.stderr)
    text = (vault / "streaming.md").read_text(encoding="utf-8")
    check(text == BAD.replace("AWS Athena", "Amazon Athena"), "kb-fix changed only the name", text)

    still = hook("kb-check")
    check(still.returncode == 1 and "KB202" not in still.stdout, "after the fix only the error is left", still.stdout)
    (vault / "security.md").write_text(INCOMPLETE + "\n- 개인정보 탐지\n", encoding="utf-8")
    again = hook("kb-check")
    check(again.returncode == 0, "kb-check passes once the entry is complete", again.stdout + again.stderr)


def expand(text: str, values: dict[str, str]) -> str:
    """Fill in `${{ name }}` expressions the way the runner does, for the names the action uses."""

    def one(match: re.Match) -> str:
        name = match.group(1).strip()
        if name not in values:
            raise SystemExit(f"action.yml uses `{name}`, which this test does not provide")
        return values[name]

    return re.sub(r"\$\{\{\s*([^}]*?)\s*\}\}", one, text)


def action(kb: Path, work: Path) -> None:
    spec = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    check(spec["runs"]["using"] == "composite", "action.yml is a composite action")
    steps = [s for s in spec["runs"]["steps"] if "run" in s]
    check(len(steps) == 2, "action.yml has an install step and a check step")
    check(
        all("cargo" not in s["run"] for s in steps),
        "the action compiles nothing",
    )

    # A release folder as GitHub serves it: download/<tag>/kb-<target>.tar.gz and its .sha256.
    target = {"x86_64": "x86_64-unknown-linux-gnu", "aarch64": "aarch64-unknown-linux-gnu"}[os.uname().machine]
    archive = f"kb-{target}.tar.gz"
    release = work / "releases" / "download" / "v0.0.0-test"
    release.mkdir(parents=True)
    with tarfile.open(release / archive, "w:gz") as tar:
        tar.add(kb, arcname="kb")
    digest = hashlib.sha256((release / archive).read_bytes()).hexdigest()
    (release / f"{archive}.sha256").write_text(f"{digest}  {archive}\n")

    repo = work / "repo"
    (repo / "notes").mkdir(parents=True)
    (repo / "notes" / "analytics.md").write_text(GOOD, encoding="utf-8")
    (repo / "notes" / "streaming.md").write_text(BAD.replace("AWS Athena", "Amazon Athena") + "\nAmazon Segemaker 도 있다.\n", encoding="utf-8")

    def steps_run(inputs: dict[str, str], base: str) -> tuple[list[subprocess.CompletedProcess], Path, Path]:
        runner_temp = Path(tempfile.mkdtemp(dir=work))
        github_path = runner_temp / "GITHUB_PATH"
        summary = runner_temp / "GITHUB_STEP_SUMMARY"
        github_path.touch()
        values = {f"inputs.{k}": v for k, v in inputs.items()}
        values["github.action_path"] = str(ROOT)
        values["github.action_repository"] = "example/kb"
        path = os.environ["PATH"]
        results = []
        for step in steps:
            env = dict(os.environ)
            env.update({k: expand(str(v), values) for k, v in step.get("env", {}).items()})
            env.update(
                RUNNER_TEMP=str(runner_temp),
                GITHUB_PATH=str(github_path),
                GITHUB_STEP_SUMMARY=str(summary),
                KB_RELEASE_BASE=base,
                NO_COLOR="1",
            )
            # Later steps see what earlier ones added to GITHUB_PATH, and no other kb.
            added = [line for line in github_path.read_text().splitlines() if line]
            env["PATH"] = os.pathsep.join(added + [p for p in path.split(os.pathsep) if not (Path(p) / "kb").exists()])
            result = run([step.get("shell", "bash"), "-c", expand(step["run"], values)], repo, env)
            results.append(result)
            if result.returncode != 0 and step is steps[0]:
                break
        return results, github_path, summary

    base = (work / "releases").as_uri()
    inputs = {"version": "v0.0.0-test", "args": "notes/", "sarif": "true"}
    results, github_path, summary = steps_run(inputs, base)
    install, checked = results[0], results[-1]
    check(install.returncode == 0, "the install step downloads and verifies the archive", install.stdout + install.stderr)
    check("(schema 1)" in install.stdout, "the installed kb runs", install.stdout)
    check(len(github_path.read_text().splitlines()) == 1, "the install step adds kb to GITHUB_PATH")
    check(checked.returncode == 1, "the check step fails on errors", checked.stdout + checked.stderr)
    check(
        re.search(r"^::error file=notes/streaming\.md,line=\d+,", checked.stdout, re.M) is not None
        and "KB201" in checked.stdout,
        "findings come out as GitHub annotations",
        checked.stdout,
    )
    check(summary.exists() and "KB201" in summary.read_text(), "a step summary is written")
    sarif = repo / "kb.sarif"
    check(sarif.exists(), "kb.sarif is written when asked")
    if sarif.exists():
        doc = json.loads(sarif.read_text())
        check(doc["version"] == "2.1.0" and doc["runs"][0]["results"], "kb.sarif holds the findings")
        sarif.unlink()

    (repo / "notes" / "streaming.md").write_text(BAD.replace("AWS Athena", "Amazon Athena"), encoding="utf-8")
    results, _, _ = steps_run({"version": "v0.0.0-test", "args": "notes/", "sarif": "false"}, base)
    check(results[-1].returncode == 0, "a clean vault passes", results[-1].stdout + results[-1].stderr)
    check(not sarif.exists(), "no SARIF unless asked")

    # A tampered archive is refused before anything runs.
    with open(release / archive, "ab") as f:
        f.write(b"tampered")
    results, github_path, _ = steps_run(inputs, base)
    check(
        results[0].returncode == 1 and "SHA-256" in results[0].stdout and len(results) == 1,
        "a tampered archive is refused",
        results[0].stdout + results[0].stderr,
    )
    check(github_path.read_text() == "", "nothing is added to GITHUB_PATH when refused")
    missing, _, _ = steps_run({**inputs, "version": "v9.9.9"}, base)
    check(missing[0].returncode == 1 and "could not download" in missing[0].stdout, "a missing release is a clear error", missing[0].stdout)


def release_workflow() -> None:
    """The release workflow builds every target the install step asks for, named as it asks."""
    workflow = yaml.safe_load((ROOT / ".github/workflows/release.yml").read_text(encoding="utf-8"))
    # YAML reads the key `on` as true.
    trigger = workflow.get("on", workflow.get(True))
    check(trigger == {"push": {"tags": ["v*"]}}, "releases are made from `v*` tags")
    built = {m["target"] for m in workflow["jobs"]["build"]["strategy"]["matrix"]["include"]}
    asked = set(re.findall(r"target=([\w-]+)", (ROOT / "scripts/action/install.sh").read_text()))
    check(asked <= built, "every target the action installs is built", f"{sorted(asked - built)}")
    oses = {m["os"].split("-")[0] for m in workflow["jobs"]["build"]["strategy"]["matrix"]["include"]}
    check({"ubuntu", "macos", "windows"} <= oses, "binaries for Linux, macOS and Windows")
    steps = "\n".join(str(s.get("run", "")) for s in workflow["jobs"]["build"]["steps"])
    check('archive="kb-${{ matrix.target }}.tar.gz"' in steps and ".sha256" in steps, "archives and checksums are named as the action fetches them")
    check("scripts/pgo_build.sh --target ${{ matrix.target }}" in steps, "releases are built profile-guided, as the benchmarks time them")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kb", required=True, type=Path)
    parser.add_argument("--pre-commit", required=True, dest="pre_commit")
    args = parser.parse_args()
    kb = args.kb.resolve()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        print("== pre-commit hooks (.pre-commit-hooks.yaml)")
        pre_commit(kb.parent, str(Path(args.pre_commit).resolve()), work)
        print("== GitHub Action (action.yml)")
        action(kb, work)
        print("== release workflow (.github/workflows/release.yml)")
        release_workflow()
    if failures:
        print(f"{len(failures)} integration checks failed")
        return 1
    print("all integration checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
