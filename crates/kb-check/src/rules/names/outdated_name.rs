use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Flags a former name of a service, such as `Amazon Elasticsearch Service` (now `Amazon OpenSearch Service`).
    /// A former name written as history is left alone: on a line that names the service otherwise or speaks of the rename (`formerly`, `renamed`), or alone in brackets as an aside (`Default event bus (CloudWatch Events)`).
    ///
    /// ## Why is this bad?
    /// Notes keep names a service no longer has; readers search for the current name and miss them.
    ///
    /// ## Example
    /// ```markdown
    /// ## Amazon Elasticsearch Service
    /// ```
    /// Use instead:
    /// ```markdown
    /// ## Amazon OpenSearch Service
    /// ```
    ///
    /// ## Fix safety
    /// Safe: the replacement is the current canonical name recorded in the vocabulary.
    OutdatedName { code: "KB203", name: "outdated-name", severity: Warning, default_on: true, fix: Always }
}
