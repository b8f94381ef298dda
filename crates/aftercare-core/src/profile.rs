//! Who the plan is for: skin types, treated areas and Fitzpatrick phototype, with the stable
//! ids of CONTRACT §4 and §6. Parsing an id that is not listed here is an input error.

use serde::{Deserialize, Serialize};

pub use crate::vocabulary::UnknownId;

vocabulary! {
    /// A skin type the guide tailors advice to ("How to Choose Products for Your Skin Type").
    SkinType, "skin type" {
        /// Dry skin: extra hydration.
        Dry = "dry",
        /// Oily skin: non-comedogenic, lightweight formulas.
        Oily = "oily",
        /// Acne-prone skin: as oily, and comedogenic ingredients are flagged.
        AcneProne = "acne_prone",
        /// Sensitive skin: ultra-gentle products.
        Sensitive = "sensitive",
        /// Normal skin: the general rules.
        Normal = "normal",
    }
}

vocabulary! {
    /// A treated body area: the guide's (myths section) plus arms, hands and scalp.
    Area, "area" {
        /// Face.
        Face = "face",
        /// Neck.
        Neck = "neck",
        /// Décolleté.
        Decollete = "decollete",
        /// Chest.
        Chest = "chest",
        /// Back.
        Back = "back",
        /// Abdomen.
        Abdomen = "abdomen",
        /// Thighs.
        Thighs = "thighs",
        /// Arms.
        Arms = "arms",
        /// Hands.
        Hands = "hands",
        /// Scalp.
        Scalp = "scalp",
    }
}

impl std::str::FromStr for Fitzpatrick {
    type Err = UnknownId;
    fn from_str(text: &str) -> Result<Self, UnknownId> {
        let unknown = || UnknownId {
            what: "Fitzpatrick type",
            given: text.to_owned(),
            allowed: "1, 2, 3, 4, 5, 6 (or I-VI)".into(),
        };
        let wanted = text.trim().to_ascii_uppercase();
        let number = (1u8..)
            .zip(Fitzpatrick::ROMAN)
            .find(|(number, roman)| wanted == number.to_string() || wanted == *roman)
            .map(|(number, _)| number)
            .ok_or_else(unknown)?;
        Ok(Fitzpatrick(number))
    }
}

/// A Fitzpatrick skin phototype, 1 to 6.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Fitzpatrick(u8);

impl Fitzpatrick {
    /// The types as Roman numerals, I to VI (type 1 first); the types are also given as the
    /// digits 1 to 6.
    pub const ROMAN: [&'static str; 6] = ["I", "II", "III", "IV", "V", "VI"];
}

impl Fitzpatrick {
    /// The phototype as a number from 1 to 6.
    pub fn number(self) -> u8 {
        self.0
    }

    /// The phototype as a Roman numeral, as clinicians write it.
    pub fn roman(self) -> &'static str {
        Fitzpatrick::ROMAN[usize::from(self.0 - 1)]
    }
}

impl TryFrom<u8> for Fitzpatrick {
    type Error = UnknownId;
    fn try_from(number: u8) -> Result<Self, UnknownId> {
        number.to_string().parse()
    }
}

impl From<Fitzpatrick> for u8 {
    fn from(value: Fitzpatrick) -> u8 {
        value.0
    }
}

/// The person a plan is personalised for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    /// Skin types (several may apply, e.g. oily and sensitive); empty means not given.
    pub skin: Vec<SkinType>,
    /// Treated areas; empty means the face.
    pub areas: Vec<Area>,
    /// Fitzpatrick phototype, if known.
    pub fitzpatrick: Option<Fitzpatrick>,
}

impl Profile {
    /// The treated areas, defaulting to the face when none were given.
    pub fn areas_or_face(&self) -> Vec<Area> {
        if self.areas.is_empty() {
            vec![Area::Face]
        } else {
            self.areas.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_unknown_ids_list_the_choices() {
        for skin in SkinType::ALL {
            assert_eq!(skin.id().parse::<SkinType>().unwrap(), *skin);
        }
        assert_eq!(
            "acne-prone".parse::<SkinType>().unwrap(),
            SkinType::AcneProne
        );
        let err = "greasy".parse::<SkinType>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown skin type 'greasy' (expected one of: dry, oily, acne_prone, sensitive, normal)"
        );
    }

    #[test]
    fn fitzpatrick_accepts_numbers_and_roman_numerals_only_in_range() {
        assert_eq!("V".parse::<Fitzpatrick>().unwrap().number(), 5);
        assert_eq!("5".parse::<Fitzpatrick>().unwrap().roman(), "V");
        assert!("7".parse::<Fitzpatrick>().is_err());
        assert!("0".parse::<Fitzpatrick>().is_err());
        assert!("".parse::<Fitzpatrick>().is_err());
        assert!("VII".parse::<Fitzpatrick>().is_err());
        for (number, roman) in (1..=6).zip(Fitzpatrick::ROMAN) {
            assert_eq!(roman.parse::<Fitzpatrick>().unwrap().number(), number);
            assert_eq!(
                roman
                    .to_lowercase()
                    .parse::<Fitzpatrick>()
                    .unwrap()
                    .number(),
                number
            );
            assert_eq!(
                format!(" {number} ")
                    .parse::<Fitzpatrick>()
                    .unwrap()
                    .roman(),
                roman
            );
        }
    }
}
