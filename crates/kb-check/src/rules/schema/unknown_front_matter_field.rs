use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a front matter key the front matter schema does not list (with
    /// `additionalProperties: false`, as the default schema has).
    ///
    /// ## Why is this bad?
    /// A misspelled key (`tag:` for `tags:`) is silently ignored by Jekyll and Obsidian.
    ///
    /// ## Example
    /// ```markdown
    /// ---
    /// tag: [aws]
    /// ---
    /// ```
    /// Use instead: `tags: [aws]`.
    ///
    /// Off by default: vaults use many plugin keys. Select it with `extend-select = ["KB103"]`.
    ///
    /// ## Fix safety
    /// There is no fix.
    UnknownFrontMatterField { code: "KB103", name: "unknown-front-matter-field", severity: Warning, default_on: false, fix: Never }
}
