pub mod invalid_front_matter;
pub mod non_utf8_file;
pub mod unreadable_file;
