//! Split a printed ingredient list into its ingredient items.
//!
//! What belongs here: turning the free text of a label's ingredient declaration (an INCI list
//! as printed on packs, retailer pages and data sets, or a US Drug Facts panel) into an ordered
//! list of items, each with its section (main list, Drug Facts active / inactive, "may
//! contain"), any printed percentage and its byte span in the input; and an account of every
//! piece of text that was *not* taken as an ingredient (headers, footnotes, retailer codes,
//! disclaimers, marketing or directions prose, Drug Facts purposes, empty items).
//! What does not: recognising names (normalisation, splitting `Aqua/Water/Eau` into synonyms,
//! dictionary look-up) and verdicts; those work on the items made here.
//!
//! The cases handled are those of `reference/ingredients.md` §4 ("Parsing cases a checker must
//! handle") and those seen in the real labels of `tests/fixtures/products-public.jsonl`.
//!
//! How it works: one hand-written forward scan (no regular expressions) finds the item
//! boundaries and, on the way, counts each item's words and checks them against a small
//! vocabulary (headers, prose, disclaimers) through a compile-time signature table, so an
//! ordinary INCI name is read once and copied once. Brackets are paired as they are met; if one
//! does not close nearby, a table of all pairs is built once instead. Every look-ahead is
//! bounded, so the time is linear in the input. Names and dropped text borrow from the input;
//! the allocations are the two output vectors, a `String` only for a name that cleaning had to
//! rebuild (inner markers, doubled or Unicode spaces), and a pairing table only when some
//! bracket is left unclosed.
//!
//! Runs over many lists (a catalog, a shelf) parse with an [`ItemCache`]
//! ([`parse_inci_list_cached`]): an item seen before in the same run is found by the comma that
//! ends it and one hash look-up, and what reading it taught the scanner is reused instead of
//! read again (`item_cache`). The result is the same either way; every test here checks that.

use std::{borrow::Cow, ops::Range};

use serde::Serialize;

use crate::inci::memo_key::{WordHash, tail_word};

mod item_cache;

pub use item_cache::ItemCache;
pub(crate) use item_cache::ItemId;
use item_cache::{ItemFacts, MAX_CACHED_ITEM, RunFilter};

/// The largest ingredient list, in bytes, that callers should hand to [`parse_inci_list`].
///
/// The parser itself works (in linear time) on any input; this is the documented limit that
/// the CLI and the web app enforce before calling it. Real lists are under 4 KiB.
pub const MAX_INPUT_BYTES: usize = 64 * 1024;

/// The longest bracket group, in bytes, that is kept inside one item. A longer "group" is
/// almost always a missing closing bracket, and treating it as one item would hide every
/// ingredient inside it, so its commas are taken as separators instead.
const MAX_GROUP_BYTES: usize = 400;

/// The longest bracketed "may contain" group (`[+/- CI 77491, …]`), in bytes.
const MAX_MAY_CONTAIN_BYTES: usize = 4096;

/// How far, in bytes, a separator decision may look ahead or back.
const LOOKAHEAD_BYTES: usize = 64;

/// The result of [`parse_inci_list`]: the ingredients in printed order, and the text that was
/// recognised as not being an ingredient.
///
/// Spans of both lists are byte ranges into the parsed input, in increasing order, and no two
/// spans (across both lists) overlap, except a name a checker added with
/// [`ParsedList::add_mentioned`], which lies inside the left-out text that names it. Text that
/// is neither (separators, brackets of a "may
/// contain" group, whitespace) is in no span.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ParsedList<'a> {
    /// The ingredient items, in printed order.
    pub ingredients: Vec<ParsedIngredient<'a>>,
    /// The text that was left out, with the reason, in printed order.
    pub dropped: Vec<DroppedText<'a>>,
    /// The items of `dropped` left out only because they continue a sentence of prose or a
    /// disclaimer begun in an earlier item ("Free from parabens, sulfates and fragrance"),
    /// each cleaned as an ingredient would be, in printed order. A sentence that is really a
    /// claim mid-list ("Water, Vegan, Retinol") would otherwise hide real ingredients, so the
    /// checker still checks the ones that are known ingredient names.
    #[serde(skip)]
    pub continuing_sentence: Vec<ParsedIngredient<'a>>,
    /// The same, for a sentence that says what the product is without ("Free from parabens,
    /// fragrance"): its items are probably absent, but a checker must not call a product fine
    /// while a restricted name printed there went unread.
    #[serde(skip)]
    pub negated_sentence: Vec<ParsedIngredient<'a>>,
}

impl<'a> ParsedList<'a> {
    /// Takes back as ingredients the items of [`ParsedList::continuing_sentence`] and
    /// [`ParsedList::negated_sentence`] for which `is_ingredient(item, negated)` says so: each
    /// leaves `dropped`, joins `ingredients` in printed order, and the positions are counted
    /// again. Returns the spans of those taken back from a negating sentence.
    pub fn restore_continuing(
        &mut self,
        mut is_ingredient: impl FnMut(&ParsedIngredient<'a>, bool) -> bool,
    ) -> Vec<Range<usize>> {
        let mut restored = false;
        let mut from_negation = Vec::new();
        let continuing = std::mem::take(&mut self.continuing_sentence);
        let negated = std::mem::take(&mut self.negated_sentence);
        for (item, negated) in continuing
            .into_iter()
            .map(|i| (i, false))
            .chain(negated.into_iter().map(|i| (i, true)))
        {
            if is_ingredient(&item, negated) {
                self.dropped.retain(|d| d.span != item.span);
                if negated {
                    from_negation.push(item.span.clone());
                }
                self.ingredients.push(item);
                restored = true;
            }
        }
        if restored {
            self.renumber();
        }
        from_negation
    }

    /// Adds `names` found inside the text that was left out (a restricted ingredient named in a
    /// sentence, a heading or a footnote: "Formulated with retinol"), so that a checker checks
    /// them. Their spans lie inside a span of `dropped`: the text stays left out, the name is
    /// checked.
    pub fn add_mentioned(&mut self, names: Vec<ParsedIngredient<'a>>) {
        if !names.is_empty() {
            self.ingredients.extend(names);
            self.renumber();
        }
    }

    /// Puts the ingredients in printed order and counts their positions again.
    fn renumber(&mut self) {
        self.ingredients.sort_by_key(|i| i.span.start);
        let mut next = [1; 4];
        for ingredient in &mut self.ingredients {
            let slot = &mut next[ingredient.section.index()];
            ingredient.position = *slot;
            *slot += 1;
        }
    }

    /// The ingredients of one section, in printed order.
    pub fn in_section(&self, section: Section) -> impl Iterator<Item = &ParsedIngredient<'a>> + '_ {
        self.ingredients
            .iter()
            .filter(move |ingredient| ingredient.section == section)
    }
}

/// One ingredient item as printed on the label.
#[derive(Debug, Clone, Serialize)]
pub struct ParsedIngredient<'a> {
    /// The cleaned name as printed: footnote markers (`*`, `†`, `™` …), percentages and stray
    /// punctuation removed, whitespace collapsed, case and brackets kept. Examples:
    /// `Zinc Oxide`, `Aqua/Water/Eau`, `Water\Aqua\Eau`, `CI 77891 (Titanium Dioxide)`,
    /// `Alcohol Denat.`. Never empty. Borrowed from the input whenever the cleaned name is
    /// one unbroken stretch of it (nearly always); owned only when cleaning rebuilt it.
    pub text: Cow<'a, str>,
    /// The byte range of the raw item in the input, so `&input[span]` is the item as printed
    /// (markers and percentages included, surrounding whitespace and separators excluded).
    pub span: Range<usize>,
    /// The part of the label the item was printed in.
    pub section: Section,
    /// The percentage printed with the item (`Zinc Oxide 20%`, `9.0% Zinc oxide`,
    /// `Niacinamide (2%)`; `(1450 ppm)` gives 0.145). `None` when none was printed, or when it
    /// was only a bound (`<1%`).
    pub percent: Option<f32>,
    /// The 1-based order of the item within its section.
    pub position: usize,
    /// The number of the remembered item of an [`ItemCache`] that gave this ingredient as its
    /// usual one, [`ItemId::NONE`] otherwise: a hint for the checker's match memo
    /// (`MatchMemo::match_items`), which checks it against the name. Not part of what the
    /// ingredient is: equality and JSON leave it out.
    #[serde(skip)]
    pub(crate) item_id: ItemId,
}

impl PartialEq for ParsedIngredient<'_> {
    fn eq(&self, other: &Self) -> bool {
        let ParsedIngredient {
            text,
            span,
            section,
            percent,
            position,
            item_id: _,
        } = self;
        *text == other.text
            && *span == other.span
            && *section == other.section
            && *percent == other.percent
            && *position == other.position
    }
}

/// The part of a label an ingredient was printed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Section {
    /// The ordinary ingredient list (an EU/INCI declaration, or a list with no headers).
    Main,
    /// The "Active ingredient(s)" of a US Drug Facts panel (also "Medicinal ingredients").
    Active,
    /// The "Inactive ingredients" of a Drug Facts panel (also "Other" / "Non-medicinal").
    Inactive,
    /// A "May contain (+/-)", `[+/- …]` or "Peut contenir" block: shades and colourants that
    /// may or may not be in a given product. Keep these out of position-based logic.
    MayContain,
}

impl Section {
    /// The snake_case name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Section::Main => "main",
            Section::Active => "active",
            Section::Inactive => "inactive",
            Section::MayContain => "may_contain",
        }
    }

    fn index(self) -> usize {
        match self {
            Section::Main => 0,
            Section::Active => 1,
            Section::Inactive => 2,
            Section::MayContain => 3,
        }
    }
}

/// A piece of the input that was recognised as not being an ingredient.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DroppedText<'a> {
    /// The text as printed (whitespace at the ends trimmed); empty for an empty item.
    pub text: &'a str,
    /// Its byte range in the input.
    pub span: Range<usize>,
    /// Why it is not an ingredient.
    pub reason: DropReason,
}

/// Why a piece of text is not an ingredient.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DropReason {
    /// A heading or field label: `Ingredients:`, `INCI:`, `Inactive ingredients`,
    /// `May contain (+/-):`, the `[+/-` of a may-contain group, `Drug Facts`, `Division:`.
    Header,
    /// A retailer's internal code in square brackets: `[V0606F]`, `[ILN38237]`.
    RetailerCode,
    /// A footnote explaining markers: `*Organic`, `**Fragrances of Natural Origin`.
    Footnote,
    /// A statement that the list may differ from the pack: "Please be aware that ingredient
    /// lists may change…", "Ingredients subject to change".
    Disclaimer,
    /// Marketing copy, directions, warnings or other sentences printed with the list.
    Prose,
    /// A Drug Facts "Purpose" column entry: `Sunscreen`, `Skin protectant`.
    Purpose,
    /// An empty list position (`, ,`) or an item made only of markers and punctuation.
    Empty,
}

impl DropReason {
    /// The snake_case name used in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            DropReason::Header => "header",
            DropReason::RetailerCode => "retailer_code",
            DropReason::Footnote => "footnote",
            DropReason::Disclaimer => "disclaimer",
            DropReason::Prose => "prose",
            DropReason::Purpose => "purpose",
            DropReason::Empty => "empty",
        }
    }
}

/// Split a printed ingredient list into ingredient items. Never panics, always terminates,
/// and runs in time linear in `text` (callers enforce [`MAX_INPUT_BYTES`]).
///
/// The rules, in the order they apply:
///
/// * **Separators** (outside brackets): `,` `;` `|`, bullets (`•` `·` `●` `▪` …), line breaks
///   (LF, CR, CRLF), full-width `，` `；` `、` `。`, and a full stop followed by a space or the end
///   (`… Extract. May contain`). A full stop is *not* a separator inside numbers (`0.5%`), in dot
///   leaders (`20% ..... Sunscreen`) or after an abbreviation (`Alcohol Denat.`, `Ext. Violet 2`,
///   `St. Paul's Wort`), unless a header, a footnote or a disclaimer follows it. A comma is not a
///   separator inside chemical locants (`1,2-Hexanediol`, `N,N-Diethyl…`, `9,6%`). A hyphen is a
///   separator when spaced (`Extract - Ivy`) or spaced on one side between words
///   (`Isohexadecane- Butylene Glycol`). A colon ends a header or label (see below) but not
///   a ratio (`CI 77268:1`). A percentage glued to the next name ends the item
///   (`Zinc Oxide 9.60%Water`, `Octocrylene 2.8%Water`).
/// * **Brackets** `()`, `[]`, `{}` keep their content in the item, commas included
///   (`Iron Oxides (CI 77491, CI 77492)`, `Persea Gratissima (Extra Virgin, Cold Pressed
///   Avocado) Oil`). An unclosed bracket, or a group longer than 400 bytes, is taken literally
///   so it cannot swallow the rest of the list.
/// * **Slashes** and backslashes never separate: `Aqua/Water/Eau`, `Water\Aqua\Eau` and
///   `Acrylates/C10-30 Alkyl Acrylate Crosspolymer` stay one item (the matcher splits synonyms).
/// * **Headers** at the start of an item or before a colon are dropped and set the section:
///   `Ingredients:`, `INCI:`, `Ingrédients`, `Composition`, `Division: … Ingredients:` →
///   [`Section::Main`]; `Active ingredient(s) [(in each gram)] [Purpose]`, `Medicinal
///   ingredients` → [`Section::Active`]; `Inactive ingredients`, `Other ingredients`,
///   `Non-medicinal ingredients` → [`Section::Inactive`]; `May contain (+/-):`, `+/-`,
///   `Peut contenir`, `[+/- …]` → [`Section::MayContain`] (a bracketed group ends with its
///   bracket). Any other label before a colon at the start of a sentence (`Division:`) is
///   dropped as a header; in the middle of a list the colon just separates. When an
///   `Inactive ingredients` header comes first and every item before it printed a percentage
///   (`Octocrylene 9%, …, Ensulizole 3%. Inactive Ingredients: …`), those items are moved to
///   [`Section::Active`].
/// * **Percentages** before, after or inside the name (`Zinc Oxide 20%`, `9.0% Zinc oxide`,
///   `Niacinamide (2%)`, `(1450 ppm)`, `9,6 %`, `2% w/w`) are removed from the name and
///   kept in [`ParsedIngredient::percent`]. Text after the percentage of a Drug Facts line is
///   its purpose (`Zinc Oxide 20% Sunscreen`) and is dropped as [`DropReason::Purpose`].
/// * **Markers** `*` `†` `‡` `°` `™` `®` `©` and superscript digits are removed from names
///   (`Aloe Barbadensis Leaf Juice*`, `*Avena Sativa`, `***Frgrance`). An item that starts with
///   a marker is a footnote when it follows a full stop (`… Limonene. *Napiers Original
///   Formula.`), a spaced marker (`Mica * Essential Oil`) or another footnote, or when it reads
///   like one (`*Organic`, `**Certified organic ingredients`).
/// * **Retailer codes** in square brackets (`[V0606F]`, `[ILN38237]`) are dropped.
/// * **Disclaimers** ("Please be aware that ingredient lists may change…", "Ingredients subject
///   to change", "Please refer to the packaging") are dropped to the end of their sentence.
/// * **Prose**: Drug Facts sections (`Uses`, `Warnings`, `Directions`, `Other information`,
///   `Questions?`), claims (`Free from…`, `Made in…`, `…-free`), instructions (`Apply…`) and
///   sentences (several function words such as "the", "your", "with") are dropped to the end of
///   their sentence. Everything else is kept: an item that is not an ingredient stays an item
///   (and will be reported as unknown), which is safer than dropping a real ingredient.
/// * **Empty** positions (`, ,`) and items made only of markers are reported as
///   [`DropReason::Empty`].
pub fn parse_inci_list(text: &str) -> ParsedList<'_> {
    let mut parser = Parser::new(text);
    parser.scan(None);
    parser.out
}

/// [`parse_inci_list`], reading only once each plain item (`, Glycerin,`) of the lists parsed
/// with the same `cache`: what reading it taught the parser is remembered. The result is the
/// same as [`parse_inci_list`]'s; only the time differs.
pub fn parse_inci_list_cached<'t>(text: &'t str, cache: &mut ItemCache) -> ParsedList<'t> {
    let mut parser = Parser::new(text);
    parser.scan(Some(cache));
    parser.out
}

// ---------------------------------------------------------------------------------------------
// Bracket groups
// ---------------------------------------------------------------------------------------------

/// The end (position of the closing bracket) of the bracket group opening at `open`, if it
/// closes within `limit` bytes. Brackets of any kind nest; a closer of another kind still
/// closes (labels are not that careful).
fn group_end(b: &[u8], open: usize, limit: usize) -> Option<usize> {
    let end = b.len().min(open.saturating_add(limit));
    let mut depth = 0usize;
    for (k, &c) in b.get(open..end)?.iter().enumerate() {
        match c {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => {
                depth -= 1;
                if depth == 0 {
                    return Some(open + k);
                }
            }
            _ => {}
        }
    }
    None
}

/// The bracket pairs of the whole input, computed only when some bracket does not close
/// nearby (a stray or unclosed bracket): groups to keep inside one item, and "may contain"
/// groups (`[+/- …]`) whose content is a list of its own.
struct Groups {
    /// Outermost groups kept whole, as (open, close) byte positions, sorted and disjoint.
    keep: Vec<(usize, usize)>,
    /// "May contain" groups, as (open, close), sorted and disjoint.
    may_contain: Vec<(usize, usize)>,
    /// How far `keep` and `may_contain` have been consumed by the scan.
    keep_next: usize,
    may_next: usize,
}

impl Groups {
    fn find(b: &[u8]) -> Groups {
        let mut stack: Vec<(usize, u8, bool)> = Vec::new();
        let mut pairs: Vec<(usize, usize, bool)> = Vec::new();
        for (i, &c) in b.iter().enumerate() {
            match c {
                b'(' | b'[' | b'{' => stack.push((i, c, may_contain_group_at(b, i))),
                b')' | b']' | b'}' => {
                    // Pop to the nearest opener of the same kind (a few levels at most), so one
                    // stray opener does not stop every later group from pairing.
                    let want = match c {
                        b')' => b'(',
                        b']' => b'[',
                        _ => b'{',
                    };
                    let depth = stack.len();
                    let found = stack
                        .iter()
                        .rev()
                        .take(4)
                        .position(|&(_, open, _)| open == want);
                    if let Some(back) = found {
                        stack.truncate(depth - back);
                        if let Some((open, _, may)) = stack.pop() {
                            pairs.push((open, i, may));
                        }
                    }
                }
                _ => {}
            }
        }
        pairs.sort_unstable_by_key(|&(open, _, _)| open);
        let mut keep = Vec::new();
        let mut may_contain = Vec::new();
        let mut kept_until: Option<usize> = None;
        let mut may_until: Option<usize> = None;
        for (open, close, may) in pairs {
            if kept_until.is_some_and(|end| open < end) {
                continue;
            }
            if may && close - open < MAX_MAY_CONTAIN_BYTES && may_until.is_none_or(|end| open > end)
            {
                may_contain.push((open, close));
                may_until = Some(close);
                continue;
            }
            if close - open < MAX_GROUP_BYTES {
                keep.push((open, close));
                kept_until = Some(close);
            }
        }
        Groups {
            keep,
            may_contain,
            keep_next: 0,
            may_next: 0,
        }
    }

    /// The group opening at `pos`, if any: (close, is a may-contain group).
    fn at(&mut self, pos: usize, may_allowed: bool) -> Option<(usize, bool)> {
        while self
            .keep
            .get(self.keep_next)
            .is_some_and(|&(open, _)| open < pos)
        {
            self.keep_next += 1;
        }
        while self
            .may_contain
            .get(self.may_next)
            .is_some_and(|&(open, _)| open < pos)
        {
            self.may_next += 1;
        }
        if let Some(&(open, close)) = self.keep.get(self.keep_next)
            && open == pos
        {
            return Some((close, false));
        }
        match self.may_contain.get(self.may_next) {
            Some(&(open, close)) if open == pos && may_allowed => Some((close, true)),
            _ => None,
        }
    }
}

/// Whether the bracket at `i` opens a "may contain" group with content: `[+/- CI 77491, …]`,
/// `[May contain: …]`. The bare `(+/-)` of `May contain (+/-):` is not one.
fn may_contain_group_at(b: &[u8], i: usize) -> bool {
    let end = b.len().min(i + LOOKAHEAD_BYTES);
    let mut j = skip_ascii_space(b, i + 1, end);
    let Some(after) = may_contain_marker(b, j, end) else {
        return false;
    };
    j = skip_ascii_space(b, after, end);
    if b.get(j) == Some(&b':') {
        j = skip_ascii_space(b, j + 1, end);
    }
    !matches!(b.get(j), None | Some(b')' | b']' | b'}'))
}

/// If a "may contain" marker starts at `j` (`+/-`, `+/−`, `±`, `may contain`, `peut
/// contenir`), the position after it.
fn may_contain_marker(b: &[u8], j: usize, end: usize) -> Option<usize> {
    let rest = b.get(j..end)?;
    for marker in [&b"+/-"[..], "+/−".as_bytes(), "±".as_bytes(), b"+ / -"] {
        if rest.starts_with(marker) {
            return Some(j + marker.len());
        }
    }
    for marker in [&b"may contain"[..], b"peut contenir"] {
        if rest.len() >= marker.len() && rest[..marker.len()].eq_ignore_ascii_case(marker) {
            return Some(j + marker.len());
        }
    }
    None
}

// ---------------------------------------------------------------------------------------------
// The scanner
// ---------------------------------------------------------------------------------------------

/// What ended (or started) an item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Boundary {
    Start,
    End,
    Comma,
    Semicolon,
    Pipe,
    Bullet,
    Newline,
    Stop,
    Dash,
    Colon,
    /// After a percentage glued to the next word (`9.60%Water`, `20% Sunscreen`).
    Percent,
    /// Before a spaced footnote marker (`Mica * Essential Oil`).
    Star,
    GroupOpen,
    GroupClose,
    /// Before a disclaimer found inside an item.
    Disclaimer,
}

impl Boundary {
    fn is_list_separator(self) -> bool {
        matches!(
            self,
            Boundary::Comma | Boundary::Semicolon | Boundary::Pipe | Boundary::Bullet
        )
    }

    /// Whether an item after this boundary starts a sentence or a line.
    fn starts_sentence(self) -> bool {
        matches!(
            self,
            Boundary::Start
                | Boundary::Stop
                | Boundary::Newline
                | Boundary::Colon
                | Boundary::GroupOpen
                | Boundary::GroupClose
        )
    }

    /// Whether this boundary ends a run of prose or disclaimer text.
    fn ends_sentence(self) -> bool {
        matches!(self, Boundary::Start | Boundary::Stop | Boundary::Newline)
    }
}

/// Text that stays out of the list until the end of its sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Normal,
    Prose,
    Disclaimer,
}

/// A byte range as (start, end).
type Span = (usize, usize);

/// No word is being read.
const NO_WORD: usize = usize::MAX;

/// Read ordinary (not [`SPECIAL`]) bytes from `pos` into `scan`; return the position of the
/// next special byte, or the end. The scanner's hot loop, kept small so its state stays in
/// registers: the bytes of a word are only OR-ed into the item's classes.
#[inline(never)]
fn read_ordinary(b: &[u8], pos: usize, scan: &mut ItemScan, word_start: &mut usize) -> usize {
    let mut or_class = scan.or_class;
    let mut start = *word_start;
    let mut pos = pos;
    while let Some(&c) = b.get(pos) {
        let class = BYTE_CLASS[usize::from(c)];
        if class & SPECIAL != 0 {
            break;
        }
        or_class |= class;
        pos += 1;
        if class & WORD != 0 {
            if start == NO_WORD {
                start = pos - 1;
            }
            // The rest of the word: ASCII letters eight at a time, then byte by byte.
            while let Some(chunk) = b.get(pos..pos + 8)
                && let Ok(chunk) = <[u8; 8]>::try_from(chunk)
            {
                let run = ascii_letter_run(u64::from_le_bytes(chunk));
                if run > 0 {
                    or_class |= BYTE_CLASS[usize::from(b'a')];
                    pos += run;
                }
                if run < 8 {
                    break;
                }
            }
            while let Some(&c) = b.get(pos) {
                let class = BYTE_CLASS[usize::from(c)];
                if class & (WORD | SPECIAL) != WORD {
                    break;
                }
                or_class |= class;
                pos += 1;
            }
        } else {
            if start != NO_WORD {
                survey_word(b, &mut scan.survey, start, pos - 1);
                start = NO_WORD;
            }
            if c == b' ' && pos >= 2 && b[pos - 2] == b' ' {
                // A doubled space is collapsed by cleaning.
                or_class |= NOT_PLAIN;
            }
        }
    }
    scan.or_class = or_class;
    *word_start = start;
    pos
}

// Eight bytes at a time (SWAR on a `u64`, little-endian: the first byte is the lowest). Each
// mask below has the high bit of every byte that passes its test, and no other bit.

/// The high bit of each byte.
const HIGH: u64 = 0x8080_8080_8080_8080;
/// The value 1 in each byte.
const ONES: u64 = 0x0101_0101_0101_0101;

/// The bytes of `chunk` that are ASCII letters.
#[inline]
fn ascii_letters(chunk: u64) -> u64 {
    // Each byte as 7 bits, folded to lower case (0x20 set): at most 0x7F, so adding up to
    // 0x1F below never carries into the next byte.
    let folded = (chunk & !HIGH) | (0x20 * ONES);
    let at_least_a = folded + u64::from(0x80 - b'a') * ONES;
    let above_z = folded + u64::from(0x80 - b'z' - 1) * ONES;
    at_least_a & !above_z & !chunk & HIGH
}

/// The bytes of `chunk` that are ASCII digits.
#[inline]
fn ascii_digits(chunk: u64) -> u64 {
    let low = chunk & !HIGH;
    (low + u64::from(0x80 - b'0') * ONES)
        & !(low + u64::from(0x80 - b'9' - 1) * ONES)
        & !chunk
        & HIGH
}

/// The bytes of `chunk` equal to `byte`: zero once XORed with it (exact, byte by byte: no
/// borrows).
#[inline]
fn bytes_equal(chunk: u64, byte: u8) -> u64 {
    let x = chunk ^ (u64::from(byte) * ONES);
    !(((x & !HIGH) + !HIGH) | x) & HIGH
}

/// How many bytes of a mask's chunk pass its test before the first one that does not.
#[inline]
fn leading_run(mask: u64) -> usize {
    ((!mask & HIGH).trailing_zeros() / 8) as usize
}

/// How many of the eight bytes of `chunk` are ASCII letters before the first one that is not.
/// Every letter has the same [`BYTE_CLASS`].
fn ascii_letter_run(chunk: u64) -> usize {
    leading_run(ascii_letters(chunk))
}

/// How many of the eight bytes of `chunk` are ASCII letters, digits or spaces before the first
/// one that is not: the bytes a plain item is mostly made of (see [`Parser::plain_item_end`]),
/// none of which the scanner stops at.
fn letter_digit_space_run(chunk: u64) -> usize {
    leading_run(ascii_letters(chunk) | ascii_digits(chunk) | bytes_equal(chunk, b' '))
}

/// What an item becomes where the list's state is the usual one (see
/// [`Parser::usual_ingredient`]): the ingredient `name`, a range of the input, printed over
/// `span` with `percent`.
#[derive(Debug, Clone, Copy, PartialEq)]
struct UsualIngredient {
    span: (usize, usize),
    name: (usize, usize),
    percent: Option<f32>,
    /// The number of the remembered item it comes from ([`ItemId::NONE`] if none).
    item_id: ItemId,
    /// The item opens with footnote markers ("*Aloe Barbadensis Leaf Juice"): it is a
    /// footnote, not this ingredient, once the list has had a footnote or right after a star
    /// or a full stop (see [`Parser::is_footnote`]).
    opens_with_marker: bool,
}

impl UsualIngredient {
    /// The item `[s, e)` as printed: its whole span is the name, with no percentage.
    fn printed(s: usize, e: usize) -> UsualIngredient {
        UsualIngredient {
            span: (s, e),
            name: (s, e),
            percent: None,
            item_id: ItemId::NONE,
            opens_with_marker: false,
        }
    }

    /// Whether the list's footnote state lets the item be this ingredient, after `before`.
    #[inline]
    fn stands_after(&self, before: Boundary, seen_footnote: bool) -> bool {
        !self.opens_with_marker || !footnote_by_state(before, seen_footnote)
    }
}

/// Whether the list's state alone makes an item that opens with footnote markers a footnote:
/// one was seen already, or the item follows a star or a full stop ([`Parser::is_footnote`]).
#[inline]
fn footnote_by_state(before: Boundary, seen_footnote: bool) -> bool {
    seen_footnote || matches!(before, Boundary::Star | Boundary::Stop)
}

/// A plain item (see [`Parser::plain_item_end`]) found where an item starts, not yet in the
/// cache: where it ends, what ends it, and the hash it is to be kept under.
#[derive(Clone, Copy)]
struct PlainItem {
    start: usize,
    end: usize,
    after: Boundary,
    hash: u64,
}

/// The position of the first comma in `bytes`, with the [`ItemCache::hash`] of the bytes before
/// it: eight bytes at a time, hashing each word on the way (the usual item is a few words long,
/// so a call to a vectorised search would cost more than it saves, and the words are read
/// once).
fn first_comma_hashed(bytes: &[u8]) -> Option<(usize, u64)> {
    let mut hash = WordHash::default();
    let mut words = bytes.chunks_exact(8);
    let mut at = 0;
    for chunk in words.by_ref() {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let word = u64::from_le_bytes(word);
        let commas = bytes_equal(word, b',');
        if commas != 0 {
            let k = commas.trailing_zeros() / 8;
            // The bytes before the comma (none when it comes first).
            let tail = word & ((1u64 << (8 * k)) - 1);
            let len = at + k as usize;
            return Some((len, hash.finish(tail, len)));
        }
        hash.word(word);
        at += 8;
    }
    let rest = words.remainder();
    let k = rest.iter().position(|&c| c == b',')?;
    Some((at + k, hash.finish(tail_word(&rest[..k]), at + k)))
}

/// Whether the colon at `pos` is a ratio's (`Pigment Red 57:1`), between two digits: it
/// separates nothing.
fn is_ratio_colon(b: &[u8], pos: usize) -> bool {
    pos > 0 && b[pos - 1].is_ascii_digit() && b.get(pos + 1).is_some_and(u8::is_ascii_digit)
}

/// Whether what the scanner learns of an item starting at `s` depends on the item's bytes
/// alone. It looks back before a byte in two places, a doubled space and the letters of an
/// abbreviation before its full stop; where the byte before the item is a space or a letter or
/// digit (after a "may contain" marker glued to the next word: "[May containNo. 5, …]"), those
/// could reach outside the item, which must then be read as usual.
#[inline]
fn looks_behind_safely(b: &[u8], s: usize) -> bool {
    s == 0 || !matches!(b[s - 1], b' ' | b'0'..=b'9' | b'A'..=b'Z' | b'a'..=b'z')
}

/// What the scanner learns about an item while reading it, so that ordinary items need no
/// second pass.
#[derive(Clone, Copy)]
struct ItemScan {
    /// The bitwise OR of the [`BYTE_CLASS`] of every byte of the item, with [`NOT_PLAIN`] also
    /// set for a non-ASCII space or two spaces in a row.
    or_class: u8,
    /// The words outside brackets.
    survey: Survey,
}

impl ItemScan {
    const NEW: ItemScan = ItemScan {
        or_class: 0,
        survey: Survey::NEW,
    };

    /// Whether every byte may appear in a clean name as it is (see [`Parser::is_plain`]).
    fn plain_bytes(&self) -> Plain {
        if self.or_class & NOT_PLAIN != 0 {
            Plain::No
        } else {
            Plain::Bytes {
                digits: self.or_class & DIGIT != 0,
            }
        }
    }
}

/// What is known of an item's bytes before cleaning it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Plain {
    /// Not checked.
    Unknown,
    /// Some byte needs cleaning.
    No,
    /// Every byte may stay as it is (the ends and `ppm` are still to check).
    Bytes { digits: bool },
}

struct Parser<'a> {
    text: &'a str,
    b: &'a [u8],
    out: ParsedList<'a>,
    section: Section,
    /// The section to return to when a bracketed "may contain" group closes.
    outer_section: Section,
    next_position: [usize; 4],
    mode: Mode,
    /// The sentence of prose being read says what the product is without ("Free from
    /// parabens, fragrance"): the items that continue it go to
    /// [`ParsedList::negated_sentence`], not [`ParsedList::continuing_sentence`].
    sentence_negates: bool,
    seen_footnote: bool,
    seen_section_header: bool,
}

impl<'a> Parser<'a> {
    fn new(text: &'a str) -> Self {
        Parser {
            text,
            b: text.as_bytes(),
            out: ParsedList {
                ingredients: Vec::with_capacity((text.len() / 16 + 1).min(128)),
                dropped: Vec::new(),
                continuing_sentence: Vec::new(),
                negated_sentence: Vec::new(),
            },
            section: Section::Main,
            outer_section: Section::Main,
            next_position: [1; 4],
            mode: Mode::Normal,
            sentence_negates: false,
            seen_footnote: false,
            seen_section_header: false,
        }
    }

    /// The forward scan: find the item boundaries and hand each item to [`Parser::item`].
    /// With a `cache`, a plain item read before is not read again (see [`ItemCache`]).
    fn scan(&mut self, mut cache: Option<&mut ItemCache>) {
        let b = self.b;
        let n = b.len();
        let mut pos = 0;
        let mut item_start = 0;
        let mut before = Boundary::Start;
        let mut scan = ItemScan::NEW;
        let mut word_start = NO_WORD;
        let mut may_close: Option<usize> = None;
        // Brackets are paired locally while they close nearby; the first one that does not
        // switches to a table of every pair, built once, so stray brackets stay linear. (The
        // plain items of the cache hold groups paired locally only.)
        let mut table: Option<Groups> = None;
        // A plain item not in the cache, being read to be remembered.
        let mut uncached: Option<PlainItem> = None;
        loop {
            if let Some(cache) = cache.as_deref_mut()
                && pos == item_start
                && scan.or_class == 0
                && word_start == NO_WORD
            {
                if pos == n {
                    break;
                }
                let run_end = self.take_remembered_run(pos, before, table.is_none(), cache);
                if run_end != pos {
                    // As `take_usual` does for the run's first item.
                    if before.ends_sentence() {
                        self.mode = Mode::Normal;
                    }
                    pos = run_end;
                    item_start = pos;
                    before = Boundary::Comma;
                }
                match self.remembered_item(pos, table.is_none(), cache) {
                    Ok((end, after, facts)) => {
                        if !self.take_usual(before, after, facts.usual(pos)) {
                            self.unusual_item(pos, end, before, after, &facts.scan());
                        }
                        if after == Boundary::End {
                            return;
                        }
                        pos = end + 1;
                        item_start = pos;
                        before = after;
                        continue;
                    }
                    Err(plain) => uncached = plain,
                }
            }
            pos = read_ordinary(b, pos, &mut scan, &mut word_start);
            let Some(&c) = b.get(pos) else {
                break;
            };
            let class = BYTE_CLASS[usize::from(c)];
            // A special byte: most end the word being read.
            let continues_word = c == b'-' || c >= 0x80;
            if !continues_word && word_start != NO_WORD {
                survey_word(b, &mut scan.survey, word_start, pos);
                word_start = NO_WORD;
            }
            let has_letter = scan.or_class & LETTER != 0;
            let mut boundary: Option<(Boundary, usize, usize)> = None;
            if matches!(c, b'(' | b'[' | b'{') {
                let group = match table.as_mut() {
                    Some(table) => table.at(pos, may_close.is_none()),
                    None => {
                        let may = may_close.is_none() && may_contain_group_at(b, pos);
                        let limit = if may {
                            MAX_MAY_CONTAIN_BYTES
                        } else {
                            MAX_GROUP_BYTES
                        };
                        match group_end(b, pos, limit) {
                            Some(close) => Some((close, may)),
                            None => {
                                let mut groups = Groups::find(b);
                                let group = groups.at(pos, may_close.is_none());
                                table = Some(groups);
                                group
                            }
                        }
                    }
                };
                match group {
                    None => {}
                    Some((close, false)) => {
                        for &d in &b[pos..=close] {
                            let class = BYTE_CLASS[usize::from(d)];
                            scan.or_class |= class;
                        }
                        pos = close + 1;
                        continue;
                    }
                    Some((close, true)) => {
                        self.item(item_start, pos, before, Boundary::GroupOpen, &scan);
                        let header_end = self.may_contain_header_end(pos, close);
                        self.enter_may_contain(pos, header_end);
                        may_close = Some(close);
                        pos = header_end;
                        item_start = pos;
                        before = Boundary::GroupOpen;
                        scan = ItemScan::NEW;
                        continue;
                    }
                }
            } else if may_close == Some(pos) {
                self.item(item_start, pos, before, Boundary::GroupClose, &scan);
                self.section = self.outer_section;
                may_close = None;
                pos += 1;
                item_start = pos;
                before = Boundary::GroupClose;
                scan = ItemScan::NEW;
                continue;
            } else if c == b'%' && has_letter && self.percent_ends_item(pos) {
                boundary = Some((Boundary::Percent, pos + 1, pos + 1));
            } else if c == b'*' && has_letter && self.star_starts_footnote(pos) {
                boundary = Some((Boundary::Star, pos, pos));
            } else if let Some((kind, len)) = self.separator_at(pos, has_letter) {
                // The full stop of an abbreviation stays with it ("Alcohol Denat. May contain").
                let keep_dot =
                    kind == Boundary::Stop && c == b'.' && self.follows_abbreviation(pos);
                boundary = Some((kind, if keep_dot { pos + 1 } else { pos }, pos + len));
            }
            if let Some((kind, item_end, next_start)) = boundary {
                if word_start != NO_WORD {
                    survey_word(b, &mut scan.survey, word_start, pos);
                    word_start = NO_WORD;
                }
                if kind == Boundary::Percent {
                    scan.or_class |= class & NOT_PLAIN;
                }
                let plain = uncached.take();
                self.finish_item(item_start, item_end, before, kind, &scan, plain, &mut cache);
                scan = ItemScan::NEW;
                if kind == Boundary::Star {
                    scan.or_class |= class;
                }
                item_start = next_start;
                before = kind;
                // A star stays in the next item: step over it.
                pos = next_start.max(pos + 1);
                continue;
            }
            // Not a boundary after all: an ordinary byte of the item.
            if c < 0x80 {
                scan.or_class |= class;
                if class & WORD != 0 && word_start == NO_WORD {
                    word_start = pos;
                }
                pos += 1;
            } else {
                let space = space_len(b, pos);
                if space > 0 {
                    if word_start != NO_WORD {
                        survey_word(b, &mut scan.survey, word_start, pos);
                        word_start = NO_WORD;
                    }
                    scan.or_class |= NOT_PLAIN;
                    pos += space;
                } else {
                    scan.or_class |= class;
                    if word_start == NO_WORD {
                        word_start = pos;
                    }
                    pos += utf8_len(c);
                }
            }
        }
        if word_start != NO_WORD {
            survey_word(b, &mut scan.survey, word_start, n);
        }
        // Nothing after the last separator (a list's closing full stop): an empty item at the
        // end gives nothing (no separator follows it), so it is not handed on.
        if item_start < n {
            self.finish_item(
                item_start,
                n,
                before,
                Boundary::End,
                &scan,
                uncached,
                &mut cache,
            );
        }
    }

    /// Hands the item `[s, e)` to [`Parser::item`], remembering it in `cache` first when it is
    /// the plain item `plain` that was being read for it.
    #[allow(clippy::too_many_arguments)]
    fn finish_item(
        &mut self,
        s: usize,
        e: usize,
        before: Boundary,
        after: Boundary,
        scan: &ItemScan,
        plain: Option<PlainItem>,
        cache: &mut Option<&mut ItemCache>,
    ) {
        match (plain, cache.as_deref_mut()) {
            (Some(plain), Some(cache))
                if (plain.start, plain.end, plain.after) == (s, e, after) =>
            {
                let mut usual = self.usual_ingredient(s, e, scan);
                if let Some(facts) = ItemFacts::of(scan, &self.b[s..e], s, usual) {
                    let item_id = cache.insert(plain.hash, &self.b[s..e], facts);
                    if let Some(usual) = usual.as_mut() {
                        usual.item_id = item_id;
                    }
                }
                if !self.take_usual(before, after, usual) {
                    self.unusual_item(s, e, before, after, scan);
                }
            }
            _ => self.item(s, e, before, after, scan),
        }
    }

    /// The separator at `pos`, if any, with its length in bytes.
    fn separator_at(&self, pos: usize, has_letter: bool) -> Option<(Boundary, usize)> {
        let b = self.b;
        let next = b.get(pos + 1).copied();
        match b[pos] {
            b',' => self.comma_separates(pos).then_some((Boundary::Comma, 1)),
            b';' => Some((Boundary::Semicolon, 1)),
            b'|' => Some((Boundary::Pipe, 1)),
            b'\n' => Some((Boundary::Newline, 1)),
            b'\r' => Some((Boundary::Newline, if next == Some(b'\n') { 2 } else { 1 })),
            b'.' => self.stop_separates(pos).then_some((Boundary::Stop, 1)),
            b':' => (!is_ratio_colon(b, pos)).then_some((Boundary::Colon, 1)),
            b'-' => self
                .dash_separates(pos, 1, has_letter)
                .then_some((Boundary::Dash, 1)),
            0xC2 => match next? {
                0xB7 => Some((Boundary::Bullet, 2)),
                0x85 => Some((Boundary::Newline, 2)),
                0xA6 => Some((Boundary::Pipe, 2)),
                _ => None,
            },
            0xE2 => {
                let third = *b.get(pos + 2)?;
                match (next?, third) {
                    (0x80, 0xA2 | 0xA3) | (0x97, 0x8F | 0xA6) | (0x96, 0xAA) | (0x88, 0x99) => {
                        Some((Boundary::Bullet, 3))
                    }
                    (0x8B, 0x85) => Some((Boundary::Bullet, 3)),
                    (0x80, 0xA8 | 0xA9) => Some((Boundary::Newline, 3)),
                    (0x80, 0x93 | 0x94) => self
                        .dash_separates(pos, 3, has_letter)
                        .then_some((Boundary::Dash, 3)),
                    _ => None,
                }
            }
            0xE3 => match (next?, *b.get(pos + 2)?) {
                (0x80, 0x81) => Some((Boundary::Comma, 3)),
                (0x80, 0x82) => Some((Boundary::Stop, 3)),
                (0x83, 0xBB) => Some((Boundary::Bullet, 3)),
                _ => None,
            },
            0xEF => match (next?, *b.get(pos + 2)?) {
                (0xBC, 0x8C) => Some((Boundary::Comma, 3)),
                (0xBC, 0x9B) => Some((Boundary::Semicolon, 3)),
                (0xBC, 0x9A) => Some((Boundary::Colon, 3)),
                (0xBD, 0x9C) => Some((Boundary::Pipe, 3)),
                _ => None,
            },
            _ => None,
        }
    }

    /// A comma separates unless it sits inside chemical locants (`1,2-Hexanediol`,
    /// `N,N-Dimethyl`, `Alpha,Alpha-…`) or a decimal comma (`9,6%`).
    fn comma_separates(&self, pos: usize) -> bool {
        let b = self.b;
        let (Some(&prev), Some(&next)) =
            (pos.checked_sub(1).and_then(|p| b.get(p)), b.get(pos + 1))
        else {
            return true;
        };
        if !prev.is_ascii_alphanumeric() || !next.is_ascii_alphanumeric() {
            return true;
        }
        let mut start = pos;
        while start > 0 && pos - start < 8 && b[start - 1].is_ascii_alphanumeric() {
            start -= 1;
        }
        if start > 0 && b[start - 1].is_ascii_alphanumeric() {
            return true;
        }
        let mut end = pos + 1;
        while end < b.len() && end - pos < 9 && b[end].is_ascii_alphanumeric() {
            end += 1;
        }
        let continues = matches!(b.get(end), Some(b'-' | b',' | b'\'' | b'%'))
            || (b.get(end) == Some(&b' ') && b.get(end + 1) == Some(&b'%'));
        !(continues && is_locant(&b[start..pos]) && is_locant(&b[pos + 1..end]))
    }

    /// A full stop separates when followed by a space (or a marker, or the end), unless it is
    /// part of a number, of dot leaders or of an abbreviation such as `Denat.`.
    fn stop_separates(&self, pos: usize) -> bool {
        self.stop_is_spaced(pos)
            && (!self.follows_abbreviation(pos) || self.item_ends_after_abbreviation(pos))
    }

    /// Whether the full stop at `pos` is followed by a space (or a marker, or the end), and is
    /// not part of a number or of dot leaders: where it follows no abbreviation, whether it
    /// separates.
    fn stop_is_spaced(&self, pos: usize) -> bool {
        let b = self.b;
        let next = b.get(pos + 1).copied();
        if (pos > 0 && b[pos - 1] == b'.') || next == Some(b'.') {
            return false;
        }
        match next {
            None => true,
            Some(c) => {
                c.is_ascii_whitespace() || c == b'*' || (c == 0xC2 && b.get(pos + 2) == Some(&0xA0))
            }
        }
    }

    /// Whether the spaced full stop of an abbreviation at `pos` still ends the item: only a
    /// header, a footnote or a disclaimer after it does.
    fn item_ends_after_abbreviation(&self, pos: usize) -> bool {
        let b = self.b;
        let end = b.len().min(pos + 1 + LOOKAHEAD_BYTES);
        let j = skip_ascii_space(b, pos + 1, end);
        if j >= end {
            return false;
        }
        if b[j].is_ascii_digit() {
            // A number ("Red No. 22"): no header, footnote or disclaimer starts with a digit.
            return false;
        }
        if self.starts_with_marker(j) {
            return true;
        }
        if let Some((_, _, flags)) = self.header_run(j, end, false)
            && (flags.core || flags.may)
        {
            return true;
        }
        // A disclaimer that starts at `j` is told by its first three words.
        self.survey_words(j, end, 3).disclaimer == Some(j)
    }

    /// Whether the full stop at `pos` ends an abbreviation (`Denat.`, `Ext.`, `No.`).
    fn follows_abbreviation(&self, pos: usize) -> bool {
        let b = self.b;
        let mut start = pos;
        while start > 0 && pos - start < 8 && b[start - 1].is_ascii_alphabetic() {
            start -= 1;
        }
        let word = &b[start..pos];
        !word.is_empty()
            && (start == 0 || !b[start - 1].is_ascii_alphabetic())
            && is_abbreviation(word)
    }

    /// A hyphen or dash separates when spaced (`Extract - Ivy`), or spaced on one side between
    /// words (`Isohexadecane- Butylene`, `Cyclopentasiloxane -Tromethamine`).
    fn dash_separates(&self, pos: usize, len: usize, has_letter: bool) -> bool {
        let b = self.b;
        let prev = pos.checked_sub(1).and_then(|p| b.get(p)).copied();
        let next = b.get(pos + len).copied();
        let prev_space = prev.is_none_or(|c| c.is_ascii_whitespace());
        let next_space = next.is_none_or(|c| c.is_ascii_whitespace());
        if prev_space && next_space {
            return true;
        }
        if len != 1 {
            return false;
        }
        if next_space && prev.is_some_and(|c| c.is_ascii_alphabetic()) {
            let letters_before = b[..pos]
                .iter()
                .rev()
                .take(3)
                .take_while(|c| c.is_ascii_alphabetic())
                .count();
            let end = b.len().min(pos + 1 + LOOKAHEAD_BYTES);
            let j = skip_ascii_space(b, pos + 1, end);
            return letters_before == 3 && b.get(j).is_some_and(|c| c.is_ascii_alphabetic());
        }
        if prev_space && has_letter && next.is_some_and(|c| c.is_ascii_alphabetic()) {
            let letters_after = b[pos + 1..]
                .iter()
                .take(3)
                .take_while(|c| c.is_ascii_alphabetic())
                .count();
            return letters_after == 3;
        }
        false
    }

    /// Whether the `%` at `pos` is glued to the next word, which then starts a new item
    /// (`9.60%Water`, `20% ....... Sunscreen`). Units such as `w/w` stay with the percentage.
    fn percent_ends_item(&self, pos: usize) -> bool {
        let b = self.b;
        let end = b.len().min(pos + 1 + LOOKAHEAD_BYTES);
        let mut j = pos + 1;
        while j < end {
            match b[j] {
                b' ' | b'\t' | b'.' => j += 1,
                0xE2 if b.get(j + 1) == Some(&0x80) && b.get(j + 2) == Some(&0xA6) => j += 3,
                _ => break,
            }
        }
        let Some(&c) = b.get(j) else {
            return false;
        };
        if c.is_ascii_alphabetic() {
            let unit = (c | 0x20) == b'w'
                && (b.get(j + 1) == Some(&b'/')
                    || (b.get(j + 1).is_some_and(|t| t | 0x20 == b't')
                        && !b.get(j + 2).is_some_and(|t| t.is_ascii_alphabetic())));
            return !unit;
        }
        c >= 0xC0 && self.char_at(j).is_some_and(char::is_alphabetic)
    }

    /// Whether the `*` at `pos` starts a footnote in the middle of an item
    /// (`Mica * Essential Oil`, `Phenoxyethanol *Certified organic`).
    fn star_starts_footnote(&self, pos: usize) -> bool {
        let b = self.b;
        if pos == 0 || !b[pos - 1].is_ascii_whitespace() {
            return false;
        }
        let end = b.len().min(pos + 1 + LOOKAHEAD_BYTES);
        let mut j = pos;
        while j < end && b[j] == b'*' {
            j += 1;
        }
        if b.get(j).is_some_and(|c| c.is_ascii_whitespace()) {
            let k = skip_ascii_space(b, j, end);
            return b.get(k).is_some_and(|c| c.is_ascii_alphanumeric());
        }
        self.footnote_phrase(j, end)
    }

    /// The end of the `[+/-:` header of a may-contain group opening at `open`.
    fn may_contain_header_end(&self, open: usize, close: usize) -> usize {
        let b = self.b;
        let mut j = skip_ascii_space(b, open + 1, close);
        if let Some(after) = may_contain_marker(b, j, close) {
            j = skip_ascii_space(b, after, close);
            if b.get(j) == Some(&b':') && j < close {
                j += 1;
            }
        }
        j
    }

    fn enter_may_contain(&mut self, open: usize, header_end: usize) {
        self.drop_text(open, header_end, DropReason::Header);
        self.outer_section = self.section;
        self.section = Section::MayContain;
        self.mode = Mode::Normal;
    }

    // -----------------------------------------------------------------------------------------
    // Items
    // -----------------------------------------------------------------------------------------

    /// Handle one raw item `[s, e)` found between two boundaries.
    fn item(&mut self, s: usize, e: usize, before: Boundary, after: Boundary, scan: &ItemScan) {
        let as_printed = self
            .as_printed(s, e, scan)
            .map(|(s, e)| UsualIngredient::printed(s, e));
        if !self.take_usual(before, after, as_printed) {
            self.unusual_item(s, e, before, after, scan);
        }
    }

    /// The name of the item `[s, e)` (its trimmed range) when it is the usual item, a clean
    /// name taken as it is printed wherever the list's state allows it (see
    /// [`Parser::take_usual`]): none of the tests of [`Parser::core`] can apply to it (it is
    /// not a header, prose or a footnote, has no disclaimer, retailer code or purpose) and it
    /// needs no cleaning. This depends on the item's bytes alone, so [`ItemCache`] keeps it.
    #[inline]
    fn as_printed(&self, s: usize, e: usize, scan: &ItemScan) -> Option<(usize, usize)> {
        self.usual_candidate(s, e, scan).filter(|&(s, e)| {
            self.b[s].is_ascii_alphanumeric() && self.is_plain(s, e, scan.plain_bytes())
        })
    }

    /// The trimmed range of the item `[s, e)` if none of the tests of [`Parser::core`] that
    /// read more than its first byte can apply to it: it is not empty, has no disclaimer, is
    /// no claim ("Paraben Free"), header or prose, and does not end a bracketed code. What
    /// [`Parser::as_printed`] and [`Parser::usual_ingredient`] both ask first (inlined: it runs
    /// for every item read in full).
    #[inline(always)]
    fn usual_candidate(&self, s: usize, e: usize, scan: &ItemScan) -> Option<(usize, usize)> {
        let (s, e) = self.trim(s, e);
        if s >= e
            || scan.survey.disclaimer.is_some()
            || is_spaced_free_claim(&self.b[s..e], scan.survey.words)
        {
            return None;
        }
        let outline = scan.survey.outline();
        (!outline.first_is_header_word && !outline.prose && self.b[e - 1] != b']').then_some((s, e))
    }

    /// What [`Parser::core`] makes of the item `[s, e)` where the list's state is the usual one
    /// (see [`Parser::take_usual`]), when its bytes alone decide it: the name as printed (see
    /// [`Parser::as_printed`]), or else the cleaned name when it is one stretch of the input
    /// (`Avobenzone 3.00%`, `Lavandula Angustifolia Oil*`, `*Aloe Vera`) and the item cannot
    /// be a header, prose or a retailer code, nor a footnote by its words (whether the list's
    /// state makes an item opening with markers a footnote is decided where the ingredient is
    /// taken: [`UsualIngredient::stands_after`]). Kept by [`ItemCache`]; for an item read once,
    /// [`Parser::core`] decides the same with no need for this.
    fn usual_ingredient(&self, s: usize, e: usize, scan: &ItemScan) -> Option<UsualIngredient> {
        let b = self.b;
        let (s, e) = self.usual_candidate(s, e, scan)?;
        if b[s].is_ascii_alphanumeric() && self.is_plain(s, e, scan.plain_bytes()) {
            return Some(UsualIngredient::printed(s, e));
        }
        if matches!(b[s], b'+' | b'(' | b'[' | 0xC2) {
            return None;
        }
        // Markers before the name: an ingredient unless its words read like a footnote's
        // ("*Certified organic"); whether the list's state lets it be one is decided where it
        // is taken ([`UsualIngredient::stands_after`]), as [`Parser::is_footnote`] does.
        let opens_with_marker = self.starts_with_marker(s);
        if opens_with_marker && self.footnote_phrase(self.after_markers(s, e), e) {
            return None;
        }
        let (Cow::Borrowed(name), percent) = self.clean(s, e, scan.plain_bytes()) else {
            return None;
        };
        let start = (name.as_ptr() as usize).checked_sub(self.text.as_ptr() as usize)?;
        (!name.is_empty()).then_some(UsualIngredient {
            span: (s, e),
            name: (start, start + name.len()),
            percent,
            item_id: ItemId::NONE,
            opens_with_marker,
        })
    }

    /// The first step of [`Parser::item`], once the item's [`UsualIngredient`] (if any) is
    /// known: takes it when the list's state is the usual one, and says whether it did. The
    /// usual state is that of an item in the middle of a list: not before a colon (a label),
    /// not after a percentage or in a Drug Facts active section (where a purpose may follow),
    /// not inside prose or a disclaimer.
    #[inline]
    fn take_usual(
        &mut self,
        before: Boundary,
        after: Boundary,
        usual: Option<UsualIngredient>,
    ) -> bool {
        if before.ends_sentence() {
            self.mode = Mode::Normal;
        }
        if let Some(usual) = usual
            && after != Boundary::Colon
            && self.mode == Mode::Normal
            && before != Boundary::Percent
            && self.section != Section::Active
            && usual.stands_after(before, self.seen_footnote)
        {
            self.push_usual(usual);
            return true;
        }
        false
    }

    /// Pushes the ingredient an item gives in the usual state of a list.
    #[inline]
    fn push_usual(&mut self, usual: UsualIngredient) {
        let (s, e) = usual.span;
        let (a, z) = usual.name;
        let name = self.text.get(a..z).unwrap_or_default();
        self.push_ingredient(Cow::Borrowed(name), s, e, usual.percent, usual.item_id);
    }

    /// The rest of [`Parser::item`], for an item not taken as printed.
    fn unusual_item(
        &mut self,
        s: usize,
        e: usize,
        before: Boundary,
        after: Boundary,
        scan: &ItemScan,
    ) {
        let (s, e) = self.trim(s, e);
        if s >= e {
            if before.is_list_separator() && after.is_list_separator() {
                self.out.dropped.push(DroppedText {
                    text: "",
                    span: s..s,
                    reason: DropReason::Empty,
                });
            }
            return;
        }
        if let Some(d) = scan.survey.disclaimer {
            // Header words just before the disclaimer belong to it ("Ingredients subject to
            // change"); what comes before them is an item of its own.
            let from = match self.header_run(s, d, true) {
                Some((run_start, _, flags)) if flags.any() => run_start,
                _ => d,
            };
            let (prefix_start, prefix_end) = self.trim(s, from);
            if prefix_start < prefix_end {
                self.core(
                    prefix_start,
                    prefix_end,
                    before,
                    Boundary::Disclaimer,
                    None,
                    Plain::Unknown,
                );
            }
            self.drop_text(from, e, DropReason::Disclaimer);
            self.mode = Mode::Disclaimer;
            return;
        }
        if self.mode == Mode::Normal && is_spaced_free_claim(&self.b[s..e], scan.survey.words) {
            // "Paraben Free", "Cruelty Free": a claim that stands alone, like "Paraben-Free".
            return self.drop_text(s, e, DropReason::Prose);
        }
        self.core(
            s,
            e,
            before,
            after,
            Some(scan.survey.outline()),
            scan.plain_bytes(),
        );
    }

    /// The fast path of [`Parser::scan`] for the items that make up most lists: from `start`,
    /// where an item starts after `before`, takes each remembered item that ends at a comma followed
    /// by a space and gives its usual ingredient (see [`Parser::take_usual`]), for as long as
    /// the list's state is the usual one; returns where the first item it does not take starts,
    /// for the general path (after a comma, if it took any; the caller then does what
    /// `take_usual` does to the state for the first). It decides as the general path does with
    /// the same facts ([`Parser::remembered_item`], then [`Parser::take_usual`]): the first
    /// item after `before`, then items after a comma, between which nothing changes the state
    /// (a comma before, a comma after; the byte before each item is that comma, so the
    /// look-behind guard holds); only the checks that cannot fail there are skipped.
    ///
    /// It is a function of its own, kept out of [`Parser::scan`], with the list's state in
    /// locals: inlined in the scan, its loop would share the registers of the whole scan and
    /// keep its values on the stack.
    #[inline(never)]
    fn take_remembered_run(
        &mut self,
        start: usize,
        before: Boundary,
        groups: bool,
        cache: &ItemCache,
    ) -> usize {
        // What `take_usual` asks of the state, and `remembered_item` of the byte before. Only
        // after a comma, at the start and after a heading's colon: after a full stop or any
        // other separator, the item is seldom a remembered one that ends at a comma (a
        // heading, a sentence), and trying would only read it twice.
        let normal = self.mode == Mode::Normal || before.ends_sentence();
        if !normal
            || !matches!(before, Boundary::Comma | Boundary::Colon | Boundary::Start)
            || self.section == Section::Active
            || !looks_behind_safely(self.b, start)
        {
            return start;
        }
        let (b, text, section) = (self.b, self.text, self.section);
        // Whether an item that opens with footnote markers is a footnote here.
        let filter = RunFilter::new(groups, footnote_by_state(before, self.seen_footnote));
        let slot = section.index();
        let mut position = self.next_position[slot];
        let ingredients = &mut self.out.ingredients;
        let mut s = start;
        while let Some((len, hash)) =
            first_comma_hashed(&b[s..b.len().min(s + MAX_CACHED_ITEM + 1)])
        {
            if len == 0 || b.get(s + len + 1) != Some(&b' ') {
                break;
            }
            let Some(facts) = cache.get(hash, &b[s..s + len]) else {
                break;
            };
            let Some(usual) = facts.usual_in_run(s, filter) else {
                break;
            };
            // What `Parser::push_usual` pushes (an empty name, dropped there, is left to it).
            let (a, z) = usual.name;
            let name = text.get(a..z).unwrap_or_default();
            if name.is_empty() {
                break;
            }
            ingredients.push(ParsedIngredient {
                text: Cow::Borrowed(name),
                span: usual.span.0..usual.span.1,
                section,
                percent: usual.percent,
                position,
                item_id: usual.item_id,
            });
            position += 1;
            s += len + 1;
        }
        self.next_position[slot] = position;
        s
    }

    /// The bytes from `s` to the first comma within reach of a remembered item (at most
    /// [`MAX_CACHED_ITEM`] bytes on), as their length and [`ItemCache::hash`], if there is such
    /// a comma and it is not at `s`.
    #[inline]
    fn item_to_comma(&self, s: usize) -> Option<(usize, u64)> {
        let b = self.b;
        first_comma_hashed(&b[s..b.len().min(s + MAX_CACHED_ITEM + 1)]).filter(|&(len, _)| len > 0)
    }

    /// The plain item starting at `s` (see [`Parser::plain_item_end`]), its end, what ends it
    /// and its facts, if `cache` holds it; if not, the plain item to remember, if it is one.
    /// Most items end at the next comma and were read before: they are found without looking
    /// at their bytes one class at a time (that a remembered item's bytes make a plain item
    /// was checked when it was remembered; what follows the comma is checked here).
    #[inline]
    fn remembered_item(
        &self,
        s: usize,
        groups: bool,
        cache: &ItemCache,
    ) -> Result<(usize, Boundary, ItemFacts), Option<PlainItem>> {
        let b = self.b;
        if !looks_behind_safely(b, s) {
            return Err(None);
        }
        let mut missed = None;
        if let Some((len, hash)) = self.item_to_comma(s)
            && (b.get(s + len + 1) == Some(&b' ') || self.comma_separates(s + len))
        {
            match cache.get(hash, &b[s..s + len]) {
                Some(facts) if groups || !facts.has_brackets() => {
                    return Ok((s + len, Boundary::Comma, *facts));
                }
                Some(_) => return Err(None),
                None => missed = Some((s + len, hash)),
            }
        }
        let Some((end, after)) = self.plain_item_end(s, groups) else {
            return Err(None);
        };
        let hash = match missed {
            Some((comma, hash)) if comma == end => hash,
            _ => {
                let hash = ItemCache::hash(&b[s..end]);
                if let Some(facts) = cache.get(hash, &b[s..end]) {
                    return Ok((end, after, *facts));
                }
                hash
            }
        };
        Err(Some(PlainItem {
            start: s,
            end,
            after,
            hash,
        }))
    }

    /// Where the plain item starting at `s` ends, if it is one: a separating comma follows it
    /// within [`MAX_CACHED_ITEM`] bytes, with only bytes before it that the scanner reads
    /// without stopping, hyphens between letters or digits (`PEG-40`), which never separate,
    /// commas that do not separate (locants and decimal commas: `1,2-Hexanediol`, `9,6%`) and
    /// a ratio's colon (`Pigment Red 57:1`),
    /// stars before the name (`*Aloe Vera`: before any letter they separate nothing), and
    /// (while `groups` says that brackets are still paired where they are met, as
    /// [`Parser::scan`] does until one does not close nearby) bracket groups that close in the
    /// item and do not open a "may contain" list (`Aqua (Water)`). The caller looks for plain
    /// items only where an item starts the text or follows a byte that is neither a space nor
    /// a letter or digit, so that what the scanner learns of the item (a doubled space, an
    /// abbreviation, a locant) depends on its bytes alone. See [`ItemCache`].
    ///
    /// Returns the end and what ends the item there: a comma, a full stop that separates (not
    /// an abbreviation's: `Denat.` keeps it), a colon that separates (a heading's:
    /// `Ingredients:`) or the end of the text.
    #[inline]
    fn plain_item_end(&self, s: usize, groups: bool) -> Option<(usize, Boundary)> {
        let b = self.b;
        // What the look-backs below rely on (see the doc above).
        debug_assert!(looks_behind_safely(b, s));
        let limit = b.len().min(s + MAX_CACHED_ITEM + 1);
        let mut i = s;
        while i < limit {
            // Letters, digits and spaces eight at a time, then the byte after them.
            while let Some(chunk) = b.get(i..i + 8)
                && let Ok(chunk) = <[u8; 8]>::try_from(chunk)
            {
                let run = letter_digit_space_run(u64::from_le_bytes(chunk));
                i += run;
                if run < 8 || i >= limit {
                    break;
                }
            }
            let Some(&c) = b.get(i).filter(|_| i < limit) else {
                break;
            };
            if c < 0x80 && BYTE_CLASS[usize::from(c)] & SPECIAL == 0 {
                i += 1;
                continue;
            }
            match c {
                b',' if i > s && (b.get(i + 1) == Some(&b' ') || self.comma_separates(i)) => {
                    return Some((i, Boundary::Comma));
                }
                // A comma inside locants or a decimal comma ("1,2-Hexanediol", "9,6%"): the
                // scanner reads it as part of the item, deciding from the same bytes.
                b',' if i > s => i += 1,
                // A colon ends a heading ("Ingredients:", "May contain (+/-):"), unless it is a
                // ratio ("Pigment Red 57:1"), which the scanner reads as part of the item.
                b':' if i > s => {
                    if is_ratio_colon(b, i) {
                        i += 1;
                    } else {
                        return Some((i, Boundary::Colon));
                    }
                }
                b'.' => {
                    // One look back for an abbreviation serves both questions below (at the
                    // item's first byte there is none: the byte before it is no letter).
                    let abbreviation = i > s && self.follows_abbreviation(i);
                    if i > s && !abbreviation && self.stop_is_spaced(i) {
                        return Some((i, Boundary::Stop));
                    }
                    let next = b.get(i + 1).copied();
                    // A decimal point ("3.00%"), or an abbreviation's full stop before the
                    // comma ("Alcohol Denat.,") or before a number ("Red No. 22"): it ends
                    // nothing (see `Parser::stop_separates`).
                    if next.is_some_and(|c| c.is_ascii_digit())
                        || next == Some(b',')
                        || (next == Some(b' ')
                            && abbreviation
                            && b.get(skip_ascii_space(b, i + 1, limit))
                                .is_some_and(u8::is_ascii_digit))
                    {
                        i += 1;
                    } else {
                        return None;
                    }
                }
                b'-' if i > s
                    && b[i - 1].is_ascii_alphanumeric()
                    && b.get(i + 1).is_some_and(u8::is_ascii_alphanumeric) =>
                {
                    i += 1;
                }
                // A percentage before the comma or the end ("21%,"), a marker after a name
                // ("Oil*"): neither ends the item.
                b'%' if b.get(i + 1).is_none_or(|&c| c == b',') => i += 1,
                b'*' if i > s && !b[i - 1].is_ascii_whitespace() => i += 1,
                // Footnote markers before the name ("*Aloe Barbadensis Leaf Juice"): before any
                // letter the scanner reads them as ordinary bytes.
                b'*' if b[s..i].iter().all(|&c| c == b' ' || c == b'*') => i += 1,
                b'(' | b'[' | b'{' if groups && !may_contain_group_at(b, i) => {
                    i = group_end(b, i, limit - i)? + 1;
                }
                _ => return None,
            }
        }
        (i == b.len() && i > s && i - s <= MAX_CACHED_ITEM).then_some((i, Boundary::End))
    }

    /// Everything but disclaimers: headers, sticky prose, footnotes, labels, retailer codes,
    /// purposes, and finally the ingredient itself.
    fn core(
        &mut self,
        s: usize,
        e: usize,
        before: Boundary,
        after: Boundary,
        survey: Option<Outline>,
        plain: Plain,
    ) {
        // The callers pass trimmed, non-empty ranges.
        let mut s = s;
        let mut before = before;
        let mut survey = match survey {
            Some(survey) => survey,
            None => self.survey(s, e).outline(),
        };
        if after == Boundary::Colon {
            // "Inactive Ingredients:", "May Contain (+/-):", and labels that end in header
            // words ("Division: Skincare Ingredients:", "Day Cream Ingredients:").
            if let Some((run_start, _, flags)) = self.header_run(s, e, true)
                && ((run_start == s && flags.accepted_before_colon()) || flags.core || flags.may)
            {
                self.header(s, e, flags);
                return;
            }
        } else if (survey.first_is_header_word || matches!(self.b[s], b'+' | b'(' | b'[' | 0xC2))
            && let Some((_, header_end, flags)) = self.header_run(s, e, false)
        {
            self.header(s, header_end, flags);
            let (s2, e2) = self.trim(header_end, e);
            if s2 >= e2 {
                return;
            }
            s = s2;
            before = Boundary::Colon;
            survey = self.survey(s, e).outline();
        }
        match self.mode {
            // A name printed after a fragment of directions, marketing or a disclaimer ("Avoid
            // contact with eyes, Essential Oils, Granactive Retinoid"): the list has resumed, and
            // the name is checked (or reported unrecognised) like any other.
            Mode::Prose | Mode::Disclaimer
                if !(self.mode == Mode::Prose && self.sentence_negates)
                    && survey.name_like
                    && self.b[s].is_ascii_uppercase() =>
            {
                self.mode = Mode::Normal;
            }
            Mode::Prose => return self.continue_sentence(s, e, DropReason::Prose),
            Mode::Disclaimer => return self.continue_sentence(s, e, DropReason::Disclaimer),
            Mode::Normal => {}
        }
        if self.starts_with_marker(s) && self.is_footnote(s, e, before) {
            self.seen_footnote = true;
            return self.drop_text(s, e, DropReason::Footnote);
        }
        if survey.prose {
            // A one-word claim ("Vegan", "Fragrance-Free") is a sentence of its own; other
            // prose ("Free from parabens, …", "Uses • helps …") goes on to the end of its
            // sentence.
            if !(survey.one_word && is_claim_word(&self.b[s..e])) {
                self.mode = Mode::Prose;
                self.sentence_negates = opens_with_negation(&self.b[s..e]);
            }
            return self.drop_text(s, e, DropReason::Prose);
        }
        if after == Boundary::Colon && before.starts_sentence() {
            return self.drop_text(s, e, DropReason::Header);
        }
        let Some((s, e, trailing_code)) = self.strip_retailer_codes(s, e) else {
            return;
        };
        if (before == Boundary::Percent || self.section == Section::Active) && self.is_purpose(s, e)
        {
            self.drop_text(s, e, DropReason::Purpose);
        } else {
            self.ingredient(s, e, plain);
        }
        if let Some((open, close)) = trailing_code {
            self.drop_text(open, close, DropReason::RetailerCode);
        }
    }

    fn header(&mut self, s: usize, e: usize, flags: HeaderFlags) {
        self.drop_text(s, e, DropReason::Header);
        self.mode = Mode::Normal;
        if let Some(section) = flags.section() {
            self.enter_section(section);
        }
    }

    fn enter_section(&mut self, section: Section) {
        if section == Section::Inactive
            && !self.seen_section_header
            && self.section == Section::Main
            && !self.out.ingredients.is_empty()
            && self.out.ingredients.iter().all(|i| i.percent.is_some())
        {
            // "Octocrylene 9%, …, Ensulizole 3%. Inactive Ingredients: …": the unlabelled items
            // before an inactive section, all with a percentage, are the actives.
            for ingredient in &mut self.out.ingredients {
                if ingredient.section == Section::Main {
                    ingredient.section = Section::Active;
                }
            }
            self.next_position[Section::Active.index()] = self.next_position[Section::Main.index()];
            self.next_position[Section::Main.index()] = 1;
        }
        self.seen_section_header = true;
        self.section = section;
    }

    fn ingredient(&mut self, s: usize, e: usize, plain: Plain) {
        let (text, percent) = self.clean(s, e, plain);
        self.push_ingredient(text, s, e, percent, ItemId::NONE);
    }

    /// Records the item `[s, e)` with its cleaned name (dropped as empty if nothing is left),
    /// and the number of the remembered item it is the usual ingredient of, if any.
    #[inline]
    fn push_ingredient(
        &mut self,
        text: Cow<'a, str>,
        s: usize,
        e: usize,
        percent: Option<f32>,
        item_id: ItemId,
    ) {
        if text.is_empty() {
            return self.drop_text(s, e, DropReason::Empty);
        }
        let slot = &mut self.next_position[self.section.index()];
        let position = *slot;
        *slot += 1;
        self.out.ingredients.push(ParsedIngredient {
            text,
            span: s..e,
            section: self.section,
            percent,
            position,
            item_id,
        });
    }

    /// Drops `[s, e)` as part of the sentence an earlier item began, keeping its cleaned name
    /// in [`ParsedList::continuing_sentence`] (or [`ParsedList::negated_sentence`]).
    fn continue_sentence(&mut self, s: usize, e: usize, reason: DropReason) {
        let negated = self.mode == Mode::Prose && self.sentence_negates;
        let (text, percent) = self.clean(s, e, Plain::Unknown);
        if !text.is_empty() {
            let item = ParsedIngredient {
                text,
                span: s..e,
                section: self.section,
                percent,
                position: 0,
                item_id: ItemId::NONE,
            };
            if negated {
                self.out.negated_sentence.push(item);
            } else {
                self.out.continuing_sentence.push(item);
            }
        }
        self.drop_text(s, e, reason);
    }

    fn drop_text(&mut self, s: usize, e: usize, reason: DropReason) {
        let (s, e) = self.trim(s, e);
        let text = self.text.get(s..e).unwrap_or_default();
        self.out.dropped.push(DroppedText {
            text,
            span: s..e,
            reason,
        });
    }

    /// Whether an item starting with a marker is a footnote rather than a marked ingredient.
    fn is_footnote(&self, s: usize, e: usize, before: Boundary) -> bool {
        if footnote_by_state(before, self.seen_footnote) {
            return true;
        }
        self.footnote_phrase(self.after_markers(s, e), e)
    }

    /// Where the footnote markers at the start of `[s, e)` end.
    fn after_markers(&self, s: usize, e: usize) -> usize {
        let mut j = s;
        while j < e && self.starts_with_marker(j) {
            j += self.char_at(j).map_or(1, char::len_utf8);
        }
        j
    }

    /// Whether the text at `j` reads like a footnote's explanation: "Organic", "Certified
    /// organic", "Ingredients from organic farming", "Of natural origin", "Essential oil".
    fn footnote_phrase(&self, j: usize, e: usize) -> bool {
        let Some(first) = self.token(j, e).filter(|t| t.kind == TokKind::Word) else {
            return self.b.get(j) == Some(&b'=');
        };
        let second = self
            .token(first.end, e)
            .filter(|t| t.kind == TokKind::Word)
            .map(|t| self.lower(t));
        let second = second.as_ref().map(Lower::as_bytes);
        match self.lower(first).as_bytes() {
            b"certified" | b"certifi\xc3\xa9" | b"organically" | b"ingredient" | b"ingredients"
            | b"from" | b"of" | b"naturally" | b"fairtrade" | b"ecocert" | b"cosmos"
            | b"wildcrafted" | b"denotes" | b"indicates" | b"biologique" | b"issu" | b"issus"
            | b"derived" => true,
            b"organic" | b"bio" => matches!(
                second,
                None | Some(
                    b"ingredient"
                        | b"ingredients"
                        | b"farming"
                        | b"agriculture"
                        | b"origin"
                        | b"certified"
                        | b"ingr\xc3\xa9dient"
                        | b"ingr\xc3\xa9dients"
                )
            ),
            b"natural" => matches!(second, Some(b"origin" | b"ingredient" | b"ingredients")),
            b"essential" => matches!(second, Some(b"oil" | b"oils")),
            b"fair" => second == Some(b"trade"),
            b"wild" => matches!(second, Some(b"harvested" | b"crafted")),
            _ => false,
        }
    }

    /// Split off retailer codes at either end of the item (`Linalool [V0606F]`). Returns the
    /// rest of the item (None if nothing is left) and the trailing code, which is recorded
    /// after the ingredient to keep the dropped list in order.
    fn strip_retailer_codes(&mut self, s: usize, e: usize) -> Option<(usize, usize, Option<Span>)> {
        let b = self.b;
        let (mut s, mut e) = (s, e);
        if b[s] == b'['
            && let Some(close) = (s + 1..e.min(s + 24)).find(|&k| b[k] == b']')
            && is_retailer_code(&b[s + 1..close])
        {
            self.drop_text(s, close + 1, DropReason::RetailerCode);
            (s, e) = self.trim(close + 1, e);
            if s >= e {
                return None;
            }
        }
        let mut trailing = None;
        if b[e - 1] == b']'
            && let Some(open) = (s.max(e.saturating_sub(24))..e - 1)
                .rev()
                .find(|&k| b[k] == b'[')
            && is_retailer_code(&b[open + 1..e - 1])
        {
            let code_end = e;
            (s, e) = self.trim(s, open);
            if s >= e {
                self.drop_text(open, code_end, DropReason::RetailerCode);
                return None;
            }
            trailing = Some((open, code_end));
        }
        Some((s, e, trailing))
    }

    /// Whether the whole item is a Drug Facts purpose ("Sunscreen", "Skin protectant").
    fn is_purpose(&self, s: usize, e: usize) -> bool {
        let mut words: [Lower; 3] = [Lower::EMPTY; 3];
        let mut n = 0;
        let mut i = s;
        while let Some(t) = self.token(i, e) {
            i = t.end;
            if t.kind != TokKind::Word {
                if self.starts_with_marker(t.start) || matches!(self.b[t.start], b'.' | b',') {
                    continue;
                }
                return false;
            }
            if n == words.len() {
                return false;
            }
            words[n] = self.lower(t);
            n += 1;
        }
        let w = |k: usize| words[k].as_bytes();
        match n {
            1 => matches!(
                w(0),
                b"sunscreen"
                    | b"antiperspirant"
                    | b"antiseptic"
                    | b"antimicrobial"
                    | b"antibacterial"
                    | b"antifungal"
                    | b"anti-acne"
                    | b"anti-itch"
                    | b"antipruritic"
                    | b"analgesic"
                    | b"anesthetic"
                    | b"astringent"
                    | b"anticavity"
                    | b"antigingivitis"
                    | b"antiplaque"
                    | b"antidandruff"
                    | b"anti-dandruff"
                    | b"counterirritant"
                    | b"protectant"
                    | b"purpose"
            ),
            2 => matches!(
                (w(0), w(1)),
                (b"skin" | b"lip", b"protectant")
                    | (b"acne", b"treatment" | b"medication")
                    | (b"external" | b"topical", b"analgesic")
                    | (b"topical", b"anesthetic")
                    | (b"skin", b"lightener")
                    | (b"first", b"aid")
            ),
            3 => matches!((w(0), w(1), w(2)), (b"first", b"aid", b"antiseptic")),
            _ => false,
        }
    }

    // -----------------------------------------------------------------------------------------
    // Cleaning
    // -----------------------------------------------------------------------------------------

    /// The cleaned name of the item `[s, e)` and its printed percentage.
    fn clean(&self, s: usize, e: usize, plain: Plain) -> (Cow<'a, str>, Option<f32>) {
        let b = self.b;
        if self.is_plain(s, e, plain) {
            return (Cow::Borrowed(self.text.get(s..e).unwrap_or_default()), None);
        }
        let mut cuts = [(0usize, 0usize); 4];
        let mut n_cuts = 0;
        let mut percent: Option<f32> = None;
        let mut depth = 0usize;
        let mut group_open = s;
        let mut i = s;
        while i < e {
            let c = b[i];
            match c {
                b'(' | b'[' | b'{' => {
                    if depth == 0 {
                        group_open = i;
                    }
                    depth += 1;
                    i += 1;
                }
                b')' | b']' | b'}' => {
                    if depth > 0 {
                        depth -= 1;
                        if depth == 0
                            && n_cuts < cuts.len()
                            && let Some(value) = self.percent_group(group_open + 1, i)
                        {
                            cuts[n_cuts] = (group_open, i + 1);
                            n_cuts += 1;
                            percent = percent.or(value);
                        }
                    }
                    i += 1;
                }
                b'0'..=b'9' | b'<' | b'>' | b'~'
                    if depth == 0
                        && n_cuts < cuts.len()
                        && (i == s || b[i - 1].is_ascii_whitespace()) =>
                {
                    if let Some((value, end)) = percent_at(b, i, e) {
                        cuts[n_cuts] = (i, end);
                        n_cuts += 1;
                        percent = percent.or(value);
                        i = end;
                    } else {
                        i += 1;
                    }
                }
                _ => i += utf8_len(c),
            }
        }

        let cuts = &cuts[..n_cuts];
        // Most names that need cleaning are still one unbroken stretch of the input (a marker
        // or a percentage at an end left out): borrow those; copy only the others.
        let mut source: Option<(usize, usize)> = None;
        let mut verbatim = true;
        self.name_chars(s, e, cuts, |from, len, spaced| match source {
            None => source = Some((from, from + len)),
            Some((start, end)) => {
                verbatim &= from == end || (spaced && from == end + 1 && b[end] == b' ');
                source = Some((start, from + len));
            }
        });
        let Some((start, end)) = source else {
            return (Cow::Borrowed(""), percent);
        };
        if verbatim {
            let name = self.text.get(start..end).unwrap_or_default();
            let keep = without_junk(name);
            return (Cow::Borrowed(name.get(keep).unwrap_or_default()), percent);
        }
        let mut out = String::with_capacity(e - s);
        self.name_chars(s, e, cuts, |from, len, spaced| {
            if spaced {
                out.push(' ');
            }
            out.push_str(self.text.get(from..from + len).unwrap_or_default());
        });
        let keep = without_junk(&out);
        out.truncate(keep.end);
        out.drain(..keep.start);
        (Cow::Owned(out), percent)
    }

    /// The characters that cleaning keeps of the item `[s, e)`, in order: `emit(start, len,
    /// spaced)` for each run of them, where `spaced` says that a single space goes before it. The `cuts`
    /// (percentages) are left out, and so are markers; whitespace runs become one space.
    fn name_chars(
        &self,
        s: usize,
        e: usize,
        cuts: &[(usize, usize)],
        mut emit: impl FnMut(usize, usize, bool),
    ) {
        let b = self.b;
        let mut pending_space = false;
        let mut started = false;
        let mut cut = 0;
        let mut i = s;
        while i < e {
            if let Some(&(cut_start, cut_end)) = cuts.get(cut)
                && i == cut_start
            {
                i = cut_end;
                cut += 1;
                pending_space = true;
                continue;
            }
            let c = b[i];
            let from = i;
            let len = if c < 0x80 {
                i += 1;
                if c.is_ascii_whitespace() || c.is_ascii_control() {
                    pending_space = true;
                    continue;
                }
                if c == b'*' {
                    continue;
                }
                // The ASCII characters kept after it, up to the next cut, as one run: emitting
                // them one by one would say the same.
                let stop = match cuts.get(cut) {
                    Some(&(cut_start, _)) if cut_start > from => cut_start.min(e),
                    _ => e,
                };
                while i < stop
                    && b[i] < 0x80
                    && b[i] != b'*'
                    && !b[i].is_ascii_whitespace()
                    && !b[i].is_ascii_control()
                {
                    i += 1;
                }
                i - from
            } else {
                let Some(ch) = self.char_at(i) else {
                    i += 1;
                    continue;
                };
                i += ch.len_utf8();
                if is_space_like(ch) {
                    pending_space = true;
                    continue;
                }
                if is_marker_char(ch) {
                    continue;
                }
                ch.len_utf8()
            };
            emit(from, len, pending_space && started);
            pending_space = false;
            started = true;
        }
    }

    /// Whether the item `[s, e)` is already clean: printable ASCII with no marker, no
    /// percentage, no doubled space, a letter or digit first and a letter, digit or bracket
    /// last. Most items are, and are then copied as they are.
    #[inline]
    fn is_plain(&self, s: usize, e: usize, plain: Plain) -> bool {
        let b = self.b;
        let (Some(&first), Some(&last)) = (b.get(s), e.checked_sub(1).and_then(|k| b.get(k)))
        else {
            return false;
        };
        if !first.is_ascii_alphanumeric()
            || !(last.is_ascii_alphanumeric() || last == b')' || last == b']')
        {
            return false;
        }
        let digits = match plain {
            Plain::No => return false,
            Plain::Bytes { digits } => digits,
            Plain::Unknown => {
                let mut prev = 0u8;
                let mut digits = false;
                for &c in &b[s..e] {
                    if BYTE_CLASS[usize::from(c)] & NOT_PLAIN != 0 || (c == b' ' && prev == b' ') {
                        return false;
                    }
                    digits |= c.is_ascii_digit();
                    prev = c;
                }
                digits
            }
        };
        !digits || !contains_ppm(&b[s..e])
    }

    /// If the group content `[a, z)` is only a percentage (`2%`, `1450 ppm`, `2% w/w`), its
    /// value (`Some(None)` for a bound such as `<1%`).
    fn percent_group(&self, a: usize, z: usize) -> Option<Option<f32>> {
        let (a, z) = self.trim(a, z);
        if a >= z {
            return None;
        }
        let (value, end) = percent_at(self.b, a, z)?;
        (end >= z).then_some(value)
    }

    // -----------------------------------------------------------------------------------------
    // Headers
    // -----------------------------------------------------------------------------------------

    /// A run of header words in `[s, e)`: with `suffix == false`, the run that starts the item
    /// (`Inactive ingredients water, …`, accepted only if it names a header); with `suffix ==
    /// true`, the run that ends it (`Division: Skincare Ingredients`). Returns the run's start
    /// and end and what it says. The headings of most labels ([`COMMON_HEADINGS`]) are told at
    /// once: either way, the run is the whole item.
    fn header_run(&self, s: usize, e: usize, suffix: bool) -> Option<(usize, usize, HeaderFlags)> {
        match common_heading(&self.b[s..e]) {
            Some(flags) => Some((s, e, flags)),
            None => self.header_run_by_words(s, e, suffix),
        }
    }

    /// [`Parser::header_run`], word by word.
    fn header_run_by_words(
        &self,
        s: usize,
        e: usize,
        suffix: bool,
    ) -> Option<(usize, usize, HeaderFlags)> {
        let mut i = s;
        let mut run: Option<(usize, usize, HeaderFlags)> = None;
        let mut whole = true;
        while let Some(t) = self.token(i, e) {
            i = t.end;
            let mut end = t.end;
            let known = run.map(|(_, _, f)| f).unwrap_or_default();
            let word: Option<HeaderWord> = match t.kind {
                TokKind::Word => match header_word(self.lower(t).as_bytes()) {
                    Some(HeaderWord::MayFirst(seconds)) => match self.token(i, e) {
                        Some(t2)
                            if t2.kind == TokKind::Word
                                && seconds.contains(&self.lower(t2).as_bytes()) =>
                        {
                            i = t2.end;
                            end = t2.end;
                            Some(HeaderWord::May)
                        }
                        _ => None,
                    },
                    other => other,
                },
                TokKind::Group => {
                    let inner_start = skip_ascii_space(self.b, t.start + 1, t.end);
                    if may_contain_marker(self.b, inner_start, t.end).is_some() {
                        Some(HeaderWord::May)
                    } else if known.any() && t.end - t.start <= 40 {
                        Some(HeaderWord::Filler)
                    } else {
                        None
                    }
                }
                TokKind::Punct => {
                    if let Some(after) = may_contain_marker(self.b, t.start, e) {
                        i = after;
                        end = after;
                        Some(HeaderWord::May)
                    } else if run.is_some() && matches!(self.b[t.start], b'/' | b'&') {
                        Some(HeaderWord::Separator)
                    } else {
                        None
                    }
                }
            };
            match word {
                Some(word) => {
                    let (start, mut run_end, mut flags) = run.unwrap_or((t.start, t.end, known));
                    flags.add(word);
                    if word != HeaderWord::Separator {
                        run_end = end;
                    }
                    run = Some((start, run_end, flags));
                }
                None if suffix => run = None,
                None => {
                    whole = false;
                    break;
                }
            }
        }
        let (start, end, flags) = run?;
        if suffix {
            return Some((start, end, flags));
        }
        let accepted =
            flags.core || flags.may || (whole && (flags.weak || flags.active || flags.inactive));
        accepted.then_some((start, end, flags))
    }

    // -----------------------------------------------------------------------------------------
    // Prose and disclaimers
    // -----------------------------------------------------------------------------------------

    /// Count the words of `[s, e)` (outside brackets) and look for prose and disclaimers. The
    /// scanner does the same while it reads each item; this is for parts of items.
    fn survey(&self, s: usize, e: usize) -> Survey {
        self.survey_words(s, e, usize::MAX)
    }

    /// [`Parser::survey`] of the first `most` words of `[s, e)` that hold a letter.
    fn survey_words(&self, s: usize, e: usize, most: usize) -> Survey {
        let b = self.b;
        let mut survey = Survey::NEW;
        let mut depth = 0usize;
        let mut word_start = NO_WORD;
        let mut i = s;
        while i < e && survey.words < most {
            let c = b[i];
            if depth > 0 {
                match c {
                    b'(' | b'[' | b'{' => depth += 1,
                    b')' | b']' | b'}' => depth -= 1,
                    _ => {}
                }
                i += 1;
                continue;
            }
            let space = if c >= 0xC2 { space_len(b, i) } else { 0 };
            if BYTE_CLASS[usize::from(c)] & WORD != 0 && space == 0 {
                if word_start == NO_WORD {
                    word_start = i;
                }
                i += 1;
                continue;
            }
            if word_start != NO_WORD {
                survey_word(b, &mut survey, word_start, i);
                word_start = NO_WORD;
            }
            if matches!(c, b'(' | b'[' | b'{') {
                depth = 1;
            }
            i += space.max(1);
        }
        if word_start != NO_WORD && survey.words < most {
            survey_word(b, &mut survey, word_start, e);
        }
        survey
    }

    // -----------------------------------------------------------------------------------------
    // Low-level helpers
    // -----------------------------------------------------------------------------------------

    fn char_at(&self, i: usize) -> Option<char> {
        self.text.get(i..).and_then(|rest| rest.chars().next())
    }

    #[inline]
    fn starts_with_marker(&self, i: usize) -> bool {
        match self.b.get(i) {
            Some(b'*') => true,
            Some(&c) if c >= 0x80 => self.char_at(i).is_some_and(is_footnote_marker),
            _ => false,
        }
    }

    /// `[s, e)` without surrounding whitespace, control and zero-width characters.
    #[inline]
    fn trim(&self, s: usize, e: usize) -> (usize, usize) {
        // The usual item: ASCII spaces before it (after a comma), an ASCII letter, digit or
        // bracket at each end.
        let b = self.b;
        let e = e.min(b.len());
        let mut s = s;
        while s < e && b[s] == b' ' {
            s += 1;
        }
        if s == e {
            // Nothing but spaces (the empty item after a list's closing full stop).
            return (s, e);
        }
        let visible = |c: u8| c < 0x80 && BYTE_CLASS[usize::from(c)] & SPACE == 0;
        if s < e && visible(b[s]) && visible(b[e - 1]) {
            return (s, e);
        }
        self.trim_slow(s, e)
    }

    /// [`Parser::trim`] for any text.
    #[inline(never)]
    fn trim_slow(&self, s: usize, e: usize) -> (usize, usize) {
        let b = self.b;
        let (mut s, mut e) = (s, e.min(b.len()));
        while s < e {
            let c = b[s];
            if c < 0x80 {
                if BYTE_CLASS[usize::from(c)] & SPACE == 0 {
                    break;
                }
                s += 1;
            } else {
                match space_len(b, s) {
                    0 => break,
                    len => s += len,
                }
            }
        }
        while s < e {
            let c = b[e - 1];
            if c < 0x80 {
                if BYTE_CLASS[usize::from(c)] & SPACE == 0 {
                    break;
                }
                e -= 1;
            } else {
                // Step back to the first byte of the last character.
                let mut k = e - 1;
                while k > s && b[k] & 0xC0 == 0x80 {
                    k -= 1;
                }
                if space_len(b, k) != e - k {
                    break;
                }
                e = k;
            }
        }
        (s, e.max(s))
    }

    /// The next token at or after `i` (before `e`), skipping whitespace.
    fn token(&self, i: usize, e: usize) -> Option<Tok> {
        let b = self.b;
        let mut i = i;
        while i < e {
            let c = b[i];
            if c < 0x80 {
                if c.is_ascii_whitespace() || c.is_ascii_control() {
                    i += 1;
                    continue;
                }
                break;
            }
            match self.char_at(i) {
                Some(ch) if is_space_like(ch) => i += ch.len_utf8(),
                Some(_) => break,
                None => i += 1,
            }
        }
        if i >= e {
            return None;
        }
        let c = b[i];
        if matches!(c, b'(' | b'[' | b'{') {
            let mut depth = 0usize;
            let mut j = i;
            while j < e {
                match b[j] {
                    b'(' | b'[' | b'{' => depth += 1,
                    b')' | b']' | b'}' => {
                        depth = depth.saturating_sub(1);
                        if depth == 0 {
                            return Some(Tok {
                                kind: TokKind::Group,
                                start: i,
                                end: j + 1,
                            });
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            return Some(Tok {
                kind: TokKind::Group,
                start: i,
                end: e,
            });
        }
        let word_len = |j: usize| -> usize {
            match b.get(j) {
                Some(c) if c.is_ascii_alphanumeric() => 1,
                Some(&c) if c >= 0x80 => match self.char_at(j) {
                    Some(ch) if ch.is_alphanumeric() => ch.len_utf8(),
                    _ => 0,
                },
                _ => 0,
            }
        };
        let first = word_len(i);
        if first == 0 {
            let len = self.char_at(i).map_or(1, char::len_utf8);
            return Some(Tok {
                kind: TokKind::Punct,
                start: i,
                end: (i + len).min(e),
            });
        }
        let mut j = i + first;
        while j < e {
            let len = word_len(j);
            if len > 0 {
                j += len;
            } else if matches!(b[j], b'-' | b'\'') && j + 1 < e && word_len(j + 1) > 0 {
                j += 1;
            } else {
                break;
            }
        }
        Some(Tok {
            kind: TokKind::Word,
            start: i,
            end: j.min(e),
        })
    }

    /// The lower-cased text of a word token.
    fn lower(&self, t: Tok) -> Lower {
        lower(&self.b[t.start..t.end])
    }
}

// ---------------------------------------------------------------------------------------------
// Tokens and vocabulary
// ---------------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TokKind {
    /// Letters and digits, with inner `-` and `'` (`Alpha-Isomethyl`, `non-medicinal`).
    Word,
    /// A bracket group, brackets included (to the item's end when unclosed).
    Group,
    /// Any other single character.
    Punct,
}

#[derive(Debug, Clone, Copy)]
struct Tok {
    kind: TokKind,
    start: usize,
    end: usize,
}

/// A short word, lower-cased, in a fixed buffer (no allocation).
#[derive(Clone, Copy)]
struct Lower {
    buf: [u8; 24],
    len: usize,
    too_long: bool,
}

impl Lower {
    const EMPTY: Lower = Lower {
        buf: [0; 24],
        len: 0,
        too_long: false,
    };

    fn as_bytes(&self) -> &[u8] {
        if self.too_long {
            return b"";
        }
        self.buf.get(..self.len).unwrap_or_default()
    }
}

/// A word lower-cased (ASCII and Latin-1 capitals), in a fixed buffer (no allocation).
fn lower(word: &[u8]) -> Lower {
    let mut lower = Lower::EMPTY;
    if word.len() > lower.buf.len() {
        lower.too_long = true;
        return lower;
    }
    let mut k = 0;
    while k < word.len() {
        let c = word[k];
        // Latin-1 capitals À..Þ (except ×) are C3 80..9E; their small letters are +0x20.
        if c == 0xC3
            && let Some(&next) = word.get(k + 1)
            && (0x80..=0x9E).contains(&next)
            && next != 0x97
        {
            lower.buf[k] = c;
            lower.buf[k + 1] = next + 0x20;
            k += 2;
            continue;
        }
        lower.buf[k] = c.to_ascii_lowercase();
        k += 1;
    }
    lower.len = word.len();
    lower
}

/// What a word says in a header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum HeaderWord {
    /// "Ingredients", "INCI", "Composition" …
    Core,
    Active,
    Inactive,
    /// "May contain", "+/-", "Peut contenir" …
    May,
    /// The first word of a two-word "may contain" phrase, with the words that may follow it.
    MayFirst(&'static [&'static [u8]]),
    /// "Purpose", "Drug Facts": a header only when alone.
    Weak,
    /// "list", "full", "of", "(in each gram)".
    Filler,
    /// `/` or `&` between header words.
    Separator,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct HeaderFlags {
    core: bool,
    active: bool,
    inactive: bool,
    may: bool,
    weak: bool,
    filler: bool,
}

impl HeaderFlags {
    const NONE: HeaderFlags = HeaderFlags {
        core: false,
        active: false,
        inactive: false,
        may: false,
        weak: false,
        filler: false,
    };
    /// "Ingredients".
    const CORE: HeaderFlags = HeaderFlags {
        core: true,
        ..HeaderFlags::NONE
    };
    /// "May contain".
    const MAY: HeaderFlags = HeaderFlags {
        may: true,
        ..HeaderFlags::NONE
    };
    /// "Inactive ingredients".
    const INACTIVE: HeaderFlags = HeaderFlags {
        inactive: true,
        core: true,
        ..HeaderFlags::NONE
    };
    /// "Active ingredients".
    const ACTIVE: HeaderFlags = HeaderFlags {
        active: true,
        core: true,
        ..HeaderFlags::NONE
    };

    fn add(&mut self, word: HeaderWord) {
        match word {
            HeaderWord::Core => self.core = true,
            HeaderWord::Active => self.active = true,
            HeaderWord::Inactive => self.inactive = true,
            HeaderWord::May | HeaderWord::MayFirst(_) => self.may = true,
            HeaderWord::Weak => self.weak = true,
            HeaderWord::Filler | HeaderWord::Separator => self.filler = true,
        }
    }

    fn any(self) -> bool {
        self.core || self.active || self.inactive || self.may || self.weak || self.filler
    }

    fn accepted_before_colon(self) -> bool {
        self.core || self.active || self.inactive || self.may || self.weak
    }

    /// The section a header switches to (None: keep the current one).
    fn section(self) -> Option<Section> {
        if self.may {
            Some(Section::MayContain)
        } else if self.inactive {
            Some(Section::Inactive)
        } else if self.active {
            Some(Section::Active)
        } else if self.core {
            Some(Section::Main)
        } else {
            None
        }
    }
}

/// Header vocabulary (lower-cased). `ingrédients`, `ingrediënten`, `composición` and `può`
/// are spelled in UTF-8 bytes.
const HEADER_CORE: &[&[u8]] = &[
    b"ingredients",
    b"ingredient",
    b"ingr\xc3\xa9dients",
    b"ingr\xc3\xa9dient",
    b"ingredientes",
    b"ingrediente",
    b"ingredienti",
    b"ingredi\xc3\xabnten",
    b"ingredienser",
    b"zutaten",
    b"inhaltsstoffe",
    b"bestandteile",
    b"inci",
    b"ctfa",
    b"composition",
    b"composici\xc3\xb3n",
    b"composizione",
];
const HEADER_ACTIVE: &[&[u8]] = &[b"active", b"actives", b"medicinal", b"activos", b"actifs"];
const HEADER_INACTIVE: &[&[u8]] = &[
    b"inactive",
    b"other",
    b"non-medicinal",
    b"nonmedicinal",
    b"inactivos",
    b"excipients",
];
const HEADER_FILLER: &[&[u8]] = &[
    b"list",
    b"lists",
    b"full",
    b"complete",
    b"of",
    b"and",
    b"label",
];
const HEADER_WEAK: &[&[u8]] = &[b"purpose", b"purposes", b"drug", b"facts", b"continued"];
/// "May contain" in several languages: first word, then the words that may follow it.
const HEADER_MAY: &[(&[u8], &[&[u8]])] = &[
    (b"may", &[b"contain", b"contains"]),
    (b"peut", &[b"contenir"]),
    (b"puede", &[b"contener"]),
    (b"kann", &[b"enthalten"]),
    (b"pode", &[b"conter"]),
    (b"pu\xc3\xb2", &[b"contenere"]),
    (b"puo", &[b"contenere"]),
];

fn header_word(word: &[u8]) -> Option<HeaderWord> {
    if HEADER_CORE.contains(&word) {
        Some(HeaderWord::Core)
    } else if HEADER_ACTIVE.contains(&word) {
        Some(HeaderWord::Active)
    } else if HEADER_INACTIVE.contains(&word) {
        Some(HeaderWord::Inactive)
    } else if HEADER_FILLER.contains(&word) {
        Some(HeaderWord::Filler)
    } else if HEADER_WEAK.contains(&word) {
        Some(HeaderWord::Weak)
    } else {
        HEADER_MAY
            .iter()
            .find(|(first, _)| *first == word)
            .map(|(_, seconds)| HeaderWord::MayFirst(seconds))
    }
}

/// The headings printed on most labels, told at once (ASCII case ignored) by
/// [`is_header_phrase`] and [`Parser::header_run`], with what the word-by-word reading of
/// `header_run` finds in each: its tests check that it says the same.
const COMMON_HEADINGS: [(&[u8], HeaderFlags); 6] = [
    (b"ingredients", HeaderFlags::CORE),
    (b"ingredient", HeaderFlags::CORE),
    (b"may contain (+/-)", HeaderFlags::MAY),
    (b"may contain", HeaderFlags::MAY),
    (b"inactive ingredients", HeaderFlags::INACTIVE),
    (b"active ingredients", HeaderFlags::ACTIVE),
];

/// What [`Parser::header_run`] finds in `text`, when it is one of the [`COMMON_HEADINGS`]: a run
/// of header words that is the whole text, whether the run is looked for at its start or its
/// end.
fn common_heading(text: &[u8]) -> Option<HeaderFlags> {
    COMMON_HEADINGS
        .iter()
        .find(|(heading, _)| text.eq_ignore_ascii_case(heading))
        .map(|&(_, flags)| flags)
}

/// Whether `text` is made of heading words only ("Ingredients", "Inactive ingredients", "May
/// contain (+/-)"): a heading that can name no ingredient, unlike a label such as
/// "Retinol: 0.5%".
pub fn is_header_phrase(text: &[u8]) -> bool {
    common_heading(text).is_some() || is_header_phrase_by_words(text)
}

/// [`is_header_phrase`], word by word.
fn is_header_phrase_by_words(text: &[u8]) -> bool {
    let mut words = text
        .split(|c| c.is_ascii() && !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(lower)
        .peekable();
    words.peek().is_some()
        && words.all(|word| {
            let word = word.as_bytes();
            header_word(word).is_some()
                || HEADER_MAY
                    .iter()
                    .any(|(_, seconds)| seconds.contains(&word))
        })
}

/// What [`Parser::survey`] found in an item.
#[derive(Debug, Clone, Copy)]
struct Survey {
    /// Words containing a letter, outside brackets.
    words: usize,
    /// Of those, English function words ("the", "your", "with" …).
    function_words: usize,
    /// Words after the first that start with a lower-case letter.
    lowercase_words: usize,
    /// The first word is capitalised ("This", not "THIS" or "this").
    first_capitalised: bool,
    /// The first word can start a header ("Ingredients", "Inactive", "May" …).
    first_is_header_word: bool,
    /// The item opens like prose ("Directions", "Free from", "Apply", "…-free").
    starter: bool,
    /// Where a disclaimer starts, if one does.
    disclaimer: Option<usize>,
    /// Vocabulary candidates among the words, as (start, end, [`VOCABULARY`] flags): the first
    /// word, and the last two words read (None where that word was not a candidate).
    first_word: Option<(usize, usize, u8)>,
    prev: Option<(usize, usize, u8)>,
    prev2: Option<(usize, usize, u8)>,
}

impl Survey {
    const NEW: Survey = Survey {
        words: 0,
        function_words: 0,
        lowercase_words: 0,
        first_capitalised: false,
        first_is_header_word: false,
        starter: false,
        disclaimer: None,
        first_word: None,
        prev: None,
        prev2: None,
    };

    /// What [`Parser::core`] needs of the survey (four flags, not the survey).
    fn outline(&self) -> Outline {
        Outline {
            first_is_header_word: self.first_is_header_word,
            prose: self.is_prose(),
            one_word: self.words == 1,
            name_like: self.function_words == 0 && self.lowercase_words == 0 && !self.is_prose(),
        }
    }

    fn is_prose(&self) -> bool {
        self.starter
            || (self.words >= 4 && self.function_words >= 2)
            || (self.words >= 5
                && self.first_capitalised
                && self.lowercase_words + 1 >= self.words
                && self.function_words >= 1)
    }
}

/// The outcome of a [`Survey`] for one item.
#[derive(Debug, Clone, Copy)]
struct Outline {
    /// See [`Survey::first_is_header_word`].
    first_is_header_word: bool,
    /// See [`Survey::is_prose`].
    prose: bool,
    /// The item is a single word.
    one_word: bool,
    /// The item reads like a printed name: no function word, no word after the first in lower
    /// case, not prose.
    name_like: bool,
}

/// A list of lower-cased words.
type Words = &'static [&'static [u8]];

/// English function words: two or more in an item of four words or more make it prose.
const FUNCTION_WORDS: &[&[u8]] = &[
    b"a", b"an", b"the", b"and", b"or", b"of", b"to", b"for", b"with", b"without", b"in", b"on",
    b"at", b"by", b"from", b"into", b"your", b"you", b"our", b"we", b"us", b"it", b"its", b"is",
    b"are", b"was", b"be", b"been", b"this", b"that", b"these", b"those", b"if", b"not", b"no",
    b"do", b"does", b"may", b"can", b"will", b"should", b"after", b"before", b"every", b"each",
    b"all", b"any", b"as", b"than", b"more", b"most", b"very", b"only", b"also", b"so", b"when",
    b"until", b"please",
];

/// First words that make an item prose: Drug Facts sections, directions, claims.
const PROSE_FIRST_WORDS: &[&[u8]] = &[
    b"uses",
    b"use",
    b"directions",
    b"direction",
    b"warnings",
    b"warning",
    b"caution",
    b"cautions",
    b"questions",
    b"indications",
    b"description",
    b"benefits",
    b"apply",
    b"reapply",
    b"wear",
    b"limit",
    b"avoid",
    b"rinse",
    b"store",
    b"storage",
    b"shake",
    b"massage",
    b"discontinue",
    b"consult",
    b"children",
    b"vegan",
    b"cruelty-free",
    b"dermatologically",
    b"clinically",
    b"ophthalmologist-tested",
    b"dermatologist-tested",
    b"formulated",
    b"this",
    b"our",
    b"your",
    b"we",
];

/// Two-word openings that make an item prose ("Do not", "Keep out", "Free from").
const PROSE_PAIRS: &[(&[u8], &[&[u8]])] = &[
    (b"how", &[b"to"]),
    (b"do", &[b"not"]),
    (b"stop", &[b"use"]),
    (b"ask", &[b"a", b"doctor"]),
    (b"keep", &[b"out", b"away"]),
    (
        b"for",
        &[b"external", b"use", b"best", b"all", b"sensitive"],
    ),
    (b"when", &[b"using"]),
    (b"other", &[b"information"]),
    (b"free", &[b"from", b"of"]),
    (b"made", &[b"in", b"with", b"without"]),
    (b"suitable", &[b"for"]),
    (b"not", &[b"tested"]),
    (b"contains", &[b"no"]),
    (b"protect", &[b"from", b"this"]),
];

/// Two-word openings of a disclaimer ("please note", "may change", "subject to").
const DISCLAIMER_PAIRS: &[(Words, Words)] = &[
    (
        &[b"please"],
        &[
            b"be", b"note", b"refer", b"read", b"check", b"see", b"consult", b"always", b"verify",
        ],
    ),
    (
        &[b"may", b"can", b"might", b"could"],
        &[b"change", b"vary", b"differ"],
    ),
    (&[b"refer", b"subject"], &[b"to"]),
    (
        &[b"formula", b"formulas", b"formulation", b"formulations"],
        &[b"may", b"can", b"change", b"changes", b"vary"],
    ),
];

/// Three-word openings of a disclaimer ("for the most…", "check the packaging").
const DISCLAIMER_TRIPLES: &[(Words, Words, Words)] = &[
    (
        &[b"for"],
        &[b"the"],
        &[b"most", b"latest", b"complete", b"current"],
    ),
    (
        &[b"check"],
        &[b"the", b"product", b"your"],
        &[
            b"packaging",
            b"package",
            b"pack",
            b"label",
            b"product",
            b"box",
        ],
    ),
];

/// The longest word the signatures cover.
const SIGNATURE_MAX_LEN: usize = 24;

/// For each word length and first letter, the set of last letters (`a`–`z` are 0–25,
/// anything else 26) of every word in the vocabulary tables above. A word whose signature
/// is absent cannot be in the vocabulary, which rejects most INCI words in a few
/// instructions before any lower-casing or comparison.
static SURVEY_SIGNATURES: [[u32; 27]; SIGNATURE_MAX_LEN + 1] = {
    let mut table = [[0u32; 27]; SIGNATURE_MAX_LEN + 1];
    table = sign_words(table, FUNCTION_WORDS);
    table = sign_words(table, PROSE_FIRST_WORDS);
    let mut k = 0;
    while k < PROSE_PAIRS.len() {
        table = sign_words(table, &[PROSE_PAIRS[k].0]);
        table = sign_words(table, PROSE_PAIRS[k].1);
        k += 1;
    }
    let mut k = 0;
    while k < DISCLAIMER_PAIRS.len() {
        table = sign_words(table, DISCLAIMER_PAIRS[k].0);
        table = sign_words(table, DISCLAIMER_PAIRS[k].1);
        k += 1;
    }
    let mut k = 0;
    while k < DISCLAIMER_TRIPLES.len() {
        table = sign_words(table, DISCLAIMER_TRIPLES[k].0);
        table = sign_words(table, DISCLAIMER_TRIPLES[k].1);
        table = sign_words(table, DISCLAIMER_TRIPLES[k].2);
        k += 1;
    }
    table = sign_words(table, HEADER_CORE);
    table = sign_words(table, HEADER_ACTIVE);
    table = sign_words(table, HEADER_INACTIVE);
    table = sign_words(table, HEADER_FILLER);
    table = sign_words(table, HEADER_WEAK);
    let mut k = 0;
    while k < HEADER_MAY.len() {
        table = sign_words(table, &[HEADER_MAY[k].0]);
        k += 1;
    }
    table
};

const fn letter_class(c: u8) -> usize {
    if c.is_ascii_alphabetic() {
        (c.to_ascii_lowercase() - b'a') as usize
    } else {
        26
    }
}

const fn sign_words(
    mut table: [[u32; 27]; SIGNATURE_MAX_LEN + 1],
    words: &[&[u8]],
) -> [[u32; 27]; SIGNATURE_MAX_LEN + 1] {
    let mut k = 0;
    while k < words.len() {
        let word = words[k];
        if !word.is_empty() && word.len() <= SIGNATURE_MAX_LEN {
            table[word.len()][letter_class(word[0])] |= 1 << letter_class(word[word.len() - 1]);
        }
        k += 1;
    }
    table
}

/// The openings of a claim of absence, as (first words, second words; empty: any second
/// word): "No parabens", "Free from …", "Contains no …", "Does not contain …", "Formulated
/// without …" ("doesn't" splits into "doesn" and "t"; "0%" into "0").
const NEGATION_OPENINGS: &[(Words, Words)] = &[
    (&[b"no", b"without", b"excludes", b"0"], &[]),
    (&[b"free"], &[b"from", b"of"]),
    (&[b"contains"], &[b"no", b"0"]),
    (&[b"does", b"doesn"], &[b"not", b"t"]),
    (
        &[b"formulated", b"made", b"crafted", b"developed", b"created"],
        &[b"without"],
    ),
];

/// Whether prose opens by saying what the product is without (`NEGATION_OPENINGS`). Only
/// the opening counts: "Apply without rubbing" is a direction, not a claim.
pub fn opens_with_negation(prose: &[u8]) -> bool {
    let mut words = prose
        .split(|c| !c.is_ascii_alphanumeric() && *c != b'-')
        .filter(|w| !w.is_empty())
        .map(lower);
    let (first, second) = (words.next(), words.next());
    let second = second.as_ref().map_or(&b""[..], Lower::as_bytes);
    first.is_some_and(|first| {
        NEGATION_OPENINGS.iter().any(|(firsts, seconds)| {
            firsts.contains(&first.as_bytes()) && (seconds.is_empty() || seconds.contains(&second))
        })
    })
}

/// Whether `text` ends in the word "free" ("Fragrance Free", "Fragrance-Free"): a claim of
/// what the product is without, which names nothing the product holds.
pub fn is_free_claim(text: &[u8]) -> bool {
    text.len() > 5
        && text[text.len() - 4..].eq_ignore_ascii_case(b"free")
        && matches!(text[text.len() - 5], b' ' | b'-')
}

/// The most words of a claim written "X Free" ("Sulfate And Paraben Free").
const FREE_CLAIM_WORDS: usize = 4;

/// Whether `item` (of `words` words) is a claim of two to four words ending in "free":
/// "Paraben Free", "Cruelty Free". No INCI name ends in the word "free".
fn is_spaced_free_claim(item: &[u8], words: usize) -> bool {
    (2..=FREE_CLAIM_WORDS).contains(&words) && is_free_claim(item)
}

/// Whether `word` is a claim that stands alone in a list: "Vegan", "…-free" (a single word
/// can only end in "-free", not " free").
fn is_claim_word(word: &[u8]) -> bool {
    word.eq_ignore_ascii_case(b"vegan") || is_free_claim(word)
}

/// Whether `word` (as printed) may be in the vocabulary.
fn may_be_survey_word(word: &[u8]) -> bool {
    match (word.first(), word.last()) {
        (Some(&first), Some(&last)) if word.len() <= SIGNATURE_MAX_LEN => {
            SURVEY_SIGNATURES[word.len()][letter_class(first)] & (1 << letter_class(last)) != 0
        }
        _ => false,
    }
}

/// Add the word `[start, end)` of `b` to `survey`.
#[inline(always)]
fn survey_word(b: &[u8], survey: &mut Survey, start: usize, end: usize) {
    // Fast path for the usual INCI word: starts with a letter, ends with a letter or digit,
    // and cannot be in the vocabulary.
    if let (Some(&first), Some(&last)) = (b.get(start), end.checked_sub(1).and_then(|k| b.get(k)))
        && first.is_ascii_alphabetic()
        && last.is_ascii_alphanumeric()
        && !may_be_survey_word(&b[start..end])
    {
        count_word(survey, &b[start..end]);
        survey.prev2 = survey.prev;
        survey.prev = None;
        return;
    }
    survey_word_slow(b, survey, start, end);
}

/// Counts the word `word` (not empty) in `survey`: the shape of the item's first word, and
/// whether a later one starts in lower case. Both paths of [`survey_word`] count with it.
#[inline(always)]
fn count_word(survey: &mut Survey, word: &[u8]) {
    let Some((&first, rest)) = word.split_first() else {
        return;
    };
    if survey.words == 0 {
        survey.first_capitalised =
            first.is_ascii_uppercase() && rest.iter().any(u8::is_ascii_lowercase);
        survey.starter = is_free_claim(word);
    } else {
        survey.lowercase_words += usize::from(first.is_ascii_lowercase());
    }
    survey.words += 1;
}

#[inline(never)]
fn survey_word_slow(b: &[u8], survey: &mut Survey, start: usize, end: usize) {
    let (mut start, mut end) = (start, end);
    while start < end && matches!(b[start], b'-' | b'\'') {
        start += 1;
    }
    while end > start && matches!(b[end - 1], b'-' | b'\'') {
        end -= 1;
    }
    let word = &b[start..end];
    let Some(&first) = word.first() else {
        return;
    };
    if BYTE_CLASS[usize::from(first)] & WORD_LETTER == 0
        && !word
            .iter()
            .any(|&c| BYTE_CLASS[usize::from(c)] & WORD_LETTER != 0)
    {
        return;
    }
    count_word(survey, word);
    if !may_be_survey_word(word) {
        survey.prev2 = survey.prev;
        survey.prev = None;
        return;
    }
    let lowered = lower(word);
    let w = lowered.as_bytes();
    let flags = vocabulary_flags(w);
    if flags & FUNCTION_WORD != 0 {
        survey.function_words += 1;
    }
    if survey.words == 1 {
        survey.starter |= flags & PROSE_FIRST != 0;
        survey.first_is_header_word = flags & HEADER != 0;
        survey.first_word = Some((start, end, flags));
    } else if survey.words == 2
        && let Some((a, z, first_flags)) = survey.first_word
        && first_flags & PROSE_PAIR_FIRST != 0
    {
        survey.starter |= prose_starter(lower(&b[a..z]).as_bytes(), Some(w));
    }
    if survey.disclaimer.is_none()
        && let Some((a1, z1, flags1)) = survey.prev
        && (flags1 & DISCLAIMER2_FIRST != 0
            || survey
                .prev2
                .is_some_and(|(_, _, flags2)| flags2 & DISCLAIMER3_FIRST != 0))
    {
        let w1 = lower(&b[a1..z1]);
        if let Some((a2, z2, flags2)) = survey.prev2
            && flags2 & DISCLAIMER3_FIRST != 0
            && disclaimer3(lower(&b[a2..z2]).as_bytes(), w1.as_bytes(), w)
        {
            survey.disclaimer = Some(a2);
        } else if flags1 & DISCLAIMER2_FIRST != 0 && disclaimer2(w1.as_bytes(), w) {
            survey.disclaimer = Some(a1);
        }
    }
    survey.prev2 = survey.prev;
    survey.prev = Some((start, end, flags));
}

/// [`VOCABULARY`] flag: an English function word ([`FUNCTION_WORDS`]).
const FUNCTION_WORD: u8 = 1;
/// [`VOCABULARY`] flag: a first word that makes an item prose ([`PROSE_FIRST_WORDS`]).
const PROSE_FIRST: u8 = 2;
/// [`VOCABULARY`] flag: the first word of a [`PROSE_PAIRS`] entry.
const PROSE_PAIR_FIRST: u8 = 4;
/// [`VOCABULARY`] flag: a header word ([`header_word`] knows it).
const HEADER: u8 = 8;
/// [`VOCABULARY`] flag: a first word of a [`DISCLAIMER_PAIRS`] entry.
const DISCLAIMER2_FIRST: u8 = 16;
/// [`VOCABULARY`] flag: a first word of a [`DISCLAIMER_TRIPLES`] entry.
const DISCLAIMER3_FIRST: u8 = 32;

/// Slots of [`VOCABULARY`] (a power of two, well above the number of words).
const VOCABULARY_SLOTS: usize = 512;

/// Every word of the vocabulary tables above with what it can be (the flags above), as an
/// open-addressing hash table built at compile time: one look-up per candidate word instead of
/// a pass over each table. Words that only follow another word are not in it; the pairs and
/// triples are checked in their tables once the first word is known to start one.
static VOCABULARY: [(&[u8], u8); VOCABULARY_SLOTS] = {
    let mut table: [(&[u8], u8); VOCABULARY_SLOTS] = [(b"", 0); VOCABULARY_SLOTS];
    table = vocabulary_add(table, FUNCTION_WORDS, FUNCTION_WORD);
    table = vocabulary_add(table, PROSE_FIRST_WORDS, PROSE_FIRST);
    let mut k = 0;
    while k < PROSE_PAIRS.len() {
        table = vocabulary_add(table, &[PROSE_PAIRS[k].0], PROSE_PAIR_FIRST);
        k += 1;
    }
    table = vocabulary_add(table, HEADER_CORE, HEADER);
    table = vocabulary_add(table, HEADER_ACTIVE, HEADER);
    table = vocabulary_add(table, HEADER_INACTIVE, HEADER);
    table = vocabulary_add(table, HEADER_FILLER, HEADER);
    table = vocabulary_add(table, HEADER_WEAK, HEADER);
    let mut k = 0;
    while k < HEADER_MAY.len() {
        table = vocabulary_add(table, &[HEADER_MAY[k].0], HEADER);
        k += 1;
    }
    let mut k = 0;
    while k < DISCLAIMER_PAIRS.len() {
        table = vocabulary_add(table, DISCLAIMER_PAIRS[k].0, DISCLAIMER2_FIRST);
        k += 1;
    }
    let mut k = 0;
    while k < DISCLAIMER_TRIPLES.len() {
        table = vocabulary_add(table, DISCLAIMER_TRIPLES[k].0, DISCLAIMER3_FIRST);
        k += 1;
    }
    table
};

/// FNV-1a, the hash of [`VOCABULARY`].
const fn vocabulary_hash(word: &[u8]) -> usize {
    let mut hash: u32 = 0x811C_9DC5;
    let mut k = 0;
    while k < word.len() {
        hash ^= word[k] as u32;
        hash = hash.wrapping_mul(0x0100_0193);
        k += 1;
    }
    hash as usize
}

const fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut k = 0;
    while k < a.len() {
        if a[k] != b[k] {
            return false;
        }
        k += 1;
    }
    true
}

const fn vocabulary_add(
    mut table: [(&'static [u8], u8); VOCABULARY_SLOTS],
    words: &[&'static [u8]],
    flag: u8,
) -> [(&'static [u8], u8); VOCABULARY_SLOTS] {
    let mut k = 0;
    while k < words.len() {
        let word = words[k];
        let mut slot = vocabulary_hash(word) % VOCABULARY_SLOTS;
        loop {
            if table[slot].0.is_empty() {
                table[slot] = (word, flag);
                break;
            }
            if same_bytes(table[slot].0, word) {
                table[slot].1 |= flag;
                break;
            }
            slot = (slot + 1) % VOCABULARY_SLOTS;
        }
        k += 1;
    }
    table
}

/// What a lower-cased word can be in the vocabulary (0: nothing).
fn vocabulary_flags(word: &[u8]) -> u8 {
    if word.is_empty() {
        return 0;
    }
    let mut slot = vocabulary_hash(word) % VOCABULARY_SLOTS;
    loop {
        let (entry, flags) = VOCABULARY[slot];
        if entry.is_empty() {
            return 0;
        }
        if entry == word {
            return flags;
        }
        slot = (slot + 1) % VOCABULARY_SLOTS;
    }
}

/// Whether an item opening with `first` (and `second`) is prose.
fn prose_starter(first: &[u8], second: Option<&[u8]>) -> bool {
    PROSE_FIRST_WORDS.contains(&first)
        || second.is_some_and(|second| {
            PROSE_PAIRS
                .iter()
                .any(|(a, b)| *a == first && b.contains(&second))
        })
}

/// Whether a disclaimer starts with the words `w1 w2`.
fn disclaimer2(w1: &[u8], w2: &[u8]) -> bool {
    DISCLAIMER_PAIRS
        .iter()
        .any(|(a, b)| a.contains(&w1) && b.contains(&w2))
}

/// Whether a disclaimer starts with the words `w1 w2 w3`.
fn disclaimer3(w1: &[u8], w2: &[u8], w3: &[u8]) -> bool {
    DISCLAIMER_TRIPLES
        .iter()
        .any(|(a, b, c)| a.contains(&w1) && b.contains(&w2) && c.contains(&w3))
}

/// Abbreviations whose full stop does not end an item (`Alcohol Denat.`, `Ext. Violet 2`,
/// `St. Paul's Wort`, `Rosa canina var.`, `D&C Red No. 6`).
fn is_abbreviation(word: &[u8]) -> bool {
    const WORDS: [u64; 16] = [
        packed(b"denat"),
        packed(b"ext"),
        packed(b"st"),
        packed(b"sp"),
        packed(b"spp"),
        packed(b"ssp"),
        packed(b"subsp"),
        packed(b"var"),
        packed(b"cv"),
        packed(b"no"),
        packed(b"nr"),
        packed(b"fl"),
        packed(b"approx"),
        packed(b"incl"),
        packed(b"vol"),
        packed(b"aq"),
    ];
    /// A word of at most seven bytes, lower-cased, as one number: its bytes and its length.
    const fn packed(word: &[u8]) -> u64 {
        let mut x = (word.len() as u64) << 56;
        let mut i = 0;
        while i < word.len() {
            x |= (word[i].to_ascii_lowercase() as u64) << (8 * i);
            i += 1;
        }
        x
    }
    // One comparison of numbers per word instead of one of bytes: this runs at every full stop
    // after a letter.
    (1..=7).contains(&word.len()) && WORDS.contains(&packed(word))
}

/// Whether `item` contains `ppm` in any case (a byte loop: this runs on every item with a
/// digit).
fn contains_ppm(item: &[u8]) -> bool {
    // Horspool's search: look at the last byte of each three-byte window; unless it is a `p`
    // or an `m`, no occurrence can overlap it, so the window moves on by three.
    let mut k = 2;
    while let Some(&c) = item.get(k) {
        // `c | 0x20` is `m` for `m` and `M` only, `p` for `p` and `P` only.
        match c | 0x20 {
            b'm' if item[k - 1] | 0x20 == b'p' && item[k - 2] | 0x20 == b'p' => return true,
            b'p' => k += 1,
            _ => k += 3,
        }
    }
    false
}

/// A short chemical locant or Greek-letter prefix (`1`, `2`, `N`, `4A`, `Alpha`, `Trans`).
fn is_locant(run: &[u8]) -> bool {
    const WORDS: [&[u8]; 6] = [b"alpha", b"beta", b"gamma", b"delta", b"trans", b"cis"];
    !run.is_empty()
        && (run.len() <= 2
            || run.iter().all(u8::is_ascii_digit)
            || WORDS.iter().any(|w| w.eq_ignore_ascii_case(run)))
}

/// A retailer code: 3 to 20 upper-case letters, digits and hyphens, with a letter and a digit
/// (`V0606F`, `ILN38237`).
fn is_retailer_code(code: &[u8]) -> bool {
    (3..=20).contains(&code.len())
        && code
            .iter()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == b'-')
        && code.iter().any(u8::is_ascii_digit)
        && code.iter().any(u8::is_ascii_uppercase)
}

/// A number with a unit of concentration at `i` (`20%`, `9.60 %`, `9,6%`, `1450 ppm`,
/// `<1%`, `2% w/w`). Returns the value as a percentage (None for a bound or an impossible
/// value) and the end of the expression.
fn percent_at(b: &[u8], i: usize, e: usize) -> Option<(Option<f32>, usize)> {
    let mut j = i;
    let bound = matches!(b.get(j), Some(b'<' | b'>' | b'~'));
    if bound {
        j = skip_ascii_space(b, j + 1, e);
    }
    let int_start = j;
    let mut value = 0.0f64;
    while j < e && b[j].is_ascii_digit() && j - int_start < 7 {
        value = value * 10.0 + f64::from(b[j] - b'0');
        j += 1;
    }
    if j == int_start || (j < e && b[j].is_ascii_digit()) {
        return None;
    }
    if j + 1 < e && matches!(b[j], b'.' | b',') && b[j + 1].is_ascii_digit() {
        j += 1;
        let mut scale = 0.1f64;
        let frac_start = j;
        while j < e && b[j].is_ascii_digit() && j - frac_start < 6 {
            value += f64::from(b[j] - b'0') * scale;
            scale /= 10.0;
            j += 1;
        }
        if j < e && b[j].is_ascii_digit() {
            return None;
        }
    }
    j = skip_ascii_space(b, j, e);
    let ppm = if b.get(j) == Some(&b'%') && j < e {
        j += 1;
        false
    } else if j + 3 <= e
        && b[j..j + 3].eq_ignore_ascii_case(b"ppm")
        && !b.get(j + 3).is_some_and(u8::is_ascii_alphanumeric)
    {
        j += 3;
        true
    } else {
        return None;
    };
    let k = skip_ascii_space(b, j, e);
    if k + 3 <= e
        && (b[k..k + 3].eq_ignore_ascii_case(b"w/w") || b[k..k + 3].eq_ignore_ascii_case(b"w/v"))
        && !b.get(k + 3).is_some_and(u8::is_ascii_alphanumeric)
    {
        j = k + 3;
    }
    let percent = if ppm { value / 10_000.0 } else { value };
    let value = (!bound && (0.0..=100.0).contains(&percent)).then_some(percent as f32);
    Some((value, j))
}

/// The part of a cleaned name left once leading and trailing punctuation is removed, keeping
/// brackets and the full stop of a final abbreviation (`Alcohol Denat.`). Empty for names with
/// no letter or digit.
fn without_junk(out: &str) -> Range<usize> {
    if !out.chars().any(char::is_alphanumeric) {
        return 0..0;
    }
    let keep_end = |c: char| c.is_alphanumeric() || c == ')' || c == ']';
    let mut end = out
        .char_indices()
        .rev()
        .find(|&(_, c)| keep_end(c))
        .map_or(0, |(k, c)| k + c.len_utf8());
    if out[end..].starts_with('.') {
        let letters = out[..end]
            .bytes()
            .rev()
            .take_while(u8::is_ascii_alphabetic)
            .count();
        if letters > 0 && is_abbreviation(&out.as_bytes()[end - letters..end]) {
            end += 1;
        }
    }
    let start = out[..end]
        .char_indices()
        .find(|&(_, c)| c.is_alphanumeric() || c == '(' || c == '[')
        .map_or(end, |(k, _)| k);
    start..end
}

/// Whitespace, control and invisible characters (zero-width spaces, byte-order mark, the
/// replacement character): never part of a name. Agrees with [`space_len`] and the
/// [`SPACE`] class.
fn is_space_like(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(
            c,
            '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{FFFD}'
        )
}

/// Characters that mark a footnote at the start of an item.
fn is_footnote_marker(c: char) -> bool {
    matches!(
        c,
        '*' | '†' | '‡' | '¹' | '²' | '³' | '⁰' | '⁴'..='⁹' | '※' | '⁎' | '∗'
    )
}

/// Characters removed from names wherever they appear.
fn is_marker_char(c: char) -> bool {
    is_footnote_marker(c) || matches!(c, '°' | '™' | '®' | '©' | '℠' | '§' | '¶')
}

/// [`BYTE_CLASS`] bit: the scanner must look at this byte (a possible separator, bracket,
/// marker or percentage, or the lead byte of a non-ASCII separator).
const SPECIAL: u8 = 1;
/// [`BYTE_CLASS`] bit: a letter (ASCII, or the lead byte of a non-ASCII letter).
const LETTER: u8 = 2;
/// [`BYTE_CLASS`] bit: may not appear in an already clean name (see [`Parser::is_plain`]):
/// every byte but ASCII letters and digits, the space and `- / \ ( ) [ ] & ' , .`, so the OR
/// over an item's bytes tells whether the item needs cleaning.
const NOT_PLAIN: u8 = 4;
/// [`BYTE_CLASS`] bit: ASCII whitespace or control character.
const SPACE: u8 = 8;
/// [`BYTE_CLASS`] bit: part of a word for [`Parser::survey`] (ASCII letters and digits, `-`,
/// `'`, and any byte of a non-ASCII character).
const WORD: u8 = 16;
/// [`BYTE_CLASS`] bit: a letter for [`Parser::survey`] (ASCII, or any non-ASCII byte).
const WORD_LETTER: u8 = 32;
/// [`BYTE_CLASS`] bit: an ASCII digit.
const DIGIT: u8 = 64;

/// What each byte can be, so the hot loops test one table entry per byte.
static BYTE_CLASS: [u8; 256] = byte_classes();

const fn byte_classes() -> [u8; 256] {
    let mut table = [0u8; 256];
    let mut c = 0usize;
    while c < 256 {
        let byte = c as u8;
        let mut class = 0;
        if matches!(
            byte,
            b',' | b';'
                | b'|'
                | b'\n'
                | b'\r'
                | b'.'
                | b':'
                | b'-'
                | b'%'
                | b'*'
                | b'('
                | b'['
                | b'{'
                | b')'
                | b']'
                | b'}'
                | 0xC2
                | 0xE1
                | 0xE2
                | 0xE3
                | 0xEF
        ) {
            class |= SPECIAL;
        }
        if byte.is_ascii_alphabetic() || matches!(byte, 0xC3..=0xDF | 0xE4..=0xED | 0xF0..=0xF4) {
            class |= LETTER;
        }
        if byte.is_ascii_whitespace() || byte.is_ascii_control() {
            class |= SPACE;
        }
        if byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'\'' || byte >= 0x80 {
            class |= WORD;
        }
        if byte.is_ascii_alphabetic() || byte >= 0x80 {
            class |= WORD_LETTER;
        }
        if byte.is_ascii_digit() {
            class |= DIGIT;
        }
        if !(byte.is_ascii_alphanumeric()
            || matches!(
                byte,
                b' ' | b'-' | b'/' | b'\\' | b'(' | b')' | b'[' | b']' | b'&' | b'\'' | b',' | b'.'
            ))
        {
            class |= NOT_PLAIN;
        }
        table[c] = class;
        c += 1;
    }
    table
}

/// The length of the non-ASCII space or invisible character starting at `i` (no-break and
/// other Unicode spaces, zero-width characters, the replacement character), or 0.
fn space_len(b: &[u8], i: usize) -> usize {
    match (b.get(i), b.get(i + 1), b.get(i + 2)) {
        (Some(0xC2), Some(0x80..=0xA0), _) => 2,
        (Some(0xE1), Some(0x9A), Some(0x80))
        | (Some(0xE2), Some(0x80), Some(0x80..=0x8D | 0xA8 | 0xA9 | 0xAF))
        | (Some(0xE2), Some(0x81), Some(0x9F | 0xA0))
        | (Some(0xE3), Some(0x80), Some(0x80))
        | (Some(0xEF), Some(0xBB), Some(0xBF))
        | (Some(0xEF), Some(0xBF), Some(0xBD)) => 3,
        _ => 0,
    }
}

fn skip_ascii_space(b: &[u8], mut j: usize, end: usize) -> usize {
    while j < end && j < b.len() && (b[j] == b' ' || b[j] == b'\t') {
        j += 1;
    }
    j
}

fn utf8_len(lead: u8) -> usize {
    match lead {
        0x00..=0x7F => 1,
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xFF => 4,
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    //! Table tests quote real labels from `tests/fixtures/products-public.jsonl` (the record id
    //! and its `source` are given where a test uses one); the rest are the cases of
    //! `reference/ingredients.md` §4.

    use std::cell::RefCell;

    use super::*;
    use proptest::prelude::*;

    /// The eval sample, copied into the repository (see `tests/fixtures/README.md`).
    const FIXTURE: &str = include_str!("../../../../../tests/fixtures/products-public.jsonl");

    thread_local! {
        /// The item cache every test of a thread parses with, so that items read by one test
        /// come back remembered in others.
        static CACHE: RefCell<ItemCache> = RefCell::new(ItemCache::new());
    }

    /// Parses `text` every way a caller can: without a cache, and twice with the thread's
    /// cache (the second time, every plain item comes from it). The three must agree, so every
    /// test here also tests [`ItemCache`].
    fn parse(text: &str) -> ParsedList<'_> {
        CACHE.with_borrow_mut(|cache| same_with_cache(text, cache))
    }

    /// Parses `text` without a cache, then twice with `cache` (the second time, every plain
    /// item comes from it), checks that the three agree, and returns the result.
    fn same_with_cache<'t>(text: &'t str, cache: &mut ItemCache) -> ParsedList<'t> {
        let uncached = parse_inci_list(text);
        assert_eq!(parse_inci_list_cached(text, cache), uncached, "{text:?}");
        assert_eq!(parse_inci_list_cached(text, cache), uncached, "{text:?}");
        uncached
    }

    #[test]
    fn heading_phrases_are_told_from_labels() {
        for heading in [
            "Ingredients",
            "Inactive Ingredients",
            "May contain (+/-)",
            "INGRÉDIENTS",
        ] {
            assert!(is_header_phrase(heading.as_bytes()), "{heading}");
        }
        // The headings told at once are headings word by word too, and what the parser's
        // reading of their words finds is what the table says, whatever their case.
        for (heading, flags) in COMMON_HEADINGS {
            assert!(is_header_phrase_by_words(heading), "{heading:?}");
            let upper = heading.to_ascii_uppercase();
            assert!(is_header_phrase(&upper) && is_header_phrase_by_words(&upper));
            let title = String::from_utf8(heading.to_vec()).expect("ASCII");
            let title = title
                .split(' ')
                .map(|w| w[..1].to_ascii_uppercase() + &w[1..])
                .collect::<Vec<_>>()
                .join(" ");
            for text in [heading, &upper[..], title.as_bytes()] {
                let text = std::str::from_utf8(text).expect("ASCII");
                let parser = Parser::new(text);
                assert_eq!(common_heading(text.as_bytes()), Some(flags));
                for suffix in [true, false] {
                    assert_eq!(
                        parser.header_run_by_words(0, text.len(), suffix),
                        Some((0, text.len(), flags)),
                        "{text}"
                    );
                }
            }
        }
        for label in [
            "Retinol",
            "Fragrance",
            "Active ingredients (in each gram)",
            "",
        ] {
            assert!(!is_header_phrase(label.as_bytes()), "{label}");
        }
    }

    fn names(text: &str) -> Vec<String> {
        parse(text)
            .ingredients
            .into_iter()
            .map(|i| i.text.into_owned())
            .collect()
    }

    /// The ingredients' names of a parsed list, in order.
    fn names_in<'p>(parsed: &'p ParsedList<'_>) -> Vec<&'p str> {
        parsed.ingredients.iter().map(|i| &*i.text).collect()
    }

    fn dropped(text: &str) -> Vec<(DropReason, String)> {
        parse(text)
            .dropped
            .into_iter()
            .map(|d| (d.reason, d.text.to_owned()))
            .collect()
    }

    fn sections(text: &str) -> Vec<(Section, usize, String, Option<f32>)> {
        parse(text)
            .ingredients
            .into_iter()
            .map(|i| (i.section, i.position, i.text.into_owned(), i.percent))
            .collect()
    }

    fn record(id: &str) -> String {
        FIXTURE
            .lines()
            .map(|line| serde_json::from_str::<serde_json::Value>(line).unwrap())
            .find(|record| record["id"] == id)
            .and_then(|record| record["ingredients"].as_str().map(str::to_owned))
            .unwrap_or_else(|| panic!("no record {id} in the fixture"))
    }

    /// Checks every structural promise of [`ParsedList`] for `text`.
    fn assert_well_formed(text: &str, list: &ParsedList) {
        let mut spans: Vec<Range<usize>> = Vec::new();
        let mut last_end = 0;
        for ingredient in &list.ingredients {
            let span = &ingredient.span;
            assert!(span.start <= span.end && span.end <= text.len(), "{span:?}");
            assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
            assert!(
                span.start >= last_end,
                "ingredient spans out of order: {list:#?}"
            );
            last_end = span.end;
            assert!(!ingredient.text.is_empty());
            assert_eq!(ingredient.text.trim(), ingredient.text);
            assert!(!ingredient.text.contains('*'), "{:?}", ingredient.text);
            assert!(ingredient.text.len() <= span.len(), "{ingredient:?}");
            assert!(ingredient.text.chars().any(char::is_alphanumeric));
            if let Some(percent) = ingredient.percent {
                assert!(percent.is_finite() && (0.0..=100.0).contains(&percent));
            }
            spans.push(span.clone());
        }
        let mut last_end = 0;
        for drop in &list.dropped {
            let span = &drop.span;
            assert!(span.start <= span.end && span.end <= text.len(), "{span:?}");
            assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
            assert!(
                span.start >= last_end,
                "dropped spans out of order: {list:#?}"
            );
            last_end = span.end;
            assert_eq!(drop.text, &text[span.clone()]);
            spans.push(span.clone());
        }
        spans.sort_by_key(|span| (span.start, span.end));
        for pair in spans.windows(2) {
            assert!(
                pair[0].end <= pair[1].start,
                "overlapping spans {pair:?}: {list:#?}"
            );
        }
        assert!(list.ingredients.len() + list.dropped.len() <= text.len() + 1);
        for section in [
            Section::Main,
            Section::Active,
            Section::Inactive,
            Section::MayContain,
        ] {
            let positions: Vec<usize> = list.in_section(section).map(|i| i.position).collect();
            let expected: Vec<usize> = (1..=positions.len()).collect();
            assert_eq!(positions, expected, "{section:?} positions: {list:#?}");
        }
    }

    // ---- headers --------------------------------------------------------------------------

    #[test]
    fn drops_ingredient_and_inci_headers() {
        assert_eq!(names("Ingredients: Water, Glycerin"), ["Water", "Glycerin"]);
        assert_eq!(names("INCI: Aqua, Glycerin."), ["Aqua", "Glycerin"]);
        assert_eq!(
            names("ingredients:\nwater\nglycerin"),
            ["water", "glycerin"]
        );
        assert_eq!(names("Ingrédients : Aqua, Glycerin"), ["Aqua", "Glycerin"]);
        assert_eq!(names("Full ingredient list: Aqua"), ["Aqua"]);
        assert_eq!(
            dropped("Ingredients: Water"),
            [(DropReason::Header, "Ingredients".to_owned())]
        );
    }

    #[test]
    fn drops_a_labelled_prefix_before_the_ingredients_header() {
        let text = "Division: Skincare Ingredients: Water, Glycerin";
        assert_eq!(names(text), ["Water", "Glycerin"]);
        assert_eq!(
            dropped(text),
            [
                (DropReason::Header, "Division".to_owned()),
                (DropReason::Header, "Skincare Ingredients".to_owned())
            ]
        );
        assert_eq!(
            names("Day Cream Ingredients: Aqua, Glycerin"),
            ["Aqua", "Glycerin"]
        );
    }

    #[test]
    fn a_colon_in_the_middle_of_a_list_only_separates() {
        // Dropping "Fragrance" here would hide a flagged ingredient.
        assert_eq!(
            names("Water, Fragrance: Limonene, Linalool"),
            ["Water", "Fragrance", "Limonene", "Linalool"]
        );
        // A ratio is not a colon separator (CosIng spells pigments "CI 77268:1").
        assert_eq!(names("Mica, CI 77268:1"), ["Mica", "CI 77268:1"]);
    }

    // ---- synonyms, brackets ---------------------------------------------------------------

    #[test]
    fn keeps_slash_and_backslash_synonym_groups_whole() {
        // p001 (github:aoluwolerotimi/Skincare-Chatbot-Group-Project product_info.csv).
        assert_eq!(
            names("Aqua/Water/Eau, Sodium Laureth Sulfate, Parfum/Fragrance, Ci 15985/Yellow 6"),
            [
                "Aqua/Water/Eau",
                "Sodium Laureth Sulfate",
                "Parfum/Fragrance",
                "Ci 15985/Yellow 6"
            ]
        );
        assert_eq!(
            names(r"Water\Aqua\Eau, Glycerin"),
            [r"Water\Aqua\Eau", "Glycerin"]
        );
        assert_eq!(
            names("Acrylates/C10-30 Alkyl Acrylate Crosspolymer"),
            ["Acrylates/C10-30 Alkyl Acrylate Crosspolymer"]
        );
    }

    #[test]
    fn keeps_brackets_and_the_commas_inside_them() {
        // p008, p109, p095 and p042 (cosmetics.csv and witoxicity.com).
        assert_eq!(
            names("Water (Aqua), Glycerin"),
            ["Water (Aqua)", "Glycerin"]
        );
        assert_eq!(
            names(
                "Mica , Iron Oxides (Ci 77491, Ci 77492, Ci 77499) , Titanium Dioxide (Ci 77891)"
            ),
            [
                "Mica",
                "Iron Oxides (Ci 77491, Ci 77492, Ci 77499)",
                "Titanium Dioxide (Ci 77891)"
            ]
        );
        assert_eq!(
            names(
                "Persea Gratissima (Extra Virgin, Cold Pressed Avocado) Oil, Dimethyl Isosorbide \
                 (and) Hydroxypinacolone Retinoate"
            ),
            [
                "Persea Gratissima (Extra Virgin, Cold Pressed Avocado) Oil",
                "Dimethyl Isosorbide (and) Hydroxypinacolone Retinoate"
            ]
        );
        assert_eq!(
            names("CI 77891 (Titanium Dioxide), Titanium Dioxide (CI 77891)"),
            ["CI 77891 (Titanium Dioxide)", "Titanium Dioxide (CI 77891)"]
        );
        assert_eq!(
            names("Colorants [CI 77491, CI 77492], Mica"),
            ["Colorants [CI 77491, CI 77492]", "Mica"]
        );
    }

    #[test]
    fn an_unclosed_bracket_does_not_swallow_the_list() {
        assert_eq!(
            names("Water (Aqua, Glycerin, Retinol, Tocopherol"),
            ["Water (Aqua", "Glycerin", "Retinol", "Tocopherol"]
        );
        // A closing bracket far away is treated the same way: Retinol stays visible.
        let long = format!("Water (Aqua, {}Retinol, Mica)", "Glycerin, ".repeat(60));
        let parsed = names(&long);
        assert!(parsed.iter().any(|n| n == "Retinol"), "{parsed:?}");
        assert_eq!(parsed.len(), 63);
    }

    // ---- may contain ----------------------------------------------------------------------

    #[test]
    fn may_contain_block_gets_its_own_section() {
        // p132 (github:zikovaivona/SN_Kozmeticni_Katalog product_info.csv).
        let text = record("p132");
        let list = parse(&text);
        let may: Vec<&str> = list
            .in_section(Section::MayContain)
            .map(|i| i.text.as_ref())
            .collect();
        assert_eq!(
            may,
            [
                "Titanium Dioxide (Ci 77891)",
                "Iron Oxides (Ci 77491, Ci 77492, Ci 77499)"
            ]
        );
        assert_eq!(list.in_section(Section::Main).count(), 29);
        assert!(
            list.dropped
                .iter()
                .any(|d| d.reason == DropReason::Header && d.text == "May Contain (+/-)")
        );
    }

    #[test]
    fn bracketed_plus_minus_group_is_a_may_contain_list() {
        let text = "Aqua, Mica, [+/-: CI 77491, CI 77492, CI 77499 (Iron Oxides)], Glycerin";
        assert_eq!(
            sections(text),
            [
                (Section::Main, 1, "Aqua".to_owned(), None),
                (Section::Main, 2, "Mica".to_owned(), None),
                (Section::MayContain, 1, "CI 77491".to_owned(), None),
                (Section::MayContain, 2, "CI 77492".to_owned(), None),
                (
                    Section::MayContain,
                    3,
                    "CI 77499 (Iron Oxides)".to_owned(),
                    None
                ),
                (Section::Main, 3, "Glycerin".to_owned(), None),
            ]
        );
        assert_eq!(dropped(text), [(DropReason::Header, "[+/-:".to_owned())]);
        assert_eq!(
            names("Talc [+/- CI 77891, CI 77491]"),
            ["Talc", "CI 77891", "CI 77491"]
        );
    }

    #[test]
    fn peut_contenir_and_plus_minus_headers() {
        let text = "Aqua, Talc. Peut contenir: CI 77891, CI 77491";
        let list = parse(text);
        assert_eq!(list.in_section(Section::MayContain).count(), 2);
        let text = "Aqua. May contain/Peut contenir (+/-): CI 77891";
        assert_eq!(
            sections(text)[1],
            (Section::MayContain, 1, "CI 77891".to_owned(), None)
        );
        assert_eq!(
            sections("Talc\n+/- CI 77891, CI 77491")[2],
            (Section::MayContain, 2, "CI 77491".to_owned(), None)
        );
    }

    // ---- Drug Facts -----------------------------------------------------------------------

    #[test]
    fn drug_facts_sections_with_leading_percentages() {
        // p113 (store.drannachacon.com, UV Shield SPF 45).
        let text = record("p113");
        let parsed = sections(&text);
        assert_eq!(
            parsed[0],
            (Section::Active, 1, "Zinc oxide".to_owned(), Some(9.0))
        );
        assert_eq!(
            parsed[1],
            (Section::Active, 2, "Octinoxate".to_owned(), Some(7.5))
        );
        assert_eq!(
            parsed[2],
            (Section::Inactive, 1, "Purified Water".to_owned(), None)
        );
        assert_eq!(parsed.len(), 19);
    }

    #[test]
    fn drug_facts_headers_on_their_own_lines() {
        // p100 (dailymed setid f9c84959-…) and p139 (dailymed setid 32eaaaab-…), lower case.
        let parsed = sections(&record("p100"));
        assert_eq!(
            parsed[0],
            (Section::Active, 1, "Petrolatum".to_owned(), Some(46.5))
        );
        assert_eq!(
            parsed[1],
            (Section::Inactive, 1, "Mineral Oil".to_owned(), None)
        );
        let parsed = sections(&record("p139"));
        assert_eq!(
            parsed[0],
            (Section::Active, 1, "Glycerin".to_owned(), Some(21.0))
        );
        assert_eq!(parsed[1], (Section::Inactive, 1, "water".to_owned(), None));
        assert_eq!(
            parsed[18],
            (Section::Inactive, 18, "tocopherol".to_owned(), None)
        );
    }

    #[test]
    fn drug_facts_panel_with_purpose_column_and_prose() {
        let text = "Drug Facts\r\n\
                    Active ingredients (in each gram)        Purpose\r\n\
                    Zinc Oxide 20% ........................ Sunscreen\r\n\
                    Octinoxate 7.5%\tSunscreen\r\n\
                    Uses • helps prevent sunburn\r\n\
                    Warnings For external use only\r\n\
                    Directions apply liberally 15 minutes before sun exposure\r\n\
                    Inactive ingredients water, glycerin, dimethicone\r\n\
                    Other information protect the product from excessive heat";
        assert_eq!(
            sections(text),
            [
                (Section::Active, 1, "Zinc Oxide".to_owned(), Some(20.0)),
                (Section::Active, 2, "Octinoxate".to_owned(), Some(7.5)),
                (Section::Inactive, 1, "water".to_owned(), None),
                (Section::Inactive, 2, "glycerin".to_owned(), None),
                (Section::Inactive, 3, "dimethicone".to_owned(), None),
            ]
        );
        let reasons: Vec<DropReason> = dropped(text).into_iter().map(|d| d.0).collect();
        assert_eq!(
            reasons,
            [
                DropReason::Header,
                DropReason::Header,
                DropReason::Purpose,
                DropReason::Purpose,
                DropReason::Prose,
                DropReason::Prose,
                DropReason::Prose,
                DropReason::Prose,
                DropReason::Header,
                DropReason::Prose,
            ]
        );
    }

    #[test]
    fn unlabelled_actives_before_an_inactive_header_become_actives() {
        // p104 (cosmetics.csv): the actives carry percentages and no header.
        let parsed = sections(&record("p104"));
        assert_eq!(
            parsed[0],
            (Section::Active, 1, "Octocrylene".to_owned(), Some(9.0))
        );
        assert_eq!(
            parsed[3],
            (Section::Active, 4, "Ensulizole".to_owned(), Some(3.0))
        );
        assert_eq!(parsed[4], (Section::Inactive, 1, "Water".to_owned(), None));
        // Without percentages they stay in the main list.
        let parsed = sections("Water, Glycerin. Inactive ingredients: Mica");
        assert_eq!(parsed[0].0, Section::Main);
        assert_eq!(parsed[2].0, Section::Inactive);
    }

    // ---- percentages ----------------------------------------------------------------------

    #[test]
    fn percentages_before_inside_and_after_names() {
        assert_eq!(
            sections(
                "Zinc Oxide 20%, (2%) Salicylic Acid, 10% Niacinamide, Sodium Fluoride (1450 ppm)"
            ),
            [
                (Section::Main, 1, "Zinc Oxide".to_owned(), Some(20.0)),
                (Section::Main, 2, "Salicylic Acid".to_owned(), Some(2.0)),
                (Section::Main, 3, "Niacinamide".to_owned(), Some(10.0)),
                (Section::Main, 4, "Sodium Fluoride".to_owned(), Some(0.145)),
            ]
        );
        assert_eq!(
            sections("Niacinamide (2%), Zinc Oxide 9,6 %, Retinol 0.5% w/w, Bakuchiol <1%"),
            [
                (Section::Main, 1, "Niacinamide".to_owned(), Some(2.0)),
                (Section::Main, 2, "Zinc Oxide".to_owned(), Some(9.6)),
                (Section::Main, 3, "Retinol".to_owned(), Some(0.5)),
                (Section::Main, 4, "Bakuchiol".to_owned(), None),
            ]
        );
        // A bracketed percentage glued to the name, and a marker after it.
        assert_eq!(
            sections("Niacinamide(2%), Zinc Oxide(20%)*"),
            [
                (Section::Main, 1, "Niacinamide".to_owned(), Some(2.0)),
                (Section::Main, 2, "Zinc Oxide".to_owned(), Some(20.0)),
            ]
        );
        // p011: a percentage in the middle of an ordinary list.
        assert_eq!(
            sections("Water, Monarda Didyma Leaf Extract 8%, Glycerin")[1],
            (
                Section::Main,
                2,
                "Monarda Didyma Leaf Extract".to_owned(),
                Some(8.0)
            )
        );
        // Numbers that are part of names stay.
        assert_eq!(
            names("Polysorbate 20, PEG-100 Stearate"),
            ["Polysorbate 20", "PEG-100 Stearate"]
        );
    }

    #[test]
    fn a_percentage_glued_to_the_next_name_ends_the_item() {
        // p109 and p120 (cosmetics.csv): "9.60%Water", "2.8%Water".
        assert_eq!(
            sections("Titanium Dioxide 7.30% , Zinc Oxide 9.60%Water , Trioctyldodecyl Citrate"),
            [
                (Section::Main, 1, "Titanium Dioxide".to_owned(), Some(7.3)),
                (Section::Main, 2, "Zinc Oxide".to_owned(), Some(9.6)),
                (Section::Main, 3, "Water".to_owned(), None),
                (Section::Main, 4, "Trioctyldodecyl Citrate".to_owned(), None),
            ]
        );
        assert_eq!(
            names("Octocrylene 2.8%Water, Nylon-12"),
            ["Octocrylene", "Water", "Nylon-12"]
        );
        // A Drug Facts purpose after a percentage is not an ingredient.
        assert_eq!(
            names("Octocrylene 9% Sunscreen, Water"),
            ["Octocrylene", "Water"]
        );
    }

    // ---- markers and footnotes ------------------------------------------------------------

    #[test]
    fn strips_markers_and_drops_footnotes_after_a_full_stop() {
        // p011 (cosmetics.csv, Napiers toner).
        let text = "Baptisia Tinctoria Root Extract*, Stellaria Media (Chickweed) Extract*, \
                    Fragrance**, Limonene. *Napiers Original Formula. **Fragrances of Natural Origin.";
        assert_eq!(
            names(text),
            [
                "Baptisia Tinctoria Root Extract",
                "Stellaria Media (Chickweed) Extract",
                "Fragrance",
                "Limonene"
            ]
        );
        assert_eq!(
            dropped(text),
            [
                (DropReason::Footnote, "*Napiers Original Formula".to_owned()),
                (
                    DropReason::Footnote,
                    "**Fragrances of Natural Origin".to_owned()
                )
            ]
        );
    }

    #[test]
    fn leading_markers_are_stripped_from_names() {
        // p066 (cosmetics.csv): markers before names, and the misspelt "***Frgrance".
        assert_eq!(
            names(
                "Panthenol, *Avena Sativa (Oat) Kernel Extract, **Viola Tricolor Extract, ***Frgrance"
            ),
            [
                "Panthenol",
                "Avena Sativa (Oat) Kernel Extract",
                "Viola Tricolor Extract",
                "Frgrance"
            ]
        );
        assert_eq!(
            names("Aloe Barbadensis Leaf Juice†, Glycerin°, Pitera™"),
            ["Aloe Barbadensis Leaf Juice", "Glycerin", "Pitera"]
        );
    }

    #[test]
    fn footnotes_that_read_like_footnotes() {
        let text = "Aloe Barbadensis Leaf Juice*, Glycerin, *Organic";
        assert_eq!(names(text), ["Aloe Barbadensis Leaf Juice", "Glycerin"]);
        assert_eq!(
            dropped(text),
            [(DropReason::Footnote, "*Organic".to_owned())]
        );
        let text = "Aloe Barbadensis Leaf Juice*, Glycerin\n*Certified organic ingredients";
        assert_eq!(names(text), ["Aloe Barbadensis Leaf Juice", "Glycerin"]);
        let text = "Rosa Damascena Flower Oil**, Mica\n**Ingredients from organic farming";
        assert_eq!(dropped(text)[0].0, DropReason::Footnote);
    }

    #[test]
    fn spaced_marker_footnote_and_trailing_disclaimer() {
        // p120 (cosmetics.csv, Origins Plantscription SPF 25).
        let text = record("p120");
        let list = parse(&text);
        assert_eq!(
            list.ingredients.last().map(|i| i.text.as_ref()),
            Some("Mica")
        );
        assert_eq!(list.dropped.len(), 2);
        assert_eq!(list.dropped[0].reason, DropReason::Footnote);
        assert_eq!(list.dropped[0].text, "* Essential Oil");
        assert_eq!(list.dropped[1].reason, DropReason::Disclaimer);
        assert!(
            list.dropped[1]
                .text
                .starts_with("Please be aware that ingredient lists")
        );
    }

    // ---- separators -----------------------------------------------------------------------

    #[test]
    fn bullets_semicolons_pipes_and_full_stops_separate() {
        let expected = ["Water", "Glycerin", "Niacinamide", "Zinc PCA"];
        assert_eq!(names("Water • Glycerin · Niacinamide ● Zinc PCA"), expected);
        assert_eq!(names("Water; Glycerin;Niacinamide ;Zinc PCA"), expected);
        assert_eq!(names("Water | Glycerin|Niacinamide | Zinc PCA"), expected);
        assert_eq!(names("Water. Glycerin. Niacinamide. Zinc PCA."), expected);
        assert_eq!(names("Water，Glycerin、Niacinamide；Zinc PCA"), expected);
        assert_eq!(
            names("Water\nGlycerin\r\nNiacinamide\rZinc PCA\n"),
            expected
        );
    }

    #[test]
    fn full_stops_inside_numbers_and_abbreviations_do_not_separate() {
        assert_eq!(
            sections("Salicylic Acid 0.5%, Water")[0],
            (Section::Main, 1, "Salicylic Acid".to_owned(), Some(0.5))
        );
        // p015 (cosmetics.csv): "Alcohol Denat." and "Ext. Violet 2", spaces before commas.
        assert_eq!(
            names("Water , Alcohol Denat. , Glycerin , Ext. Violet 2 (Ci 60730)"),
            [
                "Water",
                "Alcohol Denat.",
                "Glycerin",
                "Ext. Violet 2 (Ci 60730)"
            ]
        );
        // p011: without the full stop.
        assert_eq!(
            names("Glycerin, Alcohol Denat, Butylene Glycol"),
            ["Glycerin", "Alcohol Denat", "Butylene Glycol"]
        );
        assert_eq!(names("Water, Alcohol Denat."), ["Water", "Alcohol Denat."]);
        assert_eq!(
            names("Hypericum Perforatum (St. John's Wort) Extract"),
            ["Hypericum Perforatum (St. John's Wort) Extract"]
        );
        assert_eq!(
            names("FD&C Yellow No. 5, D&C Red No. 33"),
            ["FD&C Yellow No. 5", "D&C Red No. 33"]
        );
        // ...unless a header follows the abbreviation.
        let text = "Water, Alcohol Denat. May contain: CI 77891";
        assert_eq!(
            sections(text),
            [
                (Section::Main, 1, "Water".to_owned(), None),
                (Section::Main, 2, "Alcohol Denat.".to_owned(), None),
                (Section::MayContain, 1, "CI 77891".to_owned(), None),
            ]
        );
    }

    #[test]
    fn commas_inside_chemical_names_do_not_separate() {
        assert_eq!(
            names("1,2-Hexanediol,Water,N,N-Dimethyl Glycine,Glycerin"),
            [
                "1,2-Hexanediol",
                "Water",
                "N,N-Dimethyl Glycine",
                "Glycerin"
            ]
        );
    }

    #[test]
    fn spaced_hyphens_separate_but_hyphenated_names_stay() {
        // p104 (cosmetics.csv) and p022 (cosmetics.csv).
        assert_eq!(
            names(
                "Cyclomethicone, Isohexadecane- Butylene Glycol, Cyclopentasiloxane -Tromethamine"
            ),
            [
                "Cyclomethicone",
                "Isohexadecane",
                "Butylene Glycol",
                "Cyclopentasiloxane",
                "Tromethamine"
            ]
        );
        assert_eq!(
            names("Allantoin, Hedera Helix Extract - Ivy Leaf/Stem Extract"),
            ["Allantoin", "Hedera Helix Extract", "Ivy Leaf/Stem Extract"]
        );
        assert_eq!(
            names(
                "PEG-40 Hydrogenated Castor Oil, Alpha-Isomethyl Ionone, sh-Oligopeptide-1, Ceramide 6-II"
            ),
            [
                "PEG-40 Hydrogenated Castor Oil",
                "Alpha-Isomethyl Ionone",
                "sh-Oligopeptide-1",
                "Ceramide 6-II"
            ]
        );
        assert_eq!(names("- Water\n- Glycerin"), ["Water", "Glycerin"]);
    }

    #[test]
    fn empty_items_and_repeated_separators() {
        // p074 (product_info.csv): ", ," is verbatim.
        let text =
            "Tridecyl Trimellitate, , Palmitoyl Tetrapeptide-7, ,, C18-36 Acid Glycol Ester.";
        assert_eq!(
            names(text),
            [
                "Tridecyl Trimellitate",
                "Palmitoyl Tetrapeptide-7",
                "C18-36 Acid Glycol Ester"
            ]
        );
        let reasons: Vec<DropReason> = dropped(text).into_iter().map(|d| d.0).collect();
        assert_eq!(
            reasons,
            [DropReason::Empty, DropReason::Empty, DropReason::Empty]
        );
        assert_eq!(names("Water;; ;Glycerin,,,"), ["Water", "Glycerin"]);
        assert_eq!(
            dropped("Water, **, Glycerin"),
            [(DropReason::Empty, "**".to_owned())]
        );
        assert!(parse("").ingredients.is_empty());
        assert!(parse(" \n\t ").dropped.is_empty());
    }

    #[test]
    fn crlf_tabs_and_unicode_spaces() {
        assert_eq!(
            names(
                "Ingredients:\r\nWater,\r\n\tGlycerin\u{a0}, Sodium\u{a0}Hyaluronate\u{200b}\r\n"
            ),
            ["Water", "Glycerin", "Sodium Hyaluronate"]
        );
        assert_eq!(
            names("Water,  Cetearyl   Alcohol"),
            ["Water", "Cetearyl Alcohol"]
        );
    }

    // ---- codes, disclaimers, prose --------------------------------------------------------

    #[test]
    fn drops_retailer_codes() {
        // p001 ends with "[V0606F]".
        let text = "Linalool, Ci 15985/Yellow 6, [V0606F]";
        assert_eq!(names(text), ["Linalool", "Ci 15985/Yellow 6"]);
        assert_eq!(
            dropped(text),
            [(DropReason::RetailerCode, "[V0606F]".to_owned())]
        );
        let text = "Water, Limonene [ILN38237]";
        assert_eq!(names(text), ["Water", "Limonene"]);
        assert_eq!(
            dropped(text),
            [(DropReason::RetailerCode, "[ILN38237]".to_owned())]
        );
        // Brackets that are not codes stay.
        assert_eq!(names("Talc [Nano]"), ["Talc [Nano]"]);
    }

    #[test]
    fn drops_disclaimers() {
        let text = "Water, Glycerin. Ingredients subject to change.";
        assert_eq!(names(text), ["Water", "Glycerin"]);
        assert_eq!(
            dropped(text),
            [(
                DropReason::Disclaimer,
                "Ingredients subject to change".to_owned()
            )]
        );
        let text = "Water, Glycerin. Please refer to the product packaging for the most up to \
                    date list of ingredients, as formulas may vary.";
        assert_eq!(names(text), ["Water", "Glycerin"]);
        assert!(dropped(text).iter().all(|d| d.0 == DropReason::Disclaimer));
        let text = "Water, Glycerin Ingredients may change";
        assert_eq!(names(text), ["Water", "Glycerin"]);
        assert_eq!(
            dropped(text),
            [(DropReason::Disclaimer, "Ingredients may change".to_owned())]
        );
    }

    #[test]
    fn drops_marketing_sentences_and_claims() {
        let text = "Our bestselling moisturiser is now fragrance free. Ingredients: Water, Glycerin. \
                    Free from parabens, sulfates and silicones. Made in France.";
        assert_eq!(names(text), ["Water", "Glycerin"]);
        let reasons: Vec<DropReason> = dropped(text).into_iter().map(|d| d.0).collect();
        assert_eq!(
            reasons,
            [
                DropReason::Prose,
                DropReason::Header,
                DropReason::Prose,
                DropReason::Prose,
                DropReason::Prose
            ]
        );
        assert_eq!(
            names("Water, Glycerin. Paraben-free, Vegan"),
            ["Water", "Glycerin"]
        );
        // Botanical names with lower-case words and French glosses stay (p091, p095).
        assert_eq!(
            names(
                "Saccharum Officinarum (Sugarcane) Extract/Extrait de canne à sucre, Tanecetum annuum (Blue Tansy) oil"
            ),
            [
                "Saccharum Officinarum (Sugarcane) Extract/Extrait de canne à sucre",
                "Tanecetum annuum (Blue Tansy) oil"
            ]
        );
    }

    #[test]
    fn sections_and_positions_in_json() {
        let list = parse("Active: Zinc Oxide 20%. Inactive: Water. May contain: Mica");
        let json = serde_json::to_value(&list).unwrap();
        assert_eq!(json["ingredients"][0]["section"], "active");
        assert_eq!(json["ingredients"][0]["percent"], 20.0);
        assert_eq!(json["ingredients"][1]["section"], "inactive");
        assert_eq!(json["ingredients"][2]["section"], "may_contain");
        assert_eq!(json["ingredients"][2]["position"], 1);
        assert_eq!(json["ingredients"][2]["span"]["start"], 54);
        assert_eq!(json["dropped"][0]["reason"], "header");
        assert_eq!(Section::MayContain.as_str(), "may_contain");
        assert_eq!(DropReason::RetailerCode.as_str(), "retailer_code");
    }

    #[test]
    fn spans_point_at_the_raw_items() {
        let text = "Ingredients: *Aloe Barbadensis Leaf Juice, Zinc Oxide 20%, [V0606F]";
        let list = parse(text);
        let raw: Vec<&str> = list
            .ingredients
            .iter()
            .map(|i| &text[i.span.clone()])
            .collect();
        assert_eq!(raw, ["*Aloe Barbadensis Leaf Juice", "Zinc Oxide 20%"]);
        assert_well_formed(text, &list);
    }

    #[test]
    fn the_first_comma_is_found_and_what_is_before_it_hashed() {
        for len in 0..24 {
            for at in 0..=len {
                let mut bytes: Vec<u8> = (0..len).map(|k| b'a' + (k % 26) as u8).collect();
                if at < len {
                    bytes[at] = b',';
                }
                // Bytes next to the comma that a borrow could confuse with it.
                if at + 1 < len {
                    bytes[at + 1] = b'-';
                }
                if at + 2 < len {
                    bytes[at + 2] = b',';
                }
                let expected = bytes
                    .iter()
                    .position(|&c| c == b',')
                    .map(|k| (k, ItemCache::hash(&bytes[..k])));
                assert_eq!(first_comma_hashed(&bytes), expected, "{len} {at}");
            }
        }
    }

    #[test]
    fn the_letter_digit_space_run_is_exact() {
        for probe in 0..=255u8 {
            for at in 0..8 {
                for base in [*b"abcdWXYZ", *b"a1 9 Z0z", *b"        "] {
                    let mut chunk = base;
                    chunk[at] = probe;
                    let expected = if probe.is_ascii_alphanumeric() || probe == b' ' {
                        8
                    } else {
                        at
                    };
                    assert_eq!(
                        letter_digit_space_run(u64::from_le_bytes(chunk)),
                        expected,
                        "{probe:#x} at {at} in {base:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn the_letter_run_agrees_with_the_byte_classes() {
        for probe in 0..=255u8 {
            for at in 0..8 {
                let mut chunk = *b"abcdWXYZ";
                chunk[at] = probe;
                let expected = if probe.is_ascii_alphabetic() { 8 } else { at };
                assert_eq!(
                    ascii_letter_run(u64::from_le_bytes(chunk)),
                    expected,
                    "{probe:#x} at {at}"
                );
            }
        }
        for letter in (b'a'..=b'z').chain(b'A'..=b'Z') {
            assert_eq!(
                BYTE_CLASS[usize::from(letter)],
                BYTE_CLASS[usize::from(b'a')]
            );
        }
    }

    #[test]
    fn space_helpers_agree() {
        for code in 0..=0xFFFFu32 {
            let Some(c) = char::from_u32(code) else {
                continue;
            };
            let mut buf = [0u8; 4];
            let encoded = c.encode_utf8(&mut buf).as_bytes();
            let by_bytes = if encoded.len() == 1 {
                BYTE_CLASS[usize::from(encoded[0])] & SPACE != 0
            } else {
                space_len(encoded, 0) == encoded.len()
            };
            assert_eq!(by_bytes, is_space_like(c), "U+{code:04X}");
        }
    }

    // ---- the real labels ------------------------------------------------------------------

    /// Every trigger of every label in the eval sample is found in a parsed ingredient: the
    /// raw item contains it as printed, and the cleaned name contains it without its markers.
    #[test]
    fn every_label_trigger_of_the_fixture_is_an_ingredient() {
        let mut records = 0;
        for line in FIXTURE.lines() {
            let record: serde_json::Value = serde_json::from_str(line).unwrap();
            let id = record["id"].as_str().unwrap();
            let text = record["ingredients"].as_str().unwrap();
            let list = parse(text);
            assert_well_formed(text, &list);
            assert!(
                list.dropped.iter().all(|d| d.reason != DropReason::Prose),
                "{id}: prose found in a real list: {:?}",
                list.dropped
            );
            for (category, triggers) in record["labels"].as_object().unwrap() {
                for trigger in triggers.as_array().unwrap() {
                    let trigger = trigger.as_str().unwrap();
                    let bare = trigger.trim_matches(|c: char| c == '*' || c.is_whitespace());
                    let found = list
                        .ingredients
                        .iter()
                        .any(|i| text[i.span.clone()].contains(trigger) && i.text.contains(bare));
                    assert!(
                        found,
                        "{id} {category}: {trigger:?} not in {:#?}",
                        list.ingredients
                    );
                }
            }
            records += 1;
        }
        assert_eq!(records, 41);
    }

    // ---- properties -----------------------------------------------------------------------

    /// Pieces of real labels, glued in random orders, to reach the parser's rarer paths.
    const FRAGMENTS: &[&str] = &[
        "Ingredients:",
        "INCI:",
        "Active ingredients",
        "Inactive ingredients:",
        "May contain",
        "(+/-)",
        "[+/-",
        "]",
        "Peut contenir",
        "Water",
        "Aqua/Water/Eau",
        r"Water\Aqua\Eau",
        "(Aqua)",
        "CI 77891 (Titanium Dioxide)",
        "Zinc Oxide",
        "20%",
        "9.60%",
        "(2%)",
        "(1450 ppm)",
        "10%",
        "Alcohol Denat.",
        "*",
        "**",
        "*Organic",
        "†",
        "™",
        "[V0606F]",
        "Please be aware that",
        "subject to change",
        "Free from",
        "Sunscreen",
        "Purpose",
        "Uses",
        "•",
        "·",
        ",",
        ", ,",
        ";",
        "|",
        ".",
        ". ",
        ":",
        " - ",
        "- ",
        " -",
        "(",
        ")",
        "[",
        "{",
        "}",
        "\r\n",
        "\n",
        "\t",
        " ",
        "  ",
        "\u{a0}",
        "\u{200b}",
        "\u{fffd}",
        "é",
        "1,2-Hexanediol",
        "0.5",
        "N,N",
        "CI 77268:1",
        "…",
        "<1%",
        "w/w",
    ];

    fn label_like() -> impl Strategy<Value = String> {
        proptest::collection::vec(proptest::sample::select(FRAGMENTS), 0..40)
            .prop_map(|pieces| pieces.concat())
    }

    fn any_text() -> impl Strategy<Value = String> {
        proptest::collection::vec(any::<char>(), 0..200).prop_map(String::from_iter)
    }

    proptest! {
        #[test]
        fn ppm_search_finds_every_occurrence(item in "[pPmM 0-9a]{0,12}") {
            let naive = item
                .as_bytes()
                .windows(3)
                .any(|w| w.eq_ignore_ascii_case(b"ppm"));
            prop_assert_eq!(contains_ppm(item.as_bytes()), naive);
        }

        #[test]
        fn arbitrary_text_parses_into_a_well_formed_list(text in any_text()) {
            let list = parse(&text);
            assert_well_formed(&text, &list);
        }

        #[test]
        fn label_like_text_parses_into_a_well_formed_list(text in label_like()) {
            let list = parse(&text);
            assert_well_formed(&text, &list);
        }

        #[test]
        fn a_disclaimer_at_the_start_is_told_by_three_words(
            opening in proptest::sample::select(&[
                "", "Please note", "please 2 note", "Formula may change", "For the most current",
                "Check the packaging", "check your label", "Subject to", "May vary", "\"Please",
            ][..]),
            rest in label_like(),
        ) {
            let text = format!("{opening} {rest}");
            let parser = Parser::new(&text);
            let n = text.len();
            prop_assert_eq!(
                parser.survey_words(0, n, 3).disclaimer == Some(0),
                parser.survey(0, n).disclaimer == Some(0)
            );
        }

        #[test]
        fn a_cache_never_changes_the_result(
            texts in proptest::collection::vec(prop_oneof![any_text(), label_like()], 1..6)
        ) {
            // One cache across several lists, as in a catalog run: items remembered from one
            // list are read back in another, in whatever state that list's parser is.
            let mut cache = ItemCache::new();
            for text in texts.iter().chain(&texts) {
                prop_assert_eq!(parse_inci_list_cached(text, &mut cache), parse_inci_list(text));
            }
        }

        #[test]
        fn parsing_is_deterministic(text in prop_oneof![any_text(), label_like()]) {
            prop_assert_eq!(parse(&text), parse(&text));
        }

        #[test]
        fn output_is_bounded_by_the_input(text in prop_oneof![any_text(), label_like()]) {
            let list = parse(&text);
            let text_bytes: usize = list.ingredients.iter().map(|i| i.text.len()).sum::<usize>()
                + list.dropped.iter().map(|d| d.text.len()).sum::<usize>();
            prop_assert!(text_bytes <= text.len());
            prop_assert!(list.ingredients.len() + list.dropped.len() <= text.len() + 1);
        }
    }

    #[test]
    fn plain_items_are_remembered_and_read_back_in_any_state() {
        let mut cache = ItemCache::new();
        let first = "Water, Glycerin, Parabens, Sunscreen, Niacinamide, Aqua (Water), Parfum \
                     (Fragrance [+/-]), Mica (+/- CI 77891), Retinol.";
        assert_eq!(
            parse_inci_list_cached(first, &mut cache),
            parse_inci_list(first)
        );
        // "Water", " Glycerin", " Parabens", " Sunscreen", " Niacinamide", " Aqua (Water)",
        // " Parfum (Fragrance [+/-])" (a group that lists nothing) and " Retinol" (before the
        // final full stop); not " Mica (+/- CI 77891)" (a "may contain" list).
        assert_eq!(cache.len(), 8);
        // The last item, at the end of the text; an abbreviation keeps its full stop.
        for (text, more) in [
            ("Water, Tocopherol", 1),
            ("Water, Tocopherol.", 0),
            ("Water, Alcohol Denat. Glycerin", 0),
        ] {
            let before = cache.len();
            assert_eq!(
                parse_inci_list_cached(text, &mut cache),
                parse_inci_list(text)
            );
            assert_eq!(cache.len(), before + more, "{text}");
        }
        // The same items where the list's state decides otherwise: inside a claim of absence,
        // after a percentage or in a Drug Facts active section (where "Sunscreen" is a
        // purpose), after a disclaimer, and doubled spaces.
        for text in [
            "Free from parabens, Glycerin, Water, Retinol.",
            "Contains no Parabens, Glycerin, Retinol",
            "Active ingredients: Zinc Oxide 20%, Sunscreen, Inactive ingredients: Water, Glycerin.",
            "Niacinamide 4%, Sunscreen, Water, Glycerin",
            "Water, Glycerin. Ingredients subject to change, Glycerin, Parabens",
            "Water,  Glycerin,   Parabens, Glycerin",
            "Zinc Oxide 20%, Aqua (Water), Sunscreen, [+/- Aqua (Water), Mica], Aqua (Water)",
            "Water, (Glycerin, Aqua (Water), Parabens, Aqua (Water)",
            "Aqua (Water). Glycerin. Tocopherol, Retinol",
            "Free from parabens, Glycerin. Retinol",
            "Water [Aqua, Glycerin, Aqua (Water), Parabens, Aqua (Water). Retinol",
            "Water, Glycerin, Parabens, Sunscreen, Niacinamide, Retinol.",
        ] {
            same_with_cache(text, &mut cache);
        }
    }

    #[test]
    fn abbreviations_are_whole_words_in_any_case() {
        for word in [
            "denat", "ext", "st", "sp", "spp", "ssp", "subsp", "var", "cv", "no", "nr", "fl",
            "approx", "incl", "vol", "aq",
        ] {
            assert!(is_abbreviation(word.as_bytes()), "{word}");
            assert!(
                is_abbreviation(word.to_ascii_uppercase().as_bytes()),
                "{word}"
            );
            let mut capitalised = word.as_bytes().to_vec();
            capitalised[0] = capitalised[0].to_ascii_uppercase();
            assert!(is_abbreviation(&capitalised), "{word}");
            // Longer or shorter words, or the word with a byte that is not its letter.
            assert!(!is_abbreviation(format!("{word}a").as_bytes()), "{word}");
            assert!(
                !is_abbreviation(&word.as_bytes()[1..]) || word == "ssp",
                "{word}"
            );
            assert!(!is_abbreviation(format!("{word}\0").as_bytes()), "{word}");
        }
        for word in [
            "", "n", "o", "denatu", "approxi", "approxim", "noo", "Dena", "exts",
        ] {
            assert!(!is_abbreviation(word.as_bytes()), "{word}");
        }
    }

    #[test]
    fn a_run_of_remembered_items_stops_where_the_list_state_or_the_separator_changes() {
        // `Parser::take_remembered_run` takes remembered items one after the other while the
        // state is the usual one; each of these lists leaves it at some point (a comma with no
        // space after it, a locant, a percentage glued to the next name, a section header, a
        // claim, a "may contain" block, an unpaired bracket, an item it has not seen) and must
        // give what the general path gives.
        let mut cache = ItemCache::new();
        let warm = "Water, Glycerin, Aqua (Water), Niacinamide 4%, Retinol, Parabens, Sunscreen, \
                    Tocopherol, Mica";
        same_with_cache(warm, &mut cache);
        for text in [
            "Water, Glycerin,Retinol, Tocopherol, Mica",
            "Water, Glycerin, 1,2-Hexanediol, Retinol, Mica",
            "Water, Glycerin, Niacinamide 4%Retinol, Tocopherol, Mica",
            "Water, Glycerin, Active ingredients: Niacinamide 4%, Sunscreen, Retinol, Mica",
            "Water, Glycerin, Free from parabens, Retinol, Tocopherol, Water",
            "Water, Glycerin, [+/- Mica, Water], Glycerin, Retinol",
            "Water, Glycerin, (Retinol, Aqua (Water), Tocopherol, Aqua (Water), Mica",
            "Water, Glycerin, Squalane, Retinol, Tocopherol",
            "Water, Glycerin, Retinol, Tocopherol. Mica, Water",
            "Water, Glycerin, Retinol, Tocopherol",
        ] {
            same_with_cache(text, &mut cache);
        }
    }

    #[test]
    fn headings_before_a_colon_are_remembered_and_give_what_a_fresh_read_gives() {
        // A heading ends at its colon: it is remembered like any plain item, and the parser
        // still decides in the list's state what it is (a heading, a label, part of a
        // sentence). A colon between digits (a ratio) ends nothing: it is part of the item.
        let mut cache = ItemCache::new();
        let texts = [
            "Ingredients: Aqua, Glycerin, Water. May contain (+/-): CI 77491, CI 77891.",
            "INGREDIENTS: Aqua, Glycerin",
            "Ingredients:Aqua, Glycerin",
            "Ingredients : Aqua, Glycerin",
            "Inactive Ingredients: Aqua. Active Ingredients: Zinc Oxide 20%, Aqua",
            "Active ingredients: Zinc Oxide 20%. Inactive ingredients: Aqua, Glycerin",
            "Active ingredients (in each gram): Zinc Oxide 20%, Aqua",
            "Aqua, Pigment Red 57:1, Glycerin",
            "Aqua, Pigment Red 57:1: Glycerin, Ingredients: Mica",
            "Retinol: 0.5%, Aqua, Retinol: Glycerin",
            "Division: Skincare Ingredients: Aqua, Glycerin",
            "Day Cream Ingredients: Aqua, Ingredients: Glycerin",
            "Aqua, Glycerin. May contain: Mica, Ingredients",
            "Free from parabens, Ingredients: Aqua, Glycerin",
            "Aqua, *Ingredients: Glycerin, Ingredients:: Mica",
            "Aqua [May contain: CI 77491, Ingredients: Mica], Glycerin",
        ];
        for text in texts {
            same_with_cache(text, &mut cache);
        }
        let heading = b"Ingredients";
        assert!(cache.get(ItemCache::hash(heading), heading).is_some());
        let ratio = b" Pigment Red 57:1";
        assert!(cache.get(ItemCache::hash(ratio), ratio).is_some());
        for text in texts {
            same_with_cache(text, &mut cache);
        }
    }

    #[test]
    fn items_with_locants_are_remembered_and_give_what_a_fresh_read_gives() {
        // The comma of a locant or of a decimal separates nothing: such an item is remembered
        // whole, and the same bytes with a separating comma are read as two items.
        let mut cache = ItemCache::new();
        let warm = "Aqua, 1,2-Hexanediol, Zinc Oxide 9,6%, N,N-Dimethyl Glycine, \
                    Alpha,Alpha-Dimethyl-Vinyl-O-Menthenemethanol, 6,8-Dimethyl-2-Nonanol.";
        let parsed = same_with_cache(warm, &mut cache);
        assert_eq!(
            names_in(&parsed),
            [
                "Aqua",
                "1,2-Hexanediol",
                "Zinc Oxide",
                "N,N-Dimethyl Glycine",
                "Alpha,Alpha-Dimethyl-Vinyl-O-Menthenemethanol",
                "6,8-Dimethyl-2-Nonanol"
            ]
        );
        let again = parse_inci_list_cached(warm, &mut cache);
        assert!(
            again
                .ingredients
                .iter()
                .all(|i| i.item_id.index().is_some()),
            "{again:?}"
        );
        for text in [
            "1,2-Hexanediol, Aqua",
            "Aqua, 1,2, Glycerin, 1,2-Hexanediol",
            "Aqua, 1,2. Glycerin, 1,2 %, 1,2-Hexanediol",
            "Aqua,1,2-Hexanediol,Glycerin",
            "Aqua, Zinc Oxide 9,6 %, Zinc Oxide 9,6%. 9,6%, Mica",
            "Aqua, Vitamin E 1,2-Hexanediol, 1,2-Hexanediol (1,2-Diol), Glycerin",
            "Aqua, (1,2-Hexanediol), *1,2-Hexanediol, 1,2-Hexanediol*, Glycerin",
            "Ingredients: 1,2-Hexanediol: Aqua, 12,345,678-Hexanediol, 1,2-Hexanediol",
        ] {
            same_with_cache(text, &mut cache);
        }
    }

    #[test]
    fn long_items_are_remembered_and_give_what_a_fresh_read_gives() {
        // Copolymers and ferment filtrates run past the cache's inline entries (55 bytes):
        // they are kept too, up to 255 bytes, and come back as a fresh read gives them, in the
        // usual state and out of it.
        let copolymer = "Hydroxyethyl Acrylate/Sodium Acryloyldimethyl Taurate Copolymer";
        let filtrate = "Bacillus/Comamonas/Lysinibacillus/Nonfat Dry Milk/Hydrolyzed Sea Bream \
                        Scales Ferment Filtrate";
        let bracketed = "Persea Gratissima (Extra Virgin, Cold Pressed Avocado) Oil";
        let too_long = format!("{} Extract", "Camellia Sinensis Leaf/".repeat(12));
        assert!(copolymer.len() > 55 && filtrate.len() > 55 && too_long.len() > 255);
        let mut cache = ItemCache::new();
        let warm = format!("Aqua, {copolymer}, {filtrate}, {bracketed}, {too_long}, Glycerin.");
        let parsed = same_with_cache(&warm, &mut cache);
        assert_eq!(
            names_in(&parsed),
            [
                "Aqua", copolymer, filtrate, bracketed, &too_long, "Glycerin"
            ]
        );
        // Remembered, with a number, all but the one over 255 bytes.
        let again = parse_inci_list_cached(&warm, &mut cache);
        let numbered: Vec<bool> = again
            .ingredients
            .iter()
            .map(|i| i.item_id.index().is_some())
            .collect();
        assert_eq!(numbered, [true, true, true, true, false, true]);
        for text in [
            format!("{copolymer}, Aqua, {filtrate}."),
            format!("Ingredients: {filtrate}, {copolymer} 2%, {copolymer}"),
            format!("Aqua, {copolymer}. {filtrate}: Glycerin"),
            format!("Aqua, *Organic, *{copolymer}, {filtrate}*, Glycerin"),
            format!("Free from parabens, {copolymer}, {filtrate}. Aqua"),
            format!("Active ingredients: Zinc Oxide 20%, {copolymer}, {bracketed}"),
            format!("Aqua [+/- {copolymer}, {filtrate}], {bracketed}"),
        ] {
            same_with_cache(&text, &mut cache);
        }
    }

    #[test]
    fn a_remembered_item_opening_with_markers_is_a_footnote_where_the_list_says_so() {
        // "*Aloe Barbadensis Leaf Juice" is remembered as an ingredient; after a footnote has
        // been seen, or right after a star or a full stop, the same bytes are a footnote, and
        // the cache must give what a fresh read gives.
        let mut cache = ItemCache::new();
        let warm = "Aqua, *Aloe Barbadensis Leaf Juice, **Rosa Damascena Flower Oil, *Organic, \
                    Glycerin";
        let parsed = same_with_cache(warm, &mut cache);
        assert_eq!(
            names_in(&parsed),
            [
                "Aqua",
                "Aloe Barbadensis Leaf Juice",
                "Rosa Damascena Flower Oil",
                "Glycerin"
            ]
        );
        assert_eq!(parsed.dropped[0].text, "*Organic");
        for text in [
            "Aqua, *Organic, *Aloe Barbadensis Leaf Juice, **Rosa Damascena Flower Oil, Glycerin",
            "Aqua, Glycerin. *Aloe Barbadensis Leaf Juice, **Rosa Damascena Flower Oil",
            "Aqua, Glycerin *Aloe Barbadensis Leaf Juice, **Rosa Damascena Flower Oil",
            "*Aloe Barbadensis Leaf Juice, Aqua, *Certified organic, *Aloe Barbadensis Leaf Juice",
            "Ingredients: *Aloe Barbadensis Leaf Juice, Aqua",
            "Aqua, * Aloe Barbadensis Leaf Juice, *, **, Glycerin",
            "Aqua, *Aloe Barbadensis Leaf Juice 2%, *Aloe Barbadensis Leaf Juice (Organic), Mica",
        ] {
            same_with_cache(text, &mut cache);
        }
        // After a footnote, a remembered marker item is read as the footnote it now is.
        let after = same_with_cache(
            "Aqua, *Organic, *Aloe Barbadensis Leaf Juice, Glycerin",
            &mut cache,
        );
        assert!(
            after
                .dropped
                .iter()
                .any(|d| d.text == "*Aloe Barbadensis Leaf Juice"),
            "{after:?}"
        );
    }

    #[test]
    fn a_remembered_item_is_not_used_where_a_look_behind_reaches_the_item_before() {
        // "No. 5" is remembered as one item (an abbreviation's full stop before a number); after
        // a "may contain" marker glued to it, the letters before "No" make the full stop a
        // separator, so it must be read again (review finding).
        let mut cache = ItemCache::new();
        for text in [
            "No. 5, Mica",
            "[May containNo. 5, Mica]",
            "Water, No. 5, Mica",
        ] {
            same_with_cache(text, &mut cache);
        }
    }

    #[test]
    fn cleaned_items_are_remembered_with_their_ingredient() {
        let mut cache = ItemCache::new();
        let first = "Avobenzone 3.00%, Glycerin 21%, Lavandula Angustifolia Oil*, Rosa Damascena \
                     Flower Oil**, Alcohol Denat., D&C Red No. 27, Water 70%";
        assert_eq!(
            parse_inci_list_cached(first, &mut cache),
            parse_inci_list(first)
        );
        assert_eq!(cache.len(), 7);
        let cached = parse_inci_list_cached(first, &mut cache);
        assert_eq!(cached.ingredients[0].text, "Avobenzone");
        assert_eq!(cached.ingredients[0].percent, Some(3.0));
        assert_eq!(cached.ingredients[2].text, "Lavandula Angustifolia Oil");
        // The same items where the list's state decides otherwise: a Drug Facts active
        // section, after a percentage glued to the next name, inside a claim of absence,
        // after a footnote.
        for text in [
            "Active ingredients: Avobenzone 3.00%, Sunscreen, Inactive ingredients: Glycerin 21%, \
             Water 70%",
            "Zinc Oxide 20%, Glycerin 21%, Avobenzone 3.00%",
            "Niacinamide 4%Glycerin 21%, Water 70%",
            "Free from parabens, Glycerin 21%, Lavandula Angustifolia Oil*",
            "Water, Lavandula Angustifolia Oil*, * Organic, Glycerin 21%, Rosa Damascena Flower Oil**",
            "Glycerin 21%. Avobenzone 3.00%: Water 70%",
            "Red No. 22 Aluminum Lake, Alcohol Denat., Red No. 22 Aluminum Lake. Alcohol Denat.",
            "Alcohol Denat., Red No. 22 Aluminum Lake, Red No. Please note: Alcohol Denat. 22",
        ] {
            same_with_cache(text, &mut cache);
        }
    }

    #[test]
    fn pathological_inputs_stay_fast_and_well_formed() {
        // Every bracket unclosed, deep nesting, endless separators and percent signs: these
        // would be quadratic with a naive look-ahead. No timing here: the sizes are chosen so
        // a quadratic parser would take minutes rather than milliseconds.
        for text in [
            "(".repeat(MAX_INPUT_BYTES),
            "[+/- ".repeat(MAX_INPUT_BYTES / 5),
            "Water (".repeat(MAX_INPUT_BYTES / 7),
            "a%".repeat(MAX_INPUT_BYTES / 2),
            "a * ".repeat(MAX_INPUT_BYTES / 4),
            "Denat. ".repeat(MAX_INPUT_BYTES / 7),
            ",".repeat(MAX_INPUT_BYTES),
            "x- ".repeat(MAX_INPUT_BYTES / 3),
            format!("{}{}", "(".repeat(1000), ")".repeat(1000)).repeat(20),
        ] {
            let list = parse(&text);
            assert_well_formed(&text, &list);
        }
    }
}
