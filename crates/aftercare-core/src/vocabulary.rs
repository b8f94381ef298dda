//! Closed vocabularies of stable ids (skin types, areas, ingredient categories, ...): one macro
//! that gives each enum its ids, `ALL`, `FromStr` with a helpful error, and serde support.

/// Declares a closed vocabulary: an enum with its stable ids, `ALL`, `id()` and `FromStr`.
macro_rules! vocabulary {
    ($(#[$doc:meta])* $name:ident, $what:literal { $($(#[$vdoc:meta])* $variant:ident = $id:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
        pub enum $name { $($(#[$vdoc])* #[serde(rename = $id)] $variant),+ }

        impl $name {
            /// Every value, in the documented order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable id used in the CLI, the API and data files.
            pub fn id(self) -> &'static str {
                match self { $($name::$variant => $id),+ }
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::vocabulary::UnknownId;
            fn from_str(text: &str) -> Result<Self, $crate::vocabulary::UnknownId> {
                let wanted = text.trim().to_ascii_lowercase().replace('-', "_");
                Self::ALL.iter().copied().find(|v| v.id() == wanted).ok_or_else(|| $crate::vocabulary::UnknownId {
                    what: $what,
                    given: text.to_owned(),
                    allowed: Self::ALL.iter().map(|v| v.id()).collect::<Vec<_>>().join(", "),
                })
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.id())
            }
        }
    };
}

/// Reads `text` (trimmed) as an id of `T`, where `aliases` maps other accepted spellings
/// (`("moisturiser", "moisturizer")`) to ids, compared ignoring ASCII case. An unknown id's
/// error names the text as given.
///
/// # Errors
/// [`UnknownId`] when `text` is neither an id nor an alias.
pub fn parse_with_aliases<T>(text: &str, aliases: &[(&str, &str)]) -> Result<T, UnknownId>
where
    T: std::str::FromStr<Err = UnknownId>,
{
    let trimmed = text.trim();
    let id = aliases
        .iter()
        .find(|(alias, _)| trimmed.eq_ignore_ascii_case(alias))
        .map_or(trimmed, |(_, id)| *id);
    id.parse().map_err(|mut error: UnknownId| {
        error.given = text.to_owned();
        error
    })
}

/// An id that is not part of a vocabulary.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} '{given}' (expected one of: {allowed})")]
pub struct UnknownId {
    /// What kind of id was expected ("skin type", "area", ...).
    pub what: &'static str,
    /// The text that was given.
    pub given: String,
    /// The ids that are allowed, comma-separated.
    pub allowed: String,
}
