//! The domain, below the commands: which credential a client would use for
//! a registry or an image and why, every login and where its secret lives,
//! token lifetimes and finding severities. Commands ask this layer and hand
//! its answers to `output`; nothing here prints (warnings travel in what it
//! returns) and nothing here writes a file.
//!
//! - [`resolve`](mod@resolve): a registry or image reference -> the credential (the
//!   answer) and the [`Trace`] of every source tried, in the client's order.
//!   `get`, `export`, `exec` and `sync` use the answer, `explain` prints the
//!   trace, `doctor` diagnoses it.
//! - [`rules`](mod@rules): each client's rules in one place behind the [`Rules`] trait:
//!   [`docker`] (DOCKER_AUTH_CONFIG, credHelpers, credsStore, the file) and
//!   [`containers`] (podman, skopeo, buildah: credHelpers, the auth.json keys
//!   most specific first, podman's fallback files).
//! - [`store`]: which store holds a registry's secret (a thin door onto the
//!   rules, for the commands that write).
//! - [`inventory`]: every login (file entries, each helper's `list`,
//!   DOCKER_AUTH_CONFIG): `list`, `audit`, `export` and `logout` read it.
//! - [`expiry`]: what a secret says about its own lifetime (JWT, ECR).
//! - [`findings`]: finding severities (`audit`, `--fail-on`).
//!
//! Below this layer: `config` (the file, and its one write path), `helper`
//! (the one place that runs credential helpers), `envauth`, `registry`,
//! `reference`, `auth`.
pub mod containers;
pub mod docker;
pub mod expiry;
pub mod findings;
pub mod inventory;
pub mod resolve;
pub mod rules;
pub mod store;

pub use resolve::{
    answer, credentials_of, file_entry, resolve, resolve_in_config, trace, Answer, Detail,
    HelperAsk, Lookup, Outcome, Query, Source, Step, Target, Trace,
};
pub use rules::{rules, Rules};
pub use store::Store;
