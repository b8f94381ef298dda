//! The ingredient knowledge base: what the checker knows about an INCI name.
//!
//! What belongs here: the embedded tables of `data/ingredients/generated/` (written by
//! `tools/gen_ingredient_kb.py` from the curated `data/ingredients/categories/*.toml` and the
//! EU CosIng inventory), name normalisation ([`normalize_inci_name`]), exact look-up of a
//! normalised name ([`KnowledgeBase::lookup`]), the sourced fallback rules that classify a
//! name by its shape ([`KnowledgeBase::rule_facts`]), and iteration over every known name
//! (for "did you mean" suggestions and substring automata).
//! What does not: splitting a label into items (`inci::parse`), deciding which fallback to
//! try for a printed item, and verdicts (the matcher and the analysis built on top).
//!
//! Start-up is cheap: the two large tables (CosIng, about 30,000 names, and the curated
//! names) are searched in place by binary search over the embedded text, so no table is
//! parsed into a map. Only the small tables (texts, rules, genera; a few hundred lines) are
//! split once, on the first call to [`KnowledgeBase::embedded`] (measured at about 0.1 ms in
//! a release build on a loaded 2-core machine; a first 30-item list then takes about
//! 0.4 ms, normalisation, look-up and rules included).
//!
//! Every fact carries its source: a curated fact names the regulation, table or labelling
//! rule it comes from; a rule-derived fact names the rule, its explanation and its source.

use std::cmp::Ordering;
use std::sync::OnceLock;

use unicode_normalization::UnicodeNormalization;

use crate::category::Category;

/// The generated tables, embedded at compile time (see `data/ingredients/README.md`).
mod tables {
    /// CosIng names: `NAME \t REFS \t FUNCTIONS \t ANNEX \t OIL_HINT`, sorted by name.
    pub const COSING: &str = include_str!("../../../../data/ingredients/generated/cosing.tsv");
    /// Provenance of the CosIng table (`key=value` lines).
    pub const COSING_META: &str =
        include_str!("../../../../data/ingredients/generated/cosing.meta");
    /// Curated names and synonyms: `KEY \t TARGET \t FACTS`, sorted by key.
    pub const CURATED: &str = include_str!("../../../../data/ingredients/generated/curated.tsv");
    /// Source, reason and note texts; a fact refers to a text by its 0-based line number.
    pub const TEXTS: &str = include_str!("../../../../data/ingredients/generated/texts.tsv");
    /// Fallback rules in priority order.
    pub const RULES: &str = include_str!("../../../../data/ingredients/generated/rules.tsv");
    /// Aromatic genera for the essential-oil rule, sorted by genus.
    pub const GENERA: &str = include_str!("../../../../data/ingredients/generated/genera.tsv");
}

/// The attribution that must accompany any display of CosIng data.
pub const COSING_ATTRIBUTION: &str =
    "Source: European Commission, CosIng database (data of 15/12/2021), © European Union";

/// INCI names whose trailing full stop belongs to the name (all others lose it).
const DOTTED_NAMES: &[&str] = &["ALCOHOL DENAT."];

/// Words that may follow "OIL" in an essential-oil name ("... Peel Oil Expressed").
const OIL_QUALIFIERS: &[&str] = &["EXPRESSED", "DISTILLED", "RECTIFIED"];

// ---------------------------------------------------------------------------------------
// Normalisation
// ---------------------------------------------------------------------------------------

/// The normalised form of an INCI name, used for every key of the knowledge base and for
/// every name looked up in it.
///
/// Unicode NFKC, upper case, one kind of dash (`-`) and quote (`'`, `"`), soft hyphens and
/// zero-width characters removed, runs of white space collapsed to one space and trimmed, no
/// space around `/` or inside brackets, and no trailing full stop (except in names where it
/// belongs, such as `ALCOHOL DENAT.`). The function is idempotent. `tools/gen_ingredient_kb.py`
/// implements the same steps; a test checks that every generated key is a fixed point here.
pub fn normalize_inci_name(text: &str) -> String {
    let mut current = normalize_once(text);
    // NFKC and upper-casing can (for a few exotic characters) feed each other; repeat until
    // nothing changes so that the function is idempotent.
    for _ in 0..3 {
        let next = normalize_once(&current);
        if next == current {
            break;
        }
        current = next;
    }
    current
}

/// One pass of the normalisation steps.
fn normalize_once(text: &str) -> String {
    // ASCII text (nearly every label) is already NFKC and needs only the ASCII mappings.
    let folded = if text.is_ascii() {
        fold_ascii(text)
    } else {
        fold_unicode(text)
    };
    let collapsed = folded.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut tight = collapsed
        .replace(" /", "/")
        .replace("/ ", "/")
        .replace("( ", "(")
        .replace(" )", ")");
    while tight.ends_with('.') && !DOTTED_NAMES.contains(&tight.as_str()) {
        tight.pop();
        tight.truncate(tight.trim_end().len());
    }
    tight
}

/// Character mapping, NFKC and upper case, for any text.
fn fold_unicode(text: &str) -> String {
    let mapped: String = text.chars().filter_map(map_char).collect();
    let upper = mapped.nfkc().collect::<String>().to_uppercase();
    upper.nfkc().filter_map(map_char).collect()
}

/// The same as [`fold_unicode`] for ASCII text, without the Unicode tables.
fn fold_ascii(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b == b'`' {
                '\''
            } else {
                char::from(b.to_ascii_uppercase())
            }
        })
        .collect()
}

/// Unifies dashes and quotes; drops invisible characters.
fn map_char(c: char) -> Option<char> {
    match c {
        '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}' => Some('-'),
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{00B4}' | '`'
        | '\u{FF07}' => Some('\''),
        '\u{201C}'..='\u{201F}' | '\u{2033}' | '\u{FF02}' => Some('"'),
        '\u{00AD}' | '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}' => None,
        other => Some(other),
    }
}

// ---------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------

/// Where a category fact applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// In every product.
    Always,
    /// Only in scrubs, polishes and exfoliating powders or masks (scrub particles).
    ScrubOnly,
    /// Only when declared as the sunscreen active (zinc oxide, titanium dioxide).
    SunscreenActiveOnly,
}

/// How a category fact was established.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Basis {
    /// The name is listed in the curated data (`data/ingredients/categories/`).
    Curated,
    /// A fallback rule matched the name's shape or its CosIng description.
    Rule {
        /// The rule's id (`data/ingredients/categories/*.toml`, `[[rule]]`).
        id: &'static str,
        /// What the rule recognises, in a sentence.
        explain: &'static str,
        /// For the aromatic-genus rule: the genus that matched and its common names.
        genus: Option<GenusMatch>,
    },
}

/// The genus that made the aromatic-genus rule match.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct GenusMatch {
    /// The genus (upper case), after resolving a spelling alias.
    pub genus: &'static str,
    /// Its common names ("lavender, lavandin").
    pub common: &'static str,
}

/// One category an ingredient belongs to, with its source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct CategoryFact {
    /// The category.
    pub category: Category,
    /// Where the fact applies (most facts: always).
    pub scope: Scope,
    /// For `fragrance_allergen`: one of the classic 26 allergens (Directive 2003/15/EC), the
    /// list the labelled sample in `shared/eval/` uses. False for the 2023/1545 extension.
    pub classic_eu26: bool,
    /// The source of the fact (regulation, table or labelling rule).
    pub source: &'static str,
    /// A note for people (an annex entry, a caveat), if any.
    pub note: Option<&'static str>,
    /// Curated, or derived by a rule.
    pub basis: Basis,
}

/// A comedogenicity rating on the 0-5 (Fulton) scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct ComedogenicRating {
    /// The rating, 0 (none) to 5 (severe).
    pub rating: u8,
    /// The table the rating comes from.
    pub source: &'static str,
    /// A note (a range in the table, a disagreement between tables), if any.
    pub note: Option<&'static str>,
}

impl ComedogenicRating {
    /// Whether the rating counts as high (4 or 5, CONTRACT §2).
    pub fn is_high(&self) -> bool {
        self.rating >= 4
    }
}

/// An explicit "this is not in that category", with the reason (citric acid is not an AHA,
/// benzyl alcohol is not a drying alcohol, jojoba oil is not an essential oil, ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Exclusion {
    /// The category the ingredient is excluded from.
    pub category: Category,
    /// Why, in a sentence.
    pub reason: &'static str,
    /// The source of the rule.
    pub source: &'static str,
}

/// What CosIng's description says about an oil.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OilDescription {
    /// The description calls it an essential or volatile oil.
    Essential,
    /// The description calls it a fixed oil.
    Fixed,
    /// Not an oil, or the description says neither.
    Unspecified,
}

/// The CosIng record of a name (European Commission, data of 15/12/2021).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct CosingRecord {
    /// The CosIng reference number(s), comma-separated (a few names have two records).
    pub ref_numbers: &'static str,
    /// The CosIng functions, comma-separated (`HUMECTANT, SKIN CONDITIONING`); may be empty.
    pub functions: &'static str,
    /// The annex references of Regulation (EC) No 1223/2009 (`III/88 III/167`), or empty.
    pub annex: &'static str,
    /// What the description says about an oil.
    pub oil: OilDescription,
}

impl CosingRecord {
    /// The reference numbers.
    pub fn ref_number_list(&self) -> impl Iterator<Item = u32> + '_ {
        self.ref_numbers
            .split(',')
            .filter_map(|r| r.trim().parse().ok())
    }

    /// The functions, one at a time.
    pub fn function_list(&self) -> impl Iterator<Item = &'static str> {
        self.functions
            .split(',')
            .map(str::trim)
            .filter(|f| !f.is_empty())
    }

    /// Whether CosIng lists this function (exact, upper case: `"UV FILTER"`).
    pub fn has_function(&self, function: &str) -> bool {
        self.function_list().any(|f| f == function)
    }
}

/// Everything the knowledge base knows about one name.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Entry {
    /// The canonical INCI name (normalised, upper case).
    pub name: &'static str,
    /// The key that matched: the canonical name, or a synonym of it (a US drug name, a former
    /// INCI name, a common name, a label spelling).
    pub matched: &'static str,
    /// When `matched` is a synonym: the source of the equivalence.
    pub synonym_source: Option<&'static str>,
    /// The CosIng record of the canonical name, when CosIng lists it.
    pub cosing: Option<CosingRecord>,
    /// The categories, curated first, then those derived by rules. A comedogenic rating of
    /// 4 or 5 is listed here as [`Category::Comedogenic`].
    pub categories: Vec<CategoryFact>,
    /// The comedogenicity rating, when a table gives one.
    pub comedogenic: Option<ComedogenicRating>,
    /// Explicit exclusions, with their reasons.
    pub exclusions: Vec<Exclusion>,
    /// Whether the curated data lists this name (otherwise it is known from CosIng only).
    pub curated: bool,
    /// When the curated data lists the name without any category (a colour additive listed
    /// for its US names, or a name CosIng does not have): the source of that listing.
    pub listing: Option<NameListing>,
}

/// Why the curated data lists a name that is in no category: its source, and a note.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct NameListing {
    /// The source of the name and of its synonyms.
    pub source: &'static str,
    /// An optional note (what the name covers).
    pub note: Option<&'static str>,
}

impl Entry {
    /// The fact for a category, if the ingredient is in it.
    pub fn fact(&self, category: Category) -> Option<&CategoryFact> {
        self.categories.iter().find(|f| f.category == category)
    }

    /// Whether the ingredient is in a category (in any scope).
    pub fn has(&self, category: Category) -> bool {
        self.fact(category).is_some()
    }

    /// The exclusion from a category, if there is one.
    pub fn exclusion(&self, category: Category) -> Option<&Exclusion> {
        self.exclusions.iter().find(|x| x.category == category)
    }

    /// Whether the entry is an explicit exclusion from at least one category.
    pub fn is_exclusion(&self) -> bool {
        !self.exclusions.is_empty()
    }

    /// The category ids, in order.
    pub fn category_ids(&self) -> impl Iterator<Item = Category> + '_ {
        self.categories.iter().map(|f| f.category)
    }
}

/// What a fallback rule looks at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuleKind {
    /// Name patterns: `*` is any text, `#` one or more digits. A name matching an `unless`
    /// pattern is left alone.
    Glob {
        /// The patterns, any of which matches.
        globs: Vec<&'static str>,
        /// Patterns that prevent a match.
        unless: Vec<&'static str>,
    },
    /// `<Genus species> [Part] Oil` with a genus from the aromatic-genus table.
    Genus {
        /// Plant parts allowed by default (`NONE` = no part word).
        default_parts: Vec<&'static str>,
        /// Other recognised part words, allowed only where a genus lists them.
        other_parts: Vec<&'static str>,
    },
    /// CosIng's description calls the oil essential or volatile.
    CosingEssentialOil,
}

/// A fallback rule: classifies a name by its shape when the curated data does not list it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// A stable id (`peptide-n`, `aromatic-genus-oil`, ...).
    pub id: &'static str,
    /// The category it assigns.
    pub category: Category,
    /// Where the assigned fact applies.
    pub scope: Scope,
    /// What it looks at.
    pub kind: RuleKind,
    /// Categories that, when already assigned, stop this rule (the peptide partition).
    pub blocked_by: Vec<Category>,
    /// What it recognises, in a sentence.
    pub explain: &'static str,
    /// The source of the rule.
    pub source: &'static str,
}

/// One row of the aromatic-genus table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Genus {
    /// The key: the genus or a spelling alias of it (upper case).
    pub key: &'static str,
    /// The genus the key stands for.
    pub genus: &'static str,
    /// Parts allowed for this genus (`*` = the rule's default parts, `NONE` = no part).
    pub parts: Vec<&'static str>,
    /// Common names.
    pub common: &'static str,
    /// The source of the row.
    pub source: &'static str,
}

/// A problem in the embedded tables, found by [`KnowledgeBase::validate`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KbError {
    /// A line that does not have the expected shape.
    #[error("{table}.tsv line {line}: {message}")]
    Malformed {
        /// The table's name.
        table: &'static str,
        /// The 1-based line number.
        line: usize,
        /// What is wrong.
        message: String,
    },
    /// Keys not in strictly increasing byte order (binary search would miss names).
    #[error("{table}.tsv line {line}: key {key:?} is not greater than the previous key")]
    Unsorted {
        /// The table's name.
        table: &'static str,
        /// The 1-based line number.
        line: usize,
        /// The key out of order.
        key: String,
    },
}

// ---------------------------------------------------------------------------------------
// Sorted tables searched in place
// ---------------------------------------------------------------------------------------

/// A text of lines sorted by their first tab-separated field, searched by bisection over
/// the bytes (no index, no start-up work).
#[derive(Debug, Clone, Copy)]
struct SortedLines {
    text: &'static str,
}

impl SortedLines {
    /// The line whose key is `key`, without its line end.
    fn find(&self, key: &str) -> Option<&'static str> {
        let text: &'static str = self.text;
        // Invariant: every line that starts before `lo` has a smaller key, every line that
        // starts at or after `hi` a greater one; `lo` and `hi` are line starts (or the end).
        let (mut lo, mut hi) = (0usize, text.len());
        while lo < hi {
            let mut mid = lo + (hi - lo) / 2;
            // `lo` is a line start, hence a character boundary: this stops at `lo` at worst.
            while !text.is_char_boundary(mid) {
                mid -= 1;
            }
            let start = text[lo..mid].rfind('\n').map_or(lo, |p| lo + p + 1);
            let end = text[start..hi].find('\n').map_or(hi, |p| start + p);
            let line = &text[start..end];
            let line_key = line.split('\t').next().unwrap_or("");
            match line_key.cmp(key) {
                Ordering::Equal => return Some(line),
                Ordering::Less => lo = (end + 1).min(hi),
                Ordering::Greater => hi = start,
            }
        }
        None
    }

    /// Every line, in order.
    fn lines(&self) -> impl Iterator<Item = &'static str> {
        let text: &'static str = self.text;
        text.lines()
    }

    /// Every key, in order.
    fn keys(&self) -> impl Iterator<Item = &'static str> {
        self.lines().map(|l| l.split('\t').next().unwrap_or(""))
    }
}

// ---------------------------------------------------------------------------------------
// The knowledge base
// ---------------------------------------------------------------------------------------

/// The embedded tables, as text (so tests can build a knowledge base of their own).
#[derive(Debug, Clone, Copy)]
struct Tables {
    cosing: &'static str,
    cosing_meta: &'static str,
    curated: &'static str,
    texts: &'static str,
    rules: &'static str,
    genera: &'static str,
}

/// The ingredient knowledge base: curated categories and exclusions, CosIng records and
/// the fallback rules. Get the embedded one with [`KnowledgeBase::embedded`].
#[derive(Debug, Clone)]
pub struct KnowledgeBase {
    tables: Tables,
    cosing: SortedLines,
    curated: SortedLines,
    texts: Vec<&'static str>,
    rules: Vec<Rule>,
    genera: Vec<Genus>,
}

impl KnowledgeBase {
    /// The knowledge base embedded in the binary, set up on first use (it splits only the
    /// small tables; the large ones are searched in place).
    pub fn embedded() -> &'static KnowledgeBase {
        static EMBEDDED: OnceLock<KnowledgeBase> = OnceLock::new();
        EMBEDDED.get_or_init(|| {
            KnowledgeBase::from_tables(Tables {
                cosing: tables::COSING,
                cosing_meta: tables::COSING_META,
                curated: tables::CURATED,
                texts: tables::TEXTS,
                rules: tables::RULES,
                genera: tables::GENERA,
            })
        })
    }

    /// Builds a knowledge base from table texts. Malformed rule or genus lines are skipped
    /// here; [`KnowledgeBase::validate`] reports them.
    fn from_tables(tables: Tables) -> KnowledgeBase {
        let texts: Vec<&'static str> = tables.texts.lines().collect();
        let text = |id: &str| id.parse::<usize>().ok().and_then(|i| texts.get(i).copied());
        let rules = tables
            .rules
            .lines()
            .filter_map(|line| parse_rule(line, &text).ok())
            .collect();
        let genera = tables
            .genera
            .lines()
            .filter_map(|line| parse_genus(line, &text).ok())
            .collect();
        KnowledgeBase {
            tables,
            cosing: SortedLines {
                text: tables.cosing,
            },
            curated: SortedLines {
                text: tables.curated,
            },
            texts,
            rules,
            genera,
        }
    }

    /// Everything known about a normalised name (see [`normalize_inci_name`]): a curated name
    /// or synonym, or a CosIng name. `None` means the name is unknown, which the checker must
    /// report as such (never as "fine"). Rule-derived categories are included, marked with
    /// [`Basis::Rule`], for categories the curated data neither lists nor excludes.
    pub fn lookup(&self, normalized: &str) -> Option<Entry> {
        let mut synonym_key: Option<&'static str> = None;
        let mut synonym_source = None;
        let mut curated_line = self.curated.find(normalized);
        if let Some(line) = curated_line {
            let mut fields = line.split('\t');
            let key = fields.next().unwrap_or("");
            let target = fields.next().unwrap_or("=");
            if target != "=" {
                synonym_key = Some(key);
                let facts = fields.next().unwrap_or("");
                synonym_source = facts.strip_prefix("s:").and_then(|id| self.text(id));
                curated_line = self.curated.find(target);
            }
        }
        let (name, cosing_line) = match curated_line {
            Some(line) => {
                let name = line.split('\t').next().unwrap_or("");
                (name, self.cosing.find(name))
            }
            None => {
                let line = self.cosing.find(normalized)?;
                (line.split('\t').next().unwrap_or(""), Some(line))
            }
        };
        let matched = synonym_key.unwrap_or(name);
        let cosing = cosing_line.map(parse_cosing);
        let mut entry = Entry {
            name,
            matched,
            synonym_source,
            cosing,
            categories: Vec::new(),
            comedogenic: None,
            exclusions: Vec::new(),
            curated: curated_line.is_some(),
            listing: None,
        };
        if let Some(line) = curated_line {
            let facts = line.splitn(3, '\t').nth(2).unwrap_or("");
            for item in facts.split(';').filter(|i| !i.is_empty()) {
                // Malformed items cannot occur in the embedded data (see `validate`).
                let _ = self.apply_fact(item, &mut entry);
            }
        }
        if let Some(rating) = entry.comedogenic
            && rating.is_high()
            && entry.exclusion(Category::Comedogenic).is_none()
        {
            entry.categories.push(CategoryFact {
                category: Category::Comedogenic,
                scope: Scope::Always,
                classic_eu26: false,
                source: rating.source,
                note: rating.note,
                basis: Basis::Curated,
            });
        }
        let derived = self.derive(
            name,
            entry.cosing.as_ref(),
            &entry.categories,
            &entry.exclusions,
        );
        entry.categories.extend(derived);
        Some(entry)
    }

    /// [`KnowledgeBase::lookup`] of a name as printed: normalises it first.
    pub fn lookup_printed(&self, printed: &str) -> Option<Entry> {
        self.lookup(&normalize_inci_name(printed))
    }

    /// Whether a normalised name is known (curated, synonym or CosIng).
    pub fn contains(&self, normalized: &str) -> bool {
        self.curated.find(normalized).is_some() || self.cosing.find(normalized).is_some()
    }

    /// The categories the fallback rules give a normalised name, for a name that
    /// [`KnowledgeBase::lookup`] does not know (a label variant, a newer INCI name). A
    /// matcher should show these as "recognised by rule", with the rule's explanation.
    pub fn rule_facts(&self, normalized: &str) -> Vec<CategoryFact> {
        self.derive(normalized, None, &[], &[])
    }

    /// The fallback rules, in the order they are tried.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// The aromatic-genus table of the essential-oil rule, sorted by key.
    pub fn genera(&self) -> &[Genus] {
        &self.genera
    }

    /// The genus row for a genus name or spelling alias (upper case), if listed.
    pub fn genus(&self, key: &str) -> Option<&Genus> {
        self.genera
            .binary_search_by(|g| g.key.cmp(key))
            .ok()
            .and_then(|i| self.genera.get(i))
    }

    /// Every known name (curated names, their synonyms and CosIng names), normalised, in
    /// byte order, each once. About 30,500 names; nothing is allocated per name.
    pub fn names(&self) -> impl Iterator<Item = &'static str> {
        MergedKeys {
            a: self.curated.keys().peekable(),
            b: self.cosing.keys().peekable(),
        }
    }

    /// The curated names and synonyms (normalised, in byte order).
    pub fn curated_names(&self) -> impl Iterator<Item = &'static str> {
        self.curated.keys()
    }

    /// The provenance of the CosIng table, `key=value` lines (source hash, row counts, date,
    /// attribution).
    pub fn cosing_provenance(&self) -> &'static str {
        self.tables.cosing_meta
    }

    /// Checks the embedded tables: every line well formed, keys sorted and unique, every
    /// text reference valid, every synonym pointing at a curated name, every key a fixed
    /// point of [`normalize_inci_name`]. The tests run it; the binaries may run it as a
    /// self-check.
    pub fn validate(&self) -> Result<(), KbError> {
        check_sorted("cosing", self.tables.cosing)?;
        check_sorted("curated", self.tables.curated)?;
        check_sorted("genera", self.tables.genera)?;
        let text = |id: &str| self.text(id);
        for (i, line) in self.tables.cosing.lines().enumerate() {
            let malformed = |message: &str| KbError::Malformed {
                table: "cosing",
                line: i + 1,
                message: message.to_owned(),
            };
            let fields: Vec<&str> = line.split('\t').collect();
            if fields.len() != 5 {
                return Err(malformed("expected 5 fields"));
            }
            if fields[1].split(',').any(|r| r.parse::<u32>().is_err()) {
                return Err(malformed("bad reference number"));
            }
            if !matches!(fields[4], "" | "E" | "F") {
                return Err(malformed("bad oil hint"));
            }
            check_normalized("cosing", i + 1, fields[0])?;
        }
        for (i, line) in self.tables.curated.lines().enumerate() {
            let malformed = |message: String| KbError::Malformed {
                table: "curated",
                line: i + 1,
                message,
            };
            let fields: Vec<&str> = line.split('\t').collect();
            if fields.len() != 3 {
                return Err(malformed("expected 3 fields".to_owned()));
            }
            check_normalized("curated", i + 1, fields[0])?;
            if fields[1] == "=" {
                let mut entry = self
                    .lookup(fields[0])
                    .ok_or_else(|| malformed("name not found".to_owned()))?;
                entry.categories.clear();
                entry.exclusions.clear();
                for item in fields[2].split(';') {
                    self.apply_fact(item, &mut entry).map_err(&malformed)?;
                }
            } else {
                let target = self.curated.find(fields[1]);
                if target.is_none_or(|t| t.split('\t').nth(1) != Some("=")) {
                    return Err(malformed(format!(
                        "synonym target {} is not a curated name",
                        fields[1]
                    )));
                }
                if self.cosing.find(fields[0]).is_some() {
                    return Err(malformed("a synonym must not be a CosIng name".to_owned()));
                }
                let ok = fields[2].strip_prefix("s:").and_then(text).is_some();
                if !ok {
                    return Err(malformed("bad synonym source".to_owned()));
                }
            }
        }
        for (i, line) in self.tables.rules.lines().enumerate() {
            parse_rule(line, &text).map_err(|message| KbError::Malformed {
                table: "rules",
                line: i + 1,
                message,
            })?;
        }
        for (i, line) in self.tables.genera.lines().enumerate() {
            parse_genus(line, &text).map_err(|message| KbError::Malformed {
                table: "genera",
                line: i + 1,
                message,
            })?;
        }
        Ok(())
    }

    /// A text by its id (its 0-based line number in `texts.tsv`).
    fn text(&self, id: &str) -> Option<&'static str> {
        id.parse::<usize>()
            .ok()
            .and_then(|i| self.texts.get(i).copied())
    }

    /// Adds one curated fact item (`c:...`, `r:...`, `x:...`, `n:...`) to an entry.
    fn apply_fact(&self, item: &'static str, entry: &mut Entry) -> Result<(), String> {
        let mut split = item.split(':');
        let mut fields: [&'static str; 5] = [""; 5];
        let mut count = 0;
        for field in split.by_ref() {
            if count == fields.len() {
                return Err(format!("malformed fact {item:?}"));
            }
            fields[count] = field;
            count += 1;
        }
        let fields = &fields[..count];
        let text = |id: &'static str| {
            self.text(id)
                .ok_or_else(|| format!("bad text reference {id:?} in {item:?}"))
        };
        let note = |id: &'static str| {
            if id == "-" {
                Ok(None)
            } else {
                text(id).map(Some)
            }
        };
        match fields {
            ["c", category, flags, source, note_id] => {
                let category = parse_category(category)?;
                let mut scope = Scope::Always;
                let mut classic_eu26 = false;
                for flag in flags.split(',').filter(|f| *f != "-") {
                    match flag {
                        "scrub_only" => scope = Scope::ScrubOnly,
                        "sunscreen_active_only" => scope = Scope::SunscreenActiveOnly,
                        "eu26" => classic_eu26 = true,
                        other => return Err(format!("unknown flag {other:?}")),
                    }
                }
                entry.categories.push(CategoryFact {
                    category,
                    scope,
                    classic_eu26,
                    source: text(source)?,
                    note: note(note_id)?,
                    basis: Basis::Curated,
                });
            }
            ["r", rating, source, note_id] => {
                let rating: u8 = rating
                    .parse()
                    .ok()
                    .filter(|r| *r <= 5)
                    .ok_or_else(|| format!("bad rating in {item:?}"))?;
                entry.comedogenic = Some(ComedogenicRating {
                    rating,
                    source: text(source)?,
                    note: note(note_id)?,
                });
            }
            ["n", source, note_id] => {
                entry.listing = Some(NameListing {
                    source: text(source)?,
                    note: note(note_id)?,
                });
            }
            ["x", category, reason, source] => {
                entry.exclusions.push(Exclusion {
                    category: parse_category(category)?,
                    reason: text(reason)?,
                    source: text(source)?,
                });
            }
            _ => return Err(format!("malformed fact {item:?}")),
        }
        Ok(())
    }

    /// The facts the rules give a name, skipping categories already present or excluded.
    fn derive(
        &self,
        name: &str,
        cosing: Option<&CosingRecord>,
        present: &[CategoryFact],
        exclusions: &[Exclusion],
    ) -> Vec<CategoryFact> {
        let mut derived: Vec<CategoryFact> = Vec::new();
        for rule in &self.rules {
            let has = |c: Category| {
                present
                    .iter()
                    .chain(derived.iter())
                    .any(|f| f.category == c)
            };
            if has(rule.category)
                || exclusions.iter().any(|x| x.category == rule.category)
                || rule.blocked_by.iter().any(|c| has(*c))
            {
                continue;
            }
            let genus = match &rule.kind {
                RuleKind::Glob { globs, unless } => {
                    let hit = globs.iter().any(|g| glob_match(g, name))
                        && !unless.iter().any(|g| glob_match(g, name));
                    if !hit {
                        continue;
                    }
                    None
                }
                RuleKind::CosingEssentialOil => {
                    if cosing.map(|c| c.oil) != Some(OilDescription::Essential) {
                        continue;
                    }
                    None
                }
                RuleKind::Genus {
                    default_parts,
                    other_parts,
                } => {
                    if cosing.map(|c| c.oil) == Some(OilDescription::Fixed) {
                        continue;
                    }
                    match self.genus_oil_match(name, default_parts, other_parts) {
                        Some(g) => Some(GenusMatch {
                            genus: g.genus,
                            common: g.common,
                        }),
                        None => continue,
                    }
                }
            };
            derived.push(CategoryFact {
                category: rule.category,
                scope: rule.scope,
                classic_eu26: false,
                source: rule.source,
                note: None,
                basis: Basis::Rule {
                    id: rule.id,
                    explain: rule.explain,
                    genus,
                },
            });
        }
        derived
    }

    /// The genus row when `name` reads `<Genus species...> [Part[/Part]...] Oil [Expressed]`
    /// with a listed genus and parts that genus allows. Bracketed common names are ignored.
    fn genus_oil_match(
        &self,
        name: &str,
        default_parts: &[&'static str],
        other_parts: &[&'static str],
    ) -> Option<&Genus> {
        if !name.contains("OIL") {
            return None;
        }
        let plain = without_brackets(name);
        let mut words: Vec<&str> = plain.split(' ').filter(|w| !w.is_empty()).collect();
        while words.last().is_some_and(|w| OIL_QUALIFIERS.contains(w)) {
            words.pop();
        }
        if !matches!(words.pop(), Some("OIL" | "OILS")) {
            return None;
        }
        let (first, rest) = words.split_first()?;
        let genus = self.genus(first)?;
        let is_part_word =
            |w: &str| w != "NONE" && (default_parts.contains(&w) || other_parts.contains(&w));
        let is_part_token = |t: &str| t.split('/').all(is_part_word);
        let species_len = rest
            .iter()
            .rposition(|t| !is_part_token(t))
            .map_or(0, |p| p + 1);
        let (species, parts) = rest.split_at(species_len);
        if species.is_empty() || species.iter().any(|w| w.contains('/')) {
            return None;
        }
        let allowed = |part: &str| {
            genus
                .parts
                .iter()
                .any(|p| *p == part || (*p == "*" && default_parts.contains(&part)))
        };
        let ok = if parts.is_empty() {
            allowed("NONE")
        } else {
            parts.iter().all(|t| t.split('/').all(allowed))
        };
        ok.then_some(genus)
    }
}

/// Merges two sorted key iterators, dropping duplicates.
struct MergedKeys<A: Iterator<Item = &'static str>, B: Iterator<Item = &'static str>> {
    a: std::iter::Peekable<A>,
    b: std::iter::Peekable<B>,
}

impl<A, B> Iterator for MergedKeys<A, B>
where
    A: Iterator<Item = &'static str>,
    B: Iterator<Item = &'static str>,
{
    type Item = &'static str;

    fn next(&mut self) -> Option<&'static str> {
        match (self.a.peek(), self.b.peek()) {
            (Some(x), Some(y)) => match x.cmp(y) {
                Ordering::Less => self.a.next(),
                Ordering::Greater => self.b.next(),
                Ordering::Equal => {
                    self.b.next();
                    self.a.next()
                }
            },
            (Some(_), None) => self.a.next(),
            (None, _) => self.b.next(),
        }
    }
}

// ---------------------------------------------------------------------------------------
// Parsing the small tables and matching
// ---------------------------------------------------------------------------------------

fn parse_category(id: &str) -> Result<Category, String> {
    id.parse::<Category>().map_err(|e| e.to_string())
}

fn parse_scope(value: &str) -> Result<Scope, String> {
    match value {
        "-" => Ok(Scope::Always),
        "scrub_only" => Ok(Scope::ScrubOnly),
        "sunscreen_active_only" => Ok(Scope::SunscreenActiveOnly),
        other => Err(format!("unknown scope {other:?}")),
    }
}

/// A `|`-separated list, `-` meaning empty.
fn list(field: &'static str, separator: char) -> Vec<&'static str> {
    if field == "-" {
        Vec::new()
    } else {
        field.split(separator).collect()
    }
}

fn parse_rule(
    line: &'static str,
    text: &impl Fn(&str) -> Option<&'static str>,
) -> Result<Rule, String> {
    let fields: Vec<&'static str> = line.split('\t').collect();
    let [
        id,
        category,
        kind,
        scope,
        pattern,
        unless,
        blocked,
        explain,
        source,
    ] = fields.as_slice()
    else {
        return Err("expected 9 fields".to_owned());
    };
    let kind = match *kind {
        "glob" => RuleKind::Glob {
            globs: list(pattern, '|'),
            unless: list(unless, '|'),
        },
        "genus" => RuleKind::Genus {
            default_parts: list(pattern, '|'),
            other_parts: list(unless, '|'),
        },
        "cosing_essential_oil" => RuleKind::CosingEssentialOil,
        other => return Err(format!("unknown rule kind {other:?}")),
    };
    if let RuleKind::Glob { globs, .. } = &kind
        && globs.is_empty()
    {
        return Err("a glob rule needs patterns".to_owned());
    }
    Ok(Rule {
        id,
        category: parse_category(category)?,
        scope: parse_scope(scope)?,
        kind,
        blocked_by: list(blocked, ',')
            .into_iter()
            .map(parse_category)
            .collect::<Result<_, _>>()?,
        explain: text(explain).ok_or("bad explain reference")?,
        source: text(source).ok_or("bad source reference")?,
    })
}

fn parse_genus(
    line: &'static str,
    text: &impl Fn(&str) -> Option<&'static str>,
) -> Result<Genus, String> {
    let fields: Vec<&'static str> = line.split('\t').collect();
    let [key, genus, parts, common, source] = fields.as_slice() else {
        return Err("expected 5 fields".to_owned());
    };
    Ok(Genus {
        key,
        genus,
        parts: parts.split(',').collect(),
        common,
        source: text(source).ok_or("bad source reference")?,
    })
}

fn parse_cosing(line: &'static str) -> CosingRecord {
    let mut fields = line.split('\t').skip(1);
    let mut next = || fields.next().unwrap_or("");
    let ref_numbers = next();
    let functions = next();
    let annex = next();
    let oil = match next() {
        "E" => OilDescription::Essential,
        "F" => OilDescription::Fixed,
        _ => OilDescription::Unspecified,
    };
    CosingRecord {
        ref_numbers,
        functions,
        annex,
        oil,
    }
}

fn check_sorted(table: &'static str, text: &str) -> Result<(), KbError> {
    let mut previous: Option<&str> = None;
    for (i, line) in text.lines().enumerate() {
        let key = line.split('\t').next().unwrap_or("");
        if previous.is_some_and(|p| p >= key) {
            return Err(KbError::Unsorted {
                table,
                line: i + 1,
                key: key.to_owned(),
            });
        }
        previous = Some(key);
    }
    Ok(())
}

fn check_normalized(table: &'static str, line: usize, key: &str) -> Result<(), KbError> {
    if key.is_empty() || normalize_inci_name(key) != key {
        return Err(KbError::Malformed {
            table,
            line,
            message: format!("key {key:?} is not normalised"),
        });
    }
    Ok(())
}

/// The name with bracketed groups removed and spaces tidied ("CITRUS LIMON (LEMON) PEEL
/// OIL" -> "CITRUS LIMON PEEL OIL").
fn without_brackets(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut depth = 0usize;
    for c in name.chars() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            c if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Matches a pattern where `*` is any text (possibly empty) and `#` one or more ASCII digits;
/// every other character matches itself.
fn glob_match(pattern: &str, text: &str) -> bool {
    // Every literal piece must occur in the text: a fast rejection for most names.
    pattern.split(['*', '#']).all(|piece| text.contains(piece))
        && glob_bytes(pattern.as_bytes(), text.as_bytes())
}

fn glob_bytes(pattern: &[u8], text: &[u8]) -> bool {
    match pattern.split_first() {
        None => text.is_empty(),
        Some((b'*', rest)) => {
            // Collapse runs of '*'; then try every split point.
            let rest = rest
                .iter()
                .position(|&b| b != b'*')
                .map_or(&[][..], |p| &rest[p..]);
            if rest.is_empty() {
                return true;
            }
            (0..=text.len()).any(|i| glob_bytes(rest, &text[i..]))
        }
        Some((b'#', rest)) => {
            let digits = text.iter().take_while(|b| b.is_ascii_digit()).count();
            (1..=digits).rev().any(|n| glob_bytes(rest, &text[n..]))
        }
        Some((&c, rest)) => text
            .split_first()
            .is_some_and(|(&t, text_rest)| t == c && glob_bytes(rest, text_rest)),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};
    use std::path::PathBuf;

    use proptest::prelude::*;

    use super::*;

    fn kb() -> &'static KnowledgeBase {
        KnowledgeBase::embedded()
    }

    /// Looks a printed name up the way every caller must: normalise first.
    fn get(name: &str) -> Entry {
        kb().lookup_printed(name)
            .unwrap_or_else(|| panic!("{name} is not in the knowledge base"))
    }

    /// Every known name, collected once for the property tests.
    fn all_names() -> &'static [&'static str] {
        static NAMES: OnceLock<Vec<&'static str>> = OnceLock::new();
        NAMES.get_or_init(|| kb().names().collect())
    }

    fn clean(text: &str) -> String {
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    // -- Normalisation ------------------------------------------------------------------

    #[test]
    fn normalization_unifies_case_space_dashes_quotes_and_full_stops() {
        assert_eq!(
            normalize_inci_name("  sodium   hyaluronate "),
            "SODIUM HYALURONATE"
        );
        assert_eq!(normalize_inci_name("Laureth\u{2013}4"), "LAURETH-4");
        assert_eq!(
            normalize_inci_name("sh\u{2011}Oligopeptide\u{2212}1"),
            "SH-OLIGOPEPTIDE-1"
        );
        assert_eq!(
            normalize_inci_name("Caprylic / Capric Triglyceride"),
            "CAPRYLIC/CAPRIC TRIGLYCERIDE"
        );
        assert_eq!(normalize_inci_name("Glycerin."), "GLYCERIN");
        assert_eq!(normalize_inci_name("Alcohol Denat."), "ALCOHOL DENAT.");
        assert_eq!(normalize_inci_name("alcohol denat. ."), "ALCOHOL DENAT.");
        assert_eq!(normalize_inci_name("Job\u{2019}s Tears"), "JOB'S TEARS");
        assert_eq!(normalize_inci_name("Ｒｅｔｉｎｏｌ"), "RETINOL");
        assert_eq!(normalize_inci_name("Ceramide\u{00A0}NP"), "CERAMIDE NP");
        assert_eq!(
            normalize_inci_name("Lavandula Angustifolia ( Lavender ) Oil"),
            "LAVANDULA ANGUSTIFOLIA (LAVENDER) OIL"
        );
        assert_eq!(normalize_inci_name("Ret\u{00AD}inol\u{200B}"), "RETINOL");
        assert_eq!(normalize_inci_name(""), "");
        assert_eq!(normalize_inci_name(" . "), "");
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

        #[test]
        fn the_ascii_shortcut_agrees_with_the_unicode_path(text in "[\\x00-\\x7F]{0,40}") {
            prop_assert_eq!(fold_ascii(&text), fold_unicode(&text));
        }

        #[test]
        fn normalization_is_idempotent(text in ".{0,40}") {
            let once = normalize_inci_name(&text);
            prop_assert_eq!(normalize_inci_name(&once), once);
        }

        #[test]
        fn normalized_names_are_trimmed_single_spaced_without_ascii_lower_case(text in ".{0,40}") {
            let n = normalize_inci_name(&text);
            prop_assert_eq!(n.trim(), n.as_str());
            prop_assert!(!n.contains("  "));
            prop_assert!(!n.bytes().any(|b| b.is_ascii_lowercase()));
            prop_assert!(!n.ends_with('.') || n == "ALCOHOL DENAT.");
        }

        #[test]
        fn lookup_and_rules_accept_any_input(text in "\\PC{0,60}") {
            let n = normalize_inci_name(&text);
            let _ = kb().lookup(&n);
            let _ = kb().rule_facts(&n);
            let _ = kb().lookup(&text);
        }

        #[test]
        fn a_known_name_is_found_whatever_its_printed_case_and_spacing(
            index in 0usize..30_000,
            lower in proptest::collection::vec(any::<bool>(), 64),
            pad in 0usize..3,
        ) {
            let names = all_names();
            let name = names[index % names.len()];
            let printed: String = name
                .chars()
                .zip(lower.iter().cycle())
                .map(|(c, l)| if *l { c.to_ascii_lowercase() } else { c })
                .collect::<String>()
                .replace(' ', &" ".repeat(pad + 1));
            let entry = kb().lookup(&normalize_inci_name(&printed));
            prop_assert!(entry.is_some(), "{} printed as {}", name, printed);
        }
    }

    // -- The embedded tables ------------------------------------------------------------

    #[test]
    fn embedded_tables_are_valid_sorted_and_normalised() {
        kb().validate()
            .expect("the embedded knowledge base is valid");
    }

    #[test]
    fn every_key_of_both_tables_is_found_by_binary_search() {
        let kb = kb();
        for key in kb.cosing.keys() {
            assert!(kb.cosing.find(key).is_some(), "CosIng {key}");
        }
        for key in kb.curated.keys() {
            assert!(kb.curated.find(key).is_some(), "curated {key}");
        }
        assert!(kb.cosing.find("").is_none());
        assert!(kb.cosing.find("\u{10FFFF}").is_none());
        assert!(kb.cosing.find("!").is_none());
    }

    #[test]
    fn names_lists_every_name_once_in_order() {
        let names: Vec<&str> = kb().names().collect();
        assert!(names.len() > 30_000, "{} names", names.len());
        assert!(names.windows(2).all(|w| w[0] < w[1]));
        for name in [
            "RETINOL",
            "AVOBENZONE",
            "CAPRYLIC/CAPRIC TRIGLYCERIDE",
            "ADAPALENE",
        ] {
            assert!(names.binary_search(&name).is_ok(), "{name}");
        }
        assert!(kb().curated_names().count() < names.len());
    }

    #[test]
    fn cosing_provenance_and_attribution_are_embedded() {
        let meta = kb().cosing_provenance();
        assert!(meta.contains(
            "source_sha256=92aa9614b1e7d24347054cae12812c7e3c48b4d35afff1271040b5347b995d40"
        ));
        assert!(meta.contains(COSING_ATTRIBUTION));
    }

    // -- The generated tables match the curated TOML -------------------------------------

    /// The curated files, read from `data/ingredients/categories/` (tests may read files).
    fn curated_files() -> Vec<(String, toml::Table)> {
        let dir =
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/ingredients/categories");
        let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
            .expect("data/ingredients/categories exists")
            .map(|e| e.expect("readable entry").path())
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        paths.sort();
        paths
            .into_iter()
            .map(|p| {
                let text = std::fs::read_to_string(&p).expect("readable curated file");
                let table: toml::Table =
                    toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
                (p.display().to_string(), table)
            })
            .collect()
    }

    fn str_field<'a>(table: &'a toml::Table, key: &str) -> Option<&'a str> {
        table.get(key).and_then(|v| v.as_str())
    }

    fn str_list(table: &toml::Table, key: &str) -> Vec<String> {
        table
            .get(key)
            .and_then(|v| v.as_array())
            .map(|a| {
                a.iter()
                    .filter_map(|v| v.as_str())
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default()
    }

    fn tables_of<'a>(doc: &'a toml::Table, key: &str) -> Vec<&'a toml::Table> {
        doc.get(key)
            .and_then(|v| v.as_array())
            .map(|a| a.iter().filter_map(|v| v.as_table()).collect())
            .unwrap_or_default()
    }

    #[test]
    fn every_curated_fact_synonym_and_exclusion_is_in_the_generated_tables() {
        let kb = kb();
        let mut canonical: BTreeSet<String> = BTreeSet::new();
        let mut synonyms: BTreeSet<String> = BTreeSet::new();
        let mut rule_ids: Vec<String> = Vec::new();
        let mut genus_keys: BTreeSet<String> = BTreeSet::new();
        for (file, doc) in curated_files() {
            let head = doc
                .get("file")
                .and_then(|v| v.as_table())
                .expect("[file] table");
            let default_source = clean(str_field(head, "source").expect("file source"));
            let default_category = str_field(head, "category").map(str::to_owned);
            for entry in tables_of(&doc, "entry") {
                let name = str_field(entry, "name").expect("entry name");
                let key = normalize_inci_name(name);
                let found = kb
                    .lookup(&key)
                    .unwrap_or_else(|| panic!("{file}: {name} missing"));
                assert_eq!(found.name, key, "{file}: {name}");
                assert!(found.curated, "{file}: {name}");
                let source = str_field(entry, "source").map_or(default_source.clone(), clean);
                let note = str_field(entry, "note").map(clean);
                let mut categories = str_list(entry, "categories");
                if entry.get("categories").is_none() {
                    categories.extend(default_category.clone());
                }
                for id in &categories {
                    let category: Category = id.parse().expect("category id");
                    let fact = found
                        .fact(category)
                        .unwrap_or_else(|| panic!("{file}: {name} lacks {id}"));
                    assert_eq!(fact.basis, Basis::Curated, "{file}: {name} {id}");
                    assert_eq!(fact.source, source, "{file}: {name} {id} source");
                    assert_eq!(
                        fact.note.map(str::to_owned),
                        note,
                        "{file}: {name} {id} note"
                    );
                    let expected_scope = match str_field(entry, "scope") {
                        Some("scrub_only") => Scope::ScrubOnly,
                        Some("sunscreen_active_only") => Scope::SunscreenActiveOnly,
                        _ => Scope::Always,
                    };
                    assert_eq!(fact.scope, expected_scope, "{file}: {name} {id} scope");
                    let eu26 = entry.get("eu26").and_then(|v| v.as_bool()).unwrap_or(false);
                    assert_eq!(
                        fact.classic_eu26,
                        eu26 && category == Category::FragranceAllergen
                    );
                }
                if let Some(rating) = entry.get("comedogenic").and_then(|v| v.as_integer()) {
                    let got = found
                        .comedogenic
                        .unwrap_or_else(|| panic!("{file}: {name} rating"));
                    assert_eq!(i64::from(got.rating), rating, "{file}: {name}");
                    assert_eq!(got.source, source, "{file}: {name} rating source");
                    assert_eq!(
                        found.has(Category::Comedogenic),
                        rating >= 4,
                        "{file}: {name}"
                    );
                }
                let synonym_source =
                    str_field(entry, "synonym_source").map_or(source.clone(), clean);
                for synonym in str_list(entry, "synonyms") {
                    let skey = normalize_inci_name(&synonym);
                    let via = kb
                        .lookup(&skey)
                        .unwrap_or_else(|| panic!("{file}: synonym {synonym}"));
                    assert_eq!(via.name, key, "{file}: synonym {synonym}");
                    assert_eq!(via.matched, skey);
                    assert!(
                        via.synonym_source.is_some(),
                        "{file}: synonym {synonym} source"
                    );
                    // A synonym listed twice keeps the source given first.
                    if synonyms.insert(skey) {
                        assert!(!synonym_source.is_empty());
                    }
                }
                canonical.insert(key);
            }
            for excl in tables_of(&doc, "exclusion") {
                let name = str_field(excl, "name").expect("exclusion name");
                let key = normalize_inci_name(name);
                let found = kb
                    .lookup(&key)
                    .unwrap_or_else(|| panic!("{file}: {name} missing"));
                let reason = clean(str_field(excl, "reason").expect("reason"));
                let source = str_field(excl, "source").map_or(default_source.clone(), clean);
                for id in str_list(excl, "not") {
                    let category: Category = id.parse().expect("category id");
                    let x = found
                        .exclusion(category)
                        .unwrap_or_else(|| panic!("{file}: {name} not {id}"));
                    assert_eq!(x.reason, reason, "{file}: {name}");
                    assert_eq!(x.source, source, "{file}: {name}");
                    assert!(
                        !found.has(category),
                        "{file}: {name} is excluded from {id} but has it"
                    );
                }
                for synonym in str_list(excl, "synonyms") {
                    let skey = normalize_inci_name(&synonym);
                    assert_eq!(
                        kb.lookup(&skey).map(|e| e.name),
                        Some(key.as_str()),
                        "{file}: {synonym}"
                    );
                    synonyms.insert(skey);
                }
                canonical.insert(key);
            }
            for rule in tables_of(&doc, "rule") {
                rule_ids.push(str_field(rule, "id").expect("rule id").to_owned());
            }
            for genus in tables_of(&doc, "genus") {
                genus_keys.insert(normalize_inci_name(
                    str_field(genus, "genus").expect("genus"),
                ));
                for alias in str_list(genus, "aliases") {
                    genus_keys.insert(normalize_inci_name(&alias));
                }
            }
        }
        // Nothing stale: the generated table holds exactly the curated names and synonyms.
        let mut rows_canonical = BTreeSet::new();
        let mut rows_synonyms = BTreeSet::new();
        for line in kb.curated.lines() {
            let mut fields = line.split('\t');
            let key = fields.next().unwrap_or("").to_owned();
            if fields.next() == Some("=") {
                rows_canonical.insert(key);
            } else {
                rows_synonyms.insert(key);
            }
        }
        assert_eq!(
            rows_canonical, canonical,
            "curated.tsv is out of date: run tools/gen_ingredient_kb.py"
        );
        assert_eq!(
            rows_synonyms, synonyms,
            "curated.tsv is out of date: run tools/gen_ingredient_kb.py"
        );
        let generated_rules: Vec<String> = kb.rules().iter().map(|r| r.id.to_owned()).collect();
        assert_eq!(generated_rules, rule_ids, "rules.tsv is out of date");
        let generated_genera: BTreeSet<String> =
            kb.genera().iter().map(|g| g.key.to_owned()).collect();
        assert_eq!(generated_genera, genus_keys, "genera.tsv is out of date");
    }

    // -- Families are complete ----------------------------------------------------------

    fn curated_with(category: Category) -> Vec<Entry> {
        kb().curated
            .lines()
            .filter(|l| l.split('\t').nth(1) == Some("="))
            .filter_map(|l| kb().lookup(l.split('\t').next().unwrap_or("")))
            .filter(|e| e.fact(category).is_some_and(|f| f.basis == Basis::Curated))
            .collect()
    }

    #[test]
    fn the_classic_26_fragrance_allergens_and_the_2023_extension_are_listed() {
        let allergens = curated_with(Category::FragranceAllergen);
        let classic: BTreeSet<&str> = allergens
            .iter()
            .filter(|e| {
                e.fact(Category::FragranceAllergen)
                    .is_some_and(|f| f.classic_eu26)
            })
            .map(|e| e.name)
            .collect();
        assert_eq!(classic.len(), 26, "{classic:?}");
        for name in [
            "AMYL CINNAMAL",
            "BENZYL ALCOHOL",
            "CINNAMYL ALCOHOL",
            "CITRAL",
            "EUGENOL",
            "HYDROXYCITRONELLAL",
            "ISOEUGENOL",
            "AMYLCINNAMYL ALCOHOL",
            "BENZYL SALICYLATE",
            "CINNAMAL",
            "COUMARIN",
            "GERANIOL",
            "HYDROXYISOHEXYL 3-CYCLOHEXENE CARBOXALDEHYDE",
            "ANISE ALCOHOL",
            "BENZYL CINNAMATE",
            "FARNESOL",
            "BUTYLPHENYL METHYLPROPIONAL",
            "LINALOOL",
            "BENZYL BENZOATE",
            "CITRONELLOL",
            "HEXYL CINNAMAL",
            "LIMONENE",
            "METHYL 2-OCTYNOATE",
            "ALPHA-ISOMETHYL IONONE",
            "EVERNIA PRUNASTRI EXTRACT",
            "EVERNIA FURFURACEA EXTRACT",
        ] {
            assert!(classic.contains(name), "{name} is one of the classic 26");
        }
        assert!(allergens.len() >= 80, "{} allergen names", allergens.len());
        for name in [
            "Linalyl Acetate",
            "Menthol",
            "Vanillin",
            "Camphor",
            "Mentha Piperita Oil",
            "Santalum Album Oil",
        ] {
            let fact = *get(name).fact(Category::FragranceAllergen).expect(name);
            assert!(!fact.classic_eu26, "{name} is from the 2023 extension");
            assert!(fact.source.contains("2023/1545"), "{name}: {}", fact.source);
        }
    }

    #[test]
    fn uv_filters_are_known_under_eu_and_us_names() {
        for (us, eu) in [
            ("Avobenzone", "BUTYL METHOXYDIBENZOYLMETHANE"),
            ("Octinoxate", "ETHYLHEXYL METHOXYCINNAMATE"),
            ("Octisalate", "ETHYLHEXYL SALICYLATE"),
            ("Oxybenzone", "BENZOPHENONE-3"),
            ("Sulisobenzone", "BENZOPHENONE-4"),
            ("Ensulizole", "PHENYLBENZIMIDAZOLE SULFONIC ACID"),
            ("Meradimate", "MENTHYL ANTHRANILATE"),
            ("Padimate O", "ETHYLHEXYL DIMETHYL PABA"),
            ("Dioxybenzone", "BENZOPHENONE-8"),
            ("Ecamsule", "TEREPHTHALYLIDENE DICAMPHOR SULFONIC ACID"),
            ("Trolamine Salicylate", "TEA-SALICYLATE"),
            (
                "Bemotrizinol",
                "BIS-ETHYLHEXYLOXYPHENOL METHOXYPHENYL TRIAZINE",
            ),
        ] {
            let entry = get(us);
            assert_eq!(entry.name, eu, "{us}");
            assert_eq!(entry.matched, normalize_inci_name(us));
            assert!(entry.has(Category::ChemicalUvFilter), "{us}");
            assert!(entry.synonym_source.is_some());
        }
        for name in [
            "Homosalate",
            "Octocrylene",
            "Cinoxate",
            "Drometrizole Trisiloxane",
            "Polysilicone-15",
            "Tris-Biphenyl Triazine",
        ] {
            assert!(get(name).has(Category::ChemicalUvFilter), "{name}");
        }
        let all = curated_with(Category::ChemicalUvFilter);
        assert!(all.len() >= 33, "{} organic filters", all.len());
        for name in ["Zinc Oxide", "Titanium Dioxide"] {
            let fact = *get(name).fact(Category::MineralUvFilter).expect(name);
            assert_eq!(fact.scope, Scope::SunscreenActiveOnly);
            assert!(!get(name).has(Category::ChemicalUvFilter));
        }
        assert!(
            get("CI 77891")
                .exclusion(Category::MineralUvFilter)
                .is_some()
        );
        for name in [
            "Butyloctyl Salicylate",
            "Butyl Octyl Salicylate",
            "Ethylhexyl Methoxycrylene",
            "Diethylhexyl Syringylidenemalonate",
            "Benzotriazolyl Dodecyl p-Cresol",
        ] {
            let entry = get(name);
            assert!(!entry.has(Category::ChemicalUvFilter), "{name}");
            assert!(
                entry.exclusion(Category::ChemicalUvFilter).is_some(),
                "{name}"
            );
        }
    }

    #[test]
    fn the_retinoid_family_includes_prescription_retinoids_and_excludes_look_alikes() {
        for name in [
            "Retinol",
            "Retinyl Palmitate",
            "Retinyl Acetate",
            "Retinyl Propionate",
            "Retinyl Linoleate",
            "Retinyl Retinoate",
            "Retinal",
            "Retinaldehyde",
            "Hydroxypinacolone Retinoate",
            "Tretinoin",
            "Retinoic Acid",
            "Isotretinoin",
            "Adapalene",
            "Tazarotene",
            "Trifarotene",
        ] {
            assert!(get(name).has(Category::Retinoid), "{name}");
        }
        // A retinoate ester that is only in CosIng is caught by the rule.
        let ester = get("Dimethylbutanone Retinoate");
        assert!(!ester.curated);
        assert!(matches!(
            ester.fact(Category::Retinoid).map(|f| f.basis),
            Some(Basis::Rule {
                id: "retinoid-ester",
                ..
            })
        ));
        for name in ["Bakuchiol", "Bidens Pilosa Extract"] {
            let entry = get(name);
            assert!(!entry.has(Category::Retinoid), "{name}");
            assert!(entry.exclusion(Category::Retinoid).is_some(), "{name}");
        }
    }

    #[test]
    fn acids_follow_the_labelling_rules() {
        for name in [
            "Glycolic Acid",
            "Lactic Acid",
            "Mandelic Acid",
            "Malic Acid",
            "Tartaric Acid",
        ] {
            assert!(get(name).has(Category::Aha), "{name}");
        }
        for name in [
            "Citric Acid",
            "Sodium Lactate",
            "Lactic Acid/Glycolic Acid Copolymer",
            "Sugar Cane Extract",
        ] {
            let entry = get(name);
            assert!(!entry.has(Category::Aha), "{name}");
            assert!(
                !entry
                    .exclusion(Category::Aha)
                    .expect(name)
                    .reason
                    .is_empty()
            );
        }
        for name in [
            "Salicylic Acid",
            "Betaine Salicylate",
            "Capryloyl Salicylic Acid",
        ] {
            assert!(get(name).has(Category::Bha), "{name}");
        }
        for name in [
            "Willow Bark Extract",
            "Salix Alba Bark Water",
            "Salix Nigra Bark Extract",
            "Homosalate",
            "Butyloctyl Salicylate",
            "Tridecyl Salicylate",
            "Benzyl Salicylate",
        ] {
            let entry = get(name);
            assert!(!entry.has(Category::Bha), "{name}");
            assert!(entry.exclusion(Category::Bha).is_some(), "{name}");
        }
        for name in ["Gluconolactone", "Lactobionic Acid"] {
            assert!(get(name).has(Category::Pha), "{name}");
        }
        for name in ["Azelaic Acid", "Potassium Azeloyl Diglycinate"] {
            assert!(get(name).has(Category::AzelaicAcid), "{name}");
        }
        assert!(get("Benzoyl Peroxide").has(Category::BenzoylPeroxide));
        assert!(get("Hydroquinone").has(Category::Hydroquinone));
    }

    #[test]
    fn benzyl_alcohol_is_a_fragrance_allergen_not_a_drying_alcohol() {
        let entry = get("Benzyl Alcohol");
        let fact = *entry.fact(Category::FragranceAllergen).expect("allergen");
        assert!(fact.classic_eu26);
        assert!(!entry.has(Category::DryingAlcohol));
        assert!(entry.exclusion(Category::DryingAlcohol).is_some());
        assert!(entry.is_exclusion());
        assert!(entry.cosing.is_some_and(|c| c.annex.contains("III/45")));
    }

    #[test]
    fn ethylhexyl_salicylate_is_a_uv_filter_not_a_bha() {
        let entry = get("Ethylhexyl Salicylate");
        assert!(entry.has(Category::ChemicalUvFilter));
        assert!(!entry.has(Category::Bha));
        assert!(entry.exclusion(Category::Bha).is_some());
        assert_eq!(entry.cosing.map(|c| c.annex), Some("VI/20"));
    }

    #[test]
    fn drying_alcohols_and_the_alcohols_that_are_not() {
        for name in [
            "Alcohol",
            "Alcohol Denat.",
            "Alcohol Denat",
            "SD Alcohol 40",
            "SD Alcohol 40-B",
            "Isopropyl Alcohol",
            "Propyl Alcohol",
            "Ethanol",
        ] {
            assert!(get(name).has(Category::DryingAlcohol), "{name}");
        }
        assert_eq!(get("Alcohol Denat").name, "ALCOHOL DENAT.");
        for name in [
            "Cetyl Alcohol",
            "Cetearyl Alcohol",
            "Cetostearyl Alcohol",
            "Stearyl Alcohol",
            "Behenyl Alcohol",
            "Arachidyl Alcohol",
            "Myristyl Alcohol",
            "C14-22 Alcohols",
            "Coconut Alcohol",
            "Phenethyl Alcohol",
            "Lanolin Alcohol",
            "Polyvinyl Alcohol",
            "T-Butyl Alcohol",
            "Denatonium Benzoate",
        ] {
            let entry = get(name);
            assert!(!entry.has(Category::DryingAlcohol), "{name}");
            assert!(entry.exclusion(Category::DryingAlcohol).is_some(), "{name}");
        }
    }

    #[test]
    fn sulfate_surfactants_and_the_surfactants_that_are_not() {
        for name in [
            "Sodium Lauryl Sulfate",
            "SLS",
            "Sodium Laureth Sulfate",
            "Ammonium Lauryl Sulfate",
            "Sodium Coco-Sulfate",
            "TEA-Lauryl Sulfate",
            // Through the rule: CosIng names the curated list does not.
            "Sodium Laureth-5 Sulfate",
            "Ammonium C12-15 Pareth Sulfate",
            "MIPA-Laureth Sulfate",
            "Sodium C12-15 Alkyl Sulfate",
            "Sodium Coceth Sulfate",
            "Sodium Oleth Sulfate",
            "Sodium Myristyl Sulfate",
            "Sodium C12-14 Sec-Pareth-3 Sulfate",
            "TEA-C12-13 Alkyl Sulfate",
            "Ammonium C12-15 Alketh Sulfate",
            "Sodium Cetearyl Sulfate",
        ] {
            assert!(get(name).has(Category::SulfateSurfactant), "{name}");
        }
        for name in [
            "Sodium Lauryl Sulfoacetate",
            "Disodium Laureth Sulfosuccinate",
            "Sodium Cocoyl Isethionate",
            "Sodium Lauroyl Sarcosinate",
            "Sodium C14-16 Olefin Sulfonate",
        ] {
            let entry = get(name);
            assert!(!entry.has(Category::SulfateSurfactant), "{name}");
            assert!(
                entry.exclusion(Category::SulfateSurfactant).is_some(),
                "{name}"
            );
        }
        for name in [
            "Magnesium Sulfate",
            "Sodium Chondroitin Sulfate",
            "Sodium Cholesteryl Sulfate",
            "Disodium Ascorbyl Sulfate",
            "Cocamidopropyl Betaine",
        ] {
            assert!(!get(name).has(Category::SulfateSurfactant), "{name}");
        }
    }

    #[test]
    fn peptides_copper_peptides_and_growth_factors_are_a_partition() {
        let partition = [
            Category::Peptide,
            Category::CopperPeptide,
            Category::GrowthFactor,
        ];
        let only = |name: &str, expected: Category| {
            let entry = get(name);
            let found: Vec<Category> = entry
                .category_ids()
                .filter(|c| partition.contains(c))
                .collect();
            assert_eq!(found, vec![expected], "{name}");
        };
        only("Copper Tripeptide-1", Category::CopperPeptide);
        only("GHK-Cu", Category::CopperPeptide);
        only("Copper Palmitoyl Heptapeptide-14", Category::CopperPeptide);
        only("Copper Tetrapeptide-52 Dimer", Category::CopperPeptide);
        only("sh-Oligopeptide-1", Category::GrowthFactor);
        only("sh-Oligopeptide-2", Category::GrowthFactor);
        only("sh-Polypeptide-1", Category::GrowthFactor);
        only("sh-Polypeptide-9", Category::GrowthFactor);
        only("sh-Polypeptide-11", Category::GrowthFactor);
        only("Barley sh-Oligopeptide-1", Category::GrowthFactor);
        only("Acetyl Hexapeptide-8", Category::Peptide);
        only("Palmitoyl Pentapeptide-4", Category::Peptide);
        only("Palmitoyl Tripeptide-1", Category::Peptide);
        only("Acetyl sh-Hexapeptide-5 Amide Acetate", Category::Peptide);
        only("Oligopeptide-177", Category::Peptide);
        // Known only from CosIng: classified by the "peptide-n" rule.
        let rule = get("Palmitoyl Tripeptide-8");
        assert!(!rule.curated);
        assert!(matches!(
            rule.fact(Category::Peptide).map(|f| f.basis),
            Some(Basis::Rule {
                id: "peptide-n",
                ..
            })
        ));
        for name in [
            "sh-Polypeptide-40",
            "sh-Polypeptide-53",
            "Copper Gluconate",
            "Copper PCA",
            "Hydrolyzed Collagen",
            "Glutathione",
            "Carnosine",
        ] {
            let entry = get(name);
            assert!(
                !partition.iter().any(|c| entry.has(*c)),
                "{name}: {:?}",
                entry.categories
            );
        }
        assert!(
            get("Copper Gluconate")
                .exclusion(Category::CopperPeptide)
                .is_some()
        );
        // Every curated or CosIng peptide or copper name has at most one of the three.
        for name in kb()
            .names()
            .filter(|n| n.contains("PEPTIDE") || n.contains("COPPER"))
        {
            if let Some(entry) = kb().lookup(name) {
                let n = entry
                    .category_ids()
                    .filter(|c| partition.contains(c))
                    .count();
                assert!(n <= 1, "{name}: {:?}", entry.categories);
            }
        }
    }

    #[test]
    fn helpful_families_and_their_exclusions() {
        for name in [
            "Hyaluronic Acid",
            "Sodium Hyaluronate",
            "Hydrolyzed Hyaluronic Acid",
            "Hydrolyzed Sodium Hyaluronate",
            "Sodium Hyaluronate Crosspolymer",
        ] {
            assert!(get(name).has(Category::HyaluronicAcid), "{name}");
        }
        assert!(!get("Hyaluronidase").has(Category::HyaluronicAcid));
        for name in [
            "Aloe Barbadensis Leaf Juice",
            "Aloe Barbadensis Leaf Juice Powder",
            "Aloe Barbadensis Flower Extract",
            "Aloe Vera Gel",
        ] {
            assert!(get(name).has(Category::Aloe), "{name}");
        }
        for name in [
            "Tocopherol",
            "Tocopheryl Acetate",
            "Tocopherol Acetate",
            "Tocopheryl Succinate",
            "Tocotrienols",
            "Sodium Tocopheryl Phosphate",
        ] {
            assert!(get(name).has(Category::VitaminE), "{name}");
        }
        let ctm = get("Ascorbyl Tocopheryl Maleate");
        assert!(ctm.has(Category::VitaminC) && ctm.has(Category::VitaminE));
        for name in [
            "Ceramide NP",
            "Ceramide AP",
            "Ceramide EOP",
            "Ceramide NG",
            "Ceramide NS",
            "Ceramide AS",
            "Ceramide EOS",
            "Ceramide 1",
            "Ceramide 3",
            "Ceramide 6-II",
        ] {
            assert!(get(name).has(Category::Ceramide), "{name}");
        }
        for name in [
            "Phytosphingosine",
            "Hydroxypalmitoyl Sphinganine",
            "Hydroxypropyl Bispalmitamide MEA",
        ] {
            assert!(get(name).exclusion(Category::Ceramide).is_some(), "{name}");
        }
        assert!(get("Panthenol").has(Category::Panthenol));
        assert!(get("D-Panthenol").has(Category::Panthenol));
        assert!(get("Pantethine").exclusion(Category::Panthenol).is_some());
        assert!(get("Niacinamide").has(Category::Niacinamide));
        let niacin = get("Niacin");
        assert!(
            !niacin.has(Category::Niacinamide) && niacin.exclusion(Category::Niacinamide).is_some()
        );
        for name in [
            "Centella Asiatica Extract",
            "Centella Asiatica Leaf Extract",
            "Centella Asiatica Leaf Water",
            "Madecassoside",
            "Asiaticoside",
            "Asiatic Acid",
            "Madecassic Acid",
        ] {
            assert!(get(name).has(Category::Centella), "{name}");
        }
        for name in [
            "3-O-Ethyl Ascorbic Acid",
            "Tetrahexyldecyl Ascorbate",
            "Ascorbyl Tetraisopalmitate",
            "Sodium Ascorbyl Phosphate",
            "Magnesium Ascorbyl Phosphate",
            "Aminopropyl Ascorbyl Phosphate",
            "Ascorbyl Glucoside",
            "Ascorbyl Methylsilanol Pectinate",
            "Sodium Ascorbate",
        ] {
            assert!(get(name).has(Category::VitaminC), "{name}");
        }
        for name in [
            "Acerola Extract",
            "Kakadu Plum Extract",
            "Phyllanthus Emblica Fruit Extract",
            "Camu Camu Extract",
        ] {
            let entry = get(name);
            assert!(
                !entry.has(Category::VitaminC) && entry.exclusion(Category::VitaminC).is_some(),
                "{name}"
            );
        }
    }

    #[test]
    fn scrub_particles_count_only_in_scrubs() {
        for name in [
            "Walnut Shell Powder",
            "Juglans Regia Shell Powder",
            "Prunus Armeniaca Seed Powder",
            "Corn Kernel Meal",
            "Alumina",
            "Diatomaceous Earth",
            "Polyethylene",
            "Jojoba Esters",
            "Sucrose",
            "Microcrystalline Cellulose",
            "Cellulose",
            "Rice Powder",
        ] {
            let fact = *get(name).fact(Category::PhysicalExfoliant).expect(name);
            assert_eq!(fact.scope, Scope::ScrubOnly, "{name}");
        }
    }

    #[test]
    fn comedogenic_ratings_flag_only_the_core_as_high() {
        for name in [
            "Isopropyl Myristate",
            "Isopropyl Palmitate",
            "Isopropyl Isostearate",
            "Coconut Oil",
            "Cocoa Butter",
            "Wheat Germ Oil",
            "Linseed Oil",
            "Algae Extract",
            "Algae (Seaweed) Extract",
            "Algin",
            "Carrageenan",
            "Laureth-4",
            "Sodium Lauryl Sulfate",
            "Octyl Palmitate",
            "Octyl Stearate",
            "Myristyl Myristate",
            "Lauric Acid",
            "Oleth-3",
            "Oleyl Alcohol",
        ] {
            let entry = get(name);
            assert!(entry.comedogenic.is_some_and(|r| r.is_high()), "{name}");
            assert!(entry.has(Category::Comedogenic), "{name}");
        }
        for (name, rating) in [
            ("Decyl Oleate", 3),
            ("Sodium Laureth Sulfate", 3),
            ("Myristic Acid", 3),
            ("Cetyl Alcohol", 2),
            ("Shea Butter", 0),
            ("Squalane", 1),
        ] {
            let entry = get(name);
            assert_eq!(entry.comedogenic.map(|r| r.rating), Some(rating), "{name}");
            assert!(!entry.has(Category::Comedogenic), "{name}");
        }
        for name in [
            "Sodium Chloride",
            "Hexadecyl Alcohol",
            "Sodium Lauryl Sulfoacetate",
            "Chondrus Crispus Extract",
            "Cocos Nucifera Fruit Extract",
            "Hydrolyzed Algin",
            "Potassium Alginate",
        ] {
            let entry = get(name);
            assert!(!entry.has(Category::Comedogenic), "{name}");
            assert!(entry.exclusion(Category::Comedogenic).is_some(), "{name}");
        }
        let fulton = get("Isopropyl Myristate").comedogenic.expect("rated");
        assert!(fulton.source.contains("Fulton"), "{}", fulton.source);
    }

    // -- Essential oils: names, the CosIng description rule, the genus rule ------------

    #[test]
    fn essential_oils_by_name_by_cosing_description_and_by_genus() {
        for name in [
            "Lavandula Angustifolia Oil",
            "Citrus Limon Peel Oil",
            "Melaleuca Alternifolia Leaf Oil",
            "Mentha Piperita Oil",
            "Tea Tree Oil",
            "Rosmarinus Officinalis Leaf Oil",
            "Cananga Odorata Flower Oil",
        ] {
            let fact = *get(name).fact(Category::EssentialOil).expect(name);
            assert_eq!(fact.basis, Basis::Curated, "{name}");
        }
        // Not curated; CosIng's description says "essential oil".
        let cone = get("Abies Alba Cone Oil");
        assert!(!cone.curated);
        assert_eq!(cone.cosing.map(|c| c.oil), Some(OilDescription::Essential));
        assert!(matches!(
            cone.fact(Category::EssentialOil).map(|f| f.basis),
            Some(Basis::Rule {
                id: "cosing-essential-oil",
                ..
            })
        ));
        // Unknown label forms recognised by the aromatic-genus rule.
        for (printed, genus) in [
            ("Tanecetum annuum (Blue Tansy) oil", "TANACETUM"),
            ("Vetivera zizanoides (Vetiver) oil", "VETIVERIA"),
            ("Citrus Aurantium Dulcis (Blood Orange) oil", "CITRUS"),
            (
                "Lavandula Angustifolia (Lavender) Flower/Leaf Oil",
                "LAVANDULA",
            ),
            ("Citrus Medica Limonum (Lemon) Peel Oil Expressed", "CITRUS"),
        ] {
            let facts = kb().rule_facts(&normalize_inci_name(printed));
            let fact = facts
                .iter()
                .find(|f| f.category == Category::EssentialOil)
                .unwrap_or_else(|| panic!("{printed}"));
            match fact.basis {
                Basis::Rule {
                    id, genus: Some(g), ..
                } => {
                    assert_eq!(id, "aromatic-genus-oil");
                    assert_eq!(g.genus, genus, "{printed}");
                }
                other => panic!("{printed}: {other:?}"),
            }
        }
        // Fixed oils, seed oils of aromatic genera, waters and extracts are not essential oils.
        for printed in [
            "Citrus Paradisi Seed Oil",
            "Salvia Hispanica Seed Oil",
            "Rosa Canina Fruit Oil",
            "Rosa Mosqueta Seed Oil",
            "Lavandula Angustifolia Flower Water",
            "Lavandula Angustifolia Flower Extract",
            "Citrus Limon Peel Oil/Extract",
            "Cocos Nucifera Oil",
            "Citrus Oil",
        ] {
            let n = normalize_inci_name(printed);
            let by_lookup = kb()
                .lookup(&n)
                .is_some_and(|e| e.has(Category::EssentialOil));
            let by_rule = kb()
                .rule_facts(&n)
                .iter()
                .any(|f| f.category == Category::EssentialOil);
            assert!(!by_lookup && !by_rule, "{printed}");
        }
        for name in [
            "Jojoba Oil",
            "Rosehip Oil",
            "Marula Oil",
            "Argan Oil",
            "Olive Oil",
            "Coffee Seed Oil",
            "Safflower Oil",
            "Rose Water",
            "Orange Flower Water",
            "Tea Tree Leaf Water",
            "Azadirachta Indica Seed Oil",
        ] {
            let entry = get(name);
            assert!(!entry.has(Category::EssentialOil), "{name}");
            assert!(entry.exclusion(Category::EssentialOil).is_some(), "{name}");
        }
        assert!(kb().genus("SALVIA").is_some());
        assert!(
            kb().genus("TANECETUM")
                .is_some_and(|g| g.genus == "TANACETUM")
        );
        assert!(kb().genera().len() > 70);
    }

    // -- CosIng ---------------------------------------------------------------------------

    #[test]
    fn cosing_only_names_are_known_with_functions_and_reference() {
        for name in [
            "Caprylic/Capric Triglyceride",
            "Caprylic / Capric Triglyceride",
            "Phenoxyethanol",
            "Xanthan Gum",
            "Butyrospermum Parkii Butter",
        ] {
            let entry = get(name);
            let cosing = entry
                .cosing
                .unwrap_or_else(|| panic!("{name}: no CosIng record"));
            assert!(cosing.ref_number_list().count() >= 1, "{name}");
            assert!(cosing.function_list().count() >= 1, "{name}");
        }
        let cct = get("Caprylic/Capric Triglyceride");
        assert!(!cct.curated && cct.categories.is_empty() && cct.exclusions.is_empty());
        assert!(
            get("Sodium Hyaluronate")
                .cosing
                .is_some_and(|c| c.has_function("HUMECTANT"))
        );
        assert!(
            get("Zinc Oxide")
                .cosing
                .is_some_and(|c| c.has_function("UV FILTER"))
        );
        // CosIng's functions say nothing about retinoid activity: the curated data does.
        let retinol = get("Retinol");
        assert!(retinol.cosing.is_some_and(|c| {
            c.function_list()
                .all(|f| f.starts_with("SKIN CONDITIONING"))
        }));
        assert!(retinol.has(Category::Retinoid));
        assert_eq!(
            get("Limonene").cosing.map(|c| c.annex),
            Some("III/88 III/167 III/168")
        );
        // A name CosIng lists twice keeps both reference numbers.
        let twice = get("Methoxyethanol").cosing.expect("CosIng record");
        assert_eq!(twice.ref_number_list().count(), 2);
    }

    // -- Colours under their US names, label spellings -------------------------------------

    #[test]
    fn us_colour_names_are_synonyms_of_their_ci_numbers_without_a_category() {
        for (printed, ci) in [
            ("Yellow 5", "CI 19140"),
            ("FD&C Yellow No. 5", "CI 19140"),
            ("Yellow 5 Lake", "CI 19140"),
            ("FD&C Yellow No. 5 Aluminum Lake", "CI 19140"),
            ("Yellow 6", "CI 15985"),
            ("Yellow 6 Al Lake", "CI 15985"),
            ("Red 40", "CI 16035"),
            ("Red 40 Lake", "CI 16035"),
            ("FD&C Red No. 40", "CI 16035"),
            ("Blue 1", "CI 42090"),
            ("Blue 1 Lake", "CI 42090"),
            ("Blue 4", "CI 42090"),
            ("Red 6", "CI 15850"),
            ("Red 6 Barium Lake", "CI 15850"),
            ("Red 7", "CI 15850"),
            ("Red 7 Lake", "CI 15850"),
            ("D&C Red No. 7 Calcium Lake", "CI 15850"),
            ("Red 21", "CI 45380"),
            ("Red 22 Lake", "CI 45380"),
            ("Red 27", "CI 45410"),
            ("Red 28 Lake", "CI 45410"),
            ("D&C Red No. 36", "CI 12085"),
            ("Green 3", "CI 42053"),
            ("Green 5", "CI 61570"),
            ("Green 6", "CI 61565"),
            ("Violet 2", "CI 60725"),
            ("Ext. D&C Violet No. 2", "CI 60730"),
            ("Ext. Violet 2", "CI 60730"),
            ("Orange 5", "CI 45370"),
            ("Yellow 10", "CI 47005"),
            ("Black Iron Oxide", "CI 77499"),
            ("Red Iron Oxide", "CI 77491"),
            ("Ferric Oxide", "CI 77491"),
            ("Yellow Iron Oxide", "CI 77492"),
            ("Ferric Ferrocyanide", "CI 77510"),
            ("Chromium Oxide Greens", "CI 77288"),
            ("Carmine", "CI 75470"),
        ] {
            let entry = get(printed);
            assert_eq!(entry.name, ci, "{printed}");
            assert!(entry.synonym_source.is_some(), "{printed}: source");
            assert!(entry.cosing.is_some(), "{printed}: {ci} is a CosIng name");
            assert!(
                entry.categories.is_empty(),
                "{printed}: {:?}",
                entry.categories
            );
            assert!(entry.listing.is_some(), "{printed}: listed with a source");
        }
        // "Iron Oxides" covers three CI numbers: a name of its own, not a synonym of one.
        let iron = get("Iron Oxides");
        assert_eq!((iron.name, iron.matched), ("IRON OXIDES", "IRON OXIDES"));
        assert!(iron.categories.is_empty() && iron.cosing.is_none());
        assert!(iron.listing.is_some_and(|l| l.source.contains("73.2250")));
        assert_eq!(get("Iron Oxide").name, "IRON OXIDES");
        // Colours already known keep their facts: CI 77891 is still not a UV filter.
        assert!(
            get("CI 77891")
                .exclusion(Category::MineralUvFilter)
                .is_some()
        );
    }

    #[test]
    fn no_name_of_the_colour_file_has_a_category() {
        for (file, doc) in curated_files()
            .into_iter()
            .filter(|(f, _)| f.ends_with("colorants.toml") || f.ends_with("label_spellings.toml"))
        {
            for entry in tables_of(&doc, "entry") {
                let name = str_field(entry, "name").expect("entry name");
                for printed in std::iter::once(name.to_owned()).chain(str_list(entry, "synonyms")) {
                    let found = get(&printed);
                    assert!(
                        found.categories.is_empty() && found.exclusions.is_empty(),
                        "{file}: {printed} has {:?}",
                        found.categories
                    );
                }
            }
        }
    }

    #[test]
    fn label_spellings_with_a_space_for_the_hyphen() {
        assert_eq!(get("Beta Glucan").name, "BETA-GLUCAN");
        assert_eq!(get("Alpha Glucan").name, "ALPHA-GLUCAN");
        let arbutin = get("Alpha Arbutin");
        assert_eq!(arbutin.name, "ALPHA-ARBUTIN");
        assert!(arbutin.exclusion(Category::Hydroquinone).is_some());
        assert!(arbutin.categories.is_empty());
        // The stereo-descriptor spellings that are curated keep their categories.
        assert!(get("L-Ascorbic Acid").has(Category::VitaminC));
        assert!(get("DL-Panthenol").has(Category::Panthenol));
        assert!(get("D-Panthenol").has(Category::Panthenol));
    }

    #[test]
    fn unknown_names_are_unknown() {
        assert!(kb().lookup("NOT AN INGREDIENT AT ALL").is_none());
        assert!(!kb().contains("GIBBERISH XYZ"));
        assert!(
            kb().lookup("retinol").is_none(),
            "lookup takes normalised names"
        );
        assert!(kb().rule_facts("GIBBERISH XYZ").is_empty());
    }

    // -- Labelled triggers of the public sample ------------------------------------------

    /// Trigger texts from `shared/eval/products-public.jsonl` (copied verbatim from the
    /// labels; see that file's `source` fields) with the category they were labelled with.
    /// Bracketed common names are read the way a matcher reads them: whole name first, then
    /// without the brackets, then the rules.
    #[test]
    fn the_labelled_triggers_of_the_public_sample_are_recognised() {
        let cases: &[(&str, Category)] = &[
            ("Glycolic Acid", Category::Aha),
            ("Lactic Acid", Category::Aha),
            ("Mandelic Acid", Category::Aha),
            ("Aloe Barbadensis Leaf Juice Powder", Category::Aloe),
            ("Betaine Salicylate", Category::Bha),
            ("Salicylic Acid", Category::Bha),
            ("madecassoside", Category::Centella),
            ("Centella Asiatica Leaf Extract", Category::Centella),
            ("Ceramide 6-II", Category::Ceramide),
            ("Ceramide Np", Category::Ceramide),
            ("Ceramide EOS", Category::Ceramide),
            ("Avobenzone", Category::ChemicalUvFilter),
            ("Octisalate", Category::ChemicalUvFilter),
            ("Benzophenone-4", Category::ChemicalUvFilter),
            ("Ensulizole", Category::ChemicalUvFilter),
            ("Algae (Seaweed) Extract", Category::Comedogenic),
            ("Isopropyl Isostearate", Category::Comedogenic),
            ("Theobroma Cacao (Cocoa) Seed Butter", Category::Comedogenic),
            ("Octyl Stearate", Category::Comedogenic),
            ("Copper Tripeptide-1", Category::CopperPeptide),
            ("Alcohol Denat", Category::DryingAlcohol),
            ("SD Alcohol 40-B", Category::DryingAlcohol),
            ("Propyl Alcohol", Category::DryingAlcohol),
            ("Achillea Millefolium Oil", Category::EssentialOil),
            (
                "Anthemis nobilis (English Chamomile) oil",
                Category::EssentialOil,
            ),
            (
                "Cananga Odorata Flower (Ylang Ylang) Oil",
                Category::EssentialOil,
            ),
            (
                "Chamomilla Recutita (Matricaria) Flower Oil",
                Category::EssentialOil,
            ),
            (
                "Citrus Aurantium Amara (Neroli) Oil",
                Category::EssentialOil,
            ),
            (
                "Citrus Aurantium Bergamia (Bergamot) Fruit Oil",
                Category::EssentialOil,
            ),
            (
                "Citrus Aurantium Dulcis (Blood Orange) oil",
                Category::EssentialOil,
            ),
            (
                "Citrus Grandis (Grapefruit) Peel Oil",
                Category::EssentialOil,
            ),
            (
                "Citrus Medica Limonum (Lemon) Peel Oil",
                Category::EssentialOil,
            ),
            (
                "Citrus Nobilis (Mandarin Orange) Peel Oil",
                Category::EssentialOil,
            ),
            (
                "Eriocephalus punctulatus (Cape Chamomile) oil",
                Category::EssentialOil,
            ),
            (
                "Eucalyptus Globulus (Eucalyptus) Leaf Oil",
                Category::EssentialOil,
            ),
            (
                "Illicium Verum (Anise) Fruit/Seed Oil",
                Category::EssentialOil,
            ),
            ("Juniperus Mexicana Oil", Category::EssentialOil),
            ("Litsea Cubeba Fruit Oil", Category::EssentialOil),
            (
                "Myristica Fragrans (Nutmeg) Kernel Oil",
                Category::EssentialOil,
            ),
            ("Pelargonium Graveolens Flower Oil", Category::EssentialOil),
            ("Rosa Damascena Flower Oil", Category::EssentialOil),
            (
                "Rosmarinus Officinalis (Rosemary) Leaf Oil",
                Category::EssentialOil,
            ),
            ("Salvia Officinalis (Sage) Oil", Category::EssentialOil),
            ("Tanecetum annuum (Blue Tansy) oil", Category::EssentialOil),
            ("Vetivera zizanoides (Vetiver) oil", Category::EssentialOil),
            ("Fragrance", Category::Fragrance),
            ("Fragrance (Parfum)", Category::Fragrance),
            ("Parfum/Fragrance", Category::Fragrance),
            ("Frgrance", Category::Fragrance),
            ("Alpha-isomethyl Ionone", Category::FragranceAllergen),
            ("Citronnellol", Category::FragranceAllergen),
            ("Butylphenyl Methylpropional", Category::FragranceAllergen),
            ("Hydroxycitronellal", Category::FragranceAllergen),
            ("sh-Oligopeptide-1", Category::GrowthFactor),
            ("sh-Polypeptide-9", Category::GrowthFactor),
            ("Hydrolyzed Hyaluronic Acid", Category::HyaluronicAcid),
            ("sodium hyaluronate", Category::HyaluronicAcid),
            ("Zinc oxide", Category::MineralUvFilter),
            ("Niacinamide", Category::Niacinamide),
            ("panthenol", Category::Panthenol),
            ("Acetyl sh-Hexapeptide-5 Amide Acetate", Category::Peptide),
            ("Palmitoyl Tetrapeptide-7", Category::Peptide),
            ("Palmitoyl Hexapeptide-12", Category::Peptide),
            ("Palmitoyl Tetrapeptide-3", Category::Peptide),
            ("Gluconolactone", Category::Pha),
            (
                "Juglans Regia (Walnut) Shell Powder",
                Category::PhysicalExfoliant,
            ),
            (
                "Prunus Armenaica (Apricot) Seed Powder",
                Category::PhysicalExfoliant,
            ),
            ("Oryza Sativa (Rice) Powder", Category::PhysicalExfoliant),
            ("Jojoba Esters", Category::PhysicalExfoliant),
            ("Hydroxypinacolone Retinoate", Category::Retinoid),
            ("Retinyl Palmitate", Category::Retinoid),
            ("3-O-Ethyl Ascorbic Acid", Category::VitaminC),
            ("Ascorbyl Tetraisopalmitate", Category::VitaminC),
            ("Tocopheryl Succinate", Category::VitaminE),
            ("tocopherol", Category::VitaminE),
        ];
        for (printed, category) in cases {
            let n = normalize_inci_name(printed);
            let entry = kb()
                .lookup(&n)
                .or_else(|| kb().lookup(&normalize_inci_name(&without_brackets(&n))));
            let found = match &entry {
                Some(e) => e.has(*category),
                None => kb().rule_facts(&n).iter().any(|f| f.category == *category),
            };
            assert!(found, "{printed} should be {category}: {entry:?}");
        }
    }

    // -- Glob patterns ---------------------------------------------------------------------

    #[test]
    fn glob_patterns_match_any_text_and_digit_runs() {
        assert!(glob_match("*PEPTIDE-#*", "PALMITOYL TRIPEPTIDE-1"));
        assert!(glob_match("*PEPTIDE-#*", "ACETYL HEXAPEPTIDE-8 AMIDE"));
        assert!(!glob_match("*PEPTIDE-#*", "SOY PEPTIDE"));
        assert!(!glob_match("*PEPTIDE-#*", "PEPTIDE-X"));
        assert!(glob_match("SH-POLYPEPTIDE-#", "SH-POLYPEPTIDE-110"));
        assert!(!glob_match("SH-POLYPEPTIDE-#", "SH-POLYPEPTIDE-11 SP"));
        assert!(glob_match("**A**", "A"));
        assert!(glob_match("", ""));
        assert!(!glob_match("", "A"));
        assert!(glob_match("*", ""));
    }

    proptest! {
        #[test]
        fn a_name_matches_itself_and_any_pattern_around_it(text in "[A-Z0-9 /-]{0,30}") {
            prop_assert!(glob_match("*", &text));
            prop_assert!(glob_match(&text, &text));
            let around = format!("*{text}*");
            let suffix = format!("*{text}");
            let longer = format!("XX {text}");
            prop_assert!(glob_match(&around, &text));
            prop_assert!(glob_match(&suffix, &longer));
        }
    }

    // -- Measured start-up ----------------------------------------------------------------

    /// Not a timing assertion: checks that setting up the embedded knowledge base does not
    /// build per-name structures (the large tables stay as text).
    #[test]
    fn set_up_keeps_the_large_tables_as_text() {
        let kb = kb();
        assert!(kb.texts.len() < 2_000);
        assert!(kb.rules.len() < 100);
        assert!(kb.genera.len() < 500);
        let mut by_category: BTreeMap<Category, usize> = BTreeMap::new();
        for line in kb.curated.lines() {
            if let Some(entry) = kb.lookup(line.split('\t').next().unwrap_or("")) {
                for c in entry.category_ids() {
                    *by_category.entry(c).or_default() += 1;
                }
            }
        }
        for category in Category::ALL {
            assert!(
                by_category.get(category).copied().unwrap_or(0) > 0,
                "no curated name for {category}"
            );
        }
    }
}
