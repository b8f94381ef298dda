//! "Did you mean" suggestions for an ingredient name the knowledge base does not know.
//!
//! What belongs here: finding the known names closest to a normalised unknown name (typos such
//! as `Cocomidopropyl Betaine`, OCR damage such as `Rosmarinus O_cinalis`), ranked, with what
//! each suggestion is. What does not: deciding anything. A suggestion is shown to the person;
//! it never gives the unknown ingredient a category or a verdict (`reference/ingredients.md`
//! §4: fuzzy matching is only for suggestions).
//!
//! Every known name is compared with the optimal-string-alignment distance (edits and
//! transpositions). Candidates are filtered first by length and by the set of characters they
//! use, both exact lower bounds of the distance, so only a few dozen names are compared. The
//! filter table is built on the first unknown name (about 30,500 entries) and shared.

use std::sync::OnceLock;

use serde::Serialize;

use crate::{
    category::Category,
    inci::{kb::KnowledgeBase, matching::without_brackets},
};

/// How many suggestions are returned at most.
pub const MAX_SUGGESTIONS: usize = 3;

/// A known name close to an unknown one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Suggestion {
    /// The known name (normalised, upper case): a curated name or synonym, or a CosIng name.
    pub name: &'static str,
    /// The canonical name it stands for, when `name` is a synonym.
    pub canonical: Option<&'static str>,
    /// The edit distance (insertions, deletions, substitutions, transpositions).
    pub distance: usize,
    /// The categories of the suggested name, so a person sees what is at stake ("did you mean
    /// RETINOL (retinoid)?").
    pub categories: Vec<Category>,
}

/// One known name with its filter keys.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    name: &'static str,
    len: usize,
    chars: u64,
}

/// Every known name, sorted by length.
fn candidates(kb: &KnowledgeBase) -> &'static [Candidate] {
    static TABLE: OnceLock<Vec<Candidate>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table: Vec<Candidate> = kb
            .names()
            .map(|name| Candidate {
                name,
                len: name.chars().count(),
                chars: char_set(name),
            })
            .collect();
        table.sort_by_key(|c| c.len);
        table
    })
}

/// The set of characters a name uses, folded into 64 bits (letters and digits exactly).
fn char_set(text: &str) -> u64 {
    text.chars().fold(0u64, |set, c| {
        let bit = match c {
            'A'..='Z' => u32::from(c) - u32::from('A'),
            '0'..='9' => 26 + u32::from(c) - u32::from('0'),
            ' ' => 36,
            '-' => 37,
            '/' => 38,
            '(' | ')' => 39,
            other => 40 + u32::from(other) % 24,
        };
        set | (1u64 << bit)
    })
}

/// The largest distance worth suggesting for a name of `len` characters: one edit for short
/// names, up to four for long ones.
fn max_distance(len: usize) -> usize {
    len.div_ceil(7).clamp(1, 4)
}

/// The known names closest to `normalized` (a name already normalised with
/// [`crate::inci::kb::normalize_inci_name`] and not known), best first, at most
/// [`MAX_SUGGESTIONS`]. Empty when nothing is close.
pub fn suggest(kb: &KnowledgeBase, normalized: &str) -> Vec<Suggestion> {
    let mut found: Vec<(usize, bool, &'static str)> = Vec::new();
    close_names(kb, normalized, &mut found);
    // Labels often add or change the bracketed common name ("(Rosemary)"): try without it.
    if normalized.contains('(') {
        close_names(kb, &without_brackets(normalized), &mut found);
    }
    // Each name once, at its smallest distance; then best first.
    found.sort_by_key(|&(distance, not_curated, name)| (name, distance, not_curated));
    found.dedup_by_key(|f| f.2);
    found.sort();
    found
        .into_iter()
        .take(MAX_SUGGESTIONS)
        .map(|(distance, _, name)| {
            let entry = kb.lookup(name);
            Suggestion {
                name,
                canonical: entry.as_ref().filter(|e| e.name != name).map(|e| e.name),
                distance,
                categories: entry
                    .map(|e| e.category_ids().collect())
                    .unwrap_or_default(),
            }
        })
        .collect()
}

/// Adds the known names within the distance limit of `query` to `found` as (distance, not
/// curated, name).
fn close_names(kb: &KnowledgeBase, query: &str, found: &mut Vec<(usize, bool, &'static str)>) {
    let len = query.chars().count();
    if len < 3 {
        return;
    }
    let limit = max_distance(len);
    let chars = char_set(query);
    let table = candidates(kb);
    let low = table.partition_point(|c| c.len + limit < len);
    let high = table.partition_point(|c| c.len <= len + limit);
    for candidate in table.get(low..high).unwrap_or_default() {
        // One edit changes at most two characters of the set.
        if ((candidate.chars ^ chars).count_ones() as usize) > 2 * limit {
            continue;
        }
        let distance = strsim::osa_distance(query, candidate.name);
        if distance <= limit && distance > 0 {
            found.push((distance, !is_curated(kb, candidate.name), candidate.name));
        }
    }
}

fn is_curated(kb: &KnowledgeBase, name: &str) -> bool {
    kb.lookup(name).is_some_and(|e| e.curated)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::inci::kb::normalize_inci_name;

    fn kb() -> &'static KnowledgeBase {
        KnowledgeBase::embedded()
    }

    fn first(text: &str) -> Option<Suggestion> {
        suggest(kb(), &normalize_inci_name(text)).into_iter().next()
    }

    #[test]
    fn typos_from_real_labels_get_the_intended_name() {
        for (typo, intended) in [
            ("Cocomidopropyl Betaine", "COCAMIDOPROPYL BETAINE"),
            ("Glyercyl Stearate SE", "GLYCERYL STEARATE SE"),
            ("Ceteayl Olivate", "CETEARYL OLIVATE"),
            (
                "Pentaerythirityl Tetraethylhexanoate",
                "PENTAERYTHRITYL TETRAETHYLHEXANOATE",
            ),
            (
                "Rosmarinus O_cinalis (Rosemary) Leaf Extract",
                "ROSMARINUS OFFICINALIS LEAF EXTRACT",
            ),
        ] {
            let s = first(typo).unwrap_or_else(|| panic!("no suggestion for {typo}"));
            assert_eq!(s.name, intended, "{typo}");
        }
    }

    #[test]
    fn a_suggestion_says_what_the_suggested_name_is() {
        let found = suggest(kb(), "RETINL");
        let retinol = found
            .iter()
            .find(|s| s.name == "RETINOL")
            .expect("RETINOL is suggested");
        assert_eq!(retinol.distance, 1);
        assert!(retinol.categories.contains(&Category::Retinoid));
    }

    #[test]
    fn nothing_close_means_no_suggestion() {
        assert!(first("Qwzx Vvvv Kkkk").is_none());
        assert!(suggest(kb(), "").is_empty());
        assert!(suggest(kb(), "AB").is_empty());
    }

    #[test]
    fn the_distance_limit_grows_with_the_name() {
        assert_eq!(max_distance(3), 1);
        assert_eq!(max_distance(14), 2);
        assert_eq!(max_distance(44), 4);
        assert_eq!(max_distance(400), 4);
    }

    proptest! {
        #[test]
        fn suggestions_are_close_ranked_and_bounded(text in "[A-Z ]{3,30}") {
            let limit = max_distance(text.chars().count());
            let found = suggest(kb(), &text);
            prop_assert!(found.len() <= MAX_SUGGESTIONS);
            prop_assert!(found.windows(2).all(|w| w[0].distance <= w[1].distance));
            for s in &found {
                prop_assert!(s.distance >= 1 && s.distance <= limit);
                prop_assert_eq!(strsim::osa_distance(&text, s.name), s.distance);
            }
            let names: Vec<&str> = found.iter().map(|s| s.name).collect();
            let mut unique = names.clone();
            unique.dedup();
            prop_assert_eq!(names, unique);
        }
    }
}
