//! The shelf as a patient or practitioner gives it (`{"products": [{"name", "brand", "type",
//! "ingredients", "aftercare"}]}`) and the validated `Shelf`. Every error names the product
//! (`products[2]`, with its name when known) and the field.
//!
//! What does not belong here: checking the ingredient lists (`facts.rs` runs the checker).

use serde::{Deserialize, Serialize};

use super::ShelfProductType;
use crate::inci::MAX_INPUT_BYTES;

/// The most products a shelf may hold.
pub const MAX_SHELF_PRODUCTS: usize = 200;

/// The largest shelf document accepted, in bytes.
pub const MAX_SHELF_BYTES: usize = 1024 * 1024;

/// The longest product name, brand or id, in characters.
const MAX_NAME_CHARS: usize = 200;

/// The longest product id, in characters (it becomes part of a calendar UID).
const MAX_ID_CHARS: usize = 64;

/// A shelf as JSON gives it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a shelf (a JSON object with \"products\")"
)]
pub struct ShelfSpec {
    /// The products.
    pub products: Vec<ShelfProductSpec>,
}

/// One product as JSON gives it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, expecting = "a product (a JSON object)")]
pub struct ShelfProductSpec {
    /// A stable id (letters, digits, '.', '_', '-'); default `p1`, `p2`, … by position.
    #[serde(default)]
    pub id: Option<String>,
    /// The product's name.
    pub name: String,
    /// The brand.
    #[serde(default)]
    pub brand: Option<String>,
    /// The product type id (cleanser, toner, mist, serum, moisturiser, oil, balm, mask,
    /// exfoliant, sunscreen, makeup, other).
    #[serde(rename = "type")]
    pub product_type: String,
    /// The label's ingredient list; absent, null or empty means "not provided".
    #[serde(default)]
    pub ingredients: Option<String>,
    /// Whether the clinic gave it as aftercare.
    #[serde(default)]
    pub aftercare: bool,
}

/// A validated shelf: at most [`MAX_SHELF_PRODUCTS`] products with unique ids.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Shelf {
    /// The products, in the order given.
    pub products: Vec<ShelfProduct>,
}

/// A validated product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ShelfProduct {
    /// Stable id, unique on the shelf.
    pub id: String,
    /// Name.
    pub name: String,
    /// Brand, if given.
    pub brand: Option<String>,
    /// Type.
    #[serde(rename = "type")]
    pub product_type: ShelfProductType,
    /// The ingredient list, if provided.
    pub ingredients: Option<String>,
    /// Whether the clinic gave it as aftercare.
    pub aftercare: bool,
}

impl ShelfProduct {
    /// "Brand Name", or the name alone.
    pub fn label(&self) -> String {
        match &self.brand {
            Some(brand) => format!("{brand} {}", self.name),
            None => self.name.clone(),
        }
    }
}

/// Why a shelf is invalid. Every message names where: the JSON path, or the product and field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ShelfError {
    /// Not JSON, or not the shelf's shape (a missing or unknown field, a wrong type).
    #[error("{path}: {message} (line {line}, column {column})")]
    Json {
        /// Where, e.g. `products[2]`, or `.` for the document.
        path: String,
        /// What is wrong.
        message: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
    },
    /// The document is larger than [`MAX_SHELF_BYTES`].
    #[error("the shelf is larger than the limit of {} KiB", MAX_SHELF_BYTES / 1024)]
    TooLarge,
    /// More than [`MAX_SHELF_PRODUCTS`] products.
    #[error("the shelf has {0} products; the limit is {MAX_SHELF_PRODUCTS}")]
    TooManyProducts(usize),
    /// One field of one product is invalid.
    #[error("products[{index}].{field} ({name}): {message}")]
    Field {
        /// 0-based position in `products`.
        index: usize,
        /// The product's name as given (or `unnamed`).
        name: String,
        /// The field.
        field: &'static str,
        /// What is wrong.
        message: String,
    },
}

impl ShelfError {
    /// An error in `field` of the product at `index`.
    pub fn field(
        index: usize,
        name: &str,
        field: &'static str,
        message: impl Into<String>,
    ) -> ShelfError {
        let name = name.trim();
        ShelfError::Field {
            index,
            name: if name.is_empty() {
                "unnamed".to_owned()
            } else {
                format!("'{}'", name.chars().take(60).collect::<String>())
            },
            field,
            message: message.into(),
        }
    }
}

/// Reads a shelf from JSON text and validates it.
pub fn parse_shelf_json(text: &str) -> Result<Shelf, ShelfError> {
    if text.len() > MAX_SHELF_BYTES {
        return Err(ShelfError::TooLarge);
    }
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let spec: ShelfSpec = serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let path = error.path().to_string();
        let inner = error.into_inner();
        ShelfError::Json {
            path,
            message: strip_position(&inner.to_string()),
            line: inner.line(),
            column: inner.column(),
        }
    })?;
    deserializer.end().map_err(|inner| ShelfError::Json {
        path: ".".to_owned(),
        message: strip_position(&inner.to_string()),
        line: inner.line(),
        column: inner.column(),
    })?;
    Shelf::try_from(spec)
}

/// serde_json appends " at line L column C"; the error shows the position once, itself.
fn strip_position(message: &str) -> String {
    let message = crate::json_input::plain_json_error(message);
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_owned(),
        None => message,
    }
}

fn text_field(
    index: usize,
    name: &str,
    field: &'static str,
    value: &str,
) -> Result<String, ShelfError> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(ShelfError::field(index, name, field, "must not be empty"));
    }
    if trimmed.chars().count() > MAX_NAME_CHARS {
        return Err(ShelfError::field(
            index,
            name,
            field,
            format!("is longer than {MAX_NAME_CHARS} characters"),
        ));
    }
    if trimmed.chars().any(char::is_control) {
        return Err(ShelfError::field(
            index,
            name,
            field,
            "contains control characters",
        ));
    }
    Ok(trimmed.to_owned())
}

impl TryFrom<ShelfSpec> for Shelf {
    type Error = ShelfError;

    fn try_from(spec: ShelfSpec) -> Result<Shelf, ShelfError> {
        if spec.products.len() > MAX_SHELF_PRODUCTS {
            return Err(ShelfError::TooManyProducts(spec.products.len()));
        }
        let mut products: Vec<ShelfProduct> = Vec::with_capacity(spec.products.len());
        for (index, p) in spec.products.into_iter().enumerate() {
            let name = text_field(index, &p.name, "name", &p.name)?;
            let brand = p
                .brand
                .as_deref()
                .filter(|b| !b.trim().is_empty())
                .map(|b| text_field(index, &name, "brand", b))
                .transpose()?;
            let product_type = ShelfProductType::parse_id(&p.product_type)
                .map_err(|e| ShelfError::field(index, &name, "type", e.to_string()))?;
            let id = match p.id {
                Some(id) => {
                    let id = id.trim().to_owned();
                    let valid = !id.is_empty()
                        && id.chars().count() <= MAX_ID_CHARS
                        && id
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
                    if !valid {
                        return Err(ShelfError::field(
                            index,
                            &name,
                            "id",
                            format!(
                                "'{id}' must be 1 to {MAX_ID_CHARS} characters: letters, digits, '.', '_' or '-'"
                            ),
                        ));
                    }
                    id
                }
                None => format!("p{}", index + 1),
            };
            if products.iter().any(|q| q.id == id) {
                return Err(ShelfError::field(
                    index,
                    &name,
                    "id",
                    format!("'{id}' is already used by another product"),
                ));
            }
            let ingredients = p
                .ingredients
                .filter(|list| !list.trim().is_empty())
                .map(|list| {
                    if list.len() > MAX_INPUT_BYTES {
                        Err(ShelfError::field(
                            index,
                            &name,
                            "ingredients",
                            format!(
                                "the list is larger than the limit of {} KiB",
                                MAX_INPUT_BYTES / 1024
                            ),
                        ))
                    } else {
                        Ok(list)
                    }
                })
                .transpose()?;
            products.push(ShelfProduct {
                id,
                name,
                brand,
                product_type,
                ingredients,
                aftercare: p.aftercare,
            });
        }
        Ok(Shelf { products })
    }
}
