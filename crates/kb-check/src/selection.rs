//! Which rules run, and at what severity.

use std::collections::BTreeMap;

use crate::diagnostic::Severity;
use crate::rules;

/// The rules that run and their severities.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    severities: BTreeMap<&'static str, Severity>,
}

/// A rule selector that matches no rule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{selector}` is not a kb rule{}", suggestion.as_ref().map(|s| format!(" (did you mean `{s}`?)")).unwrap_or_default())]
pub struct SelectionError {
    pub selector: String,
    pub suggestion: Option<String>,
}

/// The codes a selector names: a code (`KB201`), a prefix (`KB2`), a rule name, or `ALL`.
fn expand(selector: &str) -> Result<Vec<&'static str>, SelectionError> {
    let upper = selector.to_ascii_uppercase();
    let codes: Vec<&'static str> = rules::ALL
        .iter()
        .filter(|r| upper == "ALL" || r.code.starts_with(&upper) || r.name == selector)
        .map(|r| r.code)
        .collect();
    if codes.is_empty() || upper.len() < 3 && upper != "ALL" {
        let suggestion = rules::ALL
            .iter()
            .flat_map(|r| [r.code, r.name])
            .min_by_key(|candidate| strsim_distance(selector, candidate))
            .filter(|candidate| strsim_distance(selector, candidate) <= 3)
            .map(str::to_owned);
        return Err(SelectionError {
            selector: selector.to_owned(),
            suggestion,
        });
    }
    Ok(codes)
}

/// Edit distance, case-insensitive (for "did you mean").
fn strsim_distance(a: &str, b: &str) -> usize {
    strsim::levenshtein(&a.to_lowercase(), &b.to_lowercase())
}

impl Default for Selection {
    fn default() -> Self {
        Selection::defaults()
    }
}

impl Selection {
    /// The rules that are on by default, at their default severities.
    pub fn defaults() -> Selection {
        Selection {
            severities: rules::ALL
                .iter()
                .filter(|r| r.default_on)
                .map(|r| (r.code, r.severity))
                .collect(),
        }
    }

    /// Start from `select` (or the defaults), add `extend_select`, remove `ignore`, then set
    /// severities. Ruff's order: select, then extend, then ignore.
    pub fn build(
        select: Option<&[String]>,
        extend_select: &[String],
        ignore: &[String],
        severities: &[(String, Severity)],
    ) -> Result<Selection, SelectionError> {
        let mut selection = match select {
            None => Selection::defaults(),
            Some(selectors) => {
                let mut selection = Selection {
                    severities: BTreeMap::new(),
                };
                selection.add(selectors)?;
                selection
            }
        };
        selection.add(extend_select)?;
        for selector in ignore {
            for code in expand(selector)? {
                selection.severities.remove(code);
            }
        }
        for (selector, severity) in severities {
            for code in expand(selector)? {
                selection.severities.insert(code, *severity);
            }
        }
        Ok(selection)
    }

    fn add(&mut self, selectors: &[String]) -> Result<(), SelectionError> {
        for selector in selectors {
            for code in expand(selector)? {
                let severity = rules::find(code).map_or(Severity::Error, |r| r.severity);
                self.severities.entry(code).or_insert(severity);
            }
        }
        Ok(())
    }

    /// The severity of `code`, or `None` when the rule is off.
    pub fn severity(&self, code: &str) -> Option<Severity> {
        self.severities.get(code).copied()
    }

    /// Every warning becomes an error (`--deny-warnings`).
    pub fn deny_warnings(&mut self) {
        for severity in self.severities.values_mut() {
            if *severity == Severity::Warning {
                *severity = Severity::Error;
            }
        }
    }

    pub fn codes(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.severities.keys().copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_quiet() {
        let selection = Selection::defaults();
        assert_eq!(selection.severity("KB201"), Some(Severity::Error));
        assert_eq!(selection.severity("KB302"), Some(Severity::Warning));
        assert_eq!(selection.severity("KB103"), None);
        assert_eq!(selection.severity("KB204"), None);
        assert_eq!(selection.severity("KB402"), None);
    }

    #[test]
    fn select_extend_ignore_and_severity() {
        let s = |v: &[&str]| v.iter().map(|x| (*x).to_owned()).collect::<Vec<_>>();
        let selection = Selection::build(
            Some(&s(&["KB2"])),
            &s(&["missing-anchor"]),
            &s(&["KB205"]),
            &[("KB202".to_owned(), Severity::Error)],
        )
        .unwrap();
        let codes: Vec<&str> = selection.codes().collect();
        assert_eq!(codes, ["KB201", "KB202", "KB203", "KB204", "KB402"]);
        assert_eq!(selection.severity("KB202"), Some(Severity::Error));
        let error = Selection::build(None, &s(&["KB2O1"]), &[], &[]).unwrap_err();
        assert_eq!(
            error.to_string(),
            "`KB2O1` is not a kb rule (did you mean `KB201`?)"
        );
    }
}
