use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports an entry whose name looks like a service (a vendor prefix and a capitalised name) but is not in the vocabulary.
    ///
    /// ## Why is this bad?
    /// Either the vocabulary lacks a service (add it, or an alias in `kb.toml`) or the name is wrong.
    ///
    /// ## Example
    /// ```markdown
    /// ## Amazon Nova
    /// ```
    /// Use instead:
    /// ```markdown
    /// ## Amazon Bedrock
    /// ```
    ///
    /// ## Fix safety
    /// There is no fix: kb cannot know the intended name.
    UnknownService { code: "KB205", name: "unknown-service", severity: Info, default_on: true, fix: Never }
}
