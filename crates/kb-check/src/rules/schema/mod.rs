pub mod invalid_value;
pub mod missing_field;
pub mod unknown_front_matter_field;
