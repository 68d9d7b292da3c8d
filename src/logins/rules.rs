//! Each client's rules behind one trait: which store keeps a registry's
//! secret, which `credsStore` is honoured, and the walk over the sources in
//! the client's order. Docker's rules are in [`super::docker`],
//! containers/image's (podman, skopeo, buildah) in [`super::containers`];
//! [`rules`] is the one place that picks between them by the file's
//! [`Flavor`], so no command matches on the flavor to find a credential.

use anyhow::Result;

use super::containers::Containers;
use super::docker::Docker;
use super::resolve::{Detail, Query, Trace};
use super::store::Store;
use crate::config::Config;
use crate::context::{Context, Flavor};

/// One client's rules for finding a registry's credential.
pub trait Rules: Sync {
    /// `docker` or `containers`: whose rules these are.
    fn name(&self) -> &'static str;

    /// The key a login for `name` (any spelling) has in these clients'
    /// file: docker's normalised registry (Hub's URL for every Hub alias),
    /// or the containers key, its namespace kept (`quay.io/org`).
    fn login_key(&self, name: &str) -> String;

    /// What these clients ask a helper for, and look `credHelpers` up by:
    /// docker's normalised registry, or the registry host of a containers
    /// key (helpers hold no namespaced keys).
    fn helper_key(&self, name: &str) -> String;

    /// The store that keeps (and is asked for) `registry`'s secret;
    /// `registry` may be spelled any way the user or a file spells it.
    fn store(&self, config: &Config, registry: &str) -> Store;

    /// The `credsStore` these clients honour, if any.
    fn creds_store<'c>(&self, config: &'c Config) -> Option<&'c str>;

    /// Every source for `query`, in the client's order: the answer and the
    /// trace. Helpers are asked with `get`. Errors only for a query these
    /// rules refuse (a containers key with a tag or digest); everything
    /// that goes wrong on the way is in the trace.
    /// With [`Detail::Answer`], steps and problems are not written down.
    fn walk(&self, query: &Query, config: &Config, ctx: &Context, detail: Detail) -> Result<Trace>;
}

/// The rules of the tools that read a file of `flavor`.
pub fn rules(flavor: Flavor) -> &'static dyn Rules {
    match flavor {
        Flavor::Docker => &Docker,
        Flavor::Containers => &Containers,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn login_and_helper_keys_by_client() {
        let (d, c) = (rules(Flavor::Docker), rules(Flavor::Containers));
        assert_eq!((d.name(), c.name()), ("docker", "containers"));
        for hub in [
            "docker.io",
            "https://index.docker.io/v1/",
            "registry-1.docker.io",
        ] {
            assert_eq!(d.login_key(hub), "https://index.docker.io/v1/");
            assert_eq!(d.helper_key(hub), "https://index.docker.io/v1/");
            assert_eq!(c.login_key(hub), "docker.io");
            assert_eq!(c.helper_key(hub), "docker.io");
        }
        assert_eq!(d.login_key("https://Quay.io/org/app"), "quay.io");
        assert_eq!(c.login_key("Quay.io/org/app"), "quay.io/org/app");
        assert_eq!(c.helper_key("quay.io/org/app"), "quay.io");
        // A URL counts as its host for podman too.
        assert_eq!(c.login_key("https://quay.io/v2/"), "quay.io");
    }
}
