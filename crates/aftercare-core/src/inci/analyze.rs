//! Verdicts: can this product go on healing skin now, and if not, from when (CONTRACT §4).
//!
//! What belongs here: checking one ingredient list against the protocol's timings for a time
//! since treatment, a profile (skin types) and a product (its type and name): which categories
//! each ingredient brings in this product, each ingredient's status, the product rules
//! (`makeup`, `cleanser`), the verdict, when the product becomes usable, and the whole-recovery
//! timeline when no time is given. What does not: splitting the label (`inci::parse`), matching
//! names (`inci::matching`), the rules themselves (they are data: the protocol and the knowledge
//! base), and presenting the result (`inci::render`; the JSON shape is the `Serialize` here).
//!
//! The rules, in short (`docs/checker.md` has the long form):
//!
//! * An ingredient is `wait` while a restriction on one of its categories holds firm
//!   (`hour < earliest`); `caution` while the restriction is past its hard limit but the protocol
//!   still prefers to hold off (`earliest <= hour < until`, e.g. peptides from 48 h, better from
//!   168 h), when a skin-type flag applies (comedogenic rating at or above the protocol's
//!   `min_rating` for oily or acne-prone skin), or when a scrub particle is in a product whose
//!   type is not known; `recommended` when a recommended category applies from now; `ok` when
//!   known with nothing to say; `unknown` when not recognised (never `ok`).
//! * Context decides two kinds of fact: scrub particles (`physical_exfoliant`) count only in a
//!   scrub, polish or exfoliating powder (the product type, or its name, says so); zinc oxide and
//!   titanium dioxide count as `mineral_uv_filter` only when declared as the sunscreen active (in
//!   the Drug Facts active section, or printed with a percentage, or in a sunscreen that
//!   declares no actives separately, and never as a `CI 77…` pigment or in "may contain").
//! * The verdict is `wait` if anything waits (ingredients or product rules; then
//!   `usable_from_hours` says when all of it has ended), else `unknown` if an ingredient is not
//!   recognised, else `caution` if any caution applies, else `ok`.

use std::{
    borrow::Cow,
    cell::Cell,
    ops::Range,
    rc::Rc,
    sync::atomic::{AtomicU64, Ordering},
};

use jiff::{Timestamp, ZonedDateTime};
use serde::{Serialize, Serializer};

use crate::{
    Hours,
    category::{Category, CategoryGroup},
    inci::{
        kb::{COSING_ATTRIBUTION, CategoryFact, KnowledgeBase},
        matching::{MatchMemo, MatchedBy, MatchedPart, MemoisedMatch, PartSummary, Split},
        parse::{
            DropReason, ItemId, MAX_INPUT_BYTES, ParsedIngredient, ParsedList, Section,
            is_free_claim, is_header_phrase, opens_with_negation,
        },
        suggest::Suggestion,
    },
    instant::format_rfc3339,
    profile::{Profile, SkinType},
    protocol::{Protocol, Recommendation, Restriction, RestrictionKind, SkinCaution},
};

pub use crate::inci::matching::CategorySet;

vocabulary! {
    /// The kind of product, as in the labelled sample (`shared/eval/README.md`) plus `scrub`.
    /// It decides the product rules (`makeup`, `cleanser`) and whether scrub particles count.
    ProductType, "product type" {
        /// A cleanser (face wash, cleansing gel, balm cleanser).
        Cleanser = "cleanser",
        /// A toner or essence.
        Toner = "toner",
        /// A serum.
        Serum = "serum",
        /// A moisturiser (cream, lotion, gel cream).
        Moisturizer = "moisturizer",
        /// A sunscreen.
        Sunscreen = "sunscreen",
        /// An exfoliant: a scrub, polish or exfoliating powder or mask.
        Exfoliant = "exfoliant",
        /// A scrub (same as `exfoliant`).
        Scrub = "scrub",
        /// A mask.
        Mask = "mask",
        /// Makeup: foundation, concealer, tinted products.
        Makeup = "makeup",
        /// A balm or ointment.
        Balm = "balm",
        /// A facial mist.
        Mist = "mist",
        /// A facial oil.
        Oil = "oil",
        /// Anything else.
        Other = "other",
    }
}

impl ProductType {
    /// Reads a type id, accepting the British spelling `moisturiser` (the shelf's id).
    pub fn parse_id(text: &str) -> Result<ProductType, crate::vocabulary::UnknownId> {
        crate::vocabulary::parse_with_aliases(text, &[("moisturiser", "moisturizer")])
    }
}

/// Words in a product's name that make it a scrub, polish or exfoliating powder.
const SCRUB_NAME_WORDS: &[&str] = &["SCRUB", "POLISH", "EXFOLIAT", "MICRODERM"];

/// Words in a product's name that make it a sunscreen.
const SUNSCREEN_NAME_WORDS: &[&str] = &["SPF", "SUNSCREEN", "SUN SCREEN", "SUNBLOCK"];

/// What is known about the product beyond its ingredients.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Product<'a> {
    /// The product type, if known.
    pub product_type: Option<ProductType>,
    /// The product's name, if known (a catalog line's `name`): "Walnut Scrub", "SPF 30".
    pub name: Option<&'a str>,
}

impl Product<'_> {
    /// Whether the product is a scrub, polish or exfoliating powder: yes, no, or not known.
    fn is_scrub(&self) -> Option<bool> {
        if matches!(
            self.product_type,
            Some(ProductType::Exfoliant | ProductType::Scrub)
        ) || self.name_has(SCRUB_NAME_WORDS)
        {
            return Some(true);
        }
        self.product_type.map(|_| false)
    }

    /// Whether the product is a sunscreen (by type or name).
    fn is_sunscreen(&self) -> bool {
        self.product_type == Some(ProductType::Sunscreen) || self.name_has(SUNSCREEN_NAME_WORDS)
    }

    /// Whether the name holds one of `words` (upper-case ASCII), in any case.
    fn name_has(&self, words: &[&str]) -> bool {
        self.name.is_some_and(|name| {
            words.iter().any(|word| {
                word.is_empty()
                    || name
                        .as_bytes()
                        .windows(word.len())
                        .any(|window| window.eq_ignore_ascii_case(word.as_bytes()))
            })
        })
    }
}

/// When the product would be used.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckTime {
    /// Hours since the treatment; `None` answers for the whole recovery (evaluated from the
    /// treatment on, with a timeline of when the verdict changes).
    pub hours: Option<Hours>,
    /// The treatment instant, when known: `usable_from` is then shown as a local instant.
    pub treated_at: Option<ZonedDateTime>,
    /// The moment of use, when given as an instant: shown as given (`hours` is rounded down).
    pub at: Option<Timestamp>,
}

impl CheckTime {
    /// No time given: the whole recovery.
    pub const WHOLE_RECOVERY: CheckTime = CheckTime {
        hours: None,
        treated_at: None,
        at: None,
    };

    /// A number of hours after treatment.
    pub fn hours(hours: Hours) -> CheckTime {
        CheckTime {
            hours: Some(hours),
            treated_at: None,
            at: None,
        }
    }

    /// A recovery day (1-based): its first hour, day N covering [24(N-1), 24N) (CONTRACT §1).
    pub fn day(day: u32) -> Result<CheckTime, CheckError> {
        if day == 0 {
            return Err(CheckError::DayZero);
        }
        // Checked, not saturated: a day past the last countable hour must not be read as an
        // earlier one.
        let hours = (day - 1).checked_mul(24).ok_or(CheckError::TooFarAfter)?;
        Ok(CheckTime::hours(Hours(hours)))
    }

    /// The treatment instant and the moment of use: whole hours elapsed, rounded down.
    pub fn between(treated_at: ZonedDateTime, at: Timestamp) -> Result<CheckTime, CheckError> {
        let seconds = at.as_second() - treated_at.timestamp().as_second();
        if seconds < 0 {
            return Err(CheckError::BeforeTreatment);
        }
        let hours = u32::try_from(seconds / 3600).map_err(|_| CheckError::TooFarAfter)?;
        Ok(CheckTime {
            hours: Some(Hours(hours)),
            treated_at: Some(treated_at),
            at: Some(at),
        })
    }
}

/// The most words of a name searched for in text left out of the list ("Citrus Aurantium Dulcis
/// Peel Oil" has five).
const MOST_WORDS_NAMED: usize = 6;

/// The byte ranges of the words of `text`: runs of ASCII letters, digits and hyphens.
fn word_ranges(text: &str) -> Vec<Range<usize>> {
    let mut words = Vec::new();
    let mut start = None;
    for (i, c) in text.bytes().enumerate() {
        let in_word = c.is_ascii_alphanumeric() || c == b'-';
        match (in_word, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                words.push(s..i);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        words.push(s..text.len());
    }
    words
}

/// Why a list could not be checked. Each message is one sentence for the person who gave it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CheckError {
    /// Nothing but white space.
    #[error("the ingredient list is empty")]
    Empty,
    /// Over the documented limit.
    #[error("the ingredient list is larger than the limit of {} KiB", MAX_INPUT_BYTES / 1024)]
    TooLarge,
    /// Control characters: a binary file, not a label's text.
    #[error("the ingredient list contains binary data (control characters), not text")]
    Binary,
    /// Text, but not one ingredient in it.
    #[error("no ingredient was found in the text")]
    NoIngredients,
    /// Day numbers start at 1.
    #[error("recovery days are counted from 1 (day 1 is the first 24 hours)")]
    DayZero,
    /// The moment of use is before the treatment.
    #[error("the time of use is before the treatment")]
    BeforeTreatment,
    /// More hours than can be counted.
    #[error("the time of use is too far after the treatment")]
    TooFarAfter,
}

/// The status of one ingredient (CONTRACT §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Known, nothing to say.
    Ok,
    /// Known and recommended from now.
    Recommended,
    /// Usable, with a caution: a skin-type flag, "better from", or "only if a scrub".
    Caution,
    /// Not recognised: it cannot be cleared.
    Unknown,
    /// Hold off: a restriction on one of its categories is active.
    Wait,
}

impl Status {
    /// The snake_case id used in JSON.
    pub fn id(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Recommended => "recommended",
            Status::Caution => "caution",
            Status::Unknown => "unknown",
            Status::Wait => "wait",
        }
    }
}

/// The verdict on the whole product (CONTRACT §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Fine to use.
    Ok,
    /// Usable, with a caution.
    Caution,
    /// Some ingredient is not recognised, so the product cannot be cleared.
    Unknown,
    /// Not yet: a restriction is active.
    Wait,
}

impl Verdict {
    /// The snake_case id used in JSON.
    pub fn id(self) -> &'static str {
        match self {
            Verdict::Ok => "ok",
            Verdict::Caution => "caution",
            Verdict::Unknown => "unknown",
            Verdict::Wait => "wait",
        }
    }
}

/// What decided a status, with the protocol text that explains it.
#[derive(Debug, Clone, Copy)]
pub enum Decision<'p> {
    /// A restriction on a category holds: `wait` before its hard limit, `caution` after it
    /// until the protocol's preferred time.
    Restriction {
        /// The category.
        category: Category,
        /// The protocol's restriction.
        restriction: &'p Restriction,
    },
    /// A product rule (`makeup`, `cleanser`) for the product's type.
    ProductRule {
        /// The protocol's restriction (kind `product`).
        restriction: &'p Restriction,
    },
    /// A scrub particle in a product whose type is not known: wait if it is a scrub.
    IfScrub {
        /// The `physical_exfoliant` restriction.
        restriction: &'p Restriction,
    },
    /// A skin-type flag.
    SkinCaution {
        /// The protocol's caution.
        caution: &'p SkinCaution,
        /// The ingredient's comedogenic rating, for a comedogenic flag.
        rating: Option<u8>,
    },
    /// A recommended category.
    Recommended {
        /// The protocol's recommendation.
        recommendation: &'p Recommendation,
    },
    /// Known, no rule applies.
    Known,
    /// Not recognised.
    Unknown,
}

/// A status at one hour, with when it changes and why.
#[derive(Debug, Clone, Copy)]
pub struct Ruling<'p> {
    /// The status.
    pub status: Status,
    /// For `wait`: the hour it ends. For a "better from" caution: the preferred hour. For a
    /// scrub caution: the hour the wait would end.
    pub until: Option<Hours>,
    /// When a restriction also has a preferred hour later than its hard limit (peptides:
    /// possible from 48 h, better from 168 h).
    pub better_from: Option<Hours>,
    /// What decided it.
    pub decision: Decision<'p>,
}

/// Conditional facts that did not apply in this product, kept to explain why.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ContextNotes {
    /// A scrub particle in a product that is not a scrub.
    pub scrub_only_not_applied: bool,
    /// A scrub particle in a product whose type is not known.
    pub scrub_unknown: bool,
    /// Zinc oxide or titanium dioxide not declared as the sunscreen active.
    pub sunscreen_only_not_applied: bool,
}

/// One ingredient of the checked product.
#[derive(Debug, Clone)]
pub struct IngredientCheck<'p> {
    /// Index of the parsed item in [`ProductCheck::parsed`].
    pub item: usize,
    /// Index of the part in the item's match (0 unless the item was split).
    pub part: usize,
    /// The part's byte range in the input.
    pub span: Range<usize>,
    /// How the item was matched (shared with every list that prints the same text; it
    /// dereferences to the [`ItemMatch`](crate::inci::matching::ItemMatch)).
    pub matched: Rc<MemoisedMatch>,
    /// The categories that apply in this product.
    pub categories: CategorySet,
    /// Facts that did not apply in this product, and why.
    pub notes: ContextNotes,
    /// The status at the checked hour.
    pub ruling: Ruling<'p>,
}

impl IngredientCheck<'_> {
    /// The matched part.
    pub fn part(&self) -> &MatchedPart {
        // `part` always indexes `matched.parts` (they are built together in `check_with`).
        let last = self.matched.parts.len().saturating_sub(1);
        &self.matched.parts[self.part.min(last)]
    }
}

/// A product rule (`makeup`, `cleanser`) that applies to the product's type.
#[derive(Debug, Clone)]
pub struct ProductRuleCheck<'p> {
    /// The protocol's restriction.
    pub restriction: &'p Restriction,
    /// Its status at the checked hour: `wait`, `caution` (better later) or `ok`.
    pub ruling: Ruling<'p>,
}

/// One stretch of the recovery with the same verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TimelineSegment<'p> {
    /// First hour.
    pub from_hours: Hours,
    /// First hour after it; `None` for the last stretch.
    pub until_hours: Option<Hours>,
    /// The verdict during this stretch.
    pub verdict: Verdict,
    /// The categories and product rules (their ids) on hold during this stretch.
    pub on_hold: Vec<&'p str>,
}

/// The result of checking one ingredient list.
#[derive(Debug, Clone)]
pub struct ProductCheck<'a> {
    /// The input text.
    pub text: &'a str,
    /// What the parser found.
    pub parsed: ParsedList<'a>,
    /// Every ingredient, in printed order (a split item gives several).
    pub ingredients: Vec<IngredientCheck<'a>>,
    /// The product rules that apply to the product's type.
    pub product_rules: Vec<ProductRuleCheck<'a>>,
    /// The product.
    pub product_type: Option<ProductType>,
    /// The hour the verdict is for (0 when no time was given).
    pub hours: Hours,
    /// Whether a time was given (otherwise the check covers the whole recovery).
    pub time_given: bool,
    /// The treatment instant, when known.
    pub treated_at: Option<ZonedDateTime>,
    /// The moment of use, when given as an instant.
    pub checked_at: Option<Timestamp>,
    /// The verdict.
    pub verdict: Verdict,
    /// When everything that waits has ended; `None` when nothing waits.
    pub usable_from_hours: Option<Hours>,
    /// When every "better later" has passed too, if that is later than now and than
    /// `usable_from_hours`.
    pub better_from_hours: Option<Hours>,
    /// The categories found (in this product's context).
    pub categories: CategorySet,
    /// The spans of the items checked although printed in a claim of what the product is
    /// without ("Free from parabens, fragrance"): they may well be absent.
    pub printed_in_claim: Vec<Range<usize>>,
    /// The spans of restricted ingredients named in the text left out ("Formulated with
    /// retinol", "*Lavandula Angustifolia Oil"), checked as ingredients: the list itself may not
    /// hold them.
    pub named_outside_list: Vec<Range<usize>>,
    /// When no time was given: the verdict over the whole recovery.
    pub timeline: Vec<TimelineSegment<'a>>,
    /// The protocol used.
    pub protocol: &'a Protocol,
    /// The skin types the check was made for.
    pub skin: &'a [SkinType],
}

impl ProductCheck<'_> {
    /// Whether the ingredient was printed in a claim of what the product is without.
    pub fn in_claim(&self, ingredient: &IngredientCheck<'_>) -> bool {
        self.printed_in_claim.contains(&self.item(ingredient).span)
    }

    /// Whether the ingredient is a restricted name found in text not read as part of the list.
    pub fn outside_list(&self, ingredient: &IngredientCheck<'_>) -> bool {
        self.named_outside_list
            .contains(&self.item(ingredient).span)
    }

    /// The parsed item an ingredient comes from.
    pub fn item(&self, ingredient: &IngredientCheck<'_>) -> &ParsedIngredient<'_> {
        &self.parsed.ingredients[ingredient.item]
    }

    /// The ingredient's text as printed: the cleaned item, or the part of it that was split off.
    pub fn input<'s>(&'s self, ingredient: &IngredientCheck<'_>) -> &'s str {
        let item = self.item(ingredient);
        if ingredient.part().split.is_some() {
            self.text.get(ingredient.span.clone()).unwrap_or(&item.text)
        } else {
            &item.text
        }
    }

    /// The instant `hours` after the treatment, when the treatment instant is known.
    pub fn instant(&self, hours: Hours) -> Option<ZonedDateTime> {
        let treated_at = self.treated_at.as_ref()?;
        Some(hours.after(treated_at.timestamp(), treated_at.time_zone()))
    }

    /// How many ingredients have a status.
    pub fn count(&self, status: Status) -> usize {
        self.ingredients
            .iter()
            .filter(|i| i.ruling.status == status)
            .count()
    }
}

/// Rules for one category, for one profile.
#[derive(Debug, Clone, Copy, Default)]
struct CategoryRules<'p> {
    restriction: Option<&'p Restriction>,
    recommended: Option<&'p Recommendation>,
}

/// The checker: a protocol and a profile, ready to check any number of lists.
#[derive(Debug, Clone)]
pub struct Checker<'p> {
    /// Which checker this is, for the rulings kept with matches ([`KeptRuling`]): a number no
    /// other checker of the process has (a clone keeps it, with the same rules).
    id: u64,
    kb: &'p KnowledgeBase,
    protocol: &'p Protocol,
    skin: Vec<SkinType>,
    rules: Vec<CategoryRules<'p>>,
    /// The skin-type flags that apply to the profile.
    cautions: Vec<&'p SkinCaution>,
    product_restrictions: Vec<&'p Restriction>,
}

impl<'p> Checker<'p> {
    /// A checker for `profile` (its skin types decide the skin-type flags) with the protocol's
    /// timings.
    pub fn new(kb: &'p KnowledgeBase, protocol: &'p Protocol, profile: &Profile) -> Checker<'p> {
        let restrictions = protocol.restrictions_for(profile);
        let mut rules = vec![CategoryRules::default(); Category::ALL.len()];
        for (index, category) in Category::ALL.iter().enumerate() {
            let rule = &mut rules[index];
            rule.restriction = restrictions
                .iter()
                .copied()
                .find(|r| r.kind == RestrictionKind::Ingredient && r.category == Some(*category));
            rule.recommended = protocol
                .recommended
                .iter()
                .find(|r| r.category == *category);
        }
        let cautions = protocol
            .skin_cautions
            .iter()
            .filter(|c| c.skin.iter().any(|s| profile.skin.contains(s)))
            .collect();
        // Every restriction that names product types applies to those products whatever
        // their label holds (`makeup`; an exfoliant whose particles are not recognised).
        let product_restrictions = restrictions
            .into_iter()
            .filter(|r| !r.product_types.is_empty())
            .collect();
        // Relaxed: the number only has to differ from every other checker's.
        static NEXT_ID: AtomicU64 = AtomicU64::new(0);
        Checker {
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            kb,
            protocol,
            skin: profile.skin.clone(),
            rules,
            cautions,
            product_restrictions,
        }
    }

    /// The protocol.
    pub fn protocol(&self) -> &'p Protocol {
        self.protocol
    }

    /// Checks an ingredient list with a fresh memo (see [`Checker::check_with`]).
    pub fn check<'a>(
        &'a self,
        text: &'a str,
        product: &Product<'_>,
        time: &CheckTime,
    ) -> Result<ProductCheck<'a>, CheckError> {
        self.check_with(text, product, time, &mut MatchMemo::new())
    }

    /// Checks an ingredient list: parse, match (through `memo`), then the verdict. Errors for
    /// input that is not an ingredient list: empty, over [`MAX_INPUT_BYTES`], binary, or with
    /// no ingredient in it.
    pub fn check_with<'a>(
        &'a self,
        text: &'a str,
        product: &Product<'_>,
        time: &CheckTime,
        memo: &mut MatchMemo,
    ) -> Result<ProductCheck<'a>, CheckError> {
        validate_text(text)?;
        let (mut parsed, numbering) = memo.parse_numbered(text);
        let mut from_claims = Vec::new();
        let claim_spans: Vec<Range<usize>> = parsed
            .negated_sentence
            .iter()
            .map(|item| item.span.clone())
            .collect();
        if !parsed.continuing_sentence.is_empty() || !parsed.negated_sentence.is_empty() {
            // An item left out as part of a sentence ("Water, Vegan, Retinol") is still
            // checked when it is a known ingredient name: checking a word of a sentence can
            // only hold a product back, leaving out a retinoid could clear it. In a sentence
            // that says what the product is without ("Free from parabens, fragrance"), only
            // the names the protocol restricts are checked, and they are marked as printed in
            // that claim.
            from_claims = parsed.restore_continuing(|item, negated| {
                let matched = memo.get(self.kb, &item.text);
                matched.parts.iter().all(|part| part.known.is_some())
                    && (!negated
                        || matched
                            .parts
                            .iter()
                            .any(|part| self.is_restricted(&part.summary, false)))
            });
        }
        let mentioned = self.restricted_names_in_left_out_text(&parsed, &claim_spans, memo);
        let mentioned_spans: Vec<Range<usize>> =
            mentioned.iter().map(|item| item.span.clone()).collect();
        parsed.add_mentioned(mentioned);
        if parsed.ingredients.is_empty() {
            return Err(CheckError::NoIngredients);
        }
        let hours = time.hours.unwrap_or(Hours::ZERO);
        // Match every item (through the memo) first: the look-ups overlap their waits for
        // memory. Then whether the list declares its actives (it decides whether zinc oxide or
        // titanium dioxide is the sunscreen active), then each ingredient in one step.
        let (matches, whole) = memo.match_numbered(self.kb, &parsed.ingredients, numbering);
        let (scrub, sunscreen) = (product.is_scrub(), product.is_sunscreen());
        let context = ListContext {
            scrub,
            sunscreen,
            // Read only for a sunscreen (`ListContext::is_sunscreen_active`).
            actives_declared: sunscreen && declares_actives(&parsed.ingredients, &matches),
        };
        let assess = |item: usize, part: usize, span, matched, summary| {
            self.assess(
                &context,
                &parsed.ingredients,
                item,
                part,
                span,
                matched,
                summary,
                hours,
            )
        };
        // The categories and the statuses are tallied as each ingredient is ruled on.
        let mut categories = CategorySet::EMPTY;
        let mut tally = Tally::default();
        let mut tallied = |check: IngredientCheck<'a>| {
            categories = categories.union(check.categories);
            tally.add(&check.ruling);
            check
        };
        let ingredients: Vec<IngredientCheck<'a>> = if whole {
            self.assess_unsplit(
                &context,
                &parsed.ingredients,
                matches,
                hours,
                &mut categories,
                &mut tally,
            )
        } else {
            let mut ingredients = Vec::with_capacity(parsed.ingredients.len() + 4);
            for ((index, item), matched) in parsed.ingredients.iter().enumerate().zip(matches) {
                for (part_index, part) in matched.parts.iter().enumerate() {
                    let span = if matched.parts.len() > 1 {
                        locate(text, &item.span, &part.text)
                    } else {
                        item.span.clone()
                    };
                    let shared = Rc::clone(&matched);
                    ingredients.push(tallied(assess(
                        index,
                        part_index,
                        span,
                        shared,
                        part.summary,
                    )));
                }
            }
            ingredients
        };
        // The rules for the product's type, and a scrub's rules for a product whose name says
        // it is one ("Enzyme Exfoliating Polish"), whatever its type.
        let rule_types = [
            product.product_type.map(ProductType::id),
            (scrub == Some(true)).then_some(ProductType::Scrub.id()),
        ];
        let product_rules: Vec<ProductRuleCheck<'a>> = self
            .product_restrictions
            .iter()
            .filter(|r| {
                r.product_types
                    .iter()
                    .any(|p| rule_types.contains(&Some(p.as_str())))
            })
            .map(|r| ProductRuleCheck {
                restriction: r,
                ruling: rule_restriction(r, hours, Decision::ProductRule { restriction: r }),
            })
            .collect();
        for rule in &product_rules {
            tally.add(&rule.ruling);
        }
        let summary = tally.summary(hours);
        let mut check = ProductCheck {
            text,
            parsed,
            ingredients,
            product_rules,
            product_type: product.product_type,
            hours,
            time_given: time.hours.is_some(),
            treated_at: time.treated_at.clone(),
            checked_at: time.at,
            verdict: summary.verdict,
            usable_from_hours: summary.usable_from,
            better_from_hours: summary.better_from,
            categories,
            printed_in_claim: from_claims,
            named_outside_list: mentioned_spans,
            timeline: Vec::new(),
            protocol: self.protocol,
            skin: &self.skin,
        };
        if time.hours.is_none() {
            check.timeline = self.timeline(&check);
        }
        Ok(check)
    }

    /// The restricted ingredients named inside the text left out of the list: prose, a
    /// disclaimer, a heading, a footnote or a purpose ("Formulated with retinol and vitamin C",
    /// "Fragrance from natural essential oils", "*Lavandula Angustifolia Oil", "Retinol: 0.5%").
    /// Up to [`MOST_WORDS_NAMED`] words at a time, the longest known name first. A claim of
    /// absence ("Free from retinol") names nothing; what continues such a claim is searched for
    /// paused actives only ("…, with 1% pure retinol"), as "sulfates and fragrance" there are
    /// what the product is free of. A product is not called fine while its own text names
    /// something it must wait for.
    fn restricted_names_in_left_out_text<'t>(
        &self,
        parsed: &ParsedList<'t>,
        claims: &[Range<usize>],
        memo: &mut MatchMemo,
    ) -> Vec<ParsedIngredient<'t>> {
        let mut found = Vec::new();
        for dropped in &parsed.dropped {
            // A heading ("Ingredients", "May contain (+/-)") is the usual case: told first.
            if matches!(dropped.reason, DropReason::Empty | DropReason::RetailerCode)
                || (dropped.reason == DropReason::Header
                    && is_header_phrase(dropped.text.as_bytes()))
                || opens_with_negation(dropped.text.as_bytes())
                || is_free_claim(dropped.text.as_bytes())
            {
                continue;
            }
            let paused_only = claims.contains(&dropped.span);
            let text = dropped.text;
            let words: Vec<Range<usize>> = word_ranges(text);
            let mut i = 0;
            while i < words.len() {
                let mut step = 1;
                for n in (1..=MOST_WORDS_NAMED.min(words.len() - i)).rev() {
                    let range = words[i].start..words[i + n - 1].end;
                    let name = &text[range.clone()];
                    // Recognised as one ingredient (no "did you mean" search for the words of a
                    // sentence: an unknown name is no finding here).
                    let restricted = memo
                        .recognised(self.kb, name)
                        .is_some_and(|summary| self.is_restricted(&summary, paused_only));
                    if restricted {
                        found.push(ParsedIngredient {
                            text: Cow::Borrowed(name),
                            span: dropped.span.start + range.start..dropped.span.start + range.end,
                            section: Section::Main,
                            percent: None,
                            position: 0,
                            item_id: ItemId::NONE,
                        });
                        step = n;
                        break;
                    }
                }
                i += step;
            }
        }
        found
    }

    /// Whether a part has a category the protocol restricts (with `paused_only`, a paused
    /// active's), whatever the product: what a name found outside the list must have to count.
    fn is_restricted(&self, summary: &PartSummary, paused_only: bool) -> bool {
        summary.always.iter().any(|c| {
            if paused_only {
                c.group() == CategoryGroup::Paused
            } else {
                self.rules[c as usize].restriction.is_some()
            }
        })
    }

    /// One ingredient: the part's categories in this product's context and its status.
    /// Inlined for the same reason as [`Checker::rule_ingredient`].
    #[inline(always)]
    #[allow(clippy::too_many_arguments)]
    fn assess(
        &self,
        context: &ListContext,
        items: &[ParsedIngredient<'_>],
        item: usize,
        part: usize,
        span: Range<usize>,
        matched: Rc<MemoisedMatch>,
        summary: PartSummary,
        hours: Hours,
    ) -> IngredientCheck<'p> {
        let (categories, notes) = context.categories(&items[item], &summary);
        let ruling = if part == 0 {
            self.rule_first_part(&matched, &summary, categories, notes, hours)
        } else {
            self.rule_ingredient(&summary, categories, notes, hours)
        };
        IngredientCheck {
            item,
            part,
            span,
            matched,
            categories,
            notes,
            ruling,
        }
    }

    /// [`Checker::rule_ingredient`] for the first part of a match (`summary` is
    /// `matched.first_summary()`), through the ruling kept with the match: where the part's
    /// categories do not depend on the product (no scrub-only or sunscreen-only fact), its
    /// ruling depends only on the checker, the hour and the summary, so the ruling this checker
    /// gave it at this hour for an earlier list is given again, rebuilt from the rule that
    /// decided it ([`KeptRuling`]). Only the rulings that take more than a glance are kept
    /// (a known part in some category or with a rating).
    #[inline(always)]
    fn rule_first_part(
        &self,
        matched: &MemoisedMatch,
        summary: &PartSummary,
        categories: CategorySet,
        notes: ContextNotes,
        hours: Hours,
    ) -> Ruling<'p> {
        if !summary.known
            || (categories.is_empty() && summary.comedogenic.is_none())
            || !summary.scrub_only.is_empty()
            || !summary.sunscreen_only.is_empty()
        {
            return self.rule_ingredient(summary, categories, notes, hours);
        }
        if let Some(kept) = matched.kept_ruling.get()
            && kept.checker == self.id
            && kept.hours == hours
            && let Some(ruling) = self.rebuild(kept.rule, summary, hours)
        {
            return ruling;
        }
        let ruling = self.rule_ingredient(summary, categories, notes, hours);
        if let Some(rule) = self.deciding_rule(&ruling) {
            matched.kept_ruling.set(Some(KeptRuling {
                checker: self.id,
                hours,
                rule,
            }));
        }
        ruling
    }

    /// The rule that decided `ruling`, as [`Checker::rebuild`] takes it, if it is one that
    /// [`Checker::rule_ingredient`] gives where the product does not matter.
    fn deciding_rule(&self, ruling: &Ruling<'p>) -> Option<DecidingRule> {
        Some(match ruling.decision {
            Decision::Known => DecidingRule::Known,
            Decision::Restriction { category, .. } => DecidingRule::Restriction(category),
            Decision::Recommended { recommendation } => {
                DecidingRule::Recommended(recommendation.category)
            }
            Decision::SkinCaution { caution, .. } => DecidingRule::SkinCaution(
                u16::try_from(
                    self.cautions
                        .iter()
                        .position(|kept| std::ptr::eq(*kept, caution))?,
                )
                .ok()?,
            ),
            Decision::ProductRule { .. } | Decision::IfScrub { .. } | Decision::Unknown => {
                return None;
            }
        })
    }

    /// The ruling [`Checker::rule_ingredient`] gives at `hours` when `rule` decides it, for a
    /// part of summary `summary`: the same rule, looked up again, ruled on again at `hours`.
    fn rebuild(
        &self,
        rule: DecidingRule,
        summary: &PartSummary,
        hours: Hours,
    ) -> Option<Ruling<'p>> {
        Some(match rule {
            DecidingRule::Known => KNOWN_RULING,
            DecidingRule::Restriction(category) => {
                let restriction = self.rules[category as usize].restriction?;
                rule_restriction(
                    restriction,
                    hours,
                    Decision::Restriction {
                        category,
                        restriction,
                    },
                )
            }
            DecidingRule::Recommended(category) => Ruling {
                status: Status::Recommended,
                until: None,
                better_from: None,
                decision: Decision::Recommended {
                    recommendation: self.rules[category as usize].recommended?,
                },
            },
            DecidingRule::SkinCaution(index) => Ruling {
                status: Status::Caution,
                until: None,
                better_from: None,
                decision: Decision::SkinCaution {
                    caution: self.cautions.get(usize::from(index))?,
                    rating: summary.comedogenic,
                },
            },
        })
    }

    /// [`Checker::assess`] for each ingredient of the usual list, where no item was split
    /// (`matches[i]` is the match of `items[i]`), tallying the categories and the statuses on
    /// the way. Collected from an iterator of known length, each ingredient is written once, in
    /// place. A function of its own, with its tallies in locals: inlined in
    /// [`Checker::check_with`], its loop would keep its values on the stack.
    #[inline(never)]
    fn assess_unsplit(
        &self,
        context: &ListContext,
        items: &[ParsedIngredient<'_>],
        matches: Vec<Rc<MemoisedMatch>>,
        hours: Hours,
        categories: &mut CategorySet,
        tally: &mut Tally,
    ) -> Vec<IngredientCheck<'p>> {
        let (mut all, mut seen) = (*categories, *tally);
        let checks = matches
            .into_iter()
            .zip(items)
            .enumerate()
            .map(|(index, (matched, item))| {
                if matched.first_is_plain() {
                    // What `assess` gives a plain part (no category, no note, known and fine),
                    // which adds nothing to the tallies.
                    return IngredientCheck {
                        item: index,
                        part: 0,
                        span: item.span.clone(),
                        matched,
                        categories: CategorySet::EMPTY,
                        notes: ContextNotes::default(),
                        ruling: KNOWN_RULING,
                    };
                }
                let summary = matched.first_summary();
                let check = self.assess(
                    context,
                    items,
                    index,
                    0,
                    item.span.clone(),
                    matched,
                    summary,
                    hours,
                );
                all = all.union(check.categories);
                seen.add(&check.ruling);
                check
            })
            .collect();
        (*categories, *tally) = (all, seen);
        checks
    }

    /// The status of an ingredient (a matched part with its categories in this product) at
    /// `hours`. Inlined: returned through memory, the ruling would be stored in pieces and
    /// read back whole, a stall on every ingredient.
    #[inline(always)]
    fn rule_ingredient(
        &self,
        summary: &PartSummary,
        categories: CategorySet,
        notes: ContextNotes,
        hours: Hours,
    ) -> Ruling<'p> {
        if !summary.known {
            return UNKNOWN_RULING;
        }
        let mut best = KNOWN_RULING;
        if categories.is_empty() && summary.comedogenic.is_none() && !notes.scrub_unknown {
            // Most ingredients: known, in no category and with no rating, so no rule below
            // can apply.
            return best;
        }
        let mut consider = |candidate: Ruling<'p>| {
            if outranks(&candidate, &best) {
                best = candidate;
            }
        };
        for category in categories.iter() {
            let rules = &self.rules[category as usize];
            let mut held = false;
            if let Some(restriction) = rules.restriction {
                let ruling = rule_restriction(
                    restriction,
                    hours,
                    Decision::Restriction {
                        category,
                        restriction,
                    },
                );
                held = ruling.status != Status::Ok;
                consider(ruling);
            }
            if let Some(recommendation) = rules.recommended
                && !held
                && recommendation.from <= hours
            {
                consider(Ruling {
                    status: Status::Recommended,
                    until: None,
                    better_from: None,
                    decision: Decision::Recommended { recommendation },
                });
            }
        }
        // Skin-type flags: the comedogenic flag compares the rating with the protocol's
        // threshold; any other flag category applies when the ingredient is in it.
        for caution in &self.cautions {
            let applies = if caution.category == Category::Comedogenic {
                summary
                    .comedogenic
                    .is_some_and(|rating| rating >= caution.min_rating.unwrap_or(4))
            } else {
                categories.contains(caution.category)
            };
            if applies {
                consider(Ruling {
                    status: Status::Caution,
                    until: None,
                    better_from: None,
                    decision: Decision::SkinCaution {
                        caution,
                        rating: summary.comedogenic,
                    },
                });
            }
        }
        if notes.scrub_unknown
            && let Some(restriction) = self.rules[Category::PhysicalExfoliant as usize].restriction
            && hours < restriction.earliest
        {
            consider(Ruling {
                status: Status::Caution,
                until: Some(restriction.earliest),
                better_from: None,
                decision: Decision::IfScrub { restriction },
            });
        }
        best
    }

    /// The verdict over the whole recovery: one segment per change.
    fn timeline<'a>(&self, check: &ProductCheck<'a>) -> Vec<TimelineSegment<'a>>
    where
        'p: 'a,
    {
        let mut bounds: Vec<Hours> = vec![Hours::ZERO];
        for ingredient in &check.ingredients {
            for category in ingredient.categories.iter() {
                let rules = &self.rules[category as usize];
                if let Some(r) = rules.restriction {
                    bounds.extend([r.earliest, r.until]);
                }
                if let Some(r) = rules.recommended {
                    bounds.push(r.from);
                }
            }
            if ingredient.notes.scrub_unknown
                && let Some(r) = self.rules[Category::PhysicalExfoliant as usize].restriction
            {
                bounds.push(r.earliest);
            }
        }
        for rule in &check.product_rules {
            bounds.extend([rule.restriction.earliest, rule.restriction.until]);
        }
        bounds.sort();
        bounds.dedup();
        let mut segments: Vec<TimelineSegment<'a>> = Vec::new();
        for (i, &from) in bounds.iter().enumerate() {
            let rulings: Vec<Ruling<'p>> = check
                .ingredients
                .iter()
                .map(|ing| {
                    self.rule_ingredient(&ing.part().summary, ing.categories, ing.notes, from)
                })
                .collect();
            let products: Vec<Ruling<'a>> = check
                .product_rules
                .iter()
                .map(|r| {
                    rule_restriction(
                        r.restriction,
                        from,
                        Decision::ProductRule {
                            restriction: r.restriction,
                        },
                    )
                })
                .collect();
            let summary = summarise(from, rulings.iter(), products.iter());
            let mut on_hold: Vec<&'a str> = Vec::new();
            for ruling in &rulings {
                if ruling.status == Status::Wait
                    && let Decision::Restriction { category, .. } = ruling.decision
                    && !on_hold.contains(&category.id())
                {
                    on_hold.push(category.id());
                }
            }
            on_hold.sort_by_key(|id| {
                Category::ALL
                    .iter()
                    .position(|c| c.id() == *id)
                    .unwrap_or(usize::MAX)
            });
            for (rule, ruling) in check.product_rules.iter().zip(&products) {
                // A product rule may share its id with a category it also holds back
                // ("physical_exfoliant" for a scrub with recognised particles): listed once.
                if ruling.status == Status::Wait && !on_hold.contains(&rule.restriction.id.as_str())
                {
                    on_hold.push(&rule.restriction.id);
                }
            }
            let until = bounds.get(i + 1).copied();
            match segments.last_mut() {
                Some(last) if last.verdict == summary.verdict && last.on_hold == on_hold => {
                    last.until_hours = until;
                }
                _ => segments.push(TimelineSegment {
                    from_hours: from,
                    until_hours: until,
                    verdict: summary.verdict,
                    on_hold,
                }),
            }
        }
        segments
    }
}

/// A known ingredient that no rule holds back.
const KNOWN_RULING: Ruling<'static> = Ruling {
    status: Status::Ok,
    until: None,
    better_from: None,
    decision: Decision::Known,
};

/// The ruling a checker gave the first part of a match at an hour, kept with the match
/// ([`MemoisedMatch`]) by [`Checker::rule_first_part`]: in a run over a catalog, checked at one
/// hour, each ingredient in a category is ruled on once, not once per list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct KeptRuling {
    /// The checker's [`Checker::id`].
    checker: u64,
    /// The hour it was ruled at.
    hours: Hours,
    /// What decided it.
    rule: DecidingRule,
}

/// The rule that decided a ruling, by its place in the checker, for [`Checker::rebuild`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DecidingRule {
    /// Known, no rule applies.
    Known,
    /// The restriction on the category.
    Restriction(Category),
    /// The recommendation of the category.
    Recommended(Category),
    /// The checker's skin-type flag at this index.
    SkinCaution(u16),
}

/// The slot of a [`MemoisedMatch`] that keeps its [`KeptRuling`]. It is a memo, not part of
/// the match: every slot equals every other, and a clone starts empty.
#[derive(Default)]
pub(crate) struct RulingMemo(Cell<Option<KeptRuling>>);

impl RulingMemo {
    /// The ruling kept, if any.
    #[inline]
    pub(crate) fn get(&self) -> Option<KeptRuling> {
        self.0.get()
    }

    /// Keeps `kept` in place of what was kept.
    #[inline]
    pub(crate) fn set(&self, kept: Option<KeptRuling>) {
        self.0.set(kept);
    }
}

impl Clone for RulingMemo {
    fn clone(&self) -> Self {
        RulingMemo::default()
    }
}

impl PartialEq for RulingMemo {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl std::fmt::Debug for RulingMemo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RulingMemo")
    }
}

const UNKNOWN_RULING: Ruling<'static> = Ruling {
    status: Status::Unknown,
    until: None,
    better_from: None,
    decision: Decision::Unknown,
};

/// Whether `a` should replace `b` as an ingredient's status: the more severe status wins;
/// among waits the longer one, among cautions one with a time first.
fn outranks(a: &Ruling<'_>, b: &Ruling<'_>) -> bool {
    let severity = |r: &Ruling<'_>| match r.status {
        Status::Ok => 0,
        Status::Recommended => 1,
        Status::Caution => 2,
        Status::Unknown => 3,
        Status::Wait => 4,
    };
    match severity(a).cmp(&severity(b)) {
        std::cmp::Ordering::Greater => true,
        std::cmp::Ordering::Less => false,
        std::cmp::Ordering::Equal => a.until > b.until,
    }
}

/// A restriction's status at `hours`: wait before the hard limit, caution until the preferred
/// time, ok after it.
fn rule_restriction<'p>(
    restriction: &'p Restriction,
    hours: Hours,
    decision: Decision<'p>,
) -> Ruling<'p> {
    if hours < restriction.earliest {
        Ruling {
            status: Status::Wait,
            until: Some(restriction.earliest),
            better_from: (restriction.until > restriction.earliest).then_some(restriction.until),
            decision,
        }
    } else if hours < restriction.until {
        Ruling {
            status: Status::Caution,
            until: Some(restriction.until),
            better_from: Some(restriction.until),
            decision,
        }
    } else {
        Ruling {
            status: Status::Ok,
            until: None,
            better_from: None,
            decision,
        }
    }
}

/// The verdict and its times, from the statuses at `hours`.
struct Summary {
    verdict: Verdict,
    usable_from: Option<Hours>,
    better_from: Option<Hours>,
}

fn summarise<'r, 'p: 'r>(
    hours: Hours,
    ingredients: impl Iterator<Item = &'r Ruling<'p>>,
    products: impl Iterator<Item = &'r Ruling<'p>>,
) -> Summary {
    let mut tally = Tally::default();
    for ruling in ingredients.chain(products) {
        tally.add(ruling);
    }
    tally.summary(hours)
}

/// The statuses seen so far, for [`Summary`]: kept as the rulings are made, so that a check
/// need not read them again.
#[derive(Debug, Clone, Copy, Default)]
struct Tally {
    wait: bool,
    unknown: bool,
    caution: bool,
    usable_from: Option<Hours>,
    better_from: Option<Hours>,
}

impl Tally {
    fn add(&mut self, ruling: &Ruling<'_>) {
        match ruling.status {
            // Most ingredients: nothing to tally.
            Status::Ok | Status::Recommended => return,
            Status::Unknown => {
                self.unknown = true;
                return;
            }
            Status::Wait => {
                self.wait = true;
                self.usable_from = self.usable_from.max(ruling.until);
            }
            Status::Caution => self.caution = true,
        }
        // A restriction or a product rule that holds the product back says when it is better.
        let preferred = match ruling.decision {
            Decision::Restriction { .. } | Decision::ProductRule { .. } => {
                ruling.better_from.or(ruling.until)
            }
            _ => None,
        };
        self.better_from = self.better_from.max(preferred);
    }

    /// The verdict and its times at `hours`.
    fn summary(self, hours: Hours) -> Summary {
        let verdict = if self.wait {
            Verdict::Wait
        } else if self.unknown {
            Verdict::Unknown
        } else if self.caution {
            Verdict::Caution
        } else {
            Verdict::Ok
        };
        let usable_from = self.usable_from;
        let better_from = self
            .better_from
            .filter(|b| *b > hours && Some(*b) > usable_from);
        Summary {
            verdict,
            usable_from,
            better_from,
        }
    }
}

/// What the whole list says about the product's context.
struct ListContext {
    scrub: Option<bool>,
    sunscreen: bool,
    actives_declared: bool,
}

impl ListContext {
    /// Whether zinc oxide or titanium dioxide in this item is the declared sunscreen active.
    fn is_sunscreen_active(&self, item: &ParsedIngredient) -> bool {
        match item.section {
            Section::Active => true,
            Section::MayContain => false,
            Section::Main | Section::Inactive => {
                item.percent.is_some()
                    || (self.sunscreen && !self.actives_declared && !names_pigment(&item.text))
            }
        }
    }

    /// The categories a part brings to this product, and the facts left out. Inlined for the
    /// same reason as [`Checker::rule_ingredient`].
    #[inline(always)]
    fn categories(
        &self,
        item: &ParsedIngredient,
        summary: &PartSummary,
    ) -> (CategorySet, ContextNotes) {
        let mut set = summary.always;
        let mut notes = ContextNotes::default();
        if !summary.scrub_only.is_empty() {
            match self.scrub {
                Some(true) => set = set.union(summary.scrub_only),
                Some(false) => notes.scrub_only_not_applied = true,
                None => notes.scrub_unknown = true,
            }
        }
        if !summary.sunscreen_only.is_empty() {
            if self.is_sunscreen_active(item) {
                set = set.union(summary.sunscreen_only);
            } else {
                notes.sunscreen_only_not_applied = true;
            }
        }
        (set, notes)
    }
}

/// Whether a list declares its actives: a Drug Facts "Active ingredients" section, or a UV
/// filter printed with its percentage.
fn declares_actives(items: &[ParsedIngredient<'_>], matches: &[Rc<MemoisedMatch>]) -> bool {
    items.iter().zip(matches).any(|(item, matched)| {
        item.section == Section::Active
            || (item.percent.is_some()
                && matched
                    .parts
                    .iter()
                    .any(|p| p.summary.any().has_uv_filter()))
    })
}

/// Whether an item names a colour-index pigment (`CI 77891`, `Titanium Dioxide (Ci 77891)`).
fn names_pigment(text: &str) -> bool {
    let upper = text.to_ascii_uppercase();
    upper.contains("CI 77") || upper.contains("CI77") || upper.contains("CL 77")
}

/// The byte range of a split-off part inside an item's span (found case-insensitively), or
/// the whole span.
fn locate(text: &str, span: &Range<usize>, part: &str) -> Range<usize> {
    let Some(raw) = text.get(span.clone()) else {
        return span.clone();
    };
    let upper = raw.to_ascii_uppercase();
    match upper.find(part) {
        Some(at) => span.start + at..span.start + at + part.len(),
        None => span.clone(),
    }
}

/// Refuses text that is not an ingredient list.
fn validate_text(text: &str) -> Result<(), CheckError> {
    if text.len() > MAX_INPUT_BYTES {
        return Err(CheckError::TooLarge);
    }
    if text.trim().is_empty() {
        return Err(CheckError::Empty);
    }
    // Control characters: C0 except white space, DEL, and C1 (U+0080-U+009F). The byte scan has
    // no early exit so that it vectorises (two vector steps a block: the smallest byte and the
    // largest); real lists are a few hundred bytes. Most lists have no byte below 0x20, and
    // the exact C0 test (white space is allowed) runs only on those that do. In ASCII text the
    // largest byte tells a DEL; other text is read character by character for C1 anyway, and
    // that reading looks for a DEL too.
    let bytes = text.as_bytes();
    let (smallest, largest) = bytes
        .iter()
        .fold((u8::MAX, 0u8), |(smallest, largest), &b| {
            (smallest.min(b), largest.max(b))
        });
    let c0 = smallest < 0x20
        && bytes
            .iter()
            .any(|&b| b < 0x20 && !matches!(b, b'\t'..=b'\r'));
    let ascii = largest < 0x80;
    let binary = c0
        || largest == 0x7F
        || (!ascii
            && text
                .chars()
                .any(|c| c == '\u{7F}' || ('\u{80}'..='\u{9F}').contains(&c)));
    if binary {
        return Err(CheckError::Binary);
    }
    let has_letter = bytes.iter().any(u8::is_ascii_alphabetic)
        || (!ascii && text.chars().any(char::is_alphabetic));
    if !has_letter {
        return Err(CheckError::NoIngredients);
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Explanations
// ---------------------------------------------------------------------------------------

/// Why an unknown ingredient is not cleared.
pub const UNKNOWN_REASON: &str = "Not recognised, so it cannot be cleared: check the spelling \
against the pack, or ask your practitioner.";

/// Why a known ingredient with nothing to say is fine.
pub const OK_REASON: &str = "Recognised; nothing in the aftercare protocol holds it back.";

impl Ruling<'_> {
    /// The reason a person reads.
    pub fn reason(&self) -> Cow<'_, str> {
        match self.decision {
            Decision::Restriction { restriction, .. } | Decision::ProductRule { restriction } => {
                Cow::Borrowed(&restriction.reason)
            }
            Decision::IfScrub { restriction } => Cow::Owned(format!(
                "A scrub particle: if this product is a scrub, polish or exfoliating powder, \
                 wait. {}",
                restriction.reason
            )),
            Decision::SkinCaution { caution, rating } => match rating {
                Some(rating) => Cow::Owned(format!(
                    "Comedogenic rating {rating} of 5. {}",
                    caution.reason
                )),
                None => Cow::Borrowed(&caution.reason),
            },
            Decision::Recommended { recommendation } => Cow::Borrowed(&recommendation.reason),
            Decision::Known => Cow::Borrowed(OK_REASON),
            Decision::Unknown => Cow::Borrowed(UNKNOWN_REASON),
        }
    }

    /// The protocol source of the rule that decided, if a rule did.
    pub fn source(&self) -> Option<&str> {
        match self.decision {
            Decision::Restriction { restriction, .. }
            | Decision::ProductRule { restriction }
            | Decision::IfScrub { restriction } => Some(&restriction.source.citation),
            Decision::SkinCaution { caution, .. } => Some(&caution.source.citation),
            Decision::Recommended { recommendation } => Some(&recommendation.source.citation),
            Decision::Known | Decision::Unknown => None,
        }
    }
}

/// A sentence saying how a part was matched.
pub fn match_note(part: &MatchedPart) -> Cow<'static, str> {
    let known_as = || {
        part.known
            .as_ref()
            .map(|k| k.name.clone().into_owned())
            .unwrap_or_default()
    };
    let note = match part.matched_by {
        MatchedBy::Exact => "The exact INCI name.".to_owned(),
        MatchedBy::Synonym => format!("Another name for {}.", known_as()),
        MatchedBy::WithoutBrackets => {
            format!(
                "Matched as {} (the bracketed text is a common name).",
                known_as()
            )
        }
        MatchedBy::SlashSynonym => {
            let mut names = vec![known_as()];
            if let Some(known) = &part.known {
                names.extend(known.also.iter().map(|a| (*a).to_owned()));
            }
            format!(
                "Slash-separated names of one ingredient; recognised: {}.",
                names.join(", ")
            )
        }
        MatchedBy::BracketContent => format!("Matched by the name in brackets: {}.", known_as()),
        MatchedBy::Qualifier => format!("Matched as {} (a qualifier word ignored).", known_as()),
        MatchedBy::StereoPrefix => format!(
            "Matched as {} (the stereo descriptor L-, D- or DL- is not part of the INCI name).",
            known_as()
        ),
        MatchedBy::Rule => match part.rule {
            Some(explain) => format!("Not listed by name; recognised by rule: {explain}"),
            None => "Not listed by name; recognised by rule.".to_owned(),
        },
        MatchedBy::Unknown => "Not found in the knowledge base.".to_owned(),
    };
    let split = match part.split {
        Some(Split::Blend) => "Part of a blend printed as one item. ",
        Some(Split::RunTogether) => "Printed run together with another name, without a separator. ",
        None => return Cow::Owned(note),
    };
    Cow::Owned(format!("{split}{note}"))
}

// ---------------------------------------------------------------------------------------
// JSON (CONTRACT §4)
// ---------------------------------------------------------------------------------------

#[derive(Serialize)]
struct ProductCheckJson<'s> {
    verdict: Verdict,
    usable_from_hours: Option<Hours>,
    #[serde(skip_serializing_if = "Option::is_none")]
    usable_from: Option<Option<String>>,
    better_from_hours: Option<Hours>,
    #[serde(skip_serializing_if = "Option::is_none")]
    better_from: Option<Option<String>>,
    hours_since_treatment: Option<Hours>,
    day: Option<u32>,
    categories: CategorySet,
    skin: &'s [SkinType],
    product_type: Option<&'static str>,
    product_rules: Vec<ProductRuleJson<'s>>,
    ingredients: Vec<IngredientJson<'s>>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    timeline: &'s [TimelineSegment<'s>],
    not_ingredients: Vec<DroppedJson<'s>>,
    protocol: ProtocolJson<'s>,
}

#[derive(Serialize)]
struct ProductRuleJson<'s> {
    id: &'s str,
    status: Status,
    until_hours: Option<Hours>,
    better_from_hours: Option<Hours>,
    reason: Cow<'s, str>,
    source: Option<&'s str>,
}

#[derive(Serialize)]
struct FactJson {
    category: Category,
    source: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'static str>,
}

#[derive(Serialize)]
struct NotCountedJson {
    category: Category,
    reason: &'static str,
}

#[derive(Serialize)]
struct IngredientJson<'s> {
    input: &'s str,
    name: Option<&'s str>,
    categories: CategorySet,
    status: Status,
    until_hours: Option<Hours>,
    better_from_hours: Option<Hours>,
    reason: Cow<'s, str>,
    source: Option<&'s str>,
    matched_by: MatchedBy,
    match_note: Cow<'static, str>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    also_known_as: &'s [&'static str],
    #[serde(skip_serializing_if = "Option::is_none")]
    split: Option<Split>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    suggestions: &'s [Suggestion],
    facts: Vec<FactJson>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    not_counted: Vec<NotCountedJson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    comedogenic_rating: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cosing_ref: Option<&'static str>,
    section: Section,
    position: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    percent: Option<f32>,
    span: [usize; 2],
    /// Printed in a claim of what the product is without ("Free from …").
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    printed_in_claim: bool,
    /// A restricted ingredient named in text not read as part of the list.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    named_outside_list: bool,
}

#[derive(Serialize)]
struct DroppedJson<'s> {
    text: &'s str,
    reason: &'static str,
}

#[derive(Serialize)]
struct ProtocolJson<'s> {
    id: &'s str,
    version: &'s str,
}

/// Why facts that did not apply were left out.
const SCRUB_ONLY_NOTE: &str =
    "Counts as a scrub particle only in scrubs, polishes and exfoliating powders.";
const SCRUB_UNKNOWN_NOTE: &str = "Counts as a scrub particle only in scrubs, polishes and \
exfoliating powders; the product type is not known.";
const SUNSCREEN_ONLY_NOTE: &str = "Counts as a mineral sunscreen filter only when declared as \
the sunscreen active (not as a pigment).";

impl Serialize for ProductCheck<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let known_time = self.treated_at.is_some();
        let instant = |h: Option<Hours>| {
            known_time.then(|| {
                h.and_then(|h| self.instant(h))
                    .map(|at| format_rfc3339(&at))
            })
        };
        let ingredients = self
            .ingredients
            .iter()
            .map(|ingredient| {
                let part = ingredient.part();
                let item = self.item(ingredient);
                let known = part.known.as_ref();
                let mut not_counted: Vec<NotCountedJson> = known
                    .map(|k| {
                        k.exclusions
                            .iter()
                            .map(|x| NotCountedJson {
                                category: x.category,
                                reason: x.reason,
                            })
                            .collect()
                    })
                    .unwrap_or_default();
                let notes = ingredient.notes;
                for (flag, category, reason) in [
                    (
                        notes.scrub_only_not_applied,
                        Category::PhysicalExfoliant,
                        SCRUB_ONLY_NOTE,
                    ),
                    (
                        notes.scrub_unknown,
                        Category::PhysicalExfoliant,
                        SCRUB_UNKNOWN_NOTE,
                    ),
                    (
                        notes.sunscreen_only_not_applied,
                        Category::MineralUvFilter,
                        SUNSCREEN_ONLY_NOTE,
                    ),
                ] {
                    if flag {
                        not_counted.push(NotCountedJson { category, reason });
                    }
                }
                let facts = known
                    .map(|k| {
                        k.facts
                            .iter()
                            .filter(|f| ingredient.categories.contains(f.category))
                            .map(fact_json)
                            .collect()
                    })
                    .unwrap_or_default();
                IngredientJson {
                    input: self.input(ingredient),
                    name: known.map(|k| k.name.as_ref()),
                    categories: ingredient.categories,
                    status: ingredient.ruling.status,
                    until_hours: ingredient.ruling.until,
                    better_from_hours: ingredient.ruling.better_from,
                    reason: ingredient.ruling.reason(),
                    source: ingredient
                        .ruling
                        .source()
                        .or_else(|| known.map(known_source)),
                    matched_by: part.matched_by,
                    match_note: match_note(part),
                    also_known_as: known.map(|k| k.also.as_slice()).unwrap_or_default(),
                    split: part.split,
                    suggestions: &part.suggestions,
                    facts,
                    not_counted,
                    comedogenic_rating: known.and_then(|k| k.comedogenic).map(|c| c.rating),
                    cosing_ref: known.and_then(|k| k.cosing_ref),
                    section: item.section,
                    position: item.position,
                    percent: item.percent,
                    span: [ingredient.span.start, ingredient.span.end],
                    printed_in_claim: self.in_claim(ingredient),
                    named_outside_list: self.outside_list(ingredient),
                }
            })
            .collect();
        let product_rules = self
            .product_rules
            .iter()
            .map(|rule| ProductRuleJson {
                id: &rule.restriction.id,
                status: rule.ruling.status,
                until_hours: rule.ruling.until,
                better_from_hours: rule.ruling.better_from,
                reason: rule.ruling.reason(),
                source: rule.ruling.source(),
            })
            .collect();
        ProductCheckJson {
            verdict: self.verdict,
            usable_from_hours: self.usable_from_hours,
            usable_from: instant(self.usable_from_hours),
            better_from_hours: self.better_from_hours,
            better_from: instant(self.better_from_hours),
            hours_since_treatment: self.time_given.then_some(self.hours),
            day: self.time_given.then(|| self.hours.day()),
            categories: self.categories,
            skin: self.skin,
            product_type: self.product_type.map(ProductType::id),
            product_rules,
            ingredients,
            timeline: &self.timeline,
            not_ingredients: self
                .parsed
                .dropped
                .iter()
                .filter(|d| !d.text.is_empty())
                .map(|d| DroppedJson {
                    text: d.text,
                    reason: d.reason.as_str(),
                })
                .collect(),
            protocol: ProtocolJson {
                id: &self.protocol.id,
                version: &self.protocol.version,
            },
        }
        .serialize(serializer)
    }
}

fn fact_json(fact: &CategoryFact) -> FactJson {
    FactJson {
        category: fact.category,
        source: fact.source,
        rule: match fact.basis {
            crate::inci::kb::Basis::Rule { id, .. } => Some(id),
            crate::inci::kb::Basis::Curated => None,
        },
        note: fact.note,
    }
}

/// Where the knowledge of an ingredient with no rule comes from.
fn known_source(known: &crate::inci::matching::Known) -> &'static str {
    match (known.facts.first(), known.listing) {
        (Some(fact), _) => fact.source,
        (None, Some(listing)) => listing.source,
        (None, None) if known.cosing_ref.is_some() => COSING_ATTRIBUTION,
        (None, None) => "The curated ingredient knowledge base (data/ingredients/).",
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::protocol::default_protocol;

    fn checker(skin: &[SkinType]) -> Checker<'static> {
        let profile = Profile {
            skin: skin.to_vec(),
            ..Profile::default()
        };
        Checker::new(KnowledgeBase::embedded(), default_protocol(), &profile)
    }

    #[test]
    fn a_plain_part_is_assessed_as_the_fast_path_takes_it() {
        // Every name the knowledge base lists whose match is plain: the full assessment, in
        // every context, for every skin type and at every hour a rule changes, gives what
        // `assess_unsplit` writes without it.
        let kb = KnowledgeBase::embedded();
        let mut memo = MatchMemo::new();
        let skins = [
            vec![],
            vec![SkinType::Dry],
            vec![SkinType::Oily, SkinType::Sensitive],
        ];
        let mut checkers: Vec<Checker> = skins.iter().map(|skin| checker(skin)).collect();
        // A clinic's protocol that flags every comedogenic rating, however low, for every skin
        // type: a part with a rating is never plain.
        let mut strict = default_protocol().clone();
        for caution in &mut strict.skin_cautions {
            caution.min_rating = Some(0);
            caution.skin = SkinType::ALL.to_vec();
        }
        assert!(
            strict
                .skin_cautions
                .iter()
                .any(|c| c.category == Category::Comedogenic)
        );
        let strict: &'static Protocol = Box::leak(Box::new(strict));
        let profile = Profile {
            skin: vec![SkinType::Oily],
            ..Profile::default()
        };
        checkers.push(Checker::new(kb, strict, &profile));
        let contexts = [None, Some(false), Some(true)]
            .into_iter()
            .flat_map(|scrub| {
                [(false, false), (true, false), (true, true)].map(
                    |(sunscreen, actives_declared)| ListContext {
                        scrub,
                        sunscreen,
                        actives_declared,
                    },
                )
            });
        let contexts: Vec<ListContext> = contexts.collect();
        let hours = [0, 12, 24, 48, 72, 168, 336, 720, 5000].map(Hours);
        let mut plain = 0;
        for (index, name) in kb.curated_names().chain(kb.names().step_by(7)).enumerate() {
            let matched = memo.get(kb, name);
            if !matched.first_is_plain() || matched.parts.len() != 1 {
                continue;
            }
            plain += 1;
            let items = [ParsedIngredient {
                text: Cow::Borrowed(name),
                span: 0..name.len(),
                section: [Section::Main, Section::Active, Section::MayContain][index % 3],
                percent: (index % 2 == 0).then_some(2.0),
                position: 1,
                item_id: ItemId::NONE,
            }];
            for checker in &checkers {
                for context in &contexts {
                    for hour in hours {
                        let check = checker.assess(
                            context,
                            &items,
                            0,
                            0,
                            items[0].span.clone(),
                            Rc::clone(&matched),
                            matched.first_summary(),
                            hour,
                        );
                        assert_eq!(check.categories, CategorySet::EMPTY, "{name}");
                        assert_eq!(check.notes, ContextNotes::default(), "{name}");
                        assert_eq!(check.ruling.status, Status::Ok, "{name}");
                        assert_eq!(check.ruling.until, None, "{name}");
                        assert_eq!(check.ruling.better_from, None, "{name}");
                        assert!(matches!(check.ruling.decision, Decision::Known), "{name}");
                    }
                }
            }
        }
        // Most names are plain.
        assert!(plain > 1000, "{plain}");
    }

    fn at(hours: u32, text: &str) -> ProductCheck<'static> {
        static CHECKER: std::sync::OnceLock<Checker<'static>> = std::sync::OnceLock::new();
        let checker = CHECKER.get_or_init(|| checker(&[]));
        let text: &'static str = Box::leak(text.to_owned().into_boxed_str());
        checker
            .check(text, &Product::default(), &CheckTime::hours(Hours(hours)))
            .expect("a valid list")
    }

    /// The inputs of the ingredients for which `test` holds.
    fn inputs_where<'c, 'p>(
        check: &'c ProductCheck<'p>,
        test: impl Fn(&ProductCheck<'p>, &IngredientCheck<'_>) -> bool,
    ) -> Vec<&'c str> {
        check
            .ingredients
            .iter()
            .filter(|i| test(check, i))
            .map(|i| check.input(i))
            .collect()
    }

    fn status(check: &ProductCheck<'_>, input: &str) -> Status {
        check
            .ingredients
            .iter()
            .find(|i| check.input(i) == input)
            .map(|i| i.ruling.status)
            .unwrap_or_else(|| panic!("no {input}"))
    }

    #[test]
    fn a_name_in_no_category_cites_the_source_that_lists_it() {
        let source = |name: &str| {
            let matched = crate::inci::matching::match_item(KnowledgeBase::embedded(), name);
            known_source(matched.parts[0].known.as_ref().expect("known"))
        };
        // Iron oxides: listed by the curated data (21 CFR 73.2250), in no category, not in
        // CosIng under that name.
        assert!(
            source("Iron Oxides").contains("73.2250"),
            "{}",
            source("Iron Oxides")
        );
        assert_eq!(source("Glycerin"), COSING_ATTRIBUTION);
    }

    #[test]
    fn paused_and_irritant_categories_wait_until_their_end() {
        for hours in [0, 47, 167] {
            let check = at(hours, "Water, Retinol, Alcohol Denat., Parfum");
            assert_eq!(check.verdict, Verdict::Wait, "{hours}");
            assert_eq!(check.usable_from_hours, Some(Hours(168)));
            assert_eq!(status(&check, "Retinol"), Status::Wait);
            assert_eq!(status(&check, "Alcohol Denat."), Status::Wait);
            assert_eq!(status(&check, "Water"), Status::Ok);
        }
        let check = at(168, "Water, Retinol, Alcohol Denat., Parfum");
        assert_eq!(check.verdict, Verdict::Ok);
        assert_eq!(check.usable_from_hours, None);
    }

    #[test]
    fn peptides_wait_then_are_possible_then_recommended() {
        let text = "Water, Palmitoyl Tripeptide-1";
        let check = at(47, text);
        assert_eq!(status(&check, "Palmitoyl Tripeptide-1"), Status::Wait);
        assert_eq!(check.usable_from_hours, Some(Hours(48)));
        assert_eq!(check.better_from_hours, Some(Hours(168)));
        let check = at(48, text);
        assert_eq!(check.verdict, Verdict::Caution);
        assert_eq!(check.usable_from_hours, None);
        assert_eq!(check.better_from_hours, Some(Hours(168)));
        let check = at(168, text);
        assert_eq!(
            status(&check, "Palmitoyl Tripeptide-1"),
            Status::Recommended
        );
        assert_eq!(check.verdict, Verdict::Ok);
        assert_eq!(check.better_from_hours, None);
    }

    #[test]
    fn helpful_ingredients_are_recommended_from_the_start() {
        let check = at(
            0,
            "Sodium Hyaluronate, Aloe Barbadensis Leaf Juice, Tocopherol",
        );
        assert!(
            check
                .ingredients
                .iter()
                .all(|i| i.ruling.status == Status::Recommended)
        );
        assert_eq!(check.verdict, Verdict::Ok);
    }

    #[test]
    fn unknown_is_never_fine_and_wait_comes_first() {
        let check = at(200, "Water, Zzqx Blorb Extract");
        assert_eq!(status(&check, "Zzqx Blorb Extract"), Status::Unknown);
        assert_eq!(check.verdict, Verdict::Unknown);
        let check = at(10, "Retinol, Zzqx Blorb Extract");
        assert_eq!(check.verdict, Verdict::Wait);
    }

    #[test]
    fn a_claim_or_sentence_in_the_list_does_not_hide_the_ingredients_after_it() {
        // Review finding: every item after "Vegan" or "Fragrance-Free" was left out as prose,
        // so a retinoid after it was cleared on day 2.
        for (text, paused) in [
            (
                "Water, Glycerin, Fragrance-Free, Limonene, Tretinoin",
                "Tretinoin",
            ),
            ("Water, Glycerin, Vegan, Retinol", "Retinol"),
            ("Paraben-free, Water, Retinol", "Retinol"),
            (
                "Water, Glycerin, Gluten-Free, Mandelic Acid",
                "Mandelic Acid",
            ),
            (
                "Water, Alcohol-Free Witch Hazel, Retinol, Parfum",
                "Retinol",
            ),
            (
                "Water, Glycerin, made with love and care, Retinol",
                "Retinol",
            ),
            // Re-check findings: a direction with "without" in it is not a claim of absence.
            (
                "Water, Glycerin, Apply without rubbing, Retinol, Glycolic Acid",
                "Retinol",
            ),
            (
                "Water, Glycerin, Use with or without makeup, Tretinoin",
                "Tretinoin",
            ),
            ("Water, Glycerin, Made In France, Retinol", "Retinol"),
            ("Water, Glycerin, Paraben Free, Retinol", "Retinol"),
        ] {
            let check = at(30, text);
            assert_eq!(check.verdict, Verdict::Wait, "{text}");
            assert_eq!(status(&check, paused), Status::Wait, "{text}");
            let positions: Vec<usize> = check
                .parsed
                .ingredients
                .iter()
                .map(|i| i.position)
                .collect();
            let expected: Vec<usize> = (1..=positions.len()).collect();
            assert_eq!(positions, expected, "{text}");
        }
        // A name printed after a fragment of directions is read as the list going on, so an
        // unrecognised one is reported, not dropped (re-check finding: this list was "OK").
        let check = at(
            30,
            "Water, Glycerin, Avoid contact with eyes, Essential Oils, Granactive Retinoid",
        );
        assert_eq!(check.verdict, Verdict::Wait, "essential oils wait");
        assert_eq!(status(&check, "Granactive Retinoid"), Status::Unknown);
        // A paused active named in the text around the list is checked, marked as named
        // outside the list (re-check: "Formulated with retinol and vitamin C" was OK); a claim
        // of its absence names nothing.
        for (text, named) in [
            (
                "Water, Glycerin. Formulated with retinol and vitamin C for radiance.",
                vec!["retinol", "vitamin C"],
            ),
            (
                "Water, Glycerin, with Retinol and Glycolic Acid",
                vec!["Retinol", "Glycolic Acid"],
            ),
            ("Water, Glycerin. Free from retinol and parabens.", vec![]),
        ] {
            let check = at(30, text);
            let outside = inputs_where(&check, ProductCheck::outside_list);
            assert_eq!(outside, named, "{text}");
            let expected = if named.is_empty() {
                Verdict::Ok
            } else {
                Verdict::Wait
            };
            assert_eq!(check.verdict, expected, "{text}");
        }
        // Second re-check: labels that were still cleared on day 2 while naming something to
        // wait for, in a footnote, a bracket, a heading, a clause after a claim, a generic term.
        for text in [
            "Aqua. Glycerin. *Lavandula Angustifolia Oil. *Citrus Aurantium Dulcis Peel Oil. Tocopherol.",
            "Aqua, Aloe Vera Gel (Aloe Barbadensis Leaf Juice, Benzyl Alcohol, Citric Acid), Glycerin",
            "Aqua, Glycerin, Shea Butter (Butyrospermum Parkii Butter, Parfum)",
            "Retinol: 0.5%\nNiacinamide: 4%\nSqualane",
            "Aqua, Squalane, Glycerin. Free from parabens and fragrance, with 1% pure retinol for visible results.",
            "AQUA, GLYCERIN, ESSENTIAL OILS OF LAVENDER AND GERANIUM",
            "Aqua, Glycerin, Fragrance from natural essential oils",
            "Ingredients: Aqua, Glycerin*, Tocopherol. *Organic farming. Fragrance: **Linalool, **Limonene",
            "Aqua, Glycerin, Fruit Acids",
        ] {
            assert_eq!(at(30, text).verdict, Verdict::Wait, "{text}");
        }
        let disclaimer_first = "Please refer to the product packaging for the most up-to-date list of ingredients - Aqua, Glycerin, Granactive Retinoid";
        assert_eq!(at(30, disclaimer_first).verdict, Verdict::Unknown);
        // What a product does not contain is not a reason to wait, nor a claim an unknown
        // ingredient (re-check: "Paraben Free" could not be cleared, "FRAGRANCE FREE" waited).
        for text in [
            "Water, Glycerin, Paraben Free, Cruelty Free",
            "Water, Glycerin, FRAGRANCE FREE",
            "Water, Glycerin. Alcohol Free. Sulfate And Paraben Free",
            "Aqua, Glycerin, Panthenol. Does not contain fragrance, alcohol or essential oils.",
            "Aqua, Glycerin, Panthenol. No added fragrance or essential oils.",
            "Aqua, Glycerin, Panthenol. Free from retinol and parabens.",
        ] {
            assert_eq!(at(30, text).verdict, Verdict::Ok, "{text}");
        }
        // A claim of what a product is free of: its harmless or unknown items stay out, quoted
        // as text not read as ingredients; a name the protocol restricts is still checked, and
        // marked as printed in the claim, so a pasted "Contains no parabens, Retinol" is never
        // called fine (and "without fragrance" says why it holds fragrance back).
        for (text, verdict, in_claim) in [
            (
                "Water, Glycerin, Squalane. Free from parabens, sulfates and fragrance.",
                Verdict::Ok,
                None,
            ),
            (
                "Water, Glycerin. Free from parabens, mineral oil, silicones.",
                Verdict::Ok,
                None,
            ),
            (
                "Water, Glycerin, Squalane. Formulated without parabens, fragrance, or dyes.",
                Verdict::Wait,
                Some("fragrance"),
            ),
            (
                "Water, Contains no parabens, Retinol, Parfum",
                Verdict::Wait,
                Some("Retinol"),
            ),
        ] {
            let check = at(30, text);
            assert_eq!(check.verdict, verdict, "{text}");
            let claimed = inputs_where(&check, ProductCheck::in_claim);
            assert_eq!(claimed.first().copied(), in_claim, "{text}");
            let left_out = crate::inci::render::left_out_text(&check);
            assert!(
                left_out.iter().any(|t| t.contains("parabens")),
                "{left_out:?}"
            );
            let rendered = crate::inci::render::render_text(&check);
            assert!(rendered.contains("Not read as ingredients"), "{text}");
            assert_eq!(
                rendered.contains(crate::inci::render::IN_CLAIM_NOTE),
                in_claim.is_some(),
                "{text}"
            );
        }
    }

    #[test]
    fn comedogenic_is_a_caution_only_for_oily_or_acne_prone_skin() {
        let text = "Water, Isopropyl Myristate";
        for (skin, expected) in [
            (vec![], Verdict::Ok),
            (vec![SkinType::Dry], Verdict::Ok),
            (vec![SkinType::Oily], Verdict::Caution),
            (
                vec![SkinType::AcneProne, SkinType::Sensitive],
                Verdict::Caution,
            ),
        ] {
            let checker = checker(&skin);
            let check = checker
                .check(text, &Product::default(), &CheckTime::hours(Hours(200)))
                .unwrap();
            assert_eq!(check.verdict, expected, "{skin:?}");
            assert!(check.categories.contains(Category::Comedogenic));
        }
    }

    #[test]
    fn scrub_particles_depend_on_the_product() {
        let checker = checker(&[]);
        let text = "Water, Juglans Regia (Walnut) Shell Powder";
        let time = CheckTime::hours(Hours(50));
        let verdict = |product: Product<'_>| checker.check(text, &product, &time).unwrap().verdict;
        let typed = |t| Product {
            product_type: Some(t),
            name: None,
        };
        assert_eq!(verdict(typed(ProductType::Exfoliant)), Verdict::Wait);
        assert_eq!(verdict(typed(ProductType::Scrub)), Verdict::Wait);
        assert_eq!(verdict(typed(ProductType::Moisturizer)), Verdict::Ok);
        assert_eq!(verdict(Product::default()), Verdict::Caution);
        let named = Product {
            product_type: Some(ProductType::Cleanser),
            name: Some("Gentle Exfoliating Cleanser"),
        };
        assert_eq!(verdict(named), Verdict::Wait);
        // A scrub by its name waits like one even when its particles are not recognised
        // (review finding: only a declared type brought the scrub rule).
        let polish = Product {
            product_type: None,
            name: Some("Enzyme Exfoliating Polish"),
        };
        let check = checker
            .check("Water, Glycerin, Papain", &polish, &time)
            .unwrap();
        assert_eq!(check.verdict, Verdict::Wait);
        assert_eq!(check.usable_from_hours, Some(Hours(168)));
    }

    #[test]
    fn mineral_filters_count_only_as_the_declared_active() {
        let checker = checker(&[]);
        let time = CheckTime::hours(Hours(0));
        let mineral = |text: &str, product: Product<'_>| {
            checker
                .check(text, &product, &time)
                .unwrap()
                .categories
                .contains(Category::MineralUvFilter)
        };
        let sunscreen = Product {
            product_type: Some(ProductType::Sunscreen),
            name: None,
        };
        assert!(mineral("Zinc Oxide 20%, Water", Product::default()));
        assert!(mineral(
            "Active ingredients: Titanium Dioxide 5%. Inactive ingredients: Water",
            Product::default()
        ));
        assert!(mineral("Water, Zinc Oxide, Glycerin", sunscreen));
        assert!(!mineral("Water, Titanium Dioxide (CI 77891)", sunscreen));
        assert!(!mineral(
            "Octocrylene 10%, Water, Titanium Dioxide",
            sunscreen
        ));
        assert!(!mineral(
            "Water, Titanium Dioxide",
            Product {
                product_type: Some(ProductType::Makeup),
                name: None,
            }
        ));
        assert!(!mineral(
            "Water, Glycerin. May contain: Titanium Dioxide",
            sunscreen
        ));
    }

    #[test]
    fn product_rules_follow_the_product_type() {
        let checker = checker(&[]);
        let makeup = Product {
            product_type: Some(ProductType::Makeup),
            name: None,
        };
        let text = "Water, Glycerin";
        let check = |h| {
            checker
                .check(text, &makeup, &CheckTime::hours(Hours(h)))
                .unwrap()
        };
        let early = check(23);
        assert_eq!(early.verdict, Verdict::Wait);
        assert_eq!(early.usable_from_hours, Some(Hours(24)));
        assert_eq!(early.better_from_hours, Some(Hours(48)));
        assert_eq!(check(24).verdict, Verdict::Caution);
        assert_eq!(check(48).verdict, Verdict::Ok);
        let cleanser = Product {
            product_type: Some(ProductType::Cleanser),
            name: None,
        };
        let check = checker
            .check(text, &cleanser, &CheckTime::hours(Hours(47)))
            .unwrap();
        assert_eq!(check.usable_from_hours, Some(Hours(48)));
        // Review finding: an exfoliant whose particles are not recognised (enzymes) was fine
        // on day 2, and a toner (not part of the first days' routine) too.
        for (product_type, from) in [
            (ProductType::Exfoliant, 168),
            (ProductType::Scrub, 168),
            (ProductType::Toner, 96),
            (ProductType::Mask, 96),
        ] {
            let product = Product {
                product_type: Some(product_type),
                name: None,
            };
            let check = |h| {
                checker
                    .check(
                        "Water, Glycerin, Papain",
                        &product,
                        &CheckTime::hours(Hours(h)),
                    )
                    .unwrap()
            };
            let early = check(30);
            assert_eq!(early.verdict, Verdict::Wait, "{product_type:?}");
            assert_eq!(
                early.usable_from_hours,
                Some(Hours(from)),
                "{product_type:?}"
            );
            assert_eq!(check(from).verdict, Verdict::Ok, "{product_type:?}");
        }
        // A cleanser whose name says it is a polish: the cleanser's rule and the scrub's, each
        // once, in the protocol's order; an exfoliant so named: the scrub's rule once.
        let rules = |product_type, name| {
            let product = Product { product_type, name };
            let check = checker
                .check(text, &product, &CheckTime::hours(Hours(30)))
                .unwrap();
            check
                .product_rules
                .iter()
                .map(|r| r.restriction.id.as_str())
                .collect::<Vec<_>>()
        };
        let polish = Some("Enzyme Exfoliating Polish");
        assert_eq!(
            rules(Some(ProductType::Cleanser), polish),
            ["cleanser", "physical_exfoliant"]
        );
        assert_eq!(
            rules(Some(ProductType::Exfoliant), polish),
            ["physical_exfoliant"]
        );
        assert_eq!(rules(None, polish), ["physical_exfoliant"]);
        assert_eq!(rules(Some(ProductType::Serum), None), Vec::<&str>::new());
        assert_eq!(rules(Some(ProductType::Mask), None).len(), 1);
    }

    #[test]
    fn a_scrub_with_particles_lists_what_holds_it_once() {
        let checker = checker(&[]);
        let scrub = Product {
            product_type: Some(ProductType::Scrub),
            name: None,
        };
        let check = checker
            .check(
                "Water, Juglans Regia (Walnut) Shell Powder",
                &scrub,
                &CheckTime::WHOLE_RECOVERY,
            )
            .unwrap();
        let first = &check.timeline[0];
        assert_eq!(first.verdict, Verdict::Wait);
        for id in &first.on_hold {
            assert_eq!(
                first.on_hold.iter().filter(|other| *other == id).count(),
                1,
                "{:?}",
                first.on_hold
            );
        }
        assert!(
            first.on_hold.contains(&"physical_exfoliant"),
            "{:?}",
            first.on_hold
        );
    }

    #[test]
    fn without_a_time_the_timeline_covers_the_recovery() {
        let checker = checker(&[]);
        let check = checker
            .check(
                "Water, Retinol, Palmitoyl Tripeptide-1",
                &Product::default(),
                &CheckTime::WHOLE_RECOVERY,
            )
            .unwrap();
        assert!(!check.time_given);
        let summary: Vec<(u32, Option<u32>, Verdict)> = check
            .timeline
            .iter()
            .map(|s| (s.from_hours.0, s.until_hours.map(|h| h.0), s.verdict))
            .collect();
        assert_eq!(
            summary,
            vec![
                (0, Some(48), Verdict::Wait),
                (48, Some(168), Verdict::Wait),
                (168, None, Verdict::Ok)
            ]
        );
        assert_eq!(check.timeline[0].on_hold, vec!["retinoid", "peptide"]);
        assert_eq!(check.timeline[1].on_hold, vec!["retinoid"]);
        assert!(check.timeline[2].on_hold.is_empty());
        let check = checker
            .check(
                "Water, Retinol",
                &Product::default(),
                &CheckTime::hours(Hours(3)),
            )
            .unwrap();
        assert!(check.timeline.is_empty());
    }

    #[test]
    fn times_come_from_hours_days_or_instants() {
        assert_eq!(CheckTime::day(3).unwrap().hours, Some(Hours(48)));
        assert_eq!(CheckTime::day(0), Err(CheckError::DayZero));
        let treated = crate::instant::parse_instant("2026-11-26T15:00:00+01:00", None).unwrap();
        let at: Timestamp = "2026-11-28T18:59:59+01:00".parse().unwrap();
        let time = CheckTime::between(treated.clone(), at).unwrap();
        assert_eq!(time.hours, Some(Hours(51)));
        let before: Timestamp = "2026-11-26T14:00:00+01:00".parse().unwrap();
        assert_eq!(
            CheckTime::between(treated, before),
            Err(CheckError::BeforeTreatment)
        );
    }

    #[test]
    fn a_day_past_the_last_countable_hour_is_refused() {
        assert_eq!(
            CheckTime::day(u32::MAX / 24 + 1).unwrap().hours,
            Some(Hours(u32::MAX / 24 * 24))
        );
        assert_eq!(
            CheckTime::day(u32::MAX / 24 + 2).unwrap_err(),
            CheckError::TooFarAfter
        );
        assert_eq!(
            CheckTime::day(u32::MAX).unwrap_err(),
            CheckError::TooFarAfter
        );
    }

    #[test]
    fn input_that_is_not_a_list_is_refused() {
        let checker = checker(&[]);
        let refuse = |text: &str| {
            checker
                .check(text, &Product::default(), &CheckTime::WHOLE_RECOVERY)
                .err()
        };
        assert_eq!(refuse(""), Some(CheckError::Empty));
        assert_eq!(refuse(" \n\t "), Some(CheckError::Empty));
        assert_eq!(refuse("Water\u{0}Glycerin"), Some(CheckError::Binary));
        assert_eq!(refuse("Water\u{85}Glycerin"), Some(CheckError::Binary));
        assert_eq!(refuse("12, 34; 56."), Some(CheckError::NoIngredients));
        assert_eq!(
            refuse(&"Water, ".repeat(MAX_INPUT_BYTES / 7 + 1)),
            Some(CheckError::TooLarge)
        );
        assert_eq!(refuse("Water,\r\nGlycerin\u{0B}"), None);
        // White space first, the control character later: still refused.
        assert_eq!(refuse("Water,\nGlycerin\u{1B}"), Some(CheckError::Binary));
        assert_eq!(refuse("Water, Glycerin\u{7F}"), Some(CheckError::Binary));
        assert_eq!(refuse("\u{1F}Water"), Some(CheckError::Binary));
        // A DEL in text that is not ASCII (its largest byte is no DEL), and that text alone.
        assert_eq!(
            refuse("Eau, Glycérine\u{7F}, Parfum"),
            Some(CheckError::Binary)
        );
        assert_eq!(refuse("\u{7F}Eau, Glycérine"), Some(CheckError::Binary));
        assert_eq!(refuse("Eau, Glycérine, Parfum™"), None);
    }

    #[test]
    fn json_has_the_contract_fields() {
        let check = at(52, "Water, Retinol");
        let value = serde_json::to_value(&check).unwrap();
        for key in [
            "verdict",
            "usable_from_hours",
            "categories",
            "ingredients",
            "hours_since_treatment",
        ] {
            assert!(value.get(key).is_some(), "{key}");
        }
        assert!(value.get("usable_from").is_none());
        let retinol = &value["ingredients"][1];
        for key in [
            "input",
            "name",
            "categories",
            "status",
            "until_hours",
            "reason",
            "source",
        ] {
            assert!(retinol.get(key).is_some(), "{key}");
        }
        assert_eq!(retinol["status"], "wait");
        assert_eq!(value["categories"], serde_json::json!(["retinoid"]));
    }

    #[test]
    fn category_sets_iterate_in_contract_order() {
        let set: CategorySet = [Category::Comedogenic, Category::Retinoid, Category::Aloe]
            .into_iter()
            .collect();
        assert_eq!(
            set.iter().collect::<Vec<_>>(),
            vec![Category::Retinoid, Category::Aloe, Category::Comedogenic]
        );
        assert_eq!(set.len(), 3);
        assert!(CategorySet::EMPTY.is_empty());
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

        /// Whatever the text and the hour: no panic, and the verdict agrees with the statuses.
        #[test]
        fn verdicts_agree_with_the_statuses(text in "\\PC{0,200}", hours in 0u32..400) {
            let checker = checker(&[SkinType::Oily]);
            let Ok(check) = checker.check(&text, &Product::default(), &CheckTime::hours(Hours(hours))) else {
                return Ok(());
            };
            let any = |s: Status| check.ingredients.iter().any(|i| i.ruling.status == s);
            let expected = if any(Status::Wait) {
                Verdict::Wait
            } else if any(Status::Unknown) {
                Verdict::Unknown
            } else if any(Status::Caution) {
                Verdict::Caution
            } else {
                Verdict::Ok
            };
            prop_assert_eq!(check.verdict, expected);
            prop_assert_eq!(check.verdict == Verdict::Wait, check.usable_from_hours.is_some());
            if let Some(from) = check.usable_from_hours {
                prop_assert!(from > Hours(hours));
            }
            for ingredient in &check.ingredients {
                prop_assert_eq!(
                    ingredient.part().known.is_none(),
                    ingredient.ruling.status == Status::Unknown
                );
            }
        }

        /// The wait ends when `usable_from_hours` says: checked again then, nothing waits.
        #[test]
        fn usable_from_is_when_the_wait_ends(pick in proptest::collection::vec(0usize..12, 1..8), hours in 0u32..200) {
            const NAMES: [&str; 12] = [
                "Retinol", "Glycolic Acid", "Parfum", "Limonene", "Sodium Hyaluronate",
                "Palmitoyl Tripeptide-1", "Water", "Alcohol Denat.", "Zinc Oxide 10%",
                "Copper Tripeptide-1", "Isopropyl Myristate", "Niacinamide",
            ];
            let text = pick.iter().map(|&i| NAMES[i]).collect::<Vec<_>>().join(", ");
            let checker = checker(&[]);
            let check = checker.check(&text, &Product::default(), &CheckTime::hours(Hours(hours))).unwrap();
            if let Some(from) = check.usable_from_hours {
                let later = checker.check(&text, &Product::default(), &CheckTime::hours(from)).unwrap();
                prop_assert_ne!(later.verdict, Verdict::Wait);
                let before = checker.check(&text, &Product::default(), &CheckTime::hours(Hours(from.0 - 1))).unwrap();
                prop_assert_eq!(before.verdict, Verdict::Wait);
            }
        }
    }
}
