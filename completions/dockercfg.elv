
use builtin;
use str;

set edit:completion:arg-completer[dockercfg] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'dockercfg'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'dockercfg'= {
            cand --config 'Directory holding config.json (as `docker --config`), or a path to a .json file'
            cand --authfile 'Work on the containers auth.json at PATH (podman, skopeo, buildah) instead of config.json'
            cand --helper-timeout 'Seconds to wait for a credential helper before giving up'
            cand --lock-timeout 'Seconds to wait for another dockercfg to finish writing the file'
            cand --podman 'Work on podman''s auth.json: $REGISTRY_AUTH_FILE, else $XDG_RUNTIME_DIR/containers/auth.json'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'List every registry you are logged in to, and where each secret lives'
            cand ls 'List every registry you are logged in to, and where each secret lives'
            cand login 'Log in to a registry (Docker Hub if none), storing the secret where docker would'
            cand logout 'Log out of registries: remove their logins from config.json and from helpers'
            cand migrate 'Move plaintext credentials from config.json into a credential store, verifying each'
            cand audit 'Report security problems: plaintext secrets, loose permissions, missing helpers, expired tokens'
            cand fix-perms 'Make config.json 0600 and its directory 0700 (and, under sudo, give root-owned files back)'
            cand fix-permissions 'Make config.json 0600 and its directory 0700 (and, under sudo, give root-owned files back)'
            cand get 'Print a registry''s credentials as the helper protocol''s JSON (prints a secret)'
            cand completions 'Print a shell completion script (bash, zsh, fish, powershell, elvish)'
            cand explain 'Say which credential a client would use for an image, and why (never prints the secret)'
            cand export 'Write resolved credentials as a standalone config.json or a Kubernetes Secret (prints secrets)'
            cand exec 'Run a command with a private, temporary config holding only the logins named'
            cand sync 'Copy logins between docker''s config.json and podman''s auth.json, with each side''s key rules'
            cand version 'Print dockercfg''s version (with --json: version, commit, target)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dockercfg;list'= {
            cand --format 'Format the output: ''table'', ''table TEMPLATE'', ''json'' (one object per line) or a TEMPLATE per login, as docker''s --format'
            cand --config 'Directory holding config.json (as `docker --config`), or a path to a .json file'
            cand --authfile 'Work on the containers auth.json at PATH (podman, skopeo, buildah) instead of config.json'
            cand --helper-timeout 'Seconds to wait for a credential helper before giving up'
            cand --lock-timeout 'Seconds to wait for another dockercfg to finish writing the file'
            cand -q 'Print only the registries, one per line'
            cand --quiet 'Print only the registries, one per line'
            cand --json 'Print a JSON array: registry, username, source, helper, kind, token, expires, error'
            cand --podman 'Work on podman''s auth.json: $REGISTRY_AUTH_FILE, else $XDG_RUNTIME_DIR/containers/auth.json'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dockercfg;ls'= {
            cand --format 'Format the output: ''table'', ''table TEMPLATE'', ''json'' (one object per line) or a TEMPLATE per login, as docker''s --format'
            cand --config 'Directory holding config.json (as `docker --config`), or a path to a .json file'
            cand --authfile 'Work on the containers auth.json at PATH (podman, skopeo, buildah) instead of config.json'
            cand --helper-timeout 'Seconds to wait for a credential helper before giving up'
            cand --lock-timeout 'Seconds to wait for another dockercfg to finish writing the file'
            cand -q 'Print only the registries, one per line'
            cand --quiet 'Print only the registries, one per line'
            cand --json 'Print a JSON array: registry, username, source, helper, kind, token, expires, error'
            cand --podman 'Work on podman''s auth.json: $REGISTRY_AUTH_FILE, else $XDG_RUNTIME_DIR/containers/auth.json'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dockercfg;login'= {
            cand -u 'Username'
            cand --username 'Username'
            cand -p 'Password or token (insecure: visible to other users; prefer --password-stdin)'
            cand --password 'Password or token (insecure: visible to other users; prefer --password-stdin)'
            cand --ca-file 'Also trust the CA certificates in FILE (PEM) when verifying (repeatable)'
            cand --cert-dir 'Read the registry''s CAs (*.crt) and client certificate (NAME.cert + NAME.key) from DIR instead of certs.d'
            cand --config 'Directory holding config.json (as `docker --config`), or a path to a .json file'
            cand --authfile 'Work on the containers auth.json at PATH (podman, skopeo, buildah) instead of config.json'
            cand --helper-timeout 'Seconds to wait for a credential helper before giving up'
            cand --lock-timeout 'Seconds to wait for another dockercfg to finish writing the file'
            cand --password-stdin 'Read the password or token from one line of stdin'
            cand --no-verify 'Store without asking the registry whether the credentials work'
            cand --insecure 'Allow plain HTTP and unverified TLS when verifying'
            cand -q 'Print nothing on success'
            cand --quiet 'Print nothing on success'
            cand --podman 'Work on podman''s auth.json: $REGISTRY_AUTH_FILE, else $XDG_RUNTIME_DIR/containers/auth.json'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dockercfg;logout'= {
            cand --match 'Log out of every login whose registry matches this glob (repeatable; case-insensitive, with or without https://)'
            cand --config 'Directory holding config.json (as `docker --config`), or a path to a .json file'
            cand --authfile 'Work on the containers auth.json at PATH (podman, skopeo, buildah) instead of config.json'
            cand --helper-timeout 'Seconds to wait for a credential helper before giving up'
            cand --lock-timeout 'Seconds to wait for another dockercfg to finish writing the file'
            cand --all 'Log out of every login that `list` shows'
            cand --expired 'Log out of every login whose token has expired (JWT `exp`, AWS ECR `expiration`)'
            cand --dry-run 'Show what would be removed, change nothing'
            cand --json 'Print a JSON array of the logins removed'
            cand -q 'Print nothing on success'
            cand --quiet 'Print nothing on success'
            cand --podman 'Work on podman''s auth.json: $REGISTRY_AUTH_FILE, else $XDG_RUNTIME_DIR/containers/auth.json'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dockercfg;migrate'= {
            cand --store 'Move every plaintext login into this store and set "credsStore" (pass, secretservice, osxkeychain, wincred, ...)'
            cand --helper 'Move REGISTRY''s login into helper NAME and set "credHelpers" for it; a glob such as ''*.gcr.io'' is matched against the plaintext logins (repeatable)'
            cand -j 'How many helper calls to run at once [default: the number of CPUs]'
            cand --jobs 'How many helper calls to run at once [default: the number of CPUs]'
            cand --backup 'Copy config.json to FILE (mode 0600; FILE must not exist) before changing anything'
            cand --config 'Directory holding config.json (as `docker --config`), or a path to a .json file'
            cand --authfile 'Work on the containers auth.json at PATH (podman, skopeo, buildah) instead of config.json'
            cand --helper-timeout 'Seconds to wait for a credential helper before giving up'
            cand --lock-timeout 'Seconds to wait for another dockercfg to finish writing the file'
            cand --overwrite 'Replace a different secret that the store already holds for a registry'
            cand --dry-run 'Print the plan and change nothing (only the helpers'' `list` is called)'
            cand --json 'Print a JSON array: registry, username, from, to, status, error'
            cand -q 'Print nothing but warnings and errors'
            cand --quiet 'Print nothing but warnings and errors'
            cand --podman 'Work on podman''s auth.json: $REGISTRY_AUTH_FILE, else $XDG_RUNTIME_DIR/containers/auth.json'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dockercfg;audit'= {
            cand --fail-on 'Exit 1 when a finding of this severity or worse exists'
            cand --expiry-warning 'Warn about tokens that expire within this time (e.g. 24h, 90m, 2d)'
            cand --config 'Directory holding config.json (as `docker --config`), or a path to a .json file'
            cand --authfile 'Work on the containers auth.json at PATH (podman, skopeo, buildah) instead of config.json'
            cand --helper-timeout 'Seconds to wait for a credential helper before giving up'
            cand --lock-timeout 'Seconds to wait for another dockercfg to finish writing the file'
            cand --json 'Print a JSON array of findings: code, severity, registry, message, fix'
            cand --deep 'Also read secrets from helpers (`get`) to check their expiry; never prints them'
            cand --fix 'Apply the safe fixes (permissions and owner) first, then report the rest'
            cand --podman 'Work on podman''s auth.json: $REGISTRY_AUTH_FILE, else $XDG_RUNTIME_DIR/containers/auth.json'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dockercfg;fix-perms'= {
            cand --config 'Directory holding config.json (as `docker --config`), or a path to a .json file'
            cand --authfile 'Work on the containers auth.json at PATH (podman, skopeo, buildah) instead of config.json'
            cand --helper-timeout 'Seconds to wait for a credential helper before giving up'
            cand --lock-timeout 'Seconds to wait for another dockercfg to finish writing the file'
            cand --check 'Change nothing; list what would change and exit 1 if anything would'
            cand -q 'Print nothing on success'
            cand --quiet 'Print nothing on success'
            cand --podman 'Work on podman''s auth.json: $REGISTRY_AUTH_FILE, else $XDG_RUNTIME_DIR/containers/auth.json'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dockercfg;fix-permissions'= {
            cand --config 'Directory holding config.json (as `docker --config`), or a path to a .json file'
            cand --authfile 'Work on the containers auth.json at PATH (podman, skopeo, buildah) instead of config.json'
            cand --helper-timeout 'Seconds to wait for a credential helper before giving up'
            cand --lock-timeout 'Seconds to wait for another dockercfg to finish writing the file'
            cand --check 'Change nothing; list what would change and exit 1 if anything would'
            cand -q 'Print nothing on success'
            cand --quiet 'Print nothing on success'
            cand --podman 'Work on podman''s auth.json: $REGISTRY_AUTH_FILE, else $XDG_RUNTIME_DIR/containers/auth.json'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dockercfg;get'= {
            cand --config 'Directory holding config.json (as `docker --config`), or a path to a .json file'
            cand --authfile 'Work on the containers auth.json at PATH (podman, skopeo, buildah) instead of config.json'
            cand --helper-timeout 'Seconds to wait for a credential helper before giving up'
            cand --lock-timeout 'Seconds to wait for another dockercfg to finish writing the file'
            cand --username 'Print only the username'
            cand --reveal 'Allow printing the secret to a terminal'
            cand --podman 'Work on podman''s auth.json: $REGISTRY_AUTH_FILE, else $XDG_RUNTIME_DIR/containers/auth.json'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dockercfg;completions'= {
            cand --config 'Directory holding config.json (as `docker --config`), or a path to a .json file'
            cand --authfile 'Work on the containers auth.json at PATH (podman, skopeo, buildah) instead of config.json'
            cand --helper-timeout 'Seconds to wait for a credential helper before giving up'
            cand --lock-timeout 'Seconds to wait for another dockercfg to finish writing the file'
            cand --podman 'Work on podman''s auth.json: $REGISTRY_AUTH_FILE, else $XDG_RUNTIME_DIR/containers/auth.json'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dockercfg;explain'= {
            cand --config 'Directory holding config.json (as `docker --config`), or a path to a .json file'
            cand --authfile 'Work on the containers auth.json at PATH (podman, skopeo, buildah) instead of config.json'
            cand --helper-timeout 'Seconds to wait for a credential helper before giving up'
            cand --lock-timeout 'Seconds to wait for another dockercfg to finish writing the file'
            cand --json 'Print JSON: reference, registry, repository, rules, keys, source, key, helper, file, username, kind, steps, problems'
            cand --podman 'Work on podman''s auth.json: $REGISTRY_AUTH_FILE, else $XDG_RUNTIME_DIR/containers/auth.json'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dockercfg;export'= {
            cand --registry 'A registry to export (repeatable); any spelling (docker.io, https://ghcr.io)'
            cand -o 'Write to FILE (created 0600) instead of stdout'
            cand --output 'Write to FILE (created 0600) instead of stdout'
            cand --format 'Output format'
            cand --name 'The Secret''s name (a DNS-1123 subdomain); required with --format k8s-secret'
            cand --namespace 'The Secret''s namespace'
            cand --config 'Directory holding config.json (as `docker --config`), or a path to a .json file'
            cand --authfile 'Work on the containers auth.json at PATH (podman, skopeo, buildah) instead of config.json'
            cand --helper-timeout 'Seconds to wait for a credential helper before giving up'
            cand --lock-timeout 'Seconds to wait for another dockercfg to finish writing the file'
            cand --all 'Export every login that `list` shows'
            cand --force 'Replace FILE if it exists'
            cand --skip-unresolved 'Leave out logins that cannot be resolved, with a warning, instead of failing'
            cand --podman 'Work on podman''s auth.json: $REGISTRY_AUTH_FILE, else $XDG_RUNTIME_DIR/containers/auth.json'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dockercfg;exec'= {
            cand --inherit 'Copy your current login for REGISTRY into the private config (repeatable)'
            cand --login 'Log in to REGISTRY in the private config only (repeatable; needs --username and a password)'
            cand -u 'The username for each --login, in order'
            cand --username 'The username for each --login, in order'
            cand --password-env 'Take the password or token of each --login, in order, from environment variable VAR'
            cand --ca-file 'Also trust the CA certificates in FILE (PEM) when verifying a --login (repeatable)'
            cand --cert-dir 'Read the registry''s CAs (*.crt) and client certificate (NAME.cert + NAME.key) from DIR instead of certs.d'
            cand --config 'Directory holding config.json (as `docker --config`), or a path to a .json file'
            cand --authfile 'Work on the containers auth.json at PATH (podman, skopeo, buildah) instead of config.json'
            cand --helper-timeout 'Seconds to wait for a credential helper before giving up'
            cand --lock-timeout 'Seconds to wait for another dockercfg to finish writing the file'
            cand --password-stdin 'Read the password or token of the one --login from one line of stdin'
            cand --no-verify 'Use --login credentials without asking the registry whether they work'
            cand --insecure 'Allow plain HTTP and unverified TLS when verifying a --login'
            cand --podman 'Work on podman''s auth.json: $REGISTRY_AUTH_FILE, else $XDG_RUNTIME_DIR/containers/auth.json'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dockercfg;sync'= {
            cand --to 'The side to write: podman or docker'
            cand --registry 'Sync only this registry (repeatable; any spelling); default: every login of the other side'
            cand --config 'Directory holding config.json (as `docker --config`), or a path to a .json file'
            cand --authfile 'Work on the containers auth.json at PATH (podman, skopeo, buildah) instead of config.json'
            cand --helper-timeout 'Seconds to wait for a credential helper before giving up'
            cand --lock-timeout 'Seconds to wait for another dockercfg to finish writing the file'
            cand --dry-run 'Say what would change and change nothing'
            cand --plaintext 'Copy secrets held in a helper into the file as plaintext instead of referencing the helper'
            cand --podman 'Work on podman''s auth.json: $REGISTRY_AUTH_FILE, else $XDG_RUNTIME_DIR/containers/auth.json'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dockercfg;version'= {
            cand --config 'Directory holding config.json (as `docker --config`), or a path to a .json file'
            cand --authfile 'Work on the containers auth.json at PATH (podman, skopeo, buildah) instead of config.json'
            cand --helper-timeout 'Seconds to wait for a credential helper before giving up'
            cand --lock-timeout 'Seconds to wait for another dockercfg to finish writing the file'
            cand --json 'Print JSON: version, commit (null when unknown), target'
            cand --podman 'Work on podman''s auth.json: $REGISTRY_AUTH_FILE, else $XDG_RUNTIME_DIR/containers/auth.json'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'dockercfg;help'= {
            cand list 'List every registry you are logged in to, and where each secret lives'
            cand login 'Log in to a registry (Docker Hub if none), storing the secret where docker would'
            cand logout 'Log out of registries: remove their logins from config.json and from helpers'
            cand migrate 'Move plaintext credentials from config.json into a credential store, verifying each'
            cand audit 'Report security problems: plaintext secrets, loose permissions, missing helpers, expired tokens'
            cand fix-perms 'Make config.json 0600 and its directory 0700 (and, under sudo, give root-owned files back)'
            cand get 'Print a registry''s credentials as the helper protocol''s JSON (prints a secret)'
            cand completions 'Print a shell completion script (bash, zsh, fish, powershell, elvish)'
            cand explain 'Say which credential a client would use for an image, and why (never prints the secret)'
            cand export 'Write resolved credentials as a standalone config.json or a Kubernetes Secret (prints secrets)'
            cand exec 'Run a command with a private, temporary config holding only the logins named'
            cand sync 'Copy logins between docker''s config.json and podman''s auth.json, with each side''s key rules'
            cand version 'Print dockercfg''s version (with --json: version, commit, target)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'dockercfg;help;list'= {
        }
        &'dockercfg;help;login'= {
        }
        &'dockercfg;help;logout'= {
        }
        &'dockercfg;help;migrate'= {
        }
        &'dockercfg;help;audit'= {
        }
        &'dockercfg;help;fix-perms'= {
        }
        &'dockercfg;help;get'= {
        }
        &'dockercfg;help;completions'= {
        }
        &'dockercfg;help;explain'= {
        }
        &'dockercfg;help;export'= {
        }
        &'dockercfg;help;exec'= {
        }
        &'dockercfg;help;sync'= {
        }
        &'dockercfg;help;version'= {
        }
        &'dockercfg;help;help'= {
        }
    ]
    $completions[$command]
}
