//! `kb init`, `kb completions`, `kb man`, `kb config-schema`: what sets kb up in a vault, a
//! shell and an editor.

use std::process::ExitCode;

use clap::CommandFactory;

use crate::args::{Cli, InitArgs};
use crate::files::{self, display_path, Failure};

/// Where `kb init` copies the policy schemas, the vocabulary and the schema of `kb.toml`.
const SCHEMA_DIR: &str = "kb-schemas";

/// The `kb.toml` that `kb init` writes: every setting, with the defaults commented out.
const TEMPLATE: &str = r#"#:schema ./kb-schemas/kb.toml.schema.json
# kb's configuration for this vault. `kb check` finds it in the folder it checks or any folder
# above. Paths are relative to this file. Every setting is optional; the commented values are
# the defaults.

# The policy schemas (what an entry must have). These are copies of the built-in ones: edit
# them, or remove this line to follow kb's own as kb is updated.
schemas = "kb-schemas"

# The services kb knows and how they are spelled. A copy of the built-in vocabulary: edit it,
# or remove this line to follow kb's own.
vocabulary = "kb-schemas/vocabulary.yaml"

# Rules: codes (KB201), prefixes (KB2), names (misspelled-name) or ALL. `kb rules` lists them.
# select = ["ALL"]
# extend-select = ["KB204"]
# ignore = ["KB401"]

# Paths that are not notes. The defaults are Obsidian's folders and templates.
# exclude = [".obsidian/", ".trash/", "templates/"]
# extend-exclude = ["drafts/"]

# How headings become link anchors: github or kramdown.
# anchor-style = "github"

# Words never reported as service names.
# accepted-words = ["Lambda-calculus"]

# A rule's severity: error, warning or info.
# [severity]
# KB302 = "warning"

# Names this vault also accepts for a service (service id or canonical name → names).
# [aliases]
# sagemaker = ["SM"]

# Rule settings for some notes; the last matching override wins.
# [[overrides]]
# path = ["archive/**"]
# ignore = ["KB101"]
"#;

pub fn run(args: &InitArgs) -> Result<ExitCode, Failure> {
    let dir = &args.dir;
    if !dir.is_dir() {
        return Err(Failure::NoSuchPath {
            path: display_path(dir),
        });
    }
    let schemas = dir.join(SCHEMA_DIR);
    let [entry, front_matter, note] = kb_check::Policy::paths_in(&schemas);
    let config_schema =
        serde_json::to_string_pretty(&crate::config::json_schema()).unwrap_or_default() + "\n";
    let files: Vec<(std::path::PathBuf, &str)> = vec![
        (dir.join(crate::config::FILE_NAME), TEMPLATE),
        (entry, kb_check::schema::ENTRY_SCHEMA),
        (front_matter, kb_check::schema::FRONT_MATTER_SCHEMA),
        (note, kb_check::schema::NOTE_SCHEMA),
        (schemas.join("vocabulary.yaml"), kb_vocab::DEFAULT_VOCABULARY),
        (schemas.join("kb.toml.schema.json"), &config_schema),
    ];
    // All or nothing: refuse before writing anything when a file is there.
    if !args.force {
        if let Some((path, _)) = files.iter().find(|(path, _)| path.exists()) {
            return Err(Failure::Config {
                path: display_path(path),
                message: "it already exists; `kb init --force` replaces it".to_owned(),
            });
        }
    }
    std::fs::create_dir_all(&schemas).map_err(|source| Failure::Write {
        path: display_path(&schemas),
        source,
    })?;
    let mut written = String::new();
    for (path, text) in &files {
        files::write_atomic(path, text.as_bytes()).map_err(|source| Failure::Write {
            path: display_path(path),
            source,
        })?;
        written.push_str(&format!("Wrote {}\n", display_path(path)));
    }
    written.push_str("Next: `kb check` in this folder.\n");
    stdout(written.as_bytes())
}

pub fn completions(shell: clap_complete::Shell) -> Result<ExitCode, Failure> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "kb", &mut out);
    stdout(&out)
}

pub fn man() -> Result<ExitCode, Failure> {
    let mut out = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut out)
        .map_err(Failure::Stdout)?;
    stdout(&out)
}

pub fn config_schema() -> Result<ExitCode, Failure> {
    let text = serde_json::to_string_pretty(&crate::config::json_schema()).unwrap_or_default() + "\n";
    stdout(text.as_bytes())
}

fn stdout(bytes: &[u8]) -> Result<ExitCode, Failure> {
    files::write_stdout(bytes)?;
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_template_is_a_valid_configuration_with_every_key() {
        let table: toml::Table = TEMPLATE.parse().unwrap();
        assert_eq!(table.len(), 2, "only schemas and vocabulary are set");
        // Uncommenting every example gives a configuration the schema describes.
        let uncommented: String = TEMPLATE
            .lines()
            .map(|l| {
                l.strip_prefix("# ")
                    .filter(|r| r.contains('=') || r.starts_with('['))
                    .unwrap_or(l)
            })
            .collect::<Vec<_>>()
            .join("\n");
        let table: toml::Table = uncommented.parse().unwrap();
        let schema = crate::config::json_schema();
        let properties = schema["properties"].as_object().unwrap();
        for key in table.keys() {
            assert!(properties.contains_key(key), "{key} is not in the schema");
        }
        assert_eq!(table.len(), properties.len(), "the template shows every setting");
    }

    #[test]
    fn the_committed_config_schema_is_current() {
        let committed = include_str!("../../../schema/kb-toml.schema.json");
        let current = serde_json::to_string_pretty(&crate::config::json_schema()).unwrap() + "\n";
        assert_eq!(
            committed, current,
            "run `kb config-schema > schema/kb-toml.schema.json`"
        );
    }

    #[test]
    fn version_names_the_schema_version() {
        assert!(crate::args::VERSION.ends_with(&format!("(schema {})", kb_model::SCHEMA_VERSION)));
    }
}
