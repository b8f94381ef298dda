//! The wording of JSON input errors for people: serde's messages are kept (they name the field
//! and the value), except where they describe serde's own workings.

/// `message` (a serde_json error) in plain words. A list given where an object is expected
/// reads "invalid length 1, expected a check-in (a JSON object)" in serde (it counts the list's
/// items as a struct's fields); it becomes "expected a check-in (a JSON object), found a list".
pub fn plain_json_error(message: &str) -> String {
    if let Some(rest) = message.strip_prefix("invalid length ")
        && let Some((_, expected)) = rest.split_once(", expected ")
    {
        let (expected, position) = match expected.rfind(" at line ") {
            Some(at) => expected.split_at(at),
            None => (expected, ""),
        };
        return format!("expected {expected}, found a list{position}");
    }
    message.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_for_an_object_is_named_as_such() {
        assert_eq!(
            plain_json_error(
                "invalid length 1, expected a check-in (a JSON object) at line 1 column 2"
            ),
            "expected a check-in (a JSON object), found a list at line 1 column 2"
        );
        assert_eq!(
            plain_json_error("invalid length 0, expected a product (a JSON object)"),
            "expected a product (a JSON object), found a list"
        );
        assert_eq!(
            plain_json_error("unknown field `colour`"),
            "unknown field `colour`"
        );
    }
}
