//! One Anki note per service, and Anki's text import file.

use std::collections::{BTreeMap, HashMap};
use std::io::Write;

use kb_model::KnowledgeBase;
use kb_vocab::{NameKind, ServiceId, Vocabulary};
use unicode_normalization::UnicodeNormalization;

use crate::guid::{guid_for, ServiceKey};
use crate::html::{escape, list, sanitize_html};
use crate::media::Media;
use crate::ExportError;

/// Settings of an Anki export that the CLI decides.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnkiOptions {
    /// The root deck; categories become sub-decks (`AWS::Machine Learning`).
    pub deck_root: String,
    /// The export time in seconds since the Unix epoch: every note's `mod`. Anki updates an
    /// existing note from a package only when this is newer than the note's own.
    pub mod_time: i64,
}

impl Default for AnkiOptions {
    fn default() -> Self {
        AnkiOptions {
            deck_root: "AWS".to_owned(),
            mod_time: 0,
        }
    }
}

/// The sub-deck of services the vocabulary puts in no category, or does not know.
const OTHER_CATEGORY: &str = "Other";

/// Every service of a knowledge base, with its entries across notes merged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceNote {
    pub key: ServiceKey,
    pub guid: String,
    /// The canonical name, or the name as written (NFC) for an unknown service.
    pub name: String,
    /// Other accepted names: the vocabulary's, the expansions and the names as written.
    pub aliases: Vec<String>,
    /// The vocabulary category.
    pub category: Option<String>,
    pub deck: String,
    pub tags: Vec<String>,
    /// Distinct summaries, in note order.
    pub summaries: Vec<String>,
    /// Features with their depth, in note order, without exact repeats.
    pub features: Vec<(String, u32)>,
    /// `path:line` of every entry merged here.
    pub sources: Vec<String>,
    /// Shipped media file names the entries show.
    pub images: Vec<String>,
    /// How many entries were merged into this note.
    pub entry_count: usize,
}

impl ServiceNote {
    /// The fields of the `kb Service` note type, as sanitised HTML, in field order.
    pub fn fields(&self) -> [String; 6] {
        let mut features = list(self.features.iter().map(|(t, d)| (t.as_str(), *d)));
        for image in &self.images {
            features.push_str(&format!("<div><img src=\"{}\"></div>", escape(image)));
        }
        [
            escape(&self.name),
            escape(&self.aliases.join(", ")),
            escape(self.category.as_deref().unwrap_or_default()),
            self.summary_html(),
            features,
            self.sources
                .iter()
                .map(|s| escape(s))
                .collect::<Vec<_>>()
                .join("<br>"),
        ]
        .map(|html| sanitize_html(&html))
    }

    fn summary_html(&self) -> String {
        self.summaries
            .iter()
            .map(|s| escape(s))
            .collect::<Vec<_>>()
            .join("<br><br>")
    }

    /// The back of a stock `Basic` card: summary, features, aliases and sources (no media: a
    /// text import cannot ship files).
    pub fn back_html(&self) -> String {
        let mut html = format!("<div class=\"kb-summary\">{}</div>", self.summary_html());
        html.push_str(&list(self.features.iter().map(|(t, d)| (t.as_str(), *d))));
        if !self.aliases.is_empty() {
            html.push_str(&format!(
                "<div class=\"kb-aliases\">{}</div>",
                escape(&self.aliases.join(", "))
            ));
        }
        let sources: Vec<String> = self.sources.iter().map(|s| escape(s)).collect();
        html.push_str(&format!(
            "<div class=\"kb-sources\"><small>{}</small></div>",
            sources.join("<br>")
        ));
        sanitize_html(&html)
    }
}

/// An Anki tag from a deck path: lower case, `::` kept as hierarchy, every run of other
/// non-alphanumeric characters one `_` (`AWS::Security, Identity & Compliance` →
/// `aws::security_identity_compliance`).
fn tag_of(deck: &str) -> String {
    deck.split("::")
        .map(|part| {
            let mut out = String::new();
            for c in part.nfc().flat_map(char::to_lowercase) {
                if c.is_alphanumeric() {
                    out.push(c);
                } else if !out.is_empty() && !out.ends_with('_') {
                    out.push('_');
                }
            }
            out.trim_end_matches('_').to_owned()
        })
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("::")
}

/// Merge the entries of `kb` into one note per service (same vocabulary id, or same NFC
/// name for unknown services), sorted by deck and name.
pub fn service_notes(
    kb: &KnowledgeBase,
    vocab: &Vocabulary,
    media: &Media,
    options: &AnkiOptions,
) -> Vec<ServiceNote> {
    let mut vocab_aliases: HashMap<ServiceId, Vec<&str>> = HashMap::new();
    for (service, kind, text) in vocab.names() {
        if matches!(
            kind,
            NameKind::Alias | NameKind::Abbreviation | NameKind::Word | NameKind::Bare
        ) {
            vocab_aliases.entry(service).or_default().push(text);
        }
    }
    let root = options.deck_root.trim().trim_matches(':');
    let mut by_key: BTreeMap<ServiceKey, ServiceNote> = BTreeMap::new();
    for note in &kb.notes {
        for (index, entry) in note.entries.iter().enumerate() {
            let key = ServiceKey::of(entry);
            let service = entry.id.as_deref().and_then(|id| vocab.by_id(id));
            let merged = by_key.entry(key.clone()).or_insert_with(|| {
                let (name, category, aliases) = match service {
                    Some(sid) => {
                        let service = vocab.service(sid);
                        let aliases = vocab_aliases.get(&sid).cloned().unwrap_or_default();
                        (
                            service.name.clone(),
                            service.category.clone(),
                            aliases.into_iter().map(str::to_owned).collect(),
                        )
                    }
                    None => {
                        let name = match &key {
                            ServiceKey::Name(name) => name.clone(),
                            ServiceKey::Id(_) => {
                                entry.canonical.clone().unwrap_or_else(|| entry.name.clone())
                            }
                        };
                        (name, None, Vec::new())
                    }
                };
                let sub_deck = category.as_deref().unwrap_or(OTHER_CATEGORY).replace("::", ":");
                let deck = if root.is_empty() {
                    sub_deck
                } else {
                    format!("{root}::{sub_deck}")
                };
                ServiceNote {
                    guid: guid_for(&key),
                    key: key.clone(),
                    name,
                    aliases,
                    category,
                    tags: vec![tag_of(&deck)],
                    deck,
                    summaries: Vec::new(),
                    features: Vec::new(),
                    sources: Vec::new(),
                    images: Vec::new(),
                    entry_count: 0,
                }
            });
            merged.entry_count += 1;
            let written: String = entry.name.nfc().collect();
            for alias in [Some(written), entry.expansion.as_ref().map(|e| e.nfc().collect())]
                .into_iter()
                .flatten()
            {
                let taken = |a: &str| a.to_lowercase() == alias.to_lowercase();
                if entry.name_problem.is_none()
                    && !alias.trim().is_empty()
                    && !taken(&merged.name)
                    && !merged.aliases.iter().any(|a| taken(a))
                {
                    merged.aliases.push(alias);
                }
            }
            if let Some(summary) = &entry.summary {
                let summary: String = summary.text.nfc().collect();
                if !merged.summaries.contains(&summary) {
                    merged.summaries.push(summary);
                }
            }
            for item in &entry.features {
                let feature = (item.text.nfc().collect::<String>(), item.depth);
                if !merged.features.contains(&feature) {
                    merged.features.push(feature);
                }
            }
            merged
                .sources
                .push(format!("{}:{}", entry.source.path, entry.source.line));
            for image in media.for_entry(&note.path, index) {
                if !merged.images.iter().any(|i| i == image) {
                    merged.images.push(image.to_owned());
                }
            }
        }
    }
    let mut notes: Vec<ServiceNote> = by_key.into_values().collect();
    notes.sort_by_cached_key(|n| (n.deck.clone(), n.name.to_lowercase(), n.key.clone()));
    notes
}

/// The columns of the text file, after the header block: GUID, deck, then the stock `Basic`
/// note type's two fields by position (its field names are localised), then tags.
pub const ANKI_TEXT_COLUMNS: [&str; 5] = ["guid", "deck", "Front", "Back", "tags"];

/// Anki's text import file: the header block Anki itself writes, then one tab-separated row
/// per service. Fields are HTML (`#html:true`); a cell holding `#` is quoted so that a row
/// starting with one is not read as a comment.
pub fn write_anki_text<W: Write>(
    mut out: W,
    notes: &[ServiceNote],
    options: &AnkiOptions,
) -> Result<(), ExportError> {
    let root = options.deck_root.trim().trim_matches(':');
    let root = if root.is_empty() { OTHER_CATEGORY } else { root };
    write!(
        out,
        "#separator:tab\n#html:true\n#notetype:Basic\n#deck:{}\n#guid column:1\n#deck column:2\n#tags column:5\n",
        root.replace(['\n', '\r'], " ")
    )?;
    let mut writer = csv::WriterBuilder::new()
        .delimiter(b'\t')
        .terminator(csv::Terminator::Any(b'\n'))
        // Quotes every cell holding `#`: a line starting with `#` is a comment to Anki.
        .comment(Some(b'#'))
        .from_writer(out);
    for note in notes {
        let record = [
            note.guid.clone(),
            note.deck.clone(),
            sanitize_html(&escape(&note.name)),
            note.back_html(),
            note.tags.join(" "),
        ];
        writer.write_record(&record)?;
    }
    writer.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_have_no_spaces() {
        assert_eq!(tag_of("AWS::Machine Learning"), "aws::machine_learning");
        assert_eq!(
            tag_of("AWS::Security, Identity & Compliance"),
            "aws::security_identity_compliance"
        );
        assert_eq!(tag_of("공부::AI 관련"), "공부::ai_관련");
    }
}
