//! Fuzz `parse_inci_list`: it must never panic, never hang, and always return spans that are
//! in-bounds, on character boundaries, in order and non-overlapping, with one position per
//! ingredient in each section. And `parse_inci_list_cached` must give the same result: the
//! input is also read as several lists (split at NUL bytes) parsed with one item cache, as a
//! catalog run does, so items remembered from one list are read back in another.
#![no_main]

use aftercare_core::inci::{
    ItemCache, ParsedList, Section, parse_inci_list, parse_inci_list_cached,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Invalid UTF-8 is made valid the way a caller reading bytes would.
    let text = String::from_utf8_lossy(data);
    let list = parse_inci_list(&text);
    check(&text, &list);
    let mut cache = ItemCache::new();
    for part in text.split('\0').chain([&*text, &*text]) {
        assert_eq!(
            parse_inci_list_cached(part, &mut cache),
            parse_inci_list(part)
        );
    }
});

fn check(text: &str, list: &ParsedList) {
    let mut spans: Vec<(usize, usize)> = Vec::new();
    for ingredient in &list.ingredients {
        spans.push((ingredient.span.start, ingredient.span.end));
        assert!(!ingredient.text.is_empty());
        assert!(ingredient.text.len() <= ingredient.span.len());
    }
    for dropped in &list.dropped {
        spans.push((dropped.span.start, dropped.span.end));
    }
    for &(start, end) in &spans {
        assert!(start <= end && end <= text.len());
        assert!(text.is_char_boundary(start) && text.is_char_boundary(end));
    }
    spans.sort_unstable();
    for pair in spans.windows(2) {
        assert!(pair[0].1 <= pair[1].0, "overlapping spans {pair:?}");
    }
    for section in [
        Section::Main,
        Section::Active,
        Section::Inactive,
        Section::MayContain,
    ] {
        for (expected, ingredient) in list.in_section(section).enumerate() {
            assert_eq!(ingredient.position, expected + 1);
        }
    }
}
