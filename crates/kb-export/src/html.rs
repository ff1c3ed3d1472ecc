//! HTML for Anki fields: escaped plain text, `<br>` and nested `<ul>`, then an allow-list
//! sanitiser as the safety net.

use std::collections::HashSet;
use std::sync::OnceLock;

/// Escape text for HTML content and attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Line breaks are markup in a field; a raw one renders as a space.
            '\n' => out.push_str("<br>"),
            '\r' => {}
            _ => out.push(c),
        }
    }
    out
}

/// A nested `<ul>` from items with their depth; depth jumps of more than one level nest once.
pub(crate) fn list<'a>(items: impl IntoIterator<Item = (&'a str, u32)>) -> String {
    let mut out = String::new();
    // Depths of the lists currently open; each has an open `<li>`.
    let mut open: Vec<u32> = Vec::new();
    for (text, depth) in items {
        loop {
            match open.last() {
                None => {
                    out.push_str("<ul><li>");
                    open.push(depth);
                    break;
                }
                Some(&top) if depth > top => {
                    out.push_str("<ul><li>");
                    open.push(depth);
                    break;
                }
                Some(&top) if depth == top || open.len() == 1 => {
                    out.push_str("</li><li>");
                    break;
                }
                Some(_) => {
                    out.push_str("</li></ul>");
                    open.pop();
                }
            }
        }
        out.push_str(&escape(text));
    }
    for _ in open {
        out.push_str("</li></ul>");
    }
    out
}

/// Keep only the markup kb writes into fields: lists, line breaks, emphasis, `<mark>`,
/// `<div>`/`<span>` with a class, and `<img src>` with a relative or http(s) URL. Scripts,
/// styles, event handlers and `javascript:`/`data:` URLs are removed.
pub fn sanitize_html(html: &str) -> String {
    static CLEANER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    CLEANER
        .get_or_init(|| {
            let mut builder = ammonia::Builder::empty();
            builder
                .tags(HashSet::from([
                    "ul", "ol", "li", "br", "p", "div", "span", "b", "strong", "i", "em", "code", "mark",
                    "small", "sub", "sup", "img",
                ]))
                .tag_attributes(std::collections::HashMap::from([
                    ("img", HashSet::from(["src", "alt"])),
                    ("div", HashSet::from(["class"])),
                    ("span", HashSet::from(["class"])),
                ]))
                .url_schemes(HashSet::from(["http", "https"]))
                .url_relative(ammonia::UrlRelative::PassThrough)
                .link_rel(None)
                .strip_comments(true);
            builder
        })
        .clean(html)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_nest_by_depth() {
        let html = list([("a", 0), ("b", 1), ("c", 3), ("d", 0), ("e", 0)]);
        assert_eq!(
            html,
            "<ul><li>a<ul><li>b<ul><li>c</li></ul></li></ul></li><li>d</li><li>e</li></ul>"
        );
        assert_eq!(list([("x", 2), ("y", 0)]), "<ul><li>x</li><li>y</li></ul>");
        assert_eq!(list(std::iter::empty()), "");
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape("<b>&\"'\nx"), "&lt;b&gt;&amp;&quot;&#39;<br>x");
    }

    #[test]
    fn the_sanitiser_removes_script_handlers_and_bad_urls() {
        let dirty = r#"<p onclick="x()">a<script>alert(1)</script><img src="x.png" onerror="alert(2)"><img src="javascript:alert(3)"><img src="data:image/png;base64,AA"><mark style="color:red">m</mark><a href="javascript:y">l</a></p>"#;
        let clean = sanitize_html(dirty);
        assert_eq!(clean, r#"<p>a<img src="x.png"><img><img><mark>m</mark>l</p>"#);
    }

    #[test]
    fn korean_text_passes_unchanged() {
        assert_eq!(
            sanitize_html("<ul><li>객체 스토리지</li></ul>"),
            "<ul><li>객체 스토리지</li></ul>"
        );
    }
}
