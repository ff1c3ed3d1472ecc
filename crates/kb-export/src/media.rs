//! Images embedded in entries, shipped as Anki media.
//!
//! kb-export only finds the references ([`image_references`]) and names the files it is given
//! ([`Media::add`]); the CLI resolves each reference inside the vault, refuses anything that
//! lands outside it, and hands over the bytes.

use std::collections::HashMap;

use unicode_normalization::UnicodeNormalization;

const IMAGE_EXTENSIONS: &[&str] = &["png", "jpg", "jpeg", "gif", "webp", "bmp", "avif"];

/// The image files an entry's markdown embeds, as written: Obsidian `![[name.png]]` (without
/// `|size` or `#anchor`) and markdown `![alt](path.png)`. URLs with a scheme and files that are
/// not raster images (SVG can carry script) are left out.
pub fn image_references(markdown: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = markdown;
    while let Some(at) = rest.find("![") {
        rest = &rest[at + 2..];
        let target = if let Some(inner) = rest.strip_prefix('[') {
            inner.find("]]").map(|end| {
                let target = &inner[..end];
                let target = target.split('|').next().unwrap_or_default();
                target.split('#').next().unwrap_or_default().trim()
            })
        } else {
            rest.find("](").and_then(|close| {
                let after = &rest[close + 2..];
                let end = after.find(')')?;
                let target = after[..end].trim();
                let target = match target.strip_prefix('<') {
                    Some(t) => t.split('>').next().unwrap_or_default(),
                    // `![a](x.png "title")`
                    None => target.split_whitespace().next().unwrap_or_default(),
                };
                Some(target)
            })
        };
        let Some(target) = target else { continue };
        if target.is_empty() || target.contains("://") || target.starts_with("data:") {
            continue;
        }
        let is_image = target
            .rsplit_once('.')
            .is_some_and(|(_, ext)| IMAGE_EXTENSIONS.iter().any(|e| ext.eq_ignore_ascii_case(e)));
        if is_image && !found.iter().any(|f| f == target) {
            found.push(target.to_owned());
        }
    }
    found
}

/// A file shipped in an `.apkg` under `name` (a bare file name, unique in the package).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// The media of one export: files, and which entry shows which of them.
#[derive(Debug, Clone, Default)]
pub struct Media {
    files: Vec<MediaFile>,
    /// (note path, index of the entry in its note) → indexes into `files`.
    by_entry: HashMap<(String, usize), Vec<usize>>,
}

impl Media {
    pub fn new() -> Self {
        Media::default()
    }

    /// Ship `bytes` for entry `entry_index` of the note at `note_path`, under the base name of
    /// `file_name` (made unique when another file already has that name). Returns the name.
    pub fn add(&mut self, note_path: &str, entry_index: usize, file_name: &str, bytes: Vec<u8>) -> &str {
        let base: String = file_name
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or_default()
            .nfc()
            .filter(|c| !c.is_control() && !matches!(c, ':' | '"' | '<' | '>' | '|' | '?' | '*'))
            .collect();
        let base = if base.trim_matches('.').is_empty() {
            "image".to_owned()
        } else {
            base
        };
        let index = match self
            .files
            .iter()
            .position(|f| f.bytes == bytes && same_stem(&f.name, &base))
        {
            Some(index) => index,
            None => {
                let mut name = base.clone();
                let mut n = 2;
                while self.files.iter().any(|f| f.name == name) {
                    name = match base.rsplit_once('.') {
                        Some((stem, ext)) => format!("{stem}-{n}.{ext}"),
                        None => format!("{base}-{n}"),
                    };
                    n += 1;
                }
                self.files.push(MediaFile { name, bytes });
                self.files.len() - 1
            }
        };
        let shown = self
            .by_entry
            .entry((note_path.to_owned(), entry_index))
            .or_default();
        if !shown.contains(&index) {
            shown.push(index);
        }
        &self.files[index].name
    }

    pub fn files(&self) -> &[MediaFile] {
        &self.files
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// The names of the files shown by an entry.
    pub(crate) fn for_entry(&self, note_path: &str, entry_index: usize) -> Vec<&str> {
        self.by_entry
            .get(&(note_path.to_owned(), entry_index))
            .map(|indexes| indexes.iter().map(|&i| self.files[i].name.as_str()).collect())
            .unwrap_or_default()
    }
}

/// Whether a shipped `name` is `base` or a renamed copy of it (`base-2.png`).
fn same_stem(name: &str, base: &str) -> bool {
    if name == base {
        return true;
    }
    let (stem, ext) = base.rsplit_once('.').unwrap_or((base, ""));
    name.strip_prefix(stem)
        .and_then(|rest| rest.strip_prefix('-'))
        .is_some_and(|rest| rest.ends_with(ext) || ext.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_embeds_and_markdown_images() {
        let text = "![[a.png]] ![[b.PNG|200]] ![[note]] ![x](img/c.jpg \"t\") ![y](<d e.gif>) \
                    ![z](https://x/e.png) ![[evil.svg]] ![[a.png]] ![[../../outside.png]]";
        assert_eq!(
            image_references(text),
            ["a.png", "b.PNG", "img/c.jpg", "d e.gif", "../../outside.png"]
        );
    }

    #[test]
    fn names_are_unique_and_identical_files_shared() {
        let mut media = Media::new();
        assert_eq!(media.add("n.md", 0, "x/a.png", vec![1]), "a.png");
        assert_eq!(media.add("n.md", 1, "y/a.png", vec![2]), "a-2.png");
        assert_eq!(media.add("m.md", 0, "z/a.png", vec![1]), "a.png");
        assert_eq!(media.files().len(), 2);
        assert_eq!(media.for_entry("n.md", 1), ["a-2.png"]);
        assert!(media.for_entry("n.md", 5).is_empty());
    }
}
