//! `fix-perms` on Windows: what it can and cannot say.
//!
//! Unix modes do not exist there: who may read `config.json` is decided by
//! the file's ACL, usually inherited from `%USERPROFILE%`, which other
//! users cannot open by default. dockercfg does not read or change ACLs, so
//! rather than pretend to chmod it says so, names the file in Windows form,
//! and gives the `icacls` commands that show and fix it. The read-only
//! attribute is reported, as it stops every writer (docker and dockercfg).

use std::path::Path;

use anyhow::{bail, Result};

use super::Plan;

/// Never a plan: an error that says what is not checked and how to check it.
pub fn plan(config_path: &Path) -> Result<Plan> {
    let shown = config_path.display();
    let readonly = std::fs::metadata(config_path)
        .map(|m| m.permissions().readonly())
        .unwrap_or(false);
    let note = if readonly {
        " It has the read-only attribute, so docker and dockercfg cannot update it: `attrib -R` clears it."
    } else {
        ""
    };
    bail!(
        "fix-perms does not check or change permissions on Windows: who can read {shown} is set by its ACL, which dockercfg does not read.{note} \
         To see the ACL: icacls \"{shown}\"  To keep it to your user only: icacls \"{shown}\" /inheritance:r /grant:r \"%USERNAME%:F\""
    )
}
