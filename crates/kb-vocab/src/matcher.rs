//! Matching written names against the vocabulary.
//!
//! Order of trust, as DESIGN says: an exact or accepted name resolves; a name with the wrong
//! vendor prefix or wrong spacing is non-canonical; a former name is outdated; a near miss with
//! exactly one close candidate is misspelled; anything else is unknown. False positives are worse
//! than misses, so every step is conservative.

use std::ops::Range;

use compact_str::CompactString;
use kb_model::NameProblemKind;
use unicode_normalization::UnicodeNormalization;

use crate::tokens::{is_hangul, is_syllable, join, joinable_gap, tokenize, with_key, Token};
use crate::{NameForm, NameKind, ServiceId, ServiceType, Vocabulary};

/// Where a name is written; ordinary-word names (Lambda, Glue) only count in name positions
/// or when capitalised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Position {
    /// A heading, a bold label, a file name: the writer meant a name.
    Name,
    /// Running text.
    Prose,
}

/// A written name resolved to a service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameMatch {
    pub service: ServiceId,
    /// Byte range of the name in the searched text.
    pub span: Range<usize>,
    /// How the vocabulary knows the matched spelling.
    pub kind: NameKind,
    /// What is wrong with the spelling, and the spelling to use instead.
    pub problem: Option<(NameProblemKind, String)>,
}

/// The result of resolving a whole name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    Match(NameMatch),
    /// Two or more services are equally close: no suggestion can be made.
    Ambiguous(Vec<ServiceId>),
    Unknown,
}

impl Found {
    pub fn into_match(self) -> Option<NameMatch> {
        match self {
            Found::Match(m) => Some(m),
            _ => None,
        }
    }
}

impl Vocabulary {
    /// Resolve `text` as one whole name (a heading's name part, a bold label, a file stem).
    pub fn resolve_name(&self, text: &str) -> Found {
        // A sentence (a summary asked whether it is an expansion) is no name: ruled out before
        // the cache, which would otherwise keep it.
        if crate::tokens::at_least_words(text, self.max_tokens() + 3) {
            return Found::Unknown;
        }
        if let Some(found) = self.resolved.get(text) {
            return found;
        }
        let found = self.resolve(text, true);
        self.resolved.put(text, &found);
        found
    }

    /// As [`Vocabulary::resolve_name`], without guessing at near misses: only names the
    /// vocabulary knows, written with a wrong prefix, spacing or number.
    pub fn resolve_known(&self, text: &str) -> Found {
        self.resolve(text, false)
    }

    fn resolve(&self, text: &str, guess: bool) -> Found {
        let tokens = tokenize(text);
        // No name is that long, even with a prefix it does not carry and a word more or less
        // (a near miss): a sentence, not a name.
        if tokens.is_empty() || tokens.len() > self.max_tokens() + 2 || !all_joinable(text, &tokens) {
            return Found::Unknown;
        }
        let span = tokens[0].start..tokens[tokens.len() - 1].end;
        if let Some(m) = self.exact(text, &tokens, Position::Name) {
            return Found::Match(m);
        }
        if let Some(m) = self.squashed_match(text, &tokens) {
            return Found::Match(m);
        }
        if let Some(m) = self.plural_match(text, &tokens) {
            return Found::Match(m);
        }
        if !guess {
            return Found::Unknown;
        }
        if let Some(m) = self.small_l_for_capital_i(text, &tokens) {
            return Found::Match(m);
        }
        self.near_miss(text, &tokens, span)
    }

    /// `AWS loT` for `AWS IoT`: a capital `I` typed as a small `l` (alike in most sans-serif
    /// fonts), in a word with a capital after it. No ordinary word is spelled like that, and
    /// a short abbreviation is otherwise never guessed at.
    fn small_l_for_capital_i(&self, text: &str, tokens: &[Token]) -> Option<NameMatch> {
        let slip = |token: &&Token| {
            let word = &text.as_bytes()[token.start..token.end];
            word.len() >= 2 && word[0] == b'l' && word[1..].iter().any(u8::is_ascii_uppercase)
        };
        // Asked of every name the vocabulary does not know: most have no such word, and are
        // not copied.
        if !tokens.iter().any(|t| slip(&t)) {
            return None;
        }
        let mut bytes = text.as_bytes().to_vec();
        for token in tokens.iter().filter(slip) {
            bytes[token.start] = b'I';
        }
        // One ASCII byte for another: still UTF-8, every offset where it was.
        let fixed = String::from_utf8(bytes).ok()?;
        let fixed_tokens = tokenize(&fixed);
        let found = self.exact(&fixed, &fixed_tokens, Position::Name)?;
        let suggestion = match &found.problem {
            Some((_, suggestion)) => suggestion.clone(),
            None => fixed[found.span.clone()].to_owned(),
        };
        Some(NameMatch {
            problem: Some((NameProblemKind::Misspelled, suggestion)),
            ..found
        })
    }

    /// `AWS Organization` for `AWS Organizations`, `EBS Snapshot` for `EBS snapshots`: the name
    /// with one `s` more or less at its end. Non-canonical for a service; fine for a feature,
    /// whose name is a common noun.
    fn plural_match(&self, text: &str, tokens: &[Token]) -> Option<NameMatch> {
        let (last, rest) = tokens.split_last()?;
        let toggled = match last.folded.strip_suffix('s') {
            // `Kinesiss` is a slip, not a plural of `Kinesis`.
            Some(singular) if singular.chars().count() >= 3 && !singular.ends_with('s') => {
                singular.to_owned()
            }
            Some(_) => return None,
            None if last.folded.chars().count() >= 3 && last.folded.chars().all(|c| c.is_alphabetic()) => {
                format!("{}s", last.folded)
            }
            None => return None,
        };
        let mut changed: Vec<Token> = rest.to_vec();
        changed.push(Token {
            folded: toggled.into(),
            ..last.clone()
        });
        let mut found = self.exact(text, &changed, Position::Name)?;
        if !matches!(
            found.kind,
            NameKind::Canonical | NameKind::Alias | NameKind::Bare | NameKind::Word
        ) {
            return None;
        }
        let forms = with_key(&changed, |key| self.forms(key))?;
        found.problem = match self.service(found.service).kind {
            ServiceType::Feature => None,
            _ => Some((NameProblemKind::NonCanonical, forms[0].text.clone())),
        };
        Some(found)
    }

    /// How `text`, written as the long form of `service`'s abbreviation (`Key Managment
    /// Service (KMS)`), compares with that service's full names: `Some(None)` when it is one
    /// of them, `Some(problem)` when it is one with a slip in it or with a small word such as
    /// `and` left out, `None` when it is not close to any. Only this service's names are
    /// compared, so ordinary-word names (`Key Management Service`) count, which a guess across
    /// the whole vocabulary never tries.
    pub fn spelled_out_as(
        &self,
        service: ServiceId,
        text: &str,
    ) -> Option<Option<(NameProblemKind, String)>> {
        const SMALL: &[&str] = &["and", "of", "for", "the", "on"];
        let tokens = tokenize(text);
        if tokens.is_empty() || !all_joinable(text, &tokens) {
            return None;
        }
        let written = join(&tokens);
        let written_chars = comparable(&written);
        let prefixed = self.is_vendor_prefix_folded(&tokens[0].folded);
        let budget = slips_allowed(written_chars.iter().filter(|c| **c != ' ').count());
        // The closest spelling: fewest slips, then no small word left out, then written with a
        // prefix as the text is, then by kind and spelling (for a stable choice).
        type Rank<'v> = (usize, bool, bool, NameKind, &'v str);
        let mut best: Option<(Rank<'_>, &NameForm)> = None;
        for (key, form) in self
            .by_key_iter()
            .filter(|(_, f)| f.service == service)
            .filter(|(_, f)| {
                matches!(
                    f.kind,
                    NameKind::Canonical | NameKind::Alias | NameKind::Bare | NameKind::Word
                )
            })
        {
            let without_small: String = key
                .split(' ')
                .filter(|w| !SMALL.contains(w))
                .collect::<Vec<_>>()
                .join(" ");
            let form_prefixed = key
                .split(' ')
                .next()
                .is_some_and(|w| self.is_vendor_prefix_folded(w));
            for (compared, left_out) in [(key.as_str(), false), (without_small.as_str(), true)] {
                if left_out && compared == key {
                    continue;
                }
                let compared_chars = comparable(compared);
                // Too long or too short to be that close gives `None` before any distance is
                // worked out (a heading of any length can reach here).
                let Some(distance) = damerau_levenshtein_within(&written_chars, &compared_chars, budget)
                else {
                    continue;
                };
                let rank = (
                    distance,
                    left_out,
                    form_prefixed != prefixed,
                    form.kind,
                    form.text.as_str(),
                );
                if best.is_none_or(|(b, _)| rank < b) {
                    best = Some((rank, form));
                }
            }
        }
        let ((distance, left_out, ..), form) = best?;
        Some(match (distance, left_out) {
            (0, false) => None,
            (0, true) => Some((NameProblemKind::NonCanonical, form.text.clone())),
            _ => Some((NameProblemKind::Misspelled, form.text.clone())),
        })
    }

    /// Whether `text` describes a service rather than naming it: a vendor prefix, then Hangul
    /// words only (`AWS 블록체인 서비스`).
    pub fn tokens_are_description(&self, text: &str) -> bool {
        let tokens = tokenize(text);
        match tokens.split_first() {
            Some((first, rest)) if self.prefix_folded(&first.folded).is_some() => {
                !rest.is_empty() && rest.iter().all(|t| t.folded.chars().all(is_hangul))
            }
            _ => false,
        }
    }

    /// The tokens of running text that a name in it can be made of: every word of a name the
    /// vocabulary knows, and every word with a capital or a digit (the shapes a product name
    /// takes, which the prose checks look at). Other words are left out: a name that would
    /// run across one cannot match (its gap holds letters, so the words do not join), and
    /// most words of a note are such words. What [`Vocabulary::find_names_in`] finds in
    /// running text on these tokens equals what it finds on every token.
    pub fn prose_tokens(&self, text: &str) -> Vec<Token> {
        let mut tokens = Vec::with_capacity(text.len() / 6);
        self.prose_tokens_into(text, &mut tokens);
        tokens
    }

    /// As [`Vocabulary::prose_tokens`], appending to `tokens` (offsets still from the start
    /// of `text`): the runs of a note can share one buffer.
    pub fn prose_tokens_into(&self, text: &str, tokens: &mut Vec<Token>) {
        crate::tokens::tokenize_keeping_into(
            text,
            |word, shape, marked| match shape {
                crate::tokens::Shape::Ascii => marked || self.is_name_word(word),
                // Folded as they stand: no case, already NFC.
                crate::tokens::Shape::Syllables => self.is_name_word(word),
                crate::tokens::Shape::Other => true,
            },
            tokens,
        );
    }

    /// Every service name in `text`, longest first, not overlapping, in text order.
    pub fn find_names(&self, text: &str, position: Position) -> Vec<NameMatch> {
        self.find_names_in(text, &tokenize(text), position)
    }

    /// As [`Vocabulary::find_names`], on `text` already split by [`tokenize`].
    pub fn find_names_in(&self, text: &str, tokens: &[Token], position: Position) -> Vec<NameMatch> {
        let mut found = Vec::new();
        self.find_names_into(text, tokens, position, &mut found);
        found
    }

    /// As [`Vocabulary::find_names_in`], appending to `found`: the runs of a note can share
    /// one buffer (most runs name nothing or one service, and a new list for each cost an
    /// allocation).
    pub fn find_names_into(
        &self,
        text: &str,
        tokens: &[Token],
        position: Position,
        found: &mut Vec<NameMatch>,
    ) {
        let mut i = 0;
        while i < tokens.len() {
            let rest = tokens.len() - i;
            let exact_longest = self.longest_from(&tokens[i].folded).min(rest);
            // `Cloud Search` is tried as `CloudSearch` in names, whatever its first word.
            let longest = if position == Position::Name {
                exact_longest.max(2.min(rest))
            } else {
                exact_longest
            };
            let mut matched = None;
            for len in (1..=longest).rev() {
                let window = &tokens[i..i + len];
                if !all_joinable(text, window) {
                    continue;
                }
                if len <= exact_longest {
                    if let Some(m) = self.exact(text, window, position) {
                        matched = Some((len, m));
                        break;
                    }
                }
                if len == 2 && position == Position::Name {
                    if let Some(m) = self.squashed_match(text, window) {
                        matched = Some((len, m));
                        break;
                    }
                }
            }
            match matched {
                Some((len, m)) => {
                    found.push(m);
                    i += len;
                }
                None => i += 1,
            }
        }
    }

    /// The service named by `tokens` exactly (or with a wrong vendor prefix).
    fn exact(&self, text: &str, tokens: &[Token], position: Position) -> Option<NameMatch> {
        let span = tokens[0].start..tokens[tokens.len() - 1].end;
        // Most windows are one word, whose key is its folded form as it stands.
        let forms = match tokens {
            [one] => self.forms(&one.folded),
            _ => with_key(tokens, |key| self.forms(key)),
        };
        if let Some(forms) = forms {
            let form = &forms[0];
            if !allowed(text, tokens, form, position) || is_plural_of_capitals(&text[span.clone()], forms) {
                return None;
            }
            let problem = match form.kind {
                NameKind::Former => {
                    Some((NameProblemKind::Outdated, self.service(form.service).name.clone()))
                }
                NameKind::Misspelling => {
                    Some((NameProblemKind::Misspelled, self.correct_spelling(form, None)))
                }
                _ => casing_problem(text, tokens, forms),
            };
            return Some(NameMatch {
                service: form.service,
                span,
                kind: form.kind,
                problem,
            });
        }
        // `AWS SageMaker`: a prefix the service does not carry.
        let (first, rest) = tokens.split_first()?;
        let (_, written_prefix) = self.prefix_folded(&first.folded)?;
        if rest.is_empty() {
            return None;
        }
        let forms = with_key(rest, |key| self.forms(key))?;
        let form = &forms[0];
        if form.tokens != rest.len() || form.kind == NameKind::Misspelling {
            return None;
        }
        // `AWS EC2 Container Service`: a former name, with or without its old prefix.
        if form.kind == NameKind::Former {
            return Some(NameMatch {
                service: form.service,
                span,
                kind: form.kind,
                problem: Some((NameProblemKind::Outdated, self.service(form.service).name.clone())),
            });
        }
        let canonical = &self.service(form.service).name;
        let right_prefix = self.prefix_of(canonical)?;
        if right_prefix.eq_ignore_ascii_case(written_prefix) {
            return None;
        }
        Some(NameMatch {
            service: form.service,
            span,
            kind: form.kind,
            problem: Some((
                NameProblemKind::NonCanonical,
                self.correct_spelling(form, Some(right_prefix)),
            )),
        })
    }

    /// `Cloud Search` for `CloudSearch`, `APP Stream` for `AppStream`: the right letters,
    /// spaced wrongly.
    fn squashed_match(&self, text: &str, tokens: &[Token]) -> Option<NameMatch> {
        let span = tokens[0].start..tokens[tokens.len() - 1].end;
        let (prefix, rest) = match tokens.split_first() {
            Some((first, rest)) if !rest.is_empty() && self.prefix_folded(&first.folded).is_some() => {
                (Some(&text[first.start..first.end]), rest)
            }
            _ => (None, tokens),
        };
        let squashed: CompactString = rest.iter().map(|t| t.folded.as_str()).collect();
        let keys = self.squashed(&squashed)?;
        let key = with_key(rest, |written| keys.iter().find(|k| *k != written))?;
        let form = self.forms(key)?.iter().find(|f| f.kind.is_accepted())?;
        // Korean spacing varies (`프리티어`, `프리 티어`): not a name problem.
        if rest.iter().all(|t| t.folded.chars().all(is_hangul)) {
            return Some(NameMatch {
                service: form.service,
                span,
                kind: form.kind,
                problem: None,
            });
        }
        // Only a name whose spelling differs in spacing (`cloudsearch` vs `cloud search`).
        let suggestion = match prefix {
            Some(p) if self.prefix_of(&form.text).is_none() => format!("{p} {}", form.text),
            _ => form.text.clone(),
        };
        Some(NameMatch {
            service: form.service,
            span,
            kind: form.kind,
            problem: Some((NameProblemKind::NonCanonical, suggestion)),
        })
    }

    /// A near miss: the closest accepted spelling, when exactly one service is that close.
    fn near_miss(&self, text: &str, tokens: &[Token], span: Range<usize>) -> Found {
        let written = join(tokens);
        let written_chars: Vec<char> = comparable(&written);
        // The vendor prefix is no evidence: `AWS Cloud` is not a slip of `AWS Cloud9`, nor
        // `AWS SAA` of `AWS SAM`.
        let named = match tokens.split_first() {
            Some((first, rest))
                if !rest.is_empty() && self.is_vendor_prefix(&text[first.start..first.end]) =>
            {
                rest
            }
            _ => tokens,
        };
        let letters: usize = named.iter().map(|t| comparable_len(&t.folded)).sum();
        let budget = slips_allowed(letters);
        if budget == 0 {
            return Found::Unknown;
        }
        let mut best: Option<(usize, Vec<&NameForm>)> = None;
        // Only spellings within `budget` characters of the written length can be that close.
        let fuzzy = self.fuzzy();
        let written_letters = LetterCounts::of(&written_chars);
        let written_initials = initials(&written);
        let low = fuzzy.partition_point(|f| f.chars.len() + budget < written_chars.len());
        let high = fuzzy.partition_point(|f| f.chars.len() <= written_chars.len() + budget);
        for candidate in &fuzzy[low..high] {
            // Former names count too: `Kineses Data Firehose` is a slip of one.
            let form = &candidate.form;
            if form.tokens.abs_diff(tokens.len()) > 1
                || !written_letters.within(&candidate.letters, budget)
                || !same_initials(&written_initials, &candidate.initials)
            {
                continue;
            }
            let Some(distance) = damerau_levenshtein_within(&written_chars, &candidate.chars, budget) else {
                continue;
            };
            if distance == 0 || !keeps_humps(&text[span.clone()], &form.text) {
                continue;
            }
            match &mut best {
                Some((d, forms)) if *d == distance => forms.push(form),
                Some((d, _)) if *d < distance => {}
                _ => best = Some((distance, vec![form])),
            }
        }
        let Some((_, forms)) = best else {
            return Found::Unknown;
        };
        let mut services: Vec<ServiceId> = forms.iter().map(|f| f.service).collect();
        services.sort();
        services.dedup();
        if services.len() > 1 {
            return Found::Ambiguous(services);
        }
        // Prefer the spelling closest in form to what was written (with or without a prefix).
        let form = forms
            .iter()
            .min_by_key(|f| (f.tokens.abs_diff(tokens.len()), f.kind))
            .copied();
        let Some(form) = form else {
            return Found::Unknown;
        };
        let suggestion = match form.kind {
            NameKind::Former => self.service(form.service).name.clone(),
            _ => form.text.clone(),
        };
        Found::Match(NameMatch {
            service: form.service,
            span,
            kind: form.kind,
            problem: Some((NameProblemKind::Misspelled, suggestion)),
        })
    }

    /// The vendor prefix a name starts with, as the vocabulary writes it.
    fn prefix_of(&self, name: &str) -> Option<&str> {
        let first = tokenize(name).into_iter().next()?;
        self.prefix_folded(&first.folded)
            .map(|(_, written)| written.as_str())
    }

    /// The accepted spelling to suggest for `form`, keeping the writer's style: a bare name
    /// stays bare, a prefixed one gets `prefix`.
    fn correct_spelling(&self, form: &NameForm, prefix: Option<&str>) -> String {
        let service = self.service(form.service);
        match (form.kind, prefix) {
            (NameKind::Misspelling | NameKind::Former, _) => service.name.clone(),
            (_, Some(prefix)) if self.prefix_of(&form.text).is_none() => {
                // `AWS Glacier` → not `Amazon Glacier` (a former name) but the canonical name.
                let prefixed = format!("{prefix} {}", form.text);
                let accepted = self
                    .forms(&crate::tokens::key_of(&prefixed))
                    .is_some_and(|forms| {
                        forms
                            .iter()
                            .any(|f| f.service == form.service && f.kind.is_accepted())
                    });
                if accepted {
                    prefixed
                } else {
                    service.name.clone()
                }
            }
            _ => form.text.clone(),
        }
    }
}

/// The first character of each word of a folded name (`elastic load balancer` → `e`, `l`,
/// `b`), worked out once per spelling rather than once per comparison.
pub(crate) fn initials(key: &str) -> Box<[char]> {
    key.split(' ').filter_map(|w| w.chars().next()).collect()
}

/// Names of as many words must start each word with the same letter: `Elastic Load Balancer`
/// is not a slip of `Classic Load Balancer`, whatever the edit distance says. Compares the
/// [`initials`] of the two names.
fn same_initials(written: &[char], candidate: &[char]) -> bool {
    written.len() != candidate.len()
        || written
            .iter()
            .zip(candidate)
            .all(|(&x, &y)| x == y || is_hangul(x) || is_hangul(y))
}

/// The Damerau–Levenshtein distance (insertions, deletions, substitutions and transpositions
/// of adjacent characters, a substring edited more than once allowed), as
/// `strsim::generic_damerau_levenshtein` computes it. Written here because that one hashes
/// every character with SipHash; names are short, so the characters already seen are kept in
/// a small list.
#[cfg(test)]
pub(crate) fn damerau_levenshtein(a: &[char], b: &[char]) -> usize {
    damerau_levenshtein_within(a, b, usize::MAX).unwrap_or(usize::MAX)
}

/// [`damerau_levenshtein`] when it is at most `bound`, else `None`, given up on as soon as
/// the rows worked out so far prove the distance larger: a near miss allows two slips at
/// most, and most spellings compared are further away than that.
pub(crate) fn damerau_levenshtein_within(a: &[char], b: &[char], bound: usize) -> Option<usize> {
    let (n, m) = (a.len(), b.len());
    if n.abs_diff(m) > bound {
        return None;
    }
    if n == 0 || m == 0 {
        return Some(n.max(m));
    }
    let width = m + 2;
    let max = n + m;
    // `d[(i + 1) * width + (j + 1)]`: the distance between a[..i] and b[..j]; row and column 0
    // hold `max`, a bound no path can reach. Only the cells with `i` and `j` at most `bound`
    // apart are worked out: the others are further than `bound`, so no path within it crosses
    // them, and they keep `max`. Two slips in a 40-letter name cost a band five cells wide,
    // not the whole table.
    let mut d = vec![max; (n + 2) * width];
    for i in 0..=n {
        d[(i + 1) * width + 1] = i;
    }
    for j in 0..=m {
        d[width + j + 1] = j;
    }
    // A cell takes its value from the row above (no cost added, or one), from its own row
    // (one added), or by a transposition from `k` rows above (at least `k - 1` added). So no
    // later row, and not the distance, can go below the least of this row's smallest value
    // and `earlier`: each earlier row's smallest value plus its distance back, less one. Once
    // that is over `bound`, so is the distance. The smallest value of a[..0]'s row is 0.
    let (mut last_row_min, mut earlier) = (0usize, usize::MAX);
    // The last row (1-based) of `a` each character was seen in.
    let mut seen: Vec<(char, usize)> = Vec::with_capacity(n);
    for i in 1..=n {
        let (low, high) = (i.saturating_sub(bound).max(1), i.saturating_add(bound).min(m));
        // The last column left of the band where b matches a[i - 1]: a transposition may
        // start there.
        let mut last_match = (1..low).rev().find(|&j| a[i - 1] == b[j - 1]).unwrap_or(0);
        let mut row_min = d[(i + 1) * width + 1];
        for j in low..=high {
            let row = seen.iter().find(|(c, _)| *c == b[j - 1]).map_or(0, |(_, r)| *r);
            let column = last_match;
            let cost = if a[i - 1] == b[j - 1] {
                last_match = j;
                0
            } else {
                1
            };
            let substitution = d[i * width + j] + cost;
            let insertion = d[(i + 1) * width + j] + 1;
            let deletion = d[i * width + j + 1] + 1;
            let transposition = d[row * width + column] + (i - row - 1) + 1 + (j - column - 1);
            let cell = substitution.min(insertion).min(deletion).min(transposition);
            d[(i + 1) * width + j + 1] = cell;
            row_min = row_min.min(cell);
        }
        match seen.iter_mut().find(|(c, _)| *c == a[i - 1]) {
            Some((_, row)) => *row = i,
            None => seen.push((a[i - 1], i)),
        }
        earlier = earlier.saturating_add(1).min(last_row_min);
        last_row_min = row_min;
        if row_min.min(earlier) > bound {
            return None;
        }
    }
    let distance = d[(n + 1) * width + m + 1];
    (distance <= bound).then_some(distance)
}

/// Whether a slip from `name` to `written` can leave the name's humps standing: in some
/// closest alignment of the two, no capital or digit after the name's first letter (`D`, `B`
/// of `DocumentDB`; `9` of `Cloud9`) is dropped or replaced by a small letter. Writers drop,
/// double and swap letters (`CloudWacth`, `Segemaker`, `DynamoBD`); an English word one or two
/// letters from a name loses a hump (`Documented`, `Healthcare` for `HealthLake`, `Clouds`).
/// Blanks are left out on both sides; a name without humps (`Athena`) keeps them trivially.
fn keeps_humps(written: &str, name: &str) -> bool {
    let b: Vec<char> = name.chars().filter(|c| !c.is_whitespace()).collect();
    // `touch[j]`: 1 when b[j] is a hump.
    let touch: Vec<u64> = b
        .iter()
        .enumerate()
        .map(|(j, c)| u64::from(j > 0 && (c.is_ascii_uppercase() || c.is_ascii_digit())))
        .collect();
    if !touch.contains(&1) {
        return true;
    }
    let a: Vec<char> = written.chars().filter(|c| !c.is_whitespace()).collect();
    // Each character's lower case, worked out once: the table compares every pair. `None`
    // where it is more than one character (`İ`): then every pair is compared in full.
    let lower = |c: &char| {
        if c.is_ascii() {
            return Some(c.to_ascii_lowercase());
        }
        let mut lowered = c.to_lowercase();
        match (lowered.next(), lowered.next()) {
            (Some(l), None) => Some(l),
            _ => None,
        }
    };
    let lowered: Option<(Vec<char>, Vec<char>)> = a
        .iter()
        .map(lower)
        .collect::<Option<Vec<char>>>()
        .zip(b.iter().map(lower).collect::<Option<Vec<char>>>());
    match lowered {
        Some((a_lower, b_lower)) => hump_table(&a, &touch, |i, j| a_lower[i] == b_lower[j]),
        None => hump_table(&a, &touch, |i, j| a[i].to_lowercase().eq(b[j].to_lowercase())),
    }
}

/// The table of [`keeps_humps`], with `same_at(i, j)` telling whether a[i] and b[j] are the
/// same letter in any case (a function of its own, so that each kind of comparison is inlined).
#[inline]
fn hump_table(a: &[char], touch: &[u64], same_at: impl Fn(usize, usize) -> bool) -> bool {
    // Whether a[i] would still be a hump where it replaces one.
    let still_a_hump: Vec<bool> = a.iter().map(|c| c.is_uppercase() || c.is_ascii_digit()).collect();
    // A cell is (edits, humps touched) packed as `edits << 32 | humps`, so that fewest edits
    // first, then fewest humps, is the smaller number; one more edit is `EDIT` more.
    const EDIT: u64 = 1 << 32;
    let (n, m) = (a.len(), touch.len());
    let width = m + 1;
    // `d[i * width + j]`: between a[..i] and b[..j].
    let mut d = vec![0u64; (n + 1) * width];
    for j in 1..=m {
        d[j] = d[j - 1] + EDIT + touch[j - 1];
    }
    for i in 1..=n {
        d[i * width] = i as u64 * EDIT;
        for j in 1..=m {
            let touch = touch[j - 1];
            let diagonal = d[(i - 1) * width + j - 1];
            let mut best = if same_at(i - 1, j - 1) {
                diagonal
            } else {
                diagonal + EDIT + touch * u64::from(!still_a_hump[i - 1])
            };
            // A letter too many, or one missing.
            best = best.min(d[(i - 1) * width + j] + EDIT);
            best = best.min(d[i * width + j - 1] + EDIT + touch);
            // Two letters swapped keep their humps, whatever their case.
            if i > 1 && j > 1 && same_at(i - 1, j - 2) && same_at(i - 2, j - 1) {
                best = best.min(d[(i - 2) * width + j - 2] + EDIT);
            }
            d[i * width + j] = best;
        }
    }
    // No hump touched: the low half is 0.
    d[n * width + m] & (EDIT - 1) == 0
}

/// Whether every gap between consecutive tokens may sit inside one name.
#[inline]
fn all_joinable(text: &str, tokens: &[Token]) -> bool {
    // Most windows asked about are one word: no gap at all.
    tokens.len() < 2
        || tokens
            .windows(2)
            .all(|pair| joinable_gap(&text[pair[0].end..pair[1].start]))
}

/// Ordinary words and abbreviations only count where the writer clearly meant a name.
fn allowed(text: &str, tokens: &[Token], form: &NameForm, position: Position) -> bool {
    if position == Position::Name {
        return true;
    }
    let written = &text[tokens[0].start..tokens[tokens.len() - 1].end];
    match form.kind {
        NameKind::Word => written.chars().next().is_some_and(|c| c.is_uppercase()),
        NameKind::Abbreviation => !written.chars().any(|c| c.is_lowercase()),
        _ => true,
    }
}

/// `PCs`, `IVs`: capitals and a small `s`, the plural of an abbreviation (`PC`, `IV`), when no
/// spelling of the name is written so: not `PCS` or `IVS` in the wrong case.
fn is_plural_of_capitals(written: &str, forms: &[NameForm]) -> bool {
    written.strip_suffix('s').is_some_and(|stem| {
        stem.len() >= 2 && stem.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    }) && forms.iter().all(|form| form.text != written)
}

/// A casing problem when no accepted spelling with this key matches the written case.
fn casing_problem(text: &str, tokens: &[Token], forms: &[NameForm]) -> Option<(NameProblemKind, String)> {
    // Most names are written exactly as the vocabulary spells them.
    let whole = &text[tokens[0].start..tokens[tokens.len() - 1].end];
    if forms.iter().any(|f| f.kind.is_accepted() && f.text == whole) {
        return None;
    }
    // `&` and `and` are one word; everything else must match letter for letter.
    let spelled_as = |text: &str, t: &Token| -> String {
        if t.folded == "and" {
            "and".to_owned()
        } else {
            text[t.start..t.end].nfc().collect()
        }
    };
    let written: Vec<String> = tokens.iter().map(|t| spelled_as(text, t)).collect();
    let has_letters = written
        .iter()
        .any(|w| w.chars().any(|c| c.is_alphabetic() && !is_hangul(c)));
    if !has_letters {
        return None;
    }
    let accepted: Vec<&NameForm> = forms.iter().filter(|f| f.kind.is_accepted()).collect();
    // `Security Groups` in a heading for `Security groups`: title case is not a casing slip.
    let same_word = |written: &String, spelled: &String| {
        written == spelled || {
            let mut chars = spelled.chars();
            chars.next().is_some_and(|first| {
                first.is_lowercase() && {
                    let titled: String = first.to_uppercase().chain(chars).collect();
                    *written == titled
                }
            })
        }
    };
    let same_case = accepted.iter().any(|form| {
        let spelled: Vec<String> = tokenize(&form.text)
            .iter()
            .map(|t| spelled_as(&form.text, t))
            .collect();
        spelled.len() == written.len() && written.iter().zip(&spelled).all(|(w, s)| same_word(w, s))
    });
    if same_case {
        return None;
    }
    accepted
        .first()
        .map(|form| (NameProblemKind::Casing, form.text.clone()))
}

/// How often each letter occurs, in 64 buckets, and which buckets are used: cheap lower bounds
/// on the edit distance, so that the exact (and costly) distance is computed for a handful of
/// candidates, not for every spelling of similar length.
#[derive(Debug, Clone)]
pub(crate) struct LetterCounts {
    counts: [u8; 64],
    present: u64,
}

impl LetterCounts {
    pub(crate) fn of(chars: &[char]) -> LetterCounts {
        let mut counts = [0u8; 64];
        let mut present = 0u64;
        for &c in chars {
            let bucket = (c as usize) % 64;
            counts[bucket] = counts[bucket].saturating_add(1);
            present |= 1 << bucket;
        }
        LetterCounts { counts, present }
    }

    /// No edit changes the counts by more than two (a substitution takes one letter away and
    /// adds another; a transposition changes nothing), nor which buckets are used by more than
    /// two, so two spellings that differ by `d` there are at least `d / 2` edits apart.
    /// Letters sharing a bucket only make `d` smaller, so the bounds stay lower bounds.
    pub(crate) fn within(&self, other: &LetterCounts, budget: usize) -> bool {
        let used = (self.present ^ other.present).count_ones() as usize;
        if used.div_ceil(2) > budget {
            return false;
        }
        let mut differ = 0u32;
        for (a, b) in self.counts.iter().zip(&other.counts) {
            differ += u32::from(a.abs_diff(*b));
        }
        (differ as usize).div_ceil(2) <= budget
    }
}

/// How many slips a name of `letters` letters may hold and still be taken for a near miss:
/// none in a name of five letters or fewer (`Lamda` is not taken for `Lambda`).
fn slips_allowed(letters: usize) -> usize {
    match letters {
        0..=5 => 0,
        6..=9 => 1,
        _ => 2,
    }
}

/// The characters of `key` as edit distances compare them: Hangul syllables decomposed into
/// their jamo (`렌` and `랜` are one letter apart, not one syllable).
pub(crate) fn comparable(key: &str) -> Vec<char> {
    let mut out = Vec::with_capacity(key.len());
    for c in key.chars() {
        if is_syllable(c) {
            unicode_normalization::char::decompose_canonical(c, |jamo| out.push(jamo));
        } else {
            out.push(c);
        }
    }
    out
}

/// How many characters [`comparable`] makes of `key`, without making them: a syllable is two
/// jamo, or three with a final consonant (one syllable in 28 has none).
pub(crate) fn comparable_len(key: &str) -> usize {
    key.chars()
        .map(|c| {
            if is_syllable(c) {
                2 + usize::from((u32::from(c) - 0xAC00) % 28 != 0)
            } else {
                1
            }
        })
        .sum()
}

#[cfg(test)]
mod tests {
    #[test]
    fn hangul_is_compared_as_its_nfd_jamo() {
        let hangul = ('\u{1100}'..='\u{D7FF}').filter(|&c| is_hangul(c));
        let mut seen = 0;
        for c in hangul.chain(['a', 'É', 'ß', '9']) {
            let mut one = [0u8; 4];
            let nfd: Vec<char> = if is_hangul(c) {
                c.encode_utf8(&mut one).nfd().collect()
            } else {
                vec![c]
            };
            let key = c.to_string();
            assert_eq!(comparable(&key), nfd, "{c}");
            assert_eq!(comparable_len(&key), nfd.len(), "{c}");
            seen += 1;
        }
        assert!(seen > 11_172, "every syllable and jamo: {seen}");
        assert_eq!(comparable_len("렌 a가"), comparable("렌 a가").len());
    }

    use super::*;

    fn vocab() -> Vocabulary {
        Vocabulary::from_yaml(
            r#"
version: 1
prefixes: [Amazon, AWS]
services:
  - {id: amazon-sagemaker, name: Amazon SageMaker, type: service, aliases: [Amazon SageMaker AI, 세이지메이커]}
  - {id: aws-lambda, name: AWS Lambda, type: service, words: [Lambda], aliases: [람다]}
  - {id: amazon-ec2, name: Amazon EC2, type: service, aliases: [Amazon Elastic Compute Cloud], abbreviations: [EC2]}
  - {id: amazon-s3, name: Amazon S3, type: service, aliases: [Amazon Simple Storage Service], abbreviations: [S3]}
  - {id: amazon-s3-glacier, name: Amazon S3 Glacier, type: service, parent: amazon-s3, former: [Amazon Glacier]}
  - {id: amazon-cloudsearch, name: Amazon CloudSearch, type: service}
  - {id: amazon-ebs, name: Amazon EBS, type: service, aliases: [Amazon Elastic Block Store], abbreviations: [EBS]}
  - {id: amazon-vpc, name: Amazon VPC, type: service, abbreviations: [VPC]}
  - {id: amazon-route-53, name: Amazon Route 53, type: service}
  - {id: aws-iam, name: AWS IAM, type: service, aliases: [AWS Identity and Access Management], abbreviations: [IAM]}
  - {id: aws-iot, name: AWS IoT, type: service, words: [IoT]}
  - {id: aws-iot-core, name: AWS IoT Core, type: service, parent: aws-iot}
"#,
        )
        .unwrap()
    }

    fn resolve(text: &str) -> (String, Option<(NameProblemKind, String)>) {
        let v = vocab();
        match v.resolve_name(text) {
            Found::Match(m) => (v.service(m.service).id.clone(), m.problem),
            other => (format!("{other:?}"), None),
        }
    }

    #[test]
    fn exact_names_and_aliases_resolve_without_problems() {
        assert_eq!(resolve("Amazon SageMaker"), ("amazon-sagemaker".into(), None));
        assert_eq!(resolve("SageMaker AI"), ("amazon-sagemaker".into(), None));
        assert_eq!(resolve("세이지메이커"), ("amazon-sagemaker".into(), None));
        assert_eq!(resolve("Elastic Compute Cloud"), ("amazon-ec2".into(), None));
        assert_eq!(
            resolve("AWS Identity & Access Management"),
            ("aws-iam".into(), None)
        );
        assert_eq!(resolve("Lambda"), ("aws-lambda".into(), None));
    }

    #[test]
    fn wrong_prefix_spacing_and_former_names() {
        let nc = NameProblemKind::NonCanonical;
        assert_eq!(
            resolve("AWS SageMaker"),
            ("amazon-sagemaker".into(), Some((nc, "Amazon SageMaker".into())))
        );
        assert_eq!(
            resolve("AWS EC2"),
            ("amazon-ec2".into(), Some((nc, "Amazon EC2".into())))
        );
        assert_eq!(
            resolve("Amazon Identity & Access Management"),
            (
                "aws-iam".into(),
                Some((nc, "AWS Identity and Access Management".into()))
            )
        );
        assert_eq!(
            resolve("Cloud Search"),
            ("amazon-cloudsearch".into(), Some((nc, "CloudSearch".into())))
        );
        assert_eq!(
            resolve("Amazon Glacier"),
            (
                "amazon-s3-glacier".into(),
                Some((NameProblemKind::Outdated, "Amazon S3 Glacier".into()))
            )
        );
    }

    #[test]
    fn near_misses_suggest_in_the_writers_style() {
        let m = NameProblemKind::Misspelled;
        assert_eq!(
            resolve("Segemaker"),
            ("amazon-sagemaker".into(), Some((m, "SageMaker".into())))
        );
        assert_eq!(
            resolve("Amazon Elastic Block Stroe"),
            (
                "amazon-ebs".into(),
                Some((m, "Amazon Elastic Block Store".into()))
            )
        );
        assert_eq!(
            resolve("세이지메이카"),
            ("amazon-sagemaker".into(), Some((m, "세이지메이커".into())))
        );
        // Short words are never guessed at.
        assert_eq!(resolve("Lamda").0, "Unknown");
        assert_eq!(resolve("Overview").0, "Unknown");
    }

    #[test]
    fn words_spelling_out_an_abbreviation_are_compared_with_its_service_only() {
        let v = Vocabulary::builtin();
        let (m, n) = (NameProblemKind::Misspelled, NameProblemKind::NonCanonical);
        let kms = v.by_id("aws-kms").unwrap();
        let iam = v.by_id("aws-iam").unwrap();
        assert_eq!(
            v.spelled_out_as(kms, "Key Managment Service"),
            Some(Some((m, "Key Management Service".into())))
        );
        assert_eq!(v.spelled_out_as(kms, "Key Management Service"), Some(None));
        assert_eq!(v.spelled_out_as(kms, "AWS Key Management Service"), Some(None));
        assert_eq!(
            v.spelled_out_as(iam, "Identify Access Management"),
            Some(Some((m, "Identity and Access Management".into())))
        );
        assert_eq!(
            v.spelled_out_as(iam, "Identity Access Management"),
            Some(Some((n, "Identity and Access Management".into())))
        );
        // Other words, or another service's name, are no slip of this one's.
        assert_eq!(v.spelled_out_as(iam, "Internet Access Manager"), None);
        assert_eq!(v.spelled_out_as(kms, "Key Value Store"), None);
        assert_eq!(v.spelled_out_as(iam, "IAM"), None);
        // A heading of any length may spell out an abbreviation: no distance is worked out
        // for a length no name has.
        let long = format!("Identity {} Management", "A".repeat(1 << 20));
        assert_eq!(v.spelled_out_as(iam, &long), None);
    }

    #[test]
    fn a_small_l_typed_for_a_capital_i_is_a_slip() {
        let m = NameProblemKind::Misspelled;
        assert_eq!(
            resolve("AWS loT"),
            ("aws-iot".into(), Some((m, "AWS IoT".into())))
        );
        assert_eq!(
            resolve("AWS loT Core"),
            ("aws-iot-core".into(), Some((m, "AWS IoT Core".into())))
        );
        assert_eq!(resolve("lAM"), ("aws-iam".into(), Some((m, "IAM".into()))));
        // Only before a capital: `lot`, `Lot` and `lambda` are words, not slips.
        assert_eq!(resolve("AWS lot").0, "Unknown");
        assert_eq!(resolve("lam").0, "Unknown");
    }

    #[test]
    fn a_near_miss_keeps_the_names_humps() {
        // Letters dropped, doubled, changed or swapped between the humps: slips of the name.
        assert!(keeps_humps("Segemaker", "SageMaker"));
        assert!(keeps_humps("CloudWacth", "CloudWatch"));
        assert!(keeps_humps("CloutWathch Logs", "CloudWatch Logs"));
        assert!(keeps_humps("Dyanmodb", "DynamoDB"));
        assert!(keeps_humps("Athens", "Athena"));
        // A hump dropped or written as a small letter: English words, not slips.
        assert!(!keeps_humps("Documented", "DocumentDB"));
        assert!(!keeps_humps("Healthcare", "HealthLake"));
        assert!(!keeps_humps("Deepens", "DeepLens"));
        assert!(!keeps_humps("Clouds", "Cloud9"));
        assert!(!keeps_humps("Substandard", "S3 Standard"));
        // A hump written as another capital is still a hump: a slip, not a word.
        assert!(keeps_humps("CloudEatch", "CloudWatch"));
        assert!(keeps_humps("CloudWtach", "CloudWatch"));
        assert!(keeps_humps("DynamoBD", "DynamoDB"));
    }

    #[test]
    fn the_plural_of_an_abbreviation_is_no_casing_slip() {
        let v = Vocabulary::builtin();
        let problem = |text: &str| match v.resolve_name(text) {
            Found::Match(m) => Some(m.problem.map(|(kind, _)| kind)),
            _ => None,
        };
        // `PCS` and `IVS` are services; `PCs` and `IVs` are the plurals of `PC` and `IV`.
        assert_eq!(problem("PCS"), Some(None));
        assert_eq!(problem("PCs"), None);
        assert_eq!(problem("IVs"), None);
        // Other wrong cases of an abbreviation still are.
        assert_eq!(problem("Pcs"), Some(Some(NameProblemKind::Casing)));
    }

    #[test]
    fn english_words_near_a_camel_case_name_are_not_guessed() {
        let v = Vocabulary::builtin();
        let guess = |text: &str| match v.resolve_name(text) {
            Found::Match(m) => m.problem.map(|(_, suggestion)| suggestion),
            _ => None,
        };
        for word in [
            "Documented",
            "Healthcare",
            "Deepens",
            "Mediative",
            "Clouds",
            "Substandard",
        ] {
            assert_eq!(guess(word), None, "{word}");
        }
        assert_eq!(guess("CloudWacth").as_deref(), Some("CloudWatch"));
        assert_eq!(guess("DyanmoDB").as_deref(), Some("DynamoDB"));
    }

    #[test]
    fn plurals_initials_and_prefixed_words() {
        let v = Vocabulary::builtin();
        let resolve = |text: &str| match v.resolve_name(text) {
            Found::Match(m) => (v.service(m.service).id.clone(), m.problem),
            other => (format!("{other:?}"), None),
        };
        let nc = NameProblemKind::NonCanonical;
        assert_eq!(
            resolve("AWS Organization"),
            ("aws-organizations".into(), Some((nc, "AWS Organizations".into())))
        );
        // A feature's name is a common noun: singular or plural, title case or not.
        assert_eq!(resolve("Security Groups").1, None);
        assert_eq!(resolve("EBS Snapshot").1, None);
        // Not a slip of `Classic Load Balancer`.
        assert_ne!(resolve("Elastic Load Balancer").0, "classic-load-balancer");
        // `Glacier` is an ordinary word of S3 Glacier; `Amazon Glacier` is its former name.
        assert_eq!(resolve("AWS Glacier").1, Some((nc, "Amazon S3 Glacier".into())));
    }

    #[test]
    fn casing_is_its_own_problem() {
        assert_eq!(
            resolve("sagemaker"),
            (
                "amazon-sagemaker".into(),
                Some((NameProblemKind::Casing, "SageMaker".into()))
            )
        );
    }

    #[test]
    fn prose_finds_longest_names_and_splits_particles() {
        let v = vocab();
        let text = "S3 Glacier와 Amazon S3, VPC에서 lambda와 Lambda 그리고 Route 53이";
        let found: Vec<(&str, &str)> = v
            .find_names(text, Position::Prose)
            .iter()
            .map(|m| (&text[m.span.clone()], v.service(m.service).id.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                ("S3 Glacier", "amazon-s3-glacier"),
                ("Amazon S3", "amazon-s3"),
                ("VPC", "amazon-vpc"),
                ("Lambda", "aws-lambda"),
                ("Route 53", "amazon-route-53"),
            ]
        );
    }
}

#[cfg(test)]
mod canonical_table {
    use super::*;

    /// Every name and accepted alias of the canonical table that the labelled seed notes use
    /// (AWS's official names, listed in seeds/README.md) resolves to the right service, without
    /// a problem; legacy names resolve as outdated.
    #[test]
    fn the_seed_canonical_table_resolves() {
        let v = Vocabulary::builtin();
        let accepted: &[(&str, &[&str])] = &[
            ("Amazon EC2", &["Amazon Elastic Compute Cloud", "EC2"]),
            ("Amazon ECS", &["Amazon Elastic Container Service", "ECS"]),
            ("Amazon EKS", &["Amazon Elastic Kubernetes Service", "EKS"]),
            ("Amazon S3", &["Amazon Simple Storage Service", "S3"]),
            ("Amazon S3 Glacier", &["S3 Glacier"]),
            ("Amazon EBS", &["Amazon Elastic Block Store", "EBS"]),
            ("Amazon EFS", &["Amazon Elastic File System", "EFS"]),
            ("Amazon RDS", &["Amazon Relational Database Service", "RDS"]),
            ("Amazon VPC", &["Amazon Virtual Private Cloud", "VPC"]),
            ("Amazon SQS", &["Amazon Simple Queue Service", "SQS"]),
            ("Amazon SNS", &["Amazon Simple Notification Service", "SNS"]),
            ("Amazon SES", &["Amazon Simple Email Service", "SES"]),
            ("Amazon SWF", &["Amazon Simple Workflow Service", "SWF"]),
            ("Amazon EMR", &["EMR"]),
            ("AWS IAM", &["AWS Identity and Access Management", "IAM"]),
            ("AWS KMS", &["AWS Key Management Service", "KMS"]),
            ("AWS DMS", &["AWS Database Migration Service", "DMS"]),
            ("AWS CLI", &["AWS Command Line Interface"]),
            ("Elastic Load Balancing", &["ELB"]),
            ("Amazon SageMaker", &["Amazon SageMaker AI", "SageMaker"]),
            ("Amazon AppStream 2.0", &["Amazon AppStream"]),
            ("AWS Health Dashboard", &[]),
            ("AWS Application Migration Service", &["AWS MGN"]),
            ("Amazon Machine Image (AMI)", &["AMI"]),
            ("Service control policies (SCPs)", &["SCPs"]),
            ("AWS SDK", &["AWS SDKs"]),
            ("AWS Lambda", &["Lambda"]),
            ("AWS Elastic Beanstalk", &["Elastic Beanstalk"]),
            ("Amazon DynamoDB", &["DynamoDB"]),
        ];
        for (canonical, aliases) in accepted {
            for name in std::iter::once(canonical).chain(aliases.iter()) {
                match v.resolve_name(name) {
                    Found::Match(m) => {
                        assert_eq!(&v.service(m.service).name, canonical, "{name}");
                        assert_eq!(m.problem, None, "{name}");
                    }
                    other => panic!("{name} does not resolve: {other:?}"),
                }
            }
        }
        let outdated = [
            ("Amazon Glacier", "Amazon S3 Glacier"),
            ("Amazon Elastic MapReduce", "Amazon EMR"),
            ("AWS Service Health Dashboard", "AWS Health Dashboard"),
            ("AWS Personal Health Dashboard", "AWS Health Dashboard"),
        ];
        for (name, canonical) in outdated {
            let Found::Match(m) = v.resolve_name(name) else {
                panic!("{name}")
            };
            assert_eq!(v.service(m.service).name, canonical, "{name}");
            assert_eq!(m.problem.map(|p| p.0), Some(NameProblemKind::Outdated), "{name}");
        }
    }

    /// A former name belongs to a service that exists, or to one marked retired.
    #[test]
    fn former_names_point_at_current_or_retired_services() {
        let v = Vocabulary::builtin();
        for (service, kind, text) in v.names() {
            if kind == NameKind::Former {
                let s = v.service(service);
                assert!(!s.name.is_empty(), "{text}");
                let Found::Match(m) = v.resolve_name(text) else {
                    panic!("{text} does not resolve")
                };
                assert_eq!(m.service, service, "{text}");
            }
        }
    }
}

#[cfg(test)]
mod prose_tokens {
    use super::*;
    use proptest::prelude::*;
    use std::sync::LazyLock;

    static VOCAB: LazyLock<Vocabulary> = LazyLock::new(Vocabulary::builtin);

    /// Words and pieces a sentence of a note is made of: names as written (right, lower case,
    /// slipped, former), words of names on their own, ordinary words, Korean particles, and
    /// the signs that sit between words.
    fn piece() -> impl Strategy<Value = String> {
        let names: Vec<String> = VOCAB.names().into_iter().map(|(_, _, t)| t.to_owned()).collect();
        prop_oneof![
            proptest::sample::select(names.clone()),
            proptest::sample::select(names).prop_map(|n| n.to_lowercase()),
            proptest::sample::select(vec![
                "the",
                "and",
                "data",
                "cloud",
                "simple",
                "service",
                "storage",
                "in",
                "a",
                "is",
                "데이터",
                "서비스",
                "에서",
                "를",
                "는",
                "프리",
                "티어",
                "레이크",
                "기존",
                "키네",
                "시스",
                "Amazon",
                "AWS",
                "amazon",
                "aws",
                "Cloud",
                "Watch",
                "Dynamo",
                "DB",
                "v2",
                "2.0",
                "53",
                "café",
                "Ünicode",
                "re",
                "Post",
                "Edge",
            ])
            .prop_map(str::to_owned),
        ]
    }

    fn gap() -> impl Strategy<Value = &'static str> {
        proptest::sample::select(vec![
            " ", " ", " ", "  ", "-", "(", ")", ", ", ". ", ":", "@", "&", "\n", "", "/",
        ])
    }

    proptest! {
        #[test]
        fn a_bounded_distance_is_the_distance_or_none(a in "[abcé가]{0,9}", b in "[abcé가]{0,9}", bound in 0usize..5) {
            let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
            let distance = damerau_levenshtein(&a, &b);
            let expected = (distance <= bound).then_some(distance);
            prop_assert_eq!(damerau_levenshtein_within(&a, &b, bound), expected);
        }

        #[test]
        fn damerau_levenshtein_equals_strsim(a in "[abcé가]{0,9}", b in "[abcé가]{0,9}") {
            let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
            prop_assert_eq!(damerau_levenshtein(&a, &b), strsim::generic_damerau_levenshtein(&a, &b));
        }

        /// Names found in running text on the kept tokens are exactly those found on every
        /// token.
        #[test]
        fn leaving_words_out_finds_the_same_names(parts in proptest::collection::vec((piece(), gap()), 0..24)) {
            let text: String = parts.iter().flat_map(|(p, g)| [p.as_str(), *g]).collect();
            let every = VOCAB.find_names_in(&text, &tokenize(&text), Position::Prose);
            let kept = VOCAB.find_names_in(&text, &VOCAB.prose_tokens(&text), Position::Prose);
            prop_assert_eq!(kept, every, "{:?}", text);
        }

        /// Runs appended to one buffer keep their own offsets and words.
        #[test]
        fn runs_share_one_buffer(a in proptest::collection::vec((piece(), gap()), 0..8), b in proptest::collection::vec((piece(), gap()), 0..8)) {
            let a: String = a.iter().flat_map(|(p, g)| [p.as_str(), *g]).collect();
            let b: String = b.iter().flat_map(|(p, g)| [p.as_str(), *g]).collect();
            let mut shared = Vec::new();
            VOCAB.prose_tokens_into(&a, &mut shared);
            let end_of_a = shared.len();
            VOCAB.prose_tokens_into(&b, &mut shared);
            let (alone_a, alone_b) = (VOCAB.prose_tokens(&a), VOCAB.prose_tokens(&b));
            prop_assert_eq!(&shared[..end_of_a], alone_a.as_slice());
            prop_assert_eq!(&shared[end_of_a..], alone_b.as_slice());
        }
    }

    #[test]
    fn ordinary_words_are_left_out_and_name_words_kept() {
        let text = "the 데이터를 Amazon S3 was dynamodb와 v2 키네시스 data";
        let kept: Vec<&str> = VOCAB
            .prose_tokens(text)
            .iter()
            .map(|t| &text[t.start..t.end])
            .collect();
        assert_eq!(kept, ["Amazon", "S3", "dynamodb", "v2", "키네시스", "data"]);
    }
}

#[cfg(test)]
mod humps {
    use super::keeps_humps;
    use proptest::prelude::*;

    /// `keeps_humps` as it was first written (pairs of counts, `Option`s for the lower case):
    /// the faster one must decide as it does.
    fn keeps_humps_as_first_written(written: &str, name: &str) -> bool {
        let a: Vec<char> = written.chars().filter(|c| !c.is_whitespace()).collect();
        let b: Vec<char> = name.chars().filter(|c| !c.is_whitespace()).collect();
        let hump = |j: usize| j > 0 && (b[j].is_ascii_uppercase() || b[j].is_ascii_digit());
        if !(0..b.len()).any(hump) {
            return true;
        }
        // Each character's lower case, worked out once: the table below compares every pair.
        // `None` where it is more than one character (`İ`): those are compared in full.
        let lower = |c: char| {
            let mut lowered = c.to_lowercase();
            match (lowered.next(), lowered.next()) {
                (Some(l), None) => Some(l),
                _ => None,
            }
        };
        let (a_lower, b_lower): (Vec<Option<char>>, Vec<Option<char>>) = (
            a.iter().map(|&c| lower(c)).collect(),
            b.iter().map(|&c| lower(c)).collect(),
        );
        let same_at = |i: usize, j: usize| match (a_lower[i], b_lower[j]) {
            (Some(x), Some(y)) => x == y,
            _ => a[i].to_lowercase().eq(b[j].to_lowercase()),
        };
        let (n, m) = (a.len(), b.len());
        let width = m + 1;
        // `d[i * width + j]`: (edits, humps touched) between a[..i] and b[..j], fewest edits first.
        let mut d = vec![(0usize, 0usize); (n + 1) * width];
        for j in 1..=m {
            d[j] = (j, d[j - 1].1 + usize::from(hump(j - 1)));
        }
        for i in 1..=n {
            d[i * width] = (i, 0);
            for j in 1..=m {
                let touch = usize::from(hump(j - 1));
                let diagonal = d[(i - 1) * width + j - 1];
                let mut best = if same_at(i - 1, j - 1) {
                    diagonal
                } else {
                    let still_a_hump = a[i - 1].is_uppercase() || a[i - 1].is_ascii_digit();
                    (diagonal.0 + 1, diagonal.1 + touch * usize::from(!still_a_hump))
                };
                let extra = d[(i - 1) * width + j];
                best = best.min((extra.0 + 1, extra.1));
                let missing = d[i * width + j - 1];
                best = best.min((missing.0 + 1, missing.1 + touch));
                // Two letters swapped keep their humps, whatever their case.
                if i > 1 && j > 1 && same_at(i - 1, j - 2) && same_at(i - 2, j - 1) {
                    let swapped = d[(i - 2) * width + j - 2];
                    best = best.min((swapped.0 + 1, swapped.1));
                }
                d[i * width + j] = best;
            }
        }
        d[n * width + m].1 == 0
    }

    /// Camel-case names of two or three humps, with a digit now and then (`Cloud9`).
    fn camel() -> impl Strategy<Value = String> {
        "[A-Z][a-z]{2,5}([A-Z][a-z]{2,5}){1,2}[0-9]?"
    }

    proptest! {
        #[test]
        fn a_small_letter_dropped_keeps_the_humps(name in camel(), at in any::<prop::sample::Index>()) {
            let small: Vec<usize> = name.char_indices().skip(1).filter(|(_, c)| c.is_ascii_lowercase()).map(|(i, _)| i).collect();
            let i = small[at.index(small.len())];
            let written = format!("{}{}", &name[..i], &name[i + 1..]);
            prop_assert!(keeps_humps(&written, &name), "{} {}", written, name);
        }

        #[test]
        fn a_hump_written_small_as_another_letter_loses_it(
            name in camel(),
            at in any::<prop::sample::Index>(),
            letter in "[a-z]",
        ) {
            let humps: Vec<usize> = name.char_indices().skip(1).filter(|(_, c)| c.is_ascii_uppercase() || c.is_ascii_digit()).map(|(i, _)| i).collect();
            let i = humps[at.index(humps.len())];
            prop_assume!(!name[i..i + 1].eq_ignore_ascii_case(&letter));
            let written = format!("{}{}{}", &name[..i], letter, &name[i + 1..]);
            prop_assert!(!keeps_humps(&written, &name), "{} {}", written, name);
        }

        #[test]
        fn decides_as_first_written(written in "[a-dA-D9 İı가ß]{0,12}", name in "[a-dA-D9 İı가ß]{0,12}") {
            prop_assert_eq!(keeps_humps(&written, &name), keeps_humps_as_first_written(&written, &name));
        }

        #[test]
        fn decides_as_first_written_on_slips(
            name in camel(),
            slips in proptest::collection::vec((0..4u8, any::<prop::sample::Index>(), "[a-zA-Z0-9İ]"), 1..3),
        ) {
            // Each slip replaces, adds, drops or swaps letters, as writers do.
            let mut written: Vec<char> = name.chars().collect();
            for (kind, at, with) in slips {
                let i = at.index(written.len());
                let c = with.chars().next().unwrap_or('x');
                match kind {
                    0 => written[i] = c,
                    1 => written.insert(i, c),
                    2 if written.len() > 1 => { written.remove(i); }
                    _ if i + 1 < written.len() => written.swap(i, i + 1),
                    _ => {}
                }
            }
            let written: String = written.into_iter().collect();
            prop_assert_eq!(keeps_humps(&written, &name), keeps_humps_as_first_written(&written, &name), "{} {}", written, name);
        }

        #[test]
        fn a_name_keeps_its_own_humps_in_any_case(name in camel()) {
            prop_assert!(keeps_humps(&name, &name));
            prop_assert!(keeps_humps(&name.to_lowercase(), &name));
        }
    }
}
