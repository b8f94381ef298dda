//! The closed vocabularies of triage (CONTRACT §5): symptom ids, the four levels and the kinds
//! of discharge. Parsing an id that is not listed here is an input error, never ignored.
//!
//! What does not belong here: what a symptom means at a given hour (that is data, in the
//! protocol's `[triage]` section) or how a check-in is judged (`engine.rs`).

vocabulary! {
    /// What a patient can report at a check-in (CONTRACT §5 symptom ids).
    Symptom, "symptom" {
        /// Redness of the treated skin.
        Redness = "redness",
        /// Swelling of the treated skin.
        Swelling = "swelling",
        /// The skin feels warm.
        Warmth = "warmth",
        /// The skin feels tight.
        Tightness = "tightness",
        /// Dry skin, a rough "sandpaper" feel.
        Dryness = "dryness",
        /// Flaking or peeling.
        Flaking = "flaking",
        /// Itching.
        Itching = "itching",
        /// A burning feeling.
        Burning = "burning",
        /// Stinging.
        Stinging = "stinging",
        /// Pinpoint bleeding.
        PinpointBleeding = "pinpoint_bleeding",
        /// Small bruises.
        Bruising = "bruising",
        /// Pain.
        Pain = "pain",
        /// Tenderness to touch.
        Tenderness = "tenderness",
        /// Sensitive skin.
        Sensitivity = "sensitivity",
        /// Crusts or small scabs.
        Crusting = "crusting",
        /// A rash.
        Rash = "rash",
        /// Hives: raised, itchy welts.
        Hives = "hives",
        /// Bumps, papules or plaques.
        Bumps = "bumps",
        /// Pus-filled spots.
        Pustules = "pustules",
        /// Blisters (vesicles).
        Blisters = "blisters",
        /// Tingling.
        Tingling = "tingling",
        /// Significant irritation.
        SignificantIrritation = "significant_irritation",
        /// Redness that is getting worse.
        RednessWorsening = "redness_worsening",
        /// Swelling that is getting worse.
        SwellingWorsening = "swelling_worsening",
        /// Redness spreading beyond the treated area.
        SpreadingRedness = "spreading_redness",
        /// Swelling around the eye.
        EyeSwelling = "eye_swelling",
        /// Swollen, tender lymph nodes (neck, jaw).
        SwollenLymphNodes = "swollen_lymph_nodes",
        /// Darkening patches.
        DarkPatches = "dark_patches",
        /// Lines or track marks.
        LinearMarks = "linear_marks",
        /// Fever (ticked, or a temperature at or above the protocol's fever threshold).
        Fever = "fever",
        /// Chills or shivering.
        Chills = "chills",
        /// Vomiting.
        Vomiting = "vomiting",
        /// Confusion.
        Confusion = "confusion",
        /// A racing heart.
        RapidHeartbeat = "rapid_heartbeat",
        /// Swelling of the throat.
        ThroatSwelling = "throat_swelling",
        /// Swelling of the tongue.
        TongueSwelling = "tongue_swelling",
        /// Difficulty breathing.
        DifficultyBreathing = "difficulty_breathing",
        /// Wheezing.
        Wheezing = "wheezing",
        /// Feeling faint, or fainting.
        Faintness = "faintness",
    }
}

impl Symptom {
    /// The name a person reads: the id with spaces ("pinpoint bleeding").
    pub fn name(self) -> String {
        self.id().replace('_', " ")
    }
}

vocabulary! {
    /// How urgent a check-in is, lowest to highest (CONTRACT §5). The order is the `Ord` order.
    Level, "triage level" {
        /// Part of normal healing at this point: self-care per the plan.
        Expected = "expected",
        /// Contact the practitioner who treated you (the guide's warning signs).
        ContactPractitioner = "contact_practitioner",
        /// Be seen the same day: the practitioner now, or urgent care if unreachable.
        Urgent = "urgent",
        /// Call the local emergency number now.
        Emergency = "emergency",
    }
}

vocabulary! {
    /// Discharge from the treated area (CONTRACT §5).
    Discharge, "discharge" {
        /// No discharge (the default).
        None = "none",
        /// Clear fluid.
        Clear = "clear",
        /// Yellow discharge (pus).
        Yellow = "yellow",
        /// Green discharge (pus).
        Green = "green",
    }
}

impl Default for Discharge {
    /// No discharge, unless the check-in says otherwise.
    fn default() -> Self {
        Discharge::None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_are_ordered_lowest_to_highest() {
        assert!(Level::Expected < Level::ContactPractitioner);
        assert!(Level::ContactPractitioner < Level::Urgent);
        assert!(Level::Urgent < Level::Emergency);
    }

    #[test]
    fn the_contract_symptom_ids_are_all_known() {
        let contract = "redness, swelling, warmth, tightness, dryness, flaking, itching, burning, \
            stinging, pinpoint_bleeding, bruising, pain, tenderness, sensitivity, crusting, rash, \
            hives, bumps, pustules, blisters, tingling, significant_irritation, redness_worsening, \
            swelling_worsening, spreading_redness, eye_swelling, swollen_lymph_nodes, \
            dark_patches, linear_marks, fever, chills, vomiting, confusion, rapid_heartbeat, \
            throat_swelling, tongue_swelling, difficulty_breathing, wheezing, faintness";
        let ids: Vec<&str> = contract.split(',').map(str::trim).collect();
        assert_eq!(ids.len(), Symptom::ALL.len());
        for id in ids {
            let symptom: Symptom = id.parse().unwrap();
            assert_eq!(symptom.id(), id);
        }
    }

    #[test]
    fn an_unknown_symptom_is_an_error() {
        let error = "rednes".parse::<Symptom>().unwrap_err();
        assert_eq!(error.given, "rednes");
        assert!(error.to_string().starts_with("unknown symptom 'rednes'"));
    }
}
