//! One module per subcommand; each has `run(args, &Context)`.
pub mod list;
pub mod login;
pub mod logout;
