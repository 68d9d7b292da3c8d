//! The one resolver (`dockercfg::logins`), called as a library as `doctor`
//! calls it: every step of the trace names the helper asked, the server URL
//! it was asked for and its raw error; the lookup modes differ only in how
//! keys are matched; warnings are returned for the command to print.
mod common;

use std::sync::Mutex;
use std::time::Duration;

use common::{auth, TestEnv};
use dockercfg::context::{Context, Flavor};
use dockercfg::envauth::EnvAuth;
use dockercfg::helper::HelperError;
use dockercfg::logins::{self, Lookup, Outcome, Query, Source};
use dockercfg::reference::ImageRef;
use serde_json::json;

/// Helpers are found on this process's PATH, which each test points at its
/// own fake helpers: one test at a time.
static PATH_LOCK: Mutex<()> = Mutex::new(());

fn setup(env: &TestEnv) -> std::sync::MutexGuard<'static, ()> {
    static ORIGINAL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let guard = PATH_LOCK.lock().unwrap_or_else(|e| e.into_inner());
    let original = ORIGINAL.get_or_init(|| std::env::var("PATH").unwrap_or_default());
    std::env::set_var("PATH", format!("{}:{original}", env.bin_dir().display()));
    guard
}

fn ctx(path: std::path::PathBuf, flavor: Flavor) -> Context {
    Context::new(path, Duration::from_secs(10), Duration::from_secs(10)).with_flavor(flavor)
}

fn image(r: &str) -> Query {
    Query::image(ImageRef::parse(r).unwrap()).with_env(None)
}

#[test]
fn a_failing_helper_step_names_helper_server_and_raw_error() {
    let env = TestEnv::new();
    let _g = setup(&env);
    env.fake_helper("fake");
    env.fake_seed("fake", json!({"ghcr.io": ["u", "s"]}));
    env.fake_faults("fake", json!({"refuse": ["ghcr.io"]}));
    env.write_config(&format!(
        r#"{{"auths": {{"ghcr.io": {{"auth": "{}"}}}}, "credHelpers": {{"ghcr.io": "fake"}}}}"#,
        auth("old", "stale-plaintext")
    ));
    let config = dockercfg::config::Config::load(&env.config_path()).unwrap();
    let c = ctx(env.config_path(), Flavor::Docker);
    let t = logins::trace(&image("ghcr.io/org/app:1"), &config, &c).unwrap();

    assert_eq!(t.rules, "docker");
    assert!(t.answer.is_none());
    let step = t
        .steps
        .iter()
        .find(|s| s.source == Source::CredHelpers)
        .unwrap();
    assert_eq!(step.outcome, Outcome::Error);
    let ask = step.helper.as_ref().expect("the helper asked");
    assert_eq!(ask.name, "fake");
    assert_eq!(ask.program(), "docker-credential-fake");
    assert_eq!(ask.server_url, "ghcr.io");
    match &ask.error {
        Some(HelperError::Failed {
            action, message, ..
        }) => {
            assert_eq!(*action, "get");
            assert!(message.contains("refusing to get ghcr.io"), "{message}");
        }
        other => panic!("not the raw failure: {other:?}"),
    }
    assert_eq!(t.helper_errors().count(), 1);
    // The file docker passes over is named, and the plaintext is a problem.
    let file = t.steps.iter().find(|s| s.source == Source::File).unwrap();
    assert_eq!(file.outcome, Outcome::PassedOver);
    assert_eq!(file.file.as_deref(), Some(env.config_path().as_path()));
    assert!(t
        .problems
        .iter()
        .any(|p| p.contains("still holds plaintext")));
    // What `get` reports: the helper's error, never the secret.
    let err = t.into_credentials().unwrap_err().to_string();
    assert!(err.contains("refusing to get ghcr.io"), "{err}");
    assert!(!err.contains("stale-plaintext"));
}

#[test]
fn any_spelling_asks_the_file_key_then_the_helpers_aliases() {
    let env = TestEnv::new();
    let _g = setup(&env);
    env.fake_helper("fake");
    env.fake_seed("fake", json!({"https://r.io": ["u", "from-helper"]}));
    env.write_config(r#"{"auths": {"r.io": {}}, "credsStore": "fake"}"#);
    let config = dockercfg::config::Config::load(&env.config_path()).unwrap();
    let c = ctx(env.config_path(), Flavor::Docker);

    // As docker: one ask, by the exact key, which the helper lacks.
    let t = logins::trace(&image("r.io/app"), &config, &c).unwrap();
    let asks: Vec<_> = t
        .steps
        .iter()
        .filter_map(|s| s.helper.as_ref().map(|h| (s.outcome, h.server_url.clone())))
        .collect();
    assert_eq!(asks, [(Outcome::NotFound, "r.io".to_string())]);
    let not_found = t
        .steps
        .iter()
        .find_map(|s| s.helper.as_ref()?.error.as_ref());
    assert!(matches!(not_found, Some(HelperError::NotFound { .. })));
    assert!(t.credentials().is_none());
    assert!(t
        .problems
        .iter()
        .any(|p| p.contains("docker-credential-fake has no credentials for r.io")));

    // A registry looked up as the client does: the same single ask.
    let q = Query::registry("r.io")
        .with_env(None)
        .with_lookup(Lookup::Client);
    let t = logins::trace(&q, &config, &c).unwrap();
    let asks: Vec<_> = t
        .steps
        .iter()
        .filter_map(|s| s.helper.as_ref().map(|h| h.server_url.clone()))
        .collect();
    assert_eq!(asks, ["r.io"]);
    assert!(t.credentials().is_none());

    // Any spelling (`get r.io`): the helper's own key is asked next.
    let q = Query::registry("r.io").with_env(None);
    assert_eq!(q.lookup, Lookup::AnySpelling);
    let t = logins::trace(&q, &config, &c).unwrap();
    let asks: Vec<_> = t
        .steps
        .iter()
        .filter_map(|s| s.helper.as_ref().map(|h| (s.outcome, h.server_url.clone())))
        .collect();
    assert_eq!(
        asks,
        [
            (Outcome::NotFound, "r.io".to_string()),
            (Outcome::Used, "https://r.io".to_string())
        ]
    );
    let a = t.answer.as_ref().unwrap();
    assert_eq!(
        (a.source, a.helper.as_deref()),
        (Source::CredsStore, Some("fake"))
    );
    let creds = t.into_credentials().unwrap().unwrap();
    assert_eq!(creds.secret.expose(), "from-helper");
}

#[test]
fn an_undecodable_docker_auth_config_is_a_warning_in_the_trace() {
    let env = TestEnv::new();
    let _g = setup(&env);
    env.write_config(&format!(
        r#"{{"auths": {{"a.io": {{"auth": "{}"}}}}}}"#,
        auth("u", "p")
    ));
    let config = dockercfg::config::Config::load(&env.config_path()).unwrap();
    let c = ctx(env.config_path(), Flavor::Docker);
    let q = Query::registry("a.io").with_env(Some(EnvAuth::parse("{\"auths\":")));
    let t = logins::trace(&q, &config, &c).unwrap();
    assert_eq!(t.warnings.len(), 1, "{:?}", t.warnings);
    assert!(t.warnings[0].contains("DOCKER_AUTH_CONFIG"));
    assert_eq!(t.steps[0].source, Source::Env);
    assert_eq!(t.steps[0].outcome, Outcome::Error);
    // The variable is ignored, as docker ignores it: the file answers.
    assert_eq!(t.answer.as_ref().unwrap().source, Source::File);

    // `get` prints the trace's warning, once.
    let out = env
        .cmd()
        .args(["get", "--username", "a.io"])
        .env("DOCKER_AUTH_CONFIG", "{\"auths\":")
        .output()
        .unwrap();
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.matches("dockercfg: warning: ").count(), 1, "{err}");
    assert!(err.contains("DOCKER_AUTH_CONFIG"), "{err}");
}

#[test]
fn containers_steps_name_their_file_and_helper() {
    let env = TestEnv::new();
    let _g = setup(&env);
    env.fake_helper("fake");
    env.fake_seed("fake", json!({"h.io": ["hu", "hs"]}));
    let file = env.home().join("auth.json");
    std::fs::write(
        &file,
        format!(
            r#"{{"auths": {{"quay.io/org": {{"auth": "{}"}}}}, "credsStore": "fake", "credHelpers": {{"h.io": "fake"}}}}"#,
            auth("org", "po")
        ),
    )
    .unwrap();
    let config = dockercfg::config::Config::load(&file).unwrap();
    let c = ctx(file.clone(), Flavor::Containers);

    let t = logins::trace(&image("h.io/ns/app"), &config, &c).unwrap();
    assert_eq!(t.rules, "containers");
    let used = t.steps.iter().find(|s| s.outcome == Outcome::Used).unwrap();
    assert_eq!(used.source, Source::CredHelpers);
    assert_eq!(used.file.as_deref(), Some(file.as_path()));
    let ask = used.helper.as_ref().unwrap();
    assert_eq!(
        (ask.name.as_str(), ask.server_url.as_str()),
        ("fake", "h.io")
    );
    assert!(ask.error.is_none());
    // credsStore is never read by podman: passed over, not asked.
    let cs = t
        .steps
        .iter()
        .find(|s| s.source == Source::CredsStore)
        .unwrap();
    assert_eq!(cs.outcome, Outcome::PassedOver);
    assert!(cs.helper.is_none());

    // Most specific key first; the registry form refuses a tag.
    let t = logins::trace(&Query::registry("quay.io/org/app"), &config, &c).unwrap();
    assert_eq!(t.keys, ["quay.io/org/app", "quay.io/org", "quay.io"]);
    assert_eq!(t.credentials().unwrap().username, "org");
    assert!(logins::trace(&Query::registry("quay.io/org/app:1"), &config, &c).is_err());
}

/// `answer` (what `get`, `export`, `exec` and `sync` use) skips describing
/// the steps, and nothing else: the same credentials, failure and warnings
/// as the full trace, whether or not the entries were decoded beforehand,
/// for file logins good, undecodable and empty, with DOCKER_AUTH_CONFIG
/// unset, answering, and undecodable.
#[test]
fn the_answer_alone_is_the_traces_answer() {
    let env = TestEnv::new();
    let _g = setup(&env);
    env.write_config(&format!(
        r#"{{"auths": {{"a.io": {{"auth": "{}"}}, "bad.io": {{"auth": "!!"}}, "empty.io": {{}},
            "https://c.io": {{"identitytoken": "tok"}}}}}}"#,
        auth("u", "p")
    ));
    let c = ctx(env.config_path(), Flavor::Docker);
    let envs = [
        None,
        Some(EnvAuth::parse("")),
        Some(EnvAuth::parse(&format!(
            r#"{{"auths": {{"a.io": {{"auth": "{}"}}}}}}"#,
            auth("e", "q")
        ))),
        Some(EnvAuth::parse(r#"{"auths": {"x.io": {"auth": "!!"}}}"#)),
    ];
    let seen = |t: logins::Trace| {
        let warnings = t.warnings.clone();
        let failure = t.failure.clone();
        let creds = t
            .into_credentials()
            .ok()
            .flatten()
            .map(|c| (c.server_url, c.username, c.secret.expose().to_string()));
        (creds, failure, warnings)
    };
    let mut answered = 0;
    for kept in [false, true] {
        let config = dockercfg::config::Config::load(&env.config_path()).unwrap();
        if kept {
            config.decode_all();
        }
        for e in &envs {
            for r in [
                "a.io",
                "https://a.io/v2/",
                "bad.io",
                "empty.io",
                "c.io",
                "none.io",
            ] {
                let q = Query::registry(r).with_env(e.clone());
                let full = logins::trace(&q, &config, &c).unwrap();
                let quick = logins::answer(&q, &config, &c).unwrap();
                assert!(!full.steps.is_empty());
                assert!(quick.steps.is_empty() && quick.problems.is_empty(), "{r}");
                let (a, b) = (seen(full), seen(quick));
                answered += usize::from(a.0.is_some());
                assert_eq!(a, b, "{r} with {e:?}");
            }
        }
    }
    // a.io (file or env) and c.io answer under each variable, kept or not.
    assert_eq!(answered, 2 * 4 * 3);
}
