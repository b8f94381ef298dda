//! The ingredient checker: parse a label's INCI list, match each ingredient against the
//! knowledge base, and give a day- and skin-aware verdict (CONTRACT §4). Being written: issue #3.

pub mod kb;
pub mod parse;

pub use parse::{
    DropReason, DroppedText, MAX_INPUT_BYTES, ParsedIngredient, ParsedList, Section,
    parse_inci_list,
};
