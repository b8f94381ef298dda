//! "Did you mean" suggestions for an ingredient name the knowledge base does not know.
//!
//! What belongs here: finding the known names closest to a normalised unknown name (typos such
//! as `Cocomidopropyl Betaine`, OCR damage such as `Rosmarinus O_cinalis`), ranked, with what
//! each suggestion is. What does not: deciding anything. A suggestion is shown to the person;
//! it never gives the unknown ingredient a category or a verdict (`reference/ingredients.md`
//! §4: fuzzy matching is only for suggestions).
//!
//! Every known name is compared with the optimal-string-alignment distance (edits and
//! transpositions), computed only up to the largest distance worth suggesting. Candidates are
//! filtered first by length, by the set of characters they use and by their multiset of
//! characters, all exact lower bounds of the distance, so only a few names are compared. The
//! table of names sorted by length is built on the first unknown name (about 30,500 entries,
//! a millisecond or two) and shared.

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
    /// Length in characters.
    len: usize,
    /// [`char_set`] of the name.
    chars: u64,
}

/// Every known name sorted by length, and the curated names (sorted) to rank them first.
#[derive(Debug)]
struct Table {
    candidates: Vec<Candidate>,
    curated: Vec<&'static str>,
}

fn table(kb: &KnowledgeBase) -> &'static Table {
    static TABLE: OnceLock<Table> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut candidates: Vec<Candidate> = kb
            .names()
            .map(|name| Candidate {
                name,
                len: char_len(name),
                chars: char_set(name),
            })
            .collect();
        candidates.sort_unstable_by_key(|c| (c.len, c.name));
        Table {
            candidates,
            curated: kb.curated_names().collect(),
        }
    })
}

fn char_len(text: &str) -> usize {
    if text.is_ascii() {
        text.len()
    } else {
        text.chars().count()
    }
}

/// The bucket of a character in [`char_set`] and [`char_counts`]: letters and digits exactly.
fn bucket(c: char) -> usize {
    match c {
        'A'..='Z' => (u32::from(c) - u32::from('A')) as usize,
        '0'..='9' => 26 + (u32::from(c) - u32::from('0')) as usize,
        ' ' => 36,
        '-' => 37,
        '/' => 38,
        '(' | ')' => 39,
        other => 40 + (u32::from(other) % 24) as usize,
    }
}

/// The set of character buckets a name uses, as 64 bits.
fn char_set(text: &str) -> u64 {
    if text.is_ascii() {
        text.bytes()
            .fold(0u64, |set, b| set | (1u64 << bucket(char::from(b))))
    } else {
        text.chars().fold(0u64, |set, c| set | (1u64 << bucket(c)))
    }
}

/// How many characters of each bucket a name has.
fn char_counts(text: &str) -> [u16; 64] {
    let mut counts = [0u16; 64];
    for c in text.chars() {
        let slot = &mut counts[bucket(c)];
        *slot = slot.saturating_add(1);
    }
    counts
}

/// A lower bound of the edit distance: the larger of the characters only `a` has and the
/// characters only `b` has, counted with multiplicity (each edit fixes at most one of each).
fn bag_distance(a: &[u16; 64], b: &[u16; 64]) -> usize {
    let (mut more, mut fewer) = (0usize, 0usize);
    for (x, y) in a.iter().zip(b) {
        if x > y {
            more += usize::from(x - y);
        } else {
            fewer += usize::from(y - x);
        }
    }
    more.max(fewer)
}

/// The optimal-string-alignment distance between two ASCII strings if it is at most `limit`,
/// stopping as soon as it cannot be. `rows` is scratch space, reused between calls.
fn osa_within(a: &[u8], b: &[u8], limit: usize, rows: &mut [Vec<usize>; 3]) -> Option<usize> {
    let width = b.len() + 1;
    for row in rows.iter_mut() {
        row.clear();
        row.resize(width, 0);
    }
    let [before, previous, current] = rows;
    for (j, cell) in previous.iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        current[0] = i;
        let mut best = current[0];
        for j in 1..width {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (previous[j] + 1)
                .min(current[j - 1] + 1)
                .min(previous[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(before[j - 2] + 1);
            }
            current[j] = d;
            best = best.min(d);
        }
        if best > limit {
            return None;
        }
        std::mem::swap(before, previous);
        std::mem::swap(previous, current);
    }
    let distance = previous[width - 1];
    (distance <= limit).then_some(distance)
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
    let len = char_len(query);
    if len < 3 {
        return;
    }
    let limit = max_distance(len);
    let chars = char_set(query);
    let counts = char_counts(query);
    let table = table(kb);
    let candidates = &table.candidates;
    let low = candidates.partition_point(|c| c.len + limit < len);
    let high = candidates.partition_point(|c| c.len <= len + limit);
    let mut rows: [Vec<usize>; 3] = Default::default();
    for candidate in candidates.get(low..high).unwrap_or_default() {
        // Exact lower bounds first: one edit changes at most two buckets of the set, and at
        // most one character of each side of the multiset.
        if ((candidate.chars ^ chars).count_ones() as usize) > 2 * limit
            || bag_distance(&counts, &char_counts(candidate.name)) > limit
        {
            continue;
        }
        let distance = if query.is_ascii() && candidate.name.is_ascii() {
            osa_within(
                query.as_bytes(),
                candidate.name.as_bytes(),
                limit,
                &mut rows,
            )
        } else {
            Some(strsim::osa_distance(query, candidate.name)).filter(|d| *d <= limit)
        };
        if let Some(distance) = distance.filter(|d| *d > 0) {
            let curated = table.curated.binary_search(&candidate.name).is_ok();
            found.push((distance, !curated, candidate.name));
        }
    }
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
        fn the_bounded_distance_agrees_with_strsim(
            a in "[A-D -]{0,12}",
            b in "[A-D -]{0,12}",
            limit in 0usize..5,
        ) {
            let mut rows = Default::default();
            let full = strsim::osa_distance(&a, &b);
            let bounded = osa_within(a.as_bytes(), b.as_bytes(), limit, &mut rows);
            prop_assert_eq!(bounded, (full <= limit).then_some(full));
            prop_assert!(bag_distance(&char_counts(&a), &char_counts(&b)) <= full);
            prop_assert!(((char_set(&a) ^ char_set(&b)).count_ones() as usize) <= 2 * full);
        }

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
