//! The canonical JSON document, written a note at a time: the same bytes as serialising the
//! whole [`KnowledgeBase`] at once, without holding the vault's notes or the document whole.
//!
//! The document is a head, the notes (each serialised on its own, so that notes can be
//! serialised in parallel and written in order) and a tail.

use kb_model::{Note, KB_VERSION, SCHEMA_VERSION};

/// Compact (`serde_json::to_vec`) or pretty (`serde_json::to_vec_pretty`), as the whole
/// document would be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JsonLayout {
    pub pretty: bool,
}

impl JsonLayout {
    /// Everything before the first note.
    pub fn head(self) -> Vec<u8> {
        // Serialised, not spelled out, so that the version is escaped as serde escapes it.
        let version = serde_json::to_string(KB_VERSION).unwrap_or_default();
        if self.pretty {
            format!(
                "{{\n  \"kb_version\": {version},\n  \"schema_version\": {SCHEMA_VERSION},\n  \"notes\": ["
            )
        } else {
            format!("{{\"kb_version\":{version},\"schema_version\":{SCHEMA_VERSION},\"notes\":[")
        }
        .into_bytes()
    }

    /// What separates two notes of the `notes` array.
    pub const SEPARATOR: &'static [u8] = b",";

    /// One note of the `notes` array ([`JsonLayout::SEPARATOR`] goes between two).
    pub fn note(self, note: &Note) -> Result<Vec<u8>, serde_json::Error> {
        let mut out = Vec::new();
        if self.pretty {
            // Two levels deep: every line of the note's own pretty form indented by four
            // spaces. A newline inside a JSON string is always escaped, so every newline
            // byte of the serialised note is a line break.
            let text = serde_json::to_vec_pretty(note)?;
            out.reserve(text.len() + text.len() / 8);
            out.extend_from_slice(b"\n    ");
            for &byte in &text {
                out.push(byte);
                if byte == b'\n' {
                    out.extend_from_slice(b"    ");
                }
            }
        } else {
            serde_json::to_writer(&mut out, note)?;
        }
        Ok(out)
    }

    /// Everything after the last note (`any`: whether there was a note), and the final newline.
    pub fn tail(self, any: bool) -> &'static [u8] {
        match (self.pretty, any) {
            (true, true) => b"\n  ]\n}\n",
            (true, false) => b"]\n}\n",
            (false, _) => b"]}\n",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use kb_model::KnowledgeBase;

    fn streamed(kb: &KnowledgeBase, pretty: bool) -> Vec<u8> {
        let layout = JsonLayout { pretty };
        let mut out = layout.head();
        for (i, note) in kb.notes.iter().enumerate() {
            if i > 0 {
                out.extend_from_slice(JsonLayout::SEPARATOR);
            }
            out.extend(layout.note(note).unwrap());
        }
        out.extend_from_slice(layout.tail(!kb.notes.is_empty()));
        out
    }

    fn whole(kb: &KnowledgeBase, pretty: bool) -> Vec<u8> {
        let mut out = if pretty {
            serde_json::to_vec_pretty(kb).unwrap()
        } else {
            serde_json::to_vec(kb).unwrap()
        };
        out.push(b'\n');
        out
    }

    #[test]
    fn written_a_note_at_a_time_it_is_the_document_serialised_whole() {
        let vocab = kb_vocab::Vocabulary::builtin();
        let notes = [
            (
                "a.md",
                "---\ntitle: \"줄\\n바꿈\"\ntags: [x, y]\n---\n## Amazon S3\n- 객체 스토리지\n  - 버킷\n",
            ),
            ("b.md", "# 빈 노트\n"),
            (
                "c.md",
                "## AWS Lambda\n서버리스 \"함수\"\t실행\n\n## Amazon EC2\n- 가상 서버\n",
            ),
        ];
        let parsed: Vec<_> = notes
            .iter()
            .map(|(path, text)| kb_parse::parse(path, text, &vocab).note)
            .collect();
        for n in 0..=parsed.len() {
            let kb = KnowledgeBase::new(parsed[..n].to_vec());
            for pretty in [false, true] {
                let (streamed, whole) = (streamed(&kb, pretty), whole(&kb, pretty));
                assert_eq!(
                    String::from_utf8_lossy(&streamed),
                    String::from_utf8_lossy(&whole),
                    "{n} notes, pretty: {pretty}"
                );
            }
        }
    }
}
