use crate::registry::declare_rule;

declare_rule! {
    /// ## What it does
    /// Flags a service name that is a near miss of a vocabulary name, such as `Segemaker` for `SageMaker`.
    /// In running text a near miss is guessed only where a name is clearly meant: after a vendor prefix (`Amazon Segemaker`), in a product-shaped word (`DynamoBD`), or in a capitalised word one slip from a camel-case name (`Segemaker is great`). A small `l` typed for a capital `I` before another capital (`AWS loT`, `lAM`) is a slip of the name it spells. Words spelling out a bracketed abbreviation (`Key Managment Service (KMS)`) are compared with that service's own full names, so a slip in them is flagged even where the name is made of ordinary words. Ordinary words (`Healthcare`, `Translated`) are never guessed at.
    ///
    /// ## Why is this bad?
    /// The entry does not resolve as written: searches, exports and duplicate detection see a different name than the rest of the vault.
    ///
    /// ## Example
    /// ```markdown
    /// ## Segemaker
    /// ```
    /// Use instead:
    /// ```markdown
    /// ## SageMaker
    /// ```
    ///
    /// ## Fix safety
    /// Safe when the misspelling is recorded in the vocabulary; unsafe when it is guessed by edit distance (exactly one close candidate); no fix when two names are equally close. A name interrupted by markup gets no fix.
    MisspelledName { code: "KB201", name: "misspelled-name", severity: Error, default_on: true, fix: Sometimes }
}
