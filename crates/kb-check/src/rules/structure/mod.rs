pub mod duplicate_across_notes;
pub mod duplicate_entry;
