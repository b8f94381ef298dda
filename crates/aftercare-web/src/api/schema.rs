//! OpenAPI schemas for request fields that take an id of a core vocabulary (skin types, areas,
//! symptoms, discharge, product types) or a bounded number: generated from the vocabularies
//! themselves, so the document lists exactly the ids the server accepts and cannot drift from
//! them. With them, clients see the allowed values, and the API fuzzer (`tools/api-fuzz`)
//! generates requests that get past validation instead of 422s.
//!
//! The server is a little more lenient than these schemas (ids in any case, `-` for `_`), as
//! CONTRACT §1 asks; the schemas give the canonical form.

use crate::treatments::{MAX_ACKNOWLEDGEMENT_CHARS, MAX_LABEL_CHARS, MAX_NOTES_CHARS};
use aftercare_core::{
    inci::ProductType,
    plan::MAX_PLAN_DAYS,
    profile::{Area, Fitzpatrick, SkinType},
    triage::{CONTRACT_FEVER_FROM_C, Discharge, Rating, Symptom, TEMPERATURE_RANGE_C},
};

use utoipa::openapi::{
    RefOr, Schema,
    schema::{AdditionalProperties, ArrayBuilder, ObjectBuilder, OneOfBuilder, SchemaType, Type},
};

/// A string that is one of `ids`.
fn one_of(ids: impl IntoIterator<Item = &'static str>, description: &str) -> Schema {
    ObjectBuilder::new()
        .schema_type(SchemaType::new(Type::String))
        .enum_values(Some(ids))
        .description(Some(description))
        .into()
}

/// `schema`, or `null` (for an optional field: the server takes `null` as not given).
fn or_null(schema: Schema, description: &str) -> Schema {
    OneOfBuilder::new()
        .item(schema)
        .item(ObjectBuilder::new().schema_type(SchemaType::new(Type::Null)))
        .description(Some(description))
        .into()
}

/// An array of ids, each one of `ids`.
fn list_of(ids: impl IntoIterator<Item = &'static str>, description: &str) -> Schema {
    ArrayBuilder::new()
        .items(RefOr::T(one_of(ids, "One id.")))
        .description(Some(description))
        .into()
}

fn skin_type_ids() -> impl Iterator<Item = &'static str> {
    SkinType::ALL.iter().map(|s| s.id())
}

/// `skin` of a plan or a treatment: a list of skin type ids.
pub fn skin_types() -> Schema {
    list_of(skin_type_ids(), "Skin types (CONTRACT §1).")
}

/// `skin` of a check: one skin type id, a list of them, or `null`.
pub fn skin_type_or_list() -> Schema {
    OneOfBuilder::new()
        .item(one_of(skin_type_ids(), "One skin type."))
        .item(list_of(skin_type_ids(), "Several skin types."))
        .item(ObjectBuilder::new().schema_type(SchemaType::new(Type::Null)))
        .description(Some("Skin type(s) (CONTRACT §1): one id or a list."))
        .into()
}

/// `areas` of a plan or a treatment.
pub fn areas() -> Schema {
    list_of(
        Area::ALL.iter().map(|a| a.id()),
        "Treated areas (CONTRACT §1); none means the face.",
    )
}

/// A Fitzpatrick type as text: `"1"` to `"6"` or `"I"` to `"VI"`.
fn fitzpatrick_names() -> Schema {
    let names: Vec<String> = (1..=Fitzpatrick::ROMAN.len())
        .map(|n| n.to_string())
        .chain(Fitzpatrick::ROMAN.iter().map(|r| (*r).to_owned()))
        .collect();
    ObjectBuilder::new()
        .schema_type(SchemaType::new(Type::String))
        .enum_values(Some(names))
        .into()
}

/// `fitzpatrick` of a plan: a number from 1 to 6, the same as text (`"4"`, `"IV"`), or `null`.
pub fn fitzpatrick() -> Schema {
    OneOfBuilder::new()
        .item(
            ObjectBuilder::new()
                .schema_type(SchemaType::new(Type::Integer))
                .minimum(Some(1))
                .maximum(Some(Fitzpatrick::ROMAN.len())),
        )
        .item(fitzpatrick_names())
        .item(ObjectBuilder::new().schema_type(SchemaType::new(Type::Null)))
        .description(Some("Fitzpatrick phototype: 1-6 or I-VI (CONTRACT §1)."))
        .into()
}

/// `fitzpatrick` of a treatment: as text (`"4"`, `"IV"`), or `null`.
pub fn fitzpatrick_text() -> Schema {
    or_null(
        fitzpatrick_names(),
        "Fitzpatrick phototype as text: 1-6 or I-VI (CONTRACT §1).",
    )
}

/// `type` of a product check (optional).
pub fn product_type() -> Schema {
    or_null(
        one_of(ProductType::ALL.iter().map(|t| t.id()), "A product type."),
        "The kind of product (CONTRACT §4): it decides the product rules.",
    )
}

/// `symptoms` of a check-in.
pub fn symptoms() -> Schema {
    list_of(
        Symptom::ALL.iter().map(|s| s.id()),
        "Symptom ids (CONTRACT §5): an unknown id is an error.",
    )
}

/// `discharge` of a check-in (optional: `none` by default).
pub fn discharge() -> Schema {
    or_null(
        one_of(
            Discharge::ALL.iter().map(|d| d.id()),
            "A kind of discharge.",
        ),
        "Discharge from the treated area (CONTRACT §5); `none` when not given.",
    )
}

/// A control character the text fields refuse (`char::is_control`, but for line breaks and
/// tabs), as a regular-expression class.
const CONTROL: &str = r"\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F";

/// Free text of at most `max` characters (after trimming) without control characters; with
/// `required`, something other than white space.
fn text(max: usize, required: bool, description: &str) -> Schema {
    let pattern = if required {
        format!("^[^{CONTROL}]*[^\\s{CONTROL}][^{CONTROL}]*$")
    } else {
        format!("^[^{CONTROL}]*$")
    };
    ObjectBuilder::new()
        .schema_type(SchemaType::new(Type::String))
        .min_length(required.then_some(1))
        .max_length(Some(max))
        .pattern(Some(pattern))
        .description(Some(description))
        .into()
}

/// `patient_label` of a treatment.
pub fn patient_label() -> Schema {
    text(
        MAX_LABEL_CHARS,
        true,
        &format!("The patient's name or initials (1-{MAX_LABEL_CHARS} characters)."),
    )
}

/// `notes` of a treatment.
pub fn treatment_notes() -> Schema {
    text(
        MAX_NOTES_CHARS,
        false,
        &format!("Notes (at most {MAX_NOTES_CHARS} characters)."),
    )
}

/// `note` of an acknowledged alert.
pub fn acknowledgement_note() -> Schema {
    text(
        MAX_ACKNOWLEDGEMENT_CHARS,
        true,
        &format!("What was done (1-{MAX_ACKNOWLEDGEMENT_CHARS} characters)."),
    )
}

/// `temperature_c` of a check-in: the plausible body temperatures the server accepts, or `null`.
pub fn temperature() -> Schema {
    let (low, high) = (*TEMPERATURE_RANGE_C.start(), *TEMPERATURE_RANGE_C.end());
    or_null(
        ObjectBuilder::new()
            .schema_type(SchemaType::new(Type::Number))
            .minimum(Some(low))
            .maximum(Some(high))
            .into(),
        &format!(
            "Measured temperature in °C ({low}-{high}); {CONTRACT_FEVER_FROM_C:.1} or more counts \
             as fever (CONTRACT §5)."
        ),
    )
}

/// `days` of a plan, or `null` for the default.
pub fn plan_days() -> Schema {
    or_null(
        ObjectBuilder::new()
            .schema_type(SchemaType::new(Type::Integer))
            .minimum(Some(1))
            .maximum(Some(MAX_PLAN_DAYS))
            .into(),
        &format!("Number of days (1-{MAX_PLAN_DAYS}, default 14)."),
    )
}

/// `ratings` of a check-in: a whole number from 0 to 10 for any symptom.
pub fn ratings() -> Schema {
    let rating = || -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(SchemaType::new(Type::Integer))
            .minimum(Some(0))
            .maximum(Some(Rating::MAX))
            .into()
    };
    let mut object = ObjectBuilder::new()
        .schema_type(SchemaType::new(Type::Object))
        .additional_properties(Some(AdditionalProperties::FreeForm(false)))
        .description(Some(format!(
            "Whole-number ratings from 0 to {}, by symptom id (CONTRACT §5).",
            Rating::MAX
        )));
    for symptom in Symptom::ALL {
        object = object.property(symptom.id(), rating());
    }
    object.into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(schema: Schema) -> serde_json::Value {
        serde_json::to_value(schema).expect("a schema serialises")
    }

    #[test]
    fn the_lists_are_the_vocabularies() {
        let skin = json(skin_types());
        let ids: Vec<&str> = skin["items"]["enum"]
            .as_array()
            .expect("an enum")
            .iter()
            .filter_map(|v| v.as_str())
            .collect();
        assert_eq!(ids, skin_type_ids().collect::<Vec<_>>());
        assert_eq!(
            json(product_type())["oneOf"][0]["enum"]
                .as_array()
                .map(Vec::len),
            Some(ProductType::ALL.len())
        );
        assert_eq!(json(discharge())["oneOf"][1]["type"], "null");
        let ratings = json(ratings());
        assert_eq!(ratings["additionalProperties"], false);
        assert_eq!(ratings["properties"]["redness"]["maximum"], 10);
        assert_eq!(
            ratings["properties"].as_object().map(|p| p.len()),
            Some(Symptom::ALL.len())
        );
        let label = json(patient_label());
        assert_eq!(label["maxLength"], 100);
        assert_eq!(label["minLength"], 1);
        let phototype = json(fitzpatrick());
        assert_eq!(phototype["oneOf"][1]["enum"][9], "IV");
        let either = json(skin_type_or_list());
        assert_eq!(either["oneOf"].as_array().map(Vec::len), Some(3));
    }
}
