//! How a command ends: bad input exits 2 with one sentence, anything else exits 1.

use std::process::ExitCode;

/// Bad input or usage: the message says what and where. Exit code 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct BadInput(pub String);

/// A bad-input error from anything printable.
pub fn bad_input(message: impl std::fmt::Display) -> anyhow::Error {
    anyhow::Error::new(BadInput(message.to_string()))
}

/// Prints the error (if any) as one line on stderr and picks the exit code.
pub fn exit_code(result: anyhow::Result<()>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) if error.downcast_ref::<BadInput>().is_some() => {
            eprintln!("aftercare: {error:#}");
            ExitCode::from(2)
        }
        Err(error)
            if error.chain().any(|e| {
                e.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) =>
        {
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("aftercare: internal error: {error:#}");
            ExitCode::from(1)
        }
    }
}
