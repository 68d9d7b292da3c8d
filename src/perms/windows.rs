//! `fix-perms` on Windows: the file's ACL, read and judged, never changed.
//!
//! Unix modes do not exist there: who may read `config.json` is decided by
//! its ACL (and its folder's), usually inherited from `%USERPROFILE%`, which
//! other users cannot open. dockercfg reads both ACLs and reports each
//! principal other than the user, SYSTEM and Administrators that an allow
//! entry lets read or change them, with the `icacls` commands that fix it.
//! It does not rewrite ACLs itself: an ACL carries more than a mode (deny
//! entries, inheritance, domain groups), and a tool that guesses wrong locks
//! the user out of their own file. The read-only attribute is reported too,
//! as it stops every writer (docker and dockercfg).

use std::ffi::c_void;
use std::os::windows::ffi::OsStrExt;
use std::path::Path;

use anyhow::{bail, Result};
use windows_sys::Win32::Foundation::{CloseHandle, LocalFree, ERROR_SUCCESS, HANDLE};
use windows_sys::Win32::Security::Authorization::{
    ConvertSidToStringSidW, GetNamedSecurityInfoW, SE_FILE_OBJECT,
};
use windows_sys::Win32::Security::{
    AclSizeInformation, EqualSid, GetAce, GetAclInformation, GetTokenInformation, IsWellKnownSid,
    LookupAccountSidW, TokenUser, WinBuiltinAdministratorsSid, WinLocalSystemSid,
    ACCESS_ALLOWED_ACE, ACE_HEADER, ACL, ACL_SIZE_INFORMATION, DACL_SECURITY_INFORMATION,
    INHERIT_ONLY_ACE, PSECURITY_DESCRIPTOR, PSID, SID_NAME_USE, TOKEN_QUERY, TOKEN_USER,
};
use windows_sys::Win32::System::SystemServices::ACCESS_ALLOWED_ACE_TYPE;
use windows_sys::Win32::System::Threading::{GetCurrentProcess, OpenProcessToken};

use super::acl::{exposure, Access, Grant};
use super::Plan;

/// What is wrong with the ACLs of the config file and its folder, as
/// refusals (fix-perms reports them and exits 1); an empty plan when only
/// the user, SYSTEM and Administrators can get in.
pub fn plan(config_path: &Path) -> Result<Plan> {
    let mut plan = Plan::default();
    let user = CurrentUser::get()?;
    let dir = config_path.parent().filter(|d| !d.as_os_str().is_empty());
    let file = config_path.exists().then_some(config_path);
    for (path, is_dir) in [(dir, true), (file, false)] {
        let Some(path) = path else { continue };
        let grants = match others_granted(path, &user) {
            Ok(g) => g,
            Err(e) => bail!(
                "cannot read the ACL of {}: {e}. To see it: icacls \"{}\"",
                path.display(),
                path.display()
            ),
        };
        let shown = path.display().to_string();
        if let Some(m) = exposure(&shown, is_dir, &grants, &user.name) {
            plan.refused.push(m);
        }
    }
    if let Some(f) = file {
        if std::fs::metadata(f).is_ok_and(|m| m.permissions().readonly()) {
            plan.refused.push(format!(
                "{}: it has the read-only attribute, so docker and dockercfg cannot update it. To clear it: attrib -R \"{}\"",
                f.display(),
                f.display()
            ));
        }
    }
    Ok(plan)
}

/// The user this process runs as: its SID (in a buffer the token query
/// filled) and `DOMAIN\name` for the icacls command.
struct CurrentUser {
    buf: Vec<u64>,
    name: String,
}

impl CurrentUser {
    fn get() -> Result<CurrentUser> {
        // SAFETY: plain Win32 calls; the token handle is closed below, and
        // the TOKEN_USER buffer is u64-aligned and as long as the call says.
        unsafe {
            let mut token: HANDLE = std::ptr::null_mut();
            if OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &mut token) == 0 {
                bail!(
                    "cannot open this process's token: {}",
                    std::io::Error::last_os_error()
                );
            }
            let mut len = 0u32;
            GetTokenInformation(token, TokenUser, std::ptr::null_mut(), 0, &mut len);
            let mut buf = vec![0u64; (len as usize).div_ceil(8).max(1)];
            let ok = GetTokenInformation(token, TokenUser, buf.as_mut_ptr().cast(), len, &mut len);
            let err = std::io::Error::last_os_error();
            CloseHandle(token);
            if ok == 0 {
                bail!("cannot read this process's user: {err}");
            }
            let sid = (*(buf.as_ptr() as *const TOKEN_USER)).User.Sid;
            let name = account_name(sid);
            Ok(CurrentUser { buf, name })
        }
    }

    fn sid(&self) -> PSID {
        // SAFETY: the buffer holds the TOKEN_USER written in `get`.
        unsafe { (*(self.buf.as_ptr() as *const TOKEN_USER)).User.Sid }
    }
}

/// The allow entries of `path`'s DACL that give read or change rights to
/// anyone but `user`, SYSTEM and Administrators. A missing DACL lets
/// everyone in, and is reported as such.
fn others_granted(path: &Path, user: &CurrentUser) -> std::io::Result<Vec<Grant>> {
    let wide: Vec<u16> = path.as_os_str().encode_wide().chain([0]).collect();
    let mut dacl: *mut ACL = std::ptr::null_mut();
    let mut sd: PSECURITY_DESCRIPTOR = std::ptr::null_mut();
    // SAFETY: out-pointers to locals; `sd` owns `dacl` and is freed with
    // LocalFree after the last use of either.
    let rc = unsafe {
        GetNamedSecurityInfoW(
            wide.as_ptr(),
            SE_FILE_OBJECT,
            DACL_SECURITY_INFORMATION,
            std::ptr::null_mut(),
            std::ptr::null_mut(),
            &mut dacl,
            std::ptr::null_mut(),
            &mut sd,
        )
    };
    if rc != ERROR_SUCCESS {
        return Err(std::io::Error::from_raw_os_error(rc as i32));
    }
    let out = if dacl.is_null() {
        vec![Grant {
            who: "Everyone (the file has no DACL)".into(),
            access: Access::ReadAndChange,
        }]
    } else {
        // SAFETY: `dacl` points into `sd`, still alive.
        unsafe { allow_entries(dacl, user) }
    };
    // SAFETY: `sd` came from GetNamedSecurityInfoW.
    unsafe { LocalFree(sd) };
    Ok(out)
}

/// # Safety
/// `dacl` must point to a valid ACL.
unsafe fn allow_entries(dacl: *const ACL, user: &CurrentUser) -> Vec<Grant> {
    let mut info: ACL_SIZE_INFORMATION = std::mem::zeroed();
    let size = std::mem::size_of::<ACL_SIZE_INFORMATION>() as u32;
    if GetAclInformation(
        dacl,
        (&mut info as *mut ACL_SIZE_INFORMATION).cast(),
        size,
        AclSizeInformation,
    ) == 0
    {
        return Vec::new();
    }
    let mut out: Vec<Grant> = Vec::new();
    for i in 0..info.AceCount {
        let mut ace: *mut c_void = std::ptr::null_mut();
        if GetAce(dacl, i, &mut ace) == 0 {
            continue;
        }
        let header = &*(ace as *const ACE_HEADER);
        // Deny entries only take rights away; inherit-only ones apply to
        // files created later, not to this one.
        if u32::from(header.AceType) != ACCESS_ALLOWED_ACE_TYPE
            || u32::from(header.AceFlags) & INHERIT_ONLY_ACE != 0
        {
            continue;
        }
        let allowed = &*(ace as *const ACCESS_ALLOWED_ACE);
        let sid: PSID = (&allowed.SidStart as *const u32).cast_mut().cast();
        if EqualSid(sid, user.sid()) != 0
            || IsWellKnownSid(sid, WinLocalSystemSid) != 0
            || IsWellKnownSid(sid, WinBuiltinAdministratorsSid) != 0
        {
            continue;
        }
        let Some(access) = Access::of(allowed.Mask) else {
            continue;
        };
        let who = account_name(sid);
        match out.iter_mut().find(|g| g.who == who) {
            Some(g) if g.access != access => g.access = Access::ReadAndChange,
            Some(_) => {}
            None => out.push(Grant { who, access }),
        }
    }
    out
}

/// `DOMAIN\name` for a SID, or its `S-1-…` string when it does not resolve.
fn account_name(sid: PSID) -> String {
    let (mut n, mut d) = ([0u16; 256], [0u16; 256]);
    let (mut nl, mut dl) = (n.len() as u32, d.len() as u32);
    let mut use_: SID_NAME_USE = 0;
    // SAFETY: buffers and their lengths in u16s; `sid` is valid.
    let ok = unsafe {
        LookupAccountSidW(
            std::ptr::null(),
            sid,
            n.as_mut_ptr(),
            &mut nl,
            d.as_mut_ptr(),
            &mut dl,
            &mut use_,
        )
    };
    if ok != 0 {
        let name = String::from_utf16_lossy(&n[..nl as usize]);
        let domain = String::from_utf16_lossy(&d[..dl as usize]);
        return if domain.is_empty() {
            name
        } else {
            format!("{domain}\\{name}")
        };
    }
    let mut s: *mut u16 = std::ptr::null_mut();
    // SAFETY: ConvertSidToStringSidW allocates `s`, freed with LocalFree.
    unsafe {
        if ConvertSidToStringSidW(sid, &mut s) == 0 {
            return "an unknown account".into();
        }
        let len = (0..).take_while(|&i| *s.add(i) != 0).count();
        let out = String::from_utf16_lossy(std::slice::from_raw_parts(s, len));
        LocalFree(s.cast());
        out
    }
}
