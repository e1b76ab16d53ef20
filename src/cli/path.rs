//! `pypi-recovery path …`: which way back in is yours, from the same rules as the app.

use super::Outcome;
use clap::{Args, ValueEnum};
use pypi_recovery::request::{
    find_path, EmailAccess, Factor, Network, PasswordState, Site, Situation,
};

#[derive(Args)]
pub struct PathArgs {
    /// Can you read email sent to the account's address?
    #[arg(long, value_enum)]
    email: EmailArg,
    /// Do you know the password?
    #[arg(long, value_enum)]
    password: PasswordArg,
    /// An authenticator (TOTP) app for the account.
    #[arg(long, value_enum, default_value = "none")]
    totp: FactorArg,
    /// A security key or passkey for the account.
    #[arg(long, value_enum, default_value = "none")]
    security_key: FactorArg,
    /// Do you have an unused recovery code?
    #[arg(long, value_enum, default_value = "no")]
    recovery_codes: YesNoArg,
    /// A network you have signed in to PyPI from before, or a new one.
    #[arg(long, value_enum, default_value = "new")]
    network: NetworkArg,
    /// Which site the account is on.
    #[arg(long, value_enum, default_value = "pypi")]
    site: SiteArg,
    /// The account belongs to someone else (a former colleague, an employer).
    #[arg(long)]
    not_my_account: bool,
    /// Someone else may have taken over the account.
    #[arg(long)]
    compromised: bool,
    /// Print JSON: {"path", "title", "why", "steps", "link", "reason"}.
    #[arg(long)]
    json: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum EmailArg {
    Yes,
    No,
    NeverVerified,
}

#[derive(Clone, Copy, ValueEnum)]
enum PasswordArg {
    Known,
    Forgotten,
}

#[derive(Clone, Copy, ValueEnum)]
enum FactorArg {
    None,
    Have,
    Lost,
}

#[derive(Clone, Copy, ValueEnum)]
enum YesNoArg {
    Yes,
    No,
}

#[derive(Clone, Copy, ValueEnum)]
enum NetworkArg {
    Known,
    New,
}

#[derive(Clone, Copy, ValueEnum)]
enum SiteArg {
    Pypi,
    Testpypi,
}

fn factor(arg: FactorArg) -> Factor {
    match arg {
        FactorArg::None => Factor::None,
        FactorArg::Have => Factor::Have,
        FactorArg::Lost => Factor::Lost,
    }
}

pub fn run(args: PathArgs) -> Outcome {
    let situation = Situation {
        site: match args.site {
            SiteArg::Pypi => Site::Pypi,
            SiteArg::Testpypi => Site::Testpypi,
        },
        own_account: !args.not_my_account,
        compromised: args.compromised,
        email: match args.email {
            EmailArg::Yes => EmailAccess::Yes,
            EmailArg::No => EmailAccess::No,
            EmailArg::NeverVerified => EmailAccess::NeverVerified,
        },
        password: match args.password {
            PasswordArg::Known => PasswordState::Known,
            PasswordArg::Forgotten => PasswordState::Forgotten,
        },
        totp: factor(args.totp),
        security_key: factor(args.security_key),
        recovery_codes: matches!(args.recovery_codes, YesNoArg::Yes),
        network: match args.network {
            NetworkArg::Known => Network::Known,
            NetworkArg::New => Network::New,
        },
    };
    let advice = find_path(&situation);
    if args.json {
        out!(
            "{}",
            serde_json::to_string_pretty(&advice).expect("advice serialises")
        );
        return Ok(());
    }
    out!("{}\n\n{}\n", advice.title, advice.why);
    for (n, step) in advice.steps.iter().enumerate() {
        out!("{}. {step}", n + 1);
    }
    if let Some(reason) = &advice.reason {
        out!("\nReason for request: {reason}");
    }
    if let Some(link) = &advice.link {
        out!("\n{link}");
    }
    Ok(())
}
