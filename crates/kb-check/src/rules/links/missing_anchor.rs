use std::collections::HashMap;

use kb_parse::{Heading, Link, LinkKind};

use crate::registry::declare_rule;
use crate::Diagnostic;

declare_rule! {
    /// ## What it does
    /// Reports a link to a heading of the same note (`[EC2](#ec2)`, a table of contents) whose
    /// anchor matches no heading. Anchors are made from headings in the configured style
    /// (`anchor-style`: `github`, the default, or `kramdown` for Jekyll) and compared without
    /// regard to case.
    ///
    /// ## Why is this bad?
    /// The table of contents jumps nowhere; usually a heading was renamed or misspelled.
    ///
    /// ## Example
    /// ```markdown
    /// [SWF](#swf)
    /// ## Simple Workflow
    /// ```
    ///
    /// Off by default: blogs and editors make anchors in different ways.
    ///
    /// ## Fix safety
    /// There is no fix.
    MissingAnchor { code: "KB402", name: "missing-anchor", severity: Warning, default_on: false, fix: Never }
}

/// How headings become anchors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AnchorStyle {
    /// GitHub: lower case, punctuation dropped, spaces to `-`, repeats numbered `-1`, `-2`.
    #[default]
    Github,
    /// kramdown (Jekyll): like GitHub, and leading characters up to the first letter dropped.
    Kramdown,
}

impl AnchorStyle {
    pub fn parse(text: &str) -> Option<AnchorStyle> {
        match text {
            "github" => Some(AnchorStyle::Github),
            "kramdown" => Some(AnchorStyle::Kramdown),
            _ => None,
        }
    }
}

pub fn slug(text: &str, style: AnchorStyle) -> String {
    let mut out = String::new();
    for c in text.trim().chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() || c == '-' || c == '_' {
            out.push(c);
        } else if c.is_whitespace() {
            out.push('-');
        }
    }
    if style == AnchorStyle::Kramdown {
        let start = out.find(|c: char| c.is_alphabetic()).unwrap_or(out.len());
        out.drain(..start);
    }
    out
}

pub fn diagnostics(path: &str, links: &[Link], headings: &[Heading], style: AnchorStyle) -> Vec<Diagnostic> {
    // The note's links to anchors of its own, with the anchor. Most notes have none: their
    // headings' anchors are then not worked out.
    let wanted: Vec<(&Link, &str)> = links
        .iter()
        .filter(|l| l.kind == LinkKind::Link)
        .filter_map(|l| Some((l, l.target.strip_prefix('#')?)))
        .filter(|(_, anchor)| !anchor.is_empty())
        .collect();
    if wanted.is_empty() {
        return Vec::new();
    }
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut anchors: Vec<String> = Vec::new();
    for heading in headings {
        let base = slug(&heading.text, style);
        let count = seen.entry(base.clone()).or_insert(0);
        anchors.push(if *count == 0 {
            base.clone()
        } else {
            format!("{base}-{count}")
        });
        *count += 1;
        // Obsidian links to the heading text itself.
        anchors.push(heading.text.trim().to_lowercase());
    }
    let mut out = Vec::new();
    for (link, anchor) in wanted {
        let lower = anchor.to_lowercase();
        let decoded = crate::rules::links::decode(&lower);
        if anchors.iter().any(|a| *a == lower || *a == decoded) {
            continue;
        }
        out.push(
            Diagnostic::new(
                &MissingAnchor::META,
                path,
                link.span,
                format!("No heading in this note has the anchor `#{anchor}`"),
            )
            .with_label("no such heading")
            .with_help("Fix the anchor, or the heading it should point at"),
        );
    }
    out
}

/// When a fix renames text in a heading, the in-note links to that heading's anchor follow it in
/// the same fix (`[Kinesiss](#amazon-kinesiss)` → `#amazon-kinesis`), so the fix breaks no link.
pub fn follow_renamed_headings<'a>(
    fixes: impl Iterator<Item = &'a mut crate::diagnostic::Fix>,
    text: &str,
    links: &[Link],
    headings: &[Heading],
    style: AnchorStyle,
) {
    // In-note anchor links by their anchor (lower case, percent-decoded), built once.
    let mut by_anchor: std::collections::HashMap<String, Vec<&Link>> = std::collections::HashMap::new();
    for link in links.iter().filter(|l| l.kind == LinkKind::Link) {
        if let Some(anchor) = link.target.strip_prefix('#') {
            by_anchor.entry(anchor.to_lowercase()).or_default().push(link);
            let decoded = crate::rules::links::decode(anchor).to_lowercase();
            if decoded != anchor.to_lowercase() {
                by_anchor.entry(decoded).or_default().push(link);
            }
        }
    }
    if by_anchor.is_empty() {
        return;
    }
    for fix in fixes {
        let [edit] = fix.edits.as_slice() else { continue };
        // Headings are in file order: the one holding the edit is the last starting before it.
        let at = headings.partition_point(|h| h.span.start <= edit.start);
        let Some(heading) = at
            .checked_sub(1)
            .map(|i| &headings[i])
            .filter(|h| edit.end <= h.span.end)
        else {
            continue;
        };
        let Some(old_name) = text.get(edit.start..edit.end) else {
            continue;
        };
        let renamed = heading.text.replacen(old_name, &edit.replacement, 1);
        let (old_slug, new_slug) = (slug(&heading.text, style), slug(&renamed, style));
        if old_slug == new_slug {
            continue;
        }
        // The new name is another heading's name already: links would land on that one. Leave
        // the anchors, and let the user decide.
        if headings
            .iter()
            .any(|h| !std::ptr::eq(h, heading) && slug(&h.text, style) == new_slug)
        {
            fix.applicability = crate::diagnostic::Applicability::Unsafe;
            continue;
        }
        let mut extra = Vec::new();
        for link in by_anchor.get(&old_slug).into_iter().flatten() {
            let Some(anchor) = link.target.strip_prefix('#') else {
                continue;
            };
            let Some(link_text) = text.get(link.span.as_range()) else {
                continue;
            };
            let needle = format!("#{anchor}");
            let Some(at) = link_text.rfind(&needle) else {
                continue;
            };
            let start = link.span.start + at + 1;
            extra.push(crate::diagnostic::Edit {
                start,
                end: start + anchor.len(),
                replacement: new_slug.clone(),
            });
        }
        fix.edits.extend(extra);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(slug("API Gateway", AnchorStyle::Github), "api-gateway");
        assert_eq!(
            slug("2.1 AWS EC2(가상 서버)", AnchorStyle::Github),
            "21-aws-ec2가상-서버"
        );
        assert_eq!(slug("2.1 AWS EC2", AnchorStyle::Kramdown), "aws-ec2");
        assert_eq!(slug(":cloud: S3 요금!", AnchorStyle::Github), "cloud-s3-요금");
    }
}
