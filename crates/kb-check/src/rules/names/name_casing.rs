use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Flags a correctly spelled service name in the wrong case, such as `Cloudfront` or `Sagemaker`. Title case of a lower-case feature name (`Security Groups`) is accepted.
    ///
    /// ## Why is this bad?
    /// Off by default: casing is style. Select it for a vault that wants names exactly as AWS writes them.
    ///
    /// ## Example
    /// ```markdown
    /// ## Cloudfront
    /// ```
    /// Use instead:
    /// ```markdown
    /// ## CloudFront
    /// ```
    ///
    /// ## Fix safety
    /// Safe: only the case of the letters changes.
    NameCasing { code: "KB204", name: "name-casing", severity: Warning, default_on: false, fix: Always }
}
