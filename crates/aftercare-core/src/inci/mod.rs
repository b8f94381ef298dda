//! The ingredient checker: parse a label's INCI list, match each ingredient against the
//! knowledge base, and give a day- and skin-aware verdict (CONTRACT §4).
//!
//! - `parse`: the label's text → ingredient items (with a cache of items already read);
//! - `kb`: the embedded knowledge base (categories, exclusions, ratings, CosIng, rules);
//! - `matching`: an item → what the knowledge base knows, with explained fallbacks;
//! - `suggest`: "did you mean" for what is still unknown;
//! - `analyze`: statuses, the verdict and when the product becomes usable;
//! - `render`: the verdict as text for a person;
//! - `accuracy`: precision and recall against a labelled sample;
//! - `memo_key`: how the memos hash and compare printed text.

pub mod accuracy;
pub mod analyze;
pub mod kb;
pub mod matching;
mod memo_key;
pub mod parse;
pub mod render;
pub mod suggest;

pub use analyze::{
    CategorySet, CheckError, CheckTime, Checker, Product, ProductCheck, ProductType, Status,
    Verdict,
};
pub use matching::{MatchMemo, MatchedBy, match_item};
pub use parse::{
    DropReason, DroppedText, ItemCache, MAX_INPUT_BYTES, ParsedIngredient, ParsedList, Section,
    parse_inci_list, parse_inci_list_cached,
};
