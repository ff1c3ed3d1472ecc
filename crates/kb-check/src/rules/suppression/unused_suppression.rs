use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a suppression comment (`<!-- kb-ignore KB201 -->`, `<!-- kb-ignore-file KB302 -->`)
    /// that suppresses nothing: the finding it was written for is gone, or the code is wrong.
    ///
    /// ## Why is this bad?
    /// Stale suppressions hide the next real finding on that line.
    ///
    /// ## Example
    /// ```markdown
    /// ## Amazon SageMaker <!-- kb-ignore KB201 -->
    /// ```
    /// after the misspelling was fixed.
    ///
    /// ## Fix safety
    /// There is no fix yet: remove the comment or the code.
    UnusedSuppression { code: "KB901", name: "unused-suppression", severity: Warning, default_on: true, fix: Never }
}
