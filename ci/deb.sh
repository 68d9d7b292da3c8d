#!/usr/bin/env bash
# Issue #18: dockercfg installs like a real tool. `cargo deb` builds a .deb
# from [package.metadata.deb] in Cargo.toml (binary, man pages, bash/zsh/fish
# completions); this installs it with dpkg, checks that man finds the page
# and that bash completes `dockercfg lo` from the installed file, then
# removes it and checks nothing is left. Runs as root (CI). Needs cargo-deb
# (cargo install cargo-deb --locked), man-db and bash-completion.
set -euo pipefail
cd "$(dirname "$0")/.."

fail() {
  echo "ci/deb.sh: FAILED: $*" >&2
  exit 1
}
[ "$(id -u)" = 0 ] || fail "run as root: it installs and removes a package"
command -v cargo-deb >/dev/null || fail "cargo-deb is missing (cargo install cargo-deb --locked)"

start=$(date +%s)
# cargo deb draws progress bars: keep them out of the CI log unless it fails.
log=$(mktemp)
if ! deb=$(cargo deb --locked 2>"$log"); then
  cat "$log" >&2
  fail "cargo deb"
fi
rm -f "$log"
deb=$(tail -1 <<<"$deb")
[ -f "$deb" ] || fail "cargo deb made no .deb (got: $deb)"
echo "== built $deb ($(($(date +%s) - start))s)"

files=$(dpkg-deb -c "$deb" | awk '{print $6}')
for want in ./usr/bin/dockercfg ./usr/share/man/man1/dockercfg.1 \
  ./usr/share/bash-completion/completions/dockercfg \
  ./usr/share/zsh/vendor-completions/_dockercfg \
  ./usr/share/fish/vendor_completions.d/dockercfg.fish; do
  grep -qE "^${want}(\.gz)?$" <<<"$files" || fail "$want is not in the package"
done

dpkg -i "$deb" >/dev/null || fail "dpkg -i"
trap 'dpkg -r dockercfg >/dev/null 2>&1 || true' EXIT

[ "$(command -v dockercfg)" = /usr/bin/dockercfg ] || fail "dockercfg is not /usr/bin/dockercfg after dpkg -i"
dockercfg --config examples list >/dev/null || fail "the installed dockercfg cannot list examples/"
page=$(man -w dockercfg) || fail "man -w dockercfg finds no page"
case $page in /usr/share/man/man1/dockercfg.1*) ;; *) fail "man -w dockercfg gave $page" ;; esac
echo "== man -w dockercfg: $page"

# bash's real completion: load bash-completion and the installed file, then
# complete `dockercfg lo` the way bash does on <TAB>.
got=$(bash --norc --noprofile -c '
  source /usr/share/bash-completion/bash_completion
  source /usr/share/bash-completion/completions/dockercfg
  fn=$(complete -p dockercfg | sed -E "s/.*-F ([^ ]+) .*/\1/")
  COMP_WORDS=(dockercfg lo); COMP_CWORD=1; COMP_LINE="dockercfg lo"; COMP_POINT=${#COMP_LINE}
  "$fn" dockercfg lo dockercfg
  printf "%s\n" "${COMPREPLY[@]}"
') || fail "bash completion failed to run"
grep -qx login <<<"$got" && grep -qx logout <<<"$got" ||
  fail "bash completes 'dockercfg lo' to: $(tr '\n' ' ' <<<"$got") (want login and logout)"
echo "== bash completes 'dockercfg lo' to: $(tr '\n' ' ' <<<"$got")"

dpkg -r dockercfg >/dev/null || fail "dpkg -r"
trap - EXIT
for f in $files; do
  f=${f#.}
  case $f in */) continue ;; esac
  [ ! -e "$f" ] || fail "$f is still there after dpkg -r"
done
[ ! -e /usr/bin/dockercfg ] || fail "/usr/bin/dockercfg survived dpkg -r"
dpkg -s dockercfg >/dev/null 2>&1 && fail "dpkg still lists dockercfg as installed"
echo "== dpkg -r removed every file ($(($(date +%s) - start))s in all)"
