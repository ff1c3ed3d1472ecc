//! `kb.toml`: discovered upward from the checked path, or named with `--config`.

use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};
use kb_check::{AnchorStyle, Selection, Severity};
use serde::Deserialize;

use crate::files::{display_path, Failure};

pub const FILE_NAME: &str = "kb.toml";

/// Obsidian's own folders and template notes are not notes of the knowledge base.
const DEFAULT_EXCLUDE: &[&str] = &[".obsidian/", ".trash/", "templates/"];

/// `kb.toml`. The doc comments become the descriptions of its JSON Schema (`kb config-schema`).
#[derive(Debug, Default, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
#[schemars(
    title = "kb.toml",
    description = "Configuration of kb, the knowledge-base linter."
)]
struct RawConfig {
    /// A vocabulary file to use instead of the built-in one (relative to this file).
    vocabulary: Option<PathBuf>,
    /// A folder holding `entry.schema.json`, `front-matter.schema.json` and `note.schema.json`
    /// to use instead of the built-in policy schemas (relative to this file).
    schemas: Option<PathBuf>,
    /// Only these rules: codes (`KB201`), prefixes (`KB2`), names or `ALL`.
    select: Option<Vec<String>>,
    /// These rules too.
    #[serde(default)]
    extend_select: Vec<String>,
    /// Not these rules.
    #[serde(default)]
    ignore: Vec<String>,
    /// Rule → `error`, `warning` or `info`.
    #[serde(default)]
    #[schemars(with = "std::collections::BTreeMap<String, SeverityName>")]
    severity: std::collections::BTreeMap<String, String>,
    /// Globs of paths that are not notes (replaces the defaults `.obsidian/`, `.trash/`,
    /// `templates/`).
    exclude: Option<Vec<String>>,
    /// Globs of paths that are not notes, besides the defaults.
    #[serde(default)]
    extend_exclude: Vec<String>,
    /// How headings become link anchors: `github` or `kramdown`.
    #[schemars(with = "Option<AnchorStyleName>")]
    anchor_style: Option<String>,
    /// Service id or canonical name → names the vault also accepts for it.
    #[serde(default)]
    aliases: std::collections::BTreeMap<String, Vec<String>>,
    /// Words never reported as service names.
    #[serde(default)]
    accepted_words: Vec<String>,
    /// Rule settings for some paths; the last matching override wins.
    #[serde(default)]
    overrides: Vec<RawOverride>,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
struct RawOverride {
    /// Globs of the notes this override is for.
    path: Vec<String>,
    /// These rules too, for these notes.
    #[serde(default)]
    extend_select: Vec<String>,
    /// Not these rules, for these notes.
    #[serde(default)]
    ignore: Vec<String>,
    /// Rule → `error`, `warning` or `info`, for these notes.
    #[serde(default)]
    #[schemars(with = "std::collections::BTreeMap<String, SeverityName>")]
    severity: std::collections::BTreeMap<String, String>,
}

/// The schema's names for severities (the file holds strings, checked when loaded).
#[derive(schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
#[allow(dead_code)] // Only its schema is used.
enum SeverityName {
    Error,
    Warning,
    Info,
}

#[derive(schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
#[allow(dead_code)] // Only its schema is used.
enum AnchorStyleName {
    Github,
    Kramdown,
}

/// The JSON Schema of `kb.toml` (draft 2020-12).
pub fn json_schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(RawConfig)).unwrap_or_default()
}

const TOP_KEYS: &[&str] = &[
    "vocabulary",
    "schemas",
    "select",
    "extend-select",
    "ignore",
    "severity",
    "exclude",
    "extend-exclude",
    "anchor-style",
    "aliases",
    "accepted-words",
    "overrides",
];
const OVERRIDE_KEYS: &[&str] = &["path", "extend-select", "ignore", "severity"];

/// Rule selection options given on the command line; they win over the file.
#[derive(Debug, Default, Clone)]
pub struct CliRules {
    pub select: Option<Vec<String>>,
    pub extend_select: Vec<String>,
    pub ignore: Vec<String>,
}

/// The settings a run uses, resolved from the file and the command line.
#[derive(Debug)]
pub struct Settings {
    /// The configuration file, if one was found.
    pub file: Option<PathBuf>,
    pub vocabulary: Option<PathBuf>,
    pub schemas: Option<PathBuf>,
    pub selection: Selection,
    pub exclude: GlobSet,
    pub anchor_style: AnchorStyle,
    /// Service id or canonical name → extra accepted aliases.
    pub aliases: Vec<(String, Vec<String>)>,
    pub accepted_words: Vec<String>,
    overrides: Vec<(GlobSet, Selection)>,
}

impl Settings {
    /// The selection for the note at `path` (the last matching override wins).
    pub fn selection_for(&self, path: &str) -> &Selection {
        self.overrides
            .iter()
            .rev()
            .find(|(globs, _)| globs.is_match(path))
            .map_or(&self.selection, |(_, selection)| selection)
    }

    pub fn is_excluded(&self, path: &str) -> bool {
        self.exclude.is_match(path) || self.exclude.is_match(format!("{path}/"))
    }
}

/// Find `kb.toml` in the folder of `start` or any folder above it.
pub fn discover(start: &Path) -> Option<PathBuf> {
    let absolute = std::fs::canonicalize(start).ok()?;
    let mut dir = if absolute.is_dir() {
        Some(absolute.as_path())
    } else {
        absolute.parent()
    };
    while let Some(current) = dir {
        let candidate = current.join(FILE_NAME);
        if candidate.is_file() {
            // Shown relative to the working folder when it is below it.
            let cwd = std::env::current_dir().and_then(std::fs::canonicalize).ok();
            let relative = cwd.and_then(|cwd| candidate.strip_prefix(cwd).ok().map(Path::to_path_buf));
            return Some(relative.unwrap_or(candidate));
        }
        dir = current.parent();
    }
    None
}

fn did_you_mean(key: &str, known: &[&str]) -> String {
    known
        .iter()
        .map(|k| (strsim::levenshtein(key, k), *k))
        .filter(|(d, _)| *d <= 3)
        .min()
        .map(|(_, k)| format!(" (did you mean `{k}`?)"))
        .unwrap_or_default()
}

fn check_keys(table: &toml::Table, known: &[&str], path: &Path, within: &str) -> Result<(), Failure> {
    for key in table.keys() {
        if !known.contains(&key.as_str()) {
            return Err(Failure::Config {
                path: display_path(path),
                message: format!("unknown key `{within}{key}`{}", did_you_mean(key, known)),
            });
        }
    }
    Ok(())
}

fn severities(
    map: &std::collections::BTreeMap<String, String>,
    path: &Path,
) -> Result<Vec<(String, Severity)>, Failure> {
    map.iter()
        .map(|(rule, value)| {
            Severity::parse(value)
                .map(|s| (rule.clone(), s))
                .ok_or_else(|| Failure::Config {
                    path: display_path(path),
                    message: format!(
                        "severity of `{rule}` must be `error`, `warning` or `info`, not `{value}`"
                    ),
                })
        })
        .collect()
}

/// Globs as gitignore-like patterns: `drafts/` matches that folder anywhere, `/drafts` only at
/// the top, `*.tmp.md` any such file.
fn globs(patterns: &[String], path: Option<&Path>) -> Result<GlobSet, Failure> {
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        let trimmed = pattern.trim_end_matches('/');
        let anchored = trimmed.strip_prefix('/');
        let base = anchored.unwrap_or(trimmed);
        let forms = if anchored.is_some() {
            vec![base.to_owned(), format!("{base}/**")]
        } else {
            vec![
                base.to_owned(),
                format!("**/{base}"),
                format!("{base}/**"),
                format!("**/{base}/**"),
            ]
        };
        for form in forms {
            let glob = Glob::new(&form).map_err(|e| Failure::Config {
                path: path
                    .map(display_path)
                    .unwrap_or_else(|| "command line".to_owned()),
                message: format!("bad pattern `{pattern}`: {e}"),
            })?;
            builder.add(glob);
        }
    }
    builder.build().map_err(|e| Failure::Config {
        path: path.map(display_path).unwrap_or_default(),
        message: e.to_string(),
    })
}

fn selection_error(path: Option<&Path>, error: kb_check::SelectionError) -> Failure {
    Failure::Config {
        path: path
            .map(display_path)
            .unwrap_or_else(|| "command line".to_owned()),
        message: error.to_string(),
    }
}

/// Read the configuration (`explicit`, or the one discovered from `start`) and merge `cli`.
pub fn load(explicit: Option<&Path>, start: &Path, cli: &CliRules) -> Result<Settings, Failure> {
    let file = match explicit {
        Some(path) => {
            if !path.is_file() {
                return Err(Failure::NoSuchPath {
                    path: display_path(path),
                });
            }
            Some(path.to_path_buf())
        }
        None => discover(start),
    };
    let raw = match &file {
        None => RawConfig::default(),
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|source| Failure::ReadConfig {
                path: display_path(path),
                source,
            })?;
            let table: toml::Table = text.parse().map_err(|e: toml::de::Error| Failure::Config {
                path: display_path(path),
                message: e.message().to_owned(),
            })?;
            check_keys(&table, TOP_KEYS, path, "")?;
            if let Some(toml::Value::Array(items)) = table.get("overrides") {
                for item in items {
                    if let toml::Value::Table(t) = item {
                        check_keys(t, OVERRIDE_KEYS, path, "overrides.")?;
                    }
                }
            }
            RawConfig::deserialize(toml::Value::Table(table)).map_err(|e| Failure::Config {
                path: display_path(path),
                message: e.message().to_owned(),
            })?
        }
    };
    resolve(raw, file, cli)
}

/// The settings of a run without any configuration file.
pub fn defaults() -> Result<Settings, Failure> {
    resolve(RawConfig::default(), None, &CliRules::default())
}

fn resolve(raw: RawConfig, file: Option<PathBuf>, cli: &CliRules) -> Result<Settings, Failure> {
    let path = file.as_deref();
    let base = path
        .and_then(Path::parent)
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let severity = severities(&raw.severity, path.unwrap_or(Path::new(FILE_NAME)))?;
    let select = cli.select.as_deref().or(raw.select.as_deref());
    let mut extend = raw.extend_select.clone();
    extend.extend(cli.extend_select.iter().cloned());
    let mut ignore = raw.ignore.clone();
    ignore.extend(cli.ignore.iter().cloned());
    let selection =
        Selection::build(select, &extend, &ignore, &severity).map_err(|e| selection_error(path, e))?;

    let mut overrides = Vec::new();
    for o in &raw.overrides {
        let mut o_extend = extend.clone();
        o_extend.extend(o.extend_select.iter().cloned());
        let mut o_ignore = ignore.clone();
        o_ignore.extend(o.ignore.iter().cloned());
        let mut o_severity = severity.clone();
        o_severity.extend(severities(&o.severity, path.unwrap_or(Path::new(FILE_NAME)))?);
        let o_selection = Selection::build(select, &o_extend, &o_ignore, &o_severity)
            .map_err(|e| selection_error(path, e))?;
        overrides.push((globs(&o.path, path)?, o_selection));
    }

    let mut exclude: Vec<String> = raw
        .exclude
        .clone()
        .unwrap_or_else(|| DEFAULT_EXCLUDE.iter().map(|s| (*s).to_owned()).collect());
    exclude.extend(raw.extend_exclude.iter().cloned());
    let anchor_style = match raw.anchor_style.as_deref() {
        None => AnchorStyle::default(),
        Some(style) => AnchorStyle::parse(style).ok_or_else(|| Failure::Config {
            path: path.map(display_path).unwrap_or_default(),
            message: format!("`anchor-style` must be `github` or `kramdown`, not `{style}`"),
        })?,
    };
    Ok(Settings {
        file: file.clone(),
        vocabulary: raw.vocabulary.map(|p| base.join(p)),
        schemas: raw.schemas.map(|p| base.join(p)),
        selection,
        exclude: globs(&exclude, path)?,
        anchor_style,
        aliases: raw.aliases.into_iter().collect(),
        accepted_words: raw.accepted_words,
        overrides,
    })
}
