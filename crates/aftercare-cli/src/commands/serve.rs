//! `aftercare serve` (the web app for patients and clinics) and `aftercare admin create` (a
//! clinic's admin account without a browser): thin adapters over `aftercare-web`. The binary's
//! `main` is synchronous, so the async runtime is made here.

use std::io::{BufRead as _, Read as _};

use aftercare_web::{
    AdminArgs, AdminCommand, AdminCreateArgs, ServeArgs,
    admin::{AdminError, AdminRequest, create_admin_with_settings},
};
use anyhow::Context as _;
use secrecy::{ExposeSecret as _, SecretString};

use crate::{clock::Clock, failure::bad_input};

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

/// Runs `aftercare serve` until Ctrl-C or SIGTERM.
pub fn run(args: ServeArgs) -> anyhow::Result<()> {
    let settings = args.settings().map_err(bad_input)?;
    runtime()?.block_on(aftercare_web::serve(settings))
}

/// Runs `aftercare admin …`.
pub fn run_admin(args: AdminArgs, clock: &dyn Clock) -> anyhow::Result<()> {
    match args.command {
        AdminCommand::Create(create) => run_create(create, clock),
    }
}

fn run_create(args: AdminCreateArgs, clock: &dyn Clock) -> anyhow::Result<()> {
    let settings = args.settings().map_err(bad_input)?;
    let password = if args.password_stdin {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .take(4096)
            .read_line(&mut line)
            .context("cannot read the password from standard input")?;
        let line = line.trim_end_matches(['\r', '\n']).to_owned();
        if line.is_empty() {
            return Err(bad_input(
                "--password-stdin: standard input has no password on its first line",
            ));
        }
        Some(SecretString::from(line))
    } else {
        None
    };
    let request = AdminRequest {
        clinic_name: args.clinic,
        clinic_phone: args.clinic_phone,
        clinic_email: args.clinic_email,
        clinic_address: args.clinic_address,
        emergency_number: args.emergency_number,
        email: args.email,
        display_name: args.name,
        password,
    };
    let now = clock.now().as_second();
    let created = runtime()?
        .block_on(create_admin_with_settings(&settings, request, now))
        .map_err(|error| match error {
            AdminError::Invalid(message) => bad_input(message),
            other => anyhow::Error::new(other).context("cannot create the admin"),
        })?;
    if created.clinic_created {
        println!("Created the clinic \"{}\".", created.clinic.name);
    }
    println!(
        "Created the admin {} of \"{}\".",
        created.email, created.clinic.name
    );
    if let Some(password) = created.generated_password {
        println!(
            "Password (shown only now; change it after signing in): {}",
            password.expose_secret()
        );
    }
    println!("Sign in at /sign-in once `aftercare serve` is running.");
    Ok(())
}
