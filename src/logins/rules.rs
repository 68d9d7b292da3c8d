//! Each client's rules behind one trait: which store keeps a registry's
//! secret, which `credsStore` is honoured, and the walk over the sources in
//! the client's order. Docker's rules are in [`super::docker`],
//! containers/image's (podman, skopeo, buildah) in [`super::containers`];
//! [`rules`] is the one place that picks between them by the file's
//! [`Flavor`], so no command matches on the flavor to find a credential.

use anyhow::Result;

use super::containers::Containers;
use super::docker::Docker;
use super::resolve::{Query, Trace};
use super::store::Store;
use crate::config::Config;
use crate::context::{Context, Flavor};

/// One client's rules for finding a registry's credential.
pub trait Rules: Sync {
    /// `docker` or `containers`: whose rules these are.
    fn name(&self) -> &'static str;

    /// The store that keeps (and is asked for) `registry`'s secret;
    /// `registry` may be spelled any way the user or a file spells it.
    fn store(&self, config: &Config, registry: &str) -> Store;

    /// The `credsStore` these clients honour, if any.
    fn creds_store<'c>(&self, config: &'c Config) -> Option<&'c str>;

    /// Every source for `query`, in the client's order: the answer and the
    /// trace. Helpers are asked with `get`. Errors only for a query these
    /// rules refuse (a containers key with a tag or digest); everything
    /// that goes wrong on the way is in the trace.
    fn walk(&self, query: &Query, config: &Config, ctx: &Context) -> Result<Trace>;
}

/// The rules of the tools that read a file of `flavor`.
pub fn rules(flavor: Flavor) -> &'static dyn Rules {
    match flavor {
        Flavor::Docker => &Docker,
        Flavor::Containers => &Containers,
    }
}
