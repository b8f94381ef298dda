//! Fuzz the protocol loader (`load_protocol`, the code behind `aftercare plan --protocol` and a
//! clinic's protocol upload): any text, split into up to four files at NUL bytes, must load or
//! be refused with an error whose file, line and column point into that text; it must never
//! panic or hang. A protocol that loads must give a 14-day plan for a plain profile.
#![no_main]

use aftercare_core::{
    instant::parse_instant, plan::generate_plan, profile::Profile, protocol::load_protocol,
};
use libfuzzer_sys::fuzz_target;

const NAMES: [&str; 4] = ["a.toml", "b.toml", "c.toml", "d.toml"];

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let files: Vec<(&str, &str)> = NAMES.iter().copied().zip(text.split('\0')).collect();
    match load_protocol(&files) {
        Ok(protocol) => {
            let treated_at =
                parse_instant("2026-11-20T15:00:00+01:00", None).expect("a fixed instant");
            generate_plan(&protocol, &treated_at, &Profile::default(), 14)
                .expect("a loaded protocol gives a plan");
        }
        Err(error) => {
            let Some(&(_, body)) = files.iter().find(|(name, _)| *name == error.file) else {
                assert!(
                    files.is_empty(),
                    "the error names a file not given: {error}"
                );
                return;
            };
            assert!(error.line >= 1 && error.column >= 1, "{error}");
            assert!(error.line <= body.lines().count() + 1, "{error}");
        }
    }
});
