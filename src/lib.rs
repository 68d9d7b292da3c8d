//! dockercfg: audit and manage the Docker client's credential file.
pub mod secret;
pub use secret::Secret;
