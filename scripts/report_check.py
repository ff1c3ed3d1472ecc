#!/usr/bin/env python3
"""Open kb's HTML report in a real browser (Debian's Chromium, driven by Playwright) and check it.

Run by .ci/run after the release build:

    .venv/bin/python scripts/report_check.py --kb target/release/kb [--notes notes]
        [--out target/report-artefacts] [--chromium /usr/bin/chromium]

The report is made of a temporary copy of the notes plus one hostile note written here (markup
in its text and in its file name). Checks:
- the page asks for nothing over any network or from disk: every request but the page itself is
  blocked and recorded, and none is attempted; the console shows no error (so the page's own
  script is allowed by its Content-Security-Policy hash);
- the headline figures and each category's coverage equal `kb stats --format json`;
- each entry row links to `file://<absolute path of the note>#L<line>` with the text `path:line`,
  and the (path, line) pairs are those of the entries of `kb export --format json`;
- clicking the Features header sorts the rows by feature count, ascending then descending;
  the status filter shows the incomplete entries only, the text filter the matching ones;
- the hostile note's script did not run: no dialog opened, `window.__pwned` is unset, the title
  is kb's;
- screenshots at 1280 px, at 390 px and at 390 px in `prefers-color-scheme: dark`, each without
  horizontal overflow (`scrollWidth <= innerWidth`), saved under --out.

Needs PyPI `playwright` (scripts/requirements.txt) and Chromium at --chromium; it never
downloads a browser (no `playwright install`).
"""

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import unquote, urlparse

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent

LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Markup that the notes write as text (escaped in markdown, or in code): it reaches the entries
# as `<`, `>` and quotes, so only the report's escaping keeps it from running.
HOSTILE_NOTE = """## AWS Lambda
- 서버리스 함수 \\<script>window.__pwned = 1; document.title = "pwned"; alert(1)\\</script>
- 특징
  - `"><img src=x onerror="window.__pwned = 2; alert(2)">`
  - `</td></tr></table><script>window.__pwned = 3</script>`

<script>window.__pwned = 4; alert(4)</script>

## Amazon S3 <img src=x onerror="window.__pwned = 5">
- 객체 스토리지
"""
HOSTILE_NAME = '"><svg onload=alert(6)>.md'


class Failed(Exception):
    pass


def check(condition, message):
    if not condition:
        raise Failed(message)


def run_kb(kb, cwd, *args):
    result = subprocess.run([str(kb), *args], cwd=cwd, capture_output=True, text=True)
    check(result.returncode == 0, f"kb {' '.join(args)} exited {result.returncode}: {result.stderr}")
    return result


def page_errors(page):
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


def no_overflow(page, what):
    width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    check(width[0] <= width[1], f"{what}: the page is {width[0]} px wide in a {width[1]} px window")
    return width


def check_figures(page, stats):
    def stat(name):
        return page.locator(f'[data-stat="{name}"]').first.inner_text().strip()

    expected = {
        "covered": stats["coverage"]["covered"],
        "services": stats["coverage"]["total"],
        "entries": stats["entries"],
        "notes": stats["notes"],
        "complete": stats["complete_entries"],
        "complete-percent": stats["complete_percent"],
        "findings": stats["findings"]["total"],
        "duplicated": stats["duplicated_services"],
    }
    for name, value in expected.items():
        check(stat(name) == str(value), f"the page shows {name} {stat(name)!r}, kb stats says {value}")
    shown = page.eval_on_selector_all(
        "[data-category]",
        "els => els.map(e => [e.dataset.category, e.dataset.covered, e.dataset.total, e.innerText])",
    )
    categories = stats["coverage"]["categories"]
    check(len(shown) == len(categories), f"{len(shown)} categories shown, kb stats has {len(categories)}")
    for (name, covered, total, text), c in zip(shown, categories):
        check(
            (name, int(covered), int(total)) == (c["category"], c["covered"], c["total"]),
            f"category {name}: {covered} of {total}, kb stats says {c}",
        )
        check(text == f"{c['covered']} of {c['total']}", f"category {name} reads {text!r}")


def check_links(page, notes_dir, export):
    links = page.eval_on_selector_all(
        "#entries tbody tr td.where a", "els => els.map(a => [a.getAttribute('href'), a.innerText])"
    )
    rows = page.locator("#entries tbody tr").count()
    check(len(links) == rows > 0, f"{len(links)} links for {rows} entry rows")
    places = set()
    for href, text in links:
        url = urlparse(href)
        check(url.scheme == "file", f"link {href} is not a file:// URL")
        check(url.fragment.startswith("L"), f"link {href} has no #L<line>")
        path, _, line = text.rpartition(":")
        check(url.fragment == f"L{line}", f"link {href} reads {text}")
        target = Path(unquote(url.path))
        check(target.is_file(), f"link {href} points at no file")
        check(target == (notes_dir.parent / path).resolve(), f"link {href} reads {text}")
        places.add((path, int(line)))
    expected = {
        (note["path"], entry["source"]["line"]) for note in export["notes"] for entry in note["entries"]
    }
    check(places == expected, f"links {sorted(places ^ expected)} differ from the export's entries")


def check_sorting_and_filter(page, stats):
    heads = page.eval_on_selector_all("#entries thead th", "els => els.map(e => e.innerText.trim())")
    check("Features" in heads, f"no Features column in {heads}")
    column = heads.index("Features") + 1

    def features():
        return [int(x) for x in page.eval_on_selector_all(
            f"#entries tbody tr:not([hidden]) td:nth-child({column})", "els => els.map(e => e.innerText)")]

    before = features()
    header = page.locator("#entries thead th", has_text="Features")
    header.locator("button").click()
    ascending = features()
    check(ascending == sorted(before), "Features ascending is not sorted")
    check(ascending != before, "sorting by Features changed nothing (the sample notes should be unsorted)")
    check(header.get_attribute("aria-sort") == "ascending", "the Features header does not say ascending")
    header.locator("button").click()
    check(features() == sorted(before, reverse=True), "Features descending is not sorted")
    check(header.get_attribute("aria-sort") == "descending", "the Features header does not say descending")

    page.select_option("#status-filter", "incomplete")
    visible = page.locator("#entries tbody tr:not([hidden])").count()
    incomplete = stats["entries"] - stats["complete_entries"]
    check(visible == incomplete, f"the incomplete filter shows {visible} rows, expected {incomplete}")
    check(page.inner_text("#shown") == f"{incomplete} of {stats['entries']}", "the shown count is wrong")
    page.select_option("#status-filter", "")
    page.fill("#text-filter", "lambda")
    texts = page.eval_on_selector_all("#entries tbody tr:not([hidden])", "els => els.map(e => e.innerText)")
    check(texts and all("lambda" in t.lower() for t in texts), f"the text filter shows {texts}")
    page.fill("#text-filter", "")
    check(page.locator("#entries tbody tr:not([hidden])").count() == stats["entries"], "clearing the filter")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kb", required=True, type=Path)
    parser.add_argument("--notes", default=ROOT / "notes", type=Path)
    parser.add_argument("--out", default=ROOT / "target" / "report-artefacts", type=Path)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    kb = args.kb.resolve()
    args.out.mkdir(parents=True, exist_ok=True)

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        notes = tmp / "notes"
        shutil.copytree(args.notes, notes)
        (notes / "hostile.md").write_text(HOSTILE_NOTE, encoding="utf-8")
        (notes / HOSTILE_NAME).write_text(HOSTILE_NOTE, encoding="utf-8")
        page_path = tmp / "report.html"
        started = time.monotonic()
        run_kb(kb, tmp, "report", "notes", "-o", str(page_path))
        print(f"kb report: {time.monotonic() - started:.2f} s")
        stats = json.loads(run_kb(kb, tmp, "stats", "notes", "--format", "json").stdout)
        export = json.loads(run_kb(kb, tmp, "export", "notes", "--format", "json").stdout)
        shutil.copy(page_path, args.out / "report.html")
        page_url = page_path.as_uri()

        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=args.chromium, args=LAUNCH_ARGS)
            views = [
                ("desktop", {"viewport": {"width": 1280, "height": 900}}),
                ("390", {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}),
                ("390-dark", {"viewport": {"width": 390, "height": 844}, "is_mobile": True,
                              "has_touch": True, "color_scheme": "dark"}),
            ]
            for name, options in views:
                context = browser.new_context(**options)
                requests, dialogs = [], []

                def route(r, requests=requests):
                    if r.request.url == page_url:
                        r.continue_()
                    else:
                        requests.append(r.request.url)
                        r.abort()

                context.route("**/*", route)
                page = context.new_page()
                page.on("request", lambda r, requests=requests: None if r.url == page_url else requests.append(r.url))
                page.on("dialog", lambda d, dialogs=dialogs: (dialogs.append(d.message), d.dismiss()))
                errors = page_errors(page)
                page.goto(page_url, wait_until="load")
                page.wait_for_timeout(200)

                check(not requests, f"{name}: the page asked for {sorted(set(requests))}")
                check(not dialogs, f"{name}: a note's script opened dialogs {dialogs}")
                check(page.evaluate("window.__pwned") is None, f"{name}: a note's script ran")
                check(page.title() == "kb report: notes", f"{name}: the title is {page.title()!r}")
                check(not errors, f"{name}: console errors {errors}")
                check("&lt;script&gt;" not in page.inner_text("body"), f"{name}: text escaped twice")
                check("<script>window.__pwned = 1" in page.inner_text("#duplicates"),
                      f"{name}: the hostile note's text is not shown as text")
                check(HOSTILE_NAME + ":1" in page.inner_text("#entries"),
                      f"{name}: the hostile note's name is not shown as text")
                check_figures(page, stats)
                width = no_overflow(page, name)
                if name == "desktop":
                    check_links(page, notes, export)
                    check_sorting_and_filter(page, stats)
                if name.endswith("dark"):
                    dark = page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches")
                    check(dark, "dark mode was not applied")
                    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
                    check(background == "rgb(21, 23, 27)", f"dark mode background is {background}")
                # Open every category's missing list and the findings: long content must wrap too.
                page.eval_on_selector_all("details", "els => els.forEach(d => d.open = true)")
                no_overflow(page, f"{name} with everything open")
                page.eval_on_selector_all("details", "els => els.forEach(d => d.open = false)")
                shot = args.out / f"report-{name}.png"
                page.screenshot(path=str(shot), full_page=True)
                print(f"{name}: {width[0]} px of {width[1]}, no request, no script, screenshot {shot}")
                context.close()
            browser.close()
    print("report_check: ok")


if __name__ == "__main__":
    try:
        main()
    except Failed as failure:
        print(f"report_check failed: {failure}", file=sys.stderr)
        sys.exit(1)
