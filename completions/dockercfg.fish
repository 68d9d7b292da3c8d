# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_dockercfg_global_optspecs
    string join \n config= authfile= podman helper-timeout= lock-timeout= h/help V/version
end

function __fish_dockercfg_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_dockercfg_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_dockercfg_using_subcommand
    set -l cmd (__fish_dockercfg_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c dockercfg -n "__fish_dockercfg_needs_command" -l config -d 'Directory holding config.json (as `docker --config`), or a path to a .json file' -r -F
complete -c dockercfg -n "__fish_dockercfg_needs_command" -l authfile -d 'Work on the containers auth.json at PATH (podman, skopeo, buildah) instead of config.json' -r -F
complete -c dockercfg -n "__fish_dockercfg_needs_command" -l helper-timeout -d 'Seconds to wait for a credential helper before giving up' -r
complete -c dockercfg -n "__fish_dockercfg_needs_command" -l lock-timeout -d 'Seconds to wait for another dockercfg to finish writing the file' -r
complete -c dockercfg -n "__fish_dockercfg_needs_command" -l podman -d 'Work on podman\'s auth.json: $REGISTRY_AUTH_FILE, else $XDG_RUNTIME_DIR/containers/auth.json'
complete -c dockercfg -n "__fish_dockercfg_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dockercfg -n "__fish_dockercfg_needs_command" -s V -l version -d 'Print version'
complete -c dockercfg -n "__fish_dockercfg_needs_command" -f -a "list" -d 'List every registry you are logged in to, and where each secret lives'
complete -c dockercfg -n "__fish_dockercfg_needs_command" -f -a "ls" -d 'List every registry you are logged in to, and where each secret lives'
complete -c dockercfg -n "__fish_dockercfg_needs_command" -f -a "login" -d 'Log in to a registry (Docker Hub if none), storing the secret where docker would'
complete -c dockercfg -n "__fish_dockercfg_needs_command" -f -a "logout" -d 'Log out of registries: remove their logins from config.json and from helpers'
complete -c dockercfg -n "__fish_dockercfg_needs_command" -f -a "migrate" -d 'Move plaintext credentials from config.json into a credential store, verifying each'
complete -c dockercfg -n "__fish_dockercfg_needs_command" -f -a "audit" -d 'Report security problems: plaintext secrets, loose permissions, missing helpers, expired tokens'
complete -c dockercfg -n "__fish_dockercfg_needs_command" -f -a "fix-perms" -d 'Make config.json 0600 and its directory 0700 (and, under sudo, give root-owned files back)'
complete -c dockercfg -n "__fish_dockercfg_needs_command" -f -a "fix-permissions" -d 'Make config.json 0600 and its directory 0700 (and, under sudo, give root-owned files back)'
complete -c dockercfg -n "__fish_dockercfg_needs_command" -f -a "get" -d 'Print a registry\'s credentials as the helper protocol\'s JSON (prints a secret)'
complete -c dockercfg -n "__fish_dockercfg_needs_command" -f -a "completions" -d 'Print a shell completion script (bash, zsh, fish, powershell, elvish)'
complete -c dockercfg -n "__fish_dockercfg_needs_command" -f -a "explain" -d 'Say which credential a client would use for an image, and why (never prints the secret)'
complete -c dockercfg -n "__fish_dockercfg_needs_command" -f -a "export" -d 'Write resolved credentials as a standalone config.json or a Kubernetes Secret (prints secrets)'
complete -c dockercfg -n "__fish_dockercfg_needs_command" -f -a "exec" -d 'Run a command with a private, temporary config holding only the logins named'
complete -c dockercfg -n "__fish_dockercfg_needs_command" -f -a "sync" -d 'Copy logins between docker\'s config.json and podman\'s auth.json, with each side\'s key rules'
complete -c dockercfg -n "__fish_dockercfg_needs_command" -f -a "version" -d 'Print dockercfg\'s version (with --json: version, commit, target)'
complete -c dockercfg -n "__fish_dockercfg_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dockercfg -n "__fish_dockercfg_using_subcommand list" -l format -d 'Format the output: \'table\', \'table TEMPLATE\', \'json\' (one object per line) or a TEMPLATE per login, as docker\'s --format' -r
complete -c dockercfg -n "__fish_dockercfg_using_subcommand list" -l config -d 'Directory holding config.json (as `docker --config`), or a path to a .json file' -r -F
complete -c dockercfg -n "__fish_dockercfg_using_subcommand list" -l authfile -d 'Work on the containers auth.json at PATH (podman, skopeo, buildah) instead of config.json' -r -F
complete -c dockercfg -n "__fish_dockercfg_using_subcommand list" -l helper-timeout -d 'Seconds to wait for a credential helper before giving up' -r
complete -c dockercfg -n "__fish_dockercfg_using_subcommand list" -l lock-timeout -d 'Seconds to wait for another dockercfg to finish writing the file' -r
complete -c dockercfg -n "__fish_dockercfg_using_subcommand list" -s q -l quiet -d 'Print only the registries, one per line'
complete -c dockercfg -n "__fish_dockercfg_using_subcommand list" -l json -d 'Print a JSON array: registry, username, source, helper, kind, token, expires, error'
complete -c dockercfg -n "__fish_dockercfg_using_subcommand list" -l podman -d 'Work on podman\'s auth.json: $REGISTRY_AUTH_FILE, else $XDG_RUNTIME_DIR/containers/auth.json'
complete -c dockercfg -n "__fish_dockercfg_using_subcommand list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dockercfg -n "__fish_dockercfg_using_subcommand ls" -l format -d 'Format the output: \'table\', \'table TEMPLATE\', \'json\' (one object per line) or a TEMPLATE per login, as docker\'s --format' -r
complete -c dockercfg -n "__fish_dockercfg_using_subcommand ls" -l config -d 'Directory holding config.json (as `docker --config`), or a path to a .json file' -r -F
complete -c dockercfg -n "__fish_dockercfg_using_subcommand ls" -l authfile -d 'Work on the containers auth.json at PATH (podman, skopeo, buildah) instead of config.json' -r -F
complete -c dockercfg -n "__fish_dockercfg_using_subcommand ls" -l helper-timeout -d 'Seconds to wait for a credential helper before giving up' -r
complete -c dockercfg -n "__fish_dockercfg_using_subcommand ls" -l lock-timeout -d 'Seconds to wait for another dockercfg to finish writing the file' -r
complete -c dockercfg -n "__fish_dockercfg_using_subcommand ls" -s q -l quiet -d 'Print only the registries, one per line'
complete -c dockercfg -n "__fish_dockercfg_using_subcommand ls" -l json -d 'Print a JSON array: registry, username, source, helper, kind, token, expires, error'
complete -c dockercfg -n "__fish_dockercfg_using_subcommand ls" -l podman -d 'Work on podman\'s auth.json: $REGISTRY_AUTH_FILE, else $XDG_RUNTIME_DIR/containers/auth.json'
complete -c dockercfg -n "__fish_dockercfg_using_subcommand ls" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dockercfg -n "__fish_dockercfg_using_subcommand login" -s u -l username -d 'Username' -r
complete -c dockercfg -n "__fish_dockercfg_using_subcommand login" -s p -l password -d 'Password or token (insecure: visible to other users; prefer --password-stdin)' -r
complete -c dockercfg -n "__fish_dockercfg_using_subcommand login" -l ca-file -d 'Also trust the CA certificates in FILE (PEM) when verifying (repeatable)' -r -F
complete -c dockercfg -n "__fish_dockercfg_using_subcommand login" -l cert-dir -d 'Read the registry\'s CAs (*.crt) and client certificate (NAME.cert + NAME.key) from DIR instead of certs.d' -r -F
complete -c dockercfg -n "__fish_dockercfg_using_subcommand login" -l config -d 'Directory holding config.json (as `docker --config`), or a path to a .json file' -r -F
complete -c dockercfg -n "__fish_dockercfg_using_subcommand login" -l authfile -d 'Work on the containers auth.json at PATH (podman, skopeo, buildah) instead of config.json' -r -F
complete -c dockercfg -n "__fish_dockercfg_using_subcommand login" -l helper-timeout -d 'Seconds to wait for a credential helper before giving up' -r
complete -c dockercfg -n "__fish_dockercfg_using_subcommand login" -l lock-timeout -d 'Seconds to wait for another dockercfg to finish writing the file' -r
complete -c dockercfg -n "__fish_dockercfg_using_subcommand login" -l password-stdin -d 'Read the password or token from one line of stdin'
complete -c dockercfg -n "__fish_dockercfg_using_subcommand login" -l no-verify -d 'Store without asking the registry whether the credentials work'
complete -c dockercfg -n "__fish_dockercfg_using_subcommand login" -l insecure -d 'Allow plain HTTP and unverified TLS when verifying'
complete -c dockercfg -n "__fish_dockercfg_using_subcommand login" -s q -l quiet -d 'Print nothing on success'
complete -c dockercfg -n "__fish_dockercfg_using_subcommand login" -l podman -d 'Work on podman\'s auth.json: $REGISTRY_AUTH_FILE, else $XDG_RUNTIME_DIR/containers/auth.json'
complete -c dockercfg -n "__fish_dockercfg_using_subcommand login" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dockercfg -n "__fish_dockercfg_using_subcommand logout" -l match -d 'Log out of every login whose registry matches this glob (repeatable; case-insensitive, with or without https://)' -r
complete -c dockercfg -n "__fish_dockercfg_using_subcommand logout" -l config -d 'Directory holding config.json (as `docker --config`), or a path to a .json file' -r -F
complete -c dockercfg -n "__fish_dockercfg_using_subcommand logout" -l authfile -d 'Work on the containers auth.json at PATH (podman, skopeo, buildah) instead of config.json' -r -F
complete -c dockercfg -n "__fish_dockercfg_using_subcommand logout" -l helper-timeout -d 'Seconds to wait for a credential helper before giving up' -r
complete -c dockercfg -n "__fish_dockercfg_using_subcommand logout" -l lock-timeout -d 'Seconds to wait for another dockercfg to finish writing the file' -r
complete -c dockercfg -n "__fish_dockercfg_using_subcommand logout" -l all -d 'Log out of every login that `list` shows'
complete -c dockercfg -n "__fish_dockercfg_using_subcommand logout" -l expired -d 'Log out of every login whose token has expired (JWT `exp`, AWS ECR `expiration`)'
complete -c dockercfg -n "__fish_dockercfg_using_subcommand logout" -l dry-run -d 'Show what would be removed, change nothing'
complete -c dockercfg -n "__fish_dockercfg_using_subcommand logout" -l json -d 'Print a JSON array of the logins removed'
complete -c dockercfg -n "__fish_dockercfg_using_subcommand logout" -s q -l quiet -d 'Print nothing on success'
complete -c dockercfg -n "__fish_dockercfg_using_subcommand logout" -l podman -d 'Work on podman\'s auth.json: $REGISTRY_AUTH_FILE, else $XDG_RUNTIME_DIR/containers/auth.json'
complete -c dockercfg -n "__fish_dockercfg_using_subcommand logout" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dockercfg -n "__fish_dockercfg_using_subcommand migrate" -l store -d 'Move every plaintext login into this store and set "credsStore" (pass, secretservice, osxkeychain, wincred, ...)' -r
complete -c dockercfg -n "__fish_dockercfg_using_subcommand migrate" -l helper -d 'Move REGISTRY\'s login into helper NAME and set "credHelpers" for it; a glob such as \'*.gcr.io\' is matched against the plaintext logins (repeatable)' -r
complete -c dockercfg -n "__fish_dockercfg_using_subcommand migrate" -s j -l jobs -d 'How many helper calls to run at once [default: the number of CPUs]' -r
complete -c dockercfg -n "__fish_dockercfg_using_subcommand migrate" -l backup -d 'Copy config.json to FILE (mode 0600; FILE must not exist) before changing anything' -r -F
complete -c dockercfg -n "__fish_dockercfg_using_subcommand migrate" -l config -d 'Directory holding config.json (as `docker --config`), or a path to a .json file' -r -F
complete -c dockercfg -n "__fish_dockercfg_using_subcommand migrate" -l authfile -d 'Work on the containers auth.json at PATH (podman, skopeo, buildah) instead of config.json' -r -F
complete -c dockercfg -n "__fish_dockercfg_using_subcommand migrate" -l helper-timeout -d 'Seconds to wait for a credential helper before giving up' -r
complete -c dockercfg -n "__fish_dockercfg_using_subcommand migrate" -l lock-timeout -d 'Seconds to wait for another dockercfg to finish writing the file' -r
complete -c dockercfg -n "__fish_dockercfg_using_subcommand migrate" -l overwrite -d 'Replace a different secret that the store already holds for a registry'
complete -c dockercfg -n "__fish_dockercfg_using_subcommand migrate" -l dry-run -d 'Print the plan and change nothing (only the helpers\' `list` is called)'
complete -c dockercfg -n "__fish_dockercfg_using_subcommand migrate" -l json -d 'Print a JSON array: registry, username, from, to, status, error'
complete -c dockercfg -n "__fish_dockercfg_using_subcommand migrate" -s q -l quiet -d 'Print nothing but warnings and errors'
complete -c dockercfg -n "__fish_dockercfg_using_subcommand migrate" -l podman -d 'Work on podman\'s auth.json: $REGISTRY_AUTH_FILE, else $XDG_RUNTIME_DIR/containers/auth.json'
complete -c dockercfg -n "__fish_dockercfg_using_subcommand migrate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dockercfg -n "__fish_dockercfg_using_subcommand audit" -l fail-on -d 'Exit 1 when a finding of this severity or worse exists' -r -f -a "info\t''
low\t''
medium\t''
high\t''"
complete -c dockercfg -n "__fish_dockercfg_using_subcommand audit" -l expiry-warning -d 'Warn about tokens that expire within this time (e.g. 24h, 90m, 2d)' -r
complete -c dockercfg -n "__fish_dockercfg_using_subcommand audit" -l config -d 'Directory holding config.json (as `docker --config`), or a path to a .json file' -r -F
complete -c dockercfg -n "__fish_dockercfg_using_subcommand audit" -l authfile -d 'Work on the containers auth.json at PATH (podman, skopeo, buildah) instead of config.json' -r -F
complete -c dockercfg -n "__fish_dockercfg_using_subcommand audit" -l helper-timeout -d 'Seconds to wait for a credential helper before giving up' -r
complete -c dockercfg -n "__fish_dockercfg_using_subcommand audit" -l lock-timeout -d 'Seconds to wait for another dockercfg to finish writing the file' -r
complete -c dockercfg -n "__fish_dockercfg_using_subcommand audit" -l json -d 'Print a JSON array of findings: code, severity, registry, message, fix'
complete -c dockercfg -n "__fish_dockercfg_using_subcommand audit" -l deep -d 'Also read secrets from helpers (`get`) to check their expiry; never prints them'
complete -c dockercfg -n "__fish_dockercfg_using_subcommand audit" -l fix -d 'Apply the safe fixes (permissions and owner) first, then report the rest'
complete -c dockercfg -n "__fish_dockercfg_using_subcommand audit" -l podman -d 'Work on podman\'s auth.json: $REGISTRY_AUTH_FILE, else $XDG_RUNTIME_DIR/containers/auth.json'
complete -c dockercfg -n "__fish_dockercfg_using_subcommand audit" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dockercfg -n "__fish_dockercfg_using_subcommand fix-perms" -l config -d 'Directory holding config.json (as `docker --config`), or a path to a .json file' -r -F
complete -c dockercfg -n "__fish_dockercfg_using_subcommand fix-perms" -l authfile -d 'Work on the containers auth.json at PATH (podman, skopeo, buildah) instead of config.json' -r -F
complete -c dockercfg -n "__fish_dockercfg_using_subcommand fix-perms" -l helper-timeout -d 'Seconds to wait for a credential helper before giving up' -r
complete -c dockercfg -n "__fish_dockercfg_using_subcommand fix-perms" -l lock-timeout -d 'Seconds to wait for another dockercfg to finish writing the file' -r
complete -c dockercfg -n "__fish_dockercfg_using_subcommand fix-perms" -l check -d 'Change nothing; list what would change and exit 1 if anything would'
complete -c dockercfg -n "__fish_dockercfg_using_subcommand fix-perms" -s q -l quiet -d 'Print nothing on success'
complete -c dockercfg -n "__fish_dockercfg_using_subcommand fix-perms" -l podman -d 'Work on podman\'s auth.json: $REGISTRY_AUTH_FILE, else $XDG_RUNTIME_DIR/containers/auth.json'
complete -c dockercfg -n "__fish_dockercfg_using_subcommand fix-perms" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dockercfg -n "__fish_dockercfg_using_subcommand fix-permissions" -l config -d 'Directory holding config.json (as `docker --config`), or a path to a .json file' -r -F
complete -c dockercfg -n "__fish_dockercfg_using_subcommand fix-permissions" -l authfile -d 'Work on the containers auth.json at PATH (podman, skopeo, buildah) instead of config.json' -r -F
complete -c dockercfg -n "__fish_dockercfg_using_subcommand fix-permissions" -l helper-timeout -d 'Seconds to wait for a credential helper before giving up' -r
complete -c dockercfg -n "__fish_dockercfg_using_subcommand fix-permissions" -l lock-timeout -d 'Seconds to wait for another dockercfg to finish writing the file' -r
complete -c dockercfg -n "__fish_dockercfg_using_subcommand fix-permissions" -l check -d 'Change nothing; list what would change and exit 1 if anything would'
complete -c dockercfg -n "__fish_dockercfg_using_subcommand fix-permissions" -s q -l quiet -d 'Print nothing on success'
complete -c dockercfg -n "__fish_dockercfg_using_subcommand fix-permissions" -l podman -d 'Work on podman\'s auth.json: $REGISTRY_AUTH_FILE, else $XDG_RUNTIME_DIR/containers/auth.json'
complete -c dockercfg -n "__fish_dockercfg_using_subcommand fix-permissions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dockercfg -n "__fish_dockercfg_using_subcommand get" -l config -d 'Directory holding config.json (as `docker --config`), or a path to a .json file' -r -F
complete -c dockercfg -n "__fish_dockercfg_using_subcommand get" -l authfile -d 'Work on the containers auth.json at PATH (podman, skopeo, buildah) instead of config.json' -r -F
complete -c dockercfg -n "__fish_dockercfg_using_subcommand get" -l helper-timeout -d 'Seconds to wait for a credential helper before giving up' -r
complete -c dockercfg -n "__fish_dockercfg_using_subcommand get" -l lock-timeout -d 'Seconds to wait for another dockercfg to finish writing the file' -r
complete -c dockercfg -n "__fish_dockercfg_using_subcommand get" -l username -d 'Print only the username'
complete -c dockercfg -n "__fish_dockercfg_using_subcommand get" -l reveal -d 'Allow printing the secret to a terminal'
complete -c dockercfg -n "__fish_dockercfg_using_subcommand get" -l podman -d 'Work on podman\'s auth.json: $REGISTRY_AUTH_FILE, else $XDG_RUNTIME_DIR/containers/auth.json'
complete -c dockercfg -n "__fish_dockercfg_using_subcommand get" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dockercfg -n "__fish_dockercfg_using_subcommand completions" -l config -d 'Directory holding config.json (as `docker --config`), or a path to a .json file' -r -F
complete -c dockercfg -n "__fish_dockercfg_using_subcommand completions" -l authfile -d 'Work on the containers auth.json at PATH (podman, skopeo, buildah) instead of config.json' -r -F
complete -c dockercfg -n "__fish_dockercfg_using_subcommand completions" -l helper-timeout -d 'Seconds to wait for a credential helper before giving up' -r
complete -c dockercfg -n "__fish_dockercfg_using_subcommand completions" -l lock-timeout -d 'Seconds to wait for another dockercfg to finish writing the file' -r
complete -c dockercfg -n "__fish_dockercfg_using_subcommand completions" -l podman -d 'Work on podman\'s auth.json: $REGISTRY_AUTH_FILE, else $XDG_RUNTIME_DIR/containers/auth.json'
complete -c dockercfg -n "__fish_dockercfg_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dockercfg -n "__fish_dockercfg_using_subcommand explain" -l config -d 'Directory holding config.json (as `docker --config`), or a path to a .json file' -r -F
complete -c dockercfg -n "__fish_dockercfg_using_subcommand explain" -l authfile -d 'Work on the containers auth.json at PATH (podman, skopeo, buildah) instead of config.json' -r -F
complete -c dockercfg -n "__fish_dockercfg_using_subcommand explain" -l helper-timeout -d 'Seconds to wait for a credential helper before giving up' -r
complete -c dockercfg -n "__fish_dockercfg_using_subcommand explain" -l lock-timeout -d 'Seconds to wait for another dockercfg to finish writing the file' -r
complete -c dockercfg -n "__fish_dockercfg_using_subcommand explain" -l json -d 'Print JSON: reference, registry, repository, rules, keys, source, key, helper, file, username, kind, steps, problems'
complete -c dockercfg -n "__fish_dockercfg_using_subcommand explain" -l podman -d 'Work on podman\'s auth.json: $REGISTRY_AUTH_FILE, else $XDG_RUNTIME_DIR/containers/auth.json'
complete -c dockercfg -n "__fish_dockercfg_using_subcommand explain" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dockercfg -n "__fish_dockercfg_using_subcommand export" -l registry -d 'A registry to export (repeatable); any spelling (docker.io, https://ghcr.io)' -r
complete -c dockercfg -n "__fish_dockercfg_using_subcommand export" -s o -l output -d 'Write to FILE (created 0600) instead of stdout' -r -F
complete -c dockercfg -n "__fish_dockercfg_using_subcommand export" -l format -d 'Output format' -r -f -a "config-json\t'A config.json holding only `auths` with `auth` values'
k8s-secret\t'A Kubernetes Secret of type kubernetes.io/dockerconfigjson (YAML)'"
complete -c dockercfg -n "__fish_dockercfg_using_subcommand export" -l name -d 'The Secret\'s name (a DNS-1123 subdomain); required with --format k8s-secret' -r
complete -c dockercfg -n "__fish_dockercfg_using_subcommand export" -l namespace -d 'The Secret\'s namespace' -r
complete -c dockercfg -n "__fish_dockercfg_using_subcommand export" -l config -d 'Directory holding config.json (as `docker --config`), or a path to a .json file' -r -F
complete -c dockercfg -n "__fish_dockercfg_using_subcommand export" -l authfile -d 'Work on the containers auth.json at PATH (podman, skopeo, buildah) instead of config.json' -r -F
complete -c dockercfg -n "__fish_dockercfg_using_subcommand export" -l helper-timeout -d 'Seconds to wait for a credential helper before giving up' -r
complete -c dockercfg -n "__fish_dockercfg_using_subcommand export" -l lock-timeout -d 'Seconds to wait for another dockercfg to finish writing the file' -r
complete -c dockercfg -n "__fish_dockercfg_using_subcommand export" -l all -d 'Export every login that `list` shows'
complete -c dockercfg -n "__fish_dockercfg_using_subcommand export" -l force -d 'Replace FILE if it exists'
complete -c dockercfg -n "__fish_dockercfg_using_subcommand export" -l skip-unresolved -d 'Leave out logins that cannot be resolved, with a warning, instead of failing'
complete -c dockercfg -n "__fish_dockercfg_using_subcommand export" -l podman -d 'Work on podman\'s auth.json: $REGISTRY_AUTH_FILE, else $XDG_RUNTIME_DIR/containers/auth.json'
complete -c dockercfg -n "__fish_dockercfg_using_subcommand export" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dockercfg -n "__fish_dockercfg_using_subcommand exec" -l inherit -d 'Copy your current login for REGISTRY into the private config (repeatable)' -r
complete -c dockercfg -n "__fish_dockercfg_using_subcommand exec" -l login -d 'Log in to REGISTRY in the private config only (repeatable; needs --username and a password)' -r
complete -c dockercfg -n "__fish_dockercfg_using_subcommand exec" -s u -l username -d 'The username for each --login, in order' -r
complete -c dockercfg -n "__fish_dockercfg_using_subcommand exec" -l password-env -d 'Take the password or token of each --login, in order, from environment variable VAR' -r
complete -c dockercfg -n "__fish_dockercfg_using_subcommand exec" -l ca-file -d 'Also trust the CA certificates in FILE (PEM) when verifying a --login (repeatable)' -r -F
complete -c dockercfg -n "__fish_dockercfg_using_subcommand exec" -l cert-dir -d 'Read the registry\'s CAs (*.crt) and client certificate (NAME.cert + NAME.key) from DIR instead of certs.d' -r -F
complete -c dockercfg -n "__fish_dockercfg_using_subcommand exec" -l config -d 'Directory holding config.json (as `docker --config`), or a path to a .json file' -r -F
complete -c dockercfg -n "__fish_dockercfg_using_subcommand exec" -l authfile -d 'Work on the containers auth.json at PATH (podman, skopeo, buildah) instead of config.json' -r -F
complete -c dockercfg -n "__fish_dockercfg_using_subcommand exec" -l helper-timeout -d 'Seconds to wait for a credential helper before giving up' -r
complete -c dockercfg -n "__fish_dockercfg_using_subcommand exec" -l lock-timeout -d 'Seconds to wait for another dockercfg to finish writing the file' -r
complete -c dockercfg -n "__fish_dockercfg_using_subcommand exec" -l password-stdin -d 'Read the password or token of the one --login from one line of stdin'
complete -c dockercfg -n "__fish_dockercfg_using_subcommand exec" -l no-verify -d 'Use --login credentials without asking the registry whether they work'
complete -c dockercfg -n "__fish_dockercfg_using_subcommand exec" -l insecure -d 'Allow plain HTTP and unverified TLS when verifying a --login'
complete -c dockercfg -n "__fish_dockercfg_using_subcommand exec" -l podman -d 'Work on podman\'s auth.json: $REGISTRY_AUTH_FILE, else $XDG_RUNTIME_DIR/containers/auth.json'
complete -c dockercfg -n "__fish_dockercfg_using_subcommand exec" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dockercfg -n "__fish_dockercfg_using_subcommand sync" -l to -d 'The side to write: podman or docker' -r -f -a "podman\t'podman\'s auth.json (--authfile, else $REGISTRY_AUTH_FILE, else podman\'s default)'
docker\t'docker\'s config.json ($DOCKER_CONFIG or ~/.docker; --config without --authfile/--podman)'"
complete -c dockercfg -n "__fish_dockercfg_using_subcommand sync" -l registry -d 'Sync only this registry (repeatable; any spelling); default: every login of the other side' -r
complete -c dockercfg -n "__fish_dockercfg_using_subcommand sync" -l config -d 'Directory holding config.json (as `docker --config`), or a path to a .json file' -r -F
complete -c dockercfg -n "__fish_dockercfg_using_subcommand sync" -l authfile -d 'Work on the containers auth.json at PATH (podman, skopeo, buildah) instead of config.json' -r -F
complete -c dockercfg -n "__fish_dockercfg_using_subcommand sync" -l helper-timeout -d 'Seconds to wait for a credential helper before giving up' -r
complete -c dockercfg -n "__fish_dockercfg_using_subcommand sync" -l lock-timeout -d 'Seconds to wait for another dockercfg to finish writing the file' -r
complete -c dockercfg -n "__fish_dockercfg_using_subcommand sync" -l dry-run -d 'Say what would change and change nothing'
complete -c dockercfg -n "__fish_dockercfg_using_subcommand sync" -l plaintext -d 'Copy secrets held in a helper into the file as plaintext instead of referencing the helper'
complete -c dockercfg -n "__fish_dockercfg_using_subcommand sync" -l podman -d 'Work on podman\'s auth.json: $REGISTRY_AUTH_FILE, else $XDG_RUNTIME_DIR/containers/auth.json'
complete -c dockercfg -n "__fish_dockercfg_using_subcommand sync" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dockercfg -n "__fish_dockercfg_using_subcommand version" -l config -d 'Directory holding config.json (as `docker --config`), or a path to a .json file' -r -F
complete -c dockercfg -n "__fish_dockercfg_using_subcommand version" -l authfile -d 'Work on the containers auth.json at PATH (podman, skopeo, buildah) instead of config.json' -r -F
complete -c dockercfg -n "__fish_dockercfg_using_subcommand version" -l helper-timeout -d 'Seconds to wait for a credential helper before giving up' -r
complete -c dockercfg -n "__fish_dockercfg_using_subcommand version" -l lock-timeout -d 'Seconds to wait for another dockercfg to finish writing the file' -r
complete -c dockercfg -n "__fish_dockercfg_using_subcommand version" -l json -d 'Print JSON: version, commit (null when unknown), target'
complete -c dockercfg -n "__fish_dockercfg_using_subcommand version" -l podman -d 'Work on podman\'s auth.json: $REGISTRY_AUTH_FILE, else $XDG_RUNTIME_DIR/containers/auth.json'
complete -c dockercfg -n "__fish_dockercfg_using_subcommand version" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dockercfg -n "__fish_dockercfg_using_subcommand help; and not __fish_seen_subcommand_from list login logout migrate audit fix-perms get completions explain export exec sync version help" -f -a "list" -d 'List every registry you are logged in to, and where each secret lives'
complete -c dockercfg -n "__fish_dockercfg_using_subcommand help; and not __fish_seen_subcommand_from list login logout migrate audit fix-perms get completions explain export exec sync version help" -f -a "login" -d 'Log in to a registry (Docker Hub if none), storing the secret where docker would'
complete -c dockercfg -n "__fish_dockercfg_using_subcommand help; and not __fish_seen_subcommand_from list login logout migrate audit fix-perms get completions explain export exec sync version help" -f -a "logout" -d 'Log out of registries: remove their logins from config.json and from helpers'
complete -c dockercfg -n "__fish_dockercfg_using_subcommand help; and not __fish_seen_subcommand_from list login logout migrate audit fix-perms get completions explain export exec sync version help" -f -a "migrate" -d 'Move plaintext credentials from config.json into a credential store, verifying each'
complete -c dockercfg -n "__fish_dockercfg_using_subcommand help; and not __fish_seen_subcommand_from list login logout migrate audit fix-perms get completions explain export exec sync version help" -f -a "audit" -d 'Report security problems: plaintext secrets, loose permissions, missing helpers, expired tokens'
complete -c dockercfg -n "__fish_dockercfg_using_subcommand help; and not __fish_seen_subcommand_from list login logout migrate audit fix-perms get completions explain export exec sync version help" -f -a "fix-perms" -d 'Make config.json 0600 and its directory 0700 (and, under sudo, give root-owned files back)'
complete -c dockercfg -n "__fish_dockercfg_using_subcommand help; and not __fish_seen_subcommand_from list login logout migrate audit fix-perms get completions explain export exec sync version help" -f -a "get" -d 'Print a registry\'s credentials as the helper protocol\'s JSON (prints a secret)'
complete -c dockercfg -n "__fish_dockercfg_using_subcommand help; and not __fish_seen_subcommand_from list login logout migrate audit fix-perms get completions explain export exec sync version help" -f -a "completions" -d 'Print a shell completion script (bash, zsh, fish, powershell, elvish)'
complete -c dockercfg -n "__fish_dockercfg_using_subcommand help; and not __fish_seen_subcommand_from list login logout migrate audit fix-perms get completions explain export exec sync version help" -f -a "explain" -d 'Say which credential a client would use for an image, and why (never prints the secret)'
complete -c dockercfg -n "__fish_dockercfg_using_subcommand help; and not __fish_seen_subcommand_from list login logout migrate audit fix-perms get completions explain export exec sync version help" -f -a "export" -d 'Write resolved credentials as a standalone config.json or a Kubernetes Secret (prints secrets)'
complete -c dockercfg -n "__fish_dockercfg_using_subcommand help; and not __fish_seen_subcommand_from list login logout migrate audit fix-perms get completions explain export exec sync version help" -f -a "exec" -d 'Run a command with a private, temporary config holding only the logins named'
complete -c dockercfg -n "__fish_dockercfg_using_subcommand help; and not __fish_seen_subcommand_from list login logout migrate audit fix-perms get completions explain export exec sync version help" -f -a "sync" -d 'Copy logins between docker\'s config.json and podman\'s auth.json, with each side\'s key rules'
complete -c dockercfg -n "__fish_dockercfg_using_subcommand help; and not __fish_seen_subcommand_from list login logout migrate audit fix-perms get completions explain export exec sync version help" -f -a "version" -d 'Print dockercfg\'s version (with --json: version, commit, target)'
complete -c dockercfg -n "__fish_dockercfg_using_subcommand help; and not __fish_seen_subcommand_from list login logout migrate audit fix-perms get completions explain export exec sync version help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
