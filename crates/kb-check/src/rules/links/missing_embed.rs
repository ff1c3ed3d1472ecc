use kb_parse::{Link, LinkKind};

use crate::registry::declare_rule;
use crate::{Diagnostic, Vault};

declare_rule! {
    /// ## What it does
    /// Reports an embed (`![[diagram.png]]`, `![[Other note]]`) or image (`![](img/a.png)`)
    /// whose file is not in the vault. Embeds resolve as Obsidian does: relative to the note,
    /// from the vault root, or by file name anywhere in the vault. URLs are not checked.
    ///
    /// ## Why is this bad?
    /// The note shows a broken image, and an export cannot ship the file.
    ///
    /// ## Example
    /// ```markdown
    /// ![[Pasted image 20240501.png]]
    /// ```
    /// where no file of that name exists in the vault.
    ///
    /// ## Fix safety
    /// There is no fix: restore the file or remove the embed.
    MissingEmbed { code: "KB401", name: "missing-embed", severity: Warning, default_on: true, fix: Never }
}

/// The target of an embed or image, if it names a local file: no URL, no `#section` or
/// `|size` suffix, percent-escapes decoded.
fn local_target(link: &Link) -> Option<String> {
    let target = link.target.trim();
    let lower = target.to_ascii_lowercase();
    if target.is_empty()
        || lower.contains("://")
        || ["data:", "mailto:", "tel:", "javascript:", "//"]
            .iter()
            .any(|p| lower.starts_with(p))
    {
        return None;
    }
    let target = target.split(['#', '|', '?']).next().unwrap_or_default().trim();
    if target.is_empty() {
        return None;
    }
    Some(super::decode(target))
}

pub fn diagnostics(path: &str, links: &[Link], vault: &Vault) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for link in links {
        if !matches!(link.kind, LinkKind::Embed | LinkKind::Image) {
            continue;
        }
        let Some(target) = local_target(link) else {
            continue;
        };
        // `![[Other note]]` embeds a note: the file is `Other note.md`.
        let is_note_embed =
            link.kind == LinkKind::Embed && !target.rsplit('/').next().unwrap_or("").contains('.');
        let found = if is_note_embed {
            vault.resolve(path, &format!("{target}.md"))
        } else {
            vault.resolve(path, &target)
        };
        if !found {
            let what = if link.kind == LinkKind::Embed {
                "Embedded file"
            } else {
                "Image"
            };
            out.push(
                Diagnostic::new(
                    &MissingEmbed::META,
                    path,
                    link.span,
                    format!("{what} `{target}` is not in the vault"),
                )
                .with_label("no such file")
                .with_help("Restore the file, or fix the name in the link"),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::decode as percent_decode;

    #[test]
    fn percent_escapes_decode() {
        assert_eq!(percent_decode("Pasted%20image.png"), "Pasted image.png");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%ED%95%9C.png"), "한.png");
    }
}
