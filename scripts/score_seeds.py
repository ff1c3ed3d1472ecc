#!/usr/bin/env python3
"""Score kb against the hand-labelled seed notes.

    scripts/score_seeds.py SEEDS_DIR [--kb PATH] [--json] [--check RECORD]
                           [--write RECORD] [--verbose]

For every SEEDS_DIR/truth/*.yaml the seed file named by its `file:` key is run
through `kb export --format json FILE` and the note's entries are compared with
the labels (schema and rules: SEEDS_DIR/README.md).

Entry matching: a predicted entry matches a labelled `type: service` entry when
its `source.line` equals the label's `line` or `alt_line` (one prediction per
label). Labelled entries of another type (tools, features) and `overview_items`
are optional: an unmatched prediction on their line is neutral. Every other
unmatched prediction -- on a `not_entries` line, on an unlabelled line, or a
second prediction for an already matched label -- is a false positive.

Metrics (per seed and in total, micro-averaged over all seeds):
  entry_recall        matched service labels / service labels
  entry_precision     matched predictions / (predictions - neutral predictions)
  canonical_accuracy  matched predictions whose `canonical` equals the label's
  summary_accuracy    matched: (`summary` != null) == has_summary
  features_accuracy   matched: (len(`features`) > 0) == has_features
A field missing from a prediction is "not reported": that entry is left out of
the metric, and a metric with nothing to count is shown as n/a and not
recorded. Fields listed in a label's `borderline` are skipped.

To add a metric: write a function `(Seed) -> Score` and append it to METRICS.
Data from another kb command (e.g. `kb check --format json`) can be collected
in `load_seed` with `run_kb_json` and kept on the Seed.

Ratchet:
  --write RECORD  record the total figures (ratios rounded to 4 decimals, counts)
  --check RECORD  exit 1 if any recorded ratio dropped (or is no longer computed)

Exit status: 0 ok, 1 a recorded figure dropped (--check), 2 usage error or the
seeds could not be scored (missing SEEDS_DIR or labels, kb not runnable, kb
output not JSON).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import tempfile
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

try:
    import yaml
except ImportError:  # pragma: no cover - environment problem
    sys.stderr.write("score_seeds: PyYAML is required (pip install pyyaml)\n")
    sys.exit(2)

REPO_ROOT = Path(__file__).resolve().parent.parent
ROUND = 4
EPS = 1e-9
KB_TIMEOUT_SECONDS = 300


class ScoreError(Exception):
    """An expected failure: reported as a one-line message, exit status 2."""


# --------------------------------------------------------------------------
# Labels


@dataclass
class Label:
    """One labelled entry (`entries:` in a truth file)."""

    line: int
    alt_line: int | None
    text: str
    canonical: str | None
    type: str
    has_summary: bool | None
    has_features: bool | None
    borderline: set[str]

    @property
    def lines(self) -> list[int]:
        return [self.line] + ([self.alt_line] if self.alt_line is not None else [])

    def describe(self) -> str:
        return f"line {self.line}: {self.text!r}"


@dataclass
class Prediction:
    """One entry of kb's JSON output."""

    index: int
    line: int | None
    data: dict[str, Any]

    @property
    def name(self) -> str:
        for key in ("name", "canonical", "id"):
            value = self.data.get(key)
            if isinstance(value, str) and value:
                return value
        return "?"

    def describe(self) -> str:
        where = f"line {self.line}" if self.line is not None else "line ?"
        return f"{where}: {self.name!r}"


@dataclass
class Seed:
    name: str  # seed file name, e.g. 000_6cc4a5871336206e.txt
    truth_path: Path
    path: Path
    labels: list[Label]  # type: service -- scored
    optional: dict[int, str]  # line -> what is optional there
    not_entries: dict[int, str]  # line -> text and reason
    predictions: list[Prediction]
    kb_version: str | None = None
    # `kb check --format json` findings, and the labelled within-note duplicates (lines).
    diagnostics: list[dict[str, Any]] = field(default_factory=list)
    duplicates: list[list[int]] = field(default_factory=list)
    # Labelled name problems: line -> kinds (required) and lines where flagging is optional.
    name_required: dict[int, list[str]] = field(default_factory=dict)
    name_labelled: set[int] = field(default_factory=set)
    name_optional: set[int] = field(default_factory=set)
    # Required name problems with what was written and what it should read.
    name_fixes: list[tuple[int, str, str]] = field(default_factory=list)
    # The seed's lines before and after `kb fix --unsafe-fixes` on a copy.
    original_lines: list[str] = field(default_factory=list)
    fixed_lines: list[str] = field(default_factory=list)
    # filled by match_entries()
    matches: list[tuple[Label, Prediction]] = field(default_factory=list)
    misses: list[Label] = field(default_factory=list)
    false_positives: list[tuple[Prediction, str]] = field(default_factory=list)
    neutral: list[tuple[Prediction, str]] = field(default_factory=list)


def _int_or_none(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _require_line(item: Any, where: str) -> int:
    line = _int_or_none(item.get("line")) if isinstance(item, dict) else None
    if line is None:
        raise ScoreError(f"{where}: no integer 'line'")
    return line


def _list(truth: dict[str, Any], key: str, where: str) -> list[Any]:
    value = truth.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise ScoreError(f"{where}: '{key}' is not a list")
    return value


def read_truth(truth_path: Path) -> dict[str, Any]:
    try:
        with truth_path.open(encoding="utf-8") as fh:
            truth = yaml.safe_load(fh)
    except (OSError, yaml.YAMLError) as err:
        raise ScoreError(f"cannot read labels {truth_path}: {err}") from None
    if not isinstance(truth, dict):
        raise ScoreError(f"{truth_path}: not a YAML mapping")
    if not isinstance(truth.get("file"), str) or not truth["file"]:
        raise ScoreError(f"{truth_path}: no 'file:' key naming the seed file")
    return truth


def parse_labels(truth: dict[str, Any], where: str) -> tuple[list[Label], dict[int, str], dict[int, str]]:
    labels: list[Label] = []
    optional: dict[int, str] = {}
    for i, item in enumerate(_list(truth, "entries", where)):
        item_where = f"{where}: entries[{i}]"
        line = _require_line(item, item_where)
        borderline = item.get("borderline") or []
        if not isinstance(borderline, list):
            raise ScoreError(f"{item_where}: 'borderline' is not a list")
        label = Label(
            line=line,
            alt_line=_int_or_none(item.get("alt_line")),
            text=str(item.get("text", "")),
            canonical=item.get("canonical"),
            type=str(item.get("type", "service")),
            has_summary=item.get("has_summary"),
            has_features=item.get("has_features"),
            borderline={str(b) for b in borderline},
        )
        if label.type == "service":
            labels.append(label)
        else:
            for ln in label.lines:
                optional[ln] = f"optional {label.type} entry {label.text!r}"
    for i, item in enumerate(_list(truth, "overview_items", where)):
        line = _require_line(item, f"{where}: overview_items[{i}]")
        optional[line] = f"optional overview item {str(item.get('name', '')).strip()!r}"
    not_entries: dict[int, str] = {}
    for i, item in enumerate(_list(truth, "not_entries", where)):
        line = _require_line(item, f"{where}: not_entries[{i}]")
        reason = item.get("reason")
        not_entries[line] = f"not an entry: {item.get('text', '')!r}" + (f" ({reason})" if reason else "")
    return labels, optional, not_entries


# --------------------------------------------------------------------------
# Running kb


def default_kb() -> Path:
    release = REPO_ROOT / "target" / "release" / "kb"
    return release if release.exists() else REPO_ROOT / "target" / "debug" / "kb"


def resolve_kb(kb: str | None) -> str:
    if kb is None:
        path = default_kb()
        if not path.exists():
            raise ScoreError(
                f"kb binary not found at {path.relative_to(REPO_ROOT)} "
                "(nor target/release/kb); build it with `cargo build` or pass --kb PATH"
            )
        return str(path)
    if os.sep in kb or (os.altsep and os.altsep in kb) or Path(kb).exists():
        if not Path(kb).exists():
            raise ScoreError(f"kb binary not found: {kb}")
        return kb
    found = shutil.which(kb)
    if found is None:
        raise ScoreError(f"kb binary not found on PATH: {kb}")
    return found


def run_kb_json(kb: str, args: list[str]) -> Any:
    """Run kb with `args` and parse its stdout as JSON. kb's exit status is
    not checked (a check may exit non-zero); only unparsable output fails."""
    cmd = [kb, *args]
    shown = " ".join(cmd)
    try:
        proc = subprocess.run(
            cmd, capture_output=True, check=False, timeout=KB_TIMEOUT_SECONDS
        )
    except OSError as err:
        raise ScoreError(f"cannot run kb ({shown}): {err}") from None
    except subprocess.TimeoutExpired:
        raise ScoreError(f"kb did not finish within {KB_TIMEOUT_SECONDS}s: {shown}") from None
    stdout = proc.stdout.decode("utf-8", errors="replace")
    try:
        return json.loads(stdout)
    except json.JSONDecodeError as err:
        stderr = proc.stderr.decode("utf-8", errors="replace").strip()
        detail = f"exit status {proc.returncode}; {err}"
        if not stdout.strip():
            detail = f"exit status {proc.returncode}; empty stdout"
        msg = f"kb output is not JSON ({detail}): {shown}"
        if stderr:
            tail = "\n".join(stderr.splitlines()[-10:])
            msg += "\nkb stderr:\n" + tail
        raise ScoreError(msg) from None


def pick_note(data: Any, seed_path: Path, shown: str) -> tuple[dict[str, Any] | None, str | None]:
    if not isinstance(data, dict) or not isinstance(data.get("notes"), list):
        raise ScoreError(f"kb export output has no 'notes' list: {shown}")
    version = data.get("kb_version") if isinstance(data.get("kb_version"), str) else None
    notes = [n for n in data["notes"] if isinstance(n, dict)]
    if not notes:
        warn(f"kb exported no note for {seed_path}; counting no entries")
        return None, version
    if len(notes) == 1:
        return notes[0], version
    same = [n for n in notes if Path(str(n.get("path", ""))).name == seed_path.name]
    if not same:
        raise ScoreError(f"kb exported {len(notes)} notes, none with path {seed_path.name}: {shown}")
    if len(same) > 1:
        warn(f"kb exported {len(same)} notes for {seed_path.name}; using the first")
    return same[0], version


def read_predictions(note: dict[str, Any] | None) -> list[Prediction]:
    if note is None:
        return []
    entries = note.get("entries") or []
    if not isinstance(entries, list):
        raise ScoreError(f"note {note.get('path')!r}: 'entries' is not a list")
    preds = []
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict):
            entry = {}
        source = entry.get("source") if isinstance(entry.get("source"), dict) else {}
        preds.append(Prediction(index=i, line=_int_or_none(source.get("line")), data=entry))
    return preds


def load_seed(seeds_dir: Path, truth_path: Path, kb: str) -> Seed:
    truth = read_truth(truth_path)
    where = f"truth/{truth_path.name}"
    labels, optional, not_entries = parse_labels(truth, where)
    seed_path = seeds_dir / truth["file"]
    if not seed_path.is_file():
        raise ScoreError(f"{where}: seed file not found: {seed_path}")
    args = ["export", "--format", "json", str(seed_path)]
    data = run_kb_json(kb, args)
    note, version = pick_note(data, seed_path, " ".join([kb, *args]))
    seed = Seed(
        name=seed_path.name,
        truth_path=truth_path,
        path=seed_path,
        labels=labels,
        optional=optional,
        not_entries=not_entries,
        predictions=read_predictions(note),
        kb_version=version,
    )
    check_args = ["check", "--format", "json", "--select", "KB101,KB301,KB201,KB202,KB203,KB204", str(seed_path)]
    checked = run_kb_json(kb, check_args)
    if not isinstance(checked, dict) or not isinstance(checked.get("diagnostics"), list):
        raise ScoreError(f"{' '.join([kb, *check_args])}: no `diagnostics` list in the output")
    seed.diagnostics = checked["diagnostics"]
    for i, group in enumerate(_list(truth, "duplicates_within", where)):
        lines = group.get("lines") if isinstance(group, dict) else None
        if not isinstance(lines, list) or not all(isinstance(x, int) for x in lines):
            raise ScoreError(f"{where}: duplicates_within[{i}] has no list of lines")
        seed.duplicates.append(sorted(lines))
    for i, issue in enumerate(_list(truth, "name_issues", where)):
        line = _require_line(issue, f"{where}: name_issues[{i}]")
        if issue.get("optional"):
            seed.name_optional.add(line)
            continue
        seed.name_labelled.add(line)
        if issue.get("kind") in ("typo", "non_canonical"):
            seed.name_required.setdefault(line, []).append(str(issue.get("found", "")))
            seed.name_fixes.append((line, str(issue.get("found", "")), str(issue.get("expected", ""))))
    seed.original_lines = seed_path.read_text(encoding="utf-8").split("\n")
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / seed_path.name
        shutil.copyfile(seed_path, copy)
        run = subprocess.run([kb, "fix", "--unsafe-fixes", "--allow-dirty", str(copy)], capture_output=True)
        if run.returncode not in (0, 1):
            raise ScoreError(f"kb fix on a copy of {seed_path.name} exited {run.returncode}: {run.stderr.decode(errors='replace')[-300:]}")
        seed.fixed_lines = copy.read_text(encoding="utf-8").split("\n")
    match_entries(seed)
    return seed


# --------------------------------------------------------------------------
# Matching


def match_entries(seed: Seed) -> None:
    """One-to-one matching of predictions to service labels by line.

    Labels take predictions on their own `line` first (in document order),
    then augmenting paths add matches through `alt_line`, so the number of
    matches is maximal."""
    by_line: dict[int, list[Prediction]] = {}
    for pred in seed.predictions:
        if pred.line is not None:
            by_line.setdefault(pred.line, []).append(pred)
    candidates = [[p for ln in label.lines for p in by_line.get(ln, [])] for label in seed.labels]
    owner: dict[int, int] = {}  # prediction index -> label index
    assigned: dict[int, int] = {}  # label index -> prediction index

    for li, label in enumerate(seed.labels):  # pass 1: primary lines
        for pred in by_line.get(label.line, []):
            if pred.index not in owner:
                owner[pred.index], assigned[li] = li, pred.index
                break

    def augment(li: int, seen: set[int]) -> bool:
        for pred in candidates[li]:
            if pred.index in seen:
                continue
            seen.add(pred.index)
            if pred.index not in owner or augment(owner[pred.index], seen):
                owner[pred.index], assigned[li] = li, pred.index
                return True
        return False

    for li in range(len(seed.labels)):  # pass 2: alt lines, reassignments
        if li not in assigned:
            augment(li, set())

    preds = {p.index: p for p in seed.predictions}
    seed.matches = [(label, preds[assigned[li]]) for li, label in enumerate(seed.labels) if li in assigned]
    seed.misses = [label for li, label in enumerate(seed.labels) if li not in assigned]
    label_lines = {ln: label for label in seed.labels for ln in label.lines}
    for pred in seed.predictions:
        if pred.index in owner:
            continue
        if pred.line in seed.optional:
            seed.neutral.append((pred, seed.optional[pred.line]))
        elif pred.line in label_lines:
            seed.false_positives.append(
                (pred, f"second prediction for the entry {label_lines[pred.line].describe()}")
            )
        elif pred.line in seed.not_entries:
            seed.false_positives.append((pred, seed.not_entries[pred.line]))
        elif pred.line is None:
            seed.false_positives.append((pred, "no source.line"))
        else:
            seed.false_positives.append((pred, "unlabelled line"))


# --------------------------------------------------------------------------
# Metrics


@dataclass
class Score:
    num: int = 0
    den: int = 0
    details: list[str] = field(default_factory=list)  # what went wrong, for --verbose

    @property
    def ratio(self) -> float | None:
        return self.num / self.den if self.den else None

    def rounded(self) -> float | None:
        return None if self.ratio is None else round(self.ratio, ROUND)


@dataclass
class Metric:
    key: str  # name in --json output and in the record
    group: str  # table row it is printed in
    label: str  # column label within the row
    compute: Callable[[Seed], Score]


def entry_recall(seed: Seed) -> Score:
    return Score(
        num=len(seed.matches),
        den=len(seed.labels),
        details=[f"miss            {label.describe()}  [{label.canonical}]" for label in seed.misses],
    )


def entry_precision(seed: Seed) -> Score:
    return Score(
        num=len(seed.matches),
        den=len(seed.predictions) - len(seed.neutral),
        details=[f"false positive  {pred.describe()}  ({why})" for pred, why in seed.false_positives],
    )


def canonical_accuracy(seed: Seed) -> Score:
    score = Score()
    for label, pred in seed.matches:
        if "canonical" not in pred.data:  # not reported
            continue
        score.den += 1
        if pred.data["canonical"] == label.canonical:
            score.num += 1
        else:
            score.details.append(
                f"wrong canonical {pred.describe()}: got {pred.data['canonical']!r}, expected {label.canonical!r}"
            )
    return score


def _field_accuracy(seed: Seed, field_name: str, label_attr: str, predicted: Callable[[Any], bool]) -> Score:
    score = Score()
    for label, pred in seed.matches:
        expected = getattr(label, label_attr)
        if field_name not in pred.data or label_attr in label.borderline or not isinstance(expected, bool):
            continue
        score.den += 1
        got = predicted(pred.data[field_name])
        if got == expected:
            score.num += 1
        else:
            score.details.append(
                f"wrong {field_name:<9} {pred.describe()}: predicted {'present' if got else 'absent'}, "
                f"labelled {label_attr}: {str(expected).lower()}"
            )
    return score


def summary_accuracy(seed: Seed) -> Score:
    return _field_accuracy(seed, "summary", "has_summary", lambda v: v is not None)


def features_accuracy(seed: Seed) -> Score:
    return _field_accuracy(seed, "features", "has_features", lambda v: bool(v))


def _finding_lines(seed: Seed, code: str) -> list[int]:
    return [d.get("line") for d in seed.diagnostics if d.get("code") == code]


def kb301_recall(seed: Seed) -> Score:
    """Every labelled within-note duplicate after the first is reported as KB301 at its line."""
    found = _finding_lines(seed, "KB301")
    score = Score()
    for lines in seed.duplicates:
        for line in lines[1:]:
            score.den += 1
            if line in found:
                score.num += 1
            else:
                score.details.append(f"missed KB301     line {line} (duplicate of line {lines[0]})")
    return score


def kb301_precision(seed: Seed) -> Score:
    expected = {line for lines in seed.duplicates for line in lines[1:]}
    score = Score()
    for line in _finding_lines(seed, "KB301"):
        score.den += 1
        if line in expected:
            score.num += 1
        else:
            score.details.append(f"false KB301      line {line}")
    return score


def _kb101_expectation(label: Label) -> bool | None:
    """True: a field is labelled missing; False: labelled complete; None: a judgement call."""
    fields = [("has_summary", label.has_summary), ("has_features", label.has_features)]
    if any(value is False and name not in label.borderline for name, value in fields):
        return True
    if all(value is True and name not in label.borderline for name, value in fields):
        return False
    return None


def kb101_recall(seed: Seed) -> Score:
    """Every entry labelled without a summary or features gets a KB101 at its line."""
    found = set(_finding_lines(seed, "KB101"))
    score = Score()
    for label in seed.labels:
        if _kb101_expectation(label) is True:
            score.den += 1
            if found & set(label.lines):
                score.num += 1
            else:
                score.details.append(f"missed KB101     {label.describe()}")
    return score


def kb101_precision(seed: Seed) -> Score:
    """KB101 findings on entries labelled incomplete, out of all KB101 findings that are not on
    a judgement call or an optional line."""
    by_line: dict[int, Label] = {ln: label for label in seed.labels for ln in label.lines}
    score = Score()
    for line in sorted(set(_finding_lines(seed, "KB101"))):
        label = by_line.get(line)
        if label is None:
            if line in seed.optional:
                continue
            score.den += 1
            score.details.append(f"false KB101      line {line} (not a labelled entry)")
            continue
        expectation = _kb101_expectation(label)
        if expectation is None:
            continue
        score.den += 1
        if expectation:
            score.num += 1
        else:
            score.details.append(f"false KB101      {label.describe()} (labelled complete)")
    return score


NAME_CODES = ("KB201", "KB202", "KB203", "KB204")


def names_recall(seed: Seed) -> Score:
    """Every labelled typo or non-canonical name is reported (KB201-KB203) at its line."""
    found = {d.get("line") for d in seed.diagnostics if d.get("code") in NAME_CODES[:3]}
    score = Score()
    for line, names in sorted(seed.name_required.items()):
        score.den += 1
        if line in found:
            score.num += 1
        else:
            score.details.append(f"missed name      line {line}: {', '.join(names)}")
    return score


def names_precision(seed: Seed) -> Score:
    """Lines with a name finding (KB201-KB204) that have a labelled name problem; lines whose
    label is optional neither count for nor against."""
    score = Score()
    lines = sorted({d.get("line") for d in seed.diagnostics if d.get("code") in NAME_CODES})
    for line in lines:
        if line in seed.name_optional and line not in seed.name_labelled:
            continue
        score.den += 1
        if line in seed.name_labelled:
            score.num += 1
        else:
            said = [d.get("message", "") for d in seed.diagnostics if d.get("line") == line]
            score.details.append(f"false name       line {line}: {'; '.join(said)}")
    return score


def fix_rewrites(seed: Seed) -> Score:
    """After `kb fix --unsafe-fixes` on a copy, every labelled typo or non-canonical name reads
    as expected on its line."""
    score = Score()
    for line, found, expected in seed.name_fixes:
        score.den += 1
        before = seed.original_lines[line - 1] if line <= len(seed.original_lines) else ""
        after = seed.fixed_lines[line - 1] if line <= len(seed.fixed_lines) else ""
        fixed = expected in after and after.count(found) < before.count(found)
        if found in expected:
            fixed = after.count(expected) > before.count(expected)
        if fixed:
            score.num += 1
        else:
            score.details.append(f"not fixed        line {line}: {found!r} should read {expected!r}")
    return score


METRICS: list[Metric] = [
    Metric("entry_recall", "entries", "recall", entry_recall),
    Metric("entry_precision", "entries", "precision", entry_precision),
    Metric("canonical_accuracy", "entries", "canonical", canonical_accuracy),
    Metric("summary_accuracy", "fields", "summary", summary_accuracy),
    Metric("features_accuracy", "fields", "features", features_accuracy),
    Metric("kb301_recall", "check", "KB301 recall", kb301_recall),
    Metric("kb301_precision", "check", "KB301 precision", kb301_precision),
    Metric("kb101_recall", "check", "KB101 recall", kb101_recall),
    Metric("kb101_precision", "check", "KB101 precision", kb101_precision),
    Metric("names_recall", "names", "recall", names_recall),
    Metric("names_precision", "names", "precision", names_precision),
    Metric("fix_rewrites", "names", "fixed by kb fix", fix_rewrites),
]


def score_seeds(seeds: list[Seed]) -> tuple[dict[str, dict[str, Score]], dict[str, Score]]:
    per_seed = {seed.name: {m.key: m.compute(seed) for m in METRICS} for seed in seeds}
    total = {
        m.key: Score(
            num=sum(s[m.key].num for s in per_seed.values()),
            den=sum(s[m.key].den for s in per_seed.values()),
        )
        for m in METRICS
    }
    return per_seed, total


# --------------------------------------------------------------------------
# Output


def warn(msg: str) -> None:
    sys.stderr.write(f"score_seeds: warning: {msg}\n")


def fmt_score(score: Score) -> str:
    if score.ratio is None:
        return "n/a"
    return f"{score.ratio:.{ROUND}f} ({score.num}/{score.den})"


def print_table(per_seed: dict[str, dict[str, Score]], total: dict[str, Score], verbose: bool) -> None:
    groups: dict[str, list[Metric]] = {}
    for m in METRICS:
        groups.setdefault(m.group, []).append(m)
    width = max(len(g) for g in groups) + 1

    def block(title: str, scores: dict[str, Score], details: bool) -> None:
        print(title)
        for group, metrics in groups.items():
            cells = "  ".join(f"{m.label} {fmt_score(scores[m.key])}" for m in metrics)
            print(f"  {group + ':':<{width}} {cells}")
        if details:
            for m in METRICS:
                for line in scores[m.key].details:
                    print(f"    {line}")

    for name, scores in per_seed.items():
        block(name, scores, verbose)
    n = len(per_seed)
    block(f"TOTAL ({n} seed{'' if n == 1 else 's'})", total, False)


def score_json(score: Score, details: bool) -> dict[str, Any]:
    out: dict[str, Any] = {"ratio": score.rounded(), "num": score.num, "den": score.den}
    if details:
        out["details"] = score.details
    return out


def record_of(seeds: list[Seed], total: dict[str, Score]) -> dict[str, Any]:
    computed = {k: s for k, s in total.items() if s.ratio is not None}
    return {
        "ratios": {k: s.rounded() for k, s in computed.items()},
        "counts": {k: f"{s.num}/{s.den}" for k, s in computed.items()},
        "seeds": sorted(seed.name for seed in seeds),
    }


def read_record(path: Path) -> dict[str, Any]:
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as err:
        raise ScoreError(f"cannot read record {path}: {err}") from None
    ratios = record.get("ratios") if isinstance(record, dict) else None
    if not isinstance(ratios, dict):
        raise ScoreError(f"{path}: not a seed-score record (no 'ratios' object)")
    for key, value in ratios.items():
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            raise ScoreError(f"{path}: ratio {key!r} is not a number")
    return record


def check_record(path: Path, record: dict[str, Any], seeds: list[Seed], total: dict[str, Score], out) -> bool:
    ratios = record["ratios"]
    recorded_seeds = record.get("seeds")
    current_seeds = sorted(seed.name for seed in seeds)
    if isinstance(recorded_seeds, list) and sorted(recorded_seeds) != current_seeds:
        print(
            f"note: the seed set differs from the record ({len(recorded_seeds)} recorded, "
            f"{len(current_seeds)} now); re-record with --write once the change is deliberate",
            file=out,
        )
    ok = True
    for key in sorted(ratios):
        recorded = ratios[key]
        score = total.get(key)
        current = score.rounded() if score is not None else None
        if current is None:
            why = "unknown metric" if score is None else "not reported by kb"
            print(f"FAIL {key}: recorded {recorded:.{ROUND}f}, not computed now ({why})", file=out)
            ok = False
        elif current < recorded - EPS:
            print(
                f"FAIL {key} dropped: {recorded:.{ROUND}f} -> {current:.{ROUND}f} ({score.num}/{score.den})",
                file=out,
            )
            ok = False
        elif current > recorded + EPS:
            print(
                f"up   {key}: {recorded:.{ROUND}f} -> {current:.{ROUND}f} ({score.num}/{score.den}); "
                f"raise the record with --write {path}",
                file=out,
            )
        else:
            print(f"ok   {key}: {current:.{ROUND}f}", file=out)
    for key, score in total.items():
        if key not in ratios and score.ratio is not None:
            print(
                f"new  {key}: {score.rounded():.{ROUND}f} ({score.num}/{score.den}) is not in the record; "
                f"add it with --write {path}",
                file=out,
            )
    print(f"seed scores {'OK' if ok else 'DROPPED'} against {path}", file=out)
    return ok


# --------------------------------------------------------------------------
# Main


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="score_seeds.py",
        description="Score kb's entry detection against the labelled seed notes.",
    )
    parser.add_argument("seeds_dir", metavar="SEEDS_DIR", help="directory with the seed files and truth/*.yaml")
    parser.add_argument("--kb", metavar="PATH", help="kb binary (default: target/release/kb, else target/debug/kb)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON instead of a table")
    ratchet = parser.add_mutually_exclusive_group()
    ratchet.add_argument("--check", metavar="RECORD", help="fail (exit 1) if a figure dropped below RECORD")
    ratchet.add_argument("--write", metavar="RECORD", help="write the total figures to RECORD")
    parser.add_argument("--verbose", "-v", action="store_true", help="list misses, false positives, wrong fields")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        seeds_dir = Path(args.seeds_dir)
        if not seeds_dir.is_dir():
            raise ScoreError(f"seeds directory not found: {seeds_dir}")
        truth_files = sorted((seeds_dir / "truth").glob("*.yaml"))
        if not truth_files:
            raise ScoreError(f"no label files in {seeds_dir / 'truth'}")
        record = read_record(Path(args.check)) if args.check else None
        kb = resolve_kb(args.kb)
        seeds = [load_seed(seeds_dir, t, kb) for t in truth_files]
        per_seed, total = score_seeds(seeds)

        if args.json:
            versions = sorted({s.kb_version for s in seeds if s.kb_version})
            out = {
                "kb": kb,
                "kb_version": versions[0] if len(versions) == 1 else (versions or None),
                "total": {k: score_json(s, False) for k, s in total.items()},
                "seeds": {
                    name: {k: score_json(s, args.verbose) for k, s in scores.items()}
                    for name, scores in per_seed.items()
                },
            }
            print(json.dumps(out, indent=2, sort_keys=True, ensure_ascii=False))
        else:
            print_table(per_seed, total, args.verbose)

        msg_out = sys.stderr if args.json else sys.stdout
        if args.write:
            record = record_of(seeds, total)
            path = Path(args.write)
            try:
                path.write_text(json.dumps(record, indent=2, sort_keys=True) + "\n", encoding="utf-8")
            except OSError as err:
                raise ScoreError(f"cannot write record {path}: {err}") from None
            skipped = [k for k, s in total.items() if s.ratio is None]
            print(f"wrote {path}" + (f" (not recorded, nothing to count: {', '.join(skipped)})" if skipped else ""),
                  file=msg_out)
        if args.check:
            if msg_out is not sys.stderr:
                print(file=msg_out)
            if not check_record(Path(args.check), record, seeds, total, msg_out):
                return 1
        return 0
    except ScoreError as err:
        sys.stderr.write(f"score_seeds: error: {err}\n")
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
