#!/usr/bin/env bash
# macOS and Windows on every CI run (issue #18): clippy with warnings denied
# for x86_64-pc-windows-gnu, x86_64-apple-darwin and aarch64-apple-darwin,
# a Windows build, and a smoke test of dockercfg.exe under wine.
#
# Needs Debian's rustc-web, cargo-web, rust-web-src and rust-web-clippy (a
# 1.96 toolchain whose std source lets cargo build std for any target, with
# RUSTC_BOOTSTRAP=1 for -Zbuild-std), gcc-mingw-w64-x86-64 (the Windows
# linker, and the C test programs in ci/windows/) and wine64. .ci/run
# installs them. Every step prints its time; any failure stops the script
# with a line saying which check failed.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
WIN=x86_64-pc-windows-gnu
MACS=(x86_64-apple-darwin aarch64-apple-darwin)
XDIR=$ROOT/target/xcheck
WINE=/usr/lib/wine/wine64             # the loader; the `wine` wrapper wants 32-bit wine too
WINESERVER=/usr/lib/wine/wineserver64
export WINESERVER

fail() {
  echo "ci/cross.sh: FAILED: $*" >&2
  exit 1
}

step_start=0
step() {
  step_end
  step_name=$1
  step_start=$(date +%s)
  echo "== $step_name"
}
step_end() {
  if [ "$step_start" != 0 ]; then
    echo "   ($step_name: $(($(date +%s) - step_start))s)"
  fi
  step_start=0
}

# Debian's toolchain, not rustup's: it ships the std source build-std needs.
xcargo() {
  PATH=/usr/bin:$PATH RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 \
    CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc \
    /usr/bin/cargo "$1" -Zbuild-std=std,panic_abort --target-dir "$XDIR" "${@:2}"
}

for tool in /usr/bin/rustc /usr/bin/cargo /usr/bin/cargo-clippy x86_64-w64-mingw32-gcc "$WINE"; do
  command -v "$tool" >/dev/null || fail "$tool is missing (install rustc-web cargo-web rust-web-src rust-web-clippy gcc-mingw-w64-x86-64 wine64)"
done
[ -d /usr/lib/rustlib/src/rust/library ] || fail "the std source is missing (install rust-web-src)"

# --- Type checks, every lint, warnings denied ---------------------------------
step "clippy $WIN"
xcargo clippy --locked --target "$WIN" -- -D warnings || fail "clippy for $WIN"

for t in "${MACS[@]}"; do
  step "clippy $t"
  xcargo clippy --locked --target "$t" -- -D warnings || fail "clippy for $t"
done

# --- The Windows binary and the C test programs -------------------------------
step "build dockercfg.exe"
xcargo build --locked --target "$WIN" --bin dockercfg || fail "building dockercfg.exe"

SMOKE=$(mktemp -d /tmp/dockercfg-wine.XXXXXX)
cleanup() {
  # Stop this prefix's wineserver (and anything still running in it), then
  # remove the prefix; nothing is left behind.
  WINEPREFIX=$SMOKE/prefix "$WINESERVER" -k 2>/dev/null || true
  rm -rf "$SMOKE"
}
trap cleanup EXIT

step "build the Windows test programs (ci/windows/*.c)"
BIN=$SMOKE/bin      # dockercfg.exe and the DLL it needs
HB=$SMOKE/helpers   # on the Windows PATH (WINEPATH), and only there
mkdir -p "$BIN" "$HB"
cp "$XDIR/$WIN/debug/dockercfg.exe" "$BIN/"
cc=(x86_64-w64-mingw32-gcc -O2 -Wall -Werror)
"${cc[@]}" -shared -o "$BIN/bcryptprimitives.dll" ci/windows/bcryptprimitives.c -ladvapi32 ||
  fail "building bcryptprimitives.dll"
"${cc[@]}" -o "$HB/docker-credential-test.exe" ci/windows/docker-credential-test.c ||
  fail "building docker-credential-test.exe"
"${cc[@]}" -o "$SMOKE/lockhold.exe" ci/windows/lockhold.c || fail "building lockhold.exe"

# --- Smoke test under wine ----------------------------------------------------
export WINEPREFIX=$SMOKE/prefix WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
winpath() { printf 'Z:%s' "${1//\//\\}"; }   # wine maps / to drive Z:
dcfg() { "$WINE" "$BIN/dockercfg.exe" "$@"; }
# run NAME CMD...: run, keep stdout/stderr in $SMOKE/NAME.{out,err}, return its status
run() {
  local name=$1
  shift
  local rc=0
  "$@" >"$SMOKE/$name.out" 2>"$SMOKE/$name.err" || rc=$?
  return $rc
}
show() { cat "$SMOKE/$1.out" "$SMOKE/$1.err" >&2; }
expect() { # expect NAME STREAM TEXT
  grep -qF -- "$3" "$SMOKE/$1.$2" || {
    show "$1"
    fail "$1: expected $2 to contain: $3"
  }
}

step "wineboot (a new prefix)"
"$WINE" wineboot --init >/dev/null 2>&1 || fail "wineboot"

step "wine: list on examples/"
run list dcfg --config "$(winpath "$ROOT/examples")" list || { show list; fail "list on examples/"; }
expect list out "ghcr.io"
expect list out "octocat"
expect list out "myregistry.azurecr.io"
expect list out "docker-credential-ecr-login is not installed"

step "wine: login --no-verify, then logout, in %USERPROFILE%\\.docker"
home_cfg=$(find "$WINEPREFIX/drive_c/users" -maxdepth 1 -mindepth 1 -type d ! -name Public | head -1)/.docker/config.json
[ ! -e "$home_cfg" ] || fail "a config.json exists before login: $home_cfg"
printf 'S3CRET-pw\n' | run login dcfg login --no-verify -u me --password-stdin r.example ||
  { show login; fail "login"; }
expect login out "Login Succeeded"
# The warning names the file in Windows form, under the profile folder.
expect login err '\.docker\config.json'
expect login err 'C:\users\'
[ -f "$home_cfg" ] || fail "login did not write $home_cfg"
grep -qF '"r.example"' "$home_cfg" || fail "login: no r.example entry in $home_cfg"
run logout dcfg logout r.example || { show logout; fail "logout"; }
expect logout out "Removing login credentials for r.example"
if grep -qF 'r.example' "$home_cfg"; then fail "logout left r.example in $home_cfg"; fi

step "wine: DOCKER_CONFIG"
mkdir -p "$SMOKE/dc"
printf 'pw\n' | run dc env DOCKER_CONFIG="$(winpath "$SMOKE/dc")" "$WINE" "$BIN/dockercfg.exe" \
  login --no-verify -u me --password-stdin d.example || { show dc; fail "login with DOCKER_CONFIG"; }
grep -qF '"d.example"' "$SMOKE/dc/config.json" || fail "DOCKER_CONFIG: login did not write $SMOKE/dc/config.json"

step "wine: helper round trip (credsStore test -> docker-credential-test.exe on PATH)"
H=$SMOKE/h
mkdir -p "$H"
printf '{"auths": {}, "credsStore": "test"}' >"$H/config.json"
hcfg() {
  env DOCKERCFG_TEST_HELPER_DB="$(winpath "$H/db.json")" WINEPATH="$(winpath "$HB")" \
    "$WINE" "$BIN/dockercfg.exe" --config "$(winpath "$H")" "$@"
}
printf 'H3LPER-secret\n' | run hlogin hcfg login --no-verify -u helperuser --password-stdin h.example ||
  { show hlogin; fail "login into the helper"; }
expect hlogin err "stored in docker-credential-test"
grep -qF '"Secret":"H3LPER-secret"' "$H/db.json" || fail "the helper did not receive the secret"
grep -qE '"h\.example": ?\{\}' "$H/config.json" || { cat "$H/config.json" >&2; fail "no placeholder for h.example"; }
if grep -qF 'H3LPER' "$H/config.json"; then fail "the secret reached config.json"; fi
run hget hcfg get h.example || { show hget; fail "get through the helper"; }
expect hget out "helperuser"
run hlist hcfg list || { show hlist; fail "list through the helper"; }
expect hlist out "h.example"
expect hlist out "test"
run hlogout hcfg logout h.example || { show hlogout; fail "logout through the helper"; }
expect hlogout out "docker-credential-test"
[ ! -e "$H/db.json" ] || fail "logout did not erase from the helper"
if grep -qF 'h.example' "$H/config.json"; then fail "logout left h.example in config.json"; fi

step "wine: the lock (held by another process: wait, time out, file untouched)"
L=$SMOKE/lock
mkdir -p "$L"
printf '{"auths": {}}' >"$L/config.json"
"$WINE" "$SMOKE/lockhold.exe" "$(winpath "$L/config.json.lock")" 20 "$(winpath "$L/ready")" &
holder=$!
for _ in $(seq 150); do [ -e "$L/ready" ] && break; sleep 0.2; done
[ -e "$L/ready" ] || fail "lockhold.exe did not take the lock"
before=$(sha256sum <"$L/config.json")
rc=0
printf 'pw\n' | run locked dcfg --config "$(winpath "$L")" --lock-timeout 1 login --no-verify -u me --password-stdin l.example || rc=$?
[ "$rc" = 1 ] || { show locked; fail "login while another process holds the lock: exit $rc, wanted 1"; }
expect locked err 'timed out after 1s waiting for the lock on Z:\'
expect locked err '\config.json.lock'
[ "$(sha256sum <"$L/config.json")" = "$before" ] || fail "a login that timed out on the lock changed config.json"
wait "$holder" || fail "lockhold.exe failed"

step "wine: 8 dockercfg processes log in at once; every login is kept"
pids=()
for i in 1 2 3 4 5 6 7 8; do
  printf 'pw\n' | dcfg --config "$(winpath "$L")" --lock-timeout 60 login --no-verify -u me --password-stdin "c$i.example" \
    >"$SMOKE/c$i.out" 2>&1 &
  pids+=($!)
done
for p in "${pids[@]}"; do wait "$p" || { cat "$SMOKE"/c*.out >&2; fail "a concurrent login failed"; }; done
for i in 1 2 3 4 5 6 7 8; do
  grep -qF "\"c$i.example\"" "$L/config.json" || { cat "$L/config.json" >&2; fail "concurrent logins: c$i.example was lost"; }
done

step "wine: %USERPROFILE% set by the caller decides the config (as Go's os.UserHomeDir)"
# wine sets USERPROFILE itself when a process starts from Linux, so the
# variable is set inside Windows, by cmd.exe, for the child it starts.
UP=$SMOKE/profile
mkdir -p "$UP"
printf 'pw\n' | run up "$WINE" cmd /c "set USERPROFILE=$(winpath "$UP")&& $(winpath "$BIN/dockercfg.exe") login --no-verify -u me --password-stdin u.example" ||
  { show up; fail "login with USERPROFILE set"; }
grep -qF '"u.example"' "$UP/.docker/config.json" 2>/dev/null || { show up; fail "USERPROFILE: login did not write $UP/.docker/config.json"; }
expect up err "$(winpath "$UP")\.docker\config.json"

step "wine: fix-perms reads the ACL (wine derives it from the Unix mode)"
F=$SMOKE/acl
mkdir -p "$F"
printf '{"auths": {}}' >"$F/config.json"
chmod 700 "$F"
chmod 600 "$F/config.json"
run acl-ok dcfg --config "$(winpath "$F")" fix-perms --check || { show acl-ok; fail "fix-perms --check on a private file"; }
expect acl-ok err "nothing to fix for $(winpath "$F")\config.json"
chmod 644 "$F/config.json"
rc=0
run acl-open dcfg --config "$(winpath "$F")" fix-perms --check || rc=$?
[ "$rc" = 1 ] || { show acl-open; fail "fix-perms --check on a file Everyone can read: exit $rc, wanted 1"; }
expect acl-open err "$(winpath "$F")\config.json: the ACL of the file lets others in (Everyone can read)"
expect acl-open err "icacls \"$(winpath "$F")\config.json\" /inheritance:r /grant:r "
chmod 600 "$F/config.json"
chmod 755 "$F"
rc=0
run acl-dir dcfg --config "$(winpath "$F")" fix-perms --check || rc=$?
[ "$rc" = 1 ] || { show acl-dir; fail "fix-perms --check with an open folder: exit $rc, wanted 1"; }
expect acl-dir err "the ACL of the folder lets others in"
expect acl-dir err ":(OI)(CI)F"
chmod 700 "$F"
chmod 400 "$F/config.json"
rc=0
run acl-ro dcfg --config "$(winpath "$F")" fix-perms --check || rc=$?
[ "$rc" = 1 ] || { show acl-ro; fail "fix-perms --check on a read-only file: exit $rc, wanted 1"; }
expect acl-ro err "it has the read-only attribute"
expect acl-ro err "attrib -R \"$(winpath "$F")\config.json\""
step_end
echo "ci/cross.sh: all cross checks passed"
