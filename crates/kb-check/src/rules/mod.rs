//! Every rule, one file each, grouped by code range. `ALL` lists them in code order; `kb rules`,
//! `kb explain` and the registry test read it.

pub mod io;
pub mod links;
pub mod names;
pub mod schema;
pub mod structure;
pub mod suppression;

use crate::registry::RuleMeta;

pub const ALL: &[&RuleMeta] = &[
    &io::unreadable_file::UnreadableFile::META,
    &io::non_utf8_file::NonUtf8File::META,
    &io::invalid_front_matter::InvalidFrontMatter::META,
    &schema::missing_field::MissingField::META,
    &schema::invalid_value::InvalidValue::META,
    &schema::unknown_front_matter_field::UnknownFrontMatterField::META,
    &names::misspelled_name::MisspelledName::META,
    &names::non_canonical_name::NonCanonicalName::META,
    &names::outdated_name::OutdatedName::META,
    &names::name_casing::NameCasing::META,
    &names::unknown_service::UnknownService::META,
    &structure::duplicate_entry::DuplicateEntry::META,
    &structure::duplicate_across_notes::DuplicateAcrossNotes::META,
    &links::missing_embed::MissingEmbed::META,
    &links::missing_anchor::MissingAnchor::META,
    &suppression::unused_suppression::UnusedSuppression::META,
];

/// The rule with this code or kebab name.
pub fn find(code_or_name: &str) -> Option<&'static RuleMeta> {
    ALL.iter()
        .copied()
        .find(|r| r.code.eq_ignore_ascii_case(code_or_name) || r.name == code_or_name)
}
