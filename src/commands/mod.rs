//! One module per subcommand; each has `run(args, &Context)`.
pub mod audit;
pub mod doctor;
pub mod exec;
pub mod explain;
pub mod export;
pub mod fix_perms;
pub mod get;
pub mod list;
pub mod login;
pub mod logout;
pub mod migrate;
pub mod store;
pub mod sync;
pub mod version;
