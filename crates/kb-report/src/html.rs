//! The report as one self-contained HTML page: inline CSS, a small inline script for sorting and
//! filtering, bars drawn as inline SVG; no network, no external file. Every piece of note text is
//! escaped, and a Content-Security-Policy allows only this page's own style and script (by
//! hash), so markup that escaped escaping could still not run.

use base64::Engine;
use sha2::{Digest, Sha256};

use crate::{Duplicate, EntryRow, FindingRow, NameStatus, Report};

/// `text` made safe for HTML text and for attribute values in double or single quotes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters other than tab and newline are not allowed in HTML text.
            c if c.is_control() && c != '\t' && c != '\n' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// A `file://` URL for an absolute path (`/home/me/notes/a b.md` → `file:///home/me/notes/a%20b.md`;
/// `C:\notes\a.md` → `file:///C:/notes/a.md`). Every byte but unreserved characters and `/` is
/// percent-encoded, so the URL carries no quote, `#`, `?` or markup.
pub fn file_url(absolute_path: &str) -> String {
    let path = absolute_path.replace('\\', "/");
    let mut out = String::from("file://");
    if !path.starts_with('/') {
        out.push('/');
    }
    for byte in path.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(char::from(byte));
            }
            // A drive letter's colon (`C:`) stays readable.
            b':' if out.len() == "file:///C".len() => out.push(':'),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

const STYLE: &str = r#"
:root{color-scheme:light dark;--bg:#fff;--fg:#1d1f23;--muted:#5b626c;--line:#d9dde3;--card:#f5f7fa;--accent:#2f62c8;--track:#e3e7ed;--ok:#1d7036;--bad:#b42318;--warn:#8f5400}
@media (prefers-color-scheme:dark){:root{--bg:#15171b;--fg:#e6e8eb;--muted:#a3aab4;--line:#363a42;--card:#1f2228;--accent:#7aa7ff;--track:#2d3138;--ok:#63c783;--bad:#ff8a80;--warn:#e8b54d}}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0 auto;max-width:76rem;padding:1rem 1.25rem 3rem;background:var(--bg);color:var(--fg);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Apple SD Gothic Neo","Noto Sans KR","Noto Sans CJK KR","Malgun Gothic",sans-serif;overflow-wrap:anywhere;word-break:keep-all}
h1{font-size:1.5rem;margin:.25rem 0}
h2{font-size:1.2rem;margin:2rem 0 .5rem;padding-top:1rem;border-top:1px solid var(--line)}
h3{font-size:1rem;margin:0}
a{color:var(--accent)}
.muted,figcaption{color:var(--muted)}
nav{display:flex;flex-wrap:wrap;gap:.25rem 1rem;margin:.5rem 0 1rem}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,10.5rem),1fr));gap:.75rem}
.card{background:var(--card);border:1px solid var(--line);border-radius:.5rem;padding:.7rem .8rem}
.big{display:block;font-size:1.6rem;font-weight:650;line-height:1.25}
figure{margin:1rem 0}
figcaption{margin-bottom:.4rem}
.bars{display:grid;grid-template-columns:minmax(6rem,26rem) minmax(3rem,1fr) auto;gap:.3rem .7rem;align-items:center}
.coverage{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,20rem),1fr));gap:.6rem 1.5rem}
.category{min-width:0}
.category .head{display:flex;justify-content:space-between;gap:.5rem}
.category .bar{margin:.2rem 0}
.category details,.category .all{font-size:.88rem}
.category details p{margin:.25rem 0 .25rem 1rem}
.bar{display:block;width:100%;height:.75rem}
.bar .track{fill:var(--track)}
.bar .fill{fill:var(--accent)}
.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.scroll{overflow-x:auto;max-width:100%;border:1px solid var(--line);border-radius:.5rem}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{padding:.35rem .55rem;text-align:left;vertical-align:top;border-bottom:1px solid var(--line);overflow-wrap:normal}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
td.where{min-width:11rem}
td.status{min-width:9rem}
.canonical{display:block;font-size:.82rem;color:var(--muted)}
.instead{display:block;font-size:.82rem}
td.msg{min-width:16rem}
th{background:var(--card);white-space:nowrap}
th button{font:inherit;font-weight:600;color:inherit;background:none;border:0;padding:0;cursor:pointer}
th button:focus-visible{outline:2px solid var(--accent);outline-offset:2px}
th[aria-sort=ascending] button::after{content:" \25B2"}
th[aria-sort=descending] button::after{content:" \25BC"}
tr[hidden]{display:none}
.badge{display:inline-block;padding:0 .45rem;border-radius:.7rem;font-size:.8rem;border:1px solid currentColor;margin:0 .2rem .15rem 0;white-space:nowrap}
.ok{color:var(--ok)}
.bad{color:var(--bad)}
.warn{color:var(--warn)}
.controls{display:flex;flex-wrap:wrap;gap:.5rem .75rem;align-items:center;margin:.5rem 0}
.controls input,.controls select{font:inherit;color:inherit;background:var(--card);border:1px solid var(--line);border-radius:.3rem;padding:.25rem .4rem;max-width:100%}
details.dup{border-bottom:1px solid var(--line);padding:.45rem 0}
details.dup summary{cursor:pointer}
.side{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,16rem),1fr));gap:.75rem;margin:.6rem 0 .4rem}
.place{background:var(--card);border:1px solid var(--line);border-radius:.5rem;padding:.6rem .75rem;min-width:0}
.place p{margin:.25rem 0}
.place ul{padding-left:1.2rem;margin:.3rem 0}
summary{cursor:pointer}
@media (max-width:40rem){body{padding:.6rem .7rem 2rem;font-size:14px}.bars{grid-template-columns:minmax(0,1fr) 4.5rem auto}}
"#;

const SCRIPT: &str = r#"
(function () {
  'use strict';
  var collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
  function value(row, i) {
    var cell = row.cells[i];
    if (!cell) return '';
    var v = cell.getAttribute('data-v');
    return v === null ? cell.textContent.trim() : v;
  }
  Array.prototype.forEach.call(document.querySelectorAll('table.sortable'), function (table) {
    var heads = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(heads, function (th, i) {
      var button = th.querySelector('button');
      if (!button) return;
      button.addEventListener('click', function () {
        var ascending = th.getAttribute('aria-sort') !== 'ascending';
        Array.prototype.forEach.call(heads, function (h) { h.setAttribute('aria-sort', 'none'); });
        th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
        var numeric = th.getAttribute('data-type') === 'number';
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (a, b) {
          var x = value(a, i), y = value(b, i);
          var c = numeric ? Number(x) - Number(y) : collator.compare(x, y);
          return ascending ? c : -c;
        });
        var fragment = document.createDocumentFragment();
        rows.forEach(function (row) { fragment.appendChild(row); });
        body.appendChild(fragment);
      });
    });
  });
  var table = document.getElementById('entries');
  var status = document.getElementById('status-filter');
  var text = document.getElementById('text-filter');
  var shown = document.getElementById('shown');
  if (!table || !status || !text || !shown) return;
  function filter() {
    var want = status.value, query = text.value.trim().toLowerCase(), n = 0;
    var rows = table.tBodies[0].rows;
    Array.prototype.forEach.call(rows, function (row) {
      var flags = ' ' + row.getAttribute('data-flags') + ' ';
      var ok = (!want || flags.indexOf(' ' + want + ' ') >= 0) &&
        (!query || row.textContent.toLowerCase().indexOf(query) >= 0);
      row.hidden = !ok;
      if (ok) n += 1;
    });
    shown.textContent = n + ' of ' + rows.length;
  }
  status.addEventListener('change', filter);
  text.addEventListener('input', filter);
})();
"#;

/// `'sha256-…'` of an inline style or script, as a Content-Security-Policy source.
pub(crate) fn csp_hash(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// The report as a page. `title` names what was read (the paths given to kb).
pub fn render_html(report: &Report, title: &str) -> String {
    let mut bytes = Vec::with_capacity(64 * 1024 + report.entries.len() * 400);
    // Writing into memory does not fail, and every piece of the page is text.
    let _ = write_html(&mut bytes, report, title);
    String::from_utf8(bytes).unwrap_or_default()
}

/// As [`render_html`], written to `writer` as it is drawn: the page of a large vault (hundreds
/// of megabytes of rows) is never held whole in memory.
pub fn write_html(writer: &mut dyn std::io::Write, report: &Report, title: &str) -> std::io::Result<()> {
    let stats = &report.stats;
    let mut page = Page {
        text: String::with_capacity(2 * Page::FLUSH),
        writer,
        error: None,
    };
    let out = &mut page;
    out.push_str("<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str(&format!(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src {}; script-src {}; img-src data:; base-uri 'none'; form-action 'none'\">\n",
        csp_hash(STYLE),
        csp_hash(SCRIPT)
    ));
    out.push_str("<meta name=\"referrer\" content=\"no-referrer\">\n<meta name=\"color-scheme\" content=\"light dark\">\n");
    out.push_str(&format!("<title>kb report: {}</title>\n", escape(title)));
    out.push_str(&format!("<style>{STYLE}</style>\n</head>\n<body>\n"));

    out.push_str("<header>\n<h1>Knowledge base report</h1>\n");
    out.push_str(&format!(
        "<p class=\"muted\">{} · {} · {} · kb {}</p>\n</header>\n",
        escape(title),
        count(stats.notes, "note", "notes"),
        count(stats.entries, "entry", "entries"),
        escape(kb_model::KB_VERSION)
    ));
    out.push_str(
        "<nav><a href=\"#coverage\">Coverage</a><a href=\"#entries-section\">Entries</a><a href=\"#duplicates\">Duplicates</a><a href=\"#findings\">Findings</a></nav>\n",
    );
    cards(out, report);
    coverage(out, report);
    entries(out, &report.entries, report.stats.entries);
    duplicates(out, &report.duplicates);
    findings(out, report);
    out.push_str(&format!("<script>{SCRIPT}</script>\n</body>\n</html>\n"));
    page.finish()
}

/// The page being drawn: its text gathers here and goes to the writer a few dozen kilobytes
/// at a time. The first error of the writer is kept, and nothing more is written after it.
struct Page<'w> {
    text: String,
    writer: &'w mut dyn std::io::Write,
    error: Option<std::io::Error>,
}

impl Page<'_> {
    /// How much text is gathered before it is written.
    const FLUSH: usize = 64 * 1024;

    fn push_str(&mut self, text: &str) {
        self.text.push_str(text);
        if self.text.len() >= Self::FLUSH {
            self.write_out();
        }
    }

    fn write_out(&mut self) {
        if self.error.is_none() {
            if let Err(error) = self.writer.write_all(self.text.as_bytes()) {
                self.error = Some(error);
            }
        }
        self.text.clear();
    }

    fn finish(mut self) -> std::io::Result<()> {
        self.write_out();
        match self.error.take() {
            Some(error) => Err(error),
            None => self.writer.flush(),
        }
    }
}

fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn percent(part: usize, whole: usize) -> usize {
    (part * 100).checked_div(whole).unwrap_or(0)
}

fn cards(out: &mut Page<'_>, report: &Report) {
    let s = &report.stats;
    out.push_str("<section class=\"cards\" aria-label=\"Headline figures\">\n");
    out.push_str(&format!(
        "<div class=\"card\"><span class=\"big\"><span data-stat=\"covered\">{}</span> of <span data-stat=\"services\">{}</span></span>services of the vocabulary have an entry ({}%)</div>\n",
        s.coverage.covered,
        s.coverage.total,
        percent(s.coverage.covered, s.coverage.total)
    ));
    out.push_str(&format!(
        "<div class=\"card\"><span class=\"big\" data-stat=\"entries\">{}</span>{} in <span data-stat=\"notes\">{}</span> {}</div>\n",
        s.entries,
        if s.entries == 1 { "entry" } else { "entries" },
        s.notes,
        if s.notes == 1 { "note" } else { "notes" }
    ));
    out.push_str(&format!(
        "<div class=\"card\"><span class=\"big\"><span data-stat=\"complete\">{}</span> <span class=\"muted\">(<span data-stat=\"complete-percent\">{}</span>%)</span></span>complete: a summary, features and a correct name</div>\n",
        s.complete_entries, s.complete_percent
    ));
    out.push_str(&format!(
        "<div class=\"card\"><span class=\"big\" data-stat=\"findings\">{}</span>{}: {}, {}</div>\n",
        s.findings.total,
        if s.findings.total == 1 {
            "finding"
        } else {
            "findings"
        },
        count(s.findings.errors, "error", "errors"),
        count(s.findings.warnings, "warning", "warnings")
    ));
    out.push_str(&format!(
        "<div class=\"card\"><span class=\"big\" data-stat=\"duplicated\">{}</span>{} described in several notes</div>\n",
        s.duplicated_services,
        if s.duplicated_services == 1 { "service" } else { "services" }
    ));
    if s.unreadable_notes > 0 {
        out.push_str(&format!(
            "<div class=\"card\"><span class=\"big bad\" data-stat=\"unreadable\">{}</span>{} could not be read (see the findings)</div>\n",
            s.unreadable_notes,
            if s.unreadable_notes == 1 { "note" } else { "notes" }
        ));
    }
    out.push_str("</section>\n");
}

/// An SVG bar: `part` of `whole`.
fn bar(part: usize, whole: usize, label: &str) -> String {
    let width = if whole == 0 {
        0.0
    } else {
        part as f64 * 100.0 / whole as f64
    };
    format!(
        "<svg class=\"bar\" viewBox=\"0 0 100 10\" preserveAspectRatio=\"none\" role=\"img\" aria-label=\"{}\"><rect class=\"track\" width=\"100\" height=\"10\" rx=\"2\"/><rect class=\"fill\" width=\"{width:.2}\" height=\"10\" rx=\"2\"/></svg>",
        escape(label)
    )
}

fn coverage(out: &mut Page<'_>, report: &Report) {
    let coverage = &report.stats.coverage;
    out.push_str("<section id=\"coverage\">\n<h2>Coverage</h2>\n");
    out.push_str(&format!(
        "<p>The notes have entries for {} of the {} services and tools of the vocabulary, by category (open a category for the services no note describes).</p>\n",
        coverage.covered, coverage.total
    ));
    out.push_str("<div class=\"coverage\">\n");
    for c in &coverage.categories {
        let label = format!("{}: {} of {}", c.category, c.covered, c.total);
        out.push_str(&format!(
            "<div class=\"category\"><div class=\"head\"><span>{}</span><span class=\"n\" data-category=\"{}\" data-covered=\"{}\" data-total=\"{}\">{} of {}</span></div>{}",
            escape(&c.category),
            escape(&c.category),
            c.covered,
            c.total,
            c.covered,
            c.total,
            bar(c.covered, c.total, &label),
        ));
        if c.missing.is_empty() {
            out.push_str("<div class=\"all muted\">all covered</div>");
        } else {
            out.push_str(&format!(
                "<details><summary>{} missing</summary><p>{}</p></details>",
                c.missing.len(),
                c.missing.iter().map(|m| escape(m)).collect::<Vec<_>>().join(", ")
            ));
        }
        out.push_str("</div>\n");
    }
    out.push_str("</div>\n</section>\n");
}

/// A path as text that may break after each `/` on a narrow screen.
fn path_text(path: &str) -> String {
    escape(path).replace('/', "/<wbr>")
}

/// `<a href="…#L12">path:12</a>`, or the text alone when there is no link.
fn place_link(path: &str, line: u32, href: Option<&str>) -> String {
    let text = format!("{}:{line}", path_text(path));
    match href {
        Some(href) => format!("<a href=\"{}#L{line}\">{text}</a>", escape(href)),
        None => text,
    }
}

/// The value a cell sorts by for a place: the path, then the line.
fn place_key(path: &str, line: u32) -> String {
    escape(&format!("{path}\t{line:010}"))
}

fn entries(out: &mut Page<'_>, rows: &[EntryRow], total: usize) {
    out.push_str("<section id=\"entries-section\">\n<h2>Entries</h2>\n");
    if rows.len() < total {
        out.push_str(&format!(
            "<p>The first {} of {total} entries the notes introduce, the incomplete ones first (<code>kb export</code> writes every one). Click a column to sort by it.</p>\n",
            rows.len()
        ));
    } else {
        out.push_str("<p>Every entry the notes introduce. Click a column to sort by it.</p>\n");
    }
    out.push_str(
        "<div class=\"controls\"><label>Show <select id=\"status-filter\">\
<option value=\"\">all entries</option>\
<option value=\"complete\">complete</option>\
<option value=\"incomplete\">incomplete</option>\
<option value=\"missing-summary\">missing a summary</option>\
<option value=\"missing-features\">missing features</option>\
<option value=\"name\">with a name problem</option>\
<option value=\"unknown\">of an unknown service</option>\
</select></label>\
<input id=\"text-filter\" type=\"search\" placeholder=\"Filter by name or note\" aria-label=\"Filter by name or note\">",
    );
    out.push_str(&format!(
        "<span class=\"muted\"><span id=\"shown\">{0} of {0}</span> shown</span></div>\n",
        rows.len()
    ));
    out.push_str("<div class=\"scroll\"><table id=\"entries\" class=\"sortable\">\n<thead><tr>");
    for (name, kind, right) in [
        ("Entry", "text", false),
        ("Status", "number", false),
        ("Summary", "number", true),
        ("Features", "number", true),
        ("Category", "text", false),
        ("Where", "text", false),
    ] {
        let class = if right { " class=\"num\"" } else { "" };
        out.push_str(&format!(
            "<th{class} data-type=\"{kind}\" aria-sort=\"none\"><button type=\"button\">{name}</button></th>"
        ));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in rows {
        let mut flags = Vec::new();
        let mut badges = Vec::new();
        if row.complete {
            flags.push("complete");
            badges.push("<span class=\"badge ok\">complete</span>".to_owned());
        } else {
            flags.push("incomplete");
        }
        if !row.has_summary {
            flags.push("missing-summary");
            badges.push("<span class=\"badge bad\">no summary</span>".to_owned());
        }
        if row.features == 0 {
            flags.push("missing-features");
            badges.push("<span class=\"badge bad\">no features</span>".to_owned());
        }
        match row.name_status {
            NameStatus::Ok => {}
            NameStatus::Unknown => {
                flags.push("unknown");
                badges.push("<span class=\"badge warn\">unknown service</span>".to_owned());
            }
            status => {
                flags.push("name");
                let what = match status {
                    NameStatus::Misspelled => "misspelled",
                    NameStatus::NonCanonical => "non-canonical",
                    NameStatus::Outdated => "outdated",
                    _ => "casing",
                };
                let instead = row
                    .suggestion
                    .as_deref()
                    .map(|s| format!("<span class=\"instead\">write <code>{}</code></span>", escape(s)))
                    .unwrap_or_default();
                badges.push(format!("<span class=\"badge warn\">{what}</span>{instead}"));
            }
        }
        // Complete first, then by how many problems.
        let status_key = flags.len() - 1;
        // The canonical name under the written one when they differ.
        let canonical = match &row.canonical {
            Some(c) if *c != row.name => format!("<span class=\"canonical\">{}</span>", escape(c)),
            _ => String::new(),
        };
        out.push_str(&format!(
            "<tr data-flags=\"{}\"><td data-v=\"{}\">{}{canonical}</td><td class=\"status\" data-v=\"{}\">{}</td><td class=\"num\" data-v=\"{}\">{}</td><td class=\"num\">{}</td><td>{}</td><td class=\"where\" data-v=\"{}\">{}</td></tr>\n",
            flags.join(" "),
            escape(&row.name),
            escape(&row.name),
            status_key,
            badges.join(" "),
            u8::from(row.has_summary),
            if row.has_summary { "yes" } else { "<span class=\"bad\">no</span>" },
            row.features,
            row.category.as_deref().map(escape).unwrap_or_default(),
            place_key(&row.path, row.line),
            place_link(&row.path, row.line, row.href.as_deref()),
        ));
    }
    out.push_str("</tbody>\n</table></div>\n</section>\n");
}

/// Duplicates are shown open when there are few of them.
const OPEN_DUPLICATES: usize = 5;

fn duplicates(out: &mut Page<'_>, duplicates: &[Duplicate]) {
    out.push_str("<section id=\"duplicates\">\n<h2>Services in several notes</h2>\n");
    if duplicates.is_empty() {
        out.push_str("<p>No service has entries in more than one note.</p>\n</section>\n");
        return;
    }
    out.push_str(&format!(
        "<p>{} with entries in more than one note, the most repeated first: open one to see what each note says, side by side, and merge them into one entry.</p>\n",
        count(duplicates.len(), "service", "services")
    ));
    let open = if duplicates.len() <= OPEN_DUPLICATES {
        " open"
    } else {
        ""
    };
    for d in duplicates {
        out.push_str(&format!(
            "<details class=\"dup\"{open} data-service=\"{}\"><summary><strong>{}</strong> <span class=\"muted\">in {}</span></summary>\n<div class=\"side\">\n",
            escape(&d.id),
            escape(&d.canonical),
            count(d.notes, "note", "notes")
        ));
        for p in &d.places {
            out.push_str("<div class=\"place\">");
            out.push_str(&place_link(&p.path, p.line, p.href.as_deref()));
            out.push_str(&format!("<p><strong>{}</strong></p>", escape(&p.name)));
            match &p.summary {
                Some(summary) => out.push_str(&format!("<p>{}</p>", escape(summary))),
                None => out.push_str("<p class=\"muted\">No summary.</p>"),
            }
            if !p.features.is_empty() {
                out.push_str("<ul>");
                for f in &p.features {
                    out.push_str(&format!("<li>{}</li>", escape(f)));
                }
                out.push_str("</ul>");
            }
            if p.feature_count > p.features.len() {
                out.push_str(&format!(
                    "<p class=\"muted\">and {} more</p>",
                    p.feature_count - p.features.len()
                ));
            }
            out.push_str("</div>\n");
        }
        out.push_str("</div>\n");
        if d.notes > d.places.len() {
            out.push_str(&format!(
                "<p class=\"muted\">and {}: <code>kb check --select KB302</code> lists every one.</p>\n",
                count(d.notes - d.places.len(), "more note", "more notes")
            ));
        }
        out.push_str("</details>\n");
    }
    out.push_str("</section>\n");
}

/// Notes shown in the chart of findings by note.
const CHART_NOTES: usize = 15;

fn findings(out: &mut Page<'_>, report: &Report) {
    let totals = &report.stats.findings;
    out.push_str("<section id=\"findings\">\n<h2>Findings</h2>\n");
    if totals.total == 0 {
        out.push_str("<p>No findings.</p>\n</section>\n");
        return;
    }
    out.push_str(&format!(
        "<p>{}: {}, {}, {}.</p>\n",
        count(totals.total, "finding", "findings"),
        count(totals.errors, "error", "errors"),
        count(totals.warnings, "warning", "warnings"),
        count(totals.infos, "info", "infos")
    ));
    let most = totals.by_rule.first().map_or(0, |r| r.count);
    out.push_str("<figure id=\"by-rule\"><figcaption>By rule</figcaption><div class=\"bars\">\n");
    for r in &totals.by_rule {
        out.push_str(&format!(
            "<span><code>{}</code> {}</span>{}<span class=\"n\" data-rule=\"{}\">{}</span>\n",
            escape(&r.code),
            escape(&r.rule),
            bar(r.count, most, &format!("{}: {}", r.code, r.count)),
            escape(&r.code),
            r.count
        ));
    }
    out.push_str("</div></figure>\n");
    let most = totals.by_note.first().map_or(0, |r| r.count);
    let shown = totals.by_note.len().min(CHART_NOTES);
    let caption = if totals.by_note.len() > shown {
        format!("By note (the {shown} with most of {})", totals.by_note.len())
    } else {
        "By note".to_owned()
    };
    out.push_str(&format!(
        "<figure id=\"by-note\"><figcaption>{caption}</figcaption><div class=\"bars\">\n"
    ));
    for n in totals.by_note.iter().take(shown) {
        out.push_str(&format!(
            "<span>{}</span>{}<span class=\"n\">{}</span>\n",
            path_text(&n.path),
            bar(n.count, most, &format!("{}: {}", n.path, n.count)),
            n.count
        ));
    }
    out.push_str("</div></figure>\n");

    let listed = report.findings.len();
    let summary = if listed < totals.total {
        format!(
            "The first {listed} of {} findings (<code>kb check</code> lists every one)",
            totals.total
        )
    } else {
        format!("All {}", count(listed, "finding", "findings"))
    };
    out.push_str(&format!("<details><summary>{summary}</summary>\n"));
    out.push_str("<div class=\"scroll\"><table id=\"findings-table\" class=\"sortable\">\n<thead><tr>");
    for name in ["Severity", "Rule", "Message", "Where"] {
        out.push_str(&format!(
            "<th data-type=\"text\" aria-sort=\"none\"><button type=\"button\">{name}</button></th>"
        ));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in &report.findings {
        finding_row(out, row);
    }
    out.push_str("</tbody>\n</table></div>\n</details>\n</section>\n");
}

fn finding_row(out: &mut Page<'_>, row: &FindingRow) {
    let f = &row.finding;
    let class = match f.severity.as_str() {
        "error" => "bad",
        "warning" => "warn",
        _ => "muted",
    };
    out.push_str(&format!(
        "<tr><td class=\"{class}\">{}</td><td><code>{}</code> {}</td><td class=\"msg\">{}</td><td class=\"where\" data-v=\"{}\">{}</td></tr>\n",
        escape(&f.severity),
        escape(&f.code),
        escape(&f.rule),
        escape(&f.message),
        place_key(&row.path, f.line),
        place_link(&row.path, f.line, row.href.as_deref()),
    ));
}
