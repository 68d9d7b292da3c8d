//! Step 5: the credential itself: it decodes, it has not expired (ECR and
//! JWT lifetimes, `token`), and with `--online` the registry accepts it,
//! by the same check `login` makes (`verify`).

use std::time::Duration;

use super::report::{Check, Status, CREDENTIAL};
use crate::auth::TOKEN_USERNAME;
use crate::context::{Context, Flavor};
use crate::helper::Credentials;
use crate::logins::expiry as token;
use crate::registry;
use crate::verify::{verify_login, CertsLayout, TrustOptions, VerifyError, VerifyOptions};
use crate::Secret;

/// Tokens that expire sooner than this are worth a warning.
const SOON: i64 = 3600;

/// Step 5 for the credential the client would send for `reg` (found
/// under `key`).
pub fn check(reg: &str, key: &str, c: &Credentials, online: bool, ctx: &Context) -> Vec<Check> {
    let label = Some(reg);
    let login_fix = Some(ctx.command(&["login", reg]));
    let mut out = Vec::new();
    let (username, secret) = (c.username.clone(), c.secret.clone());
    let who = if username == TOKEN_USERNAME {
        "an identity token".to_string()
    } else {
        format!("user {username}")
    };
    match token::expiry(secret.expose()) {
        Some((kind, exp)) => {
            let left = exp - token::now();
            if left <= 0 {
                out.push(
                    Check::new(
                        label,
                        CREDENTIAL,
                        Status::Fail,
                        format!(
                            "{who}: the {} expired {} ago: the registry will refuse it",
                            kind.label(),
                            token::human(left)
                        ),
                    )
                    .fix(login_fix.clone()),
                );
            } else if left < SOON {
                out.push(Check::new(
                    label,
                    CREDENTIAL,
                    Status::Warn,
                    format!(
                        "{who}: the {} expires in {}",
                        kind.label(),
                        token::human(left)
                    ),
                ));
            } else {
                out.push(Check::new(
                    label,
                    CREDENTIAL,
                    Status::Ok,
                    format!(
                        "{who}: decodes; the {} expires in {}",
                        kind.label(),
                        token::human(left)
                    ),
                ));
            }
        }
        None => out.push(Check::new(
            label,
            CREDENTIAL,
            Status::Ok,
            format!(
                "{who}: decodes{}",
                if online {
                    ""
                } else {
                    " (--online also asks the registry)"
                }
            ),
        )),
    }
    if online {
        out.push(online_check(reg, key, &username, &secret, ctx));
    }
    out
}

/// Ask the registry, as `login` does, trusting what the file's client trusts.
fn online_check(reg: &str, key: &str, username: &str, secret: &Secret, ctx: &Context) -> Check {
    let label = Some(reg);
    if username == TOKEN_USERNAME {
        return Check::new(label, CREDENTIAL, Status::Warn, format!(
            "not asked: {key} holds an identity token, which the registry only takes through its OAuth token flow"
        ));
    }
    let host = match ctx.flavor {
        Flavor::Docker if registry::is_docker_hub(key) => "registry-1.docker.io".to_string(),
        Flavor::Containers if registry::containers_host(key) == registry::CONTAINERS_HUB_KEY => {
            "registry-1.docker.io".to_string()
        }
        Flavor::Docker => registry::docker_hostname(key).to_ascii_lowercase(),
        Flavor::Containers => registry::containers_host(key).to_string(),
    };
    let opts = VerifyOptions {
        trust: TrustOptions {
            layout: match ctx.flavor {
                Flavor::Docker => CertsLayout::Docker,
                Flavor::Containers => CertsLayout::Containers,
            },
            ..TrustOptions::default()
        },
        timeout: Duration::from_secs(30),
        ..VerifyOptions::default()
    };
    match verify_login(&host, username, secret, &opts) {
        Ok(_) => Check::new(
            label,
            CREDENTIAL,
            Status::Ok,
            format!("{host} accepts the credential"),
        ),
        Err(e @ VerifyError::Unauthorized { .. }) => Check::new(
            label,
            CREDENTIAL,
            Status::Fail,
            format!("{e}: the password was changed or the token revoked; log in again"),
        )
        .fix(Some(ctx.command(&["login", reg]))),
        Err(e) => Check::new(label, CREDENTIAL, Status::Fail, e.to_string()),
    }
}
