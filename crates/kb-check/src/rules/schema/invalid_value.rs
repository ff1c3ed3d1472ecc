use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a value that breaks a constraint of the policy schemas other than a missing
    /// field: a summary longer than `maxLength`, a front matter `date` that is not a date, a
    /// `tags` value that is not a list.
    ///
    /// ## Why is this bad?
    /// Tools that read the knowledge base (exports, static sites) rely on these shapes.
    ///
    /// ## Example
    /// ```markdown
    /// ---
    /// date: next tuesday
    /// ---
    /// ```
    /// Use instead: `date: 2024-05-01` or `date: 2024-05-01 09:00:00 +0900`.
    ///
    /// ## Fix safety
    /// There is no fix.
    InvalidValue { code: "KB102", name: "invalid-value", severity: Error, default_on: true, fix: Never }
}
