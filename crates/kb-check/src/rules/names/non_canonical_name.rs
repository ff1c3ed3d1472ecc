use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Flags a name that is recognisably a service but not written the way AWS writes it: a wrong vendor prefix (`AWS EC2` for `Amazon EC2`), wrong spacing (`Cloud Search` for `CloudSearch`), a singular for a plural name (`AWS Organization`), words spelling out a bracketed abbreviation with a small word left out (`Identity Access Management (IAM)`).
    ///
    /// ## Why is this bad?
    /// Inconsistent names split one service into several in searches, exports and flash cards.
    ///
    /// ## Example
    /// ```markdown
    /// ## AWS DynamoDB
    /// ```
    /// Use instead:
    /// ```markdown
    /// ## Amazon DynamoDB
    /// ```
    ///
    /// ## Fix safety
    /// Safe: the suggestion is an accepted spelling of the same service, keeping the note's style (no prefix added where the note wrote none). A name interrupted by markup gets no fix.
    NonCanonicalName { code: "KB202", name: "non-canonical-name", severity: Warning, default_on: true, fix: Always }
}
