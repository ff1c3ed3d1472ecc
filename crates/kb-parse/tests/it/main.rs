//! Integration tests of the parser: fixture snapshots and properties.

mod fixtures;
mod generated;
mod properties;
