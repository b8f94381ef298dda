//! Matching a printed ingredient name to the knowledge base, with explained fallbacks.
//!
//! What belongs here: turning the cleaned text of one parsed item (`Aqua/Water/Eau`,
//! `Citrus Limon (Lemon) Peel Oil`, `Geraniol Alpha-Isomethyl Ionone`) into what the knowledge
//! base knows about it, saying how it was matched; the per-worker memo that makes repeated
//! names cheap. What does not: splitting a label into items (`inci::parse`), the knowledge
//! base itself (`inci::kb`), "did you mean" ranking (`inci::suggest`) and verdicts
//! (`inci::analyze`).
//!
//! The order, first success wins (each step is named in [`MatchedBy`]):
//!
//! 1. the exact normalised name ([`normalize_inci_name`]: case, Unicode, dashes, quotes,
//!    spacing), a curated name, a curated synonym (US drug names, label spellings) or a
//!    CosIng name;
//! 2. the name without its bracketed text (`Water (Aqua)`, `Persea Gratissima (Extra
//!    Virgin, Cold Pressed Avocado) Oil`);
//! 3. slash synonyms (`Aqua/Water/Eau`, `CI 77891/Titanium Dioxide`): every part that is
//!    known counts, and their categories are merged, so no synonym can hide a category. Names
//!    of copolymers keep their slashes (`Lactic Acid/Glycolic Acid Copolymer` is a polymer, not
//!    an acid);
//! 4. a name in brackets (`Pigment Blend (CI 77491, CI 77492)`);
//! 5. the name without a leading qualifier such as "Organic" or "Purified";
//! 6. the name without a leading stereo descriptor `L-`, `D-` or `DL-` (`L-Proline` is
//!    proline), keeping every category the printed name's own shape gives by rule;
//! 7. the knowledge base's fallback rules (`… Peel Oil` of a listed aromatic genus, `…Peptide-N`,
//!    `… Ascorbyl …`), with the rule's own explanation;
//! 8. a blend printed as one item (`Dimethyl Isosorbide (and) Hydroxypinacolone Retinoate`) or
//!    two names printed without a separator (`Geraniol Alpha-Isomethyl Ionone`): each part is
//!    matched on its own. Run-together names are split only when every part is a known name.
//!
//! Whatever is still not matched is unknown, with "did you mean" suggestions; fuzzy matching is
//! never used to decide a category.

use std::{borrow::Cow, rc::Rc};

use hashbrown::HashTable;

use serde::{Serialize, Serializer, ser::SerializeSeq};

use crate::{
    category::Category,
    inci::{
        analyze::RulingMemo,
        kb::{
            CategoryFact, ComedogenicRating, Entry, Exclusion, KnowledgeBase, NameListing, Scope,
            normalize_inci_name,
        },
        memo_key::{key_hash, same_bytes},
        parse::{ItemCache, ItemId, ParsedIngredient, ParsedList, parse_inci_list_cached},
        suggest::{Suggestion, suggest},
    },
};

/// Leading words that qualify an ingredient without changing what it is ("Organic Aloe
/// Barbadensis Leaf Juice", "Purified Water"). Step 5 retries a name without them.
const QUALIFIERS: &[&str] = &[
    "CERTIFIED",
    "COLD-PRESSED",
    "DEIONIZED",
    "DEMINERALIZED",
    "DISTILLED",
    "NATURAL",
    "ORGANIC",
    "PURE",
    "PURIFIED",
    "WILDCRAFTED",
];

/// Stereo descriptors printed before an amino acid, sugar or vitamin name ("L-Proline",
/// "D-Glucose", "DL-Panthenol"). CosIng names the ingredient without them (PROLINE, GLUCOSE);
/// step 6 retries a name without one. Longest first.
const STEREO_PREFIXES: &[&str] = &["DL-", "L-", "D-"];

/// Words that end the name of a polymer whose monomers are separated by slashes.
const POLYMER_WORDS: &[&str] = &["COPOLYMER", "CROSSPOLYMER", "POLYMER"];

/// Separators of a blend printed as one item, in normalised text.
const BLEND_SEPARATORS: &[&str] = &[" (AND) ", " AND ", " & ", " + "];

/// The longest item, in words, that is tried as several names run together.
const MAX_RUN_TOGETHER_WORDS: usize = 16;

/// A set of categories (at most one of each), listed in the order of CONTRACT §2.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct CategorySet(u32);

impl CategorySet {
    /// The empty set.
    pub const EMPTY: CategorySet = CategorySet(0);

    fn bit(category: Category) -> u32 {
        1 << (category as u32)
    }

    /// Adds a category.
    pub fn insert(&mut self, category: Category) {
        self.0 |= Self::bit(category);
    }

    /// Whether a category is in the set.
    pub fn contains(self, category: Category) -> bool {
        self.0 & Self::bit(category) != 0
    }

    /// Whether the set is empty.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Whether the set holds a UV filter, mineral or chemical.
    pub fn has_uv_filter(self) -> bool {
        self.contains(Category::MineralUvFilter) || self.contains(Category::ChemicalUvFilter)
    }

    /// Every category of both sets.
    pub fn union(self, other: CategorySet) -> CategorySet {
        CategorySet(self.0 | other.0)
    }

    /// The categories, in the order of CONTRACT §2.
    pub fn iter(self) -> impl Iterator<Item = Category> {
        let mut bits = self.0;
        std::iter::from_fn(move || {
            if bits == 0 {
                return None;
            }
            let index = bits.trailing_zeros() as usize;
            bits &= bits - 1;
            Category::ALL.get(index).copied()
        })
    }

    /// How many categories the set holds.
    pub fn len(self) -> usize {
        self.0.count_ones() as usize
    }
}

impl FromIterator<Category> for CategorySet {
    fn from_iter<I: IntoIterator<Item = Category>>(iter: I) -> Self {
        let mut set = CategorySet::EMPTY;
        for c in iter {
            set.insert(c);
        }
        set
    }
}

impl Serialize for CategorySet {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.len()))?;
        for c in self.iter() {
            seq.serialize_element(c.id())?;
        }
        seq.end()
    }
}

/// The facts of a matched part that decide its status, in a compact form (kept inline in the
/// memo and in each checked ingredient, so the hot path does not follow pointers).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct PartSummary {
    /// Whether the part was recognised.
    pub known: bool,
    /// Categories that apply in every product.
    pub always: CategorySet,
    /// Categories that apply only in scrubs, polishes and exfoliating powders.
    pub scrub_only: CategorySet,
    /// Categories that apply only when declared as the sunscreen active.
    pub sunscreen_only: CategorySet,
    /// The comedogenicity rating (0-5), when a table gives one.
    pub comedogenic: Option<u8>,
}

impl PartSummary {
    /// Whether the part is known, in no category (in any product) and without a comedogenic
    /// rating: the most common ingredient (water, glycerin), which no rule of any protocol can
    /// hold back or recommend, whatever the product, the profile and the hour.
    pub fn is_plain(&self) -> bool {
        self.known
            && self.always.is_empty()
            && self.scrub_only.is_empty()
            && self.sunscreen_only.is_empty()
            && self.comedogenic.is_none()
    }

    /// The summary of a part's knowledge-base facts.
    pub fn of(known: Option<&Known>) -> PartSummary {
        let Some(known) = known else {
            return PartSummary::default();
        };
        let mut summary = PartSummary {
            known: true,
            comedogenic: known.comedogenic.map(|c| c.rating),
            ..PartSummary::default()
        };
        for fact in &known.facts {
            match fact.scope {
                Scope::Always => summary.always.insert(fact.category),
                Scope::ScrubOnly => summary.scrub_only.insert(fact.category),
                Scope::SunscreenActiveOnly => summary.sunscreen_only.insert(fact.category),
            }
        }
        summary
    }

    /// Every category of the part, in any scope.
    pub fn any(&self) -> CategorySet {
        self.always
            .union(self.scrub_only)
            .union(self.sunscreen_only)
    }
}

/// How a printed name was matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MatchedBy {
    /// The normalised name is a curated or CosIng INCI name.
    Exact,
    /// The normalised name is a curated synonym (a US drug name, a former INCI name, a label
    /// spelling) of the canonical name.
    Synonym,
    /// The name without its bracketed text is known.
    WithoutBrackets,
    /// One or more of the slash-separated names is known.
    SlashSynonym,
    /// A name inside the brackets is known.
    BracketContent,
    /// The name without a leading qualifier ("Organic", "Purified") is known.
    Qualifier,
    /// The name without a leading stereo descriptor (`L-`, `D-`, `DL-`) is known.
    StereoPrefix,
    /// A fallback rule of the knowledge base recognised the name's shape.
    Rule,
    /// Not recognised.
    Unknown,
}

impl MatchedBy {
    /// The snake_case id used in JSON.
    pub fn id(self) -> &'static str {
        match self {
            MatchedBy::Exact => "exact",
            MatchedBy::Synonym => "synonym",
            MatchedBy::WithoutBrackets => "without_brackets",
            MatchedBy::SlashSynonym => "slash_synonym",
            MatchedBy::BracketContent => "bracket_content",
            MatchedBy::Qualifier => "qualifier",
            MatchedBy::StereoPrefix => "stereo_prefix",
            MatchedBy::Rule => "rule",
            MatchedBy::Unknown => "unknown",
        }
    }
}

/// How an item was split into several ingredients before matching.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Split {
    /// A blend printed as one item: `A (and) B`, `A & B`, `A + B`.
    Blend,
    /// Two or more known names printed without a separator: `Geraniol Alpha-Isomethyl Ionone`.
    RunTogether,
}

/// What the knowledge base knows about a matched name.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Known {
    /// The canonical INCI name (upper case). For a name recognised only by a rule, the
    /// normalised printed name.
    pub name: Cow<'static, str>,
    /// The key that matched when it differs from `name`: a synonym, or the other names of a
    /// slash-synonym group that were also recognised.
    pub also: Vec<&'static str>,
    /// The source of the synonym equivalence, when a synonym matched.
    pub synonym_source: Option<&'static str>,
    /// The categories, with their sources (before the product context: a scrub-only or
    /// sunscreen-active-only fact may not apply to a given product).
    pub facts: Vec<CategoryFact>,
    /// The comedogenicity rating, when a table gives one.
    pub comedogenic: Option<ComedogenicRating>,
    /// Explicit "not in that category" facts (citric acid is not an AHA).
    pub exclusions: Vec<Exclusion>,
    /// The CosIng reference number(s), when CosIng lists the name.
    pub cosing_ref: Option<&'static str>,
    /// Why the curated data lists a name that is in no category (its source), if it does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listing: Option<NameListing>,
}

impl Known {
    fn from_entry(entry: Entry) -> Known {
        Known {
            name: Cow::Borrowed(entry.name),
            also: if entry.matched == entry.name {
                Vec::new()
            } else {
                vec![entry.matched]
            },
            synonym_source: entry.synonym_source,
            facts: entry.categories,
            comedogenic: entry.comedogenic,
            exclusions: entry.exclusions,
            cosing_ref: entry.cosing.map(|c| c.ref_numbers),
            listing: entry.listing,
        }
    }

    /// Adds the categories of an ingredient named inside this one's brackets, without
    /// duplicating a category (its exclusions, which explain its own name, are not taken).
    fn add_facts_of(&mut self, inside: Known) {
        for fact in inside.facts {
            if !self.facts.iter().any(|f| f.category == fact.category) {
                self.facts.push(fact);
            }
        }
    }

    /// Adds the facts of another name of the same ingredient (a slash synonym), without
    /// duplicating a category.
    fn merge(&mut self, other: Known) {
        if other.name != self.name
            && let Cow::Borrowed(name) = other.name
        {
            self.also.push(name);
        }
        for fact in other.facts {
            if !self.facts.iter().any(|f| f.category == fact.category) {
                self.facts.push(fact);
            }
        }
        for exclusion in other.exclusions {
            if !self
                .exclusions
                .iter()
                .any(|x| x.category == exclusion.category)
            {
                self.exclusions.push(exclusion);
            }
        }
        if let Some(rating) = other.comedogenic
            && self.comedogenic.is_none_or(|c| rating.rating > c.rating)
        {
            self.comedogenic = Some(rating);
        }
        if self.cosing_ref.is_none() {
            self.cosing_ref = other.cosing_ref;
        }
    }

    /// Whether a category fact (in any scope) is listed.
    pub fn has(&self, category: Category) -> bool {
        self.facts.iter().any(|f| f.category == category)
    }
}

/// One ingredient found in a printed item (most items hold exactly one).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MatchedPart {
    /// The part's normalised text (the whole item's, unless the item was split).
    pub text: Box<str>,
    /// How the item was split, when it was.
    pub split: Option<Split>,
    /// How the name was matched.
    pub matched_by: MatchedBy,
    /// For [`MatchedBy::Rule`]: what the rule recognises, in a sentence.
    pub rule: Option<&'static str>,
    /// What the knowledge base knows; `None` when unknown.
    pub known: Option<Known>,
    /// "Did you mean" suggestions, for an unknown name.
    pub suggestions: Vec<Suggestion>,
    /// The facts that decide the status, in a compact form (derived from `known`).
    #[serde(skip)]
    pub summary: PartSummary,
}

impl MatchedPart {
    fn new(
        text: Box<str>,
        split: Option<Split>,
        found: Option<Found>,
        suggestions: Vec<Suggestion>,
    ) -> MatchedPart {
        let (known, matched_by, rule) = match found {
            Some((known, by, rule)) => (Some(known), by, rule),
            None => (None, MatchedBy::Unknown, None),
        };
        let summary = PartSummary::of(known.as_ref());
        MatchedPart {
            text,
            split,
            matched_by,
            rule,
            known,
            suggestions,
            summary,
        }
    }
}

/// Everything matched in one printed item.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemMatch {
    /// The ingredients of the item, in printed order (one, or several for a split item).
    pub parts: Vec<MatchedPart>,
}

/// Matches the cleaned text of one parsed item (see the module documentation for the order of
/// the steps). Never fails: what is not recognised is an unknown part.
pub fn match_item(kb: &KnowledgeBase, text: &str) -> ItemMatch {
    let normalized = normalize_inci_name(text);
    if normalized.is_empty() {
        return ItemMatch {
            parts: vec![unknown_part(kb, normalized, None)],
        };
    }
    if let Some(found) = match_whole(kb, &normalized) {
        return ItemMatch {
            parts: vec![MatchedPart::new(
                normalized.into_boxed_str(),
                None,
                Some(found),
                Vec::new(),
            )],
        };
    }
    if let Some(pieces) = split_blend(&normalized) {
        let parts = pieces
            .into_iter()
            .map(|piece| match match_name(kb, piece, 0) {
                Some(found) => {
                    MatchedPart::new(piece.into(), Some(Split::Blend), Some(found), Vec::new())
                }
                None => unknown_part(kb, piece.to_owned(), Some(Split::Blend)),
            })
            .collect();
        return ItemMatch { parts };
    }
    if let Some(pieces) = split_run_together(kb, &normalized) {
        let parts = pieces
            .into_iter()
            .filter_map(|piece| {
                let found = match_name(kb, &piece, 0)?;
                Some(MatchedPart::new(
                    piece.into_boxed_str(),
                    Some(Split::RunTogether),
                    Some(found),
                    Vec::new(),
                ))
            })
            .collect();
        return ItemMatch { parts };
    }
    ItemMatch {
        parts: vec![unknown_part(kb, normalized, None)],
    }
}

/// What the knowledge base knows of `text` as one ingredient, if anything: the first step of
/// [`match_item`], without splitting a blend or suggesting names for an unknown one. For names
/// looked for in text left out of a list, where a name that is not known is no finding.
pub fn recognise(kb: &KnowledgeBase, text: &str) -> Option<Known> {
    let normalized = normalize_inci_name(text);
    if normalized.is_empty() {
        return None;
    }
    match_whole(kb, &normalized).map(|(known, _, _)| known)
}

/// The match of a whole normalised name. A blend (`A & B`) stands for one ingredient only by
/// its exact name; each of its parts is matched alone afterwards.
fn match_whole(kb: &KnowledgeBase, normalized: &str) -> Option<Found> {
    if split_blend(normalized).is_some() {
        kb.lookup(normalized).map(|entry| {
            let by = if entry.matched == entry.name {
                MatchedBy::Exact
            } else {
                MatchedBy::Synonym
            };
            (Known::from_entry(entry), by, None)
        })
    } else {
        match_name(kb, normalized, 0)
    }
}

fn unknown_part(kb: &KnowledgeBase, normalized: String, split: Option<Split>) -> MatchedPart {
    let suggestions = if normalized.is_empty() {
        Vec::new()
    } else {
        suggest(kb, &normalized)
    };
    MatchedPart::new(normalized.into_boxed_str(), split, None, suggestions)
}

type Found = (Known, MatchedBy, Option<&'static str>);

/// Steps 1 to 7 for one normalised name.
fn match_name(kb: &KnowledgeBase, name: &str, depth: u8) -> Option<Found> {
    if let Some(entry) = kb.lookup(name) {
        let by = if entry.matched == entry.name {
            MatchedBy::Exact
        } else {
            MatchedBy::Synonym
        };
        return Some((Known::from_entry(entry), by, None));
    }
    let plain = has_brackets(name).then(|| without_brackets(name));
    if let Some(plain) = plain.as_deref()
        && !plain.is_empty()
        && let Some(entry) = kb.lookup(plain)
    {
        let mut known = Known::from_entry(entry);
        // What the brackets name counts too: "Aloe Vera Gel (Aloe Barbadensis Leaf Juice,
        // Benzyl Alcohol)" holds a fragrance allergen, "Shea Butter (…, Parfum)" fragrance.
        if let Some(inside) = match_bracket_content(kb, name, true) {
            known.add_facts_of(inside);
        }
        return Some((known, MatchedBy::WithoutBrackets, None));
    }
    if let Some(known) = match_slash_synonyms(kb, name) {
        return Some((known, MatchedBy::SlashSynonym, None));
    }
    if let Some(known) = match_bracket_content(kb, name, false) {
        return Some((known, MatchedBy::BracketContent, None));
    }
    if depth == 0
        && let Some(rest) = strip_qualifier(plain.as_deref().unwrap_or(name))
        && let Some((known, _, rule)) = match_name(kb, rest, depth + 1)
    {
        return Some((known, MatchedBy::Qualifier, rule));
    }
    if let Some(known) = match_stereo_prefix(kb, plain.as_deref().unwrap_or(name)) {
        return Some((known, MatchedBy::StereoPrefix, None));
    }
    for candidate in std::iter::once(name).chain(plain.as_deref()) {
        let facts = kb.rule_facts(candidate);
        if let Some(first) = facts.first() {
            let rule = match first.basis {
                crate::inci::kb::Basis::Rule { explain, .. } => Some(explain),
                crate::inci::kb::Basis::Curated => None,
            };
            let known = Known {
                name: Cow::Owned(candidate.to_owned()),
                also: Vec::new(),
                synonym_source: None,
                facts,
                comedogenic: None,
                exclusions: Vec::new(),
                cosing_ref: None,
                listing: None,
            };
            return Some((known, MatchedBy::Rule, rule));
        }
    }
    None
}

/// Step 3: the slash-separated names of one ingredient; every known one counts.
fn match_slash_synonyms(kb: &KnowledgeBase, name: &str) -> Option<Known> {
    if !name.contains('/') || is_polymer_name(name) {
        return None;
    }
    let mut merged: Option<Known> = None;
    for part in split_top_level(name, b'/') {
        let part = part.trim();
        if part.is_empty() {
            continue;
        }
        let entry = kb.lookup(part).or_else(|| {
            has_brackets(part)
                .then(|| without_brackets(part))
                .and_then(|plain| kb.lookup(&plain))
        });
        if let Some(entry) = entry {
            let known = Known::from_entry(entry);
            match merged.as_mut() {
                Some(m) => m.merge(known),
                None => merged = Some(known),
            }
        }
    }
    merged
}

/// Step 4: a known name inside the brackets (`Pigment Blend (CI 77491, CI 77492)`). With
/// `notes`, also the name a note gives ("(with 14% alcohol)"): what the ingredient holds, for
/// adding to a known name's categories, never what an unknown one is.
fn match_bracket_content(kb: &KnowledgeBase, name: &str, notes: bool) -> Option<Known> {
    let mut merged: Option<Known> = None;
    for group in bracket_groups(name) {
        for piece in group.split([',', ';']) {
            let piece = piece.trim();
            if piece.len() < 2 {
                continue;
            }
            let entry = kb.lookup(piece).or_else(|| {
                notes
                    .then(|| bracket_note_name(piece))
                    .flatten()
                    .and_then(|name| kb.lookup(&name))
            });
            if let Some(entry) = entry {
                let known = Known::from_entry(entry);
                match merged.as_mut() {
                    Some(m) => m.merge(known),
                    None => merged = Some(known),
                }
            }
        }
    }
    merged
}

/// Words that open a note in brackets about what an ingredient holds: "(with 14% alcohol)",
/// "(contains lavender oil)", "(infused with rosemary leaf oil)".
const BRACKET_NOTE_WORDS: &[&str] = &["WITH", "CONTAINS", "CONTAINING", "INCLUDING", "INFUSED"];

/// The name a bracket note gives, without its opening words and percentages: "WITH 14%
/// ALCOHOL" → "ALCOHOL". `None` when the piece is not such a note.
fn bracket_note_name(piece: &str) -> Option<String> {
    let mut words = piece.split(' ').filter(|w| !w.is_empty()).peekable();
    let mut opened = false;
    while let Some(word) = words.peek() {
        if BRACKET_NOTE_WORDS.contains(word) {
            opened = true;
            words.next();
        } else {
            break;
        }
    }
    if !opened {
        return None;
    }
    let name: Vec<&str> = words
        .filter(|w| !(w.ends_with('%') && w[..w.len() - 1].parse::<f32>().is_ok()))
        .collect();
    (!name.is_empty()).then(|| name.join(" "))
}

/// Step 5: the name without leading qualifier words, if it had any.
fn strip_qualifier(name: &str) -> Option<&str> {
    let mut rest = name;
    while let Some((first, tail)) = rest.split_once(' ') {
        if QUALIFIERS.contains(&first) {
            rest = tail;
        } else {
            break;
        }
    }
    (rest.len() < name.len() && !rest.is_empty()).then_some(rest)
}

/// Step 6: the name without a leading stereo descriptor, when the rest is a known name. The
/// categories the fallback rules give the printed name itself are added, so that dropping the
/// descriptor can never lose one (a name that is known as printed never gets here).
fn match_stereo_prefix(kb: &KnowledgeBase, name: &str) -> Option<Known> {
    let rest = strip_stereo_prefix(name)?;
    let mut known = Known::from_entry(kb.lookup(rest)?);
    for fact in kb.rule_facts(name) {
        if !known.has(fact.category)
            && !known.exclusions.iter().any(|x| x.category == fact.category)
        {
            known.facts.push(fact);
        }
    }
    Some(known)
}

/// The name without a leading `L-`, `D-` or `DL-`, when a letter follows it.
fn strip_stereo_prefix(name: &str) -> Option<&str> {
    STEREO_PREFIXES.iter().find_map(|prefix| {
        name.strip_prefix(prefix)
            .filter(|rest| rest.starts_with(|c: char| c.is_ascii_alphabetic()))
    })
}

/// Step 8a: the parts of a blend (`A (AND) B`), when the name has a blend separator.
fn split_blend(name: &str) -> Option<Vec<&str>> {
    let separator = BLEND_SEPARATORS
        .iter()
        .copied()
        .find(|s| name.contains(s))?;
    let parts: Vec<&str> = name
        .split(separator)
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    (parts.len() >= 2).then_some(parts)
}

/// Step 8b: the fewest known names (two or more) whose words, in order, make up the name.
fn split_run_together(kb: &KnowledgeBase, name: &str) -> Option<Vec<String>> {
    let words: Vec<&str> = name.split(' ').collect();
    let n = words.len();
    if !(2..=MAX_RUN_TOGETHER_WORDS).contains(&n) || has_brackets(name) {
        return None;
    }
    // best[i]: the fewest known names covering words[..i], and where the last one starts.
    let mut best: Vec<Option<(usize, usize)>> = vec![None; n + 1];
    best[0] = Some((0, 0));
    for end in 1..=n {
        for start in 0..end {
            let Some((count, _)) = best[start] else {
                continue;
            };
            if start == 0 && end == n {
                continue;
            }
            let candidate = words[start..end].join(" ");
            if candidate.len() < 3 || !kb.contains(&candidate) {
                continue;
            }
            if best[end].is_none_or(|(c, _)| count + 1 < c) {
                best[end] = Some((count + 1, start));
            }
        }
    }
    let mut pieces = Vec::new();
    let mut end = n;
    while end > 0 {
        let (_, start) = best[end]?;
        pieces.push(words[start..end].join(" "));
        end = start;
    }
    pieces.reverse();
    (pieces.len() >= 2).then_some(pieces)
}

fn has_brackets(name: &str) -> bool {
    name.bytes().any(|b| matches!(b, b'(' | b'[' | b'{'))
}

fn is_polymer_name(name: &str) -> bool {
    name.split([' ', '/'])
        .any(|word| POLYMER_WORDS.iter().any(|p| word.ends_with(p)))
}

/// The name with its bracketed groups removed and spaces tidied.
pub(crate) fn without_brackets(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut depth = 0usize;
    for c in name.chars() {
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth = depth.saturating_sub(1),
            c if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The contents of the outermost bracket groups.
fn bracket_groups(name: &str) -> Vec<&str> {
    let mut groups = Vec::new();
    let mut depth = 0usize;
    let mut start = 0usize;
    for (i, b) in name.bytes().enumerate() {
        match b {
            b'(' | b'[' | b'{' => {
                if depth == 0 {
                    start = i + 1;
                }
                depth += 1;
            }
            b')' | b']' | b'}' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    groups.push(&name[start..i]);
                }
            }
            _ => {}
        }
    }
    groups
}

/// Splits at `separator` outside brackets.
fn split_top_level(name: &str, separator: u8) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut depth = 0usize;
    let mut start = 0usize;
    for (i, b) in name.bytes().enumerate() {
        match b {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            b if b == separator && depth == 0 => {
                parts.push(&name[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(&name[start..]);
    parts
}

// ---------------------------------------------------------------------------------------
// The memo
// ---------------------------------------------------------------------------------------

/// The most names a memo keeps; when full it starts again (bounded memory on any catalog).
/// 7/8 of 65,536, so that the table (which grows when 7/8 full) stays at 65,536 slots.
const MEMO_CAPACITY: usize = 57_344;

/// Remembers how printed names were matched, so that a name seen before costs one hash
/// look-up, and (through its [`ItemCache`]) what the parser learnt of each plain item it read.
/// One per worker thread; matching does not depend on the product, so a memo can be
/// shared by every list a worker checks.
///
/// Laid out for the checker's hot path, where memory latency, not instructions, is the cost:
/// the table holds only each name's full hash and a pointer (16 bytes a slot, so the table stays
/// in the core's cache), and the pointed-to [`MemoisedMatch`] keeps the reference count, the
/// first part's summary and the name itself together at its start. A look-up that finds its
/// name therefore reads one allocation, which it must touch anyway to share the match. The
/// match is shared without atomics: a memo and the checks made with it stay on one thread.
#[derive(Default)]
pub struct MatchMemo {
    table: HashTable<(u64, Rc<MemoisedMatch>)>,
    /// The plain items the parser has read for this memo's lists.
    items: ItemCache,
    /// The match of each remembered item's usual ingredient, by the item's number
    /// ([`ItemId`]): a list's ingredients that carry one are matched without hashing their
    /// names ([`MatchMemo::match_numbered`]). Only that function fills it, with numbers the
    /// item cache gives now: it is emptied when the cache starts again (the numbers then name
    /// other items), and with `table`, so that the memo never keeps more matches alive than
    /// `table` holds.
    by_item: Vec<Option<Rc<MemoisedMatch>>>,
    /// Names looked for in text left out of a list ([`MatchMemo::recognised`]): what is known
    /// of each as one ingredient, if anything. Apart from the matches of list items, which
    /// carry "did you mean" suggestions.
    names_in_text: HashTable<(u64, Box<[u8]>, Option<PartSummary>)>,
}

impl std::fmt::Debug for MatchMemo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MatchMemo")
            .field("names", &self.table.len())
            .field("items", &self.items.len())
            .finish()
    }
}

/// How long a name may be and still be kept inside its [`MemoisedMatch`].
const INLINE_KEY: usize = 38;

/// A remembered name: inline when short (nearly all), on the heap otherwise.
#[derive(Debug, Clone, PartialEq, Eq)]
enum MemoKey {
    Inline { len: u8, bytes: [u8; INLINE_KEY] },
    Heap(Box<[u8]>),
}

impl MemoKey {
    fn new(text: &[u8]) -> MemoKey {
        match u8::try_from(text.len()) {
            Ok(len) if text.len() <= INLINE_KEY => {
                let mut bytes = [0; INLINE_KEY];
                bytes[..text.len()].copy_from_slice(text);
                MemoKey::Inline { len, bytes }
            }
            _ => MemoKey::Heap(text.into()),
        }
    }

    #[inline]
    fn bytes(&self) -> &[u8] {
        match self {
            MemoKey::Inline { len, bytes } => &bytes[..usize::from(*len)],
            MemoKey::Heap(bytes) => bytes,
        }
    }
}

/// The proof that the numbers of a list's items are the ones the memo's item cache gives now,
/// as long as the cache has not started again since ([`MatchMemo::parse_numbered`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Numbering {
    /// The cache's count of restarts when the list was read.
    restarts: u64,
}

/// How a printed name was matched, as a [`MatchMemo`] shares it: the [`ItemMatch`] (which it
/// dereferences to), with what the checker reads for every ingredient placed first (`repr(C)`
/// keeps that order), next to the reference count: the first part's facts and the ruling
/// kept for it.
#[derive(Debug, Clone, PartialEq)]
#[repr(C)]
pub struct MemoisedMatch {
    first: PartSummary,
    /// Whether the first part is plain ([`PartSummary::is_plain`]).
    first_is_plain: bool,
    /// Whether the match has one part (the item was not split), told next to `first`.
    whole: bool,
    /// The ruling the last checker gave the first part, at the hour it checked
    /// (`Checker::rule_first_part`).
    pub(crate) kept_ruling: RulingMemo,
    key: MemoKey,
    matched: ItemMatch,
}

impl MemoisedMatch {
    /// The summary of the first part (the only one, unless the item was split).
    pub fn first_summary(&self) -> PartSummary {
        self.first
    }

    /// Whether the first part is plain ([`PartSummary::is_plain`]), told without reading its
    /// summary.
    #[inline]
    pub(crate) fn first_is_plain(&self) -> bool {
        self.first_is_plain
    }
}

impl std::ops::Deref for MemoisedMatch {
    type Target = ItemMatch;

    fn deref(&self) -> &ItemMatch {
        &self.matched
    }
}

impl MatchMemo {
    /// An empty memo.
    pub fn new() -> MatchMemo {
        MatchMemo::default()
    }

    /// The items of `text`, as [`parse_inci_list`](crate::inci::parse_inci_list) reads them, with the plain items this memo's
    /// earlier lists held read from its [`ItemCache`] rather than again.
    pub fn parse<'t>(&mut self, text: &'t str) -> ParsedList<'t> {
        self.parse_numbered(text).0
    }

    /// [`MatchMemo::parse`], with the proof that the items' numbers are the ones the item cache
    /// gives now, if they are: not when the cache started again while it read the list (the
    /// list then holds numbers of before and after). The proof holds until the cache starts
    /// again; [`MatchMemo::match_numbered`] checks that.
    pub(crate) fn parse_numbered<'t>(
        &mut self,
        text: &'t str,
    ) -> (ParsedList<'t>, Option<Numbering>) {
        let before = self.items.restarts();
        let parsed = parse_inci_list_cached(text, &mut self.items);
        let now = self.items.restarts();
        if now != before {
            // The numbers of `by_item` name other items now.
            self.by_item.clear();
            return (parsed, None);
        }
        (parsed, Some(Numbering { restarts: now }))
    }

    /// The match of an item's cleaned text, from the memo or computed (and remembered).
    #[inline]
    pub fn get(&mut self, kb: &KnowledgeBase, text: &str) -> Rc<MemoisedMatch> {
        let hash = key_hash(text.as_bytes());
        let found = self.table.find(hash, |(stored, entry)| {
            *stored == hash && same_bytes(entry.key.bytes(), text.as_bytes())
        });
        match found {
            Some((_, entry)) => Rc::clone(entry),
            None => self.remember(kb, text, hash),
        }
    }

    /// The matches of a list's ingredients, in order. An ingredient that a remembered item gave
    /// ([`ParsedIngredient::item_id`]) is found by the item's number, once the match kept
    /// under that number is checked to be for the same name (the items may come from another
    /// memo, or from before the item cache started again); any other through
    /// [`MatchMemo::get`]. It keeps nothing by number: only [`MatchMemo::match_numbered`],
    /// which knows where the numbers come from, does.
    pub fn match_items(
        &mut self,
        kb: &KnowledgeBase,
        items: &[ParsedIngredient<'_>],
    ) -> Vec<Rc<MemoisedMatch>> {
        let mut found = Vec::with_capacity(items.len());
        for item in items {
            let kept = item
                .item_id
                .index()
                .and_then(|index| self.by_item.get(index)?.as_ref())
                .filter(|entry| same_bytes(entry.key.bytes(), item.text.as_bytes()))
                .map(Rc::clone);
            found.push(kept.unwrap_or_else(|| self.get(kb, &item.text)));
        }
        found
    }

    /// The matches of the ingredients of a list this memo parsed ([`MatchMemo::parse_numbered`],
    /// whose proof `numbering` is; the ingredients a checker adds carry no number), in order.
    /// While the proof holds, an ingredient's number names the item that gave it, so the match
    /// kept under the number is that ingredient's: it is taken without comparing names, and a
    /// match not kept yet is kept. Otherwise, as [`MatchMemo::match_items`]. All are looked up
    /// before any is used: the look-ups are independent, so the processor overlaps their waits
    /// for memory. Says too whether every match is of one part (no item was split).
    pub(crate) fn match_numbered(
        &mut self,
        kb: &KnowledgeBase,
        items: &[ParsedIngredient<'_>],
        numbering: Option<Numbering>,
    ) -> (Vec<Rc<MemoisedMatch>>, bool) {
        if numbering.is_none_or(|numbering| numbering.restarts != self.items.restarts()) {
            let found = self.match_items(kb, items);
            let whole = found.iter().all(|matched| matched.parts.len() == 1);
            return (found, whole);
        }
        let mut found = Vec::with_capacity(items.len());
        let mut whole = true;
        for item in items {
            let matched = self.numbered_match(kb, &item.text, item.item_id);
            whole &= matched.whole;
            found.push(matched);
        }
        (found, whole)
    }

    /// The match of one ingredient's cleaned text, by its item's number when it has one (a
    /// number the item cache gives now: see [`MatchMemo::match_numbered`]).
    #[inline]
    fn numbered_match(
        &mut self,
        kb: &KnowledgeBase,
        text: &str,
        item_id: ItemId,
    ) -> Rc<MemoisedMatch> {
        let Some(index) = item_id.index() else {
            return self.get(kb, text);
        };
        if let Some(Some(entry)) = self.by_item.get(index) {
            debug_assert!(same_bytes(entry.key.bytes(), text.as_bytes()));
            return Rc::clone(entry);
        }
        let entry = self.get(kb, text);
        if index >= self.by_item.len() {
            self.by_item.resize(index + 1, None);
        }
        self.by_item[index] = Some(Rc::clone(&entry));
        entry
    }

    /// Matches a name that is not in the memo, and remembers it.
    #[cold]
    fn remember(&mut self, kb: &KnowledgeBase, text: &str, hash: u64) -> Rc<MemoisedMatch> {
        let matched = match_item(kb, text);
        let first = matched.parts.first().map(|p| p.summary).unwrap_or_default();
        let entry = Rc::new(MemoisedMatch {
            first,
            first_is_plain: first.is_plain(),
            whole: matched.parts.len() == 1,
            kept_ruling: RulingMemo::default(),
            key: MemoKey::new(text.as_bytes()),
            matched,
        });
        if self.table.len() >= MEMO_CAPACITY {
            self.table.clear();
            self.by_item.clear();
        }
        self.table
            .insert_unique(hash, (hash, Rc::clone(&entry)), |(stored, _)| *stored);
        entry
    }

    /// What is known of `text` as one ingredient ([`recognise`]), as a summary, from the memo
    /// or looked up (and remembered).
    pub fn recognised(&mut self, kb: &KnowledgeBase, text: &str) -> Option<PartSummary> {
        let hash = key_hash(text.as_bytes());
        if let Some((_, _, summary)) = self.names_in_text.find(hash, |(stored, key, _)| {
            *stored == hash && same_bytes(key, text.as_bytes())
        }) {
            return *summary;
        }
        let summary = recognise(kb, text).map(|known| PartSummary::of(Some(&known)));
        if self.names_in_text.len() >= MEMO_CAPACITY {
            self.names_in_text.clear();
        }
        self.names_in_text.insert_unique(
            hash,
            (hash, text.as_bytes().into(), summary),
            |(stored, _, _)| *stored,
        );
        summary
    }

    /// How many names the memo holds.
    pub fn len(&self) -> usize {
        self.table.len()
    }

    /// Whether the memo is empty.
    pub fn is_empty(&self) -> bool {
        self.table.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn kb() -> &'static KnowledgeBase {
        KnowledgeBase::embedded()
    }

    fn one(text: &str) -> MatchedPart {
        let mut m = match_item(kb(), text);
        assert_eq!(m.parts.len(), 1, "{text}: {m:?}");
        m.parts.remove(0)
    }

    fn categories(part: &MatchedPart) -> Vec<Category> {
        part.known
            .as_ref()
            .map(|k| k.facts.iter().map(|f| f.category).collect())
            .unwrap_or_default()
    }

    #[test]
    fn exact_names_and_synonyms_match_whatever_the_case_and_spacing() {
        let p = one("  sodium   hyaluronate ");
        assert_eq!(p.matched_by, MatchedBy::Exact);
        assert_eq!(p.known.as_ref().unwrap().name, "SODIUM HYALURONATE");
        assert!(categories(&p).contains(&Category::HyaluronicAcid));
        let p = one("Avobenzone");
        assert_eq!(p.matched_by, MatchedBy::Synonym);
        assert_eq!(
            p.known.as_ref().unwrap().name,
            "BUTYL METHOXYDIBENZOYLMETHANE"
        );
        assert!(categories(&p).contains(&Category::ChemicalUvFilter));
    }

    #[test]
    fn slash_synonyms_merge_every_known_name() {
        let p = one("Aqua/Water/Eau");
        assert_eq!(p.matched_by, MatchedBy::SlashSynonym);
        assert!(p.known.is_some());
        let p = one("Parfum/Fragrance");
        assert!(categories(&p).contains(&Category::Fragrance));
        let p = one("Hordeum Vulgare (Barley) Extract/Extrait D'Orge");
        assert_eq!(p.matched_by, MatchedBy::SlashSynonym);
    }

    #[test]
    fn copolymers_keep_their_slashes() {
        let p = one("Glycolic Acid/Lactic Acid Copolymer");
        assert!(!categories(&p).contains(&Category::Aha), "{p:?}");
    }

    #[test]
    fn brackets_are_dropped_or_read() {
        let p = one("Water (Aqua)");
        assert!(matches!(
            p.matched_by,
            MatchedBy::Exact | MatchedBy::WithoutBrackets
        ));
        let p = one("Pigment Blend (Ci 77491, Ci 77492, Ci 77499)");
        assert_eq!(p.matched_by, MatchedBy::BracketContent);
        // "Iron Oxides" is a name of its own (21 CFR 73.2250), found without the brackets.
        let p = one("Iron Oxides (Ci 77491, Ci 77492, Ci 77499)");
        assert_eq!(p.matched_by, MatchedBy::WithoutBrackets);
        assert_eq!(p.known.as_ref().unwrap().name, "IRON OXIDES");
        let p = one("Citrus Limon (Lemon) Peel Oil");
        assert!(categories(&p).contains(&Category::EssentialOil));
        // What the brackets name adds its categories to a known name (re-check finding: the
        // allergen and the fragrance were ignored); a note says what it holds.
        let p = one("Aloe Vera Gel (Aloe Barbadensis Leaf Juice, Benzyl Alcohol, Citric Acid)");
        assert!(
            categories(&p).contains(&Category::FragranceAllergen),
            "{p:?}"
        );
        assert!(categories(&p).contains(&Category::Aloe), "{p:?}");
        let p = one("Shea Butter (Butyrospermum Parkii Butter, Parfum)");
        assert!(categories(&p).contains(&Category::Fragrance), "{p:?}");
        let p = one("Witch Hazel (with 14% alcohol)");
        assert!(categories(&p).contains(&Category::DryingAlcohol), "{p:?}");
        // A note never names an unknown ingredient.
        let p = one("Zzqx Blorb Extract (with alcohol)");
        assert_eq!(p.matched_by, MatchedBy::Unknown, "{p:?}");
        assert_eq!(
            bracket_note_name("WITH 14% ALCOHOL").as_deref(),
            Some("ALCOHOL")
        );
        assert_eq!(bracket_note_name("ALCOHOL"), None);
    }

    #[test]
    fn qualifiers_are_ignored_with_an_explanation() {
        let p = one("Purified Water");
        assert_eq!(p.matched_by, MatchedBy::Qualifier);
        assert_eq!(p.known.as_ref().unwrap().name, "WATER");
    }

    #[test]
    fn stereo_descriptors_are_dropped_when_the_rest_is_known() {
        for (printed, name) in [
            ("L-Proline", "PROLINE"),
            ("L-Arginine", "ARGININE"),
            ("D-Glucose", "GLUCOSE"),
            ("DL-Proline", "PROLINE"),
        ] {
            let p = one(printed);
            assert_eq!(p.matched_by, MatchedBy::StereoPrefix, "{printed}");
            assert_eq!(p.known.as_ref().unwrap().name, name, "{printed}");
        }
        // Curated spellings match as printed (step 1) and keep their categories.
        let p = one("L-Ascorbic Acid");
        assert_eq!(p.matched_by, MatchedBy::Synonym);
        assert_eq!(categories(&p), [Category::VitaminC]);
        for printed in ["DL-Panthenol", "D-Panthenol"] {
            let p = one(printed);
            assert_eq!(p.matched_by, MatchedBy::Synonym, "{printed}");
            assert!(categories(&p).contains(&Category::Panthenol), "{printed}");
        }
        // A stripped name keeps the categories of the name without the descriptor.
        let p = one("DL-Malic Acid");
        assert_eq!(p.matched_by, MatchedBy::StereoPrefix);
        assert_eq!(
            categories(&p),
            categories(&one("Malic Acid")),
            "DL-Malic Acid is malic acid"
        );
        // Not a descriptor, or nothing known after it: left to the other steps.
        assert_eq!(one("L-Zzyzx Qqq").matched_by, MatchedBy::Unknown);
        assert_eq!(strip_stereo_prefix("L-PROLINE"), Some("PROLINE"));
        assert_eq!(strip_stereo_prefix("DL-PANTHENOL"), Some("PANTHENOL"));
        assert_eq!(strip_stereo_prefix("D-PANTHENOL"), Some("PANTHENOL"));
        for name in [
            "PROLINE",
            "L-",
            "D-3-X",
            "LD-PROLINE",
            "L PROLINE",
            "ML-PROLINE",
        ] {
            assert_eq!(strip_stereo_prefix(name), None, "{name}");
        }
    }

    #[test]
    fn dropping_a_stereo_descriptor_never_loses_a_rule_category() {
        // A name whose own shape gives categories by rule keeps them all when the rest of it
        // is a known name (here the descriptor is printed before a rule-shaped name).
        for printed in [
            "L-Ascorbyl Palmitate",
            "D-Panthenyl Triacetate",
            "DL-Alpha-Tocopheryl Acetate",
            "L-Retinyl Palmitate",
        ] {
            let normalized = normalize_inci_name(printed);
            let p = one(printed);
            for fact in kb().rule_facts(&normalized) {
                assert!(
                    categories(&p).contains(&fact.category),
                    "{printed} lost {:?}: {p:?}",
                    fact.category
                );
            }
        }
    }

    #[test]
    fn aromatic_plant_oils_unknown_by_name_are_recognised_by_rule() {
        let p = one("Lavandula Angustifolia Flowering Top Peel Oil");
        assert_eq!(p.matched_by, MatchedBy::Rule, "{p:?}");
        assert!(p.rule.is_some());
        assert!(categories(&p).contains(&Category::EssentialOil));
    }

    #[test]
    fn blends_and_run_together_names_are_split() {
        let m = match_item(
            kb(),
            "Dimethyl Isosorbide (and) Hydroxypinacolone Retinoate",
        );
        assert_eq!(m.parts.len(), 2);
        assert!(m.parts.iter().all(|p| p.split == Some(Split::Blend)));
        assert!(categories(&m.parts[1]).contains(&Category::Retinoid));
        let m = match_item(kb(), "Geraniol Alpha-Isomethyl Ionone");
        assert_eq!(m.parts.len(), 2, "{m:?}");
        assert!(m.parts.iter().all(|p| p.split == Some(Split::RunTogether)));
        assert!(
            m.parts
                .iter()
                .all(|p| categories(p).contains(&Category::FragranceAllergen))
        );
    }

    #[test]
    fn unknown_names_stay_unknown_with_suggestions() {
        let p = one("Cocomidopropyl Betaine");
        assert_eq!(p.matched_by, MatchedBy::Unknown);
        assert!(p.known.is_none());
        assert_eq!(p.suggestions[0].name, "COCAMIDOPROPYL BETAINE");
        let p = one("Zzyzx Qqq");
        assert!(p.known.is_none());
        assert!(p.suggestions.is_empty());
    }

    #[test]
    fn the_memo_returns_the_same_match() {
        let mut memo = MatchMemo::new();
        let a = memo.get(kb(), "Retinol");
        let b = memo.get(kb(), "Retinol");
        assert!(Rc::ptr_eq(&a, &b));
        assert_eq!(memo.len(), 1);
        assert_eq!(**a, match_item(kb(), "Retinol"));
        assert_eq!(a.first_summary(), a.parts[0].summary);
        // A name too long to keep inline is remembered all the same.
        let long = "Hydrolyzed Rice Protein/Sodium Hyaluronate Crosspolymer Extract";
        let c = memo.get(kb(), long);
        assert!(Rc::ptr_eq(&c, &memo.get(kb(), long)));
        assert_eq!(**c, match_item(kb(), long));
        assert_eq!(memo.len(), 2);
    }

    #[test]
    fn ingredients_of_remembered_items_are_matched_by_the_items_number() {
        let mut memo = MatchMemo::new();
        let lists = [
            "Aqua, Glycerin, Retinol, Parfum (Fragrance), Niacinamide 4%, Citric Acid.",
            "Glycerin, Retinol, Aqua, Niacinamide 4%, Linalool, Parfum (Fragrance).",
        ];
        for _ in 0..2 {
            for list in lists {
                let (parsed, numbering) = memo.parse_numbered(list);
                assert!(numbering.is_some());
                let (matches, whole) = memo.match_numbered(kb(), &parsed.ingredients, numbering);
                assert_eq!(matches.len(), parsed.ingredients.len());
                assert_eq!(whole, matches.iter().all(|m| m.parts.len() == 1));
                for (item, matched) in parsed.ingredients.iter().zip(&matches) {
                    // The same match as by name, shared.
                    assert!(Rc::ptr_eq(matched, &memo.get(kb(), &item.text)), "{item:?}");
                }
            }
        }
        // Read once, the plain items are remembered: the second time round their ingredients
        // carry the items' numbers, and each number holds that ingredient's match.
        let parsed = memo.parse(lists[1]);
        assert!(
            parsed.ingredients[1..]
                .iter()
                .all(|i| i.item_id.index().is_some())
        );
        for item in &parsed.ingredients[1..] {
            let index = item.item_id.index().expect("numbered");
            let kept = memo.by_item[index].as_ref().expect("kept");
            assert_eq!(kept.key.bytes(), item.text.as_bytes());
        }
    }

    #[test]
    fn a_number_from_elsewhere_is_not_trusted_nor_kept() {
        let mut memo = MatchMemo::new();
        let (parsed, numbering) = memo.parse_numbered("Aqua, Retinol, Glycerin.");
        memo.match_numbered(kb(), &parsed.ingredients, numbering);
        let retinol = parsed.ingredients[1].item_id;
        let index = retinol.index().expect("numbered");
        // An ingredient claiming Retinol's number (from another memo, or from before the item
        // cache started again), given to `match_items`: its own name decides.
        let mut glycerin = parsed.ingredients[2].clone();
        glycerin.item_id = retinol;
        let matched = memo.match_items(kb(), std::slice::from_ref(&glycerin));
        assert_eq!(matched[0].parts[0].known, one("Glycerin").known);
        assert!(Rc::ptr_eq(&matched[0], &memo.get(kb(), "Glycerin")));
        // And the number still holds Retinol's match.
        assert_eq!(
            memo.by_item[index].as_ref().map(|m| m.key.bytes()),
            Some(&b"Retinol"[..])
        );
    }

    #[test]
    fn numbers_from_before_the_item_cache_started_again_are_not_trusted() {
        let mut memo = MatchMemo::new();
        let (before, numbering) = memo.parse_numbered("Aqua, Retinol, Glycerin, Niacinamide.");
        let old = numbering.expect("the cache did not start again");
        memo.match_numbered(kb(), &before.ingredients, Some(old));
        // New items until the cache starts again: the list it starts again in holds numbers of
        // before and after, and has no proof; the memo's numbers are forgotten.
        let mut batch = 0;
        let restarted = loop {
            let list = (0..60)
                .map(|i| format!("Item {batch} {i}"))
                .collect::<Vec<_>>()
                .join(", ");
            batch += 1;
            if memo.parse_numbered(&list).1.is_none() {
                break list;
            }
        };
        assert!(memo.by_item.is_empty());
        // Read again, that list has a proof, and its new numbers from 0 keep its items'
        // matches: the old list's numbers now hold other names.
        let (again, numbering) = memo.parse_numbered(&restarted);
        memo.match_numbered(kb(), &again.ingredients, numbering);
        for item in &before.ingredients {
            let index = item.item_id.index().expect("numbered");
            let kept = memo.by_item[index].as_ref().expect("kept");
            assert!(kept.key.bytes().starts_with(b"Item "), "{item:?}");
        }
        // The list read before, with its old proof, is matched by name: Retinol stays Retinol.
        let (matches, _) = memo.match_numbered(kb(), &before.ingredients, Some(old));
        for (item, matched) in before.ingredients.iter().zip(&matches) {
            assert!(Rc::ptr_eq(matched, &memo.get(kb(), &item.text)), "{item:?}");
        }
    }

    #[test]
    fn names_in_left_out_text_are_recognised_without_suggestions() {
        let mut memo = MatchMemo::new();
        for _ in 0..2 {
            let retinol = memo
                .recognised(kb(), "pure retinol")
                .or(memo.recognised(kb(), "retinol"));
            assert_eq!(
                retinol,
                Some(PartSummary::of(recognise(kb(), "retinol").as_ref()))
            );
            assert!(retinol.is_some_and(|s| s.always.contains(Category::Retinoid)));
            // A word of a sentence is no ingredient, and costs no "did you mean" search.
            assert_eq!(memo.recognised(kb(), "formulated with"), None);
        }
        // Those look-ups do not fill the memo of list items.
        assert!(memo.is_empty());
    }

    proptest! {
        #[test]
        fn matching_accepts_any_text(text in "\\PC{0,80}") {
            let m = match_item(kb(), &text);
            prop_assert!(!m.parts.is_empty());
            for part in &m.parts {
                prop_assert_eq!(part.known.is_none(), part.matched_by == MatchedBy::Unknown);
            }
        }

    }
}
