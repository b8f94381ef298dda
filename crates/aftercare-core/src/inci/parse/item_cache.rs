//! The parser's memory of the plain items it has already read, for runs over many lists (a
//! catalog, a clinic's shelf): "Glycerin" or "Sodium Hyaluronate" comes back in most of them.
//!
//! What belongs here: [`ItemCache`], which keeps, for the bytes of a *plain item*, what
//! reading those bytes taught the scanner: the classes of its bytes, its word survey, and the
//! ingredient it gives where the list's state is the usual one (`Parser::usual_ingredient`).
//! A plain item (`Parser::plain_item_end`) ends at a separating comma, a separating full stop,
//! a separating colon (a heading: "Ingredients:") or the end of the text, and holds only bytes
//! whose meaning does not depend on what follows the item: letters, digits, spaces, hyphens
//! inside words, bracket groups that close in it and list nothing, a decimal point, a comma
//! inside locants or a decimal comma, a ratio's colon, a percentage before the comma, a marker
//! after a name or stars before it, an abbreviation's full stop before a comma or a number.
//! The parser only looks for plain items at the start of the text or after a byte that is
//! neither a space nor a letter or digit, so that the scanner's look-behinds (a doubled space,
//! the letters of an abbreviation or of a locant) stay inside the item. Those facts therefore
//! depend on the item's bytes alone, and a remembered item is not read again.
//!
//! Each remembered item has a number ([`ItemId`]) that the ingredient it gives carries
//! (`ParsedIngredient::item_id`), so that the checker's match memo can keep the item's match
//! under that number and find it again without hashing the name (`MatchMemo::match_items`).
//!
//! What does not: any decision. The parser decides with remembered facts exactly as it does
//! with freshly read ones (`Parser::take_usual`, `Parser::unusual_item`), and its tests parse
//! every list both ways and compare the results.

use hashbrown::HashTable;

use super::{ItemScan, Survey, UsualIngredient};
use crate::inci::memo_key::{key_hash, same_bytes};

/// The longest item, in bytes, that the cache keeps (its facts count bytes from the item's
/// start in a byte): all but a few items of the labelled sample ("Bacillus/Comamonas/…
/// Ferment Filtrate" is one of them).
pub(super) const MAX_CACHED_ITEM: usize = 255;

/// The longest item, in bytes, that the cache keeps in its table: 98% of the items of the
/// labelled sample are no longer (an entry is then 76 bytes: length, bytes, 20 bytes of
/// facts). A longer one (a copolymer, a ferment filtrate) is kept with its bytes on the heap.
const MAX_INLINE_ITEM: usize = 55;

/// How many items the cache holds before it starts again empty: 7/8 of 65,536, so that the
/// table (which grows when 7/8 full) never needs more than 65,536 slots of 77 bytes (5.0 MB).
/// The long items count towards it too. At worst (a start with short items, which leaves the
/// first table at its size when it is emptied, then only long ones) that is 5.0 MB, plus a
/// table of 65,536 slots of 41 bytes (2.7 MB), plus 57,344 items of up to 255 bytes on the
/// heap (15 MB with the allocator's own bytes): about 23 MB.
const CAPACITY: usize = 57_344;

/// The number of a remembered item, from 0 up to [`CAPACITY`]: the order in which the cache
/// took it since it last started again. The ingredient a remembered item gives carries it
/// (`ParsedIngredient::item_id`), [`ItemId::NONE`] for any other ingredient. A number names
/// another item once the cache has started again, so whoever keeps facts under it checks
/// that they are the facts of the same name before using them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ItemId(u32);

impl ItemId {
    /// No remembered item.
    pub const NONE: ItemId = ItemId(u32::MAX);

    /// The number as an index, if there is one.
    #[inline]
    pub fn index(self) -> Option<usize> {
        (self != ItemId::NONE).then_some(self.0 as usize)
    }
}

/// The plain items already read, by their bytes. Each thread of a run keeps its own (the
/// checker's [`crate::inci::MatchMemo`] holds one).
#[derive(Default, Clone)]
pub struct ItemCache {
    /// The items of at most [`MAX_INLINE_ITEM`] bytes.
    table: HashTable<CachedItem>,
    /// The longer ones.
    long: HashTable<LongItem>,
    /// How many times the cache has started again (each time, the numbers start again).
    restarts: u64,
}

impl std::fmt::Debug for ItemCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ItemCache")
            .field("items", &self.len())
            .finish()
    }
}

#[derive(Clone, Copy)]
struct CachedItem {
    len: u8,
    bytes: [u8; MAX_INLINE_ITEM],
    facts: ItemFacts,
}

impl CachedItem {
    fn bytes(&self) -> &[u8] {
        &self.bytes[..usize::from(self.len)]
    }
}

/// An item longer than [`MAX_INLINE_ITEM`] bytes.
#[derive(Clone)]
struct LongItem {
    bytes: Box<[u8]>,
    facts: ItemFacts,
}

/// What reading a plain item taught the scanner: its [`ItemScan`] (without the word
/// positions, which only matter while the item is being read) and the ingredient it gives in
/// the usual state of a list (span, cleaned name, percentage).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct ItemFacts {
    or_class: u8,
    words: u8,
    function_words: u8,
    lowercase_words: u8,
    /// [`FIRST_CAPITALISED`], [`FIRST_IS_HEADER_WORD`], [`STARTER`], [`BRACKETS`], [`USUAL`],
    /// [`PERCENT`], [`OPENS_WITH_MARKER`].
    flags: u8,
    /// With [`USUAL`]: the [`UsualIngredient`]'s span and name, from the item's first byte.
    span: (u8, u8),
    name: (u8, u8),
    /// With [`PERCENT`]: the bits of its percentage.
    percent: u32,
    /// The item's number, given when the cache took it ([`ItemId::NONE`] before).
    id: ItemId,
}

/// [`ItemFacts::flags`]: `Survey::first_capitalised`.
const FIRST_CAPITALISED: u8 = 1;
/// [`ItemFacts::flags`]: `Survey::first_is_header_word`.
const FIRST_IS_HEADER_WORD: u8 = 2;
/// [`ItemFacts::flags`]: `Survey::starter`.
const STARTER: u8 = 4;
/// [`ItemFacts::flags`]: the item holds a bracket group.
const BRACKETS: u8 = 8;
/// [`ItemFacts::flags`]: the item gives a [`UsualIngredient`].
const USUAL: u8 = 16;
/// [`ItemFacts::flags`]: that ingredient has a percentage.
const PERCENT: u8 = 32;
/// [`ItemFacts::flags`]: the item opens with footnote markers (`UsualIngredient`'s
/// `opens_with_marker`).
const OPENS_WITH_MARKER: u8 = 64;

impl ItemFacts {
    /// The facts of the item `item` starting at `start`, read into `scan`, if they can be
    /// kept: not when a disclaimer starts in it (its position is absolute) or when a count
    /// does not fit.
    pub(super) fn of(
        scan: &ItemScan,
        item: &[u8],
        start: usize,
        usual: Option<UsualIngredient>,
    ) -> Option<ItemFacts> {
        let survey = &scan.survey;
        if survey.disclaimer.is_some() {
            return None;
        }
        let offset = |at: usize| u8::try_from(at.checked_sub(start)?).ok();
        let offsets = |(s, e): (usize, usize)| Some((offset(s)?, offset(e)?));
        let (span, name, percent) = match usual {
            Some(usual) => (offsets(usual.span)?, offsets(usual.name)?, usual.percent),
            None => ((0, 0), (0, 0), None),
        };
        let flag = |set: bool, flag: u8| if set { flag } else { 0 };
        Some(ItemFacts {
            or_class: scan.or_class,
            words: u8::try_from(survey.words).ok()?,
            function_words: u8::try_from(survey.function_words).ok()?,
            lowercase_words: u8::try_from(survey.lowercase_words).ok()?,
            flags: flag(survey.first_capitalised, FIRST_CAPITALISED)
                | flag(survey.first_is_header_word, FIRST_IS_HEADER_WORD)
                | flag(survey.starter, STARTER)
                | flag(
                    item.iter().any(|c| matches!(c, b'(' | b'[' | b'{')),
                    BRACKETS,
                )
                | flag(usual.is_some(), USUAL)
                | flag(percent.is_some(), PERCENT)
                | flag(
                    usual.is_some_and(|usual| usual.opens_with_marker),
                    OPENS_WITH_MARKER,
                ),
            span,
            name,
            percent: percent.map_or(0, f32::to_bits),
            id: ItemId::NONE,
        })
    }

    /// The [`ItemScan`] the facts were taken from (word positions left out).
    pub(super) fn scan(&self) -> ItemScan {
        ItemScan {
            or_class: self.or_class,
            survey: Survey {
                words: usize::from(self.words),
                function_words: usize::from(self.function_words),
                lowercase_words: usize::from(self.lowercase_words),
                first_capitalised: self.flags & FIRST_CAPITALISED != 0,
                first_is_header_word: self.flags & FIRST_IS_HEADER_WORD != 0,
                starter: self.flags & STARTER != 0,
                ..Survey::NEW
            },
        }
    }

    /// Whether the item holds a bracket group (it is plain only while the parser pairs
    /// brackets where they are met).
    pub(super) fn has_brackets(&self) -> bool {
        self.flags & BRACKETS != 0
    }

    /// The [`UsualIngredient`] of the item starting at `start`, if it gives one.
    pub(super) fn usual(&self, start: usize) -> Option<UsualIngredient> {
        if self.flags & USUAL == 0 {
            return None;
        }
        let at = |(s, e): (u8, u8)| (start + usize::from(s), start + usize::from(e));
        Some(UsualIngredient {
            span: at(self.span),
            name: at(self.name),
            percent: (self.flags & PERCENT != 0).then(|| f32::from_bits(self.percent)),
            item_id: self.id,
            opens_with_marker: self.flags & OPENS_WITH_MARKER != 0,
        })
    }
}

/// Which remembered items a run of them (`Parser::take_remembered_run`) takes, in the list's
/// state: those that give a usual ingredient, hold no bracket group while brackets are not
/// paired where they are met, and do not open with footnote markers where such an item is a
/// footnote (`footnote_by_state`, as `UsualIngredient::stands_after` asks). One test of the
/// facts' flags.
#[derive(Debug, Clone, Copy)]
pub(super) struct RunFilter {
    /// The flags looked at; of them, only [`USUAL`] may be set.
    looked_at: u8,
}

impl RunFilter {
    /// The filter for a run where `groups` says whether brackets are paired where they are
    /// met, and `footnote` whether an item that opens with footnote markers is a footnote
    /// there (`footnote_by_state` of the boundary before and the list's footnote state).
    pub(super) fn new(groups: bool, footnote: bool) -> RunFilter {
        let mut looked_at = USUAL;
        if !groups {
            looked_at |= BRACKETS;
        }
        if footnote {
            looked_at |= OPENS_WITH_MARKER;
        }
        RunFilter { looked_at }
    }
}

impl ItemFacts {
    /// [`ItemFacts::usual`], if `filter` takes the item.
    #[inline]
    pub(super) fn usual_in_run(&self, start: usize, filter: RunFilter) -> Option<UsualIngredient> {
        if self.flags & filter.looked_at != USUAL {
            return None;
        }
        self.usual(start)
    }
}

impl ItemCache {
    /// An empty cache.
    pub fn new() -> ItemCache {
        ItemCache::default()
    }

    /// The hash an item is kept under ([`key_hash`]; the scan that finds an item's comma
    /// computes it on the way, see `first_comma_hashed`).
    #[inline]
    pub(super) fn hash(item: &[u8]) -> u64 {
        key_hash(item)
    }

    /// The facts of the item `item` (of hash `hash`, its [`ItemCache::hash`]), if it was read
    /// before. Always inlined: it is most of the parser's fast path (`Parser::take_remembered_run`).
    #[inline(always)]
    pub(super) fn get(&self, hash: u64, item: &[u8]) -> Option<&ItemFacts> {
        if item.len() <= MAX_INLINE_ITEM {
            self.table
                .find(hash, |stored| same_bytes(stored.bytes(), item))
                .map(|stored| &stored.facts)
        } else {
            self.long_item(hash, item)
        }
    }

    /// [`ItemCache::get`] for an item longer than [`MAX_INLINE_ITEM`] bytes.
    #[cold]
    fn long_item(&self, hash: u64, item: &[u8]) -> Option<&ItemFacts> {
        self.long
            .find(hash, |stored| same_bytes(&stored.bytes, item))
            .map(|stored| &stored.facts)
    }

    /// Remembers the facts of `item` (of hash `hash`, its [`ItemCache::hash`]: the table
    /// hashes its entries again from their bytes when it grows) and returns the number it is
    /// kept under (the number it already had, if it was kept before); an item longer than
    /// [`MAX_CACHED_ITEM`] is not kept.
    pub(super) fn insert(&mut self, hash: u64, item: &[u8], mut facts: ItemFacts) -> ItemId {
        debug_assert_eq!(hash, ItemCache::hash(item));
        let Ok(len) = u8::try_from(item.len()) else {
            return ItemId::NONE;
        };
        if item.len() > MAX_CACHED_ITEM {
            return ItemId::NONE;
        }
        if let Some(kept) = self.get(hash, item) {
            return kept.id;
        }
        if self.len() >= CAPACITY {
            self.table.clear();
            self.long.clear();
            self.restarts += 1;
        }
        // Below CAPACITY, so it fits.
        facts.id = ItemId(self.len() as u32);
        if item.len() > MAX_INLINE_ITEM {
            let bytes = item.into();
            self.long
                .insert_unique(hash, LongItem { bytes, facts }, |stored| {
                    key_hash(&stored.bytes)
                });
            return facts.id;
        }
        let mut bytes = [0; MAX_INLINE_ITEM];
        bytes[..item.len()].copy_from_slice(item);
        self.table
            .insert_unique(hash, CachedItem { len, bytes, facts }, |stored| {
                key_hash(stored.bytes())
            });
        facts.id
    }

    /// How many times the cache has started again: a number ([`ItemId`]) names the same item
    /// for as long as this count stays the same.
    pub(crate) fn restarts(&self) -> u64 {
        self.restarts
    }

    /// How many items the cache holds.
    pub fn len(&self) -> usize {
        self.table.len() + self.long.len()
    }

    /// Whether the cache is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(words: u8) -> ItemFacts {
        ItemFacts {
            or_class: 2,
            words,
            function_words: 0,
            lowercase_words: 0,
            flags: FIRST_CAPITALISED | USUAL,
            span: (1, 9),
            name: (1, 9),
            percent: 0,
            id: ItemId::NONE,
        }
    }

    #[test]
    fn remembers_items_by_their_bytes() {
        let mut cache = ItemCache::new();
        let item = b" Glycerin";
        let hash = ItemCache::hash(item);
        assert_eq!(cache.get(hash, item), None);
        let id = cache.insert(hash, item, facts(1));
        assert_eq!(id, ItemId(0));
        let kept = *cache.get(hash, item).expect("kept");
        assert_eq!(kept, ItemFacts { id, ..facts(1) });
        // Same hash, other bytes: not found.
        assert_eq!(cache.get(hash, b" Glycerine"), None);
        // Inserting again keeps one entry, under its number.
        assert_eq!(cache.insert(hash, item, facts(1)), id);
        assert_eq!(cache.len(), 1);
        // The usual ingredient carries the number.
        assert_eq!(
            kept.usual(100),
            Some(UsualIngredient {
                span: (101, 109),
                name: (101, 109),
                percent: None,
                item_id: id,
                opens_with_marker: false,
            })
        );
        assert_eq!(facts(1).usual(100).map(|u| u.item_id), Some(ItemId::NONE));
    }

    #[test]
    fn items_are_told_apart_by_their_bytes_and_kept_through_growth() {
        let mut cache = ItemCache::new();
        // Enough items to grow the table several times: every one is still found with its own
        // facts and its own number, in the order the cache took them.
        let items: Vec<String> = (0..5_000).map(|i| format!(" Item {i}")).collect();
        for (i, item) in items.iter().enumerate() {
            let id = cache.insert(
                ItemCache::hash(item.as_bytes()),
                item.as_bytes(),
                facts((i % 200) as u8),
            );
            assert_eq!(id.index(), Some(i));
        }
        assert_eq!(cache.len(), 5_000);
        for (i, item) in items.iter().enumerate() {
            let found = cache.get(ItemCache::hash(item.as_bytes()), item.as_bytes());
            assert_eq!(found.map(|f| f.words), Some((i % 200) as u8), "{item}");
            assert_eq!(found.map(|f| f.id.index()), Some(Some(i)), "{item}");
        }
        // Another item's bytes under a kept item's hash (as if their hashes collided): not
        // that item.
        let hash = ItemCache::hash(b" Item 7");
        assert_ne!(cache.get(hash, b" Item 8").map(|f| f.words), Some(7));
        assert_eq!(cache.get(hash, b" Item 70001"), None);
        // Inserting a kept item again gives its number back.
        assert_eq!(
            cache
                .insert(ItemCache::hash(b" Item 42"), b" Item 42", facts(1))
                .index(),
            Some(42)
        );
    }

    #[test]
    fn an_entry_is_seventy_six_bytes_and_a_long_one_forty() {
        // The figure `MAX_INLINE_ITEM` and the docs give (5.0 MB for a full cache).
        assert_eq!(std::mem::size_of::<CachedItem>(), 76);
        // And a long item's entry 40 bytes, its bytes apart (the 23 MB at worst of CAPACITY).
        assert_eq!(std::mem::size_of::<LongItem>(), 40);
    }

    #[test]
    fn items_too_long_are_not_kept() {
        let mut cache = ItemCache::new();
        let item = [b'a'; MAX_CACHED_ITEM + 1];
        cache.insert(ItemCache::hash(&item), &item, facts(1));
        assert!(cache.is_empty());
        let item = [b'a'; MAX_CACHED_ITEM];
        cache.insert(ItemCache::hash(&item), &item, facts(1));
        assert_eq!(cache.len(), 1);
    }

    #[test]
    fn long_items_are_kept_apart_and_numbered_with_the_others() {
        let mut cache = ItemCache::new();
        let short = b" Glycerin".as_slice();
        let inline = [b'b'; MAX_INLINE_ITEM];
        let long = [b'b'; MAX_INLINE_ITEM + 1];
        let longest = [b'c'; MAX_CACHED_ITEM];
        let mut ids = Vec::new();
        for (words, item) in [short, &long, &inline, &longest].into_iter().enumerate() {
            ids.push(cache.insert(ItemCache::hash(item), item, facts(words as u8)));
        }
        // One count and one sequence of numbers for both kinds.
        assert_eq!(ids, [ItemId(0), ItemId(1), ItemId(2), ItemId(3)]);
        assert_eq!(
            (cache.table.len(), cache.long.len(), cache.len()),
            (2, 2, 4)
        );
        for (words, item) in [short, &long, &inline, &longest].into_iter().enumerate() {
            let found = cache.get(ItemCache::hash(item), item).expect("kept");
            assert_eq!((found.words, found.id), (words as u8, ids[words]));
        }
        // A long item that differs in its last byte only, under the kept one's hash: not it.
        let mut other = long;
        other[MAX_INLINE_ITEM] = b'x';
        assert_eq!(cache.get(ItemCache::hash(&long), &other), None);
        assert_eq!(cache.get(ItemCache::hash(&other), &other), None);
        // Kept again: its number back, nothing added.
        assert_eq!(
            cache.insert(ItemCache::hash(&long), &long, facts(9)),
            ids[1]
        );
        assert_eq!(cache.len(), 4);
    }

    #[test]
    fn starts_again_when_full() {
        let mut cache = ItemCache::new();
        let long = format!("Long {}", "x".repeat(MAX_INLINE_ITEM));
        cache.insert(ItemCache::hash(long.as_bytes()), long.as_bytes(), facts(2));
        for i in 1..=CAPACITY {
            let item = format!("Item {i}");
            assert_eq!(cache.restarts(), 0);
            cache.insert(ItemCache::hash(item.as_bytes()), item.as_bytes(), facts(2));
        }
        assert_eq!(cache.restarts(), 1);
        // The long item counted: the last item started the cache again, long items included.
        assert_eq!(cache.len(), 1);
        assert_eq!(
            cache.get(ItemCache::hash(long.as_bytes()), long.as_bytes()),
            None
        );
        // The numbers start again too: the last item is number 0, the first is forgotten.
        let last = format!("Item {CAPACITY}");
        let found = cache.get(ItemCache::hash(last.as_bytes()), last.as_bytes());
        assert_eq!(found.map(|f| f.id), Some(ItemId(0)));
        assert_eq!(cache.get(ItemCache::hash(b"Item 1"), b"Item 1"), None);
    }

    #[test]
    fn a_run_takes_what_the_general_path_takes_after_each_boundary() {
        use super::super::{Boundary, footnote_by_state};
        // After every boundary a run starts after, and after a star and a full stop too.
        let befores = [
            Boundary::Comma,
            Boundary::Colon,
            Boundary::Start,
            Boundary::Star,
            Boundary::Stop,
        ];
        for flags in 0..=127u8 {
            let facts = ItemFacts { flags, ..facts(2) };
            for (groups, seen_footnote) in
                [(false, false), (false, true), (true, false), (true, true)]
            {
                for before in befores {
                    let general = facts.usual(4).filter(|usual| {
                        (groups || !facts.has_brackets())
                            && usual.stands_after(before, seen_footnote)
                    });
                    let filter = RunFilter::new(groups, footnote_by_state(before, seen_footnote));
                    let run = facts.usual_in_run(4, filter);
                    assert_eq!(
                        run, general,
                        "{flags:#b} {groups} {seen_footnote} {before:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn facts_keep_the_scan() {
        let scan = ItemScan {
            or_class: 3,
            survey: Survey {
                words: 2,
                function_words: 1,
                lowercase_words: 1,
                first_capitalised: true,
                first_is_header_word: true,
                starter: true,
                first_word: Some((10, 14, 1)),
                ..Survey::NEW
            },
        };
        let usual = UsualIngredient {
            span: (11, 23),
            name: (11, 20),
            percent: Some(2.5),
            item_id: ItemId::NONE,
            opens_with_marker: false,
        };
        let kept = ItemFacts::of(&scan, b" Aqua (Water) 2.5%", 10, Some(usual)).expect("kept");
        assert_eq!(kept.usual(10), Some(usual));
        assert!(kept.has_brackets());
        let back = kept.scan();
        assert_eq!(back.or_class, 3);
        assert_eq!(
            (
                back.survey.words,
                back.survey.function_words,
                back.survey.lowercase_words
            ),
            (2, 1, 1)
        );
        assert!(back.survey.first_capitalised && back.survey.first_is_header_word);
        assert!(back.survey.starter && back.survey.first_word.is_none());
        // A disclaimer's position is absolute: such an item is not kept.
        let mut with_disclaimer = scan;
        with_disclaimer.survey.disclaimer = Some(12);
        assert_eq!(ItemFacts::of(&with_disclaimer, b" Aqua", 10, None), None);
        let plain = ItemFacts::of(&scan, b" Aqua", 10, None).expect("kept");
        assert!(!plain.has_brackets());
        assert_eq!(plain.usual(10), None);
    }
}
