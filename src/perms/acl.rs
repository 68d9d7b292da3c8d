//! What an ACL's grants mean for a credential file, in words: which of the
//! access rights an allow entry carries let its holder read the secrets or
//! change the file. Kept apart from the Windows calls in `windows.rs` so the
//! rules are unit-tested on every platform.

// Generic and standard rights (winnt.h), and the file-specific ones.
const GENERIC_ALL: u32 = 0x1000_0000;
const GENERIC_READ: u32 = 0x8000_0000;
const GENERIC_WRITE: u32 = 0x4000_0000;
const FILE_READ_DATA: u32 = 0x0001; // also FILE_LIST_DIRECTORY
const FILE_WRITE_DATA: u32 = 0x0002; // also FILE_ADD_FILE
const FILE_APPEND_DATA: u32 = 0x0004; // also FILE_ADD_SUBDIRECTORY
const FILE_DELETE_CHILD: u32 = 0x0040;
const DELETE: u32 = 0x0001_0000;
const WRITE_DAC: u32 = 0x0004_0000;
const WRITE_OWNER: u32 = 0x0008_0000;

const READS: u32 = GENERIC_ALL | GENERIC_READ | FILE_READ_DATA;
const CHANGES: u32 = GENERIC_ALL
    | GENERIC_WRITE
    | FILE_WRITE_DATA
    | FILE_APPEND_DATA
    | FILE_DELETE_CHILD
    | DELETE
    | WRITE_DAC
    | WRITE_OWNER;

/// What an allow entry lets its holder do to config.json (or, for the
/// directory, to the files in it: list them, add or replace one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    Read,
    Change,
    ReadAndChange,
}

impl Access {
    pub fn of(mask: u32) -> Option<Access> {
        match (mask & READS != 0, mask & CHANGES != 0) {
            (true, true) => Some(Access::ReadAndChange),
            (true, false) => Some(Access::Read),
            (false, true) => Some(Access::Change),
            (false, false) => None,
        }
    }

    fn words(self) -> &'static str {
        match self {
            Access::Read => "read",
            Access::Change => "change",
            Access::ReadAndChange => "read and change",
        }
    }
}

/// One principal other than the user, SYSTEM and Administrators that an
/// allow entry names, with what it may do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    /// `DOMAIN\name` where the SID resolves, else the SID string.
    pub who: String,
    pub access: Access,
}

/// The sentence for a file whose ACL lets others in, with the `icacls`
/// commands that show it and keep it to `user`, or `None` when it does
/// not. Paths are quoted with `"` (which no Windows path contains); the
/// user is named, not `%USERNAME%`, so the command works in cmd.exe and
/// PowerShell alike.
pub fn exposure(path: &str, is_dir: bool, grants: &[Grant], user: &str) -> Option<String> {
    if grants.is_empty() {
        return None;
    }
    let what = if is_dir { "the folder" } else { "the file" };
    let who = grants
        .iter()
        .map(|g| format!("{} can {}", g.who, g.access.words()))
        .collect::<Vec<_>>()
        .join(", ");
    // (OI)(CI) so that files docker creates later in the folder inherit it.
    let inherit = if is_dir { "(OI)(CI)" } else { "" };
    Some(format!(
        "{path}: the ACL of {what} lets others in ({who}). dockercfg does not change ACLs. \
         To see it: icacls \"{path}\"  To keep it to your user: \
         icacls \"{path}\" /inheritance:r /grant:r \"{user}:{inherit}F\" /grant:r \"SYSTEM:{inherit}F\""
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rights_that_read_or_change_are_told_apart() {
        assert_eq!(Access::of(0x0012_0089), Some(Access::Read)); // FILE_GENERIC_READ
        assert_eq!(Access::of(0x001F_01FF), Some(Access::ReadAndChange)); // FILE_ALL_ACCESS
        assert_eq!(Access::of(GENERIC_READ), Some(Access::Read));
        assert_eq!(Access::of(GENERIC_ALL), Some(Access::ReadAndChange));
        assert_eq!(Access::of(0x0012_0116), Some(Access::Change)); // FILE_GENERIC_WRITE
        assert_eq!(Access::of(WRITE_DAC), Some(Access::Change));
        // Attributes and synchronize only: neither the secrets nor the file.
        assert_eq!(Access::of(0x0010_0080), None);
    }

    #[test]
    fn exposure_names_each_principal_and_a_fix_for_the_user() {
        let grants = [
            Grant {
                who: "\\Everyone".into(),
                access: Access::Read,
            },
            Grant {
                who: "BUILTIN\\Users".into(),
                access: Access::ReadAndChange,
            },
        ];
        let m = exposure(r"C:\Users\me\.docker\config.json", false, &grants, r"PC\me").unwrap();
        assert!(
            m.contains("\\Everyone can read, BUILTIN\\Users can read and change"),
            "{m}"
        );
        assert!(
            m.contains(
                r#"icacls "C:\Users\me\.docker\config.json" /inheritance:r /grant:r "PC\me:F""#
            ),
            "{m}"
        );
        let d = exposure(r"C:\Users\me\.docker", true, &grants, r"PC\me").unwrap();
        assert!(d.contains(r#""PC\me:(OI)(CI)F""#), "{d}");
        assert_eq!(exposure("x", false, &[], "u"), None);
    }
}
