use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports an entry that lacks a field the entry policy schema requires: by default a
    /// summary (a line saying what the service is) and at least one feature. Also a front
    /// matter key the front matter schema requires.
    ///
    /// ## Why is this bad?
    /// A heading with nothing under it is a gap in the knowledge base that looks filled; in an
    /// Anki deck it becomes a card with an empty back.
    ///
    /// ## Example
    /// ```markdown
    /// ## Amazon Macie
    ///
    /// ## Amazon GuardDuty
    /// - 위협 탐지 서비스
    /// ```
    /// Use instead: give `Amazon Macie` a summary line and a feature bullet. A summary is the
    /// first sentence of its paragraph (or first bullet): the sentences after it count as
    /// features, as bullets would.
    ///
    /// The requirements live in `schema/policy/entry.schema.json` (`required`, `minItems`): edit
    /// them to change what an entry needs.
    ///
    /// ## Fix safety
    /// There is no fix: only the author knows what to write.
    MissingField { code: "KB101", name: "missing-field", severity: Error, default_on: true, fix: Never }
}
