//! Fuzz the check-in input (CONTRACT §5): `parse_check_in` on any text must never panic and
//! never hang; a check-in it accepts must triage without panicking under the default
//! protocol's rules, its result must serialise, and no reason may carry a level above the
//! result's (the result is the highest level any rule gave).
#![no_main]

use aftercare_core::{
    protocol::default_protocol,
    triage::{MAX_CHECK_IN_BYTES, parse_check_in, triage_check_in},
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let Ok(check_in) = parse_check_in(&text) else {
        return;
    };
    assert!(text.len() <= MAX_CHECK_IN_BYTES);
    assert!(check_in.hours_since_treatment() >= 0.0);
    let result = triage_check_in(&default_protocol().triage, &check_in);
    for reason in &result.reasons {
        assert!(
            reason.level <= result.level,
            "reason {} at {:?} above the result's {:?}",
            reason.code,
            reason.level,
            result.level
        );
    }
    assert!(!result.advice.is_empty() || result.reasons.is_empty());
    serde_json::to_string(&result).expect("a triage result serialises");
});
