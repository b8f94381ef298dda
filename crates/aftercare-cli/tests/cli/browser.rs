//! The browser end-to-end suite (`e2e/`, docs/e2e.md) as part of `cargo test`: runs `e2e/run`
//! against the binary this test build made. Playwright drives Debian's Chromium; without it (or
//! without Node.js) the test is skipped with a notice, except under `CI=true`, where it fails.

use std::{path::Path, process::Command};

/// Where Debian's package puts Chromium (`CHROMIUM` overrides it, as in `e2e/run`).
fn chromium() -> String {
    std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".to_owned())
}

fn found(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .output()
        .is_ok_and(|output| output.status.success())
}

#[test]
fn browser_flows_accessibility_print_and_no_javascript() {
    let chromium = chromium();
    let missing: Vec<&str> = [
        ("chromium", Path::new(&chromium).exists()),
        ("npm", found("npm")),
    ]
    .into_iter()
    .filter_map(|(name, present)| (!present).then_some(name))
    .collect();
    if !missing.is_empty() {
        let in_ci = std::env::var("CI").is_ok_and(|value| value == "true");
        assert!(
            !in_ci,
            "the browser tests need {missing:?}: `apt-get install chromium npm` (.ci/run installs them)"
        );
        eprintln!("SKIPPED: the browser tests need {missing:?} (apt-get install chromium npm)");
        return;
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../e2e/run");
    let status = Command::new(&script)
        .env("AFTERCARE_BIN", env!("CARGO_BIN_EXE_aftercare"))
        .env("CHROMIUM", &chromium)
        .status()
        .unwrap();
    assert!(
        status.success(),
        "e2e/run failed ({status}); the report, screenshots and server log are in e2e/artifacts/"
    );
}
